"""Twenty concurrent clients hammering mutations that all append to the audit chain and the
change log: none fails with an error a retry would have fixed, the chain verifies, and the log
holds exactly one event per committed change, numbered in commit order without gaps.

Half of each client's mutations are test-only units that lock two of four shared nodes in a
random order (so Neo4j finds real deadlocks and the pipeline must retry them), the other half
are the auth domain's own ``setUserRoles`` use case on shared users.
"""

from __future__ import annotations

import asyncio
import json
import random

from asan.auth import accounts, auditlog
from asan.auth.pipeline import Mutation, retry_count, run_mutation
from asan.auth.policy import RULES, Resource, rule
from asan.auth.principal import SYSTEM, Principal
from asan.core import changelog
from asan.core.platform import Platform
from tests.auth.support import add_user

ACTION = "test.counter.bump"
CLIENTS = 20
PER_CLIENT = 6
COUNTERS = ["A", "B", "C", "D"]
WRITER = Principal(subject="bumper", kind="user", roles=frozenset({"executor"}))

if ACTION not in RULES:

    @rule(ACTION)
    def _test_counter_bump(principal: Principal, resource: Resource) -> bool:
        return principal.has_role("executor")


async def _bump(p: Platform, client: int, n: int, rng: random.Random) -> str:
    tag = f"c{client}-{n}"
    first, second = rng.sample(COUNTERS, 2)

    async def work(m: Mutation) -> str:
        for name in (first, second):  # opposite orders across clients: real deadlocks
            await m.tx.run("MATCH (c:Counter {name: $name}) SET c.n = c.n + 1", {"name": name})
        m.changed("Counter", tag, "updated", ["n"])
        m.detail(tag=tag)
        return tag

    return await run_mutation(p, WRITER, ACTION, Resource("Counter", tag), work)


async def _client(p: Platform, client: int, users: list[str]) -> list[str]:
    rng = random.Random(client)  # noqa: S311 (a reproducible test mix, not a secret)
    done = []
    for n in range(PER_CLIENT):
        if n % 2 == 0:
            done.append(await _bump(p, client, n, rng))
        else:
            roles = frozenset(rng.sample(["executor", "archivist", "auditor"], 2))
            done.append(await accounts.set_user_roles(p, SYSTEM, rng.choice(users), roles))
    return done


async def test_twenty_clients_every_change_logged_once_in_commit_order(
    clean_platform: Platform,
) -> None:
    p = clean_platform
    await p.db.write(
        "UNWIND $names AS name CREATE (:Counter {name: name, n: 0})", {"names": COUNTERS}
    )
    users = [await add_user(p, f"shared.{i}") for i in range(3)]
    names = [f"shared.{i}" for i in range(3)]
    start_seq = await changelog.head_seq(p.db)
    before = retry_count()

    results = await asyncio.gather(*(_client(p, c, names) for c in range(CLIENTS)))

    retries = retry_count() - before
    print(f"\n{CLIENTS * PER_CLIENT} concurrent mutations, {retries} whole-unit retries")
    assert sum(len(r) for r in results) == CLIENTS * PER_CLIENT  # every one committed
    counters = await p.db.read("MATCH (c:Counter) RETURN sum(c.n) AS n")
    assert counters[0]["n"] == CLIENTS * PER_CLIENT  # two per bump, each bump exactly once

    report = await auditlog.verify_chain(p.db)
    assert report.ok, report.line()

    logged = await changelog.read_after(p.db, start_seq, limit=1000)
    assert [e.seq for e in logged] == list(range(start_seq + 1, start_seq + 1 + len(logged)))
    assert len(logged) == CLIENTS * PER_CLIENT
    assert sorted(e.entity_id for e in logged if e.entity_kind == "Counter") == sorted(
        f"c{c}-{n}" for c in range(CLIENTS) for n in range(0, PER_CLIENT, 2)
    )
    assert {e.entity_id for e in logged if e.entity_kind == "User"} <= set(users)
    assert await changelog.head_seq(p.db) == logged[-1].seq

    # Commit order: the audit event and the change event of one unit are appended under the
    # same two locks, so their orders agree exactly.
    audited = await p.db.read(
        "MATCH (e:AuditEvent {action: $action, outcome: 'allowed'}) "
        "RETURN e.details AS details ORDER BY e.seq",
        {"action": ACTION},
    )
    audit_order = [json.loads(row["details"])["tag"] for row in audited]
    log_order = [e.entity_id for e in logged if e.entity_kind == "Counter"]
    assert audit_order == log_order
