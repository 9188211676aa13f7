"""Campaign mails: placeholders, personal and unsubscribe links, and the message itself.

Editors write subject and body as plain text with the placeholders {naam},
{organisatie}, {link} and {deadline}. Anything else in braces, including a
broken or unknown placeholder, is shown as written. The body becomes a plain
text part and an HTML part (table layout, inline CSS, absolute URLs).
"""

import functools
import json
import re
from dataclasses import dataclass
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from campaigns import tokens

PLACEHOLDER_PATTERN = re.compile(r"\{(naam|organisatie|link|deadline)\}")
NO_DEADLINE = "de sluiting van de oproep"
# The metadata key under which an ESP's SMTP relay returns our Message-ID (see ``relay_metadata_headers``).
RELAY_METADATA_KEY = "message-id"


@dataclass(frozen=True)
class Content:
    subject: str
    text: str
    html: str


def personal_link(recipient):
    """The absolute URL of the recipient's personal response link."""
    return f"{settings.SITE_URL}/reageren/{tokens.recipient_token(recipient, tokens.RESPOND)}/"


def unsubscribe_link(recipient):
    """The absolute URL where the recipient stops campaign mailings to their address."""
    return f"{settings.SITE_URL}/afmelden/{tokens.recipient_token(recipient, tokens.UNSUBSCRIBE)}/"


def sample_unsubscribe_link():
    """The unsubscribe link of previews and test mails: a page that says so, and unsubscribes nobody."""
    return f"{settings.SITE_URL}/afmelden/{tokens.SAMPLE}/"


def dutch_date(value):
    """"5 maart 2030, 17:00 uur": the deadline as the call page shows it."""
    with translation.override("nl"):
        return formats.date_format(timezone.localtime(value), r"j F Y, H:i \u\u\r")


def deadline_text(campaign):
    deadline = campaign.call_page.deadline
    return dutch_date(deadline) if deadline else NO_DEADLINE


def fill_placeholders(text, values):
    """``text`` with every known placeholder replaced; anything else stays as written."""
    return PLACEHOLDER_PATTERN.sub(lambda match: values[match.group(1)], text)


def html_paragraphs(body, html_values):
    """The body as a list of safe HTML paragraphs; ``html_values`` are already HTML."""
    paragraphs = []
    for paragraph in re.split(r"\n\s*\n", body.strip()):
        pieces = PLACEHOLDER_PATTERN.split(paragraph)
        html = "".join(html_values[piece] if index % 2 else escape(piece) for index, piece in enumerate(pieces))
        paragraphs.append(mark_safe(html.replace("\n", "<br>\n")))
    return paragraphs


LINK_STYLE = "color:#0b4f5c; text-decoration:underline; word-break:break-all;"


def link_html(url):
    return anchor_html(escape(url))


def anchor_html(escaped_url):
    """The personal link as the mail shows it, from its URL already escaped for HTML."""
    return f'<a href="{escaped_url}" style="{LINK_STYLE}">{escaped_url}</a>'


def text_part(template_name, context):
    """A plain-text part as a plain ``str``.

    Text templates render with autoescape off, and Django marks the result
    safe; a text part is text, so any HTML page that shows it must escape it.
    """
    return str.__str__(render_to_string(template_name, context))


def refuse_line_breaks(value, what):
    if "\n" in value or "\r" in value:
        raise ValueError(f"{what} mag geen regeleinde bevatten.")


def render_content(campaign, subject, body, values, html_values, unsubscribe_url):
    """Subject, plain text and HTML for one recipient, or for a batch when the values are merge fields."""
    body = body.replace("\r\n", "\n")
    subject = fill_placeholders(subject, values)
    refuse_line_breaks(subject, "Het onderwerp")
    context = {
        "campaign": campaign,
        "call_title": campaign.call_page.title,
        "subject": subject,
        "text_body": fill_placeholders(body, values).strip(),
        "paragraphs": html_paragraphs(body, html_values),
        "link_url": mark_safe(html_values["link_url"]),
        "unsubscribe_url": unsubscribe_url,
    }
    return Content(
        subject=subject,
        text=text_part("mail/campaign_message.txt", context),
        html=render_to_string("mail/campaign_message.html", context),
    )


def sender_address(campaign):
    return _sender_address(campaign.sender_name, settings.DEFAULT_FROM_EMAIL)


@functools.lru_cache(maxsize=64)
def _sender_address(name, default_from):
    refuse_line_breaks(name, "De naam van de afzender")
    return formataddr((name, parseaddr(default_from)[1]))


def sender_domain():
    return _domain_of(settings.DEFAULT_FROM_EMAIL)


@functools.lru_cache(maxsize=8)
def _domain_of(default_from):
    return parseaddr(default_from)[1].rpartition("@")[2] or "localhost"


def delivery_message_id(delivery):
    """A Message-ID that is the same for every attempt of one delivery and shows no internal number."""
    return f"<{delivery.message_id_key}@{sender_domain()}>"


def relay_metadata_headers(message_id):
    """Headers that make ESPs' SMTP relays return our Message-ID with their events, as custom metadata.

    Mailgun reports the Message-ID itself; Postmark puts its own id in its
    events but returns ``X-PM-Metadata-*`` headers as ``Metadata``, Brevo
    returns ``X-Mailin-custom`` (JSON, as anymail reads it). Other mail
    servers pass them on; they show nothing the Message-ID does not.
    """
    return {
        f"X-PM-Metadata-{RELAY_METADATA_KEY}": message_id,
        "X-Mailin-custom": json.dumps({RELAY_METADATA_KEY: message_id}),
    }


def unsubscribe_headers(unsubscribe_url):
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def as_html(values):
    html_values = {key: escape(value) for key, value in values.items()}
    html_values["link"] = link_html(values["link"])
    html_values["link_url"] = escape(values["link"])
    return html_values


def reply_to(campaign):
    """Where answers to the mail go: the campaign's reply-to, else the call's contact person."""
    contact = campaign.call_page.contact_person
    address = campaign.reply_to or (contact.email if contact else "")
    return [address] if address else None


def base_message(campaign, content, to, headers, reply_to_addresses):
    message = EmailMultiAlternatives(
        subject=content.subject,
        body=content.text,
        from_email=sender_address(campaign),
        to=to,
        reply_to=reply_to_addresses,
        headers=headers,
    )
    message.attach_alternative(content.html, "text/html")
    # anymail passes these to the ESP; off unless the organisation turned tracking on.
    message.track_opens = message.track_clicks = settings.CAMPAIGNS_TRACK_OPENS_AND_CLICKS
    return message


def build_email(campaign, subject, body, recipient, *, link_url=None, unsubscribe_url=None, message_id=None):
    """The mail for one recipient (also for previews and test sends: ``recipient`` may be unsaved).

    Raises ValueError with a Dutch message when a header would break (a line
    break in the subject, the sender's or the recipient's name).
    """
    return prepare(campaign, subject, body).email_for(
        recipient, link_url=link_url, unsubscribe_url=unsubscribe_url, message_id=message_id
    )


def marker(name):
    """A gap in a prepared mail. NUL cannot be stored in PostgreSQL's text, so no editor's text holds one."""
    return f"\x00{name}\x00"


MARKER = re.compile("\x00([a-z_]+)\x00")


def prepare(campaign, subject, body):
    """A message's mail rendered once, with gaps for what differs per recipient (``PreparedMail``)."""
    body = body.replace("\r\n", "\n")
    deadline = deadline_text(campaign)
    static = (subject, body, campaign.call_page.title, campaign.sender_name)
    if any("\x00" in text for text in static):
        return PreparedMail(campaign, subject, body, deadline, frames=None)
    values = {"naam": marker("naam"), "organisatie": marker("organisatie"), "link": marker("link"), "deadline": deadline}
    paragraph_values = {
        "naam": marker("p_naam"),
        "organisatie": marker("p_organisatie"),
        "link": marker("p_link"),
        "deadline": escape(deadline),
    }
    context = {
        "campaign": campaign,
        "call_title": campaign.call_page.title,
        "subject": fill_placeholders(subject, values),
        "text_body": marker("text_body"),
        "paragraphs": html_paragraphs(body, paragraph_values),
        "link_url": mark_safe(marker("link_url")),
        "unsubscribe_url": marker("unsubscribe_url"),
    }
    frames = (text_part("mail/campaign_message.txt", context), render_to_string("mail/campaign_message.html", context))
    return PreparedMail(campaign, subject, body, deadline, frames=frames)


class PreparedMail:
    """One message's subject, text and HTML with gaps; ``email_for`` fills in one recipient's values.

    The result is the very mail ``render_content`` makes from scratch: the
    text gets the body filled in and stripped, the HTML each value escaped as
    the template would (and a line break in a paragraph as ``<br>``). The
    deadline, the call's title, the sender and the reply-to are the same for
    every recipient and are worked out once. ``frames`` is None when an
    editor's text holds a NUL (possible on SQLite only): then every mail is
    rendered from scratch.
    """

    def __init__(self, campaign, subject, body, deadline, frames):
        self.campaign = campaign
        self.subject = subject
        self.body = body
        self.deadline = deadline
        self.frames = frames
        self.reply_to = reply_to(campaign)

    def email_for(self, recipient, *, link_url=None, unsubscribe_url=None, message_id=None):
        refuse_line_breaks(recipient.name, "De naam van de ontvanger")
        link = link_url or personal_link(recipient)
        unsubscribe_url = unsubscribe_url or unsubscribe_link(recipient)
        values = {"naam": recipient.name, "organisatie": recipient.organisation_name or "", "link": link, "deadline": self.deadline}
        content = self.content(values, unsubscribe_url)
        headers = unsubscribe_headers(unsubscribe_url)
        if message_id:
            headers["Message-ID"] = message_id
        return base_message(self.campaign, content, [formataddr((recipient.name, recipient.email))], headers, self.reply_to)

    def content(self, values, unsubscribe_url):
        if self.frames is None:
            return render_content(self.campaign, self.subject, self.body, values, as_html(values), unsubscribe_url)
        subject = fill_placeholders(self.subject, values)
        refuse_line_breaks(subject, "Het onderwerp")
        text_values = {"text_body": fill_placeholders(self.body, values).strip(), "unsubscribe_url": unsubscribe_url}
        escaped = {key: escape(values[key]) for key in ("naam", "organisatie", "link")}
        in_paragraph = {**escaped, "link": link_html(values["link"])}
        html_values = {
            **escaped,
            **{f"p_{key}": value.replace("\n", "<br>\n") for key, value in in_paragraph.items()},
            "link_url": escaped["link"],
            "unsubscribe_url": escape(unsubscribe_url),
        }
        text, html = self.frames
        return Content(
            subject=subject,
            text=MARKER.sub(lambda match: text_values[match.group(1)], text),
            html=MARKER.sub(lambda match: html_values[match.group(1)], html),
        )


def build_batch_email(campaign, subject, body, recipients, merge_field):
    """One mail for many recipients, for an ESP that substitutes per-recipient merge fields.

    ``merge_field`` formats a field name into the ESP's syntax (Mailgun:
    ``"%recipient.{}%"``). Returns the message with ``merge_data`` and
    ``merge_headers`` set, keyed by address. Only what differs per recipient
    is a merge field: the deadline is written into the mail itself and the
    link's HTML is built around its escaped URL, so each recipient's share of
    the API call is small (the ESP path is bound by encoding it).
    """
    deadline = deadline_text(campaign)
    values = {name: merge_field.format(name) for name in ("naam", "organisatie", "link")}
    values["deadline"] = deadline
    html_values = {name: merge_field.format(f"{name}_html") for name in ("naam", "organisatie")}
    html_values["link_url"] = merge_field.format("link_url")
    html_values["link"] = anchor_html(html_values["link_url"])
    html_values["deadline"] = escape(deadline)
    content = render_content(campaign, subject, body, values, html_values, merge_field.format("unsubscribe"))
    merge_data = {}
    merge_headers = {}
    for recipient in recipients:
        refuse_line_breaks(recipient.name, "De naam van de ontvanger")
        link = personal_link(recipient)
        organisation = recipient.organisation_name or ""
        unsubscribe_url = unsubscribe_link(recipient)
        merge_data[recipient.email] = {
            "naam": recipient.name,
            "organisatie": organisation,
            "link": link,
            "naam_html": escape(recipient.name),
            "organisatie_html": escape(organisation),
            "link_url": escape(link),
            "unsubscribe": unsubscribe_url,
        }
        merge_headers[recipient.email] = unsubscribe_headers(unsubscribe_url)
    message = base_message(campaign, content, [recipient.email for recipient in recipients], {}, reply_to(campaign))
    message.merge_data = merge_data
    message.merge_headers = merge_headers
    return message
