"""Shared steps of the resolution tests: register a document, write GraphQL, read the graph."""

from __future__ import annotations

from datetime import date
from typing import Any

from asan.edms.documents.models import DocumentCard
from asan.edms.documents.use_cases import register_document
from tests.edms.conftest import World

WRITE = """
mutation($input: WriteResolutionInput!) {
  writeResolution(input: $input) {
    resolution {
      id resolutionId author actingFor unit instruction deadline deadlineWorkingDays status
      mainExecutor coExecutors openTasks document { documentId status regNumber }
      tasks { taskId executor unit role status deadline }
    }
    userErrors { field message code }
  }
}"""

TASK_FIELDS = "taskId resolutionId executor unit role status deadline overdue report"

FORWARD = f"""
mutation($input: ForwardExecutionTaskInput!) {{
  forwardExecutionTask(input: $input) {{
    task {{ {TASK_FIELDS} forwardedFrom }} userErrors {{ field message code }}
  }}
}}"""

REPORT = f"""
mutation($input: ReportExecutionInput!) {{
  reportExecution(input: $input) {{
    task {{ {TASK_FIELDS} resolution {{ status openTasks document {{ status }} }} }}
    userErrors {{ field message code }}
  }}
}}"""

REQUEST_EXTENSION = """
mutation($input: RequestDeadlineExtensionInput!) {
  requestDeadlineExtension(input: $input) {
    extension { extensionId status proposedDeadline previousDeadline reason }
    task { taskId deadline }
    userErrors { field message code }
  }
}"""

DECIDE_EXTENSION = """
mutation($input: DecideDeadlineExtensionInput!) {
  decideDeadlineExtension(input: $input) {
    extension { extensionId status decidedBy }
    task { taskId deadline resolution { deadline } }
    userErrors { field message code }
  }
}"""

REMOVE = """
mutation($input: RemoveFromControlInput!) {
  removeFromControl(input: $input) {
    resolution { resolutionId status closedBy document { status } }
    userErrors { field message code }
  }
}"""

TASK_LIST = """
  totalCount
  edges { node { taskId executor unit status deadline overdue document { documentId } } }
  pageInfo { hasNextPage endCursor }
"""


def card(subject: str, **extra: Any) -> DocumentCard:
    values: dict[str, Any] = {
        "kind": "incoming",
        "subject": subject,
        "unit": "DEPT-IT",
        "correspondent_kind": "state_body",
        "correspondent_body": "MIN-TAX",
        "correspondent_number": "12/345",
        "correspondent_date": date(2026, 1, 15),
        "channel": "mail",
        "pages": 2,
    }
    values.update(extra)
    return DocumentCard(**values)


async def registered(world: World, subject: str, **extra: Any) -> str:
    """A registered incoming document (status ``registered``), by the registrar."""
    return await register_document(
        world.platform, world.principal("registrar"), card(subject, **extra)
    )


async def document_status(world: World, document_id: str) -> str:
    rows = await world.platform.db.read(
        "MATCH (d:Document {id: $id}) RETURN d.status AS status", {"id": document_id}
    )
    status: str = rows[0]["status"]
    return status


async def steps(world: World, document_id: str) -> list[str]:
    rows = await world.platform.db.read(
        "MATCH (e:DocumentEvent {documentId: $id}) RETURN e.step AS step ORDER BY e.at",
        {"id": document_id},
    )
    return [r["step"] for r in rows]


async def write(world: World, who: str, **fields: Any) -> dict[str, Any]:
    data = await world.gql(who, WRITE, {"input": fields})
    payload: dict[str, Any] = data["writeResolution"]
    return payload


def codes(payload: dict[str, Any]) -> list[tuple[str | None, str]]:
    return [(e["field"], e["code"]) for e in payload["userErrors"]]
