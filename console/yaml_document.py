"""YAML read safely into plain values, with the line and column of every node.

Profiles come from people, and sometimes from places nobody checked, so reading one
must never build Python objects, never run away on a crafted file, and never answer
with a traceback. This module turns bytes into dicts, lists, strings, numbers,
booleans and None, remembers where each node sat in the file, and refuses hostile or
broken input with a located `Problem`.

Plain scalars follow the YAML 1.2 core schema rather than PyYAML's YAML 1.1 one:
only `true`/`false` are booleans (so `region: no` stays the string "no"), there are no
sexagesimal numbers (`12:30` is a string) and dates stay strings. Mapping keys are
always strings, exactly as written, so `on:` is the key "on". The merge key `<<`
works as in most YAML tools.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import yaml

from console.problems import Problem, ProfileError

MAX_BYTES = 2 * 1024 * 1024
"""Largest profile read, in bytes; real profiles are a few kilobytes."""
MAX_DEPTH = 50
"""Deepest nesting of lists and mappings, also once aliases are expanded."""
MAX_NODES = 50_000
"""Most values a profile may hold, as written and once aliases are expanded
(billion laughs). A large hand-written profile holds a few thousand; reading this
many takes a few tenths of a second, which bounds the time any file can cost."""
MAX_ALIASES = 1_000
"""Most `*alias` references in one profile."""
MAX_PROBLEMS = 100
"""Reading stops after this many problems (duplicate keys, refused tags)."""

NodePath = tuple[str | int, ...]
"""Where a node sits in the tree: mapping keys and list indexes from the top."""
Location = tuple[int, int]
"""A line and a column, both counted from 1."""

# The event parser is the only part of PyYAML used: it builds nothing, and libyaml's
# version reads a 2 MB file twenty times faster than the pure Python one.
_EVENT_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CORE = "tag:yaml.org,2002:"
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_NOT_ONLY_TEXT = frozenset("0123456789+-.~nNtTfF")
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_TRUE = re.compile(r"^(?:true|True|TRUE)$")
_FALSE = re.compile(r"^(?:false|False|FALSE)$")
_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)


@dataclass(frozen=True, slots=True, eq=False)
class PositionMap:
    """Line and column of every node of a document, by its path from the top.

    `values` holds where each value starts; `keys` holds where the key naming a
    mapping entry starts, which is where "unknown key" belongs.
    """

    values: Mapping[NodePath, Location] = field(default_factory=dict)
    keys: Mapping[NodePath, Location] = field(default_factory=dict)

    def locate(self, path: Sequence[str | int], *, key: bool = False) -> Location:
        """The position of `path`, or of the nearest enclosing node that has one.

        With `key`, the position of the entry's key is preferred to its value's.
        """
        path = tuple(path)
        if key and path in self.keys:
            return self.keys[path]
        for end in range(len(path), -1, -1):
            found = self.values.get(path[:end])
            if found is not None:
                return found
        return (1, 1)


@dataclass(frozen=True, slots=True, eq=False)
class YamlDocument:
    """A profile file read into plain values.

    `problems` are the ones that still leave a usable tree (duplicate keys, where the
    first entry is kept); anything worse is raised as `ProfileError` instead.
    """

    tree: dict[str, Any]
    positions: PositionMap
    problems: tuple[Problem, ...] = ()


def load_yaml_document(data: bytes, path_label: str) -> YamlDocument:
    """Read one YAML document holding a mapping from `data`.

    Raises `ProfileError` with located problems when the bytes are not UTF-8 text,
    are too large, are not valid YAML, use tags that would build objects, nest or
    expand beyond the limits above, hold several documents, or hold anything but a
    mapping at the top.
    """
    text = _decode(data, path_label)
    composer = _Composer(path_label)
    root = composer.compose(text)
    if composer.fatal:
        raise ProfileError(composer.problems)
    if root is None or (isinstance(root, _Scalar) and root.value is None):
        raise ProfileError([*composer.problems, Problem(path_label, 1, 1, _EMPTY)])
    if not isinstance(root, _Mapping):
        line, column = root.mark
        message = f"expected a mapping at the top level, {_describe(root)}"
        problem = Problem(path_label, line, column, message)
        raise ProfileError([*composer.problems, problem])
    expander = _Expander(path_label, composer.problems)
    tree = expander.expand(root)
    positions = PositionMap(expander.values, expander.keys)
    return YamlDocument(tree, positions, tuple(composer.problems))


_EMPTY = "profile is empty: it holds no keys, only blank lines or comments"


def _decode(data: bytes, path_label: str) -> str:
    """The text of `data`, refused when it is too large or not UTF-8 text."""
    if len(data) > MAX_BYTES:
        limit = MAX_BYTES // (1024 * 1024)
        message = f"the file is larger than {limit} MB, the most a profile may be"
        raise ProfileError([Problem(path_label, 1, 1, message)])
    encoding = _wide_encoding(data)
    if encoding is not None:
        message = f"the file is {encoding} text; save it as UTF-8"
        raise ProfileError([Problem(path_label, 1, 1, message)])
    nul = data.find(b"\x00")
    if nul >= 0:
        line, column = _offset_location(data, nul)
        message = f"the file is not UTF-8 text: it holds a NUL byte at byte {nul}"
        raise ProfileError([Problem(path_label, line, column, message)])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _offset_location(data, error.start)
        byte = data[error.start]
        message = (
            f"the file is not UTF-8 text: byte 0x{byte:02x} at byte {error.start} "
            "is not valid UTF-8"
        )
        raise ProfileError([Problem(path_label, line, column, message)]) from None
    bad = _NON_PRINTABLE.search(text)
    if bad is not None:
        line, column = _offset_location(text, bad.start())
        message = (
            f"control character U+{ord(bad.group()):04X} is not allowed in a profile"
        )
        raise ProfileError([Problem(path_label, line, column, message)])
    return text


_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def _wide_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32, by name, when `data` starts like text saved in one of them.

    Editors on some systems save as UTF-16 by default; naming the encoding says
    what to do far better than "a NUL byte at byte 1".
    """
    for bom, name in _WIDE_BOMS:
        if data.startswith(bom):
            return name
    head = data[:64]
    if len(head) >= 8 and head.count(0) * 2 >= len(head):
        # ASCII in UTF-16 or UTF-32 without a byte order mark: every other (or
        # every fourth) byte is zero.
        return "UTF-32" if head.count(0) * 4 >= len(head) * 3 else "UTF-16"
    return None


def _offset_location(data: bytes | str, offset: int) -> Location:
    """Line and column of `offset` in `data`, counting from 1.

    For bytes the column counts bytes, which is the best a file that does not decode
    allows.
    """
    if isinstance(data, bytes):
        line = data.count(b"\n", 0, offset) + 1
        line_start = data.rfind(b"\n", 0, offset) + 1
    else:
        line = data.count("\n", 0, offset) + 1
        line_start = data.rfind("\n", 0, offset) + 1
    return line, offset - line_start + 1


class _Mark(Protocol):
    """A position as PyYAML and libyaml both report it, counted from 0."""

    line: int
    column: int


def _mark(mark: _Mark | None) -> Location:
    """A PyYAML mark (counted from 0) as a line and column counted from 1."""
    return (1, 1) if mark is None else (mark.line + 1, mark.column + 1)


def _plain_value(text: str) -> object:
    """The value of an untagged, unquoted scalar under the YAML 1.2 core schema."""
    if text and text[0] not in _NOT_ONLY_TEXT:
        # Most scalars are words; only these first characters can start a null,
        # a boolean or a number, and checking one character is the cheap way out.
        return text
    if _NULL.match(text):
        return None
    if _TRUE.match(text):
        return True
    if _FALSE.match(text):
        return False
    if _INT.match(text):
        try:
            if text.startswith("0o"):
                return int(text[2:], 8)
            if text.startswith("0x"):
                return int(text[2:], 16)
            return int(text)
        except ValueError:
            # Python refuses to convert integers of thousands of digits; as text
            # the schema still reports it wherever a number was expected.
            return text
    if _FLOAT.match(text):
        number = float(text.lower().replace(".inf", "inf").replace(".nan", "nan"))
        return number if not math.isnan(number) else math.nan
    return text


def _describe(node: _Node) -> str:
    """What a node holds, for messages: "found a list", "found the number 3"."""
    if isinstance(node, _Alias):
        return _describe(node.target)
    if isinstance(node, _Sequence):
        return "found a list"
    if isinstance(node, _Mapping):
        return "found a mapping"
    if isinstance(node.value, str):
        return f"found the text {_short(node.value)}"
    return f"found {_short(node.text)}"


def _short(text: str) -> str:
    """`text` quoted and cut to a length that fits in a message."""
    return repr(text if len(text) <= 40 else text[:37] + "...")


@dataclass(slots=True, eq=False)
class _Scalar:
    mark: Location
    text: str
    value: object
    plain: bool = False


@dataclass(slots=True, eq=False)
class _Sequence:
    mark: Location
    anchor: str | None = None
    items: list[_Node] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class _Entry:
    key: str
    key_mark: Location
    value: _Node


@dataclass(slots=True, eq=False)
class _Mapping:
    mark: Location
    anchor: str | None = None
    entries: list[_Entry] = field(default_factory=list)
    merges: list[_Node] = field(default_factory=list)
    pending_key: _Scalar | None = None
    pending_merge: bool = False
    seen: dict[str, Location] = field(default_factory=dict)


@dataclass(slots=True, eq=False)
class _Alias:
    mark: Location
    target: _Node


_Node = _Scalar | _Sequence | _Mapping | _Alias


class _Stop(Exception):
    """Composing cannot go on; the problem that stopped it is already recorded."""


class _Composer:
    """Builds a node tree from PyYAML's event stream, without recursion.

    PyYAML's own composer recurses once per nesting level, so a file of ten thousand
    `[` would overflow the stack before any limit applied; checking depth here,
    event by event, refuses it at the fifty-first.
    """

    def __init__(self, path_label: str) -> None:
        self.path_label = path_label
        self.problems: list[Problem] = []
        self.fatal = False
        """True when the tree cannot be used, whatever else was found."""
        self._stack: list[_Sequence | _Mapping] = []
        self._anchors: dict[str, _Node] = {}
        self._open_anchors: set[str] = set()
        self._root: _Node | None = None
        self._documents = 0
        self._nodes = 0
        self._aliases = 0

    def compose(self, text: str) -> _Node | None:
        """The root node of the only document in `text`, or None for no document."""
        # The parser is driven directly rather than through `yaml.parse`, whose
        # generator costs as much per event as everything done here.
        parser = _EVENT_LOADER(text)
        try:
            event = parser.get_event()
            while not isinstance(event, yaml.StreamEndEvent):
                self._take(event)
                if len(self.problems) >= MAX_PROBLEMS:
                    last = self.problems[-1]
                    message = f"{MAX_PROBLEMS} problems so far; reading stopped here"
                    self._refuse((last.line, last.column), message)
                event = parser.get_event()
        except _Stop:
            # Reading was refused on purpose; the reason is already a problem.
            return self._root
        except yaml.MarkedYAMLError as error:
            self._syntax_problem(error, text)
        except yaml.YAMLError as error:
            self._add((1, 1), f"invalid YAML: {error}")
        finally:
            parser.dispose()
        return self._root

    def _take(self, event: yaml.Event) -> None:
        start = event.start_mark
        mark = (start.line + 1, start.column + 1) if start is not None else (1, 1)
        if isinstance(event, yaml.ScalarEvent):
            self._count(mark)
            plain = event.tag is None and event.implicit[0]
            node = _Scalar(mark, event.value, self._scalar_value(event, mark), plain)
            if event.anchor is not None:
                self._anchors[event.anchor] = node
            self._attach(node)
        elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            self._start_collection(event, mark)
        elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            self._end_collection()
        elif isinstance(event, yaml.AliasEvent):
            self._alias(event.anchor or "", mark)
        elif isinstance(event, yaml.DocumentStartEvent):
            self._documents += 1
            if self._documents > 1:
                self._refuse(
                    mark, "a profile is one YAML document; a second starts here"
                )

    def _start_collection(
        self, event: yaml.SequenceStartEvent | yaml.MappingStartEvent, mark: Location
    ) -> None:
        self._count(mark)
        if len(self._stack) >= MAX_DEPTH:
            self._refuse(mark, f"nesting is deeper than {MAX_DEPTH} levels")
        node: _Sequence | _Mapping
        if isinstance(event, yaml.SequenceStartEvent):
            node = _Sequence(mark, event.anchor)
            self._check_tag(event.tag, "seq", mark)
        else:
            node = _Mapping(mark, event.anchor)
            self._check_tag(event.tag, "map", mark)
        # An anchor is usable only once its node is complete: `&a [*a]` would be a
        # cycle, which no profile needs and which expansion could never finish.
        if event.anchor is not None:
            self._open_anchors.add(event.anchor)
        self._stack.append(node)

    def _end_collection(self) -> None:
        node = self._stack.pop()
        if node.anchor is not None:
            self._open_anchors.discard(node.anchor)
            self._anchors[node.anchor] = node
        self._attach(node)

    def _alias(self, name: str, mark: Location) -> None:
        self._count(mark)
        self._aliases += 1
        if self._aliases > MAX_ALIASES:
            self._refuse(mark, f"more than {MAX_ALIASES} aliases (*name) in one file")
        if name in self._open_anchors:
            self._refuse(mark, f"alias *{name} refers to a node that contains it")
        target = self._anchors.get(name)
        if target is None:
            self._refuse(mark, f"alias *{name} has no anchor &{name} before it")
            return
        self._attach(_Alias(mark, target))

    def _attach(self, node: _Node) -> None:
        if not self._stack:
            self._root = node
            return
        parent = self._stack[-1]
        if isinstance(parent, _Sequence):
            parent.items.append(node)
        elif parent.pending_merge:
            parent.merges.append(node)
            parent.pending_merge = False
        elif parent.pending_key is None:
            self._attach_key(parent, node)
        else:
            key, parent.pending_key = parent.pending_key, None
            first = parent.seen.get(key.text)
            if first is None:
                parent.seen[key.text] = key.mark
                parent.entries.append(_Entry(key.text, key.mark, node))
            else:
                line, column = first
                message = (
                    f"duplicate key {_short(key.text)}: it is first set at line "
                    f"{line}, column {column}"
                )
                self._add(key.mark, message, fatal=False)

    def _attach_key(self, parent: _Mapping, node: _Node) -> None:
        target = node.target if isinstance(node, _Alias) else node
        if isinstance(target, _Scalar):
            if target.plain and target.text == "<<" and node is target:
                parent.pending_merge = True
            else:
                # A key written as `*alias` is placed where the alias is.
                parent.pending_key = (
                    target
                    if node is target
                    else _Scalar(node.mark, target.text, target.value)
                )
            return
        self._add(node.mark, "a mapping key must be a plain value, not a collection")
        parent.pending_key = _Scalar(node.mark, "", None)

    def _count(self, mark: Location) -> None:
        self._nodes += 1
        if self._nodes > MAX_NODES:
            self._refuse(mark, f"the profile holds more than {MAX_NODES} values")

    def _check_tag(self, tag: str | None, expected: str, mark: Location) -> None:
        if tag is not None and tag not in ("!", _CORE + expected):
            self._tag_problem(tag, mark)

    def _tag_problem(self, tag: str, mark: Location) -> None:
        shown = "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag
        self._add(
            mark, f"tag {shown} is not allowed: a profile holds plain values only"
        )

    def _scalar_value(self, event: yaml.ScalarEvent, mark: Location) -> object:
        text, tag = event.value, event.tag
        if tag is None and event.implicit[0]:
            return _plain_value(text)
        if tag is None or tag in ("!", _CORE + "str"):
            return text
        kind = tag.removeprefix(_CORE) if tag.startswith(_CORE) else ""
        wanted = {"int": int, "float": float, "bool": bool, "null": type(None)}
        if kind not in wanted:
            self._tag_problem(tag, mark)
            return None
        value = _plain_value(text)
        if kind == "float" and type(value) is int:
            return float(value)
        if type(value) is not wanted[kind]:
            self._add(mark, f"{_short(text)} is not a valid !!{kind}")
            return None
        return value

    def _add(self, mark: Location, message: str, *, fatal: bool = True) -> None:
        self.problems.append(Problem(self.path_label, mark[0], mark[1], message))
        self.fatal = self.fatal or fatal

    def _refuse(self, mark: Location, message: str) -> None:
        self._add(mark, message)
        raise _Stop

    def _syntax_problem(self, error: yaml.MarkedYAMLError, text: str) -> None:
        line, column = _mark(error.problem_mark or error.context_mark)
        lines = text.split("\n")
        line_text = lines[line - 1] if line <= len(lines) else ""
        before, at = line_text[: column - 1], line_text[column - 1 : column]
        problem = error.problem or "cannot parse"
        if "nesting depth" in problem:
            # libyaml has its own limit for flow collections, met before ours.
            message = f"nesting is deeper than {MAX_DEPTH} levels"
        elif (at == "\t" or "tab" in problem) and not before.strip():
            message = (
                "a tab is used for indentation here; YAML indents with spaces only"
            )
        elif at == "\t":
            message = "a tab character is not allowed here; use spaces"
        else:
            message = f"invalid YAML: {problem}"
            if error.context and error.context_mark is not None:
                where = _mark(error.context_mark)
                message += f" ({error.context} at line {where[0]}, column {where[1]})"
            if "flow" in (error.context or "") and "${" in line_text:
                # `{` ends a plain value inside [ ] or { }, which makes an unquoted
                # variable the likeliest cause by far.
                message += "; inside [ ] or { }, a value with ${...} must be quoted"
        self._add((line, column), message)


class _Expander:
    """Turns the node tree into plain values, expanding aliases under a budget."""

    def __init__(self, path_label: str, problems: Sequence[Problem]) -> None:
        self.path_label = path_label
        self.values: dict[NodePath, Location] = {}
        self.keys: dict[NodePath, Location] = {}
        self._problems = list(problems)
        self._nodes = 0
        self._alias_marks: list[Location] = []

    def expand(self, root: _Mapping) -> dict[str, Any]:
        """The plain value of `root`, with every node's position recorded."""
        return self._mapping(root, (), 0)

    def _walk(self, node: _Node, path: NodePath, depth: int) -> Any:
        self._nodes += 1
        if self._nodes > MAX_NODES:
            self._refuse(node, f"aliases expand the profile past {MAX_NODES} values")
        if isinstance(node, _Alias):
            self._alias_marks.append(node.mark)
            value = self._walk(node.target, path, depth)
            self._alias_marks.pop()
            # A value written as `*name` is reported where the alias is, since that
            # is where it is used; the nodes inside it where the anchor wrote them.
            self.values[path] = node.mark
            return value
        self.values[path] = node.mark
        if isinstance(node, _Scalar):
            return node.value
        if depth >= MAX_DEPTH:
            message = f"nesting is deeper than {MAX_DEPTH} levels once aliases expand"
            self._refuse(node, message)
        if isinstance(node, _Sequence):
            return [
                self._walk(item, (*path, index), depth + 1)
                for index, item in enumerate(node.items)
            ]
        return self._mapping(node, path, depth)

    def _mapping(self, node: _Mapping, path: NodePath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        # Earlier merge sources win over later ones, and the mapping's own keys over
        # all of them, so the sources are applied last to first, then the keys.
        for source in reversed(self._merge_sources(node)):
            result.update(self._walk(source, path, depth))
        self.values[path] = node.mark
        for entry in node.entries:
            entry_path = (*path, entry.key)
            self.keys[entry_path] = entry.key_mark
            result[entry.key] = self._walk(entry.value, entry_path, depth + 1)
        return result

    def _merge_sources(self, node: _Mapping) -> list[_Node]:
        sources: list[_Node] = []
        for merge in node.merges:
            target = merge.target if isinstance(merge, _Alias) else merge
            items = target.items if isinstance(target, _Sequence) else [merge]
            for item in items:
                resolved = item.target if isinstance(item, _Alias) else item
                if not isinstance(resolved, _Mapping):
                    message = "<< merges only a mapping or a list of mappings"
                    self._refuse(item, message)
                sources.append(item)
        return sources

    def _refuse(self, node: _Node, message: str) -> None:
        # The outermost alias being expanded is the place in the file that asked
        # for all this; the anchor's own nodes may be far away.
        line, column = self._alias_marks[0] if self._alias_marks else node.mark
        problem = Problem(self.path_label, line, column, message)
        raise ProfileError([*self._problems, problem])
