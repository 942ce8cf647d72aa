"""SHACL validation of the store's data graphs with pySHACL."""

from __future__ import annotations

from importlib import resources

from rdflib import Graph

from armskb import namespace as ns
from armskb.store import Store


def shapes_graph() -> Graph:
    g = Graph()
    g.parse(data=resources.files("armskb.ontology").joinpath("shapes.ttl").read_bytes(), format="turtle")
    return g


def validate_graph(data: Graph, ontology: Graph | None = None) -> tuple[bool, str]:
    """(conforms, readable report) for one data graph."""
    from pyshacl import validate

    conforms, _, text = validate(
        data, shacl_graph=shapes_graph(), ont_graph=ontology, inference="none", advanced=True
    )
    return bool(conforms), str(text)


def validate_store(store: Store) -> tuple[bool, str]:
    """Validate the union of data graphs (documents, register, transfers) with the reference
    and ontology graphs as context."""
    data = Graph()
    for s, p, o, _ in store.quads():
        data.add((s, p, o))  # type: ignore[arg-type]
    ontology = Graph()
    for s, p, o, _ in store.quads(ns.GRAPH_ONTOLOGY):
        ontology.add((s, p, o))  # type: ignore[arg-type]
    return validate_graph(data, ontology)
