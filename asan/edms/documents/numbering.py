"""Registration numbers: gapless and unique per journal and year, by the journal's pattern.

The yearly counter is a ``(:JournalCounter {journal, year, value})`` node incremented in the
transaction that creates the registration. The increment takes the node's write lock, so
concurrent registrations in one journal queue on it until the holder commits or rolls back;
a rolled-back registration rolls its increment back with it, so committed numbers have no
gaps, and a crash before commit leaves nothing. The (journal, year, seq) uniqueness
constraint on documents is the last line of defence.
"""

from __future__ import annotations

import re
from datetime import date

from asan.core.db import Tx
from asan.core.errors import BadInput, FieldError, ValidationFailed
from asan.edms.documents.models import RegNumber

TOKEN = re.compile(r"\{(seq(?::[1-9])?|year|yy|unit|index|journal)\}")
ANY_TOKEN = re.compile(r"\{[^{}]*\}")
MAX_PATTERN = 64


def pattern_errors(pattern: str, field: str = "pattern") -> list[FieldError]:
    """A pattern names {seq} exactly once and only known tokens."""
    errors: list[FieldError] = []
    unknown = [t for t in ANY_TOKEN.findall(pattern) if not TOKEN.fullmatch(t)]
    if unknown:
        errors.append(
            FieldError(
                field,
                f"naməlum işarə / unknown token: {', '.join(unknown)} "
                "(mümkün / allowed: {seq} {seq:N} {year} {yy} {unit} {index} {journal})",
            )
        )
    seqs = [t for t in TOKEN.findall(pattern) if t.startswith("seq")]
    if len(seqs) != 1:
        errors.append(
            FieldError(field, "{seq} bir dəfə olmalıdır / {seq} must appear exactly once")
        )
    if not pattern.strip() or len(pattern) > MAX_PATTERN:
        errors.append(FieldError(field, f"1-{MAX_PATTERN} simvol / 1-{MAX_PATTERN} characters"))
    return errors


def render(
    pattern: str, journal: str, seq: int, year: int, unit: str | None, case_index: str | None
) -> str:
    def token(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("seq"):
            width = int(name[4:]) if ":" in name else 0
            return str(seq).zfill(width)
        if name == "year":
            return str(year)
        if name == "yy":
            return f"{year % 100:02d}"
        if name == "journal":
            return journal
        value = unit if name == "unit" else case_index
        if not value:
            field = "unit" if name == "unit" else "caseIndex"
            raise ValidationFailed(
                [
                    FieldError(
                        field,
                        f"jurnalın nömrə şablonu {{{name}}} tələb edir / "
                        f"the journal's number pattern needs {{{name}}}",
                    )
                ]
            )
        return value

    return TOKEN.sub(token, pattern)


async def assign_number(
    tx: Tx,
    journal_code: str,
    on: date,
    *,
    unit: str | None = None,
    case_index: str | None = None,
) -> RegNumber:
    """The next number of ``journal_code`` in ``on``'s year, locked until this tx ends."""
    rows = await tx.run(
        """
        MATCH (j:Journal {code: $journal})
        // a counter created after numbers were given (imported documents, a restored
        // backup without counters) continues from the highest one instead of colliding
        WITH j, CASE
          WHEN EXISTS { MATCH (:JournalCounter {journal: $journal, year: $year}) } THEN 0
          ELSE coalesce(head(COLLECT {
            MATCH (d:Document {journalCode: $journal, regYear: $year})
            RETURN d.regSeq AS seq ORDER BY seq DESC LIMIT 1
          }), 0)
        END AS start
        MERGE (c:JournalCounter {journal: $journal, year: $year})
          ON CREATE SET c.value = start
        SET c.value = c.value + 1
        RETURN c.value AS seq, j.pattern AS pattern
        """,
        {"journal": journal_code, "year": on.year},
    )
    if not rows:
        raise BadInput(f"jurnal {journal_code} yoxdur / no journal {journal_code}", field="journal")
    seq, pattern = int(rows[0]["seq"]), str(rows[0]["pattern"])
    number = render(pattern, journal_code, seq, on.year, unit, case_index)
    return RegNumber(number, seq, on.year)
