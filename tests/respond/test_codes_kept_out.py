"""Resume and deletion codes are bearer secrets: shown once in the reply that made them, never
in an address (access logs, history, a link someone plants) nor in the session cookie (signed,
not encrypted: anyone holding it reads it)."""

import json
import re
import zlib
from base64 import urlsafe_b64decode

from tests.respond.conftest import PRIORITIES, PROFILE, TRAVEL, checked, send, start


def cookie_text(client) -> str:
    """What the session cookie says, decoded as anyone who copied it could (no key needed)."""
    value = client.get_cookie("session").value
    compressed = value.startswith(".")
    payload = value.lstrip(".").split(".")[0]
    raw = urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    return json.dumps(json.loads(zlib.decompress(raw) if compressed else raw))


def code_in(html: str) -> str:
    return re.search(r'class="code">([^<]+)<', html).group(1)


def test_the_resume_code_is_in_no_cookie_and_no_link(client, survey):
    page = start(client)
    travel = send(client, page, PROFILE).headers["Location"]
    saved = send(client, travel, {"transport": ["walk"]}, action="save")
    html = saved.get_data(as_text=True)
    code = code_in(html)
    assert code not in cookie_text(client) and code.replace("-", "") not in cookie_text(client)
    links = re.findall(r'(?:href|action|src)="([^"]*)"', html)
    assert links and not [link for link in links if code in link or code.lower() in link]
    # Changing language would load the page again, without the code: not offered here.
    assert 'action="/langue"' not in html
    assert 'action="/langue"' in client.get(travel).get_data(as_text=True)


def test_the_deletion_code_is_in_no_cookie_and_no_link(client, survey):
    page = start(client)
    page = send(client, page, PROFILE).headers["Location"]
    page = send(client, page, TRAVEL).headers["Location"]
    thanks = send(client, page, PRIORITIES).get_data(as_text=True)
    code = code_in(thanks)
    assert code not in cookie_text(client)
    assert 'action="/langue"' not in thanks
    assert not [link for link in re.findall(r'href="([^"]*)"', thanks) if code in link]


def test_a_planted_link_does_not_tie_a_person_to_someone_elses_answers(app, client, survey):
    """Someone saves a response and sends its link to another person, hoping to read what
    they type into it. The link no longer resumes anything: the person lands on the form."""
    planter = app.test_client()
    page = start(planter)
    travel = send(planter, page, PROFILE).headers["Location"]
    code = code_in(send(planter, travel, {}, action="save").get_data(as_text=True))
    victim = client
    landed = victim.get(f"/s/every-type/reprendre/{code}")
    assert landed.headers["Location"].endswith("/s/every-type/reprendre")
    form = victim.get(landed.headers["Location"]).get_data(as_text=True)
    assert code not in form  # not even filled in for them
    # The victim's browser holds no response: the page sends them to the start, and the
    # planter's answers are never shown to them.
    shown = victim.get(travel)
    assert shown.status_code == 302 and shown.headers["Location"].endswith("/s/every-type")
    assert not checked(victim.get(page).get_data(as_text=True), "has_car", "no")
