"""Checks of a mailing list: each line's addressee and method, all problems at once.

Decisions where the issue is silent: a document travels to another body's SYSTEM only when
that body registered a document endpoint (an active webhook subscribed to DOCUMENT_DELIVERY,
or to every kind); a service or state secret never leaves electronically (no SYSTEM, no
EMAIL outside the agency), only by courier, post or hand; organisations and persons have
no system, so SYSTEM is for state bodies and the agency's own units.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from typing import Any

from asan.core.db import Tx
from asan.core.errors import FieldError, ValidationFailed
from asan.core.text import clean, fold
from asan.edms.dispatch import models as md
from asan.edms.dispatch import repository as repo
from asan.edms.dispatch.settings import dispatch_settings

MAX_NAME = 300
MAX_ADDRESS = 500
MAX_NOTE = 1000
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
DELIVERY_KIND_NAME = "DOCUMENT_DELIVERY"  # the feed's name of DispatchEntry deliveries


def _text(
    errors: list[FieldError], field: str, value: str | None, limit: int, *, multiline: bool = False
) -> str | None:
    if value is None or not value.strip():
        return None
    text, error = clean(value, field, max_length=limit, multiline=multiline)
    if error is not None:
        errors.append(error)
    return text or None


def _line(errors: list[FieldError], i: int, a: md.AddresseeInput, secret: bool) -> dict[str, Any]:
    at = f"addressees.{i}"
    if a.kind not in md.ADDRESSEE_KINDS:
        errors.append(
            FieldError(f"{at}.kind", f"mümkün / allowed: {', '.join(md.ADDRESSEE_KINDS)}")
        )
    if a.method not in md.METHODS:
        errors.append(FieldError(f"{at}.method", f"mümkün / allowed: {', '.join(md.METHODS)}"))
    row: dict[str, Any] = {
        "id": "de_" + uuid.uuid4().hex,
        "position": i,
        "kind": a.kind,
        "method": a.method,
        "stateBody": _text(errors, f"{at}.stateBody", a.state_body, 64),
        "orgUnit": _text(errors, f"{at}.orgUnit", a.org_unit, 64),
        "name": _text(errors, f"{at}.name", a.name, MAX_NAME),
        "address": _text(errors, f"{at}.address", a.address, MAX_ADDRESS, multiline=True),
        "email": _text(errors, f"{at}.email", a.email, 254),
        "note": _text(errors, f"{at}.note", a.note, MAX_NOTE, multiline=True),
    }
    if a.kind == md.STATE_BODY and row["stateBody"] is None:
        errors.append(FieldError(f"{at}.stateBody", "dövlət orqanının kodu / a state body code"))
    if a.kind == md.ORG_UNIT and row["orgUnit"] is None:
        errors.append(FieldError(f"{at}.orgUnit", "struktur bölmənin kodu / an org unit code"))
    if a.kind in (md.ORGANISATION, md.PERSON) and row["name"] is None:
        errors.append(FieldError(f"{at}.name", "ad göstərilməyib / a name is required"))
    if a.kind not in (md.STATE_BODY, md.ORG_UNIT) and a.method == md.SYSTEM:
        errors.append(
            FieldError(
                f"{at}.method",
                "sistem ilə yalnız dövlət orqanına və ya bölməyə / SYSTEM only to a state body "
                "or an agency unit",
            )
        )
    if a.method == md.EMAIL and (row["email"] is None or not _EMAIL.match(row["email"])):
        errors.append(FieldError(f"{at}.email", "e-poçt ünvanı / a valid e-mail address"))
    if a.method in (md.POST, md.COURIER) and row["address"] is None and a.kind != md.ORG_UNIT:
        errors.append(FieldError(f"{at}.address", "poçt ünvanı / a postal address is required"))
    if secret and a.method in md.ELECTRONIC and a.kind != md.ORG_UNIT:
        errors.append(
            FieldError(
                f"{at}.method",
                "məxfi sənəd elektron göndərilmir / a secret document is not sent "
                "electronically: courier, post or hand",
            )
        )
    return row


def _key(row: dict[str, Any]) -> tuple[str, str]:
    return (
        str(row["kind"]),
        fold(str(row["stateBody"] or row["orgUnit"] or row["name"] or ""))
        + "|"
        + fold(str(row["email"] or row["address"] or "")),
    )


async def clean_list(
    tx: Tx, addressees: Sequence[md.AddresseeInput], *, secret: bool
) -> list[dict[str, Any]]:
    """Rows ready to store, or ValidationFailed naming every bad line's field."""
    errors: list[FieldError] = []
    limit = dispatch_settings().max_addressees
    if len(addressees) > limit:
        raise ValidationFailed(
            [FieldError("addressees", f"{limit}-dən çox ünvan / more than {limit} addressees")]
        )
    rows = [_line(errors, i, a, secret) for i, a in enumerate(addressees)]
    seen: set[tuple[str, str]] = set()
    for i, row in enumerate(rows):
        key = _key(row)
        if key in seen:
            errors.append(FieldError(f"addressees.{i}", "təkrar ünvan / duplicate addressee"))
        seen.add(key)
    if errors:
        raise ValidationFailed(errors)
    await check_references(tx, rows)
    return rows


async def check_references(tx: Tx, rows: Sequence[dict[str, Any]]) -> None:
    """State bodies and units exist; a SYSTEM line's body has a document endpoint now."""
    errors: list[FieldError] = []
    bodies = sorted({r["stateBody"] for r in rows if r["kind"] == md.STATE_BODY})
    units = sorted({r["orgUnit"] for r in rows if r["kind"] == md.ORG_UNIT})
    found_bodies = await repo.existing_bodies(tx, bodies) if bodies else set()
    found_units = await repo.existing_units(tx, units) if units else set()
    wired = sorted({r["stateBody"] for r in rows if r["method"] == md.SYSTEM and r["stateBody"]})
    endpoints = await repo.document_endpoints(tx, wired, DELIVERY_KIND_NAME) if wired else set()
    for row in rows:
        at = f"addressees.{row['position']}"
        if row["kind"] == md.STATE_BODY and row["stateBody"] not in found_bodies:
            errors.append(
                FieldError(
                    f"{at}.stateBody",
                    f"'{row['stateBody']}' reyestrdə yoxdur / not in the registry",
                    code="NOT_FOUND",
                )
            )
        elif row["kind"] == md.ORG_UNIT and row["orgUnit"] not in found_units:
            errors.append(
                FieldError(
                    f"{at}.orgUnit",
                    f"'{row['orgUnit']}' bölməsi yoxdur / no such unit",
                    code="NOT_FOUND",
                )
            )
        elif (
            row["kind"] == md.STATE_BODY
            and row["method"] == md.SYSTEM
            and row["stateBody"] not in endpoints
        ):
            errors.append(
                FieldError(
                    f"{at}.method",
                    f"'{row['stateBody']}' sənəd qəbulu üçün sistem qeydiyyatdan keçirməyib / "
                    "has no registered document endpoint (a webhook for DOCUMENT_DELIVERY): "
                    "choose e-mail, post, courier or hand",
                )
            )
    if errors:
        raise ValidationFailed(errors)


def default_method(row: dict[str, Any], endpoints: set[str], secret: bool) -> str:
    """How a draft's addressee travels when nobody chose: electronically where possible."""
    if row["kind"] == md.ORG_UNIT:
        return md.SYSTEM
    if not secret and row["kind"] == md.STATE_BODY and row["stateBody"] in endpoints:
        return md.SYSTEM
    if not secret and row.get("email"):
        return md.EMAIL
    return md.POST if row.get("address") else md.HAND
