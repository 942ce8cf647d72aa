"""Pydantic models: validation of codes, quantities, dates and statuses."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from armskb.models import Claim, ClaimRecord, Evidence, PartialDate, Precision, Status


def test_partial_date_precision() -> None:
    assert PartialDate.parse("2021").precision is Precision.year
    assert PartialDate.parse("2021-12").precision is Precision.month
    assert PartialDate.parse("2021-10-11").precision is Precision.day
    assert PartialDate.parse("2021-10-11").iso() == "2021-10-11"


@pytest.mark.parametrize("bad", ["21", "2021-13", "2021-02-30", "2021/10/11", "", "October 2021"])
def test_partial_date_rejects(bad: str) -> None:
    with pytest.raises(ValueError):
        PartialDate.parse(bad)


def _rec(**kw: object) -> dict[str, object]:
    base: dict[str, object] = {"article": "a", "buyer": "SRB", "seller": "RUS", "evidence": "x", "status": "ordered"}
    base.update(kw)
    return base


def test_record_accepts_format_md_record() -> None:
    r = ClaimRecord.model_validate(_rec(buyer="srb", quantity=3, date="2021-12", date_role="order"))
    assert r.buyer == "SRB" and r.status is Status.ordered


def test_record_accepts_organisation_buyer() -> None:
    assert ClaimRecord.model_validate(_rec(buyer="Houthi rebels")).buyer == "Houthi rebels"


@pytest.mark.parametrize(
    "field,value",
    [
        ("buyer", "XYZ"),
        ("quantity", -1),
        ("quantity_group", -5),
        ("status", "bought"),
        ("date", "2021-13"),
        ("system_category", "spaceship"),
        ("unexpected_key", 1),
    ],
)
def test_record_rejects(field: str, value: object) -> None:
    with pytest.raises(ValidationError):
        ClaimRecord.model_validate(_rec(**{field: value}))


def test_date_role_needs_date() -> None:
    with pytest.raises(ValidationError):
        ClaimRecord.model_validate(_rec(date_role="order"))


def test_evidence_offsets_both_or_neither() -> None:
    with pytest.raises(ValidationError):
        Evidence(quote="x", start=3)
    with pytest.raises(ValidationError):
        Evidence(quote="x", start=5, end=2)


def test_claim_from_record_finds_offsets() -> None:
    text = "Intro. Serbia bought six MiG-29 from Russia. End."
    rec = ClaimRecord.model_validate(_rec(evidence="Serbia bought six MiG-29 from Russia."))
    claim = Claim.from_record(rec, text=text)
    assert claim.evidence.start is not None and claim.evidence.end is not None
    assert text[claim.evidence.start : claim.evidence.end] == rec.evidence
    assert claim.to_record("a") == rec


def test_confidence_bounds() -> None:
    with pytest.raises(ValidationError):
        Claim(evidence=Evidence(quote="x"), confidence=1.5)
