"""Benchmarks: extraction speed, ingest throughput, SIPRI register load, query latency.

Run with `make bench` (or `.venv/bin/python bench/run.py`); prints a Markdown table to paste into
BENCHMARKS.md together with the machine line it prints. Needs ../shared for the corpus and the
SIPRI register; parts without their input are reported as skipped.
"""

from __future__ import annotations

import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def timed(fn, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    """Median wall time of `repeat` runs, in seconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def machine() -> str:
    import os

    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def main() -> int:
    from armskb import KnowledgeBase
    from armskb.loaders.documents import read_documents
    from armskb.loaders.extract import extract

    rows: list[tuple[str, str]] = []
    articles = sorted((SHARED / "corpus" / "articles").glob("*.txt"))
    if articles:
        docs = [d for p in articles for d in read_documents(p)[0]]
        size = sum(len(d.text.encode()) for d in docs)
        for d in docs:  # warm-up: gazetteers and caches load once
            extract(d)
        t = timed(lambda: [extract(d) for d in docs])
        rows.append(("extract, shared corpus", f"{len(docs)} articles, {size / 1e3:.0f} kB: {len(docs) / t:.0f} articles/s, {size / 1e6 / t:.2f} MB/s"))
        corpus_text = "\n\n".join(d.text for d in docs) + "\n\n"
        seed = next((d for d in docs if d.name.startswith("seed")), docs[0])
        for label, base, text in (
            ("corpus concatenated", docs[0], corpus_text),
            ("seed article repeated (dense in claims)", seed, seed.text + "\n\n"),
        ):
            big = base.model_copy(update={"text": (text * (1_000_000 // len(text.encode()) + 1))[:1_000_000]})
            t = timed(lambda: extract(big), repeat=1)
            mb = len(big.text.encode()) / 1e6
            rows.append((f"extract, one 1 MB article: {label}", f"{mb:.2f} MB in {t:.1f} s ({mb / t:.2f} MB/s)"))
        with tempfile.TemporaryDirectory() as d:
            def ingest_corpus() -> None:
                kb = KnowledgeBase.open(Path(d) / "s")
                kb.ingest(articles)
                kb.close()

            t = timed(ingest_corpus)
            rows.append(("ingest shared corpus (extract + store, on disk)", f"{len(articles)} files in {t:.2f} s"))
    else:
        rows.append(("extraction", "skipped: ../shared/corpus absent"))
    register = SHARED / "sipri" / "sipri_trade_register_all_1950-2023.csv"
    if register.exists():
        with tempfile.TemporaryDirectory() as d:
            kb = KnowledgeBase.open(Path(d) / "s")
            t0 = time.perf_counter()
            kb.ingest([register], reconcile=False)
            t_load = time.perf_counter() - t0
            t0 = time.perf_counter()
            n = kb.reconcile()
            t_rec = time.perf_counter() - t0
            triples = kb.stats()["triples"]
            rows.append(("ingest SIPRI register 2024 (29,056 deals), on disk", f"{t_load:.1f} s, {triples:,} quads in store"))
            rows.append(("reconcile with the full register", f"{t_rec:.1f} s, {n} transfers"))
            t = timed(lambda: kb.query("suppliers-of", recipient="SRB"), repeat=5)
            rows.append(("query suppliers-of (register + claims in store)", f"{t * 1000:.0f} ms"))
            t = timed(lambda: kb.query("transfers", buyer="SRB", seller="RUS"), repeat=5)
            rows.append(("query transfers RUS->SRB", f"{t * 1000:.0f} ms"))
            out = Path(d) / "all.nq"
            t = timed(lambda: kb.dump(out), repeat=1)
            rows.append(("dump everything to N-Quads", f"{t:.1f} s, {out.stat().st_size / 1e6:.0f} MB"))
            kb.close()
    else:
        rows.append(("SIPRI register", "skipped: ../shared/sipri absent"))
    print(f"Machine: {machine()}\n")
    print("| benchmark | result |\n|---|---|")
    for name, result in rows:
        print(f"| {name} | {result} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
