"""``asan archive transfer <number or id> [--as USERNAME] [--resume]``: accept an inventory
and ingest its cases' files, with a progress bar (files done / total).

Acceptance names the archivist who accepted: ``--as`` is required for it, and that user's
rights today apply (an archivist, or an administrator). ``--resume`` finishes the ingest of an
accepted inventory; it runs as the given user or, without ``--as``, as the system (the
operator at the console already holds the servers' keys), and the audit log says so.
Exit code 1 when the ingest stopped at a case (the case and the reason are printed; run
again with ``--resume`` once it is fixed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from asan.archive.cli_base import archive_app, fail, progress_bar, run_with_platform

if TYPE_CHECKING:
    from asan.archive.transfer.ingest import InventoryIngest
    from asan.auth.principal import Principal
    from asan.core.platform import Platform


async def _principal(platform: Platform, username: str | None) -> Principal:
    from asan.archive.transfer import repository as repo
    from asan.auth.principal import SYSTEM
    from asan.auth.resolve import resolve_user
    from asan.core.workdays import today_in_baku

    if username is None:
        return SYSTEM
    user_id = await repo.user_id_by_username(platform.db, username)
    found = await resolve_user(platform, user_id, today_in_baku().isoformat()) if user_id else None
    if found is None:
        raise fail(f"istifadəçi {username} yoxdur / no active user {username}")
    return found


@archive_app.command("transfer")
def transfer(
    inventory: Annotated[str, typer.Argument(help="The inventory's number (TI-2026-0001) or id.")],
    as_user: Annotated[
        str | None,
        typer.Option("--as", help="Username of the accepting archivist (required to accept)."),
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Finish the ingest of an accepted inventory.")
    ] = False,
    concurrency: Annotated[
        int, typer.Option("--concurrency", min=1, max=64, help="Files put at once.")
    ] = 16,
) -> None:
    """Accept a submitted transfer inventory (its cases become transferred) and ingest its
    cases' files into the Object Lock bucket; or, with --resume, finish that ingest."""
    from asan.archive.transfer.ingest import ingest_inventory
    from asan.archive.transfer.models import ACCEPTED
    from asan.archive.transfer.reads import find_inventory
    from asan.archive.transfer.use_cases import accept_inventory, authorize_resume

    async def work(platform: Platform) -> tuple[str, InventoryIngest]:
        principal = await _principal(platform, as_user)
        found = await find_inventory(platform, principal, inventory)
        if found is None:
            raise fail(f"təhvil siyahısı {inventory} yoxdur / no transfer inventory {inventory}")
        if resume:
            await authorize_resume(platform, principal, found.id)
        elif found.status == ACCEPTED:
            raise fail(
                f"{found.number} artıq qəbul edilib; --resume / {found.number} is already "
                "accepted: finish its ingest with --resume"
            )
        elif as_user is None:
            raise fail("qəbul edən arxivçi: --as İSTİFADƏÇİ / name the accepting archivist: --as")
        else:
            await accept_inventory(platform, principal, found.id)
            typer.echo(f"{found.number}: accepted, {found.case_count} case(s) transferred")
        with progress_bar(f"{found.number} ingest (files)") as advance:
            report = await ingest_inventory(
                platform, principal, found.id, progress=advance, concurrency=concurrency
            )
        return found.number, report

    number, report = run_with_platform(work)
    typer.echo(
        f"{number}: {report.ingested_now} file(s) archived now, {report.already} earlier, "
        f"{report.files} in all"
    )
    if report.error is not None:
        typer.echo(f"stopped at case {report.failed_case}: {report.error}", err=True)
        raise typer.Exit(code=1)
    typer.echo(f"{number}: ingest complete")
