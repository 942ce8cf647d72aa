"""Country profiles and flows as data, HTML and static pictures, on a small real store: the fixture
register (hand-made SIPRI rows) and the seed article, reconciled."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from armskb import namespace as ns
from armskb.cli import app
from armskb.knowledgebase import KnowledgeBase
from armskb.pages import flows as flows_mod
from armskb.pages.static import save_static
from armskb.pages.profile import Profile, country_profile, spread_years
from armskb.pages.charts import plotly_js
from armskb.pages.render import flows_html, profile_html, query_page_html

ROOT = Path(__file__).resolve().parents[2]
REGISTER = ROOT / "tests" / "fixtures" / "sipri" / "register_2024.csv"
SEED = ROOT / "examples" / "seed-fr-sputnik-2021-10-11.txt"


@pytest.fixture(scope="module")
def pages_kb() -> Iterator[KnowledgeBase]:
    base = KnowledgeBase.memory()
    base.ingest([REGISTER, SEED])
    yield base
    base.close()


@pytest.fixture(scope="module")
def serbia(pages_kb: KnowledgeBase) -> Profile:
    return country_profile(pages_kb.store, "SRB", "Serbia")


def test_spread_years() -> None:
    assert spread_years("2019: 2020:", 6) == [(2019, 0.5), (2020, 0.5)]
    assert spread_years("2019:4 2020:2", 6) == [(2019, 4 / 6), (2020, 2 / 6)]
    assert spread_years("2019:4 2020:", 6) == [(2019, 0.5), (2020, 0.5)]  # a year without its number
    assert spread_years("", 6) == []


def test_profile_rows_are_the_reconciled_transfers(pages_kb: KnowledgeBase, serbia: Profile) -> None:
    res = pages_kb.sparql("PREFIX arms: <https://w3id.org/armskb/ontology#> "
                    "SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t a arms:Transfer ; arms:recipient ?c }",
                    {"c": ns.state("SRB")})
    assert len(serbia.transfers) == int(res.rows[0]["n"]) > 0  # type: ignore[union-attr]
    by_system = {(t.partner_label, t.system): t for t in serbia.transfers}
    mi35 = by_system[("Russia", "Mi-35")]
    assert (mi35.ordered, mi35.delivered, mi35.order_year, mi35.delivery_years) == (6, 6, 2019, [2019, 2020])
    assert mi35.category == "Aircraft" and mi35.designation == "Mi-35M"
    assert not mi35.news_only and mi35.evidence, "the seed article's Mi-35 claim supports the register deal"
    assert by_system[("Belarus", "BRDM-2")].register_only


def test_news_ahead_and_evidence(serbia: Profile) -> None:
    news = {t.system for t in serbia.news_ahead}
    assert "S-400" in news and "Mi-35" not in news
    s400 = next(t for t in serbia.news_ahead if t.system == "S-400")
    assert all(e.quote and "S-400" in e.quote for e in s400.evidence)


def test_timeline_and_shares_from_the_register(serbia: Profile) -> None:
    # fixture rows: Mi-35M 30 TIV over 2019-2020, BRDM-2 0.4 in 2019, Mi-17V-5 12 in 2021
    assert [(p.year, p.tiv) for p in serbia.timeline] == [(2019, 15.4), (2020, 15.0), (2021, 12.0)]
    assert [(p.year, p.units) for p in serbia.timeline] == [(2019, 7.0), (2020, 3.0), (2021, 4.0)]
    for shares in serbia.shares.values():
        assert shares[0].partner == "Russia"
        assert sum(s.percent for s in shares) == pytest.approx(100, abs=0.2)


def test_supplier_role(pages_kb: KnowledgeBase) -> None:
    rus = country_profile(pages_kb.store, "RUS", "Russia", "supplier")
    assert {t.partner_label for t in rus.transfers} >= {"Serbia", "Algeria"}


def test_profile_html_is_self_contained(serbia: Profile) -> None:
    page = profile_html(serbia)
    assert plotly_js() in page, "plotly.js is inlined"
    own = page.replace(plotly_js(), "")
    assert not re.search(r"<(script|link|img)[^>]*\b(src|href)=\"?(https?:)?//", own), "nothing from the network"
    assert page.count('class="transfer"') == len(serbia.transfers)
    assert 'id="chart-timeline"' in page and "Plotly.newPlot" in page
    assert "Data as a table" in page and 'role="img"' in page and "aria-label=" in page
    ids = re.findall(r'\sid="([^"]+)"', own)
    assert len(ids) == len(set(ids)), "element ids are unique (a chart div sharing a heading's id is drawn there)"


def test_flows_top_n_keeps_the_total(pages_kb: KnowledgeBase) -> None:
    all_flows = flows_mod.flows(pages_kb.store, 2000, top=50)
    top2 = flows_mod.flows(pages_kb.store, 2000, top=2)
    assert sum(x.value for x in top2.links) == pytest.approx(all_flows.total)
    assert {x.supplier for x in top2.links} <= {"Russia", "United States", flows_mod.OTHER_SUPPLIERS}
    assert top2.links[0].supplier == "Russia" and top2.links[0].recipient == "Algeria"
    rus = flows_mod.flows(pages_kb.store, 2000, supplier=ns.state("RUS"))
    assert {x.supplier for x in rus.links} == {"Russia"}
    air = flows_mod.flows(pages_kb.store, 2000, category=ns.category("aircraft"))
    assert air.links and all(x.recipient != "Algeria" for x in air.links)  # Algeria's row is a SAM system


def test_flows_pictures(pages_kb: KnowledgeBase, tmp_path: Path) -> None:
    f = flows_mod.flows(pages_kb.store, 2000, top=5)
    svg, png = tmp_path / "f.svg", tmp_path / "f.png"
    save_static(f, svg)
    save_static(f, png)
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg") and "Russia" in svg.read_text(encoding="utf-8")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    again = tmp_path / "g.svg"
    save_static(f, again)
    assert again.read_bytes() == svg.read_bytes(), "static output is deterministic"
    assert "Plotly.newPlot" in flows_html(f)


def test_query_page_lists_named_queries_with_params() -> None:
    page = query_page_html()
    assert '"transfers"' in page and '"params"' in page and "SRB" in page
    assert "</script><script" not in page.replace("\n", "")


def test_cli_report_and_flows(tmp_path: Path) -> None:
    store = tmp_path / "store"
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", "--store", str(store), str(REGISTER), str(SEED)]).exit_code in (0, 1)
    out = tmp_path / "serbia.html"
    r = runner.invoke(app, ["report", "--country", "Serbia", "--store", str(store), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "Serbia (SRB)" in out.read_text(encoding="utf-8")
    for args in (["flows", "--since", "2000", "-o", str(tmp_path / "f.html")],
                 ["flows", "--since", "2000", "--supplier", "RUS", "-o", str(tmp_path / "f.svg")]):
        r = runner.invoke(app, [*args, "--store", str(store)])
        assert r.exit_code == 0, r.output


@pytest.mark.parametrize(("args", "message"), [
    (["report", "--country", "Serbiaa", "-o", "x.html"], "did you mean Serbia"),
    (["report", "--country", "SRB", "--role", "buyer", "-o", "x.html"], "no such role"),
    (["report", "--country", "SRB", "-o", "x.pdf"], "unknown output format"),
    (["flows", "--category", "aircarft", "-o", "x.html"], "did you mean aircraft"),
    (["flows", "--weight", "money", "-o", "x.html"], "no such weight"),
])
def test_cli_refuses_unknown_values(tmp_path: Path, args: list[str], message: str) -> None:
    r = CliRunner().invoke(app, [*args, "--store", str(tmp_path / "none")])
    assert r.exit_code == 2
    assert message in r.output
