"""Login backoff and temporary lockout, as pure functions of the stored state and the clock.

The state is kept per folded username whether or not the account exists, so the replies
never tell an attacker which usernames are real. The first few failures cost nothing (typos);
then each further attempt must wait twice as long as the last, up to a cap; after the
lockout threshold the name is locked for a fixed time, whatever password is presented.
"""

from __future__ import annotations

from asan.auth.models import ThrottleState
from asan.core.settings import Settings


def backoff_seconds(failures: int, settings: Settings) -> float:
    if failures < settings.login_backoff_after:
        return 0.0
    return float(
        min(2 ** (failures - settings.login_backoff_after), settings.login_backoff_max_seconds)
    )


def wait_seconds(state: ThrottleState, now: float, settings: Settings) -> float:
    """How long the caller must wait before this name may try again (0: try now)."""
    if state.locked_until is not None and now < state.locked_until:
        return state.locked_until - now
    if state.last_failed_at is None:
        return 0.0
    ready = state.last_failed_at + backoff_seconds(state.failures, settings)
    return max(0.0, ready - now)


def after_failure(state: ThrottleState, now: float, settings: Settings) -> ThrottleState:
    expired_lock = state.locked_until is not None and now >= state.locked_until
    failures = 1 if expired_lock else state.failures + 1
    locked_until = None
    if failures >= settings.login_lockout_threshold:
        locked_until = now + settings.login_lockout_seconds
    return ThrottleState(failures=failures, last_failed_at=now, locked_until=locked_until)
