"""Write kb/vocab.py, the closed `ARMS` vocabulary class, from ontology/armskb.ttl.

Run after adding a term to the ontology: `python scripts/gen_vocab.py`. The conformance test
tests/unit/test_vocab.py fails when the class and the ontology disagree.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology" / "armskb.ttl"
TARGET = ROOT / "kb" / "vocab.py"
NS = "https://w3id.org/armskb/ontology#"
KINDS = (
    ("classes", (OWL.Class,)),
    ("datatypes", (RDFS.Datatype,)),
    ("object properties", (OWL.ObjectProperty,)),
    ("datatype properties", (OWL.DatatypeProperty,)),
)

HEADER = '''"""The arms: vocabulary as a closed rdflib namespace: a term exists here because the ontology
declares it, and a misspelt one raises AttributeError instead of minting an IRI nobody defined.
Each term is a class attribute built once, so hot loops use the terms directly, unhoisted.

Generated from ontology/armskb.ttl by scripts/gen_vocab.py; do not edit by hand.
"""

from __future__ import annotations

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef


class ARMS(DefinedNamespace):
    """Every class and property of the armskb ontology (https://w3id.org/armskb/ontology#)."""

    _NS = Namespace("{ns}")
    _fail = True
'''


def _label(g: Graph, term: URIRef) -> str:
    for o in g.objects(term, RDFS.label):
        if isinstance(o, Literal) and o.language == "en":
            return str(o)
    return ""


def render(g: Graph) -> str:
    """The text of kb/vocab.py for the ontology graph `g`."""
    out = [HEADER.format(ns=NS)]
    for title, kinds in KINDS:
        terms = sorted(
            {str(s)[len(NS):] for k in kinds for s in g.subjects(RDF.type, k) if str(s).startswith(NS)}
        )
        out.append(f"\n    # {title}\n")
        for local in terms:
            out.append(f'    {local}: URIRef = _NS["{local}"]  # {_label(g, URIRef(NS + local))}\n')
    return "".join(out)


def main() -> None:
    TARGET.write_text(render(Graph().parse(ONTOLOGY, format="turtle")), encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
