"""The agency's structure (units as a tree) and one unit's page with its regulation's clauses,
read through ``asan.registry.org.service`` as GraphQL's ``orgUnits`` and ``Regulation.clauses``
are; the regulations are public."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from starlette.requests import Request
from starlette.responses import Response

from asan.registry.org import service as org
from asan.registry.org.models import Clause, OrgUnit
from asan.web.catalogue.common import caller, checked_code, not_found
from asan.web.i18n import Lang
from asan.web.rendering import render

MAX_UNITS: Final = 1000  # the agency has a few hundred units with its sectors and centres
MAX_CLAUSES: Final = 2000  # one regulation's clauses on one page


@dataclass
class Node:
    code: str
    name: str
    kind: str
    children: list[Node] = field(default_factory=list)


def unit_name(unit: OrgUnit, lang: Lang) -> str:
    """The English name where the import gave one; Azerbaijani otherwise (no Russian names)."""
    return (unit.name_en or unit.name_az) if lang == "en" else unit.name_az


def tree(units: list[OrgUnit], lang: Lang) -> list[Node]:
    nodes = {u.code: Node(u.code, unit_name(u, lang), u.kind) for u in units}
    roots: list[Node] = []
    for u in units:  # already in Azerbaijani name order, so children stay in it
        parent = nodes.get(u.parent_code or "")
        (parent.children if parent is not None else roots).append(nodes[u.code])
    return roots


async def org_page(request: Request) -> Response:
    c = caller(request)
    units, _ = await org.list_units(c.platform, None, None, None, MAX_UNITS)
    return render(request, c.lang, "catalogue/org.html", {"roots": tree(units, c.lang)})


async def unit_page(request: Request) -> Response:
    c = caller(request)
    code, ok = checked_code(request.path_params.get("code"))
    if not ok or code is None:
        return not_found(request, c.lang)
    (unit,) = await org.units_by_codes(c.platform, [code])
    if unit is None:
        return not_found(request, c.lang)
    (children,) = await org.children_of(c.platform, [code])
    (regulation,) = await org.regulations_of(c.platform, [code])
    parent = None
    if unit.parent_code:
        (parent,) = await org.units_by_codes(c.platform, [unit.parent_code])
    clauses: list[Clause] = []
    if regulation is not None:
        (page,) = await org.clauses_of_regulations(
            c.platform, [org.ClausePageRequest(regulation.code, None, None, MAX_CLAUSES)]
        )
        clauses = page.clauses
    sections: dict[int, list[Clause]] = {}
    for clause in clauses:
        sections.setdefault(clause.section, []).append(clause)
    headings = {
        n: next((x.section_heading for x in cs if x.section_heading), str(n))
        for n, cs in sections.items()
    }
    return render(
        request,
        c.lang,
        "catalogue/unit.html",
        {
            "unit": unit,
            "name": unit_name(unit, c.lang),
            "parent": parent,
            "parent_name": unit_name(parent, c.lang) if parent else "",
            "children": [(u.code, unit_name(u, c.lang)) for u in children],
            "regulation": regulation,
            "sections": sorted(sections.items()),
            "headings": headings,
        },
    )
