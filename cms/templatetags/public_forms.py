"""``{% form_token %}``: the CSRF token in a form, only where the request is checked with it (``cms.csrf``)."""

from django import template
from django.middleware.csrf import get_token
from django.utils.html import format_html

from cms.csrf import without_session

register = template.Library()


@register.simple_tag(takes_context=True)
def form_token(context):
    """Nothing for a visitor without a session: no cookie, and the page is the same for everyone."""
    request = context.get("request")
    if request is None or without_session(request):
        return ""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request))
