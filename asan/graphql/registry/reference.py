"""The shared reference entries' mutation: rename a document, output, legal act or category.

Thin: ``asan.registry.catalog.reference.update_reference_entry`` decides who may (the entry's
owner body or the registry's reviewers) and records the version and the audit event.
"""

from __future__ import annotations

import enum
from datetime import date
from typing import Annotated

import strawberry
from strawberry.types import Info

from asan.graphql.described import value
from asan.graphql.errors import UserError
from asan.graphql.mutation import attempt
from asan.graphql.registry.inputs import INPUT
from asan.graphql.registry.payloads import USER_ERRORS
from asan.graphql.request import platform_of as _platform
from asan.graphql.request import principal_of as _principal
from asan.registry.catalog import reference
from asan.registry.catalog.reference import ReferenceEntry as EntryModel


@strawberry.enum(description="Kinds of shared reference entries services point at.")
class ReferenceKind(enum.Enum):
    EVIDENCE = value("EVIDENCE", "A document applicants bring (CPSV-AP Evidence).")
    OUTPUT = value("OUTPUT", "A document or result a service gives (CPSV-AP Output).")
    LEGAL_ACT = value("LEGAL_ACT", "A legal act services rest on (normativ hüquqi akt).")
    CATEGORY = value("CATEGORY", "A service category or life event.")


@strawberry.type(description="A shared entry (document, output, legal act, category).")
class ReferenceEntry:
    kind: ReferenceKind = strawberry.field(description="Which kind of entry.")
    code: str = strawberry.field(description="Stable code of the entry within its kind.")
    name_az: str | None = strawberry.field(
        default=None, description="Name in Azerbaijani; null for legal acts (see title)."
    )
    name_en: str | None = strawberry.field(default=None, description="Name in English.")
    name_ru: str | None = strawberry.field(default=None, description="Name in Russian.")
    title: str | None = strawberry.field(default=None, description="Legal acts only: the title.")
    owner: str | None = strawberry.field(
        default=None, description="State body that proposed it; null: the registry's own."
    )
    version: int = strawberry.field(default=0, description="Number of its latest version.")
    used_by: int = strawberry.field(default=0, description="Services pointing at it.")
    uri: str | None = strawberry.field(
        default=None,
        description="Legal acts only: the act's official address (an e-qanun.az page or an "
        "ELI URI); null: not recorded.",
    )
    in_force_from: date | None = strawberry.field(
        default=None, description="Legal acts only: the day it entered into force (ISO date)."
    )
    in_force_until: date | None = strawberry.field(
        default=None,
        description="Legal acts only: the last day it is in force (ISO date); null: in force.",
    )

    @classmethod
    def of(cls, e: EntryModel) -> ReferenceEntry:
        return cls(
            kind=ReferenceKind(e.kind),
            code=e.code,
            name_az=e.values.get("nameAz"),
            name_en=e.values.get("nameEn"),
            name_ru=e.values.get("nameRu"),
            title=e.values.get("title"),
            owner=e.owner,
            version=e.version,
            used_by=e.uses,
            uri=e.values.get("uri") or None,
            in_force_from=_date(e.values.get("inForceFrom")),
            in_force_until=_date(e.values.get("inForceUntil")),
        )


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@strawberry.input(description="Fields to change (null: unchanged); title for legal acts only.")
class UpdateReferenceEntryInput:
    kind: ReferenceKind = strawberry.field(description="Which kind of entry.")
    code: str = strawberry.field(description="Code of the entry to change.")
    name_az: str | None = strawberry.field(default=None, description="New Azerbaijani name.")
    name_en: str | None = strawberry.field(default=None, description="New English name.")
    name_ru: str | None = strawberry.field(default=None, description="New Russian name.")
    title: str | None = strawberry.field(default=None, description="Legal acts only: new title.")
    uri: str | None = strawberry.field(
        default=None,
        description="Legal acts only: the act's official absolute http(s) URI (e-qanun.az or "
        'ELI); "" removes it.',
    )
    in_force_from: date | None = strawberry.field(
        default=None, description="Legal acts only: the day it entered into force."
    )
    in_force_until: date | None = strawberry.field(
        default=None,
        description="Legal acts only: the last day it is in force; not before inForceFrom.",
    )
    clear_validity: bool = strawberry.field(
        default=False,
        description="Legal acts only: remove both in-force dates (a date given as well wins).",
    )


@strawberry.type(description="Result of changing a shared reference entry.")
class ReferenceEntryPayload:
    entry: ReferenceEntry | None = strawberry.field(
        default=None, description="The entry as saved; null when refused."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list, description=USER_ERRORS)


@strawberry.type
class ReferenceMutation:
    @strawberry.mutation(
        description="Rename a shared entry, or set a legal act's URI and in-force dates (its "
        "owner body or the registry's reviewers); recorded as a version and audited."
    )
    async def update_reference_entry(
        self, info: Info, input: Annotated[UpdateReferenceEntryInput, INPUT]
    ) -> ReferenceEntryPayload:
        given = {
            "nameAz": input.name_az,
            "nameEn": input.name_en,
            "nameRu": input.name_ru,
            "title": input.title,
            "uri": input.uri,
            "inForceFrom": _iso(input.in_force_from, input.clear_validity),
            "inForceUntil": _iso(input.in_force_until, input.clear_validity),
        }
        entry, errors = await attempt(
            lambda: reference.update_reference_entry(
                _platform(info),
                _principal(info),
                input.kind.value,
                input.code,
                {k: v for k, v in given.items() if v is not None},
            )
        )
        return ReferenceEntryPayload(
            entry=ReferenceEntry.of(entry) if entry else None, user_errors=errors
        )


def _iso(value: date | None, clear: bool) -> str | None:
    """A date as the use case takes it: ISO, "" to remove, None to leave unchanged."""
    if value is not None:
        return value.isoformat()
    return "" if clear else None
