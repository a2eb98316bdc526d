"""The change feed as one caller may see it: the change log, filtered by the read policy.

Each event is judged against the entity's CURRENT state, as the registry's own reads judge it:
an event about something the caller may read now is shown as logged (the consumer fetches the
current state through its node); an event about a service that was public and is not any more
(withdrawn) is shown as a TOMBSTONE (operation ``withdrawn``, no fields, no node), so a
consumer removes it from its copy and can tell "withdrawn" from "never existed"; everything
else (drafts, other bodies' requests, accounts) is skipped. Replaying the feed into a copy
therefore converges on the registry as that caller sees it.

The cursor is the last log sequence number the reader has passed (opaque, base64 of
``chg:<seq>``): it survives restarts because ``seq`` is stored, and skipped events advance it
too, so a reader never scans them twice.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from asan.auth.policy import Resource, can
from asan.auth.principal import Principal
from asan.core import changelog
from asan.core.db import Database
from asan.core.errors import BadInput
from asan.integration import repository as repo
from asan.integration.kinds import BY_LOG_KIND, Audience
from asan.integration.policy import DELIVERY_READ, FEED_INTERNAL, WEBHOOK_READ

_PREFIX = "chg:"
PUBLIC_SERVICE_STATUSES = frozenset({"published", "suspended"})
# statuses a service reaches only after it was published: gone from public view, not unknown
ONCE_PUBLIC_STATUSES = frozenset({"withdrawn"})
SCAN_WINDOW = 2000  # log entries examined per batch (bounded work per request)
MAX_SCAN = 20000  # per call: a page of a sparse kind stops here and says there is more


@dataclass(frozen=True)
class FeedEvent:
    """One event as the caller sees it; ``tombstone`` events carry no fields."""

    seq: int
    at: datetime
    kind: str  # the log's kind ("Service")
    kind_name: str  # the feed's enum value ("SERVICE")
    entity_id: str
    operation: str  # created | updated | status_changed | deleted | withdrawn
    fields: tuple[str, ...]
    tombstone: bool

    @property
    def cursor(self) -> str:
        return encode_cursor(self.seq)


@dataclass(frozen=True)
class FeedPage:
    events: list[FeedEvent]
    last_seq: int  # the reader's new position (past skipped events too)
    head: int  # the log's head when read
    has_more: bool


def encode_cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, field: str = "after") -> int:
    """The sequence number in a feed cursor (0 for none); BadInput naming ``field`` otherwise."""
    if cursor is None:
        return 0
    try:
        text = base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()).decode()
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise BadInput("kursor yanlışdır / malformed cursor", field=field) from exc
    number = text.removeprefix(_PREFIX)
    if not text.startswith(_PREFIX) or not number.isdigit() or len(number) > 18:
        raise BadInput(
            "kursor dəyişiklik lentinə aid deyil / cursor is not a change-feed cursor",
            field=field,
        )
    return int(number)


def judge(principal: Principal, batch: Sequence[repo.LoggedEvent]) -> list[FeedEvent]:
    """The events ``principal`` may see, tombstones for services that left public view.

    Pure: the batch carries each entity's current state, read with the events in one query.
    """
    internal = can(principal, FEED_INTERNAL, Resource("ChangeEvent"))
    shown: list[FeedEvent] = []
    for logged in batch:
        e, state = logged.event, logged.state
        spec = BY_LOG_KIND.get(e.entity_kind)
        if spec is None:
            continue
        tombstone = False
        if spec.audience is Audience.PUBLIC:
            visible = True
        elif spec.audience is Audience.SERVICE:
            if state is None:  # no longer exists: gone for everyone
                visible = tombstone = True
            else:
                status, body = state
                visible = status in PUBLIC_SERVICE_STATUSES or can(
                    principal,
                    "registry.service.read",
                    Resource("Service", e.entity_id, state_body=body, status=status),
                )
                if not visible and status in ONCE_PUBLIC_STATUSES:
                    visible = tombstone = True
        elif spec.audience is Audience.REQUEST:
            body = state[1] if state is not None else None
            visible = body is not None and can(
                principal,
                "registry.request.read",
                Resource("RegistrationRequest", e.entity_id, state_body=body),
            )
        elif spec.audience is Audience.DELIVERY:
            # a document sent to a body's system: that body only (a letter by post is not)
            visible = (
                state is not None
                and state[0] == "system"
                and can(
                    principal,
                    DELIVERY_READ,
                    Resource("DocumentDelivery", e.entity_id, state_body=state[1]),
                )
            )
        elif spec.audience is Audience.WEBHOOK:
            visible = internal or can(
                principal,
                WEBHOOK_READ,
                Resource("Webhook", e.entity_id, state_body=state[1] if state else None),
            )
        else:
            visible = internal
        if not visible:
            continue
        operation = e.operation
        if tombstone:
            operation = "deleted" if state is None else "withdrawn"
        shown.append(
            FeedEvent(
                seq=e.seq,
                at=e.at,
                kind=e.entity_kind,
                kind_name=spec.name,
                entity_id=e.entity_id,
                operation=operation,
                fields=() if tombstone else e.fields,
                tombstone=tombstone,
            )
        )
    return shown


async def read(
    db: Database,
    principal: Principal,
    after: int,
    first: int,
    kinds: Sequence[str] | None = None,
    *,
    head: int | None = None,
    max_scan: int = MAX_SCAN,
) -> FeedPage:
    """Up to ``first`` visible events after ``after``, scanning at most ``max_scan`` entries.

    Each batch is one query (events, their entities' state and, on the first, the head).
    """
    top = head
    position = after
    shown: list[FeedEvent] = []
    scanned = 0
    while (top is None or position < top) and len(shown) < first and scanned < max_scan:
        # fetch what the page still needs and a quarter more (for hidden events), not a whole
        # window: rows read past the page's end are read again by the next page
        room = first - len(shown)
        want = min(SCAN_WINDOW, room + room // 4 + 1)
        batch = await repo.events_between(db, position, SCAN_WINDOW, kinds, want, top)
        top = batch.head
        if position >= top:  # a cursor at (or past) the head: nothing to read, stay put
            break
        upto = min(top, position + SCAN_WINDOW)
        reached = batch.events[-1].event.seq if len(batch.events) == want else upto
        visible = judge(principal, batch.events)
        if len(visible) > room:  # stop right after the last event returned
            shown.extend(visible[:room])
            position = visible[room - 1].seq
            break
        shown.extend(visible)
        scanned += reached - position
        position = reached
    if top is None:  # nothing was read (first < 1 or max_scan < 1): the head still counts
        top = await changelog.head_seq(db)
    return FeedPage(events=shown, last_seq=position, head=top, has_more=position < top)
