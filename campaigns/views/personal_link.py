"""``/reageren/<token>/``: a recipient's own way to answer a call, and to change the answer until the deadline."""

from django.shortcuts import render
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from campaigns.services.answers import initial_answers, save_answer
from campaigns.tokens import find_recipient
from cms.services.responses import call_form, posted_answers

from .privacy import keep_private, unknown_link


@require_http_methods(["GET", "HEAD", "POST"])
def respond(request, token):
    """GET shows the call's form, prefilled; POST stores or updates the recipient's one answer."""
    recipient = find_recipient(token)
    # A newsletter recipient's token is a valid token, but there is no call to answer.
    call_page = recipient.campaign.call_page if recipient else None
    page = call_page.specific if call_page else None
    if page is None or not page.live:
        return unknown_link(request)
    if not page.is_open:
        unsent = posted_answers(page, request.POST) if request.method == "POST" else []
        context = {"page": page, "unsent_answers": unsent}
        return keep_private(render(request, "campaigns/public/link_expired.html", context, status=410))

    if request.method == "POST":
        form = call_form(page, request, request.POST, request.FILES)
        if form.is_valid():
            response, created = save_answer(recipient, page, form)
            context = {**page.get_context(request), "form_submission": response, "updated": not created, "link": request.path}
            return keep_private(TemplateResponse(request, "campaigns/public/answer_saved.html", context))
    else:
        form = call_form(page, request, initial=initial_answers(page, recipient))
    context = {**page.get_context(request), "form": form, "form_action": request.path, "recipient": recipient}
    return keep_private(TemplateResponse(request, "campaigns/public/personal_link.html", context))
