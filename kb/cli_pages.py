"""The `armskb report` and `armskb flows` commands: pages written to files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from armskb.cli_remote import open_kb
from armskb.errors import ArmskbError
from armskb.pages import flows as flows_mod
from armskb.pages.profile import country_profile
from armskb.pages.render import flows_html, profile_html
from armskb.pages.resolve import UsageError, flow_options, resolve_country, role_of

_PAGE_SUFFIXES = (".html", ".htm")
_FLOW_SUFFIXES = (".html", ".htm", ".svg", ".png")


def _out_path(out: Path, suffixes: tuple[str, ...]) -> Path:
    if out.suffix.lower() not in suffixes:
        raise UsageError(f"{out}: unknown output format {out.suffix or '(none)'!r}; use one of {', '.join(suffixes)}")
    return out


def _fail(e: ArmskbError, code: int) -> None:
    print(f"error: {e}", file=sys.stderr)
    raise typer.Exit(code)


def report(
    country: Annotated[str, typer.Option("--country", help="State: ISO code or name (SRB, Serbia).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The HTML file to write.")],
    role: Annotated[str, typer.Option("--role", help="recipient (its imports) or supplier (its exports).")] = "recipient",
    store: Annotated[Optional[Path], typer.Option("--store", envvar="ARMSKB_STORE", help="Store directory.")] = None,
) -> None:
    """A country profile page: transfers with evidence, deliveries per year, shares, news, conflicts."""
    try:
        code, name = resolve_country(country)
        r = role_of(role)
        path = _out_path(out, _PAGE_SUFFIXES)
    except UsageError as e:
        _fail(e, 2)
    try:
        with open_kb(store) as kb:
            page = profile_html(country_profile(kb.store, code, name, r))
    except ArmskbError as e:
        _fail(e, 1)
    path.write_text(page, encoding="utf-8")
    print(f"wrote {path}", file=sys.stderr)


def flows(
    out: Annotated[Path, typer.Option("--out", "-o", help="flows.html (interactive), .svg or .png.")],
    since: Annotated[int, typer.Option("--since", help="First delivery year.")] = 2015,
    until: Annotated[Optional[int], typer.Option("--until", help="Last delivery year (default: latest).")] = None,
    category: Annotated[Optional[str], typer.Option("--category", help="Weapon category (aircraft, ship, ...).")] = None,
    supplier: Annotated[Optional[str], typer.Option("--supplier", help="Only this supplier (code or name).")] = None,
    weight: Annotated[str, typer.Option("--weight", help="tiv (SIPRI TIV delivered) or units.")] = "tiv",
    top: Annotated[int, typer.Option("--top", help="Suppliers and recipients shown; the rest is 'other'.")] = 10,
    store: Annotated[Optional[Path], typer.Option("--store", envvar="ARMSKB_STORE", help="Store directory.")] = None,
) -> None:
    """Supplier -> recipient flows of the register's deliveries, as a Sankey (HTML) or alluvial (SVG/PNG)."""
    try:
        path = _out_path(out, _FLOW_SUFFIXES)
        opts = flow_options(since, until, category, supplier, weight, top)
    except UsageError as e:
        _fail(e, 2)
    try:
        with open_kb(store) as kb:
            f = flows_mod.flows(kb.store, opts.since, opts.until, category=opts.category, supplier=opts.supplier,
                                weight=opts.weight, top=opts.top, title=opts.title)
    except ArmskbError as e:
        _fail(e, 1)
    if not f.links:
        print(f"warning: no deliveries match (since {since}, category {category or 'any'}, "
              f"supplier {supplier or 'any'})", file=sys.stderr)
    if path.suffix.lower() in (".svg", ".png"):
        # matplotlib loads only for static pictures: every other command starts without it
        from armskb.pages.static import save_static  # noqa: PLC0415

        save_static(f, path)
    else:
        path.write_text(flows_html(f), encoding="utf-8")
    print(f"wrote {path}", file=sys.stderr)
