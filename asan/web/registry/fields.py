"""A service's content as the draft form shows and reads it, and as a diff row shows it.

The form has the fields a body edits by hand (names, descriptions, term, fee and exemptions,
online URL, channels, legal basis, required documents); list fields are one item per line
with ``|`` between an item's parts, so the whole form stays a few dozen fields (the page
forms' cap is 50) whatever the number of documents. Fields the form does not show (outputs,
centres, buses, systems, categories, contact point) keep their stored value. Form field
names are the API's field names, so a use case's ``FieldError`` (``requirements[2].code``,
``changes.feeAmount``) and a reviewer's defect (``feeAmount``) land next to their field.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from starlette.datastructures import FormData

from asan.core.errors import FieldError
from asan.registry.catalog.models import CHANNELS, Evidence, LegalBasis, ServiceInput
from asan.web.forms import in_lang
from asan.web.i18n import Lang, translate

TEXT_FIELDS: Final = (
    "nameAz",
    "nameEn",
    "nameRu",
    "descriptionAz",
    "descriptionEn",
    "descriptionRu",
    "processingDays",
    "feeAmount",
    "onlineUrl",
)
LINE_FIELDS: Final = ("feeExemptions", "legalBasis", "requirements")
FORM_FIELDS: Final = (*TEXT_FIELDS, "channels", *LINE_FIELDS)
MAX_LINES: Final = 100  # items per list field: more is not a hand-edited reglament
MAX_VALUE: Final = 20_000  # characters per posted field


@dataclass(frozen=True)
class Posted:
    """The form's values as typed (shown again when refused) and the channels ticked."""

    values: dict[str, str]
    channels: tuple[str, ...]


def label(lang: Lang, api_field: str) -> str:
    """A content field's name in the page's language (the diff's and the defects' headings)."""
    key = f"registry.field.{api_field}"
    text = translate(lang, key)
    return api_field if text == key else text


def _lines(items: list[list[str]]) -> str:
    return "\n".join(" | ".join(parts).rstrip(" |") for parts in items)


def values_of(content: ServiceInput) -> Posted:
    """The form's values for stored (or proposed) content."""
    values = {
        "nameAz": content.name_az,
        "nameEn": content.name_en,
        "nameRu": content.name_ru,
        "descriptionAz": content.description_az,
        "descriptionEn": content.description_en,
        "descriptionRu": content.description_ru,
        "processingDays": "" if content.processing_days is None else str(content.processing_days),
        "feeAmount": str(content.fee_amount),
        "onlineUrl": content.online_url or "",
        "feeExemptions": "\n".join(content.fee_exemptions),
        "legalBasis": _lines(
            [[a.act_code, a.title, ", ".join(a.articles)] for a in content.legal_basis]
        ),
        "requirements": _lines(
            [
                [e.code, e.name_az, e.name_en, e.name_ru, e.condition or ""]
                for e in content.requirements
            ]
        ),
    }
    return Posted(values, tuple(content.channels))


def read_posted(form: FormData) -> Posted:
    values = {name: str(form.get(name) or "")[:MAX_VALUE] for name in (*TEXT_FIELDS, *LINE_FIELDS)}
    channels = tuple(str(c) for c in form.getlist("channels") if str(c) in CHANNELS)
    return Posted(values, channels)


def _split(text: str) -> list[list[str]]:
    rows = [line for line in text.replace("\r", "").split("\n") if line.strip()]
    return [[part.strip() for part in line.split("|")] for line in rows]


def parse(
    lang: Lang, posted: Posted, base: ServiceInput
) -> tuple[ServiceInput | None, dict[str, str]]:
    """``base`` with the form's fields replaced, or the form's own errors by field (what the
    use case cannot see: a number that is not one, a line with too many parts)."""
    v, errors = posted.values, {}
    days: int | None = None
    if v["processingDays"].strip():
        try:
            days = int(v["processingDays"].strip())
        except ValueError:
            errors["processingDays"] = translate(lang, "registry.error.integer")
    try:
        fee = Decimal(v["feeAmount"].strip() or "0")
        if not fee.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        errors["feeAmount"] = translate(lang, "registry.error.amount")
        fee = Decimal("0")
    exemptions = tuple(line.strip() for line in v["feeExemptions"].splitlines() if line.strip())
    acts: list[LegalBasis] = []
    for parts in _split(v["legalBasis"]):
        if len(parts) > 3:
            errors["legalBasis"] = translate(lang, "registry.error.parts", most=3)
            break
        parts += [""] * (3 - len(parts))
        articles = tuple(a.strip() for a in parts[2].split(",") if a.strip())
        acts.append(LegalBasis(parts[0], parts[1], articles))
    documents: list[Evidence] = []
    for parts in _split(v["requirements"]):
        if len(parts) > 5:
            errors["requirements"] = translate(lang, "registry.error.parts", most=5)
            break
        parts += [""] * (5 - len(parts))
        documents.append(Evidence(parts[0], parts[1], parts[2], parts[3], parts[4] or None))
    for name in LINE_FIELDS:
        if len(v[name].splitlines()) > MAX_LINES:
            errors[name] = translate(lang, "registry.error.lines", most=MAX_LINES)
    if errors:
        return None, errors
    content = replace(
        base,
        name_az=v["nameAz"],
        name_en=v["nameEn"],
        name_ru=v["nameRu"],
        description_az=v["descriptionAz"],
        description_en=v["descriptionEn"],
        description_ru=v["descriptionRu"],
        processing_days=days,
        fee_amount=fee,
        fee_exemptions=exemptions,
        online_url=v["onlineUrl"].strip() or None,
        channels=posted.channels,
        legal_basis=tuple(acts),
        requirements=tuple(documents),
    )
    return content, {}


def form_field(api_field: str) -> str | None:
    """The form field an error or a defect names (``changes.requirements[2].code`` ->
    ``requirements``), or None when the form does not show it."""
    name = api_field.removeprefix("changes.")
    name = name.split("[", 1)[0].split(".", 1)[0]
    return name if name in FORM_FIELDS or name in ("code", "provider", "summary") else None


def placed(lang: Lang, errors: list[FieldError]) -> tuple[dict[str, str], list[str]]:
    """Each use-case error next to its form field (first one per field), the rest on top."""
    by_field: dict[str, str] = {}
    general: list[str] = []
    for e in errors:
        name = form_field(e.field or "")
        text = in_lang(lang, e.message)
        if name is None:
            general.append(f"{label(lang, e.field or '')}: {text}" if e.field else text)
        else:
            by_field.setdefault(name, text)
    return by_field, general


def show(value: Any) -> str:
    """A diff value as one line of text: items joined by ``; ``, an item's parts by `` · ``."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return "; ".join(show(v) for v in value)
    if isinstance(value, dict):
        return " · ".join(show(v) for v in value.values() if v not in (None, "", []))
    return str(value)
