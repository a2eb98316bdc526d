"""Writing a resolution (dərkənar) and taking the document off control.

A head (or the deputy acting for them within a delegation, recorded as ``actingFor``) writes
one resolution on a registered document: a main executor, co-executors, the instruction and a
deadline. The document steps ``registered -resolve-> in_execution``; each executor gets an
``ExecutionTask`` and is involved in the document (so a secret one becomes visible to them).
When every part is reported the document steps ``complete`` (``execution.py``); the
controller then removes it from control (``executed -remove_from_control-> closed``).
Each is one audited, idempotent unit returning the resolution's id.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from asan.archive.filing.auto import file_at_completion
from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import is_admin
from asan.auth.principal import Principal
from asan.core.errors import FieldError, NotFound, ValidationFailed
from asan.core.platform import Platform
from asan.core.text import clean
from asan.core.workdays import today_in_baku
from asan.edms.documents.access import involve
from asan.edms.documents.flows import advance
from asan.edms.documents.timeline import record_step
from asan.edms.resolutions import flows
from asan.edms.resolutions import repository as repo
from asan.edms.resolutions.deadlines import execution_deadline
from asan.edms.resolutions.models import ResolutionDraft
from asan.edms.resolutions.people import find_people
from asan.edms.resolutions.policy import ISSUE, REMOVE_FROM_CONTROL
from asan.edms.resolutions.targets import document_or_hidden, resolution_target

INSTRUCTION_MAX = 4000
NOTE_MAX = 2000
MAX_CO_EXECUTORS = 20
RESOLUTION_FIELDS = (
    "id",
    "documentId",
    "author",
    "actingFor",
    "instruction",
    "deadline",
    "status",
    "mainExecutor",
    "coExecutors",
)
TASK_FIELDS = ("id", "resolutionId", "documentId", "executor", "unit", "role", "status", "deadline")


def text(value: str, field: str, max_length: int, *, required: bool = True) -> str:
    cleaned, error = clean(value, field, max_length=max_length, multiline=True, required=required)
    if error is not None:
        raise ValidationFailed([error])
    return cleaned


def missing(kind: str, entity_id: str, field: str = "id") -> NotFound:
    return NotFound(f"{kind} {entity_id} tapılmadı / not found", field=field)


def _executor_refs(draft: ResolutionDraft) -> list[tuple[str, str]]:
    refs = [("mainExecutor", draft.main_executor.strip())]
    errors: list[FieldError] = []
    if len(draft.co_executors) > MAX_CO_EXECUTORS:
        errors.append(
            FieldError(
                "coExecutors",
                f"{MAX_CO_EXECUTORS}-dən çox həmicraçı olmaz / "
                f"at most {MAX_CO_EXECUTORS} co-executors",
            )
        )
    for i, ref in enumerate(draft.co_executors):
        refs.append((f"coExecutors[{i}]", ref.strip()))
    if errors:
        raise ValidationFailed(errors)
    return refs


async def issue_resolution(
    platform: Platform,
    principal: Principal,
    draft: ResolutionDraft,
    *,
    client_mutation_id: str | None = None,
) -> str:
    """Write the resolution and step the document into execution; returns its id."""

    async def work(m: Mutation) -> str:
        document = m.resource
        if document.kind != "Document" or document.status is None:
            raise missing("Document", draft.document_id, "documentId")
        instruction = text(draft.instruction, "instruction", INSTRUCTION_MAX)
        today = today_in_baku()
        deadline, working_days = execution_deadline(today, draft.deadline, draft.working_days)
        refs = _executor_refs(draft)
        allowed = None if is_admin(principal) else principal.led_units
        people, errors = await find_people(
            m.tx, refs, today.isoformat(), allowed, document.classification
        )
        seen: dict[str, str] = {}
        for field, person in people.items():
            if person.id in seen:
                errors.append(
                    FieldError(
                        field,
                        f"icraçı təkrarlanır ({seen[person.id]}) / "
                        f"the executor is named twice ({seen[person.id]})",
                    )
                )
            seen[person.id] = field
        if errors:
            raise ValidationFailed(errors)
        await advance(m.tx, draft.document_id, "resolve")
        now = datetime.now(UTC)
        resolution_id = uuid.uuid4().hex
        main = people["mainExecutor"]
        co = [people[field] for field, _ in refs[1:]]
        tasks = [
            {
                "id": uuid.uuid4().hex,
                "resolutionId": resolution_id,
                "documentId": draft.document_id,
                "executor": person.id,
                "executorName": person.name,
                "unit": person.unit,
                "role": role,
                "status": flows.TASK_ASSIGNED,
                "deadline": deadline,
                "assignedAt": now,
                "assignedBy": principal.subject,
                "instruction": instruction,
            }
            for person, role in [(main, flows.ROLE_MAIN), *((p, flows.ROLE_CO) for p in co)]
        ]
        await repo.create_resolution(
            m.tx,
            {
                "id": resolution_id,
                "documentId": draft.document_id,
                "author": principal.subject,
                "authorName": principal.name,
                "actingFor": principal.acting_for,
                "unit": document.org_unit,
                "instruction": instruction,
                "deadline": deadline,
                "deadlineWorkingDays": working_days,
                "status": flows.RESOLUTION_IN_EXECUTION,
                "mainExecutor": main.id,
                "coExecutors": [p.id for p in co],
                "createdAt": now,
            },
            tasks,
        )
        await involve(m.tx, draft.document_id, [principal.subject, main.id, *(p.id for p in co)])
        await record_step(
            m.tx,
            draft.document_id,
            "resolve",
            principal,
            {
                "resolutionId": resolution_id,
                "mainExecutor": main.id,
                "coExecutors": [p.id for p in co],
                "deadline": deadline,
                "instruction": instruction,
            },
        )
        m.changed("Resolution", resolution_id, "created", RESOLUTION_FIELDS)
        for task in tasks:
            m.changed("ExecutionTask", str(task["id"]), "created", TASK_FIELDS)
        m.changed("Document", draft.document_id, "status_changed", ("status", "involved"))
        m.detail(resolutionId=resolution_id, documentId=draft.document_id)
        return resolution_id

    return await run_mutation(
        platform,
        principal,
        ISSUE,
        document_or_hidden(principal, draft.document_id),
        work,
        client_mutation_id=client_mutation_id,
    )


async def remove_from_control(
    platform: Platform,
    principal: Principal,
    resolution_id: str,
    note: str = "",
    *,
    client_mutation_id: str | None = None,
) -> str:
    """The controller takes an executed document off control; returns the resolution's id."""

    async def work(m: Mutation) -> str:
        row = await repo.lock_resolution(m.tx, resolution_id)
        if row is None:
            raise missing("Resolution", resolution_id, "resolutionId")
        cleaned = text(note, "note", NOTE_MAX, required=False)
        status = flows.next_status(
            "resolution", row["status"], "remove_from_control", field="resolutionId"
        )
        await advance(m.tx, row["documentId"], "remove_from_control")
        await repo.update_resolution(
            m.tx,
            resolution_id,
            {
                "status": status,
                "closedAt": datetime.now(UTC),
                "closedBy": principal.subject,
                "closedNote": cleaned or None,
            },
        )
        await record_step(
            m.tx,
            row["documentId"],
            "remove_from_control",
            principal,
            {"resolutionId": resolution_id, "note": cleaned}
            if cleaned
            else {"resolutionId": resolution_id},
        )
        await file_at_completion(m, row["documentId"])  # by its caseIndex, if not yet filed
        m.changed("Resolution", resolution_id, "status_changed", ("status", "closedAt"))
        m.changed("Document", row["documentId"], "status_changed", ("status",))
        return resolution_id

    return await run_mutation(
        platform,
        principal,
        REMOVE_FROM_CONTROL,
        resolution_target(principal, resolution_id),
        work,
        client_mutation_id=client_mutation_id,
    )
