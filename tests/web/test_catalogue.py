"""The public catalogue pages against the real registry (sample data in Neo4j), through the
whole app as a browser would call it: anonymous, az/en/ru, all state in the URL."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from html import unescape

import httpx
import pytest

from asan.app import create_app
from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.registry.catalog.sample import load_sample_registry, read_sample
from asan.web.i18n import translate
from tests.conftest import reset_graph

SERVICE = "ASAN-002"  # "Səyyar xidmət üçün sifariş" in the sample registry


@pytest.fixture(scope="module")
async def client(
    settings: Settings, migrated_platform: Platform
) -> AsyncIterator[httpx.AsyncClient]:
    await reset_graph(migrated_platform)
    await load_sample_registry(migrated_platform)
    app = create_app(settings, migrated_platform)
    app.state.platform = migrated_platform
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://asan.test") as c:
        yield c


def codes(html: str) -> list[str]:
    """The services listed on a results page, in order."""
    return re.findall(r'<li class="result" data-code="([^"]+)"', html)


def sample_service(code: str) -> dict[str, object]:
    for records in read_sample()["services"].values():
        for record in records:
            if record["code"] == code:
                return dict(record)
    raise KeyError(code)


async def test_search_without_azerbaijani_letters_finds_the_service(
    client: httpx.AsyncClient,
) -> None:
    answer = await client.get("/az/services", params={"q": "seyyar xidmet"})
    assert answer.status_code == 200
    assert SERVICE in codes(answer.text)
    assert "Səyyar xidmət üçün sifariş" in unescape(answer.text)
    # the box keeps what was typed and asks for suggestions as one types
    assert 'value="seyyar xidmet"' in answer.text
    assert 'hx-get="/az/services/suggest"' in answer.text
    suggestions = await client.get("/az/services/suggest", params={"q": "seyyar"})
    assert suggestions.status_code == 200
    assert f'href="/az/services/{SERVICE}"' in suggestions.text
    assert "<html" not in suggestions.text  # a fragment for htmx, not a page


async def test_filters_narrow_and_pages_link(client: httpx.AsyncClient) -> None:
    everything = await client.get("/en/services")
    total = int(re.search(r"Services found: (\d+)", everything.text).group(1))  # type: ignore[union-attr]
    assert total == 102 and len(codes(everything.text)) == 20
    assert 'rel="next" href="/en/services?page=2"' in everything.text
    second = await client.get("/en/services", params={"page": "2"})
    assert set(codes(second.text)).isdisjoint(codes(everything.text))
    # by body: only that body's services, all of them
    expected = {
        str(s["code"])
        for s in (sample_service(c) for c in _all_codes())
        if str(s["code"]).startswith("ASAN-")
    }
    narrowed = await client.get("/en/services", params={"body": "ASAN"})
    found = set(codes(narrowed.text))
    assert found and found <= expected and len(found) < total
    assert 'option value="ASAN" selected' in narrowed.text
    # by channel and body together: fewer or equal, each offered online
    both = await client.get("/en/services", params={"body": "ASAN", "channel": "ONLINE"})
    online = {c for c in found if "ONLINE" in sample_service(c)["channels"]}  # type: ignore[operator]
    assert set(codes(both.text)) == online
    # by centre: every listed service is offered there
    at_centre = await client.get("/en/services", params={"centre": "SEKI", "body": "ASAN"})
    listed = codes(at_centre.text)
    assert listed and all("SEKI" in sample_service(c)["centres"] for c in listed)  # type: ignore[operator]
    # by region, typed without Azerbaijani letters: offered at a centre or a bus stop there
    data = read_sample()
    centres = {x["code"] for x in data["asanCentres"] if x["region"] == "Şəki"}
    stops = {x["code"] for x in data["busStops"] if x["region"] == "Şəki"}
    buses = {b["code"] for b in data["mobileBuses"] if {v["stop"] for v in b["stops"]} & stops}
    in_region = {
        c
        for c in _all_codes()
        if set(sample_service(c).get("centres", [])) & centres  # type: ignore[call-overload]
        or set(sample_service(c).get("buses", [])) & buses  # type: ignore[call-overload]
    }
    assert centres and 0 < len(in_region) < total
    region = await client.get("/en/services", params={"region": "seki", "page": "1"})
    shown = int(re.search(r"Services found: (\d+)", region.text).group(1))  # type: ignore[union-attr]
    assert shown == len(in_region)
    assert set(codes(region.text)) <= in_region
    assert (
        '<option value="Şəki" selected' in region.text
        and '<label for="f-region">Region<' in region.text
    )


def _all_codes() -> list[str]:
    return [str(r["code"]) for records in read_sample()["services"].values() for r in records]


async def test_service_page_shows_documents_terms_and_places(client: httpx.AsyncClient) -> None:
    record = sample_service("EDL-001")
    answer = await client.get("/en/services/EDL-001")
    assert answer.status_code == 200
    page = unescape(answer.text)
    assert "State registration of birth" in page
    assert "Required documents" in page
    assert "doğum evindən verilmiş arayış" in page  # a document's condition
    assert "Free of charge" in page and "1 working days" in page
    for centre in read_sample()["asanCentres"]:
        if centre["code"] in record["centres"]:  # type: ignore[operator]
            assert centre["name"] in page and centre["address"] in page
    assert 'id="buses"' in page and "<caption>Weekly schedule</caption>" in page
    assert "Legal basis" in page and "articles 10, 11" in page
    # the providing body's contact point when the service has none of its own
    body = next(b for b in read_sample()["stateBodies"] if b["code"] == "ASAN")
    own = unescape((await client.get(f"/en/services/{SERVICE}")).text)
    contact = own.split('id="contact"', 1)[1]
    assert body["contactPoint"]["telephone"] in contact
    assert body["contactPoint"]["openingHours"] in contact
    assert f'href="{body["contactPoint"]["url"]}"' in contact


async def test_each_language_renders_its_own_texts(client: httpx.AsyncClient) -> None:
    texts = {
        "az": ("Tələb olunan sənədlər", "Doğumun dövlət qeydiyyatı"),
        "en": ("Required documents", "State registration of birth"),
        "ru": ("Необходимые документы", "Государственная регистрация рождения"),
    }
    for lang, (heading, name) in texts.items():
        answer = await client.get(f"/{lang}/services/EDL-001")
        assert answer.status_code == 200
        page = unescape(answer.text)
        assert f'<html lang="{lang}">' in page and heading in page and name in page
        others = [h for other, (h, _) in texts.items() if other != lang]
        assert not any(h in page for h in others)
    for path, marker in (("centres", "BAKI-1"), ("buses", "BUS-1")):
        for lang, (monday, hours) in {
            "az": ("Bazar ertəsi", "İş saatları"),
            "en": ("Monday", "Hours"),
            "ru": ("Понедельник", "Часы работы"),
        }.items():
            answer = await client.get(f"/{lang}/{path}")
            assert answer.status_code == 200
            page = unescape(answer.text)
            assert f'data-code="{marker}"' in page
            assert '<td lang="az">' in page  # names held only in Azerbaijani say so
            assert (monday if path == "buses" else hours) in page


async def test_unknown_codes_are_404_pages_in_their_language(client: httpx.AsyncClient) -> None:
    for lang, title in (
        ("az", "Səhifə tapılmadı"),
        ("en", "Page not found"),
        ("ru", "Страница не найдена"),
    ):
        answer = await client.get(f"/{lang}/services/NO-SUCH-1")
        assert answer.status_code == 404
        assert title in unescape(answer.text) and f'<html lang="{lang}">' in answer.text
    weird = await client.get("/en/services/%3Cscript%3E")
    assert weird.status_code == 404 and "<script>" not in weird.text
    assert (await client.get("/xx/services")).status_code == 404


async def test_bad_query_input_gives_a_message_not_a_500(client: httpx.AsyncClient) -> None:
    long = await client.get("/en/services", params={"q": "a" * 10_000})
    assert long.status_code == 200
    assert "The search text is too long" in long.text and 'aria-invalid="true"' in long.text
    control = await client.get("/ru/services", params={"q": "seyyar\x00\x07"})
    assert control.status_code == 200
    assert "недопустимые символы" in control.text
    suggest = await client.get("/az/services/suggest", params={"q": "x\x01"})
    assert suggest.status_code == 200 and "icazəsiz simvollar" in unescape(suggest.text)
    bad_filter = await client.get("/en/services", params={"body": "' OR 1=1 --", "page": "-3"})
    assert bad_filter.status_code == 200
    assert "This filter value is not recognised." in bad_filter.text
    assert len(codes(bad_filter.text)) == 20  # the bad filter is dropped, not applied
    huge_page = await client.get("/en/services", params={"page": "9" * 50})
    assert huge_page.status_code == 200 and "Nothing found." in huge_page.text


async def test_graphql_region_filter_agrees_with_the_page(client: httpx.AsyncClient) -> None:
    query = """query($region: String!) {
      services(first: 100, filter: {region: $region}) { totalCount edges { node { code } } }
    }"""
    answer = await client.post("/graphql", json={"query": query, "variables": {"region": "seki"}})
    data = answer.json()
    assert "errors" not in data, data
    api = {e["node"]["code"] for e in data["data"]["services"]["edges"]}
    page = await client.get("/en/services", params={"region": "Şəki", "page": "1"})
    shown = int(re.search(r"Services found: (\d+)", page.text).group(1))  # type: ignore[union-attr]
    assert data["data"]["services"]["totalCount"] == shown == len(api) > 0
    assert set(codes(page.text)) <= api


async def test_the_search_box_is_an_aria_combobox_over_a_listbox_of_options(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/en/services")
    box = re.search(r'<input id="q"[^>]*>', page.text, re.S)
    assert box is not None
    for attribute in (
        'role="combobox"',
        'aria-autocomplete="list"',
        'aria-expanded="false"',
        'aria-controls="q-listbox"',
    ):
        assert attribute in box.group(0)
    assert '<script src="/static/web/combobox.js" defer></script>' in page.text
    assert '<p id="q-status" class="combobox-status" role="status"></p>' in page.text
    script = await client.get("/static/web/combobox.js")
    assert script.status_code == 200 and "aria-activedescendant" in script.text
    fragment = await client.get("/en/services/suggest", params={"q": "seyyar"})
    listbox = re.search(
        r'<ul id="q-listbox"[^>]*role="listbox"[^>]*>(.*?)</ul>', fragment.text, re.S
    )
    assert listbox is not None
    options = re.findall(
        r'<li id="(q-option-\d+)" role="option" aria-selected="false" '
        r'data-href="(/en/services/[^"]+)">',
        listbox.group(1),
    )
    assert f"/en/services/{SERVICE}" in {href for _, href in options}
    assert len({option_id for option_id, _ in options}) == len(options)  # ids are unique
    assert "<a " not in listbox.group(1)  # an option holds no link (nested-interactive)
    assert translate("en", "combobox.count", count=len(options)) in unescape(fragment.text)
