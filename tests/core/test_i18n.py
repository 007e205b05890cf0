import subprocess

from babel.messages.pofile import read_po

from tests.conftest import project_root

LANGUAGES = ("fr", "nl", "de", "en")


def catalog(lang):
    path = project_root() / "translations" / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        return read_po(handle)


def extracted_messages(tmp_path) -> set[str]:
    """What the code and templates ask to translate, extracted afresh."""
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            "translations/babel.cfg",
            "-k",
            "_l",
            "-o",
            str(pot),
            ".",
        ],
        cwd=project_root(),
        check=True,
        env={"PATH": str(project_root() / ".venv" / "bin") + ":/usr/bin:/bin"},
    )
    with pot.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


def test_french_catalog_is_complete(tmp_path):
    french = {(m.id if isinstance(m.id, str) else m.id[0]): m for m in catalog("fr") if m.id}
    missing = [
        msgid
        for msgid in extracted_messages(tmp_path)
        if msgid not in french
        or not all(
            french[msgid].string
            if isinstance(french[msgid].string, tuple)
            else [french[msgid].string]
        )
        or french[msgid].fuzzy
    ]
    assert missing == [], f"French translations missing: {missing}"


def test_every_catalog_keeps_the_placeholders():
    import re

    for lang in ("fr", "nl", "de"):
        for message in catalog(lang):
            if not message.id or not message.string or isinstance(message.id, tuple):
                continue
            wanted = sorted(re.findall(r"%\(\w+\)s|\{n\}", message.id))
            assert sorted(re.findall(r"%\(\w+\)s|\{n\}", message.string)) == wanted, (
                lang,
                message.id,
            )


def test_french_is_the_default(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="fr">' in html


def test_the_browser_language_is_followed(client):
    html = client.get("/", headers={"Accept-Language": "nl-BE,nl;q=0.9,en;q=0.5"}).get_data(
        as_text=True
    )
    assert '<html lang="nl">' in html


def test_the_persons_choice_wins_and_is_kept_in_a_cookie(client):
    response = client.post("/langue", data={"lang": "de", "next": "/territoire/"})
    assert response.status_code == 302 and response.headers["Location"] == "/territoire/"
    assert "lang=de" in response.headers["Set-Cookie"]
    html = client.get("/", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert '<html lang="de">' in html


def test_an_unknown_language_or_outside_target_changes_nothing(client):
    response = client.post("/langue", data={"lang": "xx", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    assert "Set-Cookie" not in response.headers
