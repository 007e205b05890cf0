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
# YAML 1.2 numbers too: « 30_64 » or « 010 » or « 1:30 » stay text instead of 3064, 8 or 90.
# Dates stay text: the definition's validator parses them and reports « 2026-02-30 » on its line.
UNRESOLVED = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp")
StrictLoader.yaml_implicit_resolvers = {
    first: [(t, r) for t, r in resolvers if t not in UNRESOLVED]
    for first, resolvers in StrictLoader.yaml_implicit_resolvers.items()
}
StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:0|[1-9][0-9]*)\.[0-9]+$"),
    list("-+0123456789"),
)
MAX_BYTES = 1_000_000
MAX_NODES = 50_000


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
    if len(text.encode()) > MAX_BYTES:
        raise SourceError(1, "the file is larger than 1 MB")
    try:
        node = yaml.compose(text, Loader=StrictLoader)
        if node is None:
            raise SourceError(1, "the file is empty")
        lines: dict[tuple, int] = {}
        _walk(node, (), lines, [0], set())
        data = StrictLoader(text).get_single_data()
    except SourceError:
        raise
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "unreadable"
        raise SourceError(mark.line + 1 if mark else 1, f"not valid YAML: {problem}") from None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as error:
        # Impossible dates (2026-02-30), unknown tags, absurd nesting: one clear line.
        raise SourceError(1, f"not valid YAML: {str(error).splitlines()[0][:200]}") from None
    if not isinstance(data, dict):
        raise SourceError(1, "a definition is a mapping (slug: …, title: …, pages: …)")
    return Source(data, lines)


def _walk(node, path: tuple, lines: dict, count: list, stack: set) -> None:
    count[0] += 1
    if count[0] > MAX_NODES or id(node) in stack:
        # Anchors and aliases can expand without end (« billion laughs »): refuse them early.
        raise SourceError(node.start_mark.line + 1, "the file repeats itself too much (aliases)")
    lines[path] = node.start_mark.line + 1
    stack = stack | {id(node)}
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise SourceError(key_node.start_mark.line + 1, "a key must be a simple word")
            key = key_node.value
            if key in seen:
                raise SourceError(key_node.start_mark.line + 1, f"« {key} » is given twice")
            seen.add(key)
            _walk(value_node, (*path, key), lines, count, stack)
            lines[(*path, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, (*path, i), lines, count, stack)
