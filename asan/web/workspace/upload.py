"""Page forms that carry a file: read without ever reading past the file limit.

The pages' ordinary forms are read at most 64 KiB (``asan.web.session.csrf``); a registration
with its scan or a new file version is larger, so a multipart form gets the files part's own
limit (``multipart_body_limit``: the file limit plus room for the other fields). A declared
``Content-Length`` beyond it is refused before a byte of the body is read; a chunked body is
read while it arrives and cut off (413) as soon as it passes the limit, so a too large upload
stops with the message instead of being read whole. The CSRF token is checked like every page
POST's, from the multipart fields. The page itself knows the limit too (``data-max-bytes``)
and the browser refuses a too large file before sending it.
"""

from __future__ import annotations

import hmac
from collections.abc import AsyncGenerator
from dataclasses import dataclass

from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request
from starlette.responses import Response

from asan.edms.files.http import is_multipart, multipart_body_limit
from asan.edms.files.settings import files_settings
from asan.web.i18n import Lang
from asan.web.rendering import render
from asan.web.session.cookies import CSRF_FIELD
from asan.web.session.csrf import MAX_FORM_BYTES, MAX_FORM_FIELDS, csrf_token, posted_form, refusal

MIB = 1024 * 1024


class UploadTooLarge(Exception):
    pass


@dataclass(frozen=True)
class PostedFile:
    data: bytes
    filename: str
    content_type: str | None


def size_label(size: int) -> str:
    """The limit as people say it (``50 MB``), the same in every language."""
    return f"{size / MIB:.0f} MB" if size >= MIB else f"{max(1, size // 1024)} KB"


def too_large(request: Request, lang: Lang) -> Response:
    """413 in the page's language, naming the file limit."""
    return render(
        request,
        lang,
        "workspace/too_large.html",
        {"csrf_token": csrf_token(request), "limit": size_label(files_settings().max_bytes)},
        status_code=413,
    )


async def _limited(request: Request, limit: int) -> AsyncGenerator[bytes, None]:
    seen = 0
    async for chunk in request.stream():
        seen += len(chunk)
        if seen > limit:
            raise UploadTooLarge
        yield chunk


def declared_too_large(request: Request) -> bool:
    declared = request.headers.get("content-length", "")
    return declared.isdigit() and int(declared) > multipart_body_limit()


async def file_form(request: Request, lang: Lang) -> FormData | Response:
    """The CSRF-checked form, multipart (with at most one file) or urlencoded, or the page to
    answer with instead (413 too large, 403 CSRF refused or a malformed body)."""
    if not is_multipart(request.scope):
        return await posted_form(request, lang)
    if declared_too_large(request):  # before reading anything
        return too_large(request, lang)
    parser = MultiPartParser(
        request.headers,
        _limited(request, multipart_body_limit()),
        max_files=1,
        max_fields=MAX_FORM_FIELDS,
        max_part_size=MAX_FORM_BYTES,
    )
    try:
        form = await parser.parse()
    except UploadTooLarge:
        return too_large(request, lang)
    except MultiPartException:
        return refusal(request, lang)
    sent = form.get(CSRF_FIELD)
    expected = csrf_token(request)
    if (
        not isinstance(sent, str)
        or not expected
        or not hmac.compare_digest(sent.encode(), expected.encode())
    ):
        await form.close()
        return refusal(request, lang)
    return form


async def posted_file(form: FormData, name: str = "file") -> PostedFile | None:
    """The form's file, or None when none was chosen (a browser sends an empty part)."""
    part = form.get(name)
    if not isinstance(part, UploadFile):
        return None
    limit = files_settings().max_bytes
    data = await part.read(limit + 1)
    await part.close()
    if not part.filename and not data:
        return None
    return PostedFile(data, part.filename or "", part.content_type)
