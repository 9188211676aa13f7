from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "Campagnes"

    def ready(self):
        from anymail.signals import tracking

        from campaigns.signals import record_tracking_event

        tracking.connect(record_tracking_event, dispatch_uid="campaigns.record_tracking_event")
        register_call_mailings()


def register_call_mailings():
    from campaigns.models import Campaign, Suppression
    from campaigns.services import mail_kinds, sending

    mail_kinds.register(
        Campaign.Kind.CALL,
        mail_kinds.MailKind(
            suppression_scope=Suppression.Scope.CAMPAIGNS,
            build=sending.build_call_mail,
            unwanted=sending.unanswered_only,
            build_batch=sending.build_call_batch,
        ),
    )
