"""CPSV-AP 3.2 export of the sample registry, validated with pyshacl against the SEMIC shapes.

The shapes come from tests/data/cpsv-ap-3.2.0/ (a copy of the SEMIC release with its licence
notice), so validation needs neither ../shared nor the network: the export embeds its context.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pyshacl import validate
from rdflib import RDF, Graph, Literal, Namespace, URIRef

from asan.auth.keys import KeyStore
from asan.auth.service import AuthService
from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.registry.catalog.sample import load_sample_registry
from asan.registry.interchange.cpsv import export_document
from tests.auth.support import asgi_client
from tests.conftest import reset_graph

SHAPES = Path(__file__).resolve().parents[1] / "data" / "cpsv-ap-3.2.0" / "cpsv-ap-SHACL.ttl"
BASE = "https://example.test/registry/id"
CPSV = Namespace("http://purl.org/vocab/cpsv#")
CV = Namespace("http://data.europa.eu/m8g/")
DCT = Namespace("http://purl.org/dc/terms/")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES, format="turtle")


def as_graph(document: dict[str, Any]) -> Graph:
    return Graph().parse(data=json.dumps(document), format="json-ld")


def conforms(data: Graph, shapes: Graph) -> tuple[bool, str]:
    ok, _, text = validate(data, shacl_graph=shapes, inference="none", advanced=True)
    return bool(ok), str(text)


@pytest.fixture(scope="module")
async def exported(migrated_platform: Platform) -> dict[str, Any]:
    """The sample registry, loaded once for this module (about 20 s), and its export."""
    await reset_graph(migrated_platform)
    await load_sample_registry(migrated_platform)
    return await export_document(migrated_platform.db, BASE)


async def test_sample_registry_export_conforms_to_cpsv_ap(
    exported: dict[str, Any], shapes: Graph, migrated_platform: Platform
) -> None:
    graph = as_graph(exported)
    ok, report = conforms(graph, shapes)
    assert ok, report
    published = await migrated_platform.db.read(
        "MATCH (s:Service {status: 'published'}) RETURN collect(s.code) AS codes"
    )
    codes = set(published[0]["codes"])
    exported_codes = {
        str(graph.value(s, DCT.identifier)) for s in graph.subjects(RDF.type, CPSV.PublicService)
    }
    assert exported_codes == codes and len(codes) > 90
    # the first sample service, as the registry holds it
    birth = URIRef(f"{BASE}/service/EDL-001")
    assert graph.value(birth, CV.hasCompetentAuthority) == URIRef(f"{BASE}/organisation/EDLIYYE")
    cost = graph.value(birth, CV.hasCost)
    assert cost is not None
    assert graph.value(cost, CV.currency) == URIRef(
        "http://publications.europa.eu/resource/authority/currency/AZN"
    )
    assert float(graph.value(cost, CV.hasValue)) == 0.0  # type: ignore[arg-type]
    titles = {(t.language, str(t)) for t in graph.objects(birth, DCT.title)}
    assert ("az", "Doğumun dövlət qeydiyyatı") in titles
    assert ("en", "State registration of birth") in titles
    life_events = set(graph.subjects(RDF.type, CV.LifeEvent))
    assert URIRef(f"{BASE}/life-event/LE-BIRTH") in life_events
    assert (URIRef(f"{BASE}/life-event/LE-BIRTH"), CV.hasRelatedService, birth) in graph
    assert len(list(graph.objects(birth, CV.holdsRequirement))) == 3
    assert len(list(graph.objects(birth, CV.hasChannel))) >= 15 + 4  # centres, buses, ...
    assert Literal("P1D", datatype=URIRef("http://www.w3.org/2001/XMLSchema#duration")) == (
        graph.value(birth, CV.processingTime)
    )


async def test_a_broken_export_fails_validation(exported: dict[str, Any], shapes: Graph) -> None:
    graph = as_graph(exported)
    birth = URIRef(f"{BASE}/service/EDL-001")
    graph.remove((birth, CV.hasCompetentAuthority, None))  # minCount 1
    ok, report = conforms(graph, shapes)
    assert not ok
    assert "hasCompetentAuthority" in report and "EDL-001" in report


async def test_only_published_services_are_exported(
    exported: dict[str, Any], migrated_platform: Platform
) -> None:
    db = migrated_platform.db
    assert f"{BASE}/service/EDL-001" in {node["@id"] for node in exported["@graph"]}
    await db.write("MATCH (s:Service {code: 'EDL-001'}) SET s.status = 'suspended'")
    try:
        document = await export_document(db, BASE)
    finally:
        await db.write("MATCH (s:Service {code: 'EDL-001'}) SET s.status = 'published'")
    ids = {node["@id"] for node in document["@graph"]}
    assert f"{BASE}/service/EDL-001" not in ids
    assert f"{BASE}/service/EDL-002" in ids


async def test_paged_reads_give_the_same_document(
    exported: dict[str, Any], migrated_platform: Platform
) -> None:
    small_pages = await export_document(migrated_platform.db, BASE, page=7)
    assert small_pages == exported
    ids = [node["@id"] for node in exported["@graph"]]
    assert len(ids) == len(set(ids))  # each node once, whatever the page size


async def test_the_http_route_serves_the_export_to_anyone(
    exported: dict[str, Any], migrated_platform: Platform, settings: Settings, tmp_path: Path
) -> None:
    own = settings.model_copy(update={"data_dir": tmp_path, "public_base_uri": BASE})
    auth = AuthService(own, KeyStore.open(tmp_path, own.auth_algorithm))
    async with asgi_client(own, migrated_platform, auth) as client:
        response = await client.get("/export/cpsv-ap.jsonld")  # no token
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    assert response.json() == exported


async def test_sample_contact_points_are_exported(exported: dict[str, Any]) -> None:
    graph = as_graph(exported)
    agency = URIRef(f"{BASE}/organisation/ASAN")
    point = graph.value(agency, CV.contactPoint)
    assert point is not None and (point, RDF.type, CV.ContactPoint) in graph
    assert str(graph.value(point, CV.telephone)) == "108"
    assert graph.value(point, CV.contactPage) == URIRef("https://asan.gov.az")
    with_contacts = {
        str(graph.value(o, DCT.identifier))
        for o in graph.subjects(RDF.type, CV.PublicOrganisation)
        if graph.value(o, CV.contactPoint) is not None
    }
    assert {"ASAN", "EDLIYYE", "DVX"} <= with_contacts
