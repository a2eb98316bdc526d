"""The sample registry: loads through the real paths, is idempotent, marked, and consistent."""

from __future__ import annotations

from asan.core.platform import Platform
from asan.registry.catalog.quality import body_quality
from asan.registry.catalog.sample import load_sample_registry, read_sample
from asan.seeding import SAMPLE_LOADERS

COUNTS = """
MATCH (n)
WHERE n:StateBody OR n:InformationSystem OR n:Service OR n:AsanCentre OR n:MobileBus
   OR n:BusStop OR n:Category OR n:Evidence OR n:Output OR n:LegalAct OR n:ServiceVersion
RETURN labels(n)[0] AS label, count(*) AS n
"""
RELATIONSHIPS = "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n"


async def counts(p: Platform) -> dict[str, int]:
    nodes = {row["label"]: row["n"] for row in await p.db.read(COUNTS)}
    rels = {row["type"]: row["n"] for row in await p.db.read(RELATIONSHIPS)}
    return {**nodes, **rels}


def test_sample_file_is_marked_and_sized_like_a_registry() -> None:
    data = read_sample()
    assert data["sample"] is True and "SAMPLE" in data["notice"]
    assert len(data["stateBodies"]) >= 12
    services = [s for records in data["services"].values() for s in records]
    assert 90 <= len(services) <= 120
    names = {b["nameAz"] for b in data["stateBodies"]}
    assert {"Ədliyyə Nazirliyi", "Dövlət Miqrasiya Xidməti", "Dövlət Vergi Xidməti"} <= names
    assert load_sample_registry in SAMPLE_LOADERS


async def test_loads_marked_consistent_and_idempotent(clean_platform: Platform) -> None:
    p = clean_platform
    line = await load_sample_registry(p)
    assert "102 services (102 created, 0 updated, 0 unchanged)" in line
    first = await counts(p)
    assert first["Service"] == 102 and first["StateBody"] == 13
    assert first["AsanCentre"] >= 10 and first["MobileBus"] >= 3 and first["STOPS_AT"] >= 10
    assert first["CONSUMES_DATA_FROM"] >= 30 and first["ServiceVersion"] == 102
    # every node the sample created is marked as sample data
    unmarked = await p.db.read(
        """
        MATCH (n)
        WHERE (n:StateBody OR n:InformationSystem OR n:Service OR n:AsanCentre OR n:MobileBus
               OR n:BusStop OR n:Category OR n:Evidence OR n:Output OR n:LegalAct)
          AND n.sample IS NULL
        RETURN count(n) AS n
        """
    )
    assert unmarked == [{"n": 0}]
    # every service is provided by an existing body and every reference resolves
    dangling = await p.db.read(
        """
        MATCH (s:Service)
        WHERE NOT EXISTS { (s)-[:PROVIDED_BY]->(:StateBody) }
           OR s.status <> 'published'
        RETURN count(s) AS n
        """
    )
    assert dangling == [{"n": 0}]
    data = read_sample()
    expected_docs = sum(
        len(s.get("requirements", [])) for r in data["services"].values() for s in r
    )
    assert first["REQUIRES"] == expected_docs

    line = await load_sample_registry(p)
    assert "(0 created, 0 updated, 102 unchanged)" in line
    assert await counts(p) == first


async def test_sample_quality_index_spreads_across_bodies(clean_platform: Platform) -> None:
    await load_sample_registry(clean_platform)
    bodies = await body_quality(clean_platform.db)
    scores = [b.score for b in bodies.values() if b.score is not None]
    assert len(scores) == 13
    assert min(scores) < 70 < max(scores)  # the sample has both complete and weak entries
