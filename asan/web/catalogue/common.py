"""What every catalogue page shares: the language, the caller, input checks, names per language.

Query-string input is checked here, once, so a page answers a bad value with a message in its
own language instead of a 500 (and never hands an unbounded string to Cypher).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Protocol

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse

from asan.auth.middleware import principal_of
from asan.auth.principal import Principal
from asan.core.platform import Platform
from asan.core.text import has_control_chars, normalize
from asan.web.i18n import LANGS, Lang, lang_of
from asan.web.rendering import render

MAX_QUERY: Final = 200  # characters of a search; longer input is refused with a message
MAX_PAGE: Final = 50  # deepest result page a link may ask for (keyset read of page x size)
CODE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


class Named(Protocol):
    @property
    def name_az(self) -> str: ...
    @property
    def name_en(self) -> str: ...
    @property
    def name_ru(self) -> str: ...


@dataclass(frozen=True)
class Caller:
    lang: Lang
    platform: Platform
    principal: Principal


def caller(request: Request) -> Caller:
    """The page's language (404 for anything but az/en/ru) and who is asking."""
    lang = request.path_params.get("lang")
    if lang not in LANGS:
        raise HTTPException(404)
    platform: Platform = request.app.state.platform
    return Caller(lang_of(lang), platform, principal_of(request.state))


def name_in(item: Named, lang: Lang) -> str:
    """The name in the page's language, the Azerbaijani name where that one is missing."""
    text = {"az": item.name_az, "en": item.name_en, "ru": item.name_ru}[lang]
    return text or item.name_az


def checked_query(raw: str | None) -> tuple[str | None, str | None]:
    """(search text or None, message key or None): control characters or an over-long text
    are refused, the rest normalised (NFC, trimmed)."""
    if raw is None:
        return None, None
    if len(raw) > MAX_QUERY:
        return None, "catalogue.error.too_long"
    if has_control_chars(raw):
        return None, "catalogue.error.control"
    text = normalize(raw).strip()
    return (text or None), None


def checked_code(raw: str | None) -> tuple[str | None, bool]:
    """(code or None, ok): an empty value means no filter; a malformed one is refused."""
    if not raw:
        return None, True
    if CODE.fullmatch(raw) is None:
        return None, False
    return raw, True


def checked_page(raw: str | None) -> int:
    if raw is None or not raw.isdigit():
        return 1
    return min(max(int(raw), 1), MAX_PAGE)


def not_found(request: Request, lang: Lang) -> HTMLResponse:
    return render(request, lang, "catalogue/not_found.html", status_code=404)
