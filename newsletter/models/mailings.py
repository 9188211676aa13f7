"""The link between an issue page and the campaign row that carries its mailing through the delivery ledger."""

from django.conf import settings
from django.db import models


class IssueMailing(models.Model):
    """One sending of a newsletter issue: the revision that was checked, to which topics.

    The mailing is a ``campaigns.Campaign`` of kind "newsletter", so the same
    ledger, workers, suppression list, webhooks and results serve it. The
    revision is fixed when the editor confirms: a later edit of the page does
    not change a mailing under way.
    """

    campaign = models.OneToOneField(
        "campaigns.Campaign", verbose_name="verzending", on_delete=models.CASCADE, related_name="issue_mailing"
    )
    issue = models.ForeignKey(
        "newsletter.NewsletterIssuePage", verbose_name="nieuwsbrief", on_delete=models.PROTECT, related_name="mailings"
    )
    revision = models.ForeignKey("wagtailcore.Revision", verbose_name="versie", on_delete=models.PROTECT, related_name="+")
    topics = models.ManyToManyField("newsletter.Topic", verbose_name="onderwerpen", related_name="mailings")
    check_report = models.JSONField("uitkomst controle", default=dict, blank=True)
    checked_at = models.DateTimeField("gecontroleerd op", null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="gecontroleerd door", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "verzending nieuwsbrief"
        verbose_name_plural = "verzendingen nieuwsbrief"

    def __str__(self):
        return str(self.campaign)
