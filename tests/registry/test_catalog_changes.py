"""Catalog mutations through the pipeline: one change event per committed change, none else."""

from __future__ import annotations

import pytest

from asan.auth.pipeline import forced_transient_failures, retry_count
from asan.core import changelog
from asan.core.errors import Forbidden, ValidationFailed
from asan.core.platform import Platform
from asan.registry.catalog import service as catalog
from asan.registry.catalog.models import AsanCentreInput, StateBodyInput
from tests.registry.catalog_support import ADMIN, REVIEWER


async def _events(p: Platform, after: int) -> list[tuple[str, str, str, tuple[str, ...]]]:
    return [
        (e.entity_kind, e.entity_id, e.operation, e.fields)
        for e in await changelog.read_after(p.db, after, 100)
    ]


async def test_state_body_create_and_update_record_what_changed(clean_platform: Platform) -> None:
    p = clean_platform
    start = await changelog.head_seq(p.db)
    await catalog.create_state_body(p, ADMIN, StateBodyInput("CB1", "Orqan"))
    await catalog.update_state_body(p, ADMIN, StateBodyInput("CB1", "Orqan", name_en="Body"))
    await catalog.update_state_body(p, ADMIN, StateBodyInput("CB1", "Orqan", name_en="Body"))
    events = await _events(p, start)
    assert events[0][:3] == ("StateBody", "CB1", "created")
    assert events[1] == ("StateBody", "CB1", "updated", ("nameEn",))
    assert len(events) == 2  # the unchanged save recorded nothing


async def test_refused_and_invalid_mutations_leave_no_change_event(
    clean_platform: Platform,
) -> None:
    p = clean_platform
    start = await changelog.head_seq(p.db)
    with pytest.raises(Forbidden):
        await catalog.create_state_body(p, REVIEWER, StateBodyInput("CB2", "Orqan"))
    await catalog.create_asan_centre(
        p, ADMIN, AsanCentreInput("C-1", "Mərkəz", "Bakı", "ünvan", "09:00-18:00")
    )
    with pytest.raises(ValidationFailed):
        await catalog.create_asan_centre(
            p, ADMIN, AsanCentreInput("C-1", "Mərkəz", "Bakı", "ünvan", "09:00-18:00")
        )
    assert [e[:3] for e in await _events(p, start)] == [("AsanCentre", "C-1", "created")]
    rows = await p.db.read(
        "MATCH (e:AuditEvent {action: 'registry.state_body.create', outcome: 'refused'}) "
        "RETURN e.details AS details"
    )
    assert len(rows) == 1 and "rule for registry.state_body.create refused" in rows[0]["details"]


async def test_a_transient_failure_is_retried_and_recorded_once(clean_platform: Platform) -> None:
    p = clean_platform
    start, retries = await changelog.head_seq(p.db), retry_count()
    with forced_transient_failures(1):
        await catalog.create_state_body(p, ADMIN, StateBodyInput("CB3", "Orqan"))
    assert retry_count() == retries + 1
    assert [e[:3] for e in await _events(p, start)] == [("StateBody", "CB3", "created")]
