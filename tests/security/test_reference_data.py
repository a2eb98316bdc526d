"""Issue 7, item 2: a body's editor cannot rename shared documents, outputs or legal acts.

The attack: a DIN editor creating its own draft with requirement code ``ID-CARD`` and another
name renamed the document shown on other bodies' published services. Now names of an existing
entry change only through its owner body or the registry's reviewers, versioned and audited.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from asan.auth.principal import SYSTEM, Principal
from asan.core.errors import Forbidden, ValidationFailed
from asan.core.platform import Platform
from asan.graphql.context import Context
from asan.graphql.schema import schema
from asan.registry.catalog import reference, reference_repo
from asan.registry.catalog import repository as repo
from asan.registry.catalog import service as catalog
from asan.registry.catalog.models import (
    CategoryInput,
    Evidence,
    LegalBasis,
    Output,
    ReferenceBatch,
    ServiceInput,
)
from tests.registry.catalog_support import (
    EDITOR_ASAN,
    EDITOR_DIN,
    REVIEWER,
    build_registry,
    passport_service,
)

ID_NAME = "Şəxsiyyət vəsiqəsi"


def asan_service(code: str) -> ServiceInput:
    return ServiceInput(
        code=code,
        name_az=f"ASAN xidməti {code}",
        provider="ASAN",
        requirements=(Evidence("ID-CARD", ID_NAME, "Identity card"),),
        outputs=(Output("CERT", "Arayış", "Certificate"),),
        legal_basis=(LegalBasis("LAW-ASAN", "ASAN xidmət haqqında Fərman"),),
    )


@pytest.fixture
async def published(clean_platform: Platform) -> Platform:
    """ASAN publishes two services that show document ID-CARD (ASAN proposed it: its owner)."""
    p = clean_platform
    await build_registry(p)
    await catalog.upsert_services(
        p, SYSTEM, [asan_service("ASAN-1"), asan_service("ASAN-2")], initial_status="published"
    )
    return p


async def shown_document(p: Platform, service: str) -> Evidence:
    docs = await repo.requirements_by_service(p.db, [service])
    return docs[service][0]


async def audit_events(p: Platform, action: str) -> list[dict[str, Any]]:
    rows = await p.db.read(
        "MATCH (e:AuditEvent {action: $action}) RETURN e {.*} AS e ORDER BY e.seq",
        {"action": action},
    )
    return [row["e"] for row in rows]


async def test_a_body_editor_cannot_rename_a_shared_document(published: Platform) -> None:
    p = published
    attack = passport_service(
        "DIN-ATTACK", requirements=(Evidence("ID-CARD", "Saxta sənəd", "Forged document"),)
    )
    with pytest.raises(ValidationFailed) as refused:
        await catalog.create_service(p, EDITOR_DIN, attack)
    [error] = refused.value.errors
    assert error.field == "requirements[0].nameAz"
    assert error.code == reference.SHARED_REFERENCE
    assert "shared registry entry" in error.message
    for code in ("ASAN-1", "ASAN-2"):
        shown = await shown_document(p, code)
        assert (shown.name_az, shown.name_en) == (ID_NAME, "Identity card")
    # nothing was written: no draft, no version of the entry
    assert await repo.stored_services(p.db, ["DIN-ATTACK"]) == {}
    entry = (await reference_repo.entries(p.db, "EVIDENCE", ["ID-CARD"]))["ID-CARD"]
    assert entry.version == 1 and entry.owner == "ASAN" and entry.uses == 2


async def test_other_outputs_and_legal_acts_are_protected_too(published: Platform) -> None:
    p = published
    with pytest.raises(ValidationFailed) as refused:
        await catalog.create_service(
            p,
            EDITOR_DIN,
            passport_service(
                "DIN-ATTACK-2",
                outputs=(Output("CERT", "Başqa ad"),),
                legal_basis=(LegalBasis("LAW-ASAN", "Başqa akt"),),
            ),
        )
    fields = {e.field: e.code for e in refused.value.errors}
    assert fields == {
        "outputs[0].nameAz": "SHARED_REFERENCE",
        "legalBasis[0].title": "SHARED_REFERENCE",
    }
    acts = await reference_repo.entries(p.db, "LEGAL_ACT", ["LAW-ASAN"])
    assert acts["LAW-ASAN"].values["title"] == "ASAN xidmət haqqında Fərman"


async def test_referencing_with_the_registered_name_links_without_changing_it(
    published: Platform,
) -> None:
    p = published
    # nameEn left empty: the registered one is taken, not blanked
    service = passport_service("DIN-OK", requirements=(Evidence("ID-CARD", ID_NAME),))
    await catalog.create_service(p, EDITOR_DIN, service)
    stored = (await repo.stored_services(p.db, ["DIN-OK"]))["DIN-OK"]
    assert stored.content.requirements[0].name_en == "Identity card"
    entry = (await reference_repo.entries(p.db, "EVIDENCE", ["ID-CARD"]))["ID-CARD"]
    assert (entry.version, entry.owner, entry.uses) == (1, "ASAN", 3)


async def test_a_new_code_is_proposed_and_owned_by_the_body(published: Platform) -> None:
    p = published
    await catalog.create_service(
        p,
        EDITOR_DIN,
        passport_service("DIN-NEW", requirements=(Evidence("DIN-FORM", "DİN ərizə forması"),)),
    )
    entry = (await reference_repo.entries(p.db, "EVIDENCE", ["DIN-FORM"]))["DIN-FORM"]
    assert (entry.owner, entry.version) == ("DIN", 1)
    [first] = await reference_repo.versions(p.db, "EVIDENCE", "DIN-FORM")
    assert first.actor == EDITOR_DIN.subject
    assert first.changes == {"nameAz": {"from": None, "to": "DİN ərizə forması"}}


async def test_two_services_of_one_batch_cannot_propose_one_code_twice(
    published: Platform,
) -> None:
    p = published
    a = passport_service("DIN-A", requirements=(Evidence("NEW-DOC", "Bir ad"),))
    b = passport_service("DIN-B", requirements=(Evidence("NEW-DOC", "Başqa ad"),))
    with pytest.raises(ValidationFailed) as refused:
        await catalog.upsert_services(p, EDITOR_DIN, [a, b])
    assert [e.field for e in refused.value.errors] == ["services[1].requirements[0].nameAz"]


async def test_the_reviewer_renames_with_a_version_and_an_audit_event(
    published: Platform,
) -> None:
    p = published
    entry = await reference.update_reference_entry(
        p, REVIEWER, "EVIDENCE", "ID-CARD", {"nameAz": "Şəxsiyyət vəsiqəsi (ID kart)"}
    )
    assert entry.version == 2
    for code in ("ASAN-1", "ASAN-2"):
        assert (await shown_document(p, code)).name_az == "Şəxsiyyət vəsiqəsi (ID kart)"
    latest, first = await reference_repo.versions(p.db, "EVIDENCE", "ID-CARD")
    assert (latest.number, first.number) == (2, 1)
    assert latest.actor == REVIEWER.subject
    assert latest.changes == {"nameAz": {"from": ID_NAME, "to": "Şəxsiyyət vəsiqəsi (ID kart)"}}
    [event] = await audit_events(p, reference.UPDATE_ACTION)
    assert event["outcome"] == "allowed" and event["targetId"] == "ID-CARD"
    details = json.loads(event["details"])
    assert details["services"] == 2 and details["version"] == 2
    # the same names again: no new version
    again = await reference.update_reference_entry(
        p, REVIEWER, "EVIDENCE", "ID-CARD", {"nameAz": "Şəxsiyyət vəsiqəsi (ID kart)"}
    )
    assert again.version == 2


async def test_only_the_owner_body_or_reviewers_may_rename(published: Platform) -> None:
    p = published
    with pytest.raises(Forbidden):
        await reference.update_reference_entry(
            p, EDITOR_DIN, "EVIDENCE", "ID-CARD", {"nameAz": "Saxta"}
        )
    [refusal] = await audit_events(p, reference.UPDATE_ACTION)
    assert refusal["outcome"] == "refused"
    assert (await shown_document(p, "ASAN-1")).name_az == ID_NAME
    owned = await reference.update_reference_entry(
        p, EDITOR_ASAN, "OUTPUT", "CERT", {"nameEn": "Certificate of service"}
    )
    assert owned.values["nameEn"] == "Certificate of service" and owned.version == 2
    # categories are the registry's own: no body editor renames them
    with pytest.raises(Forbidden):
        await reference.update_reference_entry(
            p, EDITOR_DIN, "CATEGORY", "IDENTITY", {"nameAz": "Saxta"}
        )


async def test_rename_input_is_validated(published: Platform) -> None:
    p = published
    with pytest.raises(ValidationFailed) as bad:
        await reference.update_reference_entry(
            p, REVIEWER, "EVIDENCE", "ID-CARD", {"nameAz": "Ad\u202eadı", "title": "x"}
        )
    assert {e.field for e in bad.value.errors} == {"nameAz", "title"}


async def test_batch_category_renames_are_versioned(published: Platform) -> None:
    p = published
    await catalog.upsert_reference_data(
        p, SYSTEM, ReferenceBatch(categories=(CategoryInput("IDENTITY", "Şəxsiyyət sənədləri"),))
    )
    versions = await reference_repo.versions(p.db, "CATEGORY", "IDENTITY")
    assert [v.number for v in versions] == [2, 1]
    assert versions[0].changes == {"nameAz": {"from": "Şəxsiyyət", "to": "Şəxsiyyət sənədləri"}}


UPDATE_ENTRY = """
mutation($input: UpdateReferenceEntryInput!) {
  updateReferenceEntry(input: $input) {
    entry { kind code nameAz nameEn owner version usedBy }
    userErrors { field message code }
  }
}"""

CREATE_SERVICE = """
mutation($input: CreateServiceInput!) {
  createService(input: $input) {
    service { code }
    userErrors { field message code }
  }
}"""


async def execute(p: Platform, query: str, principal: Principal, **variables: Any) -> Any:
    result = await schema.execute(
        query, variable_values=variables, context_value=Context(platform=p, principal=principal)
    )
    assert result.errors is None, result.errors
    return result.data


async def test_over_graphql(published: Platform) -> None:
    p = published
    data = await execute(
        p,
        CREATE_SERVICE,
        EDITOR_DIN,
        input={
            "code": "DIN-GQL",
            "nameAz": "Sınaq",
            "provider": "DIN",
            "requirements": [{"code": "ID-CARD", "nameAz": "Saxta sənəd"}],
        },
    )
    assert data["createService"]["service"] is None
    assert data["createService"]["userErrors"][0]["code"] == "SHARED_REFERENCE"
    data = await execute(
        p,
        UPDATE_ENTRY,
        REVIEWER,
        input={"kind": "EVIDENCE", "code": "ID-CARD", "nameAz": "Şəxsiyyət vəsiqəsi (yeni)"},
    )
    assert data["updateReferenceEntry"]["entry"] == {
        "kind": "EVIDENCE",
        "code": "ID-CARD",
        "nameAz": "Şəxsiyyət vəsiqəsi (yeni)",
        "nameEn": "Identity card",
        "owner": "ASAN",
        "version": 2,
        "usedBy": 2,
    }
