"""Start-up faults: one clear line naming the service and its address, non-zero exit."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr

from asan.core.provision import neo4j_server
from asan.core.provision.process import ProvisionError
from asan.core.settings import Settings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_migrate_with_neo4j_down_prints_one_line_and_fails() -> None:
    port = _free_port()
    env = dict(os.environ, ASAN_PROFILE="test", ASAN_NEO4J_PORT=str(port))
    result = subprocess.run(
        [sys.executable, "-m", "asan", "migrate"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"neo4j at bolt://127.0.0.1:{port}" in result.stderr


def test_port_taken_by_another_process_is_explained(tmp_path: Path) -> None:
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        s = Settings(neo4j_port=port, data_dir=tmp_path)
        with pytest.raises(ProvisionError, match=f"port 127.0.0.1:{port} is already taken"):
            neo4j_server.start(s)


def test_half_finished_launcher_build_is_redone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The redo logic, with a small `mvn` on PATH that records how it was run and writes what
    Maven would: a real Maven build takes a minute or more, and `services up` runs the real
    one on every fresh machine (its progress output is tested in test_provision_progress)."""
    bin_dir, calls = tmp_path / "bin", tmp_path / "mvn-calls.txt"
    bin_dir.mkdir()
    mvn = bin_dir / "mvn"
    mvn.write_text(
        "#!/bin/sh\n"
        f'echo "$PWD $*" >> {calls}\n'
        'echo "[INFO] Building neo4j-launcher"\n'
        "mkdir -p target/classes && echo /m2/org/neo4j/neo4j.jar > classpath.txt\n"
    )
    mvn.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    s = Settings(cache_dir=tmp_path / "cache")
    target = neo4j_server.build_dir(s)
    target.mkdir(parents=True)
    (target / "garbage-from-an-interrupted-build").write_text("x")
    built = neo4j_server.ensure_built(s)
    assert (built / ".complete").exists()
    assert not (built / "garbage-from-an-interrupted-build").exists()
    assert (built / "pom.xml").exists()  # Maven ran in a fresh copy of the launcher sources
    cwd, args = calls.read_text().splitlines()[0].split(" ", 1)
    assert cwd == str(built)
    assert f"-Dneo4j.version={s.neo4j_version}" in args and "package" in args
    assert neo4j_server.ensure_built(s) == built  # complete: not built again
    assert len(calls.read_text().splitlines()) == 1


def test_wrong_minio_credentials_are_named(settings: Settings) -> None:
    from asan.core.provision import minio_server

    wrong = settings.model_copy(update={"minio_secret_key": SecretStr("not-the-secret")})
    with pytest.raises(ProvisionError, match="rejected the credentials of 'asan-dev'"):
        minio_server._health(wrong)
