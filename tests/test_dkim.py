"""DKIM signing of SMTP mail: what the receiving server gets verifies against the published key.

The mails go through the real sending paths (the campaign engine, the
newsletter's mail builder) and Django's SMTP client to an SMTP server on
loopback; the received bytes are verified with dkimpy, the key served by a
stub DNS lookup. Gmail's one-click button needs both List-Unsubscribe
headers signed (RFC 8058, section 4), so tampering with one must fail.
"""

import email
import email.policy
import re
from pathlib import Path

import dkim
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import get_connection

from campaigns.services import sending
from campaigns.services.launch import launch
from cms.settings.email import SIGNING_SMTP_BACKEND, SMTP_BACKEND, email_settings
from newsletter.factories import NewsletterIssuePageFactory
from newsletter.services import rendering as newsletter_rendering
from tests.campaigns.conftest import call_page, campaign, make_contacts  # noqa: F401 (fixtures)
from tests.newsletter.conftest import newsletter_index, topics  # noqa: F401 (fixtures)
from tests.services import SmtpSink, serving

SELECTOR = "zw2026"
DOMAIN = "example.org"
# A key made for this test only (openssl genrsa 2048), never used anywhere else.
PRIVATE_KEY = """-----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEAj8aGIzxI3IJbRoYIODCAQzGiIv4mwCLxQWduu69CKw6iHDoZ
INpFL0S56V5gfzGykCJHCKsWqmz2Ix/4ZU9q5CvJHPO8UEHgJBCI7t9p+CzsRMSe
j19OGrAMdGuJ3y3Q+gy/CuF3XxlswnQxpKGBTHT7bR6sxDq/bm/B9bQyowN3T58Z
ztRpiWUCoxtOZ4RUfHOlWT0eMWB2zvimwB3lu7UMg7Kn8ymcZyaQFcHucKyLzFOU
uWfJhfh4KrxSWdC9jq2q/QjbaYAQ254gi0eJwgqnW/X825Eyvsmtj/YF+TSzyFPX
7kTouISAkx0fipQrZjSIcSsRBr1f+8LIghdEVwIDAQABAoIBAB7vmw462vyjietH
TL52ZSrQI7B+2iyueBXYISH+SHEGUYhcUerZPFi643vc5EuKEH9l+L3bPmHGV0Hg
j6yQ5ZGaAEicA1GLkyR/cE9hwCX32JDFc86qtZ4VcmCcgQqGC7i6BGNddzd9u4Kt
yL7BR5aBd1YX6xnAAE/NeUEamGittAxytw/sSef+tb8uAeWkIByibBiAgTrhclZj
MlWIt6qRbrckeH7s3PzpguEcnslPGkzJ9n7mOnxUQij7NZZXLFDGgAt3E19faf6i
pfEUUhMu0CKvyNNV1DFCXTpAwutOdKwipU1yJwXHMumNryN34tmCUOcx0CiN17Fe
4ZIgkbUCgYEAyyqtz4pFXLf0MUpetz3nSlua4IO0hXIiv29PM37/Gp/2O3fMAKbs
X9Of8fdKFchYkq3X8FRVSySOUwhAcDI5T0vu4oEP5nff9sFsoaVJplmyZEUlIEbK
qDBDI6yqNU/ChlG01YCRESTN+UKvMHADf4Mj4aXSkBm7gV8AXL27WR0CgYEAtSoF
WaahQwDB2m9MMCBTw9ldR9E6ryRmzdxMWhtU45Mt7HCNkZ+rPjIxUwyx/ujU39LE
PDhT0G+do6xpe6WKOIQ2VxgrDAJy9INrxNng0h/1FJizaAnrz6P7j2eTgKMtELlJ
SXa+eyDnCGmW2Y+omhIUxixpaGJGD5s7sP9dzQMCgYA8Xe0ROsOLXjlXoAJurh0Y
Ugm95kRwVk6O1TMSWQzRy2/tkZXzJ6YafxYKXnEL8eCnjLIZ/eTuE+maMFx9Od8f
ea98a97emwXYGvb9PNCadhJ0irsSURaMTPLWGcrlVlK1eHej7LSuBGKTSsYlPVM8
wymZNZ1QJeU59pFz/Qg63QKBgEa1Ru9NzQUkx4SlCfyCsY7wSKseK6RuNb3FbPuC
TWihajwtVePviNu2pW+/tb1DTMqrLbI/Xd8toT5fra/31XHnkHn/0dVXI1zx6l8j
ls8McBCA5Q0HSkV5wFahW33Ksm0jlEobEY9nMSUkaR8zJeA0jG0oql92c9flg6+6
i/bXAoGBAJFTOK+FFKNdroPLs8yOYcGHLNNllDL7dXLt29N7+4mhXyxdm/bsoGsI
PMyIl51Bx14XHYgx5Q3XtIe8WYFJ50W9sAj//Fpt5TRYOqX4W5EEAG5zFaI3jEAT
pMUeHFoWBAvjf5yYsp0V6eOm9HTQbGfDG4VMcUQCrFM/YOJuMc8c
-----END RSA PRIVATE KEY-----"""
PUBLIC_KEY = (
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAj8aGIzxI3IJbRoYIODCAQzGiIv4mwCLx"
    "QWduu69CKw6iHDoZINpFL0S56V5gfzGykCJHCKsWqmz2Ix/4ZU9q5CvJHPO8UEHgJBCI7t9p+Czs"
    "RMSej19OGrAMdGuJ3y3Q+gy/CuF3XxlswnQxpKGBTHT7bR6sxDq/bm/B9bQyowN3T58ZztRpiWUC"
    "oxtOZ4RUfHOlWT0eMWB2zvimwB3lu7UMg7Kn8ymcZyaQFcHucKyLzFOUuWfJhfh4KrxSWdC9jq2q"
    "/QjbaYAQ254gi0eJwgqnW/X825Eyvsmtj/YF+TSzyFPX7kTouISAkx0fipQrZjSIcSsRBr1f+8LI"
    "ghdEVwIDAQAB"
)
REQUIRED_SIGNED = {
    "from", "to", "subject", "date", "message-id", "list-unsubscribe", "list-unsubscribe-post", "list-id",
}


class RawSmtpSink(SmtpSink):
    """Keeps each message exactly as received: verifying a signature needs the bytes, not a re-serialised copy."""

    def __init__(self):
        super().__init__()
        self.raw = []

    async def handle_DATA(self, server, session, envelope):
        self.raw.append(envelope.original_content or envelope.content)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def raw_sink():
    yield from serving(RawSmtpSink())


@pytest.fixture
def signing(settings, raw_sink):
    """Django's mail goes over SMTP to ``raw_sink`` through the signing backend."""
    settings.EMAIL_BACKEND = SIGNING_SMTP_BACKEND
    settings.EMAIL_HOST, settings.EMAIL_PORT = raw_sink.host, raw_sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.DKIM_PRIVATE_KEY, settings.DKIM_SELECTOR, settings.DKIM_DOMAIN = PRIVATE_KEY, SELECTOR, ""
    settings.DEFAULT_FROM_EMAIL = f"Zorg en Welzijn <noreply@{DOMAIN}>"
    return raw_sink


def dns(name, timeout=5):
    """The TXT record a receiving server would look up: only our selector's exists."""
    if name == f"{SELECTOR}._domainkey.{DOMAIN}.".encode():
        return f"v=DKIM1; k=rsa; p={PUBLIC_KEY}".encode()
    return None


def verifies(message):
    return dkim.verify(message, dnsfunc=dns)


def signed_headers(message):
    parsed = email.message_from_bytes(message, policy=email.policy.compat32)
    tags = dict(part.strip().split("=", 1) for part in re.sub(r"\s+", "", parsed["DKIM-Signature"]).split(";") if part)
    return tags, {name.lower() for name in tags["h"].split(":")}


def tampered(message, header, value):
    head, separator, body = message.partition(b"\r\n\r\n")
    lines = re.sub(rb"(?im)^" + header + rb":[^\r]*(\r\n[ \t][^\r]*)*", header + b": " + value, head)
    assert lines != head
    return lines + separator + body


def test_a_campaign_mail_arrives_signed_and_verifies(signing, campaign, make_contacts):
    make_contacts(1)
    launch(campaign)

    sending.send_due()

    [message] = signing.raw
    assert verifies(message)
    tags, headers = signed_headers(message)
    assert (tags["a"], tags["c"], tags["d"], tags["s"]) == ("rsa-sha256", "relaxed/relaxed", DOMAIN, SELECTOR)
    assert REQUIRED_SIGNED <= headers


def test_a_tampered_one_click_header_fails_verification(signing, campaign, make_contacts):
    make_contacts(1)
    launch(campaign)
    sending.send_due()
    [message] = signing.raw

    assert not verifies(tampered(message, b"List-Unsubscribe", b"<https://elders.example.com/afmelden/>"))
    assert not verifies(tampered(message, b"List-Unsubscribe-Post", b"List-Unsubscribe=Nee"))
    assert not verifies(message.replace(b"Beste ", b"Hallo "))


def test_a_newsletter_mail_arrives_signed_with_its_list_headers(signing, newsletter_index, topics):
    issue = NewsletterIssuePageFactory(parent=newsletter_index, subject="Nieuwsbrief december")
    prepared = newsletter_rendering.prepare(issue)
    mail = newsletter_rendering.build_email(
        prepared,
        to_email="lotte@example.org",
        to_name="Lotte Visser",
        links=newsletter_rendering.sample_links(issue),
        topics=topics[:1],
    )

    get_connection().send_messages([mail])

    [message] = signing.raw
    assert verifies(message)
    parsed = email.message_from_bytes(message, policy=email.policy.default)
    assert parsed["List-Id"] and parsed["List-Unsubscribe"] and parsed["List-Unsubscribe-Post"]
    assert REQUIRED_SIGNED <= signed_headers(message)[1]
    assert not verifies(tampered(message, b"List-Id", b"<elders.example.com>"))


def test_dkim_domain_may_differ_from_the_sender(signing, settings, campaign, make_contacts):
    settings.DKIM_DOMAIN = "mail.example.org"
    make_contacts(1)
    launch(campaign)
    sending.send_due()

    assert signed_headers(signing.raw[0])[0]["d"] == "mail.example.org"


def dkim_env(key="", selector=SELECTOR, key_file=""):
    return {"DKIM_PRIVATE_KEY": key, "DKIM_SELECTOR": selector, "DKIM_DOMAIN": "", "DKIM_PRIVATE_KEY_FILE": key_file}


def test_smtp_urls_sign_only_with_a_key(monkeypatch):
    for name, value in dkim_env(PRIVATE_KEY).items():
        monkeypatch.setenv(name, value)
    assert email_settings("smtp://127.0.0.1:1025", Path("unused"))["EMAIL_BACKEND"] == SIGNING_SMTP_BACKEND
    assert email_settings("smtps://relay.example.org", Path("unused"))["DKIM_PRIVATE_KEY"] == PRIVATE_KEY
    assert "DKIM_PRIVATE_KEY" not in email_settings("postmark://token@", Path("unused"))
    monkeypatch.setenv("DKIM_PRIVATE_KEY", "")
    assert email_settings("smtp://127.0.0.1:1025", Path("unused"))["EMAIL_BACKEND"] == SMTP_BACKEND


def test_the_key_may_come_from_a_file_or_with_escaped_line_breaks(monkeypatch, tmp_path):
    key_file = tmp_path / "dkim.pem"
    key_file.write_text(PRIVATE_KEY + "\n")
    for name, value in dkim_env(key_file=str(key_file)).items():
        monkeypatch.setenv(name, value)
    assert email_settings("smtp://127.0.0.1", Path("unused"))["DKIM_PRIVATE_KEY"] == PRIVATE_KEY
    monkeypatch.setenv("DKIM_PRIVATE_KEY", PRIVATE_KEY.replace("\n", "\\n"))
    assert email_settings("smtp://127.0.0.1", Path("unused"))["DKIM_PRIVATE_KEY"] == PRIVATE_KEY


@pytest.mark.parametrize(
    "variables, problem",
    [
        (dkim_env(PRIVATE_KEY, selector=""), "DKIM_SELECTOR"),
        (dkim_env("-----BEGIN RSA PRIVATE KEY-----\nbm9rZXk=\n-----END RSA PRIVATE KEY-----"), "no PEM RSA private key"),
        (dkim_env(key_file="/nonexistent/dkim.pem"), "DKIM_PRIVATE_KEY_FILE"),
    ],
)
def test_a_bad_key_stops_start_up_without_showing_it(monkeypatch, variables, problem):
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=problem) as error:
        email_settings("smtp://127.0.0.1", Path("unused"))
    assert "bm9rZXk" not in str(error.value)
