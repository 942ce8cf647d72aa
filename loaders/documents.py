"""Read source files into `Document`s, choosing the reader by content (not only by suffix).

Formats: header text (`url:`/`published:`/`language:`/`title:` lines, blank line, text); seed-style
text (first line ` date YYYY[-MM[-DD]] [URL]`); bare text (metadata from datelines in the text);
HTML (trafilatura: body, title, date, language, comments); JSON Lines (`url,title,published,
language,text` per line). `Document.text` is exactly the text evidence offsets refer to.
`read_documents` returns the documents and the `SourceError`s of bad records (the rest still load).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from armskb.errors import SourceError
from armskb.loaders.cues import all_cues
from armskb.loaders.lexicon import fold_keep
from armskb.models import Document, PartialDate

_HEADER_RE = re.compile(r"^(url|published|language|title|publisher|date|source)\s*:\s?(.*)$", re.I)
_TOKEN_RE = re.compile(r"^\s?date\s+(\d{4}(?:-\d{2}(?:-\d{2})?)?)(?:\s+(\S+))?\s*$")
_ISO_TS = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2})")
_ISO_D = re.compile(r"(?<![\d-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d-])")
_DOTTED = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d.])")
_SLASHED = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2}|[a-z]{3})(?:[/-](\d{1,2}))?/", re.I)
_URL_DATE8 = re.compile(r"/((?:19|20)\d{2})(\d{2})(\d{2})(?:\d*)?[/.-]")
_MON3 = {m: i + 1 for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split())}


def _partial(y: int, m: int | None = None, d: int | None = None) -> PartialDate | None:
    try:
        return PartialDate(year=y, month=m, day=d if m else None)
    except ValueError:
        try:
            return PartialDate(year=y, month=m) if m else PartialDate(year=y)
        except ValueError:
            return None


def parse_published(value: str | None) -> PartialDate | None:
    """A published date at the precision given ('2021', '2021-10', '2021-10-11T12:57+02:00')."""
    if not value:
        return None
    v = value.strip()
    m = re.match(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", v)
    if m:
        y, mo, d = m.groups()
        return _partial(int(y), int(mo) if mo else None, int(d) if d else None)
    for rx, order in ((_DOTTED, "dmy"), (_SLASHED, "dmy")):
        mm = rx.search(v)
        if mm:
            a, b, y = (int(x) for x in mm.groups())
            return _partial(y, b, a)
    try:
        import dateparser

        dt = dateparser.parse(v, settings={"STRICT_PARSING": False})
        if dt:
            return _partial(dt.year, dt.month, dt.day)
    except (ImportError, ValueError, TypeError, OverflowError, LookupError, AttributeError):
        pass  # dateparser fails on odd input with these (e.g. OverflowError on huge numbers)
    return None


def date_in_text(text: str, lang: str | None = None, limit: int = 1500) -> PartialDate | None:
    """The first dateline in the opening of a text: ISO timestamps, 11.10.2021, 02/04/2024."""
    head = text[:limit]
    best: tuple[int, PartialDate] | None = None
    for rx, kind in ((_ISO_TS, "ymd"), (_ISO_D, "ymd"), (_DOTTED, "dmy"), (_SLASHED, "dmy")):
        for m in rx.finditer(head):
            a, b, c = (int(x) for x in m.groups())
            if kind == "ymd":
                pd = _partial(a, b, c)
            elif rx is _SLASHED and lang == "en" and a <= 12 < b:
                pd = _partial(c, a, b)
            elif rx is _SLASHED and lang == "en":
                pd = _partial(c, a, b)
            else:
                pd = _partial(c, b, a)
            if pd and pd.day and 1900 < pd.year < 2100 and (best is None or m.start() < best[0]):
                best = (m.start(), pd)
            break
    if best is None:
        m = re.search(r"(?:Published|Publié|Publicado|Veröffentlicht)\s*:?\s*([A-Za-zéû]{3,9}\.? \d{1,2},? \d{4})", head)
        if m:
            pd = parse_published(m.group(1))
            if pd:
                return pd
    return best[1] if best else None


def date_in_url(url: str | None) -> PartialDate | None:
    """A date in a URL path: /2017/aug/18/, /2021/05/18/, /20211011/."""
    if not url:
        return None
    m = _URL_DATE.search(url)
    if m:
        y, mo, d = m.groups()
        month = _MON3.get(mo.lower()[:3]) if not mo.isdigit() else int(mo)
        return _partial(int(y), month, int(d) if d else None)
    m = _URL_DATE8.search(url)
    if m:
        return _partial(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return None


def refine(given: PartialDate | None, found: PartialDate | None) -> PartialDate | None:
    """A more precise date found in the text, when it agrees with the coarser given one."""
    if given is None:
        return found
    if found is None or given.precision.value == "day":
        return given
    if found.year != given.year or (given.month is not None and found.month != given.month):
        return given
    return found


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language (py3langid), None for empty text."""
    sample = text[:5000].strip()
    if len(sample) < 3:
        return None
    try:
        import py3langid

        lang, _ = py3langid.classify(sample)
        return lang
    except (ImportError, ValueError, TypeError, LookupError):
        return None


_VOTE_LINE = re.compile(r"^(\S{2,40}) (.{3,}?)\s(\d{1,5})\s*$")


def _is_vote_line(line: str) -> bool:
    m = _VOTE_LINE.match(line.strip())
    return bool(m and re.fullmatch(r"[^\W\d_][\w.-]*", m.group(1)) and re.search(r"[^\W\d_]", m.group(2))
                and len(line) < 600)


def find_comment_start(text: str) -> int | None:
    """Offset where reader comments begin, from generic widget and layout cues, else None."""
    floor = int(len(text) * 0.25)
    comment_words = all_cues("comment")
    lines = [(m.start(), m.group()) for m in re.finditer(r"[^\n]*", text) if m.group().strip()]
    cands: list[int] = []
    for i, (pos, line) in enumerate(lines):
        if pos < floor:
            continue
        stripped = line.strip()
        folded = fold_keep(stripped)
        lead = len(line) - len(line.lstrip())
        rest = re.sub(r"[\d\s.,:()|!-]+", " ", folded).strip()
        hits = comment_words.find(folded)
        # widget line: only comment words and numbers ("2 Commentaires", "0 0 vote", "View all comments")
        if hits and len(stripped.split()) <= 5 and len(rest) <= sum(h.end - h.start for h in hits) + len(hits) + 4:
            cands.append(pos + lead)
            continue
        # reply widget glued before the next comment ("RispondiEliminaComunque ..."): the comment
        # it closes starts at the previous line
        glued = next((k for k in comment_words.values if len(k) >= 5 and folded.startswith(k)
                      and stripped[len(k) : len(k) + 1].isupper()), None)
        if glued and i > 0:
            prev_pos, prev_line = lines[i - 1]
            if prev_pos >= floor:
                cands.append(prev_pos + len(prev_line) - len(prev_line.lstrip()))
            continue
        # threaded comment list: an indented "1." item followed later by a deeper-indented one
        m = re.match(r"^(\s{2,})1\.\s+", line)
        if m and any(re.match(rf"^\s{{{len(m.group(1)) + 2},}}\d+\.\s", ln) for _, ln in lines[i + 1 :]):
            cands.append(pos + m.end())
            continue
    # user name + comment + vote count lines at the end ("SerbikusSlavikus ... 3")
    tail = [(p, ln) for p, ln in lines if p >= floor]
    votes = [j for j, (_, ln) in enumerate(tail) if _is_vote_line(ln)]
    if len(votes) >= 2 and len(tail) - votes[0] <= 2 * len(votes) + 4:
        pos, line = tail[votes[0]]
        cands.append(pos + len(line) - len(line.lstrip()))
    return min(cands) if cands else None


def _doc(name: str, text: str, *, url: str | None = None, title: str | None = None,
         published: PartialDate | None = None, language: str | None = None, path: str | None = None,
         comment_start: int | None = -1, publisher: str | None = None) -> Document:
    lang = (language or "").strip().lower()[:2] or detect_language(text)
    pub = refine(published, date_in_text(text, lang)) if published is None or published.day is None else published
    if pub is None:
        pub = date_in_url(url)
    cs = find_comment_start(text) if comment_start == -1 else comment_start
    return Document(name=name, url=url or None, title=title or None, published=pub, language=lang,
                    text=text, comment_start=cs, path=path, publisher=publisher)


def parse_text(raw: str, name: str, path: str | None = None) -> Document:
    """A text source in header style, seed style or bare text."""
    raw = raw.lstrip("\ufeff").replace("\r\n", "\n")
    lines = raw.split("\n")
    m = _TOKEN_RE.match(lines[0]) if lines else None
    if m:
        body_at = len(lines[0]) + 1
        if len(lines) > 1 and not lines[1].strip():
            body_at += len(lines[1]) + 1
        date, url = m.group(1), m.group(2)
        pub = parse_published(date)
        if pub is None or pub.day is None:
            pub = refine(pub, date_in_url(url)) if date_in_url(url) and pub else pub
        return _doc(name, raw[body_at:], url=url, published=pub, path=path)
    meta: dict[str, str] = {}
    offset = 0
    i = 0
    while i < len(lines) and _HEADER_RE.match(lines[i]) and i < 8:
        k, v = _HEADER_RE.match(lines[i]).groups()  # type: ignore[union-attr]
        meta[k.lower()] = v.strip()
        offset += len(lines[i]) + 1
        i += 1
    if meta and i < len(lines) and not lines[i].strip():
        offset += len(lines[i]) + 1
    if meta and ("url" in meta or "published" in meta or "language" in meta or "title" in meta):
        text = raw[offset:]
        title = meta.get("title")
        return _doc(name, text, url=meta.get("url"), title=title,
                    published=parse_published(meta.get("published") or meta.get("date")),
                    language=meta.get("language"), path=path, publisher=meta.get("publisher"))
    return _doc(name, raw, path=path)


def parse_html(raw: str, name: str, path: str | None = None) -> Document:
    """An HTML page through trafilatura: main text, then comments (their start is `comment_start`)."""
    try:
        import trafilatura  # heavy (lxml, courlan, ...): loaded only when an HTML page comes
    except ImportError as e:
        raise SourceError(path or name, f"cannot read HTML: {e} (trafilatura and lxml_html_clean "
                                        "must be installed: pip install 'armskb' pulls them in)") from None

    try:
        res = trafilatura.bare_extraction(raw, include_comments=True, with_metadata=True)
    except ImportError as e:  # lxml.html.clean moved to lxml_html_clean; imported lazily
        raise SourceError(path or name, f"cannot read HTML: {e} (install lxml_html_clean)") from None
    if res is not None and hasattr(res, "as_dict"):
        res = res.as_dict()
    if not res:
        raise SourceError(path or name, "no text could be extracted from the HTML page")
    get = res.get if isinstance(res, dict) else lambda k, d=None: getattr(res, k, d)
    body = get("text") or ""
    comments = get("comments") or ""
    text = body
    cs: int | None = None
    if comments.strip():
        cs = len(body) + 2
        text = body + "\n\n" + comments
    pub = parse_published(get("date"))
    return _doc(name, text, url=get("url"), title=get("title"), published=pub, language=get("language"),
                path=path, comment_start=cs if cs is not None else -1, publisher=get("sitename"))


_JSONL_TEXT_FIELDS = ("url", "title", "language", "publisher")


def _record_str(rec: dict[str, object], key: str) -> str | None:
    """A string field of a JSON Lines record (None when absent); anything else is an error."""
    val = rec.get(key)
    if val is None or val == "":
        return None
    if not isinstance(val, str):
        raise ValueError(f"{key!r} must be a string, got {type(val).__name__}")
    return val


def _check_encodable(text: str, what: str) -> None:
    """JSON can spell lone surrogates (\\ud800) that no UTF-8 store can hold."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise ValueError(f"{what}: lone surrogate at character {e.start}") from None


def parse_jsonl(raw: str, stem: str, path: str) -> tuple[list[tuple[Document, int]], list[SourceError]]:
    """One Document per JSON Lines record, with its line number; bad lines become SourceErrors
    with their line number (the other records still load)."""
    docs: list[tuple[Document, int]] = []
    errors: list[SourceError] = []
    for n, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            if not isinstance(rec, dict):
                raise ValueError("a record must be a JSON object")
            text = rec.get("text")
            if not isinstance(text, str):
                raise ValueError("missing or non-string 'text'")
            fields = {k: _record_str(rec, k) for k in _JSONL_TEXT_FIELDS}
            rid = rec.get("id") or rec.get("name")
            if rid is not None and not isinstance(rid, (str, int)):
                raise ValueError(f"'id' must be a string or an integer, got {type(rid).__name__}")
            published = rec.get("published")
            if published is not None and not isinstance(published, (str, int)):
                raise ValueError(f"'published' must be a date string, got {type(published).__name__}")
            for what, value in (("text", text), *fields.items(), ("id", str(rid or ""))):
                _check_encodable(value or "", what)
            docs.append(
                (_doc(str(rid) if rid else f"{stem}#{n}", text, url=fields["url"], title=fields["title"],
                      published=parse_published(str(published)) if published else None,
                      language=fields["language"], publisher=fields["publisher"], path=path), n)
            )
        except RecursionError:
            errors.append(SourceError(path, "bad record: JSON nested too deeply", line=n))
        except (ValueError, TypeError) as e:
            errors.append(SourceError(path, f"bad record: {e}", line=n))
    return docs, errors


def looks_html(raw: str) -> bool:
    """True when a text's head is HTML markup."""
    head = raw[:2000].lstrip().lower()
    return head.startswith("<!doctype html") or head.startswith("<html") or bool(
        re.search(r"<(html|body|article|div|p)\b[^>]*>", head) and re.search(r"</\w+>", raw[:20000])
    )


def looks_jsonl(raw: str) -> bool:
    """True when the first non-empty line is a JSON object."""
    first = next((ln for ln in raw.splitlines() if ln.strip()), "")
    if not first.lstrip().startswith("{"):
        return False
    try:
        return isinstance(json.loads(first), dict)
    except (ValueError, RecursionError):
        return False


def decode_text(path: Path, data: bytes) -> tuple[str, SourceError | None]:
    """A file's bytes as text: UTF-8, else cp1252; an error naming the offset when neither."""
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as e:
        try:
            return data.decode("cp1252"), None
        except UnicodeDecodeError:
            return "", SourceError(str(path), "not UTF-8 text", offset=e.start)


def read_documents(path: str | Path) -> tuple[list[Document], list[SourceError]]:
    """Documents of one file (several for JSON Lines) and the errors of records that failed."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as e:
        return [], [SourceError(str(p), f"cannot read file: {e.strerror or e}")]
    raw, err = decode_text(p, data)
    if err is not None:
        return [], [err]
    stem = p.stem if p.suffix else p.name
    try:
        if looks_jsonl(raw) or p.suffix.lower() == ".jsonl":
            located, errors = parse_jsonl(raw, stem, str(p))
            return [d for d, _ in located], errors
        if looks_html(raw) or p.suffix.lower() in (".html", ".htm"):
            return [parse_html(raw, stem, str(p))], []
        return [parse_text(raw, stem, str(p))], []
    except SourceError as e:
        return [], [e]
