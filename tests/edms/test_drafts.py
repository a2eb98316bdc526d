"""Drafts and visas through GraphQL against real Neo4j and MinIO: the whole way of an outgoing
draft (file, attachment, staged and parallel visas, a deputy acting for the head, two visas
racing, form check, the signatory's return), a rejection and a new version restarting only
the steps the route says, the registrar's reasons, and the mandatory legal expertise of orders.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from typing import Any

from tests.edms.conftest import World
from tests.edms.files_support import pdf_with_text, upload

DRAFT_FIELDS = """
  documentId kind status unit subject version attachments signatory
  addressees { position kind stateBody orgUnit name address }
  route { id stage role user status round restartOnNewVersion }
  visas { id stepId draftVersion decision remarks reasons actor actingFor }
  formChecks { outcome reasons draftVersion }
"""

CREATE = """
mutation($input: CreateDraftInput!) {
  createDraft(input: $input) {
    documentId status draft { DRAFT } userErrors { field message code } clientMutationId
  }
}
""".replace("DRAFT", DRAFT_FIELDS)

SEND = """
mutation($id: String!) {
  sendDraftToVisa(input: {documentId: $id}) { status userErrors { field message code } }
}
"""

DECIDE = """
mutation($input: DecideVisaInput!) {
  decideVisa(input: $input) {
    visaId status draft { DRAFT } userErrors { field message code } clientMutationId
  }
}
""".replace("DRAFT", DRAFT_FIELDS)

NEW_VERSION = """
mutation($input: NewDraftVersionInput!) {
  newDraftVersion(input: $input) {
    status draft { DRAFT } userErrors { field message code }
  }
}
""".replace("DRAFT", DRAFT_FIELDS)

CHECK = """
mutation($input: CheckDraftFormInput!) {
  checkDraftForm(input: $input) {
    outcome reasons status userErrors { field message code }
  }
}
"""

RETURN = """
mutation($input: ReturnDraftFromSignatureInput!) {
  returnDraftFromSignature(input: $input) { status userErrors { field message code } }
}
"""

PENDING = "{ myPendingVisas { documentId step { id stage role } } }"


def route(*stages: list[dict[str, Any]], signatory: str) -> dict[str, Any]:
    """A route input from its stages in order (each step numbered with its stage)."""
    steps = [{**step, "stage": n} for n, stage in enumerate(stages, start=1) for step in stage]
    return {"steps": steps, "signatory": signatory}


async def multipart(
    world: World, who: str, query: str, variables: Mapping[str, Any], data: bytes
) -> dict[str, Any]:
    """A GraphQL multipart request with one file at ``variables.input.file``."""
    operations = {"query": query, "variables": {"input": {**variables, "file": None}}}
    response = await world.client.post(
        "/graphql",
        headers={**world.headers(who), "Apollo-Require-Preflight": "true"},
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.input.file"]}),
        },
        files={"0": ("layihə.pdf", data, "application/pdf")},
    )
    body: dict[str, Any] = response.json()
    assert not body.get("errors"), body
    return body["data"]  # type: ignore[no-any-return]


async def decide(
    world: World, who: str, doc: str, step: str, decision: str, **extra: Any
) -> dict[str, Any]:
    data = await world.gql(
        who,
        DECIDE,
        {"input": {"documentId": doc, "stepId": step, "decision": decision, **extra}},
    )
    result: dict[str, Any] = data["decideVisa"]
    return result


def refusal_code(body: Mapping[str, Any], field: str) -> str | None:
    """The code of a refusal: a GraphQL error (FORBIDDEN) or a userError (hidden: NOT_FOUND)."""
    if body.get("errors"):
        code: str | None = body["errors"][0]["extensions"]["code"]
        return code
    errors = body["data"][field]["userErrors"]
    return errors[0]["code"] if errors else None


def steps_by_user(world: World, draft: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    ids = {v: k for k, v in world.users.items()}
    return {ids[s["user"]]: s for s in draft["route"] if s["status"] != "REPLACED"}


TIMELINE = "query($id: String!) { documentTimeline(id: $id) { step actor actingFor } }"


async def timeline(world: World, doc: str, who: str = "executor1") -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = (await world.gql(who, TIMELINE, {"id": doc}))["documentTimeline"]
    return events


async def test_outgoing_draft_goes_through_staged_parallel_visas_to_signature(
    edms_world: World,
) -> None:
    w = edms_world
    u = w.users
    the_route = route(
        [{"role": "SECTOR_HEAD", "user": u["sector2"]}],
        [
            {"role": "DEPARTMENT_HEAD", "positionCode": "DEPT-IT-HEAD"},
            {"role": "LEGAL_EXPERTISE", "user": u["legal"]},
        ],
        signatory=u["signatory"],
    )
    created = (
        await multipart(
            w,
            "executor1",
            CREATE,
            {
                "kind": "OUTGOING",
                "subject": "Vergilər Nazirliyinə cavab məktubu",
                "unit": "DEPT-IT-SEC-1",
                "attachments": 1,
                "addressees": [
                    {"kind": "STATE_BODY", "stateBody": "MIN-TAX"},
                    {"kind": "PERSON", "name": "Əli Əliyev", "address": "Bakı, Nizami küç. 1"},
                ],
                "route": the_route,
                "clientMutationId": "create-outgoing-1",
            },
            pdf_with_text("Cavab mektubu"),
        )
    )["createDraft"]
    assert created["userErrors"] == []
    doc = created["documentId"]
    draft = created["draft"]
    assert (draft["status"], draft["version"], draft["kind"]) == ("draft", 1, "OUTGOING")
    assert [a["name"] for a in draft["addressees"]] == ["Vergilər Nazirliyi", "Əli Əliyev"]
    by_user = steps_by_user(w, draft)
    assert by_user["head"]["stage"] == 2  # resolved from the position its holder holds today
    assert {s["status"] for s in draft["route"]} == {"WAITING"}

    # an attachment through the files part, as the unit would add it
    attached = await upload(
        w.client,
        w.tokens["executor1"],
        {"documentId": doc, "role": "ATTACHMENT"},
        pdf_with_text("Elave 1"),
        filename="əlavə-1.pdf",
    )
    assert attached.json()["data"]["uploadDocumentFile"]["userErrors"] == []

    sent = (await w.gql("executor1", SEND, {"id": doc}))["sendDraftToVisa"]
    assert sent == {"status": "on_visa", "userErrors": []}
    pending = (await w.gql("sector2", PENDING))["myPendingVisas"]
    assert [p["documentId"] for p in pending] == [doc]

    # the head's step is in stage 2: not yet, and never for someone not on the route
    early = await decide(w, "legal", doc, by_user["legal"]["id"], "APPROVE")
    assert early["userErrors"][0]["code"] == "INVALID_TRANSITION"
    stranger = await decide(w, "outsider", doc, by_user["sector2"]["id"], "APPROVE")
    assert stranger["userErrors"][0]["code"] == "NOT_FOUND"

    first = await decide(w, "sector2", doc, by_user["sector2"]["id"], "APPROVE")
    assert first["status"] == "on_visa" and first["userErrors"] == []
    stage2 = {s["user"]: s["status"] for s in first["draft"]["route"] if s["stage"] == 2}
    assert set(stage2.values()) == {"PENDING"}

    # the deputy acts for the head (delegation in force) while legal decides at the same time
    head_visa, legal_visa = await asyncio.gather(
        decide(
            w,
            "deputy",
            doc,
            by_user["head"]["id"],
            "APPROVE_WITH_REMARKS",
            remarks="Tarixi dəqiqləşdirin",
        ),
        decide(w, "legal", doc, by_user["legal"]["id"], "APPROVE"),
    )
    assert head_visa["userErrors"] == [] and legal_visa["userErrors"] == []
    assert {head_visa["status"], legal_visa["status"]} == {"on_visa", "form_check"}
    rows = await w.platform.db.read(
        "MATCH (v:Visa {documentId: $id}) RETURN v.actor AS actor, v.actingFor AS actingFor, "
        "v.decision AS decision",
        {"id": doc},
    )
    assert len(rows) == 3
    by_actor = {r["actor"]: r for r in rows}
    assert by_actor[u["deputy"]]["actingFor"] == u["head"]
    assert by_actor[u["deputy"]]["decision"] == "approve_with_remarks"

    # form check: a public-clearance registrar, all in order -> to sign
    checked = (await w.gql("registrar2", CHECK, {"input": {"documentId": doc}}))["checkDraftForm"]
    assert checked == {"outcome": "ACCEPTED", "reasons": [], "status": "to_sign", "userErrors": []}
    again = (await w.gql("registrar2", CHECK, {"input": {"documentId": doc}}))["checkDraftForm"]
    assert again["userErrors"][0]["code"] == "INVALID_TRANSITION"
    assert "to_sign" in again["userErrors"][0]["message"]

    # only the signatory may return it unsigned, with reasons
    refused = await w.post("legal", RETURN, {"input": {"documentId": doc, "reasons": ["x"]}})
    assert refusal_code(refused, "returnDraftFromSignature") == "FORBIDDEN"
    returned = (
        await w.gql(
            "signatory",
            RETURN,
            {"input": {"documentId": doc, "reasons": ["Mətn yenidən işlənsin"]}},
        )
    )["returnDraftFromSignature"]
    assert returned == {"status": "returned", "userErrors": []}
    events = await timeline(w, doc)
    steps = [e["step"] for e in events]
    for step in (
        "create",
        "set_visa_route",
        "create_draft",
        "send_to_visa",
        "visa",
        "visas_complete",
        "form_accepted",
        "reject",
    ):
        assert step in steps, step
    assert steps.count("visa") == 3
    acting = [e for e in events if e["step"] == "visa" and e["actingFor"]]
    assert [(e["actor"], e["actingFor"]) for e in acting] == [(u["deputy"], u["head"])]


async def test_rejection_and_new_version_restart_what_the_route_says(edms_world: World) -> None:
    w = edms_world
    u = w.users
    created = (
        await w.gql(
            "executor2",
            CREATE,
            {
                "input": {
                    "kind": "INTERNAL",
                    "subject": "Daxili arayış",
                    "unit": "DEPT-IT-SEC-2",
                    "attachments": 1,
                    "addressees": [{"kind": "ORGANISATION", "name": "Ümid MMC"}],
                    "route": route(
                        [
                            {
                                "role": "SECTOR_HEAD",
                                "user": u["sector2"],
                                "restartOnNewVersion": False,
                            }
                        ],
                        [{"role": "OTHER", "user": u["hrhead"]}],
                        signatory=u["signatory"],
                    ),
                }
            },
        )
    )["createDraft"]
    doc = created["documentId"]
    by_user = steps_by_user(w, created["draft"])
    await w.gql("executor2", SEND, {"id": doc})
    await decide(w, "sector2", doc, by_user["sector2"]["id"], "APPROVE")

    no_reasons = await decide(w, "hrhead", doc, by_user["hrhead"]["id"], "REJECT")
    assert no_reasons["userErrors"][0]["field"] == "reasons"
    rejected = await decide(
        w, "hrhead", doc, by_user["hrhead"]["id"], "REJECT", reasons=["Rəqəmlər yoxlanılmalıdır"]
    )
    assert rejected["status"] == "returned"
    assert rejected["draft"]["visas"][-1]["reasons"] == ["Rəqəmlər yoxlanılmalıdır"]
    late = await decide(w, "sector2", doc, by_user["sector2"]["id"], "APPROVE")
    assert late["userErrors"][0]["code"] in ("CONFLICT", "INVALID_TRANSITION")

    v2 = await w.gql(
        "executor2", NEW_VERSION, {"input": {"documentId": doc, "comment": "düzəldildi"}}
    )
    draft = v2["newDraftVersion"]["draft"]
    assert (draft["status"], draft["version"]) == ("draft", 2)
    after = steps_by_user(w, draft)
    assert after["sector2"]["status"] == "APPROVED"  # does not restart: its approval stands
    assert (after["hrhead"]["status"], after["hrhead"]["round"]) == ("WAITING", 2)
    assert [v["draftVersion"] for v in draft["visas"]] == [1, 1]  # history kept

    await w.gql("executor2", SEND, {"id": doc})
    done = await decide(w, "hrhead", doc, after["hrhead"]["id"], "APPROVE")
    assert done["status"] == "form_check"
    assert [v["draftVersion"] for v in done["draft"]["visas"]] == [1, 1, 2]

    checked = (
        await w.gql(
            "registrar", CHECK, {"input": {"documentId": doc, "reasons": ["Blank köhnədir"]}}
        )
    )["checkDraftForm"]
    assert checked["outcome"] == "REJECTED" and checked["status"] == "returned"
    reasons = " | ".join(checked["reasons"])
    assert "the draft's file is missing" in reasons
    assert "1 attachments expected, 0 present" in reasons
    assert "addressee 1" in reasons and "has no address" in reasons
    assert checked["reasons"][-1] == "Blank köhnədir"
    not_registrar = await w.post("executor2", CHECK, {"input": {"documentId": doc}})
    assert refusal_code(not_registrar, "checkDraftForm") in ("FORBIDDEN", "NOT_FOUND")

    # version 3 fixes everything: its file (multipart), no attachments, a full address
    v3 = await multipart(
        w,
        "executor2",
        NEW_VERSION,
        {
            "documentId": doc,
            "attachments": 0,
            "addressees": [
                {"kind": "ORGANISATION", "name": "Ümid MMC", "address": "Gəncə, Atatürk pr. 5"}
            ],
            "comment": "blank və ünvan düzəldildi",
        },
        pdf_with_text("Versiya 3"),
    )
    draft = v3["newDraftVersion"]["draft"]
    assert (draft["version"], draft["attachments"]) == (3, 0)
    assert draft["addressees"][0]["address"] == "Gəncə, Atatürk pr. 5"
    files = await w.platform.db.read(
        "MATCH (f:DocumentFile {documentId: $id, role: 'draft'}) RETURN f.version AS v",
        {"id": doc},
    )
    assert [f["v"] for f in files] == [1]
    await w.gql("executor2", SEND, {"id": doc})
    step = steps_by_user(w, draft)["hrhead"]["id"]
    assert (await decide(w, "hrhead", doc, step, "APPROVE"))["status"] == "form_check"
    accepted = (await w.gql("registrar", CHECK, {"input": {"documentId": doc}}))["checkDraftForm"]
    assert (accepted["outcome"], accepted["status"]) == ("ACCEPTED", "to_sign")


async def test_an_order_needs_legal_expertise_and_a_visa_is_idempotent(edms_world: World) -> None:
    w = edms_world
    u = w.users
    before = await w.platform.db.read("MATCH (d:Document) RETURN count(d) AS n")
    order = {
        "kind": "ORDER",
        "subject": "Əmr: iş vaxtı haqqında",
        "unit": "DEPT-IT",
        "route": route([{"role": "DEPARTMENT_HEAD", "user": u["head"]}], signatory=u["chairman"]),
    }
    refused = (await w.gql("head", CREATE, {"input": order}))["createDraft"]
    assert [e["code"] for e in refused["userErrors"]] == ["LEGAL_EXPERTISE_REQUIRED"]
    gap = {
        "steps": [{"stage": 2, "role": "LEGAL_EXPERTISE", "user": u["legal"]}],
        "signatory": u["chairman"],
    }
    gapped = (await w.gql("head", CREATE, {"input": {**order, "route": gap}}))["createDraft"]
    assert [e["field"] for e in gapped["userErrors"]] == ["route.steps"]
    after = await w.platform.db.read("MATCH (d:Document) RETURN count(d) AS n")
    assert after == before

    order["route"] = route(
        [{"role": "LEGAL_EXPERTISE", "user": u["legal"]}], signatory=u["chairman"]
    )
    created = (await w.gql("head", CREATE, {"input": order}))["createDraft"]
    assert created["userErrors"] == []
    doc = created["documentId"]
    step = created["draft"]["route"][0]["id"]
    await w.gql("head", SEND, {"id": doc})
    once, twice = [
        await decide(w, "legal", doc, step, "APPROVE", clientMutationId="legal-visa-1")
        for _ in range(2)
    ]
    assert once["visaId"] == twice["visaId"] and once["status"] == "form_check"
    count = await w.platform.db.read(
        "MATCH (v:Visa {documentId: $id}) RETURN count(v) AS n", {"id": doc}
    )
    assert count[0]["n"] == 1

    # the same step decided twice at once (two requests, no shared id): one visa, one refusal
    again = (await w.gql("head", CREATE, {"input": order}))["createDraft"]
    doc2, step2 = again["documentId"], again["draft"]["route"][0]["id"]
    await w.gql("head", SEND, {"id": doc2})
    results = await asyncio.gather(
        decide(w, "legal", doc2, step2, "APPROVE"),
        decide(w, "legal", doc2, step2, "REJECT", reasons=["Əsas yoxdur"]),
    )
    assert sorted(bool(r["userErrors"]) for r in results) == [False, True]
    refused = next(r for r in results if r["userErrors"])
    assert refused["userErrors"][0]["code"] in ("CONFLICT", "INVALID_TRANSITION")
    visas = await w.platform.db.read(
        "MATCH (v:Visa {documentId: $id}) RETURN count(v) AS n", {"id": doc2}
    )
    assert visas[0]["n"] == 1


DRAFT_QUERY = "query($id: String!) { draft(documentId: $id) { documentId status signatory } }"


async def test_a_secret_draft_has_cleared_holders_and_is_invisible_to_others(
    edms_world: World,
) -> None:
    w = edms_world
    u = w.users
    secret: dict[str, Any] = {
        "kind": "INTERNAL",
        "subject": "Xidməti arayış",
        "unit": "DEPT-IT",
        "classification": "service_secret",
        "addressees": [{"kind": "ORG_UNIT", "orgUnit": "DOC"}],
        "route": route([{"role": "LEGAL_EXPERTISE", "user": u["legal"]}], signatory=u["signatory"]),
    }
    refused = (await w.gql("head", CREATE, {"input": secret}))["createDraft"]
    assert [e["code"] for e in refused["userErrors"]] == ["CLEARANCE"]
    assert refused["userErrors"][0]["field"] == "route.steps.0.user"

    secret["route"] = route(
        [{"role": "OTHER", "positionCode": "DOC-REG-STAFF"}], signatory=u["signatory"]
    )
    created = (await w.gql("head", CREATE, {"input": secret}))["createDraft"]
    assert created["userErrors"] == []
    doc = created["documentId"]
    await w.gql("head", SEND, {"id": doc})

    pending = (await w.gql("registrar", PENDING))["myPendingVisas"]
    assert doc in [p["documentId"] for p in pending]
    for who in ("outsider", "executor1", "registrar2", "legal"):
        seen = (await w.gql(who, DRAFT_QUERY, {"id": doc}))["draft"]
        assert seen is None, who
        assert doc not in [p["documentId"] for p in (await w.gql(who, PENDING))["myPendingVisas"]]
    assert (await w.gql("registrar", DRAFT_QUERY, {"id": doc}))["draft"]["status"] == "on_visa"
