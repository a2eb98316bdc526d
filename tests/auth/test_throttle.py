"""Password guessing is slowed down and then locked out, for real and unknown names alike."""

from __future__ import annotations

import pytest

from asan.core.errors import RateLimited, Unauthenticated
from tests.auth.support import PASSWORD, add_user, audit_rows

WRONG = "wrong password!"


async def guess(auth, platform, username: str, password: str = WRONG) -> Exception:
    with pytest.raises((Unauthenticated, RateLimited)) as caught:
        await auth.login(platform, username, password)
    return caught.value


@pytest.mark.parametrize("username", ["aysel", "ghost"])
async def test_guessing_is_slowed_then_locked(auth, clock, clean_platform, username) -> None:
    await add_user(clean_platform, "aysel")
    s = auth.settings
    # the first failures are free (typos) ...
    for _ in range(s.login_backoff_after):
        assert isinstance(await guess(auth, clean_platform, username), Unauthenticated)
    # ... then the next attempt must wait, even with the right password
    slowed = await guess(auth, clean_platform, username, PASSWORD)
    assert isinstance(slowed, RateLimited) and slowed.retry_after >= 1
    # waiting as told lets one more guess through; the waits double
    waits = []
    while True:
        clock.advance(slowed.retry_after)
        result = await guess(auth, clean_platform, username)
        assert isinstance(result, Unauthenticated)
        slowed = await guess(auth, clean_platform, username)
        assert isinstance(slowed, RateLimited)
        waits.append(slowed.retry_after)
        if slowed.retry_after > s.login_backoff_max_seconds:
            break
    assert waits[:2] == [2, 4]
    # locked: the right password does not help until the lockout has passed
    assert waits[-1] >= s.login_lockout_seconds - 1
    clock.advance(s.login_lockout_seconds - 5)
    assert isinstance(await guess(auth, clean_platform, username, PASSWORD), RateLimited)
    clock.advance(10)
    if username == "aysel":
        pair = await auth.login(clean_platform, username, PASSWORD)
        assert pair.access_token
    throttled = [
        e for e in await audit_rows(clean_platform, "refused") if '"throttled"' in e["details"]
    ]
    assert len(throttled) >= 3


async def test_oauth_endpoint_answers_slow_down_with_retry_after(client, clean_platform) -> None:
    await add_user(clean_platform, "aysel")
    form = {"grant_type": "password", "username": "aysel", "password": "wrong password!"}
    statuses = [(await client.post("/oauth/token", data=form)).status_code for _ in range(3)]
    assert statuses == [400, 400, 400]
    response = await client.post("/oauth/token", data={**form, "password": PASSWORD})
    assert response.status_code == 429
    assert response.json()["error"] == "slow_down"
    assert int(response.headers["retry-after"]) >= 1
