"""Contact points of state bodies and services and legal-act references (issue 9 point 6):
saved through the audited use cases and GraphQL, refused when hostile (naming the field),
reported to the change log, and exported as CPSV-AP that still conforms to the SHACL shapes."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pyshacl import validate
from rdflib import RDF, Graph, Literal, Namespace, URIRef

from asan.core import changelog
from asan.core.errors import ValidationFailed
from asan.core.platform import Platform
from asan.graphql.context import Context
from asan.graphql.schema import schema
from asan.registry.catalog import flows, queries, reference
from asan.registry.catalog import service as catalog
from asan.registry.catalog.models import ContactPoint, ServicePatch, StateBodyInput
from asan.registry.catalog.services import reads as service_reads
from asan.registry.interchange.cpsv import export_document
from tests.registry.catalog_support import ADMIN, build_registry, passport_service

SHAPES = Path(__file__).resolve().parents[1] / "data" / "cpsv-ap-3.2.0" / "cpsv-ap-SHACL.ttl"
BASE = "https://example.test/registry/id"
CV = Namespace("http://data.europa.eu/m8g/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")

DIN_CONTACT = ContactPoint(
    "info@din.example.az", "+994 12 590 00 00", "B.e.-C. 09:00-18:00", "https://din.example.az"
)
SERVICE_CONTACT = ContactPoint(email="sv@din.example.az", telephone="108")
ACT_URI = "https://e-qanun.example.az/framework/1234"


async def events_after(p: Platform, seq: int) -> list[tuple[str, str, str, tuple[str, ...]]]:
    return [
        (e.entity_kind, e.entity_id, e.operation, tuple(e.fields))
        for e in await changelog.read_after(p.db, seq, 50)
    ]


async def run(p: Platform, query: str, **variables: Any) -> dict[str, Any]:
    result = await schema.execute(
        query, variable_values=variables, context_value=Context(platform=p, principal=ADMIN)
    )
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


# ------------------------------------------------------------------------------- state bodies


async def test_a_body_contact_point_is_saved_reported_and_removed(
    clean_platform: Platform,
) -> None:
    p = clean_platform
    body = StateBodyInput("DIN", "Daxili İşlər Nazirliyi", contact_point=DIN_CONTACT)
    await catalog.create_state_body(p, ADMIN, body)
    stored = (await queries.state_bodies_by_codes(p, ["DIN"]))["DIN"]
    assert stored.contact_point == DIN_CONTACT
    before = await p.db.read("MATCH (b:StateBody {code: 'DIN'}) RETURN b.updatedAt AS at")
    head = await changelog.head_seq(p.db)
    await catalog.update_state_body(p, ADMIN, body)  # identical: nothing to report
    assert await events_after(p, head) == []
    moved = replace(body, contact_point=replace(DIN_CONTACT, telephone="+994 12 590 11 11"))
    await catalog.update_state_body(p, ADMIN, moved)
    assert await events_after(p, head) == [("StateBody", "DIN", "updated", ("contactPoint",))]
    after = await p.db.read("MATCH (b:StateBody {code: 'DIN'}) RETURN b.updatedAt AS at")
    assert after[0]["at"] > before[0]["at"]  # changed-since filters see a contact-only change
    await catalog.update_state_body(p, ADMIN, replace(body, contact_point=None))
    assert (await queries.state_bodies_by_codes(p, ["DIN"]))["DIN"].contact_point is None
    left = await p.db.read("MATCH (b:StateBody {code: 'DIN'}) RETURN b.contactEmail AS e")
    assert left == [{"e": None}]


@pytest.mark.parametrize(
    ("contact", "field"),
    [
        (ContactPoint(email="info\u202e@din.az"), "contactPoint.email"),
        (ContactPoint(email="no-at-sign.az"), "contactPoint.email"),
        (ContactPoint(telephone="12; MATCH (n) DETACH DELETE n"), "contactPoint.telephone"),
        (ContactPoint(opening_hours="09:00\x00-18:00"), "contactPoint.openingHours"),
        (ContactPoint(opening_hours="x" * 100_000), "contactPoint.openingHours"),
        (ContactPoint(url="javascript:alert(1)"), "contactPoint.url"),
        (ContactPoint(url="http://din.az"), "contactPoint.url"),
    ],
)
async def test_hostile_body_contacts_are_refused_naming_the_field(
    clean_platform: Platform, contact: ContactPoint, field: str
) -> None:
    p = clean_platform
    head = await changelog.head_seq(p.db)
    with pytest.raises(ValidationFailed) as caught:
        await catalog.create_state_body(
            p, ADMIN, StateBodyInput("DIN", "Daxili İşlər Nazirliyi", contact_point=contact)
        )
    assert [e.field for e in caught.value.errors] == [field]
    assert await queries.state_bodies_by_codes(p, ["DIN"]) == {}
    assert await events_after(p, head) == []


BODY_MUTATION = """
mutation($input: StateBodyInput!) {
  createStateBody(input: $input) {
    stateBody { code contactPoint { email telephone openingHours url } }
    userErrors { field code }
  }
}"""


async def test_body_contact_point_through_graphql(clean_platform: Platform) -> None:
    p = clean_platform
    bad = await run(
        p,
        BODY_MUTATION,
        input={"code": "DIN", "nameAz": "DİN", "contactPoint": {"email": "a@b\u200b.az"}},
    )
    assert bad["createStateBody"]["userErrors"] == [
        {"field": "contactPoint.email", "code": "BAD_USER_INPUT"}
    ]
    contact = {"email": "info@din.example.az", "telephone": "", "openingHours": "", "url": ""}
    data = await run(
        p, BODY_MUTATION, input={"code": "DIN", "nameAz": "DİN", "contactPoint": contact}
    )
    assert data["createStateBody"] == {
        "stateBody": {"code": "DIN", "contactPoint": contact},
        "userErrors": [],
    }
    read = await run(p, '{ stateBody(code: "DIN") { contactPoint { email } } }')
    assert read["stateBody"]["contactPoint"] == {"email": "info@din.example.az"}


# ----------------------------------------------------------------------------------- services


async def test_a_service_contact_point_is_content_versioned_and_reported(
    clean_platform: Platform,
) -> None:
    p = clean_platform
    await build_registry(p)
    await catalog.create_service(p, ADMIN, passport_service(contact_point=SERVICE_CONTACT))
    stored = (await service_reads.stored_services(p.db, ["DIN-001"]))["DIN-001"]
    assert stored.content.contact_point == SERVICE_CONTACT
    head = await changelog.head_seq(p.db)
    changed = replace(SERVICE_CONTACT, url="https://din.example.az/sv")
    await catalog.update_service(p, ADMIN, ServicePatch("DIN-001", contact_point=changed))
    await catalog.update_service(p, ADMIN, ServicePatch("DIN-001", name_en="Identity cards"))
    assert await events_after(p, head) == [
        ("Service", "DIN-001", "updated", ("contactPoint",)),
        ("Service", "DIN-001", "updated", ("nameEn",)),
    ]
    stored = (await service_reads.stored_services(p.db, ["DIN-001"]))["DIN-001"]
    assert stored.content.contact_point == changed  # a patch without it keeps it
    versions = (await queries.versions_by_service(p, ["DIN-001"]))["DIN-001"]
    latest_contact = next(v for v in versions if "contactPoint" in v.changes)
    assert latest_contact.changes["contactPoint"]["to"]["url"] == "https://din.example.az/sv"
    # an empty contact point removes it
    await catalog.update_service(p, ADMIN, ServicePatch("DIN-001", contact_point=ContactPoint()))
    stored = (await service_reads.stored_services(p.db, ["DIN-001"]))["DIN-001"]
    assert stored.content.contact_point is None
    with pytest.raises(ValidationFailed) as caught:
        await catalog.update_service(
            p, ADMIN, ServicePatch("DIN-001", contact_point=ContactPoint(telephone="1\u202e08"))
        )
    assert [e.field for e in caught.value.errors] == ["contactPoint.telephone"]


SERVICE_QUERY = '{ service(code: "DIN-001") { contactPoint { email telephone } } }'


async def test_service_contact_point_through_graphql(clean_platform: Platform) -> None:
    p = clean_platform
    await build_registry(p)
    await catalog.create_service(p, ADMIN, passport_service())
    assert (await run(p, SERVICE_QUERY))["service"]["contactPoint"] is None
    data = await run(
        p,
        """mutation($input: UpdateServiceInput!) {
             updateService(input: $input) { userErrors { field code } } }""",
        input={"code": "DIN-001", "contactPoint": {"email": "sv@din.example.az"}},
    )
    assert data["updateService"]["userErrors"] == []
    read = await run(p, SERVICE_QUERY)
    assert read["service"]["contactPoint"] == {"email": "sv@din.example.az", "telephone": ""}


# --------------------------------------------------------------------------------- legal acts


async def test_a_legal_act_reference_is_validated_versioned_and_reported(
    clean_platform: Platform,
) -> None:
    p = clean_platform
    await build_registry(p)
    await catalog.create_service(p, ADMIN, passport_service())
    head = await changelog.head_seq(p.db)
    entry = await reference.update_reference_entry(
        p,
        ADMIN,
        "LEGAL_ACT",
        "LAW-ID",
        {"uri": ACT_URI, "inForceFrom": "2011-06-01"},
    )
    assert entry.values["uri"] == ACT_URI and entry.values["inForceFrom"] == "2011-06-01"
    assert await events_after(p, head) == [
        ("LegalAct", "LAW-ID", "updated", ("uri", "inForceFrom", "version"))
    ]
    stored = await p.db.read(
        "MATCH (a:LegalAct {code: 'LAW-ID'}) RETURN a.uri AS uri, a.inForceFrom AS start"
    )
    assert stored[0]["uri"] == ACT_URI and stored[0]["start"].to_native() == date(2011, 6, 1)
    for values, field in (
        ({"uri": "ftp://e-qanun.az/1"}, "uri"),
        ({"uri": "/framework/1234"}, "uri"),
        ({"uri": "https://e-qanun.az/\u202e1"}, "uri"),
        ({"inForceFrom": "01.06.2011"}, "inForceFrom"),
        ({"inForceUntil": "2010-12-31"}, "inForceUntil"),  # before inForceFrom
    ):
        with pytest.raises(ValidationFailed) as caught:
            await reference.update_reference_entry(p, ADMIN, "LEGAL_ACT", "LAW-ID", values)
        assert [e.field for e in caught.value.errors] == [field], values
    with pytest.raises(ValidationFailed) as caught:
        await reference.update_reference_entry(p, ADMIN, "EVIDENCE", "PHOTO", {"uri": ACT_URI})
    assert [e.field for e in caught.value.errors] == ["uri"]
    assert len(await events_after(p, head)) == 1  # no refusal wrote anything
    cleared = await reference.update_reference_entry(
        p, ADMIN, "LEGAL_ACT", "LAW-ID", {"uri": "", "inForceFrom": ""}
    )
    assert cleared.values["uri"] == "" and cleared.values["inForceFrom"] == ""
    left = await p.db.read("MATCH (a:LegalAct {code: 'LAW-ID'}) RETURN a.uri AS uri")
    assert left == [{"uri": None}]


LEGAL_MUTATION = """
mutation($input: UpdateReferenceEntryInput!) {
  updateReferenceEntry(input: $input) {
    entry { code title uri inForceFrom inForceUntil }
    userErrors { field code }
  }
}"""


async def test_legal_act_reference_through_graphql(clean_platform: Platform) -> None:
    p = clean_platform
    await build_registry(p)
    await catalog.create_service(p, ADMIN, passport_service())
    given = {"kind": "LEGAL_ACT", "code": "LAW-ID", "uri": ACT_URI}
    data = await run(
        p,
        LEGAL_MUTATION,
        input={**given, "inForceFrom": "2011-06-01", "inForceUntil": "2030-01-01"},
    )
    assert data["updateReferenceEntry"] == {
        "entry": {
            "code": "LAW-ID",
            "title": "Şəxsiyyət vəsiqəsi haqqında Qanun",
            "uri": ACT_URI,
            "inForceFrom": "2011-06-01",
            "inForceUntil": "2030-01-01",
        },
        "userErrors": [],
    }
    bad = await run(p, LEGAL_MUTATION, input={**given, "inForceUntil": "2001-01-01"})
    assert bad["updateReferenceEntry"]["userErrors"] == [
        {"field": "inForceUntil", "code": "BAD_USER_INPUT"}
    ]
    cleared = await run(
        p, LEGAL_MUTATION, input={"kind": "LEGAL_ACT", "code": "LAW-ID", "clearValidity": True}
    )
    entry = cleared["updateReferenceEntry"]["entry"]
    assert entry["inForceFrom"] is None and entry["inForceUntil"] is None and entry["uri"]


# ------------------------------------------------------------------------------------- export


async def test_contacts_and_legal_references_are_exported_and_conform(
    clean_platform: Platform,
) -> None:
    p = clean_platform
    await build_registry(p)
    await catalog.update_state_body(
        p,
        ADMIN,
        StateBodyInput(
            "DIN",
            "Daxili İşlər Nazirliyi",
            "Ministry of Internal Affairs",
            kind="ministry",
            contact_point=DIN_CONTACT,
        ),
    )
    await catalog.upsert_services(
        p,
        ADMIN,
        [passport_service(contact_point=SERVICE_CONTACT)],
        initial_status=flows.PUBLISHED,
    )
    await reference.update_reference_entry(
        p,
        ADMIN,
        "LEGAL_ACT",
        "LAW-ID",
        {"uri": ACT_URI, "inForceFrom": "2011-06-01", "inForceUntil": "2030-12-31"},
    )
    document = await export_document(p.db, BASE)
    graph = Graph().parse(data=json.dumps(document), format="json-ld")
    ok, _, report = validate(
        graph,
        shacl_graph=Graph().parse(SHAPES, format="turtle"),
        inference="none",
        advanced=True,
    )
    assert ok, report
    body = graph.value(URIRef(f"{BASE}/organisation/DIN"), CV.contactPoint)
    assert (body, RDF.type, CV.ContactPoint) in graph
    assert str(graph.value(body, CV.email)) == DIN_CONTACT.email
    assert str(graph.value(body, CV.telephone)) == DIN_CONTACT.telephone
    assert graph.value(body, CV.contactPage) == URIRef(DIN_CONTACT.url)
    hours = graph.value(body, CV.openingHours)
    assert hours is not None and DIN_CONTACT.opening_hours in {
        str(d) for d in graph.objects(hours, Namespace("http://purl.org/dc/terms/").description)
    }
    service = URIRef(f"{BASE}/service/DIN-001")
    point = graph.value(service, CV.contactPoint)
    assert str(graph.value(point, CV.telephone)) == "108"
    act = URIRef(ACT_URI)
    assert (service, CV.hasLegalResource, act) in graph
    assert (act, RDF.type, ELI.LegalResource) in graph
    assert graph.value(act, ELI.first_date_entry_in_force) == Literal(
        "2011-06-01", datatype=XSD_DATE
    )
    assert graph.value(act, ELI.date_no_longer_in_force) == Literal("2030-12-31", datatype=XSD_DATE)
