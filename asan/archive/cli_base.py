"""What every ``asan archive ...`` command shares: the Typer group, a platform for one run,
one-line failures, and a rich progress bar for long jobs.

Each archive part registers its commands in its own ``cli.py`` with ``@archive_app.command``;
``asan.archive.cli`` imports them all. Heavy imports stay inside the commands so ``asan
--help`` stays fast.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

if TYPE_CHECKING:
    from asan.core.platform import Platform

T = TypeVar("T")
archive_app = typer.Typer(
    help="The archive: transfer, fixity audit, disposition, BagIt export and import "
    "(docs/archive.md).",
    no_args_is_help=True,
)
console = Console(stderr=True)


def fail(message: str) -> typer.Exit:
    console.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code=1)


def run_with_platform(work: Callable[[Platform], Awaitable[T]]) -> T:
    """Run ``work`` with a connected platform (services must be up), closing it after.

    Domain errors (a refused step, a missing case) end the command with their message.
    """
    from asan.core.errors import DomainError
    from asan.core.platform import Platform
    from asan.core.settings import Settings
    from asan.core.storage import BucketWithoutObjectLock

    async def main() -> T:
        platform = Platform.connect(Settings())
        try:
            checks = await platform.readiness()
            for name in ("neo4j", "minio"):
                if checks[name] is not None:
                    raise fail(str(checks[name]))
            return await work(platform)
        finally:
            await platform.close()

    try:
        return asyncio.run(main())
    except (DomainError, BucketWithoutObjectLock) as exc:
        raise fail(str(exc)) from None


@contextmanager
def progress_bar(
    description: str, total: int | None = None
) -> Iterator[Callable[[int, int], None]]:
    """A bar on stderr; yields ``advance(done, total)`` to call as work completes."""
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    ) as bar:
        task = bar.add_task(description, total=total)

        def advance(done: int, of: int) -> None:
            bar.update(task, completed=done, total=of)

        yield advance
