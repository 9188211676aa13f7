"""The plain-text part of an issue, built from the block values (never from the mail's HTML).

Headings are underlined, lists keep their bullets or numbers, links are
written out as "tekst (https://...)", teasers carry their URL and a call its
deadline. The result is text: whoever shows it in a page must escape it.
"""

import textwrap
from html.parser import HTMLParser

from django.conf import settings
from wagtail.rich_text import expand_db_html
from wagtail.whitelist import check_url

WIDTH = 72
UNDERLINES = {"h2": "=", "h3": "-"}


def absolute(url):
    """Every link in a mail is absolute: a relative page link becomes one on SITE_URL."""
    return f"{settings.SITE_URL}{url}" if url.startswith("/") else url


def mail_href(url):
    """The absolute address a mail may link to, or "" for a scheme it may not (``javascript:``, ``data:``)."""
    return absolute(url) if url and check_url(url) else ""


def wrap(text, indent="", first_indent=None):
    """Wrap a paragraph without breaking URLs or hyphenated words."""
    return textwrap.fill(
        " ".join(text.split()),
        width=WIDTH,
        initial_indent=indent if first_indent is None else first_indent,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def heading(text, level="h2"):
    text = " ".join(text.split())
    return f"{text}\n{UNDERLINES.get(level, '-') * len(text)}"


class _RichTextToText(HTMLParser):
    """Rich text (as Wagtail expands it) to paragraphs of text, one list item per line."""

    BLOCKS = {"p", "h2", "h3", "h4", "li"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []
        self.lists = []
        self.list_count = 0
        self.current = []
        self.href = None
        self.link_text = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self._flush()
        if tag in ("ul", "ol"):
            self._flush()
            self.list_count += 1
            self.lists.append([tag, 0, self.list_count])
        elif tag == "li" and self.lists:
            self.lists[-1][1] += 1
        elif tag == "a":
            self.href = mail_href(dict(attrs).get("href") or "")
            self.link_text = []
        elif tag == "br":
            self.current.append("\n")

    def handle_endtag(self, tag):
        if tag == "a" and self.href is not None:
            text = "".join(self.link_text).strip()
            if self.href and self.href != text:
                self.current.append(f" ({self.href})")
            self.href = None
        elif tag in ("ul", "ol") and self.lists:
            self._flush()
            self.lists.pop()
        elif tag in self.BLOCKS:
            self._flush(tag)

    def handle_data(self, data):
        self.current.append(data)
        if self.href is not None:
            self.link_text.append(data)

    def _flush(self, tag="p"):
        text = "".join(self.current).strip()
        self.current = []
        if not text:
            return
        if tag in UNDERLINES or tag == "h4":
            self.blocks.append(heading(text, tag))
        elif tag == "li" and self.lists:
            kind, number, serial = self.lists[-1]
            marker = f"{number}. " if kind == "ol" else "- "
            indent = "  " * (len(self.lists) - 1)
            self.blocks.append((serial, wrap(text, indent + " " * len(marker), indent + marker)))
        else:
            self.blocks.append("\n".join(wrap(line) for line in text.split("\n")))

    def text(self):
        self._flush()
        lines = []
        previous_list = None
        for block in self.blocks:
            # A list item is (number of its list, text): items of one list follow each other line by line.
            current_list, value = block if isinstance(block, tuple) else (None, block)
            if lines:
                lines.append("\n" if current_list is not None and current_list == previous_list else "\n\n")
            lines.append(value)
            previous_list = current_list
        return "".join(lines)


def rich_text(value):
    """A rich text block value (``RichText``) as plain text."""
    parser = _RichTextToText()
    parser.feed(expand_db_html(value.source))
    parser.close()
    return parser.text()


def link_line(text, url):
    return f"{text}: {url}"


def teaser(title, summary, url, extra_lines=()):
    parts = [heading(title, "h3")]
    if summary:
        parts.append(wrap(summary))
    parts.extend(extra_lines)
    parts.append(link_line("Lees verder", url))
    return "\n".join(parts)


def footer(links, sender_identity):
    """The same footer as the mail's HTML: web version, preferences, unsubscribe and who sends it."""
    return "\n".join(
        [
            "--",
            "U ontvangt deze nieuwsbrief omdat u zich ervoor heeft aangemeld.",
            link_line("Bekijk deze nieuwsbrief in uw browser", links.web_version),
            link_line("Onderwerpen of naam wijzigen", links.preferences),
            link_line("Afmelden", links.unsubscribe),
            "",
            sender_identity,
        ]
    )


def issue(*, title, greeting, intro, sections, links, sender_identity):
    """The whole text part: title, greeting, intro, each section's text, footer."""
    parts = [heading(title, "h2"), greeting]
    if intro:
        parts.append(wrap(intro))
    parts.extend(section for section in sections if section)
    parts.append(footer(links, sender_identity))
    return "\n\n".join(parts) + "\n"
