"""Mapping from models to RDF: one document and its claims become the triples of one named graph.

Pure functions of their input: the same document and claims always give the same triples.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SDO, SKOS, XSD

from armskb import namespace as ns
from armskb.models import Claim, Document, PartialDate, Precision, is_state_code
from armskb.namespace import ARMS

_DATE_TYPES = {Precision.year: XSD.gYear, Precision.month: XSD.gYearMonth, Precision.day: XSD.date}


def date_literal(d: PartialDate) -> Literal:
    """A date typed by its precision: xsd:gYear, xsd:gYearMonth or xsd:date."""
    return Literal(d.iso(), datatype=_DATE_TYPES[d.precision])


@lru_cache(maxsize=65536)
def integer_literal(n: int) -> Literal:
    """An xsd:integer (quantities, years): the integer type every store keeps as written."""
    return Literal(str(n), datatype=XSD.integer)


def decimal_literal(value: float, places: int = 3) -> Literal:
    """An xsd:decimal in the canonical lexical form stores keep ('1', '0.85'), so a value reads
    back from any backend exactly as written."""
    d = Decimal(str(round(value, places))).normalize()
    return Literal(format(d, "f"), datatype=XSD.decimal)


def party(value: str) -> URIRef:
    """A buyer/seller: a state IRI for an ISO code, else an organisation IRI."""
    return ns.state(value) if is_state_code(value) else ns.organization(value)


def organization_triples(g: Graph, name: str) -> URIRef:
    """A non-state party named in a claim."""
    org = ns.organization(name)
    g.add((org, RDF.type, ARMS.Organization))
    g.add((org, SKOS.prefLabel, Literal(name)))
    return org


def system_triples(g: Graph, key: str, label: str, category: str | None) -> URIRef:
    """A weapon-system node for a designation the gazetteer lacks."""
    s = ns.system(key)
    g.add((s, RDF.type, ARMS.WeaponSystem))
    g.add((s, SKOS.prefLabel, Literal(label)))
    if category:
        g.add((s, ARMS.category, ns.category(category)))
    return s


def new_graph() -> Graph:
    g = Graph()
    for p, uri in ns.PREFIXES.items():
        g.bind(p, uri, override=True)
    return g


def document_triples(g: Graph, doc: Document) -> URIRef:
    """Add the document node; returns its IRI."""
    d = ns.document(doc.key)
    g.add((d, RDF.type, ARMS.Document))
    g.add((d, RDF.type, SDO.NewsArticle))
    g.add((d, ARMS.name, Literal(doc.name)))
    g.add((d, ARMS.contentHash, Literal(doc.content_hash)))
    g.add((d, ARMS.text, Literal(doc.text)))
    if doc.url:
        g.add((d, SDO.url, Literal(doc.url, datatype=XSD.anyURI)))
    if doc.title:
        g.add((d, DCTERMS.title, Literal(doc.title)))
    if doc.publisher:
        g.add((d, DCTERMS.publisher, Literal(doc.publisher)))
    if doc.published:
        g.add((d, DCTERMS.issued, date_literal(doc.published)))
    if doc.language:
        g.add((d, DCTERMS.language, Literal(doc.language)))
    if doc.comment_start is not None:
        g.add((d, ARMS.commentStart, Literal(doc.comment_start, datatype=XSD.integer)))
    return d


def claim_triples(g: Graph, doc: Document, claim: Claim) -> URIRef:
    """Add one claim (n-ary node), its evidence and its provenance; returns the claim IRI."""
    from armskb.reference import systems

    c = ns.claim(doc.key, claim.fingerprint())
    g.add((c, RDF.type, ARMS.Claim))
    g.add((c, PROV.wasDerivedFrom, ns.document(doc.key)))
    run = ns.extraction_run(claim.extractor, claim.extractor_version)
    g.add((c, PROV.wasGeneratedBy, run))
    g.add((run, RDF.type, PROV.Activity))
    g.add((run, ARMS.extractor, Literal(claim.extractor)))
    g.add((run, ARMS.extractorVersion, Literal(claim.extractor_version)))
    if claim.buyer:
        g.add((c, ARMS.buyer, party(claim.buyer)))
    if claim.seller:
        g.add((c, ARMS.seller, party(claim.seller)))
    if claim.seller_org:
        g.add((c, ARMS.sellerOrganization, ns.organization(claim.seller_org)))
    if claim.seller_inferred:
        g.add((c, ARMS.sellerInferred, party(claim.seller_inferred)))
    if claim.end_user:
        g.add((c, ARMS.endUser, party(claim.end_user)))
    for name in (claim.buyer, claim.seller, claim.end_user, claim.seller_org):
        if name and not is_state_code(name):
            organization_triples(g, name)
    if claim.system:
        g.add((c, ARMS.designation, Literal(claim.system)))
        key = ns.slug(claim.system)
        canon = ns.slug(claim.system_canonical) if claim.system_canonical else None
        if key in systems():
            g.add((c, ARMS.system, ns.system(key)))
        elif canon and canon in systems():
            g.add((c, ARMS.system, ns.system(canon)))
        else:  # not in the gazetteer: the claim names its own system node (and family)
            g.add((c, ARMS.system, ns.system(key)))
            cat = claim.system_category.value if claim.system_category else None
            system_triples(g, key, claim.system, cat)
            if canon and canon != key:
                g.add((ns.system(key), ARMS.variantOf, ns.system(canon)))
                if canon not in systems():
                    system_triples(g, canon, claim.system_canonical or claim.system, cat)
    elif claim.system_category:
        cat = claim.system_category.value
        g.add((c, ARMS.system, ns.generic_system(cat)))
        system_triples(g, f"generic-{cat}", f"generic {cat}", cat)
    if claim.system_canonical:
        g.add((c, ARMS.familyDesignation, Literal(claim.system_canonical)))
    if claim.system_category:
        g.add((c, ARMS.category, ns.category(claim.system_category.value)))
    if claim.quantity is not None:
        g.add((c, ARMS.quantity, integer_literal(claim.quantity)))
    if claim.quantity_group is not None:
        g.add((c, ARMS.groupQuantity, integer_literal(claim.quantity_group)))
    g.add((c, ARMS.approximate, Literal(claim.approx)))
    if claim.date is not None:
        g.add((c, ARMS.date, date_literal(claim.date)))
    if claim.date_role is not None:
        g.add((c, ARMS.dateRole, ns.date_role(claim.date_role.value)))
    g.add((c, ARMS.status, ns.status(claim.status.value)))
    g.add((c, ARMS.hedged, Literal(claim.hedged)))
    g.add((c, ARMS.inComment, Literal(claim.in_comment)))
    if claim.attribution:
        g.add((c, ARMS.attributedTo, Literal(claim.attribution)))
    g.add((c, ARMS.confidence, decimal_literal(claim.confidence)))
    ev = ns.evidence(c)
    g.add((c, ARMS.evidence, ev))
    g.add((ev, RDF.type, ARMS.Evidence))
    g.add((ev, ARMS.quote, Literal(claim.evidence.quote)))
    if claim.evidence.start is not None and claim.evidence.end is not None:
        g.add((ev, ARMS.startOffset, Literal(claim.evidence.start, datatype=XSD.integer)))
        g.add((ev, ARMS.endOffset, Literal(claim.evidence.end, datatype=XSD.integer)))
    g.add((ev, PROV.wasDerivedFrom, ns.document(doc.key)))
    return c


def document_graph(doc: Document, claims: list[Claim]) -> Graph:
    """All triples of one document's named graph."""
    g = new_graph()
    document_triples(g, doc)
    for claim in claims:
        claim_triples(g, doc, claim)
    return g
