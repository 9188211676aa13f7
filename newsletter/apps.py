from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "newsletter"
    verbose_name = "Nieuwsbrief"

    def ready(self):
        from newsletter import signals  # noqa: F401
        from newsletter.services import mail_kind

        mail_kind.register()
