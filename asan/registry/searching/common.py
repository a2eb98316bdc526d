"""What the registry's search sources share: picking their events, the shape of
``affected``/``all_ids``/``tokens``, and joining text parts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from asan.auth.principal import Principal
from asan.core.changelog import ChangeEvent
from asan.core.text import normalize

if TYPE_CHECKING:
    from asan.core.platform import Platform


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


class RegistryKind:
    """A registry source's ``affected``, ``all_ids`` and (public) ``tokens``.

    ``own`` is the log kind whose ids are this kind's ids; ``showing`` is one Cypher query
    taking a list parameter per other followed log kind (named like it) and returning the ids
    of this kind that show one of those entities (as ``id``); ``every`` lists every id (as
    ``id``). Subclasses add ``load`` (and ``tokens`` when not public).
    """

    kind: str
    log_kinds: frozenset[str]
    own: str
    showing: str | None = None
    every: str

    async def affected(self, platform: Platform, events: Sequence[ChangeEvent]) -> set[str]:
        ids = ids_by_kind(events, self.log_kinds)
        found = set(ids.pop(self.own))
        if self.showing is not None and any(ids.values()):
            rows = await platform.db.read(self.showing, ids)
            found.update(str(row["id"]) for row in rows)
        return found

    async def all_ids(self, platform: Platform) -> list[str]:
        return [str(row["id"]) for row in await platform.db.read(self.every)]

    def tokens(self, principal: Principal) -> Iterable[str]:
        return ()
