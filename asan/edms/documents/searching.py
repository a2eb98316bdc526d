"""Search sources of this domain (see ``asan.search.sources``): being written."""

from __future__ import annotations

from asan.search.sources import SearchSource

SOURCES: tuple[SearchSource, ...] = ()
