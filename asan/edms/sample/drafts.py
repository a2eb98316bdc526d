"""Sample drafts in each state of their way, an order through legal expertise, a certified copy.

Outgoing replies of the IT department to a state body, each taken one state further than the
last: draft, on_visa, returned (the sector head rejected it with reasons), form_check (all
visas given), to_sign (the registrar accepted the form), signed (the chairman signed: number
from the OUT journal, PAdES), dispatched (mailing list, dispatch register) with a certified
copy; and an order whose route holds the mandatory legal expertise, signed and distributed to
units. The route: the sector head, then the department head and the lawyer in parallel, then
the chairman signs.
"""

from __future__ import annotations

from collections.abc import Sequence

from asan.core.platform import Platform
from asan.edms.copies.use_cases import certify_copy
from asan.edms.dispatch import models as dispatch_models
from asan.edms.dispatch import use_cases as dispatch
from asan.edms.drafts import use_cases as drafts
from asan.edms.drafts import visas
from asan.edms.drafts.models import Addressee, DraftInput, RouteSpec, StepSpec
from asan.edms.sample import people as cast
from asan.edms.sample.pdf import letter_pdf
from asan.edms.sample.people import People
from asan.edms.signatures.use_cases import sign_document

# the states of a draft's way, in order; a sample draft is taken up to one of them
WAY: tuple[str, ...] = ("draft", "on_visa", "form_check", "to_sign", "signed", "dispatched")
SUBJECTS: dict[str, str] = {
    "draft": "Elektron xidmətlərin statistikası barədə cavab",
    "on_visa": "Məlumat bazalarının uyğunlaşdırılması haqqında",
    "returned": "Şəbəkə avadanlığının yenilənməsi barədə təklif",
    "form_check": "Qarşılıqlı məlumat mübadiləsi sazişinin layihəsi",
    "to_sign": "İnformasiya sistemlərinin reyestri üzrə məlumat",
    "signed": "Kiber təhlükəsizlik tədbirləri barədə cavab",
    "dispatched": "Elektron növbə sisteminin inteqrasiyası barədə cavab",
}


def _route(who: People, *, order: bool = False) -> RouteSpec:
    if order:  # the agency's non-normative legal acts need legal expertise (3.1.3)
        steps: tuple[StepSpec, ...] = (
            StepSpec(stage=1, role="department_head", position_code="DEPT-IT-HEAD"),
            StepSpec(stage=2, role="legal_expertise", user=who.id(cast.LAWYER)),
        )
    else:
        steps = (
            StepSpec(stage=1, role="sector_head", user=who.id(cast.SECTOR_HEAD)),
            StepSpec(stage=2, role="department_head", position_code="DEPT-IT-HEAD"),
            StepSpec(stage=2, role="legal_expertise", user=who.id(cast.LAWYER)),
        )
    return RouteSpec(steps=steps, signatory=who.id(cast.SIGNATORY))


async def _steps(p: Platform, document_id: str) -> list[tuple[str, str]]:
    """(step id, holder's user id) of the draft's route, in stage order."""
    rows = await p.db.read(
        "MATCH (s:VisaStep)-[:OF]->(:Document {id: $id}) WHERE s.status <> 'replaced' "
        "RETURN s.id AS id, s.user AS user ORDER BY s.stage, s.id",
        {"id": document_id},
    )
    return [(str(r["id"]), str(r["user"])) for r in rows]


async def _visas(p: Platform, who: People, name: str, document_id: str) -> None:
    holders = {who.id(n): n for n in (cast.SECTOR_HEAD, cast.HEAD, cast.LAWYER)}
    for step_id, user in await _steps(p, document_id):
        holder = holders[user]
        await visas.decide_visa(
            p,
            who(holder),
            document_id,
            step_id,
            "approve",
            client_mutation_id=who.key(name, f"visa-{holder}"),
        )


async def _create(
    p: Platform, who: People, name: str, subject: str, *, kind: str, body: str
) -> str:
    author = cast.HEAD if kind == "order" else cast.DRAFTER
    addressees: tuple[Addressee, ...] = (
        (Addressee(kind="org_unit", org_unit="DEPT-IT"),)
        if kind == "order"
        else (Addressee(kind="state_body", state_body=body),)
    )
    return await drafts.create_draft(
        p,
        who(author),
        DraftInput(
            kind=kind,
            subject=subject,
            unit="DEPT-IT",
            addressees=addressees,
            summary="Nümunə layihə / a sample draft",
            route=_route(who, order=kind == "order"),
        ),
        file=drafts.DraftFile(
            letter_pdf(subject, "Layihə mətni.", "Hörmətlə,"), f"{name}.pdf", "application/pdf"
        ),
        client_mutation_id=who.key(name, "create"),
    )


async def _dispatch(
    p: Platform,
    who: People,
    name: str,
    document_id: str,
    lines: Sequence[dispatch_models.AddresseeInput],
) -> None:
    author = cast.HEAD if name.startswith("order") else cast.DRAFTER
    await dispatch.set_mailing_list(
        p,
        who(author),
        document_id,
        lines,
        client_mutation_id=who.key(name, "mailing-list"),
    )
    await dispatch.dispatch_document(
        p, who(cast.REGISTRAR), document_id, client_mutation_id=who.key(name, "dispatch")
    )


async def _take(
    p: Platform, who: People, name: str, target: str, *, body: str, kind: str = "outgoing"
) -> str:
    """A new draft taken along the way up to ``target``; returns its id."""
    subject = (
        "Əmr: elektron sənəd dövriyyəsi qaydaları"
        if kind == "order"
        else SUBJECTS.get(target, "Əmr: elektron sənəd dövriyyəsi qaydaları")
    )
    doc = await _create(p, who, name, subject, kind=kind, body=body)
    author = who(cast.HEAD if kind == "order" else cast.DRAFTER)
    reached = WAY.index(target if target in WAY else "on_visa")
    if reached >= WAY.index("on_visa"):
        await drafts.send_to_visa(p, author, doc, client_mutation_id=who.key(name, "send"))
    if target == "returned":
        step_id, _ = (await _steps(p, doc))[0]
        await visas.decide_visa(
            p,
            who(cast.SECTOR_HEAD),
            doc,
            step_id,
            "reject",
            reasons=("Rəqəmlər 2025-ci ilin hesabatı ilə uyğunlaşdırılmalıdır",),
            client_mutation_id=who.key(name, "reject"),
        )
        return doc
    if reached >= WAY.index("form_check"):
        await _visas(p, who, name, doc)
    if reached >= WAY.index("to_sign"):
        await drafts.check_form(
            p, who(cast.REGISTRAR), doc, client_mutation_id=who.key(name, "form")
        )
    if reached >= WAY.index("signed"):
        await sign_document(p, who(cast.SIGNATORY), doc, client_mutation_id=who.key(name, "sign"))
    if reached >= WAY.index("dispatched"):
        if kind == "order":
            lines = [
                dispatch_models.AddresseeInput(kind="org_unit", method="system", org_unit=unit)
                for unit in ("DEPT-IT", "DEPT-EDMS")
            ]
        else:
            lines = [
                dispatch_models.AddresseeInput(
                    kind="state_body",
                    method="post",
                    state_body=body,
                    address="Bakı şəhəri, nümunə ünvan 1",
                )
            ]
        await _dispatch(p, who, name, doc, lines)
    return doc


async def make_drafts(p: Platform, who: People, body: str) -> dict[str, str]:
    """State (or ``order``, ``certified_copy``) -> the sample document's id."""
    made: dict[str, str] = {}
    for state in ("draft", "on_visa", "returned", "form_check", "to_sign", "signed"):
        made[state] = await _take(p, who, f"draft-{state}", state, body=body)
    made["dispatched"] = doc = await _take(p, who, "draft-dispatched", "dispatched", body=body)
    copies = await p.db.read(
        "MATCH (c:CertifiedCopy)-[:OF]->(:Document {id: $id}) RETURN count(c) AS n", {"id": doc}
    )
    if not copies[0]["n"]:  # a replay would stamp and sign a copy only to throw it away
        await certify_copy(
            p, who(cast.REGISTRAR), doc, client_mutation_id=who.key("draft-dispatched", "copy")
        )
    made["certified_copy"] = doc
    made["order"] = await _take(p, who, "order", "dispatched", body=body, kind="order")
    return made
