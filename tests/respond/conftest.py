import re

from werkzeug.datastructures import MultiDict


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
    value = re.escape(value)
    pattern = rf'<option[^>]*value="{value}"[^>]*selected|<option selected value="{value}"'
    return bool(re.search(pattern, html))
