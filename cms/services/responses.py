"""Answering a call: the rules between a posted form and a stored response."""

import hashlib
import json
from datetime import timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils import timezone
from django_ratelimit.core import is_ratelimited
from wagtail.models import Page

from campaigns.services import workers
from cms import page_cache
from cms.forms import CONSENT_FIELD, CONSENT_LABEL
from cms.models import CallResponse

# The same public answer to the same call within this window is stored once.
DUPLICATE_WINDOW = timedelta(hours=24)


def serve_call(page, request):
    """GET shows the form; POST validates and stores; a closed call accepts nothing."""
    if not page.is_open:
        return page.render_closed(request)
    if request.method != "POST":
        return _render_form(page, request, call_form(page, request))

    form = call_form(page, request, request.POST, request.FILES)
    limited = is_ratelimited(
        request, group="call-response", key="ip", rate=settings.FORM_RATE_LIMIT, method="POST", increment=True
    )
    if limited:
        # Show the answer again so that nothing typed is lost.
        form.is_valid()
        return _render_form(page, request, form, rate_limited=True, status=429)
    if form.is_valid():
        return page.render_landing_page(request, page.process_form_submission(form))
    return _render_form(page, request, form)


def call_form(page, request, *args, **kwargs):
    """The call's answer form; its class is built once per generation from the published fields.

    Building it costs a query and a field per form field on every visit. A
    preview's fields are a draft: its class is built each time.
    """
    if getattr(request, "is_preview", False):
        form_class = page.get_form_class()
    else:
        form_class = page_cache.per_generation(("form-class", page.pk, page.live_revision_id), page.get_form_class)
    return form_class(*args, **{**page.get_form_parameters(), "page": page, "user": request.user, **kwargs})


def posted_answers(page, data):
    """What was typed into the call's form, as (label, text) pairs: shown back when it can no longer be stored."""
    answers = []
    for field in page.get_form_fields():
        values = [value.strip() for value in data.getlist(field.clean_name) if value.strip()]
        if values:
            answers.append((field.label, "ja" if field.field_type == "checkbox" else ", ".join(values)))
    if data.get(CONSENT_FIELD):
        answers.append((CONSENT_LABEL, "ja"))
    return answers


def _render_form(page, request, form, status=200, **extra):
    context = page.get_context(request)
    context.update(form=form, **extra)
    return TemplateResponse(request, page.get_template(request), context, status=status)


def response_hash(page, answers, consent):
    payload = json.dumps([page.pk, answers, consent], cls=DjangoJSONEncoder, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def store_response(page, form):
    """Store a valid answer once, and have the contact person told about it by a worker."""
    answers = form.answers()
    consent = bool(form.cleaned_data.get(CONSENT_FIELD))
    digest = response_hash(page, answers, consent)
    with transaction.atomic():
        # Serialise answers to this call so that a double click cannot store two rows.
        list(Page.objects.select_for_update().filter(pk=page.pk).values_list("pk", flat=True))
        # Only public answers: one given through a personal link belongs to its recipient, not to this visitor.
        duplicate = (
            CallResponse.objects.filter(
                page=page,
                content_hash=digest,
                submit_time__gte=timezone.now() - DUPLICATE_WINDOW,
                recipient__isnull=True,
            )
            .order_by("-submit_time")
            .first()
        )
        if duplicate:
            return duplicate
        response = CallResponse.objects.create(
            page=page, form_data=answers, publication_consent=consent, content_hash=digest
        )
        if page.notify_contact_person and page.contact_person_id:
            workers.queue("cms.tasks.send_response_notification", response.pk)
    return response
