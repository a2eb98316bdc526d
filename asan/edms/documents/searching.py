"""Documents in the search index: the registration card and the text of its current files.

One search entry per ``Document``: the title is "<registration number> <subject>" (the subject
alone before registration), the body the rest of the card (summary, correspondent, journal,
kind, dates, case index) and the extracted text of the latest version of each file role.
Access tokens come from ``access.search_acl`` (the rule ``visible_where`` states), so the
index trims exactly what the documents list trims.

Everything the EDMS changes about a document reaches the change log as an event of the
document itself or of something hanging off it (a file version, a resolution, a task, a visa,
a signature, ...); ``affected`` maps the latter to their documents in one query per batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Final

from asan.auth.principal import Principal
from asan.core.changelog import ChangeEvent
from asan.edms.documents.access import search_acl, search_tokens
from asan.search.engine import SearchDoc
from asan.search.sources import SearchSource

if TYPE_CHECKING:
    from asan.core.platform import Platform

KIND: Final = "document"
# Extracted text kept per document (the rest is cut): a scanned book must not make one
# search entry of many megabytes.
MAX_TEXT_CHARS: Final = 1_000_000

# Change-log kinds whose entities carry their document's id (``documentId``), with the label
# of their node: an event of one of them may change the card, the files' text, the status or
# who is involved.
_CHILD_LABELS: Final[dict[str, str]] = {
    "DocumentFile": "DocumentFile",
    "Resolution": "Resolution",
    "ExecutionTask": "ExecutionTask",
    "Visa": "Visa",
    "Signature": "Signature",
    "CertifiedCopy": "CertifiedCopy",
    "DocumentDelivery": "DispatchEntry",
}
# Reference data whose names are part of a document's body (the correspondent state body,
# the journal): only a change of a name re-indexes its documents.
_NAME_FIELDS: Final = frozenset({"nameAz", "nameEn", "nameRu"})
LOG_KINDS: Final = frozenset(
    {"Document", "DeadlineExtension", "StateBody", "Journal", *_CHILD_LABELS}
)

_AFFECTED: Final = """
CALL () {
    UNWIND $files AS id MATCH (x:DocumentFile {id: id}) RETURN x.documentId AS doc
    UNION UNWIND $resolutions AS id MATCH (x:Resolution {id: id}) RETURN x.documentId AS doc
    UNION UNWIND $tasks AS id MATCH (x:ExecutionTask {id: id}) RETURN x.documentId AS doc
    UNION UNWIND $visas AS id MATCH (x:Visa {id: id}) RETURN x.documentId AS doc
    UNION UNWIND $signatures AS id MATCH (x:Signature {id: id}) RETURN x.documentId AS doc
    UNION UNWIND $copies AS id MATCH (x:CertifiedCopy {code: id}) RETURN x.documentId AS doc
    UNION UNWIND $deliveries AS id MATCH (x:DispatchEntry {id: id}) RETURN x.documentId AS doc
    UNION UNWIND $extensions AS id MATCH (x:DeadlineExtension {id: id})
        MATCH (t:ExecutionTask {id: x.taskId}) RETURN t.documentId AS doc
    UNION UNWIND $bodies AS code MATCH (d:Document {correspondentBody: code}) RETURN d.id AS doc
    UNION UNWIND $journals AS code MATCH (d:Document {journalCode: code}) RETURN d.id AS doc
}
WITH doc WHERE doc IS NOT NULL
RETURN collect(DISTINCT doc) AS docs
"""

_LOAD: Final = """
MATCH (d:Document) WHERE d.id IN $ids
OPTIONAL MATCH (b:StateBody {code: d.correspondentBody})
OPTIONAL MATCH (j:Journal {code: d.journalCode})
CALL (d) {
    OPTIONAL MATCH (f:DocumentFile {documentId: d.id})
    WITH f.role AS role, max(f.version) AS version
    OPTIONAL MATCH (g:DocumentFile {documentId: d.id, role: role, version: version})
    WHERE g.text IS NOT NULL AND g.text <> '' AND g.destroyedByAct IS NULL
    WITH g ORDER BY g.role
    RETURN collect(g.text) AS texts
}
RETURN d.id AS id, d.kind AS kind, d.status AS status, d.regNumber AS regNumber,
       d.subject AS subject, d.summary AS summary, d.unit AS unit,
       d.classification AS classification, d.involved AS involved,
       d.caseIndex AS caseIndex, d.journalCode AS journalCode,
       j.nameAz AS journalAz, j.nameEn AS journalEn,
       d.correspondentBody AS bodyCode, b.nameAz AS bodyAz, b.nameEn AS bodyEn,
       d.correspondentName AS correspondentName, d.correspondentNumber AS correspondentNumber,
       toString(d.correspondentDate) AS correspondentDate, toString(d.regDate) AS regDate,
       coalesce(d.regYear, d.createdAt.year) AS year, texts
"""

_ALL_IDS: Final = "MATCH (d:Document) RETURN d.id AS id ORDER BY id"


def _date_words(iso: str | None) -> list[str]:
    """A date as typed in Azerbaijan (12.01.2026) and as ISO (2026-01-12)."""
    if not iso or len(iso) < 10:
        return []
    day = iso[:10]
    return [day, f"{day[8:10]}.{day[5:7]}.{day[0:4]}"]


def to_search_doc(row: dict[str, Any]) -> SearchDoc:
    """One document's search entry from a ``_LOAD`` row."""
    number = row["regNumber"]
    subject = row["subject"] or ""
    title = f"{number} {subject}".strip() if number else subject
    card = [
        row["summary"],
        row["kind"],
        row["journalCode"],
        row["journalAz"],
        row["journalEn"],
        row["bodyCode"],
        row["bodyAz"],
        row["bodyEn"],
        row["correspondentName"],
        row["correspondentNumber"],
        *_date_words(row["correspondentDate"]),
        *_date_words(row["regDate"]),
        row["caseIndex"],
    ]
    text = "\n\n".join(row["texts"] or ())[:MAX_TEXT_CHARS]
    body = "\n".join([*(str(p) for p in card if p), text]).strip()
    year = row["year"]
    return SearchDoc(
        KIND,
        row["id"],
        title,
        body,
        acl=search_acl(row["classification"], row["unit"], row["involved"] or ()),
        unit=row["unit"],
        year=int(year) if year is not None else None,
        status=row["status"],
    )


def _names_changed(event: ChangeEvent) -> bool:
    return not event.fields or bool(_NAME_FIELDS.intersection(event.fields))


class DocumentSource:
    """The ``document`` kind (see ``asan.search.sources.SearchSource``)."""

    kind: str = KIND
    log_kinds: frozenset[str] = LOG_KINDS

    async def affected(self, platform: Platform, events: Sequence[ChangeEvent]) -> set[str]:
        ids = {e.entity_id for e in events if e.entity_kind == "Document"}
        by_kind: dict[str, set[str]] = {k: set() for k in LOG_KINDS}
        for e in events:
            if e.entity_kind in ("StateBody", "Journal") and not _names_changed(e):
                continue
            if e.entity_kind in by_kind and e.entity_kind != "Document":
                by_kind[e.entity_kind].add(e.entity_id)
        if not any(by_kind.values()):
            return ids
        params = {
            "files": sorted(by_kind["DocumentFile"]),
            "resolutions": sorted(by_kind["Resolution"]),
            "tasks": sorted(by_kind["ExecutionTask"]),
            "visas": sorted(by_kind["Visa"]),
            "signatures": sorted(by_kind["Signature"]),
            "copies": sorted(by_kind["CertifiedCopy"]),
            "deliveries": sorted(by_kind["DocumentDelivery"]),
            "extensions": sorted(by_kind["DeadlineExtension"]),
            "bodies": sorted(by_kind["StateBody"]),
            "journals": sorted(by_kind["Journal"]),
        }
        rows = await platform.db.read(_AFFECTED, params)
        return ids | set(rows[0]["docs"] if rows else ())

    async def load(self, platform: Platform, ids: Sequence[str]) -> list[SearchDoc]:
        if not ids:
            return []
        rows = await platform.db.read(_LOAD, {"ids": list(dict.fromkeys(ids))})
        return [to_search_doc(r) for r in rows]

    async def all_ids(self, platform: Platform) -> list[str]:
        return [r["id"] for r in await platform.db.read(_ALL_IDS)]

    def tokens(self, principal: Principal) -> Iterable[str]:
        return search_tokens(principal)


SOURCES: tuple[SearchSource, ...] = (DocumentSource(),)
