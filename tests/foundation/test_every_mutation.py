"""Every GraphQL mutation goes through the one audited pipeline.

For each field of the schema's Mutation type there must be an entry below (a new mutation
without one fails ``test_every_mutation_has_an_entry``). Each entry is sent over HTTP by a
caller who is refused, while the test hook forces one transient Neo4j failure. It passes when:
- exactly one audit event with outcome "refused", the entry's action and the policy's own
  reason (``asan.auth.policy.denial_reason`` words it) was appended: the refusal is audited
  once, with the reason the policy gave, not a copy's wording;
- the forced failure was raised and the unit retried (the process's retry counter grew by
  one): the mutation's unit runs under the pipeline's retry loop.
Sign-in, refresh and logout have no policy check; their refusal is a wrong password, a reused
refresh token and an unknown session, with those reasons.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from asan.auth.keys import KeyStore
from asan.auth.pipeline import forced_transient_failures, retry_count
from asan.auth.service import AuthService
from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.graphql.schema import schema
from tests.auth.support import PASSWORD, add_user, asgi_client, bearer, org_fixture


@dataclass(frozen=True)
class Entry:
    action: str
    input: dict[str, Any]
    reasons: tuple[str, ...] = ()  # empty: the policy's rule wording for ``action``
    caller: str = "nobody"  # "nobody" (signed in, no roles) or "anonymous"
    extra: dict[str, Any] = field(default_factory=dict)


DELEGATION = {
    "headPositionCode": "DEPT-IT-HEAD",
    "deputyPositionCode": "DEPT-IT-DEPUTY",
    "validFrom": "2026-07-01",
    "validUntil": "2026-07-10",
    "reason": "məzuniyyət",
}

TABLE: dict[str, Entry] = {
    "createDelegation": Entry("org.delegation.create", DELEGATION),
    "createStateBody": Entry("registry.state_body.create", {"code": "TB2", "nameAz": "Yeni"}),
    "updateStateBody": Entry("registry.state_body.update", {"code": "TB1", "nameAz": "Yeni ad"}),
    "createInformationSystem": Entry(
        "registry.information_system.write",
        {"code": "TB1-IS3", "nameAz": "Sistem", "operator": "TB1"},
    ),
    "updateInformationSystem": Entry(
        "registry.information_system.write",
        {"code": "TB1-IS1", "nameAz": "Sistem iki", "operator": "TB1"},
    ),
    "linkInformationSystems": Entry(
        "registry.information_system.link",
        {"links": [{"consumer": "TB1-IS1", "provider": "TB1-IS2"}]},
    ),
    "createServiceCategory": Entry(
        "registry.category.write", {"code": "CAT-X", "nameAz": "Kateqoriya"}
    ),
    "createService": Entry(
        "registry.service.create", {"code": "TB1-S2", "nameAz": "Xidmət", "provider": "TB1"}
    ),
    "updateService": Entry("registry.service.update", {"code": "TB1-S1", "nameAz": "Yeni"}),
    "transitionService": Entry(
        "registry.service.suspend", {"code": "TB1-S1", "status": "SUSPENDED"}
    ),
    "submitServiceRegistration": Entry("registry.service.submit", {"serviceCode": "TB1-S1"}),
    "registerService": Entry("registry.service.register", {"requestId": "RR1"}),
    "returnServiceRegistration": Entry(
        "registry.service.return", {"requestId": "RR1", "defects": ["natamam / incomplete"]}
    ),
    "submitChangeRequest": Entry(
        "registry.service.submit",
        {"changes": {"code": "TB1-S1", "nameAz": "Yeni ad"}, "summary": "ad dəyişir"},
    ),
    "reviewRegistrationRequest": Entry(
        "registry.request.review", {"requestId": "RR1", "decision": "APPROVE"}
    ),
    "setLegalActResponsibleBody": Entry(
        "registry.reference.responsible", {"actCode": "LA1", "stateBody": "TB1"}
    ),
    "createAsanCentre": Entry(
        "registry.centre.write",
        {"code": "C1", "name": "Mərkəz", "region": "Bakı", "address": "Ünvan 1"},
    ),
    "saveBusStop": Entry(
        "registry.bus.write", {"code": "BS1", "name": "Dayanacaq", "region": "Bakı"}
    ),
    "saveMobileBus": Entry("registry.bus.write", {"code": "MB1", "name": "Avtobus"}),
    "upsertBusStop": Entry(
        "registry.bus.write", {"code": "BS1", "nameAz": "Dayanacaq", "region": "Bakı"}
    ),
    "upsertMobileBus": Entry("registry.bus.write", {"code": "MB1", "nameAz": "Avtobus"}),
    "updateReferenceEntry": Entry(
        "registry.reference.update", {"kind": "EVIDENCE", "code": "EV1", "nameAz": "Sənəd"}
    ),
    "importServices": Entry(
        "registry.service.bulk_import", {"stateBodyCode": "TB1", "format": "JSON", "content": "[]"}
    ),
    "login": Entry(
        "auth.login",
        {"username": "nobody", "password": "wrong password"},
        reasons=("bad credentials",),
        caller="anonymous",
    ),
    "refreshSession": Entry(
        "auth.refresh",
        {"refreshToken": "<spent>"},
        reasons=("refresh token reused; session revoked",),
        caller="anonymous",
    ),
    "logout": Entry(
        "auth.logout",
        {"refreshToken": "rt_unknown"},
        reasons=("unknown refresh token",),
        caller="anonymous",
    ),
    "createUser": Entry(
        "auth.user.create",
        {"username": "new.user", "displayName": "New", "password": PASSWORD},
    ),
    "grantPosition": Entry(
        "auth.position.grant",
        {"username": "target.user", "position": "DEPT-IT-HEAD", "validFrom": "2026-01-01"},
    ),
    "createServiceAccount": Entry(
        "auth.service_account.create",
        {"clientId": "sys-1", "name": "Sistem", "scopes": ["registry.service"]},
    ),
    "setUserActive": Entry("auth.user.update", {"username": "target.user", "active": False}),
    "setUserRoles": Entry("auth.user.update", {"username": "target.user", "roles": ["auditor"]}),
    # webhooks (asan/integration): a signed-in caller of no state body; an unknown webhook id
    # is refused as hidden (NOT_FOUND), after the refusal is audited
    "registerWebhook": Entry(
        "integration.webhook.manage", {"stateBody": "TB1", "url": "https://93.184.216.34/hook"}
    ),
    "updateWebhook": Entry("integration.webhook.manage", {"id": "wh_0", "active": False}),
    "deleteWebhook": Entry("integration.webhook.manage", {"id": "wh_0"}),
    "rotateWebhookSecret": Entry("integration.webhook.manage", {"id": "wh_0"}),
    # documents and journals (asan/edms/documents); DOC1 is in REGISTRY_FIXTURE
    "registerDocument": Entry(
        "edms.document.register", {"card": {"subject": "Məktub", "unit": "DEPT-IT"}}
    ),
    "updateDocumentCard": Entry(
        "edms.document.update", {"documentId": "DOC1", "subject": "Yeni mövzu"}
    ),
    "configureJournal": Entry("edms.journal.configure", {"code": "INC", "pattern": "{seq}"}),
    "fileDocumentWithoutAction": Entry(
        "edms.document.file_without_action", {"documentId": "DOC1", "reason": "məlumat üçün"}
    ),
    "archiveDocument": Entry("edms.document.archive", {"documentId": "DOC1"}),
    # document files (asan/edms/files): a JSON request, so the file is not a file part; the
    # policy refuses before the input is looked at
    "uploadDocumentFile": Entry("edms.file.upload", {"documentId": "DOC1", "file": "x"}),
    # drafts and visas (asan/edms/drafts): DOC1 stands in for a draft (nobody is refused
    # before its state is looked at)
    "createDraft": Entry(
        "edms.draft.create", {"kind": "OUTGOING", "subject": "Cavab", "unit": "DEPT-IT"}
    ),
    "setDraftVisaRoute": Entry(
        "edms.draft.edit",
        {"documentId": "DOC1", "route": {"steps": [{"stage": 1, "role": "OTHER"}]}},
    ),
    "sendDraftToVisa": Entry("edms.draft.edit", {"documentId": "DOC1"}),
    "newDraftVersion": Entry("edms.draft.edit", {"documentId": "DOC1"}),
    "decideVisa": Entry(
        "edms.visa.decide", {"documentId": "DOC1", "stepId": "S1", "decision": "APPROVE"}
    ),
    "checkDraftForm": Entry("edms.draft.form_check", {"documentId": "DOC1"}),
    "returnDraftFromSignature": Entry(
        "edms.draft.signatory_return", {"documentId": "DOC1", "reasons": ["səbəb"]}
    ),
    # signatures (asan/edms/signatures): refused before the state is looked at
    "signDocument": Entry("edms.document.sign", {"documentId": "DOC1"}),
    # dispatch and certified copies (asan/edms/dispatch, asan/edms/copies): DOC1 stands in
    # for a signed document, DE1 (unknown) for a register line / delivery: hidden, refused and
    # audited before anything is looked at; the file of sendDocumentToAgency is not a file
    # part in a JSON request, which is refused only after the policy
    "setMailingList": Entry("edms.dispatch.plan", {"documentId": "DOC1", "addressees": []}),
    "dispatchDocument": Entry("edms.dispatch.send", {"documentId": "DOC1"}),
    "recordDispatchOutcome": Entry(
        "edms.dispatch.record", {"entryId": "DE1", "outcome": "DELIVERED"}
    ),
    "acknowledgeDocumentDelivery": Entry("edms.delivery.acknowledge", {"deliveryId": "DE1"}),
    "sendDocumentToAgency": Entry(
        "edms.delivery.send",
        {"subject": "Cavab", "number": "1/2", "date": "2026-11-30", "file": "x"},
    ),
    "certifyCopy": Entry("edms.copy.certify", {"documentId": "DOC1"}),
    # citizens' appeals (asan/edms/appeals): DOC1 stands in for an appeal (nobody is refused
    # before its kind and state are looked at)
    "registerAppeal": Entry(
        "edms.appeal.register",
        {
            "appealType": "COMPLAINT",
            "channel": "MAIL",
            "unit": "DEPT-IT",
            "applicant": {"name": "Əli Əliyev", "contact": "050 123 45 67"},
            "subject": "Şikayət",
        },
    ),
    "answerAppeal": Entry(
        "edms.appeal.answer", {"documentId": "DOC1", "answer": "Cavab", "substantive": True}
    ),
    "forwardAppeal": Entry(
        "edms.appeal.forward", {"documentId": "DOC1", "stateBody": "TB1", "reason": "aidiyyəti"}
    ),
    "extendAppealTerm": Entry(
        "edms.appeal.extend", {"documentId": "DOC1", "workingDays": 5, "reason": "araşdırma"}
    ),
    "leaveAppealUnconsidered": Entry(
        "edms.appeal.leave_unconsidered",
        {"documentId": "DOC1", "reason": "təkrar", "noNewInformation": True},
    ),
    # the leadership's reception (asan/edms/reception): an unknown visit is refused first
    "scheduleReception": Entry(
        "edms.reception.schedule",
        {
            "official": "target.user",
            "startsAt": "2026-07-01T10:00:00+04:00",
            "endsAt": "2026-07-01T13:00:00+04:00",
            "place": "Bakı, 1-ci mərtəbə",
        },
    ),
    "registerVisitor": Entry(
        "edms.reception.register_visitor",
        {"visitor": {"name": "Aynur"}, "matter": "Pensiya", "matterUnit": "DEPT-IT"},
    ),
    "recordReceptionVisit": Entry(
        "edms.reception.record_visit", {"visitId": "V1", "attended": True}
    ),
    # resolutions and execution control (asan/edms/resolutions): unknown task, extension and
    # resolution ids resolve to hidden resources, refused (and audited) like any other
    "writeResolution": Entry(
        "edms.resolution.issue",
        {
            "documentId": "DOC1",
            "mainExecutor": "target.user",
            "instruction": "İcra",
            "workingDays": 5,
        },
    ),
    "forwardExecutionTask": Entry("edms.task.forward", {"taskId": "T1", "to": "target.user"}),
    "reportExecution": Entry("edms.task.report", {"taskId": "T1", "report": "İcra edildi"}),
    "requestDeadlineExtension": Entry(
        "edms.extension.request", {"taskId": "T1", "deadline": "2030-01-07", "reason": "Səbəb"}
    ),
    "decideDeadlineExtension": Entry(
        "edms.extension.decide", {"extensionId": "X1", "decision": "GRANT"}
    ),
    "removeFromControl": Entry("edms.resolution.remove_from_control", {"resolutionId": "R1"}),
    # nomenclature of cases and cases (asan/archive): unknown years and case ids are refused
    # (and audited) before they are looked up
    "createNomenclature": Entry("archive.nomenclature.compile", {"year": 2027}),
    "createNextNomenclature": Entry("archive.nomenclature.compile", {"fromYear": 2026}),
    "compileNomenclature": Entry("archive.nomenclature.compile", {"year": 2026}),
    "approveNomenclature": Entry("archive.nomenclature.approve", {"year": 2026}),
    "addNomenclatureCase": Entry(
        "archive.nomenclature.draft",
        {"year": 2026, "unit": "DEPT-IT", "number": 1, "title": "Məktublar", "retentionYears": 5},
    ),
    "changeCaseStatus": Entry("archive.case.step", {"caseId": "C1", "to": "CLOSED"}),
    "fileDocumentIntoCase": Entry("archive.case.file", {"documentId": "DOC1", "caseId": "C1"}),
    # BagIt export (asan/archive/export): an unknown case is refused like a hidden one
    "exportCase": Entry("archive.export.create", {"caseId": "C1"}),
    # transfer inventories (asan/archive/transfer): unknown inventory ids are refused first
    "createTransferInventory": Entry(
        "archive.transfer.draft", {"unit": "DEPT-IT", "year": 2020, "caseIds": ["C1"]}
    ),
    "setTransferInventoryCases": Entry(
        "archive.transfer.draft", {"inventoryId": "TI1", "caseIds": ["C1"]}
    ),
    "submitTransferInventory": Entry("archive.transfer.draft", {"inventoryId": "TI1"}),
    "returnTransferInventory": Entry(
        "archive.transfer.accept", {"inventoryId": "TI1", "reason": "Siyahı natamamdır"}
    ),
    "acceptTransferInventory": Entry("archive.transfer.accept", {"inventoryId": "TI1"}),
    "resumeTransferIngest": Entry("archive.transfer.resume", {"inventoryId": "TI1"}),
    # disposition (asan/archive/disposition): unknown cases and acts are refused before lookup
    "decideDisposal": Entry(
        "archive.disposition.decide",
        {"caseId": "C1", "decision": "DESTROY", "reason": "Saxlama müddəti bitib"},
    ),
    "createDestructionAct": Entry("archive.disposition.act.create", {"caseIds": ["C1"]}),
    "signDestructionAct": Entry("archive.disposition.act.sign", {"actId": "A1"}),
    "executeDestructionAct": Entry("archive.disposition.act.execute", {"actId": "A1"}),
    # fixity audits (asan/archive/fixity): refused before the case is looked up
    "runFixityAudit": Entry("archive.fixity.run", {"caseId": "C1"}),
    # holds and re-ingest (asan/archive/holds, asan/archive/records/reingest.py)
    "placeArchiveHold": Entry(
        "archive.hold.place", {"caseId": "C1", "kind": "LITIGATION", "reason": "Məhkəmə işi"}
    ),
    "liftArchiveHold": Entry("archive.hold.lift", {"holdId": "H1", "reason": "İş bitdi"}),
    "ingestCase": Entry("archive.records.ingest", {"caseId": "C1"}),
}


def mutation_fields() -> set[str]:
    mutation = schema._schema.mutation_type
    assert mutation is not None
    return set(mutation.fields)


def test_every_mutation_has_an_entry() -> None:
    fields = mutation_fields()
    assert fields - TABLE.keys() == set(), "add an entry for each new mutation"
    assert TABLE.keys() - fields == set(), "remove entries of mutations that are gone"


REGISTRY_FIXTURE = """
CREATE (b:StateBody {code: 'TB1', nameAz: 'Test orqanı', nameFold: 'test orqanı',
                     kind: 'ministry'})
CREATE (s:Service {code: 'TB1-S1', nameAz: 'Xidmət', nameFold: 'xidmət', status: 'published',
                   version: 1})-[:PROVIDED_BY]->(b)
CREATE (:InformationSystem {code: 'TB1-IS1', nameAz: 'Bir', nameFold: 'bir'})-[:OPERATED_BY]->(b)
CREATE (:InformationSystem {code: 'TB1-IS2', nameAz: 'İki', nameFold: 'iki'})-[:OPERATED_BY]->(b)
CREATE (r:RegistrationRequest {id: 'RR1', kind: 'change', status: 'submitted',
                               summary: 'dəyişiklik', submittedAt: datetime(),
                               reviewDue: date() + duration('P9D'), defects: [],
                               serviceVersion: 1, resubmissions: 0})
CREATE (r)-[:FOR]->(s), (r)-[:SUBMITTED_BY]->(b)
CREATE (:Evidence {code: 'EV1', nameAz: 'Şəxsiyyət vəsiqəsi', owner: 'TB1', version: 1})
CREATE (:LegalAct {code: 'LA1', title: 'Qanun', owner: 'TB1'})
CREATE (:Document {id: 'DOC1', kind: 'incoming', status: 'registered', unit: 'DEPT-IT',
                   classification: 'public', involved: [], subject: 'Sənəd', language: 'az',
                   journalCode: 'INC', regNumber: 'G-1/2026', regYear: 2026, regSeq: 1})
WITH 1 AS one
MATCH (p:Position) SET p.title = p.code
"""


@pytest.fixture
async def client(
    clean_platform: Platform, settings: Settings, tmp_path: Path
) -> AsyncIterator[tuple[httpx.AsyncClient, AuthService]]:
    own = settings.model_copy(update={"data_dir": tmp_path})
    auth = AuthService(own, KeyStore.open(own.data_path, own.auth_algorithm))
    async with asgi_client(own, clean_platform, auth) as c:
        yield c, auth


async def _send(
    c: httpx.AsyncClient, name: str, variables: dict[str, Any], headers: dict[str, str]
) -> dict[str, Any]:
    query = f"mutation($input: {_input_type(name)}!) {{ {name}(input: $input) {{ __typename }} }}"
    response = await c.post(
        "/graphql", json={"query": query, "variables": {"input": variables}}, headers=headers
    )
    body: dict[str, Any] = response.json()
    return body


def _input_type(name: str) -> str:
    mutation = schema._schema.mutation_type
    assert mutation is not None
    return str(mutation.fields[name].args["input"].type).rstrip("!")


async def _refusals(p: Platform) -> list[dict[str, Any]]:
    return await p.db.read(
        "MATCH (e:AuditEvent {outcome: 'refused'}) "
        "RETURN e.seq AS seq, e.action AS action, e.details AS details ORDER BY e.seq"
    )


async def test_each_mutation_is_refused_with_the_policys_reason_and_retried(
    clean_platform: Platform, client: tuple[httpx.AsyncClient, AuthService]
) -> None:
    p = clean_platform
    c, auth = client
    await org_fixture(p)
    await p.db.write(REGISTRY_FIXTURE)
    nobody = await add_user(p, "nobody")
    await add_user(p, "target.user")
    signed_in = bearer(auth.access_token(nobody, "user")[0])
    first = await auth.login(p, "target.user", PASSWORD)
    await auth.refresh(p, first.refresh_token)  # ``first`` is now spent

    failures: dict[str, str] = {}
    for name, entry in TABLE.items():
        variables = {**entry.input, **entry.extra}
        if name == "refreshSession":
            variables["refreshToken"] = first.refresh_token
        headers = signed_in if entry.caller == "nobody" else {}
        seen = len(await _refusals(p))
        retries = retry_count()
        with forced_transient_failures(1) as forced:
            body = await _send(c, name, variables, headers)
        new = (await _refusals(p))[seen:]
        reasons = entry.reasons or (
            f"no rule allows {entry.action}",
            f"rule for {entry.action} refused",
        )
        problems = []
        if len(new) != 1:
            problems.append(f"{len(new)} refused audit events (want 1)")
        elif new[0]["action"] != entry.action:
            problems.append(f"audited action {new[0]['action']} (want {entry.action})")
        elif json.loads(new[0]["details"]).get("reason") not in reasons:
            problems.append(f"reason {json.loads(new[0]['details']).get('reason')!r}")
        if forced.raised != 1 or retry_count() - retries != 1:
            problems.append(
                f"not retried (forced {forced.raised}, retries {retry_count() - retries})"
            )
        if body.get("data") is None and not body.get("errors"):
            problems.append(f"no answer: {body}")
        if problems:
            failures[name] = "; ".join(problems)
    for name, problem in failures.items():
        print(f"{name}: {problem}")
    assert failures == {}
