"""`make bench`: ingest, reconcile, increment, queries (embedded and Virtuoso side by side),
extraction and dumps, at sizes x1, x10, ... of claims derived from the SIPRI register.

    .venv/bin/python bench/run.py [--size 1 --size 10] [--repeat 5] [--articles 2000]
                                  [--no-virtuoso] [--out BENCHMARKS.md]

Each phase runs in its own process (its peak RSS is read with os.wait4). The report (machine,
versions, command, results, targets met or missed) is printed and, with --out, replaces the part
of that file between the `<!-- bench:begin -->` and `<!-- bench:end -->` markers (the rest of the
file is kept). Needs ../shared for the corpus and the register; parts without input are skipped
with a note. `--size 0.1` keeps a CI run short.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REGISTER = SHARED / "sipri" / "sipri_trade_register_all_1950-2023.csv"
CORPUS = SHARED / "corpus" / "articles"
ARTICLE = ROOT / "examples" / "seed-fr-sputnik-2021-10-11.txt"
ARMSKB = Path(sys.executable).parent / "armskb"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
DUMPS = [("nquads", ".nq"), ("trig", ".trig"), ("turtle", ".ttl"), ("ntriples", ".nt"), ("jsonld", ".jsonld")]
sys.path.insert(0, str(ROOT))

from bench import generate  # noqa: E402
from bench.phases import query_cases, run_queries  # noqa: E402


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def phase(name: str, store: Path, **args: Any) -> dict[str, Any]:
    """Run one phase in a child process; its JSON result plus its peak RSS in MB."""
    proc = subprocess.Popen([sys.executable, str(ROOT / "bench" / "phases.py"), name, str(store), json.dumps(args)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"phase {name} failed ({proc.returncode})")
    res = json.loads(out.strip().splitlines()[-1])
    res["rss_mb"] = usage.ru_maxrss / 1024
    return res


def query_phase(store: Path, repeat: int, timeout_s: float, memory_gb: float) -> tuple[list[dict[str, Any]], float]:
    """Every named query on the embedded store, in child processes that are restarted past a case
    that was killed: by the memory limit (`memory_gb` of address space) or by `timeout_s` without
    finishing. Returns the results and the largest peak RSS (MB)."""
    log_file = store.parent / (store.name + "-queries.jsonl")
    log_file.unlink(missing_ok=True)
    results: list[dict[str, Any]] = []
    rss = 0.0
    while True:
        log_file.unlink(missing_ok=True)
        done = {(r["query"], r["variant"]) for r in results}
        proc = subprocess.Popen([sys.executable, str(ROOT / "bench" / "phases.py"), "queries", str(store),
                                 json.dumps({"repeat": repeat, "log": str(log_file), "memory_gb": memory_gb,
                                             "skip": sorted(done)})], stdout=subprocess.DEVNULL)
        current: list[str] | None = None
        started = time.monotonic()
        seen = 0
        killed = ""
        usage = None
        while usage is None:
            pid, _, ru = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                usage = ru
                break
            time.sleep(0.5)
            lines = log_file.read_text().splitlines() if log_file.exists() else []
            for line in lines[seen:]:
                ev = json.loads(line)
                if "start" in ev:
                    current, started = ev["start"], time.monotonic()
                else:
                    results.append(ev["result"])
                    current = None
            seen = len(lines)
            if current is not None and time.monotonic() - started > timeout_s and not killed:
                proc.kill()
                killed = f"stopped after {timeout_s:.0f} s"
        proc.returncode = 0
        rss = max(rss, usage.ru_maxrss / 1024)
        lines = log_file.read_text().splitlines() if log_file.exists() else []
        for line in lines[seen:]:
            ev = json.loads(line)
            if "result" in ev:
                results.append(ev["result"])
                current = None
            else:
                current = ev["start"]
        if current is None:
            return results, rss
        name, variant = current
        params = next((p for n, v, p in query_cases() if (n, v) == (name, variant)), {})
        results.append({"query": name, "variant": variant, "params": params,
                        "error": killed or f"process killed (memory limit {memory_gb:g} GB of address space)"})
        log(f"query {name} ({variant}): {results[-1]['error']}")


def du_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def machine() -> dict[str, str]:
    import pyoxigraph
    import rdflib

    import armskb
    from armskb.loaders import extract

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) / 1e6 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0.0)
    virt = shutil.which("virtuoso-t")
    vver = ""
    if virt:
        p = subprocess.run([virt, "-?"], capture_output=True, text=True)
        m = re.search(r"Version ([\d.]+)", p.stdout + p.stderr)
        vver = m.group(1) if m else "?"
    return {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores ({cpu}), {mem:.1f} GB RAM, "
                   f"{platform.system()} {platform.release()}",
        "versions": f"armskb {armskb.__version__} (extractor {getattr(extract, 'EXTRACTOR', 'armskb.rules')} "
                    f"{getattr(extract, 'VERSION', '')}), Python {platform.python_version()}, pyoxigraph "
                    f"{pyoxigraph.__version__}, rdflib {rdflib.__version__}, Virtuoso {vver or 'not installed'}",
    }


# -- extraction -----------------------------------------------------------------------------------
def bench_extraction(work: Path, n_articles: int) -> list[dict[str, Any]]:
    sources = sorted(CORPUS.glob("*.txt"))
    if not sources:
        return [{"skipped": f"{CORPUS} absent"}]
    src = work / "articles"
    src.mkdir()
    for i in range(n_articles):
        a = sources[i % len(sources)]
        (src / f"a{i:05d}-{a.name}").write_bytes(a.read_bytes())
    size = du_mb(src)
    out = []
    for jobs in (1, 2):
        shards = work / f"shards-j{jobs}"
        t0 = time.perf_counter()
        p = subprocess.run([str(ARMSKB), "extract", "--out", str(shards), "--jobs", str(jobs), "--batch-size", "100",
                            str(src)], capture_output=True, text=True)
        took = time.perf_counter() - t0
        m = re.search(r"(\d+) document\(s\), (\d+) claim\(s\)", p.stderr)
        docs = int(m.group(1)) if m else 0
        out.append({"jobs": jobs, "articles": docs, "claims": int(m.group(2)) if m else 0, "mb": size, "s": took,
                    "rc": p.returncode, "shards": len(list(shards.glob("*.nq")))})
        log(f"extract --jobs {jobs}: {docs} articles in {took:.1f} s")
    return out


# -- one size -------------------------------------------------------------------------------------
def bench_size(work: Path, scale: float, repeat: int, virtuoso: bool, dumps_all: bool,
               query_timeout: float) -> dict[str, Any]:
    res: dict[str, Any] = {"scale": scale}
    gen = work / f"claims-x{scale:g}"
    t0 = time.perf_counter()
    n_claims, n_articles, files = generate.write(REGISTER, gen, scale)
    res["generated"] = {"claims": n_claims, "articles": n_articles, "files": len(files), "mb": du_mb(gen),
                        "s": time.perf_counter() - t0}
    log(f"x{scale:g}: {n_claims} claims in {n_articles} articles generated")
    store = work / f"store-x{scale:g}"
    empty = work / f"empty-x{scale:g}"
    phase("ingest", empty, paths=[])  # static graphs in place, so the article run times the article
    res["article_empty"] = phase("ingest", empty, paths=[str(ARTICLE)], reconcile=True)
    phase("ingest", store, paths=[])
    res["register"] = phase("ingest", store, paths=[str(REGISTER)])
    log(f"register: {res['register']['quads']} quads in {res['register']['s']:.1f} s")
    res["claims"] = phase("ingest", store, paths=[str(f) for f in files])
    log(f"claims: {res['claims']['quads']} quads in {res['claims']['s']:.1f} s")
    res["reconcile"] = phase("reconcile", store)
    log(f"reconcile: {res['reconcile']['s']:.1f} s")
    res["article_full"] = phase("ingest", store, paths=[str(ARTICLE)], reconcile=True)
    log(f"one article with everything loaded: {res['article_full']['s']:.2f} s")
    res["disk_mb"] = du_mb(store)
    queries, rss = query_phase(store, repeat, timeout_s=query_timeout, memory_gb=6)
    res["queries"], res["queries_rss"] = queries, {"rss_mb": rss}
    log("queries on the embedded store done")
    dump_dir = work / f"dump-x{scale:g}"
    dump_dir.mkdir()
    res["dump"] = phase("dump", store, dir=str(dump_dir), formats=DUMPS if dumps_all else DUMPS[:1])
    nq = next(d for d in res["dump"]["dumps"] if d["format"] == "nquads")
    res["nquads_mb"] = nq["bytes"] / 1e6
    if res["disk_mb"] > 2 * res["nquads_mb"]:
        res["optimize"] = phase("optimize", store)
        res["disk_mb_optimized"] = du_mb(store)
    for d in res["dump"]["dumps"]:
        if d["format"] != "nquads":
            Path(d["path"]).unlink(missing_ok=True)
    log("dumps done")
    res["virtuoso"] = bench_virtuoso(work / f"virtuoso-x{scale:g}", Path(nq["path"]), repeat) if virtuoso else {
        "skipped": "--no-virtuoso"}
    shutil.rmtree(store, ignore_errors=True)
    shutil.rmtree(gen, ignore_errors=True)
    Path(nq["path"]).unlink(missing_ok=True)
    return res


def bench_virtuoso(directory: Path, nquads: Path, repeat: int) -> dict[str, Any]:
    from tests import servers

    why = servers.virtuoso_unavailable()
    if why:
        return {"skipped": why}
    from armskb.knowledgebase import KnowledgeBase

    running = servers.start_virtuoso(directory, timeout_s=600, buffers=100_000, load_dir=nquads.parent)
    try:
        t0 = time.perf_counter()
        servers.isql(running, f"ld_dir('{nquads.parent}', '{nquads.name}', 'https://w3id.org/armskb/id/graph/default'); "
                              "rdf_loader_run(); checkpoint;")
        load_s = time.perf_counter() - t0
        errors = servers.isql(running, "select ll_file, ll_error from DB.DBA.LOAD_LIST where ll_error is not null;")
        log(f"virtuoso bulk load {load_s:.1f} s")
        kb = KnowledgeBase.remote(running.query_url)
        queries = run_queries(kb, repeat)
        log("queries on Virtuoso done")
        return {"load_s": load_s, "load_errors": errors.strip()[-300:] if "ll_error" in errors and "0 Rows" not in errors
                else "", "queries": queries}
    finally:
        running.stop()


# -- report ---------------------------------------------------------------------------------------
def _ms(q: dict[str, Any] | None) -> str:
    if q is None:
        return "-"
    if "error" in q:
        return f"error: {q['error'][:60]}"
    return f"{q['median_ms']:,.1f}" + ("" if q["runs"] >= 5 else f" (n={q['runs']})")


def report(meta: dict[str, str], command: str, ext: list[dict[str, Any]], sizes: list[dict[str, Any]],
           load: tuple[str, str]) -> tuple[str, list[str]]:
    lines = [BEGIN, f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: `{command}`", "",
             f"- Machine: {meta['machine']}; load average {load[0]} at the start, {load[1]} at the end "
             "(the machine is shared: wall times are noisy, CPU seconds are given beside them)",
             f"- Versions: {meta['versions']}", ""]
    missed: list[str] = []
    if ext and "skipped" not in ext[0]:
        lines += ["### Extraction (`armskb extract --out DIR --jobs N`, process start included)", "",
                  "| jobs | articles | claims | MB | s | articles/s | MB/s |", "|---|---|---|---|---|---|---|"]
        for e in ext:
            lines.append(f"| {e['jobs']} | {e['articles']:,} | {e['claims']:,} | {e['mb']:.1f} | {e['s']:.1f} | "
                         f"{e['articles'] / e['s']:,.0f} | {e['mb'] / e['s']:.2f} |")
        lines.append("")
    for r in sizes:
        x = f"x{r['scale']:g}"
        g, reg, cl, rec = r["generated"], r["register"], r["claims"], r["reconcile"]
        inc = r["article_full"]["s"] - r["article_empty"]["s"]
        lines += [f"### Size {x}: register + {g['claims']:,} claims in {g['articles']:,} articles", "",
                  "| step | wall s | CPU s | quads | quads/s (wall) | peak RSS MB |", "|---|---|---|---|---|---|"]
        for label, p in (("ingest SIPRI register (29,056 deals)", reg), (f"ingest {g['files']} claims files", cl)):
            lines.append(f"| {label} | {p['s']:.1f} | {p['cpu_s']:.1f} | {p['quads']:,} | {p['quads'] / p['s']:,.0f} | "
                         f"{p['rss_mb']:,.0f} |")
        lines.append(f"| full reconcile ({rec['transfers']:,} transfers) | {rec['s']:.1f} | {rec['cpu_s']:.1f} | | | "
                     f"{rec['rss_mb']:,.0f} |")
        lines.append(f"| one article, empty store (ingest + reconcile) | {r['article_empty']['s']:.2f} | "
                     f"{r['article_empty']['cpu_s']:.2f} | | | {r['article_empty']['rss_mb']:,.0f} |")
        lines.append(f"| one article, everything loaded (ingest + reconcile) | {r['article_full']['s']:.2f} | "
                     f"{r['article_full']['cpu_s']:.2f} | | | {r['article_full']['rss_mb']:,.0f} |")
        for d in r["dump"]["dumps"]:
            lines.append(f"| dump {d['format']} ({d['bytes'] / 1e6:,.0f} MB) | {d['s']:.1f} | | | | {r['dump']['rss_mb']:,.0f} |")
        opt = f", {r['disk_mb_optimized']:,.0f} MB after optimize ({r['optimize']['s']:.1f} s)" if "optimize" in r else ""
        lines += ["", f"On disk: {r['disk_mb']:,.0f} MB{opt}; N-Quads dump {r['nquads_mb']:,.0f} MB "
                      f"(ratio {r.get('disk_mb_optimized', r['disk_mb']) / r['nquads_mb']:.2f})."]
        v = r["virtuoso"]
        if "load_s" in v:
            lines.append(f"Virtuoso bulk load of the same N-Quads dump (ld_dir + rdf_loader_run + checkpoint): "
                         f"{v['load_s']:.1f} s{'; errors: ' + v['load_errors'] if v['load_errors'] else ''}.")
        lines += ["", "| query | variant | rows | embedded ms | Virtuoso ms | ratio |", "|---|---|---|---|---|---|"]
        vq = {(q["query"], q["variant"]): q for q in v.get("queries", [])}
        for q in r["queries"]:
            other = vq.get((q["query"], q["variant"]))
            ratio = ""
            if other and "median_ms" in q and "median_ms" in other:
                ratio = f"{q['median_ms'] / max(other['median_ms'], 0.01):.2f}"
                if float(ratio) > 1.0:
                    missed.append(f"{x} `{q['query']}` ({q['variant']}): {float(ratio):.2f}x Virtuoso "
                                  f"({q['median_ms']:,.0f} vs {other['median_ms']:,.0f} ms)")
            limit = 100 if q["variant"] == "typical" else 1000
            if "median_ms" in q and q["median_ms"] > limit:
                missed.append(f"{x} `{q['query']}` ({q['variant']}): {q['median_ms']:,.0f} ms > {limit} ms")
            if "error" in q:
                missed.append(f"{x} `{q['query']}` ({q['variant']}): error on the embedded store")
            rows = q.get("rows", "")
            lines.append(f"| {q['query']} | {q['variant']} {json.dumps(q['params'])} | {rows} | {_ms(q)} | "
                         f"{_ms(other) if v.get('queries') else v.get('skipped', '-')} | {ratio} |")
        lines.append("")
        qps = reg["quads"] / reg["s"]
        if qps < 250_000:
            missed.append(f"{x} register ingest {qps:,.0f} quads/s < 250,000 (by {250_000 / qps:.1f}x; "
                          f"CPU-bound rate {reg['quads'] / reg['cpu_s']:,.0f}/CPU-s)")
        if rec["s"] > 5:
            missed.append(f"{x} full reconcile {rec['s']:.1f} s > 5 s")
        if inc > 0.5:
            missed.append(f"{x} one-article increment {inc:.2f} s beyond the empty store > 0.5 s")
        for label, p in (("register ingest", reg), ("claims ingest", cl), ("reconcile", rec),
                         ("queries", r["queries_rss"])):
            if p["rss_mb"] > 1024:
                missed.append(f"{x} {label} peak RSS {p['rss_mb']:,.0f} MB > 1 GB")
        ratio = r.get("disk_mb_optimized", r["disk_mb"]) / r["nquads_mb"]
        if ratio > 2:
            missed.append(f"{x} on-disk {ratio:.2f}x the N-Quads dump > 2x")
    lines += ["### Targets missed in this run", ""] + ([f"- {m}" for m in missed] or ["- none"]) + ["", END]
    return "\n".join(lines) + "\n", missed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=float, action="append", help="scale factor (repeatable; default 1)")
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per query (median)")
    ap.add_argument("--articles", type=int, default=2000, help="articles for the extraction benchmark")
    ap.add_argument("--query-timeout", type=float, default=300, help="stop a named query case after this many s")
    ap.add_argument("--no-virtuoso", action="store_true", help="skip the Virtuoso side")
    ap.add_argument("--all-dumps", action="store_true", help="time every dump format at every size (default: x1 only)")
    ap.add_argument("--out", type=Path, help="file whose bench section is replaced with the report")
    ap.add_argument("--work", type=Path, help="working directory (default: a temporary one)")
    a = ap.parse_args()
    if not REGISTER.exists():
        print(f"skipped: {REGISTER} absent (the benchmarks derive their data from the SIPRI register)")
        return 0
    sizes = a.size or [1.0]
    command = "bench/run.py " + " ".join(sys.argv[1:])
    load0 = f"{os.getloadavg()[0]:.1f}"
    meta = machine()
    work = a.work or Path(tempfile.mkdtemp(prefix="armskb-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        ext = bench_extraction(work, a.articles) if a.articles else []
        results = [bench_size(work, s, a.repeat, not a.no_virtuoso, a.all_dumps or s == 1.0 or len(sizes) == 1,
                              a.query_timeout) for s in sizes]
    finally:
        if a.work is None:
            shutil.rmtree(work, ignore_errors=True)
    text, _ = report(meta, command, ext, results, (load0, f"{os.getloadavg()[0]:.1f}"))
    (Path(__file__).parent / "last-run.json").write_text(json.dumps({"extraction": ext, "sizes": results}, indent=1))
    print(text)
    if a.out:
        old = a.out.read_text(encoding="utf-8") if a.out.exists() else ""
        if BEGIN in old and END in old:
            new = old[: old.index(BEGIN)] + text.rstrip("\n") + old[old.index(END) + len(END):]
        else:
            new = old + ("\n" if old else "") + text
        a.out.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
