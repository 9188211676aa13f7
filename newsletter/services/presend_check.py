"""The check before an issue goes out: each rule on its own, on the mail exactly as a subscriber gets it.

The revision is rendered with the sample links of previews and test mails
(pages that say so and change nobody's subscription), then every rule looks
at the HTML, the plain text and the headers of that mail. Links into the site
are resolved in this process (URL patterns, the page tree, documents, media
files): an HTTP request to ourselves would make an admin worker wait on
itself. axe-core takes seconds, so a revision's report is cached for an hour;
``refresh=True`` ("Opnieuw controleren") runs it again.
"""

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404
from django.test import RequestFactory
from django.urls import Resolver404, resolve
from wagtail.models import Site

from newsletter.services import axe, rendering

CACHE_SECONDS = 60 * 60
MAX_HTML_BYTES = 100 * 1024
ONE_CLICK = "List-Unsubscribe=One-Click"
HTML_TAG = re.compile(
    r"</?(?:!doctype|html|head|body|meta|style|script|table|tbody|tr|td|th|div|span|p|a|img|br|hr|h[1-6]|ul|ol|li|"
    r"strong|em|b|i|u|center|font)\b[^>]*>",
    re.IGNORECASE,
)
HTML_ENTITY = re.compile(r"&(?:amp|lt|gt|quot|apos|nbsp|#\d+|#x[0-9a-f]+);", re.IGNORECASE)
NOT_A_WEB_LINK = re.compile(r"^(?:mailto|tel):\S+$", re.IGNORECASE)


@dataclass
class CheckResult:
    rule: str
    label: str
    passed: bool
    problems: list[str] = field(default_factory=list)
    detail: str = ""


@dataclass
class CheckReport:
    passed: bool
    results: list[CheckResult]
    revision_id: int | None = None

    def as_dict(self):
        return asdict(self)

    @classmethod
    def from_dict(cls, data):
        return cls(
            passed=data["passed"],
            results=[CheckResult(**result) for result in data["results"]],
            revision_id=data.get("revision_id"),
        )


@dataclass(frozen=True)
class Mail:
    """What the rules look at: the two parts and the headers of one rendered mail."""

    html: str
    text: str
    headers: dict

    @classmethod
    def from_message(cls, message):
        html = next((content for content, mimetype in message.alternatives if mimetype == "text/html"), "")
        return cls(html=html, text=message.body or "", headers=dict(message.extra_headers))


class _Markup(HTMLParser):
    """The links, images and the ``lang`` of a mail's HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []
        self.images = []
        self.lang = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html" and self.lang is None:
            self.lang = attributes.get("lang") or ""
        elif tag == "a" and "href" in attributes:
            self.links.append(attributes["href"] or "")
        elif tag == "img":
            self.images.append(attributes)

    handle_startendtag = handle_starttag


def markup(html):
    parser = _Markup()
    parser.feed(html)
    parser.close()
    return parser


def site_origin():
    parts = urlsplit(settings.SITE_URL)
    return parts.scheme, parts.netloc.lower()


def is_into_site(url):
    parts = urlsplit(url)
    return parts.netloc.lower() == site_origin()[1]


def page_problem(path):
    """Why the page at ``path`` does not answer a visitor, or "" (live, public)."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return "er is geen site ingesteld"
    request = RequestFactory().get(path, HTTP_HOST=site.hostname)
    components = [component for component in path.split("/") if component]
    try:
        page = site.root_page.specific.route(request, components).page
    except Http404:
        return "deze pagina bestaat niet of is niet gepubliceerd"
    if not page.live:
        return "deze pagina is niet gepubliceerd"
    if page.get_view_restrictions().exists():
        return "deze pagina is niet openbaar"
    return ""


def object_problem(match):
    """For views that show one object: whether it is still there."""
    from wagtail.documents import get_document_model

    from cms.models import Persona

    # Wagtail's document URL passes the id positionally, ours by name.
    lookups = {"wagtaildocs_serve": (get_document_model(), 0), "persona_download": (Persona, "pk")}
    if match.url_name not in lookups:
        return ""
    model, argument = lookups[match.url_name]
    pk = match.args[argument] if isinstance(argument, int) else match.kwargs.get(argument)
    if not model.objects.filter(pk=pk).exists():
        return f"{model._meta.verbose_name} bestaat niet (meer)"
    return ""


def internal_problem(url):
    """Why a link into the site would not answer, or "": resolved here, never fetched."""
    path = unquote(urlsplit(url).path) or "/"
    for prefix, exists in (
        (settings.MEDIA_URL, default_storage.exists),
        (settings.STATIC_URL, lambda name: bool(finders.find(name))),
    ):
        if prefix.startswith("/") and path.startswith(prefix):
            return "" if exists(path[len(prefix):]) else "dit bestand bestaat niet"
    try:
        match = resolve(path)
    except Resolver404:
        if path.endswith("/"):
            return "dit adres bestaat niet op de site"
        return internal_problem(f"{url.split('?', 1)[0].split('#', 1)[0]}/")
    if match.url_name == "wagtail_serve":
        return page_problem(path)
    return object_problem(match)


def link_problem(url):
    """Why one link of the mail is wrong, or ""."""
    url = url.strip()
    if NOT_A_WEB_LINK.match(url):
        return ""
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https") or not urlsplit(url).netloc:
        return "niet absoluut (het moet beginnen met https://)"
    if is_into_site(url):
        if scheme != site_origin()[0]:
            return f"gebruikt {scheme}:// in plaats van {site_origin()[0]}://"
        return internal_problem(url)
    if scheme != "https":
        return "niet beveiligd (http:// in plaats van https://)"
    return ""


def check_links(mail):
    parsed = markup(mail.html)
    urls = parsed.links + [image.get("src") or "" for image in parsed.images]
    problems = []
    for url in dict.fromkeys(urls):
        problem = link_problem(url)
        if problem:
            problems.append(f"{url or '(lege link)'}: {problem}")
    return CheckResult(
        "links",
        "Alle links zijn absoluut en werken",
        not problems,
        problems,
        f"{len(set(urls))} links en afbeeldingen nagekeken.",
    )


def check_alt_texts(mail):
    problems = [
        f"Afbeelding {image.get('src') or '(zonder adres)'} heeft geen alternatieve tekst."
        for image in markup(mail.html).images
        if not (image.get("alt") or "").strip()
    ]
    return CheckResult("alt", "Elke afbeelding heeft een alternatieve tekst", not problems, problems)


def check_language(mail):
    lang = markup(mail.html).lang
    if lang is None:
        problems = ["De mail heeft geen <html>-element met een taal."]
    elif lang.lower() != "nl":
        problems = [f"De taal van de mail is ‘{lang}’ in plaats van ‘nl’."]
    else:
        problems = []
    return CheckResult("lang", "De taal van de mail is Nederlands (lang=\"nl\")", not problems, problems)


def unsubscribe_url(mail):
    """The URL in ``List-Unsubscribe`` (RFC 2369: in angle brackets), or None."""
    found = re.findall(r"<([^<>]+)>", mail.headers.get("List-Unsubscribe", ""))
    web = [url for url in found if url.lower().startswith(("http://", "https://"))]
    return web[0] if web else None


def check_unsubscribe(mail):
    problems = []
    url = unsubscribe_url(mail)
    scheme = site_origin()[0]
    if url is None:
        problems.append("De kop List-Unsubscribe ontbreekt of heeft geen webadres tussen < en >.")
    elif not url.startswith(f"{scheme}://"):
        problems.append(f"Het adres in List-Unsubscribe begint niet met {scheme}://.")
    if mail.headers.get("List-Unsubscribe-Post", "").strip() != ONE_CLICK:
        problems.append(f"De kop List-Unsubscribe-Post: {ONE_CLICK} ontbreekt (afmelden met één klik).")
    if url is not None:
        if url not in markup(mail.html).links:
            problems.append("De opgemaakte mail heeft geen afmeldlink.")
        if url not in mail.text:
            problems.append("De platte tekst heeft geen afmeldlink.")
    return CheckResult("unsubscribe", "Afmeldlink en afmeldkoppen zijn aanwezig", not problems, problems)


def kilobytes(size):
    return f"{size / 1024:.1f}".replace(".", ",") + " kB"


def check_size(mail):
    size = len(mail.html.encode("utf-8"))
    passed = size < MAX_HTML_BYTES
    problems = [] if passed else [
        f"De opgemaakte mail is {kilobytes(size)}; Gmail knipt mails af vanaf ongeveer 102 kB, en dan is de afmeldlink weg."
    ]
    return CheckResult(
        "size",
        "De opgemaakte mail is kleiner dan 100 kB",
        passed,
        problems,
        f"Grootte: {kilobytes(size)} van de {kilobytes(MAX_HTML_BYTES)}.",
    )


def check_plain_text(mail):
    text = mail.text.strip()
    problems = []
    if not text:
        problems.append("De mail heeft geen platte tekst.")
    else:
        if text == mail.html.strip():
            problems.append("De platte tekst is de HTML-broncode van de mail.")
        tags = sorted(set(HTML_TAG.findall(text)))
        if tags:
            problems.append(f"De platte tekst bevat HTML-codes: {', '.join(tags[:5])}.")
        entities = sorted(set(HTML_ENTITY.findall(text)))
        if entities:
            problems.append(f"De platte tekst bevat HTML-tekens: {', '.join(entities[:5])}.")
        url = unsubscribe_url(mail)
        if url is None or url not in text:
            problems.append("De platte tekst heeft geen afmeldlink.")
    return CheckResult("plain_text", "Er is een goede platte tekst", not problems, problems)


def check_accessibility(mail):
    label = "Geen toegankelijkheidsproblemen (axe-core, WCAG 2.2 AA)"
    try:
        violations = axe.run_axe(mail.html)
    except axe.AxeUnavailable as error:
        return CheckResult("axe", label, False, [f"Niet uitgevoerd: {error}"], "niet uitgevoerd")
    problems = [f"{item.help} ({item.id}, {item.count}×)" for item in violations]
    return CheckResult("axe", label, not problems, problems)


RULES = [check_links, check_alt_texts, check_language, check_unsubscribe, check_size, check_plain_text, check_accessibility]


def check_mail(mail, revision_id=None):
    results = [rule(mail) for rule in RULES]
    return CheckReport(passed=all(result.passed for result in results), results=results, revision_id=revision_id)


def sample_message(revision):
    """The revision's mail as a subscriber of its first topic gets it, with the sample links."""
    from newsletter.models import Topic

    issue = revision.as_object()
    prepared = rendering.prepare(issue)
    return rendering.build_email(
        prepared,
        to_email="abonnee@example.org",
        to_name="",
        links=rendering.sample_links(issue),
        topics=Topic.objects.order_by("sort_order", "name")[:1],
    )


def cache_key(revision):
    """Per revision id, moment and content: another database or a restored one reuses ids for other content."""
    content = json.dumps(revision.content, sort_keys=True, cls=DjangoJSONEncoder)
    digest = hashlib.sha256(f"{revision.created_at.isoformat()}|{content}".encode()).hexdigest()
    return f"newsletter:presend-check:{revision.pk}:{digest}"


def check_revision(revision, *, refresh=False):
    """The report for ``revision`` (cached an hour; ``refresh`` runs it again)."""
    key = cache_key(revision)
    cached = None if refresh else cache.get(key)
    if cached is not None:
        return CheckReport.from_dict(cached)
    report = check_mail(Mail.from_message(sample_message(revision)), revision_id=revision.pk)
    cache.set(key, report.as_dict(), CACHE_SECONDS)
    return report
