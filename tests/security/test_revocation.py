"""Issue 7, item 4: logout, a refresh family's revocation, deactivation and a role change reach
access tokens already issued, in every API process, within seconds.

Two AuthService instances sharing one Neo4j (and one key directory) stand for two API
processes. Most tests drive each one's clock; one runs on the real clock over HTTP and polls
with a deadline, measuring how long a logged-out token keeps working elsewhere.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from asan.auth import accounts
from asan.auth.keys import KeyStore
from asan.auth.principal import SYSTEM
from asan.auth.service import AuthService
from asan.core.errors import Unauthenticated
from asan.core.platform import Platform
from asan.core.settings import Settings
from tests.auth.support import PASSWORD, FakeClock, add_user, asgi_client, bearer

VIEWER = "{ viewer { subject roles } }"


@pytest.fixture
def auth_settings(settings: Settings, tmp_path: Path) -> Settings:
    return settings.model_copy(update={"data_dir": tmp_path})


def process(settings: Settings, clock: FakeClock | None = None) -> AuthService:
    """One API process: its own caches, the shared key directory."""
    keys = KeyStore.open(settings.data_path, settings.auth_algorithm)
    return AuthService(settings, keys, clock=clock or time.time)


async def accepted(auth: AuthService, platform: Platform, token: str) -> bool:
    try:
        await auth.authenticate(platform, token, "192.0.2.1")
    except Unauthenticated:
        return False
    return True


async def test_logout_ends_access_tokens_here_at_once_and_elsewhere_within_the_interval(
    auth_settings: Settings, clean_platform: Platform
) -> None:
    p = clean_platform
    await add_user(p, "aysel")
    clock_a, clock_b = FakeClock(), FakeClock()
    a, b = process(auth_settings, clock_a), process(auth_settings, clock_b)
    pair = await a.login(p, "aysel", PASSWORD)
    assert await accepted(a, p, pair.access_token) and await accepted(b, p, pair.access_token)

    assert pair.refresh_token and await a.logout(p, pair.refresh_token)
    assert not await accepted(a, p, pair.access_token)  # the process that logged out: at once
    # the other process honours it once its copy is older than the interval, not later
    clock_b.advance(auth_settings.auth_revocation_cache_seconds)
    assert not await accepted(b, p, pair.access_token)
    # and a new session of the same user is not affected
    again = await b.login(p, "aysel", PASSWORD)
    assert await accepted(a, p, again.access_token)


async def test_logged_out_token_is_refused_by_another_process_within_5_seconds(
    auth_settings: Settings, clean_platform: Platform
) -> None:
    """Real clocks, over HTTP: the figure the issue asks for."""
    p = clean_platform
    await add_user(p, "aysel")
    server, other = process(auth_settings), process(auth_settings)
    pair = await other.login(p, "aysel", PASSWORD)
    async with asgi_client(auth_settings, p, server) as client:
        first = await client.post(
            "/graphql", json={"query": VIEWER}, headers=bearer(pair.access_token)
        )
        assert first.status_code == 200 and first.json()["data"]["viewer"]
        assert pair.refresh_token and await other.logout(p, pair.refresh_token)
        started = time.perf_counter()
        deadline = started + 5.0
        status = 200
        while time.perf_counter() < deadline:
            response = await client.post(
                "/graphql", json={"query": VIEWER}, headers=bearer(pair.access_token)
            )
            status = response.status_code
            if status == 401:
                break
            await asyncio.sleep(0.05)  # poll interval, not synchronisation
        elapsed = time.perf_counter() - started
    assert status == 401, f"still accepted {elapsed:.2f} s after logout"
    assert "session has ended" in response.json()["errors"][0]["message"]
    assert elapsed < 5.0
    print(f"logged-out token refused by another process after {elapsed:.2f} s")


async def test_refresh_reuse_revokes_the_family_access_tokens_everywhere(
    auth_settings: Settings, clean_platform: Platform
) -> None:
    p = clean_platform
    await add_user(p, "aysel")
    clock_a, clock_b = FakeClock(), FakeClock()
    a, b = process(auth_settings, clock_a), process(auth_settings, clock_b)
    first = await a.login(p, "aysel", PASSWORD)
    assert first.refresh_token
    rotated = await a.refresh(p, first.refresh_token)
    assert await accepted(b, p, first.access_token) and await accepted(b, p, rotated.access_token)
    # a stolen copy of the spent refresh token is presented to the other process
    with pytest.raises(Unauthenticated):
        await b.refresh(p, first.refresh_token)
    assert not await accepted(b, p, rotated.access_token)
    assert not await accepted(b, p, first.access_token)
    clock_a.advance(auth_settings.auth_revocation_cache_seconds)
    assert not await accepted(a, p, rotated.access_token)
    assert not await accepted(a, p, first.access_token)


async def test_deactivation_ends_tokens_within_the_interval_and_reactivation_does_not_revive_them(
    auth_settings: Settings, clean_platform: Platform
) -> None:
    p = clean_platform
    await add_user(p, "aysel", {"auditor"})
    clock = FakeClock()
    api = process(auth_settings, clock)
    pair = await api.login(p, "aysel", PASSWORD)
    assert await accepted(api, p, pair.access_token)  # resolved and cached
    assert auth_settings.auth_revocation_cache_seconds < auth_settings.auth_principal_cache_seconds

    await accounts.set_user_active(p, SYSTEM, "aysel", False, now=clock())
    clock.advance(auth_settings.auth_revocation_cache_seconds)
    assert not await accepted(api, p, pair.access_token)  # before the principal cache expired

    clock.advance(1)
    await accounts.set_user_active(p, SYSTEM, "aysel", True, now=clock())
    clock.advance(auth_settings.auth_revocation_cache_seconds + 1)
    assert not await accepted(api, p, pair.access_token)  # a token from before stays dead
    fresh = await api.login(p, "aysel", PASSWORD)
    assert await accepted(api, p, fresh.access_token)


async def test_role_change_reaches_a_signed_in_caller_within_the_interval(
    auth_settings: Settings, clean_platform: Platform
) -> None:
    p = clean_platform
    await add_user(p, "aysel", {"auditor"})
    clock = FakeClock()
    api = process(auth_settings, clock)
    token = (await api.login(p, "aysel", PASSWORD)).access_token
    assert (await api.authenticate(p, token, None)).roles == frozenset({"auditor"})

    await accounts.set_user_roles(p, SYSTEM, "aysel", frozenset({"registry_reviewer"}), now=clock())
    clock.advance(auth_settings.auth_revocation_cache_seconds)
    principal = await api.authenticate(p, token, None)
    assert principal.roles == frozenset({"registry_reviewer"})


async def test_revocation_state_costs_one_query_per_interval_not_per_request(
    auth_settings: Settings, clean_platform: Platform
) -> None:
    p = clean_platform
    await add_user(p, "aysel")
    clock = FakeClock()
    api = process(auth_settings, clock)
    token = (await api.login(p, "aysel", PASSWORD)).access_token
    for _ in range(20):
        assert await accepted(api, p, token)
    assert api.revocations.loads == 1
    clock.advance(auth_settings.auth_revocation_cache_seconds)
    assert await accepted(api, p, token)
    assert api.revocations.loads == 2
