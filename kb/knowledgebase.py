"""The Python API: open a store, ingest sources, ask named queries, dump, validate."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources
from pathlib import Path

from oxrdflib import OxigraphStore as OxRdflibStore
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Identifier

from armskb import catalog
from armskb import namespace as ns
from armskb import reconcile as reconcile_mod
from armskb.bind import bind, with_slice
from armskb.dump import dump
from armskb.errors import ArmskbError, QueryError
from armskb.ingest import IngestReport, Loaded, Note, Plan, Rejected, Skipped, expand_paths, ingest_paths
from armskb.mapping.reference import reference_graph
from armskb.models import ClaimView, Transfer
from armskb.namespace import ARMS
from armskb.progress import Meter
from armskb.reconcile import TouchRecorder
from armskb.store import QueryResult, SelectResult, Store, Triple
from armskb.stores.oxigraph import OxigraphStore
from armskb.stores.sparql import SparqlStore
from armskb.validate import validate_store

__all__ = ["DEFAULT_STORE", "IngestReport", "KnowledgeBase", "Loaded", "Note", "Rejected", "Skipped",
           "expand_paths"]

DEFAULT_STORE = "./armskb-data"


def _ontology_files() -> list[tuple[str, bytes]]:
    root = resources.files("armskb.ontology")
    return sorted(
        (e.name, e.read_bytes())
        for e in root.iterdir()
        if e.name.endswith(".ttl") and e.name != "shapes.ttl"
    )


def _reference_files() -> list[tuple[str, bytes]]:
    root = resources.files("armskb.ontology").joinpath("reference")
    return sorted((e.name, e.read_bytes()) for e in root.iterdir() if e.name.endswith(".csv"))


def _hash(files: list[tuple[str, bytes]]) -> str:
    h = hashlib.sha256()
    for name, data in files:
        h.update(name.encode() + b"\0" + data + b"\0")
    return h.hexdigest()


@cache
def _static_digests() -> dict[URIRef, str]:
    """Digest of the files behind the ontology and reference graphs (cheap: no parsing), so a
    store can tell whether its copy of those graphs is current."""
    return {
        ns.GRAPH_ONTOLOGY: _hash(_ontology_files()),
        ns.GRAPH_REFERENCE: _hash(_reference_files()),
    }


@cache
def _static_graph(graph: URIRef) -> tuple[Triple, ...]:
    """The triples of the ontology or reference graph, with their digest triple (built once per
    process, only when a store needs them)."""
    if graph == ns.GRAPH_ONTOLOGY:
        g = Graph()
        for name, data in _ontology_files():
            g.parse(data=data, format="turtle", publicID=str(ns.ID_BASE) + name)
    else:
        g = reference_graph()
    return (*g, (graph, ARMS.contentHash, Literal(_static_digests()[graph])))


class KnowledgeBase:
    """An armskb knowledge base over one store backend."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._ensure_static_graphs()

    # -- opening ---------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path | None = None, *, read_only: bool = False, create: bool = True) -> KnowledgeBase:
        """The embedded Oxigraph store on disk (default `$ARMSKB_STORE` or `./armskb-data`).

        `read_only=True` opens it for reading beside other readers (refused while a writer holds
        it); `create=False` refuses a path where no store is (StoreOpenError, one line)."""
        target = Path(path or os.environ.get("ARMSKB_STORE") or DEFAULT_STORE)
        return cls(OxigraphStore(target, read_only=read_only, create=create))

    @classmethod
    def memory(cls) -> KnowledgeBase:
        """An in-memory embedded store (tests, one-off analyses)."""
        return cls(OxigraphStore(None))

    @classmethod
    def remote(
        cls,
        query_url: str,
        update_url: str | None = None,
        graph_store_url: str | None = None,
        auth: tuple[str, ...] | None = None,
        **options: object,
    ) -> KnowledgeBase:
        """A knowledge base on a SPARQL 1.1 server (Virtuoso, Fuseki, Oxigraph server, ...).

        `update_url` (SPARQL Update) makes it writable; `graph_store_url` (Graph Store Protocol)
        speeds up big uploads; `auth` is `(user, password)` or `(user, password, "digest")`.
        Other options go to `armskb.stores.sparql.SparqlStore` (graph_param, update_batch, ...)."""
        return cls(SparqlStore(query_url, update_url, graph_store_url, auth, **options))  # type: ignore[arg-type]

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _ensure_static_graphs(self) -> None:
        """Load the ontology and reference graphs when absent or changed."""
        for graph, digest in _static_digests().items():
            current = self.store.query(catalog.internal("graph-has-hash"), {"g": graph, "hash": Literal(digest)})
            if not current and getattr(self.store, "writable", True):  # a read-only remote: as it is
                self.store.replace_graphs({graph: _static_graph(graph)})

    # -- loading ---------------------------------------------------------------------------
    def ingest(
        self,
        paths: Iterable[str | Path] | Plan,
        *,
        progress: Callable[[Path], None] | None = None,
        reconcile: bool = True,
        replace: bool = False,
        meter: Meter | None = None,
    ) -> IngestReport:
        """Load files and directories; each document's graph is replaced as a whole. A bad file
        is rejected and the rest still load; `replace=True` allows a register export to shrink
        its stored graph or to load without its cut-off last record. `meter` shows the progress
        inside a long file (the deals of a register)."""
        recorder = TouchRecorder(self.store)  # the reconciliation keys the writes touch
        report = ingest_paths(recorder, paths, replace=replace, progress=progress, meter=meter)
        if reconcile and recorder.writes:
            if recorder.full:
                reconcile_mod.rebuild(self.store)
            else:
                reconcile_mod.update(self.store, recorder.keys)
        return report

    def reconcile(self) -> int:
        """Rebuild the whole transfers graph from claims and register rows (skipped when its
        inputs have not changed); returns the number of transfers."""
        return reconcile_mod.rebuild(self.store)

    # -- asking ----------------------------------------------------------------------------
    def sparql(
        self, text: str, bindings: dict[str, Identifier] | None = None, *, limit: int | None = None,
        offset: int = 0,
    ) -> QueryResult:
        """Any SPARQL query, over the union of graphs unless it names a dataset (FROM / FROM NAMED).

        With `limit`, a SELECT returns at most that many rows from `offset` on, and the result's
        `truncated` says whether more exist (a query with its own LIMIT/OFFSET is left as it is)."""
        sliced, applied = with_slice(text, limit, offset)
        res = self.store.query(sliced, bindings)
        if applied and isinstance(res, SelectResult):
            res.offset = offset
            if limit is not None:
                res.limit = limit
                res.truncated = len(res.rows) > limit
                del res.rows[limit:]
        return res

    def resolver(self) -> catalog.Resolver:
        """Resolves parameter values against the reference data and this store's names."""
        return catalog.Resolver(self.store)

    def query(
        self, name: str, /, *, limit: int | None = None, offset: int = 0, **params: str | int | None
    ) -> SelectResult:
        """A named query of `queries/` with its parameters (bound, never pasted).

        Unknown names (states, systems, statuses, categories) raise `UnknownNameError` with the
        closest known ones; `limit`/`offset` page through the rows as in `sparql`."""
        q = catalog.get(name)
        bindings = catalog.bindings_for(q, params, self.resolver())
        res = self.sparql(bind(q.text, bindings), limit=limit, offset=offset)
        if not isinstance(res, SelectResult):
            raise ArmskbError(f"named query {name!r} is not a SELECT query")
        return res

    def claims(
        self,
        *,
        buyer: str | None = None,
        seller: str | None = None,
        system: str | None = None,
        status: str | None = None,
        since: int | None = None,
        until: int | None = None,
    ) -> list[ClaimView]:
        """Claims with their evidence and source, filtered like `transfers`."""
        res = self.query(
            "claims-for", buyer=buyer, seller=seller, system=system, status=status,
            since=since, until=until,
        )
        return [_claim_view(row) for row in res.rows]

    def transfers(
        self,
        *,
        buyer: str | None = None,
        seller: str | None = None,
        system: str | None = None,
        status: str | None = None,
        since: int | None = None,
        until: int | None = None,
        source: str | None = None,
        exclude_comments: bool = False,
    ) -> list[Transfer]:
        """Reconciled transfers (graph id/graph/transfers) with their claims, register deals and
        conflicts. `system` matches the family of the designation given (T-72MS -> T-72); `status`
        is the latest status; `since`/`until` keep transfers whose sources reach into the years;
        `source` is register, news or all; `exclude_comments` leaves out transfers only reader
        comments support."""
        if source not in (None, "all", "register", "news"):
            raise QueryError(f"unknown source {source!r}; one of: register, news, all")
        params = {"buyer": buyer, "seller": seller, "system": system, "status": status, "since": since,
                  "until": until, "source": source, "exclude_comments": "true" if exclude_comments else None}
        views = {v.iri: v for v in self.claims(buyer=buyer, seller=seller)}
        return reconcile_mod.transfers(self.store, views, **params)

    def reconciled_transfers(
        self, *, supplier: str | None = None, recipient: str | None = None, system: str | None = None
    ) -> list[Transfer]:
        """The reconciled transfers of a supplier, recipient and system (`transfers` by its
        register names)."""
        return self.transfers(seller=supplier, buyer=recipient, system=system)

    def compare(self, supplier: str, recipient: str) -> list[reconcile_mod.ComparisonRow]:
        """Register deals beside news claims for a supplier and a recipient, matched and unmatched."""
        found = self.reconciled_transfers(supplier=supplier, recipient=recipient)
        sup, rec = catalog.to_term("state", supplier), catalog.to_term("state", recipient)
        return reconcile_mod.compare(self.store, found, sup, rec)  # type: ignore[arg-type]

    def stats(self) -> dict[str, object]:
        """Counts: every quad, documents, claims, and triples per named graph."""
        def count(cls: URIRef) -> int:
            res = self.store.query(catalog.internal("count-instances"), {"class": cls})
            assert isinstance(res, SelectResult)
            return int(res.rows[0]["n"])  # type: ignore[arg-type]

        return {
            "triples": self.store.count(),
            "documents": count(ARMS.Document),
            "claims": count(ARMS.Claim),
            "transfers": count(ARMS.Transfer),
            "register_deals": count(ARMS.RegisterDeal),
            "graphs": {str(g): self.store.count(g) for g in self.store.graphs()},
        }

    # -- output ----------------------------------------------------------------------------
    def dump(self, path: str | Path, format: str | None = None) -> Path:
        """Write a deterministic dump: turtle (union), trig, nquads, ntriples (union), jsonld."""
        return dump(self.store, Path(path), format)

    def validate(self) -> tuple[bool, str]:
        """SHACL validation of the data graphs against `ontology/shapes.ttl`."""
        return validate_store(self.store)

    def rdflib_graph(self) -> Graph:
        """An rdflib view (ConjunctiveGraph over oxrdflib) of the embedded store."""
        if not isinstance(self.store, OxigraphStore):
            raise ArmskbError("the rdflib view needs the embedded Oxigraph store")
        return Dataset(store=OxRdflibStore(store=self.store.oxigraph), default_union=True)


def _claim_view(row: dict[str, Identifier]) -> ClaimView:
    def s(k: str) -> str | None:
        v = row.get(k)
        return str(v) if v is not None else None

    def i(k: str) -> int | None:
        v = row.get(k)
        return int(v) if v is not None else None  # type: ignore[arg-type]

    def b(k: str) -> bool:
        v = row.get(k)
        return bool(v is not None and str(v) == "true")

    return ClaimView(
        iri=str(row["claim"]),
        buyer=s("buyer_code") or None,
        seller=s("seller_code") or None,
        system=s("designation"),
        status=s("status_label"),
        quantity=i("quantity"),
        quantity_group=i("group_quantity"),
        date=s("date"),
        date_role=s("date_role") or None,
        hedged=b("hedged"),
        in_comment=b("in_comment"),
        confidence=float(row["confidence"]) if row.get("confidence") is not None else None,  # type: ignore[arg-type]
        evidence=s("evidence"),
        evidence_start=i("start"),
        evidence_end=i("end"),
        document=s("document"),
        source_url=s("url"),
        source_title=s("title"),
    )
