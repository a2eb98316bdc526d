"""Opaque cursors of search results: a hit's rank and the fingerprint of the query it ranks in.

Search results have no stable sort key a keyset cursor could name (scores change as the index
does), so a cursor is the hit's position. Its fingerprint (the query text, the filter and the
order, hashed) makes a cursor of one search useless for another: it is refused naming
``after`` instead of silently paging something else.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json

from asan.search.engine import MAX_OFFSET
from asan.search.querying.models import BAD_INPUT, QueryProblem, SearchRequest

MALFORMED = QueryProblem(BAD_INPUT, "after", "kursor yanlışdır / malformed cursor")
FOREIGN = QueryProblem(
    BAD_INPUT,
    "after",
    "kursor bu axtarışa aid deyil (başqa sorğu, filtr və ya sıralama) / "
    "cursor is not from this search (another query, filter or order)",
)
TOO_DEEP = QueryProblem(
    BAD_INPUT,
    "after",
    f"axtarış ilk {MAX_OFFSET} nəticədən o yana vərəqlənmir, sorğunu dəqiqləşdirin / "
    f"search pages no further than the first {MAX_OFFSET} hits: narrow the query",
)


def fingerprint(request: SearchRequest, kind: str = "search") -> str:
    raw = json.dumps(
        [kind, request.text, request.filter.key(), request.sort.value],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def encode(position: int, print_: str) -> str:
    raw = json.dumps([print_, position], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str | None, print_: str) -> int | QueryProblem:
    """The position after which the page starts (-1 for the first page), or the problem."""
    if cursor is None:
        return -1
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        decoded = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError):
        return MALFORMED
    if (
        not isinstance(decoded, list)
        or len(decoded) != 2
        or not isinstance(decoded[1], int)
        or isinstance(decoded[1], bool)
        or decoded[1] < 0
    ):
        return MALFORMED
    if decoded[0] != print_:
        return FOREIGN
    position: int = decoded[1]
    if position + 1 > MAX_OFFSET:
        return TOO_DEEP
    return position
