"""The HTTP edges of document files: the download route and the multipart upload guards.

Downloads: ``GET /edms/files/{id}/content`` with ``Authorization: Bearer``; the document's
read policy is checked on every request (no public bucket, no pre-signed URL that outlives a
revocation), and an unreadable file is 404 like a missing one.

Uploads (GraphQL multipart request spec): a ``multipart/form-data`` POST is a "simple" request
a foreign web page could send with the user's cookies, without a CORS preflight. The API
refuses one that carries none of ``PREFLIGHT_HEADERS`` (400): a browser only sends a custom
header after a preflight that CORS allows, which closes that door even if a future change
adds cookie sessions. The size limit is enforced while the body streams (``asan.app``'s body
limit for multipart requests is ``multipart_body_limit``), so an oversized upload is cut off
with 413 before it is read whole.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Scope

from asan.auth.middleware import client_address, principal_of
from asan.core.errors import NotFound, Unauthenticated
from asan.core.platform import Platform
from asan.edms.files import reads
from asan.edms.files.models import DOWNLOAD_PREFIX
from asan.edms.files.settings import files_settings

# any one of these, with a non-empty value, marks a request a browser preflighted
PREFLIGHT_HEADERS: Final[tuple[bytes, ...]] = (
    b"apollo-require-preflight",
    b"x-apollo-operation-name",
    b"x-asan-csrf",
)
CSRF_MESSAGE: Final = (
    "multipart sorğu 'Apollo-Require-Preflight' və ya 'X-Asan-CSRF' başlığı ilə göndərilməlidir "
    "/ multipart requests must carry an 'Apollo-Require-Preflight' or 'X-Asan-CSRF' header "
    "(CSRF prevention)"
)


def is_multipart(scope: Scope) -> bool:
    headers: dict[bytes, bytes] = dict(scope.get("headers") or [])
    return headers.get(b"content-type", b"").lstrip().lower().startswith(b"multipart/")


def multipart_refusal(scope: Scope) -> str | None:
    """Why a multipart request is refused before its body is read, or None."""
    if scope.get("method") != "POST" or not is_multipart(scope):
        return None
    headers = dict(scope.get("headers") or [])
    if any(headers.get(name, b"").strip() for name in PREFLIGHT_HEADERS):
        return None
    return CSRF_MESSAGE


def multipart_body_limit() -> int:
    """The largest multipart body: the file limit plus room for the operations and map parts."""
    settings = files_settings()
    return settings.max_bytes + settings.multipart_overhead_bytes


def _error(status: int, message: str, code: str) -> Response:
    return JSONResponse(
        {"error": message, "errors": [{"message": message, "extensions": {"code": code}}]},
        status_code=status,
        headers={"www-authenticate": "Bearer"} if status == 401 else None,
    )


def _disposition(filename: str) -> str:
    """RFC 6266: an ASCII fallback and the UTF-8 name (Azerbaijani letters) percent-encoded."""
    fallback = (
        "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename)
        or "file"
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


async def download(request: Request) -> Response:
    platform: Platform = request.app.state.platform
    authorization = request.headers.get("authorization", "")
    scheme, _, token = authorization.partition(" ")
    # without a bearer token: the pages' session cookie, resolved by asan/web/session
    principal = principal_of(request.state)
    if authorization or not principal.is_authenticated:
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
    file_id = request.path_params["file_id"]
    try:
        stored = await reads.readable_file(platform, principal, file_id)
    except NotFound as exc:
        return _error(404, exc.message, exc.code)
    try:
        data = await reads.read_bytes(platform, stored)
    except reads.FileDestroyed as exc:
        return _error(410, exc.message, exc.code)
    return Response(
        data,
        media_type=stored.content_type,
        headers={
            "content-disposition": _disposition(stored.filename),
            "x-content-type-options": "nosniff",
            "content-security-policy": "sandbox; default-src 'none'",
            "cache-control": "private, no-store",
            "etag": f'"{stored.sha256}"',
            "x-asan-sha256": stored.sha256,
        },
    )


def download_route() -> Route:
    return Route(DOWNLOAD_PREFIX + "{file_id}/content", download, methods=["GET"])
