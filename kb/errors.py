"""Errors that say where they came from: file, line and, where known, character offset."""

from __future__ import annotations

from pydantic import BaseModel


class Location(BaseModel):
    """Where in a source a problem was found."""

    path: str
    line: int | None = None
    offset: int | None = None

    def __str__(self) -> str:
        out = self.path
        if self.line is not None:
            out += f":{self.line}"
        if self.offset is not None:
            out += f" (offset {self.offset})"
        return out


class ArmskbError(Exception):
    """Base class of every error armskb raises on purpose."""


class SourceError(ArmskbError):
    """Bad input: names the file and position and says why."""

    def __init__(self, path: str, reason: str, *, line: int | None = None, offset: int | None = None):
        self.location = Location(path=str(path), line=line, offset=offset)
        self.reason = reason
        super().__init__(f"{self.location}: {reason}")


class QueryError(ArmskbError):
    """A named query is unknown, or a parameter is missing or cannot be resolved."""


class StoreError(ArmskbError):
    """The store refused an operation (unreachable endpoint, failed transaction)."""


class StoreOpenError(StoreError):
    """A store cannot be opened: none at the path, another layout version, held by another
    process. The message is one line saying what to do."""
