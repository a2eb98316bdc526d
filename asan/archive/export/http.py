"""Package downloads: ``GET /archive/exports/{id}/bag.tar`` with ``Authorization: Bearer``.

The read policy is checked on every request (archivists and registrars, cleared for the
case's strictest classification; others get 404 for a secret case's export, 403 otherwise).
The .tar is streamed from the export directory, never read whole into memory; its SHA-256
(recorded when it was packed) is sent as ``x-asan-sha256`` and as the ETag.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from asan.archive.export.models import DONE, DOWNLOAD_PREFIX
from asan.archive.export.use_cases import read_export
from asan.auth.middleware import client_address
from asan.core.errors import Forbidden, NotFound, Unauthenticated
from asan.core.platform import Platform


def _error(status: int, message: str, code: str) -> Response:
    return JSONResponse(
        {"error": message, "errors": [{"message": message, "extensions": {"code": code}}]},
        status_code=status,
        headers={"www-authenticate": "Bearer"} if status == 401 else None,
    )


async def download(request: Request) -> Response:
    platform: Platform = request.app.state.platform
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return _error(
            401, "daxil olun / sign in required (Authorization: Bearer)", "UNAUTHENTICATED"
        )
    try:
        principal = await request.app.state.auth.authenticate(
            platform, token.strip(), client_address(request.scope)
        )
        export = await read_export(platform, principal, request.path_params["export_id"])
    except Unauthenticated as exc:
        return _error(401, exc.message, exc.code)
    except NotFound as exc:
        return _error(404, exc.message, exc.code)
    except Forbidden as exc:
        return _error(403, exc.message, exc.code)
    path = Path(export.path) if export.path else None
    if export.status != DONE or path is None or not path.is_file():
        return _error(
            404,
            f"ixrac {export.id} hazır deyil və ya paket yoxdur / export {export.id} is not done "
            "or its package is gone",
            "NOT_FOUND",
        )
    name = f"{export.index}_{export.year}_{export.id}.tar"
    return FileResponse(
        path,
        media_type="application/x-tar",
        filename=name,
        headers={
            "cache-control": "private, no-store",
            "x-content-type-options": "nosniff",
            "etag": f'"{export.sha256}"',
            "x-asan-sha256": export.sha256 or "",
        },
    )


def export_route() -> Route:
    return Route(DOWNLOAD_PREFIX + "{export_id}/bag.tar", download, methods=["GET"])
