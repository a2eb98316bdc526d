"""Neo4j migrations of the documents part (ids "edms:<nnnn>", never renumbered)."""

from __future__ import annotations

from asan.core.db import Tx
from asan.core.migrations import Migration
from asan.edms.documents.models import JOURNALS


async def _journals(tx: Tx) -> None:
    # The seven journals are reference data; a configured pattern or name is never reset.
    await tx.run(
        """
        UNWIND $journals AS j
        MERGE (n:Journal {code: j.code})
          ON CREATE SET n.kind = j.kind, n.nameAz = j.nameAz, n.nameEn = j.nameEn,
                        n.pattern = j.pattern
        """,
        {
            "journals": [
                {
                    "code": j.code,
                    "kind": j.kind,
                    "nameAz": j.name_az,
                    "nameEn": j.name_en,
                    "pattern": j.pattern,
                }
                for j in JOURNALS
            ]
        },
    )


MIGRATIONS: list[Migration] = [
    Migration(
        id="edms:0001",
        description="documents, journals, yearly counters and timeline events: unique ids, "
        "one number per journal, year and sequence; the seven registration journals",
        schema=(
            "CREATE CONSTRAINT document_id IF NOT EXISTS FOR (d:Document) REQUIRE d.id IS UNIQUE",
            "CREATE CONSTRAINT document_reg_seq IF NOT EXISTS "
            "FOR (d:Document) REQUIRE (d.journalCode, d.regYear, d.regSeq) IS UNIQUE",
            "CREATE CONSTRAINT journal_code IF NOT EXISTS FOR (j:Journal) REQUIRE j.code IS UNIQUE",
            "CREATE CONSTRAINT journal_counter_year IF NOT EXISTS "
            "FOR (c:JournalCounter) REQUIRE (c.journal, c.year) IS UNIQUE",
            "CREATE CONSTRAINT document_event_id IF NOT EXISTS "
            "FOR (e:DocumentEvent) REQUIRE e.id IS UNIQUE",
            "CREATE INDEX document_event_document IF NOT EXISTS "
            "FOR (e:DocumentEvent) ON (e.documentId, e.at)",
            "CREATE INDEX document_created IF NOT EXISTS FOR (d:Document) ON (d.createdAt, d.id)",
            "CREATE INDEX document_status IF NOT EXISTS FOR (d:Document) ON (d.kind, d.status)",
            "CREATE INDEX document_unit IF NOT EXISTS FOR (d:Document) ON (d.unit)",
            "CREATE INDEX document_reg_number IF NOT EXISTS FOR (d:Document) ON (d.regNumber)",
        ),
        data=_journals,
    ),
    Migration(
        id="edms:0002",
        description="lookups the search indexer makes per page of change events: a visa by "
        "id, documents by correspondent body and by journal (renames re-index them)",
        schema=(
            "CREATE CONSTRAINT visa_id IF NOT EXISTS FOR (v:Visa) REQUIRE v.id IS UNIQUE",
            "CREATE INDEX document_correspondent_body IF NOT EXISTS "
            "FOR (d:Document) ON (d.correspondentBody)",
            "CREATE INDEX document_journal IF NOT EXISTS FOR (d:Document) ON (d.journalCode)",
        ),
    ),
]
