"""The nomenclature of cases and its cases through GraphQL, on the real Neo4j: a year planned
by the units, compiled and approved by the right people, copied to the next year; the case
lifecycle with its refusals (INVALID_TRANSITION naming the state and the allowed steps), the
disposal date; filing documents into open cases only (the error names the open case)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest

from asan.archive.nomenclature.use_cases import CaseDraft
from asan.archive.nomenclature.use_cases import add_case as add_case_use_case
from asan.archive.transfer.shortcuts import hand_over
from asan.core.errors import Conflict
from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.core.workdays import today_in_baku
from tests.edms.conftest import World, make_world
from tests.edms.support import DOCUMENT, REGISTER, letter

NOMENCLATURE_FIELDS = "year status caseCount unitCount approvedBy compiledAt approvedAt"
CASE_FIELDS = """
  caseId year index number title unit retentionYears permanent article expertReview status
  allowedSteps closedAt disposalDate documentCount
"""
PAYLOAD = "userErrors { field message code } clientMutationId"
CREATE = (
    "mutation($input: NomenclatureYearInput!) { createNomenclature(input: $input) {"
    " nomenclature {" + NOMENCLATURE_FIELDS + "} " + PAYLOAD + " } }"
)
COMPILE = (
    "mutation($input: NomenclatureYearInput!) { compileNomenclature(input: $input) {"
    " nomenclature {" + NOMENCLATURE_FIELDS + "} " + PAYLOAD + " } }"
)
APPROVE = (
    "mutation($input: NomenclatureYearInput!) { approveNomenclature(input: $input) {"
    " nomenclature {" + NOMENCLATURE_FIELDS + "} " + PAYLOAD + " } }"
)
NEXT = (
    "mutation($input: CreateNextNomenclatureInput!) { createNextNomenclature(input: $input) {"
    " nomenclature {" + NOMENCLATURE_FIELDS + "} " + PAYLOAD + " } }"
)
ADD = (
    "mutation($input: AddNomenclatureCaseInput!) { addNomenclatureCase(input: $input) {"
    " case {" + CASE_FIELDS + "} " + PAYLOAD + " } }"
)
STEP = (
    "mutation($input: ChangeCaseStatusInput!) { changeCaseStatus(input: $input) {"
    " case {" + CASE_FIELDS + "} " + PAYLOAD + " } }"
)
FILE = (
    "mutation($input: FileDocumentIntoCaseInput!) { fileDocumentIntoCase(input: $input) {"
    " case {" + CASE_FIELDS + "} " + PAYLOAD + " } }"
)
NOMENCLATURE = "query($year: Int!) { nomenclature(year: $year) {" + NOMENCLATURE_FIELDS + "} }"
CASES = (
    "query($filter: CaseFilter, $first: Int, $after: String) {"
    " cases(filter: $filter, first: $first, after: $after) { totalCount"
    " pageInfo { hasNextPage endCursor } edges { node {" + CASE_FIELDS + "} } } }"
)


@pytest.fixture(scope="module")
async def world(
    migrated_platform: Platform, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[World]:
    """The EDMS tests' world (heads, registrars, the chairman, an archivist), once per module."""
    built = await make_world(migrated_platform, settings, tmp_path_factory.mktemp("arch-keys"))
    yield built
    await built.client.aclose()


async def mutate(w: World, who: str, query: str, **input: Any) -> dict[str, Any]:
    data = await w.gql(who, query, {"input": input})
    payload: dict[str, Any] = next(iter(data.values()))
    return payload


async def new_year(w: World, year: int) -> None:
    made = await mutate(w, "registrar", CREATE, year=year)
    assert made["userErrors"] == [] and made["nomenclature"]["status"] == "DRAFT"


async def add_case(w: World, who: str, year: int, **case: Any) -> dict[str, Any]:
    payload = await mutate(w, who, ADD, year=year, **case)
    assert payload["userErrors"] == [], payload["userErrors"]
    made: dict[str, Any] = payload["case"]
    return made


async def step(w: World, case_id: str, to: str, who: str = "archivist") -> dict[str, Any]:
    return await mutate(w, who, STEP, caseId=case_id, to=to)


async def transfer(w: World, case_id: str, year: int) -> dict[str, Any]:
    """A case reaches TRANSFERRED only through an accepted transfer inventory."""
    await hand_over(
        w.platform, w.principal("head"), w.principal("archivist"), "DEPT-IT", year, [case_id]
    )
    data = await w.gql(
        "auditor", "query($id: ID!) { case(id: $id) {" + CASE_FIELDS + "} }", {"id": case_id}
    )
    found: dict[str, Any] = data["case"]
    return found


async def register(w: World, subject: str) -> str:
    data = await w.gql("registrar", REGISTER, {"input": {"card": letter(subject)}})
    assert data["registerDocument"]["userErrors"] == []
    document_id: str = data["registerDocument"]["document"]["documentId"]
    return document_id


async def test_a_year_is_drafted_compiled_approved_and_copied_to_the_next(
    world: World,
) -> None:
    w = world
    await new_year(w, 2031)
    again = await mutate(w, "registrar", CREATE, year=2031)
    assert [e["code"] for e in again["userErrors"]] == ["CONFLICT"]

    letters = await add_case(
        w,
        "head",
        2031,
        unit="DEPT-IT",
        number=1,
        title="Daxil olan məktublar",
        retentionYears=5,
        article="17",
        clientMutationId="plan-it-1",
    )
    assert letters["index"] == "DEPT-IT-01" and letters["status"] == "OPEN"
    assert letters["retentionYears"] == 5 and letters["article"] == "17"
    assert letters["disposalDate"] is None and letters["allowedSteps"] == ["CLOSED"]
    # the same request again is done once: same case, no index conflict
    repeat = await mutate(
        w,
        "head",
        ADD,
        year=2031,
        unit="DEPT-IT",
        number=1,
        title="Daxil olan məktublar",
        retentionYears=5,
        article="17",
        clientMutationId="plan-it-1",
    )
    assert repeat["userErrors"] == [] and repeat["case"]["caseId"] == letters["caseId"]
    orders = await add_case(
        w,
        "head",
        2031,
        unit="DEPT-IT",
        number=2,
        title="Əmrlər",
        permanent=True,
        expertReview=True,
    )
    assert orders["permanent"] and orders["expertReview"] and orders["retentionYears"] is None

    taken = await mutate(w, "head", ADD, year=2031, unit="DEPT-IT", number=1, title="Başqa")
    assert [e["code"] for e in taken["userErrors"]] == ["CONFLICT"]
    both = await mutate(
        w,
        "head",
        ADD,
        year=2031,
        unit="DEPT-IT",
        number=3,
        title="X",
        permanent=True,
        retentionYears=3,
    )
    assert [e["field"] for e in both["userErrors"]] == ["retentionYears"]
    # a head drafts only the units they lead
    other = await w.post(
        "head", ADD, {"input": {"year": 2031, "unit": "DEPT-HR", "number": 1, "title": "Kadr"}}
    )
    assert other["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    await add_case(
        w, "hrhead", 2031, unit="DEPT-HR", number=1, title="Şəxsi işlər", retentionYears=75
    )

    early = await mutate(w, "chairman", APPROVE, year=2031)
    [error] = early["userErrors"]
    assert error["code"] == "INVALID_TRANSITION"
    assert "'draft'" in error["message"] and "compiled" in error["message"]

    compiled = await mutate(w, "registrar", COMPILE, year=2031)
    assert compiled["userErrors"] == []
    assert compiled["nomenclature"]["status"] == "COMPILED"
    assert compiled["nomenclature"]["caseCount"] == 3
    assert compiled["nomenclature"]["unitCount"] == 2
    late = await mutate(w, "head", ADD, year=2031, unit="DEPT-IT", number=4, title="Gec")
    assert [e["code"] for e in late["userErrors"]] == ["INVALID_TRANSITION"]

    by_registrar = await w.post("registrar", APPROVE, {"input": {"year": 2031}})
    assert by_registrar["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    approved = await mutate(w, "chairman", APPROVE, year=2031)
    assert approved["userErrors"] == []
    assert approved["nomenclature"]["status"] == "APPROVED"
    assert approved["nomenclature"]["approvedBy"] == w.users["chairman"]

    following = await mutate(w, "registrar", NEXT, fromYear=2031)
    assert following["userErrors"] == []
    assert following["nomenclature"]["year"] == 2032
    assert following["nomenclature"]["status"] == "DRAFT"
    assert following["nomenclature"]["caseCount"] == 3
    old = await w.gql("auditor", CASES, {"filter": {"year": 2031}})
    new = await w.gql("auditor", CASES, {"filter": {"year": 2032}, "first": 2})
    assert new["cases"]["totalCount"] == 3 and new["cases"]["pageInfo"]["hasNextPage"]
    after = new["cases"]["pageInfo"]["endCursor"]
    rest = await w.gql("auditor", CASES, {"filter": {"year": 2032}, "after": after})
    copied = [e["node"] for e in new["cases"]["edges"] + rest["cases"]["edges"]]
    originals = [e["node"] for e in old["cases"]["edges"]]
    assert [c["index"] for c in copied] == [c["index"] for c in originals]
    assert [c["index"] for c in copied] == ["DEPT-HR-01", "DEPT-IT-01", "DEPT-IT-02"]
    assert {c["caseId"] for c in copied}.isdisjoint({c["caseId"] for c in originals})
    assert all(c["status"] == "OPEN" and c["year"] == 2032 for c in copied)
    assert [c["retentionYears"] for c in copied] == [75, 5, None]
    again_next = await mutate(w, "registrar", NEXT, fromYear=2031)
    assert [e["code"] for e in again_next["userErrors"]] == ["CONFLICT"]

    found = await w.gql("auditor", NOMENCLATURE, {"year": 2032})
    assert found["nomenclature"]["status"] == "DRAFT"
    assert (await w.gql("auditor", NOMENCLATURE, {"year": 2040}))["nomenclature"] is None
    anonymous = await w.post(None, NOMENCLATURE, {"year": 2031})
    assert anonymous["errors"][0]["extensions"]["code"] in ("FORBIDDEN", "UNAUTHENTICATED")


async def test_a_case_goes_its_lifecycle_and_shows_its_disposal_date(world: World) -> None:
    w = world
    await new_year(w, 2033)
    kept = await add_case(
        w, "head", 2033, unit="DEPT-IT", number=1, title="Hesabatlar", retentionYears=3
    )
    unset = await add_case(w, "head", 2033, unit="DEPT-IT", number=2, title="Qaralamalar")
    permanent = await add_case(
        w, "head", 2033, unit="DEPT-IT", number=3, title="Əmrlər", permanent=True
    )

    refused = await step(w, unset["caseId"], "CLOSED")
    [error] = refused["userErrors"]
    assert error["code"] == "INVALID_TRANSITION" and "retention" in error["message"]
    assert refused["case"] is None

    outsider = await w.post("outsider", STEP, {"input": {"caseId": kept["caseId"], "to": "CLOSED"}})
    assert outsider["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    closed = await mutate(
        w, "head", STEP, caseId=kept["caseId"], to="CLOSED", clientMutationId="close-kept"
    )
    assert closed["userErrors"] == []
    year = today_in_baku().year
    assert closed["case"]["status"] == "CLOSED" and closed["case"]["closedAt"] is not None
    assert closed["case"]["disposalDate"] == date(year + 1 + 3, 1, 1).isoformat()
    assert closed["case"]["allowedSteps"] == ["UNIT_ARCHIVE"]
    # repeated with the same client mutation id: done once, not refused as a second close
    repeat = await mutate(
        w, "head", STEP, caseId=kept["caseId"], to="CLOSED", clientMutationId="close-kept"
    )
    assert repeat["userErrors"] == [] and repeat["case"]["status"] == "CLOSED"

    skipped = await step(w, kept["caseId"], "TRANSFERRED")
    [error] = skipped["userErrors"]
    assert error["code"] == "INVALID_TRANSITION"
    assert "'closed'" in error["message"] and "unit_archive" in error["message"]
    assert (await step(w, kept["caseId"], "UNIT_ARCHIVE"))["case"]["status"] == "UNIT_ARCHIVE"
    direct = await step(w, kept["caseId"], "TRANSFERRED")
    [error] = direct["userErrors"]
    assert error["code"] == "INVALID_TRANSITION" and "transfer inventory" in error["message"]
    moved = await transfer(w, kept["caseId"], 2033)
    assert moved["status"] == "TRANSFERRED"
    assert moved["allowedSteps"] == ["DESTROYED", "PERMANENT"]
    early = await step(w, kept["caseId"], "DESTROYED")
    [error] = early["userErrors"]
    assert error["code"] == "INVALID_TRANSITION"
    assert date(year + 4, 1, 1).isoformat() in error["message"]

    for to in ("CLOSED", "UNIT_ARCHIVE"):
        done = await step(w, permanent["caseId"], to)
        assert done["userErrors"] == [] and done["case"]["status"] == to
    transferred = await transfer(w, permanent["caseId"], 2033)
    assert transferred["status"] == "TRANSFERRED" and transferred["disposalDate"] is None
    never = await step(w, permanent["caseId"], "DESTROYED")
    assert [e["code"] for e in never["userErrors"]] == ["INVALID_TRANSITION"]
    kept_forever = await step(w, permanent["caseId"], "PERMANENT")
    assert kept_forever["case"]["status"] == "PERMANENT"
    assert kept_forever["case"]["allowedSteps"] == []
    final = await step(w, permanent["caseId"], "CLOSED")
    [error] = final["userErrors"]
    assert error["code"] == "INVALID_TRANSITION" and "'permanent'" in error["message"]

    events = await w.platform.db.read(
        "MATCH (e:ChangeEvent {entityKind: 'Case', entityId: $id}) "
        "RETURN e.operation AS operation, e.fields AS fields, e.action AS action ORDER BY e.seq",
        {"id": kept["caseId"]},
    )
    assert [e["operation"] for e in events] == ["created"] + ["status_changed"] * 3
    assert events[1]["fields"] == ["status", "closedAt", "disposalDate"]
    # closing and the unit's archive are steps; the transfer is the inventory's acceptance
    assert [e["action"] for e in events[1:]] == ["archive.case.step"] * 2 + [
        "archive.transfer.accept"
    ]

    unknown = await step(w, "no-such-case", "CLOSED", who="admin")
    assert [e["code"] for e in unknown["userErrors"]] == ["NOT_FOUND"]
    closed_list = await w.gql("auditor", CASES, {"filter": {"year": 2033, "status": "CLOSED"}})
    assert closed_list["cases"]["totalCount"] == 0
    permanent_list = await w.gql("auditor", CASES, {"filter": {"status": "PERMANENT"}})
    assert [e["node"]["caseId"] for e in permanent_list["cases"]["edges"]] == [permanent["caseId"]]


async def test_documents_are_filed_only_into_open_cases(world: World) -> None:
    w = world
    await new_year(w, 2035)
    case = await add_case(
        w, "head", 2035, unit="DEPT-IT", number=7, title="Vergi yazışması", retentionYears=5
    )
    lone = await add_case(
        w, "head", 2035, unit="DEPT-IT", number=8, title="Tək iş", retentionYears=1
    )
    first = await register(w, "Vergi sorğusu")

    filed = await mutate(w, "registrar", FILE, documentId=first, caseId=case["caseId"])
    assert filed["userErrors"] == [] and filed["case"]["documentCount"] == 1
    card = await w.gql("registrar", DOCUMENT, {"id": first})
    assert card["document"]["caseIndex"] == "DEPT-IT-07"
    changed = await w.platform.db.read(
        "MATCH (e:ChangeEvent {entityKind: 'Document', entityId: $doc}) "
        "WHERE e.action = 'archive.case.file' RETURN e.fields AS fields",
        {"doc": first},
    )
    assert [e["fields"] for e in changed] == [["caseIndex"]]
    links = await w.platform.db.read(
        "MATCH (:Document {id: $doc})-[:FILED_IN]->(c:Case) RETURN c.id AS id", {"doc": first}
    )
    assert [r["id"] for r in links] == [case["caseId"]]
    # someone outside the document's unit is refused
    outsider = await w.post(
        "outsider", FILE, {"input": {"documentId": first, "caseId": case["caseId"]}}
    )
    # (the document is hidden from them: refused as not found, and not filed)
    payload = outsider["data"]["fileDocumentIntoCase"]
    assert [e["code"] for e in payload["userErrors"]] == ["NOT_FOUND"], outsider
    assert payload["case"] is None

    assert (await step(w, case["caseId"], "CLOSED"))["case"]["status"] == "CLOSED"
    assert (await step(w, lone["caseId"], "CLOSED"))["case"]["status"] == "CLOSED"
    nxt = await mutate(w, "registrar", NEXT, fromYear=2035)
    assert nxt["userErrors"] == []
    successor = (await w.gql("auditor", CASES, {"filter": {"year": 2036, "index": "DEPT-IT-07"}}))[
        "cases"
    ]["edges"][0]["node"]
    assert successor["status"] == "OPEN" and successor["caseId"] != case["caseId"]
    await step(w, successor["caseId"], "CLOSED")
    newest = await mutate(w, "registrar", NEXT, fromYear=2036)
    assert newest["userErrors"] == []
    open_now = (await w.gql("auditor", CASES, {"filter": {"year": 2037, "index": "DEPT-IT-07"}}))[
        "cases"
    ]["edges"][0]["node"]

    second = await register(w, "İkinci vergi sorğusu")
    refused = await mutate(w, "registrar", FILE, documentId=second, caseId=case["caseId"])
    [error] = refused["userErrors"]
    assert error["code"] == "CONFLICT" and error["field"] == "caseId"
    assert "'closed'" in error["message"]
    assert open_now["caseId"] in error["message"] and "2037" in error["message"]
    assert successor["caseId"] not in error["message"]  # closed too: not the one to use

    await step(w, open_now["caseId"], "CLOSED")
    only = await add_case(
        w, "head", 2037, unit="DEPT-IT", number=9, title="Bir illik iş", retentionYears=1
    )
    await step(w, only["caseId"], "CLOSED")
    alone = await mutate(w, "registrar", FILE, documentId=second, caseId=only["caseId"])
    assert "no case is open for DEPT-IT-09" in alone["userErrors"][0]["message"]

    later = await w.gql("auditor", CASES, {"filter": {"year": 2037, "index": "DEPT-IT-08"}})
    target = later["cases"]["edges"][0]["node"]
    moved = await mutate(
        w, "registrar", FILE, documentId=first, caseId=target["caseId"], clientMutationId="mv-1"
    )
    assert moved["userErrors"] == [] and moved["case"]["documentCount"] == 1
    card = await w.gql("registrar", DOCUMENT, {"id": first})
    assert card["document"]["caseIndex"] == "DEPT-IT-08"
    old = await w.gql(
        "auditor", "query($id: ID!) { case(id: $id) { documentCount } }", {"id": case["caseId"]}
    )
    assert old["case"]["documentCount"] == 0


async def test_the_same_index_added_at_once_is_taken_once(world: World) -> None:
    w = world
    await new_year(w, 2039)
    draft = CaseDraft(year=2039, unit="DEPT-IT", number=5, title="Eyni anda", retention_years=3)
    results = await asyncio.gather(
        *(add_case_use_case(w.platform, w.principal(who), draft) for who in ("head", "registrar")),
        return_exceptions=True,
    )
    made = [r for r in results if isinstance(r, str)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(made) == 1 and len(refused) == 1, results
    cases = await w.gql("auditor", CASES, {"filter": {"year": 2039}})
    assert [e["node"]["caseId"] for e in cases["cases"]["edges"]] == made
