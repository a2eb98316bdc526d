"""The hash-chained audit trail: serialised appends, tamper detection, the auditors' query."""

from __future__ import annotations

import asyncio

from typer.testing import CliRunner

from asan.auth import audit
from asan.auth.auditlog import verify_chain
from asan.auth.policy import Resource
from asan.auth.principal import Principal
from asan.cli import app as cli
from tests.auth.support import add_user, bearer

CLERK = Principal("clerk", "user", frozenset({"executor"}), source="10.0.0.7")


async def append(platform, n: int, action: str = "edms.document.register") -> None:
    async with platform.db.transaction() as tx:
        await audit.record(tx, CLERK, action, Resource("Document", f"DOC-{n}"), details={"n": n})


async def test_parallel_appends_form_one_unbroken_chain(clean_platform) -> None:
    await asyncio.gather(*(append(clean_platform, n) for n in range(30)))
    report = await verify_chain(clean_platform.db)
    assert report.ok and report.checked == 30, report
    rows = await clean_platform.db.read("MATCH (e:AuditEvent) RETURN e.seq AS seq ORDER BY seq")
    assert [r["seq"] for r in rows] == list(range(1, 31))


async def test_a_rolled_back_change_leaves_no_event(clean_platform) -> None:
    try:
        async with clean_platform.db.transaction() as tx:
            await audit.record(tx, CLERK, "x.y", Resource("Thing", "1"))
            raise RuntimeError("the change failed")
    except RuntimeError:
        pass
    await append(clean_platform, 1)
    report = await verify_chain(clean_platform.db)
    assert report.ok and report.checked == 1


async def test_verify_names_the_first_broken_link(clean_platform) -> None:
    for n in range(5):
        await append(clean_platform, n)
    await clean_platform.db.write("MATCH (e:AuditEvent {seq: 3}) SET e.outcome = 'allowed!'")
    await clean_platform.db.write("MATCH (e:AuditEvent {seq: 4}) SET e.actor = 'someone else'")
    report = await verify_chain(clean_platform.db)
    assert not report.ok and report.broken_at == 3 and "hash" in (report.reason or "")


async def test_verify_detects_removed_events(clean_platform) -> None:
    for n in range(4):
        await append(clean_platform, n)
    await clean_platform.db.write("MATCH (e:AuditEvent {seq: 2}) DETACH DELETE e")
    report = await verify_chain(clean_platform.db)
    assert not report.ok and report.broken_at == 2 and "missing" in (report.reason or "")
    await clean_platform.db.write("MATCH (e:AuditEvent) DETACH DELETE e")
    await append(clean_platform, 9)  # the head remembers seq 4: a truncated tail shows
    tail = await verify_chain(clean_platform.db)
    assert not tail.ok


async def test_cli_verify_reports_ok_and_broken(clean_platform) -> None:
    for n in range(3):
        await append(clean_platform, n)
    runner = CliRunner()
    ok = await asyncio.to_thread(runner.invoke, cli, ["audit", "verify"])
    assert ok.exit_code == 0 and "intact: 3 events" in ok.output
    await clean_platform.db.write("MATCH (e:AuditEvent {seq: 2}) SET e.details = '{}'")
    broken = await asyncio.to_thread(runner.invoke, cli, ["audit", "verify"])
    assert broken.exit_code == 1 and "broken at event 2" in broken.output


EVENTS = """
query($first: Int, $after: String, $action: String, $outcome: String, $actor: String) {
  auditEvents(first: $first, after: $after, action: $action, outcome: $outcome, actor: $actor) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { seq actor action outcome targetId source prevHash hash } }
  }
}"""


async def test_auditors_page_and_filter_the_trail(client, auth, clean_platform) -> None:
    auditor = await add_user(clean_platform, "auditor", {"auditor"})
    clerk = await add_user(clean_platform, "clerk", {"executor"})
    for n in range(5):
        await append(clean_platform, n)
    await append(clean_platform, 99, action="registry.service.update")
    token, _ = auth.access_token(auditor, "user")
    first = await client.post(
        "/graphql",
        json={"query": EVENTS, "variables": {"first": 2, "action": "edms."}},
        headers=bearer(token),
    )
    page = first.json()["data"]["auditEvents"]
    # two users created (seq 1-2), then the clerk's six events: newest first
    assert page["totalCount"] == 5 and page["pageInfo"]["hasNextPage"]
    assert [e["node"]["targetId"] for e in page["edges"]] == ["DOC-4", "DOC-3"]
    assert page["edges"][0]["node"]["source"] == "10.0.0.7"
    rest = await client.post(
        "/graphql",
        json={
            "query": EVENTS,
            "variables": {"first": 10, "action": "edms.", "after": page["pageInfo"]["endCursor"]},
        },
        headers=bearer(token),
    )
    assert [e["node"]["targetId"] for e in rest.json()["data"]["auditEvents"]["edges"]] == [
        "DOC-2",
        "DOC-1",
        "DOC-0",
    ]
    chain = await client.post(
        "/graphql", json={"query": "{ auditChain { ok checked } }"}, headers=bearer(token)
    )
    assert chain.json()["data"]["auditChain"] == {"ok": True, "checked": 8}

    clerk_token, _ = auth.access_token(clerk, "user")
    denied = await client.post("/graphql", json={"query": EVENTS}, headers=bearer(clerk_token))
    assert denied.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    refused = await client.post(
        "/graphql",
        json={"query": EVENTS, "variables": {"outcome": "refused"}},
        headers=bearer(token),
    )
    nodes = [e["node"] for e in refused.json()["data"]["auditEvents"]["edges"]]
    assert [(n["actor"], n["action"]) for n in nodes] == [(clerk, "audit.read")]
    anonymous = await client.post("/graphql", json={"query": EVENTS})
    assert anonymous.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
