"""Use cases of the org structure: import the regulations, delegate and ask who acts.

Each mutation is one ``run_mutation`` unit (authorise, write, report the changed entities to the
change log, audit). Reads used by GraphQL take many keys at once (DataLoader batches).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource
from asan.auth.principal import SYSTEM, Principal
from asan.core.errors import FieldError, NotFound, ValidationFailed
from asan.core.platform import Platform
from asan.core.settings import PROJECT_ROOT
from asan.core.text import clean, search_fold
from asan.registry.org import import_repository as import_repo
from asan.registry.org import repository as repo
from asan.registry.org.models import (
    ActingAuthority,
    Clause,
    Delegation,
    ImportReport,
    OrgUnit,
    Position,
    Regulation,
)
from asan.registry.org.parser import parse_regulations
from asan.registry.org.structure import build_graph

DEFAULT_SOURCE = PROJECT_ROOT / "data" / "asan-regulations.az.txt"
REASON_MAX = 500
DELEGATION_FIELDS = ("headPositionCode", "deputyPositionCode", "validFrom", "validUntil", "reason")


# --- import ----------------------------------------------------------------------------------


IMPORT_KEYS = {"units": "code", "regulations": "code", "clauses": "key", "positions": "code"}
IMPORT_KINDS = {
    "units": "OrgUnit",
    "regulations": "Regulation",
    "clauses": "Clause",
    "positions": "Position",
}


def _changes(
    m: Mutation, kind: str, wanted: list[dict[str, Any]], existing: list[dict[str, Any]], key: str
) -> int:
    """Report each wanted record that is new or differs from the stored one; how many."""
    stored = {row[key]: row for row in existing}
    count = 0
    for row in wanted:
        before = stored.get(row[key])
        if before == row:
            continue
        count += 1
        if before is None:
            m.changed(IMPORT_KINDS[kind], str(row[key]), "created", sorted(row))
        else:
            fields = sorted(f for f in row.keys() | before.keys() if row.get(f) != before.get(f))
            m.changed(IMPORT_KINDS[kind], str(row[key]), "updated", fields)
    return count


async def import_text(platform: Platform, text: str, principal: Principal = SYSTEM) -> ImportReport:
    """Import (or re-import) the org structure from the regulations text.

    Parsing happens before the transaction, so a malformed text changes nothing. The graph is
    compared with the text first and written only if they differ, so a repeated import
    leaves the org graph untouched (the audit trail still records that it ran).
    """
    graph = build_graph(parse_regulations(text))
    wanted = {
        "units": import_repo.unit_rows(graph),
        "regulations": import_repo.regulation_rows(graph),
        "clauses": import_repo.clause_rows(graph),
        "positions": import_repo.position_rows(graph),
    }
    resource = Resource(kind="OrgStructure", id="regulations")

    async def write(m: Mutation) -> ImportReport:
        state = await import_repo.read_state(m.tx)
        changed = {
            kind: _changes(m, kind, rows, state[kind], IMPORT_KEYS[kind])
            for kind, rows in wanted.items()
        }
        wanted_keys = {c["key"] for c in wanted["clauses"]}
        retired = [
            c["key"] for c in state["clauses"] if c["current"] and c["key"] not in wanted_keys
        ]
        for key in retired:
            m.changed("Clause", key, "deleted", ["current"])
        changed["retired"] = len(retired)
        if any(changed.values()):
            now = datetime.now(UTC)
            await import_repo.write_units(m.tx, wanted["units"])
            await import_repo.write_regulations(m.tx, wanted["regulations"])
            await import_repo.write_clauses(m.tx, wanted["clauses"], now)
            await import_repo.write_positions(m.tx, wanted["positions"])
        report = ImportReport(
            regulations=len(graph.regulations),
            units=len(graph.units),
            clauses=len(graph.clauses),
            changed=changed,
        )
        m.detail(status=report.status, **changed)
        return report

    return await run_mutation(platform, principal, "org.import", resource, write)


async def import_file(
    platform: Platform, path: Path = DEFAULT_SOURCE, principal: Principal = SYSTEM
) -> ImportReport:
    text = await asyncio.to_thread(path.read_text, encoding="utf-8")
    return await import_text(platform, text, principal)


# --- reads (batched for DataLoaders) ----------------------------------------------------------


@dataclass(frozen=True)
class ClausePageRequest:
    owner: str  # a regulation code or a unit code, depending on the function
    section: int | None
    after: tuple[Any, ...] | None  # the cursor's bound; rows before it when ``backward``
    limit: int
    search: str | None = None  # as typed; matched without case or Azerbaijani letters
    backward: bool = False


@dataclass(frozen=True)
class ClausePage:
    clauses: list[Clause]
    total: int


async def list_units(
    platform: Platform,
    kind: str | None,
    parent_code: str | None,
    after: list[Any] | None,
    limit: int,
    *,
    search: str | None = None,
    backward: bool = False,
    updated_since: datetime | None = None,
) -> tuple[list[OrgUnit], int]:
    return await repo.units_page(
        platform.db,
        kind,
        parent_code,
        after,
        limit,
        search=search,
        backward=backward,
        updated_since=updated_since,
    )


async def units_by_codes(platform: Platform, codes: Sequence[str]) -> list[OrgUnit | None]:
    found = {u.code: u for u in await repo.units_by_codes(platform.db, codes)}
    return [found.get(code) for code in codes]


async def children_of(platform: Platform, codes: Sequence[str]) -> list[list[OrgUnit]]:
    grouped: dict[str, list[OrgUnit]] = {code: [] for code in codes}
    for unit in await repo.children_of(platform.db, codes):
        grouped[unit.parent_code or ""].append(unit)
    return [grouped[code] for code in codes]


async def regulations_of(platform: Platform, codes: Sequence[str]) -> list[Regulation | None]:
    found = {r.unit_code: r for r in await repo.regulations_of(platform.db, codes)}
    return [found.get(code) for code in codes]


async def all_regulations(platform: Platform) -> list[Regulation]:
    """Every approved regulation, by code (one per regulated unit: a short list)."""
    return await repo.regulations_by_codes(platform.db, None)


async def regulations_by_codes(platform: Platform, codes: Sequence[str]) -> list[Regulation | None]:
    found = {r.code: r for r in await repo.regulations_by_codes(platform.db, codes)}
    return [found.get(code) for code in codes]


def _clause_pages(rows: list[dict[str, Any]], count: int) -> list[ClausePage]:
    by_id = {row["id"]: row for row in rows}
    pages = []
    for index in range(count):
        row = by_id.get(index)
        if row is None:
            pages.append(ClausePage([], 0))
        else:
            pages.append(ClausePage([repo.to_clause(c) for c in row["page"]], row["total"]))
    return pages


def _requests(requests: Sequence[ClausePageRequest]) -> list[dict[str, Any]]:
    return [
        {
            "id": index,
            "owner": r.owner,
            "section": r.section,
            "after": list(r.after) if r.after is not None else None,
            "limit": r.limit,
            "search": search_fold(r.search) if r.search else None,
            "backward": r.backward,
        }
        for index, r in enumerate(requests)
    ]


async def clauses_of_regulations(
    platform: Platform, requests: Sequence[ClausePageRequest]
) -> list[ClausePage]:
    rows = await repo.clause_pages_by_regulation(platform.db, _requests(requests))
    return _clause_pages(rows, len(requests))


async def clauses_concerning(
    platform: Platform, requests: Sequence[ClausePageRequest]
) -> list[ClausePage]:
    rows = await repo.clause_pages_by_unit(platform.db, _requests(requests))
    return _clause_pages(rows, len(requests))


async def clauses_by_keys(platform: Platform, keys: Sequence[str]) -> list[Clause | None]:
    found = {c.key: c for c in await repo.clauses_by_keys(platform.db, keys)}
    return [found.get(key) for key in keys]


async def positions_by_codes(platform: Platform, codes: Sequence[str]) -> list[Position | None]:
    found = {p.code: p for p in await repo.positions_by_codes(platform.db, codes)}
    return [found.get(code) for code in codes]


KIND_ORDER = {"chairman": 0, "head": 1, "deputy_head": 2, "sector_head": 3, "staff": 4}


async def positions_of(platform: Platform, codes: Sequence[str]) -> list[list[Position]]:
    grouped: dict[str, list[Position]] = {code: [] for code in codes}
    for code, position in await repo.positions_of(platform.db, codes):
        grouped[code].append(position)
    return [
        sorted(grouped[code], key=lambda p: (KIND_ORDER.get(p.kind, 9), p.code)) for code in codes
    ]


# --- acting authority ------------------------------------------------------------------------


async def acting_authorities(
    platform: Platform, keys: Sequence[tuple[str, date]]
) -> list[ActingAuthority | None]:
    """For each (unit code, date): who holds the head's powers; None for an unknown unit."""
    requests = [{"id": i, "unit": unit, "on": on} for i, (unit, on) in enumerate(keys)]
    by_id = {row["id"]: row for row in await repo.acting_many(platform.db, requests)}
    result: list[ActingAuthority | None] = []
    for index, (unit, on) in enumerate(keys):
        row = by_id.get(index)
        if row is None or row["head"] is None:
            result.append(None)
            continue
        head = repo.to_position(row["head"])
        delegation = repo.to_delegation(row["delegation"]) if row["delegation"] else None
        acting = repo.to_position(row["acting"]) if row["acting"] else head
        result.append(ActingAuthority(unit, on, head, acting, delegation))
    return result


async def acting_authority(platform: Platform, unit_code: str, on: date) -> ActingAuthority:
    """The position holding the head's powers on ``on``: the head, or its delegate."""
    (found,) = await acting_authorities(platform, [(unit_code, on)])
    if found is None:
        raise NotFound(
            f"{unit_code} bölməsi və ya rəhbəri tapılmadı / unit or its head not found",
            field="unitCode",
        )
    return found


async def positions_acting_for_many(
    platform: Platform, keys: Sequence[tuple[str, date]]
) -> list[list[Position]]:
    """For each (position code, date): the positions exercising its powers then."""
    requests = [{"id": i, "code": code, "on": on} for i, (code, on) in enumerate(keys)]
    grouped: list[list[Position]] = [[] for _ in keys]
    for row in await repo.acting_for_many(platform.db, requests):
        grouped[row["id"]].append(repo.to_position(row["position"]))
    return grouped


async def positions_acting_for(platform: Platform, position_code: str, on: date) -> list[Position]:
    """Positions exercising ``position_code``'s powers on ``on`` under a delegation."""
    (found,) = await positions_acting_for_many(platform, [(position_code, on)])
    return found


# --- delegation ------------------------------------------------------------------------------


def _check_dates(valid_from: date, valid_until: date) -> list[FieldError]:
    if valid_until < valid_from:
        return [
            FieldError(
                "validUntil",
                "başlanğıc tarixindən əvvəl ola bilməz / must not be before validFrom",
            )
        ]
    return []


def unknown_position(field: str, code: str) -> FieldError:
    return FieldError(field, f"'{code}' tapılmadı / '{code}' not found", "NOT_FOUND")


async def create_delegation(
    platform: Platform,
    principal: Principal,
    head_position_code: str,
    deputy_position_code: str,
    valid_from: date,
    valid_until: date,
    reason: str,
) -> Delegation:
    """Give a head's powers to the deputy head of the same unit for an inclusive window.

    Raises ValidationFailed (field errors for the mutation payload), NotFound for an unknown
    head position, Forbidden when the principal may not delegate for that unit.
    """
    reason_text, reason_error = clean(reason, "reason", max_length=REASON_MAX, multiline=True)
    errors = [reason_error] if reason_error else []
    errors += _check_dates(valid_from, valid_until)
    positions = {
        p.code: p
        for p in await repo.positions_by_codes(
            platform.db, [head_position_code, deputy_position_code]
        )
    }
    head = positions.get(head_position_code)
    if head is None or head.kind != "head":
        raise ValidationFailed(
            [
                FieldError(
                    "headPositionCode",
                    f"{head_position_code} rəhbər vəzifəsi deyil / is not a head position",
                    "NOT_FOUND" if head is None else "BAD_USER_INPUT",
                ),
                *errors,
            ]
        )
    resource = Resource(kind="OrgUnit", id=head.unit_code, org_unit=head.unit_code)
    deputy = positions.get(deputy_position_code)
    if deputy is None:
        errors.append(unknown_position("deputyPositionCode", deputy_position_code))
    elif deputy.kind != "deputy_head" or deputy.unit_code != head.unit_code:
        errors.append(
            FieldError(
                "deputyPositionCode",
                f"{deputy_position_code} {head.unit_code} bölməsinin müdir müavini deyil / "
                f"is not the deputy head of {head.unit_code}",
            )
        )
    delegation = Delegation(
        id=str(uuid.uuid4()),
        from_position=head.code,
        to_position=deputy_position_code,
        valid_from=valid_from,
        valid_until=valid_until,
        reason=reason_text,
    )

    async def write(m: Mutation) -> Delegation:
        # authorised before the input's remaining errors are reported, as before: a caller
        # who may not delegate learns nothing about the unit's positions
        if errors:
            raise ValidationFailed(errors)
        overlapping = await repo.overlapping_delegations(m.tx, head.code, valid_from, valid_until)
        if overlapping:
            other = overlapping[0]
            raise ValidationFailed(
                [
                    FieldError(
                        "validFrom",
                        f"{other.valid_from}–{other.valid_until} tarixli səlahiyyət verilməsi "
                        f"ilə üst-üstə düşür / overlaps the delegation of "
                        f"{other.valid_from}–{other.valid_until}",
                        "CONFLICT",
                    )
                ]
            )
        await repo.create_delegation(m.tx, delegation, principal.subject)
        m.changed("Delegation", delegation.id, "created", DELEGATION_FIELDS)
        return delegation

    # Concurrent delegations of one head contend for its lock and may deadlock: the pipeline
    # retries the whole unit.
    return await run_mutation(
        platform,
        principal,
        "org.delegation.create",
        resource,
        write,
        details={
            "from": head.code,
            "to": deputy_position_code,
            "validFrom": valid_from.isoformat(),
            "validUntil": valid_until.isoformat(),
        },
        audit_resource=lambda d: Resource(kind="Delegation", id=d.id, org_unit=head.unit_code),
    )
