"""Graph properties as JSON a person can read, and back to exactly the same values.

A bag's JSON holds each node's properties as plain JSON (dates and times as ISO 8601 text,
Azerbaijani text as UTF-8), with a ``_types`` map naming the properties that were dates or
date-times, so an import writes back the same Neo4j types rather than strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Final

TYPES_KEY: Final = "_types"


def _native(value: Any) -> Any:
    to_native = getattr(value, "to_native", None)
    return to_native() if callable(to_native) else value


def _plain(value: Any) -> tuple[Any, str | None]:
    value = _native(value)
    if isinstance(value, datetime):
        return value.isoformat(), "datetime"
    if isinstance(value, date):
        return value.isoformat(), "date"
    if isinstance(value, list | tuple):
        items = [_plain(v) for v in value]
        kinds = {k for _, k in items if k is not None}
        return [v for v, _ in items], (f"list:{kinds.pop()}" if len(kinds) == 1 else None)
    return value, None


def encode(props: Mapping[str, Any]) -> dict[str, Any]:
    """Properties as JSON values, sorted by name, with ``_types`` for dates and date-times."""
    out: dict[str, Any] = {}
    types: dict[str, str] = {}
    for name in sorted(props):
        value, kind = _plain(props[name])
        out[name] = value
        if kind is not None:
            types[name] = kind
    if types:
        out[TYPES_KEY] = types
    return out


def _typed(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind.startswith("list:"):
        return [_typed(v, kind[5:]) for v in value]
    if kind == "datetime":
        return datetime.fromisoformat(value)
    if kind == "date":
        return date.fromisoformat(value)
    raise ValueError(f"unknown property type {kind!r}")


def decode(data: Mapping[str, Any]) -> dict[str, Any]:
    """The properties ``encode`` was given (Python dates and date-times for Neo4j's)."""
    types: Mapping[str, str] = data.get(TYPES_KEY) or {}
    return {
        name: _typed(value, types[name]) if name in types else value
        for name, value in data.items()
        if name != TYPES_KEY
    }
