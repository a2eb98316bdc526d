"""The search benchmark of issue 12 (Performance): 100,000 generated Azerbaijani documents
(``bench.search_corpus``), indexing throughput and query latency through the engine against
raw Whoosh with the same schema and analyzer in the same run (target: within 1.3x), peak
memory while querying, and tantivy on the same corpus and queries as a reference.

Parts and why they are built so:
- ``indexing``: a slice of the corpus (``ASAN_BENCH_SEARCH_INDEX_DOCS``, default 5,000)
  written in batches of ``BATCH`` through ``WhooshEngine.index`` and through a raw Whoosh
  writer into two fresh indexes, batches alternating between the two so both meet the same
  load. Indexing all 100,000 twice would take most of ten minutes on this machine.
- ``queries``: the full corpus' index, built once with Whoosh's two-process writer and kept
  in ``<data dir>/bench-search/`` under a fingerprint of the corpus generator, the analyzer
  and the schema (a change to any of them builds a new one); the engine and raw Whoosh read
  the same directory in a spawned child process (``bench.search_queries``), which also
  reports its memory high-water mark.
- ``tantivy``: the same documents pre-analysed with our analyzer (``bench.search_tantivy``),
  cached beside it, asked the same queries in the same child after Whoosh.
- ``change_to_searchable`` (only under ``python -m bench``, which has the services): a
  rename through the API until the indexer running in the process makes it findable
  (``bench.search_latency``).

Knobs: ``ASAN_BENCH_SEARCH_DOCS`` (100000), ``ASAN_BENCH_SEARCH_INDEX_DOCS`` (10000),
``ASAN_BENCH_SEARCH_QUERIES`` (queries per shape, 10), ``--quick`` on the command line
(20,000 documents, 2,000 indexed, 10 queries per shape). Run alone with
``python -m bench.bench_search [--quick]`` (no services needed) or ``python -m bench
bench_search``.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from importlib import metadata
from itertools import islice
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from asan.search.whoosh_engine import WhooshEngine
from asan.search.whoosh_engine.schema import fields_of, schema
from bench import search_raw
from bench.search_corpus import generate

ROOT = Path(__file__).resolve().parents[1]
BATCH = 500
SEED = 12
# What each cached index's content depends on besides the generated documents themselves
# (a change to any file, or to the documents, builds a new one).
ANALYSIS = tuple(
    sorted(str(p.relative_to(ROOT)) for p in (ROOT / "asan/search/analysis").glob("*.py"))
)
FINGERPRINTED = {
    "whoosh": ("asan/search/whoosh_engine/schema.py", *ANALYSIS),
    "tantivy": ("bench/search_tantivy.py", *ANALYSIS),
}
FINGERPRINT_DOCS = 300  # the corpus' first documents stand for its generator


def _env(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _sizes(quick: bool) -> tuple[int, int, int]:
    if quick:
        return 20_000, 2_000, 10
    return (
        _env("ASAN_BENCH_SEARCH_DOCS", 100_000),
        _env("ASAN_BENCH_SEARCH_INDEX_DOCS", 5_000),
        _env("ASAN_BENCH_SEARCH_QUERIES", 10),
    )


def _batches(count: int, size: int) -> list[list[Any]]:
    docs = generate(count, SEED)
    return [list(islice(docs, size)) for _ in range(0, count, size)]


def indexing(count: int, batch: int = BATCH) -> dict[str, Any]:
    """Docs per second (wall and CPU) through the engine and a raw writer, same batches."""
    root = Path(tempfile.mkdtemp(prefix="asan-bench-search-ix-"))
    try:
        engine = WhooshEngine(root / "engine")
        raw = whoosh_index.create_in(str(_mkdir(root / "raw")), schema())
        spent = {"engine": [0.0, 0.0], "raw": [0.0, 0.0]}
        written = {"engine": 0, "raw": 0}
        for i, docs in enumerate(_batches(count, batch)):
            parties = [
                ("engine", partial(engine.index, docs)),
                ("raw", partial(search_raw.write, raw, docs)),
            ]
            for name, fn in parties if i % 2 == 0 else parties[::-1]:
                t0, c0 = time.perf_counter(), time.process_time()
                written[name] += fn()
                spent[name][0] += time.perf_counter() - t0
                spent[name][1] += time.process_time() - c0
        engine.close()
        raw.close()
        out: dict[str, Any] = {"docs": count, "batch": batch}
        for name, (wall, cpu) in spent.items():
            out[name] = {
                "docs_per_s": round(written[name] / wall, 1),
                "docs_per_cpu_s": round(written[name] / cpu, 1),
            }
        out["engine/raw time"] = round(spent["engine"][0] / spent["raw"][0], 2)
        out["engine/raw cpu"] = round(spent["engine"][1] / spent["raw"][1], 2)
        return out
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _fingerprint(count: int, engine: str) -> str:
    digest = hashlib.sha256(f"{count}:{SEED}".encode())
    for doc in generate(FINGERPRINT_DOCS, SEED):  # acl sorted: a set's order varies by process
        digest.update(repr((*fields_of(doc).items(),)).encode())
    for name in FINGERPRINTED[engine]:
        digest.update((ROOT / name).read_bytes())
    package = "whoosh-reloaded" if engine == "whoosh" else "tantivy"
    try:
        digest.update(metadata.version(package).encode())
    except metadata.PackageNotFoundError:
        digest.update(b"-")
    return f"{engine}-{count}-{digest.hexdigest()[:12]}"


def _cached(cache: Path, name: str) -> tuple[Path, bool]:
    """The directory for ``name`` and whether it is complete; other versions of the same
    engine's index are removed (older code or another corpus: not needed any more)."""
    here = cache / name
    if (cache / f"{name}.complete").exists():
        return here, True
    engine = name.split("-", 1)[0]
    if cache.exists():
        for stale in cache.glob(f"{engine}-*"):
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink()
    return here, False


def _tantivy_available() -> bool:
    try:
        import tantivy  # noqa: F401
    except ImportError:
        return False
    return True


def query_indexes(cache: Path, count: int) -> tuple[Path, Path | None, dict[str, Any]]:
    """The corpus' Whoosh and tantivy indexes, from the cache or built now (and cached).

    Whoosh's is written by its two-process writer with the engine's own field mapping
    (``fields_of``): the same index ``WhooshEngine.index`` writes, only sooner."""
    built: dict[str, Any] = {"cache": str(cache)}
    whoosh_dir, done = _cached(cache, _fingerprint(count, "whoosh"))
    if not done:
        shutil.rmtree(whoosh_dir, ignore_errors=True)
        ix = whoosh_index.create_in(str(_mkdir(whoosh_dir)), schema())
        started = time.perf_counter()
        writer = ix.writer(procs=2, limitmb=256, multisegment=True)
        for doc in generate(count, SEED):
            writer.add_document(**fields_of(doc))
        writer.commit()
        ix.close()
        built["whoosh_build_s"] = round(time.perf_counter() - started, 1)
        whoosh_dir.with_name(f"{whoosh_dir.name}.complete").touch()
    if not _tantivy_available():
        built["tantivy"] = "not installed (pip install .[bench])"
        return whoosh_dir, None, built
    tantivy_dir, done = _cached(cache, _fingerprint(count, "tantivy"))
    if not done:
        from bench.search_tantivy import build

        shutil.rmtree(tantivy_dir, ignore_errors=True)
        started = time.perf_counter()
        build(tantivy_dir, generate(count, SEED))
        built["tantivy_build_s"] = round(time.perf_counter() - started, 1)
        built["tantivy_docs_per_s"] = round(count / built["tantivy_build_s"], 1)
        tantivy_dir.with_name(f"{tantivy_dir.name}.complete").touch()
    return whoosh_dir, tantivy_dir, built


def querying(whoosh_dir: Path, tantivy_dir: Path | None, per_shape: int) -> dict[str, Any]:
    from bench.search_queries import measure

    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        future = pool.submit(
            measure, str(whoosh_dir), str(tantivy_dir) if tantivy_dir else None, per_shape
        )
        result: dict[str, Any] = future.result()
    tv = result.get("tantivy")
    if tv is not None:
        engine_all = result["whoosh"]["all"]["engine"]
        result["engine/tantivy"] = {
            k: round(engine_all[k] / tv["all"][k], 1) if tv["all"][k] else 0.0
            for k in ("p50_ms", "p95_ms", "mean_ms")
        }
    return result


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def measure(cache: Path, quick: bool = False) -> dict[str, Any]:
    docs, index_docs, per_shape = _sizes(quick)
    out: dict[str, Any] = {"docs": docs, "load_before": _load()}
    out["indexing"] = indexing(index_docs)
    whoosh_dir, tantivy_dir, built = query_indexes(cache, docs)
    out["index"] = built
    out["queries"] = querying(whoosh_dir, tantivy_dir, per_shape)
    out["load_after"] = _load()
    return out


async def run(platform: Any) -> dict[str, Any]:
    """The ``python -m bench`` entry: the cached indexes live under the platform's data
    directory; the change-to-searchable latency needs the platform's Neo4j."""
    from bench.search_latency import measure as latency

    out = await asyncio.to_thread(measure, platform.settings.data_path / "bench-search")
    out["change_to_searchable"] = await latency(platform)
    return out


if __name__ == "__main__":
    from asan.core.settings import Settings

    figures = measure(Settings().data_path / "bench-search", quick="--quick" in sys.argv)
    print(json.dumps(figures, indent=2, ensure_ascii=False))
