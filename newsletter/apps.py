from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "newsletter"
    verbose_name = "Nieuwsbrief"

    def ready(self):
        from newsletter import signals  # noqa: F401
