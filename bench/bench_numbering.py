"""Registration numbers under a crash: 200 concurrent registrations in 4 journals from 20
clients against a real ``asan serve`` process that is killed (SIGKILL) once mid-way and
restarted (issue 10, "Performance").

The clients send ``registerDocument`` over loopback HTTP with a bearer token, each request
with its own ``clientMutationId``; a request that gets no answer (the process died, the
connection broke) is sent again, unchanged, until it is acknowledged; the retry after the
restart is what a real client does, and idempotency makes it safe whether or not the first
attempt had committed. When 80 registrations are acknowledged the whole ``asan serve``
process group gets SIGKILL (requests are in flight: 20 clients), a new one is started on the
same port, and the clients carry on.

Checked afterwards in the graph, for the four bench journals this year:
- duplicates: two documents with one (journal, year, seq) or one registration number: 0;
- gaps: committed sequence numbers of each journal are exactly 1..max: 0 missing;
- lost: every acknowledged registration is there with the number it was acknowledged with;
- exactly once: each client request (key) made exactly one document, 200 in all.
Reported besides: throughput and latency (p50/p95) of acknowledged requests, retries, the
down time between the kill and the restarted server's readiness.

The journals (BNUM-1..4, incoming) and the user ``bench.registrar`` are created once and kept:
their counters keep running over later runs, and the checks cover every document they hold.
Nothing sleeps to synchronise: clients wait on an event the restart sets.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import sys
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import httpx

from asan.auth.accounts import create_user
from asan.auth.models import NewUser
from asan.auth.principal import SYSTEM
from asan.auth.service import AuthService
from asan.core.platform import Platform
from asan.core.workdays import today_in_baku
from asan.edms.documents.journals import configure_journal
from bench.bench_http import _Served
from bench.bench_workers import _free_port
from bench.stats import summarize

CLIENTS = 20
TOTAL = 200
JOURNALS = ("BNUM-1", "BNUM-2", "BNUM-3", "BNUM-4")
KILL_AFTER = 80  # acknowledged registrations before the SIGKILL
REQUEST_TIMEOUT_S = 60.0
RUN_TIMEOUT_S = 900.0
USERNAME = "bench.registrar"

REGISTER = """
mutation($input: RegisterDocumentInput!) {
  registerDocument(input: $input) {
    document { documentId regNumber journalCode }
    userErrors { field message code }
  }
}"""


async def _registrar(platform: Platform) -> str:
    rows = await platform.db.read(
        "MATCH (u:User {username: $u}) RETURN u.id AS id", {"u": USERNAME}
    )
    if rows:
        return str(rows[0]["id"])
    return await create_user(
        platform,
        SYSTEM,
        NewUser(
            USERNAME,
            "Bench Registrar",
            secrets.token_urlsafe(24),
            frozenset({"registrar"}),
        ),
    )


async def _journals(platform: Platform) -> None:
    for code in JOURNALS:
        await configure_journal(
            platform,
            SYSTEM,
            code,
            kind="incoming",
            pattern=code + "/{seq}/{year}",
            name_az=f"Sınaq jurnalı {code}",
            name_en=f"Bench journal {code}",
        )


def _serve(port: int, bucket_prefix: str) -> _Served:
    command = [sys.executable, "-m", "asan", "serve", "--host", "127.0.0.1", "--port", str(port)]
    return _Served(
        "asan serve",
        [*command, "--workers", "1"],
        port,
        "/readyz",
        {"ASAN_BUCKET_PREFIX": bucket_prefix},
    )


class _Run:
    """Shared state of one run: acknowledgements, timings, the server's availability."""

    def __init__(self, run_id: str) -> None:
        self.run_id = run_id
        self.acked: dict[str, dict[str, str]] = {}  # key -> document, number, journal
        self.latencies: list[float] = []
        self.attempts = 0
        self.retries = 0
        self.in_flight = 0
        self.in_flight_at_kill = 0
        self.refused: list[Any] = []
        self.kill = asyncio.Event()
        self.up = asyncio.Event()
        self.up.set()
        self.killed_at: datetime | None = None
        self.acked_after_kill: set[str] = set()


async def _client(
    run: _Run, http: httpx.AsyncClient, token: str, plan: list[tuple[str, str]]
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    deadline = time.monotonic() + RUN_TIMEOUT_S
    for key, journal in plan:
        variables = {
            "input": {
                "clientMutationId": key,
                "card": {
                    "subject": f"Sınaq məktubu {key}",
                    "journal": journal,
                    "correspondentKind": "PERSON",
                    "correspondentName": "Məmmədov Əli",
                    "channel": "MAIL",
                    "pages": 1,
                },
            }
        }
        while True:
            if time.monotonic() > deadline:
                raise RuntimeError(f"registration {key} not acknowledged in {RUN_TIMEOUT_S} s")
            await run.up.wait()
            run.attempts += 1
            run.in_flight += 1
            started = time.perf_counter()
            body: dict[str, Any] | None = None
            try:
                response = await http.post(
                    "/graphql",
                    json={"query": REGISTER, "variables": variables},
                    headers=headers,
                    timeout=REQUEST_TIMEOUT_S,
                )
                if response.status_code == 200:
                    body = response.json()
            except (httpx.TransportError, ValueError):
                body = None
            finally:
                run.in_flight -= 1
            payload = ((body or {}).get("data") or {}).get("registerDocument")
            if payload and payload["document"]:
                doc = payload["document"]
                run.acked[key] = {
                    "id": doc["documentId"],
                    "number": doc["regNumber"],
                    "journal": doc["journalCode"],
                }
                run.latencies.append(time.perf_counter() - started)
                if run.killed_at is not None:
                    run.acked_after_kill.add(key)
                if len(run.acked) >= KILL_AFTER:
                    run.kill.set()
                break
            if payload and payload["userErrors"]:
                run.refused.append(payload["userErrors"])  # not expected: reported, not retried
                break
            run.retries += 1  # no answer (the server died) or an outage: the same request again
            if run.up.is_set():
                await asyncio.sleep(0.05)  # a transient outage of a live server: back off


async def _supervise(run: _Run, api: list[_Served], port: int, prefix: str) -> dict[str, Any]:
    await run.kill.wait()
    run.up.clear()
    run.in_flight_at_kill = run.in_flight
    acked_at_kill = len(run.acked)
    killed = time.perf_counter()
    run.killed_at = datetime.now(UTC)
    os.killpg(api[0].proc.pid, signal.SIGKILL)
    await asyncio.to_thread(api[0].proc.wait, 30)
    api[0] = _serve(port, prefix)
    await asyncio.to_thread(api[0].wait_ready)
    down = time.perf_counter() - killed
    run.up.set()
    return {
        "acknowledged_before_kill": acked_at_kill,
        "requests_in_flight_at_kill": run.in_flight_at_kill,
        "down_seconds_kill_to_ready": round(down, 2),
    }


def _native(value: Any) -> Any:
    to_native = getattr(value, "to_native", None)
    return to_native() if callable(to_native) else value


async def _check(platform: Platform, run: _Run, year: int) -> dict[str, Any]:
    rows = await platform.db.read(
        """
        MATCH (d:Document) WHERE d.journalCode IN $journals AND d.regYear = $year
        RETURN d.id AS id, d.journalCode AS journal, d.regSeq AS seq, d.regNumber AS number,
               d.subject AS subject, d.createdAt AS createdAt
        """,
        {"journals": list(JOURNALS), "year": year},
    )
    by_key = Counter(
        r["subject"].rsplit(" ", 1)[1]
        for r in rows
        if r["subject"].startswith("Sınaq məktubu ") and run.run_id in r["subject"]
    )
    seq_dupes = [k for k, n in Counter((r["journal"], r["seq"]) for r in rows).items() if n > 1]
    number_dupes = [k for k, n in Counter(r["number"] for r in rows).items() if n > 1]
    gaps: dict[str, list[int]] = {}
    for journal in JOURNALS:
        seqs = sorted(r["seq"] for r in rows if r["journal"] == journal)
        missing = sorted(set(range(1, (seqs[-1] if seqs else 0) + 1)) - set(seqs))
        if missing:
            gaps[journal] = missing[:20]
    stored = {r["id"]: r for r in rows}
    lost = [
        key
        for key, ack in run.acked.items()
        if ack["id"] not in stored or stored[ack["id"]]["number"] != ack["number"]
    ]
    counters = await platform.db.read(
        "MATCH (c:JournalCounter) WHERE c.journal IN $journals AND c.year = $year "
        "RETURN c.journal AS journal, c.value AS value",
        {"journals": list(JOURNALS), "year": year},
    )
    # requests whose first attempt committed just before the kill but whose answer was lost:
    # the retry after the restart got the same document back (the receipt), not a second one
    replayed = [
        key
        for key in run.acked_after_kill
        if run.killed_at is not None
        and run.acked[key]["id"] in stored
        and _native(stored[run.acked[key]["id"]]["createdAt"]) < run.killed_at
    ]
    highest = {j: max((r["seq"] for r in rows if r["journal"] == j), default=0) for j in JOURNALS}
    return {
        "documents_in_bench_journals": len(rows),
        "documents_of_this_run": sum(by_key.values()),
        "keys_with_more_than_one_document": sum(1 for n in by_key.values() if n > 1),
        "duplicate_journal_year_seq": len(seq_dupes),
        "duplicate_numbers": len(number_dupes),
        "gaps": gaps,
        "acknowledged_lost": len(lost),
        "committed_before_kill_but_answered_only_after_restart": len(replayed),
        "counters_equal_highest_number": all(r["value"] == highest[r["journal"]] for r in counters),
    }


async def run(platform: Platform) -> dict[str, Any]:
    user_id = await _registrar(platform)
    await _journals(platform)
    token, _ = AuthService.for_settings(platform.settings).access_token(user_id, "user")
    run_state = _Run(uuid.uuid4().hex[:8])
    keys = [(f"{run_state.run_id}-{n:03d}", JOURNALS[n % len(JOURNALS)]) for n in range(TOTAL)]
    plans = [keys[i::CLIENTS] for i in range(CLIENTS)]
    port = _free_port()
    prefix = platform.settings.bucket_prefix
    api = [_serve(port, prefix)]
    out: dict[str, Any] = {
        "clients": CLIENTS,
        "registrations": TOTAL,
        "journals": list(JOURNALS),
        "kill_after_acknowledged": KILL_AFTER,
        "cpus": os.cpu_count(),
        "load_average_1m_at_start": round(os.getloadavg()[0], 2),
    }
    try:
        await asyncio.to_thread(api[0].wait_ready)
        limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
        async with httpx.AsyncClient(base_url=api[0].url, limits=limits) as http:
            started = time.perf_counter()
            supervisor = asyncio.create_task(_supervise(run_state, api, port, prefix))
            await asyncio.gather(*(_client(run_state, http, token, plan) for plan in plans))
            wall = time.perf_counter() - started
            out["crash"] = await supervisor
    finally:
        api[0].stop()
    down = out["crash"]["down_seconds_kill_to_ready"]
    out["acknowledged"] = len(run_state.acked)
    out["refused_with_user_errors"] = run_state.refused[:5]
    out["attempts"] = run_state.attempts
    out["retried_requests"] = run_state.retries
    out["wall_seconds"] = round(wall, 2)
    out["registrations_per_second_excluding_down_time"] = round(TOTAL / max(wall - down, 1e-9), 1)
    out["latency_ms_acknowledged"] = summarize([s * 1000 for s in run_state.latencies])
    checks = await _check(platform, run_state, today_in_baku().year)
    out["checks"] = checks
    out["ok"] = (
        out["acknowledged"] == TOTAL
        and checks["documents_of_this_run"] == TOTAL
        and checks["keys_with_more_than_one_document"] == 0
        and checks["duplicate_journal_year_seq"] == 0
        and checks["duplicate_numbers"] == 0
        and not checks["gaps"]
        and checks["acknowledged_lost"] == 0
        and checks["counters_equal_highest_number"]
    )
    return out
