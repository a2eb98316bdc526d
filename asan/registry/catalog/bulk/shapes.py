"""The bulk exchange formats of a state body's services (JSON and CSV): text <-> rows.

One logical record per service; both formats carry the same fields, named as the catalog's
GraphQL input names them, so that an export re-imports unchanged and error messages name the
same fields as the single-service form. This module only reads and writes the *shape* of the
text (columns, numbers, lists, qualifiers); the content rules (lengths, control characters,
NFC, channels, URL) are the catalog's own ``validation.service``, applied in ``bulk.py`` after
references have been resolved against the graph.

CSV conventions (for state bodies' IT staff):
- UTF-8 (a leading BOM is accepted), comma-separated, RFC 4180 quoting, a header row first
  with column names from ``COLUMNS`` (any order; unknown columns are rejected; ``code``,
  ``nameAz`` and ``feeAmount`` are required, other missing columns are empty).
- Multi-valued columns hold items separated by ``;``. Items of ``requirements`` may carry a
  condition after ``|`` (``BIRTH_CERT|yetkinlik yaşına çatmayanlar üçün``); items of
  ``legalBasis`` may carry articles after ``|``, separated by ``,`` (``LAW-123|5.1,7``).
  Those texts therefore cannot contain ``;`` or ``|`` (nor ``,`` in an article), in JSON
  either, so both formats hold the same data.
- ``requirements``, ``outputs`` and ``legalBasis`` name existing documents, outputs and legal
  acts by code; their names and titles come from the registry, not from the file.
- ``feeAmount`` in AZN with a dot and at most two decimals; ``0`` for a free service.
- ``status`` is informational on import unless the importer may set statuses (see bulk.py).
- Formula escaping (OWASP "CSV injection"): the exporter prefixes with a single quote every
  cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, so a
  spreadsheet shows it as text instead of evaluating it; a cell that already starts with
  quotes before such a character gets one more. The importer removes exactly one leading quote
  from a cell of that shape, so an export re-imports unchanged.
- The header may name at most the format's columns; a wider header is refused before any
  other work.

JSON: a top-level array of objects, one per service, with the same keys; multi-valued fields
are arrays; ``requirements`` items are ``{"code", "condition"}``, ``legalBasis`` items
``{"code", "articles": [...]}`` (a bare code string is accepted for both). The exporter writes
one object per line, so a reported line number points at the record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any


class BulkFormat(StrEnum):
    JSON = "json"
    CSV = "csv"


SCALAR_COLUMNS = (
    "code",
    "nameAz",
    "nameEn",
    "nameRu",
    "descriptionAz",
    "descriptionEn",
    "descriptionRu",
    "status",
    "processingDays",
    "feeAmount",
    "onlineUrl",
)
LIST_COLUMNS = (
    "feeExemptions",
    "channels",
    "requirements",
    "outputs",
    "legalBasis",
    "systems",
    "centres",
    "buses",
    "categories",
)
COLUMNS = SCALAR_COLUMNS + LIST_COLUMNS
REQUIRED_COLUMNS = ("code", "nameAz", "feeAmount")

ITEM_SEPARATOR = ";"
QUALIFIER_SEPARATOR = "|"
ARTICLE_SEPARATOR = ","

MAX_RECORDS = 10_000
MAX_CONTENT_BYTES = 20 * 1024 * 1024
MAX_ITEMS = 100

_INTEGER_RE = re.compile(r"\d{1,6}")
# A cell a spreadsheet would evaluate (or one already escaped: quotes before such a start).
_FORMULA_RE = re.compile(r"'*[=+\-@\t\r]")
_ESCAPED_RE = re.compile(r"'+[=+\-@\t\r]")
_AMOUNT_RE = re.compile(r"\d{1,7}(\.\d{1,2})?")


@dataclass(frozen=True)
class LineError:
    """One rejected value: where (text line, record number), which field, why."""

    line: int
    record: int
    field: str
    message: str
    code: str = "BAD_USER_INPUT"


@dataclass(frozen=True)
class Ref:
    """A reference by code with an optional qualifier (a document's condition)."""

    code: str
    condition: str | None = None


@dataclass(frozen=True)
class LegalRef:
    code: str
    articles: tuple[str, ...] = ()


@dataclass(frozen=True)
class BulkRow:
    """One record read from the file: plain values, references still as codes."""

    line: int  # text line where the record starts (1-based)
    record: int  # position among the records (1-based)
    code: str
    name_az: str
    name_en: str = ""
    name_ru: str = ""
    description_az: str = ""
    description_en: str = ""
    description_ru: str = ""
    status: str | None = None
    processing_days: int | None = None
    fee_amount: Decimal = Decimal("0")
    fee_exemptions: tuple[str, ...] = ()
    online_url: str | None = None
    channels: tuple[str, ...] = ()
    requirements: tuple[Ref, ...] = ()
    outputs: tuple[str, ...] = ()
    legal_basis: tuple[LegalRef, ...] = ()
    systems: tuple[str, ...] = ()
    centres: tuple[str, ...] = ()
    buses: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class RawRecord:
    line: int
    record: int
    values: dict[str, Any]


@dataclass
class Parsed:
    rows: list[BulkRow] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    total: int = 0  # records found in the text, good or bad


def escape_formula(cell: str) -> str:
    """A cell a spreadsheet would run as a formula, made text by a leading quote."""
    return "'" + cell if _FORMULA_RE.match(cell) else cell


def unescape_formula(cell: str) -> str:
    """The inverse of ``escape_formula``: one leading quote removed from an escaped cell."""
    return cell[1:] if _ESCAPED_RE.match(cell) else cell
