"""Issue 7, item 5: owner-only data files, and production refuses weak secrets."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from asan.core.provision.process import Managed, secure_tree, spawn
from asan.core.settings import Profile, Settings

ROOT = Path(__file__).resolve().parents[2]


def _loose(root: Path) -> list[str]:
    """Paths under root that group or others can read, write or enter (symlinks aside)."""
    found = []
    for folder, dirs, files in os.walk(root):
        for name in (".", *dirs, *files):
            path = Path(folder) / name
            st = path.lstat()
            if not stat.S_ISLNK(st.st_mode) and st.st_mode & 0o077:
                found.append(f"{path} {oct(stat.S_IMODE(st.st_mode))}")
    return found


def test_services_up_makes_the_data_dir_owner_only(settings: Settings) -> None:
    data = settings.data_path
    loosened = data / "loosened-by-hand.txt"
    loosened.write_text("x")
    os.chmod(loosened, 0o644)
    os.chmod(data, 0o755)  # noqa: S103 - loosened on purpose, to be fixed
    try:
        # services are already running: `up` is idempotent, and fixes permissions at start
        result = subprocess.run(
            [sys.executable, "-m", "asan", "services", "up"],
            cwd=ROOT,
            env=dict(os.environ),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert "owner-only" in result.stderr
        assert stat.S_IMODE(loosened.stat().st_mode) == 0o600
        assert stat.S_IMODE(data.stat().st_mode) == 0o700
        assert _loose(data) == []
    finally:
        loosened.unlink(missing_ok=True)


def test_spawned_servers_create_owner_only_files(tmp_path: Path) -> None:
    managed = Managed("probe", tmp_path / "run", tmp_path / "logs")
    script = "open('created-by-server', 'w').write('secret'); print('started')"
    pid = spawn(managed, [sys.executable, "-c", script], dict(os.environ), cwd=tmp_path)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    for path in (tmp_path / "created-by-server", managed.log_file, managed.pid_file):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    for folder in (managed.run_dir, managed.log_dir):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert "started" in managed.log_file.read_text()


def test_secure_tree_fixes_files_and_dirs_but_not_symlink_targets(tmp_path: Path) -> None:
    root = tmp_path / "data"
    (root / "neo4j" / "transactions").mkdir(parents=True)
    txlog = root / "neo4j" / "transactions" / "neostore.transaction.db.0"
    txlog.write_bytes(b"$argon2id$...")
    os.chmod(txlog, 0o664)
    os.chmod(root / "neo4j", 0o775)  # noqa: S103 - loosened on purpose
    os.chmod(root / "neo4j" / "transactions", 0o700)
    os.chmod(root, 0o755)  # noqa: S103 - loosened on purpose
    outside = tmp_path / "outside.txt"
    outside.write_text("not ours to change")
    os.chmod(outside, 0o644)
    (root / "link").symlink_to(outside)

    assert secure_tree(root) == 3  # root, neo4j/ and the transaction log
    assert stat.S_IMODE(txlog.stat().st_mode) == 0o600
    assert stat.S_IMODE((root / "neo4j").stat().st_mode) == 0o700
    assert stat.S_IMODE(outside.stat().st_mode) == 0o644
    assert secure_tree(root) == 0  # idempotent


WEAK = [
    ("", "empty"),
    ("   ", "empty"),
    ("password", "common"),
    ("Password1234", "common"),
    ("asan-dev-neo4j", "common"),
    ("asan-dev-neo4j ", "whitespace"),
    (" a-real-looking-secret-2026", "whitespace"),
    ("Shrt-9x", "shorter than 12"),
    ("abababababababab", "distinct"),
]


@pytest.mark.parametrize(("secret", "reason"), WEAK)
def test_production_refuses_weak_secrets(secret: str, reason: str) -> None:
    with pytest.raises(ValidationError) as info:
        Settings(
            profile=Profile.PROD,
            neo4j_password=secret,
            minio_secret_key="Real-MinIO-secret-2026",
        )
    message = str(info.value)
    assert "ASAN_NEO4J_PASSWORD" in message
    assert reason in message
    assert "ASAN_MINIO_SECRET_KEY" not in message
    if secret.strip():
        assert secret.strip() not in message.split("input_value")[0]  # never echoed


@pytest.mark.parametrize(("secret", "reason"), WEAK[:4])
def test_production_refuses_a_weak_minio_secret_too(secret: str, reason: str) -> None:
    with pytest.raises(ValidationError) as info:
        Settings(
            profile=Profile.PROD, neo4j_password="Real-neo4j-pass-2026", minio_secret_key=secret
        )
    assert "ASAN_MINIO_SECRET_KEY" in str(info.value)
    assert "ASAN_NEO4J_PASSWORD" not in str(info.value)


def test_development_profiles_keep_their_defaults() -> None:
    assert Settings(profile=Profile.DEV).neo4j_password.get_secret_value() == "asan-dev-neo4j"
