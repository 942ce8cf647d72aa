"""Deterministic dumps: the same store gives a byte-identical file.

Quads are sorted (graph, subject, predicate, object in N-Triples form) and written by Oxigraph's
serialisers, which keep every literal's lexical form as stored, so a dump parses back to exactly
the store's terms. Turtle, N-Triples and JSON-LD hold the union of graphs; TriG and N-Quads keep
the named graphs.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from armskb import namespace as ns
from armskb.errors import ArmskbError, StoreError
from armskb.store import Store
from armskb.stores.oxigraph import OxigraphStore, to_ox

FORMATS = {
    ".ttl": "turtle",
    ".trig": "trig",
    ".nq": "nquads",
    ".nt": "ntriples",
    ".jsonld": "jsonld",
    ".json": "jsonld",
}
_OX = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
}
_WITH_GRAPHS = {"trig", "nquads"}


#: the path that means standard output
STDOUT = Path("-")


def format_for(path: Path, format: str | None) -> str:
    """The dump format: the one asked for, else from the file suffix."""
    if format:
        if format not in _OX:
            raise ArmskbError(f"unknown dump format {format!r}; one of {', '.join(_OX)}")
        return format
    if path == STDOUT:
        raise ArmskbError(f"give --format with -o - (one of {', '.join(_OX)})")
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ArmskbError(f"cannot tell the format of {path.name!r}; pass --format")
    return fmt


def _ox_quads(store: Store) -> list[ox.Quad]:
    """Every quad as pyoxigraph terms: straight from an embedded store, converted otherwise."""
    if isinstance(store, OxigraphStore):
        return list(store.oxigraph.quads_for_pattern(None, None, None))
    return [
        ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(g) if g is not None else ox.DefaultGraph())  # type: ignore[arg-type]
        for s, p, o, g in store.quads()
    ]


def _sorted_terms(store: Store, fmt: str) -> list[ox.Quad | ox.Triple]:
    keyed: dict[tuple[str, str, str, str], ox.Quad | ox.Triple] = {}
    for q in _ox_quads(store):
        if fmt in _WITH_GRAPHS:
            gname = "" if isinstance(q.graph_name, ox.DefaultGraph) else str(q.graph_name)
            keyed.setdefault((gname, str(q.subject), str(q.predicate), str(q.object)), q)
        else:
            key = ("", str(q.subject), str(q.predicate), str(q.object))
            if key not in keyed:
                keyed[key] = ox.Triple(q.subject, q.predicate, q.object)
    return [keyed[k] for k in sorted(keyed)]


def _check_target(path: Path) -> None:
    """Refuse to replace anything but a regular file: a symlink (never followed out of the
    target), a device, a FIFO, a directory."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISREG(mode):
        return
    kind = ("a symbolic link" if stat.S_ISLNK(mode) else "a directory" if stat.S_ISDIR(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a FIFO" if stat.S_ISFIFO(mode)
            else "not a regular file")
    raise ArmskbError(f"refusing to replace {path}: it is {kind}; give the path of a regular file "
                      "(or -o - for standard output)")


def dump(store: Store, path: Path, format: str | None = None, out: BinaryIO | None = None) -> Path:
    """Write the store to `path` and return the path. `-` writes to `out` (standard output by
    default). A file is written to a uniquely named temporary file beside it, then renamed over
    it; the temporary file is removed on failure, and only a regular file is ever replaced."""
    fmt = format_for(path, format)
    terms = _sorted_terms(store, fmt)
    prefixes = ns.PREFIXES if fmt in ("turtle", "trig") else None
    if path == STDOUT:
        stream = out if out is not None else sys.stdout.buffer
        ox.serialize(terms, stream, format=_OX[fmt], prefixes=prefixes)
        stream.flush()
        return path
    _check_target(path)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    tmp = Path(tmp_name)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # the mode a plain new file gets, not mkstemp's private 0600
        with os.fdopen(fd, "wb") as fh:
            ox.serialize(terms, fh, format=_OX[fmt], prefixes=prefixes)
            fh.flush()
            os.fsync(fh.fileno())
        _check_target(path)  # still not a symlink or device at the last moment
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    """The process umask (read by setting it, so set it straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: dump formats `restore` reads (the ones that keep named graphs)
RESTORE_FORMATS = {".trig": "trig", ".nq": "nquads", ".nquads": "nquads"}


def restore(store: OxigraphStore, path: Path, format: str | None = None) -> int:
    """Load a TriG or N-Quads dump into an EMPTY embedded store with Oxigraph's bulk loader;
    returns the number of quads. On a parse error the store is emptied again (it was empty)."""
    fmt = format or RESTORE_FORMATS.get(path.suffix.lower())
    if fmt not in ("trig", "nquads"):
        raise ArmskbError(
            f"{path}: restore reads TriG (.trig) or N-Quads (.nq) dumps, which keep the named graphs"
            + (f"; {fmt} holds only their union" if fmt else "; pass --format trig or nquads")
        )
    if not path.is_file():
        raise ArmskbError(f"{path}: no such dump file")
    if store.count() > 0:
        raise StoreError(f"the store {store.path} is not empty ({store.count():,} quads): restore "
                         "loads a dump into an empty store; give a new --store directory")
    db = store.oxigraph
    try:
        db.bulk_load(path=str(path), format=_OX[fmt])
    except (SyntaxError, ValueError, OSError) as e:
        db.clear()
        first = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise ArmskbError(f"{path}: not a valid {fmt} dump ({first}); nothing restored") from None
    return store.count()
