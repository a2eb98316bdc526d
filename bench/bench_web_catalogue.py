"""Server time of the public catalogue pages on the sample registry and the imported org
structure (issue 13, performance: target p95 under 150 ms for the catalogue).

Each page is requested in-process through the whole app (middleware, auth as an anonymous
caller, the use cases, Jinja2) over httpx's ASGI transport, one at a time after a warm-up, so
the figure is the server's time for one request plus the in-process transport (no sockets).
Run by name: ``.venv/bin/python -m bench bench_web_catalogue`` (``ASAN_BENCH_WEB_REPEAT``).
"""

from __future__ import annotations

from typing import Any, Final

from asan.core.platform import Platform
from bench.web_pages import measure, page_client, repeat, seeded_app

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
    times = repeat()
    settings = platform.settings.model_copy(  # anonymous callers: no rate limit in the bench
        update={"rate_limit_per_minute": 10**9, "rate_limit_anonymous_per_minute": 10**9}
    )
    app = await seeded_app(platform, settings)
    async with page_client(app) as client:
        return {"repeat": times, "pages": await measure(client, PAGES, times=times)}
