"""Drafts, visas and signing through the pages, signed in through the form, against the real
app, Neo4j and MinIO with the EDMS test world: an executor creates an answer draft with its
file and route and sends it to visa; the sector head, from the queue, cannot reject without
reasons (the message next to the field) and approves with remarks; the legal expert rejects
with reasons; a new version goes round again and a form rendered for the old version is 409;
the registrar's form check needs reasons to return and accepts; the signatory signs with the
certificate and the page shows the verification of the signed PDF; someone not on the route
gets the 404 page."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest

from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.edms.drafts.models import Addressee, DraftInput, RouteSpec, StepSpec
from asan.edms.drafts.reads import draft_view
from asan.edms.drafts.use_cases import DraftFile, check_form, create_draft, send_to_visa
from asan.edms.drafts.visas import decide_visa
from asan.edms.signatures.verification import verify_document_signature
from asan.web.i18n import translate
from tests.edms.conftest import World, make_world
from tests.edms.files_support import pdf_with_text
from tests.edms.resolutions_support import registered
from tests.web.session_support import browser, csrf_of, sign_in

PDF = "application/pdf"
VISA_FORM = re.compile(
    r'<form class="visa[^"]*" action="(/en/drafts/[^"]+/visa)" method="post">(.*?)</form>', re.S
)
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def hidden_fields(form_html: str) -> dict[str, str]:
    return dict(HIDDEN.findall(form_html))


def visa_form(html: str, document_id: str) -> tuple[str, dict[str, str]]:
    """The action and hidden fields of the visa form about ``document_id`` on a page."""
    for action, body in VISA_FORM.findall(html):
        if f"/drafts/{document_id}/" in action:
            return action, hidden_fields(body)
    raise AssertionError("no visa form for the draft on the page")


def form_of(html: str, action: str) -> dict[str, str]:
    found = re.search(rf'action="{re.escape(action)}"[^>]*>(.*?)</form>', html, re.S)
    assert found is not None, f"no form posting to {action}"
    return hidden_fields(found.group(1))


@pytest.fixture(scope="module")
async def world(
    migrated_platform: Platform, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[World]:
    built = await make_world(migrated_platform, settings, tmp_path_factory.mktemp("web-appr"))
    yield built
    await built.client.aclose()


async def status_of(world: World, document_id: str) -> tuple[str, int]:
    rows = await world.platform.db.read(
        "MATCH (d:Document {id: $id}) RETURN d.status AS s, d.draftVersion AS v",
        {"id": document_id},
    )
    return rows[0]["s"], rows[0]["v"]


async def create_through_the_form(client: httpx.AsyncClient, subject: str) -> str:
    page = await client.get("/en/drafts/new")
    assert page.status_code == 200
    fields = {
        "csrf_token": csrf_of(page.text),
        "client_mutation_id": re.findall(r'name="client_mutation_id" value="([^"]+)"', page.text)[
            0
        ],
        "kind": "outgoing",
        "unit": "DEPT-IT-SEC-1",
        "subject": subject,
        "addressee_kind_0": "state_body",
        "addressee_code_0": "MIN-TAX",
        "step_stage_0": "1",
        "step_role_0": "sector_head",
        "step_position_0": "DEPT-IT-SEC-2-HEAD",
        "step_stage_1": "2",
        "step_role_1": "legal_expertise",
        "step_position_1": "DEPT-LAW-EXPERT",
        "signatory": "DOC-HEAD",
    }
    file = {"file": ("cavab.pdf", pdf_with_text("cavab v1"), PDF)}
    # a position nobody holds: the message next to that row's field, typed values kept
    wrong = await client.post(
        "/en/drafts/new", data={**fields, "step_position_1": "NO-SUCH-POS"}, files=file
    )
    assert wrong.status_code == 400
    assert 'id="step-position-1-error"' in wrong.text and 'value="NO-SUCH-POS"' in wrong.text
    created = await client.post("/en/drafts/new", data=fields, files=file)
    assert created.status_code == 303, created.text[:2000]
    location = created.headers["location"]
    assert location.startswith("/en/drafts/")
    # sent twice (a double click): the same draft, created once
    again = await client.post("/en/drafts/new", data=fields, files=file)
    assert again.status_code == 303 and again.headers["location"] == location
    return location.rsplit("/", 1)[1]


async def test_a_draft_goes_from_creation_through_visas_and_form_check_to_a_signature(
    world: World,
) -> None:
    subject = "Vergi sorğusuna cavab"
    async with browser(world) as executor:
        await sign_in(executor, "executor1")
        document_id = await create_through_the_form(executor, subject)
        page = await executor.get(f"/en/drafts/{document_id}")
        assert page.status_code == 200
        assert subject in page.text and "MIN-TAX" in page.text and "cavab.pdf" in page.text
        assert translate("en", "approvals.send.submit") in page.text
        action = f"/en/drafts/{document_id}/send"
        sent = await executor.post(action, data=form_of(page.text, action))
        assert sent.status_code == 303
    assert await status_of(world, document_id) == ("on_visa", 1)
    count = "MATCH (d:Document {subject: $s}) RETURN count(d) AS n"
    assert (await world.platform.db.read(count, {"s": subject}))[0]["n"] == 1

    async with browser(world) as legal:
        await sign_in(legal, "legal")
        # stage 2 waits for stage 1: nothing in the legal expert's queue yet
        early = await legal.get("/en/approvals")
        assert f"/drafts/{document_id}/visa" not in early.text

    async with browser(world) as head:
        await sign_in(head, "sector2")
        queue = await head.get("/en/approvals")
        assert queue.status_code == 200 and subject in queue.text
        assert translate("en", "approvals.waiting", date="", days=0)[:6] in queue.text
        action, hidden = visa_form(queue.text, document_id)
        assert hidden["back"] == "queue" and hidden["version"] == "1"
        # rejecting without reasons: the message next to the reasons field, nothing recorded
        bare = await head.post(action, data={**hidden, "decision": "reject", "reasons": " "})
        assert bare.status_code == 400
        assert translate("en", "approvals.error.required") in bare.text
        assert re.search(r'id="reasons-[0-9a-f]+-error"', bare.text)
        assert await status_of(world, document_id) == ("on_visa", 1)
        approved = await head.post(
            action,
            data={**hidden, "decision": "approve_with_remarks", "remarks": "Tarixi dəqiqləşdirin."},
        )
        assert approved.status_code == 303 and approved.headers["location"] == "/en/approvals"
        page = await head.get(f"/en/drafts/{document_id}")
        assert "Tarixi dəqiqləşdirin." in page.text
        assert translate("en", "approvals.decision.approve_with_remarks") in page.text

    async with browser(world) as legal:
        await sign_in(legal, "legal")
        queue = await legal.get("/en/approvals")
        action, old_form = visa_form(queue.text, document_id)
        rejected = await legal.post(
            action,
            data={
                **old_form,
                "client_mutation_id": "legal-reject-1",
                "decision": "reject",
                "reasons": "Hüquqi əsas göstərilməyib.\nİmza bloku yoxdur.",
            },
        )
        assert rejected.status_code == 303
    assert await status_of(world, document_id) == ("returned", 1)

    async with browser(world) as executor:
        await sign_in(executor, "executor1")
        page = await executor.get(f"/en/drafts/{document_id}")
        assert "Hüquqi əsas göstərilməyib." in page.text
        mine = (await executor.get("/en/approvals")).text  # the returned draft is listed
        assert f'href="/en/drafts/{document_id}"' in mine[mine.index('id="mine-heading"') :]
        action = f"/en/drafts/{document_id}/version"
        version = await executor.post(
            action,
            data={**form_of(page.text, action), "comment": "Əsas əlavə edildi."},
            files={"file": ("cavab-2.pdf", pdf_with_text("cavab v2"), PDF)},
        )
        assert version.status_code == 303
        page = await executor.get(f"/en/drafts/{document_id}")
        send = f"/en/drafts/{document_id}/send"
        assert (await executor.post(send, data=form_of(page.text, send))).status_code == 303
    assert await status_of(world, document_id) == ("on_visa", 2)

    async with browser(world) as head:
        await sign_in(head, "sector2")
        queue = await head.get("/en/approvals")
        action, hidden = visa_form(queue.text, document_id)
        assert hidden["version"] == "2"
        done = await head.post(action, data={**hidden, "decision": "approve"})
        assert done.status_code == 303

    async with browser(world) as legal:
        await sign_in(legal, "legal")
        # the form rendered for version 1 (its step is pending again, on version 2): 409
        csrf = csrf_of((await legal.get("/en/approvals")).text)
        stale = await legal.post(
            action,
            data={**old_form, "csrf_token": csrf, "client_mutation_id": "x", "decision": "approve"},
        )
        assert stale.status_code == 409
        assert translate("en", "approvals.error.stale") in stale.text
        assert await status_of(world, document_id) == ("on_visa", 2)
        queue = await legal.get("/en/approvals")
        action, hidden = visa_form(queue.text, document_id)
        assert (await legal.post(action, data={**hidden, "decision": "approve"})).status_code == 303
    assert await status_of(world, document_id) == ("form_check", 2)

    async with browser(world) as registrar:
        await sign_in(registrar, "registrar")
        queue = await registrar.get("/en/approvals")
        assert f"/en/drafts/{document_id}#form-checks" in queue.text
        page = await registrar.get(f"/en/drafts/{document_id}")
        action = f"/en/drafts/{document_id}/form-check"
        hidden = form_of(page.text, action)
        bare = await registrar.post(action, data={**hidden, "outcome": "reject", "reasons": ""})
        assert bare.status_code == 400 and 'id="check-reasons-error"' in bare.text
        accepted = await registrar.post(action, data={**hidden, "outcome": "accept"})
        assert accepted.status_code == 303
    assert await status_of(world, document_id) == ("to_sign", 2)

    async with browser(world) as signatory:
        await sign_in(signatory, "signatory")
        queue = await signatory.get("/en/approvals")
        assert f"/en/drafts/{document_id}#signature" in queue.text
        page = await signatory.get(f"/en/drafts/{document_id}")
        assert "cavab-2.pdf" in page.text  # the page says what is signed
        action = f"/en/drafts/{document_id}/sign"
        signed = await signatory.post(action, data=form_of(page.text, action))
        assert signed.status_code == 303
        page = await signatory.get(f"/en/drafts/{document_id}")
        assert translate("en", "approvals.verify.ok") in page.text
    assert (await status_of(world, document_id))[0] == "signed"
    verdict = await verify_document_signature(
        world.platform, world.principal("signatory"), document_id
    )
    assert verdict.valid and verdict.record is not None
    assert verdict.record.reg_number and verdict.record.reg_number in page.text
    assert verdict.record.verification_code in page.text

    async with browser(world) as outsider:
        await sign_in(outsider, "outsider")
        hidden_page = await outsider.get(f"/en/drafts/{document_id}")
        assert hidden_page.status_code == 404 and subject not in hidden_page.text
        queue = await outsider.get("/en/approvals")
        assert subject not in queue.text


async def test_a_user_not_on_the_route_cannot_give_a_visa(world: World) -> None:
    async with browser(world) as executor:
        await sign_in(executor, "executor1")
        document_id = await create_through_the_form(executor, "Marşrutdan kənar yoxlama")
        page = await executor.get(f"/en/drafts/{document_id}")
        send = f"/en/drafts/{document_id}/send"
        assert (await executor.post(send, data=form_of(page.text, send))).status_code == 303
    async with browser(world) as head:
        await sign_in(head, "sector2")
        action, hidden = visa_form((await head.get("/en/approvals")).text, document_id)
    async with browser(world) as outsider:
        await sign_in(outsider, "outsider")
        csrf = csrf_of((await outsider.get("/en/approvals")).text)
        forged = await outsider.post(
            action, data={**hidden, "csrf_token": csrf, "decision": "approve"}
        )
        assert forged.status_code == 404
    assert await status_of(world, document_id) == ("on_visa", 1)
    async with browser(world) as signed_out:
        page = await signed_out.get(f"/en/drafts/{document_id}")
        assert page.status_code == 303 and page.headers["location"].startswith("/en/signin")


async def test_an_answer_starts_from_the_document_its_reader_may_see(world: World) -> None:
    subject = "Məlumat sorğusu (cavab üçün)"
    incoming = await registered(world, subject)
    rows = await world.platform.db.read(
        "MATCH (d:Document {id: $id}) RETURN d.regNumber AS n", {"id": incoming}
    )
    async with browser(world) as registrar:
        await sign_in(registrar, "registrar", lang="az")
        page = await registrar.get(f"/az/drafts/new?answer_to={incoming}")
        assert page.status_code == 200
        assert f'value="{subject}"' in page.text and 'value="MIN-TAX"' in page.text
        summary = translate("az", "approvals.new.answer_summary", number=rows[0]["n"])
        assert summary in page.text
        assert f'name="answer_to" value="{incoming}"' in page.text
    async with browser(world) as outsider:
        await sign_in(outsider, "outsider", lang="az")
        page = await outsider.get(f"/az/drafts/new?answer_to={incoming}")
        assert page.status_code == 200 and subject not in page.text


async def to_sign_for_the_head(world: World, subject: str) -> str:
    """An internal draft the IT head is to sign, brought to ``to_sign`` through the use cases."""
    p = world.platform
    draft = DraftInput(
        kind="internal",
        subject=subject,
        unit="DEPT-IT-SEC-1",
        addressees=(Addressee(kind="org_unit", org_unit="DEPT-HR"),),
        route=RouteSpec(
            steps=(StepSpec(1, "sector_head", None, "DEPT-IT-SEC-2-HEAD"),),
            signatory_position="DEPT-IT-HEAD",
        ),
    )
    author = world.principal("executor1")
    file = DraftFile(pdf_with_text("daxili"), "daxili.pdf", PDF)
    document_id = await create_draft(p, author, draft, file=file)
    await send_to_visa(p, author, document_id)
    step = (await draft_view(p, author, document_id)).steps[0]
    await decide_visa(p, world.principal("sector2"), document_id, step.id, "approve")
    await check_form(p, world.principal("registrar"), document_id)
    return document_id


async def test_the_acting_deputy_finds_the_heads_draft_and_returns_it_unsigned(
    world: World,
) -> None:
    subject = "Kadrlar şöbəsinə daxili məktub"
    document_id = await to_sign_for_the_head(world, subject)
    assert await status_of(world, document_id) == ("to_sign", 1)
    async with browser(world) as deputy:
        await sign_in(deputy, "deputy", lang="ru")
        queue = await deputy.get("/ru/approvals")
        assert f"/ru/drafts/{document_id}#signature" in queue.text  # acting for the head
        page = await deputy.get(f"/ru/drafts/{document_id}")
        assert translate("ru", "approvals.sign.submit") in page.text
        action = f"/ru/drafts/{document_id}/return"
        hidden = form_of(page.text, action)
        bare = await deputy.post(action, data={**hidden, "reasons": "\n "})
        assert bare.status_code == 400 and 'id="return-reasons-error"' in bare.text
        assert translate("ru", "approvals.error.required") in bare.text
        back = await deputy.post(action, data={**hidden, "reasons": "Подпись не та."})
        assert back.status_code == 303
        assert back.headers["location"] == f"/ru/drafts/{document_id}#signature"
        # the same form again (another id): the draft has left to_sign, 409
        again = await deputy.post(
            action, data={**hidden, "client_mutation_id": "again", "reasons": "Ещё раз."}
        )
        assert again.status_code == 409
        assert translate("ru", "approvals.error.stale") in again.text
    assert await status_of(world, document_id) == ("returned", 1)
    async with browser(world) as signatory:  # not the route's signatory: no sign form
        await sign_in(signatory, "signatory")
        page = await signatory.get(f"/en/drafts/{document_id}")
        assert translate("en", "approvals.sign.submit") not in page.text


async def test_a_draft_without_a_route_gets_one_through_the_page(world: World) -> None:
    async with browser(world) as executor:
        await sign_in(executor, "executor1", lang="az")
        page = await executor.get("/az/drafts/new")
        fields = {
            "csrf_token": csrf_of(page.text),
            "kind": "order",
            "unit": "DEPT-IT-SEC-1",
            "subject": "Növbətçilik haqqında əmr",
        }
        file = {"file": ("emr.pdf", pdf_with_text("emr"), PDF)}
        nofile = await executor.post("/az/drafts/new", data=fields)
        assert nofile.status_code == 400 and 'id="file-error"' in nofile.text
        created = await executor.post("/az/drafts/new", data=fields, files=file)
        assert created.status_code == 303
        document_id = created.headers["location"].rsplit("/", 1)[1]
        page = await executor.get(f"/az/drafts/{document_id}")
        assert translate("az", "approvals.no_route") in page.text
        assert f"/az/drafts/{document_id}/send" not in page.text  # no route, nothing to send
        action = f"/az/drafts/{document_id}/route"
        hidden = form_of(page.text, action)
        row = {"step_stage_0": "1", "step_position_0": "DEPT-IT-SEC-2-HEAD"}
        # an order without legal expertise: refused, the message on the route's first row
        unlawful = await executor.post(
            action,
            data={**hidden, **row, "step_role_0": "sector_head", "signatory": "DOC-HEAD"},
        )
        assert unlawful.status_code == 400 and 'id="step-position-0-error"' in unlawful.text
        nostage = await executor.post(
            action,
            data={**hidden, **row, "step_stage_0": "x", "signatory": "DOC-HEAD"},
        )
        assert nostage.status_code == 400 and 'id="step-stage-0-error"' in nostage.text
        routed = await executor.post(
            action,
            data={
                **hidden,
                **row,
                "step_role_0": "sector_head",
                "step_stage_1": "2",
                "step_role_1": "legal_expertise",
                "step_position_1": "DEPT-LAW-EXPERT",
                "signatory": "DOC-HEAD",
            },
        )
        assert routed.status_code == 303
        page = await executor.get(f"/az/drafts/{document_id}")
        assert translate("az", "approvals.role.legal_expertise") in page.text
        send = f"/az/drafts/{document_id}/send"
        assert (await executor.post(send, data=form_of(page.text, send))).status_code == 303
    assert await status_of(world, document_id) == ("on_visa", 1)


async def test_a_multipart_form_without_the_csrf_token_creates_nothing(world: World) -> None:
    subject = "Saxta forma"
    async with browser(world) as executor:
        await sign_in(executor, "executor1")
        page = await executor.get("/en/drafts/new")
        assert page.status_code == 200
        fields = {"kind": "outgoing", "unit": "DEPT-IT-SEC-1", "subject": subject}
        file = {"file": ("x.pdf", pdf_with_text("x"), PDF)}
        forged = await executor.post(
            "/en/drafts/new", data={**fields, "csrf_token": "forged"}, files=file
        )
        assert forged.status_code == 403
        missing = await executor.post("/en/drafts/new", data=fields, files=file)
        assert missing.status_code == 403
    count = "MATCH (d:Document {subject: $s}) RETURN count(d) AS n"
    assert (await world.platform.db.read(count, {"s": subject}))[0]["n"] == 0
