from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Website"

    def ready(self):
        from cms import page_cache

        page_cache.connect_signals()
