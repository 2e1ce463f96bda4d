"""Acknowledging an alert from any screen: the prompt, the stored record and, for
an Alertmanager alert, the silence that carries it.

A threshold alert or a CloudWatch alarm is acknowledged by the stored record alone;
an alert whose source is a `Silencer` also gets a silence with the same note and
end, and its record keeps the silence's id so that un-acknowledging ends it.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, cast

from textual.screen import Screen

from console.alert_model import Alert, AlertState
from console.identity import local_user
from console.silencing import Silencer
from console.sources.base import SourceError
from console.storage.interface import StorageError
from console.storage.records import Acknowledgement
from screens.acknowledge import AcknowledgeScreen
from screens.confirm import ConfirmScreen

if TYPE_CHECKING:
    from screens.app import WatchdeckApp


async def acknowledge_alert(screen: Screen[Any], alert: Alert) -> bool:
    """Ask for a note and a duration, then acknowledge `alert`; True if done.

    Must run in a worker (it waits for the prompt)."""
    app = cast("WatchdeckApp", screen.app)
    if app.read_only:
        screen.notify("read-only: nothing was acknowledged", severity="warning")
        return False
    if alert.state is AlertState.RESOLVED:
        screen.notify(f"{alert.title} has resolved", severity="warning")
        return False
    what = f"{alert.title}  [{alert.severity.value}] {alert.signal.summary}"
    answer = await app.push_screen_wait(AcknowledgeScreen(what))
    if answer is None:
        return False
    now = app.clock.now()
    silence_id: str | None = None
    silencer = _silencer(app, alert)
    if silencer is not None:
        try:
            silence_id = await _silence(
                screen, silencer, alert, answer.note, answer.seconds
            )
        except (SourceError, ValueError) as error:
            screen.notify(str(error), title="not acknowledged", severity="error")
            return False
        if silence_id is None:
            return False
    ack = Acknowledgement(
        alert_key=alert.key,
        user=local_user(),
        at=now,
        until=now + answer.seconds,
        note=answer.note,
        silence_id=silence_id,
    )
    try:
        app.triage.acknowledge(ack)
    except StorageError as error:
        screen.notify(str(error), title="not acknowledged", severity="error")
        return False
    until = time.strftime("%H:%M", time.localtime(ack.until))
    screen.notify(f"{alert.title} acknowledged until {until}")
    if silence_id is not None:
        app.poller.refresh_now()
    return True


async def unacknowledge_alert(screen: Screen[Any], alert: Alert) -> bool:
    """Withdraw the acknowledgement of `alert` (and end its silence); True if
    something was withdrawn."""
    app = cast("WatchdeckApp", screen.app)
    if app.read_only:
        screen.notify("read-only: nothing was changed", severity="warning")
        return False
    ack = alert.acknowledgement
    if ack is None:
        screen.notify(f"{alert.title} is not acknowledged", severity="warning")
        return False
    silencer = _silencer(app, alert)
    try:
        if silencer is not None and ack.silence_id:
            await silencer.expire(ack.silence_id)
        app.triage.unacknowledge(alert.key, local_user())
    except (SourceError, ValueError, StorageError) as error:
        screen.notify(str(error), title="not unacknowledged", severity="error")
        return False
    screen.notify(f"{alert.title}: acknowledgement withdrawn")
    if silencer is not None:
        app.poller.refresh_now()
    return True


def _silencer(app: WatchdeckApp, alert: Alert) -> Silencer | None:
    source = app.session.sources.get(alert.signal.source)
    return source if isinstance(source, Silencer) else None


async def _silence(
    screen: Screen[Any],
    silencer: Silencer,
    alert: Alert,
    note: str,
    seconds: float,
) -> str | None:
    """Silence the alert's labels; None when the user declined a wide silence."""
    app = cast("WatchdeckApp", screen.app)
    fingerprint = alert.key.partition(":")[2]
    labels = silencer.alert_labels(fingerprint) or dict(alert.signal.labels)
    reach = await silencer.matching_alerts(labels)
    if reach > 1:
        wide = await app.push_screen_wait(
            ConfirmScreen(
                f"A silence on these labels would hold {reach} alerts, "
                f"not only {alert.title}. Silence all {reach}?",
                yes=f"Silence {reach}",
            )
        )
        if not wide:
            return None
    return await silencer.silence(
        labels, duration_s=seconds, comment=note, created_by=local_user()
    )
