"""What the newsletter's personal-link pages share: private answers, and one Dutch 404 for every bad link."""

import re

from django.shortcuts import render

from campaigns.views.privacy import keep_private

# Tokens the site makes: "<row id>-<base64url HMAC>" (newsletter.tokens) or base64url (campaigns.tokens).
WELL_FORMED = re.compile(r"(?:[0-9]{1,9}-)?[A-Za-z0-9_-]{20,100}")


def well_formed(token):
    return bool(WELL_FORMED.fullmatch(token or ""))


def private(request, template, context=None, status=200):
    return keep_private(render(request, f"newsletter/public/{template}", context or {}, status=status))


def unknown_link(request):
    """Unknown, tampered and retired links look the same, and say nothing about anyone."""
    return private(request, "link_unknown.html", status=404)
