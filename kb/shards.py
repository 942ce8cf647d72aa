"""Scale-out: extraction into N-Quads shards, and loading shards into a store.

Extraction is stateless per document and every IRI is a function of the input, so partitions of an
article archive can be extracted on different machines (`armskb extract --out DIR`, one shard per
input batch) and the shards loaded anywhere: `armskb load DIR` into the embedded store (Oxigraph's
bulk loader for graphs not yet there) or into a SPARQL server (one Graph Store Protocol PUT per
graph), or by a server's own bulk loader (Virtuoso's `ld_dir` / `rdf_loader_run`). The same
document extracted twice gives the same graph, so shards of overlapping runs merge without
duplicates.
"""

from __future__ import annotations

import hashlib
import multiprocessing
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
from pydantic import BaseModel
from rdflib import URIRef

from armskb import namespace as ns
from armskb.errors import StoreError
from armskb.loaders.documents import read_documents
from armskb.loaders.extract import ExtractionError, extract
from armskb.mapping.documents import document_graph
from armskb.progress import Meter
from armskb.store import Store, Triple
from armskb.stores.oxigraph import OxigraphStore, from_ox, to_ox

SHARD_SUFFIX = ".nq"


class ShardResult(BaseModel):
    """What one input batch gave."""

    shard: str | None
    files: int
    documents: int
    claims: int
    quads: int
    bytes_in: int
    errors: list[str] = []


class LoadReport(BaseModel):
    """What `load_shards` wrote."""

    shards: int = 0
    graphs_new: int = 0
    graphs_replaced: int = 0
    quads: int = 0


def batches(files: list[Path], size: int) -> list[list[Path]]:
    """Consecutive batches of `size` files (the partition one shard holds)."""
    if size < 1:
        raise ValueError("batch size must be at least 1")
    return [files[i : i + size] for i in range(0, len(files), size)]


def shard_name(batch: list[Path]) -> str:
    """A file name that depends only on the batch's file names, so a re-run overwrites its own
    shard and batches of other partitions never collide."""
    h = hashlib.sha256("\n".join(p.name for p in batch).encode()).hexdigest()[:16]
    return f"shard-{batch[0].stem[:40]}-{h}{SHARD_SUFFIX}"


def extract_batch(batch: list[Path], out: Path | None) -> ShardResult:
    """Read and extract every document of a batch; with `out`, write its graphs as one sorted
    N-Quads shard there (through a temporary file, so a shard is complete or absent)."""
    quads: list[ox.Quad] = []
    errors: list[str] = []
    docs_n = claims_n = size = 0
    for path in batch:
        try:
            size += path.stat().st_size
        except OSError as e:
            errors.append(f"{path}: {e}")
            continue
        docs, errs = read_documents(path)
        errors += [str(e) for e in errs]
        for doc in docs:
            try:
                found = extract(doc)
            except ExtractionError as e:  # that document is reported, the rest of the batch goes on
                errors.append(f"{path}: {e}")
                continue
            docs_n += 1
            claims_n += len(found)
            g = to_ox(ns.document_graph(doc.key))
            quads += (ox.Quad(to_ox(s), to_ox(p), to_ox(o), g)  # type: ignore[arg-type]
                      for s, p, o in document_graph(doc, found))
    name = None
    if out is not None and quads:
        name = shard_name(batch)
        quads.sort(key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))
        tmp = out / (name + ".part")
        ox.serialize(quads, str(tmp), format=ox.RdfFormat.N_QUADS)
        tmp.replace(out / name)
    return ShardResult(shard=name, files=len(batch), documents=docs_n, claims=claims_n, quads=len(quads),
                       bytes_in=size, errors=errors)


def _extract_star(args: tuple[list[Path], Path | None]) -> ShardResult:
    return extract_batch(*args)


def extract_batches(
    groups: list[list[Path]], out: Path | None, jobs: int = 1
) -> Iterator[ShardResult]:
    """`extract_batch` over every batch, in order, on `jobs` processes."""
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    work = [(b, out) for b in groups]
    if jobs <= 1 or len(groups) <= 1:
        yield from map(_extract_star, work)
        return
    with multiprocessing.get_context("spawn").Pool(jobs) as pool:
        yield from pool.imap(_extract_star, work)


def shard_files(paths: Iterable[Path]) -> list[Path]:
    """The N-Quads shards named or found (sorted) under the directories named."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(f for f in p.iterdir() if f.is_file() and f.name.endswith(SHARD_SUFFIX))
        elif p.is_file():
            out.append(p)
        else:
            raise StoreError(f"{p}: no such shard file or directory")
    return out


def _by_graph(path: Path) -> dict[str, list[ox.Quad]]:
    groups: dict[str, list[ox.Quad]] = {}
    try:
        for q in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
            if not isinstance(q.graph_name, ox.NamedNode):
                raise StoreError(f"{path}: a quad outside any named graph: {q}")
            groups.setdefault(q.graph_name.value, []).append(q)
    except SyntaxError as e:
        raise StoreError(f"{path}: not N-Quads: {e}") from e
    return groups


def load_shards(store: Store, shards: list[Path], meter: Meter | None = None) -> LoadReport:
    """Write every graph of every shard into `store`, each replacing the graph of that name.

    Each shard is parsed in full before anything is written (a bad shard names its file and line
    and writes nothing). On the embedded store, a shard whose graphs are all new is bulk-loaded from
    the file as it is; graphs already there are replaced through the transactional difference path
    (a document extracted again: nothing to write). Remote stores get one write per graph (a
    Graph Store Protocol PUT when a graph store URL is configured)."""
    report = LoadReport()
    advance = meter.task("shards", len(shards)) if meter else None
    present = set(map(str, store.graphs()))
    for path in shards:
        groups = _by_graph(path)
        new = [g for g in groups if g not in present]
        if isinstance(store, OxigraphStore) and len(new) == len(groups):
            store.bulk_load_nquads(path, [URIRef(g) for g in new])
        elif isinstance(store, OxigraphStore):
            store.add_new_graphs({URIRef(g): _triples(groups[g]) for g in new})
            store.replace_graphs({URIRef(g): _triples(q) for g, q in groups.items() if g in present})
        else:
            store.write_graphs({URIRef(g): _triples(q) for g, q in groups.items()})
        present.update(new)
        report.shards += 1
        report.graphs_new += len(new)
        report.graphs_replaced += len(groups) - len(new)
        report.quads += sum(len(q) for q in groups.values())
        if advance:
            advance(1)
    return report


def _triples(quads: list[ox.Quad]) -> list[Triple]:
    return [(from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)) for q in quads]
