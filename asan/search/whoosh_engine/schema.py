"""The Whoosh schema of the search index and how a ``SearchDoc`` fills it.

Title and body are indexed twice, in the exact and in the loose form (see
``asan.search.analysis``); a query asks both with a boost on the exact fields, so a spelling
with the Azerbaijani letters ranks above the same word typed without them, and positions are
kept in all four for phrases. ``acl`` holds the access tokens (matched as a filter inside the
search); the facets are sortable columns; the raw title and body are stored for hits,
highlighted snippets and "more like this".
"""

from __future__ import annotations

from typing import Any, Final

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from asan.core.text import az_sort_key, normalize
from asan.search.analysis import azerbaijani_analyzer
from asan.search.engine import DocRef, SearchDoc

TITLE_EXACT: Final = "title_exact"
TITLE_LOOSE: Final = "title_loose"
BODY_EXACT: Final = "body_exact"
BODY_LOOSE: Final = "body_loose"
TEXT_FIELDS: Final = (TITLE_EXACT, TITLE_LOOSE, BODY_EXACT, BODY_LOOSE)
# The facet names of ``asan.search.engine.FACETS`` and the columns holding them.
FACET_FIELDS: Final = {
    "kind": "kind",
    "unit": "unit",
    "body": "state_body",
    "year": "year",
    "status": "status",
}
MAX_STORED_BODY: Final = 20_000  # characters kept for snippets and "more like this"


def schema() -> Schema:
    exact = azerbaijani_analyzer("exact")
    loose = azerbaijani_analyzer("loose")
    return Schema(
        key=ID(unique=True, stored=True),
        kind=ID(stored=True, sortable=True),
        id=ID(stored=True),
        title=STORED,
        body=STORED,
        title_exact=TEXT(analyzer=exact, phrase=True),
        title_loose=TEXT(analyzer=loose, phrase=True),
        body_exact=TEXT(analyzer=exact, phrase=True),
        body_loose=TEXT(analyzer=loose, phrase=True),
        acl=KEYWORD(commas=True, lowercase=False, scorable=False),
        unit=ID(stored=True, sortable=True),
        state_body=ID(stored=True, sortable=True),
        status=ID(stored=True, sortable=True),
        year=NUMERIC(int, bits=32, stored=True, sortable=True, signed=False),
        title_sort=ID(sortable=True),
    )


def key_of(ref: DocRef) -> str:
    return f"{ref.kind}\x1f{ref.id}"


def fields_of(doc: SearchDoc) -> dict[str, Any]:
    """The field values of one document; refuses an empty ``acl`` (nobody could read it)."""
    if not doc.acl:
        raise ValueError(f"{doc.kind} {doc.id}: a document without access tokens")
    if any("," in token or not token.strip() for token in doc.acl):
        raise ValueError(f"{doc.kind} {doc.id}: access tokens hold no commas or blanks")
    title = normalize(doc.title)
    body = normalize(doc.body)[:MAX_STORED_BODY]
    fields: dict[str, Any] = {
        "key": key_of(doc.ref),
        "kind": doc.kind,
        "id": doc.id,
        "title": title,
        "body": body,
        TITLE_EXACT: title,
        TITLE_LOOSE: title,
        BODY_EXACT: normalize(doc.body),
        BODY_LOOSE: normalize(doc.body),
        "acl": ",".join(sorted(doc.acl)),
        "title_sort": az_sort_key(title),
    }
    for name in ("unit", "state_body", "status", "year"):
        value = getattr(doc, name)
        if value is not None:
            fields[name] = value
    return fields


def same_fields(found: Schema) -> bool:
    """An index built with another version of this schema must be rebuilt before use."""
    expected = schema()
    return sorted(found.names()) == sorted(expected.names()) and all(
        type(found[name]) is type(expected[name]) for name in expected.names()
    )
