"""The sample data of ``make run`` on a fresh graph with the real loaders (regulations, demo
users, sample appeals, sample documents; two state bodies and an ASAN centre stand in for the
sample registry, whose own test loads it): every state of a document's way is there,
everything is marked sample, a second load does nothing twice, production refuses."""

from __future__ import annotations

import pytest

from asan.auth.demo import load_demo_users
from asan.auth.resolve import resolve_user
from asan.core.platform import Platform
from asan.core.settings import Profile
from asan.core.workdays import today_in_baku
from asan.edms.appeals.sample import load_sample_appeals
from asan.edms.documents.access import visible_where
from asan.edms.drafts.reads import pending_visas
from asan.edms.sample.loader import load_sample_documents
from asan.registry.org.seed import import_regulations
from asan.seeding import SAMPLE_LOADERS

LOADERS = (import_regulations, load_demo_users, load_sample_appeals, load_sample_documents)

COUNTS = """
MATCH (n) WHERE n:Document OR n:DocumentEvent OR n:DocumentFile OR n:MutationReceipt
   OR n:Resolution OR n:Visa OR n:Signature OR n:CertifiedCopy
RETURN labels(n)[0] AS label, count(n) AS n ORDER BY label
"""


async def test_make_run_loads_documents_in_every_state_once(clean_platform: Platform) -> None:
    p = clean_platform
    # after the appeals and demo users (the archive's sample comes after it)
    assert SAMPLE_LOADERS.index(load_sample_documents) > SAMPLE_LOADERS.index(load_sample_appeals)
    await p.db.write(
        "CREATE (:StateBody {code: 'DSMF', nameAz: 'Dövlət Sosial Müdafiə Fondu', "
        "nameEn: 'State Social Protection Fund', nameFold: 'dövlət sosial müdafiə fondu', "
        "kind: 'fund', sample: true}) "
        "CREATE (:StateBody {code: 'DIN', nameAz: 'Daxili İşlər Nazirliyi', "
        "nameEn: 'Ministry of Internal Affairs', nameFold: 'daxili işlər nazirliyi', "
        "kind: 'ministry', sample: true}) "
        "CREATE (:AsanCentre {code: 'BAKI-1', name: 'Bakı 1 nömrəli ASAN xidmət mərkəzi', "
        "nameFold: 'bakı 1', region: 'Bakı', address: 'Ünvan', hours: '09:00-19:00', "
        "sample: true})"
    )
    lines = [await loader(p) for loader in LOADERS]
    said = lines[-1]
    assert said.startswith("sample documents: 14"), lines

    rows = await p.db.read(
        "MATCH (d:Document) RETURN d.kind AS kind, d.status AS status, d.sample AS sample, "
        "d.classification AS classification, d.regNumber AS number, d.id AS id"
    )
    assert rows and all(r["sample"] is True for r in rows)  # appeals included
    states = {(r["kind"], r["status"]) for r in rows}
    for status in ("received", "registered", "in_execution", "executed", "closed"):
        assert ("incoming", status) in states, status
    for status in (
        "draft",
        "on_visa",
        "returned",
        "form_check",
        "to_sign",
        "signed",
        "dispatched",
    ):
        assert ("outgoing", status) in states, status
    assert ("order", "dispatched") in states
    assert {"answered", "forwarded"} <= {r["status"] for r in rows if r["kind"] == "appeal"}
    numbered = [
        r for r in rows if r["kind"] != "appeal" and r["status"] in ("signed", "dispatched")
    ]
    assert all(r["number"] for r in numbered)

    legal = await p.db.read(
        "MATCH (s:VisaStep {role: 'legal_expertise'})-[:OF]->(d:Document {kind: 'order'}) "
        "MATCH (v:Visa {stepId: s.id}) RETURN v.decision AS decision, d.regNumber AS number"
    )
    assert [r["decision"] for r in legal] == ["approve"] and legal[0]["number"]
    copies = await p.db.read(
        "MATCH (c:CertifiedCopy)-[:OF]->(d:Document {sample: true}) "
        "RETURN c.sample AS sample, d.status AS status"
    )
    assert copies == [{"sample": True, "status": "dispatched"}]
    files = await p.db.read("MATCH (f:DocumentFile) RETURN collect(DISTINCT f.sample) AS s")
    assert files[0]["s"] == [True]
    signed = await p.db.read(
        "MATCH (s:Signature)-[:OF]->(d:Document) RETURN count(DISTINCT d) AS n"
    )
    assert signed[0]["n"] == 3  # the signed and dispatched replies, the order

    # the secret letter: there, in execution, and invisible to a demo executor without clearance
    secret = [r for r in rows if r["classification"] == "service_secret"]
    assert [(r["kind"], r["status"]) for r in secret] == [("incoming", "in_execution")]
    users = await p.db.read(
        "MATCH (u:User) WHERE u.username IN ['demo.it1', 'demo.it2'] "
        "RETURN u.username AS name, u.id AS id"
    )
    for user in users:
        principal = await resolve_user(p, user["id"], today_in_baku().isoformat())
        assert principal is not None
        predicate, params = visible_where("d", principal)
        seen = await p.db.read(
            f"MATCH (d:Document {{id: $doc}}) WHERE {predicate} RETURN count(d) AS n",
            {**params, "doc": secret[0]["id"]},
        )
        assert seen[0]["n"] == (1 if user["name"] == "demo.it1" else 0), user["name"]

    # what docs/edms-sample.md tells a person to try first is waiting for them
    demo = await p.db.read(
        "MATCH (u:User) WHERE u.username STARTS WITH 'demo.' RETURN u.username AS name, u.id AS id"
    )
    ids = {r["name"]: r["id"] for r in demo}
    sector = await resolve_user(p, ids["demo.sector"], today_in_baku().isoformat())
    assert sector is not None
    on_visa = {r["id"] for r in rows if (r["kind"], r["status"]) == ("outgoing", "on_visa")}
    assert {v.document_id for v in await pending_visas(p, sector)} == on_visa
    waiting = await p.db.read(
        "MATCH (d:Document {kind: 'incoming'}) WHERE d.status IN ['received', 'registered'] "
        "RETURN d.status AS status, d.unit AS unit ORDER BY status"
    )
    assert waiting == [
        {"status": "received", "unit": "DEPT-EDMS"},
        {"status": "registered", "unit": "DEPT-IT"},
    ]

    before = await p.db.read(COUNTS)
    again = [await loader(p) for loader in LOADERS]
    assert again[-1] == "sample documents: 14 already there", again
    assert await p.db.read(COUNTS) == before

    # a load cut off half-way resumes without doing a step twice (client mutation ids)
    await p.db.write(
        "MATCH (d:Document {sample: true}) WHERE d.kind = 'order' SET d.sample = false"
    )
    resumed = await load_sample_documents(p)
    assert resumed.startswith("sample documents: 14 ("), resumed
    assert await p.db.read(COUNTS) == before

    original = p.settings
    p.settings = original.model_copy(update={"profile": Profile.PROD})
    try:
        with pytest.raises(RuntimeError):
            await load_sample_documents(p)
    finally:
        p.settings = original
