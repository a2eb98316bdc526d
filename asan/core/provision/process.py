"""Background processes with pid files, port checks and bounded health waits."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import stat
import subprocess
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

# Data under the data dir (Neo4j's store and transaction logs hold argon2 hashes, MinIO holds
# documents) is for the service account only: directories 0700, files 0600.
PRIVATE_UMASK = 0o077


class ProvisionError(RuntimeError):
    """A service could not be provisioned or started; the message is meant for a person."""


@dataclass(frozen=True)
class Managed:
    """One managed server: where its pid and log live, and how to tell it is ours."""

    name: str
    run_dir: Path
    log_dir: Path

    @property
    def pid_file(self) -> Path:
        return self.run_dir / f"{self.name}.pid"

    @property
    def log_file(self) -> Path:
        return self.log_dir / f"{self.name}.log"

    def pid(self) -> int | None:
        """The pid of our running server, or None; stale pid files are removed."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        if not pid_alive(pid):
            self.pid_file.unlink(missing_ok=True)
            return None
        return pid


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie still answers kill(0); treat it as gone.
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        if stat.rsplit(")", 1)[1].split()[0] == "Z":
            return False
    return True


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        return sock.connect_ex((host, port)) == 0


def spawn(
    managed: Managed, argv: Sequence[str], env: Mapping[str, str], cwd: Path | None = None
) -> int:
    """Start argv detached from our process group so it outlives the CLI that started it.

    The child gets an owner-only umask, so every file the server creates is 0600 / 0700.
    """
    managed.run_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    managed.log_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    log = os.fdopen(os.open(managed.log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "ab")
    proc = subprocess.Popen(
        list(argv),
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        env=dict(env),
        cwd=cwd,
        start_new_session=True,
        umask=PRIVATE_UMASK,
    )
    log.close()
    write_private(managed.pid_file, str(proc.pid))
    return proc.pid


def write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(text)
    os.chmod(path, 0o600)


def secure_tree(root: Path) -> int:
    """Make ``root`` owner-only (dirs 0700, files 0600 at most); returns how many were fixed.

    Run at every start, so data written by an older version or loosened by hand is fixed.
    Symlinks are neither followed nor changed.
    """
    if not root.exists():
        root.mkdir(mode=0o700, parents=True)
    fixed = 0
    for path in _walk(root):
        try:
            st = path.lstat()
        except FileNotFoundError:  # removed by a running server meanwhile
            continue
        if stat.S_ISLNK(st.st_mode):
            continue
        mode = stat.S_IMODE(st.st_mode)
        wanted = (mode | 0o700) & 0o700 if stat.S_ISDIR(st.st_mode) else mode & 0o600
        if mode != wanted:
            with contextlib.suppress(FileNotFoundError):
                os.chmod(path, wanted)
                fixed += 1
    return fixed


def wait_until(
    what: str,
    check: Callable[[], str | None],
    timeout: float,
    alive: Callable[[], bool],
    log_file: Path,
    interval: float = 0.25,
    on_wait: Callable[[str], None] | None = None,
) -> None:
    """Poll ``check`` (None means healthy, a string says why not) until healthy or timeout.

    Polling a health endpoint is the synchronisation here: the server gives no other signal.
    ``on_wait`` hears why it is not healthy yet, so a person watching sees progress.
    """
    deadline = time.monotonic() + timeout
    reason = "no answer yet"
    while time.monotonic() < deadline:
        if not alive():
            raise ProvisionError(
                f"{what} exited during start-up; last log lines:\n{tail(log_file)}"
            )
        result = check()
        if result is None:
            return
        reason = result
        if on_wait is not None:
            on_wait(result)
        time.sleep(interval)
    raise ProvisionError(
        f"{what} did not become healthy within {timeout:.0f}s ({reason}); see {log_file}"
    )


def stop(managed: Managed, timeout: float = 60.0) -> bool:
    """SIGTERM, wait, then SIGKILL; returns True if something was running."""
    pid = managed.pid()
    if pid is None:
        return False
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and pid_alive(pid):
        time.sleep(0.1)
    if pid_alive(pid):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
    managed.pid_file.unlink(missing_ok=True)
    return True


def _walk(root: Path) -> Iterator[Path]:
    yield root
    for folder, dirs, files in os.walk(root, followlinks=False):
        for name in (*dirs, *files):
            yield Path(folder) / name


def tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return "(no log)"
