"""The sign-in throttle inside a sign-in transaction: read, decide, record (rules: throttle.py).

The (name, address) and name counters are read under a write lock, in that order, so parallel
guesses on one name queue behind each other and two attempts never deadlock; the address
counter, shared by every name tried from one address, is read without a lock and locked only
when a failure is recorded, last, so one office behind one address is not serialised.
"""

from __future__ import annotations

from dataclasses import dataclass

from asan.auth import repository, throttle
from asan.auth.models import ThrottleState
from asan.auth.throttle import ThrottleKeys
from asan.core.db import Tx
from asan.core.settings import Settings


@dataclass(frozen=True)
class Attempt:
    keys: ThrottleKeys
    pair: ThrottleState
    subject: ThrottleState
    source: ThrottleState


async def begin(tx: Tx, subject: str, source: str | None) -> Attempt:
    keys = ThrottleKeys.of(subject, source)
    pair = await repository.lock_throttle(tx, keys.pair)
    named = await repository.lock_throttle(tx, keys.subject)
    address = await repository.read_throttle(tx, keys.source)
    return Attempt(keys, pair, named, address)


def refusal(attempt: Attempt, now: float, settings: Settings) -> tuple[float, str | None]:
    """Seconds to wait and which counter asks for it (``pair``, ``subject``, ``source``)."""
    waits = {
        "pair": throttle.pair_wait(attempt.pair, now, settings),
        "subject": throttle.subject_wait(attempt.subject, now, settings),
        "source": throttle.source_wait(attempt.source, now, settings),
    }
    by = max(waits, key=lambda name: waits[name])
    return (waits[by], by) if waits[by] > 0 else (0.0, None)


async def failed(tx: Tx, attempt: Attempt, now: float, settings: Settings) -> bool:
    """Count a checked, wrong attempt on all three counters; True when it locked one out."""
    keys = attempt.keys
    pair = throttle.pair_after_failure(attempt.pair, now, settings)
    await repository.save_throttle(tx, keys.pair, pair)
    await repository.save_throttle(
        tx, keys.subject, throttle.subject_after_failure(attempt.subject, now, settings)
    )
    current = await repository.lock_throttle(tx, keys.source)  # fresh, under the lock
    source = throttle.source_after_failure(current, now, settings)
    await repository.save_throttle(tx, keys.source, source)
    # counters older than the window count for nothing: failures pay for their clean-up
    await repository.forget_old_throttles(tx, settings.login_failure_window_seconds * 1000)
    return pair.locked_until is not None or source.locked_until is not None


async def succeeded(tx: Tx, attempt: Attempt) -> None:
    """The right secret: this address and this name start afresh (the address counter stays,
    so signing in to one's own account does not wipe a spraying address's record)."""
    await repository.clear_throttle(tx, attempt.keys.pair)
    await repository.clear_throttle(tx, attempt.keys.subject)
