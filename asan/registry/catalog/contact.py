"""Contact points (CPSV-AP ``cv:ContactPoint``) of state bodies, services and systems.

One shape and one set of checks for all three owners, stored as the flat node properties
``contactEmail``, ``contactTelephone``, ``contactHours`` and ``contactUrl`` (no extra node or
hop: lists and the CPSV-AP export read them with their owner). Hostile text is refused by
``core/text.clean`` through the ``Checker`` with the field named (``contactPoint.email``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit

from asan.registry.catalog.models import ContactPoint

if TYPE_CHECKING:
    from asan.registry.catalog.validation import Checker

CONTACT_PROPERTIES: Final = ("contactEmail", "contactTelephone", "contactHours", "contactUrl")
EMAIL_MAX: Final = 254
PHONE_MAX: Final = 40
HOURS_MAX: Final = 300
URL_MAX: Final = 500


def contact_point(c: Checker, raw: ContactPoint, prefix: str) -> ContactPoint | None:
    """A cleaned contact point, or None when every part is empty.

    Each part gets one error at most: its shape is checked only once its text is clean.
    """

    def part(value: str, name: str, max_length: int) -> tuple[str, bool]:
        before = len(c.errors)
        text = c.text(value, f"{prefix}.{name}", max_length=max_length, required=False)
        return text, bool(text) and len(c.errors) == before

    email, check = part(raw.email, "email", EMAIL_MAX)
    local, _, domain = email.partition("@")
    if check and ("@" in domain or " " in email or not local or "." not in domain.strip(".")):
        c.add(f"{prefix}.email", "e-poçt ünvanı yanlışdır / not an e-mail address")
    phone, check = part(raw.telephone, "telephone", PHONE_MAX)
    if check and not (
        all(ch.isdigit() or ch in "+ ()-" for ch in phone) and any(ch.isdigit() for ch in phone)
    ):
        c.add(
            f"{prefix}.telephone",
            "yalnız rəqəm, boşluq və + ( ) - / only digits, spaces and + ( ) -",
        )
    hours, _ = part(raw.opening_hours, "openingHours", HOURS_MAX)
    url, check = part(raw.url, "url", URL_MAX)
    if check:
        parts = urlsplit(url)
        if parts.scheme != "https" or not parts.netloc or " " in url:
            c.add(f"{prefix}.url", "https:// ünvanı olmalıdır / must be an https:// address")
    if not (email or phone or hours or url):
        return None
    return ContactPoint(email, phone, hours, url)


def contact_properties(cp: ContactPoint | None) -> dict[str, str | None]:
    """The node properties of ``cp``; parts not given are null, so a save removes them."""
    cp = cp or ContactPoint()
    return {
        "contactEmail": cp.email or None,
        "contactTelephone": cp.telephone or None,
        "contactHours": cp.opening_hours or None,
        "contactUrl": cp.url or None,
    }


def contact_of(row: Mapping[str, Any]) -> ContactPoint | None:
    """The contact point stored on a node (its properties as read), or None."""
    cp = ContactPoint(
        row.get("contactEmail") or "",
        row.get("contactTelephone") or "",
        row.get("contactHours") or "",
        row.get("contactUrl") or "",
    )
    return cp if cp != ContactPoint() else None
