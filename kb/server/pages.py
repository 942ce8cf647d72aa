"""Pages under `armskb serve`: /country/CODE, /flows, the query page and the plotly bundle.

The pages' internal queries run in the query workers like any client query (checked, timed,
memory-capped, no network), through `WorkerQueries`, which offers the one `query` method the page
data modules need. The answer comes back as SPARQL JSON and is read with rdflib's result parser.
"""

from __future__ import annotations

import io
import urllib.parse
from collections.abc import Mapping

from rdflib.plugins.sparql.results.jsonresults import JSONResultParser
from rdflib.term import Identifier, URIRef

from armskb import namespace as ns
from armskb.bind import bind
from armskb.errors import ArmskbError
from armskb.pages import flows as flows_mod
from armskb.pages.charts import plotly_js
from armskb.pages.profile import country_profile
from armskb.pages.render import flows_html, profile_html, query_page_html
from armskb.pages.resolve import UsageError, parse_flow_options, resolve_country, role_of
from armskb.pages.source import select
from armskb.server.execute import Job
from armskb.server.guard import HttpError
from armskb.server.workers import Pool, QueryTimeout
from armskb.store import SelectResult

#: internal page queries are never cut short: a cut page would be a silently wrong one
_PAGE_ROWS = 2_000_000
HTML = "text/html; charset=utf-8"
#: the plotly.js bundle of the installed plotly package, served once and cached by browsers
PLOTLY_PATH = "/static/plotly.min.js"


class WorkerQueries:
    """A read-only query interface over the worker pool (what `armskb.pages` needs of a store)."""

    def __init__(self, pool: Pool) -> None:
        self.pool = pool

    def query(self, text: str, bindings: Mapping[str, Identifier] | None = None) -> SelectResult:
        try:
            # the project's own page queries with bound values (tests check each passes the guard)
            answer = self.pool.run(Job(bind(text, bindings or {}), "json", max_rows=_PAGE_ROWS, named=True))
        except QueryTimeout as e:
            raise HttpError(503, f"the page's data took too long: {e}") from None
        if answer.truncated:
            raise HttpError(500, "a page query hit the row cap; the page would be incomplete")
        res = JSONResultParser().parse(io.BytesIO(answer.body))
        variables = [str(v) for v in res.vars or []]
        rows = [{str(k): v for k, v in b.items()} for b in res.bindings]
        return SelectResult(variables=variables, rows=rows)


def route(path: str, params: Mapping[str, list[str]], pool: Pool) -> tuple[int, str, bytes, dict] | None:
    """The answer for a page path, or None when the path is not a page."""
    if path in ("/", "/index.html"):
        return 200, HTML, query_page_html().encode("utf-8"), {}
    if path == PLOTLY_PATH:
        return 200, "text/javascript; charset=utf-8", plotly_js().encode("utf-8"), {"Cache-Control": "max-age=86400"}
    one = {k: v[-1] for k, v in params.items()}
    try:
        if path.startswith("/country/"):
            code, name = resolve_country(urllib.parse.unquote(path[len("/country/"):]))
            role = role_of(one.get("role", "recipient"))
            page = profile_html(country_profile(WorkerQueries(pool), code, name, role), PLOTLY_PATH)
            return 200, HTML, page.encode("utf-8"), {}
        if path == "/transfer":
            return _transfer_redirect(one.get("iri", ""), WorkerQueries(pool))
        if path == "/flows":
            opts = parse_flow_options(one)
            f = flows_mod.flows(WorkerQueries(pool), opts.since, opts.until,
                                category=opts.category, supplier=opts.supplier, weight=opts.weight,
                                top=opts.top, title=opts.title)
            return 200, HTML, flows_html(f, PLOTLY_PATH).encode("utf-8"), {}
    except UsageError as e:
        raise HttpError(400, str(e)) from None
    except ArmskbError as e:
        raise HttpError(500, str(e)) from None
    return None


def _transfer_redirect(iri: str, source: WorkerQueries) -> tuple[int, str, bytes, dict]:
    """A transfer is shown on its recipient's profile (else its supplier's): redirect to its row."""
    if ns.parse_transfer(iri) is None:
        raise HttpError(400, "give iri=<a transfer IRI (…/id/transfer/…)>")
    rows = select(source, "transfer-parties", {"t": URIRef(iri)})
    if not rows:
        raise HttpError(404, f"no transfer {iri} in this store")
    anchor = "t-" + (ns.parse_transfer(iri) or "")
    recipient, supplier = ns.parse_state(rows[0].get("recipient")), ns.parse_state(rows[0].get("supplier"))
    if recipient:
        target = f"/country/{recipient}#{anchor}"
    elif supplier:
        target = f"/country/{supplier}?role=supplier#{anchor}"
    else:
        raise HttpError(404, f"transfer {iri} has no state as recipient or supplier, so no country page")
    return 302, "text/plain; charset=utf-8", f"see {target}\n".encode(), {"Location": target}


__all__ = ["WorkerQueries", "route"]
