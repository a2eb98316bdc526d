"""Neo4j Community 5.26 LTS, embedded in a tiny Java launcher built from Maven Central.

The launcher is built once into the cache directory (keyed by a hash of its sources and the
Neo4j version), so every clone on the machine shares it; a build that was interrupted leaves
no ``.complete`` marker and is rebuilt from scratch on the next ``services up``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from asan.core.provision.process import (
    Managed,
    ProvisionError,
    port_open,
    spawn,
    stop,
    wait_until,
)
from asan.core.provision.progress import Progress, Step, build_once, last_line, run_logged
from asan.core.settings import Settings

LAUNCHER_SRC = Path(__file__).with_name("neo4j_launcher")
# Measured on this project's 2-core machines (the download is about 60 MB of jars).
BUILD_USUALLY = "1-3 minutes, once per machine; Maven's last line follows"
START_USUALLY = "15-60 seconds, longer on a busy machine"
JAVA_HOME_CANDIDATES = ("/usr/lib/jvm/java-17-openjdk-amd64", "/usr/lib/jvm/java-21-openjdk-amd64")


def _source_hash(version: str) -> str:
    digest = hashlib.sha256(version.encode())
    for path in sorted(LAUNCHER_SRC.rglob("*")):
        if path.is_file() and "target" not in path.parts:
            digest.update(path.relative_to(LAUNCHER_SRC).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def build_dir(settings: Settings) -> Path:
    return settings.cache_dir / "neo4j-launcher" / _source_hash(settings.neo4j_version)


def java_binary() -> str:
    """Neo4j 5 needs Java 17 or 21; prefer an explicit JDK over whatever is first on PATH."""
    home = os.environ.get("ASAN_JAVA_HOME") or os.environ.get("JAVA_HOME")
    candidates = [home] if home else []
    candidates += list(JAVA_HOME_CANDIDATES)
    for candidate in candidates:
        java = Path(candidate) / "bin" / "java"
        if java.exists():
            return str(java)
    found = shutil.which("java")
    if not found:
        raise ProvisionError("Neo4j needs Java 17 or 21: no java found (set ASAN_JAVA_HOME)")
    return found


def ensure_built(settings: Settings, progress: Progress | None = None) -> Path:
    """Build the launcher if needed; returns the build directory holding classes + classpath.

    Concurrent callers (several clones running ``services up``) wait for one build.
    """
    target = build_dir(settings)

    def build(step: Step) -> None:
        mvn = shutil.which("mvn")
        if not mvn:
            raise ProvisionError("Neo4j provisioning needs Maven ('mvn') on PATH")
        if target.exists():
            shutil.rmtree(target)  # a half-finished build: start over
        shutil.copytree(LAUNCHER_SRC, target, ignore=shutil.ignore_patterns("target"))
        log = settings.cache_dir / "logs" / "neo4j-launcher-build.log"
        step.note(f"build log: {log}")
        run_logged(
            step,
            [
                mvn,
                "-B",
                "package",
                "dependency:build-classpath",
                f"-Dneo4j.version={settings.neo4j_version}",
                "-Dmdep.outputFile=classpath.txt",
            ],
            "building the Neo4j launcher with Maven",
            log,
            cwd=target,
        )
        (target / ".complete").write_text(settings.neo4j_version)

    build_once(
        progress or Progress(),
        f"Building the Neo4j {settings.neo4j_version} launcher with Maven",
        BUILD_USUALLY,
        "building the Neo4j launcher",
        settings.cache_dir / "locks" / f"neo4j-launcher-{target.name}.lock",
        lambda: (target / ".complete").exists(),
        build,
    )
    return target


def managed(settings: Settings) -> Managed:
    return Managed("neo4j", settings.data_path / "run", settings.data_path / "logs")


def start(settings: Settings, progress: Progress | None = None) -> str:
    """Start Neo4j if it is not running; idempotent. Returns a status line."""
    me = managed(settings)
    port = settings.neo4j_port
    assert port is not None
    if me.pid() is not None:
        check_auth(settings)
        return f"neo4j already running on {settings.neo4j_uri}"
    if port_open(settings.neo4j_host, port):
        raise ProvisionError(
            f"neo4j: port {settings.neo4j_host}:{port} is already taken by another process; "
            "stop it or set ASAN_NEO4J_PORT"
        )
    progress = progress or Progress()
    build = ensure_built(settings, progress)
    classpath = f"{build / 'target' / 'classes'}:{(build / 'classpath.txt').read_text().strip()}"
    env = dict(os.environ)
    env["NEO4J_PASSWORD"] = settings.neo4j_password.get_secret_value()
    argv = [
        java_binary(),
        f"-Xmx{settings.neo4j_heap}",
        "-XX:+UseG1GC",
        "-Dfile.encoding=UTF-8",
        "-cp",
        classpath,
        "az.asan.launcher.Launcher",
        str(settings.data_path / "neo4j"),
        settings.neo4j_host,
        str(port),
    ]
    log_offset = me.log_file.stat().st_size if me.log_file.exists() else 0
    with progress.step(f"Starting Neo4j on {settings.neo4j_uri}", START_USUALLY) as step:
        pid = spawn(me, argv, env)
        wait_until(
            f"neo4j at {settings.neo4j_uri}",
            lambda: _launcher_ready(me.log_file, log_offset) or _health(settings),
            settings.service_start_timeout,
            lambda: me.pid() == pid,
            me.log_file,
            on_wait=lambda _reason: step.tick(last_line(me.log_file)),
        )
    return f"neo4j started on {settings.neo4j_uri} (pid {pid})"


def _launcher_ready(log_file: Path, offset: int) -> str | None:
    """Bolt accepts connections before the launcher has set the password: wait for READY."""
    try:
        with log_file.open("rb") as log:
            log.seek(offset)
            if b"READY bolt://" in log.read():
                return None
    except FileNotFoundError:
        pass
    return "launcher has not reported READY yet"


def _health(settings: Settings) -> str | None:
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, ServiceUnavailable

    try:
        with GraphDatabase.driver(
            settings.neo4j_uri,
            auth=(settings.neo4j_user, settings.neo4j_password.get_secret_value()),
            connection_timeout=2,
        ) as driver:
            # A plain auto-commit query: execute_query would retry (and log) while Bolt starts.
            with driver.session(database=settings.neo4j_database) as session:
                session.run("RETURN 1").consume()
    except AuthError as exc:
        raise ProvisionError(
            f"neo4j at {settings.neo4j_uri} rejected the credentials of user "
            f"'{settings.neo4j_user}': {exc.message}"
        ) from exc
    except (ServiceUnavailable, OSError) as exc:
        return str(exc)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def check_auth(settings: Settings) -> None:
    reason = _health(settings)
    if reason is not None:
        raise ProvisionError(f"neo4j at {settings.neo4j_uri} is not healthy: {reason}")


def stop_server(settings: Settings) -> bool:
    return stop(managed(settings))


def status(settings: Settings) -> str:
    pid = managed(settings).pid()
    if pid is None:
        return f"neo4j: stopped ({settings.neo4j_uri})"
    reason = _safe_health(settings)
    state = "healthy" if reason is None else f"unhealthy: {reason}"
    return f"neo4j: running, pid {pid}, {settings.neo4j_uri}, {state}"


def _safe_health(settings: Settings) -> str | None:
    try:
        return _health(settings)
    except ProvisionError as exc:
        return str(exc)
