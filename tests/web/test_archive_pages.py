"""The archive's pages signed in through the form, against the real app, Neo4j and MinIO with
the EDMS test world and cases built through the archive's use cases: the cases list and its
"due for disposal" filter, a hold placed (a missing reason shown next to the field) and lifted
(lifting it again: 409 "changed meanwhile"), the disposal calendar listing a due case, an act
drawn up from it and its PDF downloaded with the page session; a user without the archive's
rights refused."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from asan.archive.cases.use_cases import list_cases
from asan.archive.disposition.decisions import decide_disposal
from asan.archive.holds.use_cases import list_holds
from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.web.i18n import translate
from tests.archive.support import BuiltCase, build_case
from tests.edms.conftest import World, make_world
from tests.web.session_support import browser, csrf_of, sign_in

YEAR = 2012
TRANSFER_YEAR = 2014


@dataclass
class Archive:
    world: World
    due: BuiltCase  # destruction approved by the commission, due
    held: BuiltCase  # for the hold forms
    handed: BuiltCase  # in its unit's archive, for a transfer inventory


@pytest.fixture(scope="module")
async def archive(
    migrated_platform: Platform, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Archive]:
    world = await make_world(migrated_platform, settings, tmp_path_factory.mktemp("web-arch"))
    due = await build_case(world, year=YEAR, number=1, documents=1, title="Sorğular")
    held = await build_case(world, year=YEAR, number=2, documents=1, title="Şikayətlər")
    handed = await build_case(world, year=TRANSFER_YEAR, number=1, documents=1, title="Əmrlər")
    await decide_disposal(
        world.platform,
        world.principal("admin"),
        due.case_id,
        "destroy",
        extend_years=None,
        reason="Elmi və praktiki dəyəri yoxdur.",
    )
    yield Archive(world, due, held, handed)
    await world.client.aclose()


def _mutation_form(html: str, action: str) -> dict[str, str]:
    """The CSRF token and client mutation id of the form posting to ``action``."""
    for opened in re.finditer(re.escape(f'action="{action}"'), html):
        form = html[opened.start() : html.index("</form>", opened.start())]
        found = re.search(r'name="client_mutation_id" value="([^"]+)"', form)
        if found is not None:  # a GET form (the filters) may have the same action
            return {"csrf_token": csrf_of(form), "client_mutation_id": found.group(1)}
    raise AssertionError(f"no form posting to {action}")


async def test_cases_are_listed_with_their_disposal_dates_and_the_due_filter(
    archive: Archive,
) -> None:
    async with browser(archive.world) as client:
        await sign_in(client, "archivist")
        every = await client.get(f"/en/archive/cases?year={YEAR}")
        due = await client.get("/en/archive/cases?due=1")
        other_year = await client.get(f"/en/archive/cases?year={YEAR + 1}")
    assert every.status_code == 200
    for built in (archive.due, archive.held):
        assert f'href="/en/archive/cases/{built.case_id}"' in every.text
    assert translate("en", "archive.cases.count", n=2) in every.text
    # closed at the end of the year, five years' retention: long due, said in words
    assert due.status_code == 200
    assert archive.due.index in due.text
    assert translate("en", "archive.case.due") in due.text
    assert archive.due.index not in other_year.text


async def test_an_archivist_places_a_hold_and_lifts_it_with_reasons(archive: Archive) -> None:
    case_url = f"/en/archive/cases/{archive.held.case_id}"
    place_url = f"{case_url}/holds"
    async with browser(archive.world) as client:
        await sign_in(client, "archivist")
        page = await client.get(case_url)
        assert page.status_code == 200
        assert translate("en", "archive.holds.none") in page.text
        # no reason: refused, the message next to the reason field, nothing placed
        empty = await client.post(
            place_url, data={**_mutation_form(page.text, place_url), "kind": "litigation"}
        )
        assert empty.status_code == 400
        assert 'aria-describedby="hold-reason-error"' in empty.text
        assert translate("en", "archive.error.required") in empty.text
        reason = "Bakı İnzibati Məhkəməsində iddia № 2-1/77"
        form = {**_mutation_form(page.text, place_url), "kind": "litigation", "reason": reason}
        placed = await client.post(place_url, data=form)
        assert placed.status_code == 303, placed.text
        again = await client.post(place_url, data=form)  # the same form twice: one hold
        assert again.status_code == 303
        page = await client.get(case_url)
        assert reason in page.text
        assert translate("en", "archive.hold.active") in page.text
        holds, total = await list_holds(
            archive.world.platform,
            archive.world.principal("archivist"),
            case_id=archive.held.case_id,
            active=True,
            after=None,
            limit=10,
        )
        assert total == 1
        lift_url = f"/en/archive/holds/{holds[0].id}/lift"
        other_tab = await client.get(case_url)  # the same page open in a second tab
        stale_form = _mutation_form(other_tab.text, lift_url)
        lifted = await client.post(
            lift_url,
            data={
                **_mutation_form(page.text, lift_url),
                "case_id": archive.held.case_id,
                "reason": "İddia geri götürülüb.",
            },
        )
        assert lifted.status_code == 303
        page = await client.get(case_url)
        assert translate("en", "archive.hold.lifted") in page.text
        assert "İddia geri götürülüb." in page.text
        # the tab rendered before the lift sends its form: said, not overwritten
        stale = await client.post(
            lift_url,
            data={**stale_form, "case_id": archive.held.case_id, "reason": "Yenə."},
        )
    assert stale.status_code == 409
    assert translate("en", "archive.error.stale") in stale.text
    _, active = await list_holds(
        archive.world.platform,
        archive.world.principal("archivist"),
        case_id=archive.held.case_id,
        active=True,
        after=None,
        limit=10,
    )
    assert active == 0


async def test_the_calendar_lists_the_due_case_and_an_act_is_drawn_up_and_downloaded(
    archive: Archive,
) -> None:
    async with browser(archive.world) as client:
        await sign_in(client, "archivist", lang="az")
        page = await client.get("/az/archive/disposal")
        assert page.status_code == 200
        assert archive.due.index in page.text
        assert translate("az", "archive.decision.destroy") in page.text
        assert f'name="case_id" value="{archive.due.case_id}"' in page.text
        # nothing chosen: said above the list
        action = "/az/archive/disposal/acts"
        none = await client.post(action, data=_mutation_form(page.text, action))
        assert none.status_code == 400
        assert translate("az", "archive.act.error.none") in none.text
        made = await client.post(
            action, data={**_mutation_form(page.text, action), "case_id": archive.due.case_id}
        )
        assert made.status_code == 303
        page = await client.get("/az/archive/disposal")
        number = re.search(r'id="act-(DA-\d{4}-\d{3})"', page.text)
        assert number is not None, "the drawn-up act is not listed"
        # in an act now: no longer offered for another
        assert f'name="case_id" value="{archive.due.case_id}"' not in page.text
        link = re.search(r'href="(/az/archive/disposal/acts/[^"]+\.pdf)"', page.text)
        assert link is not None
        pdf = await client.get(link.group(1))
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert number.group(1) in pdf.headers["content-disposition"]
    sign_label = translate("az", "archive.act.sign", number=number.group(1))
    assert sign_label not in page.text  # the archivist draws up, the agency's head signs
    async with browser(archive.world) as chairman, browser(archive.world) as archivist:
        await sign_in(chairman, "chairman", lang="az")
        await sign_in(archivist, "archivist", lang="az")
        page = await chairman.get("/az/archive/disposal")
        other_tab = (await chairman.get("/az/archive/disposal")).text
        assert sign_label in page.text
        action = re.search(r'action="(/az/archive/disposal/acts/[^"]+/sign)"', page.text)
        assert action is not None
        signed = await chairman.post(action[1], data=_mutation_form(page.text, action[1]))
        assert signed.status_code == 303
        again = await chairman.post(action[1], data=_mutation_form(page.text, action[1]))
        assert again.status_code == 303  # the same form twice: signed once
        # a tab still showing the draft, with its own form: said, not signed again
        stale = await chairman.post(action[1], data=_mutation_form(other_tab, action[1]))
        assert stale.status_code == 409
        assert 'id="act-error"' in stale.text
        page = await archivist.get("/az/archive/disposal")
        run = re.search(r'action="(/az/archive/disposal/acts/[^"]+/execute)"', page.text)
        assert run is not None
        executed = await archivist.post(run[1], data=_mutation_form(page.text, run[1]))
        assert executed.status_code == 303
        page = await archivist.get("/az/archive/disposal")
        case = await archivist.get(f"/az/archive/cases/{archive.due.case_id}")
    assert translate("az", "archive.act.status.executed") in page.text
    assert translate("az", "archive.status.destroyed") in case.text


async def test_a_user_without_the_archive_rights_is_refused(archive: Archive) -> None:
    case_url = f"/en/archive/cases/{archive.held.case_id}"
    async with browser(archive.world) as client:
        await sign_in(client, "outsider")
        calendar = await client.get("/en/archive/disposal")
        page = await client.get(case_url)  # the archive's metadata: any signed-in person
        assert page.status_code == 200
        place_url = f"{case_url}/holds"
        hold = await client.post(
            place_url,
            data={
                **_mutation_form(page.text, place_url),
                "kind": "other",
                "reason": "Sadəcə maraq.",
            },
        )
    assert calendar.status_code == 403
    assert translate("en", "archive.refused.title") in calendar.text
    assert hold.status_code == 403
    assert "Sadəcə maraq." not in (await _case_page_as_archivist(archive, case_url))


async def _case_page_as_archivist(archive: Archive, url: str) -> str:
    async with browser(archive.world) as client:
        await sign_in(client, "archivist")
        return (await client.get(url)).text


async def test_nobody_signed_in_is_sent_to_sign_in(archive: Archive) -> None:
    async with browser(archive.world) as client:
        response = await client.get("/en/archive/cases")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/en/signin?next=/en/archive/cases")


async def test_a_nomenclature_is_edited_submitted_and_approved_with_errors_at_the_field(
    archive: Archive,
) -> None:
    year = 2031
    url = f"/en/archive/nomenclature?year={year}"
    add_url = f"/en/archive/nomenclature/{year}/cases"
    async with browser(archive.world) as registrar, browser(archive.world) as chairman:
        await sign_in(registrar, "registrar")
        await sign_in(chairman, "chairman")
        page = await registrar.get(url)
        assert translate("en", "archive.nomenclature.none", year=year) in page.text
        create_url = f"/en/archive/nomenclature/{year}/create"
        created = await registrar.post(create_url, data=_mutation_form(page.text, create_url))
        assert created.status_code == 303
        page = await registrar.get(url)
        good = {"unit": "DEPT-IT", "title": "Daxil olan sorğular", "retention_years": "5"}
        # not a number: refused next to the field, what was typed kept
        bad = await registrar.post(
            add_url, data={**_mutation_form(page.text, add_url), **good, "number": "üç"}
        )
        assert bad.status_code == 400
        assert 'aria-describedby="case-number-error"' in bad.text
        assert translate("en", "archive.nomenclature.error.number") in bad.text
        assert 'value="Daxil olan sorğular"' in bad.text
        added = await registrar.post(
            add_url, data={**_mutation_form(page.text, add_url), **good, "number": "3"}
        )
        assert added.status_code == 303
        page = await registrar.get(url)
        assert "DEPT-IT-03" in page.text
        # the same index again: the use case's refusal next to the number
        taken = await registrar.post(
            add_url, data={**_mutation_form(page.text, add_url), **good, "number": "3"}
        )
        assert taken.status_code == 400
        assert 'aria-describedby="case-number-error"' in taken.text
        old_add_form = _mutation_form(page.text, add_url)
        compile_url = f"/en/archive/nomenclature/{year}/compile"
        compiled = await registrar.post(compile_url, data=_mutation_form(page.text, compile_url))
        assert compiled.status_code == 303
        page = await registrar.get(url)
        assert translate("en", "archive.nomenclature.status.compiled") in page.text
        approve_url = f"/en/archive/nomenclature/{year}/approve"
        # the registrar compiles but does not approve: the policy refuses
        not_theirs = await registrar.post(approve_url, data=_mutation_form(page.text, approve_url))
        assert not_theirs.status_code == 403
        first_tab = await chairman.get(url)
        second_tab = await chairman.get(url)
        approved = await chairman.post(
            approve_url, data=_mutation_form(first_tab.text, approve_url)
        )
        assert approved.status_code == 303
        stale = await chairman.post(approve_url, data=_mutation_form(second_tab.text, approve_url))
        # a case sent from the page rendered while it was still a draft
        late = await registrar.post(add_url, data={**old_add_form, **good, "number": "4"})
        page = await registrar.get(url)
    assert stale.status_code == 409
    assert 'id="step-error"' in stale.text
    assert late.status_code == 409
    assert translate("en", "archive.error.stale") in late.text
    assert translate("en", "archive.nomenclature.status.approved") in page.text
    assert "DEPT-IT-04" not in page.text


async def test_a_transfer_inventory_is_drawn_up_submitted_accepted_and_downloaded(
    archive: Archive,
) -> None:
    url = "/en/archive/transfers"
    async with browser(archive.world) as registrar, browser(archive.world) as archivist:
        await sign_in(registrar, "registrar")
        await sign_in(archivist, "archivist")
        page = await registrar.get(url)
        bad = await registrar.post(
            url, data={**_mutation_form(page.text, url), "unit": "DEPT-IT", "year": "14"}
        )
        assert bad.status_code == 400
        assert 'aria-describedby="new-year-error"' in bad.text
        made = await registrar.post(
            url,
            data={**_mutation_form(page.text, url), "unit": "DEPT-IT", "year": str(TRANSFER_YEAR)},
        )
        assert made.status_code == 303
        inventory_id = made.headers["location"].split("#inventory-")[1]
        page = await registrar.get(url)
        assert translate("en", "archive.transfers.status.draft") in page.text
        submit_url = f"/en/archive/transfers/{inventory_id}/submit"
        submitted = await registrar.post(submit_url, data=_mutation_form(page.text, submit_url))
        assert submitted.status_code == 303
        first_tab = await archivist.get(url)
        second_tab = await archivist.get(url)
        return_url = f"/en/archive/transfers/{inventory_id}/return"
        no_reason = await archivist.post(
            return_url, data=_mutation_form(first_tab.text, return_url)
        )
        assert no_reason.status_code == 400
        assert f'id="inventory-{inventory_id}-error"' in no_reason.text
        accept_url = f"/en/archive/transfers/{inventory_id}/accept"
        accepted = await archivist.post(accept_url, data=_mutation_form(first_tab.text, accept_url))
        assert accepted.status_code == 303
        stale = await archivist.post(
            return_url,
            data={**_mutation_form(second_tab.text, return_url), "reason": "Səhifə köhnədir."},
        )
        page = await archivist.get(url)
        csv = await archivist.get(f"/en/archive/transfers/{inventory_id}.csv")
        pdf = await archivist.get(f"/en/archive/transfers/{inventory_id}.pdf")
    assert stale.status_code == 409
    assert translate("en", "archive.error.stale") in stale.text
    assert translate("en", "archive.transfers.status.accepted") in page.text
    assert f'href="/en/archive/transfers/{inventory_id}.pdf"' in page.text
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert archive.handed.index in csv.text
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    cases, _ = await list_cases(
        archive.world.platform,
        archive.world.principal("archivist"),
        {"year": TRANSFER_YEAR, "unit": None, "status": None, "index": None},
        after=None,
        limit=5,
    )
    assert [c.status for c in cases] == ["transferred"]


async def test_a_user_of_another_unit_cannot_draw_up_an_inventory(archive: Archive) -> None:
    url = "/en/archive/transfers"
    async with browser(archive.world) as client:
        await sign_in(client, "outsider")
        page = await client.get(url)
        refused = await client.post(
            url,
            data={**_mutation_form(page.text, url), "unit": "DEPT-IT", "year": str(YEAR)},
        )
    assert refused.status_code == 403


async def test_the_commission_extends_a_cases_retention_with_errors_at_the_field(
    archive: Archive,
) -> None:
    case_url = f"/en/archive/cases/{archive.held.case_id}"
    action = f"{case_url}/decision"
    async with browser(archive.world) as archivist:
        await sign_in(archivist, "archivist")
        page = await archivist.get(case_url)
    assert f'action="{action}"' not in page.text  # archivists do not decide
    before = re.search(r"(\d{4})-01-01", page.text)
    assert before is not None
    async with browser(archive.world) as expert:  # the administrator passes every rule
        await sign_in(expert, "admin")
        page = await expert.get(case_url)
        no_years = await expert.post(
            action,
            data={**_mutation_form(page.text, action), "decision": "extend", "reason": "Lazımdır"},
        )
        assert no_years.status_code == 400
        assert 'aria-describedby="decision-extend_years-error"' in no_years.text
        decided = await expert.post(
            action,
            data={
                **_mutation_form(page.text, action),
                "decision": "extend",
                "extend_years": "3",
                "reason": "Məhkəmə işi üçün lazım ola bilər.",
            },
        )
        assert decided.status_code == 303
        page = await expert.get(case_url)
    assert translate("en", "archive.decision.extend") in page.text
    assert "Məhkəmə işi üçün lazım ola bilər." in page.text
    assert f"{int(before.group(1)) + 3}-01-01" in page.text
