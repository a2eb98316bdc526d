"""The archive's sample data of ``make run`` on a fresh graph with the real loaders and the real
MinIO: three years' nomenclatures approved, cases due for disposal and not, held cases, a
permanent one, transferred cases' files in the Object Lock bucket (legal hold where held or
permanent, COMPLIANCE where retention still runs), the EDMS sample's documents filed into this
year's cases; a second load does nothing twice; production refuses."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from asan.app import create_app
from asan.archive.cases.use_cases import list_cases
from asan.archive.holds.use_cases import active_of_cases
from asan.archive.records import repository as records_repo
from asan.archive.records.models import ArchivedRecord
from asan.archive.sample import plan
from asan.archive.sample.loader import load_sample_archive
from asan.auth.demo import load_demo_users
from asan.auth.keys import KeyStore
from asan.auth.principal import SYSTEM
from asan.auth.service import AuthService
from asan.core.platform import Platform
from asan.core.settings import Profile, Settings
from asan.core.workdays import today_in_baku
from asan.edms.appeals.sample import load_sample_appeals
from asan.edms.sample.loader import load_sample_documents
from asan.registry.org.seed import import_regulations
from asan.seeding import SAMPLE_LOADERS

# the EDMS sample documents' loader is left out (it takes most of the time): the registered
# sample appeals stand for the documents the archive's sample files into this year's cases
LOADERS = (import_regulations, load_demo_users, load_sample_appeals)
COUNTS = """
MATCH (n) WHERE n:Nomenclature OR n:Case OR n:Document OR n:ArchivedRecord OR n:ArchiveHold
   OR n:TransferInventory OR n:ChangeEvent OR n:MutationReceipt
RETURN labels(n)[0] AS label, count(n) AS n ORDER BY label
"""


CASES_QUERY = (
    "query { cases(first: 50) { edges { node {"
    " index year status disposalDate activeHold archivedRecordCount } } } }"
)


async def as_archivist(p: Platform, settings: Settings, keys: Path, query: str) -> dict[str, Any]:
    """``data`` of a GraphQL query sent by demo.archivist to the app over these services."""
    rows = await p.db.read("MATCH (u:User {username: 'demo.archivist'}) RETURN u.id AS id")
    auth_settings = settings.model_copy(update={"data_dir": keys})
    auth = AuthService(
        auth_settings, KeyStore.open(auth_settings.data_path, auth_settings.auth_algorithm)
    )
    app = create_app(auth_settings, p, auth)
    app.state.platform = p  # ASGITransport does not run the lifespan
    token, _ = auth.access_token(rows[0]["id"], "user")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://asan.test") as client:
        response = await client.post(
            "/graphql",
            json={"query": query},
            headers={"Authorization": f"Bearer {token}"},
        )
    body = response.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


async def test_make_run_loads_the_archive_sample_once(
    clean_platform: Platform, settings: Settings, tmp_path: Path
) -> None:
    p = clean_platform
    # after the EDMS sample, whose documents it files
    assert SAMPLE_LOADERS.index(load_sample_archive) > SAMPLE_LOADERS.index(load_sample_documents)
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
    for loader in LOADERS:
        await loader(p)
    said = await load_sample_archive(p)
    assert said.startswith(f"archive sample: {len(plan.CASES)} cases"), said

    this = today_in_baku().year
    years = await p.db.read(
        "MATCH (n:Nomenclature) RETURN n.year AS year, n.status AS status, n.sample AS sample "
        "ORDER BY year"
    )
    assert years == [
        {"year": this - age, "status": "approved", "sample": True}
        for age in sorted(plan.AGES)[::-1]
    ]
    cases, total = await list_cases(
        p,
        SYSTEM,
        {"year": None, "unit": None, "status": None, "index": None},
        after=None,
        limit=100,
    )
    assert total == len(plan.CASES)
    flags = await p.db.read("MATCH (c:Case) RETURN collect(DISTINCT c.sample) AS flags")
    assert flags[0]["flags"] == [True]
    today = today_in_baku()
    due = [c for c in cases if c.disposal_date is not None and c.disposal_date <= today]
    kept = [c for c in cases if c.disposal_date is not None and c.disposal_date > today]
    assert due and kept
    assert {c.status for c in cases} >= {"open", "closed", "unit_archive", "transferred"}
    assert [c.permanent for c in cases if c.status == "permanent"] == [True]
    retentions = {c.retention_years for c in cases}
    assert {1, 3, 5, 10, 75, None} <= retentions
    assert any(c.expert_review for c in cases)

    by_id = {c.id: c for c in cases}
    holds = await active_of_cases(p, SYSTEM, list(by_id))
    held = {case_id for case_id, found in holds.items() if found}
    assert len(held) == sum(1 for c in plan.CASES if c.hold is not None)
    assert any(by_id[h].disposal_date is not None and by_id[h].disposal_date <= today for h in held)

    # the transferred cases' files are in the locked bucket, each as its case requires
    bucket = p.buckets["archive"]
    now = datetime.now(UTC)
    transferred = [c for c in cases if c.status in ("transferred", "permanent")]
    assert len(transferred) == sum(1 for c in plan.CASES if c.ingested)
    locked_until_date = 0
    for case in transferred:
        records = [ArchivedRecord.of(r) for r in await records_repo.of_case(p.db, case.id)]
        assert records and all(r.sha256 for r in records), case.index
        for record in records:
            info = await p.store.stat(bucket, record.key, record.version_id)
            assert info.version_id == record.version_id
            hold = await p.store.legal_hold(bucket, record.key, record.version_id)
            assert hold == (case.permanent or case.id in held), case.index
            lock = await p.store.retention(bucket, record.key, record.version_id)
            if case.disposal_date is not None and case.disposal_date > today:
                assert lock is not None and lock[0] == "COMPLIANCE" and lock[1] > now
                locked_until_date += 1
            else:  # past its date (destroyable once no hold applies) or permanent
                assert lock is None or lock[1] <= now
    assert locked_until_date > 0

    # this year's open cases hold the EDMS sample's registered public documents
    filed = await p.db.read(
        "MATCH (d:Document {sample: true})-[:FILED_IN]->(c:Case {year: $year}) "
        "RETURN d.kind AS kind, c.index AS index",
        {"year": this},
    )
    appeals = await p.db.read(
        "MATCH (d:Document {kind: 'appeal', sample: true}) WHERE d.regNumber IS NOT NULL "
        "AND d.classification = 'public' RETURN count(d) AS n"
    )
    assert appeals[0]["n"] > 0
    assert [r["kind"] for r in filed].count("appeal") == appeals[0]["n"]
    assert {r["index"] for r in filed if r["kind"] == "appeal"} == {"DEPT-EDMS-01"}
    unfiled_past = await p.db.read(
        "MATCH (d:Document {sample: true}) WHERE d.subject IN $subjects "
        "AND NOT (d)-[:FILED_IN]->(:Case) RETURN count(d) AS n",
        {"subjects": [s for c in plan.CASES for s in c.documents]},
    )
    assert unfiled_past[0]["n"] == 0

    # the same through GraphQL, as the demo archivist sees it in make run
    cases_seen = await as_archivist(p, settings, tmp_path, CASES_QUERY)
    nodes = [e["node"] for e in cases_seen["cases"]["edges"]]
    assert len(nodes) == len(plan.CASES)
    today_text = today.isoformat()
    assert any(n["disposalDate"] and n["disposalDate"] <= today_text for n in nodes)
    assert sum(1 for n in nodes if n["activeHold"]) == len(held)
    in_bucket = {n["index"] + "/" + str(n["year"]) for n in nodes if n["archivedRecordCount"]}
    assert len(in_bucket) == len(transferred)

    before = await p.db.read(COUNTS)
    again = await load_sample_archive(p)
    assert again.endswith("(already there)") and again.startswith(said)
    assert await p.db.read(COUNTS) == before
    # a load cut off before its last write (the cases' sample mark) resumes: every step replays
    await p.db.write("MATCH (c:Case) REMOVE c.sample")
    resumed = await load_sample_archive(p)
    assert resumed == said
    assert await p.db.read(COUNTS) == before

    original = p.settings
    p.settings = original.model_copy(update={"profile": Profile.PROD})
    try:
        with pytest.raises(RuntimeError):
            await load_sample_archive(p)
    finally:
        p.settings = original
