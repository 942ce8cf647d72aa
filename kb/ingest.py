"""One file into the store: recognise its kind by content, build its graphs, replace them whole."""

from __future__ import annotations

from pathlib import Path

from armskb import namespace as ns
from armskb.mapping.documents import document_graph
from armskb.errors import SourceError
from armskb.progress import Meter, counted
from armskb.store import Store

_HEAD_BYTES = 65536


def _head(path: Path) -> str:
    with path.open("rb") as fh:
        data = fh.read(_HEAD_BYTES)
    if b"\x00" in data:
        raise SourceError(str(path), "binary file: not a text, HTML, JSON Lines or CSV source")
    return data.decode("utf-8", errors="replace")


def ingest_file(store: Store, path: Path, meter: Meter | None = None):  # -> tuple[Loaded | None, list[SourceError]]
    """Load one file. Returns what loaded and the records rejected; raises SourceError when the
    whole file is unusable. Nothing is written unless the file's graphs are complete."""
    from armskb.knowledgebase import Loaded
    from armskb.loaders import claims as claims_loader

    head = _head(path)
    if claims_loader.sniff(path, head):
        parsed = claims_loader.read_claims(path)
        graphs = {
            ns.document_graph(doc.key): document_graph(doc, cl) for doc, cl in parsed.documents
        }
        store.write_graphs(graphs)  # a big claims file: the bulk path for its new graphs
        return (
            Loaded(
                path=str(path),
                kind="claims",
                documents=len(parsed.documents),
                claims=sum(len(c) for _, c in parsed.documents),
                triples=sum(len(g) for g in graphs.values()),
            ),
            parsed.errors,
        )
    from armskb.loaders import sipri

    if sipri.sniff(path, head):
        release, deals, errors = sipri.read_register(path)
        advance = meter.task(f"{path.name}: register deals", len(deals)) if meter else None
        # a large graph: the store's bulk path (Oxigraph's bulk loader for a new graph)
        store.write_graph(ns.sipri_graph(release), sipri.register_triples(release, counted(deals, advance)))
        return Loaded(path=str(path), kind="sipri", documents=1, claims=0), errors
    from armskb.loaders.documents import read_documents
    from armskb.loaders.extract import ExtractionError, extract, language_warning

    docs, errors = read_documents(path)
    graphs = {}
    n_claims = 0
    warnings: list[str] = []
    for doc in docs:
        try:
            found = extract(doc)
        except ExtractionError as e:
            errors.append(SourceError(str(path), str(e)))
            continue
        warning = language_warning(doc)
        if warning:
            warnings.append(warning)
        n_claims += len(found)
        graphs[ns.document_graph(doc.key)] = document_graph(doc, found)
    if graphs:
        store.replace_graphs(graphs)
    return (
        Loaded(path=str(path), kind="article", documents=len(graphs), claims=n_claims,
               triples=sum(len(g) for g in graphs.values()), warnings=warnings),
        errors,
    )
