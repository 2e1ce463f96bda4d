"""The Lambda source (`type: lambda`): invoke a function, read its JSON result.

    query: {source: fn, function: health-score, payload: {service: checkout}}
    query: {source: fn, function: health-score, path_in_response: score}
    query: {source: fn, function: "arn:aws:lambda:us-east-1:123456789012:function:slo",
            reading: table, path_in_response: services}

The function is called synchronously (RequestResponse) with the payload as JSON,
and its result is read like any JSON answer (see `json_reading`): one value, a
series or a table. A function error, a result that is not JSON and a call that
outlasts `timeout` each read as one line on the panel.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from functools import partial
from typing import Any

from pydantic import Field, JsonValue, ValidationError

from console.clock import Clock
from console.results import FetchBatch, FetchFailure, FetchRequest, QueryResult
from console.sources.aws_options import AwsOptions
from console.sources.aws_reasons import aws_reason, is_throttling
from console.sources.aws_session import AwsClients, call_in_thread
from console.sources.base import Source, SourceKind, SourceOptions
from console.sources.endpoint_options import Seconds
from console.sources.json_reading import ReadingError, ReadingParams, read_document
from console.sources.reason_text import clipped, size_label
from console.sources.validation_reason import validation_reason

ACTION = "lambda:InvokeFunction"
MAX_RESULT = 6 * 1024 * 1024
"""Bytes of result read at most: Lambda's own limit for a synchronous call."""


class LambdaOptions(AwsOptions):
    """Options of a `type: lambda` source block: whose functions, where."""


class LambdaParams(ReadingParams):
    """A function to invoke, its payload, and how to read its JSON result."""

    function: str = Field(min_length=1, max_length=256)
    """The function's name, name with alias (`health:live`), or ARN. Required."""
    payload: JsonValue = None
    """The event sent to the function, written as YAML. Left out: `{}`."""
    qualifier: str | None = Field(default=None, min_length=1, max_length=128)
    """A version or alias to invoke. Left out: `$LATEST` (or the name's alias)."""
    timeout: Seconds = Field(default=10.0, gt=0.0, le=900.0)
    """How long to wait for the result, in seconds or as a duration (`30s`),
    before the panel shows the call timed out. Default: 10 s."""


class LambdaSource:
    """Lambda functions of one account and region, invoked for their results."""

    def __init__(
        self,
        name: str,
        options: AwsOptions,
        clock: Clock,
        *,
        clients: AwsClients | None = None,
    ) -> None:
        """`clients` replaces the AWS clients; tests pass ones with a Stubber."""
        self.name = name
        self.options = options
        self._clock = clock
        self.clients = clients or AwsClients(options)
        self.calls = 0
        """Invocations sent."""

    async def fetch(self, requests: Sequence[FetchRequest]) -> FetchBatch:
        """Invoke each query's function side by side; each fails alone."""
        batch = FetchBatch()
        wanted: list[tuple[FetchRequest, LambdaParams]] = []
        for request in requests:
            try:
                params = LambdaParams.model_validate(dict(request.params))
            except ValidationError as error:
                batch.failures[request.key] = FetchFailure(validation_reason(error))
                continue
            wanted.append((request, params))
        answers = await asyncio.gather(
            *(self._answer(request, params) for request, params in wanted)
        )
        for (request, _), answer in zip(wanted, answers, strict=True):
            if isinstance(answer, FetchFailure):
                batch.failures[request.key] = answer
            else:
                batch.results[request.key] = answer
        return batch

    async def close(self) -> None:
        """Nothing to close: the SDK's connections go with its clients."""

    async def _answer(
        self, request: FetchRequest, params: LambdaParams
    ) -> QueryResult | FetchFailure:
        try:
            body = await asyncio.wait_for(
                call_in_thread(partial(self._invoke, params)), params.timeout
            )
        except TimeoutError:
            return FetchFailure(
                f"{params.function} gave no result within {params.timeout:g}s"
            )
        except _FunctionFailed as failed:
            return FetchFailure(str(failed))
        except Exception as error:  # noqa: BLE001 - every SDK failure is a reason
            who = self.clients.profile_label
            where = self.clients.region_label()
            if is_throttling(error):
                reason = f"throttled ({self.clients.account()}, {where})"
                return FetchFailure(reason, throttled=True)
            return FetchFailure(aws_reason(error, ACTION, who, where))
        try:
            document = json.loads(body)
        except ValueError:
            return FetchFailure(f"{params.function} returned a result that is not JSON")
        try:
            return read_document(
                document, params, self._clock.now(), within="the function's result"
            )
        except ReadingError as error:
            return FetchFailure(str(error))

    def _invoke(self, params: LambdaParams) -> bytes:
        """One synchronous invocation; its result's bytes (runs in a thread)."""
        client = self.clients.client("lambda")
        arguments: dict[str, Any] = {
            "FunctionName": params.function,
            "InvocationType": "RequestResponse",
            "Payload": json.dumps({} if params.payload is None else params.payload),
        }
        if params.qualifier is not None:
            arguments["Qualifier"] = params.qualifier
        self.calls += 1
        answer = client.invoke(**arguments)
        body: bytes = answer["Payload"].read(MAX_RESULT + 1)
        if len(body) > MAX_RESULT:
            raise _FunctionFailed(
                f"{params.function} returned more than {size_label(MAX_RESULT)}"
            )
        if answer.get("FunctionError"):
            raise _FunctionFailed(_error_line(params.function, body))
        return body


class _FunctionFailed(Exception):
    """The function ran and failed, or answered with something unusable."""


def _error_line(function: str, body: bytes) -> str:
    try:
        said = json.loads(body)
    except ValueError:
        said = None
    if isinstance(said, dict):
        kind = said.get("errorType")
        message = said.get("errorMessage")
        text = ": ".join(str(part) for part in (kind, message) if part)
        if text:
            return f"{function} failed: {clipped(text, 80)}"
    return f"{function} failed"


def _create(name: str, options: SourceOptions, clock: Clock) -> Source:
    if not isinstance(options, AwsOptions):
        options = LambdaOptions.model_validate(options.model_dump())
    return LambdaSource(name, options, clock)


KIND = SourceKind(
    type_name="lambda",
    options_model=LambdaOptions,
    params_model=LambdaParams,
    create=_create,
    min_interval=5.0,
    max_batch=4,
)
"""The Lambda source, as the registry knows it."""
