"""The nomenclature of cases (işlərin nomenklaturası) of a year: its cases by unit, adding a
case (index number, title, retention, article, expert review), the registrars' compiling (the
units' drafts submitted as the general nomenclature) and the agency head's approval.

Each form posts to the use case GraphQL's mutation calls (``createNomenclature``,
``addNomenclatureCase``, ``compileNomenclature``, ``approveNomenclature``) through the audited
pipeline, with a client mutation id in the form. The nomenclature policy decides who may
(unit heads and registrars draft, registrars compile, the head of the agency approves): a
refusal is the 403 page. Input the use case refuses is shown next to its field in the page's
language; a step the nomenclature has already taken meanwhile (compiled or approved by
someone else, a case added to what is no longer a draft) is the use case's
``InvalidTransition``, answered 409 "changed meanwhile" with nothing written.
"""

from __future__ import annotations

from typing import Any, Final

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from asan.archive.cases.use_cases import list_cases
from asan.archive.nomenclature.models import DRAFT
from asan.archive.nomenclature.policy import COMPILE
from asan.archive.nomenclature.use_cases import (
    CaseDraft,
    add_case,
    approve_nomenclature,
    compile_nomenclature,
    create_nomenclature,
    read_nomenclature,
)
from asan.auth.policy import Resource, can
from asan.core.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)
from asan.core.platform import Platform
from asan.core.workdays import today_in_baku
from asan.web.archive.common import field_errors, page, query_int, query_text, refused
from asan.web.forms import posted, signed_in
from asan.web.i18n import Lang, translate
from asan.web.session.csrf import page_principal

CASES_LIMIT: Final = 500  # a year's nomenclature lists a few hundred cases at most
FIELDS: Final = ("unit", "number", "title", "retention_years", "article")
# the use case's field names -> the form's
FORM_FIELD: Final = {
    "unit": "unit",
    "number": "number",
    "title": "title",
    "retentionYears": "retention_years",
    "article": "article",
    "year": "form",
}
STEPS: Final = {"compile": compile_nomenclature, "approve": approve_nomenclature}


def _year(value: int | None) -> int:
    return value if value is not None and 2000 <= value <= 2100 else today_in_baku().year


async def render_nomenclature(
    request: Request,
    lang: Lang,
    year: int,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    step_error: str | None = None,
    status_code: int = 200,
) -> Response:
    platform: Platform = request.app.state.platform
    principal = page_principal(request)
    unit = query_text(request, "unit")
    try:
        found = await read_nomenclature(platform, principal, year)
        cases, total = (
            await list_cases(
                platform,
                principal,
                {"year": year, "unit": unit, "status": None, "index": None},
                after=None,
                limit=CASES_LIMIT,
            )
            if found is not None
            else ([], 0)
        )
    except Forbidden:
        return refused(request, lang)
    units = sorted(principal.org_units)
    return page(
        request,
        lang,
        "archive/nomenclature.html",
        {
            "year": year,
            "unit": unit or "",
            "nomenclature": found,
            "cases": cases,
            "total": total,
            "is_draft": found is not None and found.status == DRAFT,
            "may_compile": can(principal, COMPILE, Resource("Nomenclature", id=str(year))),
            "errors": errors or {},
            "values": values or {"unit": units[0] if units else ""},
            "step_error": step_error,
        },
        status_code=status_code,
    )


async def nomenclature_page(request: Request) -> Response:
    who = signed_in(request)
    if isinstance(who, Response):
        return who
    return await render_nomenclature(request, who.lang, _year(query_int(request, "year")))


def _back(lang: Lang, year: int) -> Response:
    return RedirectResponse(f"/{lang}/archive/nomenclature?year={year}", status_code=303)


def _path_year(request: Request) -> int | None:
    value = str(request.path_params["year"])
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else None


async def create(request: Request) -> Response:
    form = await posted(request)
    if isinstance(form, Response):
        return form
    year = _path_year(request)
    if year is None:
        return _back(form.lang, today_in_baku().year)
    try:
        await create_nomenclature(
            request.app.state.platform, form.principal, year, client_mutation_id=form.mutation_id
        )
    except Forbidden:
        return refused(request, form.lang)
    except Conflict:
        message = translate(form.lang, "archive.error.stale")
        return await render_nomenclature(
            request, form.lang, year, step_error=message, status_code=409
        )
    return _back(form.lang, year)


def _number(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() and len(text) <= 4 else None


def _form_errors(lang: Lang, values: dict[str, Any]) -> dict[str, str]:
    """What the page checks before the use case: numbers that are numbers."""
    errors: dict[str, str] = {}
    if _number(values["number"]) is None:
        errors["number"] = translate(lang, "archive.nomenclature.error.number")
    if not values["permanent"] and _number(values["retention_years"]) is None:
        errors["retention_years"] = translate(lang, "archive.nomenclature.error.retention")
    if not values["title"].strip():
        errors["title"] = translate(lang, "archive.error.required")
    if not values["unit"].strip():
        errors["unit"] = translate(lang, "archive.error.required")
    return errors


async def add(request: Request) -> Response:
    form = await posted(request)
    if isinstance(form, Response):
        return form
    lang = form.lang
    year = _path_year(request)
    if year is None:
        return _back(lang, today_in_baku().year)
    values: dict[str, Any] = {name: form.text(name) for name in FIELDS}
    values["permanent"] = form.text("permanent") == "1"
    values["expert_review"] = form.text("expert_review") == "1"

    async def again(errors: dict[str, str], status: int) -> Response:
        return await render_nomenclature(
            request, lang, year, errors=errors, values=values, status_code=status
        )

    checked = _form_errors(lang, values)
    if checked:
        return await again(checked, 400)
    draft = CaseDraft(
        year=year,
        unit=values["unit"].strip(),
        number=_number(values["number"]) or 0,
        title=values["title"],
        retention_years=None if values["permanent"] else _number(values["retention_years"]),
        permanent=values["permanent"],
        article=values["article"] or None,
        expert_review=values["expert_review"],
    )
    try:
        await add_case(
            request.app.state.platform, form.principal, draft, client_mutation_id=form.mutation_id
        )
    except Forbidden:
        return refused(request, lang)
    except ValidationFailed as exc:
        return await again(field_errors(lang, exc, FORM_FIELD, "title"), 400)
    except InvalidTransition:  # no longer a draft: the form is gone, the message above
        message = translate(lang, "archive.error.stale")
        return await render_nomenclature(request, lang, year, step_error=message, status_code=409)
    except (Conflict, NotFound) as exc:
        name = FORM_FIELD.get(exc.field or "", "form")
        return await again({name: translate(lang, "archive.error", problem=exc.message)}, 400)
    except DomainError as exc:
        return await again({"form": translate(lang, "archive.error", problem=exc.message)}, 400)
    return _back(lang, year)


async def step(request: Request) -> Response:
    """Compile or approve: the use case refuses a step already taken (409 here)."""
    form = await posted(request)
    if isinstance(form, Response):
        return form
    lang = form.lang
    year = _path_year(request)
    run = STEPS.get(str(request.path_params["step"]))
    if year is None or run is None:
        return _back(lang, today_in_baku().year)
    try:
        await run(
            request.app.state.platform, form.principal, year, client_mutation_id=form.mutation_id
        )
    except Forbidden:
        return refused(request, lang)
    except InvalidTransition as exc:
        message = translate(lang, "archive.nomenclature.error.step", problem=exc.message)
        return await render_nomenclature(request, lang, year, step_error=message, status_code=409)
    except DomainError as exc:
        message = translate(lang, "archive.error", problem=exc.message)
        return await render_nomenclature(request, lang, year, step_error=message, status_code=400)
    return _back(lang, year)
