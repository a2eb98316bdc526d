"""A repeated appeal: the same person (folded name, and the same contact or address) on the
same matter (subject similarity of folded word stems, ``similarity.py``).

Keys are folded so "İLHAM Məmmədov" and "ilham məmmədov" are one person; a phone number is
reduced to its last nine digits, so "+994 50 123-45-67" and "050 1234567" match.
"""

from __future__ import annotations

import re

from asan.core.db import Tx
from asan.core.text import fold
from asan.edms.appeals import repository as repo
from asan.edms.appeals.models import Applicant
from asan.edms.appeals.similarity import similarity

_SPACE = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s@]+", re.UNICODE)
PHONE_DIGITS = 9


def name_key(name: str) -> str:
    return _SPACE.sub(" ", fold(name)).strip()


def contact_key(contact: str | None) -> str | None:
    if not contact:
        return None
    digits = re.sub(r"\D", "", contact)
    if "@" not in contact and len(digits) >= 7:
        return digits[-PHONE_DIGITS:]
    return _SPACE.sub("", fold(contact)) or None


def address_key(address: str | None) -> str | None:
    if not address:
        return None
    return _SPACE.sub(" ", _PUNCT.sub(" ", fold(address))).strip() or None


def applicant_keys(applicant: Applicant) -> dict[str, str | None]:
    return {
        "applicantFold": name_key(applicant.name),
        "applicantContactFold": contact_key(applicant.contact),
        "applicantAddressFold": address_key(applicant.address),
    }


async def earlier_on_same_matter(
    tx: Tx, document_id: str, applicant: Applicant, subject: str, threshold: float
) -> list[str]:
    """Ids of the person's earlier appeals on the same matter, newest first."""
    keys = applicant_keys(applicant)
    rows = await repo.earlier_appeals(
        tx,
        document_id,
        keys["applicantFold"] or "",
        keys["applicantContactFold"],
        keys["applicantAddressFold"],
    )
    return [str(r["id"]) for r in rows if similarity(subject, str(r["subject"] or "")) >= threshold]
