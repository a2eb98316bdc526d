"""The indexer as the process ``asan serve`` (and ``make run``) starts: a committed change
becomes searchable without anyone calling it, a second indexer on the directory stops at once,
and ``serve`` stops its indexer when it stops."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from asan.core.platform import Platform
from asan.registry.org.seed import import_regulations
from asan.search.engine import PUBLIC, SearchQuery
from asan.search.index import SearchIndex
from asan.search.indexing.process import EXIT_BUSY

ROOT = Path(__file__).resolve().parents[2]
DEADLINE_S = 90.0


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "ASAN_DATA_DIR": str(data_dir), "ASAN_LOG_LEVEL": "WARNING", **extra}


def _until(condition: Callable[[], bool], what: str, proc: subprocess.Popen[bytes]) -> None:
    """Polls a condition with a deadline (the other process's progress is not an event here)."""
    deadline = time.monotonic() + DEADLINE_S
    while not condition():
        assert proc.poll() is None, f"the process exited with {proc.returncode} before {what}"
        assert time.monotonic() < deadline, f"no {what} within {DEADLINE_S:g}s"
        time.sleep(0.1)


def _found(index: SearchIndex, text: str) -> int:
    try:
        q = SearchQuery(text=text, access=frozenset({PUBLIC}), facets=False, highlights=False)
        return index.engine().query(q).total
    except Exception:  # not built yet
        return 0


@pytest.fixture
def indexer_process(
    clean_platform: Platform, tmp_path: Path
) -> Iterator[tuple[SearchIndex, subprocess.Popen[bytes]]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "asan", "search", "indexer"],
        cwd=ROOT,
        env=_env(tmp_path),
        stderr=subprocess.PIPE,
    )
    index = SearchIndex(tmp_path / "search")
    try:
        _until(lambda: index.availability().answering, "index built at start", proc)
        yield index, proc
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0


async def test_a_committed_change_becomes_searchable(
    clean_platform: Platform, indexer_process: tuple[SearchIndex, subprocess.Popen[bytes]]
) -> None:
    index, proc = indexer_process
    assert _found(index, "kargüzarlıq") == 0
    await import_regulations(clean_platform)  # org units and clauses, through the pipeline
    _until(lambda: _found(index, "kargüzarlıq") > 0, "regulations in the index", proc)
    assert _found(index, "karguzarliq") > 0  # typed without the letters


def test_a_second_indexer_on_the_same_directory_stops_at_once(
    indexer_process: tuple[SearchIndex, subprocess.Popen[bytes]],
) -> None:
    index, _ = indexer_process
    second = subprocess.run(
        [sys.executable, "-m", "asan", "search", "indexer", "--once"],
        cwd=ROOT,
        env=_env(index.path.parent),
        capture_output=True,
        timeout=60,
    )
    assert second.returncode == EXIT_BUSY
    assert b"has an indexer already" in second.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> dict[int, str]:
    found = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found[int(proc.name)] = cmdline
    return found


def test_serve_runs_the_indexer_and_stops_it(clean_platform: Platform, tmp_path: Path) -> None:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "asan", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=_env(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    index = SearchIndex(tmp_path / "search")
    try:
        _until(lambda: index.availability().answering, "index built by serve's indexer", proc)
        indexers = [pid for pid, c in _children(proc.pid).items() if "search indexer" in c]
        assert len(indexers) == 1
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            raise
    assert proc.returncode == 0  # stopped through its own shutdown, not killed
    # serve waited for its indexer to stop (it would also die with serve: PDEATHSIG)
    assert not Path(f"/proc/{indexers[0]}").exists() or "Z" in _state(indexers[0])


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"
