"""Reading what reconciliation needs from a store: register deals and claims, all or some.

The SPARQL lives in `queries/internal/reconcile-*.rq`; a `# @restrict` line in each is replaced by
a VALUES block of serialized terms (supplier-recipient pairs, or document graphs) to read a part.
Rows become the plain `Deal` / `ClaimIn` models of `model`; when a claim has several values for
one field the smallest row wins, so a partial read and a full read agree.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources

from rdflib import URIRef
from rdflib.term import Identifier

from armskb import namespace as ns
from armskb.bind import serialize_term
from armskb.namespace import ARMS
from armskb.reconcile.model import ClaimIn, Deal
from armskb.reference import family_slug, resolve_system_slug, systems
from armskb.store import SelectResult, Store

#: a (supplier IRI, recipient IRI) pair
Pair = tuple[str, str]

_MARKER = re.compile(r"^[ \t]*#[ \t]*@(\w+)[ \t]*$", re.MULTILINE)


@cache
def internal_query(name: str) -> str:
    """The text of `queries/internal/NAME.rq`."""
    return resources.files("armskb.queries.internal").joinpath(f"{name}.rq").read_text(encoding="utf-8")


def fill(name: str, **blocks: str) -> str:
    """`queries/internal/NAME.rq` with each `# @MARKER` line replaced by `blocks[MARKER]` (a
    VALUES block of serialized terms; an absent marker's line is left as the comment it is)."""
    text = internal_query(name)
    found = set(_MARKER.findall(text))
    missing = set(blocks) - found
    if missing:
        raise ValueError(f"queries/internal/{name}.rq has no '# @{sorted(missing)[0]}' line")
    return _MARKER.sub(lambda m: blocks.get(m[1], m[0]), text)


def values(variables: list[str], rows: Iterable[tuple[Identifier, ...]]) -> str:
    """A VALUES block of strictly serialized terms."""
    body = " ".join("(" + " ".join(serialize_term(t) for t in row) + ")" for row in rows)
    return f"VALUES ({' '.join('?' + v for v in variables)}) {{ {body} }}"


def _rows(store: Store, text: str, bindings: dict[str, Identifier] | None = None) -> list[dict]:
    res = store.query(text, bindings)
    if not isinstance(res, SelectResult):
        raise TypeError("internal reconcile query is not a SELECT")
    return res.rows


def _int(v: object) -> int | None:
    if v is None or v == "":
        return None
    try:
        return int(str(v))
    except ValueError:
        return None


def _dec(v: str) -> Decimal | None:
    if not v:
        return None
    try:
        return Decimal(v)
    except InvalidOperation:
        return None


def _year(v: object) -> int | None:
    if v is None:
        return None
    m = re.match(r"-?\d{4}", str(v))
    return int(m.group(0)) if m else None


def release_year(graph: str) -> int:
    """The newest four-digit year in a register graph's release key (0 when none)."""
    years = [int(y) for y in re.findall(r"(?<!\d)(\d{4})(?!\d)", graph.rsplit("/", 1)[-1])]
    return max(years) if years else 0


def _slug_of_system(iri: str) -> str:
    return iri.rsplit("/system/", 1)[-1]


def claim_family(system_iri: str | None, family_designation: str | None) -> str | None:
    """The system family a claim is reconciled under; None for generic or missing systems."""
    if system_iri is None:
        return None
    key = _slug_of_system(str(system_iri))
    if key.startswith("generic-"):
        return None
    if key in systems():
        return family_slug(key)
    if family_designation:
        return family_slug(resolve_system_slug(family_designation))
    return key


def _pair_block(pairs: Iterable[Pair], inner: str) -> str:
    rows = [(URIRef(s), URIRef(r)) for s, r in sorted(set(pairs))]
    return values(["pair_s", "pair_r"], rows) + "\n" + inner


def read_deals(store: Store, pairs: Iterable[Pair] | None = None) -> list[Deal]:
    """Register deals of every release; only those of the given pairs when `pairs` is given."""
    registers = [g for g in store.graphs() if str(g).startswith(ns.GRAPH_SIPRI_PREFIX)]
    if not registers:
        return []
    blocks = {"graphs": values(["g"], [(g,) for g in registers]), "pairs": "", "restrict": ""}
    if pairs is not None:
        pairs = list(pairs)
        if not pairs:
            return []
        blocks.update(pairs=_pair_block(pairs, ""), restrict="?deal arms:supplier ?pair_s ; arms:recipient ?pair_r .")
    facts: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in _rows(store, fill("reconcile-deal-facts", **blocks)):
        g, iri, prop, value = str(row["r"]).split("\t", 3)
        facts[(g, iri)][prop].append(value)
    tivs: dict[tuple[str, str], dict[int, Decimal]] = defaultdict(dict)
    for row in _rows(store, fill("reconcile-deal-deliveries", **blocks)):
        g, iri, y, v = str(row["r"]).split("\t", 3)
        d = _dec(v)
        if d is not None and y.lstrip("-").isdigit():
            tivs[(g, iri)][int(y)] = d
    fam_cache: dict[str, str] = {}
    rel_years: dict[str, int] = {}
    out: list[Deal] = []
    deal_type = str(ARMS.RegisterDeal)
    for k in sorted(facts):
        g, iri = k
        f = facts[k]
        if deal_type not in f.get("type", []):
            continue  # a per-year delivery node, not a deal

        def one(prop: str) -> str:
            vals = f.get(prop)
            return min(vals) if vals else ""  # several values: the smallest, as a full read would

        sys_iri, designation = one("system"), one("designation")
        key = _slug_of_system(sys_iri) if sys_iri else ns.slug(designation or "unknown")
        fam = fam_cache.get(key)
        if fam is None:
            fam = fam_cache[key] = family_slug(key)
        ry = rel_years.get(g)
        if ry is None:
            ry = rel_years[g] = release_year(g)
        years = sorted({int(y) for y in f.get("deliveryYear", []) if y.lstrip("-").isdigit()})
        out.append(Deal(
            iri=iri, release=g, release_year=ry, supplier=one("supplier") or None,
            recipient=one("recipient") or None, system=key, family=fam, designation=designation,
            order_year=_int(one("orderYear")), ordered=_int(one("quantityOrdered")),
            delivered=_int(one("quantityDelivered")), years=years,
            sipri_category=one("sipriCategory") or None, category=one("category") or None,
            tiv_order=_dec(one("tivOrder")), tiv_delivered=_dec(one("tivDelivered")),
            tiv_by_year=dict(tivs.get(k, {})),
        ))
    return out


_CLAIM_FIELDS = ("doc", "buyer", "seller", "seller_org", "system", "family", "q", "gq", "approx", "date",
                 "role", "status", "hedged", "in_comment", "quote", "published", "title", "url")


def _claims_from(rows: list[dict]) -> list[ClaimIn]:
    best: dict[str, tuple[str, ...]] = {}
    for row in rows:
        iri = str(row["claim"])
        vals = tuple("" if row.get(f) is None else str(row[f]) for f in _CLAIM_FIELDS)
        if iri not in best or vals < best[iri]:
            best[iri] = vals
    out: list[ClaimIn] = []
    for iri in sorted(best):
        r = dict(zip(_CLAIM_FIELDS, best[iri]))
        supplier = r["seller"] or r["seller_org"]
        fam = claim_family(r["system"] or None, r["family"] or None)
        if not r["buyer"] or not supplier or fam is None:
            continue
        out.append(ClaimIn(
            iri=iri,
            doc=r["doc"],
            buyer=r["buyer"],
            supplier=supplier,
            family=fam,
            quantity=_int(r["q"]),
            group=_int(r["gq"]),
            approx=r["approx"] == "true",
            year=_year(r["date"] or None),
            role=r["role"].rsplit("/", 1)[-1] if r["role"] else None,
            status=r["status"].rsplit("/", 1)[-1],
            hedged=r["hedged"] == "true",
            in_comment=r["in_comment"] == "true",
            quote=r["quote"],
            published=_year(r["published"] or None),
            date=r["date"] or None,
            issued=r["published"] or None,
            source=r["title"] or r["url"] or r["doc"],
        ))
    return out


def read_claims(store: Store, pairs: Iterable[Pair] | None = None) -> list[ClaimIn]:
    """Claims that can be reconciled (buyer, supplier and a named system), sorted by IRI; only
    those of the given (supplier, recipient) pairs when `pairs` is given."""
    block = ""
    if pairs is not None:
        pairs = list(pairs)
        if not pairs:
            return []
        block = _pair_block(pairs, "?claim arms:buyer ?pair_r . "
                                   "{ ?claim arms:seller ?pair_s } UNION { ?claim arms:sellerOrganization ?pair_s }")
    out = _claims_from(_rows(store, fill("reconcile-claims", restrict=block)))
    if pairs is not None:
        wanted = set(pairs)
        out = [c for c in out if (c.supplier, c.buyer) in wanted]
    return out


def claims_in_graphs(store: Store, graphs: Iterable[URIRef]) -> list[ClaimIn]:
    """The reconcilable claims stored in the given document graphs."""
    gs = sorted(set(graphs))
    if not gs:
        return []
    block = values(["g"], [(g,) for g in gs]) + "\nGRAPH ?g { ?claim a arms:Claim }"
    return _claims_from(_rows(store, fill("reconcile-claims", restrict=block)))


def reference_digest(store: Store) -> str:
    """The content digest of the reference graph ('' when absent)."""
    rows = _rows(store, internal_query("reconcile-reference-digest"), {"g": ns.GRAPH_REFERENCE})
    return "|".join(sorted(str(r["h"]) for r in rows))
