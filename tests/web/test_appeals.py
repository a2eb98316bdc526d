"""The appeal and reception pages against the real app and Neo4j, signed in through the form
with the EDMS test world: a registrar registers an appeal (once for a double submit), input
refused next to its field in az and en, a repeat linked both ways, the answer recorded and a
second, stale answer refused 409 without overwriting, forwarding and leaving unconsidered
refused with the domain's reasons, a user without rights refused, the reception schedule with
its visitors for a registrar only, and a visitor booked through the form."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import httpx
import pytest
from markupsafe import escape

from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.core.workdays import BAKU, add_working_days, today_in_baku
from asan.edms.appeals import use_cases as appeals
from asan.edms.appeals.models import Applicant, NewAppeal
from asan.edms.reception import use_cases as reception
from asan.edms.reception.models import NewSlot, NewVisit, Visitor
from asan.web.i18n import translate
from tests.edms.conftest import World, make_world
from tests.web.session_support import browser, csrf_of, sign_in

PLACE = "Agentlik, 2-ci mərtəbə, 204"
MUTATION_ID = re.compile(r'name="client_mutation_id" value="([^"]+)"')


@dataclass
class Case:
    world: World
    slot: str


@pytest.fixture(scope="module")
async def case(
    migrated_platform: Platform, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Case]:
    world = await make_world(migrated_platform, settings, tmp_path_factory.mktemp("web-appeals"))
    await world.platform.db.write(
        "CREATE (:AsanCentre {code: 'ASAN-1', name: 'Bakı 1 nömrəli ASAN xidmət mərkəzi', "
        "nameFold: 'bakı 1 nömrəli asan xidmət mərkəzi', region: 'Bakı', address: 'Ünvan', "
        "hours: '09:00-19:00'}) CREATE (:StateBody {code: 'DSMF', nameAz: 'DSMF'})"
    )
    starts = datetime.combine(today_in_baku() + timedelta(days=2), time(10), BAKU)
    registrar = world.principal("registrar")
    slot = await reception.schedule_reception(
        world.platform,
        registrar,
        NewSlot("head", starts, starts + timedelta(hours=2), PLACE, capacity=5),
    )
    await reception.register_visitor(
        world.platform,
        registrar,
        NewVisit(Visitor("Nərmin Səfərova", "051 222 33 44"), "Elektron imza", "DEPT-IT", slot),
    )
    yield Case(world, slot)
    await world.client.aclose()


def form_fields(**changes: str) -> dict[str, str]:
    fields = {
        "type": "complaint",
        "channel": "asan_centre",
        "centre": "ASAN-1",
        "unit": "DEPT-IT",
        "name": "Əli Hüseynov",
        "address": "Bakı, Nizami küç. 5",
        "contact": "+994 50 123-45-67",
        "subject": "Şəxsiyyət vəsiqəsinin verilməsində gecikmə",
        "summary": "Vəsiqə 20 gündür hazır deyil.",
    }
    fields.update(changes)
    return fields


async def new_form(client: httpx.AsyncClient, lang: str) -> dict[str, str]:
    page = await client.get(f"/{lang}/appeals/new")
    assert page.status_code == 200
    found = MUTATION_ID.search(page.text)
    assert found is not None
    return {"csrf_token": csrf_of(page.text), "client_mutation_id": found.group(1)}


async def registered(world: World, subject: str, name: str = "Rəna Quliyeva") -> str:
    appeal = NewAppeal(
        "application",
        "mail",
        Applicant(name, "Gəncə, Atatürk pr. 10", "055 111 22 33"),
        subject,
        unit="DEPT-IT",
    )
    return await appeals.register_appeal(world.platform, world.principal("registrar"), appeal)


def step_form(html: str, step: str) -> tuple[str, str]:
    """The CSRF token and the client mutation id of one step form of an appeal's page."""
    start = html.index(f'id="step-{step}"')
    found = MUTATION_ID.search(html, start)
    assert found is not None
    return csrf_of(html[start:]), found.group(1)


async def test_a_registrar_registers_an_appeal_once_and_finds_it_in_the_list(case: Case) -> None:
    async with browser(case.world) as client:
        await sign_in(client, "registrar")
        form = await client.get("/en/appeals/new")
        assert '<option value="ASAN-1">Bakı 1 nömrəli ASAN xidmət mərkəzi (ASAN-1)' in form.text
        hidden = await new_form(client, "en")
        sent = await client.post("/en/appeals/new", data={**form_fields(), **hidden})
        assert sent.status_code == 303
        location = sent.headers["location"]
        assert re.fullmatch(r"/en/appeals/[^/]+", location)
        again = await client.post("/en/appeals/new", data={**form_fields(), **hidden})
        assert again.status_code == 303 and again.headers["location"] == location  # once
        page = await client.get(location)
        listed = await client.get("/en/appeals?type=complaint&q=huseynov")
        other_unit = await client.get("/en/appeals?unit=DEPT-HR&q=huseynov")
        unknown = await client.get("/en/appeals?type=petition")
    assert page.status_code == 200
    html = page.text
    assert "Şəxsiyyət vəsiqəsinin verilməsində gecikmə" in html and "Əli Hüseynov" in html
    assert re.search(r"<h1>Ş-[^<]*/\d{4}:", html)  # numbered in the complaints' journal
    due = add_working_days(today_in_baku(), 15).isoformat()
    assert f'datetime="{due}"' in html and "deadline-later" in html
    assert translate("en", "appeals.term.days", days=15) in html
    assert f'href="/en/documents/{location.rsplit("/", 1)[1]}"' in html  # the timeline
    for step in ("answer", "forward", "extend"):
        assert f'id="step-{step}"' in html
    assert 'id="step-unconsidered"' not in html  # not a repeat: the domain offers no such step
    assert listed.status_code == 200
    assert listed.text.count(f'href="{location}"') == 1  # searched without Azerbaijani letters
    assert translate("en", "appeals.list.found", total=1) in listed.text
    assert translate("en", "appeals.list.found", total=0) in other_unit.text
    assert unknown.status_code == 400 and 'id="f-type-error"' in unknown.text
    assert translate("en", "appeals.error.filter") in unknown.text


async def test_refused_input_is_answered_next_to_the_field_in_the_pages_language(
    case: Case,
) -> None:
    async with browser(case.world) as client:
        await sign_in(client, "registrar", lang="az")
        bad = form_fields(name="  ", centre="")
        az = await client.post("/az/appeals/new", data={**bad, **await new_form(client, "az")})
        en = await client.post("/en/appeals/new", data={**bad, **await new_form(client, "en")})
        unknown = await client.post(
            "/en/appeals/new",
            data={**form_fields(centre="NO-SUCH"), **await new_form(client, "en")},
        )
    assert az.status_code == 400 and en.status_code == 400
    assert 'id="new-name-error"' in az.text and 'id="new-centre-error"' in az.text
    assert translate("az", "appeals.error.required") in az.text
    assert "ASAN mərkəzinin kodu lazımdır" in az.text and "name the ASAN centre" not in az.text
    assert translate("en", "appeals.error.required") in en.text
    assert "name the ASAN centre it came through" in en.text
    assert "Şəxsiyyət vəsiqəsinin verilməsində gecikmə" in en.text  # the typed subject kept
    assert unknown.status_code == 400  # the centre is checked inside the use case
    assert 'id="new-centre-error"' in unknown.text and "no ASAN centre NO-SUCH" in unknown.text


async def test_a_repeat_appeal_is_found_before_registering_and_linked_both_ways(
    case: Case,
) -> None:
    world = case.world
    first = await registered(world, "Pensiya hesablanmasında səhv", name="Səbinə Qasımova")
    check = form_fields(
        type="application",
        channel="mail",
        centre="",
        name="səbinə qasımova",
        address="",
        contact="055 1112233",
        subject="Pensiyanın hesablanmasında səhv",
    )
    async with browser(world) as client:
        await sign_in(client, "registrar")
        checked = await client.post(
            "/en/appeals/new", data={**check, "check": "1", **await new_form(client, "en")}
        )
        listed_before = await client.get("/en/appeals?q=qasimova")
    assert checked.status_code == 200  # shown, not registered
    found = checked.text[checked.text.index('id="repeat-check"') :].split("</section>")[0]
    assert f'href="/en/appeals/{first}"' in found
    assert str(escape(translate("en", "appeals.new.check_result", count=1))) in found
    assert 'value="Pensiyanın hesablanmasında səhv"' in checked.text  # the form kept
    assert translate("en", "appeals.list.found", total=1) in listed_before.text
    second = await registered(world, "Pensiyanın hesablanmasında səhv", name="SƏBİNƏ QASIMOVA")
    async with browser(world) as client:
        await sign_in(client, "registrar")
        later = await client.get(f"/en/appeals/{second}")
        earlier = await client.get(f"/en/appeals/{first}")
        listed = await client.get("/en/appeals?q=qasimova")
    earlier_list = later.text[later.text.index('id="repeats-earlier"') :]
    assert f'href="/en/appeals/{first}"' in earlier_list.split("</ul>")[0]
    later_list = earlier.text[earlier.text.index('id="repeats-later"') :]
    assert f'href="/en/appeals/{second}"' in later_list.split("</ul>")[0]
    assert 'id="step-unconsidered"' in later.text  # a repeat: the step is offered
    assert translate("en", "appeals.repeat.mark", count=1) in listed.text
    # GraphQL gives the same: the applicant filter and the later repeats
    data = await world.gql(
        "registrar",
        'query($id: ID!) { appeals(filter: {applicant: "QASIMOVA"}) { edges { node '
        "{ documentId } } } appeal(documentId: $id) { repeatedBy { documentId } } }",
        {"id": first},
    )
    assert {e["node"]["documentId"] for e in data["appeals"]["edges"]} == {first, second}
    assert data["appeal"]["repeatedBy"] == [{"documentId": second}]


async def test_the_answer_is_recorded_and_a_stale_second_answer_is_refused(case: Case) -> None:
    world = case.world
    appeal = await registered(world, "Xidmət haqqının geri qaytarılması")
    async with browser(world) as client:
        await sign_in(client, "registrar")
        tab1 = (await client.get(f"/en/appeals/{appeal}")).text
        tab2 = (await client.get(f"/en/appeals/{appeal}")).text
        csrf, first_id = step_form(tab1, "answer")
        _, second_id = step_form(tab2, "answer")
        assert first_id != second_id
        answer = "Vəsait 5 iş günü ərzində qaytarılacaq."
        url = f"/en/appeals/{appeal}/answer"
        data = {"csrf_token": csrf, "answer": answer, "substantive": "1"}
        done = await client.post(url, data={**data, "client_mutation_id": first_id})
        assert done.status_code == 303 and done.headers["location"] == f"/en/appeals/{appeal}"
        stale = await client.post(
            url, data={**data, "answer": "Başqa cavab", "client_mutation_id": second_id}
        )
        page = await client.get(f"/en/appeals/{appeal}")
    assert stale.status_code == 409
    assert translate("en", "appeals.error.stale") in stale.text
    assert "Başqa cavab" in stale.text  # the typed text kept for the clerk
    assert f'<dd id="appeal-status">{translate("en", "appeals.status.answered")}</dd>' in page.text
    assert answer in page.text and "Başqa cavab" not in page.text  # not overwritten
    assert 'id="step-answer"' not in page.text  # nothing more to answer


async def test_forwarding_and_leaving_unconsidered_give_the_domains_reasons(case: Case) -> None:
    world = case.world
    first = await registered(world, "Sürücülük vəsiqəsinin dəyişdirilməsi", name="Kamran Əliyev")
    repeat = await registered(world, "Sürücülük vəsiqəsinin dəyişdirilməsi", name="Kamran Əliyev")
    async with browser(world) as client:
        await sign_in(client, "registrar")
        html = (await client.get(f"/en/appeals/{first}")).text
        csrf, mutation = step_form(html, "forward")
        url = f"/en/appeals/{first}/forward"
        unknown = await client.post(
            url,
            data={"csrf_token": csrf, "client_mutation_id": mutation, "state_body": "NOPE"}
            | {"reason": "Aidiyyəti üzrə"},
        )
        _, mutation = step_form(unknown.text, "forward")
        forwarded = await client.post(
            url,
            data={"csrf_token": csrf, "client_mutation_id": mutation, "state_body": "DSMF"}
            | {"reason": "Aidiyyəti üzrə"},
        )
        page = await client.get(f"/en/appeals/{first}")
        html = (await client.get(f"/az/appeals/{repeat}")).text
        csrf, mutation = step_form(html, "unconsidered")
        unchecked = await client.post(
            f"/az/appeals/{repeat}/unconsidered",
            data={"csrf_token": csrf, "client_mutation_id": mutation, "reason": "Təkrar"},
        )
        _, mutation = step_form(unchecked.text, "unconsidered")
        too_early = await client.post(
            f"/az/appeals/{repeat}/unconsidered",
            data={"csrf_token": csrf, "client_mutation_id": mutation, "reason": "Təkrar"}
            | {"no_new_information": "1"},
        )
    assert unknown.status_code == 400
    assert 'id="forward-state_body-error"' in unknown.text and "no state body NOPE" in unknown.text
    assert forwarded.status_code == 303
    assert translate("en", "appeals.appeal.forwarded", body="DSMF") in page.text
    assert unchecked.status_code == 400 and 'id="unconsidered-no_new_information-error"' in (
        unchecked.text
    )
    assert "yalnız yeni məlumat olmadıqda" in unchecked.text
    assert too_early.status_code == 409  # three substantive answers are needed first
    assert "mahiyyətcə cavab verilib" in too_early.text and "substantive answers" not in (
        too_early.text
    )


async def test_a_user_without_rights_is_refused(case: Case) -> None:
    world = case.world
    appeal = await registered(world, "Doğum haqqında şəhadətnamə")
    async with browser(world) as client:
        await sign_in(client, "outsider")
        page = await client.get(f"/en/appeals/{appeal}")
        listed = await client.get("/en/appeals")
        sent = await client.post(
            "/en/appeals/new", data={**form_fields(), **await new_form(client, "en")}
        )
        answer = await client.post(
            f"/en/appeals/{appeal}/answer",
            data={"csrf_token": csrf_of(listed.text), "answer": "x", "substantive": "1"},
        )
    assert page.status_code == 404 and "Doğum haqqında" not in page.text
    assert appeal not in listed.text
    assert sent.status_code == 403 and translate("en", "appeals.error.forbidden") in sent.text
    assert answer.status_code == 404  # hidden, as for an id that does not exist
    async with browser(world) as anonymous:
        away = await anonymous.get("/az/appeals")
    assert away.status_code == 303 and away.headers["location"] == "/az/signin?next=/az/appeals"


async def test_the_reception_schedule_and_booking_a_visitor(case: Case) -> None:
    world = case.world
    async with browser(world) as client:
        await sign_in(client, "outsider")
        staff = await client.get("/en/reception")
    assert staff.status_code == 200
    assert PLACE in staff.text and f'id="slot-{case.slot}"' in staff.text
    assert translate("en", "appeals.reception.booked", booked=1, capacity=5) in staff.text
    assert "Nərmin Səfərova" not in staff.text  # visitors' data are for registrars
    assert 'action="/en/reception/visits"' not in staff.text
    async with browser(world) as client:
        await sign_in(client, "registrar", lang="az")
        page = await client.get("/az/reception")
        assert "Nərmin Səfərova" in page.text
        found = MUTATION_ID.search(page.text)
        assert found is not None
        visit = {
            "csrf_token": csrf_of(page.text),
            "client_mutation_id": found.group(1),
            "slot": case.slot,
            "name": "Tofiq Babayev",
            "contact": "050 777 66 55",
            "matter": "Xidmət haqqının geri qaytarılması",
            "matter_unit": "DEPT-IT",
        }
        empty = await client.post("/az/reception/visits", data={**visit, "name": ""})
        booked = await client.post("/az/reception/visits", data=visit)
        twice = await client.post("/az/reception/visits", data=visit)
        after = await client.get("/az/reception")
    assert empty.status_code == 400 and 'id="visit-name-error"' in empty.text
    assert translate("az", "appeals.error.required") in empty.text
    assert booked.status_code == 303 and twice.status_code == 303
    assert translate("az", "appeals.reception.booked", booked=2, capacity=5) in after.text
    schedule = after.text.split('<table class="reception">')[1].split("</table>")[0]
    assert schedule.count("Tofiq Babayev") == 1  # booked once


OUTCOME_FORM = re.compile(r'action="(/az/reception/visits/([^/"]+)/outcome)"')


async def test_a_received_visitors_matter_becomes_an_appeal_and_a_stale_record_is_refused(
    case: Case,
) -> None:
    world = case.world
    async with browser(world) as client:
        await sign_in(client, "registrar", lang="az")
        tab1 = (await client.get("/az/reception")).text
        tab2 = (await client.get("/az/reception")).text
        forms = OUTCOME_FORM.findall(tab1)
        assert forms  # the booked visitors the registrar may record
        # the fixture's visitor (the booking test may have added another)
        start = tab1.index("<legend>Nərmin Səfərova")
        action, visit = OUTCOME_FORM.findall(tab1[:start])[-1]
        ids = [m.group(1) for m in MUTATION_ID.finditer(tab1[:start])]
        stale_ids = [m.group(1) for m in MUTATION_ID.finditer(tab2[: tab2.index("<legend>Nərmin")])]
        data = {
            "csrf_token": csrf_of(tab1),
            "outcome": "received",
            "notes": "Ərizə qəbul edildi",
            "appeal_type": "application",
            "subject": "Elektron imza ilə bağlı problem",
        }
        done = await client.post(action, data={**data, "client_mutation_id": ids[-1]})
        stale = await client.post(
            action,
            data={**data, "outcome": "no_show", "appeal_type": ""}
            | {"client_mutation_id": stale_ids[-1]},
        )
        after = await client.get("/az/reception")
    assert done.status_code == 303
    assert stale.status_code == 409 and "ziyarət artıq qeyd edilib" in stale.text
    assert f'id="visit-{visit}"' not in after.text  # recorded: no form any more
    line = after.text[after.text.index("Nərmin Səfərova") :].split("</li>")[0]
    assert translate("az", "appeals.visit.received") in line
    found = re.search(r'href="/az/appeals/([^"]+)"', line)
    assert found is not None  # the matter became an appeal on the reception channel
    async with browser(world) as client:
        await sign_in(client, "registrar")
        appeal = await client.get(f"/en/appeals/{found.group(1)}")
    assert appeal.status_code == 200 and "Elektron imza ilə bağlı problem" in appeal.text
    assert translate("en", "appeals.channel.reception") in appeal.text


async def test_a_sitting_is_scheduled_through_the_form(case: Case) -> None:
    world = case.world
    day = (today_in_baku() + timedelta(days=7)).isoformat()
    sitting = {
        "official": "head",
        "day": day,
        "starts": "14:00",
        "ends": "16:00",
        "place": "Agentlik, 1-ci mərtəbə, 101",
        "capacity": "4",
        "unit": "",
    }
    async with browser(world) as client:
        await sign_in(client, "outsider")
        staff = await client.get("/en/reception")
        refused = await client.post(
            "/en/reception/sittings",
            data={**sitting, "csrf_token": csrf_of(staff.text), "client_mutation_id": "x1"},
        )
    assert 'action="/en/reception/sittings"' not in staff.text
    assert refused.status_code == 403
    async with browser(world) as client:
        await sign_in(client, "registrar")
        page = await client.get("/en/reception")
        csrf = csrf_of(page.text)
        bad_time = await client.post(
            "/en/reception/sittings",
            data={**sitting, "ends": "16h", "csrf_token": csrf, "client_mutation_id": "s1"},
        )
        not_leader = await client.post(
            "/en/reception/sittings",
            data={**sitting, "official": "executor1", "csrf_token": csrf}
            | {"client_mutation_id": "s2"},
        )
        done = await client.post(
            "/en/reception/sittings",
            data={**sitting, "csrf_token": csrf, "client_mutation_id": "s3"},
        )
        after = await client.get("/en/reception")
    assert bad_time.status_code == 400 and 'id="sitting-ends-error"' in bad_time.text
    assert translate("en", "appeals.error.time") in bad_time.text
    assert not_leader.status_code == 400 and 'id="sitting-official-error"' in not_leader.text
    assert "executor1 holds no leadership position" in not_leader.text
    assert done.status_code == 303
    assert "Agentlik, 1-ci mərtəbə, 101" in after.text
    assert f"{day} 14:00–16:00" in after.text  # shown in Baku time
    assert translate("en", "appeals.reception.booked", booked=0, capacity=4) in after.text


async def test_the_term_is_extended_within_the_laws_limit(case: Case) -> None:
    world = case.world
    appeal = await registered(world, "Ünvan arayışının verilməsi", name="Nigar Abbasova")
    url = f"/en/appeals/{appeal}/extend"
    async with browser(world) as client:
        await sign_in(client, "registrar")
        html = (await client.get(f"/en/appeals/{appeal}")).text
        csrf, mutation = step_form(html, "extend")
        data = {"csrf_token": csrf, "reason": "Başqa qurumun rəyi gözlənilir"}
        not_number = await client.post(
            url, data={**data, "working_days": "beş", "client_mutation_id": mutation}
        )
        _, mutation = step_form(not_number.text, "extend")
        too_long = await client.post(
            url, data={**data, "working_days": "31", "client_mutation_id": mutation}
        )
        _, mutation = step_form(too_long.text, "extend")
        done = await client.post(
            url, data={**data, "working_days": "5", "client_mutation_id": mutation}
        )
        page = await client.get(f"/en/appeals/{appeal}")
    assert not_number.status_code == 400 and 'id="extend-working_days-error"' in not_number.text
    assert translate("en", "appeals.error.number") in not_number.text
    assert too_long.status_code == 400 and 'id="extend-working_days-error"' in too_long.text
    assert "at most 30 working days in all" in too_long.text
    assert "müddət ən çox" not in too_long.text  # the English half on an English page
    assert done.status_code == 303
    due = add_working_days(today_in_baku(), 20).isoformat()
    assert f'datetime="{due}"' in page.text
    assert translate("en", "appeals.term.extended", days=5) in page.text


async def test_the_pages_speak_russian_too(case: Case) -> None:
    world = case.world
    appeal = await registered(world, "Arayışın verilməsi", name="Fuad Məmmədli")
    async with browser(world) as client:
        await sign_in(client, "registrar", lang="ru")
        pages = {
            "appeals.list.title": await client.get("/ru/appeals"),
            "appeals.new.title": await client.get("/ru/appeals/new"),
            "appeals.reception.title": await client.get("/ru/reception"),
            "appeals.steps.answer": await client.get(f"/ru/appeals/{appeal}"),
        }
    for key, page in pages.items():
        assert page.status_code == 200 and '<html lang="ru">' in page.text
        assert translate("ru", key) in page.text
