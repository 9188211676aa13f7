""""Nieuwe inhoud": the next issue drafted from what was published since the last one.

New articles, new calls for input that are still open (their teasers show the
deadline) and the personas those pages offer (a persona has no date of its
own, so "new" means: linked from a new page). The result is a draft for the
editor to edit and publish; nothing is published or sent here.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from wagtail.log_actions import log
from wagtail.rich_text import RichText

from cms.models import ArticlePage, CallForInputPage, Persona
from newsletter.models import NewsletterIssuePage

FIRST_ISSUE_DAYS = 30
NOTHING_NEW = "Er is niets nieuws sinds de vorige nieuwsbrief: geen nieuwe artikelen, open oproepen of persona's."


class NothingNew(Exception):
    """Nothing was published since the last issue; the message says so in Dutch."""


def since(index_page):
    """When the newest published issue first appeared, or 30 days ago when there is none."""
    last = (
        NewsletterIssuePage.objects.child_of(index_page)
        .filter(first_published_at__isnull=False)
        .order_by("-first_published_at")
        .values_list("first_published_at", flat=True)
        .first()
    )
    return last or timezone.now() - timedelta(days=FIRST_ISSUE_DAYS)


def new_content(index_page):
    """``(articles, calls, personas)`` published since the last issue; calls only while open, nearest deadline first."""
    start = since(index_page)
    articles = list(
        ArticlePage.objects.live()
        .public()
        .filter(first_published_at__gt=start)
        .prefetch_related("persona_links")
        .order_by("-first_published_at")
    )
    calls = list(
        CallForInputPage.objects.live()
        .public()
        .open()
        .filter(first_published_at__gt=start)
        .prefetch_related("persona_links")
        .order_by("deadline", "title")
    )
    personas = list(
        Persona.objects.filter(
            pk__in=[link.persona_id for page in articles + calls for link in page.persona_links.all()]
        ).order_by("name")
    )
    return articles, calls, personas


def month_title(today=None):
    with translation.override("nl"):
        return f"Nieuwsbrief {formats.date_format(today or timezone.localdate(), 'F Y')}"


def counted(number, one, many):
    return f"{number} {one if number == 1 else many}"


def intro(articles, calls, personas):
    parts = []
    if articles:
        parts.append(counted(len(articles), "nieuw artikel", "nieuwe artikelen"))
    if calls:
        parts.append(counted(len(calls), "oproep waarop u kunt reageren", "oproepen waarop u kunt reageren"))
    if personas:
        parts.append(counted(len(personas), "persona om te downloaden", "persona's om te downloaden"))
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " en " + parts[-1]
    return f"In deze nieuwsbrief: {listed}."


def section(heading, blocks):
    return [("text", RichText(f"<h2>{heading}</h2>"))] + blocks if blocks else []


def body(articles, calls, personas):
    return (
        section("Nieuwe artikelen", [("page_teaser", {"page": page}) for page in articles])
        + section("Oproepen: reageer voor de sluitingsdatum", [("page_teaser", {"page": page}) for page in calls])
        + section("Persona's", [("persona_teaser", {"persona": persona}) for persona in personas])
    )


def free_slug(index_page, title):
    base = slugify(title)
    taken = set(index_page.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def draft_next_issue(index_page, user):
    """A draft issue under ``index_page`` with teasers of everything new; raises NothingNew when there is none."""
    articles, calls, personas = new_content(index_page)
    if not (articles or calls or personas):
        raise NothingNew(NOTHING_NEW)
    title = month_title()
    issue = NewsletterIssuePage(
        title=title,
        slug=free_slug(index_page, title),
        subject=title,
        intro=intro(articles, calls, personas),
        body=body(articles, calls, personas),
        live=False,
        owner=user,
    )
    index_page.add_child(instance=issue)
    issue.save_revision(user=user, log_action=False)
    log(instance=issue, action="wagtail.create", user=user)
    return issue
