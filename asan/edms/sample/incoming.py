"""Sample incoming letters in each state of their way, and a secret one under execution.

received (sent in by a state body's system, awaiting registration), registered, in_execution
(the IT head's resolution), executed (both executors reported), closed (taken off control by
the registrar); a service-secret letter in execution. Every step is the parts' own use case,
called as the demo user who would do it, with a client mutation id so a repeated load does
nothing twice.
"""

from __future__ import annotations

from datetime import timedelta

from asan.auth.principal import Principal
from asan.core.platform import Platform
from asan.core.workdays import today_in_baku
from asan.edms.dispatch import delivery
from asan.edms.dispatch import models as dispatch_models
from asan.edms.documents.models import DocumentCard
from asan.edms.documents.use_cases import NewFile, register_document
from asan.edms.resolutions import execution
from asan.edms.resolutions import use_cases as resolutions
from asan.edms.resolutions.models import ResolutionDraft
from asan.edms.sample import people as cast
from asan.edms.sample.pdf import letter_pdf
from asan.edms.sample.people import People

SYSTEM_OF_BODY = "sample-edms-system"  # the sending body's system (a service principal)


def _card(subject: str, body: str, number: str, **extra: object) -> DocumentCard:
    return DocumentCard(
        kind="incoming",
        subject=subject,
        unit="DEPT-IT",
        summary=f"{subject}: nümunə sənəd / a sample document",
        pages=1,
        channel="mail",
        correspondent_kind="state_body",
        correspondent_body=body,
        correspondent_number=number,
        correspondent_date=today_in_baku() - timedelta(days=3),
        sample=True,
        **extra,  # type: ignore[arg-type]
    )


async def _registered(
    p: Platform, who: People, name: str, subject: str, body: str, number: str, **extra: object
) -> str:
    pdf = letter_pdf(subject, f"№ {number}", "Hörmətli həmkarlar,", "Məlumat üçün göndərilir.")
    return await register_document(
        p,
        who(cast.REGISTRAR),
        _card(subject, body, number, **extra),
        file=NewFile(pdf, f"{name}.pdf", "application/pdf"),
        client_mutation_id=who.key(name, "register"),
    )


async def _resolved(
    p: Platform, who: People, name: str, document_id: str, *, co_executor: bool = True
) -> str:
    return await resolutions.issue_resolution(
        p,
        who(cast.HEAD),
        ResolutionDraft(
            document_id=document_id,
            main_executor=who.id(cast.EXECUTOR),
            co_executors=(who.id(cast.DRAFTER),) if co_executor else (),
            instruction="Araşdırın və cavab layihəsini hazırlayın.",
            working_days=10,
        ),
        client_mutation_id=who.key(name, "resolve"),
    )


async def _report_all(p: Platform, who: People, name: str, resolution_id: str) -> None:
    rows = await p.db.read(
        "MATCH (t:ExecutionTask {resolutionId: $id}) RETURN t.id AS id, t.executor AS executor",
        {"id": resolution_id},
    )
    by_id = {who.id(n): n for n in (cast.EXECUTOR, cast.DRAFTER)}
    for row in sorted(rows, key=lambda r: str(r["id"])):
        executor = by_id[row["executor"]]
        await execution.report_task(
            p,
            who(executor),
            row["id"],
            "İcra edildi, cavab hazırlanıb.",
            client_mutation_id=who.key(name, f"report-{executor}"),
        )


async def _received(p: Platform, who: People, body: str) -> str:
    """A letter a body's system sent in: an incoming document awaiting registration."""
    system = Principal(
        subject=SYSTEM_OF_BODY,
        kind="service",
        state_body=body,
        scopes=frozenset({"edms.delivery"}),
    )
    subject = "Məlumat mübadiləsi protokolunun yenilənməsi"
    return await delivery.send_document_to_agency(
        p,
        system,
        dispatch_models.IncomingFromAgency(
            subject=subject,
            number="EL-2026/58",
            date=(today_in_baku() - timedelta(days=1)).isoformat(),
            data=letter_pdf(subject, "Elektron yolla göndərilmişdir."),
            filename="protokol.pdf",
            content_type="application/pdf",
            summary="Qurumun sistemi vasitəsilə daxil olub / arrived from the body's system",
            pages=1,
        ),
        client_mutation_id=f"sample-documents:{body}:received",
    )


async def make_incoming(p: Platform, who: People, body: str) -> dict[str, str]:
    """State (or ``secret``) -> the sample document's id."""
    made: dict[str, str] = {"received": await _received(p, who, body)}
    made["registered"] = await _registered(
        p, who, "inc-registered", "Vətəndaşların qəbulu qrafiki haqqında", body, "01-12/441"
    )
    made["in_execution"] = doc = await _registered(
        p, who, "inc-in-execution", "Elektron növbə sisteminin inteqrasiyası", body, "01-12/452"
    )
    await _resolved(p, who, "inc-in-execution", doc)
    made["executed"] = doc = await _registered(
        p, who, "inc-executed", "Server avadanlığının inventarizasiyası", body, "01-12/460"
    )
    await _report_all(p, who, "inc-executed", await _resolved(p, who, "inc-executed", doc))
    made["closed"] = doc = await _registered(
        p, who, "inc-closed", "İllik hesabat formasının təsdiqi", body, "01-12/471"
    )
    resolution = await _resolved(p, who, "inc-closed", doc)
    await _report_all(p, who, "inc-closed", resolution)
    await resolutions.remove_from_control(
        p,
        who(cast.REGISTRAR),
        resolution,
        "İcra olundu, nəzarətdən çıxarıldı.",
        client_mutation_id=who.key("inc-closed", "remove-from-control"),
    )
    made["secret"] = doc = await _registered(
        p,
        who,
        "inc-secret",
        "Məlumat təhlükəsizliyi auditinin nəticələri",
        body,
        "01-12/480-XM",
        classification="service_secret",
    )
    await _resolved(p, who, "inc-secret", doc, co_executor=False)  # only cleared people
    return made
