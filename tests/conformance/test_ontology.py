"""Conformance of ontology/: the OWL ontology, the SKOS schemes and the SHACL shapes.

* every file parses in rdflib and pyoxigraph;
* every arms: class and property the RDF mapping (the `armskb.mapping` package) writes is declared,
  with an English label and comment;
* the SKOS schemes hold exactly the concepts the models and `armskb.namespace` mint, statuses ranked
  along the lifecycle, categories mapped to SIPRI;
* the shapes accept what `armskb.mapping.documents.document_graph` writes and reject broken claims.
"""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS, Namespace

from armskb import namespace as ns
from armskb import mapping
from armskb.mapping.documents import document_graph
from armskb.mapping.reference import reference_graph
from armskb.models import (
    STATUS_ORDER,
    Category,
    Claim,
    DateRole,
    Document,
    Evidence,
    PartialDate,
    Status,
)
from armskb.namespace import ARMS

# an open Namespace: pytest's collection probes module attributes, which the closed rdflib XSD
# namespace answers with a warning
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

FILES = ["armskb.ttl", "schemes.ttl", "shapes.ttl"]
ONTOLOGY_IRI = URIRef("https://w3id.org/armskb/ontology")
SIPRI_CATEGORIES = {
    "Aircraft",
    "Air defence systems",
    "Anti-submarine warfare weapons",
    "Armoured vehicles",
    "Artillery",
    "Engines",
    "Missiles",
    "Naval weapons",
    "Other",
    "Satellites",
    "Sensors",
    "Ships",
}
UNROCA = {"I", "II", "III", "IV", "V", "VI", "VII", "SALW"}
LIFECYCLE = [
    "interest",
    "negotiating",
    "offered",
    "planned",
    "agreed",
    "ordered",
    "delivering",
    "delivered",
]
LANGS = {"en", "fr", "es", "de", "ru"}


def _resource(name: str):
    return files("armskb.ontology").joinpath(name)


def _load(name: str) -> Graph:
    return Graph().parse(data=_resource(name).read_text(encoding="utf-8"), format="turtle")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return _load("armskb.ttl")


@pytest.fixture(scope="module")
def schemes() -> Graph:
    return _load("schemes.ttl")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return _load("shapes.ttl")


@pytest.fixture(scope="module")
def reference() -> Graph:
    """The reference graph (states, every gazetteer system), built once for the module."""
    return reference_graph()


# --- sample data through the real mapping ---------------------------------------------------

TEXT = (
    "La Serbie a reçu samedi 30 chars T-72MS et 30 véhicules BRDM-2 de la Russie. "
    "Sept hélicoptères Mi-17 et Mi-35 ont été livrés en 2019, selon le ministre. "
    "Des radars seront livrés d'ici à la fin de l'année.\n"
    "Commentaires\nnous à promis des S-400"
)
QUOTE_1 = "La Serbie a reçu samedi 30 chars T-72MS et 30 véhicules BRDM-2 de la Russie."
QUOTE_2 = "Sept hélicoptères Mi-17 et Mi-35 ont été livrés en 2019, selon le ministre."
QUOTE_3 = "Des radars seront livrés d'ici à la fin de l'année."


def _doc() -> Document:
    return Document(
        name="test-article",
        url="https://example.org/news/serbia-t72",
        title="La Serbie reçoit des chars",
        publisher="Example News",
        published=PartialDate.parse("2021-10-11"),
        language="fr",
        text=TEXT,
        comment_start=TEXT.index("Commentaires"),
    )


def _claims() -> list[Claim]:
    s1 = TEXT.index(QUOTE_1)
    s2 = TEXT.index(QUOTE_2)
    return [
        Claim(  # a named system not in the gazetteer (claim mints its own system node)
            buyer="SRB",
            seller="RUS",
            seller_org="Uralvagonzavod Test Works",
            system="T-72MS-conformance-test",
            system_category=Category.tank,
            quantity=30,
            date=PartialDate.parse("2021-10-09"),
            date_role=DateRole.delivery,
            status=Status.delivered,
            attribution="ministère de la Défense",
            end_user="Some Armed Group",
            confidence=0.875,
            evidence=Evidence(quote=QUOTE_1, start=s1, end=s1 + len(QUOTE_1)),
            extractor="armskb.rules",
            extractor_version="0.1.0",
        ),
        Claim(  # a group quantity, year precision, hedged
            buyer="SRB",
            seller="RUS",
            system="Mi-35",
            system_canonical="Mi-35",
            system_category=Category.helicopter,
            quantity_group=7,
            approx=True,
            date=PartialDate.parse("2019"),
            date_role=DateRole.delivery,
            status=Status.delivered,
            hedged=True,
            evidence=Evidence(quote=QUOTE_2, start=s2, end=s2 + len(QUOTE_2)),
        ),
        Claim(  # a generic system (category only), month precision, no offsets
            buyer="SRB",
            system_category=Category.sensor,
            date=PartialDate.parse("2021-12"),
            date_role=DateRole.expected_delivery,
            status=Status.planned,
            evidence=Evidence(quote=QUOTE_3),
        ),
        Claim(  # a reader-comment claim without a date
            buyer="SRB",
            seller="RUS",
            system="S-400",
            system_category=Category.air_defence,
            status=Status.offered,
            in_comment=True,
            evidence=Evidence(quote="nous à promis des S-400"),
        ),
    ]


def _data() -> Graph:
    """The sample document graph as a store holds it (serialized and parsed back)."""
    g = document_graph(_doc(), _claims())
    return Graph().parse(data=g.serialize(format="nt"), format="nt")


# --- parsing -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FILES)
def test_parses_in_rdflib(name: str) -> None:
    g = _load(name)
    assert len(g) > 50


@pytest.mark.parametrize("name", FILES)
def test_parses_in_pyoxigraph(name: str) -> None:
    quads = list(pyoxigraph.parse(_resource(name).read_bytes(), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(quads) == len(_load(name))


def test_files_are_packaged() -> None:
    for name in FILES:
        assert _resource(name).is_file(), name


# --- ontology ------------------------------------------------------------------------------


def test_ontology_header(ontology: Graph) -> None:
    from rdflib.namespace import DCTERMS

    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) is not None
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.title) is not None
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef(
        "https://www.apache.org/licenses/LICENSE-2.0"
    )


def _declared(ontology: Graph) -> set[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDFS.Datatype)
    return {s for k in kinds for s in ontology.subjects(RDF.type, k) if isinstance(s, URIRef)}


def _arms_terms_used(g: Graph) -> set[URIRef]:
    used: set[URIRef] = set()
    for _, p, o in g:
        if str(p).startswith(str(ARMS)):
            used.add(p)
        if p == RDF.type and isinstance(o, URIRef) and str(o).startswith(str(ARMS)):
            used.add(o)
    return used


def _has_lang(g: Graph, s: URIRef, p: URIRef, lang: str) -> bool:
    return any(isinstance(o, Literal) and o.language == lang for o in g.objects(s, p))


def test_every_term_written_by_the_mapping_is_declared(ontology: Graph, reference: Graph) -> None:
    used = _arms_terms_used(_data()) | _arms_terms_used(reference)
    # branches the sample may not reach: every ARMS.x named in the mapping code
    for module in sorted(Path(mapping.__file__).parent.glob("*.py")):
        src = module.read_text(encoding="utf-8")
        used |= {ARMS[m] for m in re.findall(r"\bARMS\.(\w+)", src)}
    assert ARMS.Claim in used and ARMS.quote in used
    missing = sorted(str(t) for t in used - _declared(ontology))
    assert not missing, f"used by the mapping but not declared in armskb.ttl: {missing}"


def test_declared_terms_have_labels_and_comments(ontology: Graph) -> None:
    problems = []
    for term in sorted(_declared(ontology)):
        if not str(term).startswith(str(ARMS)):
            continue
        if not _has_lang(ontology, term, RDFS.label, "en"):
            problems.append(f"{term}: no English rdfs:label")
        if not _has_lang(ontology, term, RDFS.label, "fr"):
            problems.append(f"{term}: no French rdfs:label")
        if not _has_lang(ontology, term, RDFS.comment, "en"):
            problems.append(f"{term}: no English rdfs:comment")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "local",
    [
        "State", "Organization", "WeaponSystem", "Claim", "Document", "Evidence", "Transfer",
        "RegisterDeal", "Delivery", "Conflict",
    ],
)
def test_required_classes(ontology: Graph, local: str) -> None:
    assert (ARMS[local], RDF.type, OWL.Class) in ontology


OBJECT_PROPERTIES = (
    "buyer seller sellerOrganization endUser system variantOf category originState status dateRole "
    "evidence supplier recipient supportedBy conflict delivery"
).split()
DATATYPE_PROPERTIES = (
    "designation familyDesignation quantity groupQuantity approximate date hedged inComment "
    "attributedTo confidence quote startOffset endOffset extractor extractorVersion name "
    "contentHash text commentStart manufacturer alpha2 historical rank sipriCategory unroca "
    "quantityOrdered quantityDelivered orderYear deliveryYear sourceCount conflictField "
    "conflictValue dealId tivUnit tivOrder tivDelivered estimated comment"
).split()


@pytest.mark.parametrize("local", OBJECT_PROPERTIES)
def test_required_object_properties(ontology: Graph, local: str) -> None:
    assert (ARMS[local], RDF.type, OWL.ObjectProperty) in ontology


@pytest.mark.parametrize("local", DATATYPE_PROPERTIES)
def test_required_datatype_properties(ontology: Graph, local: str) -> None:
    assert (ARMS[local], RDF.type, OWL.DatatypeProperty) in ontology


def test_document_is_a_prov_entity(ontology: Graph) -> None:
    from rdflib.namespace import PROV, SDO

    supers = set(ontology.objects(ARMS.Document, RDFS.subClassOf))
    assert PROV.Entity in supers
    assert SDO.NewsArticle not in supers


def test_date_range_is_the_three_precisions(ontology: Graph) -> None:
    rng = ontology.value(ARMS.date, RDFS.range)
    union = ontology.value(ontology.value(rng, OWL.equivalentClass), OWL.unionOf)
    assert set(Collection(ontology, union)) == {XSD.date, XSD.gYearMonth, XSD.gYear}


# --- SKOS schemes --------------------------------------------------------------------------


def _concepts(g: Graph, scheme: URIRef) -> set[URIRef]:
    return set(g.subjects(SKOS.inScheme, scheme))


@pytest.mark.parametrize(
    ("scheme", "values", "mint"),
    [
        (ns.STATUS, [s.value for s in Status], ns.status),
        (ns.CATEGORY, [c.value for c in Category], ns.category),
        (ns.DATE_ROLE, [r.value for r in DateRole], ns.date_role),
    ],
    ids=["status", "category", "date-role"],
)
def test_scheme_matches_models_and_namespace(schemes: Graph, scheme, values, mint) -> None:
    scheme_iri = URIRef(str(scheme))
    assert (scheme_iri, RDF.type, SKOS.ConceptScheme) in schemes
    assert _concepts(schemes, scheme_iri) == {mint(v) for v in values}
    for v in values:
        c = mint(v)
        assert (c, RDF.type, SKOS.Concept) in schemes
        assert (c, SKOS.topConceptOf, scheme_iri) in schemes
        assert str(schemes.value(c, SKOS.notation)) == v
        langs = {o.language for o in schemes.objects(c, SKOS.prefLabel)}
        assert LANGS <= langs, f"{c}: prefLabel languages {langs}"
        assert len(list(schemes.objects(c, SKOS.prefLabel))) == len(langs), f"{c}: one prefLabel per language"


def test_namespace_mints_scheme_iris() -> None:
    assert str(ns.status("ordered")) == "https://w3id.org/armskb/id/status/ordered"
    assert str(ns.category("air-defence")) == "https://w3id.org/armskb/id/category/air-defence"
    assert (
        str(ns.date_role("expected_delivery"))
        == "https://w3id.org/armskb/id/date-role/expected-delivery"
    )


def test_status_ranks_follow_the_lifecycle(schemes: Graph) -> None:
    ranks = {}
    for s in Status:
        r = schemes.value(ns.status(s.value), ARMS.rank)
        if r is not None:
            assert r.datatype == XSD.integer
            ranks[s.value] = int(r)
    assert ranks == {name: i + 1 for i, name in enumerate(LIFECYCLE)}
    # same order as the models
    assert [s.value for s in sorted(STATUS_ORDER, key=STATUS_ORDER.get)] == LIFECYCLE
    for outcome in ("cancelled", "denied", "unknown"):
        assert schemes.value(ns.status(outcome), ARMS.rank) is None
    for s in Status:
        assert schemes.value(ns.status(s.value), SKOS.definition) is not None


def test_status_ordered_collection(schemes: Graph) -> None:
    colls = list(schemes.subjects(RDF.type, SKOS.OrderedCollection))
    assert len(colls) == 1
    members = list(Collection(schemes, schemes.value(colls[0], SKOS.memberList)))
    assert members == [ns.status(s) for s in LIFECYCLE]


def test_every_category_has_a_sipri_category(schemes: Graph) -> None:
    for c in Category:
        iri = ns.category(c.value)
        sipri = [str(o) for o in schemes.objects(iri, ARMS.sipriCategory)]
        assert len(sipri) == 1 and sipri[0] in SIPRI_CATEGORIES, (iri, sipri)
        for u in schemes.objects(iri, ARMS.unroca):
            assert str(u) in UNROCA, (iri, u)
    expect = {
        "helicopter": "Aircraft",
        "tank": "Armoured vehicles",
        "submarine": "Ships",
        "air-defence": "Air defence systems",
    }
    for key, sipri in expect.items():
        assert str(schemes.value(ns.category(key), ARMS.sipriCategory)) == sipri
    for key in ("sensor", "engine", "other"):
        assert schemes.value(ns.category(key), ARMS.unroca) is None
    assert str(schemes.value(ns.category("tank"), ARMS.unroca)) == "I"


# --- SHACL ---------------------------------------------------------------------------------


def _validate(data: Graph, shapes: Graph, schemes: Graph) -> tuple[bool, str]:
    import pyshacl

    conforms, _report, text = pyshacl.validate(
        data, shacl_graph=shapes, ont_graph=schemes, inference="none", allow_warnings=False
    )
    return bool(conforms), text


def test_valid_claim_graph_conforms(shapes: Graph, schemes: Graph) -> None:
    conforms, text = _validate(_data(), shapes, schemes)
    assert conforms, text


def test_in_memory_mapping_graph_conforms(shapes: Graph, schemes: Graph) -> None:
    conforms, text = _validate(document_graph(_doc(), _claims()), shapes, schemes)
    assert conforms, text


def test_unknown_family_is_a_weapon_system(shapes: Graph, schemes: Graph) -> None:
    claim = Claim(
        buyer="SRB",
        seller="RUS",
        system="T-72MS-conformance-test",
        system_canonical="T-72-conformance-test",
        system_category=Category.tank,
        status=Status.delivered,
        evidence=Evidence(quote=QUOTE_1),
    )
    g = document_graph(_doc(), [claim])
    g = Graph().parse(data=g.serialize(format="nt"), format="nt")
    conforms, text = _validate(g, shapes, schemes)
    assert conforms, text


def test_reference_graph_conforms(shapes: Graph, schemes: Graph, reference: Graph) -> None:
    conforms, text = _validate(reference, shapes, schemes)
    assert conforms, text[:5000]


def _one_claim(g: Graph) -> URIRef:
    """The sample's first claim: it has every field (quantity, date, offsets, buyer)."""
    return next(iter(g.subjects(ARMS.quantity, None)))


def _replace(g: Graph, p: URIRef, value) -> None:
    c = _one_claim(g)
    old = g.value(c, p)
    if old is not None:
        g.remove((c, p, old))
    g.add((c, p, value))


def _break_status_missing(g: Graph) -> None:
    g.remove((_one_claim(g), ARMS.status, None))


def _break_status_not_in_scheme(g: Graph) -> None:
    _replace(g, ARMS.status, ns.status("bought-maybe"))


def _break_negative_quantity(g: Graph) -> None:
    _replace(g, ARMS.quantity, Literal("-3", datatype=XSD.integer))


def _break_quantity_integer(g: Graph) -> None:
    _replace(g, ARMS.quantity, Literal(-3, datatype=XSD.integer))


def _break_confidence(g: Graph) -> None:
    _replace(g, ARMS.confidence, Literal("1.5", datatype=XSD.decimal))


def _break_date_datatype(g: Graph) -> None:
    _replace(g, ARMS.date, Literal("2021-10-09T00:00:00", datatype=XSD.dateTime))


def _break_date_string(g: Graph) -> None:
    _replace(g, ARMS.date, Literal("October 2021"))


def _break_evidence_quote(g: Graph) -> None:
    ev = g.value(_one_claim(g), ARMS.evidence)
    g.remove((ev, ARMS.quote, None))


def _break_two_statuses(g: Graph) -> None:
    g.add((_one_claim(g), ARMS.status, ns.status("ordered")))
    g.add((_one_claim(g), ARMS.status, ns.status("delivered")))


def _break_no_document(g: Graph) -> None:
    from rdflib.namespace import PROV

    g.remove((_one_claim(g), PROV.wasDerivedFrom, None))


def _break_negative_offset(g: Graph) -> None:
    ev = g.value(_one_claim(g), ARMS.evidence)
    g.remove((ev, ARMS.startOffset, None))
    g.add((ev, ARMS.startOffset, Literal(-1, datatype=XSD.integer)))


def _break_literal_buyer(g: Graph) -> None:
    _replace(g, ARMS.buyer, Literal("SRB"))


def _break_document_hash(g: Graph) -> None:
    d = next(g.subjects(RDF.type, ARMS.Document))
    g.remove((d, ARMS.contentHash, None))


def _break_document_issued(g: Graph) -> None:
    from rdflib.namespace import DCTERMS

    d = next(g.subjects(RDF.type, ARMS.Document))
    g.remove((d, DCTERMS.issued, None))
    g.add((d, DCTERMS.issued, Literal("11 octobre 2021")))


def _break_system_category(g: Graph) -> None:
    s = next(s for s in g.subjects(RDF.type, ARMS.WeaponSystem))
    g.remove((s, ARMS.category, None))
    g.add((s, ARMS.category, ns.status("ordered")))


def _break_state_notation(g: Graph) -> None:
    s = ns.state("SRB")
    g.add((s, RDF.type, ARMS.State))
    g.add((s, SKOS.notation, Literal("RS")))
    g.add((s, SKOS.prefLabel, Literal("Serbia", lang="en")))


BREAKS = {  # name -> (how to break the sample, text the report must contain)
    "status missing": (_break_status_missing, "exactly one arms:status"),
    "status not in scheme": (_break_status_not_in_scheme, "exactly one arms:status"),
    "two statuses": (_break_two_statuses, "exactly one arms:status"),
    "negative quantity": (_break_negative_quantity, "arms:quantity must be"),
    "negative integer quantity": (_break_quantity_integer, "arms:quantity must be"),
    "confidence 1.5": (_break_confidence, "arms:confidence must be"),
    "date as dateTime": (_break_date_datatype, "arms:date must be"),
    "date as string": (_break_date_string, "arms:date must be"),
    "evidence without quote": (_break_evidence_quote, "exactly one arms:quote"),
    "no source document": (_break_no_document, "prov:wasDerivedFrom"),
    "negative offset": (_break_negative_offset, "arms:startOffset must be"),
    "buyer literal": (_break_literal_buyer, "at most one arms:buyer"),
    "document without hash": (_break_document_hash, "arms:contentHash"),
    "document issued as text": (_break_document_issued, "dcterms:issued"),
    "system category not a category": (_break_system_category, "category scheme"),
    "state notation not alpha-3": (_break_state_notation, "alpha-3"),
}


@pytest.mark.parametrize("name", list(BREAKS))
def test_broken_graph_does_not_conform(shapes: Graph, schemes: Graph, name: str) -> None:
    g = _data()
    breaker, expected = BREAKS[name]
    breaker(g)
    conforms, text = _validate(g, shapes, schemes)
    assert not conforms, f"{name}: expected a violation"
    assert expected in text, text


def test_transfer_shape(shapes: Graph, schemes: Graph) -> None:
    t = ns.transfer("RUS", "SRB", "t-72", 1)
    g = Graph()
    g.add((t, RDF.type, ARMS.Transfer))
    g.add((t, ARMS.supplier, ns.state("RUS")))
    g.add((t, ARMS.recipient, ns.state("SRB")))
    g.add((t, ARMS.system, ns.system("t-72")))
    g.add((t, ARMS.status, ns.status("delivered")))
    g.add((t, ARMS.quantityOrdered, Literal(30, datatype=XSD.integer)))
    g.add((t, ARMS.orderYear, Literal("2020", datatype=XSD.integer)))
    conforms, _ = _validate(g, shapes, schemes)
    assert not conforms  # no support yet
    g.add((t, ARMS.supportedBy, ns.sipri_deal("2024", "12345")))
    conforms, text = _validate(g, shapes, schemes)
    assert conforms, text
    g.add((t, ARMS.quantityDelivered, Literal("-1", datatype=XSD.integer)))
    conforms, _ = _validate(g, shapes, schemes)
    assert not conforms


@pytest.mark.parametrize(
    ("shape", "scheme"),
    [("StatusConcept", ns.STATUS), ("CategoryConcept", ns.CATEGORY), ("DateRoleConcept", ns.DATE_ROLE)],
)
def test_shape_concept_lists_match_schemes(shapes: Graph, schemes: Graph, shape: str, scheme) -> None:
    from rdflib.namespace import SH

    node = URIRef("https://w3id.org/armskb/ontology/shapes#" + shape)
    listed = list(Collection(shapes, shapes.value(node, SH["in"])))
    assert set(listed) == _concepts(schemes, URIRef(str(scheme)))
    assert len(listed) == len(set(listed))


def test_shapes_have_messages(shapes: Graph) -> None:
    from rdflib.namespace import SH

    for prop in shapes.objects(None, SH.property):
        if isinstance(prop, BNode):
            assert shapes.value(prop, SH.message) is not None, shapes.value(prop, SH.path)
