"""Claims grouped into transfer records for the Python API."""

from __future__ import annotations

from armskb.models import STATUS_ORDER, ClaimView, Status, Transfer


def _rank(status: str | None) -> int:
    try:
        return STATUS_ORDER.get(Status(status), -1) if status else -1
    except ValueError:
        return -1


def group_claims(views: list[ClaimView]) -> list[Transfer]:
    """One Transfer per (seller, buyer, system, status), with its claims, ordered for reading."""
    groups: dict[tuple[str, str, str, str], list[ClaimView]] = {}
    for v in views:
        key = (v.seller or "", v.buyer or "", v.system or "", v.status or "")
        groups.setdefault(key, []).append(v)
    out = []
    for (seller, buyer, system, status), claims in groups.items():
        quantities = [c.quantity for c in claims if c.quantity is not None]
        grouped = [c.quantity_group for c in claims if c.quantity_group is not None]
        years = sorted({int(c.date[:4]) for c in claims if c.date})
        out.append(
            Transfer(
                supplier=seller or None,
                recipient=buyer or None,
                system=system or None,
                status=Status(status) if status else None,
                quantity=max(quantities) if quantities else (max(grouped) if grouped else None),
                delivery_years=years if status == Status.delivered.value else [],
                source_count=len({c.document for c in claims}),
                claims=claims,
            )
        )
    out.sort(key=lambda t: (t.supplier or "", t.recipient or "", -_rank(t.status.value if t.status else None), t.system or ""))
    return out
