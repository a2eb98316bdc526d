"""Shared reference entries: documents (Evidence), outputs, legal acts and categories.

Why this exists: every body's services point at the same entry, so whoever could set its name
from their own service would rename what other bodies publish (a DIN editor sending document
``ID-CARD`` with another name renamed it on 61 published services of other bodies, with no
version or audit). The rules, as a registry keeps its classifiers:

- A service *references* an entry by code. When the code exists, the names sent with it must
  be the registered ones (``nameEn``/``nameRu``/``title`` left empty take the registered
  value); different names are refused with a ``SHARED_REFERENCE`` error naming the field.
- A code that does not exist yet is *proposed* by the service's body: it is created with that
  body as its ``owner`` and version 1 (the service write is audited with it).
- Only the owner body's editors or the registry's reviewers change an entry
  (``update_reference_entry``, action ``registry.reference.update``): each change is a new
  ``ReferenceVersion`` with the field diff, in the same transaction as its audit event.
  Categories belong to the registry (no owner): reviewers only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource
from asan.auth.principal import Principal
from asan.core.db import Tx
from asan.core.errors import FieldError, NotFound, ValidationFailed
from asan.core.platform import Platform
from asan.registry.catalog import legal_refs, reference_repo, validation
from asan.registry.catalog.models import Evidence, LegalBasis, Output, ServiceInput
from asan.registry.catalog.reference_repo import KINDS
from asan.registry.catalog.reference_repo import ReferenceEntry as ReferenceEntry  # for GraphQL

UPDATE_ACTION = "registry.reference.update"
SHARED_REFERENCE = "SHARED_REFERENCE"


def _shared(field: str, code: str) -> FieldError:
    return FieldError(
        field,
        f"'{code}' reyestrin ortaq qeydidir: qeydiyyatdakı adla göstərin; adını yalnız sahibi "
        f"olan orqan və ya reyestr rəyçiləri dəyişir / '{code}' is a shared registry entry: "
        "reference it with its registered name; only its owner body or the registry's "
        "reviewers rename it (updateReferenceEntry)",
        SHARED_REFERENCE,
    )


@dataclass
class _Resolver:
    """Checks the entries one batch of services refers to against the registered ones."""

    stored: dict[str, dict[str, ReferenceEntry]]
    errors: list[FieldError]
    created: dict[str, dict[str, dict[str, str]]]  # kind -> code -> values (new entries)

    def resolve(self, kind: str, code: str, values: dict[str, str], field: str) -> dict[str, str]:
        """The values to store: the registered ones, or the sent ones for a new code."""
        entry = self.stored[kind].get(code)
        registered = entry.values if entry is not None else self.created[kind].get(code)
        if registered is None:
            self.created[kind][code] = values
            return values
        for name, value in values.items():
            if value and value != registered.get(name, ""):
                self.errors.append(_shared(f"{field}.{name}", code))
                break
        return dict(registered)


async def resolve_references(
    tx: Tx, contents: Sequence[ServiceInput], prefixes: Sequence[str]
) -> tuple[list[ServiceInput], list[FieldError], dict[str, dict[str, dict[str, str]]]]:
    """Contents with registered names filled in, the ``SHARED_REFERENCE`` errors, new entries."""
    wanted = {
        "EVIDENCE": [e.code for c in contents for e in c.requirements],
        "OUTPUT": [o.code for c in contents for o in c.outputs],
        "LEGAL_ACT": [a.act_code for c in contents for a in c.legal_basis],
    }
    stored = {kind: await reference_repo.entries(tx, kind, codes) for kind, codes in wanted.items()}
    r = _Resolver(stored, [], {kind: {} for kind in wanted})
    out: list[ServiceInput] = []
    for content, prefix in zip(contents, prefixes, strict=True):
        requirements: list[Evidence] = []
        for i, e in enumerate(content.requirements):
            v = r.resolve(
                "EVIDENCE",
                e.code,
                {"nameAz": e.name_az, "nameEn": e.name_en, "nameRu": e.name_ru},
                f"{prefix}requirements[{i}]",
            )
            requirements.append(
                replace(e, name_az=v["nameAz"], name_en=v["nameEn"], name_ru=v["nameRu"])
            )
        outputs: list[Output] = []
        for i, o in enumerate(content.outputs):
            v = r.resolve(
                "OUTPUT",
                o.code,
                {"nameAz": o.name_az, "nameEn": o.name_en, "nameRu": o.name_ru},
                f"{prefix}outputs[{i}]",
            )
            outputs.append(Output(o.code, v["nameAz"], v["nameEn"], v["nameRu"]))
        legal: list[LegalBasis] = []
        for i, a in enumerate(content.legal_basis):
            v = r.resolve("LEGAL_ACT", a.act_code, {"title": a.title}, f"{prefix}legalBasis[{i}]")
            legal.append(replace(a, title=v["title"]))
        out.append(
            replace(
                content,
                requirements=tuple(requirements),
                outputs=tuple(outputs),
                legal_basis=tuple(legal),
            )
        )
    return out, r.errors, r.created


async def record_created(
    tx: Tx, created: Mapping[str, Mapping[str, Mapping[str, str]]], *, actor: str, at: datetime
) -> None:
    for kind, entries in created.items():
        await reference_repo.record_first_versions(tx, kind, entries, actor=actor, at=at)


def _clean(kind: str, values: Mapping[str, str | None]) -> dict[str, str]:
    c = validation.Checker()
    fields = KINDS[kind][1]
    out: dict[str, str] = {}
    for name, value in values.items():
        if kind == "LEGAL_ACT" and name in legal_refs.FIELDS:
            if value is not None:
                out[name] = legal_refs.clean(c, name, value)
        elif name not in fields:
            c.add(name, f"{kind} üçün sahə deyil / not a field of {kind}")
        elif value is not None:
            limit = validation.SHORT_MAX if name == "title" else validation.NAME_MAX
            out[name] = c.text(value, name, max_length=limit, required=name in ("nameAz", "title"))
    if not out and not c.errors:
        c.add(fields[0], "dəyişiklik yoxdur / nothing to change")
    c.done()
    return out


async def update_reference_entry(
    platform: Platform,
    principal: Principal,
    kind: str,
    code: str,
    values: Mapping[str, str | None],
    *,
    now: datetime | None = None,
) -> ReferenceEntry:
    """Rename a shared entry: its owner body's editors or the registry's reviewers, versioned.

    ``values`` holds the fields to change (None: unchanged); a legal act also takes its
    reference (``legal_refs.FIELDS``, "" removes one). Every service showing the entry
    shows the new name; the audit event counts them.
    """
    if kind not in KINDS:
        raise ValidationFailed([FieldError("kind", f"naməlum növ / unknown kind: {kind}")])
    checker = validation.Checker()
    code = checker.code(code)
    checker.done()
    cleaned = _clean(kind, values)
    at = now if now is not None else datetime.now(UTC)
    label = KINDS[kind][0]
    loaded: dict[str, ReferenceEntry] = {}

    async def resolve(tx: Tx) -> Resource:
        entry = (await reference_repo.entries(tx, kind, [code])).get(code)
        if entry is None:
            raise NotFound(f"qeyd tapılmadı / entry not found: {code}", field="code")
        loaded["entry"] = entry
        return Resource(label, code, state_body=entry.owner)

    async def work(m: Mutation) -> ReferenceEntry:
        entry = loaded["entry"]
        changes: dict[str, dict[str, Any]] = {
            name: {"from": entry.values.get(name, ""), "to": value}
            for name, value in cleaned.items()
            if value != entry.values.get(name, "")
        }
        if not changes:
            return entry
        changed = {name: cleaned[name] for name in changes}
        window = legal_refs.window_error({**entry.values, **changed})
        if window is not None:
            raise ValidationFailed([window])
        version = await reference_repo.update(
            m.tx, entry, changed, changes, actor=principal.subject, at=at
        )
        m.changed(label, code, "updated", (*changes, "version"))
        m.detail(kind=kind, version=version, changes=changes, services=entry.uses)
        return replace(entry, values={**entry.values, **changed}, version=version)

    return await run_mutation(platform, principal, UPDATE_ACTION, resolve, work)


def report_created(m: Mutation, created: Mapping[str, Mapping[str, Mapping[str, str]]]) -> None:
    """A change event for each entry a service write proposed (created with version 1)."""
    for kind, entries in created.items():
        for code, values in entries.items():
            m.changed(KINDS[kind][0], code, "created", ("code", *values))
