"""Structured claims: JSON Lines or CSV whose records are the claim record of FORMAT.md plus source
metadata (a `source` object in JSONL; `source_url`, `source_title`, ... columns in CSV).

Records are grouped by `article` into documents. An invalid record is reported with file, line and
reason; the valid records of the same file still load.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from pydantic import BaseModel, ValidationError

from armskb.errors import SourceError
from armskb.models import Claim, ClaimRecord, Document, PartialDate, Source

CLAIM_KEYS = {"article", "buyer", "seller", "evidence"}


class ClaimsFile(BaseModel):
    """What one structured claims file yields: documents with their claims, and rejected records."""

    model_config = {"arbitrary_types_allowed": True}

    documents: list[tuple[Document, list[Claim]]] = []
    errors: list[SourceError] = []
    lines: list[int] = []  # line of each document's first record

    @property
    def located(self) -> list[tuple[Document, list[Claim], int]]:
        """(document, its claims, line of its first record) per document."""
        return [(d, c, n) for (d, c), n in zip(self.documents, self.lines)]


def sniff(path: Path, head: str) -> bool:
    """True when the file holds claim records (JSONL objects or a CSV header with the record keys)."""
    first = next((line for line in head.splitlines() if line.strip()), "")
    if first.lstrip().startswith("{"):
        try:
            obj = json.loads(first)
        except (ValueError, RecursionError):
            # not JSON, or too deep to tell: then is it a record at all? the keys decide
            return all(f'"{k}"' in first for k in CLAIM_KEYS)
        return isinstance(obj, dict) and CLAIM_KEYS <= obj.keys()
    header = {c.strip().lower() for c in first.split(",")}
    return CLAIM_KEYS <= header


def _why(e: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(x) for x in err['loc']) or 'record'}: {err['msg']}" for err in e.errors()
    )


def _records(path: Path, text: str) -> tuple[list[tuple[int, dict[str, object]]], list[SourceError]]:
    rows: list[tuple[int, dict[str, object]]] = []
    errors: list[SourceError] = []
    text = text.lstrip("\ufeff")
    first = next((line for line in text.splitlines() if line.strip()), "")
    if first.lstrip().startswith("{"):
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                errors.append(SourceError(str(path), f"invalid JSON: {e.msg}", line=n, offset=e.pos))
                continue
            except ValueError as e:  # e.g. an integer past Python's digit limit
                errors.append(SourceError(str(path), f"invalid JSON: {e}", line=n))
                continue
            except RecursionError:
                errors.append(SourceError(str(path), "invalid JSON: nested too deeply", line=n))
                continue
            if not isinstance(obj, dict):
                errors.append(SourceError(str(path), "a line must be a JSON object", line=n))
                continue
            rows.append((n, obj))
    else:
        reader = csv.DictReader(text.splitlines())
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as e:  # a field over the csv module's limit, a NUL byte, ...
                errors.append(SourceError(str(path), f"bad CSV record: {e}", line=reader.line_num))
                continue
            n = reader.line_num
            if None in row:
                errors.append(SourceError(str(path), "more fields than header columns", line=n))
                continue
            rec: dict[str, object] = {}
            source: dict[str, object] = {}
            for k, v in row.items():
                key = (k or "").strip()
                val: object = v if v != "" else None
                if key.startswith("source_"):
                    source[key[len("source_") :]] = val
                elif key in ("quantity", "quantity_group") and val is not None:
                    rec[key] = val
                elif key in ("approx", "hedged", "in_comment"):
                    rec[key] = str(val).strip().lower() in ("1", "true", "yes")
                else:
                    rec[key] = val
            rec["source"] = source
            rows.append((n, rec))
    return rows, errors


def read_claims(path: Path) -> ClaimsFile:
    """Parse and validate a structured claims file."""
    return parse_claims(path, path.read_text(encoding="utf-8-sig"))


def _encodable(obj: object) -> bool:
    """False when a string inside the record holds a lone surrogate (JSON can spell one)."""
    if isinstance(obj, str):
        try:
            obj.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(obj, dict):
        return all(_encodable(k) and _encodable(v) for k, v in obj.items())
    if isinstance(obj, list):
        return all(_encodable(v) for v in obj)
    return True


def parse_claims(path: Path, text: str) -> ClaimsFile:
    """Parse and validate the text of a structured claims file."""
    rows, errors = _records(path, text)
    docs: dict[str, Document] = {}
    first_line: dict[str, int] = {}
    claims: dict[str, list[Claim]] = {}
    for n, obj in rows:
        src_obj = obj.pop("source", None) or {}
        if not (_encodable(obj) and _encodable(src_obj)):
            errors.append(SourceError(str(path), "a string holds a lone surrogate (not valid Unicode)", line=n))
            continue
        try:
            source = Source.model_validate(src_obj)
            rec = ClaimRecord.model_validate(obj)
            claim = Claim.from_record(rec)
            doc = docs.get(rec.article) or Document(
                name=rec.article,
                url=source.url,
                title=source.title,
                publisher=source.publisher,
                published=PartialDate.parse(source.published) if source.published else None,
                language=source.language,
                path=str(path),
            )
        except ValidationError as e:
            errors.append(SourceError(str(path), _why(e), line=n))
            continue
        except (ValueError, TypeError) as e:
            errors.append(SourceError(str(path), f"bad record: {e}", line=n))
            continue
        if rec.article not in docs:
            docs[rec.article] = doc
            claims[rec.article] = []
            first_line[rec.article] = n
        claims[rec.article].append(claim)
    errors.sort(key=lambda e: e.location.line or 0)
    return ClaimsFile(documents=[(docs[a], claims[a]) for a in docs], errors=errors,
                      lines=[first_line[a] for a in docs])
