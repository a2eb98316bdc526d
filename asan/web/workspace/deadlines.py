"""How near a deadline is, as a CSS class and words: colour is never the only signal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from asan.web.i18n import Lang, translate

SOON_DAYS: Final = 3  # calendar days: "due soon" (amber) from three days before


@dataclass(frozen=True)
class Urgency:
    css: str  # "overdue" | "today" | "soon" | "later"
    text: str


def urgency(lang: Lang, deadline: date, today: date) -> Urgency:
    days = (deadline - today).days
    if days < 0:
        return Urgency("overdue", translate(lang, "workspace.deadline.overdue", days=-days))
    if days == 0:
        return Urgency("today", translate(lang, "workspace.deadline.today"))
    if days <= SOON_DAYS:
        return Urgency("soon", translate(lang, "workspace.deadline.soon", days=days))
    return Urgency("later", translate(lang, "workspace.deadline.later", days=days))
