"""Page render times (issue: a country with ~500 transfers renders in under 1 s on the embedded store).

Usage: python bench/pages.py STORE_DIR [--repeat 5]
The store should hold the full SIPRI register (and any articles), reconciled. Prints one line per
page with the median data and render time in ms, and the number of transfers shown.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from armskb.knowledgebase import KnowledgeBase
from armskb.pages import flows as flows_mod
from armskb.pages.profile import country_profile
from armskb.pages.render import flows_html, profile_html

COUNTRIES = [("SRB", "Serbia"), ("UKR", "Ukraine"), ("IND", "India")]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with KnowledgeBase.open(args.store) as kb:
        for code, name in COUNTRIES:
            data, render, n = [], [], 0
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                p = country_profile(kb.store, code, name)
                t1 = time.perf_counter()
                profile_html(p)
                data.append(t1 - t0)
                render.append(time.perf_counter() - t1)
                n = len(p.transfers)
            print(f"profile {code}\ttransfers {n}\tdata {statistics.median(data) * 1000:.0f} ms"
                  f"\trender {statistics.median(render) * 1000:.0f} ms")
        data, render = [], []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            f = flows_mod.flows(kb.store, 2015)
            t1 = time.perf_counter()
            flows_html(f)
            data.append(t1 - t0)
            render.append(time.perf_counter() - t1)
        print(f"flows since 2015\tlinks {len(f.links)}\tdata {statistics.median(data) * 1000:.0f} ms"
              f"\trender {statistics.median(render) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
