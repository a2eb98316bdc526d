"""What `make fuzz` found after the listed cases were fixed: each reproducer is a test.

Bad variable values were labelled INTERNAL_SERVER_ERROR; a refused stranger's very long id broke
the audit append (Neo4j's index size limit); the token endpoint answered 500 to a lone surrogate
or a 15,000-character username.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from asan.auth.keys import KeyStore
from asan.auth.service import AuthService
from asan.core.platform import Platform
from asan.core.settings import Settings
from tests.auth.support import asgi_client, audit_rows


@pytest.fixture
def auth(settings: Settings, tmp_path: Path) -> AuthService:
    s = settings.model_copy(update={"data_dir": tmp_path})
    return AuthService(s, KeyStore.open(tmp_path, s.auth_algorithm))


async def graphql(client: httpx.AsyncClient, query: str, variables: Any = None) -> Any:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    return response.status_code, response.json()


def codes(body: Any) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors") or []]


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        ("query($f: Int){ orgUnits(first: $f){ totalCount } }", {"f": ""}),
        ("query($f: Int){ orgUnits(first: $f){ totalCount } }", {"f": "ten"}),
        (  # a missing required input field
            "mutation($i: SetUserRolesInput!){ setUserRoles(input: $i){ userErrors { code } } }",
            {"i": {"roles": []}},
        ),
        (  # a wrong type inside an input object
            "mutation($i: SetUserRolesInput!){ setUserRoles(input: $i){ userErrors { code } } }",
            {"i": {"username": 5, "roles": []}},
        ),
        ("query($c: String!){ service(code: $c){ code } }", {}),  # a required variable missing
    ],
)
async def test_bad_variable_values_are_bad_user_input(
    settings: Settings, clean_platform: Platform, auth: AuthService, query: str, variables: Any
) -> None:
    async with asgi_client(settings, clean_platform, auth) as client:
        status, body = await graphql(client, query, variables)
    assert status == 200
    assert codes(body) == ["BAD_USER_INPUT"], body
    assert "INTERNAL" not in str(body)


async def test_a_refused_stranger_with_a_huge_id_is_audited_not_a_server_fault(
    settings: Settings, clean_platform: Platform, auth: AuthService
) -> None:
    huge = "Ə" * 5000
    async with asgi_client(settings, clean_platform, auth) as client:
        _, body = await graphql(
            client,
            "mutation($i: SetUserRolesInput!){ setUserRoles(input: $i){ userErrors { code } } }",
            {"i": {"username": huge, "roles": []}},
        )
    assert codes(body) in (["FORBIDDEN"], ["UNAUTHENTICATED"]), body
    refused = await audit_rows(clean_platform, "refused")
    assert len(refused) == 1
    target = refused[0]["targetId"]
    # kept recognisable and unique, yet small enough for the index
    assert target.startswith("Ə" * 64) and "sha256:" in target and len(target) < 200


@pytest.mark.parametrize(
    ("body", "json_body", "named"),
    [
        (None, {"grant_type": "password", "username": "\ud800", "password": "x"}, "username"),
        ({"grant_type": "password", "username": "a" * 15000, "password": "x"}, None, "username"),
        ({"grant_type": "password", "username": "aysel", "password": "x\x00y"}, None, "password"),
    ],
)
async def test_token_endpoint_refuses_unstorable_fields_by_name(
    settings: Settings,
    clean_platform: Platform,
    auth: AuthService,
    body: dict[str, str] | None,
    json_body: dict[str, str] | None,
    named: str,
) -> None:
    async with asgi_client(settings, clean_platform, auth) as client:
        if json_body is not None:  # json.dumps escapes the surrogate as \\ud800, as a client would
            response = await client.post(
                "/oauth/token",
                content=json.dumps(json_body),
                headers={"content-type": "application/json"},
            )
        else:
            response = await client.post("/oauth/token", data=body)
    assert response.status_code == 400, response.text
    answer = response.json()
    assert answer["error"] == "invalid_request"
    assert named in answer["error_description"]


async def test_graphql_login_with_a_huge_username_is_a_plain_failure(
    settings: Settings, clean_platform: Platform, auth: AuthService
) -> None:
    async with asgi_client(settings, clean_platform, auth) as client:
        _, body = await graphql(
            client,
            """mutation($i: LoginInput!){ login(input: $i){ accessToken } }""",
            {"i": {"username": "ş" * 15000, "password": "wrong password"}},
        )
    assert codes(body) == ["UNAUTHENTICATED"], body
