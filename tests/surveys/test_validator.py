"""Every broken definition is reported with its file, line and a plain message.

Each file under definitions/broken/ says what it expects: `# expect: <message>` on its first line
and `# <-` at the end of the line the problem must be reported on.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from app.surveys.validator import check_file, check_paths
from tests.conftest import project_root

HERE = Path(__file__).parent / "definitions"
BROKEN = sorted((HERE / "broken").glob("*.yaml"))


def expectation(path: Path) -> tuple[str, int]:
    lines = path.read_text(encoding="utf-8").splitlines()
    message = re.match(r"# expect: (.*?)(?: # <-)?$", lines[0]).group(1)
    line = next(i for i, text in enumerate(lines, start=1) if text.rstrip().endswith("# <-"))
    return message, line


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_file_is_reported_with_its_line(app, path):
    message, line = expectation(path)
    result = check_file(path)
    assert result.definition is None
    assert [(p.line, message in p.message) for p in result.problems][:1] == [(line, True)], [
        str(p) for p in result.problems
    ]


def test_the_set_of_broken_files_covers_the_rules():
    assert len(BROKEN) >= 20


def test_valid_definitions_pass(app):
    for path in (HERE / "valid").glob("*.yaml"):
        result = check_file(path)
        assert result.ok, [str(p) for p in result.problems]


def test_duplicate_slugs_are_named(app):
    results = check_paths([HERE / "duplicate-slug"])
    problems = [str(p) for r in results for p in r.problems]
    assert len(problems) == 1 and "slug « same-slug » is also used by" in problems[0]


def flask(*args):
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=project_root(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_check_command_fails_usefully_on_broken_files():
    result = flask("surveys", "check", str(HERE / "broken" / "unknown-type.yaml"))
    assert result.returncode == 1
    assert "unknown-type.yaml:19: unknown question type « slider »" in result.stderr


def test_the_check_command_passes_on_the_project_questionnaires():
    result = flask("surveys", "check", "surveys/")
    assert result.returncode == 0, result.stderr
    assert "0 problem(s)" in result.stdout
    assert "4 file(s) checked" in result.stdout
