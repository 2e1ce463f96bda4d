"""What a query may ask of the `http` source: one request, and how to read its JSON.

query: {source: api, path: /v1/queue, path_in_response: data.depth}
query: {source: api, path: /v1/latency, path_in_response: data.points,
        reading: series, time_field: ts, value_field: p99}
query: {source: api, url: "https://status.example.com/api/components.json",
        path_in_response: components, reading: table, columns: [name, status]}
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, JsonValue, field_validator, model_validator

from console.sources.http_options import check_http_url
from console.sources.json_reading import ReadingParams

QueryValue = str | int | float | bool


class HttpParams(ReadingParams):
    """A query of the http source: one request whose JSON answer is read."""

    url: str | None = Field(default=None, min_length=1)
    """The full address to request, as `https://host/api/health`. Left out: `path`
    is joined to the source's `base_url`."""
    path: str | None = Field(default=None, min_length=1)
    """The address relative to the source's `base_url`, as `/v1/queue` or
    `metrics?window=5m`. Left out: `url` must be given."""
    method: Literal["GET", "POST"] = "GET"
    """GET or POST. Left out: GET."""
    params: dict[str, QueryValue] = Field(default_factory=dict, max_length=50)
    """Query-string parameters added to the address, as `{window: 5m, limit: 10}`.
    Left out: only what the address itself carries."""
    body: JsonValue = None
    """POST only: a JSON body to send, written as YAML. Left out: no body."""

    @field_validator("url")
    @classmethod
    def _url_is_http(cls, url: str | None) -> str | None:
        return None if url is None else check_http_url(url, "url")

    @model_validator(mode="after")
    def _one_address(self) -> HttpParams:
        if (self.url is None) == (self.path is None):
            raise ValueError("give either `url` or `path` (relative to base_url)")
        if self.body is not None and self.method != "POST":
            raise ValueError("`body` is sent with `method: POST` only")
        return self

    def query_string(self) -> dict[str, str]:
        """`params` as text, with true and false written in lower case."""
        return {
            name: str(value).lower() if isinstance(value, bool) else str(value)
            for name, value in self.params.items()
        }
