"""Honest error codes (issue 9, point 4): each case the issue reproduced, now answered as what
it is. Bad variables are BAD_USER_INPUT naming the bad value's path; unknown references are
NOT_FOUND and taken codes CONFLICT in ``userErrors`` (``data`` kept), before a refusal that would
hide them, yet nothing hidden leaks; INVALID_TRANSITION names the state and the allowed steps
once per language and only a field the input has."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from asan.auth.keys import KeyStore
from asan.auth.principal import ANONYMOUS, Principal
from asan.auth.service import AuthService
from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.graphql.context import Context
from asan.graphql.schema import schema
from asan.registry.catalog import service as catalog
from tests.auth.support import asgi_client, org_fixture
from tests.registry.catalog_support import (
    ADMIN,
    EDITOR_ASAN,
    EDITOR_DIN,
    REVIEWER,
    build_registry,
    passport_service,
)


@pytest.fixture
def auth(settings: Settings, tmp_path: Path) -> AuthService:
    s = settings.model_copy(update={"data_dir": tmp_path})
    return AuthService(s, KeyStore.open(tmp_path, s.auth_algorithm))


async def post(client: httpx.AsyncClient, query: str, variables: Any) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


CREATE = """mutation($input: CreateServiceInput!) {
  createService(input: $input) { service { code } userErrors { field message code } }
}"""
GOOD = {"code": "DIN-900", "nameAz": "Arayış", "provider": "DIN", "channels": ["ASAN_CENTRE"]}


@pytest.mark.parametrize(
    ("query", "variables", "field", "input_path"),
    [
        (CREATE, {"input": {"code": "DIN-900", "provider": "DIN"}}, "$input.nameAz", ["nameAz"]),
        (
            CREATE,
            {"input": {**GOOD, "channels": ["ASAN_CENTRE", "FAX"]}},
            "$input.channels[1]",
            ["channels", 1],
        ),
        (
            CREATE,
            {"input": {**GOOD, "processingDays": "ten"}},
            "$input.processingDays",
            ["processingDays"],
        ),
        (CREATE, {"input": {**GOOD, "colour": "red"}}, "$input.colour", ["colour"]),
        (
            CREATE,
            {"input": {**GOOD, "requirements": [{"code": "A", "nameAz": "B"}, {"code": "C"}]}},
            "$input.requirements[1].nameAz",
            ["requirements", 1, "nameAz"],
        ),
        (CREATE, {}, "$input", []),
        ("query($c: String!){ service(code: $c){ code } }", {"c": None}, "$c", []),
    ],
)
async def test_a_bad_variable_is_bad_user_input_naming_its_path(
    settings: Settings,
    clean_platform: Platform,
    auth: AuthService,
    query: str,
    variables: Any,
    field: str,
    input_path: list[str | int],
) -> None:
    async with asgi_client(settings, clean_platform, auth) as client:
        body = await post(client, query, variables)
    [error] = [e for e in body["errors"] if e["extensions"]["field"] == field]
    assert {e["extensions"]["code"] for e in body["errors"]} == {"BAD_USER_INPUT"}
    assert error["extensions"]["variable"] == field[1:].split(".")[0].split("[")[0]
    assert error["extensions"]["inputPath"] == input_path


async def test_a_malformed_global_id_names_the_argument(
    settings: Settings, clean_platform: Platform, auth: AuthService
) -> None:
    async with asgi_client(settings, clean_platform, auth) as client:
        body = await post(client, "query($id: ID!){ node(id: $id){ id } }", {"id": "!!"})
    [error] = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "id"}
    assert body["data"] == {"node": None}


async def run(p: Platform, query: str, principal: Principal, **variables: Any) -> dict[str, Any]:
    result = await schema.execute(
        query, variable_values=variables, context_value=Context(platform=p, principal=principal)
    )
    return {"data": result.data, "errors": result.errors}


async def refused_audits(p: Platform) -> int:
    rows = await p.db.read("MATCH (e:AuditEvent {outcome: 'refused'}) RETURN count(e) AS n")
    return int(rows[0]["n"])


async def test_create_service_reports_unknown_references_and_taken_codes_as_user_errors(
    clean_platform: Platform,
) -> None:
    p = clean_platform
    await build_registry(p)
    await catalog.upsert_services(
        p, ADMIN, [passport_service("ASAN-001", provider="ASAN")], initial_status="published"
    )
    await catalog.create_service(p, ADMIN, passport_service("ASAN-DRAFT", provider="ASAN"))

    unknown = await run(
        p, CREATE, EDITOR_DIN, input={**GOOD, "provider": "NOPE", "centres": ["BAKU-1", "NOWHERE"]}
    )
    assert unknown["errors"] is None  # ``data`` is kept: the problem is in the payload
    errors = unknown["data"]["createService"]["userErrors"]
    assert {(e["field"], e["code"]) for e in errors} == {
        ("provider", "NOT_FOUND"),
        ("centres[1]", "NOT_FOUND"),
    }
    # a published service (public) holding the code: CONFLICT, even for another body's editor
    # or a caller who may not create services at all
    for caller in (EDITOR_DIN, ANONYMOUS):
        taken = await run(p, CREATE, caller, input={**GOOD, "code": "ASAN-001", "provider": "ASAN"})
        assert taken["errors"] is None
        assert taken["data"]["createService"]["userErrors"] == [
            {
                "field": "code",
                "message": "'ASAN-001' artıq mövcuddur / 'ASAN-001' already exists",
                "code": "CONFLICT",
            }
        ]
    assert await refused_audits(p) == 0  # malformed input is not a refusal

    # another body's hidden draft holds the code: a caller refused anyway learns nothing of it
    hidden = await run(
        p, CREATE, EDITOR_DIN, input={**GOOD, "code": "ASAN-DRAFT", "provider": "ASAN"}
    )
    assert [e.extensions["code"] for e in hidden["errors"]] == ["FORBIDDEN"]
    assert "ASAN-DRAFT" not in str(hidden["errors"][0].message)
    assert await refused_audits(p) == 1
    # ... and its own body's editor, who may create, gets the one answer for any taken code
    own = await run(
        p, CREATE, EDITOR_ASAN, input={**GOOD, "code": "ASAN-DRAFT", "provider": "ASAN"}
    )
    assert own["data"]["createService"]["userErrors"][0]["code"] == "CONFLICT"


async def test_information_system_with_an_unknown_operator_is_not_found(
    clean_platform: Platform,
) -> None:
    p = clean_platform
    await build_registry(p)
    query = """mutation($input: InformationSystemInput!) {
      createInformationSystem(input: $input) { userErrors { field code } }
    }"""
    missing = await run(
        p, query, EDITOR_DIN, input={"code": "X-1", "nameAz": "S", "operator": "NOPE"}
    )
    assert missing["errors"] is None
    assert missing["data"]["createInformationSystem"]["userErrors"] == [
        {"field": "operator", "code": "NOT_FOUND"}
    ]
    taken = await run(
        p, query, EDITOR_DIN, input={"code": "VISA", "nameAz": "S", "operator": "ASAN"}
    )
    assert taken["data"]["createInformationSystem"]["userErrors"] == [
        {"field": "code", "code": "CONFLICT"}
    ]
    refused = await run(
        p, query, EDITOR_DIN, input={"code": "X-2", "nameAz": "S", "operator": "ASAN"}
    )
    assert [e.extensions["code"] for e in refused["errors"]] == ["FORBIDDEN"]


TRANSITION = """mutation($input: TransitionServiceInput!) {
  transitionService(input: $input) { service { status } userErrors { field message code } }
}"""


async def test_invalid_transition_names_state_and_steps_once_per_language(
    clean_platform: Platform,
) -> None:
    p = clean_platform
    await build_registry(p)
    await catalog.create_service(p, ADMIN, passport_service("DIN-001"))
    got = await run(p, TRANSITION, REVIEWER, input={"code": "DIN-001", "status": "WITHDRAWN"})
    [error] = got["data"]["transitionService"]["userErrors"]
    assert error["code"] == "INVALID_TRANSITION" and error["field"] == "status"
    azerbaijani, english = error["message"].split(" / ")
    for half in (azerbaijani, english):
        assert half.count("'draft'") == 1 and half.count("'withdrawn'") == 1
        assert half.count("under_review") == 1
    assert english == "service cannot go from 'draft' to 'withdrawn' (allowed: under_review)"
    assert "xidmət" in azerbaijani and "service" not in azerbaijani

    await catalog.upsert_services(
        p, ADMIN, [passport_service("DIN-002")], initial_status="published"
    )
    await catalog.transition_service(p, REVIEWER, "DIN-002", "suspended")
    await catalog.transition_service(p, REVIEWER, "DIN-002", "withdrawn")
    final = await run(p, TRANSITION, REVIEWER, input={"code": "DIN-002", "status": "PUBLISHED"})
    [error] = final["data"]["transitionService"]["userErrors"]
    assert error["message"].endswith("(allowed: none)") and "(mümkün: heç biri)" in error["message"]


async def test_a_step_the_mutation_implies_points_at_no_missing_field(
    clean_platform: Platform,
) -> None:
    """registerService has no ``status`` input: its INVALID_TRANSITION must not name one."""
    p = clean_platform
    await build_registry(p)
    await catalog.create_service(p, ADMIN, passport_service("DIN-001"))
    request = await catalog.submit_service(p, EDITOR_DIN, "DIN-001")
    await catalog.register_request(p, REVIEWER, request.id)
    query = """mutation($input: RegisterServiceInput!) {
      registerService(input: $input) { userErrors { field message code } }
    }"""
    again = await run(p, query, REVIEWER, input={"requestId": request.id})
    errors = again["data"]["registerService"]["userErrors"]
    assert [e["code"] for e in errors] == ["INVALID_TRANSITION"]
    input_fields = set(schema._schema.type_map["RegisterServiceInput"].fields)  # type: ignore[union-attr]
    assert errors[0]["field"] is None or errors[0]["field"] in input_fields
    assert "registered" in errors[0]["message"]


async def test_import_into_an_unknown_body_is_not_found_for_an_editor(
    clean_platform: Platform,
) -> None:
    p = clean_platform
    await build_registry(p)
    query = """mutation($input: ImportServicesInput!) {
      importServices(input: $input) { userErrors { field code } }
    }"""
    unknown = {"stateBodyCode": "NOPE", "format": "JSON", "content": "[]"}
    got = await run(p, query, EDITOR_DIN, input=unknown)
    assert got["errors"] is None
    assert got["data"]["importServices"]["userErrors"] == [
        {"field": "stateBodyCode", "code": "NOT_FOUND"}
    ]
    other = await run(p, query, EDITOR_DIN, input={**unknown, "stateBodyCode": "ASAN"})
    assert [e.extensions["code"] for e in other["errors"]] == ["FORBIDDEN"]


async def test_an_account_naming_an_unknown_state_body_is_not_found(
    clean_platform: Platform,
) -> None:
    """Was accepted and stored: an editor "of" a body that does not exist."""
    p = clean_platform
    await build_registry(p)
    user = """mutation($input: CreateUserInput!) { createUser(input: $input) {
      userErrors { field code } } }"""
    account = """mutation($input: CreateServiceAccountInput!) {
      createServiceAccount(input: $input) { userErrors { field code } } }"""
    new_user = {"username": "new.editor", "displayName": "N", "password": "correct horse battery"}
    new_account = {"clientId": "sys-1", "name": "Sistem", "scopes": ["registry.service"]}
    for query, field, value in (
        (user, "createUser", new_user),
        (account, "createServiceAccount", new_account),
    ):
        missing = await run(p, query, ADMIN, input={**value, "stateBody": "NOPE"})
        assert missing["data"][field]["userErrors"] == [{"field": "stateBody", "code": "NOT_FOUND"}]
        known = await run(p, query, ADMIN, input={**value, "stateBody": "DIN"})
        assert known["data"][field]["userErrors"] == []
    rows = await p.db.read("MATCH (n) WHERE n:User OR n:ServiceAccount RETURN n.stateBody AS b")
    assert [r["b"] for r in rows] == ["DIN", "DIN"]


async def test_a_delegation_to_an_unknown_position_is_not_found(clean_platform: Platform) -> None:
    p = clean_platform
    await org_fixture(p)
    await p.db.write("MATCH (x:Position) SET x.title = x.code")
    query = """mutation($input: CreateDelegationInput!) {
      createDelegation(input: $input) { userErrors { field code } } }"""
    base = {
        "headPositionCode": "DEPT-IT-HEAD",
        "deputyPositionCode": "NOPE",
        "validFrom": "2026-07-01",
        "validUntil": "2026-07-10",
        "reason": "məzuniyyət",
    }
    unknown = await run(p, query, ADMIN, input=base)
    assert unknown["data"]["createDelegation"]["userErrors"] == [
        {"field": "deputyPositionCode", "code": "NOT_FOUND"}
    ]
    # an existing position that is not this unit's deputy stays a BAD_USER_INPUT
    wrong = await run(p, query, ADMIN, input={**base, "deputyPositionCode": "DEPT-HR-HEAD"})
    assert wrong["data"]["createDelegation"]["userErrors"] == [
        {"field": "deputyPositionCode", "code": "BAD_USER_INPUT"}
    ]
