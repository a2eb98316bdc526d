"""The bulk exchange formats of a state body's services (JSON and CSV), in one namespace.

The shapes (columns, rows, line errors) are in bulk.shapes, reading in bulk.readers,
writing in bulk.writers; this module re-exports them for callers outside the catalog.
"""

from asan.registry.catalog.bulk.readers import (
    parse,
    read_csv,
    read_json,
    read_row,
)
from asan.registry.catalog.bulk.shapes import (
    ARTICLE_SEPARATOR,
    COLUMNS,
    ITEM_SEPARATOR,
    LIST_COLUMNS,
    MAX_CONTENT_BYTES,
    MAX_ITEMS,
    MAX_RECORDS,
    QUALIFIER_SEPARATOR,
    REQUIRED_COLUMNS,
    SCALAR_COLUMNS,
    BulkFormat,
    BulkRow,
    LegalRef,
    LineError,
    Parsed,
    RawRecord,
    Ref,
    escape_formula,
    unescape_formula,
)
from asan.registry.catalog.bulk.writers import (
    columns,
    render,
    render_csv,
    render_json,
)

__all__ = [
    "ARTICLE_SEPARATOR",
    "COLUMNS",
    "ITEM_SEPARATOR",
    "LIST_COLUMNS",
    "MAX_CONTENT_BYTES",
    "MAX_ITEMS",
    "MAX_RECORDS",
    "QUALIFIER_SEPARATOR",
    "REQUIRED_COLUMNS",
    "SCALAR_COLUMNS",
    "BulkFormat",
    "BulkRow",
    "LegalRef",
    "LineError",
    "Parsed",
    "RawRecord",
    "Ref",
    "columns",
    "escape_formula",
    "parse",
    "read_csv",
    "read_json",
    "read_row",
    "render",
    "render_csv",
    "render_json",
    "unescape_formula",
]
