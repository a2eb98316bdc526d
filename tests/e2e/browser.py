"""Browser-side helpers for the e2e tests: viewports, axe-core, screenshots, keyboard focus.

Chromium is Debian's (``/usr/bin/chromium``, installed by ``make install``); Playwright only
drives it (its own browser download is never used). axe-core comes from web/package-lock.json
like the pages' other front-end files, and runs inside the page under test.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, Final

from playwright.async_api import Page

ROOT: Final = Path(__file__).resolve().parents[2]
CHROMIUM: Final = Path(os.environ.get("ASAN_E2E_CHROMIUM", "/usr/bin/chromium"))
AXE: Final = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
# A small phone (the layout must hold at 360 px; 320 px is checked by the CSS rules) and a
# laptop screen.
VIEWPORTS: Final[dict[str, dict[str, Any]]] = {
    "phone": {
        "viewport": {"width": 360, "height": 740},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
    "desktop": {"viewport": {"width": 1280, "height": 800}, "device_scale_factor": 1},
}
BLOCKING: Final = frozenset({"serious", "critical"})
SAFE_NAME: Final = re.compile(r"[^A-Za-z0-9_.-]+")


def viewport_name(page: Page) -> str:
    width = (page.viewport_size or {"width": 0})["width"]
    for name, options in VIEWPORTS.items():
        if options["viewport"]["width"] == width:
            return name
    return f"{width}px"


async def axe(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now; fail on any serious or critical violation.

    Returns every violation (minor and moderate ones included) for tests that want to look.
    """
    if not await page.evaluate("() => typeof window.axe === 'object'"):
        await page.add_script_tag(path=str(AXE))  # the context bypasses the page's CSP for it
    result: dict[str, Any] = await page.evaluate(
        "async () => await window.axe.run(document, {resultTypes: ['violations']})"
    )
    violations: list[dict[str, Any]] = result["violations"]
    blocking = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in violations
        if v.get("impact") in BLOCKING
    ]
    assert blocking == [], f"axe on {page.url}:\n{json.dumps(blocking, indent=1)}"
    return violations


def artifacts_dir() -> Path:
    """Where screenshots and the server log go: ``$ASAN_E2E_ARTIFACTS``, else the test data
    directory's ``e2e-artifacts`` (``.data/test/e2e-artifacts`` under ``make test``)."""
    configured = os.environ.get("ASAN_E2E_ARTIFACTS")
    if configured:
        return Path(configured)
    data = os.environ.get("ASAN_DATA_DIR")
    return (Path(data) if data else ROOT / ".data" / "test") / "e2e-artifacts"


async def shot(page: Page, name: str) -> Path:
    """A full-page screenshot named after the page and the viewport, kept as an artefact."""
    path = artifacts_dir() / f"{SAFE_NAME.sub('-', name)}-{viewport_name(page)}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 0
    return path


async def sideways_overflow(page: Page) -> int:
    """Pixels the page is wider than the screen (0 when nothing makes a phone scroll sideways)."""
    overflow: int = await page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    return overflow


async def focused(page: Page) -> dict[str, Any]:
    """What has the keyboard focus: tag, id, href, hreflang, text."""
    info: dict[str, Any] = await page.evaluate(
        """() => { const e = document.activeElement; return {
             tag: e.tagName.toLowerCase(), id: e.id, href: e.getAttribute('href'),
             hreflang: e.getAttribute('hreflang'), text: e.textContent.trim() }; }"""
    )
    return info


async def tab_to(page: Page, match: dict[str, Any], limit: int = 40) -> dict[str, Any]:
    """Press Tab until the focused element matches every key of ``match`` (at most ``limit``
    presses): reaching it by keyboard is the point."""
    seen = []
    for _ in range(limit):
        await page.keyboard.press("Tab")
        now = await focused(page)
        if all(now.get(k) == v for k, v in match.items()):
            return now
        seen.append(now)
    raise AssertionError(f"{match} not reached by Tab in {limit} presses: {seen}")
