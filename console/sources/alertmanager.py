"""The Alertmanager source (`type: alertmanager`): alerts as a table, and silences.

`fetch` lists alerts from `/api/v2/alerts` as a table (see `alertmanager_alerts`
for its columns and order). The alert screen also acts on alerts through the same
source, so that it shares its connection, credentials and one-line failure reasons:

    labels = source.alert_labels(fingerprint)          # from the latest fetch
    if await source.matching_alerts(labels) > 1:
        ...                                            # ask before silencing more
    silence_id = await source.silence(labels, duration_s=3600, comment="...")
    await source.expire(silence_id)
    for silence in await source.silences(): ...        # who silenced what, until

Those calls raise `SourceError` with a one-line reason, fit for a notification.
See `endpoint_options` for the connection, authentication and TLS options.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Mapping, Sequence

from aiohttp.abc import AbstractResolver
from pydantic import ValidationError

from console.clock import Clock
from console.identity import local_user
from console.results import FetchBatch, FetchFailure, FetchRequest, TableResult
from console.sources.alertmanager_alerts import (
    Alert,
    AlertAnswerError,
    alert_table,
    parse_alerts,
)
from console.sources.alertmanager_params import AlertmanagerParams
from console.sources.alertmanager_silences import (
    Matcher,
    Silence,
    SilenceAnswerError,
    parse_silences,
    silence_body,
    silence_table,
)
from console.sources.base import Source, SourceError, SourceKind, SourceOptions
from console.sources.endpoint_options import HttpEndpointOptions
from console.sources.json_api_client import ApiFailure, JsonApiClient, Query
from console.sources.request_failure_reasons import one_line
from console.sources.validation_reason import validation_reason

log = logging.getLogger(__name__)

CONCURRENT_QUERIES = 4
"""Queries of one fetch in flight at once."""

MAX_REMEMBERED_ALERTS = 10_000
"""Alerts whose labels `alert_labels` can give; beyond, the oldest fetches' go."""

_SILENCE_ORDER = {"active": 0, "pending": 1, "expired": 2}


class AlertmanagerOptions(HttpEndpointOptions):
    """Options of a `type: alertmanager` source block: the server and how to reach
    it, such as `{type: alertmanager, url: "http://127.0.0.1:9093"}`."""


def alertmanager_error_text(body: object) -> str | None:
    """Alertmanager's own account of a refused request: a JSON string, or an
    object with a `message`."""
    if isinstance(body, str) and body.strip():
        return body
    if isinstance(body, dict):
        message = body.get("message")
        if isinstance(message, str) and message.strip():
            return message
    return None


class AlertmanagerSource:
    """An Alertmanager, asked over its v2 HTTP API."""

    def __init__(
        self,
        name: str,
        options: AlertmanagerOptions,
        clock: Clock,
        *,
        resolver: AbstractResolver | None = None,
    ) -> None:
        """`clock` dates new silences; `resolver` replaces host name resolution
        (tests use it to stay on the machine)."""
        self.name = name
        self.options = options
        self._clock = clock
        self._client = JsonApiClient(
            options, error_text=alertmanager_error_text, resolver=resolver
        )
        self._turns = asyncio.Semaphore(CONCURRENT_QUERIES)
        self._labels: dict[str, Mapping[str, str]] = {}

    async def fetch(self, requests: Sequence[FetchRequest]) -> FetchBatch:
        """List the alerts each request asks for, as a table; each fails alone.

        Raises `SourceError` when no request reached the server.
        """
        batch = FetchBatch()
        wanted: list[tuple[FetchRequest, AlertmanagerParams]] = []
        for request in requests:
            try:
                params = AlertmanagerParams.model_validate(dict(request.params))
            except ValidationError as error:
                batch.failures[request.key] = FetchFailure(validation_reason(error))
                continue
            wanted.append((request, params))
        answers = await asyncio.gather(
            *(self._answer(params) for _, params in wanted), return_exceptions=True
        )
        unreachable: list[ApiFailure] = []
        labels: dict[str, Mapping[str, str]] = {}
        for (request, _), answer in zip(wanted, answers, strict=True):
            if isinstance(answer, SourceError):
                if isinstance(answer, ApiFailure) and answer.unreachable:
                    unreachable.append(answer)
                batch.failures[request.key] = FetchFailure(
                    answer.reason, throttled=answer.throttled
                )
            elif isinstance(answer, BaseException):
                raise answer
            else:
                table, alerts = answer
                labels.update((alert.fingerprint, alert.labels) for alert in alerts)
                batch.results[request.key] = table
        # Panels with other filters or refresh rates fetch separately, so labels
        # accumulate across fetches; past the cap, only the newest are kept.
        self._labels.update(labels)
        if len(self._labels) > MAX_REMEMBERED_ALERTS:
            self._labels = labels
        if unreachable and len(unreachable) == len(requests):
            raise SourceError(unreachable[0].reason)
        return batch

    def alert_labels(self, fingerprint: str) -> Mapping[str, str] | None:
        """The labels of the alert with `fingerprint`, as a fetch listed it; None
        when no fetch has listed it yet."""
        return self._labels.get(fingerprint)

    async def matching_alerts(self, matchers: Mapping[str, str]) -> int:
        """How many alerts (active, silenced, inhibited or not yet processed) have
        every label of `matchers` with that value: the alerts a silence made by
        `silence(matchers, ...)` would hold. More than one means the silence
        reaches beyond the alert the user picked, which deserves a confirmation.
        """
        filters = [str(Matcher(name, value)) for name, value in matchers.items()]
        alerts = await self._alerts(filters, active=True, silenced=True, inhibited=True)
        return sum(
            all(alert.labels.get(name) == value for name, value in matchers.items())
            for alert in alerts
        )

    async def silence(
        self,
        labels: Mapping[str, str],
        *,
        duration_s: float,
        comment: str,
        created_by: str | None = None,
    ) -> str:
        """Silence the alert with `labels` for `duration_s` seconds from now.

        The silence has an equality matcher for every one of `labels`, so it
        holds that alert and any alert carrying the same labels and more (ask
        `matching_alerts` first). `created_by` names who silenced it, the local
        user when left out. Returns the new silence's id. Raises ValueError for
        no labels, a duration outside (0, 30 days] or an empty comment, and
        `SourceError` when Alertmanager refuses or cannot be reached.
        """
        author = created_by if created_by is not None else local_user()
        body = silence_body(
            labels,
            now=self._clock.now(),
            duration_s=duration_s,
            comment=comment,
            created_by=author,
        )
        try:
            answer = await self._client.request("POST", "api/v2/silences", body=body)
        except SourceError as error:
            raise _in_context("cannot create the silence", error) from None
        silence_id = answer.get("silenceID") if isinstance(answer, dict) else None
        if not isinstance(silence_id, str) or not silence_id:
            raise SourceError(
                f"unexpected answer from {self._client.address}: no silence id"
            )
        log.info(
            "silenced %s for %.0fs as %s (silence %s)",
            labels.get("alertname", "an alert"),
            duration_s,
            author,
            silence_id,
        )
        return silence_id

    async def expire(self, silence_id: str) -> None:
        """End the silence `silence_id` now; its alerts show as active again on
        the next fetch. Raises ValueError for an id that is not a UUID, as
        Alertmanager's are, and `SourceError` when Alertmanager refuses (an
        unknown silence) or cannot be reached."""
        try:
            # Also keeps the id from ever steering the request to another path.
            canonical = str(uuid.UUID(silence_id))
        except ValueError:
            raise ValueError(f"{silence_id!r} is not a silence id") from None
        try:
            await self._client.request("DELETE", f"api/v2/silence/{canonical}")
        except SourceError as error:
            raise _in_context(f"cannot expire silence {canonical}", error) from None
        log.info("expired silence %s", canonical)

    async def silences(self, *, include_expired: bool = False) -> list[Silence]:
        """Who silenced what, and until when: active silences first, then those
        that start later, each ordered by when it ends. Expired silences (kept by
        Alertmanager for days) only with `include_expired`."""
        answer = await self._client.request("GET", "api/v2/silences")
        try:
            found = parse_silences(answer)
        except SilenceAnswerError as error:
            raise self._unexpected(error) from None
        if not include_expired:
            found = [silence for silence in found if silence.state != "expired"]
        return sorted(
            found,
            key=lambda silence: (
                _SILENCE_ORDER.get(silence.state, len(_SILENCE_ORDER)),
                silence.ends_at,
            ),
        )

    async def close(self) -> None:
        """Close the connections to the server."""
        await self._client.close()

    async def _answer(
        self, params: AlertmanagerParams
    ) -> tuple[TableResult, list[Alert]]:
        """The table a query asks for, and the alerts it listed (none for
        silences)."""
        if params.show == "silences":
            async with self._turns:
                return silence_table(await self.silences()), []
        alerts = await self._listed(params)
        return alert_table(alerts, params.group_by), alerts

    async def _listed(self, params: AlertmanagerParams) -> list[Alert]:
        async with self._turns:
            return await self._alerts(
                params.filter,
                active=params.active,
                silenced=params.silenced,
                inhibited=params.inhibited,
            )

    async def _alerts(
        self, filters: Sequence[str], *, active: bool, silenced: bool, inhibited: bool
    ) -> list[Alert]:
        query: Query = [
            ("active", _flag(active)),
            ("silenced", _flag(silenced)),
            ("inhibited", _flag(inhibited)),
            ("unprocessed", "true"),
            *(("filter", matcher) for matcher in filters),
        ]
        answer = await self._client.request("GET", "api/v2/alerts", query=query)
        try:
            return parse_alerts(answer)
        except AlertAnswerError as error:
            raise self._unexpected(error) from None

    def _unexpected(self, error: Exception) -> SourceError:
        return SourceError(
            one_line(f"unexpected answer from {self._client.address}: {error}")
        )


def _in_context(action: str, error: SourceError) -> SourceError:
    """`error` with what was being done in front of its reason."""
    reason = one_line(f"{action}: {error.reason}")
    return SourceError(reason, throttled=error.throttled)


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _create(name: str, options: SourceOptions, clock: Clock) -> Source:
    if not isinstance(options, AlertmanagerOptions):
        options = AlertmanagerOptions.model_validate(options.model_dump())
    return AlertmanagerSource(name, options, clock)


KIND = SourceKind(
    type_name="alertmanager",
    options_model=AlertmanagerOptions,
    params_model=AlertmanagerParams,
    create=_create,
    min_interval=1.0,
)
"""The Alertmanager source, as the registry knows it."""
