"""The destruction act (məhv etmə aktı) as a PDF: what the agency's head signs.

Drawn with the EDMS reports' renderer (fpdf2, DejaVu Sans: every Azerbaijani letter): the act's
number and date, the expert commission, one row per case (index, title, year, retention,
documents, archived files, size) and, as notes, each case's SHA-256 digest over its records
(id and SHA-256 of every file, sorted) and the act's digest over those. The digests bind the
signature to exactly the files the execution will delete.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from asan.archive.disposition.models import DestructionAct
from asan.edms.reports.models import Table
from asan.edms.reports.render import to_pdf

COLUMNS = (
    ("index", "İndeks / Index"),
    ("title", "Başlıq / Title"),
    ("year", "İl / Year"),
    ("retention", "Müddət / Retention"),
    ("disposal", "Məhv tarixi / Disposal date"),
    ("documents", "Sənəd / Documents"),
    ("records", "Fayl / Files"),
    ("size", "Həcm / Size"),
)


def records_digest(records: Iterable[Mapping[str, Any]]) -> str:
    """SHA-256 over "id sha256" lines of the records, sorted by id."""
    lines = sorted(f"{r['id']} {r['sha256']}" for r in records)
    return hashlib.sha256("\n".join(lines).encode("ascii")).hexdigest()


def act_digest(case_digests: Iterable[tuple[str, str]]) -> str:
    """SHA-256 over "caseId digest" lines, sorted by case id."""
    lines = sorted(f"{case_id} {digest}" for case_id, digest in case_digests)
    return hashlib.sha256("\n".join(lines).encode("ascii")).hexdigest()


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    value, unit = n / 1024, "KB"
    for bigger in ("MB", "GB"):
        if value < 1024:
            break
        value, unit = value / 1024, bigger
    return f"{value:.1f} {unit}"


def act_table(act: DestructionAct) -> Table:
    rows: list[dict[str, str | int | float | None]] = [
        {
            "index": c.index,
            "title": c.title,
            "year": c.year,
            "retention": f"{c.retention_years} il / years" if c.retention_years else "-",
            "disposal": c.disposal_date.isoformat() if c.disposal_date else "-",
            "documents": c.documents,
            "records": c.records,
            "size": _size(c.bytes),
        }
        for c in act.cases
    ]
    commission = ", ".join(act.commission) or "-"
    notes = (
        f"Cəmi / Total: {len(act.cases)} iş / cases, {act.records} fayl / files, "
        f"{_size(act.bytes)}.",
        "SHA-256 (işin faylları: 'id sha256' sətirləri, id üzrə) / of each case's files "
        "('id sha256' lines sorted by id):",
        *(f"{c.index}: {c.digest}" for c in act.cases),
        f"Aktın SHA-256 həzmi / Digest of the act: {act.digest}",
        "Bu akt imzalandıqdan sonra yuxarıdakı fayllar arxivdən silinir; metaməlumatları "
        "qalır. / Once this act is signed the files above are deleted from the archive; "
        "their metadata stays.",
    )
    return Table(
        name=act.number,
        title=f"Məhv etmə aktı / Destruction act {act.number}",
        subtitle=(
            f"Tərtib etdi / Drawn up by: {act.created_by_name}, "
            f"{act.created_at.date().isoformat()}. "
            f"Ekspert komissiyası / Expert commission: {commission}."
        ),
        columns=COLUMNS,
        rows=rows,
        generated=act.created_at.date(),
        notes=notes,
    )


def act_pdf(act: DestructionAct) -> bytes:
    return to_pdf(act_table(act))
