"""The pages in a real browser: country profiles (SRB, IND, UKR) and flows as files, the same
profile and the query page under `armskb serve`. Each page must load with no console error, draw
non-empty charts and show the expected rows; a screenshot of each is saved by the run."""

from __future__ import annotations

import csv
import io
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from armskb import namespace as ns
from armskb.cli import app
from armskb.knowledgebase import KnowledgeBase
from armskb.server import Server, make_server
from tests.browser import chromium, console_errors, require_chromium, screenshot
from tests.conftest import shared_path

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "examples" / "seed-fr-sputnik-2021-10-11.txt"
COUNTRIES = {"SRB": "Serbia", "IND": "India", "UKR": "Ukraine"}

pytestmark = [pytest.mark.shared, pytest.mark.server]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An on-disk store with the real register rows of the three countries and the seed article."""
    register = shared_path("sipri", "sipri_trade_register_all_1950-2023.csv")
    text = register.read_text(encoding="utf-8")
    header, *lines = text.splitlines(keepends=True)
    names = tuple(f"{n}," for n in COUNTRIES.values())
    rows = [ln for ln in lines if ln.startswith(names) and len(next(csv.reader(io.StringIO(ln)))) == 16]
    work = tmp_path_factory.mktemp("pages")
    subset = work / "register_subset.csv"
    subset.write_text(header + "".join(rows), encoding="utf-8")
    path = work / "store"
    with KnowledgeBase.open(path) as kb:
        report = kb.ingest([subset, SEED])
        assert report.documents == 2
    return path


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


def _charts_drawn(browser: Any) -> list[dict]:
    return browser.execute_script(
        "return [...document.querySelectorAll('.plotly-graph-div')].map(d => {"
        " const s = d.querySelector('svg.main-svg'); const r = s ? s.getBoundingClientRect() : null;"
        " return {id: d.id, w: r ? r.width : 0, h: r ? r.height : 0,"
        "         marks: d.querySelectorAll('.point, .bars path, .sankey-link, .sankey-node').length}; })")


@pytest.mark.parametrize("code", sorted(COUNTRIES))
def test_country_profile_file(store: Path, browser: Any, shots: Path, tmp_path: Path, code: str) -> None:
    require_chromium()
    out = tmp_path / f"{code}.html"
    r = CliRunner().invoke(app, ["report", "--country", code, "--store", str(store), "-o", str(out)])
    assert r.exit_code == 0, r.output
    with KnowledgeBase.open(store) as kb:
        res = kb.sparql("PREFIX arms: <https://w3id.org/armskb/ontology#> "
                        "SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t a arms:Transfer ; arms:recipient ?c }",
                        {"c": ns.state(code)})
        expected = int(res.rows[0]["n"])  # type: ignore[union-attr]
    browser.get(out.as_uri())
    assert COUNTRIES[code] in browser.title
    assert not console_errors(browser)
    rows = browser.find_elements("css selector", "#transfers-table tbody tr")
    assert len(rows) == expected > 0
    charts = _charts_drawn(browser)
    assert {c["id"] for c in charts} >= {"chart-timeline", "chart-shares-0"}
    assert all(c["w"] > 100 and c["h"] > 100 and c["marks"] > 0 for c in charts), charts
    screenshot(browser, shots, f"profile-{code}")


def test_flows_file(store: Path, browser: Any, shots: Path, tmp_path: Path) -> None:
    require_chromium()
    out = tmp_path / "flows.html"
    r = CliRunner().invoke(app, ["flows", "--since", "2010", "--top", "5", "--store", str(store), "-o", str(out)])
    assert r.exit_code == 0, r.output
    browser.get(out.as_uri())
    assert not console_errors(browser)
    (chart,) = _charts_drawn(browser)
    assert chart["id"] == "chart-flows" and chart["marks"] > 0
    table = browser.find_elements("css selector", "#fig-chart-flows table.chart-data tbody tr")
    assert table, "the flows have a table fallback"
    screenshot(browser, shots, "flows")


@pytest.fixture(scope="module")
def served(store: Path) -> Iterator[Server]:
    server = make_server(store=store, port=0, workers=2, timeout_s=120).start()
    yield server
    server.close()


def test_profile_under_serve(served: Server, browser: Any, shots: Path) -> None:
    browser.get(served.url + "/country/SRB")
    assert "Serbia" in browser.title
    assert not console_errors(browser)
    assert browser.find_elements("css selector", "#transfers-table tbody tr")
    assert all(c["marks"] > 0 for c in _charts_drawn(browser))
    screenshot(browser, shots, "profile-SRB-served")


def test_query_page_runs_a_named_query_through_the_form(served: Server, browser: Any, shots: Path) -> None:
    from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: PLC0415 - optional test dependency

    browser.get(served.url + "/")
    Select(browser.find_element("id", "named")).select_by_value("suppliers-of")
    field = browser.find_element("css selector", "#params input[data-param]")
    field.clear()
    field.send_keys("Serbia")
    browser.find_element("id", "run").click()
    WebDriverWait(browser, 60).until(lambda b: "row(s)" in b.find_element("id", "status").text
                                     or "error" in (b.find_element("id", "status").get_attribute("class") or ""))
    status = browser.find_element("id", "status").text
    rows = browser.find_elements("css selector", "#results tbody tr")
    assert rows and "row(s)" in status, status
    assert not console_errors(browser)
    link = browser.find_element("id", "permalink").get_attribute("href")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)
    assert query["named"] == ["suppliers-of"] and list(query.values())[1] == ["Serbia"]
    csv_link = browser.find_element("id", "dl-csv").get_attribute("href")
    assert "format=csv" in csv_link
    screenshot(browser, shots, "query-page")
    browser.get(link)  # the permalink runs the query again
    WebDriverWait(browser, 60).until(lambda b: "row(s)" in b.find_element("id", "status").text)
    assert len(browser.find_elements("css selector", "#results tbody tr")) == len(rows)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def test_transfer_link_leads_to_its_row(served: Server, store: Path, browser: Any) -> None:
    with KnowledgeBase.open(store, read_only=True) as kb:
        res = kb.sparql("PREFIX arms: <https://w3id.org/armskb/ontology#> "
                        "SELECT ?t WHERE { ?t a arms:Transfer ; arms:recipient ?c } ORDER BY ?t LIMIT 1",
                        {"c": ns.state("SRB")})
    iri = str(res.rows[0]["t"])  # type: ignore[union-attr]
    opener = urllib.request.build_opener(_NoRedirect)
    url = served.url + "/transfer?" + urllib.parse.urlencode({"iri": iri})
    with pytest.raises(urllib.error.HTTPError) as answer:
        opener.open(url, timeout=60)
    assert answer.value.code == 302
    location = answer.value.headers["Location"]
    assert location.startswith("/country/SRB#t-")
    browser.get(served.url + location)
    assert browser.find_element("id", location.split("#", 1)[1]).get_attribute("class") == "transfer"
    with pytest.raises(urllib.error.HTTPError) as bad:
        opener.open(served.url + "/transfer?iri=https://example.org/x", timeout=60)
    assert bad.value.code == 400
