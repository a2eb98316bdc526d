"""The typed rows of a draft form as the drafts part's inputs, and the part's field paths
(``route.steps.2.user``, ``addressees.0.stateBody``) back to the form's field names, so a
refusal is shown next to the row that caused it.

A route row is a stage number, a role and the holder's position code (the drafts part
resolves it to the one person holding it today); empty rows are skipped and the remaining
rows keep their form index for the messages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from asan.core.errors import FieldError
from asan.edms.drafts.models import ADDRESSEE_KINDS, Addressee, RouteSpec, StepSpec
from asan.web.approvals.forms import ADDRESSEE_ROWS, ROUTE_ROWS

Get = Callable[[str], str]
FORM: str = "form"  # errors that belong to no one field: shown above the form


@dataclass(frozen=True)
class RouteRows:
    route: RouteSpec | None
    rows: tuple[int, ...]  # form row of each step sent
    errors: dict[str, str]


def route_of(get: Get, required_message: str, number_message: str) -> RouteRows:
    """The route typed in the form (None when no row and no signatory was filled)."""
    steps: list[StepSpec] = []
    rows: list[int] = []
    errors: dict[str, str] = {}
    for i in range(ROUTE_ROWS):
        position = get(f"step_position_{i}").strip()
        stage_text = get(f"step_stage_{i}").strip() or "1"
        if not position:
            continue
        if not stage_text.isdigit() or not 1 <= int(stage_text) <= 10:
            errors[f"step_stage_{i}"] = number_message
            continue
        steps.append(StepSpec(int(stage_text), get(f"step_role_{i}").strip(), None, position))
        rows.append(i)
    signatory = get("signatory").strip()
    if not steps and not signatory and not errors:
        return RouteRows(None, (), {})
    if not signatory:
        errors["signatory"] = required_message
    route = RouteSpec(tuple(steps), None, signatory or None)
    return RouteRows(route, tuple(rows), errors)


def addressees_of(get: Get) -> tuple[tuple[Addressee, ...], tuple[int, ...]]:
    """Filled addressee rows: a state body or an agency unit by code, or a name and address."""
    found: list[Addressee] = []
    rows: list[int] = []
    for i in range(ADDRESSEE_ROWS):
        kind = get(f"addressee_kind_{i}").strip()
        code = get(f"addressee_code_{i}").strip()
        name = get(f"addressee_name_{i}").strip()
        address = get(f"addressee_address_{i}").strip()
        if not (code or name or address):
            continue
        if kind not in ADDRESSEE_KINDS:
            kind = "organisation"
        found.append(
            Addressee(
                kind=kind,
                state_body=code if kind == "state_body" else None,
                org_unit=code if kind == "org_unit" else None,
                name=name,
                address=address,
                position=len(found),
            )
        )
        rows.append(i)
    return tuple(found), tuple(rows)


def field_name(path: str | None, steps: Sequence[int] = (), addressees: Sequence[int] = ()) -> str:
    """The form field for one of the drafts part's field paths."""
    if not path:
        return FORM
    parts = path.split(".")
    if parts[0] == "route":
        if len(parts) >= 3 and parts[2].isdigit():
            index = int(parts[2])
            row = steps[index] if index < len(steps) else 0
            leaf = parts[3] if len(parts) > 3 else "user"
            column = {"stage": "stage", "role": "role"}.get(leaf, "position")
            return f"step_{column}_{row}"
        return "signatory" if parts[1:2] == ["signatory"] else "step_position_0"
    if parts[0] == "addressees" and len(parts) >= 2 and parts[1].isdigit():
        index = int(parts[1])
        row = addressees[index] if index < len(addressees) else index
        leaf = parts[2] if len(parts) > 2 else "code"
        column = {"kind": "kind", "name": "name", "address": "address"}.get(leaf, "code")
        return f"addressee_{column}_{row}"
    if parts[0] in ("reasons", "remarks", "comment", "subject", "summary", "unit", "kind"):
        return parts[0]
    return FORM


def field_errors(
    errors: Sequence[FieldError],
    wrap: Callable[[str], str],
    steps: Sequence[int] = (),
    addressees: Sequence[int] = (),
) -> dict[str, str]:
    """Form field -> message (the first per field), each message wrapped for the page."""
    out: dict[str, str] = {}
    for error in errors:
        out.setdefault(field_name(error.field, steps, addressees), wrap(error.message))
    return out
