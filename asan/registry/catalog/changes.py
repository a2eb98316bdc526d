"""Field diffs between two versions of a service: what a ServiceVersion records.

Set-like lists (channels, centres, ...) are put in a canonical order first, so re-sending the
same set in another order is not a change; required documents keep their order because the
order is what applicants are told.
"""

from __future__ import annotations

from dataclasses import asdict, fields, replace
from decimal import Decimal
from typing import Any

from asan.registry.catalog.models import CHANNELS, ServiceInput


def canonical(content: ServiceInput) -> ServiceInput:
    return replace(
        content,
        channels=tuple(
            sorted(content.channels, key=lambda c: (CHANNELS.index(c) if c in CHANNELS else 99, c))
        ),
        legal_basis=tuple(sorted(content.legal_basis, key=lambda a: a.act_code)),
        outputs=tuple(sorted(content.outputs, key=lambda o: o.code)),
        centres=tuple(sorted(content.centres)),
        buses=tuple(sorted(content.buses)),
        systems=tuple(sorted(content.systems)),
        categories=tuple(sorted(content.categories)),
    )


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def snapshot(content: ServiceInput) -> dict[str, Any]:
    """JSON-ready content keyed by the API's field names."""
    raw = asdict(content)
    return {_camel(k): _plain(v) for k, v in raw.items()}


def diff(old: ServiceInput | None, new: ServiceInput) -> dict[str, dict[str, Any]]:
    """``{field: {"from": old, "to": new}}`` for each changed field (every field when created)."""
    after = snapshot(new)
    if old is None:
        return {k: {"from": None, "to": v} for k, v in after.items() if v not in (None, "", [])}
    before = snapshot(old)
    return {
        _camel(f.name): {"from": before[_camel(f.name)], "to": after[_camel(f.name)]}
        for f in fields(ServiceInput)
        if before[_camel(f.name)] != after[_camel(f.name)]
    }
