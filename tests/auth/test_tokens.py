"""Token attacks at the HTTP edge: each forged or stale token is refused with 401."""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
import time
import uuid

import pytest

from asan.auth import tokens
from asan.auth.keys import KeyStore
from asan.auth.service import AuthService, retire_after
from asan.core.settings import Settings
from tests.auth.support import add_user, b64, b64json, bearer

VIEWER = {"query": "{ viewer { subject kind } }"}


def claims(settings: Settings, sub: str, **overrides: object) -> dict[str, object]:
    now = int(time.time())
    base: dict[str, object] = {
        "iss": settings.auth_issuer,
        "aud": settings.auth_audience,
        "sub": sub,
        "kind": "user",
        "iat": now,
        "nbf": now,
        "exp": now + 300,
        "jti": uuid.uuid4().hex,
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


async def refused(client, token: str) -> str:
    response = await client.post("/graphql", json=VIEWER, headers=bearer(token))
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith("Bearer")
    body = response.json()
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    return str(body["errors"][0]["message"])


async def test_valid_token_identifies_the_caller(client, auth, clean_platform) -> None:
    user = await add_user(clean_platform, "aysel")
    token, _ = auth.access_token(user, "user")
    response = await client.post("/graphql", json=VIEWER, headers=bearer(token))
    assert response.status_code == 200
    assert response.json()["data"]["viewer"] == {"subject": user, "kind": "user"}
    anonymous = await client.post("/graphql", json=VIEWER)
    assert anonymous.json()["data"]["viewer"] is None


async def test_alg_none_is_refused(client, auth_settings, clean_platform) -> None:
    user = await add_user(clean_platform, "aysel")
    forged = f"{b64json({'alg': 'none', 'typ': 'JWT'})}.{b64json(claims(auth_settings, user))}."
    assert "algorithm" in await refused(client, forged)


async def test_hs256_signed_with_the_public_key_is_refused(client, auth, clean_platform) -> None:
    user = await add_user(clean_platform, "aysel")
    jwk = auth.keys.active.jwk
    for secret in (str(jwk).encode(), auth.keys.active.private_pem):  # any guessable key material
        head = b64json({"alg": "HS256", "typ": "JWT", "kid": jwk["kid"]})
        body = b64json(claims(auth.settings, user))
        signature = hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
        assert "HS256" in await refused(client, f"{head}.{body}.{b64(signature)}")


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}, "expired"),
        ({"nbf": int(time.time()) + 3600}, "not yet valid"),
        ({"aud": "someone-else"}, "audience"),
        ({"exp": None}, "exp"),
        ({"aud": None}, "aud"),
    ],
)
async def test_stale_or_misaddressed_tokens_are_refused(
    client, auth, clean_platform, overrides, reason
) -> None:
    user = await add_user(clean_platform, "aysel")
    token = tokens.sign(claims(auth.settings, user, **overrides), auth.keys.active)
    message = await refused(client, token)
    assert reason.split()[0] in message.lower() or reason in message


async def test_wrong_issuer_is_refused(client, auth, clean_platform) -> None:
    user = await add_user(clean_platform, "aysel")
    token = tokens.sign(claims(auth.settings, user, iss="https://evil.example"), auth.keys.active)
    assert "issuer" in await refused(client, token)


async def test_unknown_kid_is_refused(
    client, auth, auth_settings, clean_platform, tmp_path
) -> None:
    user = await add_user(clean_platform, "aysel")
    stranger = KeyStore.open(tmp_path / "elsewhere", "ES256")
    token = tokens.sign(claims(auth_settings, user), stranger.active)
    assert "kid" in await refused(client, token)


async def test_tampered_payload_is_refused(client, auth, clean_platform) -> None:
    user = await add_user(clean_platform, "aysel")
    admin = await add_user(clean_platform, "boss", {"administrator"})
    head, _, signature = auth.access_token(user, "user")[0].split(".")
    tampered = f"{head}.{b64json(claims(auth.settings, admin))}.{signature}"
    assert "signature" in (await refused(client, tampered)).lower()


async def test_garbage_and_wrong_scheme_are_refused_not_anonymous(client) -> None:
    await refused(client, "not-a-token")
    response = await client.post("/graphql", json=VIEWER, headers={"Authorization": "Basic eDp5"})
    assert response.status_code == 401


async def test_token_of_a_deactivated_user_is_refused(client, auth, clean_platform) -> None:
    user = await add_user(clean_platform, "aysel")
    token, _ = auth.access_token(user, "user")
    await clean_platform.db.write("MATCH (u:User {id: $id}) SET u.active = false", {"id": user})
    assert "active" in await refused(client, token)


async def test_keys_rotate_without_logging_anyone_out(client, auth, clean_platform) -> None:
    user = await add_user(clean_platform, "aysel")
    old_token, _ = auth.access_token(user, "user")
    old_kid = auth.keys.active.kid
    # another process (the CLI) rotates the keys in the same directory
    other = KeyStore.open(auth.keys.directory.parent, "ES256")
    new_kid, dropped = other.rotate(retire_after(auth.settings))
    assert new_kid != old_kid and dropped == []
    auth.keys._checked = 0.0  # skip the 1 s re-check interval instead of sleeping
    assert auth.keys.active.kid == new_kid
    new_token, _ = auth.access_token(user, "user")
    assert tokens.header(new_token)["kid"] == new_kid
    for token in (old_token, new_token):
        response = await client.post("/graphql", json=VIEWER, headers=bearer(token))
        assert response.json()["data"]["viewer"]["subject"] == user
    jwks = (await client.get("/.well-known/jwks.json")).json()
    assert {k["kid"] for k in jwks["keys"]} == {old_kid, new_kid}
    assert all("d" not in k for k in jwks["keys"])  # public halves only


def test_private_keys_are_private_files(auth: AuthService) -> None:
    directory = auth.keys.directory
    assert stat.S_IMODE(os.stat(directory).st_mode) == 0o700
    pems = list(directory.glob("*.pem"))
    assert pems and all(stat.S_IMODE(os.stat(p).st_mode) == 0o600 for p in pems)


def test_verify_refuses_symmetric_keys_even_when_asked(auth: AuthService) -> None:
    token, _ = auth.access_token("someone", "user")
    with pytest.raises(tokens.TokenError):
        tokens.verify(
            token, {"kty": "oct", "k": "c2VjcmV0"}, issuer="asan-registry", audience="asan-api"
        )


def test_rotation_drops_keys_retired_longer_than_the_token_lifetime(tmp_path) -> None:
    from datetime import timedelta

    store = KeyStore.open(tmp_path, "ES256")
    first = store.active.kid
    second, dropped = store.rotate(timedelta(0))
    assert dropped == [] and store.public_key(first) is not None  # just retired: still published
    third, dropped = store.rotate(timedelta(0))
    assert dropped == [first] and store.public_key(first) is None
    assert not (store.directory / f"key-{first}.pem").exists()
    assert {k["kid"] for k in store.jwks()["keys"]} == {second, third}
