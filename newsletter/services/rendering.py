"""An issue's mail: its blocks rendered once, then per recipient only the name and links filled in.

``prepare`` renders the StreamField into the mail's HTML (table layout,
inline styles, absolute URLs, renditions) and its plain text, with markers
where a recipient's name and links go; ``PreparedIssue.for_recipient`` only
replaces the markers (escaped in the HTML). A marker is a NUL-delimited
name: PostgreSQL stores no NUL in a text column, so no editor's text can
contain one. Sending to 10,000 subscribers renders the blocks once per
worker and revision (``prepared_revision``).
"""

import functools
import re
from dataclasses import dataclass
from email.utils import formataddr, parseaddr
from html.parser import HTMLParser

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail.models import Revision
from wagtail.rich_text import expand_db_html

from campaigns.services.rendering import Content, dutch_date, refuse_line_breaks, unsubscribe_headers
from newsletter import links as newsletter_links
from newsletter.services import plain_text
from newsletter.services.plain_text import absolute, mail_href

SENDER_NAME = "Zorg en Welzijn"
CONTENT_WIDTH = 552
MARKER = re.compile("\x00([a-z_]+)\x00")
FONT = "font-family:Arial, Helvetica, sans-serif;"
LINK_STYLE = "color:#0b4f5c; text-decoration:underline;"
RICH_TEXT_STYLES = {
    "p": "margin:0 0 16px;",
    "h2": f"margin:24px 0 12px; {FONT} font-size:22px; line-height:1.3; font-weight:bold;",
    "h3": f"margin:20px 0 8px; {FONT} font-size:18px; line-height:1.3; font-weight:bold;",
    "ul": "margin:0 0 16px; padding:0 0 0 24px;",
    "ol": "margin:0 0 16px; padding:0 0 0 24px;",
    "li": "margin:0 0 6px;",
    "a": LINK_STYLE,
    "b": "",
    "strong": "",
    "i": "",
    "em": "",
}
VOID_TAGS = {"br"}
# Elements whose content is no text for the reader.
SKIPPED_CONTENT = {"script", "style"}


@dataclass(frozen=True)
class MailLinks:
    web_version: str
    preferences: str
    unsubscribe: str


def marker(name):
    return f"\x00{name}\x00"


def greeting(name):
    return f"Beste {name}," if name else "Beste lezer,"


@dataclass(frozen=True)
class PreparedIssue:
    """The rendered mail of one issue with a gap per recipient value; cheap to fill in."""

    subject: str
    html: str
    text: str

    def for_recipient(self, name, links):
        values = {
            "greeting": greeting(name),
            "web_version": links.web_version,
            "preferences": links.preferences,
            "unsubscribe": links.unsubscribe,
        }
        return Content(
            subject=self.subject,
            text=MARKER.sub(lambda match: values[match.group(1)], self.text),
            html=MARKER.sub(lambda match: escape(values[match.group(1)]), self.html),
        )


class _MailRichText(HTMLParser):
    """Rich text as Wagtail expands it, re-written for mail: inline styles, absolute links, nothing else kept.

    A link whose address no mail may carry (``javascript:``) keeps its text and loses the link.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.skipping = 0
        self.dropped_link = False

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_CONTENT:
            self.skipping += 1
        elif tag in VOID_TAGS:
            self.out.append("<br>")
        elif tag in RICH_TEXT_STYLES:
            href = dict(attrs).get("href") if tag == "a" else None
            if href and not mail_href(href):
                self.dropped_link = True
                return
            attributes = f' href="{escape(mail_href(href))}"' if href else ""
            style = RICH_TEXT_STYLES[tag]
            self.out.append(f"<{tag}{attributes}" + (f' style="{style}"' if style else "") + ">")

    def handle_endtag(self, tag):
        if tag in SKIPPED_CONTENT:
            self.skipping = max(0, self.skipping - 1)
        elif tag == "a" and self.dropped_link:
            self.dropped_link = False
        elif tag in RICH_TEXT_STYLES:
            self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if not self.skipping:
            self.out.append(escape(data))


def mail_rich_text(value):
    parser = _MailRichText()
    parser.feed(expand_db_html(value.source))
    parser.close()
    return mark_safe("".join(parser.out))


def mail_image(image, spec, alt):
    """A rendition at twice the shown size, shown at the content width: sharp on phones, small enough."""
    rendition = image.get_rendition(spec)
    width = min(CONTENT_WIDTH, rendition.width // 2 or rendition.width)
    height = round(rendition.height * width / rendition.width)
    return {"url": absolute(rendition.url), "width": width, "height": height, "alt": alt}


def page_url(page):
    return absolute(page.get_url() or page.full_url or "")


def call_deadline(call):
    if not call.is_open:
        return "Deze oproep is gesloten."
    if call.deadline:
        return f"Reageren kan tot {dutch_date(call.deadline)}"
    return "Deze oproep heeft geen sluitingsdatum."


def teaser_image(image, alt):
    return mail_image(image, "fill-1104x620", image.default_alt_text or alt) if image else None


def text_section(value):
    return {"html": mail_rich_text(value)}, plain_text.rich_text(value)


def image_section(value):
    context = {"image": mail_image(value["image"], "width-1104", value["alt_text"]), "caption": value["caption"]}
    text = f"[Afbeelding: {value['alt_text']}]" + (f"\n{value['caption']}" if value["caption"] else "")
    return context, text


def call_to_action_section(value):
    url = page_url(value["page"]) if value["page"] else mail_href(value["url"])
    if not url:
        return None
    return {"text": value["text"], "url": url}, plain_text.link_line(value["text"], url)


def page_teaser_section(value):
    page = value["page"]
    if page is None or not page.live:
        return None
    page = page.specific
    is_call = hasattr(page, "deadline")
    deadline = call_deadline(page) if is_call else ""
    context = {
        "title": page.title,
        "summary": page.intro,
        "url": page_url(page),
        "image": teaser_image(getattr(page, "listing_image", None), page.title),
        "deadline": deadline,
        "button": "Reageer op de oproep" if is_call and page.is_open else "Lees verder",
    }
    text = plain_text.teaser(page.title, page.intro, context["url"], [deadline] if deadline else [])
    return context, text


def persona_teaser_section(value):
    persona = value["persona"]
    if persona is None:
        return None
    url = absolute(reverse("persona_download", args=[persona.pk]))
    title = f"{persona.name} ({persona.condition})"
    context = {
        "title": title,
        "summary": persona.summary,
        "url": url,
        "image": mail_image(persona.image, "fill-320x320", persona.image.default_alt_text) if persona.image else None,
        "button": f"Download persona {persona.name}",
    }
    text = "\n".join([plain_text.heading(title, "h3"), plain_text.wrap(persona.summary), f"Download de persona: {url}"])
    return context, text


SECTIONS = {
    "text": text_section,
    "image": image_section,
    "call_to_action": call_to_action_section,
    "page_teaser": page_teaser_section,
    "persona_teaser": persona_teaser_section,
}


def sections(issue_page):
    """Each block as (mail HTML, plain text), from one pass over the block values."""
    for block in issue_page.body:
        section = SECTIONS[block.block_type](block.value)
        if section is None:
            continue
        context, text = section
        yield render_to_string(f"mail/newsletter/{block.block_type}.html", context), text


def sender_identity():
    return settings.NEWSLETTER_SENDER_IDENTITY


def prepare(issue_page):
    """Render the issue's blocks once: the mail's HTML and plain text with gaps for each recipient."""
    rendered = list(sections(issue_page))
    links = MailLinks(**{name: marker(name) for name in ("web_version", "preferences", "unsubscribe")})
    context = {
        "page": issue_page,
        "subject": issue_page.subject,
        "preheader": issue_page.preheader,
        "greeting": marker("greeting"),
        "sections": [mark_safe(html) for html, _ in rendered],
        "links": links,
        "sender_name": SENDER_NAME,
        "sender_identity": sender_identity(),
    }
    text = plain_text.issue(
        title=issue_page.title,
        greeting=marker("greeting"),
        intro=issue_page.intro,
        sections=[text for _, text in rendered],
        links=links,
        sender_identity=sender_identity(),
    )
    return PreparedIssue(
        subject=issue_page.subject, html=render_to_string("mail/newsletter_issue.html", context), text=text
    )


@functools.lru_cache(maxsize=16)
def prepared_revision(revision_id):
    """The prepared mail of one saved revision; a revision never changes, so a worker may keep it."""
    return prepare(Revision.objects.get(pk=revision_id).as_object())


def sample_links(issue_page):
    """The links of previews and test mails: pages that say so, and change nobody's subscription."""
    return MailLinks(
        web_version=page_url(issue_page) if issue_page.pk and issue_page.live else f"{settings.SITE_URL}/nieuwsbrief/",
        preferences=newsletter_links.sample_preferences_link(),
        unsubscribe=newsletter_links.sample_unsubscribe_link(),
    )


def sender_domain():
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"


def list_id(topic):
    """RFC 2919: "<Topic name> <slug.newsletter.domain>", one list per topic."""
    refuse_line_breaks(topic.name, "De naam van het onderwerp")
    return formataddr((topic.name, f"{topic.slug}.newsletter.{sender_domain()}"))


def build_email(prepared, *, to_email, to_name, links, topics, message_id=None):
    """The mail of one issue for one recipient, also for test mails (with ``sample_links``).

    Raises ValueError with a Dutch message when a header would break (a line
    break in the subject, the recipient's name or a topic's name).
    """
    refuse_line_breaks(to_name, "De naam van de ontvanger")
    refuse_line_breaks(prepared.subject, "Het onderwerp")
    content = prepared.for_recipient(to_name, links)
    headers = unsubscribe_headers(links.unsubscribe)
    topics = list(topics)
    if topics:
        headers["List-Id"] = list_id(topics[0])
    if message_id:
        headers["Message-ID"] = message_id
    message = EmailMultiAlternatives(
        subject=content.subject,
        body=content.text,
        from_email=formataddr((SENDER_NAME, parseaddr(settings.DEFAULT_FROM_EMAIL)[1])),
        to=[formataddr((to_name, to_email))],
        headers=headers,
    )
    message.attach_alternative(content.html, "text/html")
    # anymail passes these to the ESP; off unless the organisation turned tracking on.
    message.track_opens = message.track_clicks = settings.CAMPAIGNS_TRACK_OPENS_AND_CLICKS
    return message
