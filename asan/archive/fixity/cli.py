"""``asan archive audit``: a fixity audit from the command line, with a progress bar.

It runs as the system (the operator at the console already holds the servers' keys); the
report's trigger says ``cli``. The exit code is 1 when anything was found (mismatched,
missing or overwritten), so a cron job or a monitoring check notices.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from asan.archive.cli_base import archive_app, console, progress_bar, run_with_platform

if TYPE_CHECKING:
    from asan.archive.fixity.models import FixityProblem, FixityReport
    from asan.core.platform import Platform


@archive_app.command("audit")
def audit(
    case: Annotated[
        str | None, typer.Option("--case", help="Audit one case (its id); default: all.")
    ] = None,
    concurrency: Annotated[
        int | None,
        typer.Option("--concurrency", min=1, max=64, help="Objects read at once."),
    ] = None,
) -> None:
    """Re-read every archived object and compare its SHA-256 with the one recorded at
    ingest; flag mismatched and missing records, report overwritten keys, repair nothing."""
    from asan.archive.fixity import repository as repo
    from asan.archive.fixity.audit import run_audit
    from asan.archive.fixity.models import CLI, FixityProblem
    from asan.auth.principal import SYSTEM

    async def work(platform: Platform) -> tuple[FixityReport, list[FixityProblem]]:
        with progress_bar("fixity audit") as advance:
            report = await run_audit(
                platform,
                SYSTEM,
                case_id=case,
                trigger=CLI,
                concurrency=concurrency,
                progress=advance,
            )
        problems: list[FixityProblem] = []
        after: list[str] | None = None
        while True:
            rows, _ = await repo.page_problems(platform.db, report.id, after, 1000)
            problems += [FixityProblem.of(r) for r in rows]
            if len(rows) < 1000:
                return report, problems
            after = [problems[-1].key, problems[-1].kind]

    report, problems = run_with_platform(work)
    _print(report, problems)
    if problems:
        raise typer.Exit(code=1)


def _print(report: FixityReport, problems: list[FixityProblem]) -> None:
    mib = report.bytes / (1024 * 1024)
    seconds = report.seconds or 0.0
    typer.echo(
        f"report {report.id}: {report.checked} checked, {report.ok} ok, "
        f"{report.mismatched} mismatched, {report.missing} missing, "
        f"{report.overwritten} overwritten; {mib:.1f} MiB in {seconds:.1f} s"
    )
    for p in problems:
        typer.echo(f"{p.case_index or p.case_id}\t{p.key}\t{p.kind}")
    if problems:
        console.print(f"[red]{len(problems)} problem(s) found[/red]", highlight=False)
