"""Who may see a document, as a Resource for the policy and as a Cypher predicate for lists.

Both say the same thing (``tests/edms/test_documents_secrecy.py`` checks one against the
other): a public document is visible to its unit, the people working on it, registrars,
archivists and auditors; a service or state secret only to someone whose clearance reaches
its classification AND who works on it or heads its unit. Everyone else gets NOT_FOUND and
the document is absent from every list and count.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import quote

from asan.auth.policy import Resource, is_admin
from asan.auth.principal import CLEARANCE_LEVELS, Principal
from asan.core.db import Tx
from asan.core.errors import NotFound

# Roles that see every public document (the EDMS department's registrars, archive, audit).
BROAD_READERS = ("registrar", "archivist", "auditor")


def not_found(document_id: str) -> NotFound:
    return NotFound(f"Document {document_id} tapılmadı / not found", field="id")


def to_resource(row: dict[str, Any]) -> Resource:
    classification = row.get("classification") or "public"
    return Resource(
        "Document",
        row["id"],
        org_unit=row.get("unit"),
        status=row.get("status"),
        classification=None if classification == "public" else classification,
        involved=frozenset(row.get("involved") or ()),
        hidden_if_denied=True,
    )


async def document_resource(tx: Tx, document_id: str) -> Resource:
    rows = await tx.run(
        "MATCH (d:Document {id: $id}) "
        "RETURN d.id AS id, d.unit AS unit, d.status AS status, "
        "d.classification AS classification, d.involved AS involved",
        {"id": document_id},
    )
    if not rows:
        raise not_found(document_id)
    return to_resource(rows[0])


def document_target(document_id: str) -> Callable[[Tx], Awaitable[Resource]]:
    """run_mutation's ``resource``: the document as it is inside the mutation's transaction."""

    async def resolve(tx: Tx) -> Resource:
        return await document_resource(tx, document_id)

    return resolve


async def involve(tx: Tx, document_id: str, subjects: Iterable[str]) -> None:
    """Add people who work on the document (they may see it from now on)."""
    wanted = sorted({s for s in subjects if s})
    if not wanted:
        return
    await tx.run(
        """
        MATCH (d:Document {id: $id})
        SET d.involved = coalesce(d.involved, []) +
            [s IN $subjects WHERE NOT s IN coalesce(d.involved, [])]
        """,
        {"id": document_id, "subjects": wanted},
    )


def cleared_classifications(principal: Principal) -> list[str]:
    if principal.kind == "system":
        return list(CLEARANCE_LEVELS)
    level = (
        CLEARANCE_LEVELS.index(principal.clearance)
        if principal.clearance in CLEARANCE_LEVELS
        else 0
    )
    return list(CLEARANCE_LEVELS[: level + 1])


def visible_where(alias: str, principal: Principal) -> tuple[str, dict[str, Any]]:
    """A Cypher predicate on ``alias`` (a Document) and its parameters; AND it into every list
    and count of documents. ``alias`` must be a plain identifier (it is code, never input)."""
    if not alias.isidentifier():
        raise ValueError(f"not an identifier: {alias!r}")
    a = alias
    predicate = (
        f"(coalesce({a}.classification, 'public') IN $visClasses AND ("
        f"$visAll OR $visSubject IN coalesce({a}.involved, []) "
        f"OR (coalesce({a}.classification, 'public') = 'public' "
        f"AND ($visBroad OR {a}.unit IN $visUnits)) "
        f"OR (coalesce({a}.classification, 'public') <> 'public' AND {a}.unit IN $visLed)))"
    )
    params: dict[str, Any] = {
        "visClasses": cleared_classifications(principal),
        "visAll": is_admin(principal),
        "visSubject": principal.subject,
        "visBroad": principal.has_role(*BROAD_READERS),
        "visUnits": sorted(principal.org_units),
        "visLed": sorted(principal.led_units),
    }
    return predicate, params


# --- the same rule as search access tokens (asan.search.sources) ----------------------------
# A search document matches a caller when the two token sets share one, so the AND of
# ``visible_where`` is folded into compound tokens: "<who>@<classification>" is held only by
# callers cleared for that classification. A document carries, for its classification c:
#   doc:admin@c, doc:user:<s>@c for each involved subject s,
#   doc:broad and doc:unit:<u> when public, doc:led:<u>@c when classified.
# A caller holds the same shapes for every classification it is cleared for.
# tests/search/test_document_source.py checks both sides against ``visible_where``.

_UNQUOTED = "-_."


def _token_part(value: str) -> str:
    """Percent-encodes everything but letters, digits and ``-_.`` (no commas, blanks, ``@``
    or ``:`` from data can reach a token)."""
    return quote(value, safe=_UNQUOTED)


def _stored_classification(classification: str | None) -> str:
    # ``coalesce(d.classification, 'public')``: only a missing value means public
    return "public" if classification is None else classification


def search_acl(
    classification: str | None, unit: str | None, involved: Iterable[str | None]
) -> frozenset[str]:
    """The access tokens of a document's search entry (never empty)."""
    c = _token_part(_stored_classification(classification))
    tokens = {f"doc:admin@{c}"}
    tokens.update(f"doc:user:{_token_part(s)}@{c}" for s in involved if s is not None)
    if _stored_classification(classification) == "public":
        tokens.add("doc:broad")
        if unit is not None:
            tokens.add(f"doc:unit:{_token_part(unit)}")
    elif unit is not None:
        tokens.add(f"doc:led:{_token_part(unit)}@{c}")
    return frozenset(tokens)


def search_tokens(principal: Principal) -> frozenset[str]:
    """The document tokens ``principal`` holds: what ``visible_where`` lets it see."""
    tokens: set[str] = set()
    subject = _token_part(principal.subject)
    for classification in cleared_classifications(principal):
        c = _token_part(classification)
        if is_admin(principal):
            tokens.add(f"doc:admin@{c}")
        tokens.add(f"doc:user:{subject}@{c}")
        if classification == "public":
            if principal.has_role(*BROAD_READERS):
                tokens.add("doc:broad")
            tokens.update(f"doc:unit:{_token_part(u)}" for u in principal.org_units)
        else:
            tokens.update(f"doc:led:{_token_part(u)}@{c}" for u in principal.led_units)
    return frozenset(tokens)
