"""The issue's "done when": one document the whole way through GraphQL only, and two citizens'
appeals from receipt to their answer and to their forwarding, against the real Neo4j, MinIO
and app (ASGI), with poppler's ``pdfsig`` as the independent judge of the signature.

An incoming letter of the Ministry of Taxes is registered with its PDF (multipart, CSRF
header), resolved by the IT head, executed by its executor and removed from control; the
executor drafts the reply (multipart PDF) with a route of the sector head, the department
head and legal expertise, signed by the chairman; the visas are collected, the registrar
checks the form, the chairman signs, the signed PDF passes ``pdfsig`` and
``verifyDocumentSignature``, the mailing list is set, the reply dispatched, a copy certified
and verified by anyone; each document's ``documentTimeline`` shows every step in order.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from asan.edms.copies import making
from tests.edms.conftest import World
from tests.edms.files_support import pdf_with_text
from tests.edms.whole_way_support import (
    ANSWER_APPEAL,
    CERTIFY,
    CHECK,
    CREATE_DRAFT,
    CSRF,
    DECIDE,
    DISPATCH,
    DOCUMENT,
    FORWARD_APPEAL,
    REGISTER,
    REGISTER_APPEAL,
    REMOVE,
    REPORT,
    SEND_TO_VISA,
    SET_MAILING_LIST,
    SIGN,
    VERIFY_COPY,
    VERIFY_COPY_FILE,
    VERIFY_SIGNATURE,
    WRITE_RESOLUTION,
    ok,
    pdfsig,
    steps,
    upload,
)


@pytest.fixture(scope="module", autouse=True)
async def copies_pool() -> AsyncIterator[None]:
    """The certified copies' stamping pool (started on first use) ends with the module."""
    yield
    await making.close_pool()


async def register_letter(w: World) -> str:
    card = {
        "subject": "Vergi uçotu məlumatlarının mübadiləsi haqqında",
        "unit": "DEPT-IT",
        "correspondentKind": "STATE_BODY",
        "correspondentBody": "MIN-TAX",
        "correspondentNumber": "14/2-777",
        "correspondentDate": "2026-01-12",
        "channel": "MAIL",
        "pages": 1,
    }
    # without the CSRF header a multipart request is refused before anything is stored
    refused = await w.client.post(
        "/graphql",
        headers=w.headers("registrar"),
        data={
            "operations": json.dumps(
                {"query": REGISTER, "variables": {"input": {"card": card, "file": None}}}
            ),
            "map": json.dumps({"0": ["variables.input.file"]}),
        },
        files={"0": ("məktub.pdf", pdf_with_text("Letter"), "application/pdf")},
    )
    assert refused.status_code >= 400
    data = await upload(
        w,
        "registrar",
        REGISTER,
        {"card": card, "clientMutationId": "whole-way-register"},
        pdf_with_text("Letter of the Ministry of Taxes 14/2-777"),
        "məktub.pdf",
    )
    payload = data["registerDocument"]
    assert payload["userErrors"] == []
    document = payload["document"]
    assert (document["status"], document["journalCode"]) == ("registered", "INC")
    assert re.fullmatch(r"G-\d+/\d{4}", document["regNumber"]), document["regNumber"]
    assert "resolve" in document["allowedSteps"]
    doc: str = document["documentId"]
    return doc


async def execute_letter(w: World, doc: str) -> None:
    """Resolution by the head, the executor's report, removal from control by the registrar."""
    written = await ok(
        w,
        "head",
        WRITE_RESOLUTION,
        {
            "input": {
                "documentId": doc,
                "mainExecutor": w.users["executor2"],
                "instruction": "Cavab layihəsini hazırlayın.",
                "workingDays": 5,
            }
        },
        "writeResolution",
    )
    resolution = written["resolution"]
    assert resolution["document"]["status"] == "in_execution"
    (task,) = resolution["tasks"]
    assert (task["executor"], task["role"]) == (w.users["executor2"], "MAIN")
    early = (
        await w.gql("registrar", REMOVE, {"input": {"resolutionId": resolution["resolutionId"]}})
    )["removeFromControl"]
    assert early["userErrors"][0]["code"] == "INVALID_TRANSITION"  # not executed yet
    reported = await ok(
        w,
        "executor2",
        REPORT,
        {"input": {"taskId": task["taskId"], "report": "Cavab layihəsi hazırlanır."}},
        "reportExecution",
    )
    assert reported["task"]["resolution"]["document"]["status"] == "executed"
    removed = await ok(
        w,
        "registrar",
        REMOVE,
        {"input": {"resolutionId": resolution["resolutionId"]}},
        "removeFromControl",
    )
    assert removed["resolution"]["document"]["status"] == "closed"


async def draft_reply(w: World) -> tuple[str, dict[str, str]]:
    """The reply drafted by the executor with its PDF; returns its id and step ids by holder."""
    u = w.users
    route = {
        "steps": [
            {"stage": 1, "role": "SECTOR_HEAD", "user": u["sector2"]},
            {"stage": 2, "role": "DEPARTMENT_HEAD", "positionCode": "DEPT-IT-HEAD"},
            {"stage": 2, "role": "LEGAL_EXPERTISE", "user": u["legal"]},
        ],
        "signatory": u["chairman"],
    }
    data = await upload(
        w,
        "executor2",
        CREATE_DRAFT,
        {
            "kind": "OUTGOING",
            "subject": "Vergilər Nazirliyinə cavab: məlumat mübadiləsi",
            "unit": "DEPT-IT-SEC-2",
            "addressees": [{"kind": "STATE_BODY", "stateBody": "MIN-TAX"}],
            "route": route,
        },
        pdf_with_text("Reply to the Ministry of Taxes"),
        "cavab.pdf",
    )
    created = data["createDraft"]
    assert created["userErrors"] == [] and created["status"] == "draft"
    by_user = {s["user"]: s["id"] for s in created["draft"]["route"]}
    assert set(by_user) == {u["sector2"], u["head"], u["legal"]}
    doc: str = created["documentId"]
    return doc, by_user


async def collect_visas(w: World, doc: str, by_user: dict[str, str]) -> None:
    u = w.users
    sent = await ok(w, "executor2", SEND_TO_VISA, {"input": {"documentId": doc}}, "sendDraftToVisa")
    assert sent["status"] == "on_visa"

    async def visa(who: str, decision: str = "APPROVE") -> str:
        payload = await ok(
            w,
            who,
            DECIDE,
            {"input": {"documentId": doc, "stepId": by_user[u[who]], "decision": decision}},
            "decideVisa",
        )
        status: str = payload["status"]
        return status

    assert await visa("sector2") == "on_visa"
    # the department head and legal expertise decide in parallel (one stage)
    after = await asyncio.gather(visa("head"), visa("legal"))
    assert sorted(after) == ["form_check", "on_visa"]
    checked = await ok(w, "registrar", CHECK, {"input": {"documentId": doc}}, "checkDraftForm")
    assert (checked["outcome"], checked["status"]) == ("ACCEPTED", "to_sign")


async def sign_reply(w: World, doc: str, tmp_path: Path) -> str:
    wrong = (await w.gql("chairman", DISPATCH, {"input": {"documentId": doc}}))["dispatchDocument"]
    assert wrong["userErrors"][0]["code"] == "INVALID_TRANSITION"  # to_sign, not signed
    signed = await ok(w, "chairman", SIGN, {"input": {"documentId": doc}}, "signDocument")
    number: str = signed["registrationNumber"]
    assert re.fullmatch(r"Ç-\d+/\d{4}", number), number
    file = await w.gql(
        "registrar",
        "query($id: ID!) { documentFile(id: $id) { role downloadUrl } }",
        {"id": signed["fileId"]},
    )
    assert file["documentFile"]["role"] == "SIGNED"
    got = await w.client.get(file["documentFile"]["downloadUrl"], headers=w.headers("registrar"))
    assert got.status_code == 200
    verdict = await asyncio.to_thread(pdfsig, tmp_path, got.content)
    assert "Signature is Valid." in verdict and "Total document signed" in verdict, verdict
    check = (await w.gql("registrar", VERIFY_SIGNATURE, {"id": doc}))["verifyDocumentSignature"]
    assert (check["valid"], check["intact"], check["kind"]) == (True, True, "PADES")
    assert check["certificateStatus"] == "VALID" and check["problems"] == []
    assert check["signerId"] == w.users["chairman"] and check["registrationNumber"] == number
    assert check["verificationCode"] == signed["verificationCode"]
    return number


async def dispatch_and_certify(w: World, doc: str, number: str) -> None:
    listed = await ok(
        w,
        "executor2",
        SET_MAILING_LIST,
        {
            "input": {
                "documentId": doc,
                "addressees": [
                    {
                        "kind": "STATE_BODY",
                        "method": "POST",
                        "stateBody": "MIN-TAX",
                        "address": "Bakı, Nobel pr. 20",
                    }
                ],
            }
        },
        "setMailingList",
    )
    assert [e["method"] for e in listed["entries"]] == ["POST"]
    sent = await ok(w, "registrar", DISPATCH, {"input": {"documentId": doc}}, "dispatchDocument")
    assert [(e["method"], e["status"]) for e in sent["entries"]] == [("POST", "SENT")]
    assert sent["entries"][0]["sentAt"]
    status = (await w.gql("registrar", DOCUMENT, {"id": doc}))["document"]
    assert (status["status"], status["regNumber"]) == ("dispatched", number)

    certified = await ok(w, "registrar", CERTIFY, {"input": {"documentId": doc}}, "certifyCopy")
    copy = certified["copy"]
    assert copy["regNumber"] == number
    by_code = (await w.gql(None, VERIFY_COPY, {"code": copy["code"]}))["verifyCertifiedCopy"]
    assert by_code["found"] and by_code["valid"] and by_code["originalMatches"], by_code
    assert by_code["copy"]["regNumber"] == number
    # anyone holding the copy's bytes checks them too: hash and the certifier's signature
    held = await w.client.get(copy["downloadUrl"], headers=w.headers("registrar"))
    assert held.status_code == 200
    response = await w.client.post(
        "/graphql",
        headers=CSRF,
        data={
            "operations": json.dumps(
                {"query": VERIFY_COPY_FILE, "variables": {"code": None, "file": None}}
            ),
            "map": json.dumps({"0": ["variables.file"]}),
        },
        files={"0": ("surət.pdf", held.content, "application/pdf")},
    )
    verdict = response.json()["data"]["verifyCertifiedCopy"]
    assert verdict["found"] and verdict["valid"] and verdict["copyMatches"], verdict
    assert verdict["signatureValid"] is True and verdict["problems"] == []
    unknown = (await w.gql(None, VERIFY_COPY, {"code": "NO-SUCH-CODE"}))["verifyCertifiedCopy"]
    assert unknown["found"] is False and unknown["valid"] is False


async def test_a_letter_and_its_reply_go_the_whole_way(edms_world: World, tmp_path: Path) -> None:
    w = edms_world
    letter = await register_letter(w)
    await execute_letter(w, letter)
    reply, by_user = await draft_reply(w)
    await collect_visas(w, reply, by_user)
    number = await sign_reply(w, reply, tmp_path)
    await dispatch_and_certify(w, reply, number)

    assert await steps(w, "registrar", letter) == [
        "create",
        "register",
        "resolve",
        "report",
        "complete",
        "remove_from_control",
    ]
    reply_steps = await steps(w, "executor2", reply)
    expected = [
        "create",
        "set_visa_route",
        "create_draft",
        "send_to_visa",
        "visa",
        "visa",
        "visa",
        "visas_complete",
        "form_accepted",
        "sign",
        "set_mailing_list",
        "dispatch",
        "certify_copy",
    ]
    assert reply_steps == expected, reply_steps


async def test_an_appeal_from_receipt_to_answer_and_another_to_forwarding(
    edms_world: World,
) -> None:
    w = edms_world
    applicant = {"name": "Leyla Əhmədova", "contact": "050 123 45 67"}
    received = (
        await ok(
            w,
            "registrar",
            REGISTER_APPEAL,
            {
                "i": {
                    "appealType": "APPLICATION",
                    "channel": "MAIL",
                    "unit": "DEPT-IT",
                    "applicant": applicant,
                    "subject": "Elektron xidmətə giriş problemi",
                }
            },
            "registerAppeal",
        )
    )["appeal"]
    assert received["status"] == "REGISTERED" and received["regNumber"].startswith("Ə-")
    appeal = received["documentId"]
    resolution = (
        await ok(
            w,
            "head",
            WRITE_RESOLUTION,
            {
                "input": {
                    "documentId": appeal,
                    "mainExecutor": w.users["executor1"],
                    "instruction": "Müraciətə baxın.",
                    "workingDays": 5,
                }
            },
            "writeResolution",
        )
    )["resolution"]
    task = resolution["tasks"][0]["taskId"]
    await ok(
        w,
        "executor1",
        REPORT,
        {"input": {"taskId": task, "report": "Giriş bərpa edildi."}},
        "reportExecution",
    )
    answer = "Girişiniz bərpa edildi, xidmətdən istifadə edə bilərsiniz."
    answered = (
        await ok(
            w,
            "head",
            ANSWER_APPEAL,
            {"i": {"documentId": appeal, "answer": answer, "substantive": True}},
            "answerAppeal",
        )
    )["appeal"]
    assert (answered["status"], answered["answer"], answered["substantive"]) == (
        "ANSWERED",
        answer,
        True,
    )
    closed = await ok(
        w,
        "registrar",
        REMOVE,
        {"input": {"resolutionId": resolution["resolutionId"]}},
        "removeFromControl",
    )
    assert closed["resolution"]["document"]["status"] == "closed"
    assert await steps(w, "registrar", appeal) == [
        "create",
        "register",
        "resolve",
        "report",
        "complete",
        "answer",
        "remove_from_control",
    ]

    other = (
        await ok(
            w,
            "registrar",
            REGISTER_APPEAL,
            {
                "i": {
                    "appealType": "COMPLAINT",
                    "channel": "WEBSITE",
                    "unit": "DEPT-IT",
                    "applicant": {"name": "Samir Quliyev", "contact": "samir@example.az"},
                    "subject": "Vergi borcunun yanlış hesablanması",
                }
            },
            "registerAppeal",
        )
    )["appeal"]
    forwarded = (
        await ok(
            w,
            "registrar",
            FORWARD_APPEAL,
            {
                "i": {
                    "documentId": other["documentId"],
                    "stateBody": "MIN-TAX",
                    "reason": "Vergi məsələləri Vergilər Nazirliyinin səlahiyyətindədir",
                }
            },
            "forwardAppeal",
        )
    )["appeal"]
    assert (forwarded["status"], forwarded["forwardedTo"]) == ("FORWARDED", "MIN-TAX")
    assert await steps(w, "registrar", other["documentId"]) == ["create", "register", "forward"]
