"""Service quality index: the pure scoring rules, and the batched reads on the real graph."""

from __future__ import annotations

from dataclasses import replace

from asan.auth.principal import SYSTEM
from asan.core.platform import Platform
from asan.registry.catalog import service as catalog
from asan.registry.catalog.models import Visibility
from asan.registry.catalog.quality import (
    CRITERIA,
    MAX_SCORE,
    ServiceFacts,
    body_quality,
    grade,
    score_service,
    service_quality,
    summarize_body,
)
from tests.registry.catalog_support import build_registry, passport_service

COMPLETE = ServiceFacts(
    code="S-1",
    name_az="Tam xidmət",
    body="DIN",
    status="published",
    documents=2,
    fee_stated=True,
    has_description=True,
    name_en=True,
    name_ru=True,
    legal_acts=1,
    processing_days=5,
    channels=frozenset({"ASAN_CENTRE", "MOBILE_BUS", "ONLINE", "CALL_CENTRE_108"}),
    centres=3,
    buses=1,
    online_url=True,
    systems=2,
)


def missing_codes(facts: ServiceFacts) -> set[str]:
    return {r.criterion.code for r in score_service(facts).missing}


def test_weights_add_up_to_one_hundred() -> None:
    assert MAX_SCORE == 100
    assert len({c.code for c in CRITERIA}) == len(CRITERIA)


def test_complete_service_scores_full_marks() -> None:
    q = score_service(COMPLETE)
    assert (q.score, q.grade, q.missing) == (100, "A", ())


def test_each_gap_costs_its_weight_and_is_explained() -> None:
    gaps = {
        "documents": replace(COMPLETE, documents=0),
        "term": replace(COMPLETE, processing_days=None),
        "online": replace(COMPLETE, online_url=False),
        "mobile": replace(COMPLETE, buses=0),
        "in_person": replace(COMPLETE, channels=COMPLETE.channels - {"ASAN_CENTRE"}),
        "complaints": replace(COMPLETE, channels=COMPLETE.channels - {"CALL_CENTRE_108"}),
        "integration": replace(COMPLETE, systems=0),
        "languages": replace(COMPLETE, name_ru=False),
        "legal_basis": replace(COMPLETE, legal_acts=0),
        "fee": replace(COMPLETE, fee_stated=False),
        "description": replace(COMPLETE, has_description=False),
    }
    weights = {c.code: c.weight for c in CRITERIA}
    for code, facts in gaps.items():
        q = score_service(facts)
        assert missing_codes(facts) == {code}, code
        assert q.score == 100 - weights[code]
        [gap] = q.missing
        assert " / " in gap.message and gap.message != "tamamdır / met"


def test_processing_day_zero_is_a_stated_term() -> None:
    assert "term" not in missing_codes(replace(COMPLETE, processing_days=0))


def test_bare_service_scores_only_what_it_has() -> None:
    bare = ServiceFacts(code="S-0", name_az="Boş", body=None, status="draft", fee_stated=True)
    q = score_service(bare)
    assert q.score == 10 and q.grade == "D"
    assert len(q.missing) == len(CRITERIA) - 1


def test_grades_and_body_summary() -> None:
    assert [grade(s) for s in (100, 85, 84, 70, 50, 49)] == ["A", "A", "B", "B", "C", "D"]
    weak = replace(COMPLETE, code="S-2", systems=0, online_url=False)
    body = summarize_body(
        "DIN", "Daxili İşlər Nazirliyi", [score_service(COMPLETE), score_service(weak)]
    )
    assert body.services == 2 and body.score == 87.5 and body.grade == "A"
    assert body.weakest[0].code == "S-2"
    coverage = {c.criterion.code: c.met for c in body.coverage}
    assert coverage["online"] == 1 and coverage["documents"] == 2
    assert summarize_body("X", "X", []).score is None


async def test_scores_are_read_in_one_query_for_many_services(clean_platform: Platform) -> None:
    p = clean_platform
    await build_registry(p)
    await catalog.create_service(p, SYSTEM, passport_service("DIN-001"))
    await catalog.create_service(
        p,
        SYSTEM,
        passport_service(
            "DIN-002",
            channels=("ASAN_CENTRE",),
            online_url=None,
            buses=(),
            systems=(),
            processing_days=None,
            legal_basis=(),
        ),
    )
    p.db.round_trips = 0
    scores = await service_quality(
        p.db, ["DIN-001", "DIN-002", "NOPE"], Visibility(all_statuses=True)
    )
    assert p.db.round_trips == 1
    assert set(scores) == {"DIN-001", "DIN-002"}
    # DIN-001 lacks only the 108 channel and outputs are not scored
    assert {r.criterion.code for r in scores["DIN-001"].missing} == {"complaints"}
    assert scores["DIN-001"].score == 95
    assert {r.criterion.code for r in scores["DIN-002"].missing} == {
        "complaints",
        "online",
        "mobile",
        "integration",
        "term",
        "legal_basis",
    }
    assert scores["DIN-002"].score == 95 - 15 - 10 - 10 - 15 - 5


async def test_drafts_are_hidden_from_the_public_and_bodies_count_public_services(
    clean_platform: Platform,
) -> None:
    p = clean_platform
    await build_registry(p)
    await catalog.create_service(p, SYSTEM, passport_service("DIN-001"))  # a draft
    public = Visibility()
    assert await service_quality(p.db, ["DIN-001"], public) == {}
    bodies = await body_quality(p.db, ["DIN", "ASAN"])
    assert bodies["DIN"].services == 0 and bodies["DIN"].score is None
    await p.db.write("MATCH (s:Service {code: 'DIN-001'}) SET s.status = 'published'")
    p.db.round_trips = 0
    bodies = await body_quality(p.db)
    assert p.db.round_trips == 1
    assert bodies["DIN"].services == 1 and bodies["DIN"].score == 95.0
    assert bodies["DIN"].name_az == "Daxili İşlər Nazirliyi"
    assert set(bodies) == {"DIN", "ASAN", "DMX"}
