"""Proof of consent: the versioned text a visitor saw, and one record per sign-up.

A regulator asks "when, where, from which address, on what information and
confirmed how"; a ``ConsentRecord`` answers each part, and points to the exact
``ConsentText`` version shown, which is never edited once it exists.
"""

from django.conf import settings
from django.db import models
from django.db.models import Max


class ConsentText(models.Model):
    """One version of the consent text on the sign-up forms; the newest is the one shown."""

    version = models.PositiveIntegerField("versie", unique=True, editable=False)
    text = models.TextField(
        "toestemmingstekst",
        help_text="Wat de bezoeker leest naast het vinkje: waarvoor, hoe vaak, en dat afmelden altijd kan.",
    )
    privacy_statement_version = models.CharField(
        "versie privacyverklaring", max_length=50, help_text="Bijvoorbeeld: 2026-11 of 3.1"
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="pagina privacyverklaring",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("vastgesteld op", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="vastgesteld door", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "toestemmingstekst"
        verbose_name_plural = "toestemmingsteksten"
        ordering = ["-version"]

    def __str__(self):
        return f"Versie {self.version} ({self.created_at:%d-%m-%Y})" if self.created_at else f"Versie {self.version}"

    def save(self, *args, **kwargs):
        if self.version is None:
            self.version = (ConsentText.objects.aggregate(highest=Max("version"))["highest"] or 0) + 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls):
        return cls.objects.order_by("-version").first()


class ConsentRecord(models.Model):
    """One sign-up (from a form, an import or the preference page) and its confirmation.

    ``topics`` are the topics asked for; they are added to the subscriber only
    once this record is confirmed. ``topic_names`` keeps their names as shown,
    so the record stays readable after a topic is renamed or removed.
    """

    class Source(models.TextChoices):
        SIGNUP_PAGE = "signup_page", "Aanmeldpagina"
        COMPACT_FORM = "compact_form", "Aanmeldblok op een pagina"
        IMPORT = "import", "Import"
        PREFERENCES = "preferences", "Voorkeurenpagina"

    subscriber = models.ForeignKey(
        "newsletter.Subscriber", verbose_name="abonnee", on_delete=models.CASCADE, related_name="consents"
    )
    source = models.CharField("bron", max_length=20, choices=Source.choices)
    source_detail = models.CharField(
        "herkomst", max_length=500, blank=True, help_text="Bij een import: waar de toestemming is gegeven."
    )
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name="pagina", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    page_url = models.CharField("adres van de pagina", max_length=500, blank=True)
    consent_text = models.ForeignKey(
        ConsentText, verbose_name="toestemmingstekst", null=True, blank=True, on_delete=models.PROTECT, related_name="records"
    )
    privacy_statement_version = models.CharField("versie privacyverklaring", max_length=50, blank=True)
    topics = models.ManyToManyField("newsletter.Topic", verbose_name="onderwerpen", blank=True, related_name="+")
    topic_names = models.JSONField("onderwerpen zoals getoond", default=list, blank=True)
    name = models.CharField("opgegeven naam", max_length=200, blank=True)
    requested_at = models.DateTimeField("aangevraagd op", auto_now_add=True)
    ip_address = models.GenericIPAddressField("IP-adres", null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="geïmporteerd door", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The confirmation link is an HMAC of this nonce (``newsletter.tokens``); a new nonce retires the old link.
    confirmation_nonce = models.CharField(max_length=32, blank=True, editable=False)
    confirmation_sent_at = models.DateTimeField("bevestigingsmail verstuurd op", null=True, blank=True)
    confirmation_mails = models.PositiveSmallIntegerField("aantal bevestigingsmails", default=0)
    expires_at = models.DateTimeField("link geldig tot", null=True, blank=True)
    confirmed_at = models.DateTimeField("bevestigd op", null=True, blank=True)
    confirmed_ip_address = models.GenericIPAddressField("IP-adres bij bevestigen", null=True, blank=True)

    class Meta:
        verbose_name = "toestemming"
        verbose_name_plural = "toestemmingen"
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["confirmed_at", "expires_at"], name="consent_pending_idx")]

    def __str__(self):
        return f"{self.get_source_display()} op {self.requested_at:%d-%m-%Y %H:%M}" if self.requested_at else "Toestemming"
