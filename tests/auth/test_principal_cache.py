"""Resolving a caller is cached for a few seconds: cheap per request, and changes still land."""

import pytest

from asan.auth.service import AuthService
from asan.core.errors import Unauthenticated
from asan.core.platform import Platform
from tests.auth.support import FakeClock, add_user


async def test_caller_is_resolved_once_within_the_ttl_and_again_after(
    clean_platform: Platform, auth: AuthService, clock: FakeClock
) -> None:
    p = clean_platform
    user_id = await add_user(p, "cache.user", {"registry_reviewer"})
    token, _ = auth.access_token(user_id, "user")

    first = await auth.authenticate(p, token, "127.0.0.1")
    trips = p.db.round_trips
    second = await auth.authenticate(p, token, "10.0.0.9")
    assert p.db.round_trips == trips  # no graph query for the repeat
    assert second.roles == first.roles == frozenset({"registry_reviewer"})
    assert second.source == "10.0.0.9"  # per-request facts are never cached

    await p.db.write(
        "MATCH (u:User {id: $id}) SET u.roles = ['registry_reviewer', 'auditor']", {"id": user_id}
    )
    clock.advance(auth.settings.auth_principal_cache_seconds + 1)
    third = await auth.authenticate(p, token, "127.0.0.1")
    assert p.db.round_trips > trips
    assert third.roles == frozenset({"registry_reviewer", "auditor"})


async def test_a_deactivated_account_is_refused_once_the_ttl_passes(
    clean_platform: Platform, auth: AuthService, clock: FakeClock
) -> None:

    p = clean_platform
    user_id = await add_user(p, "cache.gone", {"auditor"})
    token, _ = auth.access_token(user_id, "user")
    await auth.authenticate(p, token, None)
    await p.db.write("MATCH (u:User {id: $id}) SET u.active = false", {"id": user_id})
    clock.advance(auth.settings.auth_principal_cache_seconds + 1)
    with pytest.raises(Unauthenticated):
        await auth.authenticate(p, token, None)
