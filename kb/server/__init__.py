"""`armskb serve`: a read-only SPARQL 1.1 Protocol endpoint and a small query page.

Why our own app rather than the PyPI `oxigraph` server binary: the binary always allows SERVICE
calls to other hosts, has no read-only guard we control, and opening a store read-only while
`armskb ingest` writes it is undefined behaviour. Its one strength, stopping a query at
`--timeout-s`, we get from worker processes. The parts, one idea each:

- `guard`: what may run (escapes expanded once, then rdflib's parse tree: no update, no SERVICE,
  size and nesting caps); the checked text is the text that runs.
- `workers`: processes that check and run queries, with a time limit, a memory cap, no network,
  a quick lane beside slow queries, and respawn with retry.
- `execute`: one query inside a worker: dataset (protocol parameters, FROM, else the union), row cap.
- `negotiation` and `armskb.results`: the answer's format and its serialization by libraries.
- `http`: the protocol, CORS, service description, socket limits.

Workers serve a snapshot: at start the store is backed up (`Store.backup`) into a private directory
that they open read-only, so no process reads a store another writes and the endpoint cannot change
data. The snapshot is removed when the server stops (also on SIGTERM and SIGINT, see the CLI).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from armskb.knowledgebase import DEFAULT_STORE, KnowledgeBase
from armskb.server.execute import Source
from armskb.server.guard import HttpError, check_query
from armskb.server.http import App, EndpointHTTPServer
from armskb.server.workers import Limits, Pool

__all__ = ["HttpError", "Limits", "Server", "Source", "check_query", "make_server", "snapshot"]


class Server:
    """The running endpoint (used by the CLI and by tests). `fatal` says why it stopped on its own."""

    def __init__(self, source: Source, host: str = "127.0.0.1", port: int = 7878,
                 timeout_s: float = 30, max_rows: int = 10_000, workers: int = 2,
                 cleanup: str | None = None, verbose: bool = False, memory_mb: int = 2048,
                 max_connections: int = 64, request_timeout: float = 30,
                 limits: Limits | None = None) -> None:
        self.fatal: str | None = None
        self._cleanup = cleanup
        self._thread: threading.Thread | None = None
        limits = limits or Limits(timeout_s=timeout_s, memory_mb=memory_mb)
        self.pool = Pool(source, workers, limits, on_fatal=self._on_fatal)
        try:
            self.httpd = EndpointHTTPServer((host, port), App(self.pool, max_rows), max_connections,
                                            request_timeout, verbose)
        except BaseException:
            self.pool.close()
            raise

    @property
    def url(self) -> str:
        return self.httpd.url

    def _on_fatal(self, why: str) -> None:
        self.fatal = why
        print(f"armskb: {why}; stopping the server", file=sys.stderr, flush=True)
        threading.Thread(target=self.httpd.shutdown, daemon=True).start()

    def serve_forever(self) -> None:
        try:
            self.httpd.serve_forever()
        finally:
            self.close()

    def start(self) -> Server:
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread = None
        self.httpd.server_close()
        self.pool.close()
        if self._cleanup:
            shutil.rmtree(self._cleanup, ignore_errors=True)
            self._cleanup = None


def snapshot(store_dir: Path) -> str:
    """Open the store (loading the ontology and reference graphs if missing), back it up into a
    fresh private directory and close it again. Returns the snapshot directory."""
    parent = Path(tempfile.mkdtemp(prefix="armskb-serve-"))
    try:
        with KnowledgeBase.open(store_dir, create=False) as kb:
            kb.store.oxigraph.backup(str(parent / "snapshot"))  # type: ignore[attr-defined]
    except BaseException:
        shutil.rmtree(parent, ignore_errors=True)
        raise
    return str(parent / "snapshot")


def make_server(store: Path | None = None, endpoint: dict | None = None, **kw: Any) -> Server:
    """A server on a snapshot of `store` (or forwarding to a remote `endpoint`)."""
    if endpoint:
        return Server(Source(endpoint=endpoint), **kw)
    snap = snapshot(Path(store or os.environ.get("ARMSKB_STORE") or DEFAULT_STORE))
    try:
        return Server(Source(snapshot=snap), cleanup=str(Path(snap).parent), **kw)
    except BaseException:  # e.g. the port is taken: do not leave the snapshot behind
        shutil.rmtree(Path(snap).parent, ignore_errors=True)
        raise
