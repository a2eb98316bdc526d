"""Disposition on real Neo4j and MinIO: the disposal calendar, the expert commission's
decisions, the destruction act signed (PAdES, checked by poppler's pdfsig) and executed, holds
and MinIO's own retention refusing, and a disposal killed half-way (SIGKILL of `asan archive
dispose`) that resumes without deleting anything twice.

Cases are closed in past years (2012-2016, five years' retention) so their disposal dates have
passed and their archived versions carry no retain-until date, except where a test sets one.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from minio.error import S3Error

from asan.archive.disposition.acts import create_act, sign_act
from asan.archive.disposition.execute import PAUSE_MARKER
from asan.archive.disposition.objects import extend_retention
from asan.archive.holds.use_cases import place_hold as hold_case
from asan.archive.records import repository as records_repo
from asan.archive.records.ingest import ingest_case
from asan.archive.records.models import ArchivedRecord
from asan.archive.storage.holds import is_held
from asan.archive.storage.retention import read_retention
from asan.archive.transfer.shortcuts import hand_over
from asan.auth.accounts import create_user
from asan.auth.models import NewUser
from asan.auth.principal import SYSTEM
from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.edms.files.models import download_path
from asan.edms.files.reads import FileDestroyed, file_by_id, read_bytes
from tests.archive.support import BuiltCase, build_case
from tests.edms.conftest import PASSWORD, World, make_world
from tests.edms.test_signatures import pdfsig

CALENDAR = """
query($from: Date, $to: Date, $due: Boolean) {
  disposalCalendar(from: $from, to: $to, due: $due, first: 50) {
    totalCount
    edges { node { caseId index disposalDate due decision decidedByName recordCount
                   totalBytes actNumber holds { placedByName reason } } }
  }
}
"""
DECIDE = """
mutation($input: DecideDisposalInput!) {
  decideDisposal(input: $input) {
    case { caseId status permanent retentionYears disposalDate }
    userErrors { field code message }
  }
}
"""
ACT_FIELDS = """
  actId number status recordCount destroyedRecordCount totalBytes commission digest
  documentId signatureId verificationCode signedByName pdfUrl
  cases { caseId index recordCount digest status }
"""
CREATE = (
    "mutation($input: CreateDestructionActInput!) { createDestructionAct(input: $input) {"
    " act {" + ACT_FIELDS + "} userErrors { field code message } } }"
)
SIGN = (
    "mutation($input: DestructionActInput!) { signDestructionAct(input: $input) {"
    " act {" + ACT_FIELDS + "} userErrors { field code message } } }"
)
EXECUTE = (
    "mutation($input: DestructionActInput!) { executeDestructionAct(input: $input) {"
    " act {" + ACT_FIELDS + "} deleted alreadyGone userErrors { field code message } } }"
)
VERIFY = """
query($id: ID!) { verifyDocumentSignature(documentId: $id) {
  valid intact coversWholeFile registrationNumber signerName } }
"""
STEP = """
mutation($input: ChangeCaseStatusInput!) {
  changeCaseStatus(input: $input) { userErrors { code message } }
}
"""


@pytest.fixture(scope="module")
async def world(
    migrated_platform: Platform, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[World]:
    built = await make_world(migrated_platform, settings, tmp_path_factory.mktemp("dispose-keys"))
    # a member of the expert commission (ekspert komissiyası)
    user = await create_user(
        built.platform,
        SYSTEM,
        NewUser("expert", "Ekspert Əliyeva", PASSWORD, frozenset({"archive_expert"})),
    )
    built.users["expert"] = user
    await built.refresh()
    built.tokens["expert"], _ = built.auth.access_token(built.users["expert"], "user")
    yield built
    await built.client.aclose()


async def archived(w: World, year: int, number: int, **kw: Any) -> BuiltCase:
    """A case of ``year`` closed that December, in the unit's archive, its files ingested."""
    built = await build_case(w, year=year, number=number, closed_on=date(year, 12, 30), **kw)
    await ingest_case(w.platform, w.principal("archivist"), built.case_id)
    return built


async def records(w: World, case_id: str) -> list[ArchivedRecord]:
    return [ArchivedRecord.of(r) for r in await records_repo.of_case(w.platform.db, case_id)]


async def version_exists(w: World, record: ArchivedRecord) -> bool:
    try:
        await w.platform.store.stat(record.bucket, record.key, record.version_id)
    except S3Error as exc:
        assert exc.code in ("NoSuchVersion", "NoSuchKey", "NoSuchObject"), exc.code
        return False
    return True


async def decide(w: World, case_id: str, decision: str, **extra: Any) -> dict[str, Any]:
    data = await w.gql(
        "expert",
        DECIDE,
        {"input": {"caseId": case_id, "decision": decision, "reason": "Protokol № 3", **extra}},
    )
    payload: dict[str, Any] = data["decideDisposal"]
    return payload


async def place_hold(w: World, case_id: str, reason: str) -> str:
    """A litigation hold placed by the legal expert through the holds part; who placed it."""
    hold = await hold_case(w.platform, w.principal("legal"), case_id, "litigation", reason)
    return hold.placed_by_name


def code_of(body: dict[str, Any]) -> str:
    code: str = body["errors"][0]["extensions"]["code"]
    return code


async def test_a_due_case_is_decided_listed_signed_and_destroyed(
    world: World, tmp_path: Path
) -> None:
    w = world
    # the regular way: closed, in the unit's archive, transferred by an accepted inventory
    due = await build_case(
        w, year=2012, number=1, documents=2, files_per_document=2, closed_on=date(2012, 12, 30)
    )
    await hand_over(
        w.platform,
        w.principal("head"),
        w.principal("archivist"),
        "DEPT-IT",
        2012,
        [due.case_id],
        ingest=True,
    )
    ahead = await build_case(w, year=2024, number=1, documents=1, closed_on=date(2024, 12, 30))

    data = await w.gql("archivist", CALENDAR, {"from": "2017-01-01", "to": "2031-12-31"})
    listed = {e["node"]["caseId"]: e["node"] for e in data["disposalCalendar"]["edges"]}
    assert listed[due.case_id]["due"] is True and listed[due.case_id]["recordCount"] == 4
    assert listed[due.case_id]["disposalDate"] == "2018-01-01"
    assert listed[ahead.case_id]["due"] is False
    assert listed[ahead.case_id]["disposalDate"] == "2030-01-01"
    only_due = await w.gql("archivist", CALENDAR, {"from": "2017-01-01", "due": True})
    ids = {e["node"]["caseId"] for e in only_due["disposalCalendar"]["edges"]}
    assert due.case_id in ids and ahead.case_id not in ids

    refused = await w.post(
        "archivist",
        DECIDE,
        {"input": {"caseId": due.case_id, "decision": "DESTROY", "reason": "x"}},
    )
    assert code_of(refused) == "FORBIDDEN"
    for case in (due, ahead):
        made = await decide(w, case.case_id, "DESTROY")
        assert made["userErrors"] == [], made
    data = await w.gql("archivist", CALENDAR, {"from": "2018-01-01", "to": "2018-01-01"})
    [entry] = [e["node"] for e in data["disposalCalendar"]["edges"]]
    assert (entry["decision"], entry["decidedByName"]) == ("DESTROY", "Ekspert Əliyeva")

    early = await w.gql("archivist", CREATE, {"input": {"caseIds": [due.case_id, ahead.case_id]}})
    [error] = early["createDestructionAct"]["userErrors"]
    assert error["code"] == "INVALID_TRANSITION" and "2030-01-01" in error["message"]

    made = await w.gql("archivist", CREATE, {"input": {"caseIds": [due.case_id]}})
    act = made["createDestructionAct"]["act"]
    assert act["status"] == "DRAFT" and act["number"].startswith("DA-")
    assert act["recordCount"] == 4 and act["commission"] == ["Ekspert Əliyeva"]
    draft = await w.client.get(act["pdfUrl"], headers=w.headers("archivist"))
    assert draft.status_code == 200 and draft.content.startswith(b"%PDF")
    outsider = await w.client.get(act["pdfUrl"], headers=w.headers("outsider"))
    assert outsider.status_code == 403

    not_head = await w.post("archivist", SIGN, {"input": {"actId": act["actId"]}})
    assert code_of(not_head) == "FORBIDDEN"
    signed = (await w.gql("chairman", SIGN, {"input": {"actId": act["number"]}}))[
        "signDestructionAct"
    ]
    assert signed["userErrors"] == [], signed
    act = signed["act"]
    assert act["status"] == "SIGNED" and act["signedByName"] == "Chairman"
    pdf = await w.client.get(act["pdfUrl"], headers=w.headers("archivist"))
    assert pdf.status_code == 200
    verdict = pdfsig(tmp_path, pdf.content, "act.pdf")
    assert "Signature is Valid." in verdict and "Total document signed" in verdict, verdict
    check = (await w.gql("chairman", VERIFY, {"id": act["documentId"]}))["verifyDocumentSignature"]
    assert check["valid"] and check["intact"] and check["registrationNumber"] == act["number"]

    direct = await w.gql("archivist", STEP, {"input": {"caseId": due.case_id, "to": "DESTROYED"}})
    [error] = direct["changeCaseStatus"]["userErrors"]
    assert error["code"] == "INVALID_TRANSITION" and "destruction act" in error["message"]

    assert code_of(await w.post("chairman", EXECUTE, {"input": {"actId": act["actId"]}})) == (
        "FORBIDDEN"
    )
    before = await records(w, due.case_id)
    assert all([await version_exists(w, r) for r in before])
    done = (await w.gql("archivist", EXECUTE, {"input": {"actId": act["actId"]}}))[
        "executeDestructionAct"
    ]
    assert done["userErrors"] == [], done
    assert (done["deleted"], done["alreadyGone"]) == (4, 0)
    assert done["act"]["status"] == "EXECUTED" and done["act"]["destroyedRecordCount"] == 4
    assert done["act"]["cases"][0]["status"] == "DESTROYED"
    after = await records(w, due.case_id)
    assert len(after) == 4  # the metadata stays
    for record in after:
        assert record.destroyed_by_act == act["number"] and record.destroyed_at is not None
        assert not await version_exists(w, record)
    # the working copies in the documents bucket went with them; the cards stay
    for file_id in due.files:
        stored = await file_by_id(w.platform.db, file_id)
        assert stored is not None and stored.destroyed_by_act == act["number"]
        assert not await w.platform.store.exists(stored.bucket, stored.object_key)
        with pytest.raises(FileDestroyed, match=act["number"]):
            await read_bytes(w.platform, stored)
        gone = await w.client.get(download_path(file_id), headers=w.headers("registrar"))
        assert gone.status_code == 410 and act["number"] in gone.json()["error"]
    file_events = await w.platform.db.read(
        "MATCH (e:ChangeEvent {entityKind: 'DocumentFile'}) WHERE e.entityId IN $ids "
        "AND e.action = 'archive.disposition.act.execute' RETURN count(e) AS n",
        {"ids": due.files},
    )
    assert file_events[0]["n"] == len(due.files)

    events = await w.platform.db.read(
        "MATCH (e:ChangeEvent {entityKind: 'Case', entityId: $id}) "
        "RETURN e.operation AS operation, e.action AS action ORDER BY e.seq",
        {"id": due.case_id},
    )
    assert events[-1] == {
        "operation": "status_changed",
        "action": "archive.disposition.act.execute",
    }
    again = await w.gql("archivist", EXECUTE, {"input": {"actId": act["actId"]}})
    [error] = again["executeDestructionAct"]["userErrors"]
    assert error["code"] == "INVALID_TRANSITION" and "executed" in error["message"]


async def test_holds_and_minio_retention_refuse_destruction(world: World) -> None:
    w = world
    held_first = await archived(w, 2013, 1, documents=1)
    held_later = await archived(w, 2013, 2, documents=1)
    retained = await archived(w, 2013, 3, documents=1)
    for case in (held_first, held_later, retained):
        assert (await decide(w, case.case_id, "DESTROY"))["userErrors"] == []

    who = await place_hold(w, held_first.case_id, "Bakı İnzibati Məhkəməsi, iş № 2-1/2026")
    data = await w.gql("archivist", CREATE, {"input": {"caseIds": [held_first.case_id]}})
    [error] = data["createDestructionAct"]["userErrors"]
    assert error["code"] == "CONFLICT"
    assert who in error["message"] and "iş № 2-1/2026" in error["message"]
    data = await w.gql("archivist", CALENDAR, {"from": "2019-01-01", "to": "2019-01-01"})
    holds = {e["node"]["caseId"]: e["node"]["holds"] for e in data["disposalCalendar"]["edges"]}
    assert holds[held_first.case_id] == [
        {"placedByName": who, "reason": "Bakı İnzibati Məhkəməsi, iş № 2-1/2026"}
    ]

    # held after the act was signed: the execution refuses, deleting nothing
    archivist, chairman = w.principal("archivist"), w.principal("chairman")
    act_id = await create_act(w.platform, archivist, [held_later.case_id])
    unsigned = await w.gql("archivist", EXECUTE, {"input": {"actId": act_id}})
    [error] = unsigned["executeDestructionAct"]["userErrors"]
    assert error["code"] == "INVALID_TRANSITION" and "signed" in error["message"]
    await sign_act(w.platform, chairman, act_id)
    await place_hold(w, held_later.case_id, "Prokurorluq araşdırması 14/77")
    data = await w.gql("archivist", EXECUTE, {"input": {"actId": act_id}})
    [error] = data["executeDestructionAct"]["userErrors"]
    assert error["code"] == "CONFLICT" and "Prokurorluq araşdırması 14/77" in error["message"]
    assert who in error["message"]
    [record] = await records(w, held_later.case_id)
    assert record.destroyed_at is None and await version_exists(w, record)

    # the graph says the date has passed, MinIO keeps the version longer: MinIO wins
    [record] = await records(w, retained.case_id)
    until = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    await extend_retention(w.platform.store, record.bucket, record.key, record.version_id, until)
    act_id = await create_act(w.platform, archivist, [retained.case_id])
    await sign_act(w.platform, chairman, act_id)
    data = await w.gql("archivist", EXECUTE, {"input": {"actId": act_id}})
    [error] = data["executeDestructionAct"]["userErrors"]
    assert error["code"] == "CONFLICT" and until.date().isoformat() in error["message"]
    assert "MinIO" in error["message"]
    assert await version_exists(w, record)
    act = (
        await w.gql(
            "archivist", "query($id: ID!) { destructionAct(id: $id) { status } }", {"id": act_id}
        )
    )["destructionAct"]
    assert act["status"] == "SIGNED"


async def test_extension_and_permanence_relock_the_files_in_minio(world: World) -> None:
    w = world
    extended = await archived(w, 2015, 1, documents=1)
    kept = await build_case(w, year=2016, number=1, documents=1, closed_on=date(2016, 12, 30))
    await hand_over(
        w.platform,
        w.principal("head"),
        w.principal("archivist"),
        "DEPT-IT",
        2016,
        [kept.case_id],
        ingest=True,
    )

    bad = await decide(w, extended.case_id, "EXTEND")
    assert [e["code"] for e in bad["userErrors"]] == ["BAD_USER_INPUT"]
    # 1 January 2021 + 6 years: a date just ahead, so the test object is not locked for long
    made = await decide(w, extended.case_id, "EXTEND", extendYears=6)
    assert made["userErrors"] == [], made
    assert made["case"]["disposalDate"] == "2027-01-01" and made["case"]["retentionYears"] == 11
    [record] = await records(w, extended.case_id)
    assert record.retain_until == datetime(2027, 1, 1, tzinfo=UTC)
    locked = await read_retention(w.platform.store, record.bucket, record.key, record.version_id)
    assert locked.mode == "COMPLIANCE" and locked.retain_until == datetime(2027, 1, 1, tzinfo=UTC)

    made = await decide(w, kept.case_id, "PERMANENT")
    assert made["userErrors"] == [], made
    assert made["case"]["permanent"] is True and made["case"]["disposalDate"] is None
    assert made["case"]["status"] == "PERMANENT"  # it was transferred
    [record] = await records(w, kept.case_id)
    assert record.legal_hold
    assert await is_held(w.platform.store, record.bucket, record.key, record.version_id)
    again = await decide(w, kept.case_id, "DESTROY")
    assert [e["code"] for e in again["userErrors"]] == ["INVALID_TRANSITION"]

    decisions = await w.platform.db.read(
        "MATCH (d:DisposalDecision)-[:DECIDES]->(:Case {id: $id}) "
        "RETURN d.decision AS decision, d.decidedByName AS name",
        {"id": kept.case_id},
    )
    assert decisions == [{"decision": "permanent", "name": "Ekspert Əliyeva"}]


async def _dispose(w: World, number: str, extra_env: dict[str, str]) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "ASAN_BUCKET_PREFIX": w.platform.settings.bucket_prefix,
        "ASAN_ARCHIVE_DISPOSITION_BATCH_SIZE": "3",
        "ASAN_ARCHIVE_DISPOSITION_CONCURRENCY": "1",
        **extra_env,
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "asan",
        "archive",
        "dispose",
        number,
        "--as",
        "archivist",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_a_killed_disposal_resumes_without_deleting_twice(world: World) -> None:
    w = world
    case = await archived(w, 2014, 1, documents=3, files_per_document=3)
    assert (await decide(w, case.case_id, "DESTROY"))["userErrors"] == []
    act_id = await create_act(w.platform, w.principal("archivist"), [case.case_id])
    await sign_act(w.platform, w.principal("chairman"), act_id)
    number = (
        await w.gql(
            "archivist", "query($id: ID!) { destructionAct(id: $id) { number } }", {"id": act_id}
        )
    )["destructionAct"]["number"]

    first = await _dispose(w, number, {"ASAN_ARCHIVE_DISPOSITION_PAUSE_AFTER": "5"})
    assert first.stdout is not None
    line = await asyncio.wait_for(first.stdout.readline(), timeout=120)
    assert line.decode().strip() == PAUSE_MARKER, line
    first.send_signal(signal.SIGKILL)
    await first.wait()
    assert first.returncode == -signal.SIGKILL

    found = await records(w, case.case_id)
    gone = [r for r in found if not await version_exists(w, r)]
    assert len(gone) == 5  # deleted before the kill
    assert sum(1 for r in found if r.destroyed_at is not None) == 3  # one batch recorded
    act = (
        await w.gql(
            "archivist", "query($id: ID!) { destructionAct(id: $id) { status } }", {"id": act_id}
        )
    )["destructionAct"]
    assert act["status"] == "EXECUTING"

    second = await _dispose(w, number, {})
    out, err = await asyncio.wait_for(second.communicate(), timeout=180)
    assert second.returncode == 0, err.decode()
    done = [x for x in out.decode().splitlines() if x.startswith("ASAN-DISPOSE-DONE")]
    # deleted now 4, found already deleted 2 (the kill came before they were recorded), 9 in all
    assert done == [f"ASAN-DISPOSE-DONE {number} executed 4 2 9"], out.decode()

    found = await records(w, case.case_id)
    assert len(found) == 9
    for record in found:
        assert record.destroyed_by_act == number and not await version_exists(w, record)
    data = await w.gql(
        "archivist",
        "query($id: ID!) { destructionAct(id: $id) { status destroyedRecordCount "
        "cases { status } } }",
        {"id": act_id},
    )
    assert data["destructionAct"] == {
        "status": "EXECUTED",
        "destroyedRecordCount": 9,
        "cases": [{"status": "DESTROYED"}],
    }
    destroyed = await w.platform.db.read(
        "MATCH (e:ChangeEvent {entityKind: 'Case', entityId: $id, operation: 'status_changed'})"
        " WHERE e.action = 'archive.disposition.act.execute' RETURN count(e) AS n",
        {"id": case.case_id},
    )
    assert destroyed[0]["n"] == 1
