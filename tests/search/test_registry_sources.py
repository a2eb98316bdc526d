"""The registry's search sources on real Neo4j: what they load, what the change log makes them
re-index, and that the index trims services exactly as the catalog's read policy and lists do.

One world per module: the test registry (tests/registry/catalog_support.py), the org structure
imported from the approved regulations and one service in every status, indexed into a
WhooshEngine in a temporary directory. The last tests change the graph (a renamed document,
a re-imported regulation); they run after the read-only ones.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from asan.auth import policy
from asan.auth.policy import Resource
from asan.auth.principal import ANONYMOUS, SYSTEM, Principal
from asan.core import changelog
from asan.core.platform import Platform
from asan.registry.catalog import flows
from asan.registry.catalog import service as catalog
from asan.registry.catalog.models import StateBodyInput
from asan.registry.catalog.policy import CATALOG_PUBLIC_STATUSES
from asan.registry.catalog.queries import services_by_codes
from asan.registry.catalog.reference import update_reference_entry
from asan.registry.org import service as org
from asan.registry.searching import SOURCES
from asan.registry.searching.bodies import InformationSystemSource, StateBodySource
from asan.registry.searching.org import ClauseSource, OrgUnitSource
from asan.registry.searching.policy import service_acl
from asan.registry.searching.services import ServiceSource
from asan.search.engine import PUBLIC, DocRef, SearchDoc, SearchQuery, SearchResults
from asan.search.sources import SearchSource, access_of
from asan.search.whoosh_engine import WhooshEngine
from tests.conftest import reset_graph
from tests.registry.catalog_support import (
    EDITOR_ASAN,
    EDITOR_DIN,
    REVIEWER,
    build_registry,
    passport_service,
)
from tests.registry.org_support import SOURCE as REGULATIONS
from tests.registry.org_support import import_org

EVERYONE = frozenset({PUBLIC})
MOBILE = "Səyyar ASAN xidmətində şəxsiyyət vəsiqəsinin verilməsi"
# code -> the status it is brought to; all require the shared document PHOTO
STATUS_OF = {
    "DIN-010": flows.DRAFT,
    "DIN-011": flows.UNDER_REVIEW,
    "DIN-012": flows.PUBLISHED,
    "DIN-013": flows.SUSPENDED,
    "DIN-014": flows.WITHDRAWN,
    "ASAN-010": flows.DRAFT,
}
STEPS = {
    flows.DRAFT: (),
    flows.UNDER_REVIEW: (flows.UNDER_REVIEW,),
    flows.PUBLISHED: (flows.UNDER_REVIEW, flows.PUBLISHED),
    flows.SUSPENDED: (flows.UNDER_REVIEW, flows.PUBLISHED, flows.SUSPENDED),
    flows.WITHDRAWN: (flows.UNDER_REVIEW, flows.PUBLISHED, flows.SUSPENDED, flows.WITHDRAWN),
}


def user(subject: str, *roles: str, body: str | None = None) -> Principal:
    return Principal(subject=subject, kind="user", roles=frozenset(roles), state_body=body)


def system(subject: str, body: str, *scopes: str) -> Principal:
    return Principal(
        subject=subject,
        kind="service",
        roles=frozenset({"state_body_editor"}),
        state_body=body,
        scopes=frozenset(scopes),
    )


PRINCIPALS: dict[str, Principal] = {
    "anonymous": ANONYMOUS,
    "editor DIN": EDITOR_DIN,
    "editor ASAN": EDITOR_ASAN,
    "reviewer": REVIEWER,
    "registrar": user("registrar", "registrar"),
    "administrator": user("admin", "administrator"),
    "system": SYSTEM,
    "DIN staff without a role": user("din-reader", "public_reader", body="DIN"),
    "DMX editor": user("dmx-editor", "state_body_editor", body="DMX"),
    "auditor": user("auditor", "auditor"),
    "executor": user("clerk", "executor"),
    "DIN system reading services": system("din-app", "DIN", "registry.service"),
    "DIN system with the read scope only": system("din-read", "DIN", "registry.service.read"),
    "DIN system without the read scope": system("din-ref", "DIN", "registry.reference"),
}


@dataclass
class World:
    platform: Platform
    engine: WhooshEngine
    docs: dict[tuple[str, str], SearchDoc]


async def load_all(p: Platform) -> list[SearchDoc]:
    docs: list[SearchDoc] = []
    for source in SOURCES:
        docs.extend(await source.load(p, await source.all_ids(p)))
    return docs


@pytest.fixture(scope="module")
async def world(
    migrated_platform: Platform, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[World]:
    p = migrated_platform
    await reset_graph(p)
    await build_registry(p)
    await import_org(p)
    for code, status in STATUS_OF.items():
        body, editor = ("ASAN", EDITOR_ASAN) if code.startswith("ASAN") else ("DIN", EDITOR_DIN)
        await catalog.create_service(
            p, editor, passport_service(code, name_az=MOBILE, provider=body)
        )
        for target in STEPS[status]:
            actor = editor if target == flows.UNDER_REVIEW else REVIEWER
            await catalog.transition_service(p, actor, code, target)
    docs = await load_all(p)
    engine = WhooshEngine(tmp_path_factory.mktemp("registry-search") / "index")
    engine.index(docs)
    yield World(p, engine, {(d.kind, d.id): d for d in docs})
    engine.close()


def ask(engine: WhooshEngine, text: str, who: Principal, *kinds: str) -> SearchResults:
    return engine.query(
        SearchQuery(text=text, access=access_of(who), kinds=frozenset(kinds), limit=100)
    )


def refs(results: SearchResults) -> set[tuple[str, str]]:
    return {(h.kind, h.id) for h in results.hits}


# --- the access rule --------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PRINCIPALS))
def test_service_tokens_say_exactly_what_the_read_policy_says(name: str) -> None:
    """For every status and provider, a principal's tokens meet a service's acl iff the policy
    lets it read a non-public service; public statuses are PUBLIC, as the catalog's lists show
    them to every reader (the policy agrees for everyone but a system lacking the read scope,
    which the lists, and therefore the search, show public services too)."""
    principal = PRINCIPALS[name]
    access = access_of(principal, SOURCES)
    for status in flows.SERVICE_STATUSES:
        for provider in ("DIN", "ASAN", "DMX"):
            acl = service_acl(status, provider)
            visible = PUBLIC in acl or bool(acl & access)
            resource = Resource("Service", "X-1", state_body=provider, status=status)
            allowed = policy.can(principal, "registry.service.read", resource)
            if status in CATALOG_PUBLIC_STATUSES:
                assert acl == {PUBLIC}
                assert allowed or principal.scopes, (status, provider)
            else:
                assert PUBLIC not in acl
                assert visible == allowed, (status, provider)


@pytest.mark.parametrize("name", sorted(PRINCIPALS))
async def test_the_index_lists_exactly_the_services_the_catalog_shows(
    world: World, name: str
) -> None:
    """The trimmed index (counts and facets included) against the catalog's own read of the
    same services for the same reader."""
    principal = PRINCIPALS[name]
    shown, _ = await services_by_codes(world.platform, principal, sorted(STATUS_OF))
    found = ask(world.engine, "seyyar", principal, "service")
    assert {h.id for h in found.hits} == set(shown)
    assert found.total == len(shown)
    statuses = {s: n for s, n in found.facets["status"].items() if n}
    expected: dict[str, int] = {}
    for code in shown:
        expected[STATUS_OF[code]] = expected.get(STATUS_OF[code], 0) + 1
    assert statuses == expected


# --- what is indexed --------------------------------------------------------------------------


async def test_every_kind_lists_what_neo4j_holds(world: World) -> None:
    db = world.platform.db
    counts = {
        "service": "MATCH (n:Service) RETURN count(n) AS n",
        "state_body": "MATCH (n:StateBody) RETURN count(n) AS n",
        "information_system": "MATCH (n:InformationSystem) RETURN count(n) AS n",
        "org_unit": "MATCH (n:OrgUnit) RETURN count(n) AS n",
        "clause": "MATCH (n:Clause {current: true}) RETURN count(n) AS n",
    }
    for source in SOURCES:
        ids = await source.all_ids(world.platform)
        assert len(ids) == len(set(ids)) == (await db.read(counts[source.kind]))[0]["n"]
        assert all(isinstance(i, str) for i in ids)
    assert len({s.kind for s in SOURCES}) == len(SOURCES)


async def test_a_service_document_holds_what_a_citizen_would_search_for(world: World) -> None:
    source = ServiceSource()
    db = world.platform.db
    before = db.round_trips
    docs = {d.id: d for d in await source.load(world.platform, [*STATUS_OF, "NO-SUCH"])}
    assert db.round_trips == before + 1  # one query for the whole batch
    assert set(docs) == set(STATUS_OF)  # an unknown code loads nothing
    published = docs["DIN-012"]
    assert published.title == MOBILE
    for phrase in (
        "Issuing identity cards",  # English name
        "Выдача удостоверения личности",  # Russian name
        "Vətəndaşlara şəxsiyyət vəsiqəsi verilir.",  # description
        "Doğum haqqında şəhadətnamə",  # a required document
        "15 yaşdan yuxarı / over 15",  # its condition
        "Daxili İşlər Nazirliyi",  # the providing body
        "Şəxsiyyət",  # the category
        "Şəxsiyyət vəsiqəsi haqqında Qanun",  # the legal basis
    ):
        assert phrase in published.body, phrase
    assert (published.state_body, published.status, published.acl) == (
        "DIN",
        flows.PUBLISHED,
        EVERYONE,
    )
    assert isinstance(published.year, int)
    assert docs["DIN-010"].year is None  # never published
    assert docs["ASAN-010"].acl == {"service:reviewer", "service:body:ASAN"}
    assert docs["ASAN-010"].state_body == "ASAN"
    # the same graph loads the same document (a rebuild answers as the incremental index)
    assert await source.load(world.platform, ["DIN-012"]) == [published]


async def test_bodies_and_systems_are_public_reference_data(world: World) -> None:
    bodies = {d.id: d for d in await StateBodySource().load(world.platform, ["DIN", "DMX"])}
    assert bodies["DIN"].title == "Daxili İşlər Nazirliyi"
    assert "Ministry of Internal Affairs" in bodies["DIN"].body
    assert bodies["DMX"].state_body == "DMX" and bodies["DMX"].acl == {PUBLIC}
    [visa] = await InformationSystemSource().load(world.platform, ["VISA"])
    assert (visa.title, visa.state_body, visa.acl) == ("Elektron viza sistemi", "DMX", EVERYONE)
    assert "Dövlət Miqrasiya Xidməti" in visa.body  # the operator's name
    found = ask(world.engine, "elektron viza", ANONYMOUS)
    assert ("information_system", "VISA") in refs(found)


async def test_units_and_clauses_carry_their_regulation(world: World) -> None:
    db = world.platform.db
    rows = await db.read(
        "MATCH (c:Clause {current: true})-[:CONCERNS]->(u:OrgUnit) "
        "RETURN c.key AS key, c.number AS number, c.text AS text, u.code AS unit, "
        "u.nameAz AS name ORDER BY c.key LIMIT 50"
    )
    before = db.round_trips
    clauses = {d.id: d for d in await ClauseSource().load(world.platform, [r["key"] for r in rows])}
    assert db.round_trips == before + 1
    for row in rows:
        doc = clauses[row["key"]]
        assert doc.title == f"{row['name']} — {row['number']}"
        assert (doc.body, doc.unit, doc.acl) == (row["text"], row["unit"], EVERYONE)
    [it] = await OrgUnitSource().load(world.platform, ["DEPT-IT"])
    assert it.title == "İnformasiya texnologiyaları şöbəsi" and it.unit == "DEPT-IT"
    assert it.year == 2014  # the regulation's decision
    directions = await db.read(
        "MATCH (c:Clause {current: true, section: 2})-[:CONCERNS]->(:OrgUnit {code: 'DEPT-IT'}) "
        "RETURN c.text AS text"
    )
    assert directions and all(r["text"] in it.body for r in directions)
    duties = await db.read(
        "MATCH (c:Clause {current: true, section: 3})-[:CONCERNS]->(:OrgUnit {code: 'DEPT-IT'}) "
        "RETURN c.text AS text LIMIT 1"
    )
    assert duties[0]["text"] not in it.body  # the purpose, not every clause
    [sector] = await OrgUnitSource().load(world.platform, ["DEPT-IT-SEC-2"])
    assert "Texniki təminat sektoru" in sector.title and sector.body  # its functions


# --- searching as callers do ------------------------------------------------------------------


async def test_typed_without_letters_an_anonymous_caller_finds_public_things_only(
    world: World,
) -> None:
    found = ask(world.engine, "seyyar asan xidmetinde", ANONYMOUS, "service")
    assert {h.id for h in found.hits} == {"DIN-012", "DIN-013"}  # published, suspended
    units = ask(world.engine, "informasiya texnologiyalari", ANONYMOUS)
    kinds = {kind for kind, n in units.facets["kind"].items() if n}
    assert {"org_unit", "clause"} <= kinds
    assert ("org_unit", "DEPT-IT") in refs(units)
    assert all(world.docs[r].acl == {PUBLIC} for r in refs(units))
    drafts = ask(world.engine, "seyyar", EDITOR_DIN, "service")
    assert {h.id for h in drafts.hits} == {"DIN-010", "DIN-011", "DIN-012", "DIN-013", "DIN-014"}


# --- fed by the change log --------------------------------------------------------------------


def event(kind: str, entity: str, operation: str = "updated") -> changelog.ChangeEvent:
    return changelog.ChangeEvent(0, datetime.now(UTC), kind, entity, operation, (), "t", "t", None)


async def test_each_source_reindexes_what_its_documents_show_in_one_query(world: World) -> None:
    p = world.platform
    db = p.db
    dept_it = {
        r["key"]
        for r in await db.read(
            "MATCH (c:Clause {current: true})-[:CONCERNS]->(:OrgUnit {code: 'DEPT-IT'}) "
            "RETURN c.key AS key"
        )
    }
    of_legal = {
        r["key"]
        for r in await db.read(
            "MATCH (c:Clause {current: true})-[:OF]->(:Regulation {code: 'REG-DEPT-LEGAL'}) "
            "RETURN c.key AS key"
        )
    }
    cases: list[tuple[SearchSource, list[changelog.ChangeEvent], set[str]]] = [
        (ClauseSource(), [event("OrgUnit", "DEPT-IT")], dept_it),
        (ClauseSource(), [event("Regulation", "REG-DEPT-LEGAL")], of_legal),
        (
            OrgUnitSource(),
            [event("Regulation", "REG-DEPT-IT"), event("Clause", "REG-DEPT-LEGAL:2.1.1")],
            {"DEPT-IT", "DEPT-LEGAL"},
        ),
        (ServiceSource(), [event("Category", "IDENTITY")], set(STATUS_OF)),
        (ServiceSource(), [event("LegalAct", "LAW-ID"), event("Output", "NONE")], set(STATUS_OF)),
        (
            ServiceSource(),
            [event("StateBody", "ASAN"), event("Service", "DIN-010")],
            {
                "ASAN-010",
                "DIN-010",
            },
        ),
        (InformationSystemSource(), [event("StateBody", "ASAN")], {"EGOV"}),
    ]
    assert dept_it and of_legal
    for source, events, expected in cases:
        before = db.round_trips
        assert await source.affected(p, events) == expected, (source.kind, events)
        assert db.round_trips == before + 1  # one query for the batch, not one per event
    # events a source shows nothing of cost no query at all
    before = db.round_trips
    assert await ServiceSource().affected(p, [event("Service", "DIN-012")]) == {"DIN-012"}
    assert await ClauseSource().affected(p, [event("Clause", "X:1", "deleted")]) == {"X:1"}
    assert await StateBodySource().affected(p, [event("Service", "DIN-012")]) == set()
    assert db.round_trips == before


# --- fed by the change log (these change the graph: last) -------------------------------------


async def events_since(p: Platform, seq: int) -> Sequence[changelog.ChangeEvent]:
    return await changelog.read_after(p.db, seq, limit=1000)


async def test_a_renamed_required_document_reindexes_every_service_showing_it(
    world: World,
) -> None:
    p = world.platform
    seq = await changelog.head_seq(p.db)
    await update_reference_entry(p, REVIEWER, "EVIDENCE", "PHOTO", {"nameAz": "Rəngli fotoşəkil"})
    events = await events_since(p, seq)
    assert [(e.entity_kind, e.entity_id) for e in events] == [("Evidence", "PHOTO")]
    before = p.db.round_trips
    affected = await ServiceSource().affected(p, events)
    assert p.db.round_trips == before + 1
    assert affected == set(STATUS_OF)
    for other in (StateBodySource(), InformationSystemSource(), OrgUnitSource(), ClauseSource()):
        assert await other.affected(p, events) == set()
    docs = await ServiceSource().load(p, sorted(affected))
    assert all("Rəngli fotoşəkil" in d.body for d in docs)
    world.engine.apply(docs, [])
    found = ask(world.engine, "rengli fotosekil", ANONYMOUS, "service")
    assert {h.id for h in found.hits} == {"DIN-012", "DIN-013"}
    assert {h.id for h in ask(world.engine, "rengli", REVIEWER, "service").hits} == set(STATUS_OF)


async def test_a_renamed_body_reindexes_its_services_and_systems(world: World) -> None:
    p = world.platform
    seq = await changelog.head_seq(p.db)
    await catalog.update_state_body(
        p,
        SYSTEM,
        StateBodyInput(
            "DMX",
            "Dövlət Miqrasiya Xidməti (yeni)",
            "State Migration Service",
            kind="service",
            parent="DIN",
        ),
    )
    events = await events_since(p, seq)
    assert await StateBodySource().affected(p, events) == {"DMX"}
    assert await InformationSystemSource().affected(p, events) == {"MIGRATION", "VISA"}
    assert await ServiceSource().affected(p, events) == set()  # DMX provides none here
    [visa] = await InformationSystemSource().load(p, ["VISA"])
    assert "Dövlət Miqrasiya Xidməti (yeni)" in visa.body


async def test_a_reimported_regulation_reindexes_units_and_retired_clauses_vanish(
    world: World,
) -> None:
    p = world.platform
    text = REGULATIONS.read_text(encoding="utf-8")
    retired = "1.3. Şöbə fəaliyyətini Agentliyin digər struktur bölmələri"
    changed = "2.1.4. Agentlikdə və mərkəzlərdə hüquqi təminat işlərinin aparılmasına"
    assert text.count(changed) == 1
    lines = text.splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if line.startswith(retired))  # DEPT-LEGAL's
    del lines[first]
    edited = "".join(lines).replace(changed, changed.replace("hüquqi", "hüquqi və kadr"))
    seq = await changelog.head_seq(p.db)
    await org.import_text(p, edited)
    events = await events_since(p, seq)
    assert {(e.entity_kind, e.entity_id, e.operation) for e in events} >= {
        ("Clause", "REG-DEPT-LEGAL:1.3", "deleted"),
        ("Clause", "REG-DEPT-LEGAL:2.1.4", "updated"),
    }
    clauses = await ClauseSource().affected(p, events)
    assert {"REG-DEPT-LEGAL:1.3", "REG-DEPT-LEGAL:2.1.4"} <= clauses
    loaded = {d.id: d for d in await ClauseSource().load(p, sorted(clauses))}
    assert "REG-DEPT-LEGAL:1.3" not in loaded  # retired: deleted from the index
    assert "hüquqi və kadr təminat" in loaded["REG-DEPT-LEGAL:2.1.4"].body
    assert "REG-DEPT-LEGAL:1.3" not in await ClauseSource().all_ids(p)
    units = await OrgUnitSource().affected(p, events)
    assert "DEPT-LEGAL" in units  # its purpose (section 2) shows the changed clause
    [legal] = await OrgUnitSource().load(p, ["DEPT-LEGAL"])
    assert "hüquqi və kadr təminat" in legal.body
    gone = [DocRef("clause", k) for k in clauses - set(loaded)]
    world.engine.apply([*loaded.values(), legal], gone)
    found = ask(world.engine, "huquqi ve kadr teminat", ANONYMOUS)
    assert {("clause", "REG-DEPT-LEGAL:2.1.4"), ("org_unit", "DEPT-LEGAL")} <= refs(found)
    assert ("clause", "REG-DEPT-LEGAL:1.3") not in refs(
        ask(world.engine, "struktur bolmeleri ve tabeliyinde", ANONYMOUS, "clause")
    )


def test_sources_are_the_registry_kinds() -> None:
    assert [s.kind for s in SOURCES] == [
        "state_body",
        "information_system",
        "service",
        "org_unit",
        "clause",
    ]
    assert Path(REGULATIONS).exists()
