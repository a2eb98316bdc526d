"""``GET /edms/deliveries/{id}/file``: the addressee body's system fetches a delivered file.

Authenticated here with the same bearer tokens as the API (the auth middleware covers only
``/graphql``; the files part's download does the same): a service account of the addressee
body whose scopes cover ``edms.delivery``, or that body's editors. Anything else, including a
delivery to another body or a letter sent by post, is a 404, so ids cannot be probed. The
bytes are checked against the SHA-256 the dispatch register recorded and the webhook event
carried, which the response repeats in ``X-Content-SHA256``.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from asan.auth.middleware import client_address
from asan.core.errors import Forbidden, NotFound, Unauthenticated
from asan.edms.dispatch import reads


def _error(status: int, message: str, code: str) -> Response:
    return JSONResponse(
        {"error": message, "errors": [{"message": message, "extensions": {"code": code}}]},
        status_code=status,
        headers={"www-authenticate": "Bearer"} if status == 401 else None,
    )


async def fetch_delivery_file(request: Request) -> Response:
    platform = request.app.state.platform
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return _error(
            401, "daxil olun / sign in required (Authorization: Bearer)", "UNAUTHENTICATED"
        )
    try:
        principal = await request.app.state.auth.authenticate(
            platform, token.strip(), client_address(request.scope)
        )
    except Unauthenticated as exc:
        return _error(401, exc.message, exc.code)
    try:
        stored, data = await reads.delivered_file(
            platform, principal, str(request.path_params["entry_id"])
        )
    except (NotFound, Forbidden) as exc:
        return _error(404, exc.message, "NOT_FOUND")
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in stored.filename
    )
    return Response(
        data,
        media_type=stored.content_type,
        headers={
            "content-disposition": (
                f'attachment; filename="{fallback or "file"}"; '
                f"filename*=UTF-8''{quote(stored.filename, safe='')}"
            ),
            "x-content-sha256": stored.sha256,
            "cache-control": "private, no-store",
            "x-content-type-options": "nosniff",
            "content-security-policy": "sandbox; default-src 'none'",
        },
    )


def delivery_routes() -> list[Route]:
    return [Route("/edms/deliveries/{entry_id}/file", fetch_delivery_file, methods=["GET"])]
