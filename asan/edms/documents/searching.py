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
from typing import TYPE_CHECKING, Any, Final, LiteralString

from asan.auth.principal import Principal
from asan.core.changelog import ChangeEvent
from asan.edms.documents.access import search_acl, search_tokens
from asan.search.engine import SearchDoc
from asan.search.sources import SearchSource

if TYPE_CHECKING:
    from asan.core.platform import Platform

KIND: Final = "document"
# Extracted text kept per document, about 100 pages (the rest is cut, already in Neo4j): a
# scanned book must not make one search entry of megabytes, nor a rebuild's batch of 200
# documents hold gigabytes.
MAX_TEXT_CHARS: Final = 200_000

# Change-log kinds other than "Document" whose events may change a document's card, its
# files' text, its status or who is involved, each with the parameter name and the query
# part that maps its ids (``id``) to document ids (``doc``). ``affected`` joins the parts of
# the kinds present in a batch with UNION: one query per batch.
_TO_DOCUMENT: Final[tuple[tuple[str, LiteralString, LiteralString], ...]] = (
    ("DocumentFile", "files", "MATCH (x:DocumentFile {id: id}) RETURN x.documentId AS doc"),
    ("Resolution", "resolutions", "MATCH (x:Resolution {id: id}) RETURN x.documentId AS doc"),
    ("ExecutionTask", "tasks", "MATCH (x:ExecutionTask {id: id}) RETURN x.documentId AS doc"),
    (
        "DeadlineExtension",
        "extensions",
        "MATCH (x:DeadlineExtension {id: id}) MATCH (t:ExecutionTask {id: x.taskId}) "
        "RETURN t.documentId AS doc",
    ),
    ("Visa", "visas", "MATCH (x:Visa {id: id}) RETURN x.documentId AS doc"),
    ("Signature", "signatures", "MATCH (x:Signature {id: id}) RETURN x.documentId AS doc"),
    ("CertifiedCopy", "copies", "MATCH (x:CertifiedCopy {code: id}) RETURN x.documentId AS doc"),
    (
        "DocumentDelivery",
        "deliveries",
        "MATCH (x:DispatchEntry {id: id}) RETURN x.documentId AS doc",
    ),
    # reference data whose names are in a document's body (the correspondent, the journal)
    ("StateBody", "bodies", "MATCH (d:Document {correspondentBody: id}) RETURN d.id AS doc"),
    ("Journal", "journals", "MATCH (d:Document {journalCode: id}) RETURN d.id AS doc"),
)
LOG_KINDS: Final = frozenset({"Document", *(kind for kind, _, _ in _TO_DOCUMENT)})
# Only a change of a name re-indexes the documents of a state body or journal.
_NAME_KINDS: Final = frozenset({"StateBody", "Journal"})
_NAME_FIELDS: Final = frozenset({"nameAz", "nameEn", "nameRu"})


def _affected_query(params: Sequence[LiteralString]) -> LiteralString:
    parts: list[LiteralString] = [
        "UNWIND $" + name + " AS id " + part for _, name, part in _TO_DOCUMENT if name in params
    ]
    return (
        "CALL () { "
        + " UNION ".join(parts)
        + " } WITH doc WHERE doc IS NOT NULL RETURN collect(DISTINCT doc) AS docs"
    )


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
    RETURN collect(substring(g.text, 0, $maxChars)) AS texts
}
RETURN d.id AS id, d.kind AS kind, d.status AS status, d.regNumber AS regNumber,
       d.subject AS subject, d.summary AS summary, d.unit AS unit,
       d.classification AS classification, d.involved AS involved,
       d.caseIndex AS caseIndex, d.journalCode AS journalCode,
       j.nameAz AS journalAz, j.nameEn AS journalEn,
       d.correspondentBody AS bodyCode, b.nameAz AS bodyAz, b.nameEn AS bodyEn,
       d.correspondentName AS correspondentName, d.correspondentNumber AS correspondentNumber,
       toString(d.correspondentDate) AS correspondentDate, toString(d.regDate) AS regDate,
       d.regYear AS regYear, d.createdAt AS createdAt, texts
"""

_ALL_IDS: Final = "MATCH (d:Document) RETURN d.id AS id ORDER BY id"


def _date_words(iso: str | None) -> list[str]:
    """A date as typed in Azerbaijan (12.01.2026) and as ISO (2026-01-12)."""
    if not iso or len(iso) < 10:
        return []
    day = iso[:10]
    return [day, f"{day[8:10]}.{day[5:7]}.{day[0:4]}"]


def _year(registered: Any, created: Any) -> int | None:
    """The registration year; before registration the year the document was created."""
    if isinstance(registered, int):
        return registered
    year = getattr(created, "year", None)
    return year if isinstance(year, int) else None


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
    year = _year(row["regYear"], row["createdAt"])
    return SearchDoc(
        KIND,
        row["id"],
        title,
        body,
        acl=search_acl(row["classification"], row["unit"], row["involved"] or ()),
        unit=row["unit"],
        year=year,
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
        by_kind: dict[str, set[str]] = {}
        for e in events:
            if e.entity_kind in _NAME_KINDS and not _names_changed(e):
                continue
            by_kind.setdefault(e.entity_kind, set()).add(e.entity_id)
        params = {name: sorted(by_kind[k]) for k, name, _ in _TO_DOCUMENT if k in by_kind}
        if not params:
            return ids
        rows = await platform.db.read(_affected_query(list(params)), params)
        return ids | set(rows[0]["docs"] if rows else ())

    async def load(self, platform: Platform, ids: Sequence[str]) -> list[SearchDoc]:
        if not ids:
            return []
        rows = await platform.db.read(
            _LOAD, {"ids": list(dict.fromkeys(ids)), "maxChars": MAX_TEXT_CHARS}
        )
        return [to_search_doc(r) for r in rows]

    async def all_ids(self, platform: Platform) -> list[str]:
        return [r["id"] for r in await platform.db.read(_ALL_IDS)]

    def tokens(self, principal: Principal) -> Iterable[str]:
        return search_tokens(principal)


SOURCES: tuple[SearchSource, ...] = (DocumentSource(),)
