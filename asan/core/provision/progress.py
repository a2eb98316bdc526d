"""Provisioning a person can watch: every step says what it does, how long it usually takes,
shows the last line of its log while it runs, and ends with the time it took.

A first ``make test`` builds MinIO and the Neo4j launcher for minutes; silence for that long
reads as a hang. On a terminal a live status line is redrawn; elsewhere (CI writes to a file)
a plain line is printed every ``interval`` seconds, so the file shows progress without being
flooded. Builds shared by every clone on the machine take a file lock in the cache directory,
so concurrent ``services up`` wait for one build instead of compiling the same thing in
parallel on a machine with two cores.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from rich.console import Console
from rich.status import Status

from asan.core.provision.process import ProvisionError, tail

LAST_LINE_WIDTH = 110


def elapsed(seconds: float) -> str:
    """``7.2s`` under a minute, ``3m05s`` above: how a person reads build times."""
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}m{secs:02d}s"


def last_line(path: Path, width: int = LAST_LINE_WIDTH) -> str:
    """The last non-empty line of a log (read from its end), shortened to fit one line."""
    try:
        with path.open("rb") as log:
            log.seek(0, os.SEEK_END)
            size = log.tell()
            log.seek(max(0, size - 8192))
            chunk = log.read().decode(errors="replace")
    except FileNotFoundError:
        return ""
    lines = [line.strip() for line in chunk.replace("\r", "\n").splitlines() if line.strip()]
    if not lines:
        return ""
    line = lines[-1]
    return line if len(line) <= width else line[: width - 1] + "…"


@dataclass
class Step:
    """One running step; ``tick`` reports what it is doing now (printed when due)."""

    progress: Progress
    title: str
    started: float = field(default_factory=time.monotonic)
    _last_print: float = field(default=0.0)
    _status: Status | None = None

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started

    def tick(self, detail: str = "") -> None:
        text = f"{self.title}: {elapsed(self.seconds)}" + (f" | {detail}" if detail else "")
        if self._status is not None:
            self._status.update(text)
            return
        now = time.monotonic()
        if now - self._last_print >= self.progress.interval:
            self._last_print = now
            self.progress.line(f"    … {elapsed(self.seconds)}" + (f": {detail}" if detail else ""))

    def note(self, message: str) -> None:
        """A line that is always printed (e.g. waiting for another process's build)."""
        if self._status is not None:
            self.progress.console.print(f"    {message}", highlight=False, soft_wrap=True)
        else:
            self.progress.line(f"    {message}")


class Progress:
    """Where provisioning reports go: a rich console, live on a terminal, plain otherwise."""

    def __init__(
        self,
        console: Console | None = None,
        *,
        interval: float = 10.0,
        live: bool | None = None,
    ) -> None:
        self.console = console or Console(stderr=True)
        self.interval = interval
        self.live = self.console.is_terminal if live is None else live

    def line(self, text: str) -> None:
        self.console.print(text, highlight=False, soft_wrap=True, markup=False)

    @contextlib.contextmanager
    def step(self, title: str, usually: str) -> Iterator[Step]:
        """Announce a step with its usual duration, then report how it ended and how long."""
        self.line(f"==> {title} (usually {usually})")
        step = Step(self, title)
        step._last_print = step.started
        status = self.console.status(title) if self.live else None
        try:
            if status is not None:
                with status:
                    step._status = status
                    yield step
            else:
                yield step
        except BaseException:
            step._status = None
            self.line(f"    {title}: failed after {elapsed(step.seconds)}")
            raise
        step._status = None
        self.line(f"    {title}: done in {elapsed(step.seconds)}")


def run_logged(
    step: Step,
    argv: Sequence[str],
    what: str,
    log_file: Path,
    *,
    poll: float = 0.25,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> None:
    """Run a build command with its output in ``log_file`` (started afresh), showing the log's
    last line while it runs; a failure names the step and quotes the end of the log."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("wb") as log:
        proc = subprocess.Popen(
            list(argv),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=cwd,
            env=env,
        )
        try:
            while True:
                try:
                    returncode = proc.wait(timeout=poll)
                    break
                except subprocess.TimeoutExpired:
                    step.tick(last_line(log_file))
        except BaseException:
            proc.kill()
            proc.wait()
            raise
    if returncode != 0:
        raise ProvisionError(
            f"{what} failed (exit {returncode}); last lines of {log_file}:\n{tail(log_file)}"
        )


@contextlib.contextmanager
def build_lock(step: Step, lock_file: Path, what: str, *, poll: float = 0.5) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``lock_file`` while building ``what``.

    When another process holds it, say so (with its pid) and keep reporting the wait until it
    is released; the caller re-checks whether that process finished the build meanwhile.
    """
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not _try_lock(fd):
            holder = _holder(fd)
            step.note(
                f"waiting for another process{holder} that is {what} "
                f"(lock {lock_file}); its result is reused when it finishes"
            )
            waited = time.monotonic()
            while not _try_lock(fd, wait=poll):
                step.tick(f"waiting for the other {what}")
            waited = time.monotonic() - waited
            step.note(f"the other process released the lock after {elapsed(waited)}")
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _try_lock(fd: int, wait: float = 0.0) -> bool:
    """One non-blocking attempt; with ``wait``, retry until then (flock has no timeout)."""
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(min(0.05, wait))


def _holder(fd: int) -> str:
    with contextlib.suppress(OSError, ValueError):
        pid = int(os.pread(fd, 32, 0).decode().strip())
        return f" (pid {pid})"
    return ""


def build_once(
    progress: Progress,
    title: str,
    usually: str,
    what: str,
    lock_file: Path,
    is_complete: Callable[[], bool],
    build: Callable[[Step], None],
) -> bool:
    """Run ``build`` unless its result exists, at most once across concurrent processes.

    ``what`` names the build in a wait message ("building MinIO"). Returns True if this
    process built it, False if it was already there (or another
    process finished it while we waited for the lock).
    """
    if is_complete():
        return False
    with progress.step(title, usually) as step, build_lock(step, lock_file, what):
        if is_complete():
            step.note("already built by the other process; reusing it")
            return False
        build(step)
    return True


def watch_stream(stream: IO[str]) -> Progress:
    """A plain (non-live) progress writing to ``stream``: for tests and log files."""
    return Progress(Console(file=stream, force_terminal=False, width=200), live=False)
