"""Reading a definition file: YAML 1.2 booleans, no duplicate keys, a line for every path."""

import re
from dataclasses import dataclass, field

import yaml


class StrictLoader(yaml.SafeLoader):
    """Only true/false are booleans: a choice id « no », « yes » or « on » stays a string."""


StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class SourceError(ValueError):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


@dataclass
class Source:
    data: object
    lines: dict[tuple, int] = field(default_factory=dict)

    def line(self, path: tuple) -> int:
        """The line of the deepest part of `path` that exists in the file."""
        path = tuple(path)
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)

    def path_of(self, loc: tuple) -> tuple:
        """A pydantic error location, without the union tags that are not in the file."""
        current, path = self.data, []
        for part in loc:
            if (isinstance(current, dict) and part in current) or (
                isinstance(current, list) and isinstance(part, int) and part < len(current)
            ):
                current = current[part]
                path.append(part)
        return tuple(path)


def read(text: str) -> Source:
    try:
        node = yaml.compose(text, Loader=StrictLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        raise SourceError(mark.line + 1 if mark else 1, f"not valid YAML: {problem}") from None
    if node is None:
        raise SourceError(1, "the file is empty")
    lines: dict[tuple, int] = {}
    _walk(node, (), lines)
    data = StrictLoader(text).get_single_data()
    if not isinstance(data, dict):
        raise SourceError(1, "a definition is a mapping (slug: …, title: …, pages: …)")
    return Source(data, lines)


def _walk(node, path: tuple, lines: dict) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                raise SourceError(key_node.start_mark.line + 1, f"« {key} » is given twice")
            seen.add(key)
            _walk(value_node, (*path, key), lines)
            lines[(*path, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, (*path, i), lines)
