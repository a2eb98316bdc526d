"""Checks of a new appeal and of the steps' inputs; every problem reported at once."""

from __future__ import annotations

from dataclasses import replace

from asan.core.errors import FieldError, ValidationFailed
from asan.core.text import clean
from asan.edms.appeals.models import APPEAL_CHANNELS, APPEAL_TYPES, Applicant, NewAppeal

MAX_NAME = 300
MAX_ADDRESS = 500
MAX_CONTACT = 200
MAX_SUBJECT = 500
MAX_TEXT = 8000
MAX_SHORT = 100


def text(
    errors: list[FieldError],
    field: str,
    value: str | None,
    max_length: int,
    *,
    required: bool = False,
    multiline: bool = False,
) -> str | None:
    if value is None or (not value.strip() and not required):
        if required:
            errors.append(FieldError(field, "boş ola bilməz / must not be empty"))
        return None
    cleaned, error = clean(
        value, field, max_length=max_length, multiline=multiline, required=required
    )
    if error is not None:
        errors.append(error)
    return cleaned or None


def clean_appeal(appeal: NewAppeal) -> NewAppeal:
    errors: list[FieldError] = []
    if appeal.appeal_type not in APPEAL_TYPES:
        errors.append(FieldError("appealType", f"mümkün / allowed: {', '.join(APPEAL_TYPES)}"))
    if appeal.channel not in APPEAL_CHANNELS:
        errors.append(FieldError("channel", f"mümkün / allowed: {', '.join(APPEAL_CHANNELS)}"))
    name = text(errors, "applicant.name", appeal.applicant.name, MAX_NAME, required=True)
    address = text(errors, "applicant.address", appeal.applicant.address, MAX_ADDRESS)
    contact = text(errors, "applicant.contact", appeal.applicant.contact, MAX_CONTACT)
    if name and not address and not contact:
        errors.append(
            FieldError(
                "applicant.contact",
                "cavab üçün ünvan və ya əlaqə lazımdır / an address or a contact is needed "
                "to answer",
            )
        )
    subject = text(errors, "subject", appeal.subject, MAX_SUBJECT, required=True)
    summary = text(errors, "summary", appeal.summary, MAX_TEXT, multiline=True)
    unit = text(errors, "unit", appeal.unit, MAX_SHORT)
    centre = text(errors, "centre", appeal.centre, MAX_SHORT)
    if appeal.channel == "asan_centre" and not centre:
        errors.append(
            FieldError(
                "centre", "ASAN mərkəzinin kodu lazımdır / name the ASAN centre it came through"
            )
        )
    if appeal.channel != "asan_centre" and centre:
        errors.append(
            FieldError("centre", "yalnız asan_centre kanalı üçün / only for channel asan_centre")
        )
    if errors:
        raise ValidationFailed(errors)
    return replace(
        appeal,
        applicant=Applicant(name or "", address, contact),
        subject=subject or "",
        summary=summary,
        unit=unit,
        centre=centre,
    )
