"""Documents and journals over GraphQL (filled in by the documents part)."""

from __future__ import annotations

QUERIES: list[type] = []
MUTATIONS: list[type] = []
