"""`flask surveys check`: every problem of a definition file, with its line and a plain message."""

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from app.surveys.checks import check
from app.surveys.definition import SurveyDefinition
from app.surveys.types import TYPE_NAMES
from app.surveys.yaml_source import Source, SourceError, read

SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class Checked:
    path: Path
    definition: SurveyDefinition | None = None
    problems: list[Problem] = field(default_factory=list)
    slug_line: int = 1

    @property
    def ok(self) -> bool:
        return self.definition is not None and not self.problems


def _message(error: dict, source: Source) -> str:
    kind, loc, given = error["type"], error["loc"], error.get("input")
    name = next((p for p in reversed(loc) if isinstance(p, str)), "")
    if kind == "missing":
        return f"« {name} » is missing"
    if kind == "extra_forbidden":
        return f"unknown field « {name} »"
    if kind == "union_tag_not_found":
        return "« type » is missing"
    if kind == "union_tag_invalid":
        found = error.get("ctx", {}).get("tag", given)
        return f"unknown question type « {found} » (known types: {', '.join(TYPE_NAMES)})"
    if kind == "string_pattern_mismatch":
        return f"« {given} » is not a valid {name or 'id'}: use lower-case letters, digits and _"
    if kind == "value_error":
        return str(error["ctx"]["error"])
    return f"« {name} »: {error['msg'].lower()}" if name else error["msg"]


def check_file(path: Path) -> Checked:
    result = Checked(Path(path))
    try:
        text = Path(path).read_text(encoding="utf-8")
        source = read(text)
    except (OSError, UnicodeDecodeError) as error:
        result.problems.append(Problem(result.path, 1, f"cannot read the file: {error}"))
        return result
    except SourceError as error:
        result.problems.append(Problem(result.path, error.line, str(error)))
        return result
    result.slug_line = source.line(("slug",))
    try:
        definition = SurveyDefinition.model_validate(source.data)
    except ValidationError as error:
        for e in error.errors(include_url=False):
            path = source.path_of(e["loc"])
            if e["type"].startswith("union_tag"):
                path = (*path, "type")  # point at the type that is not known
            line = source.line(path)
            result.problems.append(Problem(result.path, line, _message(e, source)))
        result.problems.sort(key=lambda p: p.line)
        return result
    for where, message in check(definition):
        result.problems.append(Problem(result.path, source.line(where), message))
    result.problems.sort(key=lambda p: p.line)
    if not result.problems:
        result.definition = definition
    return result


def definition_files(paths: list[Path]) -> list[Path]:
    files = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix in SUFFIXES)
        else:
            files.append(path)
    return files


def check_paths(paths: list[Path]) -> list[Checked]:
    results = [check_file(p) for p in definition_files(paths)]
    slugs: dict[str, Path] = {}
    for result in results:
        if result.definition is None:
            continue
        slug = result.definition.slug
        if slug in slugs:
            result.problems.append(
                Problem(
                    result.path, result.slug_line, f"slug « {slug} » is also used by {slugs[slug]}"
                )
            )
            result.definition = None
        else:
            slugs[slug] = result.path
    return results


def checksum(definition: SurveyDefinition) -> str:
    """Of the meaning, not the formatting: comments and key order do not make a new version."""
    canonical = json.dumps(definition.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()
