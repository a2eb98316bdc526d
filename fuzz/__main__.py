"""``python -m fuzz``: wipe, seed, serve, probe, fuzz the GraphQL API with schemathesis, judge.

The services (Neo4j, MinIO) are started and stopped by ``make fuzz`` around this program; this
program owns the API process and stops it whatever happens. Everything stays on loopback: the
server binds 127.0.0.1 and schemathesis is only ever pointed at it.

Two passes share the time budget: one signed in (``demo.admin`` by default, so mutations get
past authorisation and reach the domain code) and one anonymous (public reads, login, refresh,
logout); the mutations in ``OWN_SESSION`` are left out of the signed-in pass because they may
end the very session it runs on. Before them, a few hand-written hostile requests
(``fuzz/probes.py``) are sent once each.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.error import URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from asan.core.platform import Platform
from asan.core.settings import Profile, Settings
from fuzz.dictionary import collect, write_config
from fuzz.probes import ProbeResult, run_probes
from fuzz.summary import render, summarise

DEMO_PASSWORD = "asan-demo-2026"  # noqa: S105 - the documented local demo password
ROOT = Path(__file__).resolve().parents[1]
# Mutations that could end the signed-in pass's own session (schemathesis reuses ids it read
# from responses, the viewer's included); they are fuzzed in the anonymous pass only.
OWN_SESSION = ("Mutation.logout", "Mutation.setUserActive", "Mutation.setUserRoles")
PY = sys.executable


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m fuzz", description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("ASAN_HTTP_PORT", 18800)))
    parser.add_argument("--max-time", type=int, default=360, help="seconds for both passes")
    parser.add_argument("--max-examples", type=int, default=25, help="per operation")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--user", default="demo.admin")
    parser.add_argument("--seed", type=int, default=None, help="schemathesis seed (reproduce)")
    parser.add_argument("--request-timeout", type=float, default=40.0)
    parser.add_argument(
        "--no-seed-data", action="store_true", help="keep the graph: no wipe, migrate or seed"
    )
    return parser.parse_args()


def _test_settings() -> Settings:
    """The run mutates and wipes the graph, so it refuses any profile but ``test``."""
    settings = Settings()
    if settings.profile is not Profile.TEST:
        raise SystemExit("fuzz runs only with ASAN_PROFILE=test (use `make fuzz`)")
    return settings


async def _wipe(settings: Settings) -> None:
    """A clean graph each run: a previous run's renames and transitions would break the seed."""
    platform = Platform.connect(settings)
    try:
        await platform.db.run_auto_commit(
            "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS"
        )
    finally:
        await platform.close()


def _server_env() -> dict[str, str]:
    """Limits that would throttle a fuzzer, raised for this server only."""
    env = dict(os.environ)
    env.update(
        {
            "ASAN_RATE_LIMIT_PER_MINUTE": "1000000",
            "ASAN_RATE_LIMIT_ANONYMOUS_PER_MINUTE": "1000000",
            "ASAN_ACCESS_TOKEN_TTL_SECONDS": "3600",
            "ASAN_LOG_JSON": "true",
            "ASAN_LOG_LEVEL": "INFO",
        }
    )
    return env


def _run(*args: str) -> None:
    subprocess.run([PY, "-m", "asan", *args], check=True, cwd=ROOT)


def _wait_healthy(base: str, server: subprocess.Popen[bytes], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the API exited with {server.returncode} before it was healthy")
        try:
            with urlopen(f"{base}/healthz", timeout=2) as reply:  # noqa: S310 - loopback URL
                if reply.status == 200:
                    return
        except (URLError, OSError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the API on {base} was not healthy within {timeout:.0f} s")


def _token(base: str, user: str) -> str:
    body = urlencode({"grant_type": "password", "username": user, "password": DEMO_PASSWORD})
    request = Request(f"{base}/oauth/token", data=body.encode(), method="POST")  # noqa: S310
    request.add_header("content-type", "application/x-www-form-urlencoded")
    with urlopen(request, timeout=30) as reply:  # noqa: S310 - loopback URL
        token = json.loads(reply.read())["access_token"]
    assert isinstance(token, str)
    return token


def _schemathesis(
    args: argparse.Namespace, base: str, har: Path, seconds: int, exclude: list[str]
) -> int:
    """One pass; its configuration file (``<pass>.toml``) holds the dictionaries and headers."""
    command = [
        str(Path(PY).with_name("schemathesis")),
        "--config-file", str(har.with_suffix(".toml")),
        "run", f"{base}/graphql",
        "--checks", "no_internal_server_error",
        "--max-examples", str(args.max_examples),
        "--max-time", str(seconds),
        "--workers", str(args.workers),
        "--request-timeout", str(args.request_timeout),
        "--suppress-health-check", "all",
        "--no-shrink",
        "--report", "har", "--report-har-path", str(har),
    ]  # fmt: skip
    if args.seed is not None:
        command += ["--seed", str(args.seed)]
    for name in exclude:
        command += ["--exclude-name", name]
    env = dict(os.environ, SCHEMATHESIS_HOOKS="fuzz.hooks", PYTHONPATH=str(ROOT))
    print(f"fuzz: schemathesis for {seconds} s -> {har.name}", flush=True)
    # schemathesis keeps a crash cache (.schemathesis/) in its working directory: the data dir
    return subprocess.run(command, cwd=har.parent, env=env, check=False).returncode


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def main() -> int:
    args = _arguments()
    settings = _test_settings()
    out = settings.data_path / "fuzz"
    out.mkdir(parents=True, exist_ok=True)
    for old in [*out.glob("*.har"), *out.glob("*.toml")]:
        old.unlink()
    log_path = out / "api.log"
    base = f"http://127.0.0.1:{args.port}"
    if not args.no_seed_data:
        asyncio.run(_wipe(settings))
        _run("migrate")
        _run("seed")
    probes: list[ProbeResult] = []
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [PY, "-m", "asan", "serve", "--host", "127.0.0.1", "--port", str(args.port)],
            cwd=ROOT, env=_server_env(), stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            _wait_healthy(base, server)
            token = _token(base, args.user)
            probes = run_probes(args.port, args.request_timeout)
            values = collect(base)
            # the token goes in a file under the owner-only data dir, not on a command line
            write_config(out / "signed-in.toml", values, {"Authorization": f"Bearer {token}"})
            write_config(out / "anonymous.toml", values, {})
            print(
                "fuzz: dictionaries "
                + ", ".join(f"{name}={len(entries)}" for name, entries in values.items()),
                flush=True,
            )
            signed_in = max(1, args.max_time * 2 // 3)
            _schemathesis(args, base, out / "signed-in.har", signed_in, list(OWN_SESSION))
            _schemathesis(args, base, out / "anonymous.har", args.max_time - signed_in, [])
        finally:
            _stop(server)
    summary = summarise(sorted(out.glob("*.har")), log_path, probes)
    (out / "summary.json").write_text(
        json.dumps(summary.as_dict(), ensure_ascii=True, indent=2), encoding="utf-8"
    )
    # lone surrogates sent by the fuzzer may come back in messages: print them escaped
    print(render(summary).encode("utf-8", "backslashreplace").decode("utf-8"))
    print(f"\nreports: {out} (summary.json, *.har, api.log)")
    return 0 if summary.ok else 1


if __name__ == "__main__":
    sys.exit(main())
