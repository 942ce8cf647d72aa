"""The arms: vocabulary as one closed object: `ARMS.buyer` exists because the ontology declares
it, and a misspelt term raises AttributeError instead of minting an IRI nobody defined. Terms
are class attributes built once (a plain attribute read, as fast as a local constant), so the
mapping uses them directly in its hot loops.

Generated from ontology/armskb.ttl by scripts/gen_vocab.py; do not edit by hand.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib.term import URIRef

NAMESPACE = "https://w3id.org/armskb/ontology#"


class ArmsVocabulary:
    """Every class and property of the armskb ontology; `ARMS` is its one instance."""

    __slots__ = ()

    # classes
    Claim = URIRef(NAMESPACE + "Claim")  # claim
    Conflict = URIRef(NAMESPACE + "Conflict")  # conflict
    Delivery = URIRef(NAMESPACE + "Delivery")  # delivery
    Document = URIRef(NAMESPACE + "Document")  # document
    Evidence = URIRef(NAMESPACE + "Evidence")  # evidence
    Organization = URIRef(NAMESPACE + "Organization")  # organisation
    Party = URIRef(NAMESPACE + "Party")  # party
    RegisterDeal = URIRef(NAMESPACE + "RegisterDeal")  # register deal
    State = URIRef(NAMESPACE + "State")  # state
    Transfer = URIRef(NAMESPACE + "Transfer")  # transfer
    WeaponSystem = URIRef(NAMESPACE + "WeaponSystem")  # weapon system

    # datatypes
    PartialDate = URIRef(NAMESPACE + "PartialDate")  # partial date

    # object properties
    buyer = URIRef(NAMESPACE + "buyer")  # buyer
    category = URIRef(NAMESPACE + "category")  # category
    conflict = URIRef(NAMESPACE + "conflict")  # conflict
    conflictSource = URIRef(NAMESPACE + "conflictSource")  # conflicting source
    dateRole = URIRef(NAMESPACE + "dateRole")  # date role
    delivery = URIRef(NAMESPACE + "delivery")  # delivery
    endUser = URIRef(NAMESPACE + "endUser")  # end user
    evidence = URIRef(NAMESPACE + "evidence")  # evidence
    originState = URIRef(NAMESPACE + "originState")  # origin state
    recipient = URIRef(NAMESPACE + "recipient")  # recipient
    seller = URIRef(NAMESPACE + "seller")  # seller
    sellerInferred = URIRef(NAMESPACE + "sellerInferred")  # inferred seller
    sellerOrganization = URIRef(NAMESPACE + "sellerOrganization")  # seller organisation
    status = URIRef(NAMESPACE + "status")  # status
    supplier = URIRef(NAMESPACE + "supplier")  # supplier
    supportedBy = URIRef(NAMESPACE + "supportedBy")  # supported by
    system = URIRef(NAMESPACE + "system")  # system
    variantOf = URIRef(NAMESPACE + "variantOf")  # variant of
    yearlyDelivery = URIRef(NAMESPACE + "yearlyDelivery")  # yearly delivery

    # datatype properties
    alpha2 = URIRef(NAMESPACE + "alpha2")  # alpha-2 code
    approximate = URIRef(NAMESPACE + "approximate")  # approximate
    attributedTo = URIRef(NAMESPACE + "attributedTo")  # attributed to
    claimCount = URIRef(NAMESPACE + "claimCount")  # claim count
    comment = URIRef(NAMESPACE + "comment")  # register comment
    commentOnly = URIRef(NAMESPACE + "commentOnly")  # comment only
    commentStart = URIRef(NAMESPACE + "commentStart")  # comment start
    confidence = URIRef(NAMESPACE + "confidence")  # confidence
    conflictField = URIRef(NAMESPACE + "conflictField")  # conflicting field
    conflictValue = URIRef(NAMESPACE + "conflictValue")  # conflicting value
    contentHash = URIRef(NAMESPACE + "contentHash")  # content hash
    date = URIRef(NAMESPACE + "date")  # date
    dealId = URIRef(NAMESPACE + "dealId")  # deal identifier
    deliveryYear = URIRef(NAMESPACE + "deliveryYear")  # delivery year
    deliveryYearEstimated = URIRef(NAMESPACE + "deliveryYearEstimated")  # delivery year estimated
    description = URIRef(NAMESPACE + "description")  # weapon description
    designation = URIRef(NAMESPACE + "designation")  # designation
    endOffset = URIRef(NAMESPACE + "endOffset")  # end offset
    estimated = URIRef(NAMESPACE + "estimated")  # estimated
    extractor = URIRef(NAMESPACE + "extractor")  # extractor
    extractorVersion = URIRef(NAMESPACE + "extractorVersion")  # extractor version
    familyDesignation = URIRef(NAMESPACE + "familyDesignation")  # family designation
    firstYear = URIRef(NAMESPACE + "firstYear")  # first year
    groupQuantity = URIRef(NAMESPACE + "groupQuantity")  # group quantity
    hedged = URIRef(NAMESPACE + "hedged")  # hedged
    hedgedOnly = URIRef(NAMESPACE + "hedgedOnly")  # hedged only
    historical = URIRef(NAMESPACE + "historical")  # historical
    inComment = URIRef(NAMESPACE + "inComment")  # in reader comment
    lastYear = URIRef(NAMESPACE + "lastYear")  # last year
    latestDate = URIRef(NAMESPACE + "latestDate")  # latest date
    localProduction = URIRef(NAMESPACE + "localProduction")  # local production
    manufacturer = URIRef(NAMESPACE + "manufacturer")  # manufacturer
    name = URIRef(NAMESPACE + "name")  # name
    newsOnly = URIRef(NAMESPACE + "newsOnly")  # news only
    orderYear = URIRef(NAMESPACE + "orderYear")  # order year
    orderYearEstimated = URIRef(NAMESPACE + "orderYearEstimated")  # order year estimated
    quantity = URIRef(NAMESPACE + "quantity")  # quantity
    quantityDelivered = URIRef(NAMESPACE + "quantityDelivered")  # quantity delivered
    quantityDeliveredEstimated = URIRef(NAMESPACE + "quantityDeliveredEstimated")  # quantity delivered estimated
    quantityEstimated = URIRef(NAMESPACE + "quantityEstimated")  # quantity estimated
    quantityGroup = URIRef(NAMESPACE + "quantityGroup")  # group quantity
    quantityOrdered = URIRef(NAMESPACE + "quantityOrdered")  # quantity ordered
    quantityOrderedEstimated = URIRef(NAMESPACE + "quantityOrderedEstimated")  # quantity ordered estimated
    quote = URIRef(NAMESPACE + "quote")  # quote
    rank = URIRef(NAMESPACE + "rank")  # rank
    recipientName = URIRef(NAMESPACE + "recipientName")  # recipient as written
    registerOnly = URIRef(NAMESPACE + "registerOnly")  # register only
    release = URIRef(NAMESPACE + "release")  # register release
    rulesDigest = URIRef(NAMESPACE + "rulesDigest")  # rules digest
    sipriCategory = URIRef(NAMESPACE + "sipriCategory")  # SIPRI category
    sourceCount = URIRef(NAMESPACE + "sourceCount")  # source count
    sourceLabel = URIRef(NAMESPACE + "sourceLabel")  # sources
    startOffset = URIRef(NAMESPACE + "startOffset")  # start offset
    supplierName = URIRef(NAMESPACE + "supplierName")  # supplier as written
    supplyCondition = URIRef(NAMESPACE + "supplyCondition")  # supply condition
    text = URIRef(NAMESPACE + "text")  # text
    tivDelivered = URIRef(NAMESPACE + "tivDelivered")  # TIV delivered
    tivOrder = URIRef(NAMESPACE + "tivOrder")  # TIV of the order
    tivUnit = URIRef(NAMESPACE + "tivUnit")  # TIV per unit
    tivUnitNew = URIRef(NAMESPACE + "tivUnitNew")  # TIV per new unit
    unroca = URIRef(NAMESPACE + "unroca")  # UNROCA category

    def __str__(self) -> str:
        return NAMESPACE

    def __getitem__(self, name: str) -> URIRef:
        """`ARMS["buyer"]`: a term by name (KeyError for a name the ontology lacks)."""
        term = _TERMS.get(name)
        if term is None:
            raise KeyError(f"{name!r} is not a term of the armskb ontology (add it to ontology/armskb.ttl, "
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


_TERMS: dict[str, URIRef] = {
    name: value for name, value in vars(ArmsVocabulary).items() if isinstance(value, URIRef)
}

ARMS = ArmsVocabulary()
