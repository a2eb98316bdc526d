"""The leadership's reception through GraphQL against the real Neo4j: sittings only for
officials of the leadership and within their competence, visitors booked with the nearest
competent official (capacity never exceeded), visitors' data shown only to those entitled,
and a received matter registered as an appeal with the visitor as applicant."""

from __future__ import annotations

import asyncio
from datetime import datetime, time, timedelta
from typing import Any

import pytest

from asan.core.workdays import BAKU, today_in_baku
from tests.edms.conftest import World

pytestmark = pytest.mark.asyncio(loop_scope="session")

SCHEDULE = """mutation($i: ScheduleReceptionInput!) { scheduleReception(input: $i) {
  slotId userErrors { field message code } } }"""
VISITOR = """mutation($i: RegisterVisitorInput!) { registerVisitor(input: $i) {
  visitId slot { id unit booked capacity officialName } userErrors { field message code } } }"""
RECORD = """mutation($i: RecordVisitInput!) { recordReceptionVisit(input: $i) {
  visitId userErrors { field message code } } }"""
LIST = """query($f: Date!, $t: Date!) { receptionSchedule(from: $f, to: $t) {
  id unit officialName booked capacity visits { visitorName matter status appealDocumentId } } }"""


def sitting(days: int, hour: int = 10) -> tuple[str, str]:
    day = today_in_baku() + timedelta(days=days)
    start = datetime.combine(day, time(hour), BAKU)
    return start.isoformat(), (start + timedelta(hours=3)).isoformat()


async def schedule(world: World, who: str, **inp: Any) -> dict[str, Any]:
    data = await world.gql(who, SCHEDULE, {"i": inp})
    payload: dict[str, Any] = data["scheduleReception"]
    return payload


async def test_the_reception_from_schedule_to_appeal(edms_world: World) -> None:
    world = edms_world
    starts, ends = sitting(3)
    # the IT department's head sits for the department and its sectors (2 places)
    it = await schedule(
        world,
        "registrar",
        official="head",
        startsAt=starts,
        endsAt=ends,
        place="Bakı, Nizami küç. 1, otaq 12",
        capacity=2,
    )
    assert it["userErrors"] == []
    later_starts, later_ends = sitting(10)
    chair = await schedule(
        world,
        "registrar",
        official="chairman",
        startsAt=later_starts,
        endsAt=later_ends,
        place="Bakı, Nizami küç. 1, 5-ci mərtəbə",
    )
    assert chair["userErrors"] == []
    # a member of staff is not of the leadership; a head outside their competence is refused
    staff = await schedule(
        world, "registrar", official="executor1", startsAt=starts, endsAt=ends, place="otaq 3"
    )
    assert [(e["field"], e["code"]) for e in staff["userErrors"]] == [("official", "NOT_FOUND")]
    outside = await schedule(
        world,
        "registrar",
        official="hrhead",
        unit="DEPT-IT",
        startsAt=starts,
        endsAt=ends,
        place="otaq 4",
    )
    assert [e["field"] for e in outside["userErrors"]] == ["unit"]
    refused = await world.post(
        "executor1",
        SCHEDULE,
        {"i": {"official": "head", "startsAt": starts, "endsAt": ends, "place": "x"}},
    )
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    async def book(name: str, unit: str = "DEPT-IT-SEC-1") -> dict[str, Any]:
        data = await world.gql(
            "registrar",
            VISITOR,
            {
                "i": {
                    "visitor": {"name": name, "contact": "050 111 22 33"},
                    "matter": "Elektron xidmətə giriş problemi",
                    "matterUnit": unit,
                }
            },
        )
        payload: dict[str, Any] = data["registerVisitor"]
        return payload

    # the sector's matter goes to the nearest competent sitting: the department head's,
    # and when it is full, to the chairman's (the agency covers every unit)
    first, second, third = (
        await book("Nigar Əliyeva"),
        await book("Orxan Quliyev"),
        await book("Zaur"),
    )
    assert first["slot"]["id"] == it["slotId"] and second["slot"]["booked"] == 2
    assert third["slot"]["id"] == chair["slotId"]
    full = await world.gql(
        "registrar",
        VISITOR,
        {
            "i": {
                "visitor": {"name": "Leyla"},
                "matter": "x",
                "matterUnit": "DEPT-IT",
                "slotId": it["slotId"],
            }
        },
    )
    assert [e["code"] for e in full["registerVisitor"]["userErrors"]] == ["CONFLICT"]
    hr_matter = await world.gql(
        "registrar",
        VISITOR,
        {
            "i": {
                "visitor": {"name": "Leyla"},
                "matter": "x",
                "matterUnit": "DEPT-HR",
                "slotId": chair["slotId"],
            }
        },
    )
    assert hr_matter["registerVisitor"]["userErrors"] == []
    not_competent = await world.gql(
        "registrar",
        VISITOR,
        {
            "i": {
                "visitor": {"name": "Leyla"},
                "matter": "x",
                "matterUnit": "DEPT-HR",
                "slotId": it["slotId"],
            }
        },
    )
    assert [e["field"] for e in not_competent["registerVisitor"]["userErrors"]] == ["slotId"]

    # the official records the visit; the matter becomes an appeal from the visitor
    received = await world.gql(
        "head",
        RECORD,
        {
            "i": {
                "visitId": first["visitId"],
                "attended": True,
                "notes": "Qəbul edildi",
                "appeal": {"appealType": "APPLICATION", "subject": "Elektron xidmətə giriş"},
            }
        },
    )
    assert received["recordReceptionVisit"]["userErrors"] == []
    absent = await world.gql(
        "registrar", RECORD, {"i": {"visitId": second["visitId"], "attended": False}}
    )
    assert absent["recordReceptionVisit"]["userErrors"] == []
    again = await world.gql(
        "registrar", RECORD, {"i": {"visitId": second["visitId"], "attended": True}}
    )
    assert [e["code"] for e in again["recordReceptionVisit"]["userErrors"]] == ["CONFLICT"]
    stranger = await world.post(
        "executor2", RECORD, {"i": {"visitId": third["visitId"], "attended": True}}
    )
    assert stranger["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    span = {
        "f": today_in_baku().isoformat(),
        "t": (today_in_baku() + timedelta(days=14)).isoformat(),
    }
    listed = {s["id"]: s for s in (await world.gql("registrar", LIST, span))["receptionSchedule"]}
    visits = {v["visitorName"]: v for v in listed[it["slotId"]]["visits"]}
    assert visits["Nigar Əliyeva"]["status"] == "RECEIVED"
    assert visits["Orxan Quliyev"]["status"] == "NO_SHOW"
    appeal_id = visits["Nigar Əliyeva"]["appealDocumentId"]
    appeal = (
        await world.gql(
            "registrar",
            "query($id: ID!) { appeal(documentId: $id) { channel unit regNumber "
            "applicant { name contact } status } }",
            {"id": appeal_id},
        )
    )["appeal"]
    assert appeal["channel"] == "RECEPTION" and appeal["unit"] == "DEPT-IT-SEC-1"
    assert appeal["applicant"] == {"name": "Nigar Əliyeva", "contact": "050 111 22 33"}
    assert appeal["regNumber"].startswith("Ə-") and appeal["status"] == "REGISTERED"
    # the schedule is for every member of staff; the visitors only for those entitled
    others = {s["id"]: s for s in (await world.gql("executor2", LIST, span))["receptionSchedule"]}
    assert others[it["slotId"]]["booked"] == 2 and others[it["slotId"]]["visits"] is None
    official = {s["id"]: s for s in (await world.gql("head", LIST, span))["receptionSchedule"]}
    assert (
        len(official[it["slotId"]]["visits"]) == 2 and official[chair["slotId"]]["visits"] is None
    )


async def test_racing_bookings_never_exceed_the_capacity(edms_world: World) -> None:
    world = edms_world
    starts, ends = sitting(5, hour=15)
    slot = await schedule(
        world,
        "registrar",
        official="sector2",
        startsAt=starts,
        endsAt=ends,
        place="Sektor 2, otaq 7",
        capacity=2,
    )
    assert slot["userErrors"] == []

    async def book(i: int) -> dict[str, Any]:
        data = await world.gql(
            "registrar",
            VISITOR,
            {
                "i": {
                    "visitor": {"name": f"Ziyarətçi {i}"},
                    "matter": "Sorğu",
                    "matterUnit": "DEPT-IT-SEC-2",
                    "slotId": slot["slotId"],
                }
            },
        )
        payload: dict[str, Any] = data["registerVisitor"]
        return payload

    results = await asyncio.gather(*(book(i) for i in range(6)))
    booked = [r for r in results if not r["userErrors"]]
    refused = [r for r in results if r["userErrors"]]
    assert len(booked) == 2
    assert {e["code"] for r in refused for e in r["userErrors"]} == {"CONFLICT"}
    rows = await world.platform.db.read(
        "MATCH (v:ReceptionVisit {slotId: $s}) RETURN count(v) AS n", {"s": slot["slotId"]}
    )
    assert rows[0]["n"] == 2
