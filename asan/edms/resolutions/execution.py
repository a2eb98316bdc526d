"""An executor's part: forwarding it within the unit, reporting it, asking for more time.

Every step locks the resolution first, so parts reported at the same moment are serialised
and the last report completes the document exactly once (``in_execution -complete->
executed``). A forwarded part is closed by the hand-over (``forwarded``) and carried on by a
new task of the same role; a pending extension request travels with it. A report withdraws a
pending request. Extensions are granted or refused by the resolution's author (or the head the
author acted for, or their acting deputy); a granted one moves the task's deadline, and the
main executor's moves the resolution's.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.principal import Principal
from asan.core.db import Record
from asan.core.errors import Conflict, FieldError, ValidationFailed
from asan.core.platform import Platform
from asan.core.workdays import today_in_baku
from asan.edms.documents.access import involve
from asan.edms.documents.flows import advance
from asan.edms.documents.timeline import record_step
from asan.edms.resolutions import flows
from asan.edms.resolutions import repository as repo
from asan.edms.resolutions.deadlines import later_deadline
from asan.edms.resolutions.people import find_people
from asan.edms.resolutions.policy import DECIDE_EXTENSION, FORWARD, REPORT, REQUEST_EXTENSION
from asan.edms.resolutions.targets import extension_target, task_target
from asan.edms.resolutions.use_cases import (
    INSTRUCTION_MAX,
    NOTE_MAX,
    TASK_FIELDS,
    missing,
    text,
)

REPORT_MAX = 10000
EXTENSION_FIELDS = ("id", "taskId", "status", "proposedDeadline")


async def _locked_task(m: Mutation, task_id: str) -> tuple[Record, Record]:
    """The task and its resolution, the resolution's lock held."""
    found = await repo.task(m.tx, task_id)
    if found is None:
        raise missing("ExecutionTask", task_id, "taskId")
    resolution = await repo.lock_resolution(m.tx, found["resolutionId"])
    task = await repo.task(m.tx, task_id)  # again, under the lock
    if resolution is None or task is None:
        raise missing("ExecutionTask", task_id, "taskId")
    return task, resolution


def _as_date(value: Any) -> date:
    native = value.to_native() if hasattr(value, "to_native") else value
    assert isinstance(native, date)
    return native


async def forward_task(
    platform: Platform,
    principal: Principal,
    task_id: str,
    to: str,
    *,
    instruction: str = "",
    deadline: date | None = None,
    client_mutation_id: str | None = None,
) -> str:
    """Hand the part to a colleague in the part's unit (or its sectors); the new task's id."""

    async def work(m: Mutation) -> str:
        task, _ = await _locked_task(m, task_id)
        flows.next_status("task", task["status"], "forward", field="taskId")
        note = text(instruction, "instruction", INSTRUCTION_MAX, required=False)
        own_deadline = _as_date(task["deadline"])
        today = today_in_baku()
        new_deadline = own_deadline
        if deadline is not None:
            new_deadline = later_deadline(today, deadline)
            if new_deadline > own_deadline:
                raise ValidationFailed(
                    [
                        FieldError(
                            "deadline",
                            f"müddət tapşırığın müddətindən ({own_deadline.isoformat()}) "
                            f"gec ola bilməz / cannot be later than the task's deadline "
                            f"({own_deadline.isoformat()})",
                        )
                    ]
                )
        units = await repo.units_within(m.tx, task["unit"])
        people, errors = await find_people(
            m.tx, [("to", to.strip())], today.isoformat(), units, m.resource.classification
        )
        if errors:
            raise ValidationFailed(errors)
        person = people["to"]
        others = await repo.tasks_of(m.tx, task["resolutionId"])
        if person.id == task["executor"] or any(
            t["executor"] == person.id and t["status"] == flows.TASK_ASSIGNED for t in others
        ):
            raise Conflict(
                "bu şəxs artıq bu dərkənarın icraçısıdır / "
                "this person is already an executor of this resolution",
                field="to",
            )
        now = datetime.now(UTC)
        new_id = uuid.uuid4().hex
        await repo.create_task(
            m.tx,
            {
                "id": new_id,
                "resolutionId": task["resolutionId"],
                "documentId": task["documentId"],
                "executor": person.id,
                "executorName": person.name,
                "unit": person.unit,
                "role": task["role"],
                "status": flows.TASK_ASSIGNED,
                "deadline": new_deadline,
                "assignedAt": now,
                "assignedBy": principal.subject,
                "instruction": note or task.get("instruction") or "",
                "forwardedFrom": task_id,
            },
        )
        await repo.update_task(
            m.tx,
            task_id,
            {"status": flows.TASK_FORWARDED, "forwardedTo": new_id, "forwardedAt": now},
        )
        await repo.move_pending_extension(m.tx, task_id, new_id)
        await involve(m.tx, task["documentId"], [person.id])
        await record_step(
            m.tx,
            task["documentId"],
            "forward",
            principal,
            {"taskId": task_id, "newTaskId": new_id, "to": person.id, "role": task["role"]},
        )
        m.changed("ExecutionTask", task_id, "status_changed", ("status", "forwardedTo"))
        m.changed("ExecutionTask", new_id, "created", TASK_FIELDS)
        m.changed("Document", task["documentId"], "updated", ("involved",))
        return new_id

    return await run_mutation(
        platform,
        principal,
        FORWARD,
        task_target(principal, task_id),
        work,
        client_mutation_id=client_mutation_id,
    )


async def report_task(
    platform: Platform,
    principal: Principal,
    task_id: str,
    report: str,
    *,
    client_mutation_id: str | None = None,
) -> str:
    """The executor's report closes their part; the last part completes the document."""

    async def work(m: Mutation) -> str:
        task, resolution = await _locked_task(m, task_id)
        status = flows.next_status("task", task["status"], "report", field="taskId")
        body = text(report, "report", REPORT_MAX)
        now = datetime.now(UTC)
        late = today_in_baku(now) > _as_date(task["deadline"])
        await repo.update_task(m.tx, task_id, {"status": status, "reportedAt": now, "report": body})
        m.changed("ExecutionTask", task_id, "status_changed", ("status", "reportedAt"))
        withdrawn = await repo.withdraw_pending_extension(m.tx, task_id, now)
        if withdrawn is not None:
            m.changed("DeadlineExtension", withdrawn, "status_changed", ("status",))
        await record_step(
            m.tx,
            task["documentId"],
            "report",
            principal,
            {"taskId": task_id, "role": task["role"], "late": late},
        )
        others = await repo.tasks_of(m.tx, task["resolutionId"])
        if not any(t["status"] == flows.TASK_ASSIGNED for t in others):
            executed = flows.next_status("resolution", resolution["status"], "complete")
            await repo.update_resolution(
                m.tx, task["resolutionId"], {"status": executed, "executedAt": now}
            )
            m.changed("Resolution", task["resolutionId"], "status_changed", ("status",))
            # an appeal may have been answered meanwhile: the document already moved on
            if await repo.document_allows(m.tx, task["documentId"], "complete"):
                await advance(m.tx, task["documentId"], "complete")
                await record_step(
                    m.tx,
                    task["documentId"],
                    "complete",
                    principal,
                    {"resolutionId": task["resolutionId"]},
                )
                m.changed("Document", task["documentId"], "status_changed", ("status",))
        return task_id

    return await run_mutation(
        platform,
        principal,
        REPORT,
        task_target(principal, task_id),
        work,
        client_mutation_id=client_mutation_id,
    )


async def request_extension(
    platform: Platform,
    principal: Principal,
    task_id: str,
    deadline: date,
    reason: str,
    *,
    client_mutation_id: str | None = None,
) -> str:
    """The executor asks the resolution's author for a later deadline; the request's id."""

    async def work(m: Mutation) -> str:
        task, _ = await _locked_task(m, task_id)
        flows.next_status("task", task["status"], "request_extension", field="taskId")
        why = text(reason, "reason", NOTE_MAX)
        current = _as_date(task["deadline"])
        proposed = later_deadline(today_in_baku(), deadline)
        if proposed <= current:
            raise ValidationFailed(
                [
                    FieldError(
                        "deadline",
                        f"yeni müddət indikindən ({current.isoformat()}) gec olmalıdır / "
                        f"the new deadline must be after the current one ({current.isoformat()})",
                    )
                ]
            )
        if await repo.pending_extension(m.tx, task_id) is not None:
            raise Conflict(
                "bu tapşırıq üçün sorğu artıq baxılır / "
                "an extension request for this task is already pending",
                field="taskId",
            )
        extension_id = uuid.uuid4().hex
        await repo.create_extension(
            m.tx,
            {
                "id": extension_id,
                "taskId": task_id,
                "resolutionId": task["resolutionId"],
                "documentId": task["documentId"],
                "requestedBy": principal.subject,
                "requestedAt": datetime.now(UTC),
                "proposedDeadline": proposed,
                "previousDeadline": current,
                "reason": why,
                "status": flows.EXTENSION_REQUESTED,
            },
        )
        await record_step(
            m.tx,
            task["documentId"],
            "extension_requested",
            principal,
            {"taskId": task_id, "extensionId": extension_id, "deadline": proposed},
        )
        m.changed("DeadlineExtension", extension_id, "created", EXTENSION_FIELDS)
        return extension_id

    return await run_mutation(
        platform,
        principal,
        REQUEST_EXTENSION,
        task_target(principal, task_id),
        work,
        client_mutation_id=client_mutation_id,
    )


async def decide_extension(
    platform: Platform,
    principal: Principal,
    extension_id: str,
    *,
    grant: bool,
    note: str = "",
    client_mutation_id: str | None = None,
) -> str:
    """The resolution's author grants (the deadline moves) or refuses; the request's id."""

    async def work(m: Mutation) -> str:
        found = await repo.extension(m.tx, extension_id)
        if found is None:
            raise missing("DeadlineExtension", extension_id, "extensionId")
        resolution = await repo.lock_resolution(m.tx, found["resolutionId"])
        extension = await repo.extension(m.tx, extension_id)
        if resolution is None or extension is None:
            raise missing("DeadlineExtension", extension_id, "extensionId")
        step = "grant" if grant else "refuse"
        status = flows.next_status("extension", extension["status"], step, field="extensionId")
        comment = text(note, "note", NOTE_MAX, required=False)
        now = datetime.now(UTC)
        await repo.update_extension(
            m.tx,
            extension_id,
            {
                "status": status,
                "decidedBy": principal.subject,
                "decidedAt": now,
                "note": comment or None,
            },
        )
        m.changed("DeadlineExtension", extension_id, "status_changed", ("status",))
        proposed = _as_date(extension["proposedDeadline"])
        if grant:
            task = await repo.task(m.tx, extension["taskId"])
            assert task is not None
            await repo.update_task(m.tx, task["id"], {"deadline": proposed})
            m.changed("ExecutionTask", task["id"], "updated", ("deadline",))
            if task["role"] == flows.ROLE_MAIN and proposed > _as_date(resolution["deadline"]):
                await repo.update_resolution(m.tx, resolution["id"], {"deadline": proposed})
                m.changed("Resolution", resolution["id"], "updated", ("deadline",))
        await record_step(
            m.tx,
            extension["documentId"],
            "extension_granted" if grant else "extension_refused",
            principal,
            {"taskId": extension["taskId"], "extensionId": extension_id, "deadline": proposed},
        )
        return extension_id

    return await run_mutation(
        platform,
        principal,
        DECIDE_EXTENSION,
        extension_target(principal, extension_id),
        work,
        client_mutation_id=client_mutation_id,
    )
