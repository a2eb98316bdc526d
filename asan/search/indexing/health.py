"""Is an index directory readable as a whole? The indexer asks at start-up.

Whoosh opens a segment's files lazily, so opening the index proves little: this reads the
table of contents, checks the schema, opens every segment's reader, walks the start of each
text field's lexicon and one stored document per segment. A missing or truncated file, a
garbled table of contents or another schema is named; the indexer then rebuilds.
"""

from __future__ import annotations

from itertools import islice
from pathlib import Path

from whoosh import index as whoosh_index

from asan.search.whoosh_engine.schema import TEXT_FIELDS, same_fields


def damage_of(path: Path) -> str | None:
    """What is wrong with the index at ``path`` (None: nothing found)."""
    try:
        if not whoosh_index.exists_in(str(path)):
            return "no index in the directory"
        ix = whoosh_index.open_dir(str(path))
    except Exception as exc:  # Whoosh raises many kinds for a garbled table of contents
        return f"cannot open: {type(exc).__name__}: {exc}"
    try:
        if not same_fields(ix.schema):
            return "built with another schema"
        with ix.searcher() as searcher:
            for reader, _offset in searcher.reader().leaf_readers():
                for field in TEXT_FIELDS:
                    list(islice(reader.lexicon(field), 8))
                first = next(reader.all_doc_ids(), None)
                if first is not None:
                    reader.stored_fields(first)
    except Exception as exc:
        return f"cannot read: {type(exc).__name__}: {exc}"
    finally:
        ix.close()
    return None
