"""Registering a document from the page (card, field errors in the page's language, the scan
sent multipart), adding a file from the document's page, and a too large upload refused before
it is read, against the real app, Neo4j and MinIO with the EDMS test world."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from markupsafe import escape

from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource
from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.edms.documents.models import DocumentCard
from asan.edms.documents.use_cases import create_document_in_unit
from asan.edms.files.http import multipart_body_limit
from asan.edms.files.settings import files_settings
from asan.web.i18n import translate
from tests.edms.conftest import World, make_world
from tests.edms.files_support import pdf_with_text
from tests.edms.resolutions_support import registered
from tests.web.session_support import browser, csrf_of, sign_in

CARD = {
    "subject": "Vergi yoxlaması haqqında məktub",
    "summary": "İzahat istənilir.",
    "unit": "DEPT-IT",
    "caseIndex": "",
    "channel": "mail",
    "language": "az",
    "classification": "public",
    "pages": "3",
    "attachments": "1",
    "correspondentKind": "state_body",
    "correspondentBody": "MIN-TAX",
    "correspondentName": "",
    "correspondentNumber": "7/88",
    "correspondentDate": "2026-11-20",
}


@pytest.fixture(scope="module")
async def world(
    migrated_platform: Platform, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[World]:
    made = await make_world(migrated_platform, settings, tmp_path_factory.mktemp("web-docs"))
    yield made
    await made.client.aclose()


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """A file limit of 200 KB (and 16 KiB for the other fields) for the too-large tests."""
    monkeypatch.setenv("ASAN_EDMS_FILES_MAX_BYTES", str(200 * 1024))
    monkeypatch.setenv("ASAN_EDMS_FILES_MULTIPART_OVERHEAD_BYTES", str(16 * 1024))
    files_settings.cache_clear()
    yield multipart_body_limit()
    monkeypatch.undo()
    files_settings.cache_clear()


async def documents_with_subject(world: World, subject: str) -> list[str]:
    rows = await world.platform.db.read(
        "MATCH (d:Document {subject: $s}) RETURN d.id AS id", {"s": subject}
    )
    return [r["id"] for r in rows]


async def test_a_registrar_registers_a_document_with_its_scan_once(world: World) -> None:
    async with browser(world) as client:
        await sign_in(client, "registrar")
        inbox = await client.get("/en/workspace")
        assert 'href="/en/documents/new"' in inbox.text
        form = await client.get("/en/documents/new")
        assert form.status_code == 200
        assert f'data-max-bytes="{files_settings().max_bytes}"' in form.text
        assert 'type="file"' in form.text and "<progress" in form.text
        mutation_id = uuid.uuid4().hex
        fields = {**CARD, "csrf_token": csrf_of(form.text), "client_mutation_id": mutation_id}
        scan = pdf_with_text("skan")
        files = {"file": ("məktub.pdf", scan, "application/pdf")}
        first = await client.post("/en/documents/new", data=fields, files=files)
        again = await client.post("/en/documents/new", data=fields, files=files)
        assert first.status_code == again.status_code == 303
        assert first.headers["location"] == again.headers["location"]  # registered once
        page = await client.get(first.headers["location"])
    assert page.status_code == 200
    assert CARD["subject"] in page.text and "məktub.pdf" in page.text
    assert re.search(r"G-\d+/\d{4}", page.text)  # the incoming journal's number
    assert len(await documents_with_subject(world, CARD["subject"])) == 1


@pytest.mark.parametrize(
    ("lang", "required", "body_needed"),
    [
        ("az", "Bu sahə doldurulmalıdır.", "dövlət orqanının kodu lazımdır"),
        ("en", "This field is required.", "a state body's code is required"),
        ("ru", "Это поле обязательно.", "Ошибка: a state body's code is required"),
    ],
)
async def test_a_wrong_card_is_answered_next_to_each_field_in_the_pages_language(
    world: World, lang: str, required: str, body_needed: str
) -> None:
    async with browser(world) as client:
        await sign_in(client, "registrar", lang=lang)
        form = await client.get(f"/{lang}/documents/new")
        wrong = {
            **CARD,
            "subject": " ",
            "pages": "üç",
            "correspondentBody": "",
            "summary": "saxlanılan mətn",
            "csrf_token": csrf_of(form.text),
            "client_mutation_id": uuid.uuid4().hex,
        }
        answer = await client.post(f"/{lang}/documents/new", data=wrong)
    assert answer.status_code == 400
    html = answer.text
    assert re.search(r'id="f-subject-error"[^>]*>' + re.escape(required), html)
    number = translate(lang, "documents.error.number")  # type: ignore[arg-type]
    assert re.search(r'id="f-pages-error"[^>]*>' + re.escape(number), html)
    assert re.search(
        r'id="f-correspondentBody-error"[^>]*>' + re.escape(str(escape(body_needed))), html
    )
    assert 'aria-describedby="f-subject-error"' in html
    assert "saxlanılan mətn" in html  # what was typed is kept


async def test_registration_is_refused_to_a_user_the_policy_forbids(world: World) -> None:
    subject = "İcazəsiz qeydiyyat cəhdi"
    async with browser(world) as client:
        await sign_in(client, "executor1")
        inbox = await client.get("/en/workspace")
        main = inbox.text.split('<main id="main"', 1)[1]  # the header's menu lists every area
        assert 'href="/en/documents/new"' not in main
        form = await client.get("/en/documents/new")
        assert translate("en", "documents.new.forbidden") in form.text
        assert 'action="/en/documents/new"' not in form.text  # no form for them
        answer = await client.post(
            "/en/documents/new",
            data={**CARD, "subject": subject, "csrf_token": csrf_of(form.text)},
        )
    assert answer.status_code == 403
    assert translate("en", "documents.new.forbidden") in answer.text
    assert await documents_with_subject(world, subject) == []


async def test_a_file_added_on_the_documents_page_is_listed(world: World) -> None:
    document = await registered(world, "Əlavə fayl üçün sənəd")
    async with browser(world) as client:
        await sign_in(client, "registrar")
        page = await client.get(f"/en/documents/{document}")
        assert 'id="upload-form"' in page.text
        answer = await client.post(
            f"/en/documents/{document}/files",
            data={"csrf_token": csrf_of(page.text), "role": "attachment"},
            files={"file": ("əlavə.pdf", pdf_with_text("elave"), "application/pdf")},
        )
        assert answer.status_code == 303
        empty = await client.post(
            f"/en/documents/{document}/files",
            data={"csrf_token": csrf_of(page.text), "role": "attachment"},
            files={"file": ("", b"", "application/octet-stream")},
        )
        after = await client.get(f"/en/documents/{document}")
    assert "əlavə.pdf" in after.text
    assert empty.status_code == 400
    assert translate("en", "documents.upload.required") in empty.text
    rows = await world.platform.db.read(
        "MATCH (f:DocumentFile {documentId: $id}) RETURN f.role AS role, f.filename AS name",
        {"id": document},
    )
    assert [(r["role"], r["name"]) for r in rows] == [("attachment", "əlavə.pdf")]


class Body:
    """A multipart body that records how much of it the server asked for."""

    def __init__(self, csrf: str, file_bytes: int, chunk: int = 64 * 1024) -> None:
        self.boundary = "b" + uuid.uuid4().hex
        self.head = (
            f"--{self.boundary}\r\n"
            'Content-Disposition: form-data; name="csrf_token"\r\n\r\n'
            f"{csrf}\r\n--{self.boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        self.tail = f"\r\n--{self.boundary}--\r\n".encode()
        self.file_bytes = file_bytes
        self.chunk = chunk
        self.consumed = 0

    @property
    def total(self) -> int:
        return len(self.head) + self.file_bytes + len(self.tail)

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary}"

    async def stream(self) -> AsyncIterator[bytes]:
        parts = [self.head]
        left = self.file_bytes
        while left > 0:
            parts.append(b"%PDF" + b"0" * (min(self.chunk, left) - 4))
            left -= self.chunk
        parts.append(self.tail)
        for part in parts:
            self.consumed += len(part)
            yield part


async def _refused_early(world: World, body: Body, headers: dict[str, str]) -> httpx.Response:
    document = await registered(world, "Böyük fayl üçün sənəd " + uuid.uuid4().hex[:6])
    async with browser(world) as client:
        await sign_in(client, "registrar", lang="az")
        page = await client.get(f"/az/documents/{document}")
        body.head = body.head.replace(b"CSRF", csrf_of(page.text).encode())
        answer = await client.post(
            f"/az/documents/{document}/files",
            content=body.stream(),
            headers={"content-type": body.content_type, **headers},
        )
    files = await world.platform.db.read(
        "MATCH (f:DocumentFile {documentId: $id}) RETURN count(f) AS n", {"id": document}
    )
    assert files[0]["n"] == 0
    return answer


async def test_a_too_large_upload_is_refused_by_its_length_before_reading(
    world: World, small_limit: int
) -> None:
    body = Body("CSRF", file_bytes=small_limit * 4)
    answer = await _refused_early(world, body, {"content-length": str(body.total)})
    assert answer.status_code == 413
    assert "Fayl çox böyükdür" in answer.text and "200 KB" in answer.text
    assert body.consumed == 0  # not a byte of the body was read


async def test_a_chunked_upload_is_cut_off_once_past_the_limit(
    world: World, small_limit: int
) -> None:
    body = Body("CSRF", file_bytes=small_limit * 4)
    answer = await _refused_early(world, body, {})
    assert answer.status_code == 413
    assert "Fayl çox böyükdür" in answer.text
    assert small_limit < body.consumed <= small_limit + 2 * body.chunk
    assert body.consumed < body.total


async def test_a_document_received_electronically_is_registered_from_its_card(
    world: World,
) -> None:
    async def arrive(m: Mutation) -> str:
        card = DocumentCard(
            kind="incoming",
            subject="Elektron gələn sorğu",
            correspondent_kind="state_body",
            correspondent_body="MIN-JUSTICE",
            channel="electronic",
        )
        return await create_document_in_unit(m, card, status="received")

    received = await run_mutation(
        world.platform,
        world.principal("registrar"),
        "edms.document.register",
        Resource("Document"),
        arrive,
    )
    async with browser(world) as client:
        await sign_in(client, "registrar")
        page = await client.get(f"/en/documents/{received}")
        link = f'href="/en/documents/new?document={received}"'
        assert link in page.text
        form = await client.get(f"/en/documents/new?document={received}")
        assert 'value="Elektron gələn sorğu"' in form.text and 'value="MIN-JUSTICE"' in form.text
        fields = {
            **CARD,
            "subject": "Elektron gələn sorğu (tamamlandı)",
            "correspondentBody": "MIN-JUSTICE",
            "channel": "electronic",
            "document_id": received,
            "csrf_token": csrf_of(form.text),
        }
        done = await client.post(
            "/en/documents/new", data={**fields, "client_mutation_id": uuid.uuid4().hex}
        )
        stale = await client.post(
            "/en/documents/new", data={**fields, "client_mutation_id": uuid.uuid4().hex}
        )
        after = await client.get(f"/en/documents/{received}")
    assert done.status_code == 303 and done.headers["location"] == f"/en/documents/{received}"
    assert stale.status_code == 409
    assert translate("en", "documents.error.stale") in stale.text
    assert "Elektron gələn sorğu (tamamlandı)" in after.text and link not in after.text
    assert re.search(r"G-\d+/\d{4}", after.text)
