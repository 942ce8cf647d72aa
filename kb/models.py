"""Pydantic models at the boundaries where text becomes data.

`ClaimRecord` is the flat record of `FORMAT.md` (what `armskb extract` prints and what gold files
hold); `Claim` is the stored claim with evidence offsets and provenance; `Document` is a source
text with its metadata; `Transfer` is a reconciled deal.
"""

from __future__ import annotations

import os

import datetime as dt
import hashlib
import re
from decimal import Decimal
from enum import Enum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from armskb import namespace
from armskb.reference import states


class Status(str, Enum):
    """Deal lifecycle (SKOS scheme `status:`), in lifecycle order, then the outcomes."""

    interest = "interest"
    negotiating = "negotiating"
    offered = "offered"
    planned = "planned"
    agreed = "agreed"
    ordered = "ordered"
    delivering = "delivering"
    delivered = "delivered"
    cancelled = "cancelled"
    denied = "denied"
    unknown = "unknown"


#: lifecycle rank; outcomes (cancelled, denied) and unknown sit outside the order.
STATUS_ORDER: dict[Status, int] = {
    s: i
    for i, s in enumerate(
        [
            Status.interest,
            Status.negotiating,
            Status.offered,
            Status.planned,
            Status.agreed,
            Status.ordered,
            Status.delivering,
            Status.delivered,
        ]
    )
}


class DateRole(str, Enum):
    """What a claim's date stands for."""

    order = "order"
    delivery = "delivery"
    expected_delivery = "expected_delivery"
    announcement = "announcement"
    period = "period"


class Category(str, Enum):
    """Weapon categories (SKOS scheme `category:`), mapped to SIPRI and UNROCA in the ontology."""

    aircraft = "aircraft"
    helicopter = "helicopter"
    air_defence = "air-defence"
    armoured_vehicle = "armoured-vehicle"
    tank = "tank"
    artillery = "artillery"
    missile = "missile"
    ship = "ship"
    submarine = "submarine"
    sensor = "sensor"
    small_arms = "small-arms"
    engine = "engine"
    other = "other"


class Precision(str, Enum):
    """Precision of a date: maps to xsd:gYear, xsd:gYearMonth, xsd:date."""

    year = "year"
    month = "month"
    day = "day"


_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class PartialDate(BaseModel):
    """A date known to the year, month or day: '2021', '2021-12', '2021-10-11'."""

    model_config = ConfigDict(frozen=True)

    year: int = Field(ge=1000, le=2999)
    month: int | None = Field(default=None, ge=1, le=12)
    day: int | None = Field(default=None, ge=1, le=31)

    @model_validator(mode="after")
    def _check(self) -> PartialDate:
        if self.day is not None:
            if self.month is None:
                raise ValueError("a day needs a month")
            dt.date(self.year, self.month, self.day)  # raises on 2021-02-30
        return self

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse an ISO date at year, month or day precision."""
        m = _DATE_RE.match(text.strip())
        if not m:
            raise ValueError(f"not an ISO date at year, month or day precision: {text!r}")
        y, mo, d = m.groups()
        return cls(year=int(y), month=int(mo) if mo else None, day=int(d) if d else None)

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.day
        if self.month is not None:
            return Precision.month
        return Precision.year

    def iso(self) -> str:
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def __str__(self) -> str:
        return self.iso()


def _party(value: str | None) -> str | None:
    """A party is an ISO alpha-3 code (upper-cased) or an organisation name."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    if len(value) == 3 and value.isalpha():
        code = value.upper()
        if code not in states():
            raise ValueError(f"unknown ISO 3166-1 alpha-3 code: {value!r}")
        return code
    return value


class ClaimFields(BaseModel):
    """What a flat record and a stored claim share: parties, system, quantity, stage, flags."""

    buyer: str | None = None
    seller: str | None = None
    seller_org: str | None = None
    system: str | None = None
    system_canonical: str | None = None
    system_category: Category | None = None
    quantity: Annotated[int, Field(ge=0)] | None = None
    quantity_group: Annotated[int, Field(ge=0)] | None = None
    approx: bool = False
    date_role: DateRole | None = None
    status: Status = Status.unknown
    hedged: bool = False
    in_comment: bool = False

    _parties = field_validator("buyer", "seller")(classmethod(lambda cls, v: _party(v)))

    @model_validator(mode="after")
    def _date_role_needs_date(self) -> ClaimFields:
        if self.date_role is not None and getattr(self, "date", None) is None:
            raise ValueError("date_role given without a date")
        return self


def _shared_fields(claim: ClaimFields) -> dict[str, object]:
    """The fields a flat record and a stored claim have in common, as already-validated values."""
    return {name: getattr(claim, name) for name in ClaimFields.model_fields}


#: the key order of FORMAT.md's record
RECORD_KEYS = (
    "article", "buyer", "seller", "seller_org", "system", "system_canonical", "system_category",
    "quantity", "quantity_group", "approx", "date", "date_role", "status", "hedged", "in_comment",
    "evidence",
)


class ClaimRecord(ClaimFields):
    """The claim record of FORMAT.md: one line of `armskb extract --format jsonl` or of a gold file."""

    model_config = ConfigDict(extra="forbid")

    article: str
    date: str | None = None
    evidence: str = ""

    @field_validator("date")
    @classmethod
    def _date(cls, v: str | None) -> str | None:
        if v is None or v == "":
            return None
        PartialDate.parse(v)
        return v

    def to_json_dict(self) -> dict[str, object]:
        """Plain dict in FORMAT.md key order, enums as their values."""
        data = self.model_dump(mode="json")
        return {k: data[k] for k in RECORD_KEYS}


class Source(BaseModel):
    """Source metadata carried by a structured claims file (the `source` object of a line)."""

    model_config = ConfigDict(extra="ignore")

    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    published: str | None = None
    language: str | None = None

    @field_validator("published")
    @classmethod
    def _published(cls, v: str | None) -> str | None:
        if v in (None, ""):
            return None
        PartialDate.parse(v)
        return v


class Document(BaseModel):
    """A source text and its metadata. `comment_start` is the offset where reader comments begin."""

    name: str
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    published: PartialDate | None = None
    language: str | None = None
    text: str = ""
    comment_start: int | None = None
    path: str | None = None

    @property
    def identity(self) -> str:
        """What makes two ingests 'the same document': its URL, else its file (absolute path)
        and its name within the file, so a/report.txt, b/report.txt and b/report.html differ."""
        if self.url:
            return self.url
        if self.path:
            return f"urn:armskb:file:{os.path.abspath(self.path)}#{self.name}"
        return f"urn:armskb:article:{self.name}"

    @property
    def key(self) -> str:
        return namespace.document_key(self.identity)

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def body(self) -> str:
        return self.text if self.comment_start is None else self.text[: self.comment_start]


class Evidence(BaseModel):
    """The quote that supports a claim and, when known, its character offsets in the document text."""

    quote: str
    start: Annotated[int, Field(ge=0)] | None = None
    end: Annotated[int, Field(ge=0)] | None = None

    @model_validator(mode="after")
    def _offsets(self) -> Evidence:
        if (self.start is None) != (self.end is None):
            raise ValueError("evidence needs both start and end offsets, or neither")
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError("evidence end offset before its start")
        return self


class Claim(ClaimFields):
    """A stored claim: who transfers what to whom, at which stage, with evidence and provenance."""

    date: PartialDate | None = None
    attribution: str | None = None
    end_user: str | None = None
    #: the system's origin state when the text names no supplier (`seller` stays null): an inference
    #: from world knowledge, low confidence, kept apart so reconciliation may still use it
    seller_inferred: str | None = None
    confidence: Annotated[float, Field(ge=0.0, le=1.0)] = 1.0
    evidence: Evidence
    extractor: str = "armskb.structured"
    extractor_version: str = "0"

    _end_user = field_validator("end_user", "seller_inferred")(classmethod(lambda cls, v: _party(v)))

    @classmethod
    def from_record(
        cls,
        rec: ClaimRecord,
        *,
        text: str | None = None,
        extractor: str = "armskb.structured",
        extractor_version: str = "0",
        confidence: float = 1.0,
    ) -> Claim:
        """A stored claim from a flat record; offsets are found when the document text is known."""
        start = end = None
        if text and rec.evidence:
            pos = text.find(rec.evidence)
            if pos >= 0:
                start, end = pos, pos + len(rec.evidence)
        return cls(
            **_shared_fields(rec),
            date=PartialDate.parse(rec.date) if rec.date else None,
            confidence=confidence,
            evidence=Evidence(quote=rec.evidence, start=start, end=end),
            extractor=extractor,
            extractor_version=extractor_version,
        )

    def to_record(self, article: str) -> ClaimRecord:
        """The flat FORMAT.md record of this claim."""
        return ClaimRecord(
            **_shared_fields(self),
            article=article,
            date=self.date.iso() if self.date else None,
            evidence=self.evidence.quote,
        )

    def fingerprint(self) -> str:
        """Content key for the claim's IRI: stable across runs, distinct per claim in a document."""
        parts = [
            self.buyer or "",
            self.seller or "",
            self.seller_org or "",
            self.system or "",
            str(self.quantity),
            str(self.quantity_group),
            self.date.iso() if self.date else "",
            self.date_role.value if self.date_role else "",
            self.status.value,
            str(self.in_comment),
            self.evidence.quote,
            str(self.evidence.start),
        ]
        return "\x1f".join(parts)


class ClaimView(BaseModel):
    """A claim as read back from the store, with its evidence and source."""

    iri: str
    buyer: str | None = None
    seller: str | None = None
    system: str | None = None
    status: str | None = None
    quantity: int | None = None
    quantity_group: int | None = None
    date: str | None = None
    date_role: str | None = None
    hedged: bool = False
    in_comment: bool = False
    confidence: float | None = None
    evidence: str | None = None
    evidence_start: int | None = None
    evidence_end: int | None = None
    document: str | None = None
    source_url: str | None = None
    source_title: str | None = None


class Conflict(BaseModel):
    """Two sources of one transfer disagree on a field."""

    field: Literal["quantity_ordered", "quantity_delivered", "order_year", "status", "delivery_year"]
    values: list[str]
    sources: list[str] = []


class Transfer(BaseModel):
    """A deal as answered to users: supplier, recipient, system, quantities, years, status, support."""

    iri: str | None = None
    supplier: str | None = None
    recipient: str | None = None
    system: str | None = None
    system_family: str | None = None
    category: Category | None = None
    #: the register's own designations of its deals ("Mi-24V/Mi-35"), and their SIPRI category
    designations: list[str] = []
    sipri_category: str | None = None
    quantity_ordered: int | None = None
    quantity_delivered: int | None = None
    #: ordered, else delivered; never a group quantity (that is `quantity_group`)
    quantity: int | None = None
    #: a number the news claims share with other systems ("seven Mi-17 and Mi-35"): not summable
    quantity_group: int | None = None
    order_year: int | None = None
    delivery_years: list[int] = []
    status: Status | None = None
    source_count: int = 0
    #: "matched", "news only" or "register only"
    match: str | None = None
    #: "comment" when only reader comments support it, "hedged" when only hedged claims do
    note: str | None = None
    tiv_order: Decimal | None = None
    tiv_delivered: Decimal | None = None
    claims: list[ClaimView] = []
    register_deals: list[str] = []
    conflicts: list[Conflict] = []
