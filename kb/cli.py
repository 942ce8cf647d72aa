"""The `armskb` command line (typer; rich on a terminal, plain output when piped)."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, NoReturn, Optional

import typer
from rdflib import Graph
from rich.console import Console
from rich.table import Table

from armskb import __version__, catalog, cli_pages
from armskb.cli_remote import open_kb
from armskb.dump import restore as restore_dump
from armskb.errors import ArmskbError
from armskb.evaluate import FIELDS, CorpusError, Extraction, evaluate, load_corpus, select
from armskb.ingest import Note, expand_paths, plan
from armskb.knowledgebase import DEFAULT_STORE, KnowledgeBase
from armskb.loaders.documents import read_documents
from armskb.loaders.extract import ExtractionError
from armskb.loaders.extract import extract as run_extract
from armskb.loaders.ranker import default_ranker
from armskb.output import FORMATS, check_format, is_terminal, pivot, render
from armskb.progress import terminal_meter
from armskb.reconcile import comparison_result, rebuild
from armskb.shards import batches, extract_batches, load_shards, shard_files
from armskb.store import SelectResult
from armskb.stores.oxigraph import OxigraphStore

app = typer.Typer(
    help="armskb: an arms-transfer knowledge base. Claims from news and registers in RDF.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

StoreOpt = Annotated[
    Optional[Path],
    typer.Option("--store", help="Store directory (default $ARMSKB_STORE or ./armskb-data).", envvar="ARMSKB_STORE"),
]


def _format_choice(*allowed: str) -> Callable[[str], str]:
    """A --format callback: an unknown format is a usage error (exit 2) naming the known ones."""

    def check(value: str) -> str:
        try:
            return check_format(value, allowed)
        except ArmskbError as e:
            raise typer.BadParameter(str(e)) from None

    return check


FormatOpt = Annotated[
    str, typer.Option("--format", "-f", help="table, csv, tsv, json or xml (SPARQL 1.1 results).", callback=_format_choice(*FORMATS))
]
LimitOpt = Annotated[
    int, typer.Option("--limit", help="Most rows to print (0: every row); a cut result says so on stderr.")
]
OffsetOpt = Annotated[int, typer.Option("--offset", help="Skip this many rows first (paging).")]
ExactOpt = Annotated[bool, typer.Option("--exact", help="Keep every digit in CSV/TSV and tables (JSON always does).")]
DEFAULT_LIMIT = 10_000


def _version(value: bool) -> None:
    if value:
        print(f"armskb {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = None,
) -> None:
    """armskb: who transfers which weapons to whom, with evidence."""


def _kb(store: Path | None, create: bool = False) -> KnowledgeBase:
    """The store the command asked for: --endpoint (remote SPARQL store), else the embedded one;
    a missing embedded store is created only when `create` (ingest, load, restore), so a mistyped
    --store on a query says so instead of making an empty store."""
    try:
        return open_kb(store, create=create)
    except ArmskbError as e:
        _fail(str(e))


def _fail(message: str, code: int = 1) -> NoReturn:
    print(f"error: {message}", file=sys.stderr)
    raise typer.Exit(code)


def _params(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        if "=" not in pair:
            _fail(f"--param takes key=value, got {pair!r}", 2)
        k, v = pair.split("=", 1)
        out[k.strip()] = v
    return out


def _summarise_notes(notes: list[Note]) -> None:
    """Notes are warnings: a count per file and the first few, all of them with --report."""
    by_file: dict[str, int] = {}
    for n in notes:
        by_file[n.path] = by_file.get(n.path, 0) + 1
    for n in notes[:5]:
        print(f"note {n}", file=sys.stderr)
    if len(notes) > 5:
        print(f"... {len(notes) - 5} more note(s); --report FILE lists every one", file=sys.stderr)
    for path, count in by_file.items():
        print(f"{path}: {count} note(s) (repairs and name mappings; the records loaded)", file=sys.stderr)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or directories to load.")],
    store: StoreOpt = None,
    replace: Annotated[bool, typer.Option(
        "--replace", help="Let a register export shrink its stored graph, or load one that ends mid-record.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Treat notes (repairs, name mappings) as failures.")] = False,
    report_file: Annotated[Optional[Path], typer.Option(
        "--report", help="Write every rejection, note and skipped path as JSON Lines to this file.")] = None,
) -> None:
    """Load articles, structured claims and SIPRI registers; each document replaces its graph.

    Exit 0 when everything loaded (notes are warnings), 1 when a file or record was rejected."""
    todo = plan(paths)
    with _kb(store, create=True) as kb, terminal_meter() as meter:
        advance = meter.task("files", len(todo.files)) if meter else None
        report = kb.ingest(todo, replace=replace, progress=(lambda _: advance(1)) if advance else None,
                           meter=meter)
    for item in report.loaded:
        print(f"loaded {item.path}: {item.kind}, {item.documents} document(s), {item.claims} claim(s)")
    for skip in report.skipped:
        print(f"skipped {skip}", file=sys.stderr)
    for rej in report.rejected:
        print(f"rejected {rej}", file=sys.stderr)
    _summarise_notes(report.notes)
    if report_file is not None:
        with report_file.open("w", encoding="utf-8") as fh:
            for rec in report.records():
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(
        f"{report.documents} document(s), {report.claims} claim(s) loaded; {len(report.rejected)} rejected, "
        f"{len(report.notes)} note(s), {len(report.skipped)} skipped",
        file=sys.stderr,
    )
    if report.rejected or (strict and report.notes):
        raise typer.Exit(1)


@app.command()
def query(
    name: Annotated[str, typer.Argument(help="Named query (see `armskb queries`).")],
    param: Annotated[list[str], typer.Option("--param", "-p", help="key=value, repeatable.")] = [],
    format: FormatOpt = "table",
    limit: LimitOpt = DEFAULT_LIMIT,
    offset: OffsetOpt = 0,
    pivot_: Annotated[bool, typer.Option("--pivot", help="Lay the rows out wide (e.g. supplier x year with totals), for queries that declare @pivot.")] = False,
    exact: ExactOpt = False,
    store: StoreOpt = None,
) -> None:
    """Run a named query of queries/*.rq with bound parameters."""
    with _kb(store) as kb:
        try:
            q = catalog.get(name)
            if pivot_ and q.pivot is None:
                raise ArmskbError(f"query {name!r} has no @pivot layout; queries with one: "
                                  + ", ".join(n for n, c in catalog.catalog().items() if c.pivot))
            # a pivot table sums every row: it never works on a cut result
            res = kb.query(name, limit=None if pivot_ or limit <= 0 else limit, offset=offset, **_params(param))
            digits = dict(q.digits)
            if pivot_ and q.pivot:
                res = _pivot(res, *q.pivot)
                if q.pivot[2] in q.digits:  # every cell of the wide table is a value cell
                    digits = {v: q.digits[q.pivot[2]] for v in res.variables[1:]}
        except ArmskbError as e:
            _fail(str(e), 2)
        render(res, format, title=name, digits=digits, exact=exact)


def _pivot(res: SelectResult, row_var: str, col_var: str, value_var: str) -> SelectResult:
    """The wide table of a result, refusing to add up rows of different register releases."""
    releases = sorted({str(r["release_key"]) for r in res.rows if r.get("release_key") is not None})
    if len(releases) > 1:
        raise ArmskbError(f"the rows come from {len(releases)} register releases ({', '.join(releases)}); "
                          "choose one with --param release=...")
    return pivot(res, row_var, col_var, value_var)


@app.command()
def queries() -> None:
    """List the named queries and their parameters."""
    for q in catalog.catalog().values():
        params = ", ".join(f"{p.name}:{p.type}{'?' if p.optional else ''}" for p in q.params)
        print(f"{q.name}\t{params}\t{q.title}")


@app.command()
def sparql(
    text: Annotated[str, typer.Argument(help="Query text, a .rq file, or - for standard input.")],
    format: FormatOpt = "table",
    limit: LimitOpt = DEFAULT_LIMIT,
    offset: OffsetOpt = 0,
    exact: ExactOpt = False,
    store: StoreOpt = None,
) -> None:
    """Run any SPARQL query: over the union of graphs, or the dataset its FROM / FROM NAMED name."""
    if text == "-":
        text = sys.stdin.read()
    elif Path(text).is_file():
        text = Path(text).read_text(encoding="utf-8")
    with _kb(store) as kb:
        try:
            res = kb.sparql(text, limit=None if limit <= 0 else limit, offset=offset)
        except ArmskbError as e:
            _fail(str(e), 2)
        if isinstance(res, Graph):
            sys.stdout.write(res.serialize(format="turtle"))
        else:
            render(res, format, exact=exact)


_SOURCES = ("all", "register", "news")


@app.command()
def transfers(
    buyer: Annotated[Optional[str], typer.Option(help="Recipient: ISO code or name.")] = None,
    seller: Annotated[Optional[str], typer.Option(help="Supplier: ISO code or name.")] = None,
    system: Annotated[Optional[str], typer.Option(help="System designation (a variant matches its family).")] = None,
    status: Annotated[Optional[str], typer.Option(help="Latest status, of the lifecycle scheme.")] = None,
    since: Annotated[Optional[int], typer.Option(help="First year.")] = None,
    until: Annotated[Optional[int], typer.Option(help="Last year.")] = None,
    source: Annotated[str, typer.Option(help="register, news or all: transfers a register deal / news supports.")] = "all",
    exclude_comments: Annotated[bool, typer.Option("--exclude-comments", help="Leave out transfers only reader comments support.")] = False,
    format: FormatOpt = "table",
    store: StoreOpt = None,
) -> None:
    """Reconciled transfers: one row per deal, from the register and the news (see also `claims`)."""
    if source not in _SOURCES:
        _fail(f"unknown --source {source!r}; one of: {', '.join(_SOURCES)}", 2)
    with _kb(store) as kb:
        try:
            res = kb.query(
                "transfers", buyer=buyer, seller=seller, system=system, status=status, since=since, until=until,
                source=source, exclude_comments="true" if exclude_comments else None,
            )
        except ArmskbError as e:
            _fail(str(e), 2)
        title = "transfers" + (f" {seller or '*'} -> {buyer or '*'}" if buyer or seller else "")
        render(res, format, title=title)


@app.command()
def claims(
    buyer: Annotated[Optional[str], typer.Option(help="Recipient: ISO code or name.")] = None,
    seller: Annotated[Optional[str], typer.Option(help="Supplier: ISO code or name.")] = None,
    system: Annotated[Optional[str], typer.Option(help="System designation (family matches variants).")] = None,
    status: Annotated[Optional[str], typer.Option(help="Status of the lifecycle scheme.")] = None,
    since: Annotated[Optional[int], typer.Option(help="First year.")] = None,
    until: Annotated[Optional[int], typer.Option(help="Last year.")] = None,
    exclude_comments: Annotated[bool, typer.Option("--exclude-comments", help="Leave out claims from reader comments.")] = False,
    format: FormatOpt = "table",
    store: StoreOpt = None,
) -> None:
    """What the news claim, before reconciliation: one row per seller, buyer, system and status."""
    with _kb(store) as kb:
        try:
            res = kb.query(
                "claims", buyer=buyer, seller=seller, system=system, status=status, since=since, until=until,
                exclude_comments="true" if exclude_comments else None,
            )
        except ArmskbError as e:
            _fail(str(e), 2)
        title = "claims" + (f" {seller or '*'} -> {buyer or '*'}" if buyer or seller else "")
        render(res, format, title=title)


@app.command()
def dump(
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write, or - for standard output.")],
    format: Annotated[
        Optional[str], typer.Option("--format", "-f", help="turtle, trig, nquads, ntriples, jsonld (default: from suffix).")
    ] = None,
    store: StoreOpt = None,
) -> None:
    """Write a deterministic dump (Turtle is the union of graphs; TriG and N-Quads keep them).

    Only a regular file is ever replaced (never a symlink, device or directory)."""
    with _kb(store) as kb:
        try:
            kb.dump(output, format)
        except ArmskbError as e:
            _fail(str(e), 2)
    if str(output) != "-":
        print(f"wrote {output}", file=sys.stderr)


@app.command()
def restore(
    dump_file: Annotated[Path, typer.Argument(metavar="DUMP", help="A TriG (.trig) or N-Quads (.nq) dump.")],
    format: Annotated[Optional[str], typer.Option("--format", "-f", help="trig or nquads (default: from suffix).")] = None,
    store: StoreOpt = None,
) -> None:
    """Load a dump into a new, empty store (Oxigraph's bulk loader)."""
    target = store or Path(DEFAULT_STORE)
    try:
        with OxigraphStore(target, create=True) as ox_store:
            n = restore_dump(ox_store, dump_file, format)
    except ArmskbError as e:
        _fail(str(e), 2)
    print(f"restored {n:,} quads from {dump_file} into {target}", file=sys.stderr)


@app.command()
def stats(format: FormatOpt = "table", store: StoreOpt = None) -> None:
    """Counts of triples, documents, claims, and triples per named graph."""
    with _kb(store) as kb:
        data = kb.stats()
        if format == "json":
            print(json.dumps(data, indent=1, sort_keys=True))
            return
        for k, v in data.items():
            if isinstance(v, dict):
                for g, n in v.items():
                    print(f"graph\t{g}\t{n}")
            else:
                print(f"{k}\t{v}")


@app.command()
def validate(store: StoreOpt = None) -> None:
    """SHACL validation of the stored data; non-zero exit and a report when invalid."""
    with _kb(store) as kb:
        conforms, report = kb.validate()
        if conforms:
            print("conforms: the store satisfies ontology/shapes.ttl")
            return
        print(report)
        raise typer.Exit(1)


@app.command()
def reconcile(
    full: Annotated[bool, typer.Option("--full", help="Rebuild even when the inputs have not changed.")] = False,
    store: StoreOpt = None,
) -> None:
    """Rebuild the whole transfers graph from claims and register rows (ingest updates only the
    transfers it touches; this redoes all of them)."""
    with _kb(store) as kb:
        n = rebuild(kb.store, force=True) if full else kb.reconcile()
        print(f"{n} transfer(s)")


@app.command()
def compare(
    supplier: Annotated[str, typer.Option(help="Supplier: ISO code or name.")],
    recipient: Annotated[str, typer.Option(help="Recipient: ISO code or name.")],
    format: FormatOpt = "table",
    store: StoreOpt = None,
) -> None:
    """Register deals beside news claims for a supplier and recipient, matched and unmatched."""
    with _kb(store) as kb:
        try:
            rows = kb.compare(supplier, recipient)
        except ArmskbError as e:
            _fail(str(e), 2)
        render(comparison_result(rows), format, title=f"{supplier} -> {recipient}: register and news")


def _print_rows(title: str, header: list[str], rows: list[list[str]]) -> None:
    """A rich table on a terminal, tab-separated lines when piped."""
    if not is_terminal():
        print("\t".join(header))
        for r in rows:
            print("\t".join(r))
        return
    table = Table(title=title)
    for h in header:
        table.add_column(h)
    for r in rows:
        table.add_row(*r)
    Console().print(table)


@app.command()
def extract(
    files: Annotated[list[Path], typer.Argument(help="Article files or directories (text, HTML, JSON Lines).")],
    format: Annotated[str, typer.Option("--format", "-f", help="jsonl or table.", callback=_format_choice("jsonl", "table"))] = "jsonl",
    out: Annotated[Optional[Path], typer.Option("--out", help="Write one N-Quads shard per input batch here instead of printing claims.")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Extraction processes (with --out).")] = 1,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Input files per shard (with --out).")] = 200,
) -> None:
    """Extract claims from articles: print FORMAT.md records, or with --out write N-Quads shards
    for `armskb load` (the store is not touched)."""
    if out is not None:
        _extract_shards(files, out, jobs, batch_size)
        return
    if jobs != 1:
        _fail("--jobs runs extraction into shards: give --out DIR", 2)
    failed = False
    rows: list[list[str]] = []
    for f in files:
        docs, errors = read_documents(f)
        for e in errors:
            print(f"error: {e}", file=sys.stderr)
            failed = True
        for doc in docs:
            try:
                found = run_extract(doc)
            except ExtractionError as e:
                print(f"error: {f}: {e}", file=sys.stderr)
                failed = True
                continue
            for claim in found:
                rec = claim.to_record(doc.name)
                if format == "table":
                    d = rec.to_json_dict()
                    rows.append([str(d[k]) if d[k] is not None else "" for k in
                                 ("article", "buyer", "seller", "system", "quantity", "quantity_group",
                                  "date", "status", "hedged", "in_comment")])
                else:
                    print(json.dumps(rec.to_json_dict(), ensure_ascii=False))
    if format == "table":
        _print_rows("claims", ["article", "buyer", "seller", "system", "qty", "group", "date", "status",
                               "hedged", "comment"], rows)
    if failed:
        raise typer.Exit(1)


def _extract_shards(paths: list[Path], out: Path, jobs: int, batch_size: int) -> None:
    missing = [p for p in paths if not p.exists()]
    for m in missing:
        print(f"error: {m}: no such file or directory", file=sys.stderr)
    files = expand_paths(p for p in paths if p.exists())
    start = time.perf_counter()
    docs = claims = size = shards = 0
    failed = bool(missing)
    with terminal_meter() as meter:
        advance = meter.task("extracting files", len(files)) if meter else None
        for res in extract_batches(batches(files, batch_size), out, jobs):
            for e in res.errors:
                print(f"error: {e}", file=sys.stderr)
            failed = failed or bool(res.errors)
            docs, claims, size = docs + res.documents, claims + res.claims, size + res.bytes_in
            shards += res.shard is not None
            if advance:
                advance(res.files)
    took = time.perf_counter() - start
    print(f"{len(files)} file(s), {docs} document(s), {claims} claim(s) -> {shards} shard(s) in {out} "
          f"in {took:.1f} s ({docs / took:.0f} documents/s, {size / 1e6 / took:.2f} MB/s, {jobs} job(s))",
          file=sys.stderr)
    if failed:
        raise typer.Exit(1)


@app.command()
def load(
    paths: Annotated[list[Path], typer.Argument(help="Shard files (.nq) or directories of shards (armskb extract --out).")],
    reconcile: Annotated[bool, typer.Option("--reconcile/--no-reconcile", help="Rebuild the transfers graph afterwards.")] = True,
    store: StoreOpt = None,
) -> None:
    """Load N-Quads shards: each graph replaces the graph of that name (bulk loader for new graphs
    on the embedded store; one Graph Store Protocol PUT per graph on a remote store)."""
    try:
        shards = shard_files(paths)
    except ArmskbError as e:
        _fail(str(e), 2)
    start = time.perf_counter()
    with _kb(store, create=True) as kb:
        try:
            with terminal_meter() as meter:
                report = load_shards(kb.store, shards, meter)
        except ArmskbError as e:
            _fail(str(e))
        print(f"loaded {report.shards} shard(s): {report.graphs_new} new graph(s), {report.graphs_replaced} "
              f"replaced, {report.quads} quad(s) in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        if reconcile:
            print(f"{kb.reconcile()} transfer(s)", file=sys.stderr)


@app.command("eval")
def eval_(
    sources: Annotated[list[Path], typer.Argument(
        help="A corpus directory (all its *gold*.jsonl, every article of articles/ scored), "
             "or gold files and one articles directory (only the articles the gold names are scored).")],
    format: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    only: Annotated[list[str] | None, typer.Option("--only", help="Score only these articles (repeatable).")] = None,
    exclude: Annotated[list[str] | None, typer.Option("--exclude", help="Leave out these articles (repeatable).")] = None,
    cv: Annotated[int, typer.Option("--cv", help="K-fold cross-validation by article: the ranker is fitted "
                                                 "on k-1 folds, scored on the held one (needs armskb[train]).")] = 0,
    no_ranker: Annotated[bool, typer.Option("--no-ranker", help="Score every rule candidate (no ranker).")] = False,
    errors: Annotated[bool, typer.Option("--errors", help="Also list every error with its kind.")] = False,
) -> None:
    """Score the extractor against gold claims: P, R, F1 and field accuracies, overall, per language
    and per error kind."""
    if format not in ("table", "json"):
        _fail(f"unknown format {format!r}; use table or json", 2)
    try:
        corpus = load_corpus(sources)
        names = select(corpus.names(), set(only or []) or None, set(exclude or []) or None)
        extraction = Extraction(corpus)
        if cv:
            try:
                from armskb.crossval import cross_validate
            except ImportError as e:
                _fail(f"--cv needs scikit-learn: pip install 'armskb[train]' ({e})", 2)
            try:
                report = cross_validate(corpus, names, cv, extraction)
            except ValueError as e:
                _fail(str(e), 2)
        else:
            report = evaluate(corpus, names, extraction.predictor(None if no_ranker else default_ranker()))
    except CorpusError as e:
        _fail(str(e), 2)
    if format == "json":
        print(report.model_dump_json(indent=1))
        return
    header = ["slice", "articles", "gold", "pred", "matched", "P", "R", "F1", *FIELDS]
    slices = [("overall", report.overall), *report.by_language.items()]
    rows = [[name, str(s.articles), str(s.gold), str(s.predicted), str(s.matched), f"{s.precision:.3f}",
             f"{s.recall:.3f}", f"{s.f1:.3f}", *(f"{s.field_accuracy.get(k, 0.0):.3f}" for k in FIELDS)]
            for name, s in slices]
    title = f"evaluation, {cv}-fold cross-validation" if cv else "evaluation"
    _print_rows(title, header, rows)
    print("errors by kind: " + ", ".join(f"{k} {v}" for k, v in report.error_kinds.items()), file=sys.stderr)
    weak = report.weak_articles()
    print("articles with F1 < 0.60 per language: "
          + ", ".join(f"{lang} {len(arts)}" for lang, arts in weak.items()), file=sys.stderr)
    if report.not_scored:
        print(f"not scored (no gold lines): {len(report.not_scored)} article(s)", file=sys.stderr)
    if errors:
        for e in report.errors:
            print(f"{e.article}\t{e.kind}\t{e.error}\t{e.detail}")


app.command()(cli_pages.report)
app.command()(cli_pages.flows)


# `serve` and `push`, and --endpoint/--update-endpoint/--graph-store/--user/--password/--auth on every
# command that takes --store (keep this block last: it wraps the commands defined above it)
from armskb.cli_remote import add_remote_options, register  # noqa: E402

register(app)
add_remote_options(app)
