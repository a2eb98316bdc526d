"""``GET /export/cpsv-ap.jsonld``: the published registry as CPSV-AP JSON-LD, for anyone.

Public data only (what an anonymous GraphQL caller sees), streamed node by node from bounded
pages; at most ``MAX_CONCURRENT`` exports run at once per process, the others wait their turn,
so a burst of downloads cannot hold every Neo4j connection.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Final

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.registry.interchange.cpsv import stream_jsonld

PATH: Final = "/export/cpsv-ap.jsonld"
MEDIA_TYPE: Final = "application/ld+json"
MAX_CONCURRENT: Final = 2


def cpsv_route(settings: Settings) -> Route:
    turns = asyncio.Semaphore(MAX_CONCURRENT)

    async def export(request: Request) -> Response:
        platform: Platform = request.app.state.platform

        async def body() -> AsyncIterator[bytes]:
            async with turns:
                async for chunk in stream_jsonld(platform.db, settings.public_base_uri):
                    yield chunk.encode("utf-8")

        return StreamingResponse(
            body(),
            media_type=MEDIA_TYPE,
            headers={
                "Content-Disposition": 'inline; filename="cpsv-ap.jsonld"',
                "Cache-Control": "public, max-age=300",
            },
        )

    return Route(PATH, export, methods=["GET"])
