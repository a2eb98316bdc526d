"""The feed's one-query read must equal what the driver and separate per-entity lookups give.

A page is read as one record (events as lists, ``at`` as epoch parts, each entity's state in a
subquery) for speed; these tests pin it to the plain way: ``DateTime.to_native()`` for times,
and one lookup per entity for services' status and provider, requests' and webhooks' bodies.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from asan.auth.principal import ANONYMOUS
from asan.core import changelog
from asan.core.changelog import Change
from asan.core.platform import Platform
from asan.integration import feed
from asan.integration import repository as repo
from asan.integration.delivery import READ_BATCHES, batches

TIMES = (
    datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC),
    datetime(2026, 3, 1, 13, 30, 15, 999999, tzinfo=timezone(timedelta(hours=4))),
    datetime(1969, 12, 31, 23, 59, 59, 500000, tzinfo=UTC),
    datetime(2030, 7, 9, 0, 0, 0, 0, tzinfo=timezone(timedelta(hours=-3, minutes=-30))),
)


async def test_event_times_equal_the_drivers_conversion(clean_platform: Platform) -> None:
    p = clean_platform
    for i, at in enumerate(TIMES):
        async with p.db.transaction() as tx:
            await changelog.append(
                tx, [Change("BusStop", f"S{i}", "updated", ("name",))], "t", "t.time", at
            )
    # nanoseconds and a named zone, as a Cypher writer could store them
    async with p.db.transaction() as tx:
        await changelog.append(tx, [Change("BusStop", "S-ns", "updated")], "t", "t.time", TIMES[0])
        await tx.run(
            "MATCH (e:ChangeEvent {entityId: 'S-ns'}) "
            "SET e.at = datetime('2026-05-05T10:11:12.987654321[Asia/Baku]')"
        )
    events = await changelog.read_after(p.db, 0, 100)
    rows = await p.db.read(
        "MATCH (e:ChangeEvent) RETURN e.seq AS seq, e.at AS at, e.entityId AS id ORDER BY e.seq"
    )
    assert [e.seq for e in events] == [r["seq"] for r in rows] and len(events) == 5
    for event, row in zip(events, rows, strict=True):
        native = row["at"].to_native()
        assert event.at == native, row["id"]
        assert event.at.isoformat() == native.isoformat(), row["id"]
        assert event.at.utcoffset() == native.utcoffset()
    assert [e.at for e in events[:4]] == list(TIMES)
    batch = await repo.events_between(p.db, 0, 2000, None, 100, None)
    assert [x.event for x in batch.events] == events
    assert batch.head == events[-1].seq


async def _reference_state(p: Platform, kind: str, entity_id: str) -> Any:
    """The state as separate lookups read it (the feed's earlier per-kind queries)."""
    if kind == "Service":
        rows = await p.db.read(
            "MATCH (s:Service {code: $id}) OPTIONAL MATCH (s)-[:PROVIDED_BY]->(b:StateBody) "
            "RETURN s.status AS status, b.code AS body",
            {"id": entity_id},
        )
        return (rows[0]["status"], rows[0]["body"]) if rows else None
    if kind == "RegistrationRequest":
        rows = await p.db.read(
            "MATCH (r:RegistrationRequest {id: $id}) "
            "OPTIONAL MATCH (r)-[:SUBMITTED_BY]->(b:StateBody) RETURN b.code AS body",
            {"id": entity_id},
        )
        return (None, rows[0]["body"]) if rows else None
    if kind == "Webhook":
        rows = await p.db.read(
            "MATCH (w:Webhook {id: $id}) RETURN w.stateBody AS body", {"id": entity_id}
        )
        return (None, rows[0]["body"]) if rows else None
    return None


async def test_entity_states_equal_separate_lookups(clean_platform: Platform) -> None:
    p = clean_platform
    await p.db.write(
        """
        CREATE (din:StateBody {code: 'DIN'}), (asan:StateBody {code: 'ASAN'})
        CREATE (:Service {code: 'S-PUB', status: 'published'})-[:PROVIDED_BY]->(din)
        CREATE (:Service {code: 'S-DRAFT', status: 'draft'})-[:PROVIDED_BY]->(asan)
        CREATE (:Service {code: 'S-WD', status: 'withdrawn'})-[:PROVIDED_BY]->(din)
        CREATE (:Service {code: 'S-ORPHAN', status: 'draft'})
        CREATE (:RegistrationRequest {id: 'R-1'})-[:SUBMITTED_BY]->(din)
        CREATE (:RegistrationRequest {id: 'R-NOBODY'})
        CREATE (:Webhook {id: 'W-1', stateBody: 'ASAN'})
        """
    )
    entities = [
        ("Service", "S-PUB"),
        ("Service", "S-DRAFT"),
        ("Service", "S-WD"),
        ("Service", "S-ORPHAN"),
        ("Service", "S-GONE"),
        ("RegistrationRequest", "R-1"),
        ("RegistrationRequest", "R-NOBODY"),
        ("RegistrationRequest", "R-GONE"),
        ("Webhook", "W-1"),
        ("Webhook", "W-GONE"),
        ("StateBody", "DIN"),
        ("User", "u-1"),
    ]
    async with p.db.transaction() as tx:
        await changelog.append(
            tx,
            [Change(kind, i, "updated") for kind, i in entities],
            "t",
            "t.state",
            datetime.now(UTC),
        )
    batch = await repo.events_between(p.db, 0, 2000, None, 100, None)
    assert [(x.event.entity_kind, x.event.entity_id) for x in batch.events] == entities
    for x in batch.events:
        expected = await _reference_state(p, x.event.entity_kind, x.event.entity_id)
        assert x.state == expected, x.event.entity_id
    assert batch.events[0].state == ("published", "DIN")
    assert batch.events[3].state == ("draft", None)
    assert batch.events[4].state is None
    # bounded by the window, the limit, the kinds and a given head, still in seq order
    seqs = [x.event.seq for x in batch.events]
    part = await repo.events_between(p.db, seqs[1], 3, None, 100, None)
    assert [x.event.seq for x in part.events] == seqs[2:5]
    limited = await repo.events_between(p.db, 0, 2000, ["Webhook", "Service"], 3, None)
    assert [x.event.entity_id for x in limited.events] == ["S-PUB", "S-DRAFT", "S-WD"]
    capped = await repo.events_between(p.db, 0, 2000, None, 100, seqs[5])
    assert [x.event.seq for x in capped.events] == seqs[:6] and capped.head == seqs[5]


async def test_one_read_in_delivery_batches_equals_reading_batch_by_batch(
    clean_platform: Platform,
) -> None:
    p = clean_platform
    rng = random.Random(9)  # noqa: S311 - a reproducible mix, not a secret
    changes = [
        Change(rng.choice(("BusStop", "BusStop", "User")), f"E{i}", "updated") for i in range(57)
    ]
    changes.append(Change("User", "hidden-tail", "created"))  # the log ends with a hidden one
    async with p.db.transaction() as tx:
        await changelog.append(tx, changes, "t", "t.batches", datetime.now(UTC))
    head = await changelog.head_seq(p.db)
    size = 4
    expected: list[tuple[list[int], int]] = []
    cursor = 0
    while cursor < head:  # what delivery did before: one feed read per batch
        page = await feed.read(p.db, ANONYMOUS, cursor, size, head=head)
        expected.append(([e.seq for e in page.events], page.last_seq))
        cursor = page.last_seq
    got: list[tuple[list[int], int]] = []
    cursor = 0
    while cursor < head:
        page = await feed.read(p.db, ANONYMOUS, cursor, size * READ_BATCHES, head=head)
        for events, last_seq in batches(page, size):
            got.append(([e.seq for e in events], last_seq))
            cursor = last_seq
    assert got == expected
    assert got[-1][1] == head and all(len(seqs) <= size for seqs, _ in got)
