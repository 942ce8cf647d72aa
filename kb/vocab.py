"""The arms: vocabulary as a closed rdflib namespace: a term exists here because the ontology
declares it, and a misspelt one raises AttributeError instead of minting an IRI nobody defined.

Generated from ontology/armskb.ttl by scripts/gen_vocab.py; do not edit by hand.
"""

from __future__ import annotations

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef


class ARMS(DefinedNamespace):
    """Every class and property of the armskb ontology (https://w3id.org/armskb/ontology#)."""

    _NS = Namespace("https://w3id.org/armskb/ontology#")
    _fail = True

    # classes
    Claim: URIRef  # claim
    Conflict: URIRef  # conflict
    Delivery: URIRef  # delivery
    Document: URIRef  # document
    Evidence: URIRef  # evidence
    Organization: URIRef  # organisation
    Party: URIRef  # party
    RegisterDeal: URIRef  # register deal
    State: URIRef  # state
    Transfer: URIRef  # transfer
    WeaponSystem: URIRef  # weapon system

    # datatypes
    PartialDate: URIRef  # partial date

    # object properties
    buyer: URIRef  # buyer
    category: URIRef  # category
    conflict: URIRef  # conflict
    conflictSource: URIRef  # conflicting source
    dateRole: URIRef  # date role
    delivery: URIRef  # delivery
    endUser: URIRef  # end user
    evidence: URIRef  # evidence
    originState: URIRef  # origin state
    recipient: URIRef  # recipient
    seller: URIRef  # seller
    sellerInferred: URIRef  # inferred seller
    sellerOrganization: URIRef  # seller organisation
    status: URIRef  # status
    supplier: URIRef  # supplier
    supportedBy: URIRef  # supported by
    system: URIRef  # system
    variantOf: URIRef  # variant of

    # datatype properties
    alpha2: URIRef  # alpha-2 code
    approximate: URIRef  # approximate
    attributedTo: URIRef  # attributed to
    comment: URIRef  # register comment
    commentStart: URIRef  # comment start
    confidence: URIRef  # confidence
    conflictField: URIRef  # conflicting field
    conflictValue: URIRef  # conflicting value
    contentHash: URIRef  # content hash
    date: URIRef  # date
    dealId: URIRef  # deal identifier
    deliveryYear: URIRef  # delivery year
    deliveryYearEstimated: URIRef  # delivery year estimated
    description: URIRef  # weapon description
    designation: URIRef  # designation
    endOffset: URIRef  # end offset
    estimated: URIRef  # estimated
    extractor: URIRef  # extractor
    extractorVersion: URIRef  # extractor version
    familyDesignation: URIRef  # family designation
    groupQuantity: URIRef  # group quantity
    hedged: URIRef  # hedged
    historical: URIRef  # historical
    inComment: URIRef  # in reader comment
    localProduction: URIRef  # local production
    manufacturer: URIRef  # manufacturer
    name: URIRef  # name
    orderYear: URIRef  # order year
    orderYearEstimated: URIRef  # order year estimated
    quantity: URIRef  # quantity
    quantityDelivered: URIRef  # quantity delivered
    quantityDeliveredEstimated: URIRef  # quantity delivered estimated
    quantityEstimated: URIRef  # quantity estimated
    quantityOrdered: URIRef  # quantity ordered
    quantityOrderedEstimated: URIRef  # quantity ordered estimated
    quote: URIRef  # quote
    rank: URIRef  # rank
    recipientName: URIRef  # recipient as written
    sipriCategory: URIRef  # SIPRI category
    sourceCount: URIRef  # source count
    startOffset: URIRef  # start offset
    supplierName: URIRef  # supplier as written
    supplyCondition: URIRef  # supply condition
    text: URIRef  # text
    tivDelivered: URIRef  # TIV delivered
    tivOrder: URIRef  # TIV of the order
    tivUnit: URIRef  # TIV per unit
    tivUnitNew: URIRef  # TIV per new unit
    unroca: URIRef  # UNROCA category
