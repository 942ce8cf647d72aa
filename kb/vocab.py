"""The arms: vocabulary as a closed rdflib namespace: a term exists here because the ontology
declares it, and a misspelt one raises AttributeError instead of minting an IRI nobody defined.
Each term is a class attribute built once, so hot loops use the terms directly, unhoisted.

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
    Claim: URIRef = _NS["Claim"]  # claim
    Conflict: URIRef = _NS["Conflict"]  # conflict
    Delivery: URIRef = _NS["Delivery"]  # delivery
    Document: URIRef = _NS["Document"]  # document
    Evidence: URIRef = _NS["Evidence"]  # evidence
    Organization: URIRef = _NS["Organization"]  # organisation
    Party: URIRef = _NS["Party"]  # party
    RegisterDeal: URIRef = _NS["RegisterDeal"]  # register deal
    State: URIRef = _NS["State"]  # state
    Transfer: URIRef = _NS["Transfer"]  # transfer
    WeaponSystem: URIRef = _NS["WeaponSystem"]  # weapon system

    # datatypes
    PartialDate: URIRef = _NS["PartialDate"]  # partial date

    # object properties
    buyer: URIRef = _NS["buyer"]  # buyer
    category: URIRef = _NS["category"]  # category
    conflict: URIRef = _NS["conflict"]  # conflict
    conflictSource: URIRef = _NS["conflictSource"]  # conflicting source
    dateRole: URIRef = _NS["dateRole"]  # date role
    delivery: URIRef = _NS["delivery"]  # delivery
    endUser: URIRef = _NS["endUser"]  # end user
    evidence: URIRef = _NS["evidence"]  # evidence
    originState: URIRef = _NS["originState"]  # origin state
    recipient: URIRef = _NS["recipient"]  # recipient
    seller: URIRef = _NS["seller"]  # seller
    sellerInferred: URIRef = _NS["sellerInferred"]  # inferred seller
    sellerOrganization: URIRef = _NS["sellerOrganization"]  # seller organisation
    status: URIRef = _NS["status"]  # status
    supplier: URIRef = _NS["supplier"]  # supplier
    supportedBy: URIRef = _NS["supportedBy"]  # supported by
    system: URIRef = _NS["system"]  # system
    variantOf: URIRef = _NS["variantOf"]  # variant of
    yearlyDelivery: URIRef = _NS["yearlyDelivery"]  # yearly delivery

    # datatype properties
    alpha2: URIRef = _NS["alpha2"]  # alpha-2 code
    approximate: URIRef = _NS["approximate"]  # approximate
    attributedTo: URIRef = _NS["attributedTo"]  # attributed to
    claimCount: URIRef = _NS["claimCount"]  # claim count
    comment: URIRef = _NS["comment"]  # register comment
    commentOnly: URIRef = _NS["commentOnly"]  # comment only
    commentStart: URIRef = _NS["commentStart"]  # comment start
    confidence: URIRef = _NS["confidence"]  # confidence
    conflictField: URIRef = _NS["conflictField"]  # conflicting field
    conflictValue: URIRef = _NS["conflictValue"]  # conflicting value
    contentHash: URIRef = _NS["contentHash"]  # content hash
    date: URIRef = _NS["date"]  # date
    dealId: URIRef = _NS["dealId"]  # deal identifier
    deliveryYear: URIRef = _NS["deliveryYear"]  # delivery year
    deliveryYearEstimated: URIRef = _NS["deliveryYearEstimated"]  # delivery year estimated
    description: URIRef = _NS["description"]  # weapon description
    designation: URIRef = _NS["designation"]  # designation
    endOffset: URIRef = _NS["endOffset"]  # end offset
    estimated: URIRef = _NS["estimated"]  # estimated
    extractor: URIRef = _NS["extractor"]  # extractor
    extractorVersion: URIRef = _NS["extractorVersion"]  # extractor version
    familyDesignation: URIRef = _NS["familyDesignation"]  # family designation
    firstYear: URIRef = _NS["firstYear"]  # first year
    groupQuantity: URIRef = _NS["groupQuantity"]  # group quantity
    hedged: URIRef = _NS["hedged"]  # hedged
    hedgedOnly: URIRef = _NS["hedgedOnly"]  # hedged only
    historical: URIRef = _NS["historical"]  # historical
    inComment: URIRef = _NS["inComment"]  # in reader comment
    lastYear: URIRef = _NS["lastYear"]  # last year
    latestDate: URIRef = _NS["latestDate"]  # latest date
    localProduction: URIRef = _NS["localProduction"]  # local production
    manufacturer: URIRef = _NS["manufacturer"]  # manufacturer
    name: URIRef = _NS["name"]  # name
    newsOnly: URIRef = _NS["newsOnly"]  # news only
    orderYear: URIRef = _NS["orderYear"]  # order year
    orderYearEstimated: URIRef = _NS["orderYearEstimated"]  # order year estimated
    quantity: URIRef = _NS["quantity"]  # quantity
    quantityDelivered: URIRef = _NS["quantityDelivered"]  # quantity delivered
    quantityDeliveredEstimated: URIRef = _NS["quantityDeliveredEstimated"]  # quantity delivered estimated
    quantityEstimated: URIRef = _NS["quantityEstimated"]  # quantity estimated
    quantityGroup: URIRef = _NS["quantityGroup"]  # group quantity
    quantityOrdered: URIRef = _NS["quantityOrdered"]  # quantity ordered
    quantityOrderedEstimated: URIRef = _NS["quantityOrderedEstimated"]  # quantity ordered estimated
    quote: URIRef = _NS["quote"]  # quote
    rank: URIRef = _NS["rank"]  # rank
    recipientName: URIRef = _NS["recipientName"]  # recipient as written
    registerOnly: URIRef = _NS["registerOnly"]  # register only
    release: URIRef = _NS["release"]  # register release
    rulesDigest: URIRef = _NS["rulesDigest"]  # rules digest
    sipriCategory: URIRef = _NS["sipriCategory"]  # SIPRI category
    sourceCount: URIRef = _NS["sourceCount"]  # source count
    sourceLabel: URIRef = _NS["sourceLabel"]  # sources
    startOffset: URIRef = _NS["startOffset"]  # start offset
    supplierName: URIRef = _NS["supplierName"]  # supplier as written
    supplyCondition: URIRef = _NS["supplyCondition"]  # supply condition
    text: URIRef = _NS["text"]  # text
    tivDelivered: URIRef = _NS["tivDelivered"]  # TIV delivered
    tivOrder: URIRef = _NS["tivOrder"]  # TIV of the order
    tivUnit: URIRef = _NS["tivUnit"]  # TIV per unit
    tivUnitNew: URIRef = _NS["tivUnitNew"]  # TIV per new unit
    unroca: URIRef = _NS["unroca"]  # UNROCA category
