"""The ASGI application: GraphQL at /graphql, liveness at /healthz, readiness at /readyz."""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from cross_web import HTTPException
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse
from strawberry.types.unset import UnsetType

from asan.archive.disposition.http import act_pdf_route
from asan.archive.export.http import export_route
from asan.archive.fixity.schedule import run_fixity_schedule
from asan.archive.transfer.http import inventory_route
from asan.auth.endpoints import MAX_TOKEN_BODY, jwks_endpoint, token_endpoint
from asan.auth.middleware import AuthMiddleware, client_address, principal_of
from asan.auth.principal import ANONYMOUS
from asan.auth.ratelimit import RateLimits
from asan.auth.service import AuthService
from asan.browser import cors_middleware, discovery_route, graphiql_page, graphiql_routes
from asan.core.asgi import TrackedSend
from asan.core.errors import ServiceUnavailable, Unauthenticated
from asan.core.logging import request_id_var
from asan.core.platform import Platform
from asan.core.settings import Settings, get_settings
from asan.edms.copies.making import close_pool as close_copies_pool
from asan.edms.dispatch.http import delivery_routes
from asan.edms.files.http import (
    download_route,
    is_multipart,
    multipart_body_limit,
    multipart_refusal,
)
from asan.edms.files.jobs import run_processing
from asan.edms.files.settings import files_settings
from asan.edms.reports.http import report_route
from asan.graphql.context import Context
from asan.graphql.schema import schema as default_schema
from asan.httpguard import BodyTimeoutMiddleware, HeadTimeoutProtocol
from asan.integration.delivery import DeliveryWorker
from asan.registry.catalog.registration.change_requests import run_overdue_sweeps
from asan.registry.interchange.http import cpsv_route
from asan.web.routes import web_routes
from asan.web.session.middleware import PageSessionMiddleware

log = logging.getLogger("asan.http")

MAX_GRAPHQL_BODY = 256 * 1024
CONTEXT_KEY = "asan.graphql_context"


class RequestContextMiddleware:
    """Request id (taken from X-Request-ID or made), one JSON access line per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        incoming = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = (
            incoming if 0 < len(incoming) <= 64 and incoming.isprintable() else uuid.uuid4().hex
        )
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"].append((b"x-request-id", request_id.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            log.info(
                "request",
                extra={
                    "fields": {
                        "method": scope.get("method"),
                        "path": scope.get("path"),
                        "status": status,
                        "ms": round((time.perf_counter() - started) * 1000, 2),
                    }
                },
            )
            request_id_var.reset(token)


class BodySizeLimitMiddleware:
    """Refuse oversized bodies before they are read into memory (413, names the limit)."""

    def __init__(
        self, app: ASGIApp, limits: dict[str, int], multipart: dict[str, int] | None = None
    ) -> None:
        self.app = app
        self.limits = limits
        self.multipart = multipart or {}  # file uploads: their own, larger limit per path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = self.limits.get(scope.get("path", "")) if scope["type"] == "http" else None
        if limit is not None and scope.get("path", "") in self.multipart and is_multipart(scope):
            limit = self.multipart[scope.get("path", "")]
        if limit is None:
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(limit)(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLarge
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _BodyTooLarge:
            await _too_large(limit)(scope, receive, send)


class _BodyTooLarge(Exception):
    pass


class OutageMiddleware:
    """A Neo4j or MinIO outage outside GraphQL execution (resolving a token's caller, the
    token endpoint) answers 503 naming the service, not a bare 500."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        tracking_send = TrackedSend(send)

        try:
            await self.app(scope, receive, tracking_send)
        except ServiceUnavailable as exc:
            if tracking_send.started:
                raise
            log.warning("outage", extra={"fields": {"service": exc.service}})
            response = JSONResponse(
                {
                    "error": exc.message,
                    "errors": [
                        {
                            "message": exc.message,
                            "extensions": {
                                "code": exc.code,
                                "service": exc.service,
                                "retryAfter": exc.retry_after,
                            },
                        }
                    ],
                },
                status_code=503,
                headers={"retry-after": str(int(exc.retry_after))},
            )
            await response(scope, receive, send)


def _too_large(limit: int) -> Response:
    message = f"sorğu həcmi {limit} baytdan böyükdür / request body exceeds {limit} bytes"
    return JSONResponse(
        {
            "error": message,
            "errors": [{"message": message, "extensions": {"code": "PAYLOAD_TOO_LARGE"}}],
        },
        status_code=413,
    )


def _bad_request(message: str, status: int = 400) -> Response:
    """A refused HTTP request as JSON, shaped like a GraphQL error so clients parse one format."""
    return JSONResponse(
        {"error": message, "errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]},
        status_code=status,
    )


def decode_graphql_body(data: str | bytes) -> dict[str, Any]:
    """The request body as a JSON object, or HTTPException(400) saying what is wrong with it.

    Python's json raises RecursionError on deeply nested input and UnicodeDecodeError on bytes
    that are not UTF-8; both would otherwise leave as 500.
    """
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError as exc:
        raise HTTPException(
            400, "sorğunun gövdəsi UTF-8 deyil / request body is not valid UTF-8"
        ) from exc
    try:
        value = json.loads(text)
    except RecursionError as exc:
        raise HTTPException(
            400, "JSON çox dərin iç-içədir / request body JSON is nested too deeply"
        ) from exc
    except ValueError as exc:
        raise HTTPException(
            400, "sorğunun gövdəsi JSON deyil / request body is not valid JSON"
        ) from exc
    if isinstance(value, list):
        raise HTTPException(
            400, "toplu sorğular qəbul edilmir / batched requests (a JSON array) are not accepted"
        )
    if not isinstance(value, dict):
        raise HTTPException(
            400, "sorğunun gövdəsi JSON obyekti olmalıdır / request body must be a JSON object"
        )
    return value


class AsanGraphQL(GraphQL[Context, None]):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        refused = multipart_refusal(scope)  # CSRF: uploads need a preflight-forcing header
        try:
            if refused is not None:
                raise HTTPException(400, refused)
            response = await self.run(Request(scope=scope, receive=receive))
        except HTTPException as exc:
            response = _bad_request(exc.reason, exc.status_code)
        finally:
            _release(scope)
        await response(scope, receive, send)

    def decode_json(self, data: str | bytes) -> object:
        return decode_graphql_body(data)

    async def render_graphql_ide(self, request: Request) -> Response:
        """GraphiQL from our own static files, with a same-origin CSP (asan/browser.py)."""
        return graphiql_page()

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        """An outage of a backing service answers 503 (with Retry-After), not 200."""
        response = super().create_response(response_data, sub_response)
        outage = _outage(response_data)
        if outage is not None:
            response.status_code = 503
            response.headers["retry-after"] = str(outage)
        return response

    async def get_context(self, request: Any, response: Any) -> Context:
        platform: Platform = request.app.state.platform
        context = Context(
            platform=platform,
            request=request,
            principal=principal_of(request.state),
            auth=request.app.state.auth,
        )
        if not isinstance(request, WebSocket):
            request.scope[CONTEXT_KEY] = context  # released when the response is made
        if isinstance(request, WebSocket):  # the connection_init payload lands here
            context.principal = ANONYMOUS.from_source(client_address(request.scope))
            setattr(context, "connection_params", None)  # noqa: B010 - strawberry checks hasattr
        return context

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """A subscription's caller: ``Authorization: Bearer`` in the connection_init payload
        (browsers cannot set headers on a websocket) or on the upgrade request; a token that
        fails verification closes the connection (4403), never serves it as anonymous."""
        params = getattr(context, "connection_params", None) or {}
        value = params.get("Authorization") or params.get("authorization")
        if value is None and context.request is not None:
            value = context.request.headers.get("authorization")
        if value is None:
            return None
        scheme, _, token = str(value).partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ConnectionRejectionError
        try:
            context.principal = await context.auth.authenticate(
                context.platform, token.strip(), context.principal.source
            )
        except Unauthenticated:
            raise ConnectionRejectionError from None
        return None


def _release(scope: Scope) -> None:
    """Drops the request's DataLoaders once its response is built.

    A loader's batch function holds the resolve info, which holds the context, which holds the
    loaders: a reference cycle that kept every request's rows and response data alive until the
    cycle collector ran (a few hundred objects per request, and full collections of 100 ms and
    more, the p95 tail under load). Cleared here, they are freed at once by reference counting.
    """
    context = scope.pop(CONTEXT_KEY, None)
    if isinstance(context, Context):
        context.loaders.clear()


def _outage(data: GraphQLHTTPResponse | list[GraphQLHTTPResponse]) -> int | None:
    """Seconds to retry after when the result carries a SERVICE_UNAVAILABLE error, else None."""
    for item in data if isinstance(data, list) else [data]:
        errors: list[Any] = list(item.get("errors") or ())
        for error in errors:
            extensions = error.get("extensions") or {}
            if extensions.get("code") == "SERVICE_UNAVAILABLE":
                return int(extensions.get("retryAfter") or 5)
    return None


def create_app(
    settings: Settings, platform: Platform | None = None, auth: AuthService | None = None
) -> Starlette:
    # Signing keys are created under the data dir on first start (0600), never in the repo.
    auth = auth or AuthService.for_settings(settings)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        own = platform is None
        app.state.platform = platform or Platform.connect(settings)
        # registration reviews past their deadline: marked overdue once, with a change event
        sweep_stop = asyncio.Event()
        sweeps = asyncio.create_task(run_overdue_sweeps(app.state.platform, sweep_stop))
        # the webhook delivery worker (asan/integration/delivery.py), one per process: leases
        # in Neo4j keep several processes from delivering to one subscriber at once
        stop = asyncio.Event()
        worker = DeliveryWorker(app.state.platform) if settings.webhook_worker else None
        task = asyncio.create_task(worker.run(stop)) if worker is not None else None
        # document files: text extraction, OCR and stamps after each upload commits
        files_stop = asyncio.Event()
        files_job = (
            asyncio.create_task(run_processing(app.state.platform, files_stop))
            if files_settings().process_in_api
            else None
        )
        # the archive's periodic fixity audit (one node at a time, by a lease in Neo4j)
        fixity_stop = asyncio.Event()
        fixity_job = asyncio.create_task(run_fixity_schedule(app.state.platform, fixity_stop))
        # What exists now (modules, the schema, connections) lives as long as the process: out
        # of the collector's reach, a full collection walks only what requests made, which cut
        # those pauses (the API's p95 tail under load) by more than half.
        gc.freeze()
        try:
            yield
        finally:
            fixity_stop.set()  # a running audit stops between batches, its report says so
            await fixity_job
            files_stop.set()
            if files_job is not None:
                await files_job
            sweep_stop.set()
            await sweeps
            stop.set()
            if task is not None and worker is not None:
                await task
                await worker.close()
            await close_copies_pool()  # certified copies' stamping workers, if started
            if own:
                await app.state.platform.close()

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        checks = await request.app.state.platform.readiness(
            probe_seconds=settings.readiness_timeout_seconds,
            max_age=settings.readiness_cache_seconds,
        )
        failing = {name: reason for name, reason in checks.items() if reason is not None}
        body: dict[str, object] = {
            "status": "ready" if not failing else "not ready",
            "checks": {name: "ok" if reason is None else reason for name, reason in checks.items()},
        }
        if failing:
            body["failing"] = sorted(failing)
        return JSONResponse(body, status_code=200 if not failing else 503)

    graphql_app = AsanGraphQL(
        default_schema,
        graphql_ide="graphiql" if not settings.is_production else None,
        allow_queries_via_get=False,
        multipart_uploads_enabled=True,  # document files; guarded in __call__ (CSRF)
    )
    app = Starlette(
        debug=False,
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/graphql", graphql_app, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql_app),  # subscriptions (graphql-transport-ws)
            Route("/oauth/token", token_endpoint, methods=["POST"]),
            Route("/.well-known/jwks.json", jwks_endpoint, methods=["GET"]),
            discovery_route(settings),
            cpsv_route(settings),  # the published registry as CPSV-AP JSON-LD
            download_route(),  # document files, under the document's read policy
            *delivery_routes(),  # files dispatched to a body's system (edms.delivery)
            report_route(),  # report downloads (CSV, PDF with charts), edms.report.read
            export_route(),  # BagIt packages of permanent cases, archive.export.read
            inventory_route(),  # transfer inventories as PDF/CSV, archive.read
            act_pdf_route(),  # destruction acts' PDFs, archive.disposition.read
            *(graphiql_routes() if not settings.is_production else ()),
            *web_routes(),  # the pages: public catalogue, clerks' workspace (docs/web.md)
        ],
        middleware=[
            Middleware(RequestContextMiddleware),
            cors_middleware(settings),  # preflights answered before auth and rate limits
            Middleware(OutageMiddleware),
            Middleware(BodyTimeoutMiddleware, timeout_seconds=settings.http_body_timeout_seconds),
            Middleware(
                BodySizeLimitMiddleware,
                limits={"/graphql": MAX_GRAPHQL_BODY, "/oauth/token": MAX_TOKEN_BODY},
                multipart={"/graphql": multipart_body_limit()},
            ),
            Middleware(
                AuthMiddleware,
                auth=auth,
                limits=RateLimits(
                    settings.rate_limit_per_minute, settings.rate_limit_anonymous_per_minute
                ),
                timeout_seconds=settings.request_timeout_seconds,
            ),
            # the pages' principal from the session cookie (never /graphql), security headers
            Middleware(PageSessionMiddleware, auth=auth),
        ],
        lifespan=lifespan,
    )
    app.state.auth = auth
    return app


def app_from_env() -> Starlette:
    """The app factory ``asan serve`` names to uvicorn (``factory=True``), so that each worker
    process builds its own app, connections and caches from the environment it inherited.

    Nothing process-wide is shared between workers but Neo4j, MinIO and the data dir (signing
    keys, which ``serve`` creates before starting them).
    """
    from asan.core.logging import configure

    settings = get_settings()
    configure(settings.log_level, settings.log_json)
    # as ``serve`` has it (access_log=False): asan.http logs each request, with its id
    logging.getLogger("uvicorn.access").propagate = False
    return create_app(settings)


class WorkerHeadTimeoutProtocol(HeadTimeoutProtocol):
    """The slow-head guard by import name: worker processes receive uvicorn's configuration
    pickled, which a class made at run time (``head_timeout_protocol``) cannot be; the timeout
    comes from the worker's own settings instead."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self.head_timeout = get_settings().http_header_timeout_seconds
        super().connection_made(transport)
