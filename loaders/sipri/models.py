"""What a SIPRI register export becomes: deals with their deliveries, and one import's notes."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum

from pydantic import BaseModel, Field

from armskb.errors import SourceError
from armskb.parties import PartyKind

class SupplyCondition(str, Enum):
    """SIPRI 'status' column: the condition of the items supplied."""

    new = "new"
    second_hand = "second-hand"
    second_hand_modernised = "second-hand-modernised"


CONDITIONS = {
    "new": SupplyCondition.new,
    "second hand": SupplyCondition.second_hand,
    "second-hand": SupplyCondition.second_hand,
    "second hand but modernized": SupplyCondition.second_hand_modernised,
    "second-hand but modernized": SupplyCondition.second_hand_modernised,
    "second hand but modernised": SupplyCondition.second_hand_modernised,
}


class Delivery(BaseModel):
    """One delivery year of a deal (2026 export: one row)."""

    year: int
    year_estimated: bool | None = None
    quantity: int | None = Field(default=None, ge=0)
    quantity_estimated: bool | None = None
    tiv: Decimal | None = None
    line: int | None = None


class RegisterDeal(BaseModel):
    """One deal of a SIPRI register export."""

    deal_id: str
    source_format: str
    line: int
    supplier: str | None = None  # ISO alpha-3 code, or organisation name, or None (unknown)
    supplier_name: str
    supplier_kind: PartyKind
    recipient: str | None = None
    recipient_name: str
    recipient_kind: PartyKind
    designation: str
    designation_raw: str
    description: str | None = None
    sipri_category: str | None = None
    category: str | None = None  # armskb category concept (models.Category value)
    order_year: int | None = None
    order_year_estimated: bool | None = None
    number_ordered: int | None = Field(default=None, ge=0)
    number_ordered_estimated: bool | None = None
    number_delivered: int | None = Field(default=None, ge=0)
    number_delivered_estimated: bool | None = None
    delivery_years: list[int] = []
    deliveries: list[Delivery] = []  # per-year quantities (2026 export only)
    status: SupplyCondition | None = None
    comments: str | None = None
    tiv_unit: Decimal | None = None  # TIV per unit as supplied (second-hand discount applied)
    tiv_unit_new: Decimal | None = None  # TIV per unit of a new item ('SIPRI estimate', 2026)
    tiv_order: Decimal | None = None
    tiv_delivered: Decimal | None = None
    local_production: bool | None = None


class RegisterImport(BaseModel):
    """One register export as read: its release key, deals, notes (repairs, name mappings; the
    record loaded) and rejections (records that did not load)."""

    release: str
    source_format: str
    deals: list[RegisterDeal]
    notes: list[SourceError] = []
    rejected: list[SourceError] = []
    truncated_at: int | None = None  # line of a last record cut off mid-way (a truncated file)

    model_config = {"arbitrary_types_allowed": True}
