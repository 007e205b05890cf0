import gzip
import re

from tests.conftest import project_root

STATIC = project_root() / "app" / "static"


def test_css_and_js_stay_under_15_kb_compressed():
    files = list(STATIC.rglob("*.css")) + list(STATIC.rglob("*.js"))
    total = sum(len(gzip.compress(f.read_bytes(), compresslevel=9)) for f in files)
    assert files and total < 15 * 1024, total


def test_no_asset_comes_from_another_host():
    pattern = re.compile(r"""(src|href)=["']?(https?:)?//""")
    for path in (project_root() / "app").rglob("*.html"):
        assert not pattern.search(path.read_text(encoding="utf-8")), path
    for path in STATIC.rglob("*.css"):
        assert "url(http" not in path.read_text(encoding="utf-8").replace(" ", "")
