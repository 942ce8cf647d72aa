"""Static pictures of the flows (SVG, PNG): an alluvial diagram drawn by matplotlib.

Kept apart from the page code so the server and the HTML pages never load matplotlib.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MPath

from armskb.pages.charts import PALETTE
from armskb.pages.flows import OTHER_RECIPIENTS, OTHER_SUPPLIERS, Flows


def save_static(f: Flows, path: Path) -> None:
    """An alluvial diagram of the flows as SVG or PNG (by the path's suffix), drawn by matplotlib."""
    fmt = path.suffix.lstrip(".").lower()
    left = _order([(x.supplier, x.value) for x in f.links])
    right = _order([(x.recipient, x.value) for x in f.links])
    total = sum(x.value for x in f.links) or 1.0
    gap = 0.01
    fig = Figure(figsize=(11, max(5, 0.45 * max(len(left), len(right)))))
    ax = fig.subplots()
    pos_l, scale_l = _stack(left, total, gap)
    pos_r, scale_r = _stack(right, total, gap)
    colour = {name: PALETTE[i % len(PALETTE)] for i, (name, _) in enumerate(left)}
    off_l = {n: pos_l[n][0] for n in pos_l}
    off_r = {n: pos_r[n][0] for n in pos_r}
    for x in f.links:
        hl, hr = x.value / total * scale_l, x.value / total * scale_r
        y0, y1 = off_l[x.supplier], off_r[x.recipient]
        off_l[x.supplier] += hl
        off_r[x.recipient] += hr
        verts = [(0.1, y0), (0.5, y0), (0.5, y1), (0.9, y1), (0.9, y1 + hr), (0.5, y1 + hr), (0.5, y0 + hl),
                 (0.1, y0 + hl), (0.1, y0)]
        codes = [MPath.MOVETO, MPath.CURVE4, MPath.CURVE4, MPath.CURVE4, MPath.LINETO, MPath.CURVE4,
                 MPath.CURVE4, MPath.CURVE4, MPath.CLOSEPOLY]
        ax.add_patch(PathPatch(MPath(verts, codes), facecolor=colour[x.supplier], alpha=0.45, lw=0))
    for names, pos, x0, ha, xt in ((left, pos_l, 0.08, "right", 0.07), (right, pos_r, 0.9, "left", 0.93)):
        for name, v in names:
            y, h = pos[name]
            ax.add_patch(Rectangle((x0, y), 0.02, h, facecolor=colour.get(name, "#777777"), lw=0))
            ax.text(xt, y + h / 2, f"{name} ({v:,.0f})", ha=ha, va="center", fontsize=9)
    ax.set_xlim(-0.3, 1.3)
    ax.set_ylim(0, 1)
    ax.invert_yaxis()
    ax.axis("off")
    ax.set_title(f"{f.title}\n(SIPRI register; {f.unit})", fontsize=11)
    with rc_context({"svg.hashsalt": "armskb"}):  # stable element ids: same flows, same file
        fig.savefig(path, format=fmt, bbox_inches="tight", metadata=_metadata(fmt))


def _metadata(fmt: str) -> dict[str, str | None]:
    """No creation date in SVG output, so the same flows give the same file."""
    return {"Date": None} if fmt == "svg" else {}


def _order(pairs: list[tuple[str, float]]) -> list[tuple[str, float]]:
    totals: dict[str, float] = defaultdict(float)
    for name, v in pairs:
        totals[name] += v
    others = [n for n in totals if n in (OTHER_SUPPLIERS, OTHER_RECIPIENTS)]
    main = sorted((n for n in totals if n not in others), key=lambda n: (-totals[n], n))
    return [(n, totals[n]) for n in main + others]


def _stack(names: list[tuple[str, float]], total: float, gap: float) -> tuple[dict[str, tuple[float, float]], float]:
    """(top, height) of each node in a column of height 1 with gaps, and the value-to-height scale."""
    scale = 1 - gap * max(len(names) - 1, 0)
    out: dict[str, tuple[float, float]] = {}
    y = 0.0
    for name, v in names:
        h = v / total * scale
        out[name] = (y, h)
        y += h + gap
    return out, scale
