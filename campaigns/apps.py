from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "Campagnes"

    def ready(self):
        from anymail.signals import tracking

        from campaigns.signals import record_tracking_event

        tracking.connect(record_tracking_event, dispatch_uid="campaigns.record_tracking_event")
