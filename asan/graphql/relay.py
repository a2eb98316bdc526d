"""Relay conventions shared by every domain: global ids, keyset cursors, counted connections.

Cursors are keyset cursors: each encodes the sort-key values of its row, and the next page is
"rows after these values" in the same order, so inserts between requests never shift or
repeat rows (an offset would). Repositories take the decoded values and page in Cypher:

    WHERE $after IS NULL OR [s.nameSortKey, s.code] > $after   -- (Cypher list comparison)
    ORDER BY s.nameSortKey, s.code LIMIT $limit                -- limit = first + 1

Backward paging (``last``/``before``) is the same query in the opposite direction: rows before
the cursor, nearest first, reversed here (``PageRequest.backward``). A cursor also carries a
short hash of the list it came from and that list's filters and order (``scope``), so a cursor
handed to another list, or to the same list with other filters, is refused rather than
silently paging something else.

Node types subclass ``strawberry.relay.Node``; ``node(id:)`` is strawberry's own resolver,
which calls each type's ``resolve_nodes``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, TypeVar

import strawberry
from strawberry import relay
from strawberry.relay.types import NodeType

from asan.core.errors import BadInput

DEFAULT_PAGE = 20
MAX_PAGE = 100

Row = TypeVar("Row")

# The paging and lookup arguments every list shares, with their descriptions.
First = Annotated[
    int | None,
    strawberry.argument(description="Rows from the start or after `after` (default 20, max 100)."),
]
After = Annotated[
    str | None,
    strawberry.argument(
        description="Cursor of the row to continue after (an `endCursor` of this same list "
        "with the same filters and order; others are refused)."
    ),
]
Last = Annotated[
    int | None,
    strawberry.argument(
        description="Rows from the end or before `before` (default 20, max 100); "
        "not with `first`/`after`."
    ),
]
Before = Annotated[
    str | None,
    strawberry.argument(
        description="Cursor of the row to page back from (a `startCursor` of this same list "
        "with the same filters and order; others are refused)."
    ),
]
Search = Annotated[
    str | None,
    strawberry.argument(
        description="Part of a name (Azerbaijani, English or Russian) or code, matched "
        "without case and without Azerbaijani letters: `seyyar` finds `səyyar`, "
        "`edliyye` finds `ədliyyə`."
    ),
]
UpdatedSince = Annotated[
    datetime | None,
    strawberry.argument(
        description="Only rows created or changed at or after this instant (ISO 8601 with "
        "an offset), for keeping a copy in sync."
    ),
]


@strawberry.type(description="A page of results with the total number of matching rows.")
class Connection(relay.Connection[NodeType]):
    total_count: int = strawberry.field(description="All rows matching the filters.")


def scope_of(list_name: str, *parts: Any) -> str:
    """The scope of a list: its name and the filter and order values that shape it."""
    raw = json.dumps([list_name, *parts], ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def encode_cursor(values: Sequence[Any], scope: str = "") -> str:
    raw = json.dumps([scope, list(values)], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(
    cursor: str | None, arity: int, scope: str = "", field: str = "after"
) -> list[Any] | None:
    """The sort-key values in a cursor, or None for the first page; BadInput if malformed or
    issued by another list (or the same list with other filters or order)."""
    if cursor is None:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        decoded = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise BadInput("kursor yanlışdır / malformed cursor", field=field) from exc
    if (
        not isinstance(decoded, list)
        or len(decoded) != 2
        or decoded[0] != scope
        or not isinstance(decoded[1], list)
        or len(decoded[1]) != arity
    ):
        raise BadInput(
            "kursor bu siyahıya və ya bu filtrlərə aid deyil / "
            "cursor is not from this list with these filters and order",
            field=field,
        )
    values: list[Any] = decoded[1]
    return values


def page_size(first: int | None, field: str = "first") -> int:
    """``first``/``last`` default to 20 and may not exceed 100 (the error says so, rather than
    clip)."""
    if first is None:
        return DEFAULT_PAGE
    if first < 0 or first > MAX_PAGE:
        raise BadInput(
            f"{field} 0..{MAX_PAGE} olmalıdır / {field} must be 0..{MAX_PAGE}", field=field
        )
    return first


@dataclass(frozen=True)
class PageRequest:
    """A validated page: ``first`` rows after the bound ``after`` (cursor values), or, when
    ``backward``, the ``first`` rows just before it (``last``/``before``)."""

    first: int
    after: list[Any] | None
    backward: bool = False
    scope: str = ""

    @property
    def limit(self) -> int:
        """One row more than asked, to learn whether a next page exists without a count."""
        return self.first + 1

    @classmethod
    def of(
        cls,
        first: int | None,
        after: str | None,
        arity: int,
        *,
        last: int | None = None,
        before: str | None = None,
        scope: str = "",
    ) -> PageRequest:
        if last is None and before is None:
            return cls(page_size(first), decode_cursor(after, arity, scope), False, scope)
        if first is not None or after is not None:
            field = "first" if first is not None else "after"
            raise BadInput(
                "first/after ilə last/before birlikdə olmaz / "
                "first/after cannot be combined with last/before",
                field=field,
            )
        return cls(
            page_size(last, "last"), decode_cursor(before, arity, scope, "before"), True, scope
        )


def build_connection(
    rows: Sequence[Row],
    request: PageRequest,
    total_count: int,
    to_node: Callable[[Row], Any],
    sort_key: Callable[[Row], Sequence[Any]],
) -> Connection[Any]:
    """Turn ``first + 1`` fetched rows into a Connection (the extra row only signals more).

    Backward pages arrive nearest-the-cursor first and are reversed into list order.
    """
    more = len(rows) > request.first
    page = list(rows[: request.first])
    if request.backward:
        page.reverse()
    edges = [
        relay.Edge(node=to_node(row), cursor=encode_cursor(sort_key(row), request.scope))
        for row in page
    ]
    bounded = request.after is not None
    return Connection(
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=bounded if request.backward else more,
            has_previous_page=more if request.backward else bounded,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=total_count,
    )
