"""Load test of `armskb serve` on 127.0.0.1: N requests from C clients, a share of them slow.

    .venv/bin/python bench/load_server.py [--requests 2000] [--clients 8] [--slow-share 0.02]
                                          [--workers 3] [--timeout-s 3] [--store DIR]

Starts `armskb serve` as its own process on a free port (on a fresh store holding the fixture
claims, the ontology and the reference graphs, unless --store is given), then each client thread
sends its share of requests over one keep-alive connection: cheap queries (ASK, counts, short
SELECTs with varying LIMIT) and, with probability --slow-share, a query that runs until the
server's timeout. Prints a Markdown table: cheap latency percentiles, cheap failures (the target
is 0), what became of the slow queries, throughput. Owned by the server engineer (bench/ is
otherwise the bench engineer's); the figures go under "Server load" in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

from rich.progress import Progress

ROOT = Path(__file__).resolve().parents[1]
ARMSKB = Path(sys.executable).parent / "armskb"
CLAIMS = ROOT / "tests" / "fixtures" / "claims" / "small.jsonl"
ARMS = "https://w3id.org/armskb/ontology#"
CHEAP = [
    "ASK {{ ?c a <" + ARMS + "Claim> }}",
    "SELECT (COUNT(*) AS ?n) WHERE {{ ?c a <" + ARMS + "Claim> }} # {n}",
    "SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} LIMIT {n}",
    "SELECT ?c ?b WHERE {{ ?c a <" + ARMS + "Claim> ; <" + ARMS + "buyer> ?b }} LIMIT {n}",
]
SLOW = "SELECT (COUNT(*) AS ?n) WHERE {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }} # {n}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(store: Path, port: int, workers: int, timeout_s: float, tmp: Path) -> subprocess.Popen:
    proc = subprocess.Popen([str(ARMSKB), "serve", "--store", str(store), "--port", str(port),
                             "--workers", str(workers), "--timeout-s", str(timeout_s)],
                            env={**os.environ, "TMPDIR": str(tmp)}, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=(tmp / "server.log").open("wb"))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {(tmp / 'server.log').read_text()[-2000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/sparql?query=ASK%7B%7D")
            if conn.getresponse().status == 200:
                conn.close()
                time.sleep(5)  # let the standby worker start too: measure the steady state
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not answer within 120 s")


class Client(threading.Thread):
    def __init__(self, port: int, jobs: list[tuple[str, str]], results: list, done: Progress, task: int) -> None:
        super().__init__(daemon=True)
        self.port, self.jobs, self.results, self.progress, self.task = port, jobs, results, done, task

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        for kind, text in self.jobs:
            body = urllib.parse.urlencode({"query": text})
            start = time.perf_counter()
            try:
                conn.request("POST", "/sparql", body, {"Content-Type": "application/x-www-form-urlencoded",
                                                      "Accept": "application/sparql-results+json"})
                resp = conn.getresponse()
                payload = resp.read()
                status = resp.status
                if resp.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException) as e:
                status, payload = 0, str(e).encode()
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.results.append((kind, status, time.perf_counter() - start, payload[:80]))
            self.progress.advance(self.task)
        conn.close()


def make_store(tmp: Path) -> Path:
    store = tmp / "store"
    subprocess.run([str(ARMSKB), "ingest", "--store", str(store), str(CLAIMS)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return store


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--slow-share", type=float, default=0.02)
    ap.add_argument("--workers", type=int, default=3)
    ap.add_argument("--timeout-s", type=float, default=3)
    ap.add_argument("--store", type=Path)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    tmp = Path(tempfile.mkdtemp(prefix="armskb-load-"))
    proc = None
    try:
        store = args.store or make_store(tmp)
        port = free_port()
        proc = start_server(store, port, args.workers, args.timeout_s, tmp)
        jobs = [("slow", SLOW.format(n=i)) if rng.random() < args.slow_share
                else ("cheap", rng.choice(CHEAP).format(n=rng.randint(1, 50))) for i in range(args.requests)]
        results: list = []
        with Progress(disable=not sys.stderr.isatty(), transient=True) as progress:
            task = progress.add_task("requests", total=len(jobs))
            clients = [Client(port, jobs[i::args.clients], results, progress, task) for i in range(args.clients)]
            start = time.perf_counter()
            for c in clients:
                c.start()
            for c in clients:
                c.join()
            wall = time.perf_counter() - start
        report(args, results, wall)
        cheap_failed = sum(1 for kind, status, *_ in results if kind == "cheap" and status != 200)
        return 1 if cheap_failed else 0
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            proc.wait(30)
        shutil.rmtree(tmp, ignore_errors=True)


def report(args: argparse.Namespace, results: list, wall: float) -> None:
    cheap = sorted(t for kind, status, t, _ in results if kind == "cheap" and status == 200)
    failed = [(status, body) for kind, status, _, body in results if kind == "cheap" and status != 200]
    slow = Counter((status, body.split(b":")[0].decode(errors="replace"))
                   for kind, status, _, body in results if kind == "slow")

    def pct(p: float) -> str:
        return f"{cheap[min(len(cheap) - 1, int(p * len(cheap)))] * 1000:.0f}" if cheap else "-"

    print(f"`bench/load_server.py --requests {args.requests} --clients {args.clients} --slow-share "
          f"{args.slow_share} --workers {args.workers} --timeout-s {args.timeout_s:g}`\n")
    print("| requests | cheap ok | cheap failed | slow | wall s | req/s | cheap p50 ms | p95 | p99 | max |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    print(f"| {len(results)} | {len(cheap)} | {len(failed)} | {sum(slow.values())} | {wall:.1f} | "
          f"{len(results) / wall:.0f} | {pct(0.5)} | {pct(0.95)} | {pct(0.99)} | "
          f"{(cheap[-1] * 1000 if cheap else 0):.0f} |")
    print("\nslow queries: " + ", ".join(f"{n} x {status} {why!r}" for (status, why), n in slow.most_common()))
    if failed:
        print("cheap failures: " + ", ".join(f"{s} {b!r}" for s, b in failed[:10]))
    if cheap:
        print(f"cheap mean {statistics.mean(cheap) * 1000:.0f} ms")


if __name__ == "__main__":
    sys.exit(main())
