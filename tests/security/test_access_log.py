"""Personal-link tokens never reach gunicorn's or nginx's logs: not in the request line, nor in the Referer."""

import pytest
import requests
from bs4 import BeautifulSoup

from campaigns.factories import CampaignFactory, ContactFactory
from campaigns.models import Recipient
from campaigns.services.launch import launch
from campaigns.tokens import UNSUBSCRIBE, recipient_token
from cms.factories import CallForInputPageFactory, ContactPersonFactory, build_site_tree
from cms.models import CallResponse

pytestmark = pytest.mark.services

ANSWER = {
    "beschrijving_van_het_initiatief": "Vrijwilligers en wijkverpleging bezoeken samen mantelzorgers thuis.",
}


@pytest.fixture
def recipient(transactional_db):
    _, _, calls = build_site_tree()
    call_page = CallForInputPageFactory(
        parent=calls, contact_person=ContactPersonFactory(), notify_contact_person=False
    )
    ContactFactory()
    launch(CampaignFactory(call_page=call_page))
    return Recipient.objects.get()


def form_fields(html):
    """The answer form's fields as the browser would post them, prefilled values included."""
    form = BeautifulSoup(html, "html.parser").find("form", method="post")
    fields = {field["name"]: field.get("value", "") for field in form.find_all("input") if field.get("name")}
    fields.pop("publication_consent", None)  # an unticked checkbox is not posted
    for select in form.find_all("select"):
        chosen = select.find("option", selected=True)
        fields[select["name"]] = chosen["value"] if chosen else ""
    for area in form.find_all("textarea"):
        fields[area["name"]] = area.text
    return fields


def test_gunicorn_logs_show_masked_paths_and_no_token(start_production_server, recipient):
    token = recipient_token(recipient)
    unsubscribe_token = recipient_token(recipient, UNSUBSCRIBE)
    server = start_production_server()
    link = f"{server.url}/reageren/{token}/"

    opened = requests.get(link, timeout=10)
    assert opened.status_code == 200
    assert "csrftoken" not in opened.cookies  # a visitor without a session is checked by Origin, not a cookie
    posted = requests.post(
        f"{link}?bron=mail",
        data={**form_fields(opened.text), **ANSWER},
        headers={"Referer": link, "Origin": server.url},
        allow_redirects=False,
        timeout=10,
    )
    assert posted.status_code == 200, posted.text
    assert "Bedankt voor uw reactie" in posted.text
    assert requests.get(f"{server.url}/afmelden/{unsubscribe_token}/", timeout=10).status_code == 200
    assert requests.get(f"{server.url}/reageren/{token[:-3]}/", timeout=10).status_code == 404
    server.stop()

    assert CallResponse.objects.get().form_data["beschrijving_van_het_initiatief"] == ANSWER[
        "beschrijving_van_het_initiatief"
    ]
    log = server.log()
    for secret in (token, unsubscribe_token, token[:-3]):
        assert secret not in log
    assert '"GET /reageren/***/ HTTP/1.1" 200' in log
    assert '"POST /reageren/***/?bron=mail HTTP/1.1" 200' in log
    assert '"http://127.0.0.1:' in log and '/reageren/***/"' in log  # the Referer, masked
    assert '"GET /afmelden/***/ HTTP/1.1" 200' in log
    assert '"GET /reageren/***/ HTTP/1.1" 404' in log


def test_nginx_logs_show_masked_paths_and_no_token(start_production_server, start_nginx, recipient):
    token = recipient_token(recipient)
    gunicorn = start_production_server(TRUSTED_PROXY_COUNT="1")
    nginx = start_nginx(gunicorn.port)
    link = f"{nginx.url}/reageren/{token}/"

    opened = requests.get(link, timeout=10)
    posted = requests.post(
        link,
        data={**form_fields(opened.text), **ANSWER},
        headers={"Referer": link, "Origin": nginx.url},
        timeout=10,
    )
    stylesheet = requests.get(f"{nginx.url}/static/css/site.css", headers={"Referer": link}, timeout=10)
    gunicorn.stop()
    unreachable = requests.get(link, headers={"Referer": link}, timeout=10)
    nginx.stop()

    assert (opened.status_code, posted.status_code, stylesheet.status_code, unreachable.status_code) == (
        200,
        200,
        200,
        502,
    )
    log = nginx.log()
    assert token not in log
    assert '"GET /reageren/***/ HTTP/1.1" 200' in log
    assert '"POST /reageren/***/ HTTP/1.1" 200 ' in log
    assert '"GET /static/css/site.css HTTP/1.1" 200 ' in log
    assert f'"{nginx.url}/reageren/***/"' in log  # the Referer, masked
    assert '"GET /reageren/***/ HTTP/1.1" 502' in log
