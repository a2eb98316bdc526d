"""Writing the bulk formats: services -> JSON or CSV that re-imports unchanged."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from asan.registry.catalog.bulk.shapes import (
    ARTICLE_SEPARATOR,
    COLUMNS,
    ITEM_SEPARATOR,
    BulkFormat,
    escape_formula,
)
from asan.registry.catalog.models import ServiceInput

# ---------------------------------------------------------------- writing


def columns(service: ServiceInput, status: str | None) -> dict[str, Any]:
    """The values of one service as both formats carry them."""
    return {
        "code": service.code,
        "nameAz": service.name_az,
        "nameEn": service.name_en,
        "nameRu": service.name_ru,
        "descriptionAz": service.description_az,
        "descriptionEn": service.description_en,
        "descriptionRu": service.description_ru,
        "status": status,
        "processingDays": service.processing_days,
        "feeAmount": f"{service.fee_amount:.2f}",
        "onlineUrl": service.online_url,
        "feeExemptions": list(service.fee_exemptions),
        "channels": list(service.channels),
        "requirements": [{"code": e.code, "condition": e.condition} for e in service.requirements],
        "outputs": [o.code for o in service.outputs],
        "legalBasis": [
            {"code": a.act_code, "articles": list(a.articles)} for a in service.legal_basis
        ],
        "systems": list(service.systems),
        "centres": list(service.centres),
        "buses": list(service.buses),
        "categories": list(service.categories),
    }


def render(services: Iterable[tuple[ServiceInput, str | None]], fmt: BulkFormat | str) -> str:
    """Text in exactly the shape ``parse`` accepts (round trip)."""
    fmt = BulkFormat(fmt)
    rows = [columns(service, status) for service, status in services]
    return render_json(rows) if fmt is BulkFormat.JSON else render_csv(rows)


def _compact(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _compact(v) for k, v in value.items() if v not in (None, "", [])}
    if isinstance(value, list):
        return [_compact(v) for v in value]
    return value


def render_json(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "[]\n"
    body = ",\n".join(json.dumps(_compact(row), ensure_ascii=False) for row in rows)
    return f"[\n{body}\n]\n"


def render_csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([escape_formula(_cell(column, row[column])) for column in COLUMNS])
    return out.getvalue()


def _cell(column: str, value: Any) -> str:
    if value is None:
        return ""
    if column == "requirements":
        return ITEM_SEPARATOR.join(
            item["code"] if not item["condition"] else f"{item['code']}|{item['condition']}"
            for item in value
        )
    if column == "legalBasis":
        return ITEM_SEPARATOR.join(
            item["code"]
            if not item["articles"]
            else f"{item['code']}|{ARTICLE_SEPARATOR.join(item['articles'])}"
            for item in value
        )
    if isinstance(value, list):
        return ITEM_SEPARATOR.join(value)
    return str(value)
