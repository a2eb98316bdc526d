"""Fixity reports for people: reading them, and starting a run over the API.

One case is audited while the request waits (its files are few); the whole archive is
audited in the background of the API process that was asked, and the answer is the running
report, whose counters grow batch by batch until it ends.
"""

from __future__ import annotations

from typing import Any

from asan.archive.fixity import repository as repo
from asan.archive.fixity.audit import audit_records, open_report, report_of
from asan.archive.fixity.models import API, FixityProblem, FixityReport
from asan.archive.fixity.policy import READ
from asan.archive.fixity.schedule import start_background
from asan.auth.policy import Resource, authorize
from asan.auth.principal import Principal
from asan.core.platform import Platform


async def run_from_api(
    platform: Platform,
    principal: Principal,
    case_id: str | None,
    *,
    client_mutation_id: str | None = None,
) -> FixityReport:
    opened = await open_report(
        platform,
        principal,
        case_id=case_id,
        trigger=API,
        client_mutation_id=client_mutation_id,
    )
    assert opened is not None  # only a scheduled open is ever skipped
    report_id, fresh = opened
    if fresh and case_id is not None:
        return await audit_records(platform, principal, report_id, case_id=case_id)
    if fresh:
        start_background(platform, principal, report_id)
    return await report_of(platform, report_id)


async def read_report(
    platform: Platform, principal: Principal, report_id: str
) -> FixityReport | None:
    authorize(principal, READ, Resource("FixityReport", id=report_id))
    found = await repo.report_by_id(platform.db, report_id)
    return FixityReport.of(found) if found else None


async def list_reports(
    platform: Platform, principal: Principal, *, after: list[Any] | None, limit: int
) -> tuple[list[FixityReport], int]:
    """Newest first."""
    authorize(principal, READ, Resource("FixityReport"))
    async with platform.db.read_transaction() as tx:
        rows, total = await repo.page_reports(tx, after, limit)
    return [FixityReport.of(r) for r in rows], total


def report_cursor(report: FixityReport) -> list[Any]:
    return [report.started_at.isoformat(), report.id]


async def list_problems(
    platform: Platform,
    principal: Principal,
    report_id: str,
    *,
    after: list[Any] | None,
    limit: int,
) -> tuple[list[FixityProblem], int]:
    """A report's problems by key, then kind."""
    authorize(principal, READ, Resource("FixityReport", id=report_id))
    rows, total = await repo.page_problems(platform.db, report_id, after, limit)
    return [FixityProblem.of(r) for r in rows], total


async def read_problem(
    platform: Platform, principal: Principal, problem_id: str
) -> FixityProblem | None:
    found = await repo.problem_by_id(platform.db, problem_id)
    if found is None:
        return None
    authorize(principal, READ, Resource("FixityReport", id=found["reportId"]))
    return FixityProblem.of(found)


def problem_cursor(problem: FixityProblem) -> list[Any]:
    return [problem.key, problem.kind]
