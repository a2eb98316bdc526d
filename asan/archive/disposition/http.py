"""The act's PDF: ``GET /archive/destruction-acts/{act}.pdf`` with ``Authorization: Bearer``.

``{act}`` is the act's id or number. A signed act answers with the signed PDF exactly as
stored (its SHA-256 checked on the way out); a draft with the PDF the signer will be shown,
rendered now. The disposition read policy is checked on every request.
"""

from __future__ import annotations

from typing import Final

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from asan.archive.disposition.acts import act_pdf_bytes
from asan.archive.disposition.reads import read_act
from asan.auth.middleware import client_address
from asan.core.errors import DomainError, Forbidden, NotFound, Unauthenticated
from asan.core.platform import Platform

PREFIX: Final = "/archive/destruction-acts/"


def pdf_path(act_id: str) -> str:
    return f"{PREFIX}{act_id}.pdf"


def _error(status: int, message: str, code: str) -> Response:
    return JSONResponse(
        {"error": message, "errors": [{"message": message, "extensions": {"code": code}}]},
        status_code=status,
        headers={"www-authenticate": "Bearer"} if status == 401 else None,
    )


async def download(request: Request) -> Response:
    platform: Platform = request.app.state.platform
    act_id = request.path_params["act"]
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return _error(
            401, "daxil olun / sign in required (Authorization: Bearer)", "UNAUTHENTICATED"
        )
    try:
        principal = await request.app.state.auth.authenticate(
            platform, token.strip(), client_address(request.scope)
        )
        act = await read_act(platform, principal, act_id)
        if act is None:
            raise NotFound(f"akt {act_id[:60]} tapılmadı / destruction act not found")
        data = await act_pdf_bytes(platform, act)
    except Unauthenticated as exc:
        return _error(401, exc.message, exc.code)
    except Forbidden as exc:
        return _error(403, exc.message, exc.code)
    except NotFound as exc:
        return _error(404, exc.message, exc.code)
    except DomainError as exc:
        return _error(400, exc.message, exc.code)
    return Response(
        data,
        media_type="application/pdf",
        headers={
            "content-disposition": f'attachment; filename="{act.number}.pdf"',
            "cache-control": "private, no-store",
            "x-content-type-options": "nosniff",
        },
    )


def act_pdf_route() -> Route:
    return Route(PREFIX + "{act}.pdf", download, methods=["GET"])
