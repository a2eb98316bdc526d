"""GraphQL documents shared by the EDMS tests (the documents part's fields)."""

from __future__ import annotations

from typing import Any

DOCUMENT_FIELDS = """
  documentId kind status allowedSteps journalCode regNumber regDate subject summary pages
  attachments channel language classification caseIndex unit correspondentKind
  correspondentBody correspondentName correspondentNumber correspondentDate sample
"""

REGISTER = (
    "mutation($input: RegisterDocumentInput!) { registerDocument(input: $input) {"
    " document {" + DOCUMENT_FIELDS + "} userErrors { field message code } } }"
)
UPDATE = (
    "mutation($input: UpdateDocumentCardInput!) { updateDocumentCard(input: $input) {"
    " document {" + DOCUMENT_FIELDS + "} userErrors { field message code } } }"
)
DOCUMENT = "query($id: String!) { document(id: $id) {" + DOCUMENT_FIELDS + "} }"
DOCUMENTS = """
query($filter: DocumentFilter, $first: Int, $after: String) {
  documents(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { documentId subject regNumber classification } }
  }
}"""
TIMELINE = "query($id: String!) { documentTimeline(id: $id) { at step actor actingFor details } }"


def letter(subject: str, **extra: Any) -> dict[str, Any]:
    """A registration card from the Ministry of Taxes to DEPT-IT."""
    card: dict[str, Any] = {
        "subject": subject,
        "unit": "DEPT-IT",
        "correspondentKind": "STATE_BODY",
        "correspondentBody": "MIN-TAX",
        "correspondentNumber": "14/2-305",
        "correspondentDate": "2026-01-12",
        "channel": "MAIL",
        "pages": 2,
        "attachments": 1,
        "summary": "Vergi uçotu haqqında məlumat sorğusu",
    }
    card.update(extra)
    return card
