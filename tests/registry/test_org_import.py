"""Importing the regulations into a real Neo4j: shape, idempotency, history, seed loader."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from asan.core.platform import Platform
from asan.registry.org import import_repository
from asan.registry.org.parser import parse_regulations
from asan.registry.org.seed import import_regulations
from asan.registry.org.service import import_text
from asan.seeding import REFERENCE_LOADERS

SOURCE = Path(__file__).resolve().parents[2] / "data" / "asan-regulations.az.txt"
ORG_LABELS = ("OrgUnit", "Regulation", "Clause", "ClauseRevision", "Position")


def source() -> str:
    return SOURCE.read_text(encoding="utf-8")


async def snapshot(p: Platform) -> dict[str, Any]:
    """Counts of org nodes and relationships, and every clause's hash and current flag."""
    nodes = await p.db.read(
        "MATCH (n) WHERE any(l IN labels(n) WHERE l IN $labels) "
        "RETURN labels(n)[0] AS label, count(*) AS n",
        {"labels": list(ORG_LABELS)},
    )
    rels = await p.db.read(
        "MATCH (a)-[r]->(b) WHERE any(l IN labels(a) WHERE l IN $labels) "
        "RETURN type(r) AS type, count(*) AS n",
        {"labels": list(ORG_LABELS)},
    )
    clauses = await p.db.read(
        "MATCH (c:Clause) RETURN c.key AS key, c.textHash AS hash, c.current AS current"
    )
    return {
        "nodes": {r["label"]: r["n"] for r in nodes},
        "rels": {r["type"]: r["n"] for r in rels},
        "clauses": {r["key"]: (r["hash"], r["current"]) for r in clauses},
    }


async def test_import_builds_the_graph_model(clean_platform: Platform) -> None:
    p = clean_platform
    parsed = parse_regulations(source())
    report = await import_text(p, source())
    assert report.line() == "org structure: 11 regulations, 36 units, 835 clauses (updated)"
    state = await snapshot(p)
    assert state["nodes"] == {
        "OrgUnit": 36,
        "Regulation": 11,
        "Clause": parsed.clause_count,
        "Position": 47,
    }
    assert state["rels"] == {
        "PART_OF": 35,
        "REGULATES": 11,
        "OF": 835,
        "CONCERNS": 835,
        "IN_UNIT": 47,
        "LEADS": 10,
    }
    chain = await p.db.read(
        "MATCH path = (:OrgUnit {code: 'DEPT-IT-SEC-1'})-[:PART_OF*]->(top:OrgUnit) "
        "WHERE NOT (top)-[:PART_OF]->() RETURN [n IN nodes(path) | n.code] AS codes"
    )
    assert chain == [{"codes": ["DEPT-IT-SEC-1", "DEPT-IT", "APARAT", "AGENCY"]}]
    centre = await p.db.read("MATCH (:OrgUnit {code: 'CENTRE'})-[:PART_OF]->(a) RETURN a.code")
    assert centre == [{"a.code": "AGENCY"}]
    clause = await p.db.read(
        """
        MATCH (c:Clause {key: 'REG-DEPT-IT:5.1.6'})-[:OF]->(r:Regulation)-[:REGULATES]->(u),
              (c)-[:CONCERNS]->(s:OrgUnit)
        RETURN c.number AS number, c.section AS section, c.amended AS amended, r.code AS reg,
               r.decisionNumber AS decision, toString(r.decisionDate) AS date,
               u.code AS unit, s.code AS sector
        """
    )
    assert clause == [
        {
            "number": "5.1.6",
            "section": 5,
            "amended": False,
            "reg": "REG-DEPT-IT",
            "decision": "9.1.9/E-05",
            "date": "2014-12-29",
            "unit": "DEPT-IT",
            "sector": "DEPT-IT-SEC-1",
        }
    ]
    deputy = await p.db.read(
        """
        MATCH (d:Position {kind: 'deputy_head'})-[:IN_UNIT]->(:OrgUnit {code: 'DEPT-LEGAL'}),
              (d)-[:LEADS]->(s:OrgUnit {kind: 'sector'})
        RETURN d.code AS code, s.nameAz AS sector
        """
    )
    assert deputy == [{"code": "DEPT-LEGAL-DEPUTY", "sector": "Daxili hüquqi tənzimləmə sektoru"}]
    audit = await p.db.read(
        "MATCH (e:AuditEvent {action: 'org.import'}) RETURN e.actor AS actor, e.outcome AS outcome"
    )
    assert audit == [{"actor": "system", "outcome": "allowed"}]


async def test_azerbaijani_names_survive_the_round_trip(clean_platform: Platform) -> None:
    await import_text(clean_platform, source())
    rows = await clean_platform.db.read(
        "MATCH (u:OrgUnit {code: 'DEPT-IT'}) RETURN u.nameAz AS az, u.nameFold AS fold"
    )
    name = rows[0]["az"]
    assert name == "İnformasiya texnologiyaları şöbəsi"
    assert unicodedata.is_normalized("NFC", name)
    assert rows[0]["fold"] == "informasiya texnologiyaları şöbəsi"
    call = await clean_platform.db.read(
        "MATCH (u:OrgUnit {code: 'DEPT-INFO-SEC-1'}) RETURN u.nameAz AS az"
    )
    assert call == [{"az": "“Çağrı” mərkəzi sektoru"}]


async def test_second_import_changes_nothing(clean_platform: Platform) -> None:
    first = await import_text(clean_platform, source())
    before = await snapshot(clean_platform)
    second = await import_text(clean_platform, source())
    assert first.status == "updated"
    assert second.status == "unchanged" and not any(second.changed.values())
    assert second.line().endswith("(unchanged)")
    assert await snapshot(clean_platform) == before
    runs = await clean_platform.db.read(
        "MATCH (e:AuditEvent {action: 'org.import'}) RETURN e.details AS details ORDER BY e.seq"
    )
    assert ['"status": "unchanged"' in r["details"] for r in runs] == [False, True]


async def test_changed_text_updates_clauses_and_keeps_history(clean_platform: Platform) -> None:
    p = clean_platform
    original = source()
    old_text = "Agentliyin qeyri normativ hüquqi aktlarının layihələrinə viza vermək;"
    new_text = (
        "Agentliyin qeyri normativ hüquqi aktlarının layihələrinə viza vermək və uçotunu aparmaq;"
    )
    assert original.count(old_text) == 1
    removed = (
        "3.1.7. Agentliyin sədri tərəfindən şöbəyə tapşırılmış digər vəzifələri yerinə yetirmək.\n"
    )
    assert original.count(removed) == 1  # only the Legal Support regulation words it so
    modified = original.replace(old_text, new_text).replace(removed, "")

    await import_text(p, original)
    before = await snapshot(p)
    report = await import_text(p, modified)
    assert report.status == "updated"
    assert report.changed["clauses"] == 1 and report.changed["retired"] == 1
    after = await snapshot(p)
    assert after["nodes"]["Clause"] == before["nodes"]["Clause"]  # kept, not current
    assert after["nodes"]["ClauseRevision"] == 1
    assert after["rels"]["PREVIOUS"] == 1
    changed = {k for k in after["clauses"] if after["clauses"][k] != before["clauses"][k]}
    assert changed == {"REG-DEPT-LEGAL:3.1.3", "REG-DEPT-LEGAL:3.1.7"}
    assert after["clauses"]["REG-DEPT-LEGAL:3.1.7"][1] is False
    history = await p.db.read(
        """
        MATCH (c:Clause {key: 'REG-DEPT-LEGAL:3.1.3'})-[:PREVIOUS]->(r:ClauseRevision)
        RETURN c.text AS current, r.text AS previous, r.textHash AS hash,
               r.validUntil IS NOT NULL AS dated
        """
    )
    assert history == [
        {
            "current": new_text,
            "previous": old_text,
            "hash": before["clauses"]["REG-DEPT-LEGAL:3.1.3"][0],
            "dated": True,
        }
    ]

    # back to the original: the clause returns, and the history becomes a chain of two
    await import_text(p, original)
    final = await snapshot(p)
    assert final["clauses"] == before["clauses"]
    chain = await p.db.read(
        """
        MATCH (:Clause {key: 'REG-DEPT-LEGAL:3.1.3'})-[:PREVIOUS]->(a)-[:PREVIOUS]->(b)
        RETURN a.text AS newer, b.text AS older
        """
    )
    assert chain == [{"newer": new_text, "older": old_text}]
    assert final["nodes"]["ClauseRevision"] == 2


async def test_malformed_text_changes_nothing(clean_platform: Platform) -> None:
    await import_text(clean_platform, source())
    before = await snapshot(clean_platform)
    broken = source().replace("4 oktyabr 2013", "4 oktober 2013", 1)
    try:
        await import_text(clean_platform, broken)
    except ValueError as exc:
        assert "oktober" in str(exc)
    else:
        raise AssertionError("a malformed text must be refused")
    assert await snapshot(clean_platform) == before


async def test_seed_loader_is_registered_and_idempotent(clean_platform: Platform) -> None:
    assert import_regulations in REFERENCE_LOADERS
    line = await import_regulations(clean_platform)
    pattern = r"org structure: 11 regulations, (\d+) units, (\d+) clauses \((updated|unchanged)\)"
    first = re.fullmatch(pattern, line)
    assert first is not None and first.groups() == ("36", "835", "updated")
    assert await import_regulations(clean_platform) == line.replace("updated", "unchanged")


async def test_import_is_one_transaction(
    clean_platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure after units, regulations and clauses were written leaves no trace of them."""

    async def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("positions write failed")

    monkeypatch.setattr(import_repository, "write_positions", fail)
    with pytest.raises(RuntimeError, match="positions write failed"):
        await import_text(clean_platform, source())
    assert (await snapshot(clean_platform))["nodes"] == {}
    assert await clean_platform.db.read("MATCH (e:AuditEvent) RETURN count(e) AS n") == [{"n": 0}]
