"""GraphQL of electronic document management: each part's module exports QUERIES and
MUTATIONS; this package concatenates them (each part adds its one import line)."""

from __future__ import annotations

from asan.graphql.edms import (
    appeals,
    copies,
    dispatch,
    documents,
    drafts,
    files,
    reception,
    reports,
    resolutions,
    signatures,
)

_PARTS = (
    documents,
    files,
    drafts,
    appeals,
    resolutions,
    dispatch,
    copies,
    signatures,
    reports,
    reception,
)

QUERIES: list[type] = [t for part in _PARTS for t in part.QUERIES]
MUTATIONS: list[type] = [t for part in _PARTS for t in part.MUTATIONS]
