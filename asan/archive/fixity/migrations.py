"""Fixity reports: unique ids, newest first; problems found by report; one lease node."""

from __future__ import annotations

from asan.core.migrations import Migration

MIGRATIONS = [
    Migration(
        id="archive:0030",
        description="fixity reports and problems: unique ids, by start time and by report",
        schema=(
            "CREATE CONSTRAINT fixity_report_id IF NOT EXISTS "
            "FOR (r:FixityReport) REQUIRE r.id IS UNIQUE",
            "CREATE INDEX fixity_report_started IF NOT EXISTS "
            "FOR (r:FixityReport) ON (r.startedAt)",
            "CREATE CONSTRAINT fixity_problem_id IF NOT EXISTS "
            "FOR (p:FixityProblem) REQUIRE p.id IS UNIQUE",
            "CREATE INDEX fixity_problem_report IF NOT EXISTS "
            "FOR (p:FixityProblem) ON (p.reportId)",
            "CREATE CONSTRAINT fixity_lease_name IF NOT EXISTS "
            "FOR (l:FixityLease) REQUIRE l.name IS UNIQUE",
        ),
    ),
    Migration(
        id="archive:0031",
        description="archived records by key: the fixity audit walks them in key order",
        schema=("CREATE INDEX fixity_record_key IF NOT EXISTS FOR (r:ArchivedRecord) ON (r.key)",),
    ),
]
