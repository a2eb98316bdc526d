"""Use cases of the services catalog; each is one unit of work: authorize -> write -> audit.

Inputs are validated first (all field errors at once, ``ValidationFailed``), then the caller
is authorised (a refusal is audited in its own transaction), then references and duplicates
are checked and the graph is written inside the same transaction as the audit event.
Batch functions (``upsert_services``) serve bulk import with the same rules as one mutation.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from typing import Any, TypeVar

from neo4j.exceptions import ConstraintError

from asan.auth import audit, policy
from asan.auth.policy import Resource
from asan.auth.principal import Principal
from asan.core.db import Tx
from asan.core.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from asan.core.platform import Platform
from asan.registry.catalog import changes, flows, reference, reference_repo, validation
from asan.registry.catalog import repository as repo
from asan.registry.catalog.models import (
    AsanCentre,
    AsanCentreInput,
    BusStop,
    BusStopInput,
    CategoryInput,
    DataLink,
    InformationSystem,
    InformationSystemInput,
    MobileBusInput,
    ReferenceBatch,
    RegistrationRequest,
    Service,
    ServiceInput,
    ServicePatch,
    ServiceWrite,
    StateBody,
    StateBodyInput,
    StoredService,
    Visibility,
)
from asan.registry.catalog.workdays import FIX_DAYS, REVIEW_DAYS, add_working_days, today_in_baku

T = TypeVar("T")

MAX_LINKS = 500  # data-exchange links declared by one call


def _now(now: datetime | None) -> datetime:
    return now if now is not None else datetime.now(UTC)


async def _authorize(
    platform: Platform, principal: Principal, action: str, resource: Resource
) -> None:
    """The policy decides; a refusal is audited (in its own transaction) before it is raised."""
    try:
        policy.authorize(principal, action, resource)
    except (Forbidden, NotFound) as exc:
        await audit.record_refusal(platform.db, principal, action, resource, exc.message)
        raise


def visibility(principal: Principal) -> Visibility:
    """What the policy lets this reader see of non-public services, as a Cypher filter."""
    any_body = policy.can(
        principal, "registry.service.read", Resource("Service", status=flows.DRAFT)
    )
    own = principal.state_body
    own_ok = own is not None and policy.can(
        principal, "registry.service.read", Resource("Service", status=flows.DRAFT, state_body=own)
    )
    return Visibility(all_statuses=any_body, own_body=own if own_ok else None)


def _duplicate(field: str, code: str) -> FieldError:
    """The one answer for a taken code, whoever holds it and whether the caller may see it."""
    return FieldError(field, f"'{code}' artıq mövcuddur / '{code}' already exists", "CONFLICT")


def _unknown(field: str, code: str) -> FieldError:
    return FieldError(field, f"'{code}' tapılmadı / '{code}' not found", "NOT_FOUND")


# --------------------------------------------------------------------------------- state bodies


async def save_state_body(
    platform: Platform, principal: Principal, raw: StateBodyInput, *, create: bool
) -> StateBody:
    body = validation.state_body(raw)
    action = "registry.state_body.create" if create else "registry.state_body.update"
    resource = Resource("StateBody", body.code, state_body=body.code)
    await _authorize(platform, principal, action, resource)
    async with platform.unit_of_work() as uow:
        existing = await repo.state_bodies_by_codes(uow.tx, [body.code])
        errors: list[FieldError] = []
        if create and existing:
            errors.append(_duplicate("code", body.code))
        if not create and not existing:
            errors.append(_unknown("code", body.code))
        if body.parent is not None:
            missing = await repo.missing_references(uow.tx, repo.References(bodies=[body.parent]))
            if missing:
                errors.append(_unknown("parent", body.parent))
            elif await repo.would_cycle(uow.tx, body.code, body.parent):
                errors.append(
                    FieldError("parent", "tabelik dövrə yaradır / would create a cycle", "CYCLE")
                )
        if errors:
            raise ValidationFailed(errors)
        if create and not await repo.reserve_code(uow.tx, "StateBody", body.code):
            raise ValidationFailed([_duplicate("code", body.code)])
        await repo.upsert_state_bodies(uow.tx, [body])
        await audit.record(uow.tx, principal, action, resource, details={"nameAz": body.name_az})
    return StateBody(body.code, body.name_az, body.name_en, body.name_ru, body.kind, body.parent)


async def create_state_body(
    platform: Platform, principal: Principal, raw: StateBodyInput
) -> StateBody:
    return await save_state_body(platform, principal, raw, create=True)


async def update_state_body(
    platform: Platform, principal: Principal, raw: StateBodyInput
) -> StateBody:
    return await save_state_body(platform, principal, raw, create=False)


# -------------------------------------------------------------------------- information systems


async def save_information_system(
    platform: Platform, principal: Principal, raw: InformationSystemInput, *, create: bool
) -> InformationSystem:
    system = validation.information_system(raw)
    action = "registry.information_system.write"
    resource = Resource("InformationSystem", system.code, state_body=system.operator)
    async with platform.unit_of_work() as uow:
        existing = await repo.information_systems_by_codes(uow.tx, [system.code])
        current = existing.get(system.code)
        if current is not None and not create:
            # moving a system to another body needs the right to edit the current body's too
            await _authorize(
                platform,
                principal,
                action,
                Resource("InformationSystem", system.code, state_body=current.operator),
            )
        await _authorize(platform, principal, action, resource)
        errors: list[FieldError] = []
        if create and current is not None:
            errors.append(_duplicate("code", system.code))
        if not create and current is None:
            errors.append(_unknown("code", system.code))
        if await repo.missing_references(uow.tx, repo.References(bodies=[system.operator])):
            errors.append(_unknown("operator", system.operator))
        if errors:
            raise ValidationFailed(errors)
        if create and not await repo.reserve_code(uow.tx, "InformationSystem", system.code):
            raise ValidationFailed([_duplicate("code", system.code)])
        await repo.upsert_information_systems(uow.tx, [system])
        await audit.record(uow.tx, principal, action, resource, details={"create": create})
    return InformationSystem(
        system.code,
        system.name_az,
        system.name_en,
        system.name_ru,
        system.description,
        system.operator,
    )


async def create_information_system(
    platform: Platform, principal: Principal, raw: InformationSystemInput
) -> InformationSystem:
    return await save_information_system(platform, principal, raw, create=True)


async def update_information_system(
    platform: Platform, principal: Principal, raw: InformationSystemInput
) -> InformationSystem:
    return await save_information_system(platform, principal, raw, create=False)


async def link_information_systems(
    platform: Platform, principal: Principal, raw_links: Sequence[DataLink]
) -> list[DataLink]:
    """Declare data-exchange links; the operator of each consuming system declares them.

    The caller is authorised for the action before the input is looked at (an empty or
    malformed list tells a stranger nothing), then for each consuming system's operator.
    """
    action = "registry.information_system.link"
    await _authorize(
        platform,
        principal,
        action,
        Resource("InformationSystem", state_body=principal.state_body),
    )
    if not raw_links:
        raise ValidationFailed(
            [FieldError("links", "ən azı bir əlaqə lazımdır / list at least one link")]
        )
    if len(raw_links) > MAX_LINKS:
        raise ValidationFailed(
            [
                FieldError(
                    "links",
                    f"{MAX_LINKS} əlaqədən çoxdur / more than {MAX_LINKS} links at once",
                )
            ]
        )
    errors: list[FieldError] = []
    links: list[DataLink] = []
    for i, raw in enumerate(raw_links):
        try:
            links.append(validation.data_link(raw))
        except ValidationFailed as exc:
            prefix = f"links[{i}]." if len(raw_links) > 1 else ""
            errors += [replace(e, field=prefix + e.field) for e in exc.errors]
    if errors:
        raise ValidationFailed(errors)
    async with platform.unit_of_work() as uow:
        systems = await repo.information_systems_by_codes(
            uow.tx, sorted({c for link in links for c in (link.consumer, link.provider)})
        )
        for i, link in enumerate(links):
            prefix = f"links[{i}]." if len(links) > 1 else ""
            for field, code in (("consumer", link.consumer), ("provider", link.provider)):
                if code not in systems:
                    errors.append(_unknown(prefix + field, code))
        if errors:
            raise ValidationFailed(errors)
        for link in links:
            await _authorize(
                platform,
                principal,
                action,
                Resource(
                    "InformationSystem", link.consumer, state_body=systems[link.consumer].operator
                ),
            )
        await repo.link_information_systems(uow.tx, links)
        await audit.record(
            uow.tx,
            principal,
            action,
            Resource("InformationSystem", links[0].consumer),
            details={"links": [[link.consumer, link.provider] for link in links]},
        )
    return links


# --------------------------------------------------------------------------- reference data


async def create_category(
    platform: Platform, principal: Principal, raw: CategoryInput
) -> CategoryInput:
    category = validation.category(raw)
    resource = Resource("Category", category.code)
    await _authorize(platform, principal, "registry.category.write", resource)
    async with platform.unit_of_work() as uow:
        if not await repo.reserve_code(uow.tx, "Category", category.code):
            raise ValidationFailed([_duplicate("code", category.code)])
        await repo.upsert_categories(uow.tx, [category])
        names = {"nameAz": category.name_az, "nameEn": category.name_en, "nameRu": category.name_ru}
        await reference.record_created(
            uow.tx, {"CATEGORY": {category.code: names}}, actor=principal.subject, at=_now(None)
        )
        await audit.record(uow.tx, principal, "registry.category.write", resource)
    return category


async def create_asan_centre(
    platform: Platform, principal: Principal, raw: AsanCentreInput
) -> AsanCentre:
    centre = validation.asan_centre(raw)
    resource = Resource("AsanCentre", centre.code)
    await _authorize(platform, principal, "registry.centre.write", resource)
    async with platform.unit_of_work() as uow:
        if not await repo.reserve_code(uow.tx, "AsanCentre", centre.code):
            raise ValidationFailed([_duplicate("code", centre.code)])
        await repo.upsert_asan_centres(uow.tx, [centre])
        await audit.record(uow.tx, principal, "registry.centre.write", resource)
    return centre


async def save_bus_stops(
    platform: Platform, principal: Principal, raw: Sequence[BusStopInput]
) -> list[BusStop]:
    await _authorize(platform, principal, "registry.bus.write", Resource("BusStop"))
    if not raw:
        raise ValidationFailed(
            [FieldError("stops", "ən azı bir dayanacaq lazımdır / list at least one stop")]
        )
    stops = [validation.bus_stop(s) for s in raw]
    resource = Resource("BusStop", ",".join(s.code for s in stops))
    async with platform.unit_of_work() as uow:
        await repo.upsert_bus_stops(uow.tx, stops)
        await audit.record(uow.tx, principal, "registry.bus.write", resource)
    return stops


async def save_mobile_bus(
    platform: Platform, principal: Principal, raw: MobileBusInput
) -> MobileBusInput:
    """Create or update a bus with its whole weekly stop schedule."""
    bus = validation.mobile_bus(raw)
    resource = Resource("MobileBus", bus.code)
    await _authorize(platform, principal, "registry.bus.write", resource)
    async with platform.unit_of_work() as uow:
        missing = await repo.missing_references(
            uow.tx, repo.References(stops=[v.stop for v in bus.stops])
        )
        if missing:
            raise ValidationFailed(
                [
                    _unknown(f"stops[{i}].stop", v.stop)
                    for i, v in enumerate(bus.stops)
                    if v.stop in missing.get("stops", set())
                ]
            )
        await repo.upsert_mobile_buses(uow.tx, [bus])
        await audit.record(uow.tx, principal, "registry.bus.write", resource)
    return bus


# ---------------------------------------------------------------------------------- services


@dataclass(frozen=True)
class UpsertResult:
    code: str
    created: bool
    version: int
    changed: tuple[str, ...]  # the fields this write changed (API names)


_REF_FIELDS: tuple[tuple[str, str, str], ...] = (
    # (ServiceInput attribute, References attribute / missing key, API field)
    ("systems", "systems", "systems"),
    ("centres", "centres", "centres"),
    ("buses", "buses", "buses"),
    ("categories", "categories", "categories"),
)


def _reference_errors(
    content: ServiceInput, missing: dict[str, set[str]], prefix: str
) -> list[FieldError]:
    errors: list[FieldError] = []
    if content.provider in missing.get("bodies", set()):
        errors.append(_unknown(prefix + "provider", content.provider))
    for attr, key, api in _REF_FIELDS:
        for i, code in enumerate(getattr(content, attr)):
            if code in missing.get(key, set()):
                errors.append(_unknown(f"{prefix}{api}[{i}]", code))
    return errors


def _service_resource(code: str, provider: str | None, status: str | None) -> Resource:
    return Resource("Service", code, state_body=provider, status=status, hidden_if_denied=True)


async def write_services(
    platform: Platform,
    tx: Tx,
    principal: Principal,
    contents: Sequence[ServiceInput],
    *,
    mode: str,  # "create" | "update" | "upsert"
    initial_status: str,
    at: datetime,
) -> list[UpsertResult]:
    single = len(contents) == 1 and mode != "upsert"
    prefixes = ["" if single else f"services[{i}]." for i in range(len(contents))]
    stored = await repo.stored_services(tx, [c.code for c in contents])
    missing = await repo.missing_references(
        tx,
        repo.References(
            bodies=[c.provider for c in contents],
            systems=[x for c in contents for x in c.systems],
            centres=[x for c in contents for x in c.centres],
            buses=[x for c in contents for x in c.buses],
            categories=[x for c in contents for x in c.categories],
        ),
    )
    errors: list[FieldError] = []
    seen: set[str] = set()
    # Authorisation before reporting reference errors: a caller who may not edit the
    # service learns nothing about it. A code taken by a service the caller may not see (another
    # body's draft) is reported exactly as any taken code: no status, name or owner.
    for content, prefix in zip(contents, prefixes, strict=True):
        if content.code in seen:
            errors.append(FieldError(prefix + "code", f"təkrarlanır / duplicate: {content.code}"))
        seen.add(content.code)
        old = stored.get(content.code)
        errors += _reference_errors(content, missing, prefix)
        if old is None or mode == "create":
            await _authorize(
                platform,
                principal,
                "registry.service.create",
                Resource("Service", content.code, state_body=content.provider),
            )
            if old is not None:
                errors.append(_duplicate(prefix + "code", content.code))
            elif mode == "update":
                errors.append(_unknown(prefix + "code", content.code))
            continue
        read = _service_resource(content.code, old.content.provider, old.status)
        held = Resource("Service", content.code, state_body=old.content.provider, status=old.status)
        if mode == "upsert" and (
            not policy.can(principal, "registry.service.read", read)
            or (
                old.content.provider != content.provider
                and not policy.can(principal, "registry.service.update", held)
            )
        ):
            # another body's service the caller may not touch holds the code: the answer is
            # the one for any taken code, whether that service is visible or a hidden draft
            errors.append(_duplicate(prefix + "code", content.code))
            continue
        await _authorize(platform, principal, "registry.service.read", read)
        if old.status not in flows.EDITABLE_STATUSES:
            errors.append(
                FieldError(
                    prefix + "code",
                    f"'{old.status}' statusunda dəyişdirilə bilməz / "
                    f"cannot be changed while '{old.status}'",
                    "INVALID_STATE",
                )
            )
        await _authorize(platform, principal, "registry.service.update", held)
        if old.content.provider != content.provider:
            await _authorize(
                platform,
                principal,
                "registry.service.update",
                Resource("Service", content.code, state_body=content.provider, status=old.status),
            )
    # shared documents, outputs and legal acts: referenced with their registered names only
    contents, shared_errors, created = await reference.resolve_references(tx, contents, prefixes)
    errors += shared_errors
    if errors:
        raise ValidationFailed(errors)
    writes: list[ServiceWrite] = []
    results: list[UpsertResult] = []
    for content in contents:
        old = stored.get(content.code)
        new = changes.canonical(content)
        diff = changes.diff(old.content if old else None, new)
        if old is None:
            version, status = 1, initial_status
        else:
            version, status = (old.version + 1 if diff else old.version), old.status
        writes.append(
            ServiceWrite(
                content=new,
                status=status,
                version=version,
                changes=diff if diff else None,
                status_from=None if old is None else old.status,
            )
        )
        results.append(UpsertResult(content.code, old is None, version, tuple(diff)))
    try:
        await repo.upsert_services(tx, writes, actor=principal.subject, at=at)
    except ConstraintError as exc:
        # another transaction created one of these codes after we looked
        raise ValidationFailed(
            [
                FieldError(
                    "code" if single else "services",
                    "eyni kodla xidmət eyni anda yaradıldı / "
                    "a service with this code was created concurrently",
                    "CONFLICT",
                )
            ]
        ) from exc
    await reference.record_created(tx, created, actor=principal.subject, at=at)
    return results


# The batch write for callers that hold their own unit of work (bulk import): validate with
# ``validation.service`` first; it checks references, duplicates and editability, authorises
# every row, writes all rows with one UNWIND and records versions; the caller audits.


async def create_service(
    platform: Platform, principal: Principal, raw: ServiceInput, *, now: datetime | None = None
) -> Service:
    content = validation.service(raw)
    async with platform.unit_of_work() as uow:
        [result] = await write_services(
            platform,
            uow.tx,
            principal,
            [content],
            mode="create",
            initial_status=flows.DRAFT,
            at=_now(now),
        )
        await audit.record(
            uow.tx,
            principal,
            "registry.service.create",
            Resource("Service", content.code, state_body=content.provider),
            details={"version": result.version},
        )
        service = await _read_back(uow.tx, content.code)
    return service


def apply_patch(current: ServiceInput, patch: ServicePatch) -> ServiceInput:
    """The content after an update: fields the patch leaves None keep their value."""
    updates: dict[str, Any] = {
        f.name: getattr(patch, f.name)
        for f in fields(ServicePatch)
        if f.name != "code" and getattr(patch, f.name) is not None
    }
    return replace(current, **updates)


async def update_service(
    platform: Platform,
    principal: Principal,
    patch: ServicePatch,
    *,
    clear_online_url: bool = False,
    clear_processing_days: bool = False,
    now: datetime | None = None,
) -> Service:
    async with platform.unit_of_work() as uow:
        stored = (await repo.stored_services(uow.tx, [patch.code])).get(patch.code)
        if stored is None:
            raise NotFound(f"xidmət tapılmadı / service not found: {patch.code}", field="code")
        await _authorize(
            platform,
            principal,
            "registry.service.read",
            _service_resource(patch.code, stored.content.provider, stored.status),
        )
        merged = apply_patch(stored.content, patch)
        if clear_online_url:
            merged = replace(merged, online_url=None)
        if clear_processing_days:
            merged = replace(merged, processing_days=None)
        content = validation.service(merged)
        [result] = await write_services(
            platform,
            uow.tx,
            principal,
            [content],
            mode="update",
            initial_status=flows.DRAFT,
            at=_now(now),
        )
        await audit.record(
            uow.tx,
            principal,
            "registry.service.update",
            Resource("Service", content.code, state_body=content.provider, status=stored.status),
            details={"version": result.version, "changed": list(result.changed)},
        )
        service = await _read_back(uow.tx, content.code)
    return service


async def upsert_services(
    platform: Platform,
    principal: Principal,
    raws: Sequence[ServiceInput],
    *,
    initial_status: str = flows.DRAFT,
    now: datetime | None = None,
) -> list[UpsertResult]:
    """Create or replace many services in one transaction (bulk import).

    All or nothing: any invalid row raises ``ValidationFailed`` naming ``services[i].field``.
    ``initial_status`` applies to new services only (an import of an existing registry may
    bring published services); existing services keep their status. One audit event covers
    the batch.
    """
    if initial_status not in flows.SERVICE_STATUSES:
        raise ValueError(f"unknown status {initial_status}")
    errors: list[FieldError] = []
    contents: list[ServiceInput] = []
    for i, raw in enumerate(raws):
        try:
            contents.append(validation.service(raw))
        except ValidationFailed as exc:
            errors += [replace(e, field=f"services[{i}].{e.field}") for e in exc.errors]
    if errors:
        raise ValidationFailed(errors)
    if initial_status != flows.DRAFT:
        # bringing services in already registered is the agency's act, not a body's
        await _authorize(
            platform, principal, "registry.service.register", Resource("Service", "import")
        )
    async with platform.unit_of_work() as uow:
        results = await write_services(
            platform,
            uow.tx,
            principal,
            contents,
            mode="upsert",
            initial_status=initial_status,
            at=_now(now),
        )
        await audit.record(
            uow.tx,
            principal,
            "registry.service.import",
            Resource("Service", "batch"),
            details={
                "created": sum(r.created for r in results),
                "updated": sum(bool(r.changed) and not r.created for r in results),
                "codes": [r.code for r in results][:50],
            },
        )
    return results


def may_read_requests(principal: Principal, state_body: str | None) -> bool:
    """Whether the caller may see a body's registration requests (defects, deadlines)."""
    return policy.can(
        principal, "registry.request.read", Resource("RegistrationRequest", state_body=state_body)
    )


async def _read_back(tx: Tx, code: str) -> Service:
    services = await repo.services_by_codes(tx, [code], Visibility(all_statuses=True))
    return services[code]


async def _load_visible(
    platform: Platform, tx: Tx, principal: Principal, code: str, field: str = "code"
) -> StoredService:
    stored = (await repo.stored_services(tx, [code])).get(code)
    if stored is None:
        raise NotFound(f"xidmət tapılmadı / service not found: {code}", field=field)
    await _authorize(
        platform,
        principal,
        "registry.service.read",
        _service_resource(code, stored.content.provider, stored.status),
    )
    return stored


async def transition_service(
    platform: Platform,
    principal: Principal,
    code: str,
    target: str,
    *,
    note: str | None = None,
    defects: Sequence[str] = (),
    now: datetime | None = None,
) -> Service:
    """Move a service along its lifecycle; review steps go through the registration procedure.

    draft -> under_review submits a registration request, under_review -> published registers
    it, under_review -> draft returns it (``defects`` required); the others (suspend, resume,
    withdraw) are plain status changes by the registry.
    """
    at = _now(now)
    async with platform.unit_of_work() as uow:
        stored = await _load_visible(platform, uow.tx, principal, code)
    action = flows.service_transition(stored.status, target)
    if action == "registry.service.submit":
        await submit_service(platform, principal, code, summary=note or "", now=at)
    elif action in ("registry.service.register", "registry.service.return"):
        async with platform.unit_of_work() as uow:
            request = await repo.open_request_for_service(uow.tx, code)
        if request is None:
            raise NotFound("açıq müraciət yoxdur / no open registration request", field="code")
        if action == "registry.service.register":
            await register_request(platform, principal, request.id, now=at)
        else:
            await return_request(platform, principal, request.id, defects, now=at)
    else:
        resource = _service_resource(code, stored.content.provider, stored.status)
        await _authorize(platform, principal, action, replace(resource, hidden_if_denied=False))
        clean_note = validation.Checker()
        text = clean_note.optional(note, "note", max_length=validation.TEXT_MAX)
        clean_note.done()
        async with platform.unit_of_work() as uow:
            current = await _load_visible(platform, uow.tx, principal, code)
            flows.service_transition(current.status, target)  # re-check inside the transaction
            await repo.set_service_status(
                uow.tx,
                code,
                status_from=current.status,
                status_to=target,
                version=current.version + 1,
                actor=principal.subject,
                at=at,
                note=text,
            )
            await audit.record(
                uow.tx,
                principal,
                action,
                resource,
                details={"from": current.status, "to": target},
            )
    async with platform.unit_of_work() as uow:
        return await _read_back(uow.tx, code)


# ------------------------------------------------------------------- registration procedure


async def submit_service(
    platform: Platform,
    principal: Principal,
    code: str,
    *,
    summary: str = "",
    now: datetime | None = None,
) -> RegistrationRequest:
    """A body submits its service's reglament (a draft) or a change of a published service.

    A returned request is resubmitted (same id, new review deadline). The agency's review is
    due 7 working days after the submission date (Baku calendar, AZ public holidays).
    """
    at = _now(now)
    checker = validation.Checker()
    summary = checker.text(
        summary, "summary", max_length=validation.TEXT_MAX, required=False, multiline=True
    )
    checker.done()
    review_due = add_working_days(today_in_baku(at), REVIEW_DAYS)
    async with platform.unit_of_work() as uow:
        stored = await _load_visible(platform, uow.tx, principal, code, "serviceCode")
        resource = Resource(
            "Service", code, state_body=stored.content.provider, status=stored.status
        )
        await _authorize(platform, principal, "registry.service.submit", resource)
        open_request = await repo.open_request_for_service(uow.tx, code)
        if open_request is not None and open_request.status == flows.REQUEST_SUBMITTED:
            raise Conflict(
                "müraciət artıq baxılır / a request for this service is already under review",
                field="serviceCode",
            )
        if open_request is not None:
            flows.request_transition(open_request.status, flows.REQUEST_SUBMITTED)
            kind = open_request.kind
            request_id = open_request.id
        else:
            if stored.status == flows.DRAFT:
                kind = "registration"
            elif stored.status == flows.PUBLISHED:
                kind = "change"
                if not summary:
                    raise ValidationFailed(
                        [FieldError("summary", "dəyişikliyi təsvir edin / describe the change")]
                    )
            else:
                flows.service_transition(stored.status, flows.UNDER_REVIEW)  # raises, names options
                kind = "registration"
            request_id = uuid.uuid4().hex
        if kind == "registration":
            flows.service_transition(stored.status, flows.UNDER_REVIEW)
            await repo.set_service_status(
                uow.tx,
                code,
                status_from=stored.status,
                status_to=flows.UNDER_REVIEW,
                version=stored.version + 1,
                actor=principal.subject,
                at=at,
            )
        version = stored.version + (1 if kind == "registration" else 0)
        if open_request is None:
            await repo.create_request(
                uow.tx,
                RegistrationRequest(
                    id=request_id,
                    kind=kind,
                    status=flows.REQUEST_SUBMITTED,
                    service=code,
                    state_body=stored.content.provider,
                    submitted_at=at,
                    review_due=review_due,
                    service_version=version,
                    summary=summary,
                ),
            )
        else:
            await repo.update_request(
                uow.tx,
                request_id,
                status=flows.REQUEST_SUBMITTED,
                at=at,
                review_due=review_due,
                version=version,
            )
        await audit.record(
            uow.tx,
            principal,
            "registry.service.submit",
            resource,
            details={
                "request": request_id,
                "kind": kind,
                "reviewDue": review_due.isoformat(),
                "resubmission": open_request is not None,
            },
        )
        request = await repo.request_by_id(uow.tx, request_id)
    assert request is not None
    return request


async def _decide(
    platform: Platform,
    principal: Principal,
    request_id: str,
    target: str,
    *,
    defects: Sequence[str] = (),
    now: datetime | None = None,
) -> RegistrationRequest:
    at = _now(now)
    async with platform.unit_of_work() as uow:
        request = await repo.request_by_id(uow.tx, request_id)
        if request is None:
            raise NotFound(
                f"müraciət tapılmadı / request not found: {request_id}", field="requestId"
            )
        stored = await _load_visible(platform, uow.tx, principal, request.service, "requestId")
        action = flows.request_transition(request.status, target)
        resource = Resource(
            "Service", request.service, state_body=request.state_body, status=stored.status
        )
        await _authorize(platform, principal, action, resource)
        fix_due = None
        if request.kind == "registration":
            service_target = flows.PUBLISHED if target == flows.REQUEST_REGISTERED else flows.DRAFT
            flows.service_transition(stored.status, service_target)
            await repo.set_service_status(
                uow.tx,
                request.service,
                status_from=stored.status,
                status_to=service_target,
                version=stored.version + 1,
                actor=principal.subject,
                at=at,
            )
        if target == flows.REQUEST_RETURNED:
            fix_due = add_working_days(today_in_baku(at), FIX_DAYS)
        await repo.update_request(
            uow.tx, request_id, status=target, at=at, defects=defects, fix_due=fix_due
        )
        await audit.record(
            uow.tx,
            principal,
            action,
            resource,
            details={"request": request_id, "defects": list(defects)},
        )
        decided = await repo.request_by_id(uow.tx, request_id)
    assert decided is not None
    return decided


async def register_request(
    platform: Platform, principal: Principal, request_id: str, *, now: datetime | None = None
) -> RegistrationRequest:
    """The agency registers the submission: a new service is published."""
    return await _decide(platform, principal, request_id, flows.REQUEST_REGISTERED, now=now)


async def return_request(
    platform: Platform,
    principal: Principal,
    request_id: str,
    defects: Sequence[str],
    *,
    now: datetime | None = None,
) -> RegistrationRequest:
    """The agency returns the submission with its defects; the body has 7 working days."""
    cleaned = validation.defects(defects)
    return await _decide(
        platform, principal, request_id, flows.REQUEST_RETURNED, defects=cleaned, now=now
    )


async def list_requests(
    platform: Platform,
    principal: Principal,
    *,
    body: str | None = None,
    status: str | None = None,
) -> list[RegistrationRequest]:
    """Registration requests (a body's editor sees their own body's when naming none)."""
    if body is None and not policy.can(
        principal, "registry.request.read", Resource("RegistrationRequest")
    ):
        body = principal.state_body
    await _authorize(
        platform,
        principal,
        "registry.request.read",
        Resource("RegistrationRequest", state_body=body),
    )
    return await repo.list_requests(platform.db, body=body, status=status)


async def overdue_requests(
    platform: Platform,
    principal: Principal,
    *,
    body: str | None = None,
    now: datetime | None = None,
) -> list[RegistrationRequest]:
    """Requests past their review (agency) or fix (body) deadline, as of today in Baku.

    A body's editor who names no body sees their own body's requests.
    """
    if body is None and not policy.can(
        principal, "registry.request.read", Resource("RegistrationRequest")
    ):
        body = principal.state_body
    resource = Resource("RegistrationRequest", state_body=body)
    await _authorize(platform, principal, "registry.request.read", resource)
    return await repo.list_requests(platform.db, body=body, overdue_on=today_in_baku(_now(now)))


# ------------------------------------------------------------------------- batch reference data


def _validate_all(
    items: Sequence[T], check: Callable[[T], T], prefix: str, errors: list[FieldError]
) -> list[T]:
    out: list[T] = []
    for i, item in enumerate(items):
        try:
            out.append(check(item))
        except ValidationFailed as exc:
            errors += [replace(e, field=f"{prefix}[{i}].{e.field}") for e in exc.errors]
    return out


async def upsert_reference_data(
    platform: Platform, principal: Principal, batch: ReferenceBatch
) -> dict[str, int]:
    """Create or update bodies, systems, links, categories, centres, stops and buses at once.

    For bulk import and the sample registry: all or nothing, one audit event. References may
    point into the same batch (a body's parent, a system's operator, a bus's stops).
    Administrators only (every action's rule is administrator-or-narrower).
    """
    errors: list[FieldError] = []
    bodies = _validate_all(batch.bodies, validation.state_body, "bodies", errors)
    systems = _validate_all(batch.systems, validation.information_system, "systems", errors)
    links = _validate_all(batch.links, validation.data_link, "links", errors)
    categories = _validate_all(batch.categories, validation.category, "categories", errors)
    centres = _validate_all(batch.centres, validation.asan_centre, "centres", errors)
    stops = _validate_all(batch.stops, validation.bus_stop, "stops", errors)
    buses = _validate_all(batch.buses, validation.mobile_bus, "buses", errors)
    if errors:
        raise ValidationFailed(errors)
    resource = Resource("ReferenceData", "batch")
    for action in (
        "registry.state_body.create",
        "registry.information_system.write",
        "registry.category.write",
        "registry.centre.write",
        "registry.bus.write",
    ):
        await _authorize(platform, principal, action, resource)
    async with platform.unit_of_work() as uow:
        new_bodies = {b.code for b in bodies}
        new_systems = {s.code for s in systems}
        new_stops = {s.code for s in stops}
        missing = await repo.missing_references(
            uow.tx,
            repo.References(
                bodies=[b.parent for b in bodies if b.parent and b.parent not in new_bodies]
                + [s.operator for s in systems if s.operator not in new_bodies],
                systems=[
                    c
                    for link in links
                    for c in (link.consumer, link.provider)
                    if c not in new_systems
                ],
                stops=[v.stop for bus in buses for v in bus.stops if v.stop not in new_stops],
            ),
        )
        if missing:
            unknown = [
                _unknown(kind, code) for kind, codes in sorted(missing.items()) for code in codes
            ]
            raise ValidationFailed(unknown)
        await repo.upsert_state_bodies(uow.tx, bodies)
        await repo.upsert_information_systems(uow.tx, systems)
        await repo.link_information_systems(uow.tx, links)
        await _write_categories(uow.tx, principal, categories)
        await repo.upsert_asan_centres(uow.tx, centres)
        await repo.upsert_bus_stops(uow.tx, stops)
        await repo.upsert_mobile_buses(uow.tx, buses)
        counts = {
            "bodies": len(bodies),
            "systems": len(systems),
            "links": len(links),
            "categories": len(categories),
            "centres": len(centres),
            "stops": len(stops),
            "buses": len(buses),
        }
        await audit.record(uow.tx, principal, "registry.reference.import", resource, details=counts)
    return counts


async def _write_categories(
    tx: Tx,
    principal: Principal,
    categories: Sequence[CategoryInput],
    *,
    now: datetime | None = None,
) -> None:
    """Batch categories: new ones created, renamed ones versioned like any shared entry."""
    at = _now(now)
    known = await repo.categories_by_codes(tx, [c.code for c in categories])
    await repo.upsert_categories(tx, categories)
    renamed: dict[str, dict[str, dict[str, str]]] = {}
    for c in categories:
        values = {"nameAz": c.name_az, "nameEn": c.name_en, "nameRu": c.name_ru}
        old = known.get(c.code)
        if old is None:
            await reference.record_created(
                tx, {"CATEGORY": {c.code: values}}, actor=principal.subject, at=at
            )
            continue
        before = {"nameAz": old.name_az, "nameEn": old.name_en, "nameRu": old.name_ru}
        diff = {k: {"from": before[k], "to": v} for k, v in values.items() if before[k] != v}
        if diff:
            renamed[c.code] = diff
    if renamed:
        entries = await reference_repo.entries(tx, "CATEGORY", sorted(renamed))
        for code, diff in renamed.items():
            # the upsert has set the values; this records them as the entry's next version
            values = {k: str(change["to"]) for k, change in diff.items()}
            await reference_repo.update(
                tx, entries[code], values, diff, actor=principal.subject, at=at
            )
