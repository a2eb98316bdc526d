"""Lighthouse scores of the main pages: the catalogue, a search, a service's page, the inbox.

Lighthouse 12.2.3 (npm, pinned with its lock in tools/lighthouse/, installed here with
``npm ci`` on first use, kept out of the app's web/node_modules) drives Debian's chromium
(``CHROME_PATH=/usr/bin/chromium``) against the real ``asan serve`` on the sample registry.
Each page is measured with Lighthouse's mobile defaults (a mid-range phone, simulated slow 4G
and 4x CPU slowdown) and with its desktop preset; the issue's target is at least 90 for
performance and accessibility. Scores on a shared 2-core machine move with its load (the
performance score folds in simulated timings computed from the observed trace), so the
median of ``ASAN_BENCH_LIGHTHOUSE_RUNS`` runs (default 1) is reported with the range.

The inbox is measured signed in as the demo clerk: the bench signs in through the page's form
(CSRF double submit) and hands the session cookie to Lighthouse in ``--extra-headers``.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
from pathlib import Path
from typing import Any, Final

import httpx

from asan.auth.demo import DEMO_PASSWORD
from asan.core.platform import Platform
from asan.seeding import load_seed
from asan.web.session.cookies import CSRF_COOKIE, SESSION_COOKIE
from bench.bench_http import ROOT, _api

TOOL: Final = ROOT / "tools" / "lighthouse"
BINARY: Final = TOOL / "node_modules" / ".bin" / "lighthouse"
CHROME: Final = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
PAGES: Final = {
    "catalogue": "/az/services",
    "catalogue_search": "/az/services?q=sexsiyyet",
    "service": "/az/services/DIN-001",
    "inbox": "/az/workspace",  # signed in as CLERK
}
SIGNED_IN: Final = {"inbox"}
CLERK: Final = "demo.clerk"
CSRF_FIELD: Final = re.compile(r'name="csrf_token" value="([^"]+)"')
FORM_FACTORS: Final = {"mobile": [], "desktop": ["--preset=desktop"]}
METRICS: Final = {
    "first-contentful-paint": "fcp_ms",
    "largest-contentful-paint": "lcp_ms",
    "total-blocking-time": "tbt_ms",
    "cumulative-layout-shift": "cls",
}
RUN_TIMEOUT_S: Final = 180


def ensure_lighthouse() -> Path:
    lock = TOOL / "package-lock.json"
    marker = TOOL / "node_modules" / ".package-lock.json"
    if not BINARY.exists() or lock.stat().st_mtime > marker.stat().st_mtime:
        print("installing lighthouse 12.2.3 from tools/lighthouse's lock (npm ci)", flush=True)
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=TOOL, check=True
        )
    return BINARY


def browser_version() -> str:
    done = subprocess.run([CHROME, "--version"], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def session_cookie(base: str, username: str) -> str:
    """A ``Cookie`` header value for a session signed in through the form. The cookies are
    Secure, which a client keeps but does not send over plain http, so they are carried by
    hand here (browsers treat loopback as secure and do send them)."""
    with httpx.Client(base_url=base, timeout=60, follow_redirects=False) as client:
        form = client.get("/az/signin")
        token = CSRF_FIELD.search(form.text)
        assert token is not None, "no CSRF token in the sign-in form"
        csrf = form.cookies[CSRF_COOKIE]
        answer = client.post(
            "/az/signin",
            data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token.group(1)},
            headers={"cookie": f"{CSRF_COOKIE}={csrf}"},
        )
        if answer.status_code != 303 or SESSION_COOKIE not in answer.cookies:
            raise RuntimeError(f"sign-in of {username}: {answer.status_code}")
        return f"{SESSION_COOKIE}={answer.cookies[SESSION_COOKIE]}; {CSRF_COOKIE}={csrf}"


def lighthouse(url: str, extra: list[str]) -> dict[str, Any]:
    """One Lighthouse run: category scores (0-100) and the main timings."""
    done = subprocess.run(
        [
            str(BINARY),
            url,
            "--quiet",
            "--output=json",
            "--output-path=stdout",
            "--only-categories=performance,accessibility",
            # headless; no sandbox because the bench may run as root (CI containers)
            "--chrome-flags=--headless=new --no-sandbox",
            *extra,
        ],
        env={**os.environ, "CHROME_PATH": CHROME},
        capture_output=True,
        check=True,
        timeout=RUN_TIMEOUT_S,
    )
    report = json.loads(done.stdout)
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse on {url}: {report['runtimeError']}")
    if report.get("finalDisplayedUrl") != url:  # e.g. sent to the sign-in page instead
        raise RuntimeError(f"lighthouse asked {url}, measured {report.get('finalDisplayedUrl')}")
    out: dict[str, Any] = {
        name: round(category["score"] * 100) for name, category in report["categories"].items()
    }
    for audit, key in METRICS.items():
        value = report["audits"][audit]["numericValue"]
        out[key] = round(value, 3) if key == "cls" else round(value)
    failed = [
        a["id"]
        for a in report["audits"].values()
        if a.get("scoreDisplayMode") == "binary"
        and a.get("score") == 0
        and a["id"] in {r["id"] for r in report["categories"]["accessibility"]["auditRefs"]}
    ]
    out["accessibility_failed"] = failed
    return out


def _summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("performance", "accessibility", *METRICS.values()):
        values = [r[key] for r in runs]
        out[key] = statistics.median(values)
        if len(values) > 1:
            out[f"{key}_range"] = [min(values), max(values)]
    out["accessibility_failed"] = sorted({a for r in runs for a in r["accessibility_failed"]})
    return out


async def run(platform: Platform) -> dict[str, Any]:
    runs = int(os.environ.get("ASAN_BENCH_LIGHTHOUSE_RUNS", "1"))
    for line in await load_seed(platform):  # idempotent; the inbox needs the sample documents
        print(f"  {line}", flush=True)
    ensure_lighthouse()
    out: dict[str, Any] = {
        "lighthouse": "12.2.3",
        "browser": browser_version(),
        "runs_per_page": runs,
        "load_average_1m_at_start": round(os.getloadavg()[0], 2),
        "pages": {},
    }
    api = _api(1, platform.settings.bucket_prefix)
    try:
        api.wait_ready()
        cookie = json.dumps({"Cookie": session_cookie(api.url, CLERK)})
        for name, path in PAGES.items():
            for factor, extra in FORM_FACTORS.items():
                flags = [*extra, f"--extra-headers={cookie}"] if name in SIGNED_IN else extra
                results = [lighthouse(api.url + path, flags) for _ in range(runs)]
                summary = _summary(results)
                out["pages"][f"{name}_{factor}"] = {"path": path, **summary}
                print(
                    f"{name} ({factor}): performance {summary['performance']}, "
                    f"accessibility {summary['accessibility']}",
                    flush=True,
                )
    finally:
        api.stop()
    return out
