"""Loading a profile: YAML in, a validated `Profile` out, or every problem located.

Loading runs in steps that each add to one list of problems rather than stopping at
the first: the YAML is read safely with positions (`console.yaml_document`),
variables are resolved and substituted (`console.variables`), the tree is validated
against the schema, each source block and each query is checked against its source
kind's own models, and the profile is cross-checked as a whole (ids, sources, the
grid, drill links). Only when the list is empty is a `LoadedProfile` returned.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import os
import re
import stat
import types
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from console.problems import Problem, ProfileError
from console.profile_catalog import shipped_profiles_dir, user_profiles_dir
from console.profile_extends import (
    EXTENDS_KEY,
    ExtendedDocument,
    apply_extends,
    find_base,
)
from console.profile_schema import GRID_COLUMNS, Position, Profile
from console.sources.base import SourceKind
from console.sources.registry import source_kinds
from console.variables import (
    ResolvedVariables,
    resolve_variables,
    substitute_variables,
)
from console.yaml_document import (
    MAX_BYTES,
    NodePath,
    PositionMap,
    YamlDocument,
    load_yaml_document,
)

ModelT = TypeVar("ModelT", bound=BaseModel)

_CONTROL = re.compile("[\x00-\x1f\x7f\u2028\u2029]")

_IDENTIFIER_HELP = (
    "use lowercase letters, digits, '-' and '_', starting with a letter or digit, "
    "at most 64 characters"
)


@dataclass(frozen=True, eq=False)
class LoadedProfile:
    """A profile that passed every check, with what is needed to re-resolve it."""

    profile: Profile
    """The validated profile, variables substituted."""
    path: Path
    """Where it was read from (for an in-memory profile, its label)."""
    raw: dict[str, Any]
    """The tree as read, before substitution; re-resolved by `with_variables`."""
    positions: PositionMap
    """Line and column of every node of `raw`."""
    variables: dict[str, str]
    """The value each variable resolved to."""
    content_hash: str
    """sha256 of the file's bytes, in hex: tells a saved view its profile changed."""
    kinds: Mapping[str, SourceKind] = field(default_factory=dict, repr=False)
    """The source kinds the profile was checked against."""

    def with_variables(self, overrides: Mapping[str, str]) -> LoadedProfile:
        """This profile with some variables set to other values, the rest unchanged.

        Used by drill links and the variable selector; the file is not read again.
        Raises `ProfileError` when a name is not declared, a value is not among its
        variable's choices, or the new values make the profile invalid.
        """
        values = {**self.variables, **overrides}
        document = YamlDocument(self.raw, self.positions)
        profile, resolved = _validate(document, values, self.kinds, str(self.path))
        return dataclasses.replace(self, profile=profile, variables=resolved)


def load_profile(
    path: Path,
    overrides: Mapping[str, str] | None = None,
    *,
    kinds: Mapping[str, SourceKind] | None = None,
) -> LoadedProfile:
    """Read and check the profile at `path`, with `--var` style `overrides`.

    `kinds` are the source kinds a `type:` may name; left out, every kind this build
    knows. Raises `ProfileError` carrying every problem found, each located.
    """
    label = str(path)
    try:
        data = _read_regular_file(path)
    except FileNotFoundError:
        raise ProfileError([Problem(label, 1, 1, "no such file")]) from None
    except IsADirectoryError:
        message = "this is a directory, not a profile file"
        raise ProfileError([Problem(label, 1, 1, message)]) from None
    except _NotRegularFile:
        message = "this is not a regular file (a pipe, device or socket)"
        raise ProfileError([Problem(label, 1, 1, message)]) from None
    except OSError as error:
        message = f"cannot read the file: {error.strerror or error}"
        raise ProfileError([Problem(label, 1, 1, message)]) from None
    return load_profile_bytes(data, label, overrides, kinds=kinds, path=path)


def _read_regular_file(path: Path) -> bytes:
    """The first MAX_BYTES + 1 bytes of the file at `path`.

    Opened without blocking and refused unless it is a regular file: reading a
    named pipe or a terminal would wait forever for a writer that never comes.
    """
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(descriptor, "rb") as stream:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(mode):
            raise _NotRegularFile
        # One byte past the limit is enough to know the file is too large,
        # without reading all of a huge one.
        return stream.read(MAX_BYTES + 1)


class _NotRegularFile(OSError):
    """The path names a pipe, a device or a socket rather than a file."""


def load_profile_text(
    text: str,
    path_label: str,
    overrides: Mapping[str, str] | None = None,
    *,
    kinds: Mapping[str, SourceKind] | None = None,
) -> LoadedProfile:
    """Check a profile held in memory; problems name `path_label` as their file."""
    # surrogatepass keeps a lone surrogate as bytes that then fail to decode, so it
    # is reported like any other file that is not UTF-8, not raised here.
    data = text.encode("utf-8", errors="surrogatepass")
    return load_profile_bytes(data, path_label, overrides, kinds=kinds)


def load_profile_bytes(
    data: bytes,
    path_label: str,
    overrides: Mapping[str, str] | None = None,
    *,
    kinds: Mapping[str, SourceKind] | None = None,
    path: Path | None = None,
) -> LoadedProfile:
    """Check a profile from its file's bytes; the other loaders end here."""
    kinds = source_kinds() if kinds is None else kinds
    document = load_yaml_document(data, path_label)
    content_hash = hashlib.sha256(data).hexdigest()
    if EXTENDS_KEY in document.tree:
        extended = _extend(document, data, path_label, path, kinds)
        document, content_hash = extended.document, extended.content_hash
    profile, variables = _validate(document, overrides or {}, kinds, path_label)
    return LoadedProfile(
        profile=profile,
        path=path if path is not None else Path(path_label),
        raw=document.tree,
        positions=document.positions,
        variables=variables,
        content_hash=content_hash,
        kinds=kinds,
    )


def _extend(
    document: YamlDocument,
    data: bytes,
    path_label: str,
    path: Path | None,
    kinds: Mapping[str, SourceKind],
) -> ExtendedDocument:
    """`document` combined with the chain of profiles its `extends:` names."""

    def read(base: Path) -> tuple[bytes, YamlDocument]:
        label = str(base)
        try:
            with base.open("rb") as stream:
                base_data = stream.read(MAX_BYTES + 1)
        except OSError as error:
            message = f"cannot read the file: {error.strerror or error}"
            raise ProfileError([Problem(label, 1, 1, message)]) from None
        return base_data, load_yaml_document(base_data, label)

    def check(base: YamlDocument, label: str) -> None:
        _validate(base, {}, kinds, label)

    def resolve(name: str, own: Path | None) -> Path | None:
        return find_base(name, own, (user_profiles_dir(), shipped_profiles_dir()))

    return apply_extends(
        document, path_label, path, data, read=read, resolve=resolve, check=check
    )


def _validate(
    document: YamlDocument,
    overrides: Mapping[str, str],
    kinds: Mapping[str, SourceKind],
    path_label: str,
) -> tuple[Profile, dict[str, str]]:
    """The profile in `document` and its variables, or every problem raised."""
    positions = document.positions
    problems = list(document.problems)
    resolved = resolve_variables(document.tree, overrides, positions, path_label)
    problems.extend(resolved.problems)
    tree, substitution_problems = substitute_variables(
        document.tree, resolved, positions, path_label
    )
    problems.extend(substitution_problems)
    profile = validate_model(
        Profile, tree, (), positions=positions, path_label=path_label, problems=problems
    )
    checks = _ProfileChecks(tree, kinds, resolved, positions, path_label)
    problems.extend(checks.run())
    if problems or profile is None:
        raise ProfileError([_one_line(problem) for problem in problems])
    return profile, resolved.values


def _one_line(problem: Problem) -> Problem:
    """`problem` with control characters in its message escaped.

    Messages quote keys and values from the file, which may hold a newline; `lint`
    promises one problem a line, so they are shown as `\\n` instead.
    """
    message = _CONTROL.sub(lambda match: repr(match.group())[1:-1], problem.message)
    if message == problem.message:
        return problem
    return dataclasses.replace(problem, message=message)


def validate_model(
    model: type[ModelT],
    value: object,
    base: NodePath,
    *,
    positions: PositionMap,
    path_label: str,
    problems: list[Problem],
) -> ModelT | None:
    """`value` validated as `model`, or None with its problems added to `problems`.

    `base` is the path of `value` within the document, for locating the problems.
    """
    try:
        return model.model_validate(value)
    except ValidationError as error:
        problems.extend(schema_problems(error, model, base, positions, path_label))
    except (TypeError, AttributeError) as error:
        # A validator met a value it was not written for and failed outside
        # pydantic's handling: a bug in the model rather than in the profile, but
        # the person checking the profile still gets a located answer, not a
        # traceback.
        line, column = positions.locate(base)
        message = f"could not check this part ({error}); this is a bug in watchdeck"
        problems.append(Problem(path_label, line, column, message))
    return None


def schema_problems(
    error: ValidationError,
    model: type[BaseModel],
    base: NodePath,
    positions: PositionMap,
    path_label: str,
) -> list[Problem]:
    """Each entry of a pydantic `error` as a located problem in plain words.

    `model` is the model that was validated, and `base` the path of the value it
    was given within the document.
    """
    problems = []
    for entry in error.errors():
        loc = tuple(entry["loc"])
        on_key = bool(loc) and loc[-1] == "[key]"
        if on_key:
            loc = loc[:-1]
        unknown = entry["type"] == "extra_forbidden"
        line, column = positions.locate((*base, *loc), key=on_key or unknown)
        message = _plain_message(entry, model, base, loc, on_key=on_key)
        problems.append(Problem(path_label, line, column, message))
    return problems


def _plain_message(
    entry: Any, model: type[BaseModel], base: NodePath, loc: NodePath, *, on_key: bool
) -> str:
    """What a pydantic error entry means, said to the person who wrote the YAML."""
    kind: str = entry["type"]
    context: dict[str, Any] = entry.get("ctx") or {}
    value = entry["input"]
    subject = _subject(loc)
    shown = _show(value)
    if kind == "missing":
        # The problem is placed at the mapping that lacks the key, which may start
        # lines away from where the key belongs; its path says which mapping.
        where = f" in {_dotted((*base, *loc[:-1]))}" if (*base, *loc[:-1]) else ""
        return f"missing required key '{loc[-1]}'{where}"
    if kind == "extra_forbidden":
        return _unknown_key(str(loc[-1]), _known_keys(model, loc[:-1]))
    if kind == "value_error":
        return str(context.get("error", entry["msg"]))
    if kind == "string_pattern_mismatch":
        named = shown if on_key else f"{subject} {shown}"
        return f"{named} is not a valid name: {_IDENTIFIER_HELP}"
    if kind == "literal_error":
        return f"{subject} must be one of {context.get('expected')}, not {shown}"
    if kind == "string_too_short":
        return f"{subject} must not be empty"
    bounds = {
        "greater_than_equal": ("at least", "ge"),
        "greater_than": ("more than", "gt"),
        "less_than_equal": ("at most", "le"),
        "less_than": ("less than", "lt"),
    }
    if kind in bounds:
        words, key = bounds[kind]
        return f"{subject} must be {words} {context.get(key)}, not {shown}"
    if kind in ("too_short", "too_long"):
        words = "at least" if kind == "too_short" else "at most"
        count = context.get("min_length" if kind == "too_short" else "max_length")
        return f"{subject} needs {words} {count} item{'s' if count != 1 else ''}"
    if kind == "string_too_long":
        return f"{subject} is longer than {context.get('max_length')} characters"
    expected = _EXPECTED.get(kind)
    if expected is not None:
        return f"{subject} should be {expected}, not {shown}"
    return f"{subject}: {entry['msg']}"


_EXPECTED = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "finite_number": "a finite number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "text",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
}


def _subject(loc: NodePath) -> str:
    """The field an error is about, as `title` or `roles[1]`."""
    indexes = ""
    for segment in reversed(loc):
        if isinstance(segment, int):
            indexes = f"[{segment}]{indexes}"
        else:
            return f"{segment}{indexes}"
    return f"item{indexes}" if indexes else "the value"


def _dotted(path: NodePath) -> str:
    """A path as people read it: `dashboards[0].panels[2].at`."""
    text = ""
    for segment in path:
        text += f"[{segment}]" if isinstance(segment, int) else f".{segment}"
    return text.removeprefix(".")


def _show(value: object) -> str:
    """A value as a message quotes it: short, and described when not a scalar."""
    if value is None:
        return "empty"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _unknown_key(key: str, known: Sequence[str]) -> str:
    """ "unknown key 'colour'", with the likeliest intended key when one is close."""
    message = f"unknown key '{key}'"
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if close:
        return f"{message}; did you mean '{close[0]}'?"
    if known and len(known) <= 6:
        return f"{message}; expected one of {', '.join(known)}"
    return message


def _known_keys(model: type[BaseModel], loc: NodePath) -> list[str]:
    """The keys the mapping at `loc` inside `model` may hold, as YAML spells them."""
    annotation: Any = model
    for segment in loc:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            fields = annotation.model_fields
            found = [f for name, f in fields.items() if (f.alias or name) == segment]
            if not found:
                return []
            annotation = found[0].annotation
            continue
        args = get_args(annotation)
        if get_origin(annotation) is list and isinstance(segment, int):
            annotation = args[0]
        elif get_origin(annotation) is dict and len(args) == 2:
            annotation = args[1]
        else:
            return []
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [f.alias or name for name, f in annotation.model_fields.items()]
    return []


def _unwrap(annotation: Any) -> Any:
    """`X` out of `Annotated[X, ...]` and `X | None`."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _unwrap(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        options = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(options) == 1:
            return _unwrap(options[0])
    return annotation


class _ProfileChecks:
    """Checks that span more than one field: sources, ids, the grid, drill links.

    They read the substituted tree rather than the validated profile, so that a
    schema problem in one panel does not hide a cross-check problem in another;
    anything malformed is skipped here because the schema already reports it.
    """

    def __init__(
        self,
        tree: Mapping[str, Any],
        kinds: Mapping[str, SourceKind],
        variables: ResolvedVariables,
        positions: PositionMap,
        path_label: str,
    ) -> None:
        self.tree = tree
        self.kinds = kinds
        self.variables = variables
        self.positions = positions
        self.path_label = path_label
        self.problems: list[Problem] = []

    def run(self) -> list[Problem]:
        """Every cross-check problem of the profile."""
        source_kinds = self._check_sources()
        self._check_discovery(source_kinds)
        dashboards = _mappings(self.tree.get("dashboards"), ("dashboards",))
        dashboard_ids = self._check_unique(dashboards, "dashboard id")
        for path, dashboard in dashboards:
            panels = _mappings(dashboard.get("panels"), (*path, "panels"))
            self._check_unique(panels, "panel id")
            self._check_overlaps(panels)
            for panel_path, panel in panels:
                self._check_queries(panel_path, panel, source_kinds)
                self._check_drill(panel_path, panel, dashboard_ids)
                self._check_health(panel_path, panel, panels)
                self._check_compare(panel_path, panel)
        return self.problems

    def _check_compare(self, panel_path: NodePath, panel: Mapping[str, Any]) -> None:
        """Only a line chart can draw an earlier window behind its live lines."""
        kind = panel.get("type")
        if "compare" in panel and isinstance(kind, str) and kind != "line_chart":
            message = f"compare draws an earlier window on line charts, not a {kind}"
            self._report((*panel_path, "compare"), message, key=True)

    def _check_sources(self) -> dict[str, SourceKind | None]:
        """Each source's kind, checking its type and options; None when unusable."""
        found: dict[str, SourceKind | None] = {}
        sources = self.tree.get("sources")
        if not isinstance(sources, dict):
            return found
        for name, spec in sources.items():
            found[name] = None
            type_name = spec.get("type") if isinstance(spec, dict) else None
            if not isinstance(type_name, str):
                continue
            kind = self.kinds.get(type_name)
            if kind is None:
                known = ", ".join(sorted(self.kinds)) or "none"
                message = f"unknown source type {type_name!r}; known types: {known}"
                self._report(("sources", name, "type"), message)
                continue
            found[name] = kind
            options = {key: value for key, value in spec.items() if key != "type"}
            self._check_model(kind.options_model, options, ("sources", name))
        return found

    def _check_discovery(self, source_kinds: Mapping[str, SourceKind | None]) -> None:
        """Each variable's `discover:` names a declared source that can list
        values, and asks what that kind understands."""
        for name, variable in _items(self.tree.get("variables")):
            discover = variable.get("discover") if isinstance(variable, dict) else None
            if not isinstance(discover, dict):
                continue
            path: NodePath = ("variables", name, "discover")
            source = discover.get("source")
            if not isinstance(source, str):
                continue
            if source not in source_kinds:
                declared = ", ".join(sorted(source_kinds)) or "none"
                message = (
                    f"discover names source {source!r}, which is not declared "
                    f"under sources: (declared: {declared})"
                )
                self._report((*path, "source"), message)
                continue
            kind = source_kinds[source]
            if kind is None:
                continue
            if kind.discovery_model is None:
                message = (
                    f"source {source!r} ({kind.type_name}) cannot list values for "
                    "a variable; give `choices` instead"
                )
                self._report((*path, "source"), message)
                continue
            params = {key: value for key, value in discover.items() if key != "source"}
            self._check_model(kind.discovery_model, params, path)

    def _check_queries(
        self,
        panel_path: NodePath,
        panel: Mapping[str, Any],
        source_kinds: Mapping[str, SourceKind | None],
    ) -> None:
        """Each query names a declared source and asks what its kind understands."""
        for query_path, query in _panel_queries(panel_path, panel):
            source = query.get("source")
            if not isinstance(source, str):
                continue
            if source not in source_kinds:
                declared = ", ".join(sorted(source_kinds)) or "none"
                message = (
                    f"query names source {source!r}, which is not declared under "
                    f"sources: (declared: {declared})"
                )
                self._report((*query_path, "source"), message)
                continue
            kind = source_kinds[source]
            if kind is not None:
                params = {
                    key: value
                    for key, value in query.items()
                    if key not in ("source", "label")
                }
                self._check_model(kind.params_model, params, query_path)

    def _check_unique(
        self, items: Sequence[tuple[NodePath, Mapping[str, Any]]], what: str
    ) -> set[str]:
        """Every id among `items`; an id used twice is a problem at its second use."""
        first_line: dict[str, int] = {}
        for path, item in items:
            item_id = item.get("id")
            if not isinstance(item_id, str):
                continue
            line, _ = self.positions.locate((*path, "id"))
            if item_id in first_line:
                message = f"duplicate {what} '{item_id}': also used on line "
                self._report((*path, "id"), message + str(first_line[item_id]))
            else:
                first_line[item_id] = line
        return set(first_line)

    def _check_overlaps(
        self, panels: Sequence[tuple[NodePath, Mapping[str, Any]]]
    ) -> None:
        """No two panels of a dashboard share a cell of the grid.

        Each of the twelve columns is swept from top to bottom, so the work grows
        with the number of panels times log of it, however tall or piled up they
        are. A panel that starts above where another panel in its column ends
        overlaps that panel; it is reported once, naming the panel it overlaps.
        """
        placed: list[tuple[Position, str, NodePath]] = []
        for path, panel in panels:
            try:
                at = Position.model_validate(panel.get("at"))
            except ValidationError:
                continue
            placed.append((at, str(panel.get("id", "?")), path))
        overlapped: dict[int, int] = {}
        for column in range(GRID_COLUMNS):
            covering = sorted(
                (at.y, index)
                for index, (at, _, _) in enumerate(placed)
                if at.x <= column < at.x + at.w
            )
            lowest_end, lowest = -1, -1
            for top, index in covering:
                if top < lowest_end:
                    overlapped.setdefault(index, lowest)
                end = top + placed[index][0].h
                if end > lowest_end:
                    lowest_end, lowest = end, index
        for index, other in overlapped.items():
            _, panel_id, path = placed[index]
            other_line, _ = self.positions.locate((*placed[other][2], "at"))
            message = (
                f"panel '{panel_id}' overlaps panel '{placed[other][1]}' "
                f"(line {other_line}) on the grid"
            )
            self._report((*path, "at"), message)

    def _check_drill(
        self, panel_path: NodePath, panel: Mapping[str, Any], dashboard_ids: set[str]
    ) -> None:
        """A drill link opens a dashboard of this profile and sets its variables."""
        drill = panel.get("drill")
        if not isinstance(drill, dict):
            return
        drill_path = (*panel_path, "drill")
        target = drill.get("dashboard")
        if isinstance(target, str) and target not in dashboard_ids:
            known = ", ".join(sorted(dashboard_ids)) or "none"
            message = (
                f"drill link to unknown dashboard '{target}' (dashboards: {known})"
            )
            self._report((*drill_path, "dashboard"), message)
        settings = drill.get("with")
        if not isinstance(settings, dict):
            return
        for name in settings:
            if name not in self.variables.declared:
                declared = ", ".join(sorted(self.variables.declared)) or "none"
                message = (
                    f"drill link sets variable '{name}', which the profile does not "
                    f"declare (declared: {declared})"
                )
                self._report((*drill_path, "with", name), message, key=True)

    def _check_health(
        self,
        panel_path: NodePath,
        panel: Mapping[str, Any],
        panels: Sequence[tuple[NodePath, Mapping[str, Any]]],
    ) -> None:
        """A health score weighs other panels of its own dashboard, not scores."""
        health = panel.get("health")
        weights = health.get("panels") if isinstance(health, dict) else None
        if not isinstance(weights, dict):
            return
        types = {
            other.get("id"): other.get("type")
            for _, other in panels
            if other is not panel
        }
        for name in weights:
            if name == panel.get("id"):
                message = "a health score cannot weigh itself"
            elif name not in types:
                known = ", ".join(sorted(str(k) for k in types)) or "none"
                message = (
                    f"health score weighs unknown panel '{name}' "
                    f"(panels of this dashboard: {known})"
                )
            elif types[name] in ("health_score", "text"):
                message = f"health score cannot weigh the {types[name]} panel '{name}'"
            else:
                continue
            path = (*panel_path, "health", "panels", name)
            self._report(path, message, key=True)

    def _check_model(
        self, model: type[BaseModel], value: Mapping[str, Any], path: NodePath
    ) -> None:
        validate_model(
            model,
            value,
            path,
            positions=self.positions,
            path_label=self.path_label,
            problems=self.problems,
        )

    def _report(self, path: NodePath, message: str, *, key: bool = False) -> None:
        line, column = self.positions.locate(path, key=key)
        self.problems.append(Problem(self.path_label, line, column, message))


def _items(value: object) -> list[tuple[str, object]]:
    """The items of a mapping with text keys; anything else gives none."""
    if not isinstance(value, dict):
        return []
    return [(key, item) for key, item in value.items() if isinstance(key, str)]


def _mappings(value: object, path: NodePath) -> list[tuple[NodePath, dict[str, Any]]]:
    """The mapping items of a list, each with its path; anything else is skipped."""
    if not isinstance(value, list):
        return []
    return [
        ((*path, index), item)
        for index, item in enumerate(value)
        if isinstance(item, dict)
    ]


def _panel_queries(
    panel_path: NodePath, panel: Mapping[str, Any]
) -> Iterator[tuple[NodePath, dict[str, Any]]]:
    """A panel's queries with their paths, whether written as `query` or `queries`."""
    query = panel.get("query")
    if isinstance(query, dict):
        yield (*panel_path, "query"), query
    yield from _mappings(panel.get("queries"), (*panel_path, "queries"))
