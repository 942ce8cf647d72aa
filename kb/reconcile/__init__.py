"""Reconciliation: claims and register deals about one deal become one `arms:Transfer`.

The package follows the data: `inputs` reads deals and claims from a store (SPARQL in
`queries/internal/reconcile-*.rq`) into the plain models of `model`; `matching` (the pure core:
keys, year windows, deal choice, news-only chains) and `conflicts` (figures, status, conflicts)
compute on them; `triples` writes the transfers and their precomputed summaries; `rebuild`
replaces the graph `id/graph/transfers` whole or updates only the keys a batch touched (`touched`
records those at the store boundary); `readback` answers `Transfer` records and `compare` rows.
The matching rules are documented in `armskb.reconcile.matching`.
"""

from armskb.reconcile.conflicts import fields_of
from armskb.reconcile.inputs import read_claims, read_deals
from armskb.reconcile.matching import match, party_code
from armskb.reconcile.model import (
    NEWS_GAP,
    PRE_ORDER_HORIZON,
    TOLERANCE,
    Built,
    ClaimIn,
    Deal,
    DealCluster,
    Fields,
    Key,
)
from armskb.reconcile.readback import ComparisonRow, compare, comparison_result, transfers
from armskb.reconcile.rebuild import RULES_VERSION, count_transfers, last_timing, rebuild, update
from armskb.reconcile.touched import TouchRecorder
from armskb.reconcile.triples import triples

__all__ = [
    "NEWS_GAP", "PRE_ORDER_HORIZON", "RULES_VERSION", "TOLERANCE", "Built", "ClaimIn", "ComparisonRow",
    "Deal", "DealCluster", "Fields", "Key", "TouchRecorder", "compare", "comparison_result",
    "count_transfers", "fields_of", "last_timing", "match", "party_code", "read_claims", "read_deals",
    "rebuild", "transfers", "triples", "update",
]
