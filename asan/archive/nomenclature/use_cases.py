"""The nomenclature's way through a year: drafted, compiled, approved, copied to the next.

Units' heads add their cases to the draft (``addNomenclatureCase``); the EDMS department's
registrar compiles the general nomenclature once every unit has drafted (no more additions);
the agency's head approves it. Next year's nomenclature starts as a copy of this year's (new
case ids, every case open, status draft) so a unit only edits what changed.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from neo4j.exceptions import ConstraintError

from asan.archive.cases import repository as cases_repo
from asan.archive.cases.models import OPEN, make_index
from asan.archive.nomenclature import repository as repo
from asan.archive.nomenclature.models import APPROVED, COMPILED, DRAFT, Nomenclature
from asan.archive.nomenclature.policy import APPROVE, COMPILE, READ
from asan.archive.nomenclature.policy import DRAFT as DRAFT_ACTION
from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource, authorize
from asan.auth.principal import Principal
from asan.core.db import Tx
from asan.core.errors import (
    Conflict,
    FieldError,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)
from asan.core.platform import Platform
from asan.core.text import clean

KIND = "Nomenclature"
CASE_KIND = "Case"
YEARS = range(2000, 2101)
NEXT: dict[str, str] = {DRAFT: COMPILED, COMPILED: APPROVED}


@dataclass(frozen=True)
class CaseDraft:
    year: int
    unit: str
    number: int
    title: str
    retention_years: int | None = None
    permanent: bool = False
    article: str | None = None
    expert_review: bool = False


def _target(year: int) -> Resource:
    return Resource("Nomenclature", id=str(year))


def _check_year(year: int, field: str = "year") -> None:
    if year not in YEARS:
        raise ValidationFailed([FieldError(field, "il 2000-2100 olmalıdır / year out of range")])


async def _existing(tx: Tx, year: int, field: str = "year") -> Nomenclature:
    row = await repo.by_year(tx, year)
    if row is None:
        raise NotFound(f"{year} ilin nomenklaturu yoxdur / no nomenclature for {year}", field=field)
    return Nomenclature.of(row)


async def read_nomenclature(
    platform: Platform, principal: Principal, year: int
) -> Nomenclature | None:
    authorize(principal, READ, Resource("Nomenclature", id=str(year)))
    async with platform.db.read_transaction() as tx:
        row = await repo.by_year(tx, year)
    return Nomenclature.of(row) if row is not None else None


async def create_nomenclature(
    platform: Platform, principal: Principal, year: int, *, client_mutation_id: str | None = None
) -> int:
    _check_year(year)

    async def work(m: Mutation) -> int:
        if await repo.by_year(m.tx, year) is not None:
            raise Conflict(f"{year} ilin nomenklaturu artıq var / already exists", field="year")
        await repo.create(m.tx, year, datetime.now(UTC), principal.subject)
        m.changed(KIND, str(year), "created", ("year", "status"))
        return year

    return await run_mutation(
        platform, principal, COMPILE, _target(year), work, client_mutation_id=client_mutation_id
    )


def _validated(draft: CaseDraft) -> CaseDraft:
    errors: list[FieldError] = []
    title, problem = clean(draft.title, "title", max_length=500)
    errors += [problem] if problem else []
    article = None
    if draft.article is not None:
        article, problem = clean(draft.article, "article", max_length=100, required=False)
        errors += [problem] if problem else []
    if not 1 <= draft.number <= 999:
        errors.append(FieldError("number", "nömrə 1-999 olmalıdır / number must be 1-999"))
    if draft.retention_years is not None and not 1 <= draft.retention_years <= 100:
        errors.append(
            FieldError("retentionYears", "saxlama müddəti 1-100 il / retention must be 1-100")
        )
    if draft.permanent and draft.retention_years is not None:
        errors.append(
            FieldError(
                "retentionYears",
                "daimi saxlanan işin müddəti olmur / a permanent case has no retention years",
            )
        )
    if errors:
        raise ValidationFailed(errors)
    return CaseDraft(
        draft.year,
        draft.unit,
        draft.number,
        title,
        draft.retention_years,
        draft.permanent,
        article or None,
        draft.expert_review,
    )


async def add_case(
    platform: Platform,
    principal: Principal,
    draft: CaseDraft,
    *,
    client_mutation_id: str | None = None,
) -> str:
    """A unit's case in a draft nomenclature; returns the new case's id."""
    _check_year(draft.year)
    ok = _validated(draft)
    index = make_index(ok.unit, ok.number)

    async def work(m: Mutation) -> str:
        await repo.lock(m.tx, ok.year)
        found = await _existing(m.tx, ok.year)
        if found.status != DRAFT:
            raise InvalidTransition(
                f"nomenklatura '{found.status}' vəziyyətindədir, iş əlavə edilmir / the "
                f"nomenclature is '{found.status}': cases are added only to a draft",
                field="year",
            )
        if not await repo.unit_exists(m.tx, ok.unit):
            raise NotFound(f"bölmə {ok.unit[:60]} tapılmadı / unit not found", field="unit")
        if await cases_repo.index_taken(m.tx, ok.year, index):
            raise Conflict(
                f"{index} indeksi {ok.year} ildə var / index already used", field="number"
            )
        case_id = str(uuid.uuid4())
        try:
            await _add(m, case_id, ok, index)
        except ConstraintError as exc:  # the same index added concurrently, after our check
            raise Conflict(
                f"{index} indeksi {ok.year} ildə var / index already used", field="number"
            ) from exc
        m.changed(CASE_KIND, case_id, "created", ("index", "title", "retentionYears"))
        m.detail(index=index, year=ok.year)
        return case_id

    resource = Resource("Nomenclature", id=str(ok.year), org_unit=ok.unit)
    return await run_mutation(
        platform, principal, DRAFT_ACTION, resource, work, client_mutation_id=client_mutation_id
    )


async def _add(m: Mutation, case_id: str, ok: CaseDraft, index: str) -> None:
    await cases_repo.add(
        m.tx,
        {
            "id": case_id,
            "year": ok.year,
            "index": index,
            "yearIndex": f"{ok.year}:{index}",
            "number": ok.number,
            "title": ok.title,
            "unit": ok.unit,
            "retentionYears": ok.retention_years,
            "permanent": ok.permanent,
            "article": ok.article,
            "expertReview": ok.expert_review,
            "status": OPEN,
        },
    )


def _approval_target(year: int) -> Callable[[Tx], Awaitable[Resource]]:
    async def resolve(tx: Tx) -> Resource:
        return Resource("Nomenclature", id=str(year), org_unit=await repo.root_unit(tx))

    return resolve


async def _advance(
    platform: Platform,
    principal: Principal,
    year: int,
    to: str,
    client_mutation_id: str | None,
) -> int:
    async def work(m: Mutation) -> int:
        await repo.lock(m.tx, year)
        found = await _existing(m.tx, year)
        if NEXT.get(found.status) != to:
            allowed = NEXT.get(found.status)
            raise InvalidTransition(
                f"'{found.status}' vəziyyətindən '{to}' olmaz; mümkün addım: {allowed or 'yoxdur'}"
                f" / cannot go from '{found.status}' to '{to}'; allowed steps: "
                f"{allowed or 'none'}",
                field="year",
            )
        if to == COMPILED and found.cases == 0:
            raise InvalidTransition(
                "nomenklaturada iş yoxdur / the nomenclature has no cases", field="year"
            )
        await repo.set_status(m.tx, year, to, datetime.now(UTC), principal.subject)
        m.changed(KIND, str(year), "status_changed", ("status",))
        m.detail(status=to)
        return year

    if to == COMPILED:
        return await run_mutation(
            platform, principal, COMPILE, _target(year), work, client_mutation_id=client_mutation_id
        )
    return await run_mutation(
        platform,
        principal,
        APPROVE,
        _approval_target(year),
        work,
        client_mutation_id=client_mutation_id,
    )


async def compile_nomenclature(
    platform: Platform, principal: Principal, year: int, *, client_mutation_id: str | None = None
) -> int:
    """The EDMS department's general nomenclature: the units' drafts, closed to additions."""
    return await _advance(platform, principal, year, COMPILED, client_mutation_id)


async def approve_nomenclature(
    platform: Platform, principal: Principal, year: int, *, client_mutation_id: str | None = None
) -> int:
    """The agency head's approval of a compiled nomenclature."""
    return await _advance(platform, principal, year, APPROVED, client_mutation_id)


async def create_next(
    platform: Platform,
    principal: Principal,
    from_year: int,
    *,
    client_mutation_id: str | None = None,
) -> int:
    """Next year's draft nomenclature as a copy of ``from_year``'s; returns the new year."""
    _check_year(from_year, "fromYear")
    _check_year(from_year + 1, "fromYear")
    year = from_year + 1

    async def work(m: Mutation) -> int:
        await _existing(m.tx, from_year, "fromYear")
        if await repo.by_year(m.tx, year) is not None:
            raise Conflict(f"{year} ilin nomenklaturu artıq var / already exists", field="fromYear")
        await repo.create(m.tx, year, datetime.now(UTC), principal.subject)
        copied = await repo.copy_cases(m.tx, from_year, year)
        m.changed(KIND, str(year), "created", ("year", "status"))
        for case_id in copied:
            m.changed(CASE_KIND, case_id, "created", ("index", "title", "retentionYears"))
        m.detail(fromYear=from_year, cases=len(copied))
        return year

    return await run_mutation(
        platform, principal, COMPILE, _target(year), work, client_mutation_id=client_mutation_id
    )
