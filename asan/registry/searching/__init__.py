"""Search sources of the registry (see ``asan.search.sources``): services (trimmed by the
catalog's read rule), state bodies and information systems, the agency's org units and every
clause of their regulations (public)."""

from __future__ import annotations

from asan.registry.searching.bodies import InformationSystemSource, StateBodySource
from asan.registry.searching.org import ClauseSource, OrgUnitSource
from asan.registry.searching.services import ServiceSource
from asan.search.sources import SearchSource

SOURCES: tuple[SearchSource, ...] = (
    StateBodySource(),
    InformationSystemSource(),
    ServiceSource(),
    OrgUnitSource(),
    ClauseSource(),
)
