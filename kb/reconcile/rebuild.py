"""Writing the transfers graph: a full rebuild, or an incremental update of some keys.

`rebuild(store)` reads every deal and claim, matches, and replaces `id/graph/transfers` (one
transaction applying the difference; a graph not yet in the store goes through the backend's bulk
path: dropping a large graph costs more than diffing it). It
records on the graph IRI the digest of the rules and reference data (`arms:rulesDigest`) and a
fingerprint of all inputs (`arms:contentHash`); when the inputs have not changed the write is
skipped.

`update(store, keys)` re-reconciles only the given (supplier, recipient, family) keys: it reads the
deals and claims of their supplier-recipient pairs, widens the keys to every family sharing a
group quantity with them (those are matched together), matches, and in one update deletes the
old transfers of those keys and inserts the new ones (nothing is written when they come out
unchanged, as on a re-ingest of the same file). Since a key's transfers depend only on the
key's own deals and claims (and its group partners), the graph is the same as a full rebuild's,
except that the input fingerprint is dropped (the next full `rebuild` writes it again). A graph
built with other rules or reference data is rebuilt in full instead.
"""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict
from collections.abc import Iterable

from rdflib import Literal, URIRef

from armskb import namespace as ns
from armskb.bind import serialize_term
from armskb.namespace import ARMS
from armskb.reconcile.inputs import fill, internal_query, read_claims, read_deals, reference_digest, values
from armskb.reconcile.matching import match
from armskb.reconcile.model import NEWS_GAP, PRE_ORDER_HORIZON, TOLERANCE, ClaimIn, Deal, Key
from armskb.reconcile.triples import Triple, triples
from armskb.store import SelectResult, Store

#: bump when the rules or the triples written change, so a stored reconciliation is redone
RULES_VERSION = "2"

#: timings (seconds) and counts of the last rebuild or update, by phase, for measurements
last_timing: dict[str, float] = {}


def rules_digest(store: Store) -> str:
    """Digest of what the result depends on besides the inputs: rules and reference data."""
    text = f"{RULES_VERSION}|{TOLERANCE}|{PRE_ORDER_HORIZON}|{NEWS_GAP}|{reference_digest(store)}"
    return hashlib.sha256(text.encode()).hexdigest()


def _fingerprint(rules: str, deals: list[Deal], claims: list[ClaimIn]) -> str:
    """Digest of everything the result depends on: rules, reference data, deals, claims."""
    h = hashlib.sha256(rules.encode())
    h.update("\n".join(sorted(repr(tuple(vars(d).values())) for d in deals)).encode())
    for c in claims:  # already sorted by IRI
        h.update(repr(tuple(vars(c).values())).encode())
    return h.hexdigest()


def _state(store: Store) -> tuple[str | None, str | None]:
    res = store.query(internal_query("reconcile-graph-state"), {"tg": ns.GRAPH_TRANSFERS})
    assert isinstance(res, SelectResult)
    if not res.rows:
        return None, None
    row = res.rows[0]
    fp = row.get("fingerprint")
    return str(row["rules"]), (str(fp) if fp is not None else None)


def count_transfers(store: Store) -> int:
    """The number of transfers in the transfers graph."""
    res = store.query(internal_query("reconcile-count"), {"tg": ns.GRAPH_TRANSFERS})
    assert isinstance(res, SelectResult)
    return int(str(res.rows[0]["n"]))


def rebuild(store: Store, *, force: bool = False) -> int:
    """Replace the transfers graph with a fresh reconciliation; returns the number of transfers.

    When the recorded fingerprint of the inputs equals the current one, the graph is left as it
    is (it would be rebuilt identically) unless `force` is given."""
    t0 = time.perf_counter()
    deals = read_deals(store)
    claims = read_claims(store)
    rules = rules_digest(store)
    fp = _fingerprint(rules, deals, claims)
    t1 = time.perf_counter()
    if not force and _state(store) == (rules, fp):
        last_timing.clear()
        last_timing.update({"read": t1 - t0, "unchanged": 1.0})
        return count_transfers(store)
    built = match(deals, claims)
    data: list[Triple] = list(triples(built))
    data.append((ns.GRAPH_TRANSFERS, ARMS.rulesDigest, Literal(rules)))
    data.append((ns.GRAPH_TRANSFERS, ARMS.contentHash, Literal(fp)))
    t2 = time.perf_counter()
    if ns.GRAPH_TRANSFERS in store.graphs():
        store.replace_graphs({ns.GRAPH_TRANSFERS: data})  # one transaction applying the difference
    else:
        store.write_graphs({ns.GRAPH_TRANSFERS: data})  # a new graph: the backend's bulk path
    t3 = time.perf_counter()
    last_timing.clear()
    last_timing.update({"read": t1 - t0, "match": t2 - t1, "write": t3 - t2, "deals": len(deals),
                        "claims": len(claims), "transfers": len(built), "triples": len(data)})
    return len(built)


def _group_closure(keys: set[Key], claims: list[ClaimIn]) -> set[Key]:
    """The keys plus every key whose claims share a group quantity with a claim of theirs."""
    groups: dict[tuple, set[Key]] = defaultdict(set)
    for c in claims:
        if c.group is not None and c.quantity is None:
            groups[(c.doc, c.quote, c.group, c.supplier, c.buyer)].add(c.key)
    out = set(keys)
    changed = True
    while changed:
        changed = False
        for members in groups.values():
            if members & out and not members <= out:
                out |= members
                changed = True
    return out


def _insert_data(data: list[Triple]) -> str:
    g = serialize_term(ns.GRAPH_TRANSFERS)
    body = "\n".join(f"{serialize_term(s)} {serialize_term(p)} {serialize_term(o)} ." for s, p, o in data)
    return f"INSERT DATA {{ GRAPH {g} {{\n{body}\n}} }}"


def update(store: Store, keys: Iterable[Key]) -> int:
    """Re-reconcile only these keys (see the module docstring); returns the number of transfers
    written for them. Falls back to a full `rebuild` when the graph was built with other rules."""
    t0 = time.perf_counter()
    rules, _ = _state(store)
    if rules != rules_digest(store):
        return rebuild(store)
    wanted = {k for k in keys if k[0] and k[1]}
    if not wanted:
        last_timing.clear()
        last_timing.update({"read": time.perf_counter() - t0, "keys": 0})
        return 0
    pairs = {(k[0], k[1]) for k in wanted}
    deals = read_deals(store, pairs)  # type: ignore[arg-type]
    claims = read_claims(store, pairs)  # type: ignore[arg-type]
    wanted = _group_closure(wanted, claims)
    deals = [d for d in deals if d.key in wanted]
    claims = [c for c in claims if c.key in wanted]
    t1 = time.perf_counter()
    built = match(deals, claims)
    data = list(triples(built))
    t2 = time.perf_counter()
    rows = [(URIRef(s), URIRef(r), ns.system(f)) for s, r, f in sorted(wanted)]  # type: ignore[arg-type]
    graph = values(["tg"], [(ns.GRAPH_TRANSFERS,)])
    restrict = graph + "\n" + values(["ks", "kr", "kf"], rows)
    res = store.query(fill("reconcile-key-triples", restrict=restrict))
    assert isinstance(res, SelectResult)
    old = {(r["s"], r["p"], r["o"]) for r in res.rows}
    changed = old != set(data)
    if changed:  # an unchanged result keeps the graph, and its input fingerprint, as they are
        text = fill("reconcile-delete-keys", restrict=restrict, graph=graph)
        if data:
            text += " ;\n" + _insert_data(data)
        store.update(text)
    t3 = time.perf_counter()
    last_timing.clear()
    last_timing.update({"read": t1 - t0, "match": t2 - t1, "write": t3 - t2, "changed": float(changed),
                        "keys": len(wanted),
                        "deals": len(deals), "claims": len(claims), "transfers": len(built),
                        "triples": len(data)})
    return len(built)
