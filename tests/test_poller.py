"""The poller with a fake clock and fake sources: merging, grouping, timeouts,
backoff with jitter, staleness, and a hung source that must not delay the others.

The sources here are test doubles on purpose: they count calls and can hang or fail
on command, which no real server does on cue.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Sequence

import pytest

from console.clock import ManualClock, SystemClock
from console.poller import Demand, Poller
from console.results import FetchBatch, FetchRequest, SeriesResult
from console.sources.base import SourceError
from console.store import Freshness, Store

T0 = 1_800_000_000.0


class CountingSource:
    """Answers every request with one sample at the request's end."""

    def __init__(self, name: str, value: float = 1.0) -> None:
        self.name = name
        self.value = value
        self.calls: list[list[FetchRequest]] = []
        self.fail_with: SourceError | None = None
        self.hang = False

    async def fetch(self, requests: Sequence[FetchRequest]) -> FetchBatch:
        self.calls.append(list(requests))
        if self.hang:
            await asyncio.sleep(3600)
        if self.fail_with is not None:
            raise self.fail_with
        return FetchBatch(
            results={
                r.key: SeriesResult({"v": [(r.end, self.value)]}) for r in requests
            }
        )

    async def close(self) -> None:
        return None


def make_poller(
    clock: ManualClock, *sources: CountingSource, timeout: float = 5.0
) -> tuple[Poller, Store, list[frozenset[str]]]:
    store = Store()
    updates: list[frozenset[str]] = []
    poller = Poller(
        {s.name: s for s in sources},
        store,
        clock,
        updates.append,
        timeout=timeout,
        rng=random.Random(1),
    )
    return poller, store, updates


async def run_due(poller: Poller, clock: ManualClock) -> None:
    tasks = poller.poll_due(clock.now())
    if tasks:
        await asyncio.gather(*tasks)


async def test_identical_queries_from_two_panels_make_one_request() -> None:
    clock = ManualClock(T0)
    source = CountingSource("a")
    poller, store, updates = make_poller(clock, source)
    same = {"metric": "cpu"}
    poller.set_demands(
        [
            Demand("a", same, interval=10, range=600),
            Demand("a", dict(same), interval=30, range=3600),
            Demand("a", {"metric": "mem"}, interval=10, range=600),
        ]
    )
    await run_due(poller, clock)
    assert len(source.calls) == 1, "both queries of the group go in one call"
    assert len(source.calls[0]) == 2, "the duplicate query was merged"
    assert poller.group_sizes() == {("a", 10): 2}
    assert len(updates) == 1 and len(updates[0]) == 2
    state = store.get(Demand("a", same, 10, 600).key)
    assert state is not None and state.interval == 10, "the faster refresh wins"


async def test_groups_split_by_refresh_and_are_not_polled_before_due() -> None:
    clock = ManualClock(T0)
    source = CountingSource("a")
    poller, _, _ = make_poller(clock, source)
    poller.set_demands(
        [
            Demand("a", {"m": 1}, interval=10, range=600),
            Demand("a", {"m": 2}, interval=60, range=600),
        ]
    )
    await run_due(poller, clock)
    assert len(source.calls) == 2
    clock.advance(9)
    await run_due(poller, clock)
    assert len(source.calls) == 2, "nothing is due before its interval"
    clock.advance(1)
    await run_due(poller, clock)
    assert len(source.calls) == 3, "only the 10s group came due"
    assert poller.next_due() == pytest.approx(T0 + 20)


async def test_period_parameter_sets_the_slowest_useful_rate() -> None:
    clock = ManualClock(T0)
    source = CountingSource("a")
    poller, _, _ = make_poller(clock, source)
    poller.set_demands([Demand("a", {"period": 60}, interval=1, range=600)])
    assert poller.group_sizes() == {("a", 60.0): 1}


async def test_failure_backs_off_with_jitter_then_recovers() -> None:
    clock = ManualClock(T0)
    source = CountingSource("a")
    source.fail_with = SourceError("connection refused")
    poller, store, _ = make_poller(clock, source)
    demand = Demand("a", {"m": 1}, interval=10, range=600)
    poller.set_demands([demand])
    delays = []
    for _ in range(4):
        await run_due(poller, clock)
        due = poller.next_due()
        assert due is not None
        delays.append(due - clock.now())
        clock.set(due)
    assert delays[0] > 10, "the first retry already waits longer than the refresh"
    assert delays == sorted(delays), "each failure waits longer"
    assert all(d <= 300 * 1.2 for d in delays)
    state = store.get(demand.key)
    assert state is not None
    assert state.freshness(clock.now()) is Freshness.FAILING
    assert state.last_error == "connection refused"

    source.fail_with = None
    await run_due(poller, clock)
    assert state.freshness(clock.now()) is Freshness.LIVE
    assert poller.next_due() == pytest.approx(clock.now() + 10)


async def test_throttling_is_kept_on_the_state() -> None:
    clock = ManualClock(T0)
    source = CountingSource("a")
    source.fail_with = SourceError("Rate exceeded", throttled=True)
    poller, store, _ = make_poller(clock, source)
    demand = Demand("a", {"m": 1}, interval=10, range=600)
    poller.set_demands([demand])
    await run_due(poller, clock)
    state = store.get(demand.key)
    assert state is not None and state.throttled


async def test_hung_source_times_out_without_delaying_another() -> None:
    clock = ManualClock(T0)
    slow, quick = CountingSource("slow"), CountingSource("quick")
    slow.hang = True
    poller, store, _ = make_poller(clock, slow, quick, timeout=0.2)
    slow_demand = Demand("slow", {"m": 1}, interval=10, range=600)
    quick_demand = Demand("quick", {"m": 1}, interval=10, range=600)
    poller.set_demands([slow_demand, quick_demand])
    tasks = poller.poll_due(clock.now())
    assert len(tasks) == 2
    await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    quick_state = store.get(quick_demand.key)
    assert quick_state is not None and quick_state.has_data(), (
        "the quick source answered while the slow one hung"
    )
    await asyncio.gather(*tasks)
    slow_state = store.get(slow_demand.key)
    assert slow_state is not None
    assert slow_state.last_error == "timed out after 0.2s"


async def test_data_goes_stale_after_twice_its_interval() -> None:
    clock = ManualClock(T0)
    source = CountingSource("a")
    poller, store, _ = make_poller(clock, source)
    demand = Demand("a", {"m": 1}, interval=10, range=600)
    poller.set_demands([demand])
    await run_due(poller, clock)
    state = store.get(demand.key)
    assert state is not None
    clock.advance(20)
    assert state.freshness(clock.now()) is Freshness.LIVE
    clock.advance(0.5)
    assert state.freshness(clock.now()) is Freshness.STALE


async def test_pause_stops_scheduled_polls_but_refresh_now_still_polls() -> None:
    clock = ManualClock(T0)
    source = CountingSource("a")
    poller, _, _ = make_poller(clock, source)
    poller.set_demands([Demand("a", {"m": 1}, interval=10, range=600)])
    poller.pause()
    assert poller.poll_due(clock.now()) == []
    poller.refresh_now()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert len(source.calls) == 1
    poller.resume()
    assert not poller.paused


async def test_dropping_a_demand_forgets_its_data() -> None:
    clock = ManualClock(T0)
    source = CountingSource("a")
    poller, store, _ = make_poller(clock, source)
    first = Demand("a", {"m": 1}, interval=10, range=600)
    second = Demand("a", {"m": 2}, interval=10, range=600)
    poller.set_demands([first, second])
    await run_due(poller, clock)
    poller.set_demands([second])
    assert store.get(first.key) is None
    assert store.get(second.key) is not None


async def test_second_request_asks_only_for_newer_samples() -> None:
    clock = ManualClock(T0)
    source = CountingSource("a")
    poller, _, _ = make_poller(clock, source)
    poller.set_demands([Demand("a", {"m": 1}, interval=10, range=600)])
    await run_due(poller, clock)
    assert source.calls[0][0].start == pytest.approx(T0 - 600)
    clock.advance(10)
    await run_due(poller, clock)
    assert source.calls[1][0].start == pytest.approx(T0), "starts at the newest sample"


async def test_run_loop_sleeps_until_due_and_can_be_cancelled() -> None:
    clock = SystemClock()
    source = CountingSource("a")
    store = Store()
    poller = Poller({"a": source}, store, clock, lambda keys: None)
    poller.set_demands([Demand("a", {"m": 1}, interval=3600, range=600)])
    task = asyncio.create_task(poller.run())
    await asyncio.sleep(0.1)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert len(source.calls) == 1, "one poll, then asleep for an hour"


async def test_a_source_with_a_longer_timeout_gets_a_longer_deadline() -> None:
    clock = ManualClock(T0)
    slow = CountingSource("slow")
    slow.hang = True
    store = Store()
    poller = Poller(
        {"slow": slow},
        store,
        clock,
        lambda keys: None,
        source_timeouts={"slow": 0.3},
        timeout=0.1,
    )
    demand = Demand("slow", {"m": 1}, interval=10, range=600)
    poller.set_demands([demand])
    await asyncio.gather(*poller.poll_due(clock.now()))
    state = store.get(demand.key)
    assert state is not None
    assert state.last_error == "timed out after 2.3s", "the source's own 0.3 s + margin"


async def test_a_big_group_is_fetched_in_batches_each_shown_as_it_lands() -> None:
    clock = ManualClock(T0)
    source = CountingSource("a")
    store = Store()
    updates: list[frozenset[str]] = []
    poller = Poller({"a": source}, store, clock, updates.append, batch_sizes={"a": 3})
    demands = [Demand("a", {"m": n}, interval=10, range=600) for n in range(7)]
    poller.set_demands(demands)
    await asyncio.gather(*poller.poll_due(clock.now()))
    assert [len(call) for call in source.calls] == [3, 3, 1]
    assert [len(keys) for keys in updates] == [3, 3, 1], "each batch shown alone"
    assert all(store.get(d.key) is not None for d in demands)
    assert poller.calls == 3
    assert poller.call_sizes() == [3, 3, 1], "what a cycle's calls carried"
    assert poller.group_sizes() == {("a", 10): 7}


async def test_one_failing_batch_does_not_back_off_the_group() -> None:
    clock = ManualClock(T0)

    class FailsFirstCall(CountingSource):
        async def fetch(self, requests: Sequence[FetchRequest]) -> FetchBatch:
            if not self.calls:
                self.calls.append(list(requests))
                raise SourceError("first batch failed")
            return await super().fetch(requests)

    source = FailsFirstCall("a")
    store = Store()
    poller = Poller(
        {"a": source}, store, clock, lambda keys: None, batch_sizes={"a": 2}
    )
    demands = [Demand("a", {"m": n}, interval=10, range=600) for n in range(4)]
    poller.set_demands(demands)
    await asyncio.gather(*poller.poll_due(clock.now()))
    states = [store.get(d.key) for d in demands]
    assert [s.last_error for s in states if s is not None].count(
        "first batch failed"
    ) == 2
    assert poller.next_due() == pytest.approx(T0 + 10), "no backoff: half answered"


async def test_a_past_window_is_fetched_up_to_its_end_and_refreshed_rarely() -> None:
    clock = ManualClock(T0)
    source = CountingSource("a")
    poller, _store, _ = make_poller(clock, source)
    end = T0 - 3600
    poller.set_demands([Demand("a", {"m": 1}, interval=5, range=600, end=end)])
    await run_due(poller, clock)
    (request,) = source.calls[0]
    assert (request.start, request.end) == (end - 600, end)
    clock.advance(60)
    await run_due(poller, clock)
    assert len(source.calls) == 1, "a window in the past is not polled every 5 s"


async def test_zooming_or_panning_refetches_the_whole_new_window() -> None:
    clock = ManualClock(T0)
    source = CountingSource("a")
    poller, store, _ = make_poller(clock, source)
    poller.set_demands([Demand("a", {"m": 1}, interval=5, range=600)])
    await run_due(poller, clock)
    clock.advance(10)
    poller.set_demands([Demand("a", {"m": 1}, interval=5, range=3600)])
    state = store.get(source.calls[0][0].key)
    assert state is not None and not state.series, "the old window's samples went"
    assert state.freshness(clock.now()) is Freshness.WAITING
    await run_due(poller, clock)
    zoomed = source.calls[-1][0]
    assert (zoomed.start, zoomed.end) == (clock.now() - 3600, clock.now())
    poller.set_demands([Demand("a", {"m": 1}, interval=5, range=3600, end=T0 - 60)])
    await run_due(poller, clock)
    panned = source.calls[-1][0]
    assert (panned.start, panned.end) == (T0 - 60 - 3600, T0 - 60)
    assert list(state.series["v"]) == [(T0 - 60, 1.0)]


async def test_an_answer_for_a_window_left_while_in_flight_is_dropped() -> None:
    clock = ManualClock(T0)
    source = CountingSource("a")
    poller, store, _ = make_poller(clock, source)
    poller.set_demands([Demand("a", {"m": 1}, interval=5, range=600)])
    started = poller.poll_due(clock.now())
    # The user pans while the live window's call is still out.
    poller.set_demands([Demand("a", {"m": 1}, interval=5, range=600, end=T0 - 900)])
    await asyncio.gather(*started)
    state = store.get(source.calls[0][0].key)
    assert state is not None
    assert not state.series, "the live answer must not land in the past window"
    await run_due(poller, clock)
    assert list(state.series["v"]) == [(T0 - 900, 1.0)]
