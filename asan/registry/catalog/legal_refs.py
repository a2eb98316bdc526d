"""A legal act's official reference: its URI and the dates it is in force.

Why: integrators and the CPSV-AP export identify a legal basis by the act's own address (an
e-qanun.az page or an ELI URI) and need to know whether it still applies, not only its title.
These are properties of the shared ``LegalAct`` entry (``uri``, ``inForceFrom``,
``inForceUntil``), changed only through ``updateReferenceEntry`` like its title, so every
service citing the act shows the same reference. In the entry's ``values`` they are strings:
the URI, ISO dates, "" for not given; in the graph the dates are Neo4j ``date``s.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit

from asan.core.errors import FieldError

if TYPE_CHECKING:
    from asan.registry.catalog.validation import Checker

FIELDS: Final = ("uri", "inForceFrom", "inForceUntil")
DATES: Final = ("inForceFrom", "inForceUntil")
URI_MAX: Final = 500


def clean(c: Checker, name: str, value: str) -> str:
    """The cleaned value of one reference field ("" removes it); problems go to ``c``."""
    before = len(c.errors)
    text = c.text(value, name, max_length=URI_MAX, required=False)
    if not text or len(c.errors) > before:
        return text
    if name == "uri":
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in text:
            c.add(
                name,
                "tam http(s):// ünvanı olmalıdır (e-qanun.az və ya ELI) / must be an absolute "
                "http(s):// URI (e-qanun.az or ELI)",
            )
        return text
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        c.add(name, "tarix YYYY-MM-DD olmalıdır / must be a date YYYY-MM-DD")
        return text


def window_error(values: Mapping[str, str]) -> FieldError | None:
    """An error when the act would stop being in force before it started."""
    start, end = values.get("inForceFrom") or "", values.get("inForceUntil") or ""
    if start and end and end < start:  # ISO dates order as strings
        return FieldError(
            "inForceUntil",
            "qüvvədən düşmə tarixi qüvvəyə minmədən əvvəl ola bilməz / "
            "inForceUntil cannot be before inForceFrom",
        )
    return None


def stored(values: Mapping[str, str]) -> dict[str, Any]:
    """``values`` as graph properties: ISO dates as dates, "" as null (removes the property)."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name in DATES:
            out[name] = date.fromisoformat(value) if value else None
        elif name == "uri":
            out[name] = value or None
        else:
            out[name] = value
    return out


def read(node: Mapping[str, Any]) -> dict[str, str]:
    """The reference fields of a stored ``LegalAct`` node as strings ("" when absent)."""
    out = {"uri": str(node.get("uri") or "")}
    for name in DATES:
        value = node.get(name)
        to_native = getattr(value, "to_native", None)
        value = to_native() if callable(to_native) else value
        out[name] = value.isoformat() if isinstance(value, date) else ""
    return out
