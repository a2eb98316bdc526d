"""The competent-unit suggestion for callers: one suggester per process, kept fresh.

Building a suggester reads every regulation clause and indexes them in RAM (about a second),
so a process keeps one and rebuilds it when the regulations change. Freshness is checked at
most every ``suggest_check_seconds``: the change log is asked whether a Clause, OrgUnit or
Regulation event was committed since the build (the regulations' import reports its changes
there); a log whose head went back (a restored or reset graph) also rebuilds, and so does a
suggester older than ``suggest_max_age_seconds`` (changes that bypassed the log). Two
requests racing past a stale check may both build; the later one wins, which costs time only.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from asan.core.changelog import head_seq
from asan.core.platform import Platform
from asan.core.text import has_control_chars, has_invisible_chars, has_lone_surrogate
from asan.search.querying.models import BAD_INPUT, QueryProblem
from asan.search.querying.settings import query_settings
from asan.search.suggest import UnitSuggester, UnitSuggestion, load_suggester

ORG_EVENT_KINDS = ("Clause", "OrgUnit", "Regulation")
MAX_SUGGESTIONS = 10
MAX_TEXT_CHARS = 20_000  # a long appeal is judged by its beginning (the suggester cuts it)

_CHANGED_SINCE = """
MATCH (e:ChangeEvent) WHERE e.seq > $seq AND e.entityKind IN $kinds
RETURN count(e) > 0 AS changed
"""


@dataclass
class _Built:
    suggester: UnitSuggester
    seq: int  # the change log's head when the build started
    built: float  # monotonic seconds
    checked: float


class SuggesterCache:
    def __init__(self) -> None:
        self._built: dict[int, _Built] = {}  # per platform (one in a process; tests share)

    def forget(self) -> None:
        for built in self._built.values():
            built.suggester.close()
        self._built.clear()

    async def _stale(self, platform: Platform, built: _Built, now: float) -> bool:
        settings = query_settings()
        if now - built.built > settings.suggest_max_age_seconds:
            return True
        if now - built.checked < settings.suggest_check_seconds:
            return False
        head = await head_seq(platform.db)
        if head < built.seq:
            return True
        if head > built.seq:
            rows = await platform.db.read(
                _CHANGED_SINCE, {"seq": built.seq, "kinds": list(ORG_EVENT_KINDS)}
            )
            if rows and rows[0]["changed"]:
                return True
            built.seq = head  # nothing of ours since: look only at newer events next time
        built.checked = now
        return False

    async def get(self, platform: Platform) -> UnitSuggester:
        now = time.monotonic()
        built = self._built.get(id(platform))
        if built is not None and not await self._stale(platform, built, now):
            return built.suggester
        seq = await head_seq(platform.db)
        suggester = await load_suggester(platform)
        self._built[id(platform)] = _Built(suggester, seq, now, now)
        return suggester


CACHE = SuggesterCache()


def text_problem(text: str) -> QueryProblem | None:
    if len(text) > MAX_TEXT_CHARS:
        return QueryProblem(
            BAD_INPUT,
            "text",
            f"mətn {MAX_TEXT_CHARS} simvoldan uzundur / "
            f"the text is longer than {MAX_TEXT_CHARS} characters",
        )
    if (
        has_lone_surrogate(text)
        or has_control_chars(text, allow_newlines=True)
        or has_invisible_chars(text)
    ):
        return QueryProblem(
            BAD_INPUT,
            "text",
            "mətndə idarəetmə və ya görünməz simvollar var / "
            "the text contains control or invisible characters",
        )
    return None


async def suggest_competent_units(
    platform: Platform, text: str, limit: int = 3
) -> list[UnitSuggestion]:
    """Units best matching ``text`` with their matched clauses; public (the regulations are).

    Empty text or text with no searchable word suggests nothing."""
    if not text.strip() or limit <= 0:
        return []
    suggester = await CACHE.get(platform)
    return suggester.suggest_units(text, limit=min(limit, MAX_SUGGESTIONS))
