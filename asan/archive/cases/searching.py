"""Archive cases (işlər) in the search index: the nomenclature's line for each case.

One search entry per ``Case``: the title is "<index> <title>", the body the nomenclature's
heading the case stands under (its unit's name), the retention article and period, the
disposal date and the year. Document contents are not part of it (the nomenclature lists
titles and retention periods only; documents are their own kind with their own tokens).

Who may read a case is the archive's read rule (``archive.read``). That rule looks at no
attribute of the case, so every case carries the one token ``CASE_READER`` and a caller holds
it exactly when the policy lets it read a case; ``tests/search/test_case_source.py`` checks
the token against the policy case by case, so a rule that starts to depend on the case fails
there instead of leaking.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Final

from asan.archive.nomenclature.policy import READ
from asan.auth.policy import Resource, can
from asan.auth.principal import Principal
from asan.core.changelog import ChangeEvent
from asan.search.engine import SearchDoc
from asan.search.sources import SearchSource

if TYPE_CHECKING:
    from asan.core.platform import Platform

KIND: Final = "case"
CASE_READER: Final = "case:reader"
# "Case" events are the case's own; an OrgUnit's name is the heading it stands under.
LOG_KINDS: Final = frozenset({"Case", "OrgUnit"})
_NAME_FIELDS: Final = frozenset({"nameAz", "nameEn"})

_LOAD: Final = """
MATCH (c:Case) WHERE c.id IN $ids
OPTIONAL MATCH (u:OrgUnit {code: c.unit})
RETURN c.id AS id, c.year AS year, c.index AS index, c.title AS title, c.unit AS unit,
       c.status AS status, c.article AS article, c.retentionYears AS retentionYears,
       c.permanent AS permanent, toString(c.disposalDate) AS disposalDate,
       u.nameAz AS unitAz, u.nameEn AS unitEn
"""
_UNIT_CASES: Final = "UNWIND $units AS code MATCH (c:Case {unit: code}) RETURN c.id AS id"
_ALL_IDS: Final = "MATCH (c:Case) RETURN c.id AS id ORDER BY id"


def read_resource(case_id: str | None = None, unit: str | None = None) -> Resource:
    """The resource the archive's reads authorise (``archive.read`` on a case)."""
    return Resource("Case", id=case_id, org_unit=unit)


def to_search_doc(row: dict[str, Any]) -> SearchDoc:
    """One case's search entry from a ``_LOAD`` row."""
    disposal = row["disposalDate"]
    retention = (
        "daimi saxlanılır / kept permanently"
        if row["permanent"]
        else f"{row['retentionYears']} il / years"
        if row["retentionYears"] is not None
        else None
    )
    parts = [
        row["unitAz"],
        row["unitEn"],
        row["unit"],
        row["article"],
        retention,
        *((disposal[:10], f"{disposal[8:10]}.{disposal[5:7]}.{disposal[0:4]}") if disposal else ()),
        str(row["year"]),
    ]
    return SearchDoc(
        KIND,
        row["id"],
        f"{row['index']} {row['title']}",
        "\n".join(str(p) for p in parts if p),
        acl=frozenset({CASE_READER}),
        unit=row["unit"],
        year=int(row["year"]),
        status=row["status"],
    )


class CaseSource:
    """The ``case`` kind (see ``asan.search.sources.SearchSource``)."""

    kind: str = KIND
    log_kinds: frozenset[str] = LOG_KINDS

    async def affected(self, platform: Platform, events: Sequence[ChangeEvent]) -> set[str]:
        ids = {e.entity_id for e in events if e.entity_kind == "Case"}
        units = sorted(
            {
                e.entity_id
                for e in events
                if e.entity_kind == "OrgUnit"
                and (not e.fields or _NAME_FIELDS.intersection(e.fields))
            }
        )
        if units:
            rows = await platform.db.read(_UNIT_CASES, {"units": units})
            ids.update(r["id"] for r in rows)
        return ids

    async def load(self, platform: Platform, ids: Sequence[str]) -> list[SearchDoc]:
        if not ids:
            return []
        rows = await platform.db.read(_LOAD, {"ids": list(dict.fromkeys(ids))})
        return [to_search_doc(r) for r in rows]

    async def all_ids(self, platform: Platform) -> list[str]:
        return [r["id"] for r in await platform.db.read(_ALL_IDS)]

    def tokens(self, principal: Principal) -> Iterable[str]:
        return (CASE_READER,) if can(principal, READ, read_resource()) else ()


SOURCES: tuple[SearchSource, ...] = (CaseSource(),)
