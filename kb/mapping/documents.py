"""A document and its claims -> the triples of the document's named graph (`id/graph/doc/{key}`)."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SDO, SKOS, XSD

from armskb import namespace as ns
from armskb.mapping.literals import date_literal, decimal_literal, integer_literal
from armskb.models import Claim, Document
from armskb.namespace import is_state_code
from armskb.parties import party_of_key
from armskb.reference import claim_system
from armskb.vocab import ARMS


def _party(key: str) -> URIRef:
    return party_of_key(key).iri


def new_graph() -> Graph:
    """An empty graph with every armskb prefix bound (dumps and serialisations read well)."""
    g = Graph()
    for p, uri in ns.PREFIXES.items():
        g.bind(p, uri, override=True)
    return g


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
        g.add((d, ARMS.commentStart, integer_literal(doc.comment_start)))
    return d


def _system(g: Graph, c: URIRef, claim: Claim) -> None:
    """The claim's weapon system: the gazetteer's node when it knows the designation (or its
    family), else a node of the claim's own (with its family), else a generic system."""
    if claim.system:
        g.add((c, ARMS.designation, Literal(claim.system)))
        key, known = claim_system(claim.system, claim.system_canonical)
        g.add((c, ARMS.system, ns.system(key)))
        if not known:
            canon = ns.slug(claim.system_canonical) if claim.system_canonical else None
            cat = claim.system_category.value if claim.system_category else None
            system_triples(g, key, claim.system, cat)
            if canon and canon != key:  # a family the gazetteer lacks too: its own node
                g.add((ns.system(key), ARMS.variantOf, ns.system(canon)))
                system_triples(g, canon, claim.system_canonical or claim.system, cat)
    elif claim.system_category:
        cat = claim.system_category.value
        g.add((c, ARMS.system, ns.generic_system(cat)))
        system_triples(g, f"generic-{cat}", f"generic {cat}", cat)


def claim_triples(g: Graph, doc: Document, claim: Claim) -> URIRef:
    """Add one claim (n-ary node), its evidence and its provenance; returns the claim IRI."""
    c = ns.claim(doc.key, claim.fingerprint())
    g.add((c, RDF.type, ARMS.Claim))
    g.add((c, PROV.wasDerivedFrom, ns.document(doc.key)))
    run = ns.extraction_run(claim.extractor, claim.extractor_version)
    g.add((c, PROV.wasGeneratedBy, run))
    g.add((run, RDF.type, PROV.Activity))
    g.add((run, ARMS.extractor, Literal(claim.extractor)))
    g.add((run, ARMS.extractorVersion, Literal(claim.extractor_version)))
    if claim.buyer:
        g.add((c, ARMS.buyer, _party(claim.buyer)))
    if claim.seller:
        g.add((c, ARMS.seller, _party(claim.seller)))
    if claim.seller_org:
        g.add((c, ARMS.sellerOrganization, ns.organization(claim.seller_org)))
    if claim.seller_inferred:
        g.add((c, ARMS.sellerInferred, _party(claim.seller_inferred)))
    if claim.end_user:
        g.add((c, ARMS.endUser, _party(claim.end_user)))
    for name in (claim.buyer, claim.seller, claim.end_user, claim.seller_org):
        if name and not is_state_code(name):
            organization_triples(g, name)
    _system(g, c, claim)
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
        g.add((ev, ARMS.startOffset, integer_literal(claim.evidence.start)))
        g.add((ev, ARMS.endOffset, integer_literal(claim.evidence.end)))
    g.add((ev, PROV.wasDerivedFrom, ns.document(doc.key)))
    return c


def document_graph(doc: Document, claims: list[Claim]) -> Graph:
    """All triples of one document's named graph."""
    g = new_graph()
    document_triples(g, doc)
    for claim in claims:
        claim_triples(g, doc, claim)
    return g
