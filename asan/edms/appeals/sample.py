"""Sample citizens' appeals and reception sittings for ``make run`` (never in production).

Made through the real use cases, as the system, so every one is numbered, timed and in the
timeline like a real one, and marked ``sample: true``: an appeal in each state of its way
(registered, with extra study and an extension, answered, forwarded, a repeat left
unconsidered after three substantive answers), and the IT department head's reception sitting
with a booked visitor and a received one whose matter became an appeal. Idempotent: nothing is
made when sample appeals exist.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from asan.auth.principal import SYSTEM
from asan.core.platform import Platform
from asan.core.workdays import BAKU, today_in_baku
from asan.edms.appeals import use_cases as appeals
from asan.edms.appeals.models import Applicant, NewAppeal
from asan.edms.reception import use_cases as reception
from asan.edms.reception.models import NewSlot, NewVisit, Visitor

PREFERRED_UNIT = "DEPT-IT"
PREFERRED_BODY = "DSMF"  # pensions: the State Social Protection Fund
OFFICIAL = "demo.head"


async def _pick(platform: Platform) -> tuple[str | None, str | None, str | None]:
    rows = await platform.db.read(
        """
        OPTIONAL MATCH (u:OrgUnit {code: $unit})
        OPTIONAL MATCH (c:AsanCentre)
        WITH u, min(c.code) AS centre
        OPTIONAL MATCH (b:StateBody {code: $body})
        OPTIONAL MATCH (other:StateBody) WHERE other.code <> 'ASAN'
        WITH u, centre, b.code AS preferred, min(other.code) AS fallback
        RETURN u.code AS unit, centre, coalesce(preferred, fallback) AS body
        """,
        {"unit": PREFERRED_UNIT, "body": PREFERRED_BODY},
    )
    row = rows[0] if rows else {}
    return row.get("unit"), row.get("centre"), row.get("body")


def _appeal(
    kind: str, channel: str, who: Applicant, subject: str, unit: str, **extra: object
) -> NewAppeal:
    return NewAppeal(
        appeal_type=kind,
        channel=channel,
        applicant=who,
        subject=subject,
        unit=unit,
        sample=True,
        **extra,  # type: ignore[arg-type]
    )


async def load_sample_appeals(platform: Platform) -> str:
    if platform.settings.is_production:
        raise RuntimeError("sample appeals are never loaded in production")
    existing = await platform.db.read(
        "MATCH (d:Document {kind: 'appeal', sample: true}) RETURN count(d) AS n"
    )
    if existing and existing[0]["n"]:
        return f"sample appeals: {existing[0]['n']} already there"
    unit, centre, body = await _pick(platform)
    if unit is None:
        return "sample appeals: skipped (no org unit DEPT-IT: load the regulations first)"
    register = appeals.register_appeal
    p = platform
    made = 0

    async def new(a: NewAppeal) -> str:
        nonlocal made
        made += 1
        return await register(p, SYSTEM, a)

    aysel = Applicant("Aysel Quliyeva", "Bakı, Nərimanov r-nu, Ataturk pr. 12", "050 412 33 21")
    if centre is not None:
        await new(
            _appeal(
                "complaint",
                "asan_centre",
                aysel,
                "Mərkəzdə növbənin uzun çəkməsi",
                unit,
                centre=centre,
            )
        )
    studied = await new(
        _appeal(
            "proposal",
            "website",
            Applicant("Elvin Rzayev", contact="elvin@example.az"),
            "Mobil tətbiqdə xidmət statusunun göstərilməsi",
            unit,
            extra_study=True,
        )
    )
    await appeals.extend_appeal(
        p,
        SYSTEM,
        studied,
        working_days=10,
        extra_study=False,
        reason="Aidiyyəti qurumların rəyi gözlənilir / awaiting other bodies' opinion",
    )
    answered = await new(
        _appeal(
            "application",
            "mail",
            Applicant("Kamran Əliyev", "Sumqayıt, 5-ci mkr, ev 7"),
            "Şəxsiyyət vəsiqəsinin hazır olma tarixi",
            unit,
        )
    )
    await appeals.answer_appeal(
        p, SYSTEM, answered, "Vəsiqəniz hazırdır, mərkəzdən ala bilərsiniz.", substantive=True
    )
    if body is not None:
        forwarded = await new(
            _appeal(
                "application",
                "call_centre_108",
                Applicant("Gülnar Məmmədova", contact="055 210 44 55"),
                "Pensiyanın yenidən hesablanması",
                unit,
            )
        )
        await appeals.forward_appeal(
            p, SYSTEM, forwarded, body, "Pensiya məsələləri fondun səlahiyyətindədir"
        )
    repeater = Applicant("Rəşad Həsənov", "Gəncə, Nizami küç. 4", "070 300 10 20")
    for i in range(3):
        earlier = await new(
            _appeal("complaint", "mail", repeater, "Sürücülük vəsiqəsinin dəyişdirilməsi", unit)
        )
        await appeals.answer_appeal(
            p, SYSTEM, earlier, f"Cavab {i + 1}: qaydalar izah edildi.", substantive=True
        )
    repeat = await new(
        _appeal("complaint", "mail", repeater, "Sürücülük vəsiqəmin dəyişdirilməsi", unit)
    )
    await appeals.leave_unconsidered(
        p,
        SYSTEM,
        repeat,
        "Eyni məsələ üzrə bir il ərzində üç dəfə mahiyyətcə cavab verilib, yeni məlumat yoxdur",
        no_new_information=True,
    )
    return f"sample appeals: {made} in every state; " + await _reception(p, unit)


async def _reception(p: Platform, unit: str) -> str:
    held = await p.db.read(
        "MATCH (:User {username: $u})-[:HOLDS]->(:Position) RETURN count(*) AS n", {"u": OFFICIAL}
    )
    if not held or not held[0]["n"]:
        return "reception: skipped (no demo head)"
    day = today_in_baku() + timedelta(days=3)
    starts = datetime.combine(day, time(10), BAKU)
    slot = await reception.schedule_reception(
        p,
        SYSTEM,
        NewSlot(
            OFFICIAL,
            starts,
            starts + timedelta(hours=3),
            "Agentlik, 3-cü mərtəbə, 305",
            capacity=5,
            unit=unit,
            sample=True,
        ),
    )
    await reception.register_visitor(
        p,
        SYSTEM,
        NewVisit(
            Visitor("Nərmin Səfərova", "051 222 33 44"),
            "Elektron imza ilə bağlı problem",
            unit,
            slot_id=slot,
            sample=True,
        ),
    )
    visit = await reception.register_visitor(
        p,
        SYSTEM,
        NewVisit(
            Visitor("Tofiq Babayev", "050 777 66 55"),
            "Xidmət haqqının geri qaytarılması",
            unit,
            slot_id=slot,
            sample=True,
        ),
    )
    await reception.record_visit(
        p,
        SYSTEM,
        visit,
        attended=True,
        notes="Ərizə qəbul edildi",
        appeal=NewAppeal(
            "application",
            "reception",
            Applicant(""),
            "Xidmət haqqının geri qaytarılması",
            sample=True,
        ),
    )
    return "reception: one sitting, two visitors (one received, its matter an appeal)"
