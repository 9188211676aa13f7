"""What a campaign mail looks like to its recipient."""

import datetime
import re
from email.utils import formataddr

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaigns.admin_views.forms import initial_from_call
from campaigns.models import Recipient
from campaigns.services import sending
from campaigns.services.launch import frozen_recipient, launch
from campaigns.services.rendering import (
    as_html,
    base_message,
    build_email,
    deadline_text,
    personal_link,
    prepare,
    refuse_line_breaks,
    render_content,
    reply_to,
    unsubscribe_headers,
    unsubscribe_link,
)
from campaigns.tokens import find_recipient

pytestmark = pytest.mark.django_db


@pytest.fixture
def recipient(campaign, make_contacts):
    contact = make_contacts(1, name="Anna de Vries")[0]
    recipient = frozen_recipient(campaign, contact)
    recipient.save()
    return recipient


@pytest.fixture
def launched_campaign(campaign, make_contacts):
    make_contacts(4)
    launch(campaign)
    return campaign


def html_of(message):
    return message.alternatives[0][0]


def test_placeholders_are_filled_and_the_personal_link_finds_the_recipient(campaign, recipient):
    campaign.call_page.deadline = timezone.make_aware(datetime.datetime(2030, 3, 5, 17, 0))
    message = build_email(campaign, "Oproep voor {naam}", campaign.invitation_body, recipient)

    assert message.subject == "Oproep voor Anna de Vries"
    assert "Beste Anna de Vries," in message.body
    assert f"namens {recipient.organisation_name}" in message.body
    assert "tot 5 maart 2030, 17:00 uur" in message.body
    link = personal_link(recipient)
    assert message.body.count(link) == 1 and link in html_of(message)
    token = re.search(r"/reageren/([^/]+)/", link).group(1)
    assert find_recipient(token) == recipient


def test_unknown_and_broken_placeholders_are_shown_as_written(campaign, recipient):
    body = "Beste {naam}, kosten {bedrag} of {0} en {naam en }} {"
    message = build_email(campaign, "Vraag {onbekend}", body, recipient)

    assert message.subject == "Vraag {onbekend}"
    assert "Beste Anna de Vries, kosten {bedrag} of {0} en {naam en }} {" in message.body
    assert "{bedrag}" in html_of(message)


def test_every_mail_has_sender_reply_to_and_one_click_unsubscribe(campaign, recipient, settings):
    settings.DEFAULT_FROM_EMAIL = "Zorg en Welzijn <noreply@example.org>"
    campaign.sender_name = "Team Oproepen"
    campaign.reply_to = "oproepen@example.org"
    message = build_email(campaign, "Onderwerp", "Tekst", recipient, message_id="<campaign-1.delivery-7@example.org>")
    sent = message.message()

    assert sent["From"] == "Team Oproepen <noreply@example.org>"
    assert sent["Reply-To"] == "oproepen@example.org"
    assert sent["To"] == "Anna de Vries <" + recipient.email + ">"
    assert sent["List-Unsubscribe"] == f"<{unsubscribe_link(recipient)}>"
    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert sent["Message-ID"] == "<campaign-1.delivery-7@example.org>"
    assert unsubscribe_link(recipient).startswith(settings.SITE_URL + "/afmelden/")


def test_without_a_reply_to_answers_go_to_the_calls_contact_person(campaign, recipient):
    campaign.reply_to = ""

    sent = build_email(campaign, "Onderwerp", "Tekst", recipient).message()

    assert sent["Reply-To"] == campaign.call_page.contact_person.email


def test_html_part_is_dutch_small_table_based_and_links_are_absolute(campaign, recipient, settings):
    message = build_email(campaign, campaign.invitation_subject, campaign.invitation_body, recipient)
    html = html_of(message)

    assert '<html lang="nl">' in html
    assert "<table" in html and "<style" not in html
    assert len(html.encode()) < 100 * 1024
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert hrefs and all(href.startswith(settings.SITE_URL) for href in hrefs)
    assert message.alternatives[0][1] == "text/html"


def test_names_are_escaped_in_html(campaign, recipient):
    recipient.name = "<b>Jan</b> & Co"
    html = html_of(build_email(campaign, "Onderwerp", "Beste {naam}", recipient))

    assert "&lt;b&gt;Jan&lt;/b&gt; &amp; Co" in html
    assert "<b>Jan</b>" not in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("subject", "Hallo\nBcc: iedereen@example.org", "Het onderwerp mag geen regeleinde bevatten."),
        ("sender_name", "Team\r\nBcc: x@example.org", "De naam van de afzender mag geen regeleinde bevatten."),
        ("name", "Anna\nBcc: x@example.org", "De naam van de ontvanger mag geen regeleinde bevatten."),
    ],
)
def test_header_injection_is_refused(campaign, recipient, field, value, message):
    subject = value if field == "subject" else "Onderwerp"
    if field == "sender_name":
        campaign.sender_name = value
    if field == "name":
        recipient.name = value
    with pytest.raises(ValueError, match=message):
        build_email(campaign, subject, "Tekst", recipient)


def test_preview_for_an_unsaved_recipient_uses_the_given_link(campaign):
    preview = Recipient(campaign=campaign, email="test@example.org", name="Voorbeeld", organisation_name="Netwerk X")
    link = "https://example.org/voorbeeld/"
    message = build_email(campaign, "{naam}", "{organisatie}: {link}", preview, link_url=link)

    assert message.subject == "Voorbeeld"
    assert "Netwerk X: https://example.org/voorbeeld/" in message.body


def test_no_deadline_reads_as_the_close_of_the_call(campaign, recipient):
    campaign.call_page.deadline = None
    assert "tot de sluiting van de oproep" in build_email(campaign, "x", "tot {deadline}", recipient).body


DOUBLED_OPROEP = re.compile(r"\boproep\W+oproep\b", re.IGNORECASE)


@pytest.mark.parametrize(
    "title, button",
    [
        ("Oproep: respijtzorg in de wijk", "Reageer op de oproep ‘respijtzorg in de wijk’"),
        (
            "Oproep nieuwe initiatieven voor project Zorg en Welzijn",
            "Reageer op de oproep ‘nieuwe initiatieven voor project Zorg en Welzijn’",
        ),
        ("Respijtzorg in de wijk", "Reageer op de oproep ‘Respijtzorg in de wijk’"),
    ],
)
def test_the_invitation_says_oproep_once_whatever_the_call_title(campaign, recipient, title, button):
    campaign.call_page.title = title
    defaults = initial_from_call(campaign.call_page)

    message = build_email(campaign, defaults["invitation_subject"], defaults["invitation_body"], recipient)

    soup = BeautifulSoup(html_of(message), "html.parser")
    [link] = [a for a in soup.find_all("a") if a["href"] == personal_link(recipient) and a.get_text() != a["href"]]
    assert link.get_text() == button
    for text in (soup.get_text(" "), message.body, message.subject):
        assert not DOUBLED_OPROEP.search(text), text


PIECES = ["{naam}", "{organisatie}", "{link}", "{deadline}", "{naam en }", "{", "}", "\n", "\n\n", "\r\n", " \n ", "  ",
          "&", "<b>", "'", '"', "Beste", "tekst", "é", "\t", "\x00"]
TEXTS = st.lists(st.sampled_from(PIECES) | st.text(max_size=5), max_size=12).map("".join)


def from_scratch(campaign, subject, body, recipient):
    """A recipient's mail rendered whole, placeholders filled before the templates run."""
    refuse_line_breaks(recipient.name, "De naam van de ontvanger")
    values = {
        "naam": recipient.name,
        "organisatie": recipient.organisation_name or "",
        "link": personal_link(recipient),
        "deadline": deadline_text(campaign),
    }
    unsubscribe_url = unsubscribe_link(recipient)
    content = render_content(campaign, subject, body, values, as_html(values), unsubscribe_url)
    to = [formataddr((recipient.name, recipient.email))]
    return base_message(campaign, content, to, unsubscribe_headers(unsubscribe_url), reply_to(campaign))


def outcome(make):
    try:
        mail = make()
    except ValueError as error:
        return ("refused", str(error))
    return (mail.subject, mail.body, mail.alternatives, mail.from_email, mail.to, mail.reply_to, mail.extra_headers)


def test_a_mail_from_the_prepared_message_is_the_one_rendered_from_scratch(campaign, recipient):
    """Each recipient's subject, text and HTML, filled into the message rendered once, equal the whole rendering."""

    @settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        subject=TEXTS,
        body=TEXTS,
        people=st.lists(st.tuples(TEXTS, TEXTS), min_size=1, max_size=3),
        deadline=st.sampled_from([None, timezone.make_aware(datetime.datetime(2030, 3, 5, 17, 0))]),
    )
    def check(subject, body, people, deadline):
        campaign.call_page.deadline = deadline
        prepared = prepare(campaign, subject, body)
        for name, organisation in people:
            recipient.name, recipient.organisation_name = name, organisation
            reused = outcome(lambda: prepared.email_for(recipient))
            whole = outcome(lambda: from_scratch(campaign, subject, body, recipient))
            assert reused == whole

    check()


def test_a_batch_renders_its_message_once_and_gives_every_recipient_their_own_links(launched_campaign):
    deliveries = sending.sendable(sending.claim_batch())
    mails = [sending.build(delivery) for delivery in deliveries]

    assert len({id(delivery.message) for delivery in deliveries}) == 1
    for delivery, mail in zip(deliveries, mails):
        assert personal_link(delivery.recipient) in mail.body
        assert unsubscribe_link(delivery.recipient) in mail.body
        assert mail.to == [formataddr((delivery.recipient.name, delivery.recipient.email))]
        message = delivery.message
        whole = from_scratch(message.campaign, message.subject, message.body, delivery.recipient)
        assert (mail.subject, mail.body, mail.alternatives) == (whole.subject, whole.body, whole.alternatives)
