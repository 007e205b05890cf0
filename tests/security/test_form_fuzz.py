"""Every route and every form, fed hostile values, answers below 500 (issue 16).

The routes come from the app's url_map, so a new route is fuzzed as soon as it exists (or this
file fails until its path parameters get a realistic value in PATH_VALUES). Each is visited as
an anonymous person and as each role, with path parameters drawn from a seeded database (the open
questionnaire, its pages, a commune, a theme, a resume code, a partner's account, a token, a
text answer and a code of the codebook). Hostile values, from a fixed corpus (deterministic, so a
failure replays), go into:

- the query string of every page (names found in the page's links and GET forms, and the names
  the app reads), all at once and then one name at a time;
- every field of every form a page shows, one field at a time, the others holding what a person
  would send, then the form empty and every field doubled; a JSON body to every POST route;
- each path parameter.

They are sent percent-encoded as raw bytes, so NUL, CR/LF, lone surrogates (ED A0 80) and bytes
that are no UTF-8 at all reach the app as a browser or a script could send them. Anything at 500
or above (or an exception, which the test client re-raises) is collected and reported together,
with the route, the field and the value; KNOWN_5XX are left to their own strict xfails below.
Bounded by the corpus, not by time: 35 to 50 s for the five roles together (SQLite or PostgreSQL).
"""

import re
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote_from_bytes, urlsplit

import pytest

from app.extensions import db
from tests.respond.conftest import send, start

HOSTILE: dict[str, bytes] = {
    "nul": b"a\x00b",
    "lone-surrogate": b"x\xed\xa0\x80y",  # U+D800 written as UTF-8, which UTF-8 forbids
    "not-utf8": b"\xff\xfe\xc3(\x80",
    "overlong-slash": b"\xc0\xaf..\xc0\xaf",
    "crlf": b"x\r\nSet-Cookie: forged=1\r\n\r\n<h1>forged</h1>",
    "long": b"A" * 20_000,
    "long-accents": "é€".encode() * 600,
    "deep-json": b"[" * 1_500 + b"]" * 1_500,
    "huge-int": b"99999999999999999999999999",
    "negative": b"-1",
    "float-overflow": b"1e309",
    "nan": b"NaN",
    "empty": b"",
    "blank": b" \t ",
    "unknown-choice": b"zz-no-such-choice",
    "sql": b"' OR '1'='1'; DROP TABLE users; --",
    "html": b'"><script>alert(1)</script><img src=x onerror=alert(1)>',
    "format": b"%s%n%x{0}{{7*7}}${7*7}#{7*7}",
    "unicode": "\u202e\ufeff😀e\u0301\u2028".encode(),
    "traversal": b"../../../../etc/passwd",
    "bad-date": b"2027-02-30",
    "json-ish": b'{"$gt": ""}',
}
# A page's query string, all names at once (those that repeat another value's test left out).
PAGE_QUERY = tuple(
    n for n in HOSTILE if n not in ("nan", "json-ish", "overlong-slash", "long-accents")
)
# A page that refused the visitor (a redirect to log in, a 403) has read nothing but these.
REFUSED_PAGE = ("nul", "lone-surrogate", "not-utf8", "crlf", "long")
# Path parameters: the values that test parsing and lookups.
SINGLE = (
    "nul",
    "lone-surrogate",
    "not-utf8",
    "overlong-slash",
    "crlf",
    "long",
    "huge-int",
    "negative",
    "float-overflow",
    "blank",
    "unknown-choice",
    "sql",
    "format",
    "unicode",
    "traversal",
    "bad-date",
)
# One query name at a time (the characters were all sent at once already), and a file or JSON
# answer (an export, the API) rather than a page.
PARSING = ("huge-int", "negative", "float-overflow", "blank", "unknown-choice", "bad-date")
NOT_A_PAGE = ("nul", "not-utf8", "huge-int", "unknown-choice")
# What the app reads from query strings somewhere; a page's own links and forms add theirs.
QUERY_NAMES = ("next", "q", "page", "filtre", "theme", "ponderation", "lignes", "colonnes", "code")
SKIPPED_ROUTES = {  # endpoint → why it is not fuzzed here
    "static": "files on disk, served by Werkzeug's send_from_directory",
    "analysis.static": "files on disk, served by Werkzeug's send_from_directory",
}
PUBLIC = ("respond.", "site.", "territory.", "api.", "api_surveys.", "accounts.login")
# Who sweeps what beyond the public routes: one role per code path (an administrator reads the
# analysis as the committee does; every account page has the same forms), so a role's other
# pages get their plain visit only. A blueprint named nowhere is swept by every role.
SWEEPS = {
    "admin": ("admin.",),
    "committee": ("analysis.", "api_results."),
    "partner": ("analysis.", "accounts."),  # its scope narrows what it reads; it holds tokens
    "facilitator": ("admin.", "analysis.", "api_results."),  # refused: cheap, and it must stay so
}
CLAIMED = tuple({p for prefixes in SWEEPS.values() for p in prefixes})
POST_NAMES = ("code", "label", "confirm", "lang", "next")  # for a POST route no page shows
# Routes that end the visit of the role sending them: fuzzed last, by the anonymous person.
LAST = {"accounts.logout"}
# 5xx found here whose cause is in code this change may not touch: each has its strict xfail
# below, and the sweep leaves it out. (endpoint, where, hostile value name)
KNOWN_5XX: set[tuple[str, str, str]] = set()


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name → values to choose from
    kinds: dict[str, str] = field(default_factory=dict)

    def base(self) -> dict[str, list[str]]:
        """What a person would send: hidden values, the first choice, a word in a text box."""
        data = {}
        for name, values in self.fields.items():
            kind = self.kinds[name]
            if kind in ("checkbox", "radio", "select", "submit", "hidden"):
                data[name] = values[:1]
            elif kind == "password":
                data[name] = ["correct horse battery"]
            elif kind == "email":
                data[name] = ["someone@example.be"]
            elif kind == "number":
                data[name] = ["3"]
            elif kind == "date":
                data[name] = ["2027-01-05"]
            else:
                data[name] = [v for v in values[:1] if v] or ["Sivry"]
        return data


class Forms(HTMLParser):
    """The forms of a page (method, action, fields with their choices) and its links' query
    names."""

    def __init__(self, url: str):
        super().__init__(convert_charrefs=True)
        self.url, self.forms, self.query_names = url, [], set()
        self.form: Form | None = None
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and "?" in (a.get("href") or ""):
            query = urlsplit(a["href"]).query
            self.query_names |= {p.split("=", 1)[0] for p in query.split("&") if p}
        elif tag == "form":
            method = (a.get("method") or "get").upper()
            self.form = Form(method, a.get("action") or self.url)
            self.forms.append(self.form)
        elif self.form is None:
            return
        elif tag in ("input", "button") and a.get("name"):
            kind = a.get("type") or ("submit" if tag == "button" else "text")
            self._add(a["name"], kind, a.get("value") or ("on" if kind == "checkbox" else ""))
        elif tag == "select" and a.get("name"):
            self.select = a["name"]
            self._add(self.select, "select", None)
        elif tag == "option" and self.select:
            self._add(self.select, "select", a.get("value", ""))
        elif tag == "textarea" and a.get("name"):
            self.textarea = a["name"]
            self._add(self.textarea, "textarea", None)

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def _add(self, name: str, kind: str, value: str | None):
        values = self.form.fields.setdefault(name, [])
        self.form.kinds.setdefault(name, kind)
        if value is not None and value not in values:
            values.append(value)


def encode(pairs) -> str:
    """name=value&… with each value's bytes percent-encoded as they are."""
    return "&".join(
        f"{quote_from_bytes(k.encode() if isinstance(k, str) else k, safe='')}="
        f"{quote_from_bytes(v.encode() if isinstance(v, str) else v, safe='')}"
        for k, v in pairs
    )


@dataclass
class Sweep:
    client: object
    role: str
    failures: list = field(default_factory=list)
    sent: int = 0
    seen_forms: set = field(default_factory=set)

    def send(self, endpoint: str, where: str, value: str, method: str, url: str, **kwargs):
        if (endpoint, where, value) in KNOWN_5XX:
            return None
        self.sent += 1
        try:
            response = self.client.open(url, method=method, **kwargs)
        except Exception as error:  # the test client re-raises what would be a 500
            db.session.rollback()
            self.failures.append((self.role, method, url[:120], where, value, repr(error)[:300]))
            return None
        if response.status_code >= 500:
            self.failures.append((self.role, method, url[:120], where, value, response.status))
        return response

    def page(self, endpoint: str, url: str, query_names=()) -> None:
        """A GET page: as it is, then hostile query strings; then the forms it shows."""
        response = self.send(endpoint, "-", "-", "GET", url)
        names, forms = set(query_names), []
        if response is None:
            return
        if response.status_code == 200 and "html" in response.mimetype:
            parsed = Forms(url)
            parsed.feed(response.get_data(as_text=True))
            names |= parsed.query_names
            forms = parsed.forms
            for form in forms:
                if form.method == "GET":
                    names |= set(form.fields)
        names |= set(QUERY_NAMES)
        shown = response is not None and response.status_code == 200 and bool(forms or names)
        values = (
            PAGE_QUERY if shown else NOT_A_PAGE if response.status_code == 200 else REFUSED_PAGE
        )
        for name in values:
            query = encode((n, HOSTILE[name]) for n in sorted(names))
            self.send(endpoint, "query:*", name, "GET", f"{url}?{query}")
        if shown:
            for n in sorted(names - set(QUERY_NAMES)):  # the page's own names, one at a time
                for name in PARSING:
                    query = encode([(n, HOSTILE[name])])
                    self.send(endpoint, f"query:{n}", name, "GET", f"{url}?{query}")
        for form in forms:
            if form.method == "POST":
                self.form(endpoint, form)

    def form(self, endpoint: str, form: Form) -> None:
        key = (form.action, tuple(sorted(form.fields)))
        if key in self.seen_forms:
            return
        self.seen_forms.add(key)
        target = self.client.application.url_map.bind("localhost").match(
            urlsplit(form.action).path, method="POST"
        )[0]
        if (target in LAST and endpoint != target) or not swept_by(self.role, target):
            return
        base = form.base()

        def post(where, value, data):
            pairs = [(k, v) for k, values in data.items() for v in values]
            self.send(
                target,
                where,
                value,
                "POST",
                form.action,
                data=encode(pairs),
                content_type="application/x-www-form-urlencoded",
            )

        for name in form.fields:
            for value_name, value in HOSTILE.items():
                post(f"form:{name}", value_name, base | {name: [value]})
        post("form:none", "missing", {})
        post("form:doubled", "doubled", {k: [*v, b"second", b"\xff"] for k, v in base.items()})
        self.json(target, form.action)

    def json(self, endpoint: str, url: str) -> None:
        for value_name, body in (
            ("deep-json", b'{"a": ' + b"[" * 3000 + b"]" * 3000 + b"}"),
            ("json-surrogate", b'{"answers": {"x": "\\ud800"}, "\\u0000": 1}'),
            ("json-types", b'[1, null, {"answers": [true, 1e309]}]'),
            ("json-broken", b'{"a": '),
        ):
            self.send(
                endpoint,
                "json",
                value_name,
                "POST",
                url,
                data=body,
                content_type="application/json",
            )


@dataclass
class Seeded:
    values: dict[str, list[str]]


def seed(app, client, accounts, api_token) -> Seeded:
    """Realistic path parameters: what exists in the database for each converter's name."""
    from sqlalchemy import select

    from app.accounts.models import ApiToken
    from app.accounts.scopes import set_partner_scope
    from app.analysis.codebook import services as codebook
    from app.surveys.models import Answer, Survey
    from app.territory import queries as territory
    from tests.analysis.helpers import add

    add(12, remarks="Plus de bus le soir, s'il vous plaît")
    set_partner_scope(accounts["partner"], ["56005"], ["mobility"])  # where add() answers
    survey_id = db.session.scalar(select(Survey.id).where(Survey.slug == "every-type"))
    code = codebook.add_code(survey_id, "Transport")
    db.session.commit()
    # A respondent who saved half-way: their resume code.
    location = start(client)
    page_id = location.rsplit("/", 1)[1]
    send(client, location, {"commune": "s:56005B", "age_band": "65_plus", "has_car": "no"}, "save")
    saved = client.get("/s/every-type/enregistre").get_data(as_text=True)
    found = re.search(r"\b[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}\b", saved)
    answer = db.session.scalar(select(Answer.id).order_by(Answer.id.desc()))
    token = db.session.scalar(select(ApiToken.id))
    return Seeded(
        {
            "slug": ["every-type"],
            "page_id": [page_id, "travel", "priorities"],
            "nis": ["56088"],
            "theme": [territory.themes()[0].slug],
            "code": [found.group() if found else "ABCDE-FGH23"],
            "user_id": [str(accounts["partner"].id)],
            "code_id": [str(code.id)],
            "answer_id": [str(answer)],
            "token_id": [str(token)],
            "kind": ["xlsx"],
            "_old_link": [found.group() if found else "ABCDE-FGH23"],
        }
    )


def urls(app, seeded: Seeded, rule) -> list[str]:
    """The rule with every realistic value of its parameters (the first of the others)."""
    missing = set(rule.arguments) - set(seeded.values)
    assert not missing, f"{rule.rule}: give {missing} a realistic value in seed()"
    built = []
    for arg in rule.arguments or [None]:
        for value in seeded.values.get(arg, [None]) if arg else [None]:
            params = {a: seeded.values[a][0] for a in rule.arguments} | (
                {arg: value} if arg else {}
            )
            built.append(rule.build(params, append_unknown=False)[1])
    return list(dict.fromkeys(built))


def path_sweep(sweep: Sweep, seeded: Seeded, rule, method: str) -> None:
    """Each path parameter in turn holds each hostile value."""
    for arg in rule.arguments:
        params = {a: seeded.values[a][0] for a in rule.arguments}
        if type(rule._converters[arg]).__name__ == "AnyConverter":
            continue  # a fixed list (csv, xlsx): anything else is a 404 from the router
        for name in SINGLE:
            value = HOSTILE[name]
            if len(value) > 4000:
                value = value[:4000]  # a path longer than this is refused before any view
            marker = "987654321"  # one any converter takes (an int, a string, a path)
            path = rule.build(params | {arg: marker}, append_unknown=False)[1]
            path = path.replace(marker, quote_from_bytes(value, safe=""))
            kwargs = {}
            if method == "POST":
                kwargs = {"data": "", "content_type": "application/x-www-form-urlencoded"}
            sweep.send(rule.endpoint, f"path:{arg}", name, method, path, **kwargs)


def rules(app):
    return sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint not in SKIPPED_ROUTES),
        key=lambda r: r.rule,
    )


def swept_by(role: str, endpoint: str) -> bool:
    if public(endpoint) or endpoint in LAST:
        return role == "anonymous"
    if role == "anonymous" or endpoint.startswith(SWEEPS[role]):
        return True
    return not endpoint.startswith(CLAIMED)


def public(endpoint: str) -> bool:
    """What anyone reaches alike: swept once, by the anonymous person. (A kiosk's start also
    signs the account out, so a role's sweep must not send it.)"""
    return endpoint.startswith(PUBLIC)


@pytest.mark.parametrize("role", ["anonymous", "admin", "committee", "partner", "facilitator"])
def test_no_hostile_value_gets_a_5xx(role, app, client, survey, accounts, api_token, login):
    began = time.monotonic()
    seeded = seed(app, client, accounts, api_token)
    plan = [(rule, url) for rule in rules(app) for url in urls(app, seeded, rule)]
    anonymous = role == "anonymous"
    if not anonymous:
        client.post("/deconnexion")
        login(accounts[role])
    sweep = Sweep(client, role)
    for rule, url in plan:
        if rule.endpoint in LAST or not swept_by(role, rule.endpoint):
            if "GET" in rule.methods and rule.endpoint not in LAST:
                sweep.send(rule.endpoint, "-", "-", "GET", url)  # as this role sees it
            continue
        if "GET" in rule.methods:
            sweep.page(rule.endpoint, url)
        else:
            fields = {name: [""] for name in POST_NAMES}
            sweep.form(rule.endpoint, Form("POST", url, fields, dict.fromkeys(POST_NAMES, "text")))
    if anonymous or role == "admin":  # path parameters are read before the rights, or by all
        for rule in rules(app):
            if anonymous or not public(rule.endpoint):
                for method in sorted(rule.methods & {"GET", "POST"}):
                    path_sweep(sweep, seeded, rule, method)
    if anonymous:
        for rule, url in plan:
            if rule.endpoint in LAST:
                sweep.form(rule.endpoint, Form("POST", url, {"next": [""]}, {"next": "text"}))
    print(f"{role}: {sweep.sent} requests in {time.monotonic() - began:.1f} s")
    assert sweep.failures == [], "\n".join(map(str, sweep.failures))
