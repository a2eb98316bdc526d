"""Resolutions (dərkənar) the whole way through GraphQL, against the real Neo4j and app:
the acting deputy writes one (recorded as acting for the head), an executor forwards within
the unit, asks for more time and gets it, both parts are reported, the last report completes
the document, and the registrar takes it off control; every step is on the timeline and in
the change log."""

from __future__ import annotations

from datetime import timedelta

from asan.core.workdays import add_working_days, is_working_day, today_in_baku
from asan.edms.appeals.models import Applicant, NewAppeal
from asan.edms.appeals.use_cases import answer_appeal, register_appeal
from tests.edms.conftest import World
from tests.edms.resolutions_support import (
    DECIDE_EXTENSION,
    FORWARD,
    REMOVE,
    REPORT,
    REQUEST_EXTENSION,
    TASK_LIST,
    codes,
    document_status,
    registered,
    steps,
    write,
)


async def test_the_whole_way_from_resolution_to_removal_from_control(edms_world: World) -> None:
    w = edms_world
    doc = await registered(w, "Vergi borcları haqqında məktub")
    today = today_in_baku()

    payload = await write(
        w,
        "deputy",
        documentId=doc,
        mainExecutor="executor1",
        coExecutors=[w.users["executor2"]],
        instruction="Araşdırın və cavab layihəsini hazırlayın.",
        workingDays=5,
    )
    assert payload["userErrors"] == []
    resolution = payload["resolution"]
    assert resolution["author"] == w.users["deputy"]
    assert resolution["actingFor"] == w.users["head"]  # the delegation is recorded
    assert resolution["unit"] == "DEPT-IT"
    assert resolution["deadline"] == add_working_days(today, 5).isoformat()
    assert resolution["deadlineWorkingDays"] == 5
    assert resolution["status"] == "IN_EXECUTION"
    assert resolution["openTasks"] == 2
    assert resolution["document"]["status"] == "in_execution"
    tasks = {t["executor"]: t for t in resolution["tasks"]}
    assert tasks[w.users["executor1"]]["role"] == "MAIN"
    assert tasks[w.users["executor1"]]["unit"] == "DEPT-IT-SEC-1"
    assert tasks[w.users["executor2"]]["role"] == "CO"
    assert tasks[w.users["executor2"]]["unit"] == "DEPT-IT-SEC-2"
    main_task = tasks[w.users["executor1"]]["taskId"]
    co_task = tasks[w.users["executor2"]]["taskId"]
    assert await document_status(w, doc) == "in_execution"

    # the executors see their parts and can now read the document (involved)
    mine = await w.gql("executor1", f"{{ myTasks {{ {TASK_LIST} }} }}")
    assert [e["node"]["taskId"] for e in mine["myTasks"]["edges"]] == [main_task]
    seen = await w.gql("executor2", "query($id: String!) { document(id: $id) { id } }", {"id": doc})
    assert seen["document"] is not None

    # executor2 forwards the co-executor's part to the sector's head, with an earlier deadline
    earlier = add_working_days(today, 2)
    forwarded = (
        await w.gql(
            "executor2",
            FORWARD,
            {"input": {"taskId": co_task, "to": "sector2", "deadline": earlier.isoformat()}},
        )
    )["forwardExecutionTask"]
    assert forwarded["userErrors"] == []
    new_task = forwarded["task"]
    assert new_task["executor"] == w.users["sector2"]
    assert new_task["role"] == "CO"
    assert new_task["forwardedFrom"] == co_task
    assert new_task["deadline"] == earlier.isoformat()

    # the main executor asks for more time; the deputy (the author) grants it
    later = add_working_days(today, 9)
    asked = (
        await w.gql(
            "executor1",
            REQUEST_EXTENSION,
            {"input": {"taskId": main_task, "deadline": later.isoformat(), "reason": "Sorğu"}},
        )
    )["requestDeadlineExtension"]
    assert asked["userErrors"] == []
    assert asked["extension"]["status"] == "REQUESTED"
    assert asked["extension"]["previousDeadline"] == add_working_days(today, 5).isoformat()
    extension = asked["extension"]["extensionId"]
    refused = await w.post(
        "executor2",
        DECIDE_EXTENSION,
        {"input": {"extensionId": extension, "decision": "GRANT"}},
    )
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    granted = (
        await w.gql(
            "deputy", DECIDE_EXTENSION, {"input": {"extensionId": extension, "decision": "GRANT"}}
        )
    )["decideDeadlineExtension"]
    assert granted["userErrors"] == []
    assert granted["extension"]["status"] == "GRANTED"
    assert granted["task"]["deadline"] == later.isoformat()
    assert granted["task"]["resolution"]["deadline"] == later.isoformat()

    # the main part reported: the co-executor's part is still open
    first = (
        await w.gql("executor1", REPORT, {"input": {"taskId": main_task, "report": "Hazırdır."}})
    )["reportExecution"]
    assert first["userErrors"] == []
    assert first["task"]["status"] == "REPORTED"
    assert first["task"]["resolution"]["status"] == "IN_EXECUTION"
    assert first["task"]["resolution"]["openTasks"] == 1
    # the forwarded task is closed by its hand-over: reporting it is a wrong-state step
    stale = (await w.gql("executor2", REPORT, {"input": {"taskId": co_task, "report": "Mən də."}}))[
        "reportExecution"
    ]
    assert codes(stale) == [("taskId", "INVALID_TRANSITION")]
    assert "'forwarded'" in stale["userErrors"][0]["message"]

    last = (
        await w.gql(
            "sector2", REPORT, {"input": {"taskId": new_task["taskId"], "report": "Təsdiq."}}
        )
    )["reportExecution"]
    assert last["userErrors"] == []
    assert last["task"]["resolution"]["status"] == "EXECUTED"
    assert last["task"]["resolution"]["document"]["status"] == "executed"

    # on control until the registrar removes it
    control = await w.gql(
        "registrar",
        "{ onControl { totalCount edges { node { resolutionId status openTasks } } } }",
    )
    rows = {e["node"]["resolutionId"]: e["node"] for e in control["onControl"]["edges"]}
    assert rows[resolution["resolutionId"]]["status"] == "EXECUTED"
    assert rows[resolution["resolutionId"]]["openTasks"] == 0
    removed = (await w.gql("registrar", REMOVE, {"input": {"resolutionId": resolution["id"]}}))[
        "removeFromControl"
    ]
    assert removed["userErrors"] == []
    assert removed["resolution"]["status"] == "CLOSED"
    assert removed["resolution"]["closedBy"] == w.users["registrar"]
    assert removed["resolution"]["document"]["status"] == "closed"
    control = await w.gql("registrar", "{ onControl { edges { node { resolutionId } } } }")
    assert resolution["resolutionId"] not in {
        e["node"]["resolutionId"] for e in control["onControl"]["edges"]
    }

    assert await steps(w, doc) == [
        "create",
        "register",
        "resolve",
        "forward",
        "extension_requested",
        "extension_granted",
        "report",
        "report",
        "complete",
        "remove_from_control",
    ]
    resolve_event = await w.platform.db.read(
        "MATCH (e:DocumentEvent {documentId: $id, step: 'resolve'}) "
        "RETURN e.actor AS actor, e.actingFor AS actingFor",
        {"id": doc},
    )
    assert resolve_event == [{"actor": w.users["deputy"], "actingFor": w.users["head"]}]
    changes = await w.platform.db.read(
        "MATCH (c:ChangeEvent) WHERE c.entityKind IN ['Resolution', 'ExecutionTask', "
        "'DeadlineExtension'] RETURN c.entityKind AS kind, c.operation AS op, "
        "c.entityId AS id",
    )
    seen_changes = {(c["kind"], c["op"], c["id"]) for c in changes}
    assert ("Resolution", "created", resolution["resolutionId"]) in seen_changes
    assert ("Resolution", "status_changed", resolution["resolutionId"]) in seen_changes
    assert ("ExecutionTask", "created", new_task["taskId"]) in seen_changes
    assert ("DeadlineExtension", "status_changed", extension) in seen_changes


async def test_a_deadline_date_on_a_holiday_moves_to_the_next_working_day(
    edms_world: World,
) -> None:
    w = edms_world
    doc = await registered(w, "Bayram günü müddəti")
    day = today_in_baku() + timedelta(days=10)
    while is_working_day(day):
        day += timedelta(days=1)
    payload = await write(
        w,
        "head",
        documentId=doc,
        mainExecutor="executor2",
        instruction="İcra edin.",
        deadline=day.isoformat(),
    )
    assert payload["userErrors"] == []
    moved = payload["resolution"]["deadline"]
    assert moved > day.isoformat()
    current = day
    while current.isoformat() < moved:
        assert not is_working_day(current)
        current += timedelta(days=1)
    assert is_working_day(current)
    assert payload["resolution"]["deadlineWorkingDays"] is None
    assert payload["resolution"]["actingFor"] is None  # the head writes in their own right


async def test_extensions_forwarding_limits_and_a_withdrawn_request(edms_world: World) -> None:
    w = edms_world
    doc = await registered(w, "Uzatma sorğuları")
    today = today_in_baku()
    payload = await write(
        w, "head", documentId=doc, mainExecutor="executor2", instruction="İcra", workingDays=3
    )
    task = payload["resolution"]["tasks"][0]["taskId"]
    # forwarding leaves the part's unit: refused; so is a later deadline than the part's own
    outside = (await w.gql("executor2", FORWARD, {"input": {"taskId": task, "to": "executor1"}}))[
        "forwardExecutionTask"
    ]
    assert codes(outside) == [("to", "BAD_USER_INPUT")]
    too_late = add_working_days(today, 10).isoformat()
    later = (
        await w.gql(
            "executor2", FORWARD, {"input": {"taskId": task, "to": "sector2", "deadline": too_late}}
        )
    )["forwardExecutionTask"]
    assert codes(later) == [("deadline", "BAD_USER_INPUT")]

    def ask(deadline: str) -> dict[str, object]:
        return {"input": {"taskId": task, "deadline": deadline, "reason": "Əlavə sorğu lazımdır"}}

    earlier = (await w.gql("executor2", REQUEST_EXTENSION, ask(today.isoformat())))[
        "requestDeadlineExtension"
    ]
    assert codes(earlier) == [("deadline", "BAD_USER_INPUT")]  # not after the current one
    first = (await w.gql("executor2", REQUEST_EXTENSION, ask(too_late)))["requestDeadlineExtension"]
    assert first["userErrors"] == []
    pending = (await w.gql("executor2", REQUEST_EXTENSION, ask(too_late)))[
        "requestDeadlineExtension"
    ]
    assert codes(pending) == [("taskId", "CONFLICT")]
    refused = (
        await w.gql(
            "head",
            DECIDE_EXTENSION,
            {"input": {"extensionId": first["extension"]["extensionId"], "decision": "REFUSE"}},
        )
    )["decideDeadlineExtension"]
    assert refused["extension"]["status"] == "REFUSED"
    assert refused["task"]["deadline"] == add_working_days(today, 3).isoformat()
    twice = (
        await w.gql(
            "head",
            DECIDE_EXTENSION,
            {"input": {"extensionId": first["extension"]["extensionId"], "decision": "GRANT"}},
        )
    )["decideDeadlineExtension"]
    assert codes(twice) == [("extensionId", "INVALID_TRANSITION")]
    assert "'refused'" in twice["userErrors"][0]["message"]

    second = (await w.gql("executor2", REQUEST_EXTENSION, ask(too_late)))[
        "requestDeadlineExtension"
    ]
    assert second["userErrors"] == []
    done = (await w.gql("executor2", REPORT, {"input": {"taskId": task, "report": "Hazır."}}))[
        "reportExecution"
    ]
    assert done["userErrors"] == []
    rows = await w.platform.db.read(
        "MATCH (x:DeadlineExtension {id: $id}) RETURN x.status AS status",
        {"id": second["extension"]["extensionId"]},
    )
    assert rows == [{"status": "withdrawn"}]  # a reported part needs no more time


async def test_a_resolution_on_a_citizens_appeal(edms_world: World) -> None:
    """Appeals take resolutions too; an executed appeal is answered before it leaves control."""
    w = edms_world
    appeal = await register_appeal(
        w.platform,
        w.principal("registrar"),
        NewAppeal(
            appeal_type="application",
            channel="mail",
            applicant=Applicant("Əli Məmmədov", contact="050 111 22 33"),
            subject="Ünvan arayışı",
            unit="DEPT-IT",
        ),
    )
    payload = await write(
        w, "head", documentId=appeal, mainExecutor="executor1", instruction="Baxın", workingDays=5
    )
    assert payload["userErrors"] == []
    assert payload["resolution"]["document"]["status"] == "in_execution"
    task = payload["resolution"]["tasks"][0]["taskId"]
    done = (await w.gql("executor1", REPORT, {"input": {"taskId": task, "report": "Baxıldı."}}))[
        "reportExecution"
    ]
    assert done["task"]["resolution"]["document"]["status"] == "executed"
    rid = payload["resolution"]["resolutionId"]
    early = (await w.gql("registrar", REMOVE, {"input": {"resolutionId": rid}}))[
        "removeFromControl"
    ]
    assert codes(early) == [("id", "INVALID_TRANSITION")]
    assert "'executed'" in early["userErrors"][0]["message"]
    assert "answer" in early["userErrors"][0]["message"]
    await answer_appeal(
        w.platform, w.principal("head"), appeal, "Arayış hazırdır.", substantive=True
    )
    closed = (await w.gql("head", REMOVE, {"input": {"resolutionId": rid}}))["removeFromControl"]
    assert closed["userErrors"] == []
    assert closed["resolution"]["document"]["status"] == "closed"
