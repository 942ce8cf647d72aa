"""Deterministic dumps: the same store gives a byte-identical file.

N-Quads and N-Triples are written as sorted lines; Turtle and JSON-LD (the union of graphs) are
serialised by rdflib from a graph filled in sorted order; TriG is written graph by graph, each
graph's body by rdflib's Turtle writer.
"""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Graph, URIRef

from armskb import namespace as ns
from armskb.errors import ArmskbError
from armskb.store import Quad, Store

FORMATS = {
    ".ttl": "turtle",
    ".trig": "trig",
    ".nq": "nquads",
    ".nt": "ntriples",
    ".jsonld": "jsonld",
    ".json": "jsonld",
}


def format_for(path: Path, format: str | None) -> str:
    if format:
        if format not in set(FORMATS.values()):
            raise ArmskbError(f"unknown dump format {format!r}; one of {sorted(set(FORMATS.values()))}")
        return format
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ArmskbError(f"cannot tell the format of {path.name!r}; pass --format")
    return fmt


def _line(s: object, p: object, o: object, g: URIRef | None) -> str:
    parts = [t.n3() for t in (s, p, o)]  # type: ignore[attr-defined]
    if g is not None:
        parts.append(g.n3())
    return " ".join(parts) + " .\n"


def _bind(g: Graph) -> None:
    for prefix, uri in ns.PREFIXES.items():
        g.bind(prefix, uri, override=True, replace=True)


def _sorted_jsonld(text: str) -> str:
    """rdflib's JSON-LD in a canonical order: nodes by @id, values sorted, keys sorted."""

    def canon(x: object) -> object:
        if isinstance(x, dict):
            return {k: canon(v) for k, v in x.items()}
        if isinstance(x, list):
            return sorted((canon(v) for v in x), key=lambda v: json.dumps(v, sort_keys=True))
        return x

    return json.dumps(canon(json.loads(text)), sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def _trig(quads: list[Quad]) -> str:
    """TriG written graph by graph in sorted order (rdflib's TriG writer orders graphs by hash)."""
    by_graph: dict[URIRef | None, Graph] = {}
    for s, p, o, g in quads:
        if g not in by_graph:
            by_graph[g] = Graph()
            _bind(by_graph[g])
        by_graph[g].add((s, p, o))
    prefixes: set[str] = set()
    blocks = []
    for g in sorted(by_graph, key=lambda x: str(x or "")):
        lines = by_graph[g].serialize(format="turtle").splitlines()
        prefixes.update(line for line in lines if line.startswith("@prefix"))
        body = "\n".join(line for line in lines if not line.startswith("@prefix")).strip()
        if g is None:
            blocks.append(body + "\n")
        else:
            indented = "\n".join(("    " + line) if line else "" for line in body.splitlines())
            blocks.append(f"{g.n3()} {{\n{indented}\n}}\n")
    return "\n".join(sorted(prefixes)) + "\n\n" + "\n".join(blocks)


def dump(store: Store, path: Path, format: str | None = None) -> Path:
    """Write the store to `path` in a deterministic form and return the path."""
    fmt = format_for(path, format)
    quads = sorted(store.quads(), key=lambda q: (str(q[3] or ""), q[0].n3(), q[1].n3(), q[2].n3()))  # type: ignore[attr-defined]
    tmp = path.with_name(path.name + ".part")
    if fmt in ("nquads", "ntriples"):
        if fmt == "nquads":
            lines = [_line(s, p, o, g) for s, p, o, g in quads]
        else:
            lines = sorted({_line(s, p, o, None) for s, p, o, _ in quads})
        tmp.write_text("".join(lines), encoding="utf-8")
    elif fmt == "trig":
        tmp.write_text(_trig(quads), encoding="utf-8")
    else:  # turtle and JSON-LD: the union of graphs
        graph = Graph()
        _bind(graph)
        for s, p, o, _ in quads:
            graph.add((s, p, o))
        if fmt == "jsonld":
            tmp.write_text(_sorted_jsonld(graph.serialize(format="json-ld")), encoding="utf-8")
        else:
            tmp.write_bytes(graph.serialize(format=fmt, encoding="utf-8"))
    tmp.replace(path)
    return path



