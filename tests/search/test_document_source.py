"""Documents in the search index, trimmed exactly as the documents list trims them.

Real Neo4j, MinIO and the processing pool; the index is a Whoosh directory of the test's own.
The key test: for every principal of the EDMS world and more (each role, clearance level,
involvement, unit, led unit, the deputy acting for the head by delegation, administrators,
the system, a service account, an odd subject) against documents of every classification,
unit and involvement, a search by access tokens finds exactly the documents a Cypher count
with ``visible_where`` finds, with the same total and the same unit/year/status facets.
"""

from __future__ import annotations

import ast
import importlib
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from asan.auth.principal import ANONYMOUS, SYSTEM, Principal
from asan.core.changelog import ChangeEvent, head_seq
from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.edms.documents.access import visible_where
from asan.edms.documents.searching import LOG_KINDS, MAX_TEXT_CHARS, SOURCES, to_search_doc
from asan.edms.files.jobs import process_all_pending
from asan.edms.files.processing import ExtractionPool
from asan.search.engine import SearchQuery
from asan.search.sources import access_of
from asan.search.whoosh_engine import WhooshEngine
from tests.edms.conftest import World, make_world
from tests.edms.files_support import upload
from tests.edms.processing_support import text_pdf
from tests.edms.support import REGISTER, letter
from tests.search.edms_source_support import all_hits, follow, index_all

SOURCE = SOURCES[0]
MARK = "Zəncirvari"  # in the subject of every document of the matrix
CLASSES = (None, "public", "service_secret", "state_secret", "top_secret")
UNITS = (None, "DEPT-IT", "DEPT-IT-SEC-1", "DEPT-IT-SEC-2", "DEPT-HR")
ODD = "odd subject, with@signs:and spaces"


@pytest.fixture(scope="module")
async def world(
    migrated_platform: Platform, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[World]:
    built = await make_world(migrated_platform, settings, tmp_path_factory.mktemp("search-keys"))
    yield built
    await built.client.aclose()


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[WhooshEngine]:
    found = WhooshEngine(tmp_path / "index", create=True)
    yield found
    found.close()


def access(principal: Principal) -> frozenset[str]:
    return access_of(principal, SOURCES)


async def register(w: World, subject: str, **card: Any) -> str:
    data = await w.gql("registrar", REGISTER, {"input": {"card": letter(subject, **card)}})
    assert data["registerDocument"]["userErrors"] == [], data
    document_id: str = data["registerDocument"]["document"]["documentId"]
    return document_id


async def matrix(w: World) -> None:
    """Registered documents (through GraphQL) and stored ones of every combination."""
    await register(w, f"{MARK} açıq məktub")
    await register(w, f"{MARK} xidməti məktub", classification="SERVICE_SECRET")
    await register(w, f"{MARK} sektor məktubu", unit="DEPT-IT-SEC-1")
    await register(w, f"{MARK} kadr sirri", unit="DEPT-HR", classification="SERVICE_SECRET")
    people: tuple[list[str], ...] = (
        [],
        [w.users["executor1"]],
        [w.users["outsider"], w.users["sector2"]],
        [ODD],
    )
    rows = []
    n = 0
    for classification in CLASSES:
        for unit in UNITS:
            for involved in people:
                n += 1
                rows.append(
                    {
                        "id": f"M-{n:03d}",
                        "kind": "internal",
                        "status": ("draft", "registered", "executed")[n % 3],
                        "subject": f"{MARK} sənəd {n}",
                        "unit": unit,
                        "classification": classification,
                        "involved": involved or None,
                        "regYear": (2024, 2025, None)[n % 3],
                        "created": datetime(2023 + n % 2, 5, 1, tzinfo=UTC),
                    }
                )
    await w.platform.db.write(
        "UNWIND $rows AS row CREATE (d:Document) SET d = row, d.createdAt = row.created "
        "REMOVE d.created",
        {"rows": rows},
    )


def principals(w: World) -> dict[str, Principal]:
    found = {who: w.principal(who) for who in w.users}
    admin = w.principal("admin")
    registrar = w.principal("registrar")
    found.update(
        {
            "anonymous": ANONYMOUS,
            "system": SYSTEM,
            "admin-cleared": replace(admin, clearance="state_secret"),
            "admin-odd-clearance": replace(admin, clearance="top_secret"),
            "service": Principal("client-1", "service", roles=frozenset({"registrar"})),
            "hr-secret-head": replace(w.principal("hrhead"), clearance="state_secret", subject=ODD),
            "registrar-state": replace(registrar, clearance="state_secret"),
            "led-only": Principal(
                "x", "user", led_units=frozenset({"DEPT-IT-SEC-2"}), clearance="service_secret"
            ),
        }
    )
    return found


async def by_cypher(w: World, principal: Principal, mark: bool) -> list[dict[str, Any]]:
    predicate, params = visible_where("d", principal)
    params["mark"] = MARK if mark else None
    rows: list[dict[str, Any]] = await w.platform.db.read(
        "MATCH (d:Document) WHERE ($mark IS NULL OR d.subject CONTAINS $mark) AND "
        + predicate
        + " RETURN d.id AS id, d.unit AS unit, d.status AS status, "
        "coalesce(d.regYear, d.createdAt.year) AS year",
        params,
    )
    return rows


def facets_of(rows: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    def count(name: str) -> dict[str, int]:
        return dict(Counter(str(r[name]) for r in rows if r[name] is not None))

    return {
        "kind": {"document": len(rows)} if rows else {},
        "unit": count("unit"),
        "year": count("year"),
        "status": count("status"),
    }


async def test_tokens_find_exactly_what_visible_where_finds(
    world: World, engine: WhooshEngine
) -> None:
    w = world
    await matrix(w)
    indexed = await index_all(w.platform, engine, SOURCE)
    assert indexed >= len(CLASSES) * len(UNITS) * 4 + 4
    checked_some_hidden = checked_some_visible = False
    for who, principal in principals(w).items():
        for text, mark in (("", False), ("zencirvari", True)):
            rows = await by_cypher(w, principal, mark)
            results, ids = all_hits(
                engine,
                SearchQuery(
                    text=text, access=access(principal), kinds=frozenset({"document"}), limit=100
                ),
            )
            assert ids == {r["id"] for r in rows}, (who, text)
            assert results.total == len(rows), (who, text)
            want = facets_of(rows)
            got = {name: dict(results.facets.get(name, {})) for name in want}
            assert got == want, (who, text)
            checked_some_visible |= bool(rows)
            checked_some_hidden |= len(rows) < indexed
    assert checked_some_hidden and checked_some_visible


async def test_a_clerk_finds_a_file_phrase_typed_without_azerbaijani_letters(
    world: World, engine: WhooshEngine, tmp_path: Path
) -> None:
    w = world
    start = await head_seq(w.platform.db)
    text = (
        "Səyyar xidmət avtobusları Şəki və Qəbələ rayonlarına göndəriləcək. "
        "Vətəndaşların müraciətləri qəbul ediləcək."
    )
    public = await register(w, "Səyyar xidmət qrafiki", unit="DEPT-IT-SEC-1")
    secret = await register(
        w, "Səyyar xidmət qrafiki (xidməti)", unit="DEPT-IT-SEC-2", classification="SERVICE_SECRET"
    )
    for document_id in (public, secret):
        response = await upload(
            w.client, w.tokens["registrar"], {"documentId": document_id}, text_pdf([text])
        )
        assert response.json()["data"]["uploadDocumentFile"]["userErrors"] == []
    async with ExtractionPool() as pool:
        report = await process_all_pending(w.platform, pool)
    assert len(report.done) >= 2
    await follow(w.platform, engine, SOURCES, start)

    def search(who: str | Principal) -> Any:
        principal = w.principal(who) if isinstance(who, str) else who
        return engine.query(
            SearchQuery(text='"seyyar xidmet avtobuslari" seki', access=access(principal))
        )

    found = search("executor1")  # staff of DEPT-IT-SEC-1, not involved
    assert [h.id for h in found.hits] == [public]
    assert found.total == 1
    hit = found.hits[0]
    number = (
        await w.platform.db.read(
            "MATCH (d:Document {id: $id}) RETURN d.regNumber AS n, d.regYear AS y", {"id": public}
        )
    )[0]
    assert hit.title == f"{number['n']} Səyyar xidmət qrafiki"
    assert (hit.unit, hit.year, hit.status) == ("DEPT-IT-SEC-1", number["y"], "registered")
    assert any("<mark>" in h and "Şəki" in h for h in hit.highlights), hit.highlights
    assert dict(found.facets["unit"]) == {"DEPT-IT-SEC-1": 1}
    for other in ("outsider", "executor2"):  # another unit: nothing, not even in the counts
        nothing = search(other)
        assert (nothing.total, nothing.hits) == (0, ())
        assert all(not counts for counts in nothing.facets.values()), other
    # the service secret of DEPT-IT-SEC-2: not for its head with public clearance, but for
    # the department's head cleared for it
    assert {h.id for h in search("sector2").hits} == set()
    assert {h.id for h in search("head").hits} == {public, secret}
    cleared = replace(w.principal("sector2"), clearance="service_secret")
    assert {h.id for h in search(cleared).hits} == {secret}
    # an index rebuilt from every document finds what the one fed by the change log finds
    # (sets: equal scores may come in another order before compaction; the exact ranking
    # comparison is tests/search/test_search_consistency.py)
    rebuilt = WhooshEngine(tmp_path / "rebuilt", create=True)
    try:
        await index_all(w.platform, rebuilt, SOURCE)
        for who in ("executor1", "executor2", "sector2", "head", "registrar", "admin"):
            q = SearchQuery(
                text='"seyyar xidmet avtobuslari" seki', access=access(w.principal(who))
            )
            a, b = engine.query(q), rebuilt.query(q)
            assert (a.total, sorted((h.id, h.title) for h in a.hits), a.facets) == (
                b.total,
                sorted((h.id, h.title) for h in b.hits),
                b.facets,
            ), who
    finally:
        rebuilt.close()


async def test_child_events_map_to_their_documents(world: World) -> None:
    """One event of each kind that hangs off a document (stored nodes, one query)."""
    w = world
    await w.platform.db.write(
        """
        CREATE (:Document {id: 'A-1', correspondentBody: 'MIN-JUSTICE', journalCode: 'ZZZ'})
        CREATE (:Document {id: 'A-2'})
        CREATE (:DocumentFile {id: 'F-1', documentId: 'A-2'})
        CREATE (:Resolution {id: 'R-1', documentId: 'A-3'})
        CREATE (:ExecutionTask {id: 'T-1', documentId: 'A-4'})
        CREATE (:DeadlineExtension {id: 'X-1', taskId: 'T-1'})
        CREATE (:Visa {id: 'V-1', documentId: 'A-5'})
        CREATE (:Signature {id: 'S-1', documentId: 'A-6'})
        CREATE (:CertifiedCopy {code: 'C-1', documentId: 'A-7'})
        CREATE (:DispatchEntry {id: 'E-1', documentId: 'A-8'})
        """
    )

    def event(kind: str, entity: str, *fields: str) -> ChangeEvent:
        return ChangeEvent(0, datetime.now(UTC), kind, entity, "updated", fields, "t", "t", None)

    cases = {
        ("Document", "A-9"): {"A-9"},
        ("DocumentFile", "F-1"): {"A-2"},
        ("Resolution", "R-1"): {"A-3"},
        ("ExecutionTask", "T-1"): {"A-4"},
        ("DeadlineExtension", "X-1"): {"A-4"},
        ("Visa", "V-1"): {"A-5"},
        ("Signature", "S-1"): {"A-6"},
        ("CertifiedCopy", "C-1"): {"A-7"},
        ("DocumentDelivery", "E-1"): {"A-8"},
        ("Journal", "ZZZ"): {"A-1"},
        ("DocumentFile", "missing"): set(),
    }
    for (kind, entity), want in cases.items():
        assert await SOURCE.affected(w.platform, [event(kind, entity)]) == want, kind
    body = await SOURCE.affected(w.platform, [event("StateBody", "MIN-JUSTICE", "nameAz")])
    assert "A-1" in body
    assert await SOURCE.affected(w.platform, [event("StateBody", "MIN-JUSTICE", "site")]) == set()
    every = [event(kind, entity) for kind, entity in cases]
    assert await SOURCE.affected(w.platform, every) == set().union(*cases.values())


def _changed_kinds() -> set[str]:
    """The entity kind of every ``m.changed(...)`` call in asan/edms (literal or constant)."""
    root = Path(__file__).resolve().parents[2] / "asan" / "edms"
    kinds: set[str] = set()
    for path in root.rglob("*.py"):
        module = importlib.import_module(
            ".".join(path.relative_to(root.parents[1]).with_suffix("").parts)
        )
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "changed"
                and node.args
            ):
                continue
            kinds.add(str(_value(node.args[0], module)))
    return kinds


def _value(arg: ast.expr, module: object) -> object:
    """A literal, a module constant (``KIND``) or an imported one (``md.DELIVERY_KIND``)."""
    if isinstance(arg, ast.Constant):
        return arg.value
    if isinstance(arg, ast.Name):
        return getattr(module, arg.id)
    if isinstance(arg, ast.Attribute):
        return getattr(_value(arg.value, module), arg.attr)
    raise AssertionError(f"m.changed with a computed kind: {ast.unparse(arg)}")


def test_every_edms_change_kind_is_followed_or_named_unrelated() -> None:
    unrelated = {"ReceptionSlot", "ReceptionVisit"}  # the reception schedule, no document
    kinds = _changed_kinds()
    assert "Document" in kinds and "DocumentFile" in kinds
    assert kinds - unrelated <= LOG_KINDS, kinds - unrelated - LOG_KINDS


def test_an_unregistered_document_and_a_long_text() -> None:
    """The subject alone before registration, the creation year, both date forms, the cut."""
    row: dict[str, Any] = {
        "id": "D-1",
        "kind": "internal",
        "status": "draft",
        "regNumber": None,
        "subject": "Layihə",
        "summary": None,
        "unit": "DEPT-IT",
        "classification": None,
        "involved": None,
        "caseIndex": None,
        "journalCode": None,
        "journalAz": None,
        "journalEn": None,
        "bodyCode": None,
        "bodyAz": None,
        "bodyEn": None,
        "correspondentName": None,
        "correspondentNumber": None,
        "correspondentDate": "2026-01-12",
        "regDate": None,
        "regYear": None,
        "createdAt": datetime(2025, 3, 1, tzinfo=UTC),
        "texts": ["ə" * (MAX_TEXT_CHARS + 10), "second file"],
    }
    doc = to_search_doc(row)
    assert (doc.title, doc.year, doc.status, doc.unit) == ("Layihə", 2025, "draft", "DEPT-IT")
    assert doc.body.startswith("internal\n2026-01-12\n12.01.2026\n")
    assert doc.body.endswith("ə" * 10) and "second file" not in doc.body
    assert doc.acl == {"doc:admin@public", "doc:broad", "doc:unit:DEPT-IT"}
