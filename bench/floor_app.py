"""The HTTP floor: a minimal Starlette endpoint that runs a shape's single Cypher, returns JSON.

Served by uvicorn with the API's HTTP stack (httptools, uvloop when installed, the same number of
workers) and loaded by the same generator with the same request bodies, it is what a request
costs without GraphQL: HTTP, JSON in and out, one driver round trip. ``POST /floor/<shape>``
with the GraphQL request body (only ``variables.code`` is read).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from asan.core.db import Database
from asan.core.settings import get_settings
from bench.http_shapes import SHAPES, floor_data


def create_app() -> Starlette:
    """The factory uvicorn calls in each worker (``--factory``): its own driver per process."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.db = Database.connect(get_settings())
        try:
            yield
        finally:
            await app.state.db.close()

    async def floor(request: Request) -> Response:
        shape = SHAPES.get(request.path_params["shape"])
        if shape is None:
            return JSONResponse({"error": "unknown shape"}, status_code=404)
        body = await request.json()
        code = str((body.get("variables") or {}).get("code", ""))
        rows = await request.app.state.db.read(shape.cypher, shape.params(code))
        return JSONResponse({"data": floor_data(shape, rows)})

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    return Starlette(
        routes=[
            Route("/floor/{shape}", floor, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
