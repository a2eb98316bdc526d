"""Text extraction: pages per second through the worker pool against pypdf called directly.

The same generated PDFs (Azerbaijani text, several pages each) are read both ways in the
same run, rounds alternating which side goes first: ``direct`` is ``PdfReader`` +
``extract_text`` in this process, one file after another (what the API would do without a
pool); ``pool`` is ``ExtractionPool.extract`` on every file at once, with one worker and
with one worker per core. Pool start-up is measured apart (workers are started once per API
process, not per file). Target: pool >= 0.8x direct.
"""

from __future__ import annotations

import asyncio
import io
import os
import resource
import statistics
import time
from typing import Any

from pypdf import PdfReader

from asan.core.platform import Platform
from asan.edms.files.processing import ExtractionPool, ProcessingSettings
from bench.processing_corpus import page_texts, text_pdf

FILES = int(os.environ.get("ASAN_BENCH_EXTRACTION_FILES", "24"))
PAGES = int(os.environ.get("ASAN_BENCH_EXTRACTION_PAGES", "8"))
ROUNDS = int(os.environ.get("ASAN_BENCH_EXTRACTION_ROUNDS", "4"))


def corpus() -> list[bytes]:
    return [text_pdf(page_texts(PAGES, 2500, offset=i * 7)) for i in range(FILES)]


def direct(files: list[bytes]) -> tuple[float, int, int]:
    global direct_cpu_s
    started, cpu = time.perf_counter(), time.thread_time()
    pages = chars = 0
    for data in files:
        reader = PdfReader(io.BytesIO(data))
        for page in reader.pages:
            chars += len(page.extract_text() or "")
            pages += 1
    direct_cpu_s += time.thread_time() - cpu
    return time.perf_counter() - started, pages, chars


direct_cpu_s = 0.0


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


async def through(pool: ExtractionPool, files: list[bytes]) -> tuple[float, int, int]:
    started = time.perf_counter()
    results = await asyncio.gather(*(pool.extract(data, "application/pdf") for data in files))
    elapsed = time.perf_counter() - started
    assert all(r.refused is None and r.method == "pypdf" for r in results)
    return elapsed, sum(r.pages for r in results), sum(len(r.text) for r in results)


async def run(platform: Platform) -> dict[str, Any]:
    del platform  # no services: extraction is CPU work in worker processes
    files = corpus()
    cores = os.cpu_count() or 1
    out: dict[str, Any] = {
        "files": FILES,
        "pages_per_file": PAGES,
        "MiB": round(sum(map(len, files)) / 2**20, 2),
        "cores": cores,
        "rounds": [],
    }
    global direct_cpu_s
    direct_cpu_s = 0.0
    pool_cpu_s = 0.0
    pool_pages = 0
    for workers in sorted({1, cores}):
        settings = ProcessingSettings(workers=workers, ocr_enabled=False, timeout_seconds=600)
        started = time.perf_counter()
        cpu_before = children_cpu()  # workers and qpdf, counted once the pool reaped them
        async with ExtractionPool(settings) as pool:
            out[f"startup_s_{workers}_workers"] = round(time.perf_counter() - started, 2)
            await through(pool, files[:workers])  # warm: first imports of pypdf's codecs
            for round_no in range(ROUNDS):
                if round_no % 2:
                    pool_s, pages, pool_chars = await through(pool, files)
                    direct_s, _, direct_chars = await asyncio.to_thread(direct, files)
                else:
                    direct_s, pages, direct_chars = await asyncio.to_thread(direct, files)
                    pool_s, _, pool_chars = await through(pool, files)
                pool_pages += pages
                out["rounds"].append(
                    {
                        "workers": workers,
                        "pages": pages,
                        "direct_pages_per_s": round(pages / direct_s, 1),
                        "pool_pages_per_s": round(pages / pool_s, 1),
                        "pool_over_direct": round(direct_s / pool_s, 2),
                        # the pool joins pages with form feeds: same text otherwise
                        "same_text_length": abs(pool_chars - direct_chars) <= pages,
                    }
                )
        pool_cpu_s += children_cpu() - cpu_before
    # CPU per page, all rounds: the figure the machine's load moves least (the pool's includes
    # its workers' start-up and warm-up, and qpdf --check)
    out["cpu_ms_per_page"] = {
        "direct": round(1000 * direct_cpu_s / pool_pages, 1),
        "pool": round(1000 * pool_cpu_s / pool_pages, 1),
    }
    for workers in sorted({1, cores}):
        ratios = [r["pool_over_direct"] for r in out["rounds"] if r["workers"] == workers]
        out[f"pool_over_direct_{workers}_workers"] = {
            "min": min(ratios),
            "median": statistics.median(ratios),
            "max": max(ratios),
        }
    out["load_average"] = [round(x, 1) for x in os.getloadavg()]
    return out
