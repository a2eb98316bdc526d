"""Tokens of an external OpenID Connect provider, whose JWKS we serve locally (no internet)."""

from __future__ import annotations

import time
import uuid

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from asan.auth import tokens
from asan.auth.keys import SigningKey, generate_private_pem, public_jwk
from asan.auth.oidc import JwksCache
from asan.auth.service import AuthService
from tests.auth.conftest import client_for
from tests.auth.support import add_user, bearer

ISSUER = "https://idp.gov.az/realms/staff"
AUDIENCE = "asan-registry-api"


def provider_key() -> SigningKey:
    pem = generate_private_pem("RS256")
    jwk = public_jwk(pem, "RS256")
    return SigningKey(jwk["kid"], "RS256", pem, jwk)


class Provider:
    """A stand-in identity provider: its JWKS endpoint, served in-process."""

    def __init__(self) -> None:
        self.keys = [provider_key()]
        self.requests = 0

        async def jwks(request: Request) -> JSONResponse:
            self.requests += 1
            return JSONResponse({"keys": [k.jwk for k in self.keys]})

        app = Starlette(routes=[Route("/jwks", jwks)])
        self.http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://idp")

    def token(self, sub: str, key: SigningKey | None = None, **overrides: object) -> str:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": sub,
            "iat": now,
            "exp": now + 300,
            "jti": uuid.uuid4().hex,
            **overrides,
        }
        return tokens.sign(claims, key or self.keys[0])


@pytest.fixture
async def provider():
    p = Provider()
    yield p
    await p.http.aclose()


@pytest.fixture
def oidc_setup(auth_settings, auth, provider):
    s = auth_settings.model_copy(
        update={
            "oidc_issuer": ISSUER,
            "oidc_audience": AUDIENCE,
            "oidc_jwks_url": "http://idp/jwks",
        }
    )
    cache = JwksCache(s.oidc_jwks_url, s.oidc_jwks_cache_seconds, client=provider.http)
    return s, AuthService(s, auth.keys, clock=auth.clock, oidc_keys=cache)


VIEWER = {"query": "{ viewer { subject roles } }"}


async def test_external_tokens_map_to_linked_users(clean_platform, oidc_setup, provider) -> None:
    settings, service = oidc_setup
    linked = await add_user(
        clean_platform, "nigar", {"registry_reviewer"}, external_id=f"{ISSUER}|kc-123"
    )
    async with client_for(settings, clean_platform, service) as client:
        mine = await client.post("/graphql", json=VIEWER, headers=bearer(provider.token("kc-123")))
        assert mine.json()["data"]["viewer"] == {"subject": linked, "roles": ["registry_reviewer"]}
        stranger = await client.post(
            "/graphql", json=VIEWER, headers=bearer(provider.token("kc-9"))
        )
        assert stranger.json()["data"]["viewer"] == {
            "subject": "oidc:kc-9",
            "roles": ["public_reader"],
        }
        # JWKS fetched once and cached
        assert provider.requests == 1

        wrong_aud = provider.token("kc-123", aud="asan-api")
        response = await client.post("/graphql", json=VIEWER, headers=bearer(wrong_aud))
        assert response.status_code == 401
        forged = provider.token("kc-123", key=provider_key())  # a kid the provider never published
        response = await client.post("/graphql", json=VIEWER, headers=bearer(forged))
        assert response.status_code == 401 and "kid" in response.json()["errors"][0]["message"]
        assert provider.requests == 1  # fetched moments ago: an unknown kid does not refetch
        service.oidc_keys._fetched_at -= 11  # past the refetch interval, instead of sleeping
        for _ in range(3):
            response = await client.post("/graphql", json=VIEWER, headers=bearer(forged))
            assert response.status_code == 401
        assert provider.requests == 2  # one refetch for the unknown kid, not one per request


async def test_provider_key_rotation_is_picked_up(clean_platform, oidc_setup, provider) -> None:
    settings, service = oidc_setup
    async with client_for(settings, clean_platform, service) as client:
        assert (
            await client.post("/graphql", json=VIEWER, headers=bearer(provider.token("a")))
        ).status_code == 200
        rotated = provider_key()
        provider.keys.append(rotated)
        service.oidc_keys._fetched_at -= 60  # past the refetch interval, instead of sleeping
        response = await client.post(
            "/graphql", json=VIEWER, headers=bearer(provider.token("a", key=rotated))
        )
        assert response.status_code == 200


async def test_without_configuration_external_tokens_are_refused(client, provider) -> None:
    response = await client.post("/graphql", json=VIEWER, headers=bearer(provider.token("kc-1")))
    assert response.status_code == 401 and "issuer" in response.json()["errors"][0]["message"]
