"""The arms: vocabulary used anywhere in the code or the queries is the one ontology/armskb.ttl
declares: `armskb.vocab.ARMS` is generated from it (scripts/gen_vocab.py) and closed, so a term the
ontology lacks fails here (in the source scan) or at import (AttributeError)."""

from __future__ import annotations

import re
from importlib.resources import files

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from armskb.vocab import ARMS
from tests.package_sources import modules, query_files

NS = str(ARMS)
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDFS.Datatype)


@pytest.fixture(scope="module")
def declared() -> set[str]:
    text = files("armskb.ontology").joinpath("armskb.ttl").read_text(encoding="utf-8")
    g = Graph().parse(data=text, format="turtle")
    return {str(s)[len(NS):] for k in KINDS for s in g.subjects(RDF.type, k) if str(s).startswith(NS)}


def test_vocabulary_class_is_the_ontology(declared: set[str]) -> None:
    in_class = set(ARMS.names())
    assert not in_class - declared, f"in armskb.vocab but not in armskb.ttl: {sorted(in_class - declared)}"
    assert not declared - in_class, (
        f"declared in armskb.ttl but missing from armskb.vocab (run scripts/gen_vocab.py): "
        f"{sorted(declared - in_class)}"
    )


def test_vocabulary_is_closed() -> None:
    assert ARMS.buyer == URIRef(NS + "buyer") and ARMS["buyer"] is ARMS.buyer
    assert ARMS.buyer in ARMS and len(ARMS) == len(ARMS.names())
    with pytest.raises(AttributeError):
        ARMS.buyr  # noqa: B018 - the lookup itself is what is tested
    with pytest.raises(KeyError, match="gen_vocab"):
        ARMS["buyr"]
    with pytest.raises(AttributeError):
        ARMS.buyr = URIRef(NS + "buyr")  # closed: no term can be added at run time


def test_every_term_named_in_python_is_declared(declared: set[str]) -> None:
    used: dict[str, set[str]] = {}
    for name, path in modules().items():
        for term in re.findall(r"\bARMS\.([A-Za-z_]\w*)", path.read_text(encoding="utf-8")):
            used.setdefault(term, set()).add(name)
    assert "buyer" in used and "RegisterDeal" in used  # the scan does see the mapping code
    unknown = {t: sorted(m) for t, m in used.items() if t not in declared}
    assert not unknown, f"arms: terms the ontology lacks, by module: {unknown}"


def test_every_term_named_in_sparql_is_declared(declared: set[str]) -> None:
    used: dict[str, set[str]] = {}
    rq = query_files()
    assert rq, "no .rq files found under armskb.queries"
    sources = [(p.name, p.read_text(encoding="utf-8")) for p in rq]
    sources += [(n, p.read_text(encoding="utf-8")) for n, p in modules().items()]
    for name, text in sources:  # headers' examples count too
        for term in re.findall(r"(?<![\w:])arms:([A-Za-z_][\w-]*)", text):
            used.setdefault(term, set()).add(name)
    unknown = {t: sorted(m) for t, m in used.items() if t not in declared}
    assert not unknown, f"arms: terms in SPARQL the ontology lacks: {unknown}"
