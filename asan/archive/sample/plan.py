"""What the archive sample holds, as plain data: three years' nomenclatures and their cases.

Years are counted back from the current one (Baku), so the sample means the same on any day:
cases of six years ago whose retention has run out (due for disposal; one of them held), cases
of last year still kept, a permanent case, and this year's open cases into which the EDMS
sample's documents are filed. Titles and articles follow the agency's list of typical
documents; retention is 1, 3, 5, 10 or 75 years, or permanent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

OLD: Final = 6  # years back: 5-year and shorter retention has run out
LAST: Final = 1
THIS: Final = 0
AGES: Final = (OLD, LAST, THIS)

# lifecycle targets, in the order the steps are taken
CLOSED: Final = "closed"
UNIT_ARCHIVE: Final = "unit_archive"
TRANSFERRED: Final = "transferred"
PERMANENT: Final = "permanent"
PATH: Final = (CLOSED, UNIT_ARCHIVE, TRANSFERRED, PERMANENT)


@dataclass(frozen=True)
class SampleCase:
    key: str  # stable name: client mutation ids and the documents' names
    age: int  # years before the current one
    unit: str
    number: int
    title: str
    retention: int | None  # None: kept permanently
    article: str
    expert_review: bool = False
    to: str = "open"  # open, or the last lifecycle step taken (PATH)
    documents: tuple[str, ...] = ()  # subjects of sample letters registered and filed into it
    hold: tuple[str, str] | None = None  # (kind, reason) of a hold placed on it

    @property
    def steps(self) -> tuple[str, ...]:
        return () if self.to == "open" else PATH[: PATH.index(self.to) + 1]

    @property
    def ingested(self) -> bool:
        """Transferred cases have their files in the archive bucket."""
        return self.to in (TRANSFERRED, PERMANENT)


LETTERS: Final = "Dövlət orqanlarından daxil olan məktublar"
APPEALS: Final = "Vətəndaşların müraciətləri və onlara verilən cavablar"
REPORTS: Final = "Şöbənin illik fəaliyyət hesabatları"

CASES: Final[tuple[SampleCase, ...]] = (
    SampleCase(
        "old-letters",
        OLD,
        "DEPT-IT",
        1,
        LETTERS,
        5,
        "64",
        to=TRANSFERRED,
        documents=("Elektron xidmətlərin inteqrasiyası barədə", "Serverlərin yenilənməsi barədə"),
        hold=("litigation", "Məhkəmə işi üzrə sübut (iş № 2-1417) / evidence in a court case"),
    ),
    SampleCase(
        "old-systems",
        OLD,
        "DEPT-IT",
        2,
        "İnformasiya sistemlərinin istismarına dair yazışma",
        3,
        "270",
        to=TRANSFERRED,
        documents=("Məlumat bazasının ehtiyat nüsxələri", "Proqram təminatının lisenziyaları"),
    ),
    SampleCase(
        "old-reports",
        OLD,
        "DEPT-IT",
        3,
        REPORTS,
        None,
        "37-a",
        expert_review=True,
        to=PERMANENT,
        documents=("İT şöbəsinin illik hesabatı",),
    ),
    SampleCase(
        "old-appeals",
        OLD,
        "DEPT-EDMS",
        1,
        APPEALS,
        5,
        "186",
        to=UNIT_ARCHIVE,
        documents=("Xidmət keyfiyyəti barədə müraciət",),
    ),
    SampleCase(
        "old-journals",
        OLD,
        "DEPT-EDMS",
        2,
        "Sənədlərin qeydiyyat və nəzarət jurnalları",
        10,
        "258",
        to=UNIT_ARCHIVE,
    ),
    SampleCase(
        "last-letters",
        LAST,
        "DEPT-IT",
        1,
        LETTERS,
        5,
        "64",
        to=UNIT_ARCHIVE,
        documents=("Rəqəmsal imza sertifikatları barədə",),
    ),
    SampleCase(
        "last-equipment",
        LAST,
        "DEPT-IT",
        4,
        "Kompüter avadanlığının uçotu jurnalı",
        1,
        "1003",
        to=TRANSFERRED,
        documents=("Avadanlığın təhvil aktı", "Avadanlığın silinməsi barədə"),
    ),
    SampleCase(
        "last-staff",
        LAST,
        "DEPT-IT",
        5,
        "Əməkdaşların şəxsi işlərinin surətləri",
        75,
        "504",
        expert_review=True,
        to=CLOSED,
    ),
    SampleCase(
        "last-appeals",
        LAST,
        "DEPT-EDMS",
        1,
        APPEALS,
        3,
        "186",
        to=TRANSFERRED,
        documents=("Növbə sistemi barədə şikayət",),
        hold=("investigation", "Daxili xidməti araşdırma / an internal investigation"),
    ),
    SampleCase(
        "last-rules",
        LAST,
        "DEPT-EDMS",
        3,
        "Kargüzarlığa dair təlimat və əsasnamələr",
        None,
        "18",
        expert_review=True,
        to=CLOSED,
    ),
    SampleCase("this-letters", THIS, "DEPT-IT", 1, LETTERS, 5, "64"),
    SampleCase("this-sent", THIS, "DEPT-IT", 2, "Göndərilən məktubların surətləri", 5, "65"),
    SampleCase("this-reports", THIS, "DEPT-IT", 3, REPORTS, None, "37-a", expert_review=True),
    SampleCase("this-appeals", THIS, "DEPT-EDMS", 1, APPEALS, 5, "186"),
    SampleCase(
        "this-orders",
        THIS,
        "DEPT-EDMS",
        4,
        "Agentlik sədrinin əsas fəaliyyət üzrə əmrləri",
        None,
        "19-a",
        expert_review=True,
    ),
)

# the EDMS sample's documents (by kind) go into this year's cases (by key)
REUSED: Final[dict[str, str]] = {
    "incoming": "this-letters",
    "outgoing": "this-sent",
    "internal": "this-sent",
    "appeal": "this-appeals",
    "order": "this-orders",
}
