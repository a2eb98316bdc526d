"""Relay conventions shared by every domain: global ids, keyset cursors, counted connections.

Cursors are keyset cursors: each encodes the sort-key values of its row, and the next page is
"rows after these values" in the same order, so inserts between requests never shift or
repeat rows (an offset would). Repositories take the decoded values and page in Cypher:

    WHERE $after IS NULL OR [s.name_fold, s.code] > $after   -- (Cypher list comparison)
    ORDER BY s.name_fold, s.code LIMIT $limit                -- limit = first + 1

Node types subclass ``strawberry.relay.Node``; ``node(id:)`` is strawberry's own resolver,
which calls each type's ``resolve_nodes``.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import strawberry
from strawberry import relay
from strawberry.relay.types import NodeType

from asan.core.errors import BadInput

DEFAULT_PAGE = 20
MAX_PAGE = 100

Row = TypeVar("Row")


@strawberry.type(description="A page of results with the total number of matching rows.")
class Connection(relay.Connection[NodeType]):
    total_count: int = strawberry.field(description="All rows matching the filters.")


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps(list(values), ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, arity: int) -> list[Any] | None:
    """The sort-key values in a cursor, or None for the first page; BadInput if malformed."""
    if cursor is None:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise BadInput("kursor yanlışdır / malformed cursor", field="after") from exc
    if not isinstance(values, list) or len(values) != arity:
        raise BadInput("kursor bu siyahıya aid deyil / cursor is not for this list", field="after")
    return values


def page_size(first: int | None) -> int:
    """``first`` defaults to 20 and may not exceed 100 (the error says so, rather than clip)."""
    if first is None:
        return DEFAULT_PAGE
    if first < 0 or first > MAX_PAGE:
        raise BadInput(
            f"first 0..{MAX_PAGE} olmalıdır / first must be 0..{MAX_PAGE}", field="first"
        )
    return first


@dataclass(frozen=True)
class PageRequest:
    first: int
    after: list[Any] | None

    @property
    def limit(self) -> int:
        """One row more than asked, to learn whether a next page exists without a count."""
        return self.first + 1

    @classmethod
    def of(cls, first: int | None, after: str | None, arity: int) -> PageRequest:
        return cls(page_size(first), decode_cursor(after, arity))


def build_connection(
    rows: Sequence[Row],
    request: PageRequest,
    total_count: int,
    to_node: Callable[[Row], Any],
    sort_key: Callable[[Row], Sequence[Any]],
) -> Connection[Any]:
    """Turn ``first + 1`` fetched rows into a Connection (the extra row only signals more)."""
    has_next = len(rows) > request.first
    page = list(rows[: request.first])
    edges = [relay.Edge(node=to_node(row), cursor=encode_cursor(sort_key(row))) for row in page]
    return Connection(
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=has_next,
            has_previous_page=request.after is not None,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=total_count,
    )
