"""The inventory as documents people sign and spreadsheets read: PDF and CSV.

Both come from one ``Table`` drawn by the reports' renderer (fpdf2 in DejaVu Sans, so every
Azerbaijani letter prints; CSV in UTF-8 with a BOM and formula cells quoted). The PDF ends
with the places for the signatures of who handed the cases over and who accepted them, with
the names and dates the system knows filled in.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from asan.archive.transfer.models import Inventory, ListedCase
from asan.core.workdays import BAKU
from asan.edms.reports.models import Table

COLUMNS: tuple[tuple[str, str], ...] = (
    ("position", "№"),
    ("index", "İndeks / Index"),
    ("title", "Başlıq / Title"),
    ("dates", "Tarixlər / Dates"),
    ("documents", "Sənəd / Documents"),
    ("files", "Fayl / Files"),
    ("retention", "Saxlama / Retention"),
    ("disposal", "Məhv tarixi / Disposal"),
)
STATUS_AZ = {
    "draft": "layihə / draft",
    "submitted": "təqdim edilib / submitted",
    "returned": "qaytarılıb / returned",
    "accepted": "qəbul edilib / accepted",
}
LINE = "______________________"


def _dates(line: ListedCase) -> str:
    if line.first_document is None or line.last_document is None:
        return str(line.year)
    first, last = line.first_document.isoformat(), line.last_document.isoformat()
    return first if first == last else f"{first} – {last}"


def _retention(line: ListedCase) -> str:
    if line.permanent or line.retention_years is None:
        return "daimi / permanent"
    return f"{line.retention_years} il / years"


def _row(line: ListedCase) -> dict[str, str | int | float | None]:
    return {
        "position": line.position,
        "index": line.index,
        "title": line.title,
        "dates": _dates(line),
        "documents": line.documents,
        "files": line.files,
        "retention": _retention(line),
        "disposal": line.disposal_date.isoformat() if line.disposal_date else None,
    }


def _who(name: str | None, at: datetime | None) -> str:
    when = at.astimezone(BAKU).date().isoformat() if at is not None else LINE
    return f"{name or LINE}   imza / signature {LINE}   tarix / date {when}"


def inventory_table(
    inventory: Inventory,
    lines: Sequence[ListedCase],
    today: date,
    names: dict[str, str] | None = None,
) -> Table:
    """``names``: user ids to display names for the signature places (unknown: blank)."""
    known = names or {}
    rows = [_row(line) for line in lines]
    total_docs = sum(line.documents for line in lines)
    total_files = sum(line.files for line in lines)
    handed = known.get(inventory.submitted_by or "") if inventory.submitted_by else None
    accepted = known.get(inventory.accepted_by or "") if inventory.accepted_by else None
    notes = (
        f"Cəmi: {len(lines)} iş, {total_docs} sənəd, {total_files} fayl / Total: {len(lines)} "
        f"cases, {total_docs} documents, {total_files} files",
        "",
        "Təhvil verdi / Handed over by: " + _who(handed, inventory.submitted_at),
        "",
        "Qəbul etdi / Accepted by: " + _who(accepted, inventory.accepted_at),
    )
    return Table(
        name=f"transfer-inventory-{inventory.number}",
        title=f"Təhvil siyahısı {inventory.number} / Transfer inventory {inventory.number}",
        subtitle=(
            f"Bölmə / Unit: {inventory.unit}"
            + (f" ({inventory.unit_name})" if inventory.unit_name else "")
            + f"; il / year: {inventory.year}; vəziyyət / status: "
            f"{STATUS_AZ.get(inventory.status, inventory.status)}"
            + (
                f"; qaytarılma səbəbi / returned because: {inventory.returned_reason}"
                if inventory.status == "returned" and inventory.returned_reason
                else ""
            )
        ),
        columns=COLUMNS,
        rows=rows,
        generated=today,
        notes=notes,
    )
