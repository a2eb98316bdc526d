"""Transfer inventories (təhvil siyahısı) through GraphQL and the CLI, on the real Neo4j and
MinIO: a unit's inventory drawn up, submitted, returned with a reason, corrected, accepted (its
cases become transferred, their files land in the Object Lock bucket with their SHA-256);
refusals as userErrors (wrong states, a case not in the unit's archive, a case on another open
inventory); the PDF (text extracted with pypdf: indexes, Azerbaijani titles) and the CSV; an
interrupted ingest finished by ``asan archive transfer --resume`` without a second put."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import os
import re
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from asan.archive.cli import archive_app
from asan.archive.records import repository as records_repo
from asan.archive.transfer.ingest import wait_all
from asan.archive.transfer.use_cases import create_inventory, submit_inventory
from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.core.workdays import today_in_baku
from asan.edms.files.reads import file_by_id
from tests.archive.support import BuiltCase, build_case, codes
from tests.edms.conftest import World, make_world

ROOT = Path(__file__).resolve().parents[2]
LINE = """position caseId index title year caseStatus documentCount fileCount ingestedCount
  ingestComplete firstDocumentDate lastDocumentDate"""
INVENTORY = f"""inventoryId number unit unitName year status returnedReason caseCount fileCount
  ingestedCount ingestStatus pdfUrl csvUrl acceptedBy cases {{ {LINE} }}"""
PAYLOAD = "userErrors { field message code } clientMutationId"
CREATE = (
    "mutation($input: CreateTransferInventoryInput!) { createTransferInventory(input: $input)"
    " { inventory {" + INVENTORY + "} " + PAYLOAD + " } }"
)
SET_CASES = (
    "mutation($input: SetTransferInventoryCasesInput!) { setTransferInventoryCases(input: "
    "$input) { inventory {" + INVENTORY + "} " + PAYLOAD + " } }"
)
SUBMIT = (
    "mutation($input: TransferInventoryInput!) { submitTransferInventory(input: $input)"
    " { inventory {" + INVENTORY + "} " + PAYLOAD + " } }"
)
RETURN = (
    "mutation($input: ReturnTransferInventoryInput!) { returnTransferInventory(input: $input)"
    " { inventory {" + INVENTORY + "} " + PAYLOAD + " } }"
)
ACCEPT = (
    "mutation($input: TransferInventoryInput!) { acceptTransferInventory(input: $input)"
    " { inventory {" + INVENTORY + "} ingestRunning ingestError " + PAYLOAD + " } }"
)
ONE = "query($id: ID!) { transferInventory(id: $id) {" + INVENTORY + "} }"
LIST = (
    "query($filter: TransferInventoryFilter) { transferInventories(filter: $filter) {"
    " totalCount edges { node { number status } } } }"
)
STEP = (
    "mutation($input: ChangeCaseStatusInput!) { changeCaseStatus(input: $input) {"
    " case { status } " + PAYLOAD + " } }"
)
TITLE_AZ = "Şikayətlər üzrə yazışma: ə ğ ı İ ö ş ü ç"


@pytest.fixture(scope="module")
async def world(
    migrated_platform: Platform, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[World]:
    built = await make_world(migrated_platform, settings, tmp_path_factory.mktemp("transfer"))
    yield built
    await wait_all(60)
    await built.client.aclose()


async def mutate(w: World, who: str, query: str, **input: Any) -> dict[str, Any]:
    data = await w.gql(who, query, {"input": input})
    payload: dict[str, Any] = next(iter(data.values()))
    return payload


async def inventory(w: World, key: str) -> dict[str, Any]:
    found: dict[str, Any] = (await w.gql("auditor", ONE, {"id": key}))["transferInventory"]
    return found


async def complete(w: World, inventory_id: str) -> dict[str, Any]:
    """The inventory once its ingest (a task of the app, maybe still running) has ended."""
    await wait_all(60)
    return await inventory(w, inventory_id)


async def archived_objects(w: World, case_id: str) -> list[tuple[str, str | None]]:
    """Every object version under the case's prefix in the archive bucket."""
    bucket = w.platform.buckets["archive"]
    client = w.platform.store.client

    def listing() -> list[tuple[str, str | None]]:
        found = client.list_objects(
            bucket, prefix=f"{case_id}/", recursive=True, include_version=True
        )
        return [(o.object_name or "", o.version_id) for o in found]

    return await asyncio.to_thread(listing)


async def assert_archived(w: World, built: BuiltCase) -> None:
    """One record per file, each pinned to one object version whose bytes and metadata carry
    the SHA-256 the document system recorded."""
    records = await records_repo.of_case(w.platform.db, built.case_id)
    assert sorted(r["fileId"] for r in records) == sorted(built.files)
    for record in records:
        source = await file_by_id(w.platform.db, record["fileId"])
        assert source is not None and record["sha256"] == source.sha256
        data = await w.platform.store.get(record["bucket"], record["key"], record["versionId"])
        assert hashlib.sha256(data).hexdigest() == source.sha256
        stat = await w.platform.store.stat(record["bucket"], record["key"], record["versionId"])
        assert stat.metadata["sha256"] == source.sha256
    assert record["bucket"] == w.platform.buckets["archive"]
    versions = await archived_objects(w, built.case_id)
    assert len(versions) == len(built.files)  # nothing put twice


async def test_an_inventory_is_returned_corrected_accepted_and_ingested(world: World) -> None:
    w = world
    first = await build_case(w, year=2012, number=1, documents=2)
    second = await build_case(w, year=2012, number=2, documents=1, files_per_document=2)
    third = await build_case(w, year=2012, number=3, documents=1, title=TITLE_AZ)

    made = await mutate(
        w, "head", CREATE, unit="DEPT-IT", year=2012, caseIds=[first.case_id, second.case_id]
    )
    assert made["userErrors"] == []
    drafted = made["inventory"]
    assert re.fullmatch(rf"TI-{today_in_baku().year}-\d{{4}}", drafted["number"])
    assert (drafted["status"], drafted["caseCount"], drafted["ingestStatus"]) == (
        "DRAFT",
        2,
        "NOT_STARTED",
    )
    assert [c["index"] for c in drafted["cases"]] == ["DEPT-IT-01", "DEPT-IT-02"]
    assert drafted["fileCount"] == 4 and drafted["ingestedCount"] == 0
    inventory_id = drafted["inventoryId"]

    submitted = await mutate(w, "head", SUBMIT, inventoryId=inventory_id)
    assert submitted["inventory"]["status"] == "SUBMITTED"
    returned = await mutate(
        w, "archivist", RETURN, inventoryId=inventory_id, reason="DEPT-IT-03 də verilməlidir"
    )
    assert returned["userErrors"] == []
    assert returned["inventory"]["status"] == "RETURNED"
    assert returned["inventory"]["returnedReason"] == "DEPT-IT-03 də verilməlidir"

    ids = [first.case_id, second.case_id, third.case_id]
    corrected = await mutate(w, "registrar", SET_CASES, inventoryId=inventory_id, caseIds=ids)
    assert corrected["userErrors"] == []
    assert [c["caseId"] for c in corrected["inventory"]["cases"]] == ids
    assert [c["position"] for c in corrected["inventory"]["cases"]] == [1, 2, 3]
    again = await mutate(w, "head", SUBMIT, inventoryId=inventory_id)
    assert again["inventory"]["status"] == "SUBMITTED"

    accepted = await mutate(w, "archivist", ACCEPT, inventoryId=inventory_id)
    assert accepted["userErrors"] == [] and accepted["ingestError"] is None
    assert accepted["inventory"]["status"] == "ACCEPTED"
    assert accepted["inventory"]["acceptedBy"] == w.users["archivist"]
    done = await complete(w, inventory_id)
    assert done["ingestStatus"] == "COMPLETE"
    assert done["fileCount"] == done["ingestedCount"] == 5
    assert {c["caseStatus"] for c in done["cases"]} == {"TRANSFERRED"}
    assert all(c["ingestComplete"] for c in done["cases"])
    for built in (first, second, third):
        await assert_archived(w, built)

    events = await w.platform.db.read(
        "MATCH (e:ChangeEvent {entityKind: 'Case', action: 'archive.transfer.accept'}) "
        "RETURN e.entityId AS id, e.operation AS operation",
        {},
    )
    assert sorted(e["id"] for e in events) == sorted(ids)
    assert {e["operation"] for e in events} == {"status_changed"}
    listed = await w.gql("auditor", LIST, {"filter": {"unit": "DEPT-IT", "status": "ACCEPTED"}})
    assert [e["node"]["number"] for e in listed["transferInventories"]["edges"]] == [
        drafted["number"]
    ]
    by_number = await inventory(w, drafted["number"])
    assert by_number["inventoryId"] == inventory_id

    # the documents: PDF (signature places, Azerbaijani letters) and CSV, for any reader
    pdf = await w.client.get(done["pdfUrl"], headers=w.headers("outsider"))
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    for index in ("DEPT-IT-01", "DEPT-IT-02", "DEPT-IT-03", drafted["number"]):
        assert index in text
    assert "Şikayətlər üzrə yazışma" in text and "Qəbul etdi" in text
    assert done["unitName"] == "İT şöbəsi" and "İT şöbəsi" in text
    sheet = await w.client.get(done["csvUrl"], headers=w.headers("auditor"))
    assert sheet.status_code == 200
    rows = list(csv.DictReader(io.StringIO(sheet.content.decode("utf-8-sig"))))
    assert [r["İndeks / Index"] for r in rows] == ["DEPT-IT-01", "DEPT-IT-02", "DEPT-IT-03"]
    assert rows[2]["Başlıq / Title"] == TITLE_AZ
    assert [r["Fayl / Files"] for r in rows] == ["2", "2", "1"]
    anonymous = await w.client.get(done["csvUrl"])
    assert anonymous.status_code == 401


async def test_wrong_steps_and_listings_are_user_errors(world: World) -> None:
    w = world
    listed = await build_case(w, year=2013, number=1, documents=1)
    closed = await build_case(w, year=2013, number=2, documents=1, to="closed")
    other_unit = await build_case(w, year=2013, number=1, unit="DEPT-HR", documents=1)

    made = await mutate(w, "head", CREATE, unit="DEPT-IT", year=2013, caseIds=[listed.case_id])
    holder = made["inventory"]
    refused = await mutate(
        w,
        "registrar",
        CREATE,
        unit="DEPT-IT",
        year=2013,
        caseIds=[listed.case_id, closed.case_id, other_unit.case_id, "no-such-case"],
    )
    assert refused["inventory"] is None
    by_code = {e["code"]: e["message"] for e in refused["userErrors"]}
    assert holder["number"] in by_code["CONFLICT"] and "DEPT-IT-01" in by_code["CONFLICT"]
    assert "DEPT-IT-02" in by_code["INVALID_TRANSITION"]
    assert "unit's archive" in by_code["INVALID_TRANSITION"]
    assert "DEPT-HR-01" in by_code["BAD_USER_INPUT"]
    assert "NOT_FOUND" in by_code
    assert {e["field"] for e in refused["userErrors"]} == {"caseIds"}

    inventory_id = holder["inventoryId"]
    early = await mutate(w, "archivist", ACCEPT, inventoryId=inventory_id)
    assert codes(early) == ["INVALID_TRANSITION"] and "'draft'" in early["userErrors"][0]["message"]
    not_yet = await mutate(w, "archivist", RETURN, inventoryId=inventory_id, reason="Səbəb")
    assert codes(not_yet) == ["INVALID_TRANSITION"]
    empty = await mutate(w, "archivist", RETURN, inventoryId=inventory_id, reason="  ")
    assert codes(empty) == ["BAD_USER_INPUT"]

    outsider = await w.post(
        "outsider",
        CREATE,
        {"input": {"unit": "DEPT-IT", "year": 2013, "caseIds": [listed.case_id]}},
    )
    assert outsider["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    await mutate(w, "head", SUBMIT, inventoryId=inventory_id)
    by_head = await w.post("head", ACCEPT, {"input": {"inventoryId": inventory_id}})
    assert by_head["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    direct = await mutate(w, "archivist", STEP, caseId=listed.case_id, to="TRANSFERRED")
    assert codes(direct) == ["INVALID_TRANSITION"]
    assert "transfer inventory" in direct["userErrors"][0]["message"]
    locked = await mutate(w, "head", SET_CASES, inventoryId=inventory_id, caseIds=[])
    assert codes(locked) == ["INVALID_TRANSITION"]  # submitted: no corrections

    accepted = await mutate(w, "archivist", ACCEPT, inventoryId=inventory_id)
    assert accepted["inventory"]["status"] == "ACCEPTED"
    twice = await mutate(w, "archivist", ACCEPT, inventoryId=inventory_id)
    assert codes(twice) == ["INVALID_TRANSITION"]
    resubmit = await mutate(w, "head", SUBMIT, inventoryId=inventory_id)
    assert codes(resubmit) == ["INVALID_TRANSITION"]
    await wait_all(60)
    # accepted: the case is free of open inventories, but no longer in the unit's archive
    relisted = await mutate(w, "head", CREATE, unit="DEPT-IT", year=2013, caseIds=[listed.case_id])
    assert codes(relisted) == ["INVALID_TRANSITION"]


def in_process(*args: str) -> tuple[int, str]:
    """The command in this process (its own event loop in a worker thread): exit code and
    stderr, for the quick refusals; the real runs below use a subprocess."""
    result = CliRunner().invoke(archive_app, ["transfer", *args])
    return result.exit_code, result.stderr


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "asan", "archive", "transfer", *args],
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


async def test_the_cli_accepts_and_an_interrupted_ingest_resumes(world: World) -> None:
    w = world
    cases = [await build_case(w, year=2014, number=n, documents=2) for n in (1, 2)]
    head = w.principal("head")
    inventory_id = await create_inventory(
        w.platform, head, "DEPT-IT", 2014, [c.case_id for c in cases]
    )
    await submit_inventory(w.platform, head, inventory_id)
    number = (await inventory(w, inventory_id))["number"]

    code, stderr = await asyncio.to_thread(in_process, number)
    assert code == 1 and "--as" in stderr
    accepted = await asyncio.to_thread(cli, number, "--as", "archivist")
    assert accepted.returncode == 0, accepted.stderr
    assert f"{number}: accepted, 2 case(s) transferred" in accepted.stdout
    assert f"{number}: ingest complete" in accepted.stdout
    assert "ingest (files)" in accepted.stderr and "4/4" in accepted.stderr  # the bar
    done = await inventory(w, inventory_id)
    assert (done["status"], done["ingestStatus"], done["ingestedCount"]) == (
        "ACCEPTED",
        "COMPLETE",
        4,
    )

    # an ingest that died after putting the objects and before recording them: the records
    # of one case are gone, its objects are still in the bucket
    broken = cases[1]
    await w.platform.db.write(
        "MATCH (r:ArchivedRecord {caseId: $id}) DETACH DELETE r", {"id": broken.case_id}
    )
    half = await inventory(w, inventory_id)
    assert half["ingestStatus"] == "INCOMPLETE" and half["ingestedCount"] == 2
    assert [c["ingestComplete"] for c in half["cases"]] == [True, False]

    code, stderr = await asyncio.to_thread(in_process, number, "--as", "archivist")
    assert code == 1 and "--resume" in stderr
    resumed = await asyncio.to_thread(cli, inventory_id, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert "2 file(s) archived now, 2 earlier, 4 in all" in resumed.stdout
    finished = await inventory(w, inventory_id)
    assert finished["ingestStatus"] == "COMPLETE" and finished["ingestedCount"] == 4
    for built in cases:
        await assert_archived(w, built)  # one object version per file: nothing put twice


RESUME = (
    "mutation($input: TransferInventoryInput!) { resumeTransferIngest(input: $input)"
    " { inventory {" + INVENTORY + "} ingestRunning ingestError " + PAYLOAD + " } }"
)


async def test_a_failed_ingest_shows_its_case_and_resumes_over_graphql(world: World) -> None:
    w = world
    sound = await build_case(w, year=2015, number=1, documents=2)
    damaged = await build_case(w, year=2015, number=2, documents=2)
    source = await file_by_id(w.platform.db, damaged.files[1])
    assert source is not None
    original = await w.platform.store.get(source.bucket, source.object_key)
    await w.platform.store.put(source.bucket, source.object_key, b"not the original bytes")

    made = await mutate(
        w, "head", CREATE, unit="DEPT-IT", year=2015, caseIds=[sound.case_id, damaged.case_id]
    )
    inventory_id = made["inventory"]["inventoryId"]
    early = await mutate(w, "registrar", RESUME, inventoryId=inventory_id)
    assert codes(early) == ["INVALID_TRANSITION"]  # nothing to resume before acceptance
    await mutate(w, "head", SUBMIT, inventoryId=inventory_id)
    accepted = await mutate(w, "archivist", ACCEPT, inventoryId=inventory_id)
    assert accepted["userErrors"] == [] and accepted["inventory"]["status"] == "ACCEPTED"
    await wait_all(60)
    if not accepted["ingestRunning"]:  # the request saw the ingest end: it names the file
        assert source.id in accepted["ingestError"]
    half = await inventory(w, inventory_id)
    assert half["ingestStatus"] == "INCOMPLETE"
    lines = {c["index"]: c for c in half["cases"]}
    assert lines["DEPT-IT-01"]["ingestComplete"] and lines["DEPT-IT-01"]["ingestedCount"] == 2
    assert not lines["DEPT-IT-02"]["ingestComplete"]
    assert {c["caseStatus"] for c in half["cases"]} == {"TRANSFERRED"}  # acceptance stands

    outsider = await w.post("outsider", RESUME, {"input": {"inventoryId": inventory_id}})
    assert outsider["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    await w.platform.store.put(source.bucket, source.object_key, original)  # repaired
    resumed = await mutate(w, "archivist", RESUME, inventoryId=inventory_id)
    assert resumed["userErrors"] == [] and resumed["ingestError"] is None
    done = await complete(w, inventory_id)
    assert done["ingestStatus"] == "COMPLETE" and done["ingestedCount"] == 4
    await assert_archived(w, sound)
    await assert_archived(w, damaged)


async def test_two_inventories_racing_for_a_case_one_conflicts(world: World) -> None:
    w = world
    contested = await build_case(w, year=2016, number=1, documents=1)
    attempts = [
        mutate(w, who, CREATE, unit="DEPT-IT", year=2016, caseIds=[contested.case_id])
        for who in ("head", "registrar")
    ]
    results = await asyncio.gather(*attempts)
    made = [r for r in results if r["userErrors"] == []]
    refused = [r for r in results if r["userErrors"]]
    assert len(made) == 1 and len(refused) == 1
    assert codes(refused[0]) == ["CONFLICT"]
    assert made[0]["inventory"]["number"] in refused[0]["userErrors"][0]["message"]
    holders = await w.platform.db.read(
        "MATCH (t:TransferInventory)-[:LISTS]->(:Case {id: $id}) RETURN count(t) AS n",
        {"id": contested.case_id},
    )
    assert holders[0]["n"] == 1
