"""Reading the bulk formats: text -> records -> rows, every problem a line error."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

from asan.core.text import normalize
from asan.registry.catalog.bulk.shapes import (
    _AMOUNT_RE,
    _INTEGER_RE,
    ARTICLE_SEPARATOR,
    COLUMNS,
    ITEM_SEPARATOR,
    MAX_CONTENT_BYTES,
    MAX_ITEMS,
    MAX_RECORDS,
    QUALIFIER_SEPARATOR,
    REQUIRED_COLUMNS,
    BulkFormat,
    BulkRow,
    LegalRef,
    LineError,
    Parsed,
    RawRecord,
    Ref,
    unescape_formula,
)

# ---------------------------------------------------------------- reading


def parse(content: str, fmt: BulkFormat | str) -> Parsed:
    """Split the text into records and read each one's shape; problems become line errors."""
    fmt = BulkFormat(fmt)
    if len(content.encode("utf-8")) > MAX_CONTENT_BYTES:
        message = (
            f"fayl {MAX_CONTENT_BYTES} baytdan böyükdür / content exceeds {MAX_CONTENT_BYTES} bytes"
        )
        return Parsed(errors=[LineError(0, 0, "content", message)])
    content = content.removeprefix("\ufeff")
    raw, errors = read_json(content) if fmt is BulkFormat.JSON else read_csv(content)
    parsed = Parsed(errors=list(errors), total=len(raw))
    if len(raw) > MAX_RECORDS:
        message = f"{MAX_RECORDS} xidmətdən çoxdur / more than {MAX_RECORDS} services"
        parsed.errors.append(LineError(0, 0, "content", message))
        return parsed
    if not raw and not errors:
        parsed.errors.append(LineError(1, 0, "content", "xidmət yoxdur / no services in content"))
    first_line: dict[str, int] = {}
    for item in raw:
        row, problems = read_row(item)
        parsed.errors.extend(problems)
        if row is None:
            continue
        if row.code in first_line:
            parsed.errors.append(
                LineError(
                    item.line,
                    item.record,
                    "code",
                    f"kod təkrarlanır ({first_line[row.code]}-ci sətir) / duplicate code, "
                    f"first on line {first_line[row.code]}",
                )
            )
            continue
        first_line[row.code] = item.line
        if not problems:
            parsed.rows.append(row)
    return parsed


def _too_wide(content: str) -> bool:
    """Whether the header line has more cells than the format has columns.

    Checked on the raw first line before the CSV reader builds anything: no column name
    holds a comma, so more commas than columns means a header that cannot be valid.
    """
    first_line = content[: content.find("\n")] if "\n" in content else content
    return first_line.count(",") >= len(COLUMNS)


def read_csv(content: str) -> tuple[list[RawRecord], list[LineError]]:
    if _too_wide(content):
        message = (
            f"başlıqda {len(COLUMNS)}-dən çox sütun var / "
            f"the header has more than {len(COLUMNS)} columns"
        )
        return [], [LineError(1, 0, "header", message)]
    reader = csv.reader(io.StringIO(content, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return [], [LineError(1, 0, "header", f"CSV oxunmur / unreadable CSV: {exc}")]
    if header is None:
        return [], [LineError(1, 0, "content", "fayl boşdur / content is empty")]
    if len(header) > len(COLUMNS):  # a quoted header spanning lines
        message = (
            f"başlıqda {len(COLUMNS)}-dən çox sütun var / "
            f"the header has more than {len(COLUMNS)} columns"
        )
        return [], [LineError(1, 0, "header", message)]
    names = [normalize(h) for h in header]
    errors = [
        LineError(1, 0, "header", f"naməlum sütun '{name[:70]}' / unknown column")
        for name in names
        if name not in COLUMNS
    ]
    errors += [
        LineError(1, 0, "header", f"sütun təkrarlanır '{name}' / duplicate column")
        for name in sorted({n for n in names if names.count(n) > 1})  # <= len(COLUMNS) names
    ]
    errors += [
        LineError(1, 0, "header", f"'{name}' sütunu yoxdur / column missing")
        for name in REQUIRED_COLUMNS
        if name not in names
    ]
    if errors:
        return [], errors
    records: list[RawRecord] = []
    line = reader.line_num
    while True:
        start = line + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(LineError(start, len(records) + 1, "content", f"CSV: {exc}"))
            break
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue  # blank lines between records are harmless
        number = len(records) + 1
        if len(row) != len(names):
            message = (
                f"{len(row)} xana var, {len(names)} gözlənilir / "
                f"{len(row)} cells, expected {len(names)}"
            )
            errors.append(LineError(start, number, "content", message))
        cells = [unescape_formula(cell) for cell in row[: len(names)]]
        records.append(RawRecord(start, number, dict(zip(names, cells, strict=False))))
    bad = {e.record for e in errors}
    return [r for r in records if r.record not in bad], errors


def read_json(content: str) -> tuple[list[RawRecord], list[LineError]]:
    """Decode a top-level array item by item, remembering the line where each object starts."""
    decoder = json.JSONDecoder()
    pos = _skip_ws(content, 0)
    if pos >= len(content) or content[pos] != "[":
        message = "JSON massivi gözlənilir / a JSON array of services is expected"
        return [], [LineError(_line_of(content, pos), 0, "content", message)]
    pos = _skip_ws(content, pos + 1)
    records: list[RawRecord] = []
    errors: list[LineError] = []
    if pos < len(content) and content[pos] == "]":
        return records, _trailing(content, pos + 1)
    number = 0
    while True:
        number += 1
        line = _line_of(content, pos)
        try:
            value, pos = decoder.raw_decode(content, pos)
        except json.JSONDecodeError as exc:
            message = f"JSON oxunmur / invalid JSON: {exc.msg}"
            return records, [*errors, LineError(exc.lineno, number, "content", message)]
        if isinstance(value, dict):
            records.append(RawRecord(line, number, value))
        else:
            errors.append(LineError(line, number, "content", "obyekt gözlənilir / expected object"))
        pos = _skip_ws(content, pos)
        if pos < len(content) and content[pos] == ",":
            pos = _skip_ws(content, pos + 1)
            continue
        if pos < len(content) and content[pos] == "]":
            return records, errors + _trailing(content, pos + 1)
        message = "',' və ya ']' gözlənilir / expected ',' or ']'"
        return records, [*errors, LineError(_line_of(content, pos), number, "content", message)]


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _trailing(text: str, pos: int) -> list[LineError]:
    pos = _skip_ws(text, pos)
    if pos < len(text):
        return [LineError(_line_of(text, pos), 0, "content", "artıq mətn / trailing content")]
    return []


class _Reader:
    """Reads the values of one record, collecting every shape problem it finds."""

    def __init__(self, raw: RawRecord) -> None:
        self.raw = raw
        self.errors: list[LineError] = []

    def fail(self, field: str, message: str) -> None:
        self.errors.append(LineError(self.raw.line, self.raw.record, field, message))

    def present(self, field: str) -> bool:
        value = self.raw.values.get(field)
        return value is not None and not (isinstance(value, str) and not value.strip())

    def text(self, field: str) -> str:
        value = self.raw.values.get(field)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.fail(field, "mətn gözlənilir / expected text")
            return ""
        return normalize(value)

    def integer(self, field: str) -> int | None:
        if not self.present(field):
            return None
        value = self.raw.values[field]
        if isinstance(value, bool) or not isinstance(value, int | str):
            self.fail(field, "tam ədəd gözlənilir / expected a whole number")
            return None
        text = normalize(value) if isinstance(value, str) else str(value)
        if not _INTEGER_RE.fullmatch(text):
            self.fail(field, "tam ədəd gözlənilir / expected a whole number")
            return None
        return int(text)

    def amount(self, field: str) -> Decimal:
        if not self.present(field):
            self.fail(field, "rüsum göstərilməlidir (0 = pulsuz) / fee must be stated (0 = free)")
            return Decimal("0")
        value = self.raw.values[field]
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.fail(field, "məbləğ gözlənilir / expected an amount")
            return Decimal("0")
        text = normalize(value) if isinstance(value, str) else repr(value)
        if not _AMOUNT_RE.fullmatch(text):
            self.fail(
                field,
                "AZN məbləği: nöqtə ilə, ən çox 2 onluq / amount in AZN: dot, at most 2 decimals",
            )
            return Decimal("0")
        return Decimal(text).quantize(Decimal("0.01"))

    def items(self, field: str) -> list[Any]:
        value = self.raw.values.get(field)
        if value is None:
            return []
        if isinstance(value, str):
            items: list[Any] = [p for p in value.split(ITEM_SEPARATOR) if p.strip()]
        elif isinstance(value, list):
            items = value
        else:
            self.fail(field, "siyahı gözlənilir / expected a list")
            return []
        if len(items) > MAX_ITEMS:
            self.fail(field, f"{MAX_ITEMS} elementdən çoxdur / more than {MAX_ITEMS} items")
            return []
        return items

    def plain(self, field: str, value: object, *forbidden: str) -> str | None:
        if not isinstance(value, str):
            self.fail(field, "mətn gözlənilir / expected text")
            return None
        if any(sep in value for sep in forbidden):
            shown = " ".join(f"'{sep}'" for sep in forbidden)
            self.fail(field, f"{shown} işlədilə bilməz / must not contain {shown}")
            return None
        return normalize(value)

    def strings(self, field: str) -> tuple[str, ...]:
        out: list[str] = []
        for item in self.items(field):
            text = self.plain(field, item, ITEM_SEPARATOR, QUALIFIER_SEPARATOR)
            if text is not None:
                out.append(text)
        return tuple(out)

    def requirements(self, field: str) -> tuple[Ref, ...]:
        out: list[Ref] = []
        for item in self.items(field):
            code: object
            condition: object
            if isinstance(item, str):
                code, sep, rest = item.partition(QUALIFIER_SEPARATOR)
                condition = rest if sep else None
            elif isinstance(item, dict) and set(item) <= {"code", "condition"}:
                code, condition = item.get("code"), item.get("condition")
            else:
                self.fail(field, "{code, condition} gözlənilir / expected {code, condition}")
                continue
            code_text = self.plain(field, code, ITEM_SEPARATOR, QUALIFIER_SEPARATOR)
            if condition is None:
                condition_text: str | None = None
            else:
                condition_text = self.plain(
                    f"{field}.condition", condition, ITEM_SEPARATOR, QUALIFIER_SEPARATOR
                )
                if condition_text is None:
                    continue
            if code_text is not None:
                out.append(Ref(code_text, condition_text or None))
        return tuple(out)

    def legal(self, field: str) -> tuple[LegalRef, ...]:
        out: list[LegalRef] = []
        for item in self.items(field):
            code: object
            articles: list[object]
            if isinstance(item, str):
                code, sep, rest = item.partition(QUALIFIER_SEPARATOR)
                articles = [a for a in rest.split(ARTICLE_SEPARATOR) if a.strip()] if sep else []
            elif (
                isinstance(item, dict)
                and set(item) <= {"code", "articles"}
                and isinstance(item.get("articles", []), list)
            ):
                code, articles = item.get("code"), list(item.get("articles", []))
            else:
                self.fail(field, "{code, articles} gözlənilir / expected {code, articles}")
                continue
            code_text = self.plain(field, code, ITEM_SEPARATOR, QUALIFIER_SEPARATOR)
            texts = [
                self.plain(
                    f"{field}.articles", a, ITEM_SEPARATOR, QUALIFIER_SEPARATOR, ARTICLE_SEPARATOR
                )
                for a in articles
            ]
            if code_text is not None and None not in texts:
                out.append(LegalRef(code_text, tuple(t for t in texts if t)))
        return tuple(out)


def read_row(raw: RawRecord) -> tuple[BulkRow | None, list[LineError]]:
    """Read one record's values; None when it cannot be named (no usable code)."""
    r = _Reader(raw)
    for key in sorted(k for k in raw.values if k not in COLUMNS):
        r.fail(str(key)[:70], "naməlum sahə / unknown field")
    code = normalize(r.text("code"))
    if not code:
        r.fail("code", "boş ola bilməz / must not be empty")
    status = normalize(r.text("status")) or None
    row = BulkRow(
        line=raw.line,
        record=raw.record,
        code=code,
        name_az=r.text("nameAz"),
        name_en=r.text("nameEn"),
        name_ru=r.text("nameRu"),
        description_az=r.text("descriptionAz"),
        description_en=r.text("descriptionEn"),
        description_ru=r.text("descriptionRu"),
        status=status,
        processing_days=r.integer("processingDays"),
        fee_amount=r.amount("feeAmount"),
        fee_exemptions=r.strings("feeExemptions"),
        online_url=normalize(r.text("onlineUrl")) or None,
        channels=r.strings("channels"),
        requirements=r.requirements("requirements"),
        outputs=r.strings("outputs"),
        legal_basis=r.legal("legalBasis"),
        systems=r.strings("systems"),
        centres=r.strings("centres"),
        buses=r.strings("buses"),
        categories=r.strings("categories"),
    )
    return (row if code else None), r.errors
