"""``load_sample_archive``: the archive's sample data of ``make run`` (never in production).

Runs after the EDMS sample (its documents are filed into this year's cases). Everything goes
through the archive's own use cases as the demo user who would do it: the registrar plans and
files, the chairman approves, the archivist closes, accepts the transfer inventories, places
the holds and ingests the files into the Object Lock bucket. Each step carries a client
mutation id, so a load cut off half-way resumes and a second load does nothing twice; once
every sample case is marked ``sample: true`` (the last write) a load only counts them.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from asan.archive.cases.use_cases import change_status, file_document
from asan.archive.holds.use_cases import place_hold
from asan.archive.nomenclature.use_cases import (
    CaseDraft,
    add_case,
    approve_nomenclature,
    compile_nomenclature,
    create_nomenclature,
)
from asan.archive.records.ingest import ingest_case
from asan.archive.sample import plan
from asan.archive.sample.cast import Cast, MissingCast, resolve_cast
from asan.archive.transfer.use_cases import accept_inventory, create_inventory, submit_inventory
from asan.core.platform import Platform
from asan.core.workdays import today_in_baku
from asan.edms.documents.models import DocumentCard
from asan.edms.documents.use_cases import NewFile, register_document
from asan.edms.sample.pdf import letter_pdf

SENDERS = ("“Azərkabel” MMC", "“Bakı Rəqəmsal Həllər” MMC", "“Xəzər Sistemləri” ASC")


def _year(case: plan.SampleCase, this: int) -> int:
    return this - case.age


async def _plan_years(platform: Platform, cast: Cast, this: int) -> dict[str, str]:
    """Each year's nomenclature with its cases, compiled and approved; case ids by key."""
    ids: dict[str, str] = {}
    for age in plan.AGES:
        year = this - age
        await create_nomenclature(
            platform, cast.registrar, year, client_mutation_id=cast.key(str(age), "create")
        )
        await platform.db.write(
            "MATCH (n:Nomenclature {year: $year}) SET n.sample = true", {"year": year}
        )
        for case in (c for c in plan.CASES if c.age == age):
            draft = CaseDraft(
                year=year,
                unit=case.unit,
                number=case.number,
                title=case.title,
                retention_years=case.retention,
                permanent=case.retention is None,
                article=case.article,
                expert_review=case.expert_review,
            )
            ids[case.key] = await add_case(
                platform, cast.registrar, draft, client_mutation_id=cast.key(case.key, "add")
            )
        await compile_nomenclature(
            platform, cast.registrar, year, client_mutation_id=cast.key(str(age), "compile")
        )
        await approve_nomenclature(
            platform, cast.chairman, year, client_mutation_id=cast.key(str(age), "approve")
        )
    return ids


async def _documents(platform: Platform, cast: Cast, ids: dict[str, str]) -> int:
    """Letters of past years, each with its PDF, registered and filed into their case."""
    made = 0
    for case in plan.CASES:
        for n, subject in enumerate(case.documents, start=1):
            name = f"{case.key}-{n}"
            sender = SENDERS[made % len(SENDERS)]
            pdf = letter_pdf(subject, sender, "Hörmətli həmkarlar,", "Məlumat üçün göndərilir.")
            card = DocumentCard(
                kind="incoming",
                subject=subject,
                unit=case.unit,
                summary=f"{subject}: arxiv nümunəsi / an archive sample",
                pages=1,
                channel="mail",
                correspondent_kind="organisation",
                correspondent_name=sender,
                correspondent_number=f"{n}/{case.number:02d}-{case.age}",
                sample=True,
            )
            document_id = await register_document(
                platform,
                cast.registrar,
                card,
                file=NewFile(pdf, f"{name}.pdf", "application/pdf"),
                client_mutation_id=cast.key(name, "register"),
            )
            await file_document(
                platform,
                cast.registrar,
                document_id,
                ids[case.key],
                client_mutation_id=cast.key(name, "file"),
            )
            made += 1
    return made


async def _reuse_edms(platform: Platform, cast: Cast, ids: dict[str, str]) -> int:
    """The EDMS sample's registered public documents, filed into this year's cases."""
    rows = await platform.db.read(
        """
        MATCH (d:Document {sample: true})
        WHERE d.kind IN $kinds AND d.regNumber IS NOT NULL AND d.classification = 'public'
          AND NOT (d)-[:FILED_IN]->(:Case)
        RETURN d.id AS id, d.kind AS kind ORDER BY d.regNumber
        """,
        {"kinds": list(plan.REUSED)},
    )
    for row in rows:
        await file_document(
            platform,
            cast.registrar,
            row["id"],
            ids[plan.REUSED[row["kind"]]],
            client_mutation_id=cast.key(row["id"], "file"),
        )
    return len(rows)


async def _lifecycle(platform: Platform, cast: Cast, this: int, ids: dict[str, str]) -> None:
    """Close past cases on the last day of their year, hand them to the unit's archive, transfer
    them by an accepted inventory per unit and year, keep the permanent one permanently."""
    transfers: dict[tuple[str, int], list[str]] = defaultdict(list)
    for case in plan.CASES:
        year = _year(case, this)
        for step in case.steps:
            if step == plan.TRANSFERRED:
                transfers[(case.unit, year)].append(ids[case.key])
                continue
            if step == plan.PERMANENT:
                continue  # after the transfer
            await change_status(
                platform,
                cast.archivist,
                ids[case.key],
                step,
                closed_on=date(year, 12, 31) if step == plan.CLOSED else None,
                client_mutation_id=cast.key(case.key, step),
            )
    for (unit, year), case_ids in sorted(transfers.items()):
        name = f"{unit}-{year}"
        inventory = await create_inventory(
            platform,
            cast.registrar,
            unit,
            year,
            case_ids,
            client_mutation_id=cast.key(name, "inventory"),
        )
        await submit_inventory(
            platform, cast.registrar, inventory, client_mutation_id=cast.key(name, "submit")
        )
        await accept_inventory(
            platform, cast.archivist, inventory, client_mutation_id=cast.key(name, "accept")
        )
        await platform.db.write(
            "MATCH (i:TransferInventory {id: $id}) SET i.sample = true", {"id": inventory}
        )
    for case in plan.CASES:
        if plan.PERMANENT in case.steps:
            await change_status(
                platform,
                cast.archivist,
                ids[case.key],
                plan.PERMANENT,
                client_mutation_id=cast.key(case.key, plan.PERMANENT),
            )


async def _holds_and_ingest(platform: Platform, cast: Cast, ids: dict[str, str]) -> int:
    """Holds first (the ingest then puts held files under a legal hold), then the files of
    every transferred case into the Object Lock bucket (a second run adds nothing)."""
    for case in plan.CASES:
        if case.hold is not None:
            kind, reason = case.hold
            await place_hold(
                platform,
                cast.archivist,
                ids[case.key],
                kind,
                reason,
                client_mutation_id=cast.key(case.key, "hold"),
            )
    files = 0
    for case in plan.CASES:
        if case.ingested:
            report = await ingest_case(platform, cast.archivist, ids[case.key])
            files += report.ingested + report.skipped
    return files


async def _mark(platform: Platform, ids: dict[str, str]) -> None:
    """Everything of the sample cases is sample data; the cases last (the "done" mark)."""
    await platform.db.write(
        """
        UNWIND $ids AS id
        MATCH (c:Case {id: id})
        CALL (c) { MATCH (r:ArchivedRecord)-[:OF_CASE]->(c) SET r.sample = true }
        CALL (c) { MATCH (h:ArchiveHold)-[:HOLDS]->(c) SET h.sample = true }
        SET c.sample = true
        """,
        {"ids": sorted(ids.values())},
    )


async def _summary(platform: Platform) -> str:
    rows = await platform.db.read(
        """
        MATCH (c:Case {sample: true})
        RETURN count(c) AS cases,
               count(CASE WHEN c.disposalDate <= $today AND NOT c.status IN ['open', 'destroyed']
                          THEN 1 END) AS due,
               count(CASE WHEN EXISTS { (:ArchiveHold {active: true})-[:HOLDS]->(c) }
                          THEN 1 END) AS held,
               sum(COUNT { (:ArchivedRecord)-[:OF_CASE]->(c) }) AS records
        """,
        {"today": today_in_baku()},
    )
    r = rows[0]
    return (
        f"archive sample: {r['cases']} cases in {len(plan.AGES)} years ({r['due']} due for "
        f"disposal, {r['held']} held), {r['records']} files in the archive bucket"
    )


async def _done(platform: Platform) -> bool:
    rows = await platform.db.read("MATCH (c:Case {sample: true}) RETURN count(c) AS n")
    return int(rows[0]["n"]) >= len(plan.CASES)


async def _foreign_years(platform: Platform, years: list[int]) -> list[int]:
    """Years whose nomenclature exists and is not the sample's (made by people: left alone)."""
    rows = await platform.db.read(
        "MATCH (n:Nomenclature) WHERE n.year IN $years AND coalesce(n.sample, false) = false "
        "RETURN n.year AS year ORDER BY year",
        {"years": years},
    )
    return [int(r["year"]) for r in rows]


async def load_sample_archive(platform: Platform) -> str:
    if platform.settings.is_production:
        raise RuntimeError("archive sample data is never loaded in production")
    if await _done(platform):
        return (await _summary(platform)) + " (already there)"
    this = today_in_baku().year
    foreign = await _foreign_years(platform, [this - age for age in plan.AGES])
    if foreign:
        listed = ", ".join(map(str, foreign))
        return f"archive sample: skipped (the nomenclature of {listed} is not sample data)"
    try:
        cast = await resolve_cast(platform)
    except MissingCast as exc:
        return f"archive sample: skipped ({exc}; load the regulations and demo users first)"
    ids = await _plan_years(platform, cast, this)
    await _documents(platform, cast, ids)
    await _reuse_edms(platform, cast, ids)
    await _lifecycle(platform, cast, this, ids)
    await _holds_and_ingest(platform, cast, ids)
    await _mark(platform, ids)
    return await _summary(platform)
