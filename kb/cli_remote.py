"""Remote-store options for every CLI command, and the `serve` and `push` commands.

`add_remote_options(app)` gives every command that takes `--store` the options `--endpoint`,
`--update-endpoint`, `--graph-store`, `--graph-param`, `--user`, `--password` and `--auth`
(each also from an `ARMSKB_*` environment variable); with `--endpoint` the command runs on that
SPARQL server instead of the embedded store. `open_kb(store)` opens whichever was asked for.
"""


import contextvars
import functools
import inspect
import signal
import sys
import time
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rdflib import URIRef

from armskb.errors import ArmskbError
from armskb.knowledgebase import KnowledgeBase
from armskb.output import is_terminal
from armskb.server import make_server
from armskb.stores.sparql import SparqlStore

_REMOTE: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar("armskb_remote", default=None)

_OPTIONS: dict[str, Any] = {
    "endpoint": Annotated[Optional[str], typer.Option(
        "--endpoint", envvar="ARMSKB_ENDPOINT",
        help="SPARQL query endpoint of a remote store (Virtuoso /sparql, Fuseki /ds/sparql, Oxigraph /query).")],
    "update_endpoint": Annotated[Optional[str], typer.Option(
        "--update-endpoint", envvar="ARMSKB_UPDATE_ENDPOINT",
        help="SPARQL Update endpoint (needed to write: ingest, reconcile, push).")],
    "graph_store": Annotated[Optional[str], typer.Option(
        "--graph-store", envvar="ARMSKB_GRAPH_STORE",
        help="Graph Store Protocol endpoint (faster uploads of big graphs).")],
    "graph_param": Annotated[str, typer.Option(
        "--graph-param", envvar="ARMSKB_GRAPH_PARAM",
        help="Graph parameter name of the graph store endpoint (Virtuoso: graph-uri).")],
    "user": Annotated[Optional[str], typer.Option("--user", envvar="ARMSKB_USER", help="HTTP user for the endpoints.")],
    "password": Annotated[Optional[str], typer.Option(
        "--password", envvar="ARMSKB_PASSWORD", help="HTTP password (prefer $ARMSKB_PASSWORD).")],
    "auth": Annotated[str, typer.Option("--auth", envvar="ARMSKB_AUTH", help="HTTP auth scheme: basic or digest.")],
}
_DEFAULTS = {"graph_param": "graph", "auth": "basic"}


def remote_kwargs(remote: dict[str, Any]) -> dict[str, Any] | None:
    """SparqlStore keyword arguments from the CLI options, or None for the embedded store."""
    if not remote.get("endpoint"):
        return None
    auth = None
    if remote.get("user"):
        auth = (remote["user"], remote.get("password") or "", remote.get("auth") or "basic")
    return {
        "query_url": remote["endpoint"],
        "update_url": remote.get("update_endpoint"),
        "graph_store_url": remote.get("graph_store"),
        "auth": auth,
        "graph_param": remote.get("graph_param") or "graph",
    }


def open_kb(store: Path | None, create: bool = False) -> KnowledgeBase:
    """The knowledge base the command line asked for: remote with --endpoint, else embedded
    (created where none is only when `create`: ingest, load and restore)."""
    kwargs = remote_kwargs(_REMOTE.get() or {})
    if kwargs:
        if store is not None:
            raise typer.BadParameter("give --store or --endpoint, not both")
        return KnowledgeBase.remote(**kwargs)
    return KnowledgeBase.open(store, create=create)


def _wrap(fn: Any) -> Any:
    sig = inspect.signature(fn, eval_str=True)
    extra = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=_DEFAULTS.get(name), annotation=ann)
        for name, ann in _OPTIONS.items()
    ]
    params = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) if p.kind == p.VAR_KEYWORD else p
              for p in sig.parameters.values()]

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        remote = {name: kwargs.pop(name, None) for name in _OPTIONS}
        token = _REMOTE.set(remote)
        try:
            return fn(*args, **kwargs)
        finally:
            _REMOTE.reset(token)

    wrapper.__signature__ = sig.replace(parameters=[*params, *extra])  # type: ignore[attr-defined]
    wrapper.__annotations__ = {**{p.name: p.annotation for p in params}, **_OPTIONS,
                               "return": sig.return_annotation}
    del wrapper.__wrapped__  # typer must see the new signature, not the wrapped one
    return wrapper


def add_remote_options(app: typer.Typer) -> None:
    """Every command with a `store` parameter (and no endpoint of its own) gets the remote options."""
    for info in app.registered_commands:
        params = inspect.signature(info.callback).parameters if info.callback else {}
        if "store" in params and "endpoint" not in params:
            info.callback = _wrap(info.callback)


# -- serve and push -------------------------------------------------------------------------------
def register(app: typer.Typer) -> None:
    StoreOpt = Annotated[
        Optional[Path],
        typer.Option("--store", help="Store directory (default $ARMSKB_STORE or ./armskb-data).", envvar="ARMSKB_STORE"),
    ]

    @app.command()
    def serve(
        host: Annotated[str, typer.Option(help="Address to listen on (keep 127.0.0.1 unless a proxy guards it).")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port.")] = 7878,
        timeout_s: Annotated[float, typer.Option("--timeout-s", help="Stop a query on the server after this many seconds.")] = 30,
        max_rows: Annotated[int, typer.Option("--max-rows", help="Most result rows (or triples) returned.")] = 10_000,
        workers: Annotated[int, typer.Option(help="Query worker processes (one is kept for quick queries).")] = 2,
        worker_memory_mb: Annotated[int, typer.Option("--worker-memory-mb", help="Address-space cap of each query worker (0: none).")] = 2048,
        max_connections: Annotated[int, typer.Option("--max-connections", help="Open connections at once; more get 503.")] = 64,
        verbose: Annotated[bool, typer.Option("--verbose", help="Log each request.")] = False,
        store: StoreOpt = None,
    ) -> None:
        """Read-only SPARQL 1.1 endpoint at /sparql and a query page at / (serves a snapshot of the store)."""
        endpoint = remote_kwargs(_REMOTE.get() or {})
        if endpoint:
            endpoint = {k: v for k, v in endpoint.items() if k in ("query_url", "auth", "graph_param")}
        try:
            server = make_server(store, endpoint, host=host, port=port, timeout_s=timeout_s,
                                 max_rows=max_rows, workers=workers, verbose=verbose,
                                 memory_mb=worker_memory_mb, max_connections=max_connections)
        except ArmskbError as e:  # no store at that path, another layout, a lock held elsewhere
            print(f"error: {e}", file=sys.stderr)
            raise typer.Exit(1) from None
        except OSError as e:
            print(f"error: cannot serve on {host}:{port}: {e}", file=sys.stderr)
            raise typer.Exit(1) from None
        except RuntimeError as e:  # no query worker could start
            print(f"error: {e}", file=sys.stderr)
            raise typer.Exit(3) from None

        def stop(signum: int, _frame: object) -> None:
            raise KeyboardInterrupt(signal.Signals(signum).name)

        signal.signal(signal.SIGTERM, stop)  # SIGINT already raises KeyboardInterrupt
        print(f"armskb: SPARQL endpoint {server.url}/sparql, query page {server.url}/ "
              f"(timeout {timeout_s:g} s, max {max_rows} rows); Ctrl-C stops", file=sys.stderr, flush=True)
        try:
            server.serve_forever()  # removes the snapshot when it returns or is interrupted
        except KeyboardInterrupt:
            pass
        if server.fatal:
            raise typer.Exit(3)

    @app.command()
    def push(
        endpoint: Annotated[str, typer.Option("--endpoint", envvar="ARMSKB_ENDPOINT", help="Target SPARQL query endpoint.")],
        update_endpoint: _OPTIONS["update_endpoint"] = None,  # type: ignore[valid-type]
        graph_store: _OPTIONS["graph_store"] = None,  # type: ignore[valid-type]
        graph_param: _OPTIONS["graph_param"] = "graph",  # type: ignore[valid-type]
        user: _OPTIONS["user"] = None,  # type: ignore[valid-type]
        password: _OPTIONS["password"] = None,  # type: ignore[valid-type]
        auth: _OPTIONS["auth"] = "basic",  # type: ignore[valid-type]
        graph: Annotated[Optional[list[str]], typer.Option("--graph", help="Only these graphs (repeatable).")] = None,
        store: StoreOpt = None,
    ) -> None:
        """Send every graph of the embedded store to a SPARQL server, graph by graph (each atomic)."""
        kwargs = remote_kwargs({"endpoint": endpoint, "update_endpoint": update_endpoint or endpoint,
                                "graph_store": graph_store, "graph_param": graph_param, "user": user,
                                "password": password, "auth": auth})
        assert kwargs
        try:
            local = KnowledgeBase.open(store, create=False)  # a mistyped --store is no empty store to push
        except ArmskbError as e:
            print(f"error: {e}", file=sys.stderr)
            raise typer.Exit(1) from None
        target = SparqlStore(**kwargs)
        names = [URIRef(g) for g in graph] if graph else local.store.graphs()
        sizes = {g: local.store.count(g) for g in names}
        total = sum(sizes.values())

        def send(g: URIRef) -> None:
            target.write_graph(g, [(s, p, o) for s, p, o, _ in local.store.quads(g)])  # one PUT per graph

        start = time.monotonic()
        try:
            if is_terminal(sys.stderr):
                from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

                with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total} triples"),
                              TimeRemainingColumn(), transient=True) as bar:
                    task = bar.add_task("pushing", total=total)
                    for g in names:
                        bar.update(task, description=str(g).rsplit("/", 2)[-2] + "/" + str(g).rsplit("/", 1)[-1])
                        send(g)
                        bar.update(task, advance=sizes[g])
            else:
                for g in names:
                    send(g)
        except ArmskbError as e:
            print(f"error: {e}", file=sys.stderr)
            raise typer.Exit(1) from None
        finally:
            local.close()
        print(f"pushed {len(names)} graph(s), {total} triple(s) to {endpoint} in {time.monotonic() - start:.1f} s",
              file=sys.stderr)
