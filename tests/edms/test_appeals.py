"""Citizens' appeals through GraphQL against the real Neo4j: registration in the type's
journal with the law's terms in working days, extension limits, answer, forwarding, repeats
detected across spellings and left unconsidered only after three substantive answers,
visibility, idempotency and wrong-state steps."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from asan.core.workdays import add_working_days, today_in_baku
from tests.edms.conftest import World

pytestmark = pytest.mark.asyncio(loop_scope="session")

FIELDS = """
  documentId regNumber regDate appealType status subject channel centre unit classification
  applicant { name address contact }
  termDays extraStudy extensionDays dueDate forwardDue overdue
  answer substantive answeredLate forwardedTo forwardedLate forwardReason
  unconsideredReason repeatOf repeatCount repeats { documentId }
"""
PAYLOAD = "{ appeal { " + FIELDS + " } userErrors { field message code } }"
REGISTER = "mutation($i: RegisterAppealInput!) { registerAppeal(input: $i) " + PAYLOAD + " }"
ANSWER = "mutation($i: AnswerAppealInput!) { answerAppeal(input: $i) " + PAYLOAD + " }"
FORWARD = "mutation($i: ForwardAppealInput!) { forwardAppeal(input: $i) " + PAYLOAD + " }"
EXTEND = "mutation($i: ExtendAppealTermInput!) { extendAppealTerm(input: $i) " + PAYLOAD + " }"
LEAVE = (
    "mutation($i: LeaveAppealUnconsideredInput!) { leaveAppealUnconsidered(input: $i) "
    + PAYLOAD
    + " }"
)


@pytest.fixture(scope="module")
async def world(edms_world: World) -> World:
    await edms_world.platform.db.write(
        "CREATE (:AsanCentre {code: 'ASAN-1', name: 'Bakı 1 nömrəli ASAN xidmət mərkəzi', "
        "nameFold: 'bakı 1 nömrəli asan xidmət mərkəzi', region: 'Bakı', address: 'Ünvan', "
        "hours: '09:00-19:00'})"
    )
    return edms_world


def appeal_input(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "appealType": "COMPLAINT",
        "channel": "ASAN_CENTRE",
        "centre": "ASAN-1",
        "unit": "DEPT-IT",
        "applicant": {
            "name": "Əli Hüseynov",
            "address": "Bakı, Nizami küç. 5",
            "contact": "+994 50 123-45-67",
        },
        "subject": "Şəxsiyyət vəsiqəsinin verilməsində gecikmə",
    }
    base.update(changes)
    return base


async def register(world: World, who: str = "registrar", **changes: Any) -> dict[str, Any]:
    data = await world.gql(who, REGISTER, {"i": appeal_input(**changes)})
    payload: dict[str, Any] = data["registerAppeal"]
    assert payload["userErrors"] == [], payload["userErrors"]
    appeal: dict[str, Any] = payload["appeal"]
    return appeal


async def step(world: World, who: str, mutation: str, name: str, **inp: Any) -> dict[str, Any]:
    data = await world.gql(who, mutation, {"i": inp})
    payload: dict[str, Any] = data[name]
    return payload


async def test_registration_numbers_in_the_type_journal_with_terms_in_working_days(
    world: World,
) -> None:
    today = today_in_baku()
    appeal = await register(world)
    assert appeal["status"] == "REGISTERED"
    assert appeal["regNumber"].startswith("Ş-") and appeal["regNumber"].endswith(f"/{today.year}")
    assert appeal["regDate"] == today.isoformat()
    assert appeal["termDays"] == 15
    assert appeal["dueDate"] == add_working_days(today, 15).isoformat()
    assert appeal["forwardDue"] == add_working_days(today, 3).isoformat()
    assert appeal["applicant"]["name"] == "Əli Hüseynov"
    assert appeal["centre"] == "ASAN-1" and appeal["overdue"] is False
    proposal = await register(
        world,
        appealType="PROPOSAL",
        channel="WEBSITE",
        centre=None,
        extraStudy=True,
        subject="Növbə sisteminin təkmilləşdirilməsi",
    )
    assert proposal["regNumber"].startswith("T-")
    assert proposal["termDays"] == 30
    assert proposal["dueDate"] == add_working_days(today, 30).isoformat()
    rows = await world.platform.db.read(
        "MATCH (e:DocumentEvent {documentId: $id}) RETURN e.step AS step ORDER BY e.at",
        {"id": appeal["documentId"]},
    )
    assert [r["step"] for r in rows] == ["create", "register"]

    bad = await world.gql(
        "registrar", REGISTER, {"i": appeal_input(centre="NO-SUCH", applicant={"name": "X"})}
    )
    errors = {e["field"]: e["code"] for e in bad["registerAppeal"]["userErrors"]}
    assert errors == {"applicant.contact": "BAD_USER_INPUT"}
    bad = await world.gql("registrar", REGISTER, {"i": appeal_input(centre="NO-SUCH")})
    assert [(e["field"], e["code"]) for e in bad["registerAppeal"]["userErrors"]] == [
        ("centre", "NOT_FOUND")
    ]
    refused = await world.post("outsider", REGISTER, {"i": appeal_input()})
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_extension_is_limited_and_the_answer_ends_the_term(world: World) -> None:
    today = today_in_baku()
    appeal = await register(world, subject="Sürücülük vəsiqəsinin dəyişdirilməsi")
    doc = appeal["documentId"]
    study = await step(
        world,
        "deputy",
        EXTEND,
        "extendAppealTerm",
        documentId=doc,
        extraStudy=True,
        reason="Əlavə araşdırma tələb olunur",
    )
    assert study["userErrors"] == []
    assert study["appeal"]["termDays"] == 30
    assert study["appeal"]["dueDate"] == add_working_days(today, 30).isoformat()
    more = await step(
        world,
        "deputy",
        EXTEND,
        "extendAppealTerm",
        documentId=doc,
        workingDays=20,
        reason="Qurumdan cavab gözlənilir",
    )
    assert more["appeal"]["extensionDays"] == 20
    assert more["appeal"]["dueDate"] == add_working_days(today, 50).isoformat()
    too_much = await step(
        world,
        "deputy",
        EXTEND,
        "extendAppealTerm",
        documentId=doc,
        workingDays=11,
        reason="Yenə",
    )
    assert too_much["appeal"] is None
    assert too_much["userErrors"][0]["field"] == "workingDays"
    assert "10" in too_much["userErrors"][0]["message"]  # what is left of the 30 days

    refused = await world.post(
        "outsider", ANSWER, {"i": {"documentId": doc, "answer": "x", "substantive": True}}
    )
    # hidden, not forbidden: the same answer as for an id that does not exist
    assert refused["data"]["answerAppeal"]["userErrors"][0]["code"] == "NOT_FOUND"
    answered = await step(
        world,
        "deputy",
        ANSWER,
        "answerAppeal",
        documentId=doc,
        answer="Vəsiqəniz hazırdır, mərkəzdən ala bilərsiniz.",
        substantive=True,
    )
    assert answered["userErrors"] == []
    assert answered["appeal"]["status"] == "ANSWERED"
    assert answered["appeal"]["substantive"] is True
    assert answered["appeal"]["answeredLate"] is False
    again = await step(
        world, "deputy", ANSWER, "answerAppeal", documentId=doc, answer="y", substantive=False
    )
    (error,) = again["userErrors"]
    assert error["code"] == "INVALID_TRANSITION"
    assert "'answered'" in error["message"] and "remove_from_control" in error["message"]
    late_extension = await step(
        world, "deputy", EXTEND, "extendAppealTerm", documentId=doc, workingDays=1, reason="z"
    )
    assert late_extension["userErrors"][0]["code"] == "INVALID_TRANSITION"


async def test_forwarding_to_the_competent_body(world: World) -> None:
    appeal = await register(
        world,
        appealType="APPLICATION",
        channel="MAIL",
        centre=None,
        subject="Vergi borcunun silinməsi",
    )
    assert appeal["regNumber"].startswith("Ə-")
    unknown = await step(
        world,
        "registrar",
        FORWARD,
        "forwardAppeal",
        documentId=appeal["documentId"],
        stateBody="NO-BODY",
        reason="Aidiyyəti üzrə",
    )
    assert [(e["field"], e["code"]) for e in unknown["userErrors"]] == [("stateBody", "NOT_FOUND")]
    forwarded = await step(
        world,
        "registrar",
        FORWARD,
        "forwardAppeal",
        documentId=appeal["documentId"],
        stateBody="MIN-TAX",
        reason="Vergi məsələləri Vergilər Nazirliyinin səlahiyyətindədir",
    )
    assert forwarded["userErrors"] == []
    assert forwarded["appeal"]["status"] == "FORWARDED"
    assert forwarded["appeal"]["forwardedTo"] == "MIN-TAX"
    assert forwarded["appeal"]["forwardedLate"] is False


async def test_repeats_are_linked_and_left_unconsidered_only_after_three_answers(
    world: World,
) -> None:
    person = {"name": "İlham Məmmədov", "contact": "050 555 11 22"}
    subject = "Pensiyanın yenidən hesablanması"
    earlier = []
    for i in range(3):
        spelled = {"name": "İLHAM MƏMMƏDOV", "contact": "+994 (50) 555-11-22"} if i == 1 else person
        a = await register(world, applicant=spelled, subject=subject + (" barədə" if i else ""))
        assert a["repeatCount"] == i
        earlier.append(a["documentId"])
        if i < 2:
            answered = await step(
                world,
                "registrar",
                ANSWER,
                "answerAppeal",
                documentId=a["documentId"],
                answer=f"Cavab {i}",
                substantive=True,
            )
            assert answered["userErrors"] == []
    other_matter = await register(world, applicant=person, subject="Mərkəzdə növbə problemi")
    assert other_matter["repeatCount"] == 0 and other_matter["repeatOf"] is None

    fourth = await register(world, applicant=person, subject="Pensiyamın yenidən hesablanması")
    assert fourth["repeatCount"] == 3
    assert fourth["repeatOf"] == earlier[-1]
    assert {r["documentId"] for r in fourth["repeats"]} == set(earlier)
    too_early = await step(
        world,
        "registrar",
        LEAVE,
        "leaveAppealUnconsidered",
        documentId=fourth["documentId"],
        reason="Yeni məlumat yoxdur",
        noNewInformation=True,
    )
    (error,) = too_early["userErrors"]
    assert error["code"] == "CONFLICT" and "2" in error["message"]

    third = await step(
        world,
        "registrar",
        ANSWER,
        "answerAppeal",
        documentId=earlier[2],
        answer="Cavab 2",
        substantive=True,
    )
    assert third["userErrors"] == []
    unstated = await step(
        world,
        "registrar",
        LEAVE,
        "leaveAppealUnconsidered",
        documentId=fourth["documentId"],
        reason="Yeni məlumat yoxdur",
        noNewInformation=False,
    )
    assert [e["field"] for e in unstated["userErrors"]] == ["noNewInformation"]
    left = await step(
        world,
        "registrar",
        LEAVE,
        "leaveAppealUnconsidered",
        documentId=fourth["documentId"],
        reason="Eyni məsələ üzrə üç dəfə mahiyyətcə cavab verilib, yeni məlumat yoxdur",
        noNewInformation=True,
    )
    assert left["userErrors"] == []
    assert left["appeal"]["status"] == "LEFT_UNCONSIDERED"
    assert left["appeal"]["unconsideredReason"].startswith("Eyni məsələ")
    not_repeat = await step(
        world,
        "registrar",
        LEAVE,
        "leaveAppealUnconsidered",
        documentId=other_matter["documentId"],
        reason="?",
        noNewInformation=True,
    )
    assert not_repeat["userErrors"][0]["code"] == "CONFLICT"


async def test_lists_respect_visibility_and_registration_is_idempotent(world: World) -> None:
    query = (
        "query($f: AppealFilter) { appeals(filter: $f, first: 5) { totalCount edges { "
        "cursor node { documentId channel } } } }"
    )
    mine = await world.gql("registrar", query, {"f": {"channel": "ASAN_CENTRE"}})
    total = mine["appeals"]["totalCount"]
    assert total >= 1
    assert all(e["node"]["channel"] == "ASAN_CENTRE" for e in mine["appeals"]["edges"])
    outsider = await world.gql("outsider", query, {"f": None})
    assert outsider["appeals"]["totalCount"] == 0 and outsider["appeals"]["edges"] == []
    page = await world.gql("registrar", query, {"f": None})
    cursor = page["appeals"]["edges"][-1]["cursor"]
    more = await world.gql(
        "registrar",
        "query($a: String) { appeals(first: 5, after: $a) { edges { node { documentId } } } }",
        {"a": cursor},
    )
    first_ids = {e["node"]["documentId"] for e in page["appeals"]["edges"]}
    assert first_ids.isdisjoint({e["node"]["documentId"] for e in more["appeals"]["edges"]})

    inp = appeal_input(clientMutationId="intake-42", subject="Təkrar sorğu yoxlaması")
    one = await world.gql("registrar", REGISTER, {"i": inp})
    two = await world.gql("registrar", REGISTER, {"i": inp})
    doc = one["registerAppeal"]["appeal"]["documentId"]
    assert two["registerAppeal"]["appeal"]["documentId"] == doc
    rows = await world.platform.db.read(
        "MATCH (d:Document {kind: 'appeal', subject: $s}) RETURN count(d) AS n",
        {"s": "Təkrar sorğu yoxlaması"},
    )
    assert rows[0]["n"] == 1
    hidden = await world.gql(
        "outsider", "query($id: ID!) { appeal(documentId: $id) { documentId } }", {"id": doc}
    )
    assert hidden["appeal"] is None


async def test_a_secret_appeal_is_invisible_without_clearance_and_involvement(
    world: World,
) -> None:
    count = "query { appeals(first: 1) { totalCount } }"
    before = {who: (await world.gql(who, count))["appeals"]["totalCount"] for who in WATCHERS}
    secret = await register(
        world, classification="SERVICE_SECRET", subject="Mərkəzdə rüşvət tələb edilməsi"
    )
    assert secret["classification"] == "SERVICE_SECRET"
    after = {who: (await world.gql(who, count))["appeals"]["totalCount"] for who in WATCHERS}
    # the registrar who registered it (clearance service_secret) and the unit's acting head see
    # it; a registrar with public clearance and the administrator (public) do not
    assert {who: after[who] - before[who] for who in WATCHERS} == {
        "registrar": 1,
        "deputy": 1,
        "registrar2": 0,
        "admin": 0,
    }
    query = "query($id: ID!) { appeal(documentId: $id) { documentId } }"
    assert (await world.gql("registrar2", query, {"id": secret["documentId"]}))["appeal"] is None
    hidden = await step(
        world,
        "registrar2",
        ANSWER,
        "answerAppeal",
        documentId=secret["documentId"],
        answer="x",
        substantive=False,
    )
    assert [e["code"] for e in hidden["userErrors"]] == ["NOT_FOUND"]
    # registering above one's clearance is refused by the policy's clearance guard
    above = await world.post(
        "registrar2", REGISTER, {"i": appeal_input(classification="SERVICE_SECRET")}
    )
    assert above["errors"][0]["extensions"]["code"] == "FORBIDDEN"


WATCHERS = ("registrar", "deputy", "registrar2", "admin")


async def test_racing_extensions_cannot_pass_the_limit_together(world: World) -> None:
    appeal = await register(world, subject="Eyni anda uzatma yoxlaması")
    extend = {"documentId": appeal["documentId"], "workingDays": 20, "reason": "Araşdırma"}
    results = await asyncio.gather(
        *(step(world, "registrar", EXTEND, "extendAppealTerm", **extend) for _ in range(3))
    )
    accepted = [r for r in results if not r["userErrors"]]
    assert len(accepted) == 1
    assert all(r["userErrors"][0]["field"] == "workingDays" for r in results if r["userErrors"])
    rows = await world.platform.db.read(
        "MATCH (d:Document {id: $id}) RETURN d.extensionDays AS days",
        {"id": appeal["documentId"]},
    )
    assert rows[0]["days"] == 20
