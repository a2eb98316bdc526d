"""Neo4j schema of resolutions, execution tasks and deadline extension requests."""

from asan.core.migrations import Migration

MIGRATIONS: list[Migration] = [
    Migration(
        id="edms_resolutions:0001",
        description="resolutions (dərkənar), execution tasks, deadline extension requests",
        schema=(
            "CREATE CONSTRAINT resolution_id IF NOT EXISTS "
            "FOR (r:Resolution) REQUIRE r.id IS UNIQUE",
            "CREATE INDEX resolution_document IF NOT EXISTS FOR (r:Resolution) ON (r.documentId)",
            "CREATE INDEX resolution_status IF NOT EXISTS FOR (r:Resolution) ON (r.status)",
            "CREATE CONSTRAINT execution_task_id IF NOT EXISTS "
            "FOR (t:ExecutionTask) REQUIRE t.id IS UNIQUE",
            "CREATE INDEX execution_task_executor IF NOT EXISTS "
            "FOR (t:ExecutionTask) ON (t.executor)",
            "CREATE INDEX execution_task_unit IF NOT EXISTS FOR (t:ExecutionTask) ON (t.unit)",
            "CREATE INDEX execution_task_resolution IF NOT EXISTS "
            "FOR (t:ExecutionTask) ON (t.resolutionId)",
            "CREATE INDEX execution_task_status_deadline IF NOT EXISTS "
            "FOR (t:ExecutionTask) ON (t.status, t.deadline)",
            "CREATE CONSTRAINT deadline_extension_id IF NOT EXISTS "
            "FOR (x:DeadlineExtension) REQUIRE x.id IS UNIQUE",
            "CREATE INDEX deadline_extension_task IF NOT EXISTS "
            "FOR (x:DeadlineExtension) ON (x.taskId)",
        ),
    ),
]
