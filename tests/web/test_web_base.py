"""The pages' groundwork: languages, the layout every page extends, front-end files from npm's
lock served by the app (never a CDN)."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from asan.app import create_app
from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.web import i18n
from asan.web.i18n import LANGS, MESSAGES, translate
from asan.web.routes import NODE_MODULES, VENDOR


@pytest.fixture
async def web(settings: Settings, platform: Platform) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, platform)
    app.state.platform = platform
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        yield client


def test_every_language_has_every_message() -> None:
    parts = {path.parent.name for path in MESSAGES.glob("*/*.json")}
    for folder in ["", *sorted(parts)]:  # each part's folder is complete on its own
        keys = {
            lang: set(json.loads((MESSAGES / folder / f"{lang}.json").read_text()))
            for lang in LANGS
        }
        everything = set().union(*keys.values())
        missing = {
            lang: sorted(everything - found) for lang, found in keys.items() if everything - found
        }
        assert missing == {}, folder
    texts = json.loads((MESSAGES / "az.json").read_text())
    assert any(ch in "".join(texts.values()) for ch in "əğışçöüİ")  # written, not transliterated


def test_a_key_defined_in_two_files_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "part").mkdir()
    for path in (tmp_path / "az.json", tmp_path / "part" / "az.json"):
        path.write_text('{"nav.catalogue": "x"}', encoding="utf-8")
    monkeypatch.setattr(i18n, "MESSAGES", tmp_path)
    i18n.catalog.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"nav\.catalogue"):
            i18n.catalog("az")
    finally:
        monkeypatch.undo()
        i18n.catalog.cache_clear()


def test_a_missing_message_shows_its_key_and_values_fill_in() -> None:
    assert translate("en", "no.such.key") == "no.such.key"
    assert translate("ru", "nav.catalogue") != translate("az", "nav.catalogue")


async def test_the_root_opens_the_azerbaijani_pages(web: httpx.AsyncClient) -> None:
    response = await web.get("/")
    assert response.status_code == 302 and response.headers["location"] == "/az/"


@pytest.mark.parametrize("lang", LANGS)
async def test_each_language_renders_the_layout_in_its_own_words(
    web: httpx.AsyncClient, lang: str
) -> None:
    response = await web.get(f"/{lang}/?q=1")
    assert response.status_code == 200
    html = response.text
    assert f'<html lang="{lang}">' in html
    assert translate(lang, "home.heading") in html  # type: ignore[arg-type]
    assert '<main id="main"' in html and 'href="#main"' in html  # skip link to the landmark
    # the language switch keeps the page and its query
    for other in LANGS:
        assert f'href="/{other}/?q=1"' in html
    # no third-party origin: every script and stylesheet is the app's own
    sources = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
    assert sources and all(s.startswith("/static/") for s in sources)


async def test_an_unknown_language_is_not_found(web: httpx.AsyncClient) -> None:
    assert (await web.get("/xx/")).status_code == 404


async def test_vendor_files_come_from_the_npm_lock(web: httpx.AsyncClient) -> None:
    for name, relative in VENDOR.items():
        response = await web.get(f"/static/vendor/{name}")
        assert response.status_code == 200
        assert response.content == (NODE_MODULES / relative).read_bytes()
    assert (await web.get("/static/vendor/axe.min.js")).status_code == 404  # tests only
    assert (await web.get("/static/vendor/..%2Fpackage.json")).status_code == 404
