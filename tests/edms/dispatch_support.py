"""Shared set-up of the dispatch and certified-copy tests: a signed document, state bodies'
systems (service accounts with tokens), GraphQL documents, multipart requests.

A signed document is made through the real use cases and the real state machine (E's
``create_document_in_unit``, ``flows.advance``, ``numbering.assign_number``; C's
``store_file_in_unit``; A's ``sign_pdf`` with a certificate from the test CA), as the
system; the drafting, visa and signing steps themselves are tested by their own parts.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any

import httpx

from asan.auth.accounts import create_service_account
from asan.auth.models import NewServiceAccount
from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource
from asan.auth.principal import SYSTEM, Principal
from asan.core.workdays import today_in_baku
from asan.edms.documents import flows, numbering
from asan.edms.documents import repository as documents_repo
from asan.edms.documents.models import DocumentCard
from asan.edms.documents.use_cases import create_document_in_unit
from asan.edms.drafts import repository as drafts_repo
from asan.edms.drafts.models import Addressee
from asan.edms.files.use_cases import store_file_in_unit
from asan.edms.signatures.pades import sign_pdf
from asan.edms.signatures.pki import issue_user, load_credential
from asan.edms.signatures.settings import SignatureSettings
from tests.edms.conftest import World
from tests.edms.files_support import pdf_with_text

ENTRY_FIELDS = """
  id documentId position addresseeKind method status stateBody orgUnit name address email
  sentAt deliveredAt returnedAt reason trackingNumber sha256 fileId acknowledgedBy
  replyDocumentId
"""
SET_LIST = (
    "mutation($input: SetMailingListInput!) { setMailingList(input: $input) {"
    " documentId entries {" + ENTRY_FIELDS + "} userErrors { field message code }"
    " clientMutationId } }"
)
DISPATCH = (
    "mutation($input: DispatchDocumentInput!) { dispatchDocument(input: $input) {"
    " documentId entries {" + ENTRY_FIELDS + "} userErrors { field message code } } }"
)
OUTCOME = (
    "mutation($input: RecordDispatchOutcomeInput!) { recordDispatchOutcome(input: $input) {"
    " entry {" + ENTRY_FIELDS + "} userErrors { field message code } } }"
)
REGISTER_LIST = "query($id: ID!) { dispatchRegister(documentId: $id) {" + ENTRY_FIELDS + "} }"
DELIVERY_FIELDS = """
  id status sentAt deliveredAt returnedAt reason documentId regNumber regDate subject
  filename contentType size sha256 fetchPath
"""
DELIVERY = "query($id: ID!) { documentDelivery(id: $id) {" + DELIVERY_FIELDS + "} }"
DELIVERIES = "query { documentDeliveries(first: 50) {" + DELIVERY_FIELDS + "} }"
ACKNOWLEDGE = (
    "mutation($input: AcknowledgeDocumentDeliveryInput!) {"
    " acknowledgeDocumentDelivery(input: $input) {"
    " delivery {" + DELIVERY_FIELDS + "} userErrors { field message code } } }"
)
SEND_IN = """
mutation($input: SendDocumentToAgencyInput!) {
  sendDocumentToAgency(input: $input) {
    documentId sha256 userErrors { field message code } clientMutationId
  }
}"""
TIMELINE = "query($id: String!) { documentTimeline(id: $id) { step actor details } }"


async def system_of(world: World, body: str, scopes: set[str]) -> tuple[str, Principal]:
    """A state body's system: a service account of ``body`` and its bearer token."""
    client_id = f"{body.lower()}-system-{uuid.uuid4().hex[:8]}"
    await create_service_account(
        world.platform,
        SYSTEM,
        NewServiceAccount(client_id, f"{body} sistemi", frozenset(scopes), state_body=body),
    )
    token, _ = world.auth.access_token(client_id, "service", frozenset(scopes))
    principal = Principal(
        subject=client_id, kind="service", state_body=body, scopes=frozenset(scopes)
    )
    return token, principal


async def signed_pdf(world: World, text: str, signer: str = "signatory") -> bytes:
    """A PAdES-signed PDF (A's sign_pdf) with a certificate the test CA issued."""
    data_dir = world.platform.settings.data_path
    subject = world.users[signer]
    credential = load_credential(data_dir, SignatureSettings(), subject)
    if credential is None:
        credential = issue_user(data_dir, subject, signer.title(), production=False)
    return await sign_pdf(pdf_with_text(text), credential, block=["Ç-1/2026", signer])


async def signed_document(
    world: World,
    subject: str,
    *,
    kind: str = "outgoing",
    classification: str = "public",
    file: bytes | None = None,
) -> tuple[str, str]:
    """An outgoing (internal, order) document in status ``signed`` with its signed PDF;
    returns (document id, registration number)."""
    data = file if file is not None else await signed_pdf(world, "Signed letter")
    journal = {"outgoing": "OUT", "internal": "INT", "order": "ORD"}[kind]

    async def work(m: Mutation) -> list[str]:
        card = DocumentCard(
            kind=kind, subject=subject, unit="DEPT-IT", classification=classification
        )
        doc = await create_document_in_unit(m, card, status="draft")
        for step in ("send_to_visa", "visas_complete", "form_accepted", "sign"):
            await flows.advance(m.tx, doc, step)
        on = today_in_baku()
        number = await numbering.assign_number(m.tx, journal, on, unit="DEPT-IT")
        await documents_repo.set_registration(m.tx, doc, journal, number, on)
        await store_file_in_unit(
            m, doc, data, filename="məktub.pdf", content_type="application/pdf", role="signed"
        )
        return [doc, number.number]

    done = await run_mutation(
        world.platform, SYSTEM, "edms.document.register", Resource("Document"), work
    )
    return done[0], done[1]


def multipart(
    query: str, variables: Mapping[str, Any], data: bytes, filename: str, path: str
) -> dict[str, Any]:
    """httpx ``data=``/``files=`` for one upload at ``variables.<path>`` (multipart spec)."""
    return {
        "data": {
            "operations": json.dumps({"query": query, "variables": dict(variables)}),
            "map": json.dumps({"0": [f"variables.{path}"]}),
        },
        "files": {"0": (filename, data, "application/pdf")},
    }


async def upload(
    client: httpx.AsyncClient,
    token: str | None,
    query: str,
    variables: Mapping[str, Any],
    data: bytes,
    *,
    path: str = "input.file",
    filename: str = "cavab.pdf",
) -> dict[str, Any]:
    headers = {"X-Asan-CSRF": "1"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    response = await client.post(
        "/graphql", headers=headers, **multipart(query, variables, data, filename, path)
    )
    body: dict[str, Any] = response.json()
    return body


async def add_addressees(world: World, document_id: str, addressees: list[Addressee]) -> None:
    """The draft's addressees as the drafts part stores them (its repository, as the system)."""

    async def work(m: Mutation) -> None:
        await drafts_repo.replace_addressees(m.tx, document_id, addressees)

    await run_mutation(world.platform, SYSTEM, "edms.document.register", Resource("Document"), work)
