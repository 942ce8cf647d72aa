"""Query workers: processes that check and run queries, within a time limit, a memory cap and
without network.

- Each worker checks the query itself (`guard.check_query`), so rdflib's parser runs in one thread
  per process and its time counts against `--timeout-s`.
- On Linux a worker that serves a snapshot first moves into a new, empty network namespace
  (`unshare(CLONE_NEWNET)`, or `CLONE_NEWUSER|CLONE_NEWNET` without root): even a SERVICE that got
  past the check cannot connect anywhere. Where that is impossible the worker says why and the
  server logs it at start. Workers that forward to a remote `--endpoint` need the network and keep it.
- `RLIMIT_AS` caps a worker's memory; a worker past its cap or its time is killed and replaced.
- Lanes: a query still running after `slow_after_s` holds one of `workers - 1` slow slots (at most
  CPUs - 1), so one worker and one CPU are always left for quick queries; it runs at a lower CPU
  priority meanwhile; a slow query finding no slot is stopped with 503.
- A killed worker is replaced at once by a standby worker (started ahead), and a new standby is
  started in the background; a start that fails is retried with backoff; when no worker is left
  and none can start, `on_fatal` (the server then exits non-zero).
"""

from __future__ import annotations

import ctypes
import multiprocessing as mp
import os
import queue
import resource
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from armskb.server.execute import Answer, Executor, Job, Source
from armskb.server.guard import HttpError

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000


@dataclass
class Limits:
    """Per-query and per-worker limits, and how lost workers are replaced."""

    timeout_s: float = 30
    memory_mb: int = 2048
    slow_after_s: float = 1.0
    respawn_tries: int = 5
    respawn_backoff_s: float = 0.5
    standby: bool = True  # keep one started worker ready, so a killed one is replaced at once
    slow_slots: int | None = None  # default: workers - 1, and at most one less than the CPUs


def isolate_network() -> str | None:
    """Move this process into a new network namespace with no interface up. None on success,
    else the reason it could not be done."""
    if not sys.platform.startswith("linux"):
        return f"network namespaces need Linux (this is {sys.platform})"
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNET) == 0:
        return None
    first = os.strerror(ctypes.get_errno())
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0:
        return None
    return (f"unshare(CLONE_NEWNET) failed ({first}) and unshare(CLONE_NEWUSER|CLONE_NEWNET) "
            f"failed ({os.strerror(ctypes.get_errno())})")


def cap_memory(memory_mb: int) -> None:
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _short(e: BaseException) -> str:
    """An engine error as a short, one-line message (never a long echo of what it tried)."""
    first = (str(e).strip().splitlines() or [""])[0]
    if len(first) > 200:
        first = first[:200] + "..."
    what = "SPARQL syntax error" if isinstance(e, SyntaxError) else "query failed"
    return f"{what}: {first}" if first else f"{what} ({type(e).__name__})"


def _worker_main(conn: Connection, source: Source, memory_mb: int) -> None:  # runs in the worker
    note = isolate_network() if source.snapshot else "forwarding to a remote endpoint"
    cap_memory(memory_mb)
    os.environ["RUST_BACKTRACE"] = "0"  # a query past the memory cap aborts: one line in the log, not 20
    try:
        executor = Executor(source)
    except Exception as e:
        conn.send(("failed", f"{type(e).__name__}: {e}"))
        return
    conn.send(("ready", note))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", executor.run(job)))
        except HttpError as e:
            conn.send(("refused", e.status, e.message))
        except MemoryError:
            conn.send(("refused", 503, f"query stopped: it needed more than the {memory_mb} MB memory cap"))
        except Exception as e:  # a query error is an answer, not a crash
            conn.send(("refused", 400, _short(e)))


class Worker:
    """One worker process and the pipe to it."""

    def __init__(self, ctx: Any, source: Source, memory_mb: int) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, source, memory_mb), daemon=True)
        self.proc.start()
        child.close()
        self.note: str | None = None
        try:
            hello = self.conn.recv() if self.conn.poll(60) else ("failed", "no answer within 60 s")
        except (EOFError, OSError):
            hello = ("failed", f"exited with code {self.proc.exitcode}")
        if hello[0] != "ready":
            self.kill()
            raise RuntimeError(f"query worker did not start: {hello[1]}")
        self.note = hello[1]

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()


SLOW_NICE = 10


def _context() -> Any:
    """Worker processes forked from a fork server that has imported this module once (a fresh
    worker in milliseconds, not the seconds `import armskb` takes; the fork server holds no store
    and no threads); spawn where there is no fork server (not POSIX)."""
    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["__main__", __name__])  # __main__: not re-run in each worker
    return ctx


def _renice(worker: Worker, nice: int) -> None:
    """Lower a slow query's CPU priority so quick queries on other workers keep their CPU (and
    restore it after); best effort: without root, a priority cannot be raised back."""
    try:
        os.setpriority(os.PRIO_PROCESS, worker.proc.pid or 0, nice)
    except (OSError, AttributeError):
        pass


class QueryTimeout(Exception):
    pass


class Pool:
    """Worker processes with a quick lane; a query past its time or memory loses its worker."""

    def __init__(self, source: Source, size: int, limits: Limits,
                 on_fatal: Callable[[str], None] | None = None,
                 log: Callable[[str], None] | None = None) -> None:
        if size < 1:
            raise ValueError("at least one query worker is needed")
        self.ctx = _context()
        self.source = source
        self.size = size
        self.limits = limits
        self.on_fatal = on_fatal
        self.log = log or (lambda msg: print(f"armskb: {msg}", file=sys.stderr, flush=True))
        self.idle: queue.Queue[Worker] = queue.Queue()
        self.standby: queue.Queue[Worker] = queue.Queue(maxsize=1)
        slots = limits.slow_slots or min(size - 1, (os.cpu_count() or 2) - 1)
        self.slow = threading.BoundedSemaphore(max(1, slots))
        self.stopped = 0  # queries stopped at the timeout (for tests and logs)
        self.respawn_failures = 0
        self._lock = threading.Lock()
        self._live = 0
        self._closed = False
        self.isolation: str | None = None  # why workers keep the network, None if they have none
        errors = []
        for _ in range(size):
            try:
                self._add(Worker(self.ctx, source, limits.memory_mb))
            except RuntimeError as e:
                errors.append(str(e))
        if not self._live:
            raise RuntimeError(errors[0])
        for _ in errors:
            self._start_in_background(standby=False)
        if limits.standby:
            self._start_in_background(standby=True)
        if source.snapshot:
            self.log("query workers have no network (own network namespace)" if self.isolation is None
                     else f"WARNING: query workers keep the network: {self.isolation}; "
                          "only the query check stops SERVICE")

    def _add(self, worker: Worker) -> None:
        with self._lock:
            self._live += 1
            self.isolation = worker.note
        self.idle.put(worker)

    @property
    def live(self) -> int:
        return self._live

    def _respawn(self) -> None:
        """Replace a lost worker: by the standby at once if there is one, else in the background."""
        with self._lock:
            self._live -= 1
        try:
            ready = self.standby.get_nowait()
        except queue.Empty:
            ready = None
        if ready is not None and ready.proc.is_alive():
            self._add(ready)
            self._start_in_background(standby=True)
        else:
            self._start_in_background(standby=False)

    def _start_in_background(self, standby: bool) -> None:
        """Start a worker (for service or as the standby), retrying with backoff; `on_fatal` when it
        cannot and no worker is left."""

        def retry() -> None:
            error = ""
            for attempt in range(self.limits.respawn_tries):
                if self._closed:
                    return
                try:
                    worker = Worker(self.ctx, self.source, self.limits.memory_mb)
                except RuntimeError as e:
                    error = str(e)
                    self.respawn_failures += 1
                    self.log(f"starting a query worker failed (try {attempt + 1}): {error}")
                    time.sleep(self.limits.respawn_backoff_s * 2 ** attempt)
                    continue
                if self._closed:
                    worker.kill()
                elif standby:
                    self.standby.put(worker)
                else:
                    self._add(worker)
                return
            if self._live == 0 and not self._closed and self.on_fatal:
                self.on_fatal(f"no query worker can run: {error}")

        threading.Thread(target=retry, daemon=True).start()

    def _lose(self, worker: Worker) -> None:
        worker.kill()
        self._respawn()

    def run(self, job: Job) -> Answer:
        timeout = self.limits.timeout_s
        start = time.monotonic()
        try:
            worker = self.idle.get(timeout=timeout)
        except queue.Empty:
            raise HttpError(503, f"server busy: no query worker free within {timeout:g} s") from None
        slot = False
        try:
            worker.conn.send(job)
            quick = min(self.limits.slow_after_s, max(0.0, timeout - (time.monotonic() - start)))
            if not worker.conn.poll(quick):
                if not self.slow.acquire(blocking=False):
                    self._lose(worker)
                    raise HttpError(503, "server busy: too many long-running queries at once; retry later")
                slot = True
                _renice(worker, SLOW_NICE)
                if not worker.conn.poll(max(0.0, timeout - (time.monotonic() - start))):
                    self.stopped += 1
                    self._lose(worker)
                    raise QueryTimeout(f"query stopped after {timeout:g} s (--timeout-s)")
            reply = worker.conn.recv()
        except (EOFError, OSError):
            self._lose(worker)
            raise HttpError(503, f"the query worker stopped (past its {self.limits.memory_mb} MB memory "
                                 "cap, or crashed); it is being replaced") from None
        finally:
            if slot:
                self.slow.release()
        if slot:
            _renice(worker, 0)
        self.idle.put(worker)
        if reply[0] == "refused":
            raise HttpError(reply[1], reply[2])
        return reply[1]

    def close(self) -> None:
        self._closed = True
        for waiting in (self.idle, self.standby):
            while True:
                try:
                    waiting.get_nowait().kill()
                except queue.Empty:
                    break
