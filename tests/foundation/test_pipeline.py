"""The audited-mutation pipeline and the change log, against the real Neo4j.

A test-only action ("test.thing.write") is granted by a rule registered here, so the pipeline
is exercised without any domain's use case in between.
"""

from __future__ import annotations

import json

import pytest

from asan.auth import auditlog
from asan.auth.pipeline import Mutation, forced_transient_failures, retry_count, run_mutation
from asan.auth.policy import RULES, Resource, rule
from asan.auth.principal import Principal
from asan.core import changelog
from asan.core.db import Tx
from asan.core.errors import Forbidden, NotFound, ServiceUnavailable, ValidationFailed
from asan.core.platform import Platform

ACTION = "test.thing.write"
WRITER = Principal(subject="writer-1", kind="user", roles=frozenset({"executor"}))
STRANGER = Principal(subject="stranger-1", kind="user", roles=frozenset({"public_reader"}))

if ACTION not in RULES:

    @rule(ACTION)
    def _test_thing_write(principal: Principal, resource: Resource) -> bool:
        return principal.has_role("executor")


async def write_thing(m: Mutation, code: str, fail: bool = False) -> str:
    await m.tx.run("MERGE (t:Thing {code: $code}) SET t.n = coalesce(t.n, 0) + 1", {"code": code})
    m.changed("Thing", code, "created", ["code"])
    m.detail(code=code)
    if fail:
        raise ValidationFailed([])
    return code


async def events(p: Platform, outcome: str | None = None) -> list[dict[str, object]]:
    rows = await p.db.read(
        "MATCH (e:AuditEvent) WHERE $o IS NULL OR e.outcome = $o "
        "RETURN e.action AS action, e.outcome AS outcome, e.targetId AS target, "
        "e.details AS details ORDER BY e.seq",
        {"o": outcome},
    )
    return rows


async def test_committed_changes_are_logged_in_order_and_readable_from_a_cursor(
    clean_platform: Platform,
) -> None:
    p = clean_platform
    for n in range(5):
        await run_mutation(p, WRITER, ACTION, Resource("Thing", f"T{n}"), _writer(f"T{n}"))
    logged = await changelog.read_after(p.db, 0)
    assert [e.seq for e in logged] == [1, 2, 3, 4, 5]
    assert [e.entity_id for e in logged] == ["T0", "T1", "T2", "T3", "T4"]
    assert {(e.entity_kind, e.operation, e.fields, e.actor, e.action) for e in logged} == {
        ("Thing", "created", ("code",), "writer-1", ACTION)
    }
    assert [e.entity_id for e in await changelog.read_after(p.db, 3)] == ["T3", "T4"]
    assert [e.seq for e in await changelog.read_after(p.db, 1, limit=2)] == [2, 3]
    assert await changelog.head_seq(p.db) == 5
    allowed = await events(p, "allowed")
    assert [e["target"] for e in allowed] == ["T0", "T1", "T2", "T3", "T4"]
    assert json.loads(str(allowed[0]["details"])) == {"code": "T0"}


async def test_a_unit_that_fails_after_writing_leaves_no_change_and_no_allowed_event(
    clean_platform: Platform,
) -> None:
    p = clean_platform
    await run_mutation(p, WRITER, ACTION, Resource("Thing", "A"), _writer("A"))
    with pytest.raises(ValidationFailed):
        await run_mutation(p, WRITER, ACTION, Resource("Thing", "B"), _writer("B", fail=True))
    await run_mutation(p, WRITER, ACTION, Resource("Thing", "C"), _writer("C"))
    logged = await changelog.read_after(p.db, 0)
    assert [(e.seq, e.entity_id) for e in logged] == [(1, "A"), (2, "C")]  # no gap for B
    assert [e["target"] for e in await events(p)] == ["A", "C"]
    things = await p.db.read("MATCH (t:Thing) RETURN t.code AS code ORDER BY code")
    assert [t["code"] for t in things] == ["A", "C"]


async def test_a_refusal_is_audited_with_the_policy_reason_and_changes_nothing(
    clean_platform: Platform,
) -> None:
    p = clean_platform
    with pytest.raises(Forbidden):
        await run_mutation(p, STRANGER, ACTION, Resource("Thing", "X"), _writer("X"))
    hidden = Resource("Thing", "H", hidden_if_denied=True)
    with pytest.raises(NotFound):
        await run_mutation(p, STRANGER, ACTION, hidden, _writer("H"))
    refused = await events(p, "refused")
    assert [e["target"] for e in refused] == ["X", "H"]
    assert json.loads(str(refused[0]["details"])) == {"reason": f"rule for {ACTION} refused"}
    assert await changelog.read_after(p.db, 0) == []
    assert await p.db.read("MATCH (t:Thing) RETURN t") == []


async def test_the_resource_may_be_read_in_the_units_transaction(clean_platform: Platform) -> None:
    p = clean_platform
    await p.db.write("CREATE (:Thing {code: 'R', owner: 'stranger-1'})")

    async def resolve(tx: Tx) -> Resource:
        rows = await tx.run("MATCH (t:Thing {code: 'R'}) RETURN t.owner AS owner")
        return Resource("Thing", "R", involved=frozenset({rows[0]["owner"]}))

    assert await run_mutation(p, WRITER, ACTION, resolve, _writer("R")) == "R"
    rows = await p.db.read("MATCH (t:Thing {code: 'R'}) RETURN t.n AS n")
    assert rows[0]["n"] == 1


async def test_a_forced_transient_failure_is_retried_once_and_the_unit_commits_once(
    clean_platform: Platform,
) -> None:
    p = clean_platform
    before = retry_count()
    with forced_transient_failures(2) as forced:
        await run_mutation(p, WRITER, ACTION, Resource("Thing", "F"), _writer("F"))
    assert forced.raised == 2
    assert retry_count() - before == 2
    rows = await p.db.read("MATCH (t:Thing {code: 'F'}) RETURN t.n AS n")
    assert rows[0]["n"] == 1  # the failed attempts' writes were rolled back
    assert [e.entity_id for e in await changelog.read_after(p.db, 0)] == ["F"]
    assert [e["target"] for e in await events(p)] == ["F"]
    assert (await auditlog.verify_chain(p.db)).ok


async def test_attempts_are_bounded_and_exhaustion_is_service_unavailable(
    clean_platform: Platform,
) -> None:
    p = clean_platform
    attempts = p.settings.mutation_max_attempts
    with forced_transient_failures(attempts + 5) as forced, pytest.raises(ServiceUnavailable):
        await run_mutation(p, WRITER, ACTION, Resource("Thing", "Z"), _writer("Z"))
    assert forced.raised == attempts
    assert await p.db.read("MATCH (t:Thing) RETURN t") == []
    assert await changelog.read_after(p.db, 0) == []
    assert await events(p) == []


async def test_a_refusal_is_recorded_once_even_when_its_unit_is_retried(
    clean_platform: Platform,
) -> None:
    p = clean_platform
    before = retry_count()
    with forced_transient_failures(1), pytest.raises(Forbidden):
        await run_mutation(p, STRANGER, ACTION, Resource("Thing", "Y"), _writer("Y"))
    assert retry_count() - before == 1
    assert [e["target"] for e in await events(p, "refused")] == ["Y"]


def _writer(code: str, fail: bool = False):  # type: ignore[no-untyped-def]
    async def work(m: Mutation) -> str:
        return await write_thing(m, code, fail)

    return work
