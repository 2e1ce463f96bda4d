"""The team store: views, bookmarks, acknowledgements, annotations and usage in one
DynamoDB table, shared by every bastion whose users' configs name it.

The table has a string partition key `pk` and a string sort key `sk` (the team
creates it; the console never does). Each record is one item whose `body` holds the
record as JSON, so the table needs no other attribute definitions:

    view#NAME            rev#00000003        one revision of a view
    views                NAME                the list of view names
    bookmarks#USER       slot#3              a user's bookmark
    acks | annotations | usage   TIME#ID     one record, sortable by time

A view revision is written only if its key is new (`attribute_not_exists`): when two
engineers save the same view at once, the second write fails, takes the next
number, and is written again; both revisions are kept and the later saver is told
whose revision came between. Acknowledgements, annotations and usage each live in
one partition, which DynamoDB serves at about 1,000 writes a second: ample for a
team's consoles, not for thousands of them.

The calls are synchronous (boto3); the console runs them in a thread.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from console.storage.interface import StorageError
from console.storage.records import (
    Acknowledgement,
    AlertChange,
    Annotation,
    JsonObject,
    SavedView,
    UsageRecord,
    ViewRevision,
)
from console.user_config import DynamoDbStore

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef

log = logging.getLogger(__name__)

MAX_SAVE_ATTEMPTS = 20
"""How many times a save takes the next number after the newest it read before
giving up on a very busy view."""

Item = dict[str, "AttributeValueTypeDef"]


def _time_key(at: float, record_id: str) -> str:
    """A sort key that orders records by time (non-negative Unix seconds)."""
    return f"{at:020.6f}#{record_id}"


class DynamoDbStateStore:
    """A `StateStore` in one DynamoDB table."""

    def __init__(self, client: DynamoDBClient, table: str) -> None:
        self._client = client
        self._table = table
        self._check_table()

    @classmethod
    def from_settings(cls, settings: DynamoDbStore) -> DynamoDbStateStore:
        """The store the user's config describes; raises `StorageError`."""
        try:
            session = boto3.Session(
                profile_name=settings.profile, region_name=settings.region
            )
            client = session.client(
                "dynamodb",
                endpoint_url=settings.endpoint_url,
                config=Config(
                    connect_timeout=5,
                    read_timeout=10,
                    retries={"max_attempts": 3, "mode": "standard"},
                ),
            )
        except BotoCoreError as error:
            raise StorageError(
                f"cannot reach the team store {settings.table}: {error}"
            ) from None
        return cls(client, settings.table)

    def _check_table(self) -> None:
        try:
            self._client.describe_table(TableName=self._table)
        except (BotoCoreError, ClientError) as error:
            raise StorageError(
                f"the team store {self._table} cannot be used: {_reason(error)}"
            ) from None

    @property
    def location(self) -> str:
        """The table's name."""
        return f"dynamodb:{self._table}"

    @property
    def recovered_from(self) -> str | None:
        """A table is never moved aside."""
        return None

    # Low-level helpers

    def _put(self, pk: str, sk: str, body: JsonObject, *, new: bool = False) -> None:
        item: Item = {
            "pk": {"S": pk},
            "sk": {"S": sk},
            "body": {"S": json.dumps(body, sort_keys=True)},
        }
        try:
            if new:
                self._client.put_item(
                    TableName=self._table,
                    Item=item,
                    ConditionExpression="attribute_not_exists(pk)",
                )
            else:
                self._client.put_item(TableName=self._table, Item=item)
        except ClientError as error:
            if _code(error) == "ConditionalCheckFailedException":
                raise
            raise StorageError(
                f"cannot write {self.location}: {_reason(error)}"
            ) from None
        except BotoCoreError as error:
            raise StorageError(f"cannot write {self.location}: {error}") from None

    def _query(
        self,
        pk: str,
        *,
        between: tuple[str, str] | None = None,
        newest_first: bool = False,
        limit: int | None = None,
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        """(sort key, body) of the items in a partition, in sort-key order."""
        arguments: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": pk}},
            "ScanIndexForward": not newest_first,
        }
        if between is not None:
            arguments["KeyConditionExpression"] += " AND sk BETWEEN :lo AND :hi"
            arguments["ExpressionAttributeValues"][":lo"] = {"S": between[0]}
            arguments["ExpressionAttributeValues"][":hi"] = {"S": between[1]}
        if limit is not None:
            arguments["Limit"] = limit
        try:
            while True:
                page = self._client.query(**arguments)
                for item in page.get("Items", []):
                    yield item["sk"]["S"], json.loads(item["body"]["S"])
                last = page.get("LastEvaluatedKey")
                if not last or limit is not None:
                    return
                arguments["ExclusiveStartKey"] = last
        except (BotoCoreError, ClientError) as error:
            raise StorageError(
                f"cannot read {self.location}: {_reason(error)}"
            ) from None

    # Views

    def save_view(
        self,
        name: str,
        state: JsonObject,
        *,
        profile_hash: str,
        user: str,
        host: str,
        at: float,
        based_on: int | None = None,
        note: str = "",
    ) -> SavedView:
        """Add the next revision of `name`; a number someone took meanwhile is
        skipped, and their revision reported as the conflict."""
        latest = self._latest_revision(name)
        conflict_number = latest if based_on is not None and latest > based_on else None
        for _attempt in range(MAX_SAVE_ATTEMPTS):
            revision = ViewRevision(
                name, latest + 1, at, user, host, profile_hash, dict(state), note
            )
            try:
                self._put(
                    f"view#{name}",
                    f"rev#{revision.revision:08d}",
                    asdict(revision),
                    new=True,
                )
            except ClientError:
                log.info("view %r revision %d taken meanwhile", name, latest + 1)
                # Read again rather than try the next number: a saver held up
                # while many others write would otherwise spend every attempt on
                # numbers already taken.
                latest = max(latest + 1, self._latest_revision(name))
                conflict_number = latest
                continue
            self._put("views", name, {"name": name})
            conflict = None
            if conflict_number is not None:
                conflict = self.view(name, conflict_number)
            return SavedView(revision, conflict)
        raise StorageError(
            f"the view {name!r} is being saved by many people at once; try again"
        )

    def _latest_revision(self, name: str) -> int:
        for _sk, body in self._query(f"view#{name}", newest_first=True, limit=1):
            return int(body["revision"])
        return 0

    def view_names(self) -> list[str]:
        """Every saved view's name."""
        return sorted(sk for sk, _body in self._query("views"))

    def view(self, name: str, revision: int | None = None) -> ViewRevision | None:
        """One revision, the latest by default."""
        if revision is None:
            found = list(self._query(f"view#{name}", newest_first=True, limit=1))
        else:
            key = f"rev#{revision:08d}"
            found = list(self._query(f"view#{name}", between=(key, key)))
        return ViewRevision(**found[0][1]) if found else None

    def view_history(self, name: str) -> list[ViewRevision]:
        """Every revision, oldest first."""
        return [ViewRevision(**body) for _sk, body in self._query(f"view#{name}")]

    def bookmarks(self, user: str) -> dict[int, str]:
        """The user's bookmark slots."""
        return {
            int(body["slot"]): str(body["name"])
            for _sk, body in self._query(f"bookmarks#{user}")
        }

    def set_bookmark(self, user: str, slot: int, name: str, *, at: float) -> None:
        """Point a slot at a view."""
        body = {"slot": slot, "name": name, "at": at}
        self._put(f"bookmarks#{user}", f"slot#{slot}", body)

    # Acknowledgements

    def acknowledge(self, ack: Acknowledgement) -> Acknowledgement:
        """Record one acknowledgement."""
        self._put("acks", _time_key(ack.at, ack.id), asdict(ack))
        return ack

    def clear_acknowledgement(self, alert_key: str, *, user: str, at: float) -> int:
        """Withdraw the alert's acknowledgements that still hold at `at`."""
        cleared = 0
        for sk, body in list(self._query("acks")):
            ack = Acknowledgement(**body)
            if ack.alert_key == alert_key and ack.active(at):
                body.update(cleared_at=at, cleared_by=user)
                self._put("acks", sk, body)
                cleared += 1
        return cleared

    def acknowledgements(
        self, *, since: float | None = None, active_at: float | None = None
    ) -> list[Acknowledgement]:
        """Acknowledgements made since a time or active at one, oldest first."""
        found = []
        for _sk, body in self._query("acks"):
            ack = Acknowledgement(**body)
            if since is not None and not (
                ack.at >= since or (ack.cleared_at or -1) >= since
            ):
                continue
            if active_at is not None and not ack.active(active_at):
                continue
            found.append(ack)
        return found

    # Annotations

    def annotate(self, annotation: Annotation) -> Annotation:
        """Record one annotation."""
        key = _time_key(annotation.at, annotation.id)
        self._put("annotations", key, asdict(annotation))
        return annotation

    def annotations(
        self, *, since: float, until: float | None = None, profile: str | None = None
    ) -> list[Annotation]:
        """Annotations in a window, oldest first."""
        upper = _time_key(until, "~") if until is not None else "~"
        window = (_time_key(max(since, 0.0), ""), upper)
        found = [
            Annotation(**body)
            for _sk, body in self._query("annotations", between=window)
        ]
        return [a for a in found if profile is None or a.profile == profile]

    # Alert changes

    def record_alert_changes(self, changes: Sequence[AlertChange]) -> None:
        """Append alert changes."""
        for change in changes:
            self._put("alert_changes", _time_key(change.at, change.id), asdict(change))

    def alert_changes(
        self, *, since: float, until: float | None = None, profile: str | None = None
    ) -> list[AlertChange]:
        """Alert changes in a window, oldest first."""
        upper = _time_key(until, "~") if until is not None else "~"
        window = (_time_key(max(since, 0.0), ""), upper)
        found = [
            AlertChange(**body)
            for _sk, body in self._query("alert_changes", between=window)
        ]
        return [c for c in found if profile is None or c.profile == profile]

    # Usage

    def record_usage(self, records: Sequence[UsageRecord]) -> None:
        """Append usage records."""
        for record in records:
            self._put("usage", _time_key(record.at, record.id), asdict(record))

    def usage(self, *, since: float) -> list[UsageRecord]:
        """Usage records since a time, oldest first."""
        window = (_time_key(max(since, 0.0), ""), "~")
        return [
            UsageRecord(**body) for _sk, body in self._query("usage", between=window)
        ]

    def prune_usage(self, *, before: float) -> int:
        """Forget usage records older than `before`."""
        keys = [
            sk for sk, _ in self._query("usage", between=("0", _time_key(before, "")))
        ]
        try:
            for sk in keys:
                self._client.delete_item(
                    TableName=self._table,
                    Key={"pk": {"S": "usage"}, "sk": {"S": sk}},
                )
        except (BotoCoreError, ClientError) as error:
            raise StorageError(
                f"cannot write {self.location}: {_reason(error)}"
            ) from None
        return len(keys)

    def close(self) -> None:
        """Close the client's connections."""
        self._client.close()


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _reason(error: BaseException) -> str:
    """One line for the user; never the request or its signature."""
    if isinstance(error, ClientError):
        message = error.response.get("Error", {}).get("Message", "")
        return f"{_code(error)}: {message}".rstrip(": ")
    return str(error).splitlines()[0] if str(error) else type(error).__name__
