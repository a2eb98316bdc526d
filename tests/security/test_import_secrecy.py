"""Issue 7, item 9: importing or creating a code must not reveal another body's hidden draft.

A code is globally unique, so a write with a taken code is refused; the refusal is the same
whatever holds the code (a draft the caller cannot see, or a published service), and says
nothing of that service: not its status, name or body.
"""

from __future__ import annotations

import pytest

from asan.auth.principal import SYSTEM
from asan.core.errors import ValidationFailed
from asan.core.platform import Platform
from asan.registry.catalog import service as catalog
from asan.registry.catalog.bulk import import_services
from asan.registry.catalog.bulk_formats import COLUMNS, BulkFormat, LineError
from asan.registry.catalog.models import ServiceInput
from tests.registry.catalog_support import EDITOR_ASAN, EDITOR_DIN, build_registry, passport_service

SECRET_NAME = "Gizli layihə xidməti"


@pytest.fixture
async def registry(clean_platform: Platform) -> Platform:
    """DIN has a hidden draft DIN-SECRET and a published DIN-PUBLIC."""
    p = clean_platform
    await build_registry(p)
    await catalog.create_service(p, EDITOR_DIN, passport_service("DIN-SECRET", name_az=SECRET_NAME))
    await catalog.upsert_services(
        p, SYSTEM, [passport_service("DIN-PUBLIC")], initial_status="published"
    )
    return p


def csv_of(code: str, status: str = "") -> str:
    values = {"code": code, "nameAz": "ASAN xidməti", "feeAmount": "0", "status": status}
    return ",".join(COLUMNS) + "\n" + ",".join(values.get(c, "") for c in COLUMNS) + "\n"


def shape(errors: tuple[LineError, ...], code: str) -> list[tuple[int, str, str, str]]:
    return [(e.line, e.field, e.message.replace(code, "<code>"), e.code) for e in errors]


@pytest.mark.parametrize("status", ["", "draft", "published"])
async def test_import_answers_a_hidden_draft_like_any_taken_code(
    registry: Platform, status: str
) -> None:
    p = registry
    secret = await import_services(
        p, EDITOR_ASAN, "ASAN", BulkFormat.CSV, csv_of("DIN-SECRET", status)
    )
    public = await import_services(
        p, EDITOR_ASAN, "ASAN", BulkFormat.CSV, csv_of("DIN-PUBLIC", status)
    )
    assert not secret.accepted and not public.accepted
    assert shape(secret.rejected, "DIN-SECRET") == shape(public.rejected, "DIN-PUBLIC")
    assert [(e.field, e.code) for e in secret.rejected] == [("code", "CONFLICT")]
    for e in secret.rejected:
        text = e.message.lower()
        for leak in ("draft", "under_review", "din", "another state body", SECRET_NAME.lower()):
            assert leak not in text.replace("din-secret", ""), e.message


async def test_create_answers_a_hidden_draft_like_any_taken_code(registry: Platform) -> None:
    p = registry
    answers = []
    for code in ("DIN-SECRET", "DIN-PUBLIC"):
        with pytest.raises(ValidationFailed) as refused:
            await catalog.create_service(
                p, EDITOR_ASAN, ServiceInput(code=code, name_az="ASAN xidməti", provider="ASAN")
            )
        answers.append(
            [(e.field, e.code, e.message.replace(code, "<code>")) for e in refused.value.errors]
        )
    assert (
        answers[0]
        == answers[1]
        == [("code", "CONFLICT", "'<code>' artıq mövcuddur / '<code>' already exists")]
    )


@pytest.mark.parametrize("code", ["DIN-SECRET", "DIN-PUBLIC"])
async def test_upsert_answers_another_bodys_code_as_taken(registry: Platform, code: str) -> None:
    """Not NOT_FOUND for the hidden draft and FORBIDDEN for the published one: both CONFLICT."""
    with pytest.raises(ValidationFailed) as refused:
        await catalog.upsert_services(
            registry,
            EDITOR_ASAN,
            [ServiceInput(code=code, name_az="ASAN xidməti", provider="ASAN")],
        )
    assert [(e.field, e.code, e.message.replace(code, "<code>")) for e in refused.value.errors] == [
        ("services[0].code", "CONFLICT", "'<code>' artıq mövcuddur / '<code>' already exists")
    ]
    stored = await catalog.repo.stored_services(registry.db, [code])
    assert stored[code].content.provider == "DIN"
    assert stored[code].content.name_az != "ASAN xidməti"
