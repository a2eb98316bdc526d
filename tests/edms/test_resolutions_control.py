"""Execution control's refusals, wrong-state steps, secrecy in lists and counts, and races.

Against the real Neo4j and the app: who may write a resolution (a head, the acting deputy;
nobody else, and NOT_FOUND for who may not see the document), executors only within the
author's units and with clearance for a secret document, wrong-state steps as userErrors
naming the state and the allowed steps, secret parts absent from lists and totals, the
control lists (unit, due soon, overdue, on control), two last reports racing, and a repeated
client mutation id changing nothing twice.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from asan.core.workdays import add_working_days, today_in_baku
from asan.edms.resolutions import execution, use_cases
from asan.edms.resolutions.models import ResolutionDraft
from tests.edms.conftest import World
from tests.edms.resolutions_support import (
    REPORT,
    TASK_LIST,
    codes,
    document_status,
    registered,
    steps,
    write,
)

UNIT_TASKS = f"""query($unit: String!) {{ unitTasks(unit: $unit) {{ {TASK_LIST} }} }}"""


async def test_who_may_write_a_resolution_and_to_whom(edms_world: World) -> None:
    w = edms_world
    doc = await registered(w, "Kimə dərkənar yazmaq olar")
    base = {"documentId": doc, "instruction": "İcra edin.", "workingDays": 3}

    # the registrar may read the document but writes no resolution: FORBIDDEN
    body = await w.post("registrar", _WRITE_MIN, {"input": {**base, "mainExecutor": "executor1"}})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # another department's head may not even see it: NOT_FOUND
    hidden = await write(w, "hrhead", **base, mainExecutor="executor1")
    assert codes(hidden) == [(None, "NOT_FOUND")]
    # executors outside the author's units, unknown people, a name twice, two deadlines
    bad = await write(
        w,
        "head",
        **base,
        mainExecutor="outsider",
        coExecutors=["nobody.at.all", "executor2", w.users["executor2"]],
    )
    assert codes(bad) == [
        ("mainExecutor", "BAD_USER_INPUT"),
        ("coExecutors[0]", "NOT_FOUND"),
        ("coExecutors[2]", "BAD_USER_INPUT"),
    ]
    both = await write(
        w, "head", **base, mainExecutor="executor1", deadline=today_in_baku().isoformat()
    )
    assert codes(both) == [("deadline", "BAD_USER_INPUT")]
    past = {**base, "workingDays": None, "deadline": (today_in_baku() - timedelta(1)).isoformat()}
    assert codes(await write(w, "head", **past, mainExecutor="executor1")) == [
        ("deadline", "BAD_USER_INPUT")
    ]
    assert await document_status(w, doc) == "registered"  # nothing was changed
    assert await steps(w, doc) == ["create", "register"]

    # a sector head writes on the sector's documents, to the sector's people only
    assert codes(await write(w, "sector2", **base, mainExecutor="executor2")) == [
        (None, "NOT_FOUND")
    ]
    sector_doc = await registered(w, "Sektora", unit="DEPT-IT-SEC-2")
    sector = await write(
        w, "sector2", **{**base, "documentId": sector_doc}, mainExecutor="executor1"
    )
    assert codes(sector) == [("mainExecutor", "BAD_USER_INPUT")]

    ok = await write(w, "head", **base, mainExecutor="executor1")
    assert ok["userErrors"] == []
    again = await write(w, "head", **base, mainExecutor="executor1")
    assert codes(again) == [("id", "INVALID_TRANSITION")]
    message = again["userErrors"][0]["message"]
    assert "'in_execution'" in message and "complete" in message

    # only the executor acts on their part
    task = ok["resolution"]["tasks"][0]["taskId"]
    body = await w.gql("executor2", REPORT, {"input": {"taskId": task, "report": "Mən."}})
    assert codes(body["reportExecution"]) == [(None, "NOT_FOUND")]  # may not see the document
    body = await w.post("head", REPORT, {"input": {"taskId": task, "report": "Mən."}})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"  # sees it, not their part


_WRITE_MIN = """
mutation($input: WriteResolutionInput!) {
  writeResolution(input: $input) { resolution { resolutionId } userErrors { field code } }
}"""


async def test_secret_parts_are_absent_from_lists_and_counts(edms_world: World) -> None:
    w = edms_world
    public = await registered(w, "Açıq sənəd")
    secret = await registered(w, "Xidməti sirr", classification="service_secret")
    # a public-clearance executor cannot be given a secret document
    refused = await write(
        w, "head", documentId=secret, mainExecutor="executor1", instruction="İcra", workingDays=4
    )
    assert codes(refused) == [("mainExecutor", "BAD_USER_INPUT")]
    for doc in (public, secret):
        ok = await write(
            w, "head", documentId=doc, mainExecutor="deputy", instruction="İcra", workingDays=4
        )
        assert ok["userErrors"] == [], ok

    async def unit_total(who: str) -> tuple[int, set[str]]:
        data = await w.gql(who, UNIT_TASKS, {"unit": "DEPT-IT"})
        nodes = data["unitTasks"]["edges"]
        return data["unitTasks"]["totalCount"], {e["node"]["document"]["documentId"] for e in nodes}

    head_total, head_docs = await unit_total("head")
    assert {public, secret} <= head_docs
    auditor_total, auditor_docs = await unit_total("auditor")  # public clearance
    assert public in auditor_docs and secret not in auditor_docs
    assert auditor_total == head_total - len([d for d in head_docs if d == secret])
    # a unit's list is for its staff, heads, registrars and auditors
    body = await w.post("outsider", UNIT_TASKS, {"unit": "DEPT-IT"})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    control = "{ onControl { totalCount edges { node { document { documentId } } } } }"
    registrar2 = await w.gql("registrar2", control)  # a registrar without clearance
    docs = {e["node"]["document"]["documentId"] for e in registrar2["onControl"]["edges"]}
    assert public in docs and secret not in docs
    assert registrar2["onControl"]["totalCount"] == len(docs)
    head = await w.gql("head", control)
    assert {public, secret} <= {
        e["node"]["document"]["documentId"] for e in head["onControl"]["edges"]
    }


async def test_due_soon_and_overdue(edms_world: World) -> None:
    w = edms_world
    today = today_in_baku()
    soon_doc = await registered(w, "Tezliklə")
    late_doc = await registered(w, "Gecikmiş")
    soon = await write(
        w, "head", documentId=soon_doc, mainExecutor="executor2", instruction="İcra", workingDays=2
    )
    late = await write(
        w, "head", documentId=late_doc, mainExecutor="executor2", instruction="İcra", workingDays=30
    )
    soon_task = soon["resolution"]["tasks"][0]["taskId"]
    late_task = late["resolution"]["tasks"][0]["taskId"]
    # the graph as it will be after the deadline passed (nothing in the API sets a past date)
    await w.platform.db.write(
        "MATCH (t:ExecutionTask {id: $id}) SET t.deadline = $d",
        {"id": late_task, "d": today - timedelta(days=3)},
    )

    due = await w.gql("executor2", f"{{ dueSoon(days: 2) {{ {TASK_LIST} }} }}")
    ids = [e["node"]["taskId"] for e in due["dueSoon"]["edges"]]
    assert soon_task in ids and late_task not in ids
    assert all(
        today.isoformat() <= e["node"]["deadline"] <= add_working_days(today, 2).isoformat()
        for e in due["dueSoon"]["edges"]
    )
    overdue = await w.gql("executor2", f"{{ overdue {{ {TASK_LIST} }} }}")
    nodes = {e["node"]["taskId"]: e["node"] for e in overdue["overdue"]["edges"]}
    assert late_task in nodes and soon_task not in nodes
    assert nodes[late_task]["overdue"] is True
    # the head answers for the unit: the same tasks in their lists
    head = await w.gql("head", f'{{ overdue(unit: "DEPT-IT-SEC-2") {{ {TASK_LIST} }} }}')
    assert late_task in {e["node"]["taskId"] for e in head["overdue"]["edges"]}
    # an unrelated head sees none of them
    other = await w.gql("hrhead", f"{{ overdue {{ {TASK_LIST} }} }}")
    assert late_task not in {e["node"]["taskId"] for e in other["overdue"]["edges"]}
    bad = await w.post("executor2", f"{{ dueSoon(days: 61) {{ {TASK_LIST} }} }}")
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"

    # a late report is recorded as late on the timeline
    done = await w.gql("executor2", REPORT, {"input": {"taskId": late_task, "report": "Gec."}})
    assert done["reportExecution"]["userErrors"] == []
    rows = await w.platform.db.read(
        "MATCH (e:DocumentEvent {documentId: $id, step: 'report'}) RETURN e.details AS d",
        {"id": late_doc},
    )
    assert '"late": true' in rows[0]["d"]


async def test_racing_last_reports_complete_the_document_once(edms_world: World) -> None:
    w = edms_world
    doc = await registered(w, "Yarış")
    rid = await use_cases.issue_resolution(
        w.platform,
        w.principal("head"),
        ResolutionDraft(doc, "executor1", ("executor2", "sector2"), "Birlikdə icra edin.", None, 3),
    )
    rows = await w.platform.db.read(
        "MATCH (t:ExecutionTask {resolutionId: $id}) RETURN t.id AS id, t.executor AS executor",
        {"id": rid},
    )
    who = {v: k for k, v in w.users.items()}
    await asyncio.gather(
        *(
            execution.report_task(w.platform, w.principal(who[r["executor"]]), r["id"], "Hazır.")
            for r in rows
        )
    )
    assert await document_status(w, doc) == "executed"
    assert (await steps(w, doc)).count("complete") == 1
    status = await w.platform.db.read(
        "MATCH (r:Resolution {id: $id}) RETURN r.status AS s", {"id": rid}
    )
    assert status == [{"s": "executed"}]


async def test_a_repeated_client_mutation_id_changes_nothing_twice(edms_world: World) -> None:
    w = edms_world
    doc = await registered(w, "Təkrar sorğu")
    fields = {
        "documentId": doc,
        "mainExecutor": "executor1",
        "instruction": "İcra",
        "workingDays": 3,
        "clientMutationId": "res-once-1",
    }
    first = await write(w, "head", **fields)
    second = await write(w, "head", **fields)
    assert first["userErrors"] == [] and second["userErrors"] == []
    assert first["resolution"]["resolutionId"] == second["resolution"]["resolutionId"]
    count = await w.platform.db.read(
        "MATCH (r:Resolution {documentId: $id}) RETURN count(r) AS n", {"id": doc}
    )
    assert count == [{"n": 1}]
    assert (await steps(w, doc)).count("resolve") == 1


async def test_task_lists_page_by_deadline_with_their_own_cursors(edms_world: World) -> None:
    w = edms_world
    for days in (7, 5, 6):
        doc = await registered(w, f"Səhifə {days}")
        ok = await write(
            w, "head", documentId=doc, mainExecutor="sector2", instruction="İcra", workingDays=days
        )
        assert ok["userErrors"] == []
    query = """query($after: String) {
      myTasks(first: 2, after: $after) {
        totalCount edges { node { taskId deadline } } pageInfo { hasNextPage endCursor }
      }
    }"""
    first = (await w.gql("sector2", query, {"after": None}))["myTasks"]
    assert first["totalCount"] >= 3 and first["pageInfo"]["hasNextPage"] is True
    second = (await w.gql("sector2", query, {"after": first["pageInfo"]["endCursor"]}))["myTasks"]
    pages = first["edges"] + second["edges"]
    keys = [(e["node"]["deadline"], e["node"]["taskId"]) for e in pages]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert second["totalCount"] == first["totalCount"]
    # a cursor of one list is refused by another
    body = await w.post(
        "sector2",
        'query($after: String) { unitTasks(unit: "DEPT-IT-SEC-2", after: $after) { totalCount } }',
        {"after": first["pageInfo"]["endCursor"]},
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
