"""Private SPARQL servers for tests: Oxigraph server and Virtuoso on 127.0.0.1, free ports, own dirs.

Each launcher returns a `Running` with the endpoint URLs and a `stop()`; `unavailable()` says why a
server cannot run here (binary missing), so tests skip with that reason.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

VIRTUOSO_VSP = Path("/var/lib/virtuoso-opensource-7/vsp")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Running:
    name: str
    proc: subprocess.Popen
    query_url: str
    update_url: str
    graph_store_url: str
    auth: tuple[str, ...] | None = None
    graph_param: str = "graph"
    directory: Path | None = None
    stop_cmd: list[str] = field(default_factory=list)

    def store_kwargs(self) -> dict:
        return {
            "query_url": self.query_url,
            "update_url": self.update_url,
            "graph_store_url": self.graph_store_url,
            "auth": self.auth,
        }

    def stop(self) -> None:
        if self.proc.poll() is None:
            if self.stop_cmd:
                subprocess.run(self.stop_cmd, capture_output=True, timeout=30, check=False)
                try:
                    self.proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    pass
            if self.proc.poll() is None:
                self.proc.terminate()
                try:
                    self.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()


def _wait_http(url: str, proc: subprocess.Popen, timeout: float, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
            raise RuntimeError(f"server exited with {proc.returncode} before answering: {tail}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, OSError) as e:
            last = str(e)
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout}s: {last}")


# -- Oxigraph server ------------------------------------------------------------------------------
def oxigraph_binary() -> str | None:
    local = Path(sys.executable).parent / "oxigraph"
    return str(local) if local.exists() else shutil.which("oxigraph")


def start_oxigraph(directory: Path, timeout_s: int = 60) -> Running:
    binary = oxigraph_binary()
    if not binary:
        raise RuntimeError("the `oxigraph` server binary is not installed (pip install oxigraph)")
    port = free_port()
    directory.mkdir(parents=True, exist_ok=True)
    log = directory / "oxigraph.log"
    proc = subprocess.Popen(
        [binary, "serve", "--location", str(directory / "db"), "--bind", f"127.0.0.1:{port}",
         "--union-default-graph", "--timeout-s", str(timeout_s)],
        stdout=log.open("wb"), stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    _wait_http(base + "/query?query=ASK%7B%7D", proc, 30, log)
    return Running("oxigraph_server", proc, base + "/query", base + "/update", base + "/store",
                   directory=directory)


# -- armskb serve --------------------------------------------------------------------------------
def start_armskb(store: Path, directory: Path, *args: str, wait: bool = True) -> tuple[subprocess.Popen, str]:
    """`armskb serve` on a free loopback port as its own process, its snapshot (TMPDIR) and log in
    `directory`. Returns the process and the base URL; with `wait`, once /sparql answers."""
    port = free_port()
    directory.mkdir(parents=True, exist_ok=True)
    log = directory / "armskb-serve.log"
    proc = subprocess.Popen([str(Path(sys.executable).parent / "armskb"), "serve", "--store", str(store),
                             "--port", str(port), *args], env={**os.environ, "TMPDIR": str(directory)},
                            stdout=subprocess.DEVNULL, stderr=log.open("wb"), stdin=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    if wait:
        try:
            _wait_http(base + "/sparql?query=ASK%7B%7D", proc, 120, log)
        except RuntimeError:
            proc.kill()
            proc.wait()
            raise
    return proc, base


# -- Virtuoso ------------------------------------------------------------------------------------
def virtuoso_unavailable() -> str | None:
    for b in ("virtuoso-t", "isql-vt"):
        if not shutil.which(b):
            return f"{b} is not installed (apt-get install virtuoso-opensource)"
    if not VIRTUOSO_VSP.is_dir():
        return f"{VIRTUOSO_VSP} is absent (Debian's virtuoso-opensource installs it)"
    return None


_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql}
LiteMode = 0
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 20
CheckpointInterval = 60
O_DIRECT = 0
CaseMode = 2
MaxStaticCursorRows = 5000
CheckpointAuditTrail = 0
AllowOSCalls = 0
SchedulerInterval = 10
DirsAllowed = ., {d}, {load}
ThreadCleanupInterval = 0
ThreadThreshold = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize = 100000
SingleCPU = 0
PrefixResultNames = 0
RdfFreeTextRulesSize = 100
IndexTreeMaps = 64
MaxQueryMem = 1G
# ORDER BY ... LIMIT n needs n <= MaxSortedTopRows (default 10000; armskb asks limit + 1 rows)
MaxSortedTopRows = 10000000
VectorSize = 1000
MaxVectorSize = 1000000
AdjustVectorSize = 0
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 10
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {vsp}
MaxClientConnections = 20
DavRoot = DAV
EnabledDavVSP = 0
HTTPProxyEnabled = 0
TempASPXDir = 0
ServerThreads = 20
MaxKeepAlives = 10
KeepAliveTimeout = 10
HTTPThreadSize = 280000
HttpPrintWarningsInOutput = 0
Charset = UTF-8
EnabledGzipContent = 0

[Client]
SQL_PREFETCH_ROWS = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT = 0
SQL_TXN_TIMEOUT = 0

[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = {timeout}
"""


def start_virtuoso(directory: Path, timeout_s: int = 120, buffers: int = 40000,
                   load_dir: Path | None = None) -> Running:
    why = virtuoso_unavailable()
    if why:
        raise RuntimeError(why)
    sql, http = free_port(), free_port()
    while http == sql:
        http = free_port()
    directory.mkdir(parents=True, exist_ok=True)
    ini = directory / "virtuoso.ini"
    ini.write_text(_INI.format(d=directory, sql=sql, http=http, vsp=VIRTUOSO_VSP, timeout=timeout_s,
                               buffers=buffers, dirty=buffers * 3 // 4, load=load_dir or directory))
    log = directory / "stdout.log"
    proc = subprocess.Popen(
        ["virtuoso-t", "+configfile", str(ini), "+foreground"],
        cwd=directory, stdout=log.open("wb"), stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        env={**os.environ},
    )
    base = f"http://127.0.0.1:{http}"
    try:
        _wait_http(base + "/sparql?query=ASK%7B%7D", proc, 60, directory / "virtuoso.log")
    except RuntimeError:
        proc.kill()
        proc.wait()
        raise
    return Running(
        "virtuoso", proc, base + "/sparql", base + "/sparql-auth", base + "/sparql-graph-crud-auth",
        auth=("dba", "dba", "digest"), graph_param="graph-uri", directory=directory,
        stop_cmd=["isql-vt", f"127.0.0.1:{sql}", "dba", "dba", "-K"],
    )


def isql(running: Running, sql: str) -> str:
    """Run SQL on a Virtuoso started above (bulk loads)."""
    port = running.stop_cmd[1]
    out = subprocess.run(["isql-vt", port, "dba", "dba", f"exec={sql}"], capture_output=True,
                         text=True, timeout=3600, check=True)
    return out.stdout
