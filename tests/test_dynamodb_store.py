"""The DynamoDB team store against a real moto server on loopback: revisions,
conflicting saves that both land, bookmarks, acknowledgements, annotations, usage."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import boto3
import pytest

from console.storage.dynamodb_store import DynamoDbStateStore
from console.storage.interface import StorageError
from console.storage.opening import open_state_store
from console.storage.records import (
    Acknowledgement,
    AlertChange,
    Annotation,
    SavedView,
    UsageRecord,
)
from console.user_config import DynamoDbStore
from tests.server_moto import MotoServer, moto_server

__all__ = ["moto_server"]

pytestmark = pytest.mark.integration

T0 = 1_800_000_000.0


@pytest.fixture
def settings(moto_server: MotoServer) -> Iterator[DynamoDbStore]:
    """A fresh table on the moto server, as a user's config would name it."""
    table = f"views-{uuid.uuid4().hex[:8]}"
    client = boto3.client(
        "dynamodb", endpoint_url=moto_server.url, region_name="us-east-1"
    )
    client.create_table(
        TableName=table,
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    yield DynamoDbStore(
        type="dynamodb", table=table, region="us-east-1", endpoint_url=moto_server.url
    )
    client.delete_table(TableName=table)


def _save(
    store: DynamoDbStateStore, name: str, n: int, based_on: int | None = None
) -> SavedView:
    return store.save_view(
        name,
        {"n": n},
        profile_hash="h",
        user="ana",
        host="b1",
        at=T0 + n,
        based_on=based_on,
    )


def test_views_keep_every_revision_and_bookmarks(settings: DynamoDbStore) -> None:
    store = DynamoDbStateStore.from_settings(settings)
    assert _save(store, "triage", 1).revision.revision == 1
    assert _save(store, "triage", 2, based_on=1).conflict is None
    _save(store, "other", 1)
    assert store.view_names() == ["other", "triage"]
    assert [r.state["n"] for r in store.view_history("triage")] == [1, 2]
    assert store.view("triage").revision == 2  # type: ignore[union-attr]
    assert store.view("triage", 1).state == {"n": 1}  # type: ignore[union-attr]
    assert store.view("none") is None
    store.set_bookmark("ana", 3, "triage", at=T0)
    store.set_bookmark("ana", 3, "other", at=T0)
    store.set_bookmark("bo", 1, "triage", at=T0)
    assert store.bookmarks("ana") == {3: "other"}


def test_two_consoles_saving_at_once_both_keep_their_revision(
    settings: DynamoDbStore,
) -> None:
    ana = DynamoDbStateStore.from_settings(settings)
    bo = DynamoDbStateStore.from_settings(settings)
    _save(ana, "shared", 1)
    # Both started from revision 1; bo saves first, then ana.
    bos = _save(bo, "shared", 2, based_on=1)
    anas = _save(ana, "shared", 3, based_on=1)
    assert (bos.revision.revision, anas.revision.revision) == (2, 3)
    assert bos.conflict is None
    assert anas.conflict is not None and anas.conflict.state == {"n": 2}
    assert [r.state["n"] for r in ana.view_history("shared")] == [1, 2, 3]


def test_a_revision_number_taken_between_read_and_write_is_skipped(
    settings: DynamoDbStore,
) -> None:
    class SlowReader(DynamoDbStateStore):
        """Reads the latest revision before a colleague's write lands: the
        interleaving a real race produces, made certain (the table is real)."""

        raced = False

        def _latest_revision(self, name: str) -> int:
            latest = super()._latest_revision(name)
            if not self.raced:
                self.raced = True
                _save(colleague, name, 99)
            return latest

    colleague = DynamoDbStateStore.from_settings(settings)
    _save(colleague, "race", 1)
    slow = SlowReader(colleague._client, settings.table)
    mine = _save(slow, "race", 2, based_on=1)
    assert mine.revision.revision == 3, "the conditional write refused number 2"
    assert mine.conflict is not None and mine.conflict.state == {"n": 99}
    assert [r.state["n"] for r in colleague.view_history("race")] == [1, 99, 2]


def test_eight_threads_saving_one_view_lose_nothing(settings: DynamoDbStore) -> None:
    stores = [DynamoDbStateStore.from_settings(settings) for _ in range(8)]
    errors: list[BaseException] = []

    def save(index: int) -> None:
        try:
            for k in range(3):
                _save(stores[index], "busy", index * 10 + k)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=save, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    history = stores[0].view_history("busy")
    assert [r.revision for r in history] == list(range(1, 25))
    assert sorted(r.state["n"] for r in history) == sorted(
        i * 10 + k for i in range(8) for k in range(3)
    )


def test_acknowledgements_annotations_and_usage(settings: DynamoDbStore) -> None:
    store = open_state_store(settings=settings)
    ack = store.acknowledge(Acknowledgement("panel:d/p", "ana", T0, T0 + 600))
    assert [a.id for a in store.acknowledgements(active_at=T0 + 1)] == [ack.id]
    assert store.clear_acknowledgement("panel:d/p", user="bo", at=T0 + 60) == 1
    assert store.acknowledgements(active_at=T0 + 61) == []
    (cleared,) = store.acknowledgements(since=T0)
    assert cleared.cleared_by == "bo"
    store.annotate(Annotation(T0 + 5, "ana", "deploy", profile="demo"))
    store.annotate(Annotation(T0 + 50, "bo", "rollback", profile="ops"))
    assert [a.text for a in store.annotations(since=T0)] == ["deploy", "rollback"]
    assert [a.text for a in store.annotations(since=T0, profile="ops")] == ["rollback"]
    assert store.annotations(since=T0 + 6, until=T0 + 10) == []
    store.record_usage(
        [
            UsageRecord(T0 + n, "dashboard", "ana", "b1", detail={"n": n})
            for n in range(3)
        ]
    )
    assert [u.detail["n"] for u in store.usage(since=T0 + 1)] == [1, 2]
    assert store.prune_usage(before=T0 + 2) == 2
    assert [u.detail["n"] for u in store.usage(since=0)] == [2]
    store.close()


def test_alert_changes_come_back_in_time_order(settings: DynamoDbStore) -> None:
    store = open_state_store(settings=settings)
    store.record_alert_changes(
        [
            AlertChange(
                T0 + 9, "panel:d/p", "p99", "critical", "firing", profile="ops"
            ),
            AlertChange(T0 + 2, "panel:d/q", "errors", "warning", "pending"),
        ]
    )
    changes = store.alert_changes(since=T0)
    assert [(c.alert_key, c.state) for c in changes] == [
        ("panel:d/q", "pending"),
        ("panel:d/p", "firing"),
    ]
    assert [c.title for c in store.alert_changes(since=T0, profile="ops")] == ["p99"]
    assert store.alert_changes(since=T0 + 3, until=T0 + 5) == []
    store.close()


def test_a_missing_table_is_a_one_line_error(moto_server: MotoServer) -> None:
    settings = DynamoDbStore(
        type="dynamodb",
        table="no-such-table",
        region="us-east-1",
        endpoint_url=moto_server.url,
    )
    with pytest.raises(StorageError, match="no-such-table cannot be used"):
        open_state_store(settings=settings)


def test_read_only_writes_nothing_to_the_table(settings: DynamoDbStore) -> None:
    writer = DynamoDbStateStore.from_settings(settings)
    _save(writer, "v", 1)
    reader = open_state_store(settings=settings, read_only=True)
    with pytest.raises(StorageError, match="read-only"):
        reader.save_view("v", {}, profile_hash="", user="", host="", at=T0)
    with pytest.raises(StorageError, match="read-only"):
        reader.set_bookmark("ana", 1, "v", at=T0)
    assert reader.view("v").state == {"n": 1}  # type: ignore[union-attr]
    assert len(writer.view_history("v")) == 1
