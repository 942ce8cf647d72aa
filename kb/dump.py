"""Deterministic dumps: the same store gives a byte-identical file.

Quads are sorted (graph, subject, predicate, object in N-Triples form) and written by Oxigraph's
serialisers, which keep every literal's lexical form as stored, so a dump parses back to exactly
the store's terms. Turtle, N-Triples and JSON-LD hold the union of graphs; TriG and N-Quads keep
the named graphs.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from armskb import namespace as ns
from armskb.errors import ArmskbError
from armskb.store import Store
from armskb.stores.oxigraph import OxigraphStore, to_ox

FORMATS = {
    ".ttl": "turtle",
    ".trig": "trig",
    ".nq": "nquads",
    ".nt": "ntriples",
    ".jsonld": "jsonld",
    ".json": "jsonld",
}
_OX = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
}
_WITH_GRAPHS = {"trig", "nquads"}


def format_for(path: Path, format: str | None) -> str:
    """The dump format: the one asked for, else from the file suffix."""
    if format:
        if format not in _OX:
            raise ArmskbError(f"unknown dump format {format!r}; one of {', '.join(_OX)}")
        return format
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ArmskbError(f"cannot tell the format of {path.name!r}; pass --format")
    return fmt


def _ox_quads(store: Store) -> list[ox.Quad]:
    """Every quad as pyoxigraph terms: straight from an embedded store, converted otherwise."""
    if isinstance(store, OxigraphStore):
        return list(store.oxigraph.quads_for_pattern(None, None, None))
    return [
        ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(g) if g is not None else ox.DefaultGraph())  # type: ignore[arg-type]
        for s, p, o, g in store.quads()
    ]


def dump(store: Store, path: Path, format: str | None = None) -> Path:
    """Write the store to `path` (through a temporary file) and return the path."""
    fmt = format_for(path, format)
    keyed: dict[tuple[str, str, str, str], ox.Quad | ox.Triple] = {}
    for q in _ox_quads(store):
        if fmt in _WITH_GRAPHS:
            gname = "" if isinstance(q.graph_name, ox.DefaultGraph) else str(q.graph_name)
            keyed.setdefault((gname, str(q.subject), str(q.predicate), str(q.object)), q)
        else:
            key = ("", str(q.subject), str(q.predicate), str(q.object))
            if key not in keyed:
                keyed[key] = ox.Triple(q.subject, q.predicate, q.object)
    terms = [keyed[k] for k in sorted(keyed)]
    prefixes = ns.PREFIXES if fmt in ("turtle", "trig") else None
    tmp = path.with_name(path.name + ".part")
    try:
        ox.serialize(terms, str(tmp), format=_OX[fmt], prefixes=prefixes)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(path)
    return path
