"""docker-compose.yml describes the same stack `make run` starts."""

from pathlib import Path

import pytest
import yaml

from asan.core.settings import DEV_MINIO_SECRET, DEV_NEO4J_PASSWORD, Profile, Settings

ROOT = Path(__file__).resolve().parents[2]


def test_compose_matches_the_local_stack(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ASAN_NEO4J_PORT", "ASAN_MINIO_PORT", "ASAN_HTTP_PORT"):
        monkeypatch.delenv(name, raising=False)
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"neo4j", "minio", "api"}
    dev = Settings(profile=Profile.DEV)
    assert (
        services["neo4j"]["image"]
        == f"neo4j:{'.'.join(dev.neo4j_version.split('.')[:2])}-community"
    )
    assert f"127.0.0.1:{dev.neo4j_port}:7687" in services["neo4j"]["ports"]
    assert f"127.0.0.1:{dev.minio_port}:9000" in services["minio"]["ports"]
    assert f"127.0.0.1:{dev.http_port}:8000" in services["api"]["ports"]
    for name in ("neo4j", "minio", "api"):
        assert "healthcheck" in services[name], name
    depends = services["api"]["depends_on"]
    assert {d: v["condition"] for d, v in depends.items()} == {
        "neo4j": "service_healthy",
        "minio": "service_healthy",
    }
    env = services["api"]["environment"]
    assert DEV_NEO4J_PASSWORD in env["ASAN_NEO4J_PASSWORD"]  # same default as the settings
    assert DEV_MINIO_SECRET in env["ASAN_MINIO_SECRET_KEY"]
    assert (ROOT / "Dockerfile").exists()
