"""SIPRI Arms Transfers Database register exports -> `RegisterDeal`s -> RDF.

Two export formats are recognised by content (`sniff`), never by file name:

* the 2024 web export, one row per deal (header ``Recipient,Supplier,Year of order, ,Number
  ordered, ,...``; 16 columns, ``?`` in the blank-headed columns marks an estimate; no deal id);
* the 2026 web export, one row per deal per delivery year (11 preamble lines ending in
  ``Data generated: 12 Feb 2026 ...``, then the header ``SIPRI AT Database ID,Supplier,...``;
  every line ends in a stray ``;``). Rows are grouped by deal id into one deal with per-year
  deliveries.

Quirks are repaired and reported as `SourceError`s (file and line), never raised:
Excel-mangled designations (``5.7E+07`` -> ``57E6``), records broken over two physical lines
(joined), ``*`` non-state and ``**`` organisation parties (kept as organisations by name),
``unknown supplier(s)``/``unknown recipient(s)`` (no party; the name is kept as a literal),
historical states and SIPRI's own spellings (``ontology/reference/sipri_names.csv``), descriptions
without a category (``ontology/reference/sipri_descriptions.csv``, made by
``scripts/gen_sipri_descriptions.py``), and unparsable values.

Source: SIPRI Arms Transfers Database (c) SIPRI, https://www.sipri.org/databases/armstransfers.
"""

from armskb.loaders.sipri.models import Delivery, PartyKind, RegisterDeal, RegisterImport, SupplyCondition
from armskb.loaders.sipri.parse import (
    FORMAT_2024,
    FORMAT_2026,
    clean_designation,
    read_register,
    read_register_text,
    sniff,
)
from armskb.mapping.register import register_triples

__all__ = [
    "FORMAT_2024",
    "FORMAT_2026",
    "Delivery",
    "PartyKind",
    "RegisterDeal",
    "RegisterImport",
    "SupplyCondition",
    "clean_designation",
    "read_register",
    "read_register_text",
    "register_triples",
    "sniff",
]
