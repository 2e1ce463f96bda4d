"""Network hygiene for the source not covered elsewhere (Alertmanager; Prometheus and
HTTP have the same checks in their own test files): a self-signed endpoint is
refused unless its CA bundle is given, and basic-auth credentials do not follow a
redirect to another origin.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from console.clock import ManualClock
from console.results import FetchBatch, FetchRequest
from console.sources.alertmanager import AlertmanagerOptions, AlertmanagerSource
from console.sources.alertmanager_params import AlertmanagerParams
from console.sources.base import SourceError
from tests.server_faults import fault_server, self_signed_tls

pytestmark = [pytest.mark.reliability, pytest.mark.integration]

PASSWORD = "redirect-canary-password"


async def fetch(options: dict[str, object]) -> FetchBatch | SourceError:
    """The batch, or the error of a call that failed as a whole."""
    source = AlertmanagerSource(
        "am", AlertmanagerOptions.model_validate(options), ManualClock(0)
    )
    params = AlertmanagerParams.model_validate({}).model_dump(mode="json")
    try:
        return await source.fetch([FetchRequest("q", params, 0, 60, 15)])
    except SourceError as error:
        return error
    finally:
        await source.close()


async def test_a_self_signed_alertmanager_is_refused_unless_its_ca_is_given(
    tmp_path: Path,
) -> None:
    context, certificate = self_signed_tls(tmp_path)
    async with fault_server(tls=context) as server:
        refused = await fetch({"url": server.url("alerts")})
        trusted = await fetch(
            {"url": server.url("alerts"), "ca_file": str(certificate)}
        )
    assert isinstance(refused, SourceError)
    assert "certificate" in refused.reason and "not trusted" in refused.reason
    assert isinstance(trusted, FetchBatch) and "q" in trusted.results
    assert server.requests == ["/alerts/api/v2/alerts"], "one request got through"


async def test_basic_auth_does_not_follow_a_redirect_to_another_origin(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WD_REDIRECT_PASSWORD", PASSWORD)
    async with fault_server() as first, fault_server() as second:
        first.redirect_to = second.url("alerts")
        batch = await fetch(
            {
                "url": first.url("redirect"),
                "username": "ops",
                "password_env": "WD_REDIRECT_PASSWORD",
            }
        )
    assert first.authorization and first.authorization[0].startswith("Basic ")
    assert second.requests, "the redirect was followed"
    assert second.authorization == [], "the credentials stayed with the first origin"
    assert isinstance(batch, FetchBatch) and "q" in batch.results
