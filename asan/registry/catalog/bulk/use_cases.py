"""Bulk import and export of one state body's services (JSON or CSV), all or nothing.

Why a separate use case rather than a loop over ``create_service``: a body sends its whole
list at once and needs every problem of the file in one answer (line, field, message), and
nothing may change unless the whole file is good. So the file is read (``bulk_formats``),
every row is turned into the catalog's ``ServiceInput`` and checked with the catalog's own
``validation.service`` plus the reference, ownership, status and permission checks, and only
when no row is rejected are the changed rows written, in one transaction, through the
catalog's batch writer (one UNWIND per chunk), with one audit event for the file.

Rows whose content equals what is stored are left alone (no new version), so re-importing an
export changes nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from asan.auth import audit, policy
from asan.auth.pipeline import Mutation, run_audited, run_mutation
from asan.auth.policy import Resource
from asan.auth.principal import Principal
from asan.core.db import Tx
from asan.core.errors import Forbidden, NotFound, ValidationFailed
from asan.core.platform import Platform
from asan.core.text import normalize
from asan.core.uow import UnitOfWork
from asan.registry.catalog import changes, flows, validation
from asan.registry.catalog import repo_common as common_repo
from asan.registry.catalog.bodies import repository as bodies_repo
from asan.registry.catalog.bulk import repository as bulk_repo
from asan.registry.catalog.bulk.readers import parse
from asan.registry.catalog.bulk.shapes import (
    BulkFormat,
    BulkRow,
    LineError,
)
from asan.registry.catalog.bulk.writers import render
from asan.registry.catalog.common import authorize
from asan.registry.catalog.models import (
    Evidence,
    LegalBasis,
    Output,
    ServiceInput,
    StoredService,
    Visibility,
)
from asan.registry.catalog.services import reads as service_reads
from asan.registry.catalog.services.use_cases import write_services

IMPORT_ACTION = "registry.service.bulk_import"
EXPORT_ACTION = "registry.service.bulk_export"
WRITE_CHUNK = 1000  # rows per UNWIND statement; all chunks share one transaction
_TAKEN = "kod artıq istifadə olunur / code already in use"


@dataclass(frozen=True)
class ImportReport:
    """What an import did, or why it did nothing (``accepted`` False, ``rejected`` lines)."""

    state_body: str
    format: BulkFormat
    accepted: bool
    total: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: tuple[LineError, ...] = ()
    codes: tuple[str, ...] = ()  # created or updated


@dataclass
class _Plan:
    """The outcome of checking every row, before anything is written."""

    errors: list[LineError] = field(default_factory=list)
    new: dict[str, list[tuple[BulkRow, ServiceInput]]] = field(default_factory=dict)  # by status
    changed: list[tuple[BulkRow, ServiceInput]] = field(default_factory=list)
    unchanged: int = 0


def _resource(state_body: str) -> Resource:
    return Resource("StateBody", state_body, state_body=state_body)


async def _require_body(tx: Tx, code: str) -> None:
    if not await bodies_repo.state_bodies_by_codes(tx, [code]):
        raise NotFound(
            f"dövlət orqanı tapılmadı / state body not found: {code}", field="stateBodyCode"
        )


async def import_services(
    platform: Platform,
    principal: Principal,
    state_body: str,
    fmt: BulkFormat,
    content: str,
    *,
    now: datetime | None = None,
) -> ImportReport:
    """Check the whole file; write it in one unit only if no line is rejected.

    One ``run_mutation`` unit: authorised before the file is read, one change event per
    created or changed service, one audit event for the file. A rejected file rolls back
    (nothing was written) and its rejection is audited in its own transaction.
    """
    body = normalize(state_body)
    resource = _resource(body)
    at = now or datetime.now(UTC)

    async def work(m: Mutation) -> ImportReport:
        # reading a file of up to 20 MB is CPU work of up to seconds: off the event loop, so
        # one import does not stall every other request of this process
        parsed = await asyncio.to_thread(parse, content, fmt)
        plan = await _plan(m.tx, principal, body, parsed.rows)
        errors = sorted([*parsed.errors, *plan.errors], key=_order)
        if errors:
            raise _Rejected(ImportReport(body, fmt, False, parsed.total, rejected=tuple(errors)))
        try:
            written = await _write(platform, m, plan, at)
        except _WriteRejected as exc:
            # the catalog writer found a problem the plan could not see (a concurrent change)
            raise _Rejected(
                ImportReport(body, fmt, False, parsed.total, rejected=exc.errors), audit=False
            ) from exc
        report = ImportReport(
            body,
            fmt,
            True,
            parsed.total,
            created=sum(len(rows) for rows in plan.new.values()),
            updated=len(plan.changed),
            unchanged=plan.unchanged,
            codes=tuple(written),
        )
        m.detail(
            format=fmt.value,
            total=report.total,
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
            codes=list(report.codes[:50]),
        )
        return report

    async def resolve(tx: Tx) -> Resource:
        # bodies are public: an unknown one is NOT_FOUND before the policy decides on it
        # (docs/errors.md, "Which answer comes first")
        await _require_body(tx, body)
        return resource

    try:
        return await run_mutation(platform, principal, IMPORT_ACTION, resolve, work)
    except _Rejected as rejected:
        report = rejected.report
        if rejected.audit:
            details = {"format": fmt.value, "total": report.total, "rejected": len(report.rejected)}

            async def audit_rejection(uow: UnitOfWork) -> None:
                await audit.record(
                    uow.tx, principal, IMPORT_ACTION, resource, outcome="rejected", details=details
                )

            await run_audited(platform, audit_rejection)
        return report


class _Rejected(Exception):
    """Leaves the unit so that it rolls back; carries the report the caller gets."""

    def __init__(self, report: ImportReport, *, audit: bool = True) -> None:
        super().__init__(f"{len(report.rejected)} rejected lines")
        self.report = report
        self.audit = audit


def _order(error: LineError) -> tuple[int, int, str]:
    return (error.line, error.record, error.field)


class _WriteRejected(Exception):
    def __init__(self, errors: tuple[LineError, ...]) -> None:
        super().__init__(f"{len(errors)} rejected lines")
        self.errors = errors


async def _plan(tx: Tx, principal: Principal, body: str, rows: Sequence[BulkRow]) -> _Plan:
    """Every check of every row, with one query per kind of lookup (not per row)."""
    plan = _Plan()
    codes = [r.code for r in rows]
    stored = await service_reads.stored_services(tx, codes)
    named = await bulk_repo.named_items(
        tx,
        evidence=sorted({q.code for r in rows for q in r.requirements}),
        outputs=sorted({o for r in rows for o in r.outputs}),
        acts=sorted({a.code for r in rows for a in r.legal_basis}),
    )
    missing = await common_repo.missing_references(
        tx,
        common_repo.References(
            systems=[x for r in rows for x in r.systems],
            centres=[x for r in rows for x in r.centres],
            buses=[x for r in rows for x in r.buses],
            categories=[x for r in rows for x in r.categories],
        ),
    )
    for row in rows:
        problems: list[LineError] = []

        def fail(field: str, message: str, code: str = "BAD_USER_INPUT") -> None:
            problems.append(LineError(row.line, row.record, field, message, code))  # noqa: B023

        content = _content(row, body, named, fail)
        try:
            content = validation.service(content)
        except ValidationFailed as exc:
            for e in exc.errors:
                fail(e.field, e.message, e.code)
        for attr, key in (
            ("systems", "systems"),
            ("centres", "centres"),
            ("buses", "buses"),
            ("categories", "categories"),
        ):
            for i, code in enumerate(getattr(row, attr)):
                if code in missing.get(key, set()):
                    fail(f"{attr}[{i}]", f"'{code}' tapılmadı / '{code}' not found", "NOT_FOUND")
        old = stored.get(row.code)
        if old is not None and old.content.contact_point is not None:
            # the file formats carry no contact point: an import keeps the stored one
            content = replace(content, contact_point=old.content.contact_point)
        if old is not None and old.content.provider != body:
            # Another body's service holds the code. The answer is the one for any taken code:
            # nothing about that service (status, name, body), so a hidden draft stays hidden.
            _check_status(row, None, fail)
            fail("code", _TAKEN, "CONFLICT")
            plan.errors.extend(problems)
            continue
        _check_status(row, old, fail)
        if problems:
            plan.errors.extend(problems)
            continue
        if old is None:
            _check_create(principal, row, body, fail)
            status = row.status or flows.DRAFT
            plan.new.setdefault(status, []).append((row, content))
        elif not changes.diff(old.content, changes.canonical(content)):
            plan.unchanged += 1
        else:
            _check_update(principal, row, body, old, fail)
            plan.changed.append((row, content))
        plan.errors.extend(problems)
    return plan


def _content(
    row: BulkRow, body: str, named: dict[str, dict[str, dict[str, Any]]], fail: Any
) -> ServiceInput:
    """The catalog's input for a row; documents, outputs and acts take their registry names."""
    requirements: list[Evidence] = []
    for i, ref in enumerate(row.requirements):
        item = named["evidence"].get(ref.code)
        if item is None:
            fail(f"requirements[{i}].code", _unknown_document(ref.code), "NOT_FOUND")
            continue
        requirements.append(
            Evidence(ref.code, item["nameAz"], item["nameEn"], item["nameRu"], ref.condition)
        )
    outputs: list[Output] = []
    for i, code in enumerate(row.outputs):
        item = named["outputs"].get(code)
        if item is None:
            fail(f"outputs[{i}]", f"'{code}' tapılmadı / output '{code}' not found", "NOT_FOUND")
            continue
        outputs.append(Output(code, item["nameAz"], item["nameEn"], item["nameRu"]))
    legal: list[LegalBasis] = []
    for i, act in enumerate(row.legal_basis):
        item = named["acts"].get(act.code)
        if item is None:
            fail(
                f"legalBasis[{i}].actCode",
                f"'{act.code}' hüquqi aktı tapılmadı / legal act '{act.code}' not found",
                "NOT_FOUND",
            )
            continue
        legal.append(LegalBasis(act.code, item["title"], act.articles))
    return ServiceInput(
        code=row.code,
        name_az=row.name_az,
        provider=body,
        name_en=row.name_en,
        name_ru=row.name_ru,
        description_az=row.description_az,
        description_en=row.description_en,
        description_ru=row.description_ru,
        processing_days=row.processing_days,
        fee_amount=row.fee_amount,
        fee_exemptions=row.fee_exemptions,
        online_url=row.online_url,
        channels=row.channels,
        legal_basis=tuple(legal),
        requirements=tuple(requirements),
        outputs=tuple(outputs),
        centres=row.centres,
        buses=row.buses,
        systems=row.systems,
        categories=row.categories,
    )


def _unknown_document(code: str) -> str:
    return f"'{code}' sənədi reyestrdə yoxdur / document '{code}' is not in the registry"


def _check_status(row: BulkRow, old: StoredService | None, fail: Any) -> None:
    if row.status is None:
        return
    if row.status not in flows.SERVICE_STATUSES:
        allowed = ", ".join(flows.SERVICE_STATUSES)
        fail("status", f"naməlum status; mümkün: {allowed} / unknown status; allowed: {allowed}")
    elif old is not None and row.status != old.status:
        fail(
            "status",
            f"status '{old.status}' idxalla dəyişdirilmir, qeydiyyat proseduru ilədir / "
            f"status '{old.status}' is not changed by import but by the registration procedure",
            "INVALID_TRANSITION",
        )


def _check_create(principal: Principal, row: BulkRow, body: str, fail: Any) -> None:
    target = Resource("Service", row.code, state_body=body)
    if not policy.can(principal, "registry.service.create", target):
        fail("code", "yeni xidmət yaratmaq icazəsi yoxdur / not allowed to create", "FORBIDDEN")
    if row.status not in (None, flows.DRAFT) and not policy.can(
        principal,
        "registry.service.register",
        Resource("Service", row.code, state_body=body, status=flows.UNDER_REVIEW),
    ):
        fail(
            "status",
            "yeni xidmət yalnız 'draft' statusunda idxal olunur / "
            "new services are imported as 'draft' only",
            "FORBIDDEN",
        )


def _check_update(
    principal: Principal, row: BulkRow, body: str, old: StoredService, fail: Any
) -> None:
    if old.status not in flows.EDITABLE_STATUSES:
        fail(
            "code",
            f"'{old.status}' statusunda dəyişdirilə bilməz / cannot be changed while "
            f"'{old.status}'",
            "INVALID_STATE",
        )
        return
    target = Resource("Service", row.code, state_body=body, status=old.status)
    if not policy.can(principal, "registry.service.update", target):
        fail(
            "code",
            f"'{old.status}' xidmətin məzmunu dəyişiklik sorğusu ilə dəyişir / "
            f"a '{old.status}' service changes through a change request",
            "FORBIDDEN",
        )


async def _write(platform: Platform, m: Mutation, plan: _Plan, at: datetime) -> list[str]:
    """The catalog's own batch writer, in chunks, inside the import's transaction."""
    groups: list[tuple[str, list[tuple[BulkRow, ServiceInput]]]] = [
        (status, rows) for status, rows in sorted(plan.new.items())
    ]
    if plan.changed:
        # existing services keep their status whatever ``initial_status`` says
        groups.append((flows.DRAFT, plan.changed))
    written: list[str] = []
    for status, rows in groups:
        for start in range(0, len(rows), WRITE_CHUNK):
            chunk = rows[start : start + WRITE_CHUNK]
            try:
                results = await write_services(
                    platform,
                    m,
                    [content for _, content in chunk],
                    mode="upsert",
                    initial_status=status,
                    at=at,
                )
            except ValidationFailed as exc:
                raise _WriteRejected(_line_errors(exc, [row for row, _ in chunk])) from exc
            except (Forbidden, NotFound) as exc:
                first = chunk[0][0]
                raise _WriteRejected(
                    (LineError(first.line, first.record, "code", exc.message, exc.code),)
                ) from exc
            written += [r.code for r in results]
    return written


def _line_errors(exc: ValidationFailed, rows: Sequence[BulkRow]) -> tuple[LineError, ...]:
    """``services[i].field`` errors of the batch writer mapped back to lines of the file."""
    out: list[LineError] = []
    for e in exc.errors:
        index, _, rest = e.field.removeprefix("services[").partition("].")
        row = rows[int(index)] if index.isdigit() and int(index) < len(rows) else None
        if row is None:
            out.append(LineError(0, 0, e.field, e.message, e.code))
        else:
            out.append(LineError(row.line, row.record, rest or "code", e.message, e.code))
    return tuple(out)


async def export_services(
    platform: Platform, principal: Principal, state_body: str, fmt: BulkFormat
) -> str:
    """Every service of the body (all statuses) in the format ``import_services`` accepts."""
    body = normalize(state_body)
    resource = _resource(body)
    await authorize(platform, principal, EXPORT_ACTION, resource)
    async with platform.db.read_transaction() as tx:
        await _require_body(tx, body)
        listed = await service_reads.services_by_body(tx, [body], Visibility(all_statuses=True))
        codes = sorted(s.code for s in listed.get(body, []))
        stored = await service_reads.stored_services(tx, codes)
    services = [(_exported(stored[code].content), stored[code].status) for code in codes]
    return await asyncio.to_thread(render, services, fmt)  # up to 10,000 rows of text


def _exported(content: ServiceInput) -> ServiceInput:
    # requirements keep their stored order (what applicants are told); the rest are sets
    return replace(changes.canonical(content), requirements=content.requirements)
