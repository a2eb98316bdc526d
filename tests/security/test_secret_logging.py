"""Issue 7, item 3: no password, token or client secret reaches the log, in dev and prod.

The real app and the real logging configuration (``asan.core.logging.configure``, as
``asan serve`` installs it) write to a file; the test fails logins inline and through
variables, over GraphQL and /oauth/token, presents a forged bearer token and a bad client
secret, signs in successfully, then greps the whole log for every secret it used.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from asan.auth.keys import KeyStore
from asan.auth.service import AuthService
from asan.core.logging import configure, redact
from asan.core.platform import Platform
from asan.core.settings import Profile, Settings
from tests.auth.support import PASSWORD, add_user, asgi_client, b64json, bearer

WRONG_INLINE = "Inline-Pa55-ZQXJ"
WRONG_VARIABLE = "Variable-Pa55-WKVY"
WRONG_FORM = "Form-Pa55-PLMO"
WRONG_TYPED = "Typed-Pa55-HGTR"
CLIENT_SECRET = "Client-S3cret-UYTE"
REFRESH_GUESS = "rt_Refresh-Guess-NBVCXZLKJHGF"
FORGED = (
    b64json({"alg": "ES256", "kid": "forged", "typ": "JWT"})
    + "."
    + b64json({"sub": "x", "iss": "asan-registry", "note": "Forged-Token-QAZW"})
    + ".c2lnbmF0dXJl"
)


INLINE_LOGIN = 'mutation { login(input: {username: "aysel", password: "PW"}) { accessToken } }'


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    """The production logging set-up, writing to a file; the previous set-up restored after."""
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    path = tmp_path / "api.log"
    with path.open("w", encoding="utf-8") as stream:
        configure("INFO", as_json=True, stream=stream)
        try:
            yield path
        finally:
            root.handlers[:] = saved_handlers
            root.setLevel(saved_level)


@pytest.mark.parametrize("profile", [Profile.DEV, Profile.PROD])
async def test_failed_logins_leave_no_secret_in_the_log(
    settings: Settings,
    tmp_path: Path,
    clean_platform: Platform,
    log_file: Path,
    profile: Profile,
) -> None:
    s = settings.model_copy(update={"data_dir": tmp_path, "profile": profile})
    auth = AuthService(s, KeyStore.open(tmp_path, s.auth_algorithm))
    await add_user(clean_platform, "aysel")
    issued: list[str] = []
    async with asgi_client(s, clean_platform, auth, "192.0.2.10") as client:

        async def gql(query: str, variables: dict[str, object] | None = None) -> dict:
            response = await client.post("/graphql", json={"query": query, "variables": variables})
            return response.json()

        inline = await gql(INLINE_LOGIN.replace("PW", WRONG_INLINE))
        assert inline["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        by_variable = await gql(
            "mutation($i: LoginInput!) { login(input: $i) { accessToken } }",
            {"i": {"username": "ghost", "password": WRONG_VARIABLE}},
        )
        assert by_variable["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        # a variable graphql-core refuses, whose message quotes the value back
        typed = await gql(
            "mutation($i: LoginInput!) { login(input: $i) { accessToken } }",
            {"i": {"username": "aysel", "password": WRONG_TYPED, "extra": 1}},
        )
        assert typed["errors"]
        refresh = await gql(
            'mutation { refreshSession(input: {refreshToken: "RT"}) { accessToken } }'.replace(
                "RT", REFRESH_GUESS
            )
        )
        assert refresh["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

        form = {"grant_type": "password", "username": "aysel", "password": WRONG_FORM}
        assert (await client.post("/oauth/token", data=form)).status_code == 400
        basic = base64.b64encode(f"no-such-client:{CLIENT_SECRET}".encode()).decode()
        response = await client.post(
            "/oauth/token",
            data={"grant_type": "client_credentials"},
            headers={"Authorization": f"Basic {basic}"},
        )
        assert response.status_code == 401
        forged = await client.post(
            "/graphql", json={"query": "{ viewer { subject } }"}, headers=bearer(FORGED)
        )
        assert forged.status_code == 401

        ok = await client.post(
            "/oauth/token",
            data={"grant_type": "password", "username": "aysel", "password": PASSWORD},
        )
        assert ok.status_code == 200
        issued += [ok.json()["access_token"], ok.json()["refresh_token"]]
        viewer = await client.post(
            "/graphql",
            json={"query": "{ viewer { subject } }"},
            headers=bearer(issued[0]),
        )
        assert viewer.status_code == 200
        # a failing mutation that carries the live tokens inline
        logout = await gql(
            'mutation { logout(input: {refreshToken: "RT"}) { ok } } { oops }'.replace(
                "RT", issued[1]
            )
        )
        assert logout["errors"]

    for handler in logging.getLogger().handlers:
        handler.flush()
    text = await asyncio.to_thread(log_file.read_text, encoding="utf-8")
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    # the log did record the failures (the check below is not vacuous) ...
    assert any(
        line["logger"] == "strawberry.execution" and "wrong username or password" in line["msg"]
        for line in lines
    )
    assert sum(1 for line in lines if line["logger"] == "asan.http") >= 9
    # ... and holds none of the secrets, in any form
    secrets = [
        WRONG_INLINE,
        WRONG_VARIABLE,
        WRONG_TYPED,
        WRONG_FORM,
        CLIENT_SECRET,
        basic,
        REFRESH_GUESS,
        FORGED,
        FORGED.split(".")[1],
        PASSWORD,
        *issued,
    ]
    leaked = [secret for secret in secrets if secret in text]
    assert leaked == [], f"secrets in the log: {leaked}"


def test_redaction_covers_the_shapes_secrets_travel_in() -> None:
    samples = {
        'login(input: {username: "a", password: "S1"})': "S1",
        'login(input:{password:"""S2 block"""})': "S2 block",
        '{"refreshToken": "S3", "clientSecret": "S4"}': "S3",
        "{'password': 'S5'}": "S5",
        "grant_type=password&password=S6&client_secret=S7": "S6",
        "Variable '$i' got invalid value {'username': 'a', 'x': 'S8'}; Field 'x' unknown.": "S8",
        "String cannot represent a non string value: S9": "S9",
        "Authorization: Bearer S10.S10.S10": "S10",
    }
    for text, secret in samples.items():
        assert secret not in redact(text), text
    assert redact("token has expired; user aysel") == "token has expired; user aysel"
