"""Charts for the pages, made with plotly: HTML fragments that run offline.

Every chart comes with a text alternative (an aria label and a caption) and its data as a table,
so it reads without JavaScript and with a screen reader. Colours are the Okabe-Ito palette, safe
for the common colour-vision deficiencies.
"""

from __future__ import annotations

from functools import cache

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs
from pydantic import BaseModel

#: Okabe & Ito (2008), colour-blind safe
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

#: news stages on the timeline: marker shape and colour per coarse stage
STAGE_STYLE = {
    "delivered": ("circle", "#009E73"), "delivering": ("circle", "#009E73"),
    "ordered": ("diamond", "#0072B2"), "agreed": ("diamond", "#0072B2"),
    "planned": ("triangle-up", "#E69F00"), "offered": ("triangle-up", "#E69F00"),
    "negotiating": ("triangle-up", "#E69F00"), "interest": ("triangle-up", "#E69F00"),
    "cancelled": ("x", "#D55E00"), "denied": ("x", "#D55E00"), "unknown": ("square", "#000000"),
}

_CONFIG = {"displaylogo": False, "responsive": True,
           "modeBarButtonsToRemove": ["sendDataToCloud"], "toImageButtonOptions": {"format": "svg"}}


class Chart(BaseModel):
    """A chart ready for a page: its HTML fragment, its text alternative, its data table."""

    id: str
    title: str
    alt: str
    html: str
    table_header: list[str]
    table_rows: list[list[str]]


@cache
def plotly_js() -> str:
    """The plotly.js bundle shipped with the plotly package, for inlining into a page."""
    return get_plotlyjs()


def _fragment(fig: go.Figure, chart_id: str, alt: str) -> str:
    fig.update_layout(template="plotly_white", font={"family": "system-ui, sans-serif", "size": 13},
                      margin={"l": 60, "r": 20, "t": 40, "b": 50}, colorway=PALETTE)
    height = fig.layout.height or 420
    fig.update_layout(height=height)
    html = fig.to_html(full_html=False, include_plotlyjs=False, div_id=chart_id, config=_CONFIG,
                       default_height=f"{height}px", default_width="100%")
    return f'<div role="img" aria-label="{_attr(alt)}">{html}</div>'


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def timeline(chart_id: str, years: list[int], tiv: list[float], units: list[float],
             marks: list[tuple[int, str, str]], title: str) -> Chart:
    """Deliveries per year (TIV bars, units line) with news claims marked by stage."""
    fig = go.Figure()
    fig.add_bar(x=years, y=tiv, name="TIV delivered (millions)", marker_color=PALETTE[0])
    fig.add_scatter(x=years, y=units, name="units delivered", yaxis="y2", mode="lines+markers",
                    line={"color": PALETTE[1]})
    seen: set[str] = set()
    for year, status, label in marks:
        symbol, colour = STAGE_STYLE.get(status, STAGE_STYLE["unknown"])
        fig.add_scatter(x=[year], y=[0], yaxis="y2", mode="markers", name=f"news: {status}",
                        legendgroup=status, showlegend=status not in seen, hovertext=label,
                        hoverinfo="text", marker={"symbol": symbol, "size": 12, "color": colour,
                                                  "line": {"width": 1, "color": "#000"}})
        seen.add(status)
    fig.update_layout(title=title, xaxis={"title": "year", "dtick": 5 if len(years) > 15 else 1},
                      yaxis={"title": "TIV (millions)"},
                      yaxis2={"title": "units", "overlaying": "y", "side": "right", "rangemode": "tozero"},
                      legend={"orientation": "h", "y": -0.2}, barmode="overlay", height=440)
    alt = (f"{title}: bar chart of TIV delivered per year from {years[0]} to {years[-1]}, peak "
           f"{max(tiv):,.0f} million in {years[tiv.index(max(tiv))]}; {len(marks)} news claims marked."
           if years else f"{title}: no deliveries recorded.")
    rows = [[str(y), f"{t:,.1f}", f"{u:,.1f}"] for y, t, u in zip(years, tiv, units)]
    return Chart(id=chart_id, title=title, alt=alt, html=_fragment(fig, chart_id, alt),
                 table_header=["year", "TIV delivered (millions)", "units delivered"], table_rows=rows)


def shares(chart_id: str, partners: list[str], tiv: list[float], percent: list[float], title: str) -> Chart:
    """Partners' shares of delivered TIV as horizontal bars, largest on top."""
    fig = go.Figure(go.Bar(x=percent[::-1], y=partners[::-1], orientation="h", marker_color=PALETTE[0],
                           text=[f"{p:.1f}%" for p in percent[::-1]], textposition="auto",
                           hovertext=[f"{t:,.0f} TIV million" for t in tiv[::-1]]))
    fig.update_layout(title=title, xaxis={"title": "share of TIV delivered (%)", "rangemode": "tozero"},
                      height=max(220, 40 + 28 * len(partners)))
    alt = (f"{title}: " + ", ".join(f"{p} {s:.1f}%" for p, s in zip(partners[:5], percent[:5]))
           if partners else f"{title}: no deliveries.")
    rows = [[p, f"{t:,.0f}", f"{s:.1f}"] for p, t, s in zip(partners, tiv, percent)]
    return Chart(id=chart_id, title=title, alt=alt, html=_fragment(fig, chart_id, alt),
                 table_header=["partner", "TIV (millions)", "share (%)"], table_rows=rows)


def sankey(chart_id: str, sources: list[str], targets: list[str], values: list[float], unit: str,
           title: str) -> Chart:
    """Supplier -> recipient flows as a Sankey diagram."""
    left = list(dict.fromkeys(sources))
    right = list(dict.fromkeys(targets))
    labels = left + right
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(left))] + ["#999999"] * len(right)
    link_colours = [_alpha(colours[left.index(s)], 0.45) for s in sources]
    fig = go.Figure(go.Sankey(
        arrangement="snap",
        node={"label": labels, "color": colours, "pad": 12, "thickness": 14},
        link={"source": [left.index(s) for s in sources],
              "target": [len(left) + right.index(t) for t in targets],
              "value": values, "color": link_colours,
              "hovertemplate": "%{source.label} → %{target.label}: %{value:,.0f} " + unit + "<extra></extra>"},
    ))
    fig.update_layout(title=title, height=max(420, 24 * max(len(left), len(right))))
    order = sorted(zip(sources, targets, values), key=lambda r: -r[2])
    alt = (f"{title}: flow diagram of {len(left)} suppliers to {len(right)} recipients; largest flows "
           + "; ".join(f"{s} to {t} {v:,.0f} {unit}" for s, t, v in order[:3]) if order else f"{title}: no flows.")
    rows = [[s, t, f"{v:,.0f}"] for s, t, v in order]
    return Chart(id=chart_id, title=title, alt=alt, html=_fragment(fig, chart_id, alt),
                 table_header=["supplier", "recipient", unit], table_rows=rows)


def _alpha(hex_colour: str, a: float) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{a})"
