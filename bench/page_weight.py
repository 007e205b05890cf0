"""How heavy is a survey page for a phone on weak mobile data? For the first and a middle page of
each questionnaire (and, for information, the introduction and the thank-you page): the HTML plus
every stylesheet and script it references, each gzip-compressed at level 6 as a typical server
would send it, summed; and the number of requests. Budget (issue 4): ≤ 30 KB, ≤ 3 requests.

    .venv/bin/python bench/page_weight.py [--database-url URL]

The favicon (<link rel=icon>) is listed apart: browsers fetch it once per site, not per page.
Served in-process by the Flask test client (the bytes are the ones gunicorn would send).
"""

import argparse
import gzip
import re
import tempfile
from html.parser import HTMLParser

import common

BUDGET_BYTES = 30 * 1024
BUDGET_REQUESTS = 3
CSS_URL = re.compile(rb"""url\(\s*['"]?(?!data:)([^'")\s]+)|@import\s+['"]([^'"]+)""")


class Assets(HTMLParser):
    """The subresources a browser fetches before it can show the page."""

    def __init__(self):
        super().__init__()
        self.blocking: list[str] = []  # stylesheets and scripts
        self.icons: list[str] = []
        self.others: list[str] = []  # images and the like, if any appear

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        rel = (a.get("rel") or "").lower().split()
        if (a.get("src") or a.get("href") or "").startswith("data:"):
            return  # inline (an icon, say): already counted in the HTML, no request
        if tag == "link" and "stylesheet" in rel and a.get("href"):
            self.blocking.append(a["href"])
        elif tag == "link" and "icon" in rel and a.get("href"):
            self.icons.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.blocking.append(a["src"])
        elif tag in ("img", "iframe", "video", "audio", "source") and a.get("src"):
            self.others.append(a["src"])


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def weigh(client, label: str, html: bytes) -> dict:
    parser = Assets()
    parser.feed(html.decode())
    files = [("html", len(html), gz(html))]
    queue = parser.blocking + parser.others
    while queue:
        url = queue.pop(0)
        status, _, body = client.request("GET", url)
        if status != 200:
            raise SystemExit(f"{url}: {status}")
        files.append((url, len(body), gz(body)))
        if url.endswith(".css"):  # fonts, images and imports a stylesheet pulls in
            base = url.rsplit("/", 1)[0]
            for m in CSS_URL.finditer(body):
                ref = (m.group(1) or m.group(2)).decode()
                queue.append(ref if ref.startswith("/") else f"{base}/{ref}")
    icon = 0
    for url in parser.icons:
        status, _, body = client.request("GET", url)
        icon += gz(body) if status == 200 else 0
    return {
        "page": label,
        "html": files[0][2],
        "assets": sum(f[2] for f in files[1:]),
        "total": sum(f[2] for f in files),
        "raw": sum(f[1] for f in files),
        "requests": len(files),
        "icon": icon,
        "icons": len(parser.icons),
        "files": files,
    }


def measure(database_url: str, instance: str) -> list[dict]:
    from app.surveys import queries
    from app.surveys.demo import generate

    app = common.make_app(database_url, instance)
    with app.app_context():
        found = {slug: queries.current(slug).definition for slug in common.SLUGS}
        people = {slug: generate(found[slug], 1, seed=4)[0] for slug in common.SLUGS}
    rows = []
    for slug in common.SLUGS:
        client = common.InProcess(app)
        steps = list(common.walk(client, slug, found[slug], people[slug]))
        pages = [(path, body) for kind, path, status, _, body in steps if kind == "page_get"]
        middle = len(pages) // 2
        picked = [
            ("intro", next(body for kind, *_, body in steps if kind == "intro")),
            (f"first: {pages[0][0].rsplit('/', 1)[1]}", pages[0][1]),
            (
                f"middle ({middle + 1}/{len(pages)}): {pages[middle][0].rsplit('/', 1)[1]}",
                pages[middle][1],
            ),
            ("thanks", next(body for kind, *_, body in steps if kind == "submit")),
        ]
        for label, html in picked:
            rows.append({"survey": slug, **weigh(client, label, html)})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", help="a scratch database (default: temporary SQLite)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as instance:
        url = args.database_url or f"sqlite:///{instance}/bench.db"
        common.prepare(url, instance)
        rows = measure(url, instance)

    print("| questionnaire | page | HTML gz | CSS+JS gz | total gz | raw | requests | budget |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for r in rows:
        survey_page = r["page"].startswith(("first", "middle"))
        ok = r["total"] <= BUDGET_BYTES and r["requests"] <= BUDGET_REQUESTS
        verdict = ("met" if ok else "**not met**") if survey_page else "(info)"
        print(
            f"| {r['survey']} | {r['page']} | {r['html'] / 1024:.1f} KB "
            f"| {r['assets'] / 1024:.1f} KB | **{r['total'] / 1024:.1f} KB** "
            f"| {r['raw'] / 1024:.1f} KB | {r['requests']} | {verdict} |"
        )
    files = rows[1]["files"][1:]
    print()
    print(
        "Assets: "
        + ", ".join(f"{u} {raw / 1024:.1f} KB ({z / 1024:.1f} KB gz)" for u, raw, z in files)
    )
    if rows[0]["icons"]:
        icons = max(r["icon"] for r in rows)
        print(f"Favicon (not counted above): {rows[0]['icons']} request, {icons / 1024:.1f} KB gz")
    else:
        print("Favicon: inline (a data: URI in the HTML, counted there), no request")
    worst = max(
        (r for r in rows if r["page"].startswith(("first", "middle"))), key=lambda r: r["total"]
    )
    print(
        f"Heaviest survey page: {worst['survey']} {worst['page']}, "
        f"{worst['total'] / 1024:.1f} KB gz in {worst['requests']} requests "
        f"(budget {BUDGET_BYTES // 1024} KB, {BUDGET_REQUESTS} requests)"
    )


if __name__ == "__main__":
    main()
