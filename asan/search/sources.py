"""What the index holds, kind by kind: each domain describes its searchable things once.

A ``SearchSource`` turns the change log's events into the search documents they touch, loads
those documents from Neo4j (and the object store) as they are now, lists every id for a
rebuild, and says which access tokens a caller holds for its kind. The indexer and the
rebuild use the same ``load``, so a rebuilt index answers exactly as the incremental one.

Sources live in their domains (``asan/registry/searching``, ``asan/edms/documents/searching``,
``asan/archive/cases/searching``) and depend only on ``asan.search.engine``'s plain types;
this module lists them, so the search package is the only one that knows them all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from importlib import import_module
from typing import TYPE_CHECKING, Protocol

from asan.auth.principal import Principal
from asan.core.changelog import ChangeEvent
from asan.search.engine import PUBLIC, SearchDoc

if TYPE_CHECKING:
    from asan.core.platform import Platform

# Modules with a ``SOURCES: tuple[SearchSource, ...]``, in the order a rebuild indexes them.
SOURCE_MODULES: tuple[str, ...] = (
    "asan.registry.searching",
    "asan.edms.documents.searching",
    "asan.archive.cases.searching",
)


class SearchSource(Protocol):
    """One kind of search document (``kind`` is the ``SearchDoc.kind`` and the ``kind`` facet,
    lower case: "service", "document", "clause", ...)."""

    kind: str
    # change-log entity kinds whose events may change documents of this kind
    log_kinds: frozenset[str]

    async def affected(self, platform: Platform, events: Sequence[ChangeEvent]) -> set[str]:
        """Ids (of this kind) the events may have changed; events of other log kinds are
        passed too and ignored. May ask Neo4j (a resolution's document, a clause's unit)."""
        ...

    async def load(self, platform: Platform, ids: Sequence[str]) -> list[SearchDoc]:
        """The documents for ``ids`` as they are now. An id absent from the answer (deleted,
        withdrawn, no longer indexable) is deleted from the index."""
        ...

    async def all_ids(self, platform: Platform) -> list[str]:
        """Every id of this kind that exists now (a rebuild loads them in batches)."""
        ...

    def tokens(self, principal: Principal) -> Iterable[str]:
        """The access tokens ``principal`` holds for this kind (besides ``PUBLIC``), derived
        from the domain's policy; a document of this kind is readable by the principal iff its
        ``acl`` shares a token with these (or holds ``PUBLIC``)."""
        ...


def all_sources() -> tuple[SearchSource, ...]:
    found: list[SearchSource] = []
    for name in SOURCE_MODULES:
        found.extend(import_module(name).SOURCES)
    kinds = [s.kind for s in found]
    if len(set(kinds)) != len(kinds):
        raise RuntimeError(f"two search sources index one kind: {sorted(kinds)}")
    return tuple(found)


def access_of(
    principal: Principal, sources: Iterable[SearchSource] | None = None
) -> frozenset[str]:
    """Every token ``principal`` holds: ``PUBLIC`` (anonymous callers too) and each kind's."""
    tokens = {PUBLIC}
    for source in all_sources() if sources is None else sources:
        tokens.update(source.tokens(principal))
    return frozenset(tokens)


def source_for(kind: str) -> SearchSource | None:
    return next((s for s in all_sources() if s.kind == kind), None)


def event_kinds() -> frozenset[str]:
    """Every change-log kind some source follows (others are skipped cheaply)."""
    return frozenset(k for s in all_sources() for k in s.log_kinds)
