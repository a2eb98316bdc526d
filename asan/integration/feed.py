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
from asan.core.changelog import ChangeEvent
from asan.core.db import Database
from asan.core.errors import BadInput
from asan.integration import repository as repo
from asan.integration.kinds import BY_LOG_KIND, Audience
from asan.integration.policy import FEED_INTERNAL, WEBHOOK_READ

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


async def judge(
    db: Database, principal: Principal, events: Sequence[ChangeEvent]
) -> list[FeedEvent]:
    """The events ``principal`` may see, tombstones for services that left public view."""

    def ids(kind: str) -> list[str]:
        return sorted({e.entity_id for e in events if e.entity_kind == kind})

    # one query per kind that needs the entity's state, only when the batch has that kind
    service_ids, request_ids, hook_ids = ids("Service"), ids("RegistrationRequest"), ids("Webhook")
    services = await repo.service_states(db, service_ids) if service_ids else {}
    requests = await repo.request_bodies(db, request_ids) if request_ids else {}
    hooks = await repo.webhook_bodies(db, hook_ids) if hook_ids else {}
    internal = can(principal, FEED_INTERNAL, Resource("ChangeEvent"))
    shown: list[FeedEvent] = []
    for e in events:
        spec = BY_LOG_KIND.get(e.entity_kind)
        if spec is None:
            continue
        tombstone = False
        if spec.audience is Audience.PUBLIC:
            visible = True
        elif spec.audience is Audience.SERVICE:
            state = services.get(e.entity_id)
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
            body = requests.get(e.entity_id)
            visible = body is not None and can(
                principal,
                "registry.request.read",
                Resource("RegistrationRequest", e.entity_id, state_body=body),
            )
        elif spec.audience is Audience.WEBHOOK:
            visible = internal or can(
                principal,
                WEBHOOK_READ,
                Resource("Webhook", e.entity_id, state_body=hooks.get(e.entity_id)),
            )
        else:
            visible = internal
        if not visible:
            continue
        operation = e.operation
        if tombstone:
            operation = "deleted" if e.entity_id not in services else "withdrawn"
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
    """Up to ``first`` visible events after ``after``, scanning at most ``max_scan`` entries."""
    top = await changelog.head_seq(db) if head is None else head
    position = after
    shown: list[FeedEvent] = []
    scanned = 0
    while position < top and len(shown) < first and scanned < max_scan:
        upto = min(top, position + SCAN_WINDOW)
        # fetch about what the page still needs (twice, for hidden events), not a whole window
        want = min(SCAN_WINDOW, 2 * (first - len(shown)) + 1)
        batch = await repo.events_between(db, position, upto, kinds, want)
        reached = batch[-1].seq if len(batch) == want else upto
        visible = await judge(db, principal, batch)
        room = first - len(shown)
        if len(visible) > room:  # stop right after the last event returned
            shown.extend(visible[:room])
            position = visible[room - 1].seq
            break
        shown.extend(visible)
        scanned += reached - position
        position = reached
    return FeedPage(events=shown, last_seq=position, head=top, has_more=position < top)
