"""The alert model on a fake clock: crossings, pending to firing, acknowledgement
expiry, resolution, escalation steps, and the changes it records."""

from __future__ import annotations

from console.alert_model import AlertModel, AlertSignal, AlertState, Severity
from console.alerting_schema import EscalationStep
from console.storage.records import Acknowledgement

T0 = 1_800_000_000.0
FEED = "service/latency"
KEY = "panel:service/latency"


def signal(severity: Severity = Severity.CRITICAL, hold: float = 0.0) -> AlertSignal:
    return AlertSignal(
        key=KEY,
        title="p99 latency",
        severity=severity,
        source="threshold",
        summary="checkout 812ms >= 800ms",
        hold=hold,
    )


def steps() -> list[EscalationStep]:
    return [
        EscalationStep(after=900, action="banner"),
        EscalationStep(after=300, action="bell_invert"),
    ]


def test_a_crossing_fires_and_a_recovery_resolves() -> None:
    model = AlertModel()
    model.observe(FEED, [], T0)
    assert model.alerts(T0) == []
    model.observe(FEED, [signal()], T0 + 10)
    alert = model.get(KEY, T0 + 10)
    assert alert is not None
    assert alert.state is AlertState.FIRING
    assert alert.since == T0 + 10
    model.observe(FEED, [], T0 + 70)
    resolved = model.get(KEY, T0 + 70)
    assert resolved is not None and resolved.state is AlertState.RESOLVED
    assert model.counts(T0 + 70)[Severity.CRITICAL] == 0
    states = [(c.previous, c.state) for c in model.drain_changes()]
    assert states == [("", "firing"), ("firing", "resolved")]
    assert model.drain_changes() == []


def test_a_hold_keeps_it_pending_until_it_has_breached_long_enough() -> None:
    model = AlertModel()
    model.observe(FEED, [signal(hold=120)], T0)
    assert model.get(KEY, T0 + 60).state is AlertState.PENDING  # type: ignore[union-attr]
    assert model.counts(T0 + 60)[Severity.CRITICAL] == 0
    assert model.next_moment(T0 + 60) == T0 + 120
    model.tick(T0 + 121)
    assert model.get(KEY, T0 + 121).state is AlertState.FIRING  # type: ignore[union-attr]
    assert [c.state for c in model.drain_changes()] == ["pending", "firing"]


def test_a_breach_that_ends_while_pending_never_fires() -> None:
    model = AlertModel()
    model.observe(FEED, [signal(hold=120)], T0)
    model.observe(FEED, [], T0 + 60)
    assert [c.state for c in model.drain_changes()] == ["pending", "resolved"]


def test_a_severity_change_restarts_since() -> None:
    model = AlertModel()
    model.observe(FEED, [signal(Severity.WARNING)], T0)
    model.observe(FEED, [signal(Severity.CRITICAL)], T0 + 30)
    alert = model.get(KEY, T0 + 30)
    assert alert is not None
    assert alert.severity is Severity.CRITICAL and alert.since == T0 + 30


def test_an_acknowledgement_holds_until_it_lapses() -> None:
    model = AlertModel()
    model.observe(FEED, [signal()], T0)
    ack = Acknowledgement(KEY, "alice", at=T0 + 10, until=T0 + 910, note="on it")
    model.acknowledged(ack, T0 + 10)
    alert = model.get(KEY, T0 + 20)
    assert alert is not None and alert.state is AlertState.ACKNOWLEDGED
    assert alert.acknowledgement == ack
    assert model.next_moment(T0 + 20) == T0 + 910
    model.tick(T0 + 911)
    lapsed = model.get(KEY, T0 + 911)
    assert lapsed is not None and lapsed.state is AlertState.FIRING
    assert lapsed.acknowledgement is None
    changes = [(c.state, c.detail) for c in model.drain_changes()]
    assert changes[1] == ("acknowledged", "by alice: on it")
    assert changes[2][0] == "firing"


def test_acknowledgements_from_the_store_apply_to_alerts_seen_later() -> None:
    model = AlertModel()
    model.set_acknowledgements(
        [Acknowledgement(KEY, "bob", at=T0 - 60, until=T0 + 3600, note="known")]
    )
    model.observe(FEED, [signal()], T0)
    assert model.get(KEY, T0).state is AlertState.ACKNOWLEDGED  # type: ignore[union-attr]


def test_escalation_steps_are_reached_once_each_and_stop_on_ack() -> None:
    model = AlertModel(steps())
    model.observe(FEED, [signal()], T0)
    assert model.next_moment(T0) == T0 + 300
    model.tick(T0 + 299)
    assert model.drain_escalations() == []
    model.tick(T0 + 300)
    assert model.drain_escalations() == [(KEY, "bell_invert")]
    alert = model.get(KEY, T0 + 300)
    assert alert is not None and alert.inverted and not alert.bannered
    model.tick(T0 + 600)
    assert model.drain_escalations() == []
    model.tick(T0 + 900)
    assert model.drain_escalations() == [(KEY, "banner")]
    assert model.get(KEY, T0 + 900).bannered  # type: ignore[union-attr]
    ack = Acknowledgement(KEY, "carol", at=T0 + 901, until=T0 + 4501)
    model.acknowledged(ack, T0 + 901)
    held = model.get(KEY, T0 + 901)
    assert held is not None and held.escalation == ()


def test_warnings_and_held_alerts_do_not_escalate() -> None:
    model = AlertModel(steps())
    model.observe(FEED, [signal(Severity.WARNING)], T0)
    model.tick(T0 + 1000)
    assert model.drain_escalations() == []
    pending = AlertModel(steps())
    pending.observe(FEED, [signal(hold=600)], T0)
    pending.tick(T0 + 800)
    assert pending.drain_escalations() == []
    pending.tick(T0 + 900)
    assert pending.drain_escalations() == [(KEY, "bell_invert")]


def test_alerts_sort_by_severity_then_age_with_resolved_last() -> None:
    model = AlertModel()

    def named(key: str, severity: Severity) -> AlertSignal:
        return AlertSignal(key=key, title=key, severity=severity, source="x")

    model.observe("a", [named("old-warning", Severity.WARNING)], T0)
    model.observe("b", [named("gone", Severity.CRITICAL)], T0 + 1)
    model.observe("c", [named("new-critical", Severity.CRITICAL)], T0 + 5)
    model.observe("d", [named("old-critical", Severity.CRITICAL)], T0 + 2)
    model.observe("b", [], T0 + 6)
    order = [a.key for a in model.alerts(T0 + 10)]
    assert order == ["old-critical", "new-critical", "old-warning", "gone"]
    assert [a.key for a in model.alerts(T0 + 10, resolved=False)][-1] == ("old-warning")


def test_forgetting_a_dashboard_drops_its_alerts_without_resolving() -> None:
    model = AlertModel()
    model.observe(
        FEED,
        [
            AlertSignal(
                key=KEY,
                title="x",
                severity=Severity.CRITICAL,
                source="threshold",
                dashboard="service",
            )
        ],
        T0,
    )
    model.drain_changes()
    model.forget_dashboard("service")
    model.tick(T0 + 1)
    assert model.alerts(T0 + 1) == []
    assert model.drain_changes() == []
