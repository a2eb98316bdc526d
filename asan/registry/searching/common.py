"""What the registry's search sources share: picking their events and joining text parts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from asan.core.changelog import ChangeEvent
from asan.core.text import normalize


def ids_by_kind(events: Sequence[ChangeEvent], kinds: Iterable[str]) -> dict[str, list[str]]:
    """The entity ids the events name, per wanted log kind (sorted, each once; every kind
    present, so a query gets an empty list rather than a missing parameter)."""
    wanted = {kind: set[str]() for kind in kinds}
    for event in events:
        found = wanted.get(event.entity_kind)
        if found is not None:
            found.add(event.entity_id)
    return {kind: sorted(ids) for kind, ids in wanted.items()}


def text(*parts: str | None) -> str:
    """Parts on lines of their own, empty ones left out (the engine analyses the rest)."""
    return "\n".join(normalize(p) for p in parts if p and normalize(p))


def names(row: Sequence[str | None] | None) -> str:
    """A (nameAz, nameEn, nameRu) triple as text."""
    return text(*(row or ()))
