"""Public forms.

* ``{% form_token %}``: the CSRF token in a form, only where the request is checked with it (``cms.csrf``);
* ``{% form_fields form %}``: a call's answer fields, an empty form rendered once per generation;
* ``{% newsletter_signup_form %}``: the compact sign-up form, rendered once per generation for every visitor alike.
"""

from django import template
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from cms import page_cache
from cms.csrf import without_session

register = template.Library()


@register.simple_tag(takes_context=True)
def form_token(context):
    """Nothing for a visitor without a session: no cookie, and the page is the same for everyone."""
    request = context.get("request")
    if request is None or without_session(request):
        return ""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request))


@register.simple_tag(takes_context=True)
def form_fields(context, form):
    """The fields of ``form``; an empty form of a published page is rendered once per generation.

    Django renders each widget through templates: for a call's form that was a
    third of the page's time, the same on every visit. A form that holds anything
    of a visitor (posted data, errors, answers known from a personal link) and a
    preview's form, whose fields are a draft, are rendered each time.
    """

    def render():
        return render_to_string("components/form_fields.html", {"form": form})

    request = context.get("request")
    page = context.get("page")
    if form.is_bound or form.initial or page is None or getattr(request, "is_preview", False):
        return mark_safe(render())  # rendered by the template above, escaped there
    key = ("form-fields", page.pk, getattr(page, "live_revision_id", None))
    return mark_safe(page_cache.per_generation(key, render))


@register.simple_tag(takes_context=True)
def newsletter_signup_form(context):
    """The newsletter's ``{% newsletter_signup %}``, kept per page-cache generation for visitors without a session.

    Its consent text and topics cost three queries; a new consent text, topic or page
    makes a new generation (``cms.page_cache.PURGING_MODELS``). A visitor with a
    session gets a form of their own, with the CSRF token. The page it is on
    follows in an input of its own, tied to the form by its ``form`` attribute.
    """
    from newsletter.templatetags.newsletter_tags import newsletter_signup

    request = context.get("request")

    def render():
        return render_to_string("components/newsletter_signup.html", newsletter_signup(context))

    if request is None or not without_session(request):
        html = render()
    else:
        html = page_cache.per_generation(("newsletter-signup",), render)
    html = mark_safe(html)  # rendered by the template above, escaped there
    page_id = getattr(context.get("page"), "pk", None)
    if not html.strip() or page_id is None:
        return html
    return format_html('{}<input type="hidden" name="page_id" value="{}" form="nieuwsbrief-form">', html, page_id)
