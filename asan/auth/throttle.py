"""Sign-in throttling as pure functions of the stored counters and the clock.

A stranger who knows a username must not be able to lock its owner out, yet guessing must stay
slow. So failures are counted under three keys, each with its own reply:

- ``pair``: one name from one address. The first ``login_backoff_after`` failures are free
  (typos); then each attempt must wait twice as long as the last, up to
  ``login_backoff_max_seconds``; after ``login_lockout_threshold`` failures *that address* is
  locked out of that name for ``login_lockout_seconds``. Other addresses are not affected.
- ``subject``: one name from every address (a guess spread over many addresses). After
  ``login_user_delay_after`` failures, attempts on the name are spaced by a delay that doubles
  up to ``login_user_delay_max_seconds`` (a few seconds) and never becomes a lockout, so the
  owner, from anywhere, gets in after waiting at most that cap.
- ``source``: one address over every name (password spraying). After
  ``login_source_lockout_threshold`` failures the address alone is locked out.

The counters are kept whether or not the name exists, so the replies never tell which names
are real. Only attempts whose password was checked count: a refused attempt costs the guesser
nothing and adds nothing, so a locked-out address cannot keep pushing the name's delay up.
Failures older than ``login_failure_window_seconds`` are forgotten.
"""

from __future__ import annotations

from dataclasses import dataclass

from asan.auth.models import ThrottleState
from asan.core.settings import Settings
from asan.core.text import storable_key


@dataclass(frozen=True)
class ThrottleKeys:
    """The three counters an attempt is checked against."""

    pair: str
    subject: str
    source: str

    @classmethod
    def of(cls, subject: str, source: str | None) -> ThrottleKeys:
        address = source or "unknown"
        return cls(
            pair=storable_key(f"{subject}|{address}", MAX_KEY_CHARS),
            subject=storable_key(subject, MAX_KEY_CHARS),
            source=storable_key(f"source:{address}", MAX_KEY_CHARS),
        )


MAX_KEY_CHARS = 256  # keys come from what a stranger typed as a username


def backoff_seconds(failures: int, settings: Settings) -> float:
    """The wait after ``failures`` failures of one name from one address."""
    if failures < settings.login_backoff_after:
        return 0.0
    return float(
        min(2 ** (failures - settings.login_backoff_after), settings.login_backoff_max_seconds)
    )


def subject_delay_seconds(failures: int, settings: Settings) -> float:
    """The spacing of attempts on one name after ``failures`` failures from any address."""
    if failures < settings.login_user_delay_after:
        return 0.0
    exponent = min(failures - settings.login_user_delay_after, 16)
    return float(min(2**exponent, settings.login_user_delay_max_seconds))


def _current(state: ThrottleState, now: float, settings: Settings) -> ThrottleState:
    """The state with failures outside the window (or before an expired lock) forgotten."""
    if state.locked_until is not None and now >= state.locked_until:
        return ThrottleState()
    if (
        state.last_failed_at is not None
        and now - state.last_failed_at >= settings.login_failure_window_seconds
    ):
        return ThrottleState()
    return state


def pair_wait(state: ThrottleState, now: float, settings: Settings) -> float:
    """How long this address must wait before trying this name again (0: try now)."""
    state = _current(state, now, settings)
    if state.locked_until is not None:
        return state.locked_until - now
    if state.last_failed_at is None:
        return 0.0
    return max(0.0, state.last_failed_at + backoff_seconds(state.failures, settings) - now)


def subject_wait(state: ThrottleState, now: float, settings: Settings) -> float:
    """How long anyone must wait before trying this name again; never more than the cap."""
    state = _current(state, now, settings)
    if state.last_failed_at is None:
        return 0.0
    ready = state.last_failed_at + subject_delay_seconds(state.failures, settings)
    return max(0.0, ready - now)


def source_wait(state: ThrottleState, now: float, settings: Settings) -> float:
    """How long this address is locked out of every name (0: not locked)."""
    state = _current(state, now, settings)
    return 0.0 if state.locked_until is None else state.locked_until - now


def wait_seconds(
    pair: ThrottleState,
    subject: ThrottleState,
    source: ThrottleState,
    now: float,
    settings: Settings,
) -> float:
    """How long the caller must wait before this attempt is checked (0: check it now)."""
    return max(
        pair_wait(pair, now, settings),
        subject_wait(subject, now, settings),
        source_wait(source, now, settings),
    )


def _failed(state: ThrottleState, now: float, threshold: int | None, lock: int) -> ThrottleState:
    failures = state.failures + 1
    locked_until = now + lock if threshold is not None and failures >= threshold else None
    return ThrottleState(failures=failures, last_failed_at=now, locked_until=locked_until)


def pair_after_failure(state: ThrottleState, now: float, settings: Settings) -> ThrottleState:
    return _failed(
        _current(state, now, settings),
        now,
        settings.login_lockout_threshold,
        settings.login_lockout_seconds,
    )


def subject_after_failure(state: ThrottleState, now: float, settings: Settings) -> ThrottleState:
    """Counts, delays, never locks."""
    return _failed(_current(state, now, settings), now, None, 0)


def source_after_failure(state: ThrottleState, now: float, settings: Settings) -> ThrottleState:
    return _failed(
        _current(state, now, settings),
        now,
        settings.login_source_lockout_threshold,
        settings.login_lockout_seconds,
    )
