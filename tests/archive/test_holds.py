"""Holds on archive cases, through GraphQL on real Neo4j and MinIO.

Cases are closed in past years (their retention has run out, so their versions carry no
retain-until date): what blocks deleting a version is then only the legal hold, which is
proved with awscli as the MinIO root user, an S3 client that is not the project's.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest
from minio.error import S3Error

from asan.archive.holds.reads import active_holds
from asan.archive.holds.use_cases import place_hold
from asan.archive.records import repository as records_repo
from asan.archive.records.ingest import ingest_case
from asan.archive.records.models import ArchivedRecord
from asan.archive.storage.holds import is_held
from asan.core.platform import Platform
from asan.core.settings import Settings
from tests.archive.support import BuiltCase, build_case
from tests.archive.test_object_lock import AWS, Aws
from tests.edms.conftest import World, make_world

PLACE = """
mutation($input: PlaceArchiveHoldInput!) {
  placeArchiveHold(input: $input) {
    hold { holdId caseId kind reason placedBy placedByName active }
    case { activeHold holds { holdId active } }
    userErrors { field code message }
  }
}
"""
LIFT = """
mutation($input: LiftArchiveHoldInput!) {
  liftArchiveHold(input: $input) {
    hold { holdId active liftedBy liftedByName liftReason }
    case { activeHold holds { holdId active } }
    userErrors { field code message }
  }
}
"""
INGEST = """
mutation($input: IngestCaseInput!) {
  ingestCase(input: $input) {
    caseId ingested skipped bytes
    case { archivedRecordCount }
    userErrors { field code message }
  }
}
"""
CASE = """
query($id: ID!, $after: String) {
  case(id: $id) {
    activeHold archivedRecordCount
    holds { holdId kind active reason liftReason }
    archivedRecords(first: 3, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { recordId fileId key versionId legalHold fixity sha256 size } }
    }
  }
}
"""
HOLDS = """
query($filter: ArchiveHoldFilter, $after: String) {
  archiveHolds(filter: $filter, first: 1, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { holdId caseId active } }
  }
}
"""


@pytest.fixture(scope="module")
async def world(
    migrated_platform: Platform, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[World]:
    built = await make_world(migrated_platform, settings, tmp_path_factory.mktemp("holds-keys"))
    yield built
    await built.client.aclose()


@pytest.fixture(scope="module")
def aws(world: World, settings: Settings) -> Aws:
    assert AWS.exists(), "awscli is a dev dependency: pip install -e '.[dev]'"
    return Aws(settings, world.platform.buckets["archive"])


async def records(w: World, case_id: str) -> list[ArchivedRecord]:
    return [ArchivedRecord.of(r) for r in await records_repo.of_case(w.platform.db, case_id)]


async def held(w: World, case_id: str) -> list[bool]:
    bucket = w.platform.buckets["archive"]
    return [
        await is_held(w.platform.store, bucket, r.key, r.version_id)
        for r in await records(w, case_id)
    ]


async def ingested(w: World, **case: Any) -> BuiltCase:
    built = await build_case(w, **case)
    data = await w.gql("archivist", INGEST, {"input": {"caseId": built.case_id}})
    report = data["ingestCase"]
    assert report["userErrors"] == [], report
    assert report["ingested"] == len(built.files) and report["skipped"] == 0
    assert report["case"]["archivedRecordCount"] == len(built.files)
    return built


async def place(w: World, who: str, case_id: str, kind: str, reason: str) -> dict[str, Any]:
    data = await w.gql(who, PLACE, {"input": {"caseId": case_id, "kind": kind, "reason": reason}})
    payload: dict[str, Any] = data["placeArchiveHold"]
    return payload


async def lift(w: World, who: str, hold_id: str, reason: str) -> dict[str, Any]:
    data = await w.gql(who, LIFT, {"input": {"holdId": hold_id, "reason": reason}})
    payload: dict[str, Any] = data["liftArchiveHold"]
    return payload


async def test_holds_protect_every_version_until_the_last_is_lifted(world: World, aws: Aws) -> None:
    w = world
    built = await ingested(
        w, year=2012, number=1, retention_years=3, documents=2, files_per_document=2
    )
    assert await held(w, built.case_id) == [False] * 4
    # a second run through GraphQL adds nothing
    again = (await w.gql("archivist", INGEST, {"input": {"caseId": built.case_id}}))["ingestCase"]
    assert (again["ingested"], again["skipped"]) == (0, 4)

    first = await place(w, "legal", built.case_id, "LITIGATION", "Bakı məhkəməsi, iş 2-123/2026")
    assert first["userErrors"] == [], first
    assert first["hold"]["active"] and first["hold"]["placedBy"] == w.users["legal"]
    assert first["case"]["activeHold"] is True
    assert await held(w, built.case_id) == [True] * 4
    bucket = w.platform.buckets["archive"]
    for n, record in enumerate(await records(w, built.case_id)):
        assert record.legal_hold
        if n == 0:  # as the MinIO root user, with a client that is not the project's
            stderr = aws.refused(
                "delete-object",
                "--bucket",
                aws.bucket,
                "--key",
                record.key,
                "--version-id",
                str(record.version_id),
            )
            assert "WORM protected" in stderr, stderr
        else:
            with pytest.raises(S3Error, match="WORM"):
                await w.platform.store.delete(bucket, record.key, record.version_id)

    second = await place(w, "archivist", built.case_id, "INVESTIGATION", "Daxili araşdırma")
    assert second["userErrors"] == [] and len(second["case"]["holds"]) == 2

    # disposition sees both, with who placed them and why
    found = (await active_holds(w.platform.db, [built.case_id, "no-such-case"]))[built.case_id]
    assert [h.reason for h in found] == ["Bakı məhkəməsi, iş 2-123/2026", "Daxili araşdırma"]
    assert found[0].placed_by == w.users["legal"] and "Bakı məhkəməsi" in found[0].describe()

    lifted = await lift(w, "legal", first["hold"]["holdId"], "Məhkəmə qərarı qüvvəyə minib")
    assert lifted["userErrors"] == [] and lifted["hold"]["active"] is False
    assert lifted["hold"]["liftedBy"] == w.users["legal"]
    assert lifted["case"]["activeHold"] is True  # the investigation still holds it
    assert await held(w, built.case_id) == [True] * 4

    last = await lift(w, "archivist", second["hold"]["holdId"], "Araşdırma bitib")
    assert last["userErrors"] == [] and last["case"]["activeHold"] is False
    assert await held(w, built.case_id) == [False] * 4
    assert all(not r.legal_hold for r in await records(w, built.case_id))

    # both holds stay as history, readable on the case and in the paged list
    case = (await w.gql("auditor", CASE, {"id": built.case_id}))["case"]
    assert case["activeHold"] is False and case["archivedRecordCount"] == 4
    assert sorted(h["liftReason"] for h in case["holds"]) == [
        "Araşdırma bitib",
        "Məhkəmə qərarı qüvvəyə minib",
    ]
    page = case["archivedRecords"]
    assert page["totalCount"] == 4 and page["pageInfo"]["hasNextPage"]
    rest = (
        await w.gql("auditor", CASE, {"id": built.case_id, "after": page["pageInfo"]["endCursor"]})
    )["case"]["archivedRecords"]
    seen = [e["node"]["fileId"] for e in page["edges"] + rest["edges"]]
    assert sorted(seen) == sorted(built.files) and not rest["pageInfo"]["hasNextPage"]
    listed = await w.gql("auditor", HOLDS, {"filter": {"caseId": built.case_id}})
    assert listed["archiveHolds"]["totalCount"] == 2
    nxt = listed["archiveHolds"]["pageInfo"]["endCursor"]
    more = await w.gql("auditor", HOLDS, {"filter": {"caseId": built.case_id}, "after": nxt})
    ids = {listed["archiveHolds"]["edges"][0]["node"]["holdId"]}
    ids.add(more["archiveHolds"]["edges"][0]["node"]["holdId"])
    assert ids == {first["hold"]["holdId"], second["hold"]["holdId"]}

    # audited, and in the change log
    audit = await w.platform.db.read(
        "MATCH (e:AuditEvent {outcome: 'allowed'}) WHERE e.action STARTS WITH 'archive.hold.' "
        "RETURN e.action AS action, e.actor AS actor, e.details AS details ORDER BY e.seq"
    )
    mine = [a for a in audit if json.loads(a["details"]).get("caseId") == built.case_id]
    assert [a["action"] for a in mine] == [
        "archive.hold.place",
        "archive.hold.place",
        "archive.hold.lift",
        "archive.hold.lift",
    ]
    assert json.loads(mine[0]["details"])["reason"] == "Bakı məhkəməsi, iş 2-123/2026"
    changes = await w.platform.db.read(
        "MATCH (e:ChangeEvent) WHERE e.entityKind = 'ArchiveHold' AND e.entityId IN $ids "
        "RETURN e.operation AS op",
        {"ids": [first["hold"]["holdId"], second["hold"]["holdId"]]},
    )
    assert sorted(c["op"] for c in changes) == ["created", "created", "updated", "updated"]
    case_changes = await w.platform.db.read(
        "MATCH (e:ChangeEvent {entityKind: 'Case', entityId: $id}) "
        "WHERE 'activeHold' IN e.fields RETURN count(e) AS n",
        {"id": built.case_id},
    )
    assert case_changes[0]["n"] == 4


async def test_a_permanent_case_keeps_its_hold_and_a_hold_before_ingest_applies(
    world: World,
) -> None:
    w = world
    permanent = await ingested(w, year=2013, number=1, permanent=True, documents=1)
    assert await held(w, permanent.case_id) == [True]
    placed = await place(w, "archivist", permanent.case_id, "OTHER", "Prokurorluğun sorğusu")
    lifted = await lift(w, "archivist", placed["hold"]["holdId"], "Sorğu cavablandırılıb")
    assert lifted["userErrors"] == [] and lifted["case"]["activeHold"] is False
    assert await held(w, permanent.case_id) == [True]  # permanent cases always keep theirs
    assert all(r.legal_hold for r in await records(w, permanent.case_id))

    # a hold placed before the case is ingested is applied by the ingest
    early = await build_case(w, year=2013, number=2, retention_years=2, documents=1)
    before = await place(w, "legal", early.case_id, "LITIGATION", "İddia ərizəsi")
    assert before["userErrors"] == [] and before["case"]["activeHold"] is True
    await w.gql("archivist", INGEST, {"input": {"caseId": early.case_id}})
    assert await held(w, early.case_id) == [True]


async def test_refusals(world: World) -> None:
    w = world
    built = await ingested(w, year=2014, number=1, retention_years=2, documents=1)
    for reason in ("", "   \n "):
        refused = await place(w, "legal", built.case_id, "LITIGATION", reason)
        assert refused["hold"] is None
        assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [
            ("reason", "BAD_USER_INPUT")
        ]
    too_long = await place(w, "legal", built.case_id, "LITIGATION", "x" * 1001)
    assert [e["field"] for e in too_long["userErrors"]] == ["reason"]
    assert await held(w, built.case_id) == [False]

    for who in ("outsider", "registrar", "head"):
        body = await w.post(
            who,
            PLACE,
            {"input": {"caseId": built.case_id, "kind": "OTHER", "reason": "Niyə olmasın"}},
        )
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", (who, body)
    assert await held(w, built.case_id) == [False]
    refusals = await w.platform.db.read(
        "MATCH (e:AuditEvent {action: 'archive.hold.place', outcome: 'refused', targetId: $id}) "
        "RETURN count(e) AS n",
        {"id": built.case_id},
    )
    assert refusals[0]["n"] == 3

    hold = (await place(w, "legal", built.case_id, "LITIGATION", "Şikayət"))["hold"]
    body = await w.post("outsider", LIFT, {"input": {"holdId": hold["holdId"], "reason": "Yox"}})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    no_reason = await lift(w, "legal", hold["holdId"], " ")
    assert [e["field"] for e in no_reason["userErrors"]] == ["reason"]
    assert await held(w, built.case_id) == [True]
    await lift(w, "legal", hold["holdId"], "Şikayət geri götürülüb")
    twice = await lift(w, "legal", hold["holdId"], "Yenə")
    assert [e["code"] for e in twice["userErrors"]] == ["INVALID_TRANSITION"]
    unknown = await place(w, "legal", "no-such-case", "OTHER", "Səbəb")
    assert [e["code"] for e in unknown["userErrors"]] == ["NOT_FOUND"]


async def test_after_lifting_root_can_delete_the_version(world: World, aws: Aws) -> None:
    """A throwaway case: deleting behind the system's back leaves a dangling record."""
    w = world
    built = await ingested(
        w, year=2011, number=1, retention_years=1, documents=1, closed_on=date(2011, 12, 1)
    )
    hold = (await place(w, "legal", built.case_id, "LITIGATION", "Qısa müddətli iddia"))["hold"]
    [record] = await records(w, built.case_id)
    delete = ("delete-object", "--bucket", aws.bucket, "--key", record.key)
    assert "WORM protected" in aws.refused(*delete, "--version-id", str(record.version_id))
    await lift(w, "legal", hold["holdId"], "İddia rədd edilib")
    aws.ok(*delete, "--version-id", str(record.version_id))
    gone = aws.run(
        "head-object",
        "--bucket",
        aws.bucket,
        "--key",
        record.key,
        "--version-id",
        str(record.version_id),
    )
    assert gone.returncode != 0


async def test_a_hold_placed_during_an_ingest_covers_its_new_versions(
    world: World, settings: Settings
) -> None:
    """The hold commits after the ingest read the case (no hold then) and before it writes
    its records: the ingest must still leave every new version held."""
    w = world
    built = await build_case(w, year=2014, number=2, retention_years=2, documents=2)
    placed: list[str] = []

    def place_now() -> None:  # another process's request, with its own connections
        async def go() -> None:
            other = Platform.connect(settings)
            try:
                hold = await place_hold(
                    other, w.principal("legal"), built.case_id, "litigation", "Yeni iddia"
                )
                placed.append(hold.id)
            finally:
                await other.close()

        asyncio.run(go())

    def progress(done: int, total: int) -> None:
        if done == 1:  # the first version is put; the records are not written yet
            thread = threading.Thread(target=place_now)
            thread.start()
            thread.join(timeout=60)
            assert placed, "the hold was not placed"

    report = await ingest_case(
        w.platform, w.principal("archivist"), built.case_id, concurrency=1, progress=progress
    )
    assert report.ingested == 2 and len(placed) == 1
    assert await held(w, built.case_id) == [True, True]
    assert all(r.legal_hold for r in await records(w, built.case_id))
