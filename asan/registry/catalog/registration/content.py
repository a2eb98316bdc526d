"""A change request's content: the proposal as stored JSON, applied, and compared field by field.

A proposal is partial: a ``ServicePatch`` names only the fields being changed (a given list
replaces the whole list, as ``updateService`` does) plus the optional fields it clears. It is
stored as JSON on the request with the published content it was made against (``base``), so
registration can tell which fields changed meanwhile. The codec here is the request's own (not
``changes.snapshot``): what was stored must read back into the same records whatever shape the
version history takes.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from decimal import Decimal
from typing import Any, Final

from asan.registry.catalog import changes
from asan.registry.catalog.models import (
    ContactPoint,
    Evidence,
    LegalBasis,
    Output,
    ServiceInput,
    ServicePatch,
)
from asan.registry.catalog.services.use_cases import apply_patch

# optional fields a proposal may clear (set to null), as the service update allows
CLEARABLE: Final = ("online_url", "processing_days")
LIST_FIELDS: Final = frozenset(
    {
        "fee_exemptions",
        "channels",
        "legal_basis",
        "requirements",
        "outputs",
        "centres",
        "buses",
        "systems",
        "categories",
    }
)


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _display(value: Any) -> Any:
    """JSON-ready with camelCase keys inside list items too (as the API names fields)."""
    if isinstance(value, dict):
        return {camel(k): _display(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_display(v) for v in value]
    return value


def _restore(name: str, value: Any) -> Any:
    """A stored JSON value back as the record field ``name`` holds it."""
    if value is None:
        return None
    if name == "fee_amount":
        return Decimal(value)
    if name == "legal_basis":
        return tuple(
            LegalBasis(a["act_code"], a["title"], tuple(a.get("articles") or ())) for a in value
        )
    if name == "requirements":
        return tuple(Evidence(**e) for e in value)
    if name == "outputs":
        return tuple(Output(**o) for o in value)
    if name == "contact_point":
        return ContactPoint(**value)
    if isinstance(value, list):
        return tuple(value)
    return value


def patch_to_json(patch: ServicePatch, clear: tuple[str, ...]) -> str:
    given = {
        f.name: _plain(asdict(patch)[f.name])
        for f in fields(ServicePatch)
        if f.name != "code" and getattr(patch, f.name) is not None
    }
    return json.dumps({"set": given, "clear": list(clear)}, ensure_ascii=False, sort_keys=True)


def patch_from_json(code: str, raw: str | None) -> tuple[ServicePatch | None, tuple[str, ...]]:
    if not raw:
        return None, ()
    data = json.loads(raw)
    values = {k: _restore(k, v) for k, v in (data.get("set") or {}).items()}
    return ServicePatch(code=code, **values), tuple(data.get("clear") or ())


def content_to_json(content: ServiceInput) -> str:
    return json.dumps(_plain(asdict(content)), ensure_ascii=False, sort_keys=True)


def content_from_json(raw: str | None) -> ServiceInput | None:
    if not raw:
        return None
    data = json.loads(raw)
    return ServiceInput(**{k: _restore(k, v) for k, v in data.items()})


def proposed(current: ServiceInput, patch: ServicePatch, clear: tuple[str, ...]) -> ServiceInput:
    """The whole content the service would have if the proposal were registered now."""
    merged = apply_patch(current, patch)
    if "online_url" in clear:
        merged = replace(merged, online_url=None)
    if "processing_days" in clear:
        merged = replace(merged, processing_days=None)
    return merged


def changed_fields(old: ServiceInput, new: ServiceInput) -> list[str]:
    """API names of the fields that differ (set-like lists compared in canonical order)."""
    return list(changes.diff(changes.canonical(old), changes.canonical(new)))


@dataclass(frozen=True)
class FieldDiff:
    """One field of a change request: current published value, proposed value; for lists,
    the items added and removed (compared as whole items)."""

    field: str  # API name, e.g. "requirements"
    current: Any  # JSON-ready
    proposed: Any
    added: tuple[Any, ...] = ()
    removed: tuple[Any, ...] = ()


def field_diff(current: ServiceInput, new: ServiceInput) -> list[FieldDiff]:
    """Field-by-field differences between the published content and the proposed one."""
    old_c, new_c = changes.canonical(current), changes.canonical(new)
    out: list[FieldDiff] = []
    for f in fields(ServiceInput):
        before = _display(_plain(asdict(old_c)[f.name]))
        after = _display(_plain(asdict(new_c)[f.name]))
        if before == after:
            continue
        added: tuple[Any, ...] = ()
        removed: tuple[Any, ...] = ()
        if f.name in LIST_FIELDS:
            added = tuple(x for x in after if x not in before)
            removed = tuple(x for x in before if x not in after)
        out.append(FieldDiff(camel(f.name), before, after, added, removed))
    return out
