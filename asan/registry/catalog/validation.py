"""Input checks of the catalog: every string NFC + trimmed, bounded, free of control characters.

Each check appends a ``FieldError`` naming the input field as the GraphQL input spells it
(``nameAz``, ``requirements[2].code``), so one response lists every problem of a form.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import TypeVar
from urllib.parse import urlsplit

from asan.core.errors import FieldError, ValidationFailed
from asan.core.text import clean
from asan.registry.catalog.contact import contact_point
from asan.registry.catalog.models import (
    CATEGORY_KINDS,
    CHANNELS,
    STATE_BODY_KINDS,
    AsanCentreInput,
    BusStopInput,
    CategoryInput,
    ContactPoint,
    DataLink,
    Evidence,
    InformationSystemInput,
    LegalBasis,
    MobileBusInput,
    Output,
    ServiceInput,
    StateBodyInput,
    StopVisit,
)
from asan.registry.catalog.systems.records import system_record

CODE_MAX = 64
NAME_MAX = 300
TEXT_MAX = 5000
SHORT_MAX = 500
URL_MAX = 500
MAX_FEE = Decimal("1000000")
MAX_PROCESSING_DAYS = 365
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
HOURS_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$")

T = TypeVar("T")


class Checker:
    """Collects field errors while cleaning values; ``done()`` raises them all at once."""

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix
        self.errors: list[FieldError] = []

    def name(self, field: str) -> str:
        return f"{self.prefix}{field}"

    def add(self, field: str, message: str, code: str = "BAD_USER_INPUT") -> None:
        self.errors.append(FieldError(self.name(field), message, code))

    def text(
        self,
        value: str,
        field: str,
        *,
        max_length: int = NAME_MAX,
        required: bool = True,
        multiline: bool = False,
    ) -> str:
        text, error = clean(
            value, self.name(field), max_length=max_length, required=required, multiline=multiline
        )
        if error is not None:
            self.errors.append(error)
        return text

    def optional(self, value: str | None, field: str, *, max_length: int = NAME_MAX) -> str | None:
        if value is None:
            return None
        text = self.text(value, field, max_length=max_length, required=False)
        return text or None

    def code(self, value: str, field: str = "code") -> str:
        text = self.text(value, field, max_length=CODE_MAX)
        if text and not CODE_RE.match(text):
            self.add(
                field,
                "kod yalnız hərf, rəqəm və . _ / - ola bilər / "
                "code may hold only letters, digits and . _ / -",
            )
        return text

    def codes(self, values: Sequence[str], field: str) -> tuple[str, ...]:
        cleaned = tuple(self.code(v, f"{field}[{i}]") for i, v in enumerate(values))
        self.unique(cleaned, field)
        return cleaned

    def unique(self, values: Sequence[str], field: str) -> None:
        seen: set[str] = set()
        for value in values:
            if value in seen:
                self.add(field, f"təkrarlanır: {value} / duplicate: {value}")
            seen.add(value)

    def one_of(self, value: str, allowed: Sequence[str], field: str) -> str:
        if value not in allowed:
            self.add(
                field,
                f"{', '.join(allowed)} olmalıdır / must be one of {', '.join(allowed)}",
            )
        return value

    def each(
        self, values: Sequence[T], field: str, check: Callable[[Checker, T], T]
    ) -> tuple[T, ...]:
        out: list[T] = []
        for i, value in enumerate(values):
            sub = Checker(f"{self.prefix}{field}[{i}].")
            out.append(check(sub, value))
            self.errors.extend(sub.errors)
        return tuple(out)

    def done(self) -> None:
        if self.errors:
            raise ValidationFailed(list(self.errors))


def state_body(raw: StateBodyInput) -> StateBodyInput:
    c = Checker()
    result = StateBodyInput(
        code=c.code(raw.code),
        name_az=c.text(raw.name_az, "nameAz"),
        name_en=c.text(raw.name_en, "nameEn", required=False),
        name_ru=c.text(raw.name_ru, "nameRu", required=False),
        kind=c.one_of(raw.kind, STATE_BODY_KINDS, "kind"),
        parent=c.code(raw.parent, "parent") if raw.parent is not None else None,
        contact_point=_contact(c, raw.contact_point),
    )
    if result.parent is not None and result.parent == result.code:
        c.add("parent", "özünə tabe ola bilməz / cannot be part of itself")
    c.done()
    return result


def information_system(raw: InformationSystemInput) -> InformationSystemInput:
    c = Checker()
    result = InformationSystemInput(
        code=c.code(raw.code),
        name_az=c.text(raw.name_az, "nameAz"),
        operator=c.code(raw.operator, "operator"),
        name_en=c.text(raw.name_en, "nameEn", required=False),
        name_ru=c.text(raw.name_ru, "nameRu", required=False),
        description=c.text(
            raw.description, "description", max_length=TEXT_MAX, required=False, multiline=True
        ),
        record=system_record(c, raw.record),
    )
    c.done()
    return result


def data_link(raw: DataLink) -> DataLink:
    c = Checker()
    result = DataLink(c.code(raw.consumer, "consumer"), c.code(raw.provider, "provider"), raw.since)
    if result.consumer == result.provider:
        c.add("provider", "sistem özündən məlumat ala bilməz / a system cannot consume itself")
    c.done()
    return result


def category(raw: CategoryInput) -> CategoryInput:
    c = Checker()
    result = CategoryInput(
        code=c.code(raw.code),
        name_az=c.text(raw.name_az, "nameAz"),
        kind=c.one_of(raw.kind, CATEGORY_KINDS, "kind"),
        name_en=c.text(raw.name_en, "nameEn", required=False),
        name_ru=c.text(raw.name_ru, "nameRu", required=False),
    )
    c.done()
    return result


def _legal(c: Checker, raw: LegalBasis) -> LegalBasis:
    articles = tuple(
        c.text(a, f"articles[{i}]", max_length=CODE_MAX) for i, a in enumerate(raw.articles)
    )
    return LegalBasis(
        c.code(raw.act_code, "actCode"), c.text(raw.title, "title", max_length=SHORT_MAX), articles
    )


def _evidence(c: Checker, raw: Evidence) -> Evidence:
    return Evidence(
        code=c.code(raw.code),
        name_az=c.text(raw.name_az, "nameAz"),
        name_en=c.text(raw.name_en, "nameEn", required=False),
        name_ru=c.text(raw.name_ru, "nameRu", required=False),
        condition=c.optional(raw.condition, "condition", max_length=SHORT_MAX),
    )


def _output(c: Checker, raw: Output) -> Output:
    return Output(
        code=c.code(raw.code),
        name_az=c.text(raw.name_az, "nameAz"),
        name_en=c.text(raw.name_en, "nameEn", required=False),
        name_ru=c.text(raw.name_ru, "nameRu", required=False),
    )


def _fee(c: Checker, value: Decimal) -> Decimal:
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        c.add("feeAmount", "məbləğ yanlışdır / not an amount")
        return Decimal("0")
    if not amount.is_finite() or amount < 0 or amount > MAX_FEE:
        c.add("feeAmount", f"0..{MAX_FEE} AZN olmalıdır / must be 0..{MAX_FEE} AZN")
        return Decimal("0")
    if amount != amount.quantize(Decimal("0.01")):
        c.add("feeAmount", "ən çox 2 onluq rəqəm / at most 2 decimal places (qəpik)")
    return amount.quantize(Decimal("0.01"))


def _url(c: Checker, value: str | None) -> str | None:
    url = c.optional(value, "onlineUrl", max_length=URL_MAX)
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc:
        c.add("onlineUrl", "https:// ünvanı olmalıdır / must be an https:// address")
    return url


def service(raw: ServiceInput) -> ServiceInput:
    c = Checker()
    channels = tuple(raw.channels)
    for i, channel in enumerate(channels):
        c.one_of(channel, CHANNELS, f"channels[{i}]")
    c.unique(channels, "channels")
    processing = raw.processing_days
    if processing is not None and not 0 <= processing <= MAX_PROCESSING_DAYS:
        c.add(
            "processingDays",
            f"0..{MAX_PROCESSING_DAYS} iş günü / 0..{MAX_PROCESSING_DAYS} working days",
        )
    url = _url(c, raw.online_url)
    if "ONLINE" in channels and url is None:
        c.add("onlineUrl", "ONLINE kanalı üçün ünvan lazımdır / the ONLINE channel needs its URL")
    if url is not None and "ONLINE" not in channels:
        c.add("onlineUrl", "ünvan yalnız ONLINE kanalı ilə / a URL needs the ONLINE channel")
    requirements = c.each(raw.requirements, "requirements", _evidence)
    c.unique([r.code for r in requirements], "requirements")
    outputs = c.each(raw.outputs, "outputs", _output)
    c.unique([o.code for o in outputs], "outputs")
    legal = c.each(raw.legal_basis, "legalBasis", _legal)
    c.unique([a.act_code for a in legal], "legalBasis")
    result = ServiceInput(
        code=c.code(raw.code),
        name_az=c.text(raw.name_az, "nameAz"),
        name_en=c.text(raw.name_en, "nameEn", required=False),
        name_ru=c.text(raw.name_ru, "nameRu", required=False),
        provider=c.code(raw.provider, "provider"),
        description_az=c.text(
            raw.description_az, "descriptionAz", max_length=TEXT_MAX, required=False, multiline=True
        ),
        description_en=c.text(
            raw.description_en, "descriptionEn", max_length=TEXT_MAX, required=False, multiline=True
        ),
        description_ru=c.text(
            raw.description_ru, "descriptionRu", max_length=TEXT_MAX, required=False, multiline=True
        ),
        processing_days=processing,
        fee_amount=_fee(c, raw.fee_amount),
        fee_exemptions=tuple(
            c.text(e, f"feeExemptions[{i}]", max_length=SHORT_MAX)
            for i, e in enumerate(raw.fee_exemptions)
        ),
        online_url=url,
        channels=channels,
        legal_basis=legal,
        requirements=requirements,
        outputs=outputs,
        centres=c.codes(raw.centres, "centres"),
        buses=c.codes(raw.buses, "buses"),
        systems=c.codes(raw.systems, "systems"),
        categories=c.codes(raw.categories, "categories"),
        contact_point=_contact(c, raw.contact_point),
    )
    c.done()
    return result


def _contact(c: Checker, raw: ContactPoint | None) -> ContactPoint | None:
    """A cleaned contact point; None when none was given or every part is empty."""
    return contact_point(c, raw, "contactPoint") if raw is not None else None


def asan_centre(raw: AsanCentreInput) -> AsanCentreInput:
    c = Checker()
    hours = c.text(raw.hours, "hours", max_length=11)
    if hours and not HOURS_RE.match(hours):
        c.add("hours", "SS:DD-SS:DD formatında / format HH:MM-HH:MM")
    result = AsanCentreInput(
        code=c.code(raw.code),
        name=c.text(raw.name, "name"),
        region=c.text(raw.region, "region"),
        address=c.text(raw.address, "address", max_length=SHORT_MAX),
        hours=hours,
    )
    c.done()
    return result


def bus_stop(raw: BusStopInput) -> BusStopInput:
    c = Checker()
    result = BusStopInput(
        code=c.code(raw.code),
        name=c.text(raw.name, "name"),
        region=c.text(raw.region, "region"),
        address=c.text(raw.address, "address", max_length=SHORT_MAX, required=False),
    )
    c.done()
    return result


def _visit(c: Checker, raw: StopVisit) -> StopVisit:
    if not 1 <= raw.weekday <= 7:
        c.add("weekday", "1 (bazar ertəsi)..7 (bazar) / 1 (Monday)..7 (Sunday)")
    starts = c.text(raw.starts_at, "startsAt", max_length=5)
    ends = c.text(raw.ends_at, "endsAt", max_length=5)
    for value, name in ((starts, "startsAt"), (ends, "endsAt")):
        if value and not TIME_RE.match(value):
            c.add(name, "SS:DD formatında / format HH:MM")
    if TIME_RE.match(starts) and TIME_RE.match(ends) and ends <= starts:
        c.add("endsAt", "başlanğıcdan sonra olmalıdır / must be after startsAt")
    return replace(raw, stop=c.code(raw.stop, "stop"), starts_at=starts, ends_at=ends)


def mobile_bus(raw: MobileBusInput) -> MobileBusInput:
    c = Checker()
    result = MobileBusInput(
        code=c.code(raw.code),
        name=c.text(raw.name, "name"),
        stops=c.each(raw.stops, "stops", _visit),
    )
    c.done()
    return result


def defects(values: Sequence[str]) -> tuple[str, ...]:
    c = Checker()
    cleaned = tuple(
        c.text(v, f"defects[{i}]", max_length=TEXT_MAX, multiline=True)
        for i, v in enumerate(values)
    )
    if not cleaned:
        c.add("defects", "ən azı bir qüsur göstərilməlidir / list at least one defect")
    c.done()
    return cleaned
