"""Query parameters that fail their model, said in one line a panel can show."""

from __future__ import annotations

from pydantic import ValidationError


def validation_reason(error: ValidationError) -> str:
    """The first problem of `error` as `where: what`, with a count of the others."""
    problems = error.errors()
    if not problems:
        return "invalid query parameters"
    first = problems[0]
    where = ".".join(str(part) for part in first["loc"])
    # Pydantic prefixes the message of a ValueError raised by a validator with its
    # type; the message alone reads better on a panel.
    message = str(first["msg"]).removeprefix("Value error, ")
    reason = f"{where}: {message}" if where else message
    if len(problems) > 1:
        reason += f" (and {len(problems) - 1} more)"
    return reason
