"""How a service is written as a row and read back: timestamps, fees, content lists."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Final

from asan.core.text import name_keys
from asan.registry.catalog.contact import contact_of, contact_properties
from asan.registry.catalog.models import (
    CHANNELS,
    Evidence,
    LegalBasis,
    Output,
    Service,
    ServiceInput,
    ServiceWrite,
)
from asan.registry.catalog.repo_common import (
    _native,
)

# ---------------------------------------------------------------------------------- services


# A service's timestamps as [epoch seconds, nanosecond, offset seconds] (nulls when unset), read
# with ``s {.*, ...}``: the driver's own datetime decoding (pytz zones, per value) cost about
# half a millisecond per ten services, a third of a nested level's query; ``_instant`` decodes.
_SERVICE_TIMES: Final = """createdAt: [s.createdAt.epochSeconds, s.createdAt.nanosecond,
                               s.createdAt.offsetSeconds],
                    updatedAt: [s.updatedAt.epochSeconds, s.updatedAt.nanosecond,
                                s.updatedAt.offsetSeconds]"""


def _instant(value: Any) -> datetime | None:
    """A ``_SERVICE_TIMES`` triple (or a driver datetime) as an aware ``datetime``."""
    if not isinstance(value, list):
        native: datetime | None = _native(value)
        return native
    seconds, nanosecond, offset = value
    if seconds is None:
        return None
    zone = timezone(timedelta(seconds=offset or 0))
    # nanoseconds truncated to microseconds, as the driver's ``to_native`` does
    return datetime.fromtimestamp(seconds, zone) + timedelta(microseconds=nanosecond // 1000)


def _decimal(value: Any) -> Decimal:
    return Decimal(str(value if value is not None else 0)).quantize(Decimal("0.01"))


def _service(row: Mapping[str, Any]) -> Service:
    return Service(
        code=row["code"],
        name_az=row.get("nameAz") or "",
        name_en=row.get("nameEn") or "",
        name_ru=row.get("nameRu") or "",
        name_fold=row.get("nameFold") or "",
        description_az=row.get("descriptionAz") or "",
        description_en=row.get("descriptionEn") or "",
        description_ru=row.get("descriptionRu") or "",
        status=row.get("status") or "draft",
        processing_days=row.get("processingDays"),
        fee_amount=_decimal(row.get("feeAmount")),
        fee_exemptions=tuple(row.get("feeExemptions") or ()),
        online_url=row.get("onlineUrl"),
        version=int(row.get("version") or 0),
        created_at=_instant(row.get("createdAt")),
        updated_at=_instant(row.get("updatedAt")),
        provider=row.get("provider"),
        contact_point=contact_of(row),
    )


def _service_row(w: ServiceWrite) -> dict[str, Any]:
    c = w.content
    return {
        "code": c.code,
        "nameAz": c.name_az,
        "nameEn": c.name_en,
        "nameRu": c.name_ru,
        **name_keys(c.name_az, c.name_en, c.name_ru, code=c.code),
        "descriptionAz": c.description_az,
        "descriptionEn": c.description_en,
        "descriptionRu": c.description_ru,
        "processingDays": c.processing_days,
        "feeAmount": float(c.fee_amount),
        "feeExemptions": list(c.fee_exemptions),
        "onlineUrl": c.online_url,
        "provider": c.provider,
        "status": w.status,
        "statusFrom": w.status_from,
        "version": w.version,
        "changes": json.dumps(w.changes, ensure_ascii=False) if w.changes is not None else None,
        "legal": [
            {"code": a.act_code, "title": a.title, "articles": list(a.articles)}
            for a in c.legal_basis
        ],
        "requirements": [
            {
                "code": e.code,
                "nameAz": e.name_az,
                "nameEn": e.name_en,
                "nameRu": e.name_ru,
                "condition": e.condition,
                "position": i,
            }
            for i, e in enumerate(c.requirements)
        ],
        "outputs": [
            {"code": o.code, "nameAz": o.name_az, "nameEn": o.name_en, "nameRu": o.name_ru}
            for o in c.outputs
        ],
        "channels": list(c.channels),
        "centres": list(c.centres),
        "buses": list(c.buses),
        "systems": list(c.systems),
        "categories": list(c.categories),
        "contact": contact_properties(c.contact_point),
    }


def _evidence(e: Mapping[str, Any]) -> Evidence:
    return Evidence(
        code=e["code"],
        name_az=e.get("nameAz") or "",
        name_en=e.get("nameEn") or "",
        name_ru=e.get("nameRu") or "",
        condition=e.get("condition"),
    )


def _legal_basis(rows: Sequence[Mapping[str, Any]]) -> tuple[LegalBasis, ...]:
    return tuple(
        LegalBasis(a["code"], a["title"] or "", tuple(a["articles"] or ()))
        for a in sorted(rows, key=lambda a: a["code"])
    )


def _outputs(rows: Sequence[Mapping[str, Any]]) -> tuple[Output, ...]:
    return tuple(
        Output(o["code"], o.get("nameAz") or "", o.get("nameEn") or "", o.get("nameRu") or "")
        for o in sorted(rows, key=lambda o: o["code"])
    )


def _channels(codes: Sequence[str]) -> tuple[str, ...]:
    return tuple(sorted(codes, key=CHANNELS.index))


def _content(row: Mapping[str, Any]) -> ServiceInput:
    s = row["s"]
    return ServiceInput(
        code=s["code"],
        name_az=s.get("nameAz") or "",
        provider=row.get("provider") or "",
        name_en=s.get("nameEn") or "",
        name_ru=s.get("nameRu") or "",
        description_az=s.get("descriptionAz") or "",
        description_en=s.get("descriptionEn") or "",
        description_ru=s.get("descriptionRu") or "",
        processing_days=s.get("processingDays"),
        fee_amount=_decimal(s.get("feeAmount")),
        fee_exemptions=tuple(s.get("feeExemptions") or ()),
        online_url=s.get("onlineUrl"),
        channels=_channels(row["channels"]),
        legal_basis=_legal_basis(row["legal"]),
        requirements=tuple(
            _evidence(e)
            for e in sorted(row["requirements"], key=lambda e: (e["position"], e["code"]))
        ),
        outputs=_outputs(row["outputs"]),
        centres=tuple(sorted(row["centres"])),
        buses=tuple(sorted(row["buses"])),
        systems=tuple(sorted(row["systems"])),
        categories=tuple(sorted(row["categories"])),
        contact_point=contact_of(s),
    )
