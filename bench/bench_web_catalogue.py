"""Server time of the public catalogue pages on the sample registry and the imported org
structure (issue 13, performance: target p95 under 150 ms for the catalogue).

Each page is requested in-process through the whole app (middleware, auth as an anonymous
caller, the use cases, Jinja2) over httpx's ASGI transport, one at a time after a warm-up, so
the figure is the server's time for one request plus the in-process transport (no sockets).
Run by name: ``.venv/bin/python -m bench bench_web_catalogue`` (``ASAN_BENCH_WEB_REPEAT``).
"""

from __future__ import annotations

import os
from typing import Any, Final

import httpx

from asan.app import create_app
from asan.core.platform import Platform
from asan.registry.catalog.sample import load_sample_registry
from asan.registry.org.seed import import_regulations
from bench.stats import summarize, timed

PAGES: Final = (
    ("services", "/az/services"),
    ("services search", "/az/services?q=seyyar+xidmet"),
    ("services filtered", "/en/services?body=ASAN&channel=ONLINE&region=baki"),
    ("suggest", "/az/services/suggest?q=seyyar"),
    ("service", "/az/services/EDL-001"),
    ("centres", "/ru/centres"),
    ("buses", "/az/buses"),
    ("org", "/az/org"),
    ("helper", "/az/helper?text=pasport+itirmisem+yenisini+almaq+isteyirem"),
)


async def run(platform: Platform) -> dict[str, Any]:
    repeat = int(os.environ.get("ASAN_BENCH_WEB_REPEAT", "100"))
    print(f"  {await load_sample_registry(platform)}", flush=True)
    print(f"  {await import_regulations(platform)}", flush=True)
    settings = platform.settings.model_copy(
        update={"rate_limit_per_minute": 10**9, "rate_limit_anonymous_per_minute": 10**9}
    )
    app = create_app(settings, platform)
    app.state.platform = platform
    result: dict[str, Any] = {"repeat": repeat, "pages": {}}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://bench", timeout=60
    ) as client:
        for name, path in PAGES:

            async def get(path: str = path) -> None:
                answer = await client.get(path)
                if answer.status_code != 200:
                    raise RuntimeError(f"{path}: {answer.status_code}")

            figures = summarize(await timed(get, repeat, warmup=10))
            result["pages"][name] = {"path": path, **figures}
            print(f"  {name:18} p50 {figures['p50_ms']:7.1f} ms  p95 {figures['p95_ms']:7.1f} ms")
    return result
