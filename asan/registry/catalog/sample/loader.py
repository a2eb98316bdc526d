"""The sample registry that ``make run`` loads: real state bodies, illustrative services.

The file ``data/sample-registry.json`` holds a dozen Azerbaijani state bodies, their
information systems and data-exchange links, ASAN centres, mobile buses with their stop
schedules, categories and life events, a vocabulary of documents, outputs and legal acts, and
about a hundred services in the bulk-import JSON format. Every node it creates carries
``sample: true`` so that sample data can always be told apart (and removed) from real entries.

Loading goes through the catalog's validation and repository for reference data and through
the bulk import for services, so the sample also exercises the paths real data takes. It is
idempotent: a second run finds everything unchanged and writes no new service versions.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from asan.auth import audit
from asan.auth.policy import Resource
from asan.auth.principal import SYSTEM
from asan.core import changelog
from asan.core.changelog import Change
from asan.core.platform import Platform
from asan.core.settings import PROJECT_ROOT
from asan.core.text import normalize
from asan.registry.catalog import repo_common as common_repo
from asan.registry.catalog import validation
from asan.registry.catalog.bodies import repository as bodies_repo
from asan.registry.catalog.bulk import import_services
from asan.registry.catalog.bulk.shapes import BulkFormat
from asan.registry.catalog.models import (
    AsanCentreInput,
    BusStopInput,
    CategoryInput,
    ContactPoint,
    DataLink,
    InformationSystemInput,
    MobileBusInput,
    StateBodyInput,
    StopVisit,
    SystemRecord,
    XRoadService,
)
from asan.registry.catalog.places import repository as places_repo
from asan.registry.catalog.reference_data import repository as categories_repo
from asan.registry.catalog.sample import repository as sample_repo
from asan.registry.catalog.systems import records_repository as records_repo
from asan.registry.catalog.systems import repository as systems_repo

SAMPLE_FILE = PROJECT_ROOT / "data" / "sample-registry.json"
LOAD_ACTION = "registry.sample.load"


def read_sample(path: Path = SAMPLE_FILE) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if data.get("sample") is not True:
        raise ValueError(f'{path} is not marked as sample data ("sample": true)')
    return data


async def load_sample_registry(platform: Platform, path: Path = SAMPLE_FILE) -> str:
    """Load (or re-confirm) the sample registry; returns one line saying what it did."""
    data = read_sample(path)
    bodies = [
        validation.state_body(
            StateBodyInput(
                b["code"],
                b["nameAz"],
                b["nameEn"],
                b["nameRu"],
                b["kind"],
                b.get("parent"),
                _contact(b.get("contactPoint")),
            )
        )
        for b in data["stateBodies"]
    ]
    systems = [
        validation.information_system(
            InformationSystemInput(
                s["code"],
                s["nameAz"],
                s["operator"],
                s["nameEn"],
                s["nameRu"],
                s["description"],
                _record(s.get("record")),
            )
        )
        for s in data["informationSystems"]
    ]
    links = [
        validation.data_link(DataLink(x["consumer"], x["provider"])) for x in data["dataLinks"]
    ]
    categories = [
        validation.category(
            CategoryInput(c["code"], c["nameAz"], c["kind"], c["nameEn"], c["nameRu"])
        )
        for c in data["categories"]
    ]
    centres = [
        validation.asan_centre(
            AsanCentreInput(c["code"], c["name"], c["region"], c["address"], c["hours"])
        )
        for c in data["asanCentres"]
    ]
    stops = [
        validation.bus_stop(BusStopInput(s["code"], s["name"], s["region"], s.get("address", "")))
        for s in data["busStops"]
    ]
    buses = [
        validation.mobile_bus(
            MobileBusInput(
                b["code"],
                b["name"],
                tuple(
                    StopVisit(v["stop"], v["weekday"], v["startsAt"], v["endsAt"])
                    for v in b["stops"]
                ),
            )
        )
        for b in data["mobileBuses"]
    ]
    async with platform.unit_of_work() as uow:
        # the reference data reaches the change log (the search index and the integrators'
        # feed follow it), re-stated as created or updated like a reference-data batch
        new = await common_repo.missing_references(
            uow.tx,
            common_repo.References(
                bodies=[b.code for b in bodies],
                systems=[s.code for s in systems],
                centres=[c.code for c in centres],
                stops=[s.code for s in stops],
                buses=[b.code for b in buses],
                categories=[c.code for c in categories],
            ),
        )
        await bodies_repo.upsert_state_bodies(uow.tx, bodies)
        await systems_repo.upsert_information_systems(uow.tx, systems)
        await records_repo.save_records(uow.tx, systems)
        await systems_repo.link_information_systems(uow.tx, links)
        # categories are shared reference data too: created when missing, never renamed here
        known = await categories_repo.categories_by_codes(uow.tx, [c.code for c in categories])
        await categories_repo.upsert_categories(
            uow.tx, [c for c in categories if c.code not in known]
        )
        await places_repo.upsert_asan_centres(uow.tx, centres)
        await places_repo.upsert_bus_stops(uow.tx, stops)
        await places_repo.upsert_mobile_buses(uow.tx, buses)
        await sample_repo.upsert_vocabulary(uow.tx, data)
        await sample_repo.mark_sample(
            uow.tx,
            bodies=[b.code for b in bodies],
            systems=[s.code for s in systems],
            categories=[c.code for c in categories],
            centres=[c.code for c in centres],
            stops=[s.code for s in stops],
            buses=[b.code for b in buses],
        )
        await changelog.append(
            uow.tx,
            [
                Change(kind, code, "created" if code in new.get(key, set()) else "updated")
                for kind, key, codes in (
                    ("StateBody", "bodies", [b.code for b in bodies]),
                    ("InformationSystem", "systems", [s.code for s in systems]),
                    ("Category", "categories", [c.code for c in categories if c.code not in known]),
                    ("AsanCentre", "centres", [c.code for c in centres]),
                    ("BusStop", "stops", [s.code for s in stops]),
                    ("MobileBus", "buses", [b.code for b in buses]),
                )
                for code in codes
            ],
            SYSTEM.subject,
            LOAD_ACTION,
            datetime.now(UTC),
        )
        await audit.record(
            uow.tx,
            SYSTEM,
            LOAD_ACTION,
            Resource("Registry", "sample"),
            details={"bodies": len(bodies), "systems": len(systems), "links": len(links)},
        )
    created = updated = unchanged = 0
    codes: list[str] = []
    at = datetime.now(UTC)
    for body, records in data["services"].items():
        report = await import_services(
            platform,
            SYSTEM,
            body,
            BulkFormat.JSON,
            json.dumps(records, ensure_ascii=False),
            now=at,
        )
        if not report.accepted:
            first = report.rejected[0]
            raise ValueError(
                f"sample services of {body} rejected ({len(report.rejected)} problems), "
                f"first: record {first.record} {first.field}: {first.message}"
            )
        created += report.created
        updated += report.updated
        unchanged += report.unchanged
        codes += [normalize(r["code"]) for r in records]
    await sample_repo.mark_sample_services(platform.db, codes)
    return (
        f"sample registry: {len(bodies)} state bodies, {len(systems)} information systems, "
        f"{len(links)} data links, {len(centres)} ASAN centres, {len(buses)} mobile buses, "
        f"{len(codes)} services ({created} created, {updated} updated, {unchanged} unchanged)"
    )


def _contact(raw: dict[str, str] | None) -> ContactPoint | None:
    """A sample contact point (the JSON uses the API's field names)."""
    if raw is None:
        return None
    return ContactPoint(
        raw.get("email", ""),
        raw.get("telephone", ""),
        raw.get("openingHours", ""),
        raw.get("url", ""),
    )


def _record(raw: dict[str, Any] | None) -> SystemRecord:
    """A sample information system's register entry (defaults when the file gives none)."""
    if raw is None:
        return SystemRecord()
    x = raw.get("xroad")
    return SystemRecord(
        lifecycle=raw.get("lifecycle", "in_operation"),
        security_class=raw.get("securityClass", "internal"),
        data_objects=tuple(raw.get("dataObjects", ())),
        contact_point=_contact(raw.get("contactPoint")),
        xroad=XRoadService(
            x["instance"],
            x["memberClass"],
            x["memberCode"],
            x["subsystemCode"],
            tuple(x.get("serviceCodes", ())),
        )
        if x
        else None,
    )
