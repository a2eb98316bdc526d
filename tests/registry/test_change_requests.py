"""Change requests with content through the GraphQL API and the use cases, on the real Neo4j.

A state body proposes a revision of its published service as data, the reviewers see a
field-by-field diff and decide (the agency, plus the body responsible for the legal basis),
registration applies the content and records a version naming the request; returns, stale
requests and the overdue sweep; every step reaches the change log.
"""

from __future__ import annotations

from typing import Any

from asan.auth.principal import Principal
from asan.core import changelog
from asan.core.platform import Platform
from asan.graphql.context import Context
from asan.graphql.schema import schema
from asan.registry.catalog import service as catalog
from asan.registry.catalog.services import reads as service_reads
from tests.registry.catalog_support import (
    EDITOR_DIN,
    REVIEWER,
    build_registry,
    passport_service,
)

EDITOR_DMX = Principal(
    subject="editor-dmx", kind="user", roles=frozenset({"state_body_editor"}), state_body="DMX"
)

SUBMIT_CHANGE = """
mutation($input: SubmitChangeRequestInput!) {
  submitChangeRequest(input: $input) {
    registrationRequest { id requestId kind status resubmissions
                          reviews { reviewer decision due overdue } }
    userErrors { field message code }
  }
}"""

REQUEST = """
query($id: ID!) {
  node(id: $id) {
    ... on RegistrationRequest {
      requestId status kind summary
      reviews { reviewer decision defects }
      defectDetails { field text }
      diff { field current proposed added removed }
      service { code feeAmount }
    }
  }
}"""

REGISTER = """
mutation($id: String!) {
  registerService(input: {requestId: $id}) {
    registrationRequest { status reviews { reviewer decision } }
    service { feeAmount processingDays requiredDocuments { code } }
    userErrors { field message code }
  }
}"""

REVIEW = """
mutation($input: ReviewRegistrationRequestInput!) {
  reviewRegistrationRequest(input: $input) {
    registrationRequest { status reviews { reviewer decision defects } }
    userErrors { field message code }
  }
}"""

CHANGES: dict[str, Any] = {
    "code": "DIN-001",
    "feeAmount": "7.50",
    "processingDays": 5,
    "requirements": [
        {
            "code": "BIRTH-CERT",
            "nameAz": "Doğum haqqında şəhadətnamə",
            "nameEn": "Birth certificate",
        },
        {
            "code": "PHOTO",
            "nameAz": "Fotoşəkil",
            "nameEn": "Photo",
            "condition": "15 yaşdan yuxarı / over 15",
        },
    ],
}


async def execute(
    p: Platform, query: str, principal: Principal | None = None, **variables: Any
) -> Any:
    return await schema.execute(
        query, variable_values=variables, context_value=Context(platform=p, principal=principal)
    )


async def run(
    p: Platform, query: str, principal: Principal | None = None, **variables: Any
) -> dict[str, Any]:
    result = await execute(p, query, principal, **variables)
    assert result.errors is None, result.errors
    assert result.data is not None
    return dict(result.data)


async def published_passport(p: Platform, *, responsible: str | None = "DMX") -> None:
    """The registry, DIN-001 registered and published; LAW-ID's responsible body recorded."""
    await build_registry(p)
    await catalog.create_service(p, EDITOR_DIN, passport_service())
    request = await catalog.submit_service(p, EDITOR_DIN, "DIN-001")
    await catalog.register_request(p, REVIEWER, request.id)
    if responsible is not None:
        data = await run(
            p,
            """mutation { setLegalActResponsibleBody(input: {actCode: "LAW-ID",
                 stateBody: "DMX"}) { actCode stateBodyCode userErrors { field } } }""",
            REVIEWER,
        )
        assert data["setLegalActResponsibleBody"] == {
            "actCode": "LAW-ID",
            "stateBodyCode": "DMX",
            "userErrors": [],
        }


async def submit(p: Platform, changes: dict[str, Any] | None = None) -> dict[str, Any]:
    data = await run(
        p,
        SUBMIT_CHANGE,
        EDITOR_DIN,
        input={"changes": changes or CHANGES, "summary": "Rüsum artır, qəbz tələb olunmur"},
    )
    payload = data["submitChangeRequest"]
    assert payload["userErrors"] == [], payload
    request: dict[str, Any] = payload["registrationRequest"]
    return request


async def test_a_body_changes_its_published_service_through_two_reviewers(
    clean_platform: Platform,
) -> None:
    p = clean_platform
    await published_passport(p)
    start = await changelog.head_seq(p.db)
    request = await submit(p)
    assert request["kind"] == "CHANGE" and request["status"] == "SUBMITTED"
    assert [(r["reviewer"], r["decision"]) for r in request["reviews"]] == [
        ("agency", "PENDING"),
        ("DMX", "PENDING"),
    ]

    # the reviewing body finds what it reviews, though another body submitted it
    mine = await run(
        p,
        '{ registrationRequests(reviewer: "DMX") { totalCount edges { node { requestId } } } }',
        EDITOR_DMX,
    )
    assert mine["registrationRequests"]["edges"] == [{"node": {"requestId": request["requestId"]}}]
    theirs = await execute(
        p, '{ registrationRequests(reviewer: "agency") { totalCount } }', EDITOR_DMX
    )
    assert theirs.errors and theirs.errors[0].extensions["code"] == "FORBIDDEN"

    # the request, its diff and defects are not public
    assert (await run(p, REQUEST, None, id=request["id"]))["node"] is None
    outsider = Principal(
        subject="o", kind="user", roles=frozenset({"state_body_editor"}), state_body="ASAN"
    )
    assert (await run(p, REQUEST, outsider, id=request["id"]))["node"] is None

    seen = (await run(p, REQUEST, REVIEWER, id=request["id"]))["node"]
    diff = {d["field"]: d for d in seen["diff"]}
    assert set(diff) == {"feeAmount", "processingDays", "requirements"}
    assert (diff["feeAmount"]["current"], diff["feeAmount"]["proposed"]) == ("5.00", "7.50")
    assert (diff["processingDays"]["current"], diff["processingDays"]["proposed"]) == (10, 5)
    assert diff["requirements"]["added"] == []
    assert [d["code"] for d in diff["requirements"]["removed"]] == ["FEE-RECEIPT"]
    assert [d["code"] for d in diff["requirements"]["proposed"]] == ["BIRTH-CERT", "PHOTO"]
    assert seen["service"]["feeAmount"] == "5.00"  # nothing applied yet

    # the agency decides last: refused while the responsible body has not approved
    early = (await run(p, REGISTER, REVIEWER, id=request["requestId"]))["registerService"]
    assert early["userErrors"][0]["code"] == "CONFLICT"
    assert "DMX" in early["userErrors"][0]["message"]
    stored = (await service_reads.stored_services(p.db, ["DIN-001"]))["DIN-001"]
    assert str(stored.content.fee_amount) == "5.00"

    approved = await run(
        p, REVIEW, EDITOR_DMX, input={"requestId": request["id"], "decision": "APPROVE"}
    )
    reviews = approved["reviewRegistrationRequest"]["registrationRequest"]["reviews"]
    assert [(r["reviewer"], r["decision"]) for r in reviews] == [
        ("agency", "PENDING"),
        ("DMX", "APPROVED"),
    ]
    # a body that is not a reviewer of this request is refused
    refused = await execute(
        p,
        REVIEW,
        Principal(
            subject="x", kind="user", roles=frozenset({"state_body_editor"}), state_body="ASAN"
        ),
        input={"requestId": request["id"], "decision": "APPROVE"},
    )
    assert refused.errors and refused.errors[0].extensions["code"] == "FORBIDDEN"

    done = (await run(p, REGISTER, REVIEWER, id=request["id"]))["registerService"]
    assert done["userErrors"] == []
    assert done["registrationRequest"]["status"] == "REGISTERED"
    assert done["service"]["feeAmount"] == "7.50" and done["service"]["processingDays"] == 5
    assert [d["code"] for d in done["service"]["requiredDocuments"]] == ["BIRTH-CERT", "PHOTO"]

    versions = await p.db.read(
        "MATCH (:Service {code: 'DIN-001'})-[:HAS_VERSION]->(v:ServiceVersion) "
        "WHERE v.requestId IS NOT NULL RETURN v.requestId AS id, v.changes AS changes"
    )
    assert [v["id"] for v in versions] == [request["requestId"]]
    assert "feeAmount" in versions[0]["changes"]

    events = [
        (e.entity_kind, e.operation, e.fields)
        for e in await changelog.read_after(p.db, start, 100)
        if e.entity_kind in ("RegistrationRequest", "Service")
    ]
    assert events[0] == ("RegistrationRequest", "created", events[0][2])
    assert ("RegistrationRequest", "updated", ("reviews",)) in events  # the body's approval
    assert events[-2:] == [
        ("Service", "updated", events[-2][2]),
        ("RegistrationRequest", "status_changed", ("status", "decidedAt", "reviews")),
    ]
    assert {"feeAmount", "processingDays", "requirements"} <= set(events[-2][2])
    # after registration the diff shows what the request changed
    after = (await run(p, REQUEST, EDITOR_DIN, id=request["id"]))["node"]
    assert {d["field"] for d in after["diff"]} == {"feeAmount", "processingDays", "requirements"}


async def test_returned_with_field_defects_then_fixed_and_resubmitted(
    clean_platform: Platform,
) -> None:
    p = clean_platform
    await published_passport(p, responsible=None)
    request = await submit(p)
    assert [r["reviewer"] for r in request["reviews"]] == ["agency"]
    returned = await run(
        p,
        """mutation($id: String!) { returnServiceRegistration(input: {requestId: $id,
             defects: ["Əsaslandırma yoxdur"],
             fieldDefects: [{field: "feeAmount", text: "Rüsum qanuna uyğun deyil"}]}) {
             registrationRequest { status fixDue defectDetails { field text } }
             userErrors { field } } }""",
        REVIEWER,
        id=request["id"],
    )
    payload = returned["returnServiceRegistration"]["registrationRequest"]
    assert payload["status"] == "RETURNED" and payload["fixDue"] is not None
    assert payload["defectDetails"] == [
        {"field": None, "text": "Əsaslandırma yoxdur"},
        {"field": "feeAmount", "text": "Rüsum qanuna uyğun deyil"},
    ]

    fixed = await submit(p, {**CHANGES, "feeAmount": "6.00"})
    assert fixed["requestId"] == request["requestId"]  # the same request, resubmitted
    assert fixed["status"] == "SUBMITTED" and fixed["resubmissions"] == 1
    assert [r["decision"] for r in fixed["reviews"]] == ["PENDING"]
    seen = (await run(p, REQUEST, REVIEWER, id=request["id"]))["node"]
    fee = next(d for d in seen["diff"] if d["field"] == "feeAmount")
    assert fee["proposed"] == "6.00"
    done = (await run(p, REGISTER, REVIEWER, id=request["id"]))["registerService"]
    assert done["service"]["feeAmount"] == "6.00"


async def test_a_return_by_the_responsible_body_returns_the_request(
    clean_platform: Platform,
) -> None:
    p = clean_platform
    await published_passport(p)
    request = await submit(p)
    returned = await run(
        p,
        REVIEW,
        EDITOR_DMX,
        input={"requestId": request["id"], "decision": "RETURN", "defects": ["Maddə 5 köhnədir"]},
    )
    payload = returned["reviewRegistrationRequest"]["registrationRequest"]
    assert payload["status"] == "RETURNED"
    assert {r["reviewer"]: (r["decision"], r["defects"]) for r in payload["reviews"]} == {
        "agency": ("PENDING", []),
        "DMX": ("RETURNED", ["Maddə 5 köhnədir"]),
    }
    missing = await run(
        p, REVIEW, EDITOR_DMX, input={"requestId": request["id"], "decision": "RETURN"}
    )
    assert missing["reviewRegistrationRequest"]["userErrors"][0]["field"] == "defects"


async def test_a_stale_request_is_refused_naming_the_fields_changed_meanwhile(
    clean_platform: Platform,
) -> None:
    p = clean_platform
    await published_passport(p, responsible=None)
    request = await submit(p)
    # the agency edits the published service directly meanwhile
    await run(
        p,
        """mutation { updateService(input: {code: "DIN-001", nameEn: "Identity cards"}) {
             userErrors { field } } }""",
        REVIEWER,
    )
    refused = (await run(p, REGISTER, REVIEWER, id=request["id"]))["registerService"]
    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [("requestId", "CONFLICT")]
    assert "nameEn" in refused["userErrors"][0]["message"]
    stored = (await service_reads.stored_services(p.db, ["DIN-001"]))["DIN-001"]
    assert str(stored.content.fee_amount) == "5.00"  # nothing half-written
    status = await run(p, REQUEST, REVIEWER, id=request["id"])
    assert status["node"]["status"] == "SUBMITTED"
    # a withdrawn service takes no change
    await catalog.transition_service(p, REVIEWER, "DIN-001", "suspended")
    await catalog.transition_service(p, REVIEWER, "DIN-001", "withdrawn")
    gone = (await run(p, REGISTER, REVIEWER, id=request["id"]))["registerService"]
    assert [(e["field"], e["code"]) for e in gone["userErrors"]] == [("requestId", "CONFLICT")]
    assert "withdrawn" in gone["userErrors"][0]["message"]
