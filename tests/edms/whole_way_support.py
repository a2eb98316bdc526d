"""GraphQL documents and helpers of the whole-way test (tests/edms/test_whole_way.py)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tests.edms.conftest import World

CSRF = {"Apollo-Require-Preflight": "true"}
ERRORS = "userErrors { field message code }"

REGISTER = f"""
mutation($input: RegisterDocumentInput!) {{
  registerDocument(input: $input) {{
    document {{ documentId status regNumber journalCode allowedSteps }} {ERRORS}
  }}
}}"""
WRITE_RESOLUTION = f"""
mutation($input: WriteResolutionInput!) {{
  writeResolution(input: $input) {{
    resolution {{ resolutionId status document {{ status }} tasks {{ taskId executor role }} }}
    {ERRORS}
  }}
}}"""
REPORT = f"""
mutation($input: ReportExecutionInput!) {{
  reportExecution(input: $input) {{
    task {{ status resolution {{ status document {{ status }} }} }} {ERRORS}
  }}
}}"""
REMOVE = f"""
mutation($input: RemoveFromControlInput!) {{
  removeFromControl(input: $input) {{
    resolution {{ status document {{ status }} }} {ERRORS}
  }}
}}"""
CREATE_DRAFT = f"""
mutation($input: CreateDraftInput!) {{
  createDraft(input: $input) {{
    documentId status draft {{ version route {{ id user role stage status }} }} {ERRORS}
  }}
}}"""
SEND_TO_VISA = f"""
mutation($input: DraftStepInput!) {{ sendDraftToVisa(input: $input) {{ status {ERRORS} }} }}
"""
DECIDE = f"""
mutation($input: DecideVisaInput!) {{ decideVisa(input: $input) {{ status {ERRORS} }} }}
"""
CHECK = f"""
mutation($input: CheckDraftFormInput!) {{
  checkDraftForm(input: $input) {{ outcome reasons status {ERRORS} }}
}}"""
SIGN = f"""
mutation($input: SignDocumentInput!) {{
  signDocument(input: $input) {{ fileId registrationNumber verificationCode {ERRORS} }}
}}"""
VERIFY_SIGNATURE = """
query($id: ID!) { verifyDocumentSignature(documentId: $id) {
  valid intact kind certificateStatus signerId registrationNumber verificationCode problems } }"""
SET_MAILING_LIST = f"""
mutation($input: SetMailingListInput!) {{
  setMailingList(input: $input) {{ entries {{ method status }} {ERRORS} }}
}}"""
DISPATCH = f"""
mutation($input: DispatchDocumentInput!) {{
  dispatchDocument(input: $input) {{ entries {{ method status sentAt }} {ERRORS} }}
}}"""
CERTIFY = f"""
mutation($input: CertifyCopyInput!) {{
  certifyCopy(input: $input) {{
    copy {{ code regNumber originalSha256 copyFileId downloadUrl }} {ERRORS}
  }}
}}"""
VERIFY_COPY = """
query($code: String) { verifyCertifiedCopy(code: $code) {
  valid found originalMatches copyMatches signatureValid problems copy { regNumber } } }"""
VERIFY_COPY_FILE = """
query($code: String, $file: Upload) { verifyCertifiedCopy(code: $code, file: $file) {
  valid found originalMatches copyMatches signatureValid problems } }"""
DOCUMENT = "query($id: String!) { document(id: $id) { status regNumber allowedSteps } }"
TIMELINE = "query($id: String!) { documentTimeline(id: $id) { step actor } }"

APPEAL = "appeal { documentId status regNumber forwardedTo answer substantive } " + ERRORS
REGISTER_APPEAL = (
    "mutation($i: RegisterAppealInput!) { registerAppeal(input: $i) { " + APPEAL + " } }"
)
ANSWER_APPEAL = "mutation($i: AnswerAppealInput!) { answerAppeal(input: $i) { " + APPEAL + " } }"
FORWARD_APPEAL = "mutation($i: ForwardAppealInput!) { forwardAppeal(input: $i) { " + APPEAL + " } }"


async def ok(w: World, who: str, query: str, variables: Mapping[str, Any], name: str) -> Any:
    """The payload of mutation ``name``, which must have no GraphQL errors and no userErrors."""
    payload = (await w.gql(who, query, variables))[name]
    assert payload["userErrors"] == [], (name, payload["userErrors"])
    return payload


async def upload(
    w: World, who: str, query: str, variables: Mapping[str, Any], pdf: bytes, filename: str
) -> dict[str, Any]:
    """A GraphQL multipart request (the spec) with the CSRF header; the file at input.file."""
    operations = {"query": query, "variables": {"input": {**variables, "file": None}}}
    response = await w.client.post(
        "/graphql",
        headers={**w.headers(who), **CSRF},
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.input.file"]}),
        },
        files={"0": (filename, pdf, "application/pdf")},
    )
    body: dict[str, Any] = response.json()
    assert not body.get("errors"), body
    return body["data"]  # type: ignore[no-any-return]


def pdfsig(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "signed.pdf"
    path.write_bytes(data)
    done = subprocess.run(
        ["pdfsig", str(path)], capture_output=True, text=True, timeout=120, check=False
    )
    return done.stdout + done.stderr


async def steps(w: World, who: str, doc: str) -> list[str]:
    events = (await w.gql(who, TIMELINE, {"id": doc}))["documentTimeline"]
    return [e["step"] for e in events]
