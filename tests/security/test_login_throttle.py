"""Issue 7, item 8: a stranger who knows a username cannot lock its owner out, yet guessing
stays slow, from one address or spread over many. The clock is driven, never slept on."""

from __future__ import annotations

from pathlib import Path

import pytest

from asan.auth.keys import KeyStore
from asan.auth.service import AuthService
from asan.core.errors import RateLimited, Unauthenticated
from asan.core.platform import Platform
from asan.core.settings import Settings
from tests.auth.support import PASSWORD, FakeClock, add_user, asgi_client

WRONG = "wrong password!"
STRANGER = "203.0.113.7"
OWNER = "198.51.100.20"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def auth(settings: Settings, tmp_path: Path, clock: FakeClock) -> AuthService:
    s = settings.model_copy(update={"data_dir": tmp_path})
    return AuthService(s, KeyStore.open(tmp_path, s.auth_algorithm), clock=clock)


async def attempt(
    auth: AuthService, platform: Platform, source: str, password: str = WRONG
) -> Exception | None:
    try:
        await auth.login(platform, "aysel", password, source)
    except (Unauthenticated, RateLimited) as exc:
        return exc
    return None


async def test_stranger_failing_20_times_does_not_lock_the_owner_out(
    auth: AuthService, clock: FakeClock, clean_platform: Platform
) -> None:
    await add_user(clean_platform, "aysel")
    s = auth.settings
    checked = refused = 0
    # the stranger waits exactly as told, so every attempt it may make is checked
    for _ in range(20):
        result = await attempt(auth, clean_platform, STRANGER)
        if isinstance(result, RateLimited):
            refused += 1
            if result.retry_after <= s.login_backoff_max_seconds:
                clock.advance(result.retry_after)
        else:
            assert isinstance(result, Unauthenticated)
            checked += 1
    assert checked == s.login_lockout_threshold  # then the address is locked ...
    assert refused == 20 - checked
    locked = await attempt(auth, clean_platform, STRANGER, PASSWORD)
    assert isinstance(locked, RateLimited)  # ... even with the right password
    assert locked.retry_after >= s.login_lockout_seconds - s.login_backoff_max_seconds

    # the owner, from another address, waits at most the small per-name delay
    first = await attempt(auth, clean_platform, OWNER, PASSWORD)
    if isinstance(first, RateLimited):
        assert first.retry_after <= s.login_user_delay_max_seconds
        clock.advance(first.retry_after)
        first = await attempt(auth, clean_platform, OWNER, PASSWORD)
    assert first is None, first
    # and the stranger is still locked out after the owner signed in
    assert isinstance(await attempt(auth, clean_platform, STRANGER, PASSWORD), RateLimited)


async def test_guesses_spread_over_many_addresses_are_spaced_never_locked(
    auth: AuthService, clock: FakeClock, clean_platform: Platform
) -> None:
    await add_user(clean_platform, "aysel")
    s = auth.settings
    started = clock.now
    checked = 0
    waits: list[float] = []
    address = 0
    # a botnet: a fresh address for every guess, each waiting exactly as told
    while clock.now - started < 60:
        address += 1
        result = await attempt(auth, clean_platform, f"10.0.{address // 250}.{address % 250}")
        if isinstance(result, RateLimited):
            waits.append(result.retry_after)
            clock.advance(result.retry_after)
        else:
            assert isinstance(result, Unauthenticated)
            checked += 1
    # free at first, then at most one checked guess per capped delay
    cap = s.login_user_delay_max_seconds
    assert checked <= s.login_user_delay_after + 60 / cap + 2
    assert waits and max(waits) <= cap  # a delay, never a lockout
    assert checked < 60  # without the per-name delay this loop makes hundreds of guesses
    # the owner gets in, waiting at most the cap
    result = await attempt(auth, clean_platform, OWNER, PASSWORD)
    if isinstance(result, RateLimited):
        assert result.retry_after <= cap
        clock.advance(result.retry_after)
        result = await attempt(auth, clean_platform, OWNER, PASSWORD)
    assert result is None


async def test_one_address_spraying_many_names_is_locked_out(
    settings: Settings, tmp_path: Path, clock: FakeClock, clean_platform: Platform
) -> None:
    s = settings.model_copy(update={"data_dir": tmp_path, "login_source_lockout_threshold": 6})
    auth = AuthService(s, KeyStore.open(tmp_path, s.auth_algorithm), clock=clock)
    await add_user(clean_platform, "aysel")
    for n in range(6):  # one try per name: no per-name counter reaches a delay
        with pytest.raises(Unauthenticated):
            await auth.login(clean_platform, f"name{n}", WRONG, STRANGER)
    with pytest.raises(RateLimited) as caught:
        await auth.login(clean_platform, "aysel", PASSWORD, STRANGER)
    assert caught.value.retry_after > s.login_lockout_seconds - 5
    # another address is not affected
    assert (await auth.login(clean_platform, "aysel", PASSWORD, OWNER)).access_token


async def test_oauth_endpoint_stranger_is_slowed_owner_is_not(
    settings: Settings, tmp_path: Path, auth: AuthService, clean_platform: Platform
) -> None:
    await add_user(clean_platform, "aysel")
    s = auth.settings
    wrong = {"grant_type": "password", "username": "aysel", "password": WRONG}
    async with asgi_client(s, clean_platform, auth, STRANGER) as stranger:
        statuses = [(await stranger.post("/oauth/token", data=wrong)).status_code for _ in range(8)]
        right = await stranger.post("/oauth/token", data={**wrong, "password": PASSWORD})
    assert statuses[: s.login_backoff_after] == [400] * s.login_backoff_after
    assert set(statuses[s.login_backoff_after :]) == {429}
    assert right.status_code == 429 and int(right.headers["retry-after"]) >= 1
    async with asgi_client(s, clean_platform, auth, OWNER) as owner:
        response = await owner.post("/oauth/token", data={**wrong, "password": PASSWORD})
    assert response.status_code == 200, response.text
    assert response.json()["access_token"]


async def test_forgotten_counters_are_deleted_so_spraying_cannot_fill_the_graph(
    auth: AuthService, clean_platform: Platform
) -> None:
    p = clean_platform
    window_ms = auth.settings.login_failure_window_seconds * 1000
    await p.db.write(
        """
        UNWIND range(1, 30) AS n
        CREATE (:LoginThrottle {key: 'user:old' + n, failures: 3,
                                touchedAt: timestamp() - $age - 1000})
        CREATE (:LoginThrottle {key: 'user:recent' + n, failures: 3, touchedAt: timestamp()})
        """,
        {"age": window_ms},
    )
    with pytest.raises(Unauthenticated):
        await auth.login(p, "nobody", WRONG, STRANGER)
    rows = await p.db.read(
        "MATCH (l:LoginThrottle) WHERE l.key STARTS WITH 'user:old' OR l.key STARTS WITH "
        "'user:recent' RETURN l.key STARTS WITH 'user:old' AS old, count(*) AS n"
    )
    counts = {r["old"]: r["n"] for r in rows}
    assert counts == {False: 30}  # every old counter gone, every recent one kept
