"""The domain's refusals as the page's words.

Use cases speak "Azerbaijani / English" in one message (``FieldError.message``); a page shows
the half in its own language (Russian: the English half inside a Russian sentence), next to
the field the error names. Errors naming a field the form does not have go to ``form``.
"""

from __future__ import annotations

from collections.abc import Iterable

from asan.core.errors import FieldError
from asan.web.i18n import Lang, translate

FORM = "form"


def domain_text(lang: Lang, message: str) -> str:
    """The page-language half of an "az / en" message (the whole one when it has no halves)."""
    az, sep, en = message.partition(" / ")
    if not sep:
        return translate(lang, "documents.error.domain", problem=message)
    if lang == "az":
        return az.strip()
    if lang == "en":
        return en.strip()
    return translate(lang, "documents.error.domain", problem=en.strip())


def field_errors(lang: Lang, errors: Iterable[FieldError], fields: Iterable[str]) -> dict[str, str]:
    """One message per field of the form (the first one), the rest under ``form``."""
    known = set(fields)
    out: dict[str, str] = {}
    for error in errors:
        # "coExecutors[2]" belongs to the coExecutors field
        name = error.field.split("[", 1)[0] if error.field else FORM
        key = name if name in known else FORM
        out.setdefault(key, domain_text(lang, error.message))
    return out
