"""YAML reading that keeps line numbers and defuses YAML 1.1 traps.

PyYAML follows YAML 1.1, where an unquoted `no`, `NO`, `on` or `off` becomes a
boolean, `2016-05-01` a date, `1:20` a sexagesimal number and `010` an octal
one. A data file must not change meaning that way, so only `true`/`false`,
plain decimal integers and plain decimal floats are resolved; everything else
stays a string, which strict validation then rejects where a number or boolean
is required. Duplicate keys, which PyYAML would silently overwrite, are errors.

A file's size is bounded (`reading.MAX_FILE_BYTES`), and so is what it can grow
into: before anything is built, the parser's events are counted, with every alias
(`*naam`) counted as all it repeats, so a few hundred bytes of nested aliases
cannot expand into gigabytes (`MAX_NODES`); an alias inside its own anchor
(`&a [*a]`) and nesting deeper than `MAX_DEPTH` are refused too. Tags (`!!…`)
other than `!!str` are refused: a file only holds text, numbers, lists and
mappings. A person file (`person_items`) may hold no aliases at all, and its
values stay the text the user wrote.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..errors import InputError, Problem
from .reading import MAX_DIGITS, read_text

MAX_NODES = 25_000  # keys, values and list items after expanding aliases: ten times the largest bundled file (2,466)
MAX_DEPTH = 50  # nested lists and mappings; the bundled files nest at most 9 deep
_ALLOWED_TAGS = {None, "!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_WHOLE_NUMBER = re.compile(r"[-+]?[0-9]+")

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


class TextLoader(_Base):  # type: ignore[misc, valid-type]
    """A safe loader that keeps every scalar as the text written; only an empty value or null is None."""


TextLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag == "tag:yaml.org,2002:null"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}

# A location in a document: the keys and list indexes leading to a value.
Location = tuple[Any, ...]


def load_yaml(text: str, file: str, *, aliases: bool = True, as_text: bool = False,
              ) -> tuple[Any, dict[Location, int], list[Problem]]:
    """Parse `text`; return the data, a map from location to line, and problems.

    A syntax error, or a file beyond the limits, is returned as a single problem (with its
    line), never raised. Without `aliases`, an alias is an error; with `as_text`, every
    scalar stays the text written (TextLoader) instead of becoming a number or boolean.
    """
    loader_class = TextLoader if as_text else StrictLoader
    try:
        problem = _check_events(loader_class, text, file, aliases)
        if problem is not None:
            return None, {}, [problem]
        loader = loader_class(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None, {}, [Problem(file, 1, "", "het bestand is leeg")]
            # Map lines before constructing: construction flattens `<<:` merges in place.
            lines: dict[Location, int] = {}
            problems: list[Problem] = []
            _map_lines(node, (), lines, problems, file)
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        reason = _dutch(error.problem or error.context or "ongeldige YAML")
        if error.context_mark is not None and error.context_mark.line + 1 != line:
            reason += f" ({_dutch(error.context) if error.context else 'begonnen'}: regel {error.context_mark.line + 1})"
        return None, {}, [Problem(file, line, "", f"geen geldige YAML: {reason}")]
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        character = error.character if isinstance(error.character, str) else chr(error.character)
        return None, {}, [Problem(file, line, "", f"geen geldige YAML: het teken {character!r} (U+{ord(character):04X}) "
                                                  "mag niet in een YAML-bestand staan")]
    except yaml.YAMLError as error:
        return None, {}, [Problem(file, None, "", f"geen geldige YAML: {_dutch(str(error).splitlines()[0])}")]
    return data, lines, problems


def read_input(name: str, *, aliases: bool = False, as_text: bool = True) -> tuple[Any, dict[Location, int], str]:
    """A YAML or JSON input file (a person, a batch), or `-` for standard input: data, line map and label.

    By default as user input: no aliases, every value the text written. Reading is bounded
    (`reading.MAX_FILE_BYTES`); any problem raises InputError with one line.
    """
    text, shown = read_text(name)
    data, lines, problems = load_yaml(text, shown, aliases=aliases, as_text=as_text)  # JSON is YAML too
    if problems:
        raise InputError(str(problems[0]))
    return data, lines, shown


def person_items(name: str) -> list[tuple[str, Any, str]]:
    """(key, value, 'file:line: key') for each key of a person file, YAML or JSON; `-` is standard input.

    Values are the text written (lists of texts for lists); aliases are refused. Raises
    InputError with one line for anything that is not a mapping of keys to values.
    """
    data, lines, shown = read_input(name)
    if not isinstance(data, dict):
        kind = "niets" if data is None else ("een lijst" if isinstance(data, list) else f"de tekst {data!r}")
        raise InputError(f"{shown}:1: verwacht sleutels met waarden (bijv. 'leeftijd: 87'), niet {kind}")
    items = []
    for key, value in data.items():
        where = f"{shown}:{lines.get((key,), 1)}: {key}"
        if isinstance(value, dict):
            raise InputError(f"{where}: verwacht een waarde of een lijst, geen mapping")
        if isinstance(value, list) and any(isinstance(item, (dict, list)) for item in value):
            raise InputError(f"{where}: verwacht een lijst van waarden, zonder geneste lijsten of mappings")
        items.append(("" if key is None else str(key), value, where))
    return items


class _Frame:
    __slots__ = ("anchor", "start", "depth", "deepest", "mapping", "expect_key")

    def __init__(self, anchor: str | None, start: int, depth: int, mapping: bool):
        self.anchor, self.start, self.depth, self.deepest = anchor, start, depth, depth
        self.mapping, self.expect_key = mapping, True


def _check_events(loader_class: type, text: str, file: str, aliases: bool) -> Problem | None:
    """The first reason not to build this document, from the parser's events alone; None if it may be built.

    Counts nodes with every alias expanded (an anchor's size is known when its node ends),
    and the depth an alias reaches, so neither needs the document to be built.
    """
    loader = loader_class(text)
    try:
        count = 0
        documents = 0
        stack: list[_Frame] = []
        anchors: dict[str, tuple[int, int]] = {}  # anchor -> (nodes, levels of nesting) once closed
        while loader.check_event():
            event = loader.get_event()
            line = event.start_mark.line + 1
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    return Problem(file, line, "", "meer dan één YAML-document (---); een bestand is één document")
                continue
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frame = stack.pop()
                if frame.anchor is not None:
                    anchors[frame.anchor] = (count - frame.start, frame.deepest - frame.depth + 1)
                if stack:
                    stack[-1].deepest = max(stack[-1].deepest, frame.deepest)
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue
            parent = stack[-1] if stack else None
            if parent is not None and parent.mapping:
                is_key, parent.expect_key = parent.expect_key, not parent.expect_key
                if is_key and not isinstance(event, yaml.ScalarEvent):
                    return Problem(file, line, "", "een sleutel moet een tekst zijn, geen lijst, mapping of alias")
            depth = len(stack)
            if isinstance(event, yaml.AliasEvent):
                if not aliases:
                    return Problem(file, line, "", f"een alias (*{event.anchor}) is in een persoonsbestand niet "
                                                   "toegestaan; schrijf de waarde uit")
                if any(frame.anchor == event.anchor for frame in stack):
                    return Problem(file, line, "", f"de alias *{event.anchor} staat binnen zijn eigen anker "
                                                   f"&{event.anchor} en zou zichzelf eindeloos herhalen")
                if event.anchor not in anchors:
                    return Problem(file, line, "", f"de alias *{event.anchor} verwijst naar een onbekend anker "
                                                   f"(&{event.anchor} moet eerder in het bestand staan)")
                size, levels = anchors[event.anchor]
                count += size
                reached = depth + levels
            else:
                if event.tag not in _ALLOWED_TAGS:
                    return Problem(file, line, "", f"de YAML-tag {_short_tag(event.tag)} is niet toegestaan (alleen "
                                                   "tekst, getallen, lijsten en mappings; !!str mag)")
                if (isinstance(event, yaml.ScalarEvent) and not event.style and len(event.value) > MAX_DIGITS
                        and _WHOLE_NUMBER.fullmatch(event.value)):
                    return Problem(file, line, "", f"een getal met meer dan {MAX_DIGITS} cijfers")
                count += 1
                if isinstance(event, yaml.CollectionStartEvent):
                    reached = depth + 1
                    stack.append(_Frame(event.anchor, count - 1, reached, isinstance(event, yaml.MappingStartEvent)))
                else:
                    reached = depth
                    if event.anchor is not None:
                        anchors[event.anchor] = (1, 0)
            if count > MAX_NODES:
                return Problem(file, line, "", f"het document groeit tot meer dan {MAX_NODES} waarden (elke alias telt "
                                               "mee met alles wat hij herhaalt); gebruik minder (geneste) aliassen")
            if reached > MAX_DEPTH:
                return Problem(file, line, "", f"lijsten en mappings zijn dieper genest dan {MAX_DEPTH} niveaus")
            if parent is not None:
                parent.deepest = max(parent.deepest, reached)
        return None
    finally:
        loader.dispose()


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


# The parser's most common complaints, in Dutch; anything else is shown as the parser words it.
_DUTCH = {
    "found character that cannot start any token": "een teken dat hier niet mag (een tab om in te springen, of @ of ` "
                                                   "aan het begin van een waarde; zet die tussen aanhalingstekens)",
    "mapping values are not allowed in this context": "een ':' mag hier niet (zet de waarde tussen aanhalingstekens)",
    "mapping values are not allowed here": "een ':' mag hier niet (zet de waarde tussen aanhalingstekens)",
    "did not find expected key": "verwachtte een sleutel (klopt de inspringing?)",
    "did not find expected '-' indicator": "verwachtte een lijstelement '-' (klopt de inspringing?)",
    "could not find expected ':'": "verwachtte ':' na een sleutel",
    "did not find expected node content": "verwachtte een waarde",
    "found unexpected end of stream": "onverwacht einde van het bestand (is een aanhalingsteken niet gesloten?)",
    "did not find expected ',' or ']'": "verwachtte ',' of ']'",
    "did not find expected ',' or '}'": "verwachtte ',' of '}'",
    "found unknown escape character": "onbekend teken na een \\",
    "found undefined alias": "onbekend anker voor deze alias",
    "found unhashable key": "een sleutel moet een tekst zijn",
    "expected a mapping or list of mappings for merging": "na '<<:' hoort een mapping of een lijst van mappings",
    "while parsing a block mapping": "in de mapping",
    "while parsing a block collection": "in de lijst",
    "while parsing a flow sequence": "in de lijst [ ]",
    "while parsing a flow mapping": "in de mapping { }",
    "while scanning a quoted scalar": "in de tekst tussen aanhalingstekens",
    "while scanning a simple key": "bij een sleutel",
    "while constructing a mapping": "in de mapping",
}


def _dutch(message: str) -> str:
    return _DUTCH.get(message, message)


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
