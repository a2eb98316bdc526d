"""Registry work pages against the real app and Neo4j, signed in through the form: a body's
editor creates, saves and submits a draft; refused input is shown next to its field in the
page's language; a change request's diff reaches the reviewer, goes back with defects that the
body sees next to the fields, is fixed, resubmitted and approved; stale forms and decisions are
answered 409; another body's editor is refused."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from asan.app import create_app
from asan.auth.accounts import create_user
from asan.auth.keys import KeyStore
from asan.auth.models import NewUser
from asan.auth.principal import SYSTEM
from asan.auth.service import AuthService
from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.registry.catalog import service as catalog
from asan.registry.catalog.models import LegalBasis, ServicePatch, StoredService
from asan.registry.catalog.services import reads as service_reads
from asan.web.i18n import translate
from tests.conftest import reset_graph
from tests.registry.catalog_support import EDITOR_DIN, REVIEWER, build_registry, passport_service
from tests.web.session_support import csrf_of

PASSWORD = "registry pages 2026"
USERS = (
    ("editor.din", frozenset({"state_body_editor"}), "DIN"),
    ("editor.asan", frozenset({"state_body_editor"}), "ASAN"),
    ("editor.dmx", frozenset({"state_body_editor"}), "DMX"),
    ("reviewer", frozenset({"registry_reviewer"}), None),
)
REQUEST_URL = re.compile(r"/(?:az|en|ru)/registry/requests/([0-9a-f]+)$")


@dataclass
class Site:
    platform: Platform
    app: Starlette


async def _published(p: Platform, code: str) -> None:
    await catalog.create_service(p, EDITOR_DIN, passport_service(code))
    request = await catalog.submit_service(p, EDITOR_DIN, code)
    await catalog.register_request(p, REVIEWER, request.id)


@pytest.fixture(scope="module")
async def site(
    migrated_platform: Platform, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Site]:
    p = migrated_platform
    await reset_graph(p)
    await build_registry(p)
    for code in ("DIN-001", "DIN-002"):
        await _published(p, code)
    for username, roles, body in USERS:
        await create_user(p, SYSTEM, NewUser(username, username.title(), PASSWORD, roles, body))
    keys: Path = tmp_path_factory.mktemp("web-registry")
    auth_settings = settings.model_copy(update={"data_dir": keys})
    auth = AuthService(
        auth_settings, KeyStore.open(auth_settings.data_path, auth_settings.auth_algorithm)
    )
    app = create_app(auth_settings, p, auth)
    app.state.platform = p  # ASGITransport does not run the lifespan
    yield Site(p, app)


@asynccontextmanager
async def signed_in(site: Site, username: str) -> AsyncIterator[httpx.AsyncClient]:
    """A browser-like https client (keeps cookies, no redirects) signed in through the form."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=site.app, client=("127.0.0.1", 50000)),
        base_url="https://asan.test",
    ) as client:
        page = await client.get("/en/signin")
        answer = await client.post(
            "/en/signin",
            data={"username": username, "password": PASSWORD, "csrf_token": csrf_of(page.text)},
        )
        assert answer.status_code == 303, answer.text
        yield client


def form_of(html: str, action: str) -> dict[str, str]:
    """The hidden fields of the form posting to ``action`` (CSRF token, mutation id, version)."""
    start = html.index(f'action="{action}"')
    end = html.index("</form>", start)
    return dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', html[start:end]))


DRAFT = {
    "nameAz": "Sürücülük vəsiqəsinin dəyişdirilməsi",
    "nameEn": "Replacing a driving licence",
    "nameRu": "",
    "descriptionAz": "Köhnə vəsiqə yenisi ilə əvəz olunur.",
    "descriptionEn": "",
    "descriptionRu": "",
    "processingDays": "5",
    "feeAmount": "10.00",
    "feeExemptions": "Əlillər",
    "onlineUrl": "",
    "channels": "ASAN_CENTRE",
    "legalBasis": "LAW-ROAD | Yol hərəkəti haqqında Qanun | 12, 13",
    "requirements": "OLD-LICENCE | Köhnə sürücülük vəsiqəsi | Old licence\n"
    "PHOTO | Fotoşəkil | Photo | | 3x4",
}


async def stored(site: Site, code: str) -> StoredService:
    found = (await service_reads.stored_services(site.platform.db, [code]))[code]
    return found


async def test_a_body_editor_creates_saves_and_submits_a_draft(site: Site) -> None:
    async with signed_in(site, "editor.din") as client:
        page = await client.get("/az/registry/services/new")
        assert page.status_code == 200
        hidden = form_of(page.text, "/az/registry/services/new")
        created = await client.post(
            "/az/registry/services/new",
            data={**hidden, **DRAFT, "code": "DIN-050", "provider": "DIN"},
        )
        assert created.status_code == 303, created.text
        assert created.headers["location"] == "/az/registry/services/DIN-050/edit"
        first = await stored(site, "DIN-050")
        assert first.status == "draft"
        assert [e.code for e in first.content.requirements] == ["OLD-LICENCE", "PHOTO"]
        assert first.content.requirements[1].condition == "3x4"
        assert first.content.legal_basis[0].articles == ("12", "13")

        edit = await client.get("/az/registry/services/DIN-050/edit")
        assert 'value="10.00"' in edit.text and "OLD-LICENCE | Köhnə sürücülük" in edit.text
        hidden = form_of(edit.text, "/az/registry/services/DIN-050/edit")
        changed = {**hidden, **DRAFT, "feeAmount": "12.50"}
        saved = await client.post("/az/registry/services/DIN-050/edit", data=changed)
        assert saved.status_code == 303, saved.text
        # the same form sent again (same client mutation id): saved once, not twice
        again = await client.post("/az/registry/services/DIN-050/edit", data=changed)
        assert again.status_code in (303, 409)
        after = await stored(site, "DIN-050")
        assert after.content.fee_amount == Decimal("12.50")
        assert after.version == first.version + 1

        edit = await client.get("/az/registry/services/DIN-050/edit")
        submitted = await client.post(
            "/az/registry/services/DIN-050/submit",
            data=form_of(edit.text, "/az/registry/services/DIN-050/submit"),
        )
        assert submitted.status_code == 303, submitted.text
        found = REQUEST_URL.search(submitted.headers["location"])
        assert found is not None
        assert (await stored(site, "DIN-050")).status == "under_review"

        home = await client.get("/az/registry")
    assert home.status_code == 200
    row = home.text[home.text.index(f'data-request="{found.group(1)}"') :]
    row = row[: row.index("</tr>")]
    assert "Sürücülük vəsiqəsinin dəyişdirilməsi" in row
    assert "deadline-" in row and "gün qalıb" in row  # the review deadline, in words too


async def test_refused_input_is_shown_next_to_its_field_in_the_pages_language(
    site: Site,
) -> None:
    async with signed_in(site, "editor.din") as client:
        page = await client.get("/az/registry/services/new")
        hidden = form_of(page.text, "/az/registry/services/new")
        bad = await client.post(
            "/az/registry/services/new",
            data={**hidden, **DRAFT, "code": "DIN-060", "provider": "DIN", "feeAmount": "on"},
        )
        assert bad.status_code == 400
        assert 'id="f-feeAmount-error"' in bad.text
        assert translate("az", "registry.error.amount") in bad.text
        assert 'value="DIN-060"' in bad.text  # what was typed stays

        russian = await client.get("/ru/registry/services/new")
        assert translate("ru", "registry.field.feeAmount") in russian.text
        assert '<html lang="ru">' in russian.text

        page = await client.get("/en/registry/services/new")
        hidden = form_of(page.text, "/en/registry/services/new")
        bad = await client.post(
            "/en/registry/services/new",
            data={
                **hidden,
                **DRAFT,
                "code": "DIN-061",
                "provider": "DIN",
                "nameAz": "",
                "channels": "ONLINE",
            },
        )
    assert bad.status_code == 400
    html = bad.text
    name_error = html[html.index('id="f-nameAz-error"') :]
    assert "must not be empty" in name_error[: name_error.index("</p>")]
    url_error = html[html.index('id="f-onlineUrl-error"') :]
    assert "ONLINE channel needs its URL" in url_error[: url_error.index("</p>")]
    assert "kanalı üçün" not in html  # the English half only
    assert "DIN-061" not in (await service_reads.stored_services(site.platform.db, ["DIN-061"]))


async def _propose(client: httpx.AsyncClient, code: str, **values: str) -> httpx.Response:
    edit = await client.get(f"/en/registry/services/{code}/edit")
    assert edit.status_code == 200, edit.text
    current = dict(
        re.findall(r'<input id="f-(\w+)" name="\1" type="\w+" value="([^"]*)"', edit.text)
    )
    texts = dict(re.findall(r'<textarea id="f-(\w+)" name="\1"[^>]*>([^<]*)</textarea>', edit.text))
    channels = re.findall(r'name="channels" value="(\w+)" checked', edit.text)
    data: dict[str, str | list[str]] = {
        **current,
        **texts,
        **form_of(edit.text, f"/en/registry/services/{code}/edit"),
        "channels": channels,
    }
    data.update(values)
    return await client.post(f"/en/registry/services/{code}/edit", data=data)


async def test_a_change_request_is_diffed_returned_fixed_and_approved(site: Site) -> None:
    async with signed_in(site, "editor.din") as editor, signed_in(site, "reviewer") as reviewer:
        proposed = await _propose(
            editor,
            "DIN-001",
            feeAmount="7.50",
            summary="Rüsum artır",
            requirements="BIRTH-CERT | Doğum haqqında şəhadətnamə | Birth certificate\n"
            "PHOTO | Fotoşəkil | Photo | | 15 yaşdan yuxarı / over 15\n"
            "FEE-RECEIPT | Dövlət rüsumu qəbzi | Fee receipt\n"
            "MED-CERT | Tibbi arayış | Medical certificate",
        )
        assert proposed.status_code == 303, proposed.text
        found = REQUEST_URL.search(proposed.headers["location"])
        assert found is not None
        url = f"/en/registry/requests/{found.group(1)}"

        page = await reviewer.get(url)
        assert page.status_code == 200
        fee = page.text[page.text.index('data-field="feeAmount"') :]
        fee = fee[: fee.index("</tr>")]
        assert "Fee (AZN)" in fee and "5.00" in fee and "7.50" in fee
        docs = page.text[page.text.index('data-field="requirements"') :]
        docs = docs[: docs.index("</tr>")]
        assert "added: MED-CERT · Tibbi arayış · Medical certificate" in docs
        assert 'data-field="nameAz"' not in page.text  # unchanged fields are not listed
        assert (await stored(site, "DIN-001")).content.fee_amount == Decimal("5.00")

        returned = await reviewer.post(
            f"{url}/return",
            data={
                **form_of(page.text, f"{url}/return"),
                "defect_field_1": "feeAmount",
                "defect_text_1": "The fee increase has no legal basis",
                "defect_field_2": "",
                "defect_text_2": "",
                "defect_field_3": "",
                "defect_text_3": "",
            },
        )
        assert returned.status_code == 303, returned.text

        edit = await editor.get("/en/registry/services/DIN-001/edit")
        notes = edit.text[edit.text.index('id="f-feeAmount-defects"') :]
        assert "The fee increase has no legal basis" in notes[: notes.index("</ul>")]
        assert 'value="7.50"' in edit.text  # the returned proposal is what is being fixed
        home = await editor.get("/en/registry")
        assert "The fee increase has no legal basis" in home.text

        fixed = await _propose(editor, "DIN-001", feeAmount="6.00")
        assert fixed.status_code == 303, fixed.text
        assert fixed.headers["location"].endswith(found.group(1))  # resubmitted: same request

        page = await reviewer.get(url)
        assert "6.00" in page.text
        decision = form_of(page.text, f"{url}/approve")
        before = (await stored(site, "DIN-001")).version
        approved = await reviewer.post(f"{url}/approve", data=decision)
        assert approved.status_code == 303, approved.text
        # sent twice (a double click): the first answer again, registered once
        twice = await reviewer.post(f"{url}/approve", data=decision)
        assert twice.status_code == 303, twice.text
        done = await reviewer.get(url)
    assert 'data-status="registered"' in done.text
    service = await stored(site, "DIN-001")
    assert service.version == before + 1  # applied once
    assert service.content.fee_amount == Decimal("6.00")
    assert "MED-CERT" in [e.code for e in service.content.requirements]


async def test_stale_forms_and_decisions_are_answered_409(site: Site) -> None:
    async with signed_in(site, "editor.din") as editor, signed_in(site, "reviewer") as reviewer:
        proposed = await _propose(editor, "DIN-002", feeAmount="9.00")
        assert proposed.status_code == 303, proposed.text
        url = proposed.headers["location"].replace("https://asan.test", "")
        page = await reviewer.get(url)
        # the service changes after the request was made (a reviewer's direct correction)
        await catalog.update_service(
            site.platform, REVIEWER, ServicePatch(code="DIN-002", processing_days=3)
        )
        stale = await reviewer.post(f"{url}/approve", data=form_of(page.text, f"{url}/approve"))
        assert stale.status_code == 409
        assert "changed after the request was made" in stale.text
        assert (await stored(site, "DIN-002")).content.fee_amount == Decimal("5.00")

        returned = await reviewer.post(
            f"{url}/return",
            data={**form_of(page.text, f"{url}/return"), "defect_text_1": "Made on old data"},
        )
        assert returned.status_code == 303
        # the same page's decision again: already decided
        late = await reviewer.post(f"{url}/approve", data=form_of(page.text, f"{url}/approve"))
        assert late.status_code == 409

        # a draft form opened before someone saved it: not written over
        await catalog.create_service(site.platform, EDITOR_DIN, passport_service("DIN-070"))
        edit = await editor.get("/en/registry/services/DIN-070/edit")
        await catalog.update_service(
            site.platform, EDITOR_DIN, ServicePatch(code="DIN-070", processing_days=20)
        )
        old = await _propose_from(editor, edit.text, "DIN-070", feeAmount="1.00")
    assert old.status_code == 409
    assert translate("en", "registry.error.stale") in old.text
    assert (await stored(site, "DIN-070")).content.fee_amount == Decimal("5.00")


async def _propose_from(
    client: httpx.AsyncClient, html: str, code: str, **values: str
) -> httpx.Response:
    data = {**form_of(html, f"/en/registry/services/{code}/edit"), **DRAFT, **values}
    return await client.post(f"/en/registry/services/{code}/edit", data=data)


async def test_another_bodys_editor_is_refused(site: Site) -> None:
    async with signed_in(site, "editor.din") as din, signed_in(site, "editor.asan") as asan:
        await catalog.create_service(site.platform, EDITOR_DIN, passport_service("DIN-080"))
        page = await asan.get("/en/registry/services/DIN-001/edit")
        assert page.status_code == 403
        draft = await asan.get("/en/registry/services/DIN-080/edit")
        assert draft.status_code == 404  # another body's draft is not even visible
        own = await din.get("/en/registry/services/DIN-080/edit")
        assert own.status_code == 200
        hidden = form_of(own.text, "/en/registry/services/DIN-080/edit")
        posted = await asan.post(
            "/en/registry/services/DIN-001/edit",
            data={**hidden, **DRAFT, "csrf_token": csrf_of(page.text), "version": "1"},
        )
        assert posted.status_code == 403
        request = await catalog.submit_service(site.platform, EDITOR_DIN, "DIN-080")
        url = f"/en/registry/requests/{request.id}"
        # ... nor does it see DIN's requests, nor may DIN's editor decide its own
        assert (await asan.get(url)).status_code == 404
        mine = await din.get(url)
        assert mine.status_code == 200 and 'id="approve"' not in mine.text
        forced = await din.post(
            f"{url}/approve", data={"csrf_token": csrf_of(mine.text), "client_mutation_id": "x1"}
        )
        assert forced.status_code == 403
        home = await asan.get("/en/registry")
    assert "DIN-080" not in home.text
    assert (await stored(site, "DIN-001")).content.name_az == passport_service().name_az


async def test_a_body_responsible_for_the_legal_basis_reviews_before_the_agency(
    site: Site,
) -> None:
    law = (LegalBasis("LAW-MIGR", "Miqrasiya Məcəlləsi", ("9",)),)
    await catalog.create_service(
        site.platform, EDITOR_DIN, passport_service("DIN-090", legal_basis=law)
    )
    first = await catalog.submit_service(site.platform, EDITOR_DIN, "DIN-090")
    await catalog.register_request(site.platform, REVIEWER, first.id)
    await catalog.set_responsible_body(site.platform, REVIEWER, "LAW-MIGR", "DMX")
    async with (
        signed_in(site, "editor.din") as din,
        signed_in(site, "editor.dmx") as dmx,
        signed_in(site, "reviewer") as agency,
    ):
        proposed = await _propose(din, "DIN-090", feeAmount="8.00")
        assert proposed.status_code == 303, proposed.text
        url = proposed.headers["location"]
        page = await agency.get(url)
        early = await agency.post(f"{url}/approve", data=form_of(page.text, f"{url}/approve"))
        assert early.status_code == 409
        assert "awaiting the reviews of: DMX" in early.text

        home = await dmx.get("/en/registry")
        queue = home.text[home.text.index('id="reviewing"') :]
        assert f'href="{url}"' in queue
        page = await dmx.get(url)
        assert page.status_code == 200 and f'action="{url}/review"' in page.text
        assert f'action="{url}/approve"' not in page.text  # the agency's decision is not theirs
        reviewed = await dmx.post(f"{url}/review", data=form_of(page.text, f"{url}/review"))
        assert reviewed.status_code == 303, reviewed.text
        assert "DMX · approved" in (await dmx.get(url)).text

        page = await agency.get(url)
        done = await agency.post(f"{url}/approve", data=form_of(page.text, f"{url}/approve"))
        assert done.status_code == 303, done.text
    assert (await stored(site, "DIN-090")).content.fee_amount == Decimal("8.00")


async def test_a_returned_draft_shows_its_defects_by_field_and_is_resubmitted(site: Site) -> None:
    await catalog.create_service(site.platform, EDITOR_DIN, passport_service("DIN-095"))
    sent = await catalog.submit_service(site.platform, EDITOR_DIN, "DIN-095")
    await catalog.return_request(
        site.platform,
        REVIEWER,
        sent.id,
        ["Attach the regulation"],
        field_defects=[("nameEn", "Use the official English name")],
    )
    async with signed_in(site, "editor.din") as client:
        home = await client.get("/az/registry")
        returned = home.text[home.text.index('id="returned"') :]
        assert "Use the official English name" in returned
        assert translate("az", "registry.field.nameEn") in returned
        edit = await client.get("/az/registry/services/DIN-095/edit")
        notes = edit.text[edit.text.index('id="f-nameEn-defects"') :]
        assert "Use the official English name" in notes[: notes.index("</ul>")]
        general = edit.text[edit.text.index('id="defects-heading"') :]
        assert "Attach the regulation" in general[: general.index("</section>")]
        hidden = form_of(edit.text, "/az/registry/services/DIN-095/edit")
        saved = await client.post(
            "/az/registry/services/DIN-095/edit",
            data={**hidden, **DRAFT, "nameEn": "Issuance of identity cards"},
        )
        assert saved.status_code == 303, saved.text
        edit = await client.get("/az/registry/services/DIN-095/edit")
        again = await client.post(
            "/az/registry/services/DIN-095/submit",
            data=form_of(edit.text, "/az/registry/services/DIN-095/submit"),
        )
    assert again.status_code == 303, again.text
    assert again.headers["location"] == f"/az/registry/requests/{sent.id}"  # the same request
    assert (await stored(site, "DIN-095")).content.name_en == "Issuance of identity cards"
    assert (await stored(site, "DIN-095")).status == "under_review"
