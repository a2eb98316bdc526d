"""Keyset pages over lists a resolver already holds (a body's services, the mobile buses).

These lists are small and come whole from one batched loader, so paging them in Python keeps
that one query per level; the cursors are the same keyset cursors as the Cypher-paged lists
(``asan.graphql.relay``), so a client pages every connection the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from asan.graphql.relay import Connection, PageRequest, build_connection

Row = TypeVar("Row")


def page_of(
    rows: Sequence[Row],
    request: PageRequest,
    to_node: Callable[[Row], Any],
    sort_key: Callable[[Row], Sequence[Any]],
) -> Connection[Any]:
    """The rows after ``request.after`` in ``sort_key`` order, as one page with the total."""
    ordered = sorted(rows, key=lambda r: list(sort_key(r)))
    bound = request.after
    if request.backward:  # the rows just before the bound, nearest first
        rest = [r for r in reversed(ordered) if bound is None or list(sort_key(r)) < bound]
    else:
        rest = [r for r in ordered if bound is None or list(sort_key(r)) > bound]
    return build_connection(rest[: request.limit], request, len(ordered), to_node, sort_key)
