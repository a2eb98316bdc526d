"""Change requests: deadlines and the overdue sweep, paging of the request lists, bad input.

The sweep runs as the system (use case, CLI command and the app's periodic task); each late
review is marked once and its request gets one change event. Hostile input to the change
request mutations ends in ``userErrors`` naming the field, never a half-written change.
"""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, datetime
from typing import Any

from asan.core import changelog
from asan.core.platform import Platform
from asan.registry.catalog import service as catalog
from asan.registry.catalog.models import ServicePatch
from asan.registry.catalog.registration.change_requests import run_overdue_sweeps
from asan.registry.catalog.services import reads as service_reads
from tests.registry.catalog_support import EDITOR_DIN, REVIEWER, build_registry, passport_service
from tests.registry.test_change_requests import CHANGES, SUBMIT_CHANGE, execute, run

MARCH = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)  # reviews due 7 working days later
APRIL = datetime(2026, 4, 1, 6, 0, tzinfo=UTC)

LIST = """
query($after: String) {
  overdueRegistrationRequests(first: 1, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { serviceCode reviews { reviewer overdue } } }
  }
}"""


async def two_published(p: Platform) -> None:
    await build_registry(p)
    for code in ("DIN-001", "DIN-002"):
        await catalog.create_service(p, EDITOR_DIN, passport_service(code))
        request = await catalog.submit_service(p, EDITOR_DIN, code)
        await catalog.register_request(p, REVIEWER, request.id)


async def propose(p: Platform, code: str, now: datetime) -> str:
    request = await catalog.submit_change(
        p, EDITOR_DIN, ServicePatch(code=code, processing_days=4), summary="tez", now=now
    )
    return request.id


async def overdue_events(p: Platform, after: int) -> list[tuple[str, tuple[str, ...]]]:
    return [
        (e.entity_id, e.fields)
        for e in await changelog.read_after(p.db, after, 100)
        if e.entity_kind == "RegistrationRequest" and e.operation == "updated"
    ]


async def test_the_sweep_marks_late_reviews_once_with_one_event(clean_platform: Platform) -> None:
    p = clean_platform
    await two_published(p)
    late = await propose(p, "DIN-001", MARCH)
    start = await changelog.head_seq(p.db)
    assert await catalog.sweep_overdue(p, now=MARCH) == {}  # nothing late yet: nothing written
    assert await changelog.head_seq(p.db) == start

    marked = await catalog.sweep_overdue(p, now=APRIL)
    assert marked == {late: ("agency",)}
    assert await overdue_events(p, start) == [(late, ("overdue",))]
    again = await changelog.head_seq(p.db)
    assert await catalog.sweep_overdue(p, now=APRIL) == {}  # once only
    assert await changelog.head_seq(p.db) == again
    actors = await p.db.read(
        "MATCH (e:ChangeEvent) WHERE e.seq > $s RETURN e.actor AS actor, e.action AS action",
        {"s": start},
    )
    assert actors == [{"actor": "system", "action": "registry.request.sweep"}]


async def test_the_cli_command_and_the_periodic_task_sweep(clean_platform: Platform) -> None:
    p = clean_platform
    await two_published(p)
    first = await propose(p, "DIN-001", MARCH)
    start = await changelog.head_seq(p.db)
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "asan",
        "registry",
        "sweep-overdue",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env=dict(os.environ),
    )
    out, _ = await asyncio.wait_for(proc.communicate(), timeout=120)
    assert proc.returncode == 0, out.decode()
    assert f"{first}: overdue (agency)" in out.decode()
    assert await overdue_events(p, start) == [(first, ("overdue",))]

    second = await propose(p, "DIN-002", MARCH)
    stop = asyncio.Event()
    task = asyncio.create_task(run_overdue_sweeps(p, stop, interval=0.05))

    async def marked() -> None:
        while True:
            rows = await p.db.read(
                "MATCH (:RegistrationRequest {id: $id})-[:HAS_REVIEW]->(v:RequestReview) "
                "RETURN v.overdue AS overdue",
                {"id": second},
            )
            if rows and rows[0]["overdue"]:
                return
            await asyncio.sleep(0.05)

    await asyncio.wait_for(marked(), timeout=30)
    stop.set()
    await asyncio.wait_for(task, timeout=30)
    events = await overdue_events(p, start)
    assert events == [(first, ("overdue",)), (second, ("overdue",))]


async def test_overdue_requests_page_by_keyset(clean_platform: Platform) -> None:
    p = clean_platform
    await two_published(p)
    older = await propose(p, "DIN-001", MARCH)
    await propose(p, "DIN-002", APRIL)
    await catalog.sweep_overdue(p)  # as of today: both are late
    first = (await run(p, LIST, REVIEWER))["overdueRegistrationRequests"]
    assert first["totalCount"] == 2 and first["pageInfo"]["hasNextPage"] is True
    assert first["edges"][0]["node"]["serviceCode"] == "DIN-001"  # nearest deadline first
    assert first["edges"][0]["node"]["reviews"] == [{"reviewer": "agency", "overdue": True}]
    after = first["pageInfo"]["endCursor"]
    second = (await run(p, LIST, REVIEWER, after=after))["overdueRegistrationRequests"]
    assert [e["node"]["serviceCode"] for e in second["edges"]] == ["DIN-002"]
    assert second["pageInfo"]["hasNextPage"] is False
    by_id = await run(
        p,
        "{ registrationRequests(status: SUBMITTED, first: 5) { edges { node { requestId } } } }",
        EDITOR_DIN,
    )
    assert by_id["registrationRequests"]["edges"][0]["node"]["requestId"] == older
    bad = await execute(p, LIST, REVIEWER, after="not-a-cursor")
    assert bad.errors and bad.errors[0].extensions["code"] == "BAD_USER_INPUT"


HOSTILE: list[tuple[dict[str, Any], str, str]] = [
    ({"nameAz": "Ad\u202eəsrev"}, "changes.nameAz", "BAD_USER_INPUT"),
    ({"nameAz": "ş" * 1_000_000}, "changes.nameAz", "BAD_USER_INPUT"),
    ({"centres": ["NOPE"]}, "changes.centres[0]", "NOT_FOUND"),
    ({"provider": "ASAN"}, "changes.provider", "BAD_USER_INPUT"),
    ({"processingDays": 10}, "changes", "BAD_USER_INPUT"),  # the value it has: no change
    ({"code": "NOPE-1", "nameAz": "Yeni"}, "changes.code", "NOT_FOUND"),
]


async def test_hostile_input_gives_user_errors_and_writes_nothing(
    clean_platform: Platform,
) -> None:
    p = clean_platform
    await two_published(p)
    await catalog.create_service(p, EDITOR_DIN, passport_service("DIN-003"))  # a draft
    start = await changelog.head_seq(p.db)
    cases = [*HOSTILE, ({"code": "DIN-003", "nameAz": "Yeni"}, "changes.code", "INVALID_STATE")]
    for changes, field, code in cases:
        data = await run(
            p, SUBMIT_CHANGE, EDITOR_DIN, input={"changes": {"code": "DIN-001", **changes}}
        )
        errors = data["submitChangeRequest"]["userErrors"]
        assert (errors[0]["field"], errors[0]["code"]) == (field, code), (changes, errors)
    summary = await run(
        p, SUBMIT_CHANGE, EDITOR_DIN, input={"changes": CHANGES, "summary": "qısa\u200b"}
    )
    assert summary["submitChangeRequest"]["userErrors"][0]["field"] == "summary"
    # control characters are refused at the edge, naming the value's path
    control = await execute(
        p, SUBMIT_CHANGE, EDITOR_DIN, input={"changes": {**CHANGES, "descriptionAz": "mətn\x07"}}
    )
    assert control.errors and control.errors[0].extensions == {
        "code": "BAD_USER_INPUT",
        "field": "$input.changes.descriptionAz",
    }
    wrong_type = await execute(
        p, SUBMIT_CHANGE, EDITOR_DIN, input={"changes": {"code": "DIN-001", "feeAmount": {}}}
    )
    assert wrong_type.errors
    assert all(e.extensions.get("code") != "INTERNAL_SERVER_ERROR" for e in wrong_type.errors)
    assert await changelog.head_seq(p.db) == start  # nothing was written
    count = await p.db.read("MATCH (r:RegistrationRequest {kind: 'change'}) RETURN count(r) AS n")
    assert count == [{"n": 0}]

    # text that looks like Cypher is only text: stored and shown as sent
    cypher = "x'}) MATCH (n) DETACH DELETE n //"
    ok = await run(
        p, SUBMIT_CHANGE, EDITOR_DIN, input={"changes": {"code": "DIN-001", "nameEn": cypher}}
    )
    request = ok["submitChangeRequest"]["registrationRequest"]
    diff = await run(
        p,
        "query($id: ID!) { node(id: $id) { ... on RegistrationRequest { "
        "diff { field proposed } } } }",
        REVIEWER,
        id=request["id"],
    )
    assert diff["node"]["diff"] == [{"field": "nameEn", "proposed": cypher}]

    unknown = await run(
        p,
        """mutation { registerService(input: {requestId: "no-such"}) {
             userErrors { field code } } }""",
        REVIEWER,
    )
    assert unknown["registerService"]["userErrors"] == [{"field": "requestId", "code": "NOT_FOUND"}]
    bad_field = await run(
        p,
        """mutation($id: String!) { returnServiceRegistration(input: {requestId: $id, defects: [],
             fieldDefects: [{field: "noSuchField", text: "x"}]}) { userErrors { field code } } }""",
        REVIEWER,
        id=request["requestId"],
    )
    assert bad_field["returnServiceRegistration"]["userErrors"] == [
        {"field": "fieldDefects[0].field", "code": "BAD_USER_INPUT"}
    ]
    stored = (await service_reads.stored_services(p.db, ["DIN-001"]))["DIN-001"]
    assert stored.content.name_en == "Issuing identity cards"  # nothing applied
