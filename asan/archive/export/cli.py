"""``asan archive export`` and ``asan archive import``: BagIt packages from the command line.

Both run as the system (the operator at the console already holds the servers' keys), with
a progress bar per archived file. ``export`` prints where the .tar is and its SHA-256;
``import`` validates the package first and exits 1 naming what bagit found when it does not.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from asan.archive.cli_base import archive_app, console, progress_bar, run_with_platform

if TYPE_CHECKING:
    from asan.archive.export.models import ArchiveExport, ImportReport
    from asan.core.platform import Platform


@archive_app.command("export")
def export(
    case: Annotated[str, typer.Argument(help="The case's id, or INDEX/YEAR (DEPT-IT-03/2015).")],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Directory for the bag and its .tar (default: the "
            "export directory, ASAN_ARCHIVE_EXPORT_DIR or <data dir>/exports).",
        ),
    ] = None,
) -> None:
    """Export a permanent case as a BagIt package (RFC 8493), validated after writing."""
    from asan.archive.export.use_cases import export_case, resolve_case
    from asan.auth.principal import SYSTEM

    async def work(platform: Platform) -> ArchiveExport:
        case_id = await resolve_case(platform, case)
        with progress_bar(f"export {case}") as advance:
            return await export_case(
                platform, SYSTEM, case_id, out_dir=out.resolve() if out else None, progress=advance
            )

    made = run_with_platform(work)
    console.print(
        f"[green]exported[/green] {made.index}/{made.year}: {made.files} files, "
        f"{made.bytes} bytes, validated\n{made.path}\nsha256 {made.sha256}",
        highlight=False,
        soft_wrap=True,
    )


@archive_app.command("import")
def import_(
    path: Annotated[Path, typer.Argument(help="A bag folder or its .tar.")],
) -> None:
    """Restore a BagIt package made by `asan archive export` (into an empty system): the
    case, its documents with their cards, files, signatures and locked archive records."""
    from asan.archive.export.restore import import_bag
    from asan.auth.principal import SYSTEM

    async def work(platform: Platform) -> ImportReport:
        with progress_bar(f"import {path.name}") as advance:
            return await import_bag(platform, SYSTEM, path.resolve(), progress=advance)

    done = run_with_platform(work)
    if done.already:
        console.print(
            f"{done.index}/{done.year} ({done.case_id}) was imported from this package "
            "before: nothing to do",
            highlight=False,
        )
        return
    console.print(
        f"[green]imported[/green] {done.index}/{done.year} ({done.case_id}): "
        f"{done.documents} documents, {done.files} files, {done.signatures} signatures, "
        f"{done.bytes} bytes",
        highlight=False,
        soft_wrap=True,
    )
