"""The kinds of source a profile can name, by their `type:`.

Each kind's module is imported the first time a profile names it, so that a profile
of Prometheus panels never pays for loading the AWS SDK, and one of synthetic data
loads no client library at all.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from importlib import import_module

from console.sources.base import SourceKind

KIND_MODULES = {
    "testdata": "console.sources.testdata",
    "host": "console.sources.host",
    "prometheus": "console.sources.prometheus",
    "alertmanager": "console.sources.alertmanager",
    "cloudwatch": "console.sources.cloudwatch",
    "cloudwatch_alarms": "console.sources.cloudwatch_alarms",
    "http": "console.sources.http_json",
    "lambda": "console.sources.lambda_function",
    "sql": "console.sources.sql",
    "command": "console.sources.command",
}
"""Each `type:` a profile may name, and the module whose `KIND` implements it."""


class _LazyKinds(Mapping[str, SourceKind]):
    """Source kinds by type name, each module imported when first looked up."""

    def __init__(self) -> None:
        self._loaded: dict[str, SourceKind] = {}

    def __getitem__(self, type_name: str) -> SourceKind:
        kind = self._loaded.get(type_name)
        if kind is None:
            module = import_module(KIND_MODULES[type_name])
            kind = module.KIND
            if not isinstance(kind, SourceKind) or kind.type_name != type_name:
                raise RuntimeError(f"{module.__name__}.KIND is not {type_name!r}")
            self._loaded[type_name] = kind
        return kind

    def __iter__(self) -> Iterator[str]:
        return iter(KIND_MODULES)

    def __len__(self) -> int:
        return len(KIND_MODULES)


@cache
def source_kinds() -> Mapping[str, SourceKind]:
    """Every source kind this build knows, keyed by type name."""
    return _LazyKinds()
