"""The one source of IRIs and prefixes in armskb.

Every IRI the project writes is minted here, from stable keys only (ISO codes, slugs, content
hashes), so the same input always yields the same IRIs.
"""

from __future__ import annotations

import hashlib
import re

from anyascii import anyascii
from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SH, SKOS, XSD

from armskb.vocab import ARMS

ID_BASE = "https://w3id.org/armskb/id/"
ID = Namespace(ID_BASE)
STATUS = Namespace(ID_BASE + "status/")
CATEGORY = Namespace(ID_BASE + "category/")
DATE_ROLE = Namespace(ID_BASE + "date-role/")
WD = Namespace("http://www.wikidata.org/entity/")

#: prefix -> namespace, in the order dumps and query headers list them.
PREFIXES: dict[str, str] = {
    "arms": str(ARMS),
    "id": ID_BASE,
    "status": str(STATUS),
    "category": str(CATEGORY),
    "daterole": str(DATE_ROLE),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "schema": str(SDO),
    "sh": str(SH),
    "wd": str(WD),
}

GRAPH_ONTOLOGY = URIRef(ID_BASE + "graph/ontology")
GRAPH_REFERENCE = URIRef(ID_BASE + "graph/reference")
GRAPH_TRANSFERS = URIRef(ID_BASE + "graph/transfers")
GRAPH_DOC_PREFIX = ID_BASE + "graph/doc/"
GRAPH_SIPRI_PREFIX = ID_BASE + "graph/sipri/"


def sparql_prefixes() -> str:
    """PREFIX declarations for every namespace above, for query text."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def slug(text: str) -> str:
    """Lower-case ASCII slug, other scripts transliterated: 'T-72MS' -> 't-72ms',
    'Mi-24V/Mi-35' -> 'mi-24v-mi-35', 'МиГ-29' -> 'mig-29'."""
    out = re.sub(r"[^a-z0-9]+", "-", anyascii(text).lower()).strip("-")
    if not out:  # nothing transliterable: keep it stable through a hash
        out = "h" + digest(text, 12)
    return out


def digest(text: str, length: int = 16) -> str:
    """Hex SHA-256 prefix of a UTF-8 string."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


_ISO3_RE = re.compile(r"^[A-Z]{3}$")


def is_state_code(value: str | None) -> bool:
    """True for an ISO alpha-3 code (as opposed to an organisation name)."""
    return value is not None and bool(_ISO3_RE.match(value))


def state(code: str) -> URIRef:
    """A state by its ISO 3166-1 alpha-3 code (historical states have their own codes)."""
    return URIRef(f"{ID_BASE}state/{code.upper()}")


def organization(name: str) -> URIRef:
    """A non-state party (armed group, company, international organisation) by name."""
    return URIRef(f"{ID_BASE}org/{slug(name)}")


def system(designation_slug: str) -> URIRef:
    """A weapon system by its slug (see `slug`)."""
    return URIRef(f"{ID_BASE}system/{designation_slug}")


def generic_system(category: str) -> URIRef:
    """The generic system standing for an unnamed item of a category ('chars', 'radars')."""
    return URIRef(f"{ID_BASE}system/generic-{category}")


def document(key: str) -> URIRef:
    """A document by its key hash (see `document_key`)."""
    return URIRef(f"{ID_BASE}doc/{key}")


def document_graph(key: str) -> URIRef:
    """The named graph that holds one document and all its claims."""
    return URIRef(GRAPH_DOC_PREFIX + key)


def document_key(identity: str) -> str:
    """Stable key of a document from its identity (URL when known, else its content)."""
    return digest(identity, 16)


def claim(doc_key: str, fingerprint: str) -> URIRef:
    """A claim within a document, keyed by a fingerprint of its content."""
    return URIRef(f"{ID_BASE}claim/{doc_key}-{digest(fingerprint, 12)}")


def evidence(claim_iri: URIRef) -> URIRef:
    """The evidence node of a claim."""
    return URIRef(f"{claim_iri}/evidence")


def extraction_run(extractor: str, version: str) -> URIRef:
    """The activity that produced claims: one per extractor and version."""
    return URIRef(f"{ID_BASE}run/{slug(extractor)}-{slug(version)}")


def sipri_graph(release: str) -> URIRef:
    """The named graph of one SIPRI register import."""
    return URIRef(GRAPH_SIPRI_PREFIX + slug(release))


def sipri_deal(release: str, deal_id: str) -> URIRef:
    """One register deal (row) of a SIPRI release."""
    return URIRef(f"{ID_BASE}sipri/{slug(release)}/{slug(deal_id)}")


def delivery(deal_iri: URIRef, year: int) -> URIRef:
    """One year's delivery of a register deal."""
    return URIRef(f"{deal_iri}/delivery/{year}")


def conflict(transfer_iri: URIRef, field: str) -> URIRef:
    """The record of sources disagreeing on one field of a transfer."""
    return URIRef(f"{transfer_iri}/conflict/{slug(field)}")


def transfer(supplier: str, recipient: str, family_slug: str, n: int) -> URIRef:
    """A reconciled transfer: supplier and recipient codes, system family, ordinal."""
    return URIRef(f"{ID_BASE}transfer/{slug(supplier)}-{slug(recipient)}-{family_slug}-{n}")


def status(name: str) -> URIRef:
    """A concept of the status scheme ('ordered', 'delivered', ...)."""
    return STATUS[name]


def category(name: str) -> URIRef:
    """A concept of the weapon category scheme ('tank', 'air-defence', ...)."""
    return CATEGORY[name]


def date_role(name: str) -> URIRef:
    """A concept of the date-role scheme ('order', 'delivery', ...)."""
    return DATE_ROLE[name.replace("_", "-")]


# --- parsing: the keys back out of the IRIs minted above --------------------------------------


def _key(iri: str | URIRef | None, prefix: str) -> str | None:
    """The rest of `iri` after `prefix` (a single path segment), or None when it is not one."""
    if iri is None:
        return None
    text = str(iri)
    if not text.startswith(prefix):
        return None
    rest = text[len(prefix):]
    return rest if rest and "/" not in rest else None


def parse_state(iri: str | URIRef | None) -> str | None:
    """'…/id/state/SRB' -> 'SRB'; None for anything that is not a state IRI."""
    return _key(iri, f"{ID_BASE}state/")


def parse_organization(iri: str | URIRef | None) -> str | None:
    """'…/id/org/hamas' -> 'hamas' (the slug of the name; the name itself is the node's label)."""
    return _key(iri, f"{ID_BASE}org/")


def parse_party(iri: str | URIRef | None) -> str | None:
    """A state's code or an organisation's slug (see `armskb.parties`)."""
    return parse_state(iri) or parse_organization(iri)


def parse_system(iri: str | URIRef | None) -> str | None:
    """'…/id/system/t-72ms' -> 't-72ms' (generic systems give 'generic-{category}')."""
    return _key(iri, f"{ID_BASE}system/")


def parse_generic_system(iri: str | URIRef | None) -> str | None:
    """The category of a generic system IRI ('…/system/generic-tank' -> 'tank'), else None."""
    key = parse_system(iri)
    return key[len("generic-"):] if key and key.startswith("generic-") else None


def parse_document(iri: str | URIRef | None) -> str | None:
    """'…/id/doc/{key}' -> key."""
    return _key(iri, f"{ID_BASE}doc/")


def parse_document_graph(iri: str | URIRef | None) -> str | None:
    """'…/id/graph/doc/{key}' -> key."""
    return _key(iri, GRAPH_DOC_PREFIX)


def parse_sipri_graph(iri: str | URIRef | None) -> str | None:
    """'…/id/graph/sipri/{release}' -> the release slug."""
    return _key(iri, GRAPH_SIPRI_PREFIX)


def parse_sipri_deal(iri: str | URIRef | None) -> tuple[str, str] | None:
    """'…/id/sipri/{release}/{deal}' -> (release slug, deal slug)."""
    if iri is None or not str(iri).startswith(f"{ID_BASE}sipri/"):
        return None
    parts = str(iri)[len(f"{ID_BASE}sipri/"):].split("/")
    return (parts[0], parts[1]) if len(parts) == 2 and all(parts) else None


def parse_transfer(iri: str | URIRef | None) -> str | None:
    """'…/id/transfer/{supplier}-{recipient}-{family}-{n}' -> that local name."""
    return _key(iri, f"{ID_BASE}transfer/")


def parse_status(iri: str | URIRef | None) -> str | None:
    """A status concept IRI -> its name ('ordered')."""
    return _key(iri, str(STATUS))


def parse_category(iri: str | URIRef | None) -> str | None:
    """A category concept IRI -> its name ('tank')."""
    return _key(iri, str(CATEGORY))


def parse_date_role(iri: str | URIRef | None) -> str | None:
    """A date-role concept IRI -> the model's value ('…/date-role/expected-delivery' ->
    'expected_delivery'), the inverse of `date_role`."""
    key = _key(iri, str(DATE_ROLE))
    return key.replace("-", "_") if key else None
