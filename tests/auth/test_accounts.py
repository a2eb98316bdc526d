"""Account administration through GraphQL: administrators only, refusals audited."""

from __future__ import annotations

from tests.auth.support import PASSWORD, add_user, audit_rows, bearer, org_fixture

CREATE = """
mutation($in: CreateUserInput!) {
  createUser(input: $in) { userId userErrors { field code message } }
}"""
GRANT = """
mutation($in: GrantPositionInput!) { grantPosition(input: $in) { ok userErrors { field } } }"""
SERVICE_ACCOUNT = """
mutation($in: CreateServiceAccountInput!) {
  createServiceAccount(input: $in) { clientId clientSecret userErrors { field } }
}"""


async def call(client, token, query, variables):
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=bearer(token)
    )
    return response.json()


async def test_admin_creates_staff_and_grants_positions(client, auth, clean_platform) -> None:
    await org_fixture(clean_platform)
    admin = await add_user(clean_platform, "admin", {"administrator"})
    token, _ = auth.access_token(admin, "user")
    user = {"username": "leyla", "displayName": "Leyla", "password": PASSWORD, "roles": []}
    created = await call(client, token, CREATE, {"in": user})
    assert created["data"]["createUser"]["userErrors"] == []
    taken = await call(client, token, CREATE, {"in": {**user, "username": "LEYLA"}})
    assert taken["data"]["createUser"]["userErrors"][0]["code"] == "CONFLICT"
    weak = await call(client, token, CREATE, {"in": {**user, "username": "x", "password": "123"}})
    assert weak["data"]["createUser"]["userErrors"][0]["field"] == "password"
    bad_role = await call(
        client, token, CREATE, {"in": {**user, "username": "y", "roles": ["head"]}}
    )
    assert bad_role["data"]["createUser"]["userErrors"][0]["field"] == "roles"
    granted = await call(
        client,
        token,
        GRANT,
        {"in": {"username": "leyla", "position": "DEPT-IT-HEAD", "validFrom": "2020-01-01"}},
    )
    assert granted["data"]["grantPosition"]["ok"] is True
    pair = await auth.login(clean_platform, "leyla", PASSWORD)
    leyla = await auth.authenticate(clean_platform, pair.access_token, None)
    assert "head" in leyla.roles and "DEPT-IT-SEC-2" in leyla.led_units
    account = await call(
        client,
        token,
        SERVICE_ACCOUNT,
        {"in": {"clientId": "tax-gw", "name": "Tax gateway", "scopes": ["registry.service.read"]}},
    )
    secret = account["data"]["createServiceAccount"]["clientSecret"]
    assert secret and len(secret) >= 40
    stored = await clean_platform.db.read(
        "MATCH (s:ServiceAccount {clientId: 'tax-gw'}) RETURN s.secretHash AS h"
    )
    assert stored[0]["h"].startswith("$argon2id$") and secret not in stored[0]["h"]


async def test_non_admins_are_refused_and_audited(client, auth, clean_platform) -> None:
    editor = await add_user(clean_platform, "editor", {"state_body_editor"}, "DIN")
    token, _ = auth.access_token(editor, "user")
    user = {"username": "mallory", "displayName": "M", "password": PASSWORD, "roles": []}
    body = await call(client, token, CREATE, {"in": {**user, "roles": ["administrator"]}})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    refused = await audit_rows(clean_platform, "refused")
    assert [(e["actor"], e["action"]) for e in refused] == [(editor, "auth.user.create")]
    anonymous = await client.post("/graphql", json={"query": CREATE, "variables": {"in": user}})
    assert anonymous.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"


SET_ACTIVE = """
mutation($in: SetUserActiveInput!) { setUserActive(input: $in) { userId userErrors { code } } }"""
SET_ROLES = """
mutation($in: SetUserRolesInput!) {
  setUserRoles(input: $in) { userId userErrors { field code } }
}"""


async def test_admin_deactivates_and_changes_roles_with_immediate_effect_here(
    client, auth, clean_platform
) -> None:
    admin = await add_user(clean_platform, "admin", {"administrator"})
    target = await add_user(clean_platform, "leyla", {"auditor"})
    token, _ = auth.access_token(admin, "user")
    theirs = (await auth.login(clean_platform, "leyla", PASSWORD)).access_token
    viewer = await call(client, theirs, "{ viewer { roles } }", {})
    assert viewer["data"]["viewer"]["roles"] == ["auditor"]  # resolved and cached

    roles = await call(
        client, token, SET_ROLES, {"in": {"username": "leyla", "roles": ["registrar"]}}
    )
    assert roles["data"]["setUserRoles"] == {"userId": target, "userErrors": []}
    viewer = await call(client, theirs, "{ viewer { roles } }", {})
    assert viewer["data"]["viewer"]["roles"] == ["registrar"]  # no wait in this process
    bad = await call(client, token, SET_ROLES, {"in": {"username": "leyla", "roles": ["head"]}})
    assert bad["data"]["setUserRoles"]["userErrors"][0]["field"] == "roles"

    off = await call(client, token, SET_ACTIVE, {"in": {"username": "leyla", "active": False}})
    assert off["data"]["setUserActive"]["userId"] == target
    refused = await client.post(
        "/graphql", json={"query": "{ viewer { roles } }"}, headers=bearer(theirs)
    )
    assert refused.status_code == 401
    missing = await call(client, token, SET_ACTIVE, {"in": {"username": "nobody", "active": False}})
    assert missing["data"]["setUserActive"]["userErrors"][0]["code"] == "NOT_FOUND"
    updates = [e for e in await audit_rows(clean_platform) if e["action"] == "auth.user.update"]
    assert len(updates) == 2


async def test_only_administrators_change_accounts(client, auth, clean_platform) -> None:
    editor = await add_user(clean_platform, "editor", {"state_body_editor"}, "DIN")
    await add_user(clean_platform, "leyla", {"auditor"})
    token, _ = auth.access_token(editor, "user")
    for query, variables in (
        (SET_ACTIVE, {"in": {"username": "leyla", "active": False}}),
        (SET_ROLES, {"in": {"username": "editor", "roles": ["administrator"]}}),
    ):
        body = await call(client, token, query, variables)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    rows = await clean_platform.db.read(
        "MATCH (u:User) RETURN u.username AS name, u.active AS active, u.roles AS roles"
    )
    state = {r["name"]: (r["active"], r["roles"]) for r in rows}
    assert state == {"editor": (True, ["state_body_editor"]), "leyla": (True, ["auditor"])}
