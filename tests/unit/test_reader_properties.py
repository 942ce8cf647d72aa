"""Property tests over every reader of the registry: whatever bytes a file holds, ingesting it
beside a good article never raises; the file is loaded, rejected or skipped, every rejection names
it, and the good article beside it is stored (issue 9 item 4)."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from armskb.ingest import ingest_paths
from armskb.loaders.readers import READERS
from armskb.stores.oxigraph import OxigraphStore

FIX = Path(__file__).resolve().parent.parent / "fixtures"
ARTICLE = FIX / "articles" / "header-en.txt"

#: a file name and a head that make each reader of the registry claim the file
PREFIXES: dict[str, tuple[str, bytes]] = {
    "rdf": ("x.trig", b""),
    "sipri-tiv-table": ("t.csv", b'"TIV of arms exports from X",,\nFigures are SIPRI Trend Indicator Values\n'),
    "sipri": ("r.csv", b"Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation\n"),
    "claims": ("c.csv", b"article,buyer,seller,evidence\n"),
    "html": ("p.html", b"<html><body><p>"),
    "jsonl": ("a.jsonl", b""),
    "text": ("a.txt", b""),
}

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
_record_keys = st.sampled_from(["url", "text", "language", "title", "published", "id", "article", "buyer",
                                "seller", "evidence", "quantity", "date", "status", "source"])
#: structured garbage: JSON records with the right keys and wrong values, one per line
_jsonl = st.lists(st.dictionaries(_record_keys, _json_values, max_size=8), min_size=1, max_size=4).map(
    lambda recs: "\n".join(json.dumps(r) for r in recs).encode()
)
_csv_rows = st.lists(st.lists(st.text(max_size=30), min_size=1, max_size=18), min_size=1, max_size=5).map(
    lambda rows: "\n".join(",".join(json.dumps(c) if "," in c else c for c in r) for r in rows).encode(
        "utf-8", "surrogatepass")
)
_bodies = st.binary(max_size=600) | _jsonl | _csv_rows | st.text(max_size=400).map(
    lambda t: t.encode("utf-8", "surrogatepass"))


def test_every_reader_has_a_case() -> None:
    assert {r.name for r in READERS} == set(PREFIXES)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(reader=st.sampled_from(sorted(PREFIXES)), body=_bodies)
def test_any_bytes_never_stop_the_batch(tmp_path_factory, reader: str, body: bytes) -> None:
    folder = tmp_path_factory.mktemp("garbage")
    name, head = PREFIXES[reader]
    bad = folder / name
    bad.write_bytes(head + body)
    report = ingest_paths(OxigraphStore(None), [bad, ARTICLE])
    assert any(item.path == str(ARTICLE) for item in report.loaded)
    assert all(r.path == str(bad) and r.reason for r in report.rejected)
    fates = {item.path for item in report.loaded} | {r.path for r in report.rejected} | {
        s.path for s in report.skipped}
    assert str(bad) in fates
