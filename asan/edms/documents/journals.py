"""Configuring registration journals: a journal's pattern and names, or a new journal.

The seven journals of the contract are seeded by the migration; an agency may keep more
(e.g. a separate incoming journal per channel or per unit), so a registrar may open one by
naming its code, kind, names and pattern. A journal is never deleted and its kind never
changes: numbers already given stay as they were rendered.
"""

from __future__ import annotations

import re

from asan.auth.pipeline import Mutation, run_mutation
from asan.auth.policy import Resource
from asan.auth.principal import Principal
from asan.core.errors import FieldError, ValidationFailed
from asan.core.platform import Platform
from asan.core.text import clean
from asan.edms.documents import numbering
from asan.edms.documents import repository as repo
from asan.edms.documents.models import KINDS

CODE = re.compile(r"^[A-Z][A-Z0-9-]{0,15}$")


def _check(
    code: str, kind: str | None, pattern: str | None, name_az: str | None, name_en: str | None
) -> dict[str, str]:
    errors: list[FieldError] = []
    if not CODE.fullmatch(code):
        errors.append(
            FieldError("code", "1-16 böyük hərf, rəqəm, '-' / 1-16 capitals, digits, '-'")
        )
    if kind is not None and kind not in KINDS:
        errors.append(FieldError("kind", f"mümkün / allowed: {', '.join(KINDS)}"))
    if pattern is not None:
        errors.extend(numbering.pattern_errors(pattern))
    names: dict[str, str] = {}
    for api, value in (("nameAz", name_az), ("nameEn", name_en)):
        if value is not None:
            text, error = clean(value, api, max_length=200)
            names[api] = text
            if error is not None:
                errors.append(error)
    if errors:
        raise ValidationFailed(errors)
    return names


async def configure_journal(
    platform: Platform,
    principal: Principal,
    code: str,
    *,
    kind: str | None = None,
    pattern: str | None = None,
    name_az: str | None = None,
    name_en: str | None = None,
    client_mutation_id: str | None = None,
) -> str:
    """Change a journal's pattern or names; with ``kind``, open the journal if it is new."""
    names = _check(code, kind, pattern, name_az, name_en)

    async def work(m: Mutation) -> str:
        old = await repo.configure_journal(
            m.tx, code, pattern, names.get("nameAz"), names.get("nameEn")
        )
        if old is None:
            if kind is None:
                raise ValidationFailed(
                    [FieldError("code", f"jurnal yoxdur / no journal {code}", "NOT_FOUND")]
                )
            missing = [
                FieldError(api, "yeni jurnal üçün lazımdır / required for a new journal")
                for api, given in (("pattern", pattern), ("nameAz", names.get("nameAz")))
                if not given
            ]
            if missing:
                raise ValidationFailed(missing)
            await repo.create_journal(
                m.tx,
                code,
                kind,
                names["nameAz"],
                names.get("nameEn") or names["nameAz"],
                str(pattern),
            )
            m.changed("Journal", code, "created", ["kind", "nameAz", "nameEn", "pattern"])
            return code
        if kind is not None and old.get("kind") != kind:
            raise ValidationFailed(
                [
                    FieldError(
                        "kind",
                        "jurnalın növü dəyişmir / a journal's kind never changes",
                        "CONFLICT",
                    )
                ]
            )
        changed = [
            api
            for api, value in (("pattern", pattern), *names.items())
            if value is not None and old.get(api) != value
        ]
        if changed:
            m.changed("Journal", code, "updated", changed)
        return code

    return await run_mutation(
        platform,
        principal,
        "edms.journal.configure",
        Resource("Journal", code),
        work,
        client_mutation_id=client_mutation_id,
    )
