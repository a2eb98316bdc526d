"""The ``asan`` command line: services, migrations, seed data, the API server, maintenance.

Failures print one line naming what failed and where, and exit non-zero; stack traces are
for bugs, not for a stopped service.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Annotated, TypeVar

import typer
from rich.console import Console

from asan.archive.cli import archive_app
from asan.core.provision import minio_server, neo4j_server
from asan.core.provision.process import PRIVATE_UMASK, ProvisionError, secure_tree
from asan.core.provision.progress import Progress, elapsed
from asan.core.settings import Profile, Settings
from asan.edms.signatures.cli import pki_app
from asan.search.cli import search_app

app = typer.Typer(help="ASAN xidmət registry and document system.", no_args_is_help=True)
services_app = typer.Typer(help="Provision, start and stop Neo4j and MinIO.", no_args_is_help=True)
app.add_typer(services_app, name="services")
storage_app = typer.Typer(help="Object store maintenance.", no_args_is_help=True)
app.add_typer(storage_app, name="storage")
app.add_typer(pki_app, name="pki")
app.add_typer(archive_app, name="archive")
app.add_typer(search_app, name="search")

console = Console(stderr=True)
T = TypeVar("T")
_state: dict[str, Settings] = {}


def settings() -> Settings:
    if "settings" not in _state:
        try:
            _state["settings"] = Settings()
        except ValueError as exc:
            fail(f"settings: {exc}")
    return _state["settings"]


def fail(message: str) -> typer.Exit:
    console.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code=1)


def guarded(fn: Callable[[], T]) -> T:
    try:
        return fn()
    except ProvisionError as exc:
        raise fail(str(exc)) from None


def run_async(make: Callable[[], Awaitable[T]]) -> T:
    return asyncio.run(make())  # type: ignore[arg-type]


@app.callback()
def main_options(
    profile: Annotated[
        Profile | None, typer.Option(help="dev (make run), test (make test) or prod")
    ] = None,
) -> None:
    if profile is not None:
        os.environ["ASAN_PROFILE"] = profile.value
        _state.pop("settings", None)


@services_app.command("up")
def services_up() -> None:
    """Provision (first time only) and start Neo4j and MinIO; idempotent."""
    s = settings()
    _secure_data_dir(s)
    progress = Progress(console)
    started = time.monotonic()
    for module in (neo4j_server, minio_server):
        line = guarded(lambda m=module: m.start(s, progress))  # type: ignore[misc]
        console.print(line, highlight=False)
    console.print(f"services up in {elapsed(time.monotonic() - started)}", highlight=False)


def _secure_data_dir(s: Settings) -> None:
    """Owner-only files from now on, and existing ones fixed (the store holds password hashes)."""
    os.umask(PRIVATE_UMASK)
    fixed = secure_tree(s.data_path)
    if fixed:
        console.print(
            f"permissions: {fixed} path(s) under {s.data_path} made owner-only", highlight=False
        )


@services_app.command("down")
def services_down() -> None:
    """Stop the servers this profile started."""
    s = settings()
    for name, module in (("minio", minio_server), ("neo4j", neo4j_server)):
        stopped = module.stop_server(s)
        console.print(f"{name}: {'stopped' if stopped else 'was not running'}", highlight=False)


@services_app.command("status")
def services_status() -> None:
    s = settings()
    for module in (neo4j_server, minio_server):
        console.print(module.status(s), highlight=False)


@services_app.command("provision")
def services_provision() -> None:
    """Build the Neo4j launcher and install MinIO into the cache without starting them."""
    s = settings()
    progress = Progress(console)
    guarded(lambda: neo4j_server.ensure_built(s, progress))
    guarded(lambda: minio_server.ensure_installed(s, progress))
    console.print(f"provisioned into {s.cache_dir}", highlight=False)


async def _with_platform(work: Callable[..., Awaitable[T]]) -> T:
    from asan.core.platform import Platform
    from asan.core.storage import BucketWithoutObjectLock

    platform = Platform.connect(settings())
    try:
        checks = await platform.readiness()
        for name in ("neo4j", "minio"):
            if checks[name] is not None:
                raise fail(str(checks[name]))
        try:
            return await work(platform)
        except BucketWithoutObjectLock as exc:
            raise fail(str(exc)) from None
    finally:
        await platform.close()


@app.command()
def migrate() -> None:
    """Apply Neo4j schema migrations and create the buckets."""
    from asan.core.migrations import migrate as apply
    from asan.migrations import all_migrations

    async def work(platform: object) -> list[str]:
        from asan.core.platform import Platform

        assert isinstance(platform, Platform)
        await platform.ensure_buckets()
        return await apply(platform.db, all_migrations())

    applied = run_async(lambda: _with_platform(work))
    console.print(
        f"migrations applied: {', '.join(applied) if applied else 'none (up to date)'}",
        highlight=False,
    )


@app.command()
def seed(
    sample: Annotated[bool, typer.Option(help="also load the sample registry")] = True,
) -> None:
    """Load reference data (the org structure from the regulations) and the sample registry."""
    from asan.seeding import load_seed

    async def work(platform: object) -> list[str]:
        from asan.core.platform import Platform

        assert isinstance(platform, Platform)
        return await load_seed(platform, sample=sample)

    for line in run_async(lambda: _with_platform(work)):
        console.print(line, highlight=False)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="API processes sharing the port, one Neo4j and MinIO behind them; each keeps "
            "its own caches and rate limits (README, Scale-out)",
        ),
    ] = 1,
) -> None:
    """Serve the API (GraphiQL at /graphql outside production)."""
    import uvicorn

    from asan.auth.keys import KeyStore
    from asan.core.logging import configure

    s = settings()
    configure(s.log_level, s.log_json)
    _secure_data_dir(s)

    async def prepare(platform: object) -> list[str]:
        """Migrations apply at start-up too, so a server never runs on an older schema."""
        from asan.core.migrations import migrate as apply
        from asan.core.platform import Platform
        from asan.migrations import all_migrations

        assert isinstance(platform, Platform)
        await platform.ensure_buckets()
        return await apply(platform.db, all_migrations())

    applied = run_async(lambda: _with_platform(prepare))
    if applied:
        console.print(f"migrations applied: {', '.join(applied)}", highlight=False)
    # Signing keys exist before any worker starts: workers starting together must read one
    # key set, not race to create one each.
    KeyStore.open(s.data_path, s.auth_algorithm)
    from asan.httpguard import uvicorn_options
    from asan.search.indexing.process import IndexerProcess

    # The search index's one writer, a process of its own beside the API workers.
    indexer = IndexerProcess() if s.search_indexer else None
    if indexer is not None:
        console.print("starting the search indexer (asan search indexer)", highlight=False)
        indexer.start()
        # uvicorn re-raises the stopping signal after its shutdown: exit through ``finally``
        # so the indexer is stopped and waited for (it also dies with this process anyway)
        signal.signal(signal.SIGTERM, _exit_cleanly)
    try:
        # The app and the slow-head guard by import name: each worker process builds its own
        # from the environment it inherits (the same path for one worker, same behaviour).
        uvicorn.run(
            "asan.app:app_from_env",
            factory=True,
            workers=workers,
            host=host or s.http_host,
            port=port or s.http_port,
            log_config=None,
            access_log=False,
            **{**uvicorn_options(s), "http": "asan.app:WorkerHeadTimeoutProtocol"},
        )
    finally:
        if indexer is not None:
            indexer.stop()


def _exit_cleanly(signum: int, frame: object) -> None:
    raise SystemExit(0)


@app.command("export-schema")
def export_schema(
    path: Annotated[str, typer.Option(help="where to write the SDL")] = "schema.graphql",
) -> None:
    """Write the GraphQL schema (SDL) that clients and the drift test compare against."""
    from asan.graphql.schema import schema_sdl

    with open(path, "w", encoding="utf-8") as out:
        out.write(schema_sdl())
    console.print(f"schema written to {path}", highlight=False)


@storage_app.command("sweep")
def storage_sweep(
    grace_minutes: Annotated[int, typer.Option(help="only files older than this")] = 15,
) -> None:
    """Delete files that no graph record references (left by a crash mid-transaction)."""
    from asan.core.uow import sweep_orphans

    async def work(platform: object) -> list[str]:
        from asan.core.platform import Platform

        assert isinstance(platform, Platform)
        removed: list[str] = []
        for bucket in platform.buckets.values():
            removed += await sweep_orphans(
                platform.db, platform.store, bucket, timedelta(minutes=grace_minutes)
            )
        return removed

    removed = run_async(lambda: _with_platform(work))
    console.print(f"orphans removed: {len(removed)}", highlight=False)


audit_app = typer.Typer(help="The hash-chained audit trail.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")
keys_app = typer.Typer(help="Access-token signing keys.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")
registry_app = typer.Typer(help="The services registry's periodic jobs.", no_args_is_help=True)
app.add_typer(registry_app, name="registry")


@app.command("create-admin")
def create_admin(
    username: Annotated[str, typer.Option(help="login name of the first administrator")],
    display_name: Annotated[str, typer.Option(help="full name")] = "",
    password: Annotated[
        str,
        typer.Option(
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            envvar="ASAN_ADMIN_PASSWORD",
            help="asked for when not given (or set ASAN_ADMIN_PASSWORD)",
        ),
    ] = "",
) -> None:
    """Create an administrator account (the first one, or another)."""
    from asan.auth.models import NewUser
    from asan.auth.principal import SYSTEM
    from asan.auth.service import create_user
    from asan.core.errors import DomainError

    async def work(platform: object) -> str:
        from asan.core.platform import Platform

        assert isinstance(platform, Platform)
        new = NewUser(username, display_name or username, password, frozenset({"administrator"}))
        return await create_user(platform, SYSTEM, new)

    try:
        user_id = run_async(lambda: _with_platform(work))
    except DomainError as exc:
        raise fail(f"{exc.field or 'create-admin'}: {exc.message}") from None
    console.print(f"administrator {username} created (id {user_id})", highlight=False)


@audit_app.command("verify")
def audit_verify() -> None:
    """Recompute the audit hash chain; exits 1 naming the first broken link."""
    from asan.auth.auditlog import ChainReport, verify_chain

    async def work(platform: object) -> ChainReport:
        from asan.core.platform import Platform

        assert isinstance(platform, Platform)
        return await verify_chain(platform.db)

    report = run_async(lambda: _with_platform(work))
    if not report.ok:
        raise fail(report.line())
    console.print(report.line(), highlight=False)


webhooks_app = typer.Typer(help="Webhook deliveries (docs/integration.md).", no_args_is_help=True)
app.add_typer(webhooks_app, name="webhooks")


@webhooks_app.command("deliver")
def webhooks_deliver(
    once: Annotated[bool, typer.Option(help="one pass over due subscribers, then exit")] = False,
) -> None:
    """Run the webhook delivery worker in this process (leases keep it safe beside others)."""
    from asan.integration.delivery import DeliveryWorker

    async def work(platform: object) -> int:
        from asan.core.platform import Platform

        assert isinstance(platform, Platform)
        worker = DeliveryWorker(platform)
        try:
            if once:
                return await worker.run_once()
            await worker.run(asyncio.Event())  # until interrupted
            return 0
        finally:
            await worker.close()

    served = run_async(lambda: _with_platform(work))
    console.print(f"subscribers served: {served}", highlight=False)


@keys_app.command("rotate")
def keys_rotate() -> None:
    """Sign new tokens with a fresh key; old keys stay published until their tokens expire."""
    from asan.auth.keys import KeyStore
    from asan.auth.service import retire_after

    s = settings()
    store = KeyStore.open(s.data_path, s.auth_algorithm)
    old = store.active.kid
    new, dropped = store.rotate(retire_after(s))
    console.print(
        f"signing key rotated: {old} -> {new}; dropped: {', '.join(dropped) or 'none'}",
        highlight=False,
    )


edms_files_app = typer.Typer(help="Document files (docs/edms-files.md).", no_args_is_help=True)
app.add_typer(edms_files_app, name="edms")


@edms_files_app.command("process-pending")
def edms_process_pending() -> None:
    """Extract text, OCR scans and stamp registered incoming PDFs of every pending file."""
    from asan.edms.files.jobs import ProcessReport, process_all_pending
    from asan.edms.files.processing import ExtractionPool

    async def work(platform: object) -> ProcessReport:
        from asan.core.platform import Platform

        assert isinstance(platform, Platform)
        async with ExtractionPool() as pool:
            return await process_all_pending(platform, pool)

    report = run_async(lambda: _with_platform(work))
    console.print(
        f"files with text: {len(report.done)}, kept without text: {len(report.no_text)}, "
        f"OCR copies: {len(report.ocr_copies)}, stamps: {len(report.stamps)}",
        highlight=False,
    )


@registry_app.command("sweep-overdue")
def registry_sweep_overdue() -> None:
    """Mark registration reviews past their deadline overdue (once each, with a change event)."""
    from asan.registry.catalog.service import sweep_overdue

    async def work(platform: object) -> dict[str, tuple[str, ...]]:
        from asan.core.platform import Platform

        assert isinstance(platform, Platform)
        return await sweep_overdue(platform)

    marked = run_async(lambda: _with_platform(work))
    for request_id, late in sorted(marked.items()):
        console.print(f"{request_id}: overdue ({', '.join(late)})", highlight=False)
    console.print(f"requests newly overdue: {len(marked)}", highlight=False)


@registry_app.command("export-cpsv")
def registry_export_cpsv(
    file: Annotated[str, typer.Argument(help="where to write the JSON-LD ('-': stdout)")],
) -> None:
    """Export the published registry as CPSV-AP 3.2 JSON-LD (docs/interchange.md)."""
    from pathlib import Path

    from asan.registry.interchange.cpsv import stream_jsonld

    base = settings().public_base_uri

    async def work(platform: object) -> int:
        from asan.core.platform import Platform

        assert isinstance(platform, Platform)
        written = 0
        out = sys.stdout if file == "-" else None
        target = Path(file).with_name(Path(file).name + ".partial")
        with out or target.open("w", encoding="utf-8") as handle:
            async for chunk in stream_jsonld(platform.db, base):
                handle.write(chunk)
                written += len(chunk)
        if out is None:
            target.replace(Path(file))  # a reader never sees half a file
        return written

    size = run_async(lambda: _with_platform(work))
    if file != "-":
        console.print(f"{file}: {size} characters of CPSV-AP JSON-LD ({base})", highlight=False)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
