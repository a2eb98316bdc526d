"""Where appeals are registered, the registrar sees the units the suggester finds competent:
``Appeal.suggestedUnits`` on the registration payload, from the appeal's subject and summary,
through the real app (the EDMS test world with a few regulation clauses of its units)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.search.querying import CACHE
from tests.edms.conftest import World, make_world

pytestmark = pytest.mark.asyncio(loop_scope="session")

CLAUSES = [
    ("DEPT-IT", "3.1.1", "Agentliyin informasiya sistemlərinin, serverlərinin və proqram "
     "təminatının fasiləsiz işini təmin edir;"),
    ("DEPT-IT", "3.1.2", "elektron xidmətlər portalının və şəbəkə avadanlığının texniki "
     "xidmətini həyata keçirir;"),
    ("DEPT-HR", "3.1.1", "Agentliyə işə qəbul, vəzifəyə təyin etmə və işdən azad etmə ilə "
     "bağlı sənədləri hazırlayır;"),
    ("DEPT-HR", "3.1.2", "işçilərin məzuniyyət cədvəlini tərtib edir və əmək kitabçalarını "
     "aparır;"),
]  # fmt: skip

REGISTER = """
mutation($i: RegisterAppealInput!) { registerAppeal(input: $i) {
  appeal { documentId suggestedUnits(first: 2) { code name clauses { key number snippet } } }
  userErrors { field code } } }"""


@pytest.fixture(scope="module")
async def world(
    migrated_platform: Platform, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[World]:
    world = await make_world(migrated_platform, settings, tmp_path_factory.mktemp("appeal-keys"))
    await migrated_platform.db.write(
        """
        CREATE (:AsanCentre {code: 'ASAN-1', name: 'Bakı 1 nömrəli ASAN xidmət mərkəzi',
                nameFold: 'bakı 1 nömrəli asan xidmət mərkəzi', region: 'Bakı',
                address: 'Ünvan', hours: '09:00-19:00'})
        WITH 1 AS _
        UNWIND $clauses AS c
        MATCH (u:OrgUnit {code: c.unit})
        CREATE (:Clause {key: 'REG-' + c.unit + ':' + c.number, number: c.number, section: 3,
                         text: c.text, current: true})-[:CONCERNS]->(u)
        """,
        {"clauses": [{"unit": u, "number": n, "text": t} for u, n, t in CLAUSES]},
    )
    CACHE.forget()  # this graph's clauses, not an earlier module's
    yield world
    CACHE.forget()
    await world.client.aclose()


def appeal(subject: str, summary: str | None = None) -> dict[str, Any]:
    return {
        "appealType": "APPLICATION",
        "channel": "ASAN_CENTRE",
        "centre": "ASAN-1",
        "unit": "DEPT-IT",
        "applicant": {"name": "Leyla Məmmədova", "contact": "+994 50 111-22-33"},
        "subject": subject,
        **({"summary": summary} if summary else {}),
    }


async def test_the_registration_payload_names_the_competent_unit_and_its_clauses(
    world: World,
) -> None:
    data = await world.gql(
        "registrar",
        REGISTER,
        {"i": appeal("Ise qebul haqqinda", "Agentliye ise qebul ucun senedleri hara verim?")},
    )
    payload = data["registerAppeal"]
    assert payload["userErrors"] == []
    units = payload["appeal"]["suggestedUnits"]
    assert units[0]["code"] == "DEPT-HR"
    assert units[0]["clauses"][0]["key"] == "REG-DEPT-HR:3.1.1"
    assert "işə qəbul" in units[0]["clauses"][0]["snippet"]


async def test_the_summary_counts_too(world: World) -> None:
    data = await world.gql(
        "registrar",
        REGISTER,
        {"i": appeal("Müraciət", "Elektron xidmətlər portalı və serverlər işləmir")},
    )
    units = data["registerAppeal"]["appeal"]["suggestedUnits"]
    assert [u["code"] for u in units][:1] == ["DEPT-IT"]
