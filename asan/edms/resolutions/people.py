"""Executors named in a resolution or a forwarding: who they are and which unit they act in.

An executor is an active user holding a position today; their part is recorded against the
unit of that position. A head assigns within the units they lead (their unit and its
sectors; a deputy, within the delegation); an executor forwards within their part's unit and
its sectors.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from asan.auth.principal import CLEARANCE_LEVELS
from asan.core.db import Tx
from asan.core.errors import FieldError
from asan.core.text import fold
from asan.edms.resolutions import repository as repo


@dataclass(frozen=True)
class Person:
    id: str
    name: str | None
    unit: str


async def find_people(
    tx: Tx,
    refs: Sequence[tuple[str, str]],
    today: str,
    allowed_units: Collection[str] | None,
    classification: str | None = None,
) -> tuple[dict[str, Person], list[FieldError]]:
    """``refs`` are (field, user id or username); the people found by field, and the errors.

    ``allowed_units`` None means any unit (administrators, the system's sample loader). A
    secret document (``classification``) may only go to people whose clearance reaches it:
    anyone else could not even open it.
    """
    rows = await repo.people(tx, [{"ref": ref, "fold": fold(ref)} for _, ref in refs], today)
    by_ref = {row["ref"]: row for row in rows}
    found: dict[str, Person] = {}
    errors: list[FieldError] = []
    for field, ref in refs:
        row = by_ref.get(ref)
        if row is None or row["id"] is None:
            errors.append(
                FieldError(
                    field,
                    f"istifadəçi tapılmadı: {ref} / no active user {ref}",
                    "NOT_FOUND",
                )
            )
            continue
        if classification is not None and not _cleared(row["clearance"], classification):
            errors.append(
                FieldError(
                    field,
                    f"{ref} bu məxfilik dərəcəsinə buraxılmayıb ({classification}) / "
                    f"{ref} has no clearance for this document ({classification})",
                )
            )
            continue
        units = sorted(row["units"])
        if allowed_units is not None:
            units = [u for u in units if u in allowed_units]
        if not units:
            errors.append(
                FieldError(
                    field,
                    f"{ref} sizin rəhbərlik etdiyiniz bölmədə vəzifə tutmur / "
                    f"{ref} holds no position in a unit you may assign to",
                )
            )
            continue
        found[field] = Person(row["id"], row["name"], units[0])
    return found, errors


def _cleared(clearance: str, classification: str) -> bool:
    if classification not in CLEARANCE_LEVELS:
        return False
    have = CLEARANCE_LEVELS.index(clearance) if clearance in CLEARANCE_LEVELS else 0
    return have >= CLEARANCE_LEVELS.index(classification)
