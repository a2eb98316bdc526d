"""Building archive test data through the real use cases: a case with documents and files,
closed in a given year and handed to the unit's archive. Every archive test module uses this
(each with its own years or units, so modules sharing one graph never collide)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from asan.archive.cases.use_cases import change_status, file_document
from asan.archive.nomenclature.use_cases import CaseDraft, add_case, create_nomenclature
from asan.auth.pipeline import Mutation, run_mutation
from asan.core.errors import Conflict
from asan.core.workdays import today_in_baku
from asan.edms.documents.access import document_target
from asan.edms.files.policy import FILE_UPLOAD
from asan.edms.files.use_cases import store_file_in_unit
from tests.edms.conftest import World
from tests.edms.files_support import pdf_with_text
from tests.edms.support import REGISTER, letter


@dataclass
class BuiltCase:
    case_id: str
    index: str
    documents: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


async def ensure_nomenclature(w: World, year: int) -> None:
    try:
        await create_nomenclature(w.platform, w.principal("registrar"), year)
    except Conflict:
        pass  # made by an earlier test of the module


async def register(w: World, subject: str) -> str:
    data = await w.gql("registrar", REGISTER, {"input": {"card": letter(subject)}})
    assert data["registerDocument"]["userErrors"] == [], data
    document_id: str = data["registerDocument"]["document"]["documentId"]
    return document_id


async def attach(w: World, document_id: str, data: bytes, filename: str = "a.pdf") -> str:
    """A new file version of the document (role original), as the registrar stores it."""

    async def work(m: Mutation) -> str:
        stored = await store_file_in_unit(
            m, document_id, data, filename=filename, content_type=None, role="original"
        )
        return stored.id

    return await run_mutation(
        w.platform, w.principal("registrar"), FILE_UPLOAD, document_target(document_id), work
    )


async def build_case(
    w: World,
    *,
    year: int,
    number: int,
    unit: str = "DEPT-IT",
    retention_years: int | None = 5,
    permanent: bool = False,
    documents: int = 2,
    files_per_document: int = 1,
    closed_on: date | None = None,
    to: str = "unit_archive",
    title: str = "Daxil olan məktublar",
) -> BuiltCase:
    """A case of ``year`` with documents and PDF files, closed on ``closed_on`` (default: the
    31st of December of ``year``, or today for this year) and moved up to ``to`` ("open",
    "closed" or "unit_archive")."""
    await ensure_nomenclature(w, year)
    registrar = w.principal("registrar")
    case_id = await add_case(
        w.platform,
        registrar,
        CaseDraft(
            year=year,
            unit=unit,
            number=number,
            title=title,
            retention_years=None if permanent else retention_years,
            permanent=permanent,
        ),
    )
    built = BuiltCase(case_id, f"{unit}-{number:02d}")
    for d in range(documents):
        document_id = await register(w, f"{title} {year}/{number} — sənəd {d + 1}")
        for v in range(files_per_document):
            text = f"Arxiv {year}/{number} sened {d + 1} versiya {v + 1}"
            built.files.append(await attach(w, document_id, pdf_with_text(text)))
        await file_document(w.platform, registrar, document_id, case_id)
        built.documents.append(document_id)
    if to == "open":
        return built
    archivist = w.principal("archivist")
    await change_status(
        w.platform,
        archivist,
        case_id,
        "closed",
        closed_on=closed_on or min(date(year, 12, 31), today_in_baku()),
    )
    if to == "unit_archive":
        await change_status(w.platform, archivist, case_id, "unit_archive")
    return built


def codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]
