"""Progress of long commands: rich bars (items, rate, ETA) on a terminal, nothing when piped.

Library code takes an optional `Meter` and asks it for a task; the command line passes a
`terminal_meter()` so the same code is quiet under tests, pipes and cron.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Generator
from contextlib import contextmanager
from typing import Protocol, TypeVar

from armskb.output import is_terminal

T = TypeVar("T")

#: advance a task by this many items
Advance = Callable[[int], None]


class Meter(Protocol):
    """Something that shows the progress of named tasks."""

    def task(self, label: str, total: int | None = None) -> Advance:
        """Start a task of `total` items (None: unknown) and return its advance function."""
        ...


@contextmanager
def terminal_meter() -> Generator[Meter | None, None, None]:
    """A rich meter on stderr when it is a terminal, else None (no output at all)."""
    if not is_terminal(sys.stderr):
        yield None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("[progress.data.speed]{task.fields[rate]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, transient=True, refresh_per_second=4) as bar:
        yield _RateMeter(bar)


class _RateMeter:
    """Rich tasks with an items-per-second field (rich measures the speed; this formats it)."""

    def __init__(self, bar: object) -> None:
        self._bar = bar

    def task(self, label: str, total: int | None = None) -> Advance:
        bar = self._bar
        task_id = bar.add_task(label, total=total, rate="")  # type: ignore[attr-defined]

        def advance(n: int) -> None:
            bar.update(task_id, advance=n)  # type: ignore[attr-defined]
            speed = bar.tasks[task_id].speed  # type: ignore[attr-defined,index]
            if speed:
                bar.update(task_id, rate=f"{speed:,.0f}/s")  # type: ignore[attr-defined]

        return advance


def counted(items: Iterable[T], advance: Advance | None) -> Iterator[T]:
    """Yield `items`, advancing the task by one per item (as they are consumed)."""
    if advance is None:
        yield from items
        return
    for item in items:
        yield item
        advance(1)
