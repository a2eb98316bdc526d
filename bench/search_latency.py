"""Time from a committed change to its being searchable (issue 12, Performance: p95 < 2 s).

A state body's editor renames a draft service through the GraphQL API (the whole ASGI app
over httpx, the use case, the audited pipeline, the change log) ``CHANGES`` times, one after
the other; the change-log indexer (``Indexer.run(stop)``, the registry's sources) runs in the
same process on a fresh index directory, as ``asan serve`` runs it beside the API. After each
rename's response (the change is committed) a reader engine on the same directory, like an
API process's, is asked for the new name's unique word every ``POLL_MS``, until the service
is found. Reported: that time (p50/p95), the same from the request's start, and the
indexer's start-up rebuild.

Only the registry's sources: a bench database holds what the other benchmarks left (many
documents and archive records), whose start-up rebuild would measure their volume instead.
The editor, the body and the service carry ``benchLat`` and are removed at the end (the
audit and change events stay: those logs are append-only).
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

from asan.app import create_app
from asan.auth.service import AuthService
from asan.core.platform import Platform
from asan.registry.searching import SOURCES
from asan.search.engine import SearchQuery
from asan.search.index import SearchIndex
from asan.search.indexing.indexer import Indexer
from bench.stats import summarize

CHANGES = 50
POLL_MS = 10
TIMEOUT_S = 30.0

CREATE = """
mutation($input: CreateServiceInput!) {
  createService(input: $input) { service { code } userErrors { message } }
}"""
UPDATE = """
mutation($input: UpdateServiceInput!) {
  updateService(input: $input) { service { code } userErrors { message } }
}"""


async def _fixture(platform: Platform, tag: str) -> tuple[str, str]:
    body, user = f"BL-{tag.upper()}", f"bench-lat-{tag}"
    await platform.db.write(
        """
        CREATE (:StateBody {code: $body, nameAz: 'Bench qurumu', nameFold: 'bench qurumu',
                            kind: 'agency', benchLat: true})
        CREATE (:User {id: $user, username: $user, usernameFold: $user, active: true,
                       roles: ['state_body_editor'], stateBody: $body, benchLat: true})
        """,
        {"body": body, "user": user},
    )
    return body, user


async def _cleanup(platform: Platform, code: str) -> None:
    await platform.db.write("MATCH (n {benchLat: true}) DETACH DELETE n")
    await platform.db.write(
        """
        MATCH (s:Service {code: $code})
        OPTIONAL MATCH (s)-[:HAS_VERSION]->(v)
        DETACH DELETE s, v
        """,
        {"code": code},
    )


async def _post(client: httpx.AsyncClient, query: str, variables: Any, auth: str) -> None:
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers={"Authorization": auth}
    )
    body = response.json()
    field = next(iter((body.get("data") or {}).values()), None) or {}
    if body.get("errors") or field.get("userErrors") or not field.get("service"):
        raise RuntimeError(f"search latency bench: a mutation failed: {str(body)[:300]}")


async def _searchable(index: SearchIndex, word: str) -> bool:
    query = SearchQuery(word, access=frozenset(), unrestricted=True, kinds=frozenset({"service"}))
    deadline = time.perf_counter() + TIMEOUT_S
    while time.perf_counter() < deadline:
        try:
            if (await asyncio.to_thread(index.engine().query, query)).total:
                return True
        except Exception:  # noqa: S110 - the index may not exist until the first commit
            pass
        await asyncio.sleep(POLL_MS / 1000)
    return False


async def measure(platform: Platform) -> dict[str, Any]:
    settings = platform.settings.model_copy(
        update={"rate_limit_per_minute": 10**7, "rate_limit_anonymous_per_minute": 10**7}
    )
    auth = AuthService.for_settings(settings)
    tag = uuid.uuid4().hex[:6]
    body, user = await _fixture(platform, tag)
    bearer = f"Bearer {auth.access_token(user, 'user')[0]}"
    code = f"BL-{tag.upper()}-S1"
    root = Path(tempfile.mkdtemp(prefix="asan-bench-search-lat-"))
    index = SearchIndex(root / "index")
    indexer = Indexer(platform, SearchIndex(index.path), sources=SOURCES)
    stop = asyncio.Event()
    out: dict[str, Any] = {"changes": CHANGES, "poll_ms": POLL_MS}
    try:
        started = time.perf_counter()
        await indexer.ensure_ready()
        out["startup_rebuild_s"] = round(time.perf_counter() - started, 2)
        out["startup_docs"] = index.engine().doc_count()
        task = asyncio.create_task(indexer.run(stop))
        app = create_app(settings, platform, auth)
        app.state.platform = platform
        transport = httpx.ASGITransport(app=app)
        since_commit, since_request, missed = [], [], 0
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            create = {"code": code, "nameAz": "Bench xidməti", "provider": body,
                      "processingDays": 5, "channels": ["ASAN_CENTRE"]}  # fmt: skip
            await _post(client, CREATE, {"input": create}, bearer)
            for n in range(CHANGES):
                word = f"benchlat{tag}x{n:03d}"
                t0 = time.perf_counter()
                update = {"code": code, "nameAz": f"Bench xidməti {word}"}
                await _post(client, UPDATE, {"input": update}, bearer)
                t1 = time.perf_counter()
                if not await _searchable(index, word):
                    missed += 1
                    continue
                t2 = time.perf_counter()
                since_commit.append((t2 - t1) * 1000)
                since_request.append((t2 - t0) * 1000)
        stop.set()
        await task
        out["missed"] = missed
        if since_commit:
            out["committed_to_searchable"] = summarize(since_commit)
            out["request_to_searchable"] = summarize(since_request)
    finally:
        stop.set()
        indexer.release()
        await _cleanup(platform, code)
        shutil.rmtree(root, ignore_errors=True)
    return out
