"""A corpus of malformed and hostile profiles, built as bytes so that binary data,
wrong encodings and multi-megabyte files need no checked-in fixtures.

Every entry must make `watchdeck lint` exit 1 with located problems. `HOSTILE` maps
a case name to the bytes of its file; `CIRCULAR_EXTENDS` is the one case that needs
two files naming each other.
"""

from __future__ import annotations

import random

BASE = """\
profile: hostile
title: Hostile
sources:
  shop: {type: testdata, seed: 1}
dashboards:
  - id: main
    title: Main
    panels:
      - id: a
        title: A
        type: single_value
        at: {x: 0, y: 0, w: 6, h: 6}
        query: {source: shop, metric: requests, shape: counter}
"""
"""A clean profile every textual case below changes in one place."""

_PANEL_B = """\
      - id: b
        title: B
        type: single_value
        at: {x: 6, y: 0, w: 6, h: 6}
        query: {source: shop, metric: errors, shape: errors}
"""


def _swap(old: str, new: str, text: str = BASE) -> bytes:
    assert old in text, f"{old!r} is not in the base profile"
    return text.replace(old, new, 1).encode()


def _billion_laughs(levels: int = 9) -> bytes:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        refs = ", ".join([f"*l{level - 1}"] * 8)
        lines.append(f"l{level}: &l{level} [{refs}]")
    return (BASE + "\n".join(lines) + "\n").encode()


def _merge_bomb() -> bytes:
    # Each level is a mapping that merges the previous one and holds it twice more.
    lines = ["m0: &m0 {a: 1, b: 2}"]
    for level in range(1, 20):
        previous = f"*m{level - 1}"
        lines.append(
            f"m{level}: &m{level} {{<<: {previous}, x: {previous}, y: {previous}}}"
        )
    return (BASE + "\n".join(lines) + "\n").encode()


def _deep_block(depth: int) -> bytes:
    lines = [f"{'  ' * level}k{level}:" for level in range(depth)]
    return (BASE + "\n".join(lines) + " end\n").encode()


def _many_aliases(count: int) -> bytes:
    refs = ", ".join(["*t"] * count)
    return (BASE + f"anchor: &t x\nrefs: [{refs}]\n").encode()


def _many_values(count: int) -> bytes:
    return (BASE + "junk: [" + ", ".join(["1"] * count) + "]\n").encode()


def _many_panels(count: int) -> bytes:
    panels = "".join(
        f"      - id: p{index}\n"
        f"        title: P{index}\n"
        "        type: single_value\n"
        # Every panel on the same cell: each one overlaps the first.
        "        at: {x: 0, y: 100, w: 6, h: 6}\n"
        "        query: {source: shop, metric: requests, shape: counter}\n"
        for index in range(count)
    )
    return (BASE + panels).encode()


def _random_bytes(size: int, *, seed: int, nul: bool) -> bytes:
    rng = random.Random(seed)
    data = bytearray(rng.randrange(256) for _ in range(size))
    if not nul:
        data = data.replace(b"\x00", b"\xff")
    return b"profile: x\n" + bytes(data)


def _circular_extends(other: str) -> bytes:
    return f"extends: {other}\n".encode() + BASE.encode()


CIRCULAR_EXTENDS = ("extends_a.yaml", "extends_b.yaml")
"""Two profiles that each `extends` the other."""

HOSTILE: dict[str, bytes] = {
    # YAML syntax
    "syntax_unclosed_flow": b"profile: x\nsources: {shop: [1, 2\n",
    "syntax_unclosed_quote": _swap("title: Hostile", 'title: "Hostile'),
    "syntax_bad_indent": _swap("    title: Main", "      title: Main"),
    "syntax_mapping_in_plain": _swap("title: Hostile", "title: a: b"),
    "syntax_stray_bracket": _swap("title: Hostile", "title: }Hostile"),
    "syntax_bad_directive": b"%YAML 9.9\n---\n" + BASE.encode(),
    "tab_indentation": _swap("    title: Main", "\ttitle: Main"),
    "tab_before_dash": _swap("    panels:\n", "    panels:\n\t"),
    "multiple_documents": BASE.encode() + b"---\n" + BASE.encode(),
    # Shape and types
    "empty_file": b"",
    "only_comments": b"# nothing here\n# at all\n",
    "top_level_list": b"- profile: x\n- title: y\n",
    "top_level_scalar": b"just some words\n",
    "wrong_type_title_list": _swap("title: Hostile", "title: [a, b]"),
    "wrong_type_panels_mapping": _swap("    panels:\n", "    panels: {}\n")
    .decode()
    .split("      - id: a")[0]
    .encode(),
    "wrong_type_at_text": _swap("{x: 0, y: 0, w: 6, h: 6}", "{x: left, y: 0, w: 6}"),
    "wrong_type_refresh": _swap(
        "    title: Main", "    title: Main\n    refresh: soon"
    ),
    "negative_size": _swap("w: 6, h: 6", "w: -6, h: 6"),
    "nan_threshold": _swap(
        "        query:", "        thresholds: {warning: .nan}\n        query:"
    ),
    "huge_integer": _swap("seed: 1", "seed: " + "9" * 5000),
    "collection_as_key": BASE.encode() + b"? [a, b]\n: c\n",
    # Unknown and duplicate keys, duplicate ids
    "unknown_key_top": BASE.encode() + b"colour: red\n",
    "unknown_key_panel": _swap("        title: A", "        tilte: A"),
    "unknown_source_option": _swap("seed: 1", "seed: 1, password: hunter2"),
    "duplicate_key_top": BASE.encode() + b"title: Again\n",
    "duplicate_key_nested": _swap("w: 6, h: 6", "w: 6, h: 6, w: 3"),
    "duplicate_dashboard_id": BASE.encode()
    + b"  - id: main\n    title: Again\n    panels: []\n",
    "duplicate_panel_id": BASE.encode() + _PANEL_B.replace("id: b", "id: a").encode(),
    # Tags that would build objects
    "python_object_apply": _swap(
        "title: Hostile", 'title: !!python/object/apply:os.system ["echo owned"]'
    ),
    "python_name_tag": _swap("title: Hostile", "title: !!python/name:os.system"),
    "python_object_new": BASE.encode()
    + b"x: !!python/object/new:subprocess.Popen [[true]]\n",
    "local_tag": _swap("title: Hostile", "title: !secret hostile"),
    "binary_tag": _swap("title: Hostile", "title: !!binary aGVsbG8="),
    # Aliases
    "billion_laughs": _billion_laughs(),
    "merge_and_nest_bomb": _merge_bomb(),
    "alias_cycle": BASE.encode() + b"loop: &a [1, *a]\n",
    "alias_undefined": BASE.encode() + b"ref: *nowhere\n",
    "too_many_aliases": _many_aliases(1_500),
    # Size and depth
    "deep_flow_nesting": BASE.encode() + b"deep: " + b"[" * 20_000 + b"]" * 20_000,
    "deep_flow_mapping": BASE.encode()
    + b"deep: "
    + b"{a: " * 5_000
    + b"1"
    + b"}" * 5_000,
    "deep_block_nesting": _deep_block(300),
    "too_many_values": _many_values(60_000),
    "larger_than_2mb": BASE.encode() + b"# " + b"x" * (3 * 1024 * 1024) + b"\n",
    "long_scalar_unknown_key": BASE.encode() + b"junk: " + b"y" * 1_500_000 + b"\n",
    "thousand_overlapping_panels": _many_panels(1_000),
    # Binary data and encodings
    "binary_with_nul": _random_bytes(4096, seed=1, nul=True),
    "binary_without_nul": _random_bytes(4096, seed=2, nul=False),
    "utf16_le_bom": BASE.encode("utf-16"),
    "utf16_be": BASE.encode("utf-16-be"),
    "utf32": BASE.encode("utf-32"),
    "latin1_accent": _swap("title: Hostile", "title: Caf\u00e9 d\u00e9j\u00e0")
    .decode()
    .encode("latin-1"),
    "lone_surrogate_bytes": _swap("title: Hostile", "title: X").replace(
        b"title: X", b"title: \xed\xa0\x80"
    ),
    "terminal_escape_in_title": _swap(
        "title: Hostile", 'title: "\x1b[2J\x1b]0;pwn\x07"'
    ),
    "nul_in_middle": _swap("title: Hostile", "title: Host\x00ile"),
    # Meaning
    "undefined_variable": _swap("title: Hostile", 'title: "${nowhere}"'),
    "unterminated_variable": _swap("title: Hostile", 'title: "${service"'),
    "undeclared_source": _swap("{source: shop,", "{source: nowhere,"),
    "unknown_source_type": _swap("type: testdata", "type: mainframe"),
    "thresholds_inverted": _swap(
        "        query:",
        "        thresholds: {warning: 90, critical: 10}\n        query:",
    ),
    "thresholds_inverted_below": _swap(
        "        query:",
        "        thresholds: {warning: 10, critical: 90, direction: below}\n"
        "        query:",
    ),
    "panels_overlap": BASE.encode() + _PANEL_B.replace("x: 6", "x: 3").encode(),
    "panel_off_grid": _swap("{x: 0, y: 0, w: 6, h: 6}", "{x: 10, y: 0, w: 6, h: 6}"),
    "drill_to_nowhere": _swap(
        "        query:", "        drill: {dashboard: nowhere}\n        query:"
    ),
    "bad_query_param": _swap("shape: counter", "shape: counter, colour: red"),
}
"""Case name to the bytes of its profile file."""


def circular_extends_files() -> dict[str, bytes]:
    """The two files of the circular `extends` case, by file name."""
    first, second = CIRCULAR_EXTENDS
    return {first: _circular_extends(second), second: _circular_extends(first)}
