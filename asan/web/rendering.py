"""Jinja2 for the pages: one environment, autoescaped, with the language and its messages.

Every page extends ``templates/base.html`` (skip link, header with navigation and the
language switch, ``<main id="main">``); ``render`` gives each template ``lang``, ``t`` (the
message lookup), ``path_in`` (this page's URL in another language) and ``request``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from asan.web.i18n import LANGS, Lang, translate

TEMPLATES = Path(__file__).parent / "templates"


@cache
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(("html",), default=True),
        undefined=StrictUndefined,  # a missing variable fails the test, not the citizen
        trim_blocks=True,
        lstrip_blocks=True,
    )


def path_in(request: Request, lang: Lang) -> str:
    """This page's path and query in ``lang`` (the first segment swapped)."""
    parts = request.url.path.split("/", 2)
    rest = parts[2] if len(parts) > 2 else ""
    query = f"?{request.url.query}" if request.url.query else ""
    return f"/{lang}/{rest}{query}"


def render(
    request: Request,
    lang: Lang,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    page = environment().get_template(template)
    html = page.render(
        request=request,
        lang=lang,
        langs=LANGS,
        t=lambda key, **values: translate(lang, key, **values),
        path_in=lambda other: path_in(request, other),
        **(context or {}),
    )
    return HTMLResponse(html, status_code=status_code, headers=dict(headers or {}))
