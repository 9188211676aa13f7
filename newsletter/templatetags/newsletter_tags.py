"""``{% newsletter_signup %}``: the compact sign-up form on the home page, articles and calls."""

from django import template

from newsletter.forms import SignupForm
from newsletter.models import ConsentRecord
from newsletter.views.signup import current_consent_text

register = template.Library()


@register.inclusion_tag("components/newsletter_signup.html", takes_context=True)
def newsletter_signup(context):
    """Nothing when there is no consent text or topic yet: a sign-up must have both."""
    consent_text = current_consent_text()
    page = context.get("page")
    form = SignupForm(
        auto_id="nieuwsbrief-%s",
        consent_text=consent_text,
        initial={"source": ConsentRecord.Source.COMPACT_FORM, "page_id": getattr(page, "pk", None)},
    )
    # Labels of their own: a call page's answer form asks for "Naam" and "E-mailadres" too.
    form.fields["email"].label = "Uw e-mailadres"
    form.fields["name"].label = "Uw naam"
    topics = list(form.fields["topics"].queryset)
    return {"form": form, "consent_text": consent_text, "show": bool(consent_text and topics), "request": context.get("request")}
