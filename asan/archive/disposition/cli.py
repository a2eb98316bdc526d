"""``asan archive dispose <act>``: execute (or resume) a signed destruction act with a bar.

Runs as the operator's named user (``--as``, who must be allowed to execute acts: an
archivist) or, without it, as the system identity of the server's operator. A run killed
half-way is simply run again: it resumes where the graph says it stopped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from asan.archive.cli_base import archive_app, console, fail, progress_bar, run_with_platform

if TYPE_CHECKING:
    from asan.archive.disposition.models import ExecutionReport
    from asan.core.platform import Platform


@archive_app.command("dispose")
def dispose(
    act: str = typer.Argument(..., help="The act's number (DA-2026-001) or id."),
    as_user: str | None = typer.Option(
        None, "--as", help="Username to act as (default: the system identity)."
    ),
) -> None:
    """Delete the files a signed destruction act lists (resumable)."""
    from asan.archive.disposition.execute import execute_act
    from asan.auth.principal import SYSTEM

    async def work(platform: Platform) -> ExecutionReport:
        principal = SYSTEM
        if as_user is not None:
            from asan.auth.resolve import resolve_user
            from asan.core.workdays import today_in_baku

            rows = await platform.db.read(
                "MATCH (u:User {username: $name}) RETURN u.id AS id", {"name": as_user}
            )
            found = (
                await resolve_user(platform, rows[0]["id"], today_in_baku().isoformat())
                if rows
                else None
            )
            if found is None:
                raise fail(f"no user {as_user}")
            principal = found
        with progress_bar(f"act {act}") as advance:
            return await execute_act(platform, principal, act, progress=advance)

    report = run_with_platform(work)
    console.print(
        f"act {report.number}: {report.status}; deleted {report.deleted} versions now, "
        f"{report.already_gone} found already deleted, {report.records_total} records "
        f"destroyed in all, {report.cases_destroyed} cases destroyed",
        highlight=False,
    )
    # one machine-readable line on stdout (scripts, the tests)
    typer.echo(
        f"ASAN-DISPOSE-DONE {report.number} {report.status} {report.deleted} "
        f"{report.already_gone} {report.records_total}"
    )
