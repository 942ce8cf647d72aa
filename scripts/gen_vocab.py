"""Write kb/vocab.py, the closed `ARMS` vocabulary, from ontology/armskb.ttl.

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

HEADER = '''"""The arms: vocabulary as one closed object: `ARMS.buyer` exists because the ontology declares
it, and a misspelt term raises AttributeError instead of minting an IRI nobody defined. Terms
are class attributes built once (a plain attribute read, as fast as a local constant), so the
mapping uses them directly in its hot loops.

Generated from ontology/armskb.ttl by scripts/gen_vocab.py; do not edit by hand.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib.term import URIRef

NAMESPACE = "{ns}"


class ArmsVocabulary:
    """Every class and property of the armskb ontology; `ARMS` is its one instance."""

    __slots__ = ()
'''

FOOTER = '''
    def __str__(self) -> str:
        return NAMESPACE

    def __getitem__(self, name: str) -> URIRef:
        """`ARMS["buyer"]`: a term by name (KeyError for a name the ontology lacks)."""
        term = _TERMS.get(name)
        if term is None:
            raise KeyError(f"{{name!r}} is not a term of the armskb ontology (add it to ontology/armskb.ttl, "
                           f"then run scripts/gen_vocab.py)")
        return term

    def __contains__(self, term: object) -> bool:
        return term in _TERMS.values() or term in _TERMS

    def __iter__(self) -> Iterator[URIRef]:
        return iter(_TERMS.values())

    def __len__(self) -> int:
        return len(_TERMS)

    @staticmethod
    def names() -> list[str]:
        """The local names of every term, sorted."""
        return sorted(_TERMS)


_TERMS: dict[str, URIRef] = {{
    name: value for name, value in vars(ArmsVocabulary).items() if isinstance(value, URIRef)
}}

ARMS = ArmsVocabulary()
'''


def _label(g: Graph, term: URIRef) -> str:
    for o in g.objects(term, RDFS.label):
        if isinstance(o, Literal) and o.language == "en":
            return str(o)
    return ""


def render(g: Graph) -> str:
    """The text of kb/vocab.py for the ontology graph `g`."""
    out = [HEADER.replace("{ns}", NS)]
    for title, kinds in KINDS:
        terms = sorted(
            {str(s)[len(NS):] for k in kinds for s in g.subjects(RDF.type, k) if str(s).startswith(NS)}
        )
        out.append(f"\n    # {title}\n")
        for local in terms:
            out.append(f'    {local} = URIRef(NAMESPACE + "{local}")  # {_label(g, URIRef(NS + local))}\n')
    out.append(FOOTER.replace("{{", "{").replace("}}", "}"))
    return "".join(out)


def main() -> None:
    TARGET.write_text(render(Graph().parse(ONTOLOGY, format="turtle")), encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
