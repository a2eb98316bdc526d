"""The dispatch pages signed in through the form, against the real app, Neo4j and MinIO with the
EDMS test world: a mailing list with a bad line shows each problem next to its field in the
page's language; a good list is saved once however often the form is sent, a form rendered
from an older list is refused with 409; a signed letter is dispatched and shows in the
register (and its CSV); outcomes are recorded, a second one is 409; a user of another unit
sees nothing and changes nothing; a certified copy is made and downloaded."""

from __future__ import annotations

import hashlib
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.edms.copies import making
from asan.edms.copies.models import CertifiedCopy
from asan.edms.copies.reads import copies_of
from asan.edms.dispatch import reads
from asan.web.i18n import translate
from tests.edms.conftest import World, make_world
from tests.edms.dispatch_support import signed_document
from tests.web.session_support import browser, csrf_of, sign_in

STAMP = re.compile(r'name="list_stamp" value="([^"]+)"')
MUTATION_ID = re.compile(r'name="client_mutation_id" value="([^"]+)"')


@dataclass
class Case:
    world: World
    document: str
    number: str


@pytest.fixture(scope="module")
async def case(
    migrated_platform: Platform, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Case]:
    world = await make_world(migrated_platform, settings, tmp_path_factory.mktemp("web-dispatch"))
    document, number = await signed_document(world, "Vergi uçotu haqqında cavab məktubu")
    yield Case(world, document, number)
    await making.close_pool()
    await world.client.aclose()


async def made_copies(case: Case) -> list[CertifiedCopy]:
    return await copies_of(case.world.platform, case.world.principal("registrar"), case.document)


def lines_form(lines: list[dict[str, str]]) -> dict[str, str]:
    data: dict[str, str] = {}
    for i, line in enumerate([*lines, {}]):  # an empty line, as the page has, is ignored
        for name in ("kind", "addressee", "method", "address", "email"):
            data[f"{name}-{i}"] = line.get(name, "")
    return data


async def page_form(client: httpx.AsyncClient, url: str) -> dict[str, str]:
    """The hidden fields of the page's first form: CSRF, client mutation id, list stamp."""
    page = await client.get(url)
    assert page.status_code == 200, page.text[:500]
    fields = {"csrf_token": csrf_of(page.text)}
    if found := MUTATION_ID.search(page.text):
        fields["client_mutation_id"] = found.group(1)
    if found := STAMP.search(page.text):
        fields["list_stamp"] = found.group(1)
    return fields


GOOD = [
    {
        "kind": "state_body",
        "addressee": "MIN-JUSTICE",
        "method": "post",
        "address": "Bakı, İnşaatçılar pr. 1",
    },
    {"kind": "person", "addressee": "Əli Həsənov", "method": "email", "email": "ali@example.az"},
]


async def test_a_bad_line_shows_each_problem_next_to_its_field(case: Case) -> None:
    bad = [
        {"kind": "person", "addressee": "Vəli", "method": "system"},  # persons have no system
        {"kind": "person", "addressee": "Vəli", "method": "email", "email": "not-an-address"},
    ]
    url = f"/documents/{case.document}/dispatch"
    for lang, word in (("az", "e-poçt ünvanı"), ("en", "a valid e-mail address")):
        async with browser(case.world) as client:
            await sign_in(client, "registrar", lang=lang)
            hidden = await page_form(client, f"/{lang}{url}")
            got = await client.post(f"/{lang}{url}/list", data={**hidden, **lines_form(bad)})
        assert got.status_code == 400
        html = got.text
        assert 'id="method-0" name="method-0"' in html
        assert 'aria-describedby="method-0-error"' in html
        email_error = re.search(r'id="email-1-error">([^<]+)<', html)
        assert email_error is not None and word in email_error.group(1)
        assert 'value="not-an-address"' in html  # what was typed stays
    assert (
        await reads.dispatch_register(
            case.world.platform, case.world.principal("registrar"), case.document
        )
        == []
    )


async def test_the_list_is_saved_once_and_an_older_form_is_refused(case: Case) -> None:
    url = f"/en/documents/{case.document}/dispatch"
    async with browser(case.world) as client:
        await sign_in(client, "registrar")
        hidden = await page_form(client, url)
        form = {**hidden, **lines_form(GOOD)}
        first = await client.post(f"{url}/list", data=form)
        again = await client.post(f"{url}/list", data=form)  # a double submit
        assert first.status_code == 303 and again.status_code == 303
        page = await client.get(url)
        assert 'value="Əli Həsənov"' in page.text
        # the same old form, changed: the list is no longer what it was rendered from
        changed = {**form, "client_mutation_id": "another", "addressee-1": "Vəli Quliyev"}
        stale = await client.post(f"{url}/list", data=changed)
    assert stale.status_code == 409
    assert translate("en", "dispatch.error.stale") in stale.text
    entries = await reads.dispatch_register(
        case.world.platform, case.world.principal("registrar"), case.document
    )
    assert [e.name or e.state_body for e in entries] == ["MIN-JUSTICE", "Əli Həsənov"]


async def test_dispatch_register_outcomes_and_refusals(case: Case) -> None:
    url = f"/en/documents/{case.document}/dispatch"
    async with browser(case.world) as outsider:
        await sign_in(outsider, "outsider")
        assert (await outsider.get(url)).status_code == 404
        token = csrf_of((await outsider.get("/en/dispatch")).text)
        refused = await outsider.post(f"{url}/send", data={"csrf_token": token})
        assert refused.status_code == 404
        assert case.number not in (await outsider.get("/en/dispatch")).text
    async with browser(case.world) as client:
        await sign_in(client, "registrar")
        overview = await client.get("/en/dispatch")
        assert f'href="/en/documents/{case.document}/dispatch"' in overview.text  # ready
        hidden = await page_form(client, url)
        sent = await client.post(f"{url}/send", data=hidden)
        assert sent.status_code == 303
        again = await client.post(f"{url}/send", data=hidden)  # the same form: done once
        assert again.status_code == 303
        other = await client.post(f"{url}/send", data={**hidden, "client_mutation_id": "x2"})
        assert other.status_code == 409
        assert translate("en", "dispatch.error.stale") in other.text

        register = await client.get("/en/dispatch?method=post")
        assert case.number in register.text and "MIN-JUSTICE" in register.text
        assert "Əli Həsənov" not in register.text  # e-mail filtered out
        csv = await client.get("/en/dispatch/register.csv")
        assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
        assert case.number in csv.text and "Əli Həsənov" in csv.text

        entries = await reads.dispatch_register(
            case.world.platform, case.world.principal("registrar"), case.document
        )
        post = next(e for e in entries if e.state_body == "MIN-JUSTICE")
        outcome_url = f"/en/dispatch/entries/{post.id}/outcome"
        base: dict[str, Any] = {"csrf_token": hidden["csrf_token"], "document_id": case.document}
        no_reason = await client.post(
            outcome_url, data={**base, "outcome": "returned", "client_mutation_id": "o1"}
        )
        assert no_reason.status_code == 400
        assert f'aria-describedby="reason-{post.id}-error"' in no_reason.text
        assert translate("en", "dispatch.error.reason") in no_reason.text
        returned = await client.post(
            outcome_url,
            data={
                **base,
                "outcome": "returned",
                "reason": "Ünvan tapılmadı",
                "client_mutation_id": "o2",
            },
        )
        assert returned.status_code == 303
        late = await client.post(
            outcome_url, data={**base, "outcome": "delivered", "client_mutation_id": "o3"}
        )
        assert late.status_code == 409
        page = await client.get(url)
        assert "Ünvan tapılmadı" in page.text
    entry = await reads.entry(case.world.platform, case.world.principal("registrar"), post.id)
    assert entry.status == "returned" and entry.reason == "Ünvan tapılmadı"


async def test_a_certified_copy_is_made_and_downloaded(case: Case) -> None:
    async with browser(case.world) as client:
        await sign_in(client, "registrar", lang="az")
        found = await client.get("/az/copies", params={"q": case.number})
        assert found.status_code == 200 and case.number in found.text
        form = re.search(
            r'action="/az/copies/certify".*?name="csrf_token" value="([^"]+)".*?'
            r'name="client_mutation_id" value="([^"]+)".*?name="file_id" value="([^"]+)"',
            found.text,
            re.S,
        )
        assert form is not None
        token, mutation_id, file_id = form.groups()
        data = {
            "csrf_token": token,
            "client_mutation_id": mutation_id,
            "document_id": case.document,
            "file_id": file_id,
        }
        made = await client.post("/az/copies/certify", data=data)
        assert made.status_code == 303
        twice = await client.post("/az/copies/certify", data=data)
        assert twice.headers["location"] == made.headers["location"]  # one copy
        page = await client.get(made.headers["location"])
        code = re.search(r"SC-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", page.text)
        assert code is not None
        link = re.search(
            r'href="(/edms/files/[^"]+/content)" download>Surət ' + code.group(0), page.text
        )
        assert link is not None, page.text
        got = await client.get(link.group(1))
    assert got.status_code == 200 and got.content.startswith(b"%PDF")
    copies = await made_copies(case)
    assert [c.code for c in copies] == [code.group(0)]
    assert copies[0].copy_sha256 == hashlib.sha256(got.content).hexdigest()

    async with browser(case.world) as anyone:  # not signed in: checking a copy is public
        typed = code.group(0).lower().replace("-", " ")
        checked = await anyone.get("/az/copies/verify", params={"code": typed})
        unknown = await anyone.get("/en/copies/verify", params={"code": "SC-AAAA-BBBB-CCCC-DDDD"})
    assert checked.status_code == 200
    assert translate("az", "dispatch.verify.valid") in checked.text
    assert case.number in checked.text and code.group(0) in checked.text
    assert "Vergi uçotu" not in checked.text  # never the document's subject
    assert unknown.status_code == 404
    assert translate("en", "dispatch.verify.invalid") in unknown.text
    assert "no such certified copy" in unknown.text

    async with browser(case.world) as outsider:
        await sign_in(outsider, "outsider")
        hidden = await outsider.get("/en/copies", params={"document": case.document})
        assert case.number not in hidden.text
        refused = await outsider.post(
            "/en/copies/certify", data={**data, "csrf_token": csrf_of(hidden.text)}
        )
        assert refused.status_code in (403, 404)
    assert len(await made_copies(case)) == 1
