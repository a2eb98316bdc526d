"""The pages' routes, mounted by ``asan.app.create_app`` beside GraphQL.

Each part of the web interface is a module with ``ROUTES: list[BaseRoute]`` listed in
``PARTS`` (public catalogue, sessions, workspace, ...), all under ``/{lang}/``. Front-end
files come from the project (``static/``) and from npm's lock (``web/node_modules``: only
the files named in ``VENDOR`` are served), never from a CDN.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import Final

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from asan.web.i18n import DEFAULT_LANG, LANGS, lang_of
from asan.web.rendering import render

ROOT: Final = Path(__file__).resolve().parents[2]
STATIC: Final = Path(__file__).parent / "static"
NODE_MODULES: Final = ROOT / "web" / "node_modules"
# The third-party files the pages may load: URL name -> file under web/node_modules.
VENDOR: Final = {
    "htmx.min.js": "htmx.org/dist/htmx.min.js",
}
# Modules with ``ROUTES`` (each part of the interface adds its line).
PARTS: Final[tuple[str, ...]] = (
    "asan.web.catalogue.routes",  # public catalogue (docs/web-catalogue.md)
    "asan.web.session.pages",  # sign-in, sign-out (docs/web-workspace.md)
    "asan.web.workspace.pages",  # the clerks' inbox, a document's page (docs/web-workspace.md)
    "asan.web.approvals.pages",  # drafts, the visa and signature queue (docs/web-approvals.md)
    "asan.web.dispatch.pages",  # mailing lists, dispatch register, copies (docs/web-dispatch.md)
    "asan.web.appeals.pages",  # citizens' appeals and the reception (docs/web-appeals.md)
    "asan.web.reports.pages",  # reports with charts and downloads (docs/web-reports.md)
    "asan.web.archive.pages",  # the archive: cases, holds, disposal... (docs/web-archive.md)
    "asan.web.registry.routes",  # state bodies' drafts and change requests (docs/web-registry.md)
)
CACHE_VENDOR: Final = "public, max-age=86400"


async def root(request: Request) -> Response:
    return RedirectResponse(f"/{DEFAULT_LANG}/", status_code=302)


async def home(request: Request) -> Response:
    return render(request, lang_of(request.url.path.strip("/")), "home.html")


async def vendor(request: Request) -> Response:
    name = request.path_params["name"]
    relative = VENDOR.get(name)
    if relative is None:
        raise HTTPException(404)
    path = NODE_MODULES / relative
    if not path.is_file():  # `make install` runs `npm ci` in web/
        raise HTTPException(503, "front-end files are not installed (make install)")
    return FileResponse(path, headers={"cache-control": CACHE_VENDOR})


def web_routes() -> list[BaseRoute]:
    parts: list[BaseRoute] = []
    for name in PARTS:
        parts.extend(import_module(name).ROUTES)
    return [
        Route("/", root, methods=["GET"]),
        Mount("/static/web", app=StaticFiles(directory=STATIC), name="web-static"),
        Route("/static/vendor/{name}", vendor, methods=["GET"]),
        *parts,
        # one route per language, not "/{lang}/": a path parameter would also match "/app.py/",
        # and Starlette's trailing-slash redirect would then answer 307 for any unknown "/x"
        *(Route(f"/{lang}/", home, methods=["GET"]) for lang in LANGS),
    ]
