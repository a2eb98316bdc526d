"""Change feed and webhooks: read throughput, delivery latency, catch-up after a long outage.

1. Feed read throughput: ~100,000 change events are appended in bulk (numbered from the real
   ``ChangeLogHead``, as the pipeline numbers them; kind ``BusStop``, public, ids
   ``benchFeed-*``), then read from a cursor to the head as a public caller, 100 per page,
   through the feed's read (``asan.integration.reads.changes``, what the resolver calls) and,
   for the first 20,000, through the whole GraphQL schema in-process. Baselines in the same
   run, the same pages through the driver alone: the plain one-record-per-event Cypher, and
   the feed's own one-record shape without policy or entity state (its floor); ratios are
   feed time over baseline time.
2. Webhook delivery latency: a real HTTP receiver (a thread) and the delivery worker with the
   default poll interval; each of 40 real mutations (``saveBusStop``) is timed from its commit
   to the receiver getting its event. Target p95 < 2 s.
3. Catch-up: a subscriber registered before the bulk events (as if down for 100,000 events)
   is served by one worker until its cursor reaches the head: seconds and events per second.

The bench's events stay (the log is append-only); the webhooks and bus stops are removed.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from asan.auth.principal import ANONYMOUS, SYSTEM, Principal
from asan.core import changelog
from asan.core.platform import Platform
from asan.graphql.context import Context
from asan.graphql.schema import schema
from asan.integration import reads, use_cases
from asan.integration.delivery import DeliveryWorker
from asan.integration.feed import encode_cursor
from asan.integration.models import WebhookChange, WebhookInput
from asan.registry.catalog import service as catalog
from asan.registry.catalog.models import BusStopInput, StateBodyInput
from bench.stats import summarize

EVENTS = 100_000
CHUNK = 10_000
GRAPHQL_EVENTS = 20_000
LATENCY_MUTATIONS = 40
BODY = "BENCHFEED"
OWNER = Principal(
    subject="bench-feed", kind="user", roles=frozenset({"state_body_editor"}), state_body=BODY
)
PAGE_QUERY = (
    "query($a: String) { changes(after: $a, first: 100) { pageInfo { endCursor "
    "hasNextPage } edges { node { seq kind entityId operation fields tombstone } } } }"
)

RAW_PAGE = (
    "MATCH (e:ChangeEvent) WHERE e.seq > $after RETURN e.seq AS seq, e.at AS at, "
    "e.entityKind AS entityKind, e.entityId AS entityId, e.operation AS operation, "
    "e.fields AS fields, e.actor AS actor, e.action AS action, e.requestId AS requestId "
    "ORDER BY e.seq LIMIT $limit"
)

RAW_PAGE_ONE_RECORD = (
    "MATCH (e:ChangeEvent) WHERE e.seq > $after WITH e ORDER BY e.seq LIMIT $limit "
    "RETURN collect([e.seq, [e.at.year, e.at.month, e.at.day, e.at.hour, e.at.minute, "
    "e.at.second, e.at.nanosecond, e.at.offsetSeconds], e.entityKind, e.entityId, "
    "e.operation, e.fields, e.actor, e.action, e.requestId]) AS rows"
)


class _Receiver:
    """A real HTTP endpoint: records when each event id arrived; answers 200."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.events = 0
        self.lock = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                now = time.perf_counter()
                events = json.loads(body)["events"]
                with receiver.lock:
                    receiver.events += len(events)
                    for e in events:
                        receiver.arrived.setdefault(e["id"], now)
                    receiver.lock.notify_all()
                self.send_response(200)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def wait(self, predicate: Any, timeout: float) -> bool:
        with self.lock:
            return bool(self.lock.wait_for(predicate, timeout))

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


async def _bulk_events(p: Platform, count: int) -> tuple[int, int]:
    """Append ``count`` events as the pipeline would (head locked, gapless); (first, last)."""
    first = 0
    done = 0
    while done < count:
        n = min(CHUNK, count - done)
        async with p.db.transaction() as tx:
            rows = await tx.run(
                """
                MATCH (h:ChangeLogHead {id: 'main'})
                SET h.lockedAt = timestamp()
                WITH h, h.seq AS base SET h.seq = base + $n
                WITH base UNWIND range(1, $n) AS i
                CREATE (:ChangeEvent {seq: base + i, at: datetime(), entityKind: 'BusStop',
                        entityId: 'benchFeed-' + toString(base + i), operation: 'updated',
                        fields: ['name'], actor: 'bench', action: 'bench.feed',
                        requestId: null})
                RETURN min(base + i) AS first
                """,
                {"n": n},
            )
        first = first or int(rows[0]["first"])
        done += n
    return first, first + count - 1


async def _read_throughput(p: Platform, start: int, head: int) -> dict[str, Any]:
    cursor = encode_cursor(start)
    seen = pages = 0
    began = time.perf_counter()
    while True:
        page = await reads.changes(p, ANONYMOUS, cursor, 100, None)
        seen += len(page.events)
        pages += 1
        cursor = encode_cursor(page.last_seq)
        if not page.has_more or page.last_seq >= head:
            break
    feed_s = time.perf_counter() - began
    cursor = encode_cursor(start)
    gql_seen = 0
    began = time.perf_counter()
    while gql_seen < GRAPHQL_EVENTS:
        result = await schema.execute(
            PAGE_QUERY, variable_values={"a": cursor}, context_value=Context(platform=p)
        )
        assert result.errors is None and result.data is not None, result.errors
        gql_seen += len(result.data["changes"]["edges"])
        cursor = result.data["changes"]["pageInfo"]["endCursor"]
    gql_s = time.perf_counter() - began
    raw_s = await _raw_read(p, start, head, one_record=False)
    floor_s = await _raw_read(p, start, head, one_record=True)
    return {
        "events": seen,
        "pages": pages,
        "feed_read_events_per_s": round(seen / feed_s),
        "raw_driver_events_per_s": round(seen / raw_s),
        "feed_vs_raw_driver": round(feed_s / raw_s, 2),
        "raw_driver_one_record_events_per_s": round(seen / floor_s),
        "feed_vs_raw_driver_one_record": round(feed_s / floor_s, 2),
        "graphql_events": gql_seen,
        "graphql_events_per_s": round(gql_seen / gql_s),
    }


async def _raw_read(p: Platform, start: int, head: int, *, one_record: bool) -> float:
    """Baseline: the same pages (100 events after a cursor, up to the head) through the driver
    (``Database.read``), no policy, no feed types; seconds taken. ``one_record``: the page as
    one record of lists (the feed's own query shape, without the entities' state), else the
    plain one-record-per-event Cypher an integrator would write first."""
    position = start
    began = time.perf_counter()
    while position < head:
        if one_record:
            rows = await p.db.read(RAW_PAGE_ONE_RECORD, {"after": position, "limit": 100})
            position = int(rows[0]["rows"][-1][0])
        else:
            rows = await p.db.read(RAW_PAGE, {"after": position, "limit": 100})
            position = int(rows[-1]["seq"])
    return time.perf_counter() - began


async def _latency(p: Platform, receiver: _Receiver) -> dict[str, Any]:
    committed: dict[str, float] = {}
    for i in range(LATENCY_MUTATIONS):
        code = f"BENCHFEED-STOP-{i}"
        await catalog.save_bus_stops(p, SYSTEM, [BusStopInput(code, f"Dayanacaq {i}", "Bakı")])
        committed[code] = time.perf_counter()
        await asyncio.sleep(0.05)  # spread commits over the poll interval (pacing, not sync)
    ok = await asyncio.to_thread(
        receiver.wait, lambda: all(c in receiver.arrived for c in committed), 60.0
    )
    samples = [
        (receiver.arrived[c] - t) * 1000 for c, t in committed.items() if c in receiver.arrived
    ]
    return {"all_arrived": ok, **summarize(samples), "target_p95_ms": 2000}


async def _catch_up(p: Platform, webhook_id: str, head: int) -> dict[str, Any]:
    worker = DeliveryWorker(p, owner="bench-catch-up")
    began = time.perf_counter()
    try:
        while True:
            await worker.serve(webhook_id, head)
            rows = await p.db.read(
                "MATCH (w:Webhook {id: $id}) RETURN w.cursor AS cursor", {"id": webhook_id}
            )
            if int(rows[0]["cursor"]) >= head:
                break
    finally:
        await worker.close()
    seconds = time.perf_counter() - began
    return {"seconds": round(seconds, 1), "events_per_s": round(EVENTS / seconds)}


async def run(p: Platform) -> dict[str, Any]:
    settings = p.settings
    saved = (settings.webhook_allow_loopback, settings.webhook_lease_seconds)
    settings.webhook_allow_loopback = True  # the receiver listens on 127.0.0.1
    settings.webhook_lease_seconds = 600  # one worker keeps the catch-up subscriber
    receiver = _Receiver()
    catch_up_receiver = _Receiver()
    hooks: list[str] = []
    try:
        exists = await p.db.read("MATCH (b:StateBody {code: $c}) RETURN 1 AS one", {"c": BODY})
        body = StateBodyInput(BODY, "Bench feed")
        await catalog.save_state_body(p, SYSTEM, body, create=not exists)
        lagging = await use_cases.register_webhook(
            p, OWNER, WebhookInput(BODY, catch_up_receiver.url, ("BUS_STOP",))
        )
        hooks.append(lagging.webhook.id)
        start = await changelog.head_seq(p.db)
        first, last = await _bulk_events(p, EVENTS)
        out: dict[str, Any] = {"bulk_events": [first, last]}
        out["read"] = await _read_throughput(p, start, last)
        out["catch_up_100k"] = await _catch_up(p, lagging.webhook.id, last)
        out["catch_up_100k"]["received"] = catch_up_receiver.events
        live = await use_cases.register_webhook(
            p, OWNER, WebhookInput(BODY, receiver.url, ("BUS_STOP",))
        )
        hooks.append(live.webhook.id)
        # the caught-up subscriber is paused, so only the live one is timed
        await use_cases.update_webhook(p, OWNER, WebhookChange(lagging.webhook.id, active=False))
        stop = asyncio.Event()
        worker = DeliveryWorker(p, owner="bench-live")
        task = asyncio.create_task(worker.run(stop))
        try:
            out["delivery_latency"] = await _latency(p, receiver)
        finally:
            stop.set()
            await task
            await worker.close()
        out["poll_seconds"] = settings.webhook_poll_seconds
        out["batch_size"] = settings.webhook_batch_size
        return out
    finally:
        for hook in hooks:
            await use_cases.delete_webhook(p, OWNER, hook)
        await p.db.write("MATCH (s:BusStop) WHERE s.code STARTS WITH 'BENCHFEED-' DETACH DELETE s")
        receiver.close()
        catch_up_receiver.close()
        settings.webhook_allow_loopback, settings.webhook_lease_seconds = saved
