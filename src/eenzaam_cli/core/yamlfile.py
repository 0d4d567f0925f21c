"""YAML reading that keeps line numbers and defuses YAML 1.1 traps.

PyYAML follows YAML 1.1, where an unquoted `no`, `NO`, `on` or `off` becomes a
boolean, `2016-05-01` a date, `1:20` a sexagesimal number and `010` an octal
one. A data file must not change meaning that way, so only `true`/`false`,
plain decimal integers and plain decimal floats are resolved; everything else
stays a string, which strict validation then rejects where a number or boolean
is required. Duplicate keys, which PyYAML would silently overwrite, are errors.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from .errors import Problem

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StrictLoader(_Base):  # type: ignore[misc, valid-type]
    """A safe loader with YAML 1.2-like scalar resolution."""


StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in {
        "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp",
    }]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}
for _tag, _pattern, _first in (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^[-+]?[0-9]+$", "-+0123456789"),
    ("tag:yaml.org,2002:float", r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$", "-+0123456789."),
):
    StrictLoader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))

# A location in a document: the keys and list indexes leading to a value.
Location = tuple[Any, ...]


def load_yaml(text: str, file: str) -> tuple[Any, dict[Location, int], list[Problem]]:
    """Parse `text`; return the data, a map from location to line, and problems.

    A syntax error is returned as a single problem (with its line), never raised.
    """
    loader = StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}, [Problem(file, 1, "", "het bestand is leeg")]
        # Map lines before constructing: construction flattens `<<:` merges in place.
        lines: dict[Location, int] = {}
        problems: list[Problem] = []
        _map_lines(node, (), lines, problems, file)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        reason = error.problem or error.context or "ongeldige YAML"
        if error.context_mark is not None and error.context_mark.line + 1 != line:
            reason += f" ({error.context or 'begonnen'}: regel {error.context_mark.line + 1})"
        return None, {}, [Problem(file, line, "", f"geen geldige YAML: {reason}")]
    except yaml.YAMLError as error:
        return None, {}, [Problem(file, None, "", f"geen geldige YAML: {error}")]
    finally:
        loader.dispose()
    return data, lines, problems


def _map_lines(node: yaml.Node, location: Location, lines: dict, problems: list[Problem], file: str) -> None:
    lines[location] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue  # `<<:` merges: their keys are read where they were written
            key = key_node.value
            if key in seen:
                problems.append(Problem(file, key_node.start_mark.line + 1, render_location(location + (key,)),
                                        "dubbele sleutel (een sleutel mag maar één keer voorkomen)"))
            seen.add(key)
            _map_lines(value_node, location + (key,), lines, problems, file)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _map_lines(item, location + (index,), lines, problems, file)


def line_of(lines: dict[Location, int], location: Location) -> int | None:
    """The line of `location`, or of its nearest written ancestor."""
    for end in range(len(location), -1, -1):
        if location[:end] in lines:
            return lines[location[:end]]
    return None


def render_location(location: Location) -> str:
    """('factoren', 3, 'niveaus', 0) -> 'factoren[3].niveaus[0]'"""
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
