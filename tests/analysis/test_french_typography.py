"""French typography on the pages people read: a no-break space before a colon (« Résultats :
… », never « Résultats: »), so that the colon never starts a line (issue 17, item 13)."""

import re
from html import unescape

from app.territory.places import Place
from tests.analysis.helpers import answer, publish

COLON = re.compile(r"(.)(:)(\s)")


def visible(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<title>.*?</title>", " ", html, flags=re.S)  # the map's titles: checked too
    return unescape(re.sub(r"<[^>]+>", " ", html))


def bare_colons(html: str) -> list[str]:
    text = visible(html)
    return [
        text[max(0, m.start() - 30) : m.end() + 10]
        for m in COLON.finditer(text)
        if m.group(1) not in ("\xa0", "\u202f") and not m.group(1).isdigit()
    ]


def test_french_pages_put_a_no_break_space_before_colons(client, survey, make_user, login):
    answer(20, age_band="65_plus", commune=Place("commune", "56088"))
    answer(25, age_band="30_64")
    answer(3, age_band="under_30", commune=Place("commune", "56016"))
    publish()
    pages = ["/resultats/every-type", "/s/every-type"]
    for url in pages:
        assert bare_colons(client.get(url).get_data(as_text=True)) == [], url
    login(make_user("committee"))
    for url in (
        "/analyse/every-type",
        "/analyse/every-type?ponderation=communes",
        "/analyse/every-type?filtre=commune:56005",
        "/analyse/every-type/profil/56088",
        "/analyse/themes/mobility",
        "/analyse/every-type/croiser?lignes=commune&colonnes=age_band",
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert bare_colons(page.get_data(as_text=True)) == [], url
