"""Provisioning a person can watch, and builds shared across concurrent `services up`.

Real subprocesses stand in for `go install` and Maven (a real build takes minutes): a small
Python child writes a build log and blocks on a FIFO until the test has seen the progress line
it expects, so nothing here waits on a clock.
"""

from __future__ import annotations

import fcntl
import io
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from asan.core.provision import minio_server
from asan.core.provision.process import ProvisionError
from asan.core.provision.progress import (
    Progress,
    build_once,
    elapsed,
    last_line,
    run_logged,
    watch_stream,
)
from asan.core.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


class Watched(io.StringIO):
    """A stream that lets the test wait (without sleeping) until some text was written."""

    def __init__(self) -> None:
        super().__init__()
        self._seen = threading.Condition()

    def write(self, s: str) -> int:
        with self._seen:
            n = super().write(s)
            self._seen.notify_all()
            return n

    def wait_for(self, text: str, timeout: float = 60.0) -> None:
        with self._seen:
            if not self._seen.wait_for(lambda: text in self.getvalue(), timeout=timeout):
                raise AssertionError(f"{text!r} never written; got:\n{self.getvalue()}")


def _child_build(fifo: Path) -> list[str]:
    """A 'build' that logs two steps, then blocks until the test opens the FIFO for writing."""
    code = (
        "import sys\n"
        "print('compiling package 1 of 2', flush=True)\n"
        "print('compiling package 2 of 2', flush=True)\n"
        f"open({str(fifo)!r}).read()\n"
        "print('linking', flush=True)\n"
    )
    return [sys.executable, "-c", code]


def _release(fifo: Path) -> None:
    with fifo.open("w") as writer:
        writer.write("go")


def test_elapsed_reads_like_a_person_would() -> None:
    assert elapsed(7.25) == "7.2s"
    assert elapsed(185) == "3m05s"


def test_last_line_skips_blank_lines_and_is_shortened(tmp_path: Path) -> None:
    log = tmp_path / "build.log"
    log.write_text("first\n" + "x" * 300 + "\n\n  \n")
    line = last_line(log, width=50)
    assert line.startswith("xxx") and line.endswith("…") and len(line) == 50
    assert last_line(tmp_path / "missing.log") == ""


def test_a_running_build_reports_its_log_last_line_and_elapsed_time(tmp_path: Path) -> None:
    fifo = tmp_path / "gate"
    os.mkfifo(fifo)
    out = Watched()
    progress = watch_stream(out)
    progress.interval = 0.0  # every tick prints: the test needs no clock
    log = tmp_path / "logs" / "build.log"
    errors: list[BaseException] = []

    def build() -> None:
        try:
            with progress.step("Building the thing", "3-5 minutes") as step:
                run_logged(step, _child_build(fifo), "building the thing", log, poll=0.02)
        except BaseException as exc:  # reported to the test thread
            errors.append(exc)

    worker = threading.Thread(target=build)
    worker.start()
    out.wait_for("compiling package 2 of 2")  # a progress line quoting the log while it runs
    _release(fifo)
    worker.join(timeout=60)
    assert not worker.is_alive() and not errors
    text = out.getvalue()
    assert text.startswith("==> Building the thing (usually 3-5 minutes)\n")
    progress_lines = [line for line in text.splitlines() if line.startswith("    … ")]
    assert any(line.endswith("s: compiling package 2 of 2") for line in progress_lines)
    assert "Building the thing: done in " in text.splitlines()[-1]
    assert log.read_text().splitlines() == [
        "compiling package 1 of 2",
        "compiling package 2 of 2",
        "linking",
    ]


def test_a_failing_build_names_the_step_and_quotes_its_log(tmp_path: Path) -> None:
    out = io.StringIO()
    progress = watch_stream(out)
    argv = [sys.executable, "-c", "print('go: module not found'); raise SystemExit(3)"]
    with (
        pytest.raises(ProvisionError, match=r"(?s)installing X failed \(exit 3\).*module not"),
        progress.step("Installing X", "a minute") as step,
    ):
        run_logged(step, argv, "installing X", tmp_path / "x.log")
    assert "Installing X: failed after " in out.getvalue()


def test_the_live_terminal_view_shows_the_step_and_its_outcome(tmp_path: Path) -> None:
    from rich.console import Console

    screen = io.StringIO()
    progress = Progress(Console(file=screen, force_terminal=True, width=120), live=True)
    with progress.step("Starting Neo4j", "15-60 seconds") as step:
        step.tick("Started.")
    text = screen.getvalue()
    assert "==> Starting Neo4j (usually 15-60 seconds)" in text
    assert "Starting Neo4j: done in " in text


def _build_once_child(cache: Path, count: Path) -> subprocess.Popen[str]:
    """Another `services up` (a real process) building the same cached thing."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from asan.core.provision.progress import build_once, watch_stream\n"
        f"cache, count = Path({str(cache)!r}), Path({str(count)!r})\n"
        "progress = watch_stream(sys.stdout)\n"
        "def build(step):\n"
        "    with count.open('a') as c:\n"
        "        c.write('built\\n')\n"
        "    (cache / '.complete').write_text('ok')\n"
        "built = build_once(progress, 'Building MinIO', '4-8 minutes', 'building MinIO',\n"
        "                   cache / 'locks' / 'minio.lock',\n"
        "                   lambda: (cache / '.complete').exists(), build)\n"
        "print('RESULT built' if built else 'RESULT reused', flush=True)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    return subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT
    )


def _hold_lock(lock: Path) -> int:
    lock.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    os.write(fd, str(os.getpid()).encode())
    return fd


def _read_until(proc: subprocess.Popen[str], text: str) -> list[str]:
    assert proc.stdout is not None
    lines: list[str] = []
    for line in proc.stdout:
        lines.append(line.rstrip("\n"))
        if text in line:
            return lines
    raise AssertionError(f"{text!r} never printed; got {lines}")


@pytest.mark.parametrize("first_build_succeeds", [True, False])
def test_a_second_services_up_waits_for_the_first_build_instead_of_building_again(
    tmp_path: Path, first_build_succeeds: bool
) -> None:
    cache, count = tmp_path / "cache", tmp_path / "builds.txt"
    fd = _hold_lock(cache / "locks" / "minio.lock")  # the first process, mid-build
    child = _build_once_child(cache, count)
    try:
        seen = _read_until(child, "waiting for another process")
        assert f"(pid {os.getpid()})" in seen[-1]  # it names who it waits for
        assert "building MinIO" in seen[-1]
        if first_build_succeeds:
            (cache / ".complete").write_text("ok")  # the first build finishes ...
        os.close(fd)  # ... and releases the lock
        rest, _ = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 0
    if first_build_succeeds:
        assert "RESULT reused" in rest and "reusing it" in rest
        assert not count.exists()  # never built twice
    else:  # an interrupted first build: the waiter builds it itself, once
        assert "RESULT built" in rest
        assert count.read_text() == "built\n"


def test_two_concurrent_builds_of_the_same_thing_run_it_once(tmp_path: Path) -> None:
    cache, count = tmp_path / "cache", tmp_path / "builds.txt"
    fd = _hold_lock(cache / "locks" / "minio.lock")  # both start while the lock is held
    children = [_build_once_child(cache, count) for _ in range(2)]
    try:
        for child in children:
            _read_until(child, "waiting for another process")
        os.close(fd)  # released without a result: one of them must build, the other reuse
        outputs = [child.communicate(timeout=60)[0] for child in children]
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
    assert sorted("RESULT built" in out for out in outputs) == [False, True]
    assert count.read_text() == "built\n"


def test_an_existing_build_is_reused_silently(tmp_path: Path) -> None:
    out = io.StringIO()
    ran: list[bool] = []
    built = build_once(
        watch_stream(out),
        "Building",
        "1 minute",
        "building",
        tmp_path / "l.lock",
        lambda: True,
        lambda step: ran.append(True),
    )
    assert built is False and ran == [] and out.getvalue() == ""


def test_starting_a_server_reports_the_step_and_its_time(
    settings: Settings, tmp_path: Path
) -> None:
    """A real MinIO (already built in the machine's cache, so nothing is rebuilt) started on a
    fresh data dir: the step says what starts, how long it usually takes and how long it took.
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    s = settings.model_copy(update={"data_dir": tmp_path / "data", "minio_port": port})
    out = io.StringIO()
    try:
        line = minio_server.start(s, watch_stream(out))
    finally:
        minio_server.stop_server(s)
    assert line.startswith(f"minio started on http://127.0.0.1:{port}")
    text = out.getvalue().splitlines()
    assert text[0] == f"==> Starting MinIO on http://127.0.0.1:{port} (usually 2-10 seconds)"
    assert text[-1].startswith(f"    Starting MinIO on http://127.0.0.1:{port}: done in ")
    assert not any(line.startswith("==> Building") for line in text)
