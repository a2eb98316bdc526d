"""OCR: pages per minute of a scanned Azerbaijani page, and character accuracy.

Pages of the agency's regulations (known Azerbaijani text) are typed in DejaVu Sans,
rasterised by pdftoppm as a scanner would, wrapped in an image-only PDF and sent through
``ExtractionPool.extract`` (pdftoppm at the pool's ``ocr_dpi``, then tesseract ``aze+eng``).

- throughput: full A4 pages (about 2,500 characters each) at 300 dpi, one worker and one
  worker per core; pages per minute of wall-clock time, and CPU seconds per page (workers,
  pdftoppm and tesseract), which depends far less on what else the machine is doing.
- accuracy: character error rate (Levenshtein distance over the reference length, after
  collapsing whitespace) per condition: 11 pt at 300 and 200 dpi, 9 pt at 150 dpi (a poor
  scan); and per Azerbaijani letter, how many of its occurrences the OCR text has
  (count in OCR / count in the reference), where ə/e and ı/i confusions show, and the most
  frequent differences.

Tesseract's Azerbaijani model is the limit: the figures are reported, not tuned.
"""

from __future__ import annotations

import asyncio
import difflib
import os
import resource
import time
from collections import Counter
from typing import Any

from asan.core.platform import Platform
from asan.edms.files.processing import ExtractionPool, ProcessingSettings
from bench.processing_corpus import levenshtein, normalised, page_texts, scanned_pdf

PAGES = int(os.environ.get("ASAN_BENCH_OCR_PAGES", "4"))
LETTERS = "əıİşçğöüƏŞÇĞÖÜ"
CONDITIONS = (  # (font size pt, scan dpi, OCR dpi)
    (11.0, 300, 300),
    (11.0, 200, 200),
    (9.0, 150, 150),
)


async def throughput(workers: int, scan: bytes, pages: int) -> dict[str, Any]:
    settings = ProcessingSettings(workers=workers, ocr_dpi=300, timeout_seconds=600)
    # CPU of the workers and their pdftoppm/tesseract: counted once the pool has reaped them
    cpu_before = _children_cpu()
    async with ExtractionPool(settings) as pool:
        started = time.perf_counter()
        # one file per page, so that every worker has work
        results = await asyncio.gather(
            *(pool.extract(scan, "application/pdf") for _ in range(pages))
        )
        elapsed = time.perf_counter() - started
    cpu = _children_cpu() - cpu_before
    assert all(r.method == "ocr" for r in results)
    return {
        "workers": workers,
        "pages": pages,
        "seconds": round(elapsed, 1),
        "pages_per_min": round(pages * 60 / elapsed, 1),
        # includes the workers' start-up (about 1 s each); the machine-independent figure
        "cpu_s_per_page": round(cpu / pages, 1),
    }


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def letter_recall(found: str, expected: str) -> dict[str, float]:
    return {
        letter: round(found.count(letter) / expected.count(letter), 3)
        for letter in LETTERS
        if expected.count(letter) >= 5
    }


def confusions(found: str, expected: str, top: int = 6) -> dict[str, int]:
    """The most frequent differences, as "expected->found" (what a reader would notice)."""
    counts: Counter[str] = Counter()
    matcher = difflib.SequenceMatcher(None, expected, found, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op != "equal":
            counts[f"{expected[a0:a1]}->{found[b0:b1]}"] += 1
    return dict(counts.most_common(top))


async def accuracy(cores: int, texts: list[str]) -> list[dict[str, Any]]:
    rows = []
    for size, scan_dpi, ocr_dpi in CONDITIONS:
        scans = [scanned_pdf([text], dpi=scan_dpi, size=size) for text in texts]
        settings = ProcessingSettings(workers=cores, ocr_dpi=ocr_dpi, timeout_seconds=600)
        async with ExtractionPool(settings) as pool:
            results = await asyncio.gather(*(pool.extract(s, "application/pdf") for s in scans))
        expected = normalised(" ".join(texts))
        found = normalised(" ".join(r.text for r in results))
        distance = await asyncio.to_thread(levenshtein, found, expected)
        rows.append(
            {
                "font_pt": size,
                "scan_dpi": scan_dpi,
                "ocr_dpi": ocr_dpi,
                "characters": len(expected),
                "cer": round(distance / len(expected), 4),
                "char_accuracy": round(1 - distance / len(expected), 4),
                "letters_found_over_expected": letter_recall(found, expected),
                "confusions": confusions(found, expected),
            }
        )
    return rows


async def run(platform: Platform) -> dict[str, Any]:
    del platform  # no services: OCR runs in the worker processes
    cores = os.cpu_count() or 1
    page = page_texts(1, 2500)
    scan = scanned_pdf(page, dpi=300)
    out: dict[str, Any] = {"page_characters": len(page[0]), "cores": cores}
    out["throughput"] = [await throughput(w, scan, PAGES) for w in sorted({1, cores})]
    texts = page_texts(2, 1500, offset=40)
    out["accuracy"] = await accuracy(cores, texts)
    out["load_average"] = [round(x, 1) for x in os.getloadavg()]
    return out
