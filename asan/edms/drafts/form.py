"""The registrar's form check before signature: what is missing, as reasons a clerk can act on.

Every required visa of the route in force; legal expertise on an order; the draft's own file;
as many attachment files as the draft says it has; addressees that are valid: at least one on
outgoing and internal documents, state bodies and agency units that exist in the registry,
organisations and persons with a name and an address. Each problem is one reason, all listed
at once (Azerbaijani / English), so the executing unit fixes everything in one new version.
"""

from __future__ import annotations

from asan.core.db import Tx
from asan.edms.drafts import flows
from asan.edms.drafts import repository as repo
from asan.edms.drafts.models import LEGAL_EXPERTISE, Addressee, VisaStep

_ROLE_AZ = {
    "sector_head": "sektor müdiri",
    "department_head": "şöbə müdiri",
    "legal_expertise": "hüquqi ekspertiza",
    "other": "digər",
}


async def problems(tx: Tx, document_id: str, kind: str, expected_attachments: int) -> list[str]:
    found: list[str] = []
    route = await repo.steps(tx, document_id)
    found += visa_problems(kind, route)
    present, has_draft = await repo.attachment_count(tx, document_id)
    if not has_draft:
        found.append("layihənin faylı yoxdur / the draft's file is missing")
    if present < expected_attachments:
        found.append(
            f"{expected_attachments} əlavə gözlənilir, {present} var / "
            f"{expected_attachments} attachments expected, {present} present"
        )
    found += await addressee_problems(tx, kind, await repo.addressees(tx, document_id))
    return found


def visa_problems(kind: str, route: list[VisaStep]) -> list[str]:
    if not route:
        return ["viza marşrutu yoxdur / there is no visa route"]
    found = [
        f"mərhələ {s.stage}, {_ROLE_AZ.get(s.role, s.role)}: viza yoxdur ({s.user}) / "
        f"stage {s.stage}, {s.role}: no visa yet ({s.user})"
        for s in flows.missing_visas(route)
    ]
    if kind == "order" and not any(s.role == LEGAL_EXPERTISE for s in route):
        found.append("əmrin hüquqi ekspertizası yoxdur / the order has no legal expertise visa")
    return found


async def addressee_problems(tx: Tx, kind: str, addressees: list[Addressee]) -> list[str]:
    if not addressees:
        if kind in ("outgoing", "internal"):
            return ["ünvançı yoxdur / there is no addressee"]
        return []
    known = await repo.existing(
        tx,
        bodies=[a.state_body for a in addressees if a.state_body],
        units=[a.org_unit for a in addressees if a.org_unit],
    )
    found: list[str] = []
    for a in addressees:
        label = f"ünvançı {a.position} / addressee {a.position}"
        if a.kind == "state_body" and f"body:{a.state_body}" not in known:
            found.append(
                f"{label}: dövlət orqanı reyestrdə yoxdur / state body {a.state_body} is not "
                "in the registry"
            )
        elif a.kind == "org_unit" and f"unit:{a.org_unit}" not in known:
            found.append(
                f"{label}: struktur bölmə yoxdur / agency unit {a.org_unit} does not exist"
            )
        elif a.kind in ("organisation", "person"):
            if not a.name:
                found.append(f"{label}: adı yoxdur / has no name")
            if not a.address:
                found.append(f"{label}: ünvanı yoxdur / has no address")
    return found
