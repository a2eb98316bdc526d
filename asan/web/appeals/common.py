"""The appeal forms' field errors (the first steps every form shares are asan.web.forms')."""

from __future__ import annotations

from asan.core.errors import ValidationFailed
from asan.web.forms import in_lang
from asan.web.i18n import Lang, translate


def field_errors(
    lang: Lang, exc: ValidationFailed, fields: dict[str, str], fallback: str
) -> dict[str, str]:
    """The use case's field errors keyed by the form's field names (``fields`` maps the domain's
    names to the form's); an unknown field's message goes next to ``fallback``."""
    errors: dict[str, str] = {}
    for error in exc.errors:
        name = fields.get(error.field or "", fallback)
        text = in_lang(lang, error.message)
        if not text.strip() or "boş ola bilməz" in error.message:
            text = translate(lang, "appeals.error.required")
        errors.setdefault(name, text)
    return errors
