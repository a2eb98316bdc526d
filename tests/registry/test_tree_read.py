"""The one-query tree read answers exactly what the per-level reads answer.

``stateBody { services { ... requiredDocuments } }`` is read in one Cypher query (the root
resolver sees the selection and primes the loaders); these tests hold it to the rows the
per-level DataLoader reads give, for every body of the sample registry and for readers who see
different services (public, the body's own editor, an administrator).
"""

from __future__ import annotations

import base64
from typing import Any

from asan.auth.principal import ANONYMOUS, Principal
from asan.core.platform import Platform
from asan.graphql.context import Context
from asan.graphql.schema import schema
from asan.registry.catalog import queries
from asan.registry.catalog import service as catalog
from asan.registry.catalog.models import Evidence
from asan.registry.catalog.sample import load_sample_registry
from tests.registry.catalog_support import ADMIN, EDITOR_DIN, passport_service

READERS: tuple[Principal, ...] = (ANONYMOUS, EDITOR_DIN, ADMIN)
DOCUMENT = "position code nameAz nameEn nameRu condition"


async def _registry(p: Platform) -> list[str]:
    """The sample registry plus DIN drafts: one with reversed documents, one with none."""
    await load_sample_registry(p)
    # shared documents are referenced with their registered names; here in reverse code order
    registered = await p.db.read(
        """MATCH (e:Evidence) RETURN e.code AS code, e.nameAz AS az, e.nameEn AS en,
                  e.nameRu AS ru ORDER BY code DESC LIMIT 3"""
    )
    docs = tuple(
        Evidence(r["code"], r["az"] or "", r["en"] or "", r["ru"] or "") for r in registered
    )
    # the sample registry names its own centres, buses, systems and categories
    unlinked: dict[str, object] = {"centres": (), "buses": (), "systems": (), "categories": ()}
    await catalog.upsert_services(
        p,
        ADMIN,
        [
            passport_service("DIN-Z1", name_az="Əvvəlcə qaralama", requirements=docs, **unlinked),
            passport_service("DIN-Z2", name_az="Çağırış qaralaması", requirements=(), **unlinked),
        ],
        initial_status="draft",
    )
    rows = await p.db.read("MATCH (b:StateBody) RETURN b.code AS code ORDER BY code")
    return [row["code"] for row in rows]


def _services_selection(inner: str) -> str:
    """``services`` as the schema has it: a plain list or a connection (first: 100)."""
    field = schema._schema.type_map["StateBody"].fields["services"]  # type: ignore[union-attr]
    named: Any = field.type
    while hasattr(named, "of_type"):
        named = named.of_type
    if "edges" in getattr(named, "fields", {}):
        return f"services(first: 100) {{ edges {{ node {{ {inner} }} }} }}"
    return f"services {{ {inner} }}"


def _service_rows(services: Any) -> list[dict[str, Any]]:
    if isinstance(services, dict):
        return [edge["node"] for edge in services["edges"]]
    return list(services)


async def _execute(p: Platform, query: str, principal: Principal, **variables: Any) -> Any:
    result = await schema.execute(
        query, variable_values=variables, context_value=Context(platform=p, principal=principal)
    )
    assert result.errors is None, result.errors
    return result.data


async def test_body_trees_equal_the_per_level_reads(clean_platform: Platform) -> None:
    p = clean_platform
    codes = await _registry(p)
    assert len(codes) >= 13
    for reader in READERS:
        for documents in (True, False):
            trees = await queries.body_trees(p, reader, codes, documents=documents)
            assert trees.bodies == await queries.state_bodies_by_codes(p, codes)
            by_body = await queries.services_by_body(p, reader, codes)
            assert trees.services == {code: by_body.get(code, []) for code in codes}
            shown = [s.code for rows in by_body.values() for s in rows]
            if documents:
                per_service = await queries.requirements_by_service(p, shown)
                assert trees.documents == {c: per_service.get(c, []) for c in shown}
                assert any(trees.documents.values())
            else:
                assert trees.documents == {}
    own = await queries.body_trees(p, EDITOR_DIN, ["DIN"], documents=True)
    public = await queries.body_trees(p, ANONYMOUS, ["DIN"], documents=True)
    drafts = {"DIN-Z1", "DIN-Z2"}
    assert drafts <= {s.code for s in own.services["DIN"]}
    assert not drafts & {s.code for s in public.services["DIN"]}
    assert own.documents["DIN-Z2"] == []
    z1 = [e.code for e in own.documents["DIN-Z1"]]
    assert len(z1) == 3 and z1 == sorted(z1, reverse=True)  # as told, not by code


async def test_state_body_tree_is_one_round_trip_with_the_per_level_answer(
    clean_platform: Platform,
) -> None:
    p = clean_platform
    codes = await _registry(p)
    tree = _services_selection(f"code nameAz status requiredDocuments {{ {DOCUMENT} }}")
    one = f"query($code: String!) {{ stateBody(code: $code) {{ code nameAz {tree} }} }}"
    # the per-level path: the same selection reached through node(id:), one query per level
    levels = f"query($id: ID!) {{ node(id: $id) {{ ... on StateBody {{ code nameAz {tree} }} }} }}"
    for reader in READERS:
        expected = {}
        for code in codes:
            node_id = base64.b64encode(f"StateBody:{code}".encode()).decode()
            p.db.round_trips = 0
            expected[code] = (await _execute(p, levels, reader, id=node_id))["node"]
            assert p.db.round_trips == 3
            p.db.round_trips = 0
            data = await _execute(p, one, reader, code=code)
            assert p.db.round_trips == 1
            assert data["stateBody"] == expected[code]
        din = _service_rows(expected["DIN"]["services"])
        assert ("DIN-Z1" in {s["code"] for s in din}) == (reader is not ANONYMOUS)
        assert all(s["requiredDocuments"] for s in din if s["code"] != "DIN-Z2")


async def test_selections_without_documents_or_services_read_less(
    clean_platform: Platform,
) -> None:
    p = clean_platform
    await _registry(p)
    services = _services_selection("code")
    p.db.round_trips = 0
    data = await _execute(p, f'{{ stateBody(code: "DIN") {{ code {services} }} }}', ANONYMOUS)
    assert p.db.round_trips == 1 and _service_rows(data["stateBody"]["services"])
    p.db.round_trips = 0
    data = await _execute(p, '{ stateBody(code: "DIN") { code nameAz } }', ANONYMOUS)
    assert p.db.round_trips == 1 and data["stateBody"]["code"] == "DIN"
    # fragments are looked into: the documents still come with the one query
    fragment = _services_selection("...Docs")
    query = (
        f'{{ stateBody(code: "DIN") {{ ...Tree }} }} fragment Tree on StateBody {{ {fragment} }}'
        f" fragment Docs on Service {{ code requiredDocuments {{ code }} }}"
    )
    p.db.round_trips = 0
    data = await _execute(p, query, ANONYMOUS)
    assert p.db.round_trips == 1
    assert all(s["requiredDocuments"] for s in _service_rows(data["stateBody"]["services"]))
    # an unknown body: null, one query
    p.db.round_trips = 0
    data = await _execute(p, f'{{ stateBody(code: "NOPE") {{ {services} }} }}', ANONYMOUS)
    assert data["stateBody"] is None and p.db.round_trips == 1
