"""User values of the page commands and routes (country, role, category, weight) checked and
resolved once, with the closest matches suggested for an unknown one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal as Lit

from pydantic import BaseModel
from rapidfuzz import process
from rdflib import URIRef

from armskb import namespace as ns
from armskb import reference
from armskb.errors import ArmskbError
from armskb.models import Category

CATEGORIES = tuple(c.value for c in Category)
ROLES = ("recipient", "supplier")
WEIGHTS = ("tiv", "units")


class UsageError(ArmskbError):
    """A value armskb does not know (a state, role, category, weight or output format)."""


def _suggest(value: str, choices: list[str]) -> str:
    best = process.extract(value, choices, limit=3, score_cutoff=60)
    return f"; did you mean {', '.join(b[0] for b in best)}?" if best else ""


def resolve_country(text: str) -> tuple[str, str]:
    """(ISO code, English name) of a state named by code or by name in any supported language."""
    code = reference.resolve_state(text)
    if code is None:
        names = [s.name for s in reference.states().values()] + list(reference.states())
        raise UsageError(f"{text}: no such state{_suggest(text, names)}")
    return code, reference.states()[code].name


def choice(value: str, choices: tuple[str, ...], what: str) -> str:
    """`value` if it is one of `choices`, else a UsageError naming the closest ones."""
    if value not in choices:
        raise UsageError(f"{value}: no such {what}{_suggest(value, list(choices))} (one of {', '.join(choices)})")
    return value


def role_of(value: str) -> Lit["recipient", "supplier"]:
    return "recipient" if choice(value, ROLES, "role") == "recipient" else "supplier"


class FlowOptions(BaseModel):
    """What a flows picture is selected by."""

    since: int = 2015
    until: int | None = None
    category: URIRef | None = None
    supplier: URIRef | None = None
    weight: Lit["tiv", "units"] = "tiv"
    top: int = 10
    title: str | None = None

    model_config = {"arbitrary_types_allowed": True}


def _year(value: str, what: str) -> int:
    if not value.isdigit() or not 1900 <= int(value) <= 2100:
        raise UsageError(f"{what}={value!r}: not a year (1900-2100)")
    return int(value)


def flow_options(since: int = 2015, until: int | None = None, category: str | None = None,
                 supplier: str | None = None, weight: str = "tiv", top: int = 10) -> FlowOptions:
    """Checked flow options from command-line or query-string values."""
    if top < 1:
        raise UsageError(f"top={top}: must be at least 1")
    sup = resolve_country(supplier) if supplier else None
    return FlowOptions(
        since=since, until=until, top=top,
        category=ns.category(choice(category, CATEGORIES, "category")) if category else None,
        supplier=ns.state(sup[0]) if sup else None,
        weight="tiv" if choice(weight, WEIGHTS, "weight") == "tiv" else "units",
        title=f"Arms exports of {sup[1]}" if sup else None,
    )


def parse_flow_options(params: Mapping[str, str]) -> FlowOptions:
    """Flow options from a query string (`since`, `until`, `category`, `supplier`, `weight`, `top`)."""
    unknown = set(params) - {"since", "until", "category", "supplier", "weight", "top"}
    if unknown:
        raise UsageError(f"unknown parameter(s) {', '.join(sorted(unknown))}; "
                         "known: since, until, category, supplier, weight, top")
    top = params.get("top", "10")
    if not top.isdigit():
        raise UsageError(f"top={top!r}: not a number")
    return flow_options(
        since=_year(params["since"], "since") if "since" in params else 2015,
        until=_year(params["until"], "until") if params.get("until") else None,
        category=params.get("category") or None, supplier=params.get("supplier") or None,
        weight=params.get("weight", "tiv"), top=int(top))
