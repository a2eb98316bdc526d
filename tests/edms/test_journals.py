"""Registration numbers: gapless and unique per journal and year under concurrency, a
rolled-back registration leaves no gap, the configurable pattern renders every token."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource
from asan.core.errors import ValidationFailed
from asan.edms.documents import numbering
from asan.edms.documents.journals import configure_journal
from asan.edms.documents.models import DocumentCard
from asan.edms.documents.use_cases import register_document
from tests.edms.conftest import World


def card(subject: str, **extra: object) -> DocumentCard:
    values: dict[str, object] = {
        "kind": "incoming",
        "subject": subject,
        "unit": "DEPT-IT",
        "correspondent_kind": "state_body",
        "correspondent_body": "MIN-TAX",
        "correspondent_number": "12/345",
        "correspondent_date": date(2026, 1, 15),
        "channel": "mail",
        "pages": 3,
    }
    values.update(extra)
    return DocumentCard(**values)  # type: ignore[arg-type]


async def numbers(world: World, journal: str) -> list[int]:
    rows = await world.platform.db.read(
        "MATCH (d:Document {journalCode: $j}) WHERE d.regSeq IS NOT NULL "
        "RETURN d.regSeq AS seq ORDER BY seq",
        {"j": journal},
    )
    return [r["seq"] for r in rows]


async def test_concurrent_registrations_are_numbered_without_gaps(edms_world: World) -> None:
    registrar = edms_world.principal("registrar")
    before = await numbers(edms_world, "INC")

    async def one(n: int) -> str:
        return await register_document(edms_world.platform, registrar, card(f"Məktub {n}"))

    ids = await asyncio.gather(*(one(n) for n in range(12)))
    assert len(set(ids)) == 12
    seqs = await numbers(edms_world, "INC")
    assert seqs == list(range(1, len(before) + 13))
    rows = await edms_world.platform.db.read(
        "MATCH (d:Document)-[:IN_JOURNAL]->(j:Journal {code: 'INC'}) WHERE d.id IN $ids "
        "RETURN d.regNumber AS number, d.status AS status, d.regYear AS year",
        {"ids": ids},
    )
    assert len({r["number"] for r in rows}) == 12
    assert {r["status"] for r in rows} == {"registered"}
    year = rows[0]["year"]
    assert all(r["number"].startswith("G-") and r["number"].endswith(f"/{year}") for r in rows)


async def test_a_rolled_back_registration_leaves_no_gap(edms_world: World) -> None:
    platform = edms_world.platform
    registrar = edms_world.principal("registrar")
    first = await register_document(platform, registrar, card("Birinci"))

    async def fails_after_numbering(m: Mutation) -> None:
        await numbering.assign_number(m.tx, "INC", date.today())
        raise ValidationFailed([])

    with pytest.raises(ValidationFailed):
        await run_mutation(
            platform,
            registrar,
            "edms.document.register",
            Resource("Document"),
            fails_after_numbering,
        )
    second = await register_document(platform, registrar, card("İkinci"))
    rows = await platform.db.read(
        "MATCH (d:Document) WHERE d.id IN [$a, $b] RETURN d.regSeq AS seq ORDER BY seq",
        {"a": first, "b": second},
    )
    assert rows[1]["seq"] == rows[0]["seq"] + 1


async def test_a_missing_counter_continues_after_the_numbers_already_given(
    edms_world: World,
) -> None:
    # documents numbered before their counter existed (an import, a restore without
    # counters): the next number follows the highest one instead of colliding with it
    platform = edms_world.platform
    registrar = edms_world.principal("registrar")
    await register_document(platform, registrar, card("Əvvəlki"))
    highest = max(await numbers(edms_world, "INC"))
    await platform.db.write("MATCH (c:JournalCounter {journal: 'INC'}) DETACH DELETE c")
    after = await register_document(platform, registrar, card("Sonrakı"))
    rows = await platform.db.read(
        "MATCH (d:Document {id: $id}) RETURN d.regSeq AS seq", {"id": after}
    )
    assert rows[0]["seq"] == highest + 1


async def test_the_pattern_is_configurable_and_validated(edms_world: World) -> None:
    platform = edms_world.platform
    registrar = edms_world.principal("registrar")
    with pytest.raises(ValidationFailed) as bad:
        await configure_journal(platform, registrar, "ORD", pattern="{seq}-{seq}/{month}")
    assert {e.field for e in bad.value.errors} == {"pattern"}
    await configure_journal(platform, registrar, "INC", pattern="{unit}/{index}-{seq:4}/{yy}")
    try:
        doc = await register_document(platform, registrar, card("Şablon", case_index="01-05"))
        rows = await platform.db.read(
            "MATCH (d:Document {id: $id}) RETURN d.regNumber AS number, d.regSeq AS seq, "
            "d.regYear AS year",
            {"id": doc},
        )
        seq, year = rows[0]["seq"], rows[0]["year"]
        assert rows[0]["number"] == f"DEPT-IT/01-05-{seq:04d}/{year % 100:02d}"
        # the pattern needs a case index: a card without one is refused, and no number is used
        with pytest.raises(ValidationFailed) as missing:
            await register_document(platform, registrar, card("İndekssiz"))
        assert [e.field for e in missing.value.errors] == ["caseIndex"]
        again = await register_document(platform, registrar, card("Yenə", case_index="01-05"))
        rows = await platform.db.read(
            "MATCH (d:Document {id: $id}) RETURN d.regSeq AS seq", {"id": again}
        )
        assert rows[0]["seq"] == seq + 1
    finally:
        await configure_journal(platform, registrar, "INC", pattern="G-{seq}/{year}")
