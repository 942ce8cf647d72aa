"""Pages as self-contained HTML: jinja2 templates, plotly charts inlined, no network at view time."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape

from armskb import __version__, reference
from armskb.catalog import catalog
from armskb.models import Status
from armskb.pages import charts
from armskb.pages.flows import Flows
from armskb.pages.profile import Profile


@cache
def _env() -> Environment:
    env = Environment(loader=PackageLoader("armskb.pages", "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    env.globals["years"] = _years
    return env


def _years(years: list[int]) -> str:
    """Delivery years as SIPRI writes them: runs collapsed ('2019-2021; 2023')."""
    out: list[str] = []
    for y in sorted(years):
        if out and out[-1].split("-")[-1] == str(y - 1):
            out[-1] = out[-1].split("-")[0] + f"-{y}"
        else:
            out.append(str(y))
    return "; ".join(out)


def profile_html(p: Profile, plotly_src: str | None = None) -> str:
    """The country profile page; plotly.js inlined, or loaded from `plotly_src` (the server's copy)."""
    partner_word = "supplier" if p.role == "recipient" else "recipient"
    years = [pt.year for pt in p.timeline]
    verb = "imports" if p.role == "recipient" else "exports"
    timeline = charts.timeline(
        "chart-timeline", years, [pt.tiv for pt in p.timeline], [pt.units for pt in p.timeline],
        [(m.year, m.status, m.label) for m in p.news_marks], f"{p.name}: {verb} delivered per year")
    share_charts = [
        charts.shares(f"chart-shares-{i}", [s.partner for s in ss], [s.tiv for s in ss], [s.percent for s in ss],
                      f"{partner_word.capitalize()}s, {window}")
        for i, (window, ss) in enumerate(p.shares.items())
    ]
    return _env().get_template("profile.html").render(
        title=f"{p.name} {verb}", p=p, partner_word=partner_word, timeline=timeline,
        share_charts=share_charts, charts=True, plotly_src=plotly_src,
        plotly_js="" if plotly_src else charts.plotly_js(), version=__version__)


def flows_html(f: Flows, plotly_src: str | None = None) -> str:
    """The flows page: a Sankey diagram and its table (plotly.js as in `profile_html`)."""
    chart = charts.sankey("chart-flows", [x.supplier for x in f.links], [x.recipient for x in f.links],
                          [x.value for x in f.links], f.unit, f.title)
    return _env().get_template("flows.html").render(
        title=f.title, f=f, chart=chart, charts=True, plotly_src=plotly_src,
        plotly_js="" if plotly_src else charts.plotly_js(), version=__version__)


def query_page_html() -> str:
    """The endpoint's query page: named queries with a parameter form generated from their headers,
    suggestions for states, systems and statuses, downloads, permalinks and a chart of the results."""
    named = {q.name: {"title": q.title, "text": q.text, "params": [p.model_dump() for p in q.params]}
             for q in catalog().values()}
    states = sorted((code, s.name) for code, s in reference.states().items())
    systems = sorted({(s.designation, "") for s in reference.systems().values()})
    suggest = {"states": states, "systems": systems, "statuses": [(s.value, "") for s in Status]}
    return _env().get_template("query.html").render(named=named, suggest=suggest, version=__version__)
