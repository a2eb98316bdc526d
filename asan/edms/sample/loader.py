"""``load_sample_documents``: the sample documents of ``make run`` (never in production).

Runs after the org structure, the sample registry, the demo users and the sample appeals.
Idempotent twice over: when every sample document is there it does nothing; a load cut off
half-way resumes, because each step carries a client mutation id and a step already done
returns its first result without running again.
"""

from __future__ import annotations

from asan.core.platform import Platform
from asan.edms.copies import making
from asan.edms.sample.drafts import make_drafts
from asan.edms.sample.incoming import make_incoming
from asan.edms.sample.people import MissingCast, resolve_people

PREFERRED_BODY = "DSMF"  # the State Social Protection Fund: correspondent and addressee
KINDS = ("incoming", "outgoing", "internal", "order")
# incoming: received, registered, in_execution, executed, closed, secret;
# outgoing: draft, on_visa, returned, form_check, to_sign, signed, dispatched; one order
EXPECTED = 14


async def _count(platform: Platform) -> int:
    rows = await platform.db.read(
        "MATCH (d:Document {sample: true}) WHERE d.kind IN $kinds RETURN count(d) AS n",
        {"kinds": list(KINDS)},
    )
    return int(rows[0]["n"]) if rows else 0


async def _body(platform: Platform) -> str | None:
    rows = await platform.db.read(
        """
        OPTIONAL MATCH (b:StateBody {code: $preferred})
        WITH b.code AS preferred
        OPTIONAL MATCH (other:StateBody) WHERE other.code <> 'ASAN'
        WITH preferred, min(other.code) AS fallback
        RETURN coalesce(preferred, fallback) AS body
        """,
        {"preferred": PREFERRED_BODY},
    )
    return rows[0]["body"] if rows else None


async def _mark_sample(platform: Platform, ids: list[str]) -> None:
    """Drafts and documents sent in have no ``sample`` input: mark them, their files and
    copies, once they exist (a plain seed write, like the other sample loaders' nodes)."""
    await platform.db.write(
        """
        UNWIND $ids AS id
        MATCH (d:Document {id: id})
        SET d.sample = true
        WITH d
        CALL (d) { MATCH (f:DocumentFile {documentId: d.id}) SET f.sample = true }
        CALL (d) { MATCH (c:CertifiedCopy)-[:OF]->(d) SET c.sample = true }
        """,
        {"ids": ids},
    )


async def load_sample_documents(platform: Platform) -> str:
    if platform.settings.is_production:
        raise RuntimeError("sample documents are never loaded in production")
    present = await _count(platform)
    if present >= EXPECTED:
        return f"sample documents: {present} already there"
    body = await _body(platform)
    if body is None:
        return "sample documents: skipped (no state body: load the sample registry first)"
    try:
        people = await resolve_people(platform)
    except MissingCast as exc:
        return f"sample documents: skipped ({exc}; load the regulations and demo users first)"
    try:
        made = await make_incoming(platform, people, body)
        made.update(await make_drafts(platform, people, body))
    finally:
        await making.close_pool()  # the certified copy's stamping workers
    await _mark_sample(platform, sorted(set(made.values())))
    return (
        f"sample documents: {len(set(made.values()))} (incoming, drafts in every state, an "
        "order with legal expertise, a certified copy, a secret letter)"
    )
