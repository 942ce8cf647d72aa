"""One benchmark phase in its own process, so its peak RSS is its own (`bench/run.py` reads it
with os.wait4). Usage: `python bench/phases.py PHASE STORE ARGS_JSON`; prints one JSON line."""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from armskb.knowledgebase import KnowledgeBase

#: typical values by parameter type and name (a query's parameter without one is left unbound)
TYPICAL: dict[str, dict[str, str]] = {
    "state": {"buyer": "IND", "recipient": "IND", "seller": "RUS", "supplier": "RUS"},
    "year": {"since": "2000", "until": "2020"},
    "status": {"status": "delivered"},
    "system": {"system": "Su-30MKI"},
    "string": {"language": "en"},
}


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def query_cases() -> list[tuple[str, str, dict[str, str]]]:
    """(query, variant, params) for every named query: 'typical' binds the typical values of its
    parameters, 'unfiltered' only the required ones. A required parameter without a typical value
    skips the query (reported as such by run.py)."""
    from armskb.catalog import catalog

    cases = []
    for q in catalog().values():
        typical = {p.name: TYPICAL.get(p.type, {}).get(p.name) for p in q.params}
        if any(v is None for p, v in zip(q.params, typical.values()) if not p.optional):
            continue
        required = {p.name: typical[p.name] for p in q.params if not p.optional}
        cases.append((q.name, "typical", {k: v for k, v in typical.items() if v is not None}))
        cases.append((q.name, "unfiltered", required))  # type: ignore[arg-type]
    return cases


def run_queries(kb: KnowledgeBase, repeat: int, budget_s: float = 60.0, log: Path | None = None,
                skip: set[tuple[str, str]] | frozenset[tuple[str, str]] = frozenset()) -> list[dict[str, Any]]:
    """Median wall ms of `repeat` runs after one warm-up; a query whose warm-up exceeds
    `budget_s / repeat` runs fewer times (the count is reported). With `log`, each case is
    announced there before it runs and its result appended after, so a supervisor can tell which
    case a killed process was running."""
    out = []
    for name, variant, params in query_cases():
        if (name, variant) in skip:
            continue
        if log is not None:
            with log.open("a") as fh:
                fh.write(json.dumps({"start": [name, variant]}) + "\n")
        try:
            t0 = time.perf_counter()
            rows = len(kb.query(name, **params).rows)
            first = time.perf_counter() - t0
            times = []
            n = repeat if first * repeat <= budget_s else max(1, int(budget_s // max(first, 1e-3)))
            for _ in range(n):
                t0 = time.perf_counter()
                kb.query(name, **params)
                times.append(time.perf_counter() - t0)
            res = {"query": name, "variant": variant, "params": params, "rows": rows,
                   "median_ms": statistics.median(times) * 1000, "runs": len(times)}
        except Exception as e:  # a store's error is a result to report, not a crash of the bench
            res = {"query": name, "variant": variant, "params": params, "error": str(e)[:200]}
        out.append(res)
        if log is not None:
            with log.open("a") as fh:
                fh.write(json.dumps({"result": res}) + "\n")
    return out


def main(phase: str, store: str, args: dict[str, Any]) -> dict[str, Any]:
    kb = KnowledgeBase.open(store)
    res: dict[str, Any] = {}
    t0, c0 = time.perf_counter(), _cpu()
    if phase == "ingest":
        before = kb.store.count()
        report = kb.ingest([Path(p) for p in args["paths"]], reconcile=args.get("reconcile", False))
        res.update(quads=kb.store.count() - before, claims=report.claims, documents=report.documents,
                   rejected=len(report.rejected))
    elif phase == "reconcile":
        res["transfers"] = kb.reconcile()
    elif phase == "queries":
        limit = int(args.get("memory_gb", 4) * 2**30)  # a runaway query fails here, not the machine
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        skip = {tuple(x) for x in args.get("skip", [])}
        res["queries"] = run_queries(kb, args["repeat"], log=Path(args["log"]), skip=skip)  # type: ignore[arg-type]
    elif phase == "dump":
        res["dumps"] = []
        for fmt, suffix in args["formats"]:
            out = Path(args["dir"]) / f"all{suffix}"
            t = time.perf_counter()
            kb.dump(out, fmt)
            res["dumps"].append({"format": fmt, "s": time.perf_counter() - t, "bytes": out.stat().st_size,
                                 "path": str(out)})
    elif phase == "optimize":
        kb.store.oxigraph.optimize()  # type: ignore[attr-defined]
    else:
        raise SystemExit(f"unknown phase {phase!r}")
    res.update(s=time.perf_counter() - t0, cpu_s=_cpu() - c0)
    kb.close()
    return res


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2], json.loads(sys.argv[3]))))
