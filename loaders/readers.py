"""Read news files into `RawDocument`s: plain text, Markdown, HTML, JSON/JSONL and RSS/Atom feeds.

This is the first stage of the loader pipeline (read -> clean -> entities -> relations -> batch). A
reader never raises for a bad file: whatever cannot be read as an article becomes a `BadDocument` in
`ReadResult.problems`, with a reason a user can act on, and every other file or record still loads.

Formats are chosen by file suffix (`SUPPORTED_SUFFIXES`); for API uploads the upload's name gives it.
Single-document files keep their path as `RawDocument.source`; the Nth record of a JSON list, a JSONL
file or a feed is `path#N` (1-based).

Example:
    >>> result = read_bytes(b"Chip curbs widen\\n\\nThe rules cover more firms.", "note.txt", 1_000)
    >>> result.documents[0].title, result.problems
    ('Chip curbs widen', [])
"""

from __future__ import annotations

import codecs
import json
import re
import warnings
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import feedparser
import lxml.html
import trafilatura
import yaml
from dateutil import parser as date_parser
from lxml import etree
from markdown_it import MarkdownIt
from markdown_it.token import Token

from graph.errors import BadDocument
from loaders.clean import clean_text
from loaders.dates import with_publication_date
from loaders.raw import RawDocument

_FORMAT_BY_SUFFIX: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
}

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_FORMAT_BY_SUFFIX)
"""File suffixes the readers understand (lower case, with the dot)."""

# Keys looked up (case-insensitively, first present wins) in JSON records.
_TITLE_KEYS = ("title", "headline")
_TEXT_KEYS = ("text", "body", "content", "article", "full_text", "content_text", "content_html")
_FALLBACK_TEXT_KEYS = ("summary", "description")
_URL_KEYS = ("url", "link", "permalink", "canonical_url")
_DATE_KEYS = ("published", "date", "pubdate", "published_at", "publishedat", "date_published", "datetime")
_OUTLET_KEYS = ("source", "outlet", "publisher", "site_name", "sitename")
# An object without text but with one of these holding a list is a wrapper around records.
_WRAPPER_KEYS = ("articles", "items", "entries", "documents", "records", "data", "results", "posts")

_TEXT_SNIFF_BYTES = 65_536
_CONTROL_BYTES = frozenset(range(0x01, 0x09)) | {0x0B} | frozenset(range(0x0E, 0x20)) | {0x7F}
# Above this share of control bytes a file is binary; above this share of high bytes a file that
# is not UTF-8 is not Western single-byte text either (CJK legacy encodings, compressed data).
_MAX_CONTROL_SHARE = 0.05
_MAX_HIGH_BYTE_SHARE = 0.30

_HEADLINE_MAX_WORDS = 25
_HEADLINE_MAX_CHARS = 200


@dataclass
class ReadResult:
    """What reading one file or upload gave: the articles found and the problems met."""

    documents: list[RawDocument] = field(default_factory=list)
    problems: list[BadDocument] = field(default_factory=list)

    def extend(self, other: ReadResult) -> None:
        """Add another result's documents and problems to this one."""
        self.documents.extend(other.documents)
        self.problems.extend(other.problems)


def discover(paths: Iterable[Path], *, follow_symlinks: bool = False) -> Iterator[Path]:
    """Yield every file named or contained (recursively) in `paths`, in a stable order.

    Files are yielded as given; directories are walked in sorted order, skipping hidden entries
    (names starting with a dot). Unsupported files are yielded too: reading them reports why they
    were skipped, which tells the user more than silence would. Unless `follow_symlinks`, a symbolic
    link leading out of the given paths is yielded but not walked into, so that `read_file` with
    `roots` reports it instead of reading, say, `/etc/passwd` linked into a corpus.

    Raises:
        BadDocument: a path does not exist (checked for all paths before anything is yielded).

    Example:
        >>> list(discover([Path("/no/such/dir")]))
        Traceback (most recent call last):
        ...
        graph.errors.BadDocument: /no/such/dir: no such file or directory
    """
    given = list(paths)
    for path in given:
        if not path.exists() and not path.is_symlink():
            raise BadDocument(str(path), "no such file or directory")
    roots = None if follow_symlinks else given
    for path in given:
        if path.is_dir():
            yield from _walk(path, seen=set(), roots=roots)
        else:
            yield path


def leaves_roots(path: Path, roots: Iterable[Path]) -> Path | None:
    """Where `path` really leads when that is outside every one of `roots` (through a link), else None.

    A root that is a file admits only itself; a root that is a folder, everything under it.

    Example:
        >>> leaves_roots(Path("/tmp/a.txt"), [Path("/tmp")]) is None
        True
    """
    try:
        real = path.resolve()
    except (OSError, RuntimeError):  # a link loop
        return path
    for root in roots:
        try:
            top = root.resolve()
        except (OSError, RuntimeError):
            continue
        if real == top or (root.is_dir() and real.is_relative_to(top)):
            return None
    return real


def _walk(directory: Path, seen: set[Path], roots: list[Path] | None) -> Iterator[Path]:
    real = directory.resolve()
    if real in seen:  # a symlink loop would otherwise never end
        return
    seen.add(real)
    try:
        entries = sorted(directory.iterdir(), key=lambda p: p.name)
    except OSError:
        # An unlistable directory is reported by reading it as a file: it yields itself.
        yield directory
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if roots is not None and entry.is_symlink() and leaves_roots(entry, roots) is not None:
            yield entry  # reported by read_file, never walked into
        elif entry.is_dir():
            yield from _walk(entry, seen, roots)
        else:
            yield entry


def read_file(path: Path, max_bytes: int, roots: Iterable[Path] | None = None) -> ReadResult:
    """Read one file into articles; never raises for a bad file, it reports it in `problems`.

    With `roots` (the paths the user gave), a file that a symbolic link leads out of them is reported,
    not read.

    Example:
        >>> read_file(Path("/no/such/file.txt"), 1_000).problems[0].reason
        'no such file or directory'
    """
    name = str(path)
    if roots is not None and path.is_symlink():
        target = leaves_roots(path, roots)
        if target is not None:
            return _problem(
                name, f"a symbolic link to {target}, outside the paths given (--follow-symlinks reads it)"
            )
    fmt = _FORMAT_BY_SUFFIX.get(path.suffix.lower())
    if fmt is None:
        return _problem(name, _unsupported_reason(path.suffix))
    try:
        if not path.exists():
            return _problem(name, "no such file or directory")
        if not path.is_file():
            return _problem(name, "not a regular file")
        size = path.stat().st_size
        if size > max_bytes:
            return _problem(name, _too_large_reason(size, max_bytes))
        with path.open("rb") as handle:
            # Read one byte past the limit: the file may have grown since stat().
            data = handle.read(max_bytes + 1)
    except PermissionError:
        return _problem(name, "unreadable: permission denied")
    except OSError as e:
        return _problem(name, f"unreadable: {e.strerror or e}")
    return read_bytes(data, name, max_bytes)


def read_bytes(data: bytes, name: str, max_bytes: int) -> ReadResult:
    """Read an upload (or a file's bytes) into articles; `name`'s suffix gives the format.

    Example:
        >>> read_bytes(b"", "empty.txt", 1_000).problems[0].reason
        'empty file'
        >>> read_bytes(b"%PDF-1.7", "paper.pdf", 1_000).problems[0].reason.split(":")[0]
        "unsupported file type '.pdf'"
    """
    suffix = Path(name).suffix
    fmt = _FORMAT_BY_SUFFIX.get(suffix.lower())
    if fmt is None:
        return _problem(name, _unsupported_reason(suffix))
    if not data:
        return _problem(name, "empty file")
    if len(data) > max_bytes:
        return _problem(name, _too_large_reason(len(data), max_bytes))
    try:
        text = decode_text(data)
    except BadDocument as e:
        return _problem(name, e.reason)
    if not text.strip():
        return _problem(name, "empty file (only whitespace)")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if fmt == "text" and _looks_like_html(text):
        fmt = "html"  # scraped pages are often saved as .txt
    try:
        return _dated(_READERS[fmt](text, data, name))
    except BadDocument as e:
        return ReadResult(problems=[e])
    except (RecursionError, ValueError, TypeError, LookupError, etree.LxmlError) as e:
        # A parser choking on a pathological file (JSON nested 100k deep, markup lxml rejects) is a
        # bad file like any other: it must not stop the files after it.
        return _problem(name, f"cannot be read as {fmt}: {type(e).__name__}: {e}")


def _dated(result: ReadResult) -> ReadResult:
    """Give every article the date its text or URL shows, where its source's metadata declared none."""
    result.documents = [with_publication_date(doc) for doc in result.documents]
    return result


def _problem(name: str, reason: str) -> ReadResult:
    return ReadResult(problems=[BadDocument(name, reason)])


def _unsupported_reason(suffix: str) -> str:
    shown = f"'{suffix.lower()}'" if suffix else "(no extension)"
    return f"unsupported file type {shown}: supported are {', '.join(sorted(SUPPORTED_SUFFIXES))}"


def _too_large_reason(size: int, max_bytes: int) -> str:
    return f"too large: {size:,} bytes, the limit is {max_bytes:,} bytes"


# --- decoding -------------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE, whose BOM is its prefix
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_text(data: bytes) -> str:
    """Decode a file's bytes as text, or raise `BadDocument` (with an empty source) saying why not.

    The rule is deliberately simple: a byte-order mark decides; otherwise UTF-8; otherwise
    Windows-1252, but only when the bytes look like Western text (few high bytes). NUL bytes or
    many control bytes mean a binary file. Guessing among many legacy encodings would turn bytes
    into confident nonsense, which is worse than a clear "undecodable".

    Example:
        >>> decode_text("Café".encode("cp1252"))
        'Café'
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError as e:
                raise BadDocument("", f"undecodable: invalid {codec} after its byte-order mark") from e
    sample = data[:_TEXT_SNIFF_BYTES]
    if b"\x00" in sample:
        return _raise_binary("contains NUL bytes")
    controls = sum(1 for byte in sample if byte in _CONTROL_BYTES)
    if controls > _MAX_CONTROL_SHARE * len(sample):
        return _raise_binary("too many control bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    high = sum(1 for byte in sample if byte >= 0x80)
    if high > _MAX_HIGH_BYTE_SHARE * len(sample):
        raise BadDocument("", "undecodable: not UTF-8, and too many non-ASCII bytes for Windows-1252 text")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as e:
        raise BadDocument("", "undecodable: neither UTF-8 nor Windows-1252 text") from e


def _raise_binary(why: str) -> str:
    raise BadDocument("", f"binary file, not text ({why})")


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html"))


# --- plain text -----------------------------------------------------------------------------------


def _read_text(text: str, data: bytes, name: str) -> ReadResult:
    title = headline_of(text)
    return ReadResult(documents=[RawDocument(source=name, text=text, title=title, format="text")])


def headline_of(text: str) -> str | None:
    """The first line that survives cleaning, when it looks like a headline (short, no final period).

    Cleaning first means a breadcrumb ("Home News <headline>" above "<headline>"), a "Loading..."
    placeholder or a byline above the headline is not taken for it. The line stays in the text.

    Example:
        >>> headline_of("Nvidia Wins Order\\n\\nThe chipmaker said on Monday it won an order.")
        'Nvidia Wins Order'
        >>> headline_of("The chipmaker said on Monday it won an order.\\n\\nMore later.") is None
        True
    """
    lines = [line for line in clean_text(text).text.split("\n") if line]
    if len(lines) < 2:
        return None
    first = lines[0]
    words = first.split()
    if len(words) > _HEADLINE_MAX_WORDS or len(first) > _HEADLINE_MAX_CHARS:
        return None
    if first.endswith((".", ",", ";", ":")) or first.endswith("...") or first.endswith("…"):
        return None
    if not any(ch.isalpha() for ch in first):
        return None
    return first


# --- Markdown -------------------------------------------------------------------------------------

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_SPACE_BEFORE_PUNCT = re.compile(r"[ \t]+([.,;:!?])")
_MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def _read_markdown(text: str, data: bytes, name: str) -> ReadResult:
    meta: Mapping[str, Any] = {}
    match = _FRONT_MATTER.match(text)
    if match:
        text = text[match.end() :]
        try:
            loaded = yaml.safe_load(match.group(1))
        except yaml.YAMLError:
            loaded = None  # broken front matter loses its metadata, not the article
        if isinstance(loaded, dict):
            meta = {str(k).lower(): v for k, v in loaded.items()}
    body, first_heading = markdown_to_text(text)
    if not body.strip():
        raise BadDocument(name, "no text once the Markdown markup is removed")
    title = _first_str(meta, _TITLE_KEYS) or first_heading or headline_of(body)
    doc = RawDocument(
        source=name,
        text=body,
        title=title,
        url=_first_str(meta, _URL_KEYS),
        outlet=_outlet(meta),
        published=(published := _first_date(meta)),
        date_source="front-matter" if published else None,
        format="markdown",
    )
    return ReadResult(documents=[doc])


def markdown_to_text(markdown: str) -> tuple[str, str | None]:
    """Reduce Markdown to plain text, one block per paragraph; return it and the first heading.

    Links keep their text, images disappear, emphasis and code lose their markers, inline HTML
    is dropped and HTML blocks are reduced to their text.

    Example:
        >>> markdown_to_text("# Curbs\\n\\nThe [rule](https://x.org) hits *chips* ![c](c.png).")
        ('Curbs\\n\\nThe rule hits chips.', 'Curbs')
    """
    text = _MarkdownText()
    for token in _MARKDOWN.parse(markdown):
        text.take(token)
    return "\n\n".join(text.blocks), text.first_heading


@dataclass
class _MarkdownText:
    """Plain-text blocks gathered from markdown-it's token stream, one token at a time."""

    blocks: list[str] = field(default_factory=list)
    first_heading: str | None = None
    row: list[str] | None = None
    """The cells of the table row being read, if any: a row becomes one block "a | b"."""
    in_heading: bool = False

    def take(self, token: Token) -> None:
        kind = token.type
        if kind in ("heading_open", "heading_close"):
            self.in_heading = kind == "heading_open"
        elif kind == "tr_open":
            self.row = []
        elif kind == "tr_close" and self.row is not None:
            self.blocks.append(" | ".join(cell for cell in self.row if cell))
            self.row = None
        elif kind == "inline":
            self._inline(_inline_text(token.children or []))
        elif kind in ("fence", "code_block"):
            self.blocks.extend(line for line in token.content.split("\n") if line.strip())
        elif kind == "html_block":
            reduced = html_fragment_to_text(token.content)
            if reduced:
                self.blocks.append(reduced)

    def _inline(self, content: str) -> None:
        if self.row is not None:
            self.row.append(content)
        elif content:
            self.blocks.append(content)
            if self.in_heading and self.first_heading is None:
                self.first_heading = content


def _inline_text(children: list[Token]) -> str:
    parts: list[str] = []
    dropped = False
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
        elif child.type in ("image", "html_inline"):
            dropped = True
        # the open/close markers of links and emphasis carry no text
    text = "".join(parts).strip()
    if dropped:  # a removed image leaves "word ." or "word  word" behind
        text = _SPACE_BEFORE_PUNCT.sub(r"\1", re.sub(r"[ \t]{2,}", " ", text))
    return text


# --- HTML -----------------------------------------------------------------------------------------

_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>", re.IGNORECASE)
_HTML_SPACE = re.compile(r"\s+")
_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "form", "button", "select")
_PAGE_CHROME_TAGS = ("nav", "header", "footer", "aside")
_BLOCK_TAGS = frozenset(
    "address article aside blockquote dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header "
    "hr li main nav ol p pre section table tbody td th thead tr ul".split()
)


def _read_html(text: str, data: bytes, name: str) -> ReadResult:
    html = _XML_DECLARATION.sub("", text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # trafilatura/lxml chatter about element truth-testing
        try:
            extracted = trafilatura.bare_extraction(
                html,
                with_metadata=True,
                include_comments=False,
                include_tables=True,
                date_extraction_params={
                    "original_date": True,
                    "extensive_search": True,
                    "outputformat": "%Y-%m-%dT%H:%M:%S%z",
                },
            )
        except Exception:  # noqa: BLE001 - trafilatura fails in many ways on odd pages; lxml is the fallback
            extracted = None
    meta: dict[str, Any] = {}
    body = ""
    if extracted is not None:
        meta = extracted.as_dict() if hasattr(extracted, "as_dict") else dict(extracted)
        # One blank line between blocks, as the other readers give: a headline or sub-heading
        # without a full stop must not run into the next paragraph's first sentence.
        body = "\n\n".join(_normalise_lines(str(meta.get("text") or "")))
    if not body:
        body, fallback_title = _lxml_page_text(html)
        meta["title"] = meta.get("title") or fallback_title
    if not body:
        # lxml stops building the tree at libxml2's depth limit (10k nested divs lose everything).
        body = flat_html_text(html)
    if not body:
        raise BadDocument(name, "HTML page has no readable text")
    doc = RawDocument(
        source=name,
        text=body,
        title=_clean_str(meta.get("title")),
        url=_clean_str(meta.get("url")),
        outlet=_clean_str(meta.get("sitename")),
        published=(published := parse_date(meta.get("date"))),
        date_source="html-meta" if published else None,
        format="html",
    )
    return ReadResult(documents=[doc])


def _lxml_page_text(html: str) -> tuple[str, str | None]:
    """The visible text of a whole page without its chrome: used when trafilatura finds nothing."""
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError, AssertionError):
        return "", None
    title_el = root.find(".//title")
    title = _clean_str(title_el.text_content()) if title_el is not None else None
    body = root.find(".//body")
    if body is None:
        return "", title
    for el in list(body.iter(*_PAGE_CHROME_TAGS)):
        if el.getparent() is not None:
            el.drop_tree()
    return _element_text(body), title


def html_fragment_to_text(html: str) -> str:
    """Reduce an HTML fragment (a feed summary, a JSON body) to text, one line per block.

    Example:
        >>> html_fragment_to_text("<p>Export <b>curbs</b> widen.</p><p>Firms react.</p>")
        'Export curbs widen.\\n\\nFirms react.'
    """
    if "<" not in html:
        return "\n\n".join(_normalise_lines(html))
    try:
        root = lxml.html.fragment_fromstring(_XML_DECLARATION.sub("", html), create_parent="div")
    except (etree.ParserError, ValueError, AssertionError):  # lxml asserts on two <body>s in a fragment
        return flat_html_text(html)
    return _element_text(root) or flat_html_text(html)


class _FlatText(HTMLParser):
    """Text of HTML read as a stream of tags, so that no nesting depth loses it."""

    _SKIP = frozenset(_DROP_TAGS) | frozenset(_PAGE_CHROME_TAGS) | {"head", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.skipping.append(tag)
        elif tag in _BLOCK_TAGS or tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(_HTML_SPACE.sub(" ", data))


def flat_html_text(html: str) -> str:
    """The text of HTML without building a tree: the fallback for markup nested beyond lxml's limit.

    Example:
        >>> flat_html_text("<div>" * 5_000 + "<p>Chips <b>sold</b>.</p><script>x()</script>")
        'Chips sold.'
    """
    parser = _FlatText()
    parser.feed(html)
    parser.close()
    return "\n\n".join(_normalise_lines("".join(parser.parts)))


def _element_text(root: lxml.html.HtmlElement) -> str:
    for el in list(root.iter(*_DROP_TAGS)):
        if el.getparent() is not None:
            el.drop_tree()
    for el in root.iter():
        # Source newlines inside HTML are just spaces; line breaks come from the block structure.
        if el.text:
            el.text = _HTML_SPACE.sub(" ", el.text)
        if el.tail:
            el.tail = _HTML_SPACE.sub(" ", el.tail)
        if not isinstance(el.tag, str):
            continue  # comments and processing instructions
        if el.tag == "br":
            el.tail = "\n" + (el.tail or "")
        elif el.tag in _BLOCK_TAGS:
            el.text = "\n" + (el.text or "")
            el.tail = "\n" + (el.tail or "")
    return "\n\n".join(_normalise_lines(root.text_content()))


def _normalise_lines(text: str) -> list[str]:
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return [line for line in lines if line]


_MARKUP = re.compile(r"<(p|br|div|a|span|em|strong|b|i|ul|ol|li|h[1-6]|img|figure|blockquote)\b", re.I)


def _looks_like_markup(text: str) -> bool:
    return _MARKUP.search(text) is not None


def _plain(text: str | None) -> str | None:
    """A title or name without the HTML some feeds and APIs leave in it."""
    if text and _looks_like_markup(text):
        return _clean_str(html_fragment_to_text(text))
    return text


# --- JSON and JSONL -------------------------------------------------------------------------------


def _read_json(text: str, data: bytes, name: str) -> ReadResult:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as e:
        raise BadDocument(name, f"invalid JSON: {e.msg} (line {e.lineno}, column {e.colno})") from e
    if isinstance(value, dict):
        lowered = {str(k).lower(): v for k, v in value.items()}
        if _first_text(lowered) is None:
            for key in _WRAPPER_KEYS:
                inner = lowered.get(key)
                if isinstance(inner, list):
                    return _read_records(inner, name)
        return ReadResult(documents=[_record_to_document(value, name, "json")])
    if isinstance(value, list):
        return _read_records(value, name)
    raise BadDocument(name, f"JSON must be an object or a list of objects, not {type(value).__name__}")


def _read_records(records: list[Any], name: str) -> ReadResult:
    if not records:
        raise BadDocument(name, "JSON list holds no records")
    result = ReadResult()
    for number, record in enumerate(records, start=1):
        source = f"{name}#{number}"
        try:
            result.documents.append(_record_to_document(record, source, "json"))
        except BadDocument as e:
            result.problems.append(e)
    return result


def _read_jsonl(text: str, data: bytes, name: str) -> ReadResult:
    result = ReadResult()
    number = 0
    for line_no, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        number += 1
        source = f"{name}#{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            result.problems.append(BadDocument(source, f"line {line_no}: invalid JSON: {e.msg}"))
            continue
        try:
            result.documents.append(_record_to_document(record, source, "json"))
        except BadDocument as e:
            result.problems.append(BadDocument(source, f"line {line_no}: {e.reason}"))
    if number == 0:
        raise BadDocument(name, "empty file (no JSON lines)")
    return result


def _record_to_document(record: Any, source: str, fmt: str) -> RawDocument:
    if not isinstance(record, dict):
        raise BadDocument(source, f"record is not a JSON object but {type(record).__name__}")
    fields = {str(k).lower(): v for k, v in record.items()}
    text = _first_text(fields)
    if text is None:
        raise BadDocument(source, f"record has no text (expected one of: {', '.join(_TEXT_KEYS)})")
    used = set(_TITLE_KEYS + _TEXT_KEYS + _FALLBACK_TEXT_KEYS + _URL_KEYS + _DATE_KEYS + _OUTLET_KEYS)
    extra = {
        key: str(value)
        for key, value in fields.items()
        if key not in used and isinstance(value, str | int | float | bool) and len(str(value)) <= 200
    }
    return RawDocument(
        source=source,
        text=text,
        title=_plain(_first_str(fields, _TITLE_KEYS)),
        url=_first_str(fields, _URL_KEYS),
        outlet=_outlet(fields),
        published=(published := _first_date(fields)),
        date_source="json" if published else None,
        format=fmt,
        extra=extra,
    )


def _first_text(fields: Mapping[str, Any]) -> str | None:
    for keys in (_TEXT_KEYS, _FALLBACK_TEXT_KEYS):
        for key in keys:
            text = _as_text(fields.get(key))
            if text:
                return text
    return None


def _as_text(value: Any) -> str | None:
    """A record's body as text: a string, a list of paragraphs, or a {"rendered": ...} style object."""
    if isinstance(value, dict):
        lowered = {str(k).lower(): v for k, v in value.items()}
        value = next((lowered[k] for k in ("rendered", "text", "value", "html") if k in lowered), None)
    if isinstance(value, list):
        paragraphs = [
            str(item) for item in value if isinstance(item, str | int | float) and str(item).strip()
        ]
        value = "\n\n".join(paragraphs)
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    if _looks_like_markup(text):
        text = html_fragment_to_text(text)
    return text.strip() or None


# --- RSS and Atom feeds ---------------------------------------------------------------------------


def _read_feed(text: str, data: bytes, name: str) -> ReadResult:
    # feedparser reads the XML declaration's encoding itself, so it gets the bytes.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = feedparser.parse(data)
    if not parsed.get("version"):
        if not parsed.get("entries"):
            raise BadDocument(name, _not_a_feed_reason(data, parsed))
    entries = parsed.get("entries") or []
    if not entries:
        raise BadDocument(name, "feed has no entries")
    feed_title = _clean_str(parsed.get("feed", {}).get("title"))
    outlet = _plain(feed_title)
    result = ReadResult()
    for number, entry in enumerate(entries, start=1):
        source = f"{name}#{number}"
        body = _entry_text(entry)
        if body is None:
            result.problems.append(BadDocument(source, "feed entry has no content or summary"))
            continue
        published = parse_date(entry.get("published") or entry.get("updated"))
        if published is None:
            published = _struct_time_date(entry.get("published_parsed") or entry.get("updated_parsed"))
        result.documents.append(
            RawDocument(
                source=source,
                text=body,
                title=_plain(_clean_str(entry.get("title"))),
                url=_clean_str(entry.get("link")),
                outlet=outlet,
                published=published,
                date_source="feed" if published else None,
                format="feed",
            )
        )
    return result


def _not_a_feed_reason(data: bytes, parsed: Any) -> str:
    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        error = parsed.get("bozo_exception")
        return f"feedparser cannot parse this feed: {error}" if error else "feedparser cannot parse this feed"
    return f"XML but not an RSS or Atom feed (root element <{etree.QName(root).localname}>)"


def _entry_text(entry: Mapping[str, Any]) -> str | None:
    candidates: list[str] = []
    for content in entry.get("content") or []:
        value = content.get("value") if isinstance(content, Mapping) else None
        if isinstance(value, str) and value.strip():
            candidates.append(value)
    # The longest content block is the article; shorter ones are teasers or alternates.
    raw = max(candidates, key=len) if candidates else entry.get("summary")
    if not isinstance(raw, str) or not raw.strip():
        return None
    text = html_fragment_to_text(raw) if _looks_like_markup(raw) or "&" in raw else raw.strip()
    return text or None


def _struct_time_date(value: Any) -> datetime | None:
    if value is None:
        return None
    try:
        year, month, day, hour, minute, second = (int(part) for part in value[:6])
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except (TypeError, ValueError):
        return None


# --- metadata helpers -----------------------------------------------------------------------------

_YEAR = re.compile(r"\b(1[89]\d\d|2\d\d\d)\b")
# Zone names dateutil does not know; the US ones appear in many feeds.
_TZINFOS = {
    "UTC": 0, "GMT": 0, "Z": 0,
    "EST": -5 * 3600, "EDT": -4 * 3600, "CST": -6 * 3600, "CDT": -5 * 3600,
    "MST": -7 * 3600, "MDT": -6 * 3600, "PST": -8 * 3600, "PDT": -7 * 3600,
    "BST": 3600, "CET": 3600, "CEST": 2 * 3600, "JST": 9 * 3600, "KST": 9 * 3600,
}  # fmt: skip


def parse_date(value: Any) -> datetime | None:
    """A timezone-aware datetime from whatever a source gave, or None; naive times are taken as UTC.

    Strings without a four-digit year are refused: dateutil would fill in today's date.

    Example:
        >>> parse_date("Tue, 25 Jun 2024 10:00:00 GMT").isoformat()
        '2024-06-25T10:00:00+00:00'
        >>> parse_date("2024-06-25").isoformat()
        '2024-06-25T00:00:00+00:00'
        >>> parse_date("Tuesday") is None
        True
    """
    if value is None or isinstance(value, bool):
        return None
    parsed: datetime | None = None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, int | float):
        seconds = value / 1000 if value > 1e11 else value  # milliseconds since the epoch
        try:
            parsed = datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    elif hasattr(value, "year") and hasattr(value, "month") and hasattr(value, "day"):
        parsed = datetime(value.year, value.month, value.day)  # a date (YAML front matter gives those)
    elif isinstance(value, str):
        parsed = _parse_date_string(value.strip())
    if parsed is None:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _parse_date_string(text: str) -> datetime | None:
    if not text or not _YEAR.search(text):
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            parsed: datetime = date_parser.parse(text, tzinfos=_TZINFOS)
        except (ValueError, OverflowError, TypeError):
            return None
    return parsed


def _clean_str(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    cleaned = " ".join(value.split())
    return cleaned or None


def _first_str(fields: Mapping[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = fields.get(key)
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            cleaned = _clean_str(str(value))
            if cleaned:
                return cleaned
    return None


def _first_date(fields: Mapping[str, Any]) -> datetime | None:
    for key in _DATE_KEYS:
        parsed = parse_date(fields.get(key))
        if parsed is not None:
            return parsed
    return None


def _outlet(fields: Mapping[str, Any]) -> str | None:
    for key in _OUTLET_KEYS:
        value = fields.get(key)
        if isinstance(value, dict):  # e.g. {"id": "reuters", "name": "Reuters"}
            lowered = {str(k).lower(): v for k, v in value.items()}
            value = lowered.get("name") or lowered.get("title")
        cleaned = _clean_str(value)
        if cleaned:
            return cleaned
    return None


_READERS = {
    "text": _read_text,
    "markdown": _read_markdown,
    "html": _read_html,
    "json": _read_json,
    "jsonl": _read_jsonl,
    "feed": _read_feed,
}
