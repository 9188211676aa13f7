"""Hypothesis fuzzing of every public URL: never a 5xx, never a stored record from an invalid post.

Each test builds its data once with fixtures and runs hypothesis on an inner
function, every example inside a rolled-back savepoint (``rolled_back``), so
every example starts from the rows ``before`` holds. Whether a post was valid
is decided by the call's own form class, bound to what the view read from the
post. ``FUZZ_EXAMPLES`` sets the examples per test (300).
"""

import base64
import json
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.http import QueryDict
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.utils import timezone, translation
from django.utils.html import escape
from hypothesis import example, given, note, settings
from hypothesis import strategies as st

from campaigns.factories import CampaignFactory, ContactFactory
from campaigns.models import Campaign, Delivery, Recipient, Suppression
from campaigns.services.answers import save_answer
from campaigns.services.launch import launch
from campaigns.tokens import SAMPLE, UNSUBSCRIBE, new_nonce, recipient_token, token_hashes
from cms.factories import (
    ArticlePageFactory,
    CallForInputPageFactory,
    ContactPersonFactory,
    DocumentFactory,
    PersonaFactory,
    StandardPageFactory,
)
from cms.models import ExampleIndexPage, ExamplePage
from newsletter.factories import (
    ConsentTextFactory,
    NewsletterIndexPageFactory,
    NewsletterIssuePageFactory,
    SubscriberFactory,
    TopicFactory,
)
from newsletter.forms import SignupForm
from newsletter.models import ConsentRecord, ConsentText, Subscriber
from newsletter.services.subscriptions import sign_up
from newsletter.tokens import confirmation_token, preferences_token
from tests.campaigns import mailgun_events

from .fuzz_strategies import (
    EXAMPLES,
    FUZZ,
    content_types,
    form_posts,
    garbage_tokens,
    hostile_text,
    json_body,
    json_values,
    mutated,
    near_tokens,
    raw_bodies,
    rolled_back,
    stored_rows,
    url_segment,
    without_rows_of,
)

VALID_ANSWERS = {
    "naam": "Sanne Bakker",
    "e_mailadres": "sanne@example.org",
    "organisatie": "Gemeente Tielburg",
    "soort_organisatie": "Gemeente",
    "beschrijving_van_het_initiatief": "Het wijkteam en het netwerk ondersteunen samen mantelzorgers.",
    "startdatum": "1-3-2027",
    "publication_consent": "on",
    "website": "",
}
# What a person sees when something they typed is wrong, and when Django could not read the post at all.
ERROR_SUMMARY = "Er ging iets mis"
UNREADABLE = "Dit verzoek kunnen we niet verwerken"
RATE_LIMITED = "U heeft in korte tijd veel reacties verstuurd"
UNKNOWN_LINK = "Deze link werkt niet"
NOT_FOUND = "Deze pagina bestaat niet (meer)"
# Form fields whose typed text the page shows back in an input or textarea.
TYPED_FIELDS = ["naam", "e_mailadres", "organisatie", "beschrijving_van_het_initiatief", "startdatum", "website"]
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
EMAIL = "sanne@example.org"

WEBHOOK_SECRET = "zw-webhook:fuzz-geheim"
MESSAGE_ID = "883953f4-6105-42a2-a16a-77a8eac79483"
ESPS = ["postmark", "mailgun", "mailjet"]

# (body, content type): the form's fields urlencoded or as multipart, or any bytes.
form_bodies = st.one_of(
    form_posts(VALID_ANSWERS).map(lambda post: (urlencode(post, doseq=True).encode(), "application/x-www-form-urlencoded")),
    form_posts(VALID_ANSWERS).map(lambda post: (encode_multipart(BOUNDARY, post), MULTIPART_CONTENT)),
    st.tuples(raw_bodies, content_types),
)


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()


@pytest.fixture
def high_rate_limit(settings):
    """The form tests post hundreds of times; the limit itself has its own test."""
    settings.FORM_RATE_LIMIT = "100000/m"


@pytest.fixture
def call_page(site_tree):
    _, _, calls = site_tree
    return CallForInputPageFactory(
        parent=calls, title="Oproep: goede voorbeelden", contact_person=ContactPersonFactory(), notify_contact_person=False
    )


@pytest.fixture
def recipient(call_page):
    """One of two launched recipients, whose invitation the ESP accepted."""
    ContactFactory(email=EMAIL)
    ContactFactory()
    launch(CampaignFactory(call_page=call_page))
    Delivery.objects.update(status=Delivery.Status.SENT, provider_message_id=MESSAGE_ID)
    return Recipient.objects.get(email=EMAIL)


def send(client, url, body=b"", content_type="application/x-www-form-urlencoded", method="POST", **headers):
    return client.generic(method, url, body, content_type=content_type, **headers)


def check_form(page, data):
    """The call's own form bound to ``data``: ``(valid, form)``."""
    with translation.override("nl"):
        form = page.get_form(data, {}, page=page, user=AnonymousUser())
        return form.is_valid(), form


def check_posted_form(page, response):
    """The call's form bound to what the view read from the post; ``(False, None)`` when Django could not read it."""
    if response.status_code == 400:
        return False, None
    return check_form(page, response.wsgi_request.POST)


def stored_answers(form):
    """The answers of a valid form the way the JSON column holds them."""
    return json.loads(json.dumps(form.answers(), cls=DjangoJSONEncoder))


def shows_typed_text(html, data):
    """Every text the person typed into a field is on the page again (Django shows a field's last value)."""
    return all(escape(data[name]) in html for name in TYPED_FIELDS if data.get(name))


def unchanged_except(before, after, *keys):
    return {k: v for k, v in before.items() if k not in keys} == {k: v for k, v in after.items() if k not in keys}


def test_call_form_stores_exactly_the_posts_its_form_accepts(client, call_page, high_rate_limit):
    url = call_page.get_url()
    before = stored_rows()
    outcomes = set()

    @FUZZ
    @given(form_bodies)
    def post_answer(body_type):
        with rolled_back():
            response = send(client, url, *body_type)
            after = stored_rows()
        valid, _ = check_posted_form(call_page, response)
        outcomes.add(valid)
        html = response.content.decode()
        note(f"valid={valid} status={response.status_code}")
        if valid:
            assert response.status_code == 200
            assert "Bedankt voor uw reactie" in html
            assert len(after["call responses"]) == len(before["call responses"]) + 1
            assert unchanged_except(before, after, "call responses")
            return
        assert after == before
        if response.status_code == 400:
            assert UNREADABLE in html
        else:
            assert response.status_code == 200
            assert ERROR_SUMMARY in html
            assert shows_typed_text(html, response.wsgi_request.POST)

    post_answer()
    assert outcomes == {True, False}


def test_over_the_rate_limit_a_post_is_429_keeps_what_was_typed_and_stores_nothing(client, call_page):
    """The real limit (10 a minute): the cache is not cleared between examples, so most posts are over it."""
    url = call_page.get_url()
    statuses = []
    before = stored_rows()

    @settings(FUZZ, max_examples=max(30, EXAMPLES // 10))
    @given(form_posts(VALID_ANSWERS))
    def post_answer(post):
        with rolled_back():
            response = send(client, url, urlencode(post, doseq=True))
            after = stored_rows()
        valid, _ = check_posted_form(call_page, response)
        html = response.content.decode()
        statuses.append(response.status_code)
        note(f"valid={valid} status={response.status_code}")
        if response.status_code == 429:
            assert RATE_LIMITED in html
            assert shows_typed_text(html, response.wsgi_request.POST)
            assert after == before
        else:
            assert response.status_code == 200
            assert (len(after["call responses"]) > len(before["call responses"])) == valid

    post_answer()
    assert 429 in statuses


def test_personal_link_stores_or_changes_the_answer_only_for_valid_posts(client, call_page, recipient):
    url = f"/reageren/{recipient_token(recipient)}/"
    _, earlier_form = check_form(call_page, QueryDict(urlencode(VALID_ANSWERS)))
    outcomes = set()

    @FUZZ
    @given(form_bodies, st.booleans())
    def post_through_link(body_type, answered_before):
        with rolled_back():
            if answered_before:
                save_answer(recipient, call_page, earlier_form)
            before = stored_rows()
            response = send(client, url, *body_type)
            after = stored_rows()
            answer = Recipient.objects.select_related("response").get(pk=recipient.pk).response
        valid, form = check_posted_form(call_page, response)
        outcomes.add(valid)
        html = response.content.decode()
        note(f"valid={valid} status={response.status_code}")
        if valid:
            assert response.status_code == 200
            assert ("Uw antwoord is aangepast" if answered_before else "Bedankt voor uw reactie") in html
            assert answer.form_data == stored_answers(form)
            rows = [len(before["call responses"]), len(after["call responses"])]
            if answered_before:
                assert rows[1] == rows[0] and unchanged_except(before, after, "call responses")
            else:
                assert rows[1] == rows[0] + 1 and unchanged_except(before, after, "call responses", "recipients")
            return
        assert after == before
        if response.status_code == 400:
            assert UNREADABLE in html
        else:
            assert response.status_code == 200
            assert ERROR_SUMMARY in html
            assert shows_typed_text(html, response.wsgi_request.POST)

    post_through_link()
    assert outcomes == {True, False}


def test_links_open_only_with_their_own_token_and_unsubscribe_only_the_recipient(client, recipient):
    """Garbage and tampered tokens on both links store nothing; a post on the real unsubscribe link blocks its address."""
    respond_token, unsubscribe_token = recipient_token(recipient), recipient_token(recipient, UNSUBSCRIBE)
    tokens = st.one_of(
        st.sampled_from([unsubscribe_token, SAMPLE]), garbage_tokens, near_tokens(respond_token), near_tokens(unsubscribe_token)
    )
    before = stored_rows()

    @FUZZ
    @given(
        st.sampled_from(["reageren", "afmelden"]),
        tokens,
        st.sampled_from(["GET", "HEAD", "POST"]),
        st.one_of(st.just(b"List-Unsubscribe=One-Click"), form_bodies.map(lambda body_type: body_type[0])),
    )
    def open_link(prefix, token, method, body):
        with rolled_back():
            response = send(client, f"/{prefix}/{url_segment(token)}/", body, method=method)
            after = stored_rows()
            blocked = list(Suppression.objects.values_list("email", "scope"))
        note(f"status={response.status_code}")
        html = response.content.decode()
        if prefix == "afmelden" and token == unsubscribe_token:
            assert response.status_code == 200
            if method == "POST":
                assert "U bent afgemeld" in html
                assert blocked == [(EMAIL, Suppression.Scope.CAMPAIGNS)]
                assert unchanged_except(before, after, "suppressions")
                return
        elif prefix == "afmelden" and token == SAMPLE:
            assert response.status_code == 200
        else:
            assert response.status_code == 404
            assert method == "HEAD" or UNKNOWN_LINK in html or NOT_FOUND in html
        assert after == before

    open_link()


SIGNUP = "/nieuwsbrief/aanmelden/"


@pytest.fixture
def newsletter(site_tree):
    """The archive with a published issue, and a person behind each personal link of the newsletter.

    ``links`` maps each link's path to ``(the subscriber it acts on, the token)``:
    a pending sign-up's confirmation, a subscriber's preferences, and that
    subscriber's unsubscribe link from an issue.
    """
    home, _, _ = site_tree
    archive = NewsletterIndexPageFactory(parent=home)
    issue = NewsletterIssuePageFactory(parent=archive, title="Nieuwsbrief maart")
    issue.save_revision().publish()
    issue.refresh_from_db()
    topics = [TopicFactory(name="Algemene nieuwsbrief", slug="algemeen"), TopicFactory(name="Zorg en welzijn", slug="zorg-en-welzijn")]
    ConsentTextFactory()
    pending = sign_up("wacht@example.org", topics=topics[:1], source=ConsentRecord.Source.SIGNUP_PAGE)
    reader = SubscriberFactory(email="lezer@example.org", name="Lotte Visser", topics=topics[:1])
    mailing = Campaign.objects.create(
        kind=Campaign.Kind.NEWSLETTER, name="Nieuwsbrief: maart", invitation_subject="Nieuwsbrief maart", invitation_body=""
    )
    nonce = new_nonce()
    issue_recipient = Recipient.objects.create(
        campaign=mailing, subscriber=reader, email=reader.email, token_nonce=nonce, **token_hashes(mailing.pk, reader.email, nonce)
    )
    tokens = {
        "bevestigen": (pending.subscriber, confirmation_token(pending)),
        "voorkeuren": (reader, preferences_token(reader)),
        "afmelden": (reader, recipient_token(issue_recipient, UNSUBSCRIBE)),
    }
    return {
        "archive": archive.get_url(),
        "issue": issue.get_url(),
        "topics": topics,
        "tokens": tokens,
        "links": {f"/nieuwsbrief/{prefix}/{token}/": subscriber for prefix, (subscriber, token) in tokens.items()},
    }


def signup_posts(topics):
    """Sign-up and preference bodies: a valid sign-up of a new address with some fields changed, dropped or doubled."""
    valid = {"email": "noor@example.org", "name": "Noor Jansen", "topics": str(topics[-1].pk), "consent": "on", "afmelden": ""}
    return st.one_of(
        form_posts({name: value for name, value in valid.items() if name != "afmelden"}),
        form_posts(valid),
    ).map(lambda post: (urlencode(post, doseq=True).encode(), "application/x-www-form-urlencoded"))


def assert_at_most_one_sign_up(response, before, after):
    """A sign-up the form accepts adds its consent record and at most one subscriber; any other post stores nothing."""
    posted = response.wsgi_request.POST if response.status_code == 200 else None
    if posted is None or not SignupForm(posted, consent_text=ConsentText.current()).is_valid():
        assert after == before
        return
    assert "Kijk in uw mailbox" in response.content.decode()
    assert len(after["consent records"]) == len(before["consent records"]) + 1
    assert after["subscribers"][: len(before["subscribers"])] == before["subscribers"]
    assert len(after["subscribers"]) - len(before["subscribers"]) <= 1
    assert unchanged_except(before, after, "subscribers", "consent records")


def assert_stores_what_it_may(url, method, response, before, after, links):
    """Only a POST stores: a sign-up the form accepts, or a personal link acting on its own subscriber alone."""
    if method == "POST" and url == SIGNUP:
        assert_at_most_one_sign_up(response, before, after)
    elif method == "POST" and url in links:
        assert without_rows_of(after, links[url]) == without_rows_of(before, links[url])
    else:
        assert after == before


query_params = st.lists(
    st.tuples(st.one_of(st.sampled_from(["q", "pagina", "page", "format"]), st.text(max_size=10)), hostile_text), max_size=4
)


@pytest.fixture
def public_urls(site_tree, call_page, recipient, newsletter):
    """One URL of every public view and page type, each answering a plain GET with 200 or a redirect."""
    home, articles, calls = site_tree
    article = ArticlePageFactory(parent=articles, title="Mantelzorg in de wijk", tags=["mantelzorg"])
    examples = home.add_child(instance=ExampleIndexPage(title="Goede voorbeelden", slug="goede-voorbeelden"))
    example_page = examples.add_child(instance=ExamplePage(title="Samen in de wijk", slug="samen-in-de-wijk"))
    closed_call = CallForInputPageFactory(parent=calls, title="Gesloten oproep", deadline=timezone.now() - timedelta(days=1))
    persona = PersonaFactory()
    document = DocumentFactory()
    return [
        home.get_url(),
        articles.get_url(),
        articles.get_url() + "thema/mantelzorg/",
        article.get_url(),
        calls.get_url(),
        call_page.get_url(),
        closed_call.get_url(),
        examples.get_url(),
        example_page.get_url(),
        StandardPageFactory(parent=home, title="Over ons").get_url(),
        f"/personas/{persona.pk}/download/",
        f"/documenten/{document.pk}/{document.filename}",
        f"/reageren/{recipient_token(recipient)}/",
        f"/afmelden/{SAMPLE}/",
        "/zoeken/",
        "/kleuren/",
        "/feed/",
        "/feed/atom/",
        "/sitemap.xml",
        "/robots.txt",
        "/favicon.ico",
        newsletter["archive"],
        newsletter["issue"],
        SIGNUP,
        *newsletter["links"],
        f"/nieuwsbrief/voorkeuren/{SAMPLE}/",
        f"/nieuwsbrief/afmelden/{SAMPLE}/",
    ]


big_ids = st.integers(0, 2**70)
other_urls = st.one_of(
    st.lists(
        st.one_of(garbage_tokens, st.sampled_from(["admin", "_util", "documenten", "personas", "thema", "nieuwsbrief", "bevestigen"])),
        max_size=4,
    ).map(
        lambda segments: "/" + "/".join(url_segment(segment) for segment in segments)
    ),
    st.tuples(big_ids, big_ids).map(lambda ids: f"/_util/authenticate_with_password/{ids[0]}/{ids[1]}/"),
    big_ids.map(lambda pk: f"/documenten/authenticate_with_password/{pk}/"),
    big_ids.map(lambda pk: f"/personas/{pk}/download/"),
    st.sampled_from(["/_util/login/", "/admin/login/"]),
)
login_posts = form_posts({"username": "beheerder", "password": "zorgenwelzijn", "next": "/admin/"}).map(
    lambda post: (urlencode(post, doseq=True).encode(), "application/x-www-form-urlencoded")
)


def test_every_public_url_answers_any_method_query_and_body_without_a_5xx(client, public_urls, newsletter, high_rate_limit):
    """Search shows the query back; every page of the site and any other path answers, and nothing is stored.

    Except by a POST that may: a newsletter sign-up its form accepts, or a
    personal link of the newsletter acting on its own subscriber.
    """
    before = stored_rows()

    @FUZZ
    @given(
        st.one_of(st.sampled_from(public_urls), other_urls),
        st.sampled_from(ALL_METHODS),
        query_params,
        st.one_of(st.tuples(raw_bodies, content_types), login_posts, signup_posts(newsletter["topics"])),
    )
    def request(url, method, params, body_type):
        body, content_type = body_type
        with rolled_back():
            response = send(client, f"{url}?{urlencode(params)}", body, content_type, method=method)
            after = stored_rows()
        note(f"status={response.status_code}")
        assert response.status_code < 500
        assert_stores_what_it_may(url, method, response, before, after, newsletter["links"])
        if url in public_urls and method in ("GET", "HEAD"):
            assert response.status_code in (200, 301, 302)
        if url == "/zoeken/" and method == "GET":
            query = dict(params).get("q", "").replace("\x00", "").strip()[:200]
            assert escape(query) in response.content.decode()

    request()


# ---- The newsletter's sign-up and personal links ---------------------------

# Fewer examples than the other tests: these two add to the whole suite's time (a sign-up renders its mail).
NEWSLETTER_FUZZ = settings(FUZZ, max_examples=max(30, EXAMPLES // 4))


def test_signup_stores_at_most_the_subscriber_a_valid_post_would(client, newsletter, high_rate_limit):
    before = stored_rows()
    outcomes = set()
    bodies = st.one_of(signup_posts(newsletter["topics"]), st.tuples(raw_bodies, content_types))

    @NEWSLETTER_FUZZ
    @given(bodies)
    def post_signup(body_type):
        with rolled_back():
            response = send(client, SIGNUP, *body_type)
            after = stored_rows()
        note(f"status={response.status_code}")
        assert response.status_code in (200, 400)
        outcomes.add(after != before)
        assert_at_most_one_sign_up(response, before, after)

    post_signup()
    assert outcomes == {True, False}


def test_newsletter_links_open_only_with_their_own_token_and_act_only_on_their_subscriber(client, newsletter, recipient):
    """Tampered, garbage and other links' tokens answer the Dutch 404 and store nothing; the sample links store nothing."""
    own = {prefix: token for prefix, (_, token) in newsletter["tokens"].items()}
    call_unsubscribe = recipient_token(recipient, UNSUBSCRIBE)
    tokens = st.one_of(
        st.sampled_from([*own.values(), SAMPLE, call_unsubscribe]), garbage_tokens, *(near_tokens(token) for token in own.values())
    )
    before = stored_rows()

    @NEWSLETTER_FUZZ
    @given(st.sampled_from(sorted(own)), tokens, st.sampled_from(["GET", "HEAD", "POST"]), signup_posts(newsletter["topics"]))
    def open_link(prefix, token, method, body_type):
        url = f"/nieuwsbrief/{prefix}/{url_segment(token)}/"
        with rolled_back():
            response = send(client, url, *body_type, method=method)
            after = stored_rows()
        note(f"status={response.status_code}")
        html = response.content.decode()
        if token == own[prefix]:
            assert response.status_code == 200
            assert_stores_what_it_may(url, method, response, before, after, newsletter["links"])
            subscriber, _ = newsletter["tokens"][prefix]
            status = next(row[3] for row in after["subscribers"] if row[0] == subscriber.pk)
            if method == "POST" and prefix == "afmelden":
                assert status == Subscriber.Status.UNSUBSCRIBED
                assert (subscriber.email, Suppression.Scope.NEWSLETTER) in [(row[1], row[2]) for row in after["suppressions"]]
            if method == "POST" and prefix == "bevestigen":
                assert status == Subscriber.Status.CONFIRMED
            return
        if token == SAMPLE and prefix != "bevestigen":
            assert response.status_code == 200
        else:
            assert response.status_code == 404
            assert method == "HEAD" or UNKNOWN_LINK in html or NOT_FOUND in html
        assert after == before

    open_link()


# ---- ESP tracking webhooks -------------------------------------------------


@pytest.fixture
def webhooks(settings, recipient):
    settings.ANYMAIL = {
        **settings.ANYMAIL,
        "WEBHOOK_SECRET": WEBHOOK_SECRET,
        "MAILGUN_WEBHOOK_SIGNING_KEY": mailgun_events.SIGNING_KEY,
    }
    settings.CAMPAIGNS_TRACK_OPENS_AND_CLICKS = True


def valid_event(esp):
    """A hard bounce for the recipient's delivery, as each ESP posts it."""
    if esp == "mailgun":
        return mailgun_events.failed(EMAIL, MESSAGE_ID)
    if esp == "postmark":
        return {
            "RecordType": "Bounce",
            "ID": 4323372036854775807,
            "Type": "HardBounce",
            "TypeCode": 1,
            "MessageID": MESSAGE_ID,
            "Email": EMAIL,
            "BouncedAt": "2026-11-05T16:33:54.9070259Z",
            "Description": "The server was unable to deliver your message.",
            "Details": "smtp;550 5.1.1 unknown user",
            "Metadata": {},
        }
    return {
        "event": "bounce",
        "time": 1793983234,
        "MessageID": 1234567890123456,
        "email": EMAIL,
        "blocked": True,
        "hard_bounce": True,
        "error_related_to": "recipient",
        "error": "user unknown",
    }


@st.composite
def webhook_posts(draw):
    """``(esp, kind, body)``: raw bytes, any JSON, the ESP's valid event with fields mutated, or the valid event."""
    esp = draw(st.sampled_from(ESPS))
    kind = draw(st.sampled_from(["bytes", "json", "mutated", "valid"]))
    if kind == "bytes":
        return esp, kind, draw(raw_bodies)
    if kind == "json":
        return esp, kind, json_body(draw(json_values))
    if kind == "mutated":
        return esp, kind, json_body(draw(mutated(valid_event(esp))))
    return esp, kind, json_body(valid_event(esp))


def basic_auth(secret):
    return "Basic " + base64.b64encode(secret.encode()).decode()


wrong_auth = st.one_of(
    st.none(),
    st.just(basic_auth("zw-webhook:fout")),
    st.just("Bearer " + WEBHOOK_SECRET),
    st.text(max_size=40).map(basic_auth),
    st.text(max_size=40).map(lambda header: header.encode("utf-8").decode("latin-1")),
    st.just("Basic ####"),
)


def post_webhook(client, esp, body, authorization):
    headers = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}
    return send(client, f"/anymail/{esp}/tracking/", body, "application/json", **headers)


def test_webhooks_refuse_every_post_without_the_right_secret(client, webhooks):
    before = stored_rows()

    @FUZZ
    @given(webhook_posts(), wrong_auth)
    def post_event(esp_kind_body, authorization):
        esp, kind, body = esp_kind_body
        with rolled_back():
            response = post_webhook(client, esp, body, authorization)
            after = stored_rows()
        note(f"{kind} status={response.status_code}")
        assert response.status_code == 400
        assert after == before

    post_event()


# Found by this test: PostgreSQL refused the NUL character in a JSON column (fixed in 9fb2a80).
NUL_IN_A_FIELD = ("postmark", "mutated", json_body({**valid_event("postmark"), "Details": "smtp;550\x00"}))


def test_webhooks_with_the_right_secret_store_only_what_they_accept(client, webhooks):
    before = stored_rows()

    @FUZZ
    @given(webhook_posts())
    @example(NUL_IN_A_FIELD)
    def post_event(esp_kind_body):
        esp, kind, body = esp_kind_body
        with rolled_back():
            response = post_webhook(client, esp, body, basic_auth(WEBHOOK_SECRET))
            after = stored_rows()
        note(f"{kind} status={response.status_code}")
        assert response.status_code in (200, 400)
        if kind == "valid":
            assert response.status_code == 200
            assert after["tracking events"] == before["tracking events"] + 1
        if response.status_code == 400:
            assert after == before

    post_event()
