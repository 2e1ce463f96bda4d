"""The kinds of source a profile can name, by their `type:`."""

from __future__ import annotations

from functools import cache

from console.sources.base import SourceKind


@cache
def source_kinds() -> dict[str, SourceKind]:
    """Every source kind this build knows, keyed by type name.

    Imported on first use so that loading the registry does not pull in every SDK.
    """
    from console.sources import (
        alertmanager,
        cloudwatch,
        cloudwatch_alarms,
        command,
        host,
        http_json,
        lambda_function,
        prometheus,
        sql,
        testdata,
    )

    kinds = [
        testdata.KIND,
        host.KIND,
        prometheus.KIND,
        alertmanager.KIND,
        cloudwatch.KIND,
        cloudwatch_alarms.KIND,
        http_json.KIND,
        lambda_function.KIND,
        sql.KIND,
        command.KIND,
    ]
    return {kind.type_name: kind for kind in kinds}
