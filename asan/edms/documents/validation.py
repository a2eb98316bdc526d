"""Checks of a registration card: text, vocabularies, the correspondent, the clearance.

Everything wrong is reported at once (``ValidationFailed`` with one FieldError per field), so
a registrar's form can show every problem; references (the state body, the unit, the journal)
are checked in the mutation's own transaction.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from asan.auth.principal import Principal
from asan.core.db import Tx
from asan.core.errors import FieldError, ValidationFailed
from asan.core.text import clean
from asan.edms.documents import repository as repo
from asan.edms.documents.access import cleared_classifications
from asan.edms.documents.models import (
    CHANNELS,
    CLASSIFICATIONS,
    CORRESPONDENT_KINDS,
    KINDS,
    LANGUAGES,
    DocumentCard,
)

MAX_SUBJECT = 500
MAX_SUMMARY = 4000
MAX_SHORT = 100
MAX_NAME = 300
MAX_PAGES = 100_000


def _one_of(
    errors: list[FieldError], field: str, value: str | None, allowed: tuple[str, ...]
) -> None:
    if value is not None and value not in allowed:
        errors.append(FieldError(field, f"mümkün qiymətlər / allowed values: {', '.join(allowed)}"))


def _text(
    errors: list[FieldError],
    field: str,
    value: str | None,
    max_length: int,
    *,
    required: bool = False,
    multiline: bool = False,
) -> str | None:
    if value is None:
        if required:
            errors.append(FieldError(field, "boş ola bilməz / must not be empty"))
        return None
    text, error = clean(value, field, max_length=max_length, multiline=multiline, required=required)
    if error is not None:
        errors.append(error)
    return text or None


def _count(errors: list[FieldError], field: str, value: int | None) -> None:
    if value is not None and not 0 <= value <= MAX_PAGES:
        errors.append(FieldError(field, f"0-{MAX_PAGES} olmalıdır / must be 0-{MAX_PAGES}"))


def clean_card(card: DocumentCard, principal: Principal) -> DocumentCard:
    """The card with its texts normalised, or ValidationFailed listing every problem."""
    errors: list[FieldError] = []
    _one_of(errors, "kind", card.kind, KINDS)
    _one_of(errors, "classification", card.classification, CLASSIFICATIONS)
    _one_of(errors, "channel", card.channel, CHANNELS)
    _one_of(errors, "language", card.language, LANGUAGES)
    _one_of(errors, "correspondentKind", card.correspondent_kind, CORRESPONDENT_KINDS)
    if card.classification in CLASSIFICATIONS and card.classification not in (
        cleared_classifications(principal)
    ):
        errors.append(
            FieldError(
                "classification",
                "məxfilik dərəcəniz bu qrif üçün çatmır / "
                "your clearance does not reach this classification",
                "FORBIDDEN_CLASSIFICATION",
            )
        )
    _count(errors, "pages", card.pages)
    _count(errors, "attachments", card.attachments)
    cleaned: dict[str, Any] = {
        "subject": _text(errors, "subject", card.subject, MAX_SUBJECT, required=True),
        "summary": _text(errors, "summary", card.summary, MAX_SUMMARY, multiline=True),
        "case_index": _text(errors, "caseIndex", card.case_index, MAX_SHORT),
        "unit": _text(errors, "unit", card.unit, MAX_SHORT),
        "correspondent_body": _text(
            errors, "correspondentBody", card.correspondent_body, MAX_SHORT
        ),
        "correspondent_name": _text(errors, "correspondentName", card.correspondent_name, MAX_NAME),
        "correspondent_number": _text(
            errors, "correspondentNumber", card.correspondent_number, MAX_SHORT
        ),
    }
    kind = card.correspondent_kind
    if kind == "state_body" and not cleaned["correspondent_body"]:
        errors.append(
            FieldError(
                "correspondentBody",
                "dövlət orqanının kodu lazımdır / a state body's code is required",
            )
        )
    if kind in ("organisation", "person") and not cleaned["correspondent_name"]:
        errors.append(FieldError("correspondentName", "ad lazımdır / a name is required"))
    if kind is None and (cleaned["correspondent_body"] or cleaned["correspondent_name"]):
        errors.append(
            FieldError(
                "correspondentKind",
                "müxbirin növü lazımdır / the correspondent's kind is required",
            )
        )
    if kind != "state_body" and cleaned["correspondent_body"]:
        errors.append(
            FieldError(
                "correspondentBody",
                "yalnız dövlət orqanı üçün / only for a state body correspondent",
            )
        )
    if errors:
        raise ValidationFailed(errors)
    return replace(card, **cleaned)


async def check_references(tx: Tx, card: DocumentCard) -> None:
    """The state body, the unit and the journal the card names exist (one query)."""
    found = await repo.references(tx, card.correspondent_body, card.unit, card.journal_code)
    errors: list[FieldError] = []
    if card.correspondent_body and not found["body"]:
        errors.append(
            FieldError(
                "correspondentBody",
                f"reyestrdə belə dövlət orqanı yoxdur / no state body {card.correspondent_body} "
                "in the registry",
                "NOT_FOUND",
            )
        )
    if card.unit and not found["unit"]:
        errors.append(
            FieldError("unit", f"struktur bölmə yoxdur / no org unit {card.unit}", "NOT_FOUND")
        )
    if card.journal_code and not found["journal"]:
        errors.append(
            FieldError("journal", f"jurnal yoxdur / no journal {card.journal_code}", "NOT_FOUND")
        )
    elif card.journal_code and found["journal"] != card.kind:
        errors.append(
            FieldError(
                "journal",
                f"{card.journal_code} jurnalı '{found['journal']}' sənədləri üçündür / "
                f"journal {card.journal_code} registers '{found['journal']}' documents",
            )
        )
    if errors:
        raise ValidationFailed(errors)
