"""Deadlines of an appeal, in working days of Azerbaijan's calendar (pure functions).

The answer is due ``answer_days`` (or ``study_days`` where extra study is needed) working days
after registration, plus any extension (at most ``max_extension_days`` in all); a matter outside
the agency's competence must be forwarded within ``forward_days``. The registration day itself
is not counted, as the law counts terms from the day after the event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from asan.core.workdays import add_working_days
from asan.edms.appeals.settings import AppealSettings


@dataclass(frozen=True)
class Terms:
    term_days: int  # the base term in working days: 15, or 30 with extra study
    extension_days: int  # working days added by extensions so far
    due: date  # the answer is due by this date (inclusive)
    forward_due: date  # the forwarding deadline when the matter is outside competence


def terms_of(
    registered: date,
    settings: AppealSettings,
    *,
    extra_study: bool = False,
    extension_days: int = 0,
) -> Terms:
    base = settings.study_days if extra_study else settings.answer_days
    return Terms(
        term_days=base,
        extension_days=extension_days,
        due=add_working_days(registered, base + extension_days),
        forward_due=add_working_days(registered, settings.forward_days),
    )


def extension_refusal(
    settings: AppealSettings, *, already: int, more: int, extra_study: bool, had_study: bool
) -> str | None:
    """Why an extension is not allowed (Azerbaijani / English), or None."""
    if more < 0:
        return "uzatma müddəti mənfi ola bilməz / an extension cannot be negative"
    if more == 0 and not (extra_study and not had_study):
        return (
            "uzatma üçün iş günlərinin sayı və ya əlavə araşdırma göstərilməlidir / "
            "name the working days to add or that extra study is needed"
        )
    if already + more > settings.max_extension_days:
        left = settings.max_extension_days - already
        return (
            f"müddət ən çox {settings.max_extension_days} iş günü uzadıla bilər, "
            f"qalıb: {left} / the term may be extended by at most "
            f"{settings.max_extension_days} working days in all, {left} left"
        )
    return None
