"""Sign-in, rotating refresh tokens, client credentials: via GraphQL and /oauth/token."""

from __future__ import annotations

import base64

import pytest

from asan.auth import tokens
from asan.auth.accounts import create_service_account
from asan.auth.keys import KeyStore
from asan.auth.models import NewServiceAccount
from asan.auth.principal import SYSTEM
from asan.auth.service import AuthService
from asan.core.errors import BadInput, Unauthenticated
from tests.auth.support import (
    PASSWORD,
    FakeClock,
    add_user,
    audit_rows,
    bearer,
    ensure_state_body,
)

LOGIN = """
mutation($u: String!, $p: String!) {
  login(input: {username: $u, password: $p}) { accessToken refreshToken expiresIn tokenType }
}"""
REFRESH = """
mutation($t: String!) { refreshSession(input: {refreshToken: $t}) { accessToken refreshToken } }"""


async def gql(client, query: str, variables: dict | None = None, token: str | None = None):
    headers = bearer(token) if token else {}
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
    )
    assert response.status_code == 200, response.text
    return response.json()


async def test_login_refresh_and_reuse_detection(client, clean_platform) -> None:
    user = await add_user(clean_platform, "Əli.Məmmədov")
    # usernames match case-insensitively, Azerbaijani style (Ə/ə, İ/i)
    body = await gql(client, LOGIN, {"u": "əli.məmmədov", "p": PASSWORD})
    session = body["data"]["login"]
    assert session["tokenType"] == "Bearer" and session["expiresIn"] == 600
    viewer = await gql(client, "{ viewer { subject } }", token=session["accessToken"])
    assert viewer["data"]["viewer"]["subject"] == user

    first = session["refreshToken"]
    rotated = (await gql(client, REFRESH, {"t": first}))["data"]["refreshSession"]
    assert rotated["refreshToken"] != first
    # the spent token is presented again (stolen copy): refused, and the whole family revoked
    reuse = await gql(client, REFRESH, {"t": first})
    assert reuse["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "revoked" in reuse["errors"][0]["message"]
    after = await gql(client, REFRESH, {"t": rotated["refreshToken"]})
    assert after["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    refusals = [
        e for e in await audit_rows(clean_platform, "refused") if e["action"] == "auth.refresh"
    ]
    assert refusals and refusals[0]["actor"] == user


async def test_a_spent_refresh_token_renews_again_only_within_the_grace(
    auth_settings, clean_platform
) -> None:
    """Two workers renewing one page session at once: the second is not taken for a theft,
    but only within the grace, and the session still ends on a later reuse."""
    clock = FakeClock()
    grace = auth_settings.model_copy(update={"auth_refresh_reuse_grace_seconds": 10.0})
    auth = AuthService(grace, KeyStore.open(grace.data_path, grace.auth_algorithm), clock=clock)
    await add_user(clean_platform, "aysel")
    pair = await auth.login(clean_platform, "aysel", PASSWORD)
    assert pair.refresh_token
    first = await auth.refresh(clean_platform, pair.refresh_token)
    clock.advance(3)
    second = await auth.refresh(clean_platform, pair.refresh_token)  # the other worker
    assert second.refresh_token not in (first.refresh_token, pair.refresh_token)
    assert first.refresh_token and second.refresh_token
    await auth.refresh(clean_platform, first.refresh_token)  # both successors stay valid
    clock.advance(8)  # 11 s after the first use: a theft again, the whole session ends
    with pytest.raises(Unauthenticated, match="revoked"):
        await auth.refresh(clean_platform, pair.refresh_token)
    with pytest.raises(Unauthenticated):
        await auth.refresh(clean_platform, second.refresh_token)
    renewals = [e for e in await audit_rows(clean_platform) if e["action"] == "auth.refresh"]
    assert any("reusedWithinGraceSeconds" in str(e.get("details")) for e in renewals)


async def test_wrong_password_and_unknown_user_answer_alike(client, clean_platform) -> None:
    await add_user(clean_platform, "aysel")
    wrong = await gql(client, LOGIN, {"u": "aysel", "p": "not the password"})
    unknown = await gql(client, LOGIN, {"u": "nobody", "p": "not the password"})
    assert wrong["errors"][0]["message"] == unknown["errors"][0]["message"]
    assert wrong["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    events = await audit_rows(clean_platform, "refused")
    assert [e["action"] for e in events] == ["auth.login", "auth.login"]


async def test_logout_revokes_the_session(client, auth, clean_platform) -> None:
    await add_user(clean_platform, "aysel")
    pair = await auth.login(clean_platform, "aysel", PASSWORD)
    assert pair.refresh_token
    assert await auth.logout(clean_platform, pair.refresh_token)
    with pytest.raises(Unauthenticated):
        await auth.refresh(clean_platform, pair.refresh_token)


async def test_oauth_token_endpoint_password_and_refresh(client, clean_platform) -> None:
    await add_user(clean_platform, "aysel")
    response = await client.post(
        "/oauth/token", data={"grant_type": "password", "username": "aysel", "password": PASSWORD}
    )
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    pair = response.json()
    refreshed = await client.post(
        "/oauth/token", data={"grant_type": "refresh_token", "refresh_token": pair["refresh_token"]}
    )
    assert (
        refreshed.status_code == 200 and refreshed.json()["refresh_token"] != pair["refresh_token"]
    )
    bad = await client.post(
        "/oauth/token", data={"grant_type": "password", "username": "aysel", "password": "x" * 12}
    )
    assert bad.status_code == 400 and bad.json()["error"] == "invalid_grant"
    unsupported = await client.post("/oauth/token", data={"grant_type": "implicit"})
    assert unsupported.json()["error"] == "unsupported_grant_type"


async def test_client_credentials_with_scopes(client, auth, clean_platform) -> None:
    await ensure_state_body(clean_platform, "DIN")
    secret = await create_service_account(
        clean_platform,
        SYSTEM,
        NewServiceAccount(
            "din-portal",
            "DİN portal",
            frozenset({"registry.service.read", "registry.service.submit"}),
            state_body="DIN",
            roles=frozenset({"state_body_editor"}),
        ),
    )
    basic = base64.b64encode(f"din-portal:{secret}".encode()).decode()
    response = await client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "scope": "registry.service.read"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["scope"] == "registry.service.read" and "refresh_token" not in body
    assert tokens.header(body["access_token"])["alg"] == "ES256"
    viewer = await gql(
        client, "{ viewer { subject kind scopes stateBody } }", token=body["access_token"]
    )
    assert viewer["data"]["viewer"] == {
        "subject": "din-portal",
        "kind": "service",
        "scopes": ["registry.service.read"],
        "stateBody": "DIN",
    }
    beyond = await client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": "din-portal",
            "client_secret": secret,
            "scope": "registry.service.register",
        },
    )
    assert beyond.status_code == 400 and beyond.json()["error"] == "invalid_scope"
    wrong = await client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": "din-portal", "client_secret": "x"},
    )
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    with pytest.raises(BadInput):
        await auth.client_credentials(clean_platform, "din-portal", secret, frozenset({"admin"}))
