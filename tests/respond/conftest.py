import re
from datetime import date
from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

from app.surveys.services import load_paths

EVERY_TYPE = Path(__file__).parent.parent / "surveys" / "definitions" / "valid" / "every-type.yaml"
IN_CAMPAIGN = date(2027, 1, 10)  # every-type is open from 2026-12-01 to 2027-03-31


@pytest.fixture
def survey(app, monkeypatch):
    """every-type loaded and open (the calendar is fixed inside its campaign)."""
    load_paths([EVERY_TYPE])
    from app.extensions import db

    db.session.commit()
    monkeypatch.setattr("app.respond.queries.today", lambda: IN_CAMPAIGN)
    from app.respond.queries import current

    return current("every-type")


def start(client, slug="every-type") -> str:
    html = client.get(f"/s/{slug}").get_data(as_text=True)
    key = re.search(r'name="start_key" value="([^"]+)"', html).group(1)
    response = client.post(f"/s/{slug}/commencer", data={"start_key": key})
    assert response.status_code == 302, response.data
    return response.headers["Location"]


def send(client, location: str, fields: dict, action: str = "next"):
    data = MultiDict()
    for key, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            data.add(key, item)
    data.add("action", action)
    return client.post(location, data=data)


def errors(html: str) -> list[str]:
    return [e.strip() for e in re.findall(r'class="error-message"[^>]*>.*?</span>([^<]*)', html)]


PROFILE = {"commune": "s:56005B", "age_band": "65_plus", "has_car": "no"}
TRAVEL = {
    "transport": ["bus", "walk"],
    "main_transport": "bus",
    "km_to_gp": "3,5",
    "bus_satisfaction": "2",
}
PRIORITIES = {
    "access-gp": "hard",
    "access-shops": "easy",
    "access-cpas": "easy",
    "needs-1": "evening_bus",
}


def checked(html: str, name: str, value: str) -> bool:
    """Whether the radio or checkbox `name`=`value` is ticked (or the option selected)."""
    for tag in re.findall(r"<input[^>]*>", html):
        if f'name="{name}"' in tag and f'value="{value}"' in tag:
            return " checked" in tag
    return bool(
        re.search(
            rf'<option[^>]*value="{re.escape(value)}"[^>]*selected|<option selected value="{re.escape(value)}"',
            html,
        )
    )
