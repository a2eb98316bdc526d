"""A document's execution from its page: the head writes a resolution, an executor forwards
their part, the author decides an extension request. Each form is shown only to whom the policy
allows, is done once when sent twice, says "changed meanwhile" (409) when its subject moved on,
and is refused to a user the policy forbids; real app, Neo4j and MinIO, the EDMS test world."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.core.workdays import add_working_days, today_in_baku
from asan.edms.resolutions import execution
from asan.web.i18n import translate
from tests.edms.conftest import World, make_world
from tests.edms.resolutions_support import registered, write
from tests.web.session_support import browser, csrf_of, sign_in

STALE = translate("en", "documents.error.stale")
TASK_STALE = translate("en", "workspace.report.error.stale")
FORBIDDEN = translate("en", "documents.error.forbidden")


@pytest.fixture(scope="module")
async def world(
    migrated_platform: Platform, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[World]:
    made = await make_world(migrated_platform, settings, tmp_path_factory.mktemp("web-exec"))
    yield made
    await made.client.aclose()


async def count(world: World, query: str, document: str) -> int:
    rows = await world.platform.db.read(query + " RETURN count(*) AS n", {"id": document})
    n: int = rows[0]["n"]
    return n


async def test_the_head_writes_a_resolution_once_and_a_stale_form_says_so(world: World) -> None:
    document = await registered(world, "Dərkənar üçün məktub")
    path = f"/en/documents/{document}"
    async with browser(world) as registrar:
        await sign_in(registrar, "registrar")
        page = await registrar.get(path)
        assert 'id="resolution-form"' not in page.text  # a registrar does not write one
        refused = await registrar.post(
            f"{path}/resolution",
            data={
                "csrf_token": csrf_of(page.text),
                "mainExecutor": "executor1",
                "instruction": "İcra edin.",
            },
        )
    assert refused.status_code == 403 and FORBIDDEN in refused.text
    async with browser(world) as outsider:
        await sign_in(outsider, "outsider")
        page = await outsider.get("/en/workspace")
        hidden = await outsider.post(
            f"{path}/resolution",
            data={"csrf_token": csrf_of(page.text), "mainExecutor": "executor1"},
        )
    assert hidden.status_code == 404  # may not even see it
    async with browser(world) as head:
        await sign_in(head, "head")
        page = await head.get(path)
        assert 'id="resolution-form"' in page.text
        form = {
            "csrf_token": csrf_of(page.text),
            "mainExecutor": "executor1",
            "coExecutors": "executor2",
            "instruction": "Araşdırıb cavab layihəsi hazırlayın.",
            "workingDays": "3",
        }
        empty = await head.post(f"{path}/resolution", data={**form, "mainExecutor": ""})
        assert empty.status_code == 400
        assert 'id="resolution-mainExecutor-' in empty.text
        assert translate("en", "documents.error.required") in empty.text
        sent = {**form, "client_mutation_id": uuid.uuid4().hex}
        first = await head.post(f"{path}/resolution", data=sent)
        again = await head.post(f"{path}/resolution", data=sent)
        assert first.status_code == again.status_code == 303
        stale = await head.post(
            f"{path}/resolution", data={**form, "client_mutation_id": uuid.uuid4().hex}
        )
        shown = await head.get(path)
    assert stale.status_code == 409 and STALE in stale.text
    assert "Araşdırıb cavab layihəsi hazırlayın." in stale.text  # typed text kept
    assert await count(world, "MATCH (r:Resolution {documentId: $id})", document) == 1
    assert "Araşdırıb cavab layihəsi hazırlayın." in shown.text
    assert 'id="resolution-form"' not in shown.text  # in execution now


async def test_an_executor_forwards_their_part(world: World) -> None:
    document = await registered(world, "Yönləndirmə üçün məktub")
    payload = await write(
        world,
        "head",
        documentId=document,
        mainExecutor="executor2",
        instruction="İcra edin.",
        workingDays=3,
    )
    task = payload["resolution"]["tasks"][0]["taskId"]
    path = f"/en/documents/{document}"
    async with browser(world) as client:
        await sign_in(client, "executor2")
        page = await client.get(path)
        assert f'action="/en/tasks/{task}/forward"' in page.text
        form = {"csrf_token": csrf_of(page.text), "document_id": document, "to": "sector2"}
        outside = await client.post(f"/en/tasks/{task}/forward", data={**form, "to": "executor1"})
        assert outside.status_code == 400 and 'id="forward-to-' in outside.text
        done = await client.post(
            f"/en/tasks/{task}/forward", data={**form, "client_mutation_id": uuid.uuid4().hex}
        )
        stale = await client.post(
            f"/en/tasks/{task}/forward", data={**form, "client_mutation_id": uuid.uuid4().hex}
        )
    assert done.status_code == 303
    assert stale.status_code == 409 and TASK_STALE in stale.text
    rows = await world.platform.db.read(
        "MATCH (t:ExecutionTask {documentId: $id}) RETURN t.status AS status, t.executor AS who",
        {"id": document},
    )
    assert sorted((r["status"], r["who"]) for r in rows) == sorted(
        [("forwarded", world.users["executor2"]), ("assigned", world.users["sector2"])]
    )


async def test_the_author_decides_an_extension_request(world: World) -> None:
    document = await registered(world, "Uzatma üçün məktub")
    payload = await write(
        world,
        "head",
        documentId=document,
        mainExecutor="executor2",
        instruction="İcra edin.",
        workingDays=3,
    )
    task = payload["resolution"]["tasks"][0]["taskId"]
    wanted = add_working_days(today_in_baku(), 8)
    extension = await execution.request_extension(
        world.platform, world.principal("executor2"), task, wanted, "Məlumat gözlənilir."
    )
    path = f"/en/documents/{document}"
    decide = f"/en/extensions/{extension}/decision"
    async with browser(world) as executor:
        await sign_in(executor, "executor2")
        page = await executor.get(path)
        assert f'action="{decide}"' not in page.text
        refused = await executor.post(
            decide,
            data={"csrf_token": csrf_of(page.text), "document_id": document, "decision": "grant"},
        )
    assert refused.status_code == 403 and FORBIDDEN in refused.text
    async with browser(world) as head:
        await sign_in(head, "head")
        page = await head.get(path)
        assert f'action="{decide}"' in page.text
        form = {"csrf_token": csrf_of(page.text), "document_id": document, "note": "Razıyam."}
        undecided = await head.post(decide, data=form)
        assert undecided.status_code == 400
        granted = await head.post(
            decide, data={**form, "decision": "grant", "client_mutation_id": uuid.uuid4().hex}
        )
        stale = await head.post(
            decide, data={**form, "decision": "refuse", "client_mutation_id": uuid.uuid4().hex}
        )
    assert granted.status_code == 303
    assert stale.status_code == 409 and STALE in stale.text
    rows = await world.platform.db.read(
        "MATCH (x:DeadlineExtension {id: $x}), (t:ExecutionTask {id: x.taskId}) "
        "RETURN x.status AS status, t.deadline AS deadline",
        {"x": extension},
    )
    assert rows[0]["status"] == "granted"
    assert rows[0]["deadline"].to_native() == wanted
