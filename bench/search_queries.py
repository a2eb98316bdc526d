"""The query phase of the search benchmark, run in a child process of its own (spawned, not
forked, so its memory is its own and not the parent's corpus and writers).

Each query is asked through ``WhooshEngine.query`` and through raw Whoosh on the same index
(``bench.search_raw``), one after the other, the order alternating from query to query, so
both meet the same load. Wall and CPU time are recorded per query; the peak memory is the
child's resident-set high-water mark (``ru_maxrss``, the kernel's VmHWM) after the Whoosh
queries, with both searchers open; tantivy's queries run afterwards on their own.
"""

from __future__ import annotations

import resource
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from asan.search.engine import SearchQuery
from asan.search.whoosh_engine import WhooshEngine
from bench import search_raw
from bench.search_corpus import SHAPES, BenchQuery, queries
from bench.stats import summarize

WARMUP = 10


def _rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _engine_query(q: BenchQuery) -> SearchQuery:
    return SearchQuery(
        q.text, access=q.caller.access, kinds=q.kinds, units=q.units, years=q.years, limit=20
    )


def _timed(fn: Any) -> tuple[float, float, int]:
    t0, c0 = time.perf_counter(), time.process_time()
    total = fn()
    return (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000, total


def _summary(wall: list[float], cpu: list[float], totals: list[int]) -> dict[str, Any]:
    c = summarize(cpu)
    return {
        **summarize(wall),
        "cpu_p50_ms": c["p50_ms"],
        "cpu_p95_ms": c["p95_ms"],
        "avg_total": round(sum(totals) / len(totals), 1),
    }


def _ratio(a: dict[str, Any], b: dict[str, Any]) -> dict[str, float]:
    return {
        k: round(a[k] / b[k], 2) if b[k] else 0.0
        for k in ("p50_ms", "p95_ms", "mean_ms", "cpu_p50_ms", "cpu_p95_ms")
    }


def whoosh_phase(path: str, per_shape: int) -> dict[str, Any]:
    engine = WhooshEngine(Path(path), create=False)
    ix = whoosh_index.open_dir(path)
    raw = ix.searcher()
    qs = queries(per_shape)
    for q in qs[:: max(1, len(qs) // WARMUP)]:
        engine.query(_engine_query(q))
        search_raw.search(raw, q)
    rss_open = _rss_mb()
    runs: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for i, q in enumerate(qs):
        parties = [
            ("engine", lambda q=q: engine.query(_engine_query(q)).total),
            ("raw", lambda q=q: search_raw.search(raw, q)),
        ]
        for name, fn in parties if i % 2 == 0 else parties[::-1]:
            wall, cpu, total = _timed(fn)
            for key in (q.shape, f"caller:{q.caller.name}", "all"):
                runs[key][f"{name}_wall"].append(wall)
                runs[key][f"{name}_cpu"].append(cpu)
                runs[key][f"{name}_total"].append(total)
    out: dict[str, Any] = {
        "queries": len(qs),
        "rss_mb_after_open_and_warmup": rss_open,
        "peak_rss_mb": _rss_mb(),
    }
    for key in (*SHAPES, "caller:anonymous", "caller:clerk", "caller:admin", "all"):
        r = runs[key]
        if not r:
            continue
        engine_s = _summary(r["engine_wall"], r["engine_cpu"], r["engine_total"])
        raw_s = _summary(r["raw_wall"], r["raw_cpu"], r["raw_total"])
        out[key] = {"engine": engine_s, "raw": raw_s, "engine/raw": _ratio(engine_s, raw_s)}
    raw.close()
    engine.close()
    ix.close()
    return out


def tantivy_phase(path: str, per_shape: int) -> dict[str, Any]:
    from bench.search_tantivy import Tantivy

    tv = Tantivy(Path(path))
    qs = queries(per_shape)
    for q in qs[:: max(1, len(qs) // WARMUP)]:
        tv.search(q)
    runs: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for q in qs:
        wall, cpu, total = _timed(lambda q=q: tv.search(q))
        for key in (q.shape, "all"):
            runs[key]["wall"].append(wall)
            runs[key]["cpu"].append(cpu)
            runs[key]["total"].append(total)
    return {
        key: _summary(runs[key]["wall"], runs[key]["cpu"], runs[key]["total"])
        for key in (*SHAPES, "all")
    }


def measure(whoosh_path: str, tantivy_path: str | None, per_shape: int) -> dict[str, Any]:
    """Both phases in this (child) process; tantivy's after Whoosh's peak is read."""
    out: dict[str, Any] = {"whoosh": whoosh_phase(whoosh_path, per_shape)}
    if tantivy_path is not None:
        out["tantivy"] = tantivy_phase(tantivy_path, per_shape)
    return out
