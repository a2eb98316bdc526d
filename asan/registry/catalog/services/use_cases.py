"""Service content: create, update (a patch), and the batch writer that bulk import shares.

Inputs are validated first (all field errors at once, ``ValidationFailed``), then the caller
is authorised (a refusal is audited in its own transaction), then references and duplicates
are checked and the graph is written inside the same transaction as the audit event.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any

from neo4j.exceptions import ConstraintError

from asan.auth import policy
from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource
from asan.auth.principal import Principal
from asan.core.db import Tx
from asan.core.errors import FieldError, NotFound, ValidationFailed
from asan.core.platform import Platform
from asan.registry.catalog import changes, flows, reference, validation
from asan.registry.catalog import repo_common as common_repo
from asan.registry.catalog.common import authorize, current_time, duplicate, unknown
from asan.registry.catalog.models import (
    Service,
    ServiceInput,
    ServicePatch,
    ServiceWrite,
    StoredService,
    Visibility,
)
from asan.registry.catalog.services import reads as service_reads
from asan.registry.catalog.services import repository as services_repo

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
        errors.append(unknown(prefix + "provider", content.provider))
    for attr, key, api in _REF_FIELDS:
        for i, code in enumerate(getattr(content, attr)):
            if code in missing.get(key, set()):
                errors.append(unknown(f"{prefix}{api}[{i}]", code))
    return errors


def service_resource(code: str, provider: str | None, status: str | None) -> Resource:
    return Resource("Service", code, state_body=provider, status=status, hidden_if_denied=True)


async def write_services(
    platform: Platform,
    m: Mutation,
    contents: Sequence[ServiceInput],
    *,
    mode: str,  # "create" | "update" | "upsert"
    initial_status: str,
    at: datetime,
) -> list[UpsertResult]:
    """Check, authorise and write a batch of services in ``m``'s unit; reports its changes."""
    tx, principal = m.tx, m.principal
    single = len(contents) == 1 and mode != "upsert"
    prefixes = ["" if single else f"services[{i}]." for i in range(len(contents))]
    stored = await service_reads.stored_services(tx, [c.code for c in contents])
    missing = await common_repo.missing_references(
        tx,
        common_repo.References(
            bodies=[c.provider for c in contents],
            systems=[x for c in contents for x in c.systems],
            centres=[x for c in contents for x in c.centres],
            buses=[x for c in contents for x in c.buses],
            categories=[x for c in contents for x in c.categories],
        ),
    )
    # Unknown bodies, systems, centres, buses and categories first: they are public reference
    # data, so saying one does not exist reveals nothing, and a refusal reported first would
    # hide why the request is malformed (docs/errors.md, "Which answer comes first").
    errors: list[FieldError] = [
        e
        for content, prefix in zip(contents, prefixes, strict=True)
        for e in _reference_errors(content, missing, prefix)
    ]
    if errors:
        raise ValidationFailed(errors)
    seen: set[str] = set()
    # Authorisation before reporting anything about the services themselves: a caller who may
    # not edit a service learns nothing about it. A code taken by a service the caller may not
    # see (another body's draft) is reported exactly as any taken code: no status, name or owner.
    for content, prefix in zip(contents, prefixes, strict=True):
        if content.code in seen:
            errors.append(FieldError(prefix + "code", f"təkrarlanır / duplicate: {content.code}"))
        seen.add(content.code)
        old = stored.get(content.code)
        if old is None or mode == "create":
            await authorize(
                platform,
                principal,
                "registry.service.create",
                Resource("Service", content.code, state_body=content.provider),
            )
            if old is not None:
                errors.append(duplicate(prefix + "code", content.code))
            elif mode == "update":
                errors.append(unknown(prefix + "code", content.code))
            continue
        read = service_resource(content.code, old.content.provider, old.status)
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
            errors.append(duplicate(prefix + "code", content.code))
            continue
        await authorize(platform, principal, "registry.service.read", read)
        if old.status not in flows.EDITABLE_STATUSES:
            errors.append(
                FieldError(
                    prefix + "code",
                    f"'{old.status}' statusunda dəyişdirilə bilməz / "
                    f"cannot be changed while '{old.status}'",
                    "INVALID_STATE",
                )
            )
        await authorize(platform, principal, "registry.service.update", held)
        if old.content.provider != content.provider:
            await authorize(
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
        await services_repo.upsert_services(tx, writes, actor=principal.subject, at=at)
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
    reference.report_created(m, created)
    report_changes(m, results)
    return results


# The batch write for callers that hold their own unit (bulk import): validate with
# ``validation.service`` first; it checks references, duplicates and editability, authorises
# every row, writes all rows with one UNWIND, records versions and reports one change event per
# changed service and proposed reference entry; the pipeline audits.


def report_changes(m: Mutation, results: Sequence[UpsertResult]) -> None:
    """One change event per service a write created or changed (an identical re-save: none)."""
    for r in results:
        if r.created:
            m.changed("Service", r.code, "created", r.changed)
        elif r.changed:
            m.changed("Service", r.code, "updated", r.changed)


async def create_service(
    platform: Platform,
    principal: Principal,
    raw: ServiceInput,
    *,
    now: datetime | None = None,
    client_mutation_id: str | None = None,
) -> Service:
    content = validation.service(raw)

    async def work(m: Mutation) -> str:
        results = await write_services(
            platform,
            m,
            [content],
            mode="create",
            initial_status=flows.DRAFT,
            at=current_time(now),
        )
        m.detail(version=results[0].version)
        return content.code

    async def resolve(tx: Tx) -> Resource:
        # what the caller could see anyway is reported before the policy decides (an unknown
        # provider is NOT_FOUND, a code held by a service the caller may read is CONFLICT);
        # a hidden draft holding the code is reported only to callers allowed to create
        problems = await visible_problems(tx, principal, content)
        if problems:
            raise ValidationFailed(problems)
        return Resource("Service", content.code, state_body=content.provider)

    code = await run_mutation(
        platform,
        principal,
        "registry.service.create",
        resolve,
        work,
        client_mutation_id=client_mutation_id,
    )
    return await read_back(platform.db, code)


async def visible_problems(tx: Tx, principal: Principal, content: ServiceInput) -> list[FieldError]:
    """Unknown public references and a code taken by a service ``principal`` may read."""
    missing = await common_repo.missing_references(
        tx,
        common_repo.References(
            bodies=[content.provider],
            systems=content.systems,
            centres=content.centres,
            buses=content.buses,
            categories=content.categories,
        ),
    )
    errors = _reference_errors(content, missing, "")
    old = (await service_reads.stored_services(tx, [content.code])).get(content.code)
    if old is not None and policy.can(
        principal,
        "registry.service.read",
        service_resource(content.code, old.content.provider, old.status),
    ):
        errors.insert(0, duplicate("code", content.code))
    return errors


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
    client_mutation_id: str | None = None,
) -> Service:
    loaded: dict[str, StoredService] = {}

    async def resolve(tx: Tx) -> Resource:
        # the service as stored in this transaction: hidden drafts answer NOT_FOUND
        stored = await load_visible(platform, tx, principal, patch.code)
        loaded["stored"] = stored
        return Resource(
            "Service", patch.code, state_body=stored.content.provider, status=stored.status
        )

    async def work(m: Mutation) -> str:
        stored = loaded["stored"]
        merged = apply_patch(stored.content, patch)
        if clear_online_url:
            merged = replace(merged, online_url=None)
        if clear_processing_days:
            merged = replace(merged, processing_days=None)
        content = validation.service(merged)
        results = await write_services(
            platform,
            m,
            [content],
            mode="update",
            initial_status=flows.DRAFT,
            at=current_time(now),
        )
        m.detail(version=results[0].version, changed=list(results[0].changed))
        return content.code

    code = await run_mutation(
        platform,
        principal,
        "registry.service.update",
        resolve,
        work,
        client_mutation_id=client_mutation_id,
    )
    return await read_back(platform.db, code)


async def upsert_services(
    platform: Platform,
    principal: Principal,
    raws: Sequence[ServiceInput],
    *,
    initial_status: str = flows.DRAFT,
    now: datetime | None = None,
) -> list[UpsertResult]:
    """Create or replace many services in one unit (the sample registry, imports by the agency).

    All or nothing: any invalid row raises ``ValidationFailed`` naming ``services[i].field``.
    ``initial_status`` applies to new services only (an import of an existing registry may
    bring published services); existing services keep their status. Every row is authorised
    as one create or update would be; one audit event covers the batch, one change event
    each changed service.
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

    async def work(m: Mutation) -> list[UpsertResult]:
        results = await write_services(
            platform,
            m,
            contents,
            mode="upsert",
            initial_status=initial_status,
            at=current_time(now),
        )
        m.detail(
            created=sum(r.created for r in results),
            updated=sum(bool(r.changed) and not r.created for r in results),
            codes=[r.code for r in results][:50],
        )
        return results

    # bringing services in already registered is the agency's act, not a body's
    action = (
        "registry.service.import"
        if initial_status == flows.DRAFT
        else ("registry.service.register")
    )
    return await run_mutation(platform, principal, action, Resource("Service", "batch"), work)


def may_read_requests(principal: Principal, state_body: str | None) -> bool:
    """Whether the caller may see a body's registration requests (defects, deadlines)."""
    return policy.can(
        principal, "registry.request.read", Resource("RegistrationRequest", state_body=state_body)
    )


async def read_back(q: common_repo.Query, code: str) -> Service:
    """The service as committed (a unit returns only its code: a repeated client mutation id
    gets that JSON string back, and reads the same service)."""
    services = await service_reads.services_by_codes(q, [code], Visibility(all_statuses=True))
    return services[code]


async def load_visible(
    platform: Platform, tx: Tx, principal: Principal, code: str, field: str = "code"
) -> StoredService:
    stored = (await service_reads.stored_services(tx, [code])).get(code)
    if stored is None:
        raise NotFound(f"xidmət tapılmadı / service not found: {code}", field=field)
    await authorize(
        platform,
        principal,
        "registry.service.read",
        service_resource(code, stored.content.provider, stored.status),
    )
    return stored
