"""The inbox and a document's page, signed in through the form, against the real app, Neo4j
and MinIO with the EDMS test world: a clerk sees the task the head gave them, with its deadline
in words; the document's page shows its card, file (downloadable with the page session),
resolution and timeline; a user of another unit gets the 404 page; nobody signed in is sent to
the sign-in page."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.web.i18n import translate
from tests.edms.conftest import World, make_world
from tests.edms.files_support import pdf_with_text, upload
from tests.edms.resolutions_support import registered, write
from tests.web.session_support import browser, csrf_of, sign_in


@dataclass
class Case:
    world: World
    document: str
    reg_number: str
    instruction: str
    file_id: str
    file_bytes: bytes


@pytest.fixture(scope="module")
async def case(
    migrated_platform: Platform, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Case]:
    world = await make_world(migrated_platform, settings, tmp_path_factory.mktemp("web-ws"))
    document = await registered(world, "Vergi bəyannaməsi haqqında sorğu")
    instruction = "Araşdırın və cavab hazırlayın."
    payload = await write(
        world,
        "head",
        documentId=document,
        mainExecutor="executor1",
        instruction=instruction,
        workingDays=2,
    )
    assert payload["userErrors"] == []
    reg_number = payload["resolution"]["document"]["regNumber"]
    data = pdf_with_text("skan")
    response = await upload(world.client, world.tokens["registrar"], {"documentId": document}, data)
    file_id = response.json()["data"]["uploadDocumentFile"]["file"]["id"]
    yield Case(world, document, reg_number, instruction, file_id, data)
    await world.client.aclose()


async def test_the_clerk_sees_the_task_in_the_inbox_with_its_deadline_in_words(
    case: Case,
) -> None:
    async with browser(case.world) as client:
        await sign_in(client, "executor1", lang="az")
        page = await client.get("/az/workspace")
    assert page.status_code == 200
    html = page.text
    assert translate("az", "workspace.list.mine") in html
    assert f'href="/az/documents/{case.document}"' in html
    assert case.reg_number in html and case.instruction in html
    # two working days ahead: amber or later, never colour alone (the words say it)
    assert "deadline-soon" in html or "deadline-later" in html or "deadline-today" in html
    assert "gün qalıb" in html or translate("az", "workspace.deadline.today") in html


async def test_another_clerks_inbox_does_not_list_it(case: Case) -> None:
    async with browser(case.world) as client:
        await sign_in(client, "outsider")
        page = await client.get("/en/workspace")
    assert page.status_code == 200
    assert case.document not in page.text
    assert translate("en", "workspace.empty") in page.text


async def test_the_document_page_shows_card_file_resolution_and_timeline(case: Case) -> None:
    async with browser(case.world) as client:
        await sign_in(client, "executor1")
        page = await client.get(f"/en/documents/{case.document}")
        assert page.status_code == 200
        html = page.text
        assert case.reg_number in html and "Vergi bəyannaməsi haqqında sorğu" in html
        assert "MIN-TAX" in html and "12/345" in html  # the card's correspondent
        assert case.instruction in html  # the resolution
        assert translate("en", "document.timeline") in html
        timeline = html[html.index('id="timeline-heading"') :]
        steps = ("create", "register", "resolve")  # in the page's words, oldest first
        places = [timeline.index(f" · {translate('en', 'document.step.' + s)} · ") for s in steps]
        assert places == sorted(places)
        assert f"<dd>{translate('en', 'document.state.in_execution')}</dd>" in html
        link = f'href="/edms/files/{case.file_id}/content"'
        assert link in html
        # the link works in a browser: the page session, no bearer header
        download = await client.get(f"/edms/files/{case.file_id}/content")
        assert download.status_code == 200 and download.content == case.file_bytes


async def test_another_units_user_gets_the_not_found_page(case: Case) -> None:
    async with browser(case.world) as client:
        await sign_in(client, "outsider")
        page = await client.get(f"/az/documents/{case.document}")
        assert page.status_code == 404
        assert translate("az", "workspace.not_found.title") in page.text
        assert case.reg_number not in page.text
        missing = await client.get("/az/documents/no-such-document")
        assert missing.status_code == 404 and missing.text.count("<h1>") == 1
        # and the file is not theirs to download either
        download = await client.get(f"/edms/files/{case.file_id}/content")
        assert download.status_code == 404


async def test_without_a_session_the_pages_send_to_sign_in(case: Case) -> None:
    async with browser(case.world) as client:
        inbox = await client.get("/ru/workspace")
        page = await client.get(f"/ru/documents/{case.document}")
        download = await client.get(f"/edms/files/{case.file_id}/content")
    assert inbox.status_code == 303 and inbox.headers["location"] == "/ru/signin?next=/ru/workspace"
    assert page.status_code == 303
    assert page.headers["location"] == f"/ru/signin?next=/ru/documents/{case.document}"
    assert download.status_code == 401


REPORT_FORM = re.compile(
    r'action="(/en/tasks/[^"]+/report)".*?name="client_mutation_id" value="([^"]+)"', re.S
)


async def test_the_executor_reports_their_part_through_the_form_once(case: Case) -> None:
    world = case.world
    document = await registered(world, "Hesabat üçün sənəd")
    payload = await write(
        world,
        "head",
        documentId=document,
        mainExecutor="executor2",
        instruction="İcra edin.",
        workingDays=3,
    )
    assert payload["userErrors"] == []
    async with browser(world) as client:
        await sign_in(client, "executor2")
        page = await client.get(f"/en/documents/{document}")
        found = REPORT_FORM.search(page.text)
        assert found is not None, "the executor's open part has a report form"
        action, mutation_id = found.groups()
        form = {
            "csrf_token": csrf_of(page.text),
            "document_id": document,
            "client_mutation_id": mutation_id,
        }
        # an empty report: the message next to the field, in the page's language
        empty = await client.post(action, data={**form, "report": "  "})
        assert empty.status_code == 400
        assert translate("en", "workspace.report.error.required") in empty.text
        assert 'aria-invalid="true"' in empty.text
        # without the CSRF token: refused, nothing reported
        forged = await client.post(action, data={**form, "csrf_token": "", "report": "x"})
        assert forged.status_code == 403
        done = await client.post(action, data={**form, "report": "Cavab göndərildi."})
        assert done.status_code == 303
        assert done.headers["location"].startswith(f"/en/documents/{document}#task-")
        # the same form sent again (a double click): the same answer, reported once
        again = await client.post(action, data={**form, "report": "Cavab göndərildi."})
        assert again.status_code == 303
        after = await client.get(f"/en/documents/{document}")
        assert "Cavab göndərildi." in after.text and REPORT_FORM.search(after.text) is None
        # a stale form (another id, rendered before the report): says so, changes nothing
        stale = await client.post(
            action, data={**form, "client_mutation_id": "another", "report": "Yenə"}
        )
        assert stale.status_code == 409
        assert translate("en", "workspace.report.error.stale") in stale.text
    rows = await world.platform.db.read(
        "MATCH (t:ExecutionTask {documentId: $id}) RETURN t.status AS status, t.report AS report",
        {"id": document},
    )
    assert rows == [{"status": "reported", "report": "Cavab göndərildi."}]
    reports = await world.platform.db.read(
        "MATCH (e:DocumentEvent {documentId: $id, step: 'report'}) RETURN count(e) AS n",
        {"id": document},
    )
    assert reports[0]["n"] == 1


EXTENSION_FORM = re.compile(
    r'action="(/az/tasks/[^"]+/extension)".*?name="client_mutation_id" value="([^"]+)"', re.S
)


async def test_the_executor_asks_for_a_later_deadline_through_the_form(case: Case) -> None:
    world = case.world
    document = await registered(world, "Uzadılma üçün sənəd")
    payload = await write(
        world,
        "head",
        documentId=document,
        mainExecutor="executor2",
        instruction="Yoxlayın.",
        workingDays=3,
    )
    deadline = date.fromisoformat(payload["resolution"]["deadline"])
    async with browser(world) as client:
        await sign_in(client, "executor2", lang="az")
        page = await client.get(f"/az/documents/{document}")
        found = EXTENSION_FORM.search(page.text)
        assert found is not None
        action, mutation_id = found.groups()
        form = {
            "csrf_token": csrf_of(page.text),
            "document_id": document,
            "client_mutation_id": mutation_id,
        }
        bad = await client.post(action, data={**form, "deadline": "sabah", "reason": "İş çoxdur"})
        assert bad.status_code == 400
        assert translate("az", "workspace.extension.error.date") in bad.text
        assert 'value="İş çoxdur"' in bad.text  # what was typed stays
        wanted = (deadline + timedelta(days=10)).isoformat()
        asked = await client.post(action, data={**form, "deadline": wanted, "reason": "İş çoxdur"})
        assert asked.status_code == 303
        after = await client.get(f"/az/documents/{document}")
        assert translate("az", "workspace.extension.asked", deadline=wanted) in after.text
    rows = await world.platform.db.read(
        "MATCH (x:DeadlineExtension {documentId: $id}) RETURN x.status AS status, x.reason AS r",
        {"id": document},
    )
    assert rows == [{"status": "requested", "r": "İş çoxdur"}]
