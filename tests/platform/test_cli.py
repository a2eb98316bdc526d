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


def test_half_finished_launcher_build_is_redone(tmp_path: Path) -> None:
    s = Settings(cache_dir=tmp_path / "cache")
    target = neo4j_server.build_dir(s)
    target.mkdir(parents=True)
    (target / "garbage-from-an-interrupted-build").write_text("x")
    built = neo4j_server.ensure_built(s)
    assert (built / ".complete").exists()
    assert not (built / "garbage-from-an-interrupted-build").exists()
    assert (built / "classpath.txt").read_text().count("neo4j") > 10


def test_wrong_minio_credentials_are_named(settings: Settings) -> None:
    from asan.core.provision import minio_server

    wrong = settings.model_copy(update={"minio_secret_key": SecretStr("not-the-secret")})
    with pytest.raises(ProvisionError, match="rejected the credentials of 'asan-dev'"):
        minio_server._health(wrong)
