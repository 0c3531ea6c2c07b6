"""Read RDF that follows the aigeo ontology back into any store, one `GraphBatch` per document.

A store accepts only batches, so the import rebuilds what each document contributed: its mentions
(`aigeo:Mention`) and the evidence that cites it. Entity and relation aggregates in the file (mention
counts, weights, confidence...) are checked for type but not copied: the store recomputes them from the
batches, which is why an export, imported into an empty store, exports again to the same graph.

The whole file is parsed and validated before the first write; any problem raises `BadRDF` naming the
file and listing the problems, and leaves the store untouched.
"""

from __future__ import annotations

import json
import logging
import re
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, Field, ValidationError
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from graph.errors import BadRDF
from graph.model import Document, Entity, Evidence, GraphBatch, Relation, UpsertResult
from graph.rdf.uris import UriScheme
from graph.rdf.vocab import AIGEO, CLASS_NODE, PROPERTY_REL, REL_PROPERTY, TERMS
from graph.schema import NodeType, RelType, canonical_pair
from graph.store import GraphStore
from loaders.clean import analysed_text
from loaders.raw import RawDocument

T = TypeVar("T")

PARSER_FORMATS: dict[str, str] = {
    "turtle": "turtle",
    "ttl": "turtle",
    "nt": "nt",
    "ntriples": "nt",
    "n-triples": "nt",
    "jsonld": "json-ld",
    "json-ld": "json-ld",
}
_OUR_NAMES = {"turtle": "turtle", "nt": "nt", "json-ld": "jsonld"}
_SUFFIX_FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld"}
MAX_PROBLEMS_SHOWN = 20

DEFAULT_MAX_BYTES = 200_000_000
DEFAULT_MAX_TRIPLES = 5_000_000
MAX_JSON_DEPTH = 64
"""An aigeo export nests JSON-LD five levels deep; deeper input is refused before any parser recurses."""
MAX_NAME_CHARS = 1_000
"""Ids, names, aliases, countries and extractors: a name a megabyte long is no name."""
MAX_FIELD_CHARS = 10_000
"""A document's source, title, URL and outlet."""
MAX_SENTENCE_CHARS = 200_000
MAX_TEXT_CHARS = 5_000_000
"""A document's text: an ingest reads no file over `Settings.max_document_bytes` (5 MB by default), and a
character takes at least a byte, so no ingested article is longer."""
NO_TEXT = (
    "carries no aigeo:text, so its id and evidence cannot be checked; export it from a store that keeps"
    " texts (ingest the articles with this aigeo), or import unchecked with --without-text"
)
# The C0 controls but tab, newline and carriage return, DEL, and lone surrogates (no store can encode
# them): ingested text never holds them, so imported text may not either.
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# An article's text is kept as it was read (its hash is its id), controls and all; lone surrogates
# alone cannot be stored.
_BAD_TEXT_CHARS = re.compile("[\ud800-\udfff]")

_INTEGER_TYPES = frozenset(
    XSD[t]
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
)
_REAL_TYPES = frozenset({XSD.double, XSD.float, XSD.decimal}) | _INTEGER_TYPES
_STRING_TYPES = frozenset({XSD.string, RDF.langString, XSD.normalizedString, XSD.token})
_STATEMENT_LINKS = (RDF.subject, RDF.predicate, RDF.object)
_SHOWN_CHARS = 120
_MAX_CHARS = {
    AIGEO.id: MAX_NAME_CHARS,
    AIGEO.name: MAX_NAME_CHARS,
    AIGEO.alias: MAX_NAME_CHARS,
    AIGEO.country: MAX_NAME_CHARS,
    AIGEO.extractor: MAX_NAME_CHARS,
    AIGEO.sentence: MAX_SENTENCE_CHARS,
    AIGEO.text: MAX_TEXT_CHARS,
}


class ImportReport(BaseModel):
    """What an import read and what it did to the store."""

    source: str
    format: str = Field(description="turtle, nt or jsonld, as given or guessed.")
    triples: int
    documents: int
    added: int = 0
    unchanged: int = 0
    replaced: int = 0
    entities: int
    relations: int
    evidence: int
    ignored_triples: int = 0
    """Triples outside the aigeo vocabulary (say, owl:sameAs links): valid RDF a store has no place for."""
    skipped_entities: list[str] = []
    """Entities no document in the file mentions: a store keeps only what some document supports."""


def import_rdf(
    source: str | Path | bytes,
    fmt: str | None,
    store: GraphStore,
    base: str,
    name: str | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_triples: int = DEFAULT_MAX_TRIPLES,
    without_text: bool = False,
) -> ImportReport:
    """Parse RDF (Turtle, N-Triples or JSON-LD) and write it into `store`, one batch per document.

    Args:
        source: a file path, or the RDF itself as bytes.
        fmt: "turtle", "nt" or "jsonld"; None guesses from the file suffix, else from the content.
        store: any `GraphStore`; stores with `upsert_many` get every batch in one transaction.
        base: the URI base the file was exported under: URIs under it stand for their ids when a
            node has no `aigeo:id`.
        name: what to call the input in messages (defaults to the path, or "<bytes>").
        max_bytes: larger input is refused before it is parsed.
        max_triples: parsing stops, and the input is refused, beyond this many triples.
        without_text: accept documents that carry no `aigeo:text` (exports of stores that kept none),
            whose id then cannot be checked and whose evidence is checked only against its offsets'
            span. Off by default: such a document is refused. A document with text is always checked.

    Raises:
        BadRDF: the input cannot be parsed, is over a limit (size, triples, JSON nesting), or does not
            follow the ontology (unknown aigeo terms, missing or repeated fields, wrong datatypes,
            dangling references, text no ingest would produce, a document whose id is not the hash of
            its title and text, evidence that is not its document's text between its offsets).
            Nothing is written.

    >>> import tempfile
    >>> from graph.stores import open_store
    >>> store, base = open_store(tempfile.mkdtemp()), "https://aigeo.dev/id/"
    >>> triple = b"<http://example.org/a> <http://example.org/b> <http://example.org/c> ."
    >>> import_rdf(triple, "nt", store, base).ignored_triples
    1
    >>> import_rdf(b"<http://example.org/a> <http://example.org/b> .", "nt", store, base, name="x.nt")
    Traceback (most recent call last):
    graph.errors.BadRDF: x.nt: cannot parse as nt: Invalid line: .
    >>> store.close()
    """
    label = name or (str(source) if isinstance(source, str | Path) else "<bytes>")
    graph, parser = parse_rdf(source, fmt, label, max_bytes=max_bytes, max_triples=max_triples)
    batches, report = read_batches(graph, UriScheme(base), label, _OUR_NAMES[parser], without_text)
    upsert_many: Callable[[list[GraphBatch]], list[UpsertResult]] | None = getattr(store, "upsert_many", None)
    results = upsert_many(batches) if upsert_many is not None else [store.upsert(b) for b in batches]
    for result in results:
        setattr(report, result.status, getattr(report, result.status) + 1)
    return report


def parse_rdf(
    source: str | Path | bytes,
    fmt: str | None,
    label: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_triples: int = DEFAULT_MAX_TRIPLES,
) -> tuple[Graph, str]:
    """Parse into an rdflib Graph, within the limits; return it with the rdflib format name used."""
    if isinstance(source, bytes):
        data, suffix = source, ""
        if len(data) > max_bytes:
            raise BadRDF(f"{label}: too large: {len(data):,} bytes, the limit is {max_bytes:,}")
    else:
        path = Path(source)
        try:
            size = path.stat().st_size
            if size > max_bytes:
                raise BadRDF(f"{label}: too large: {size:,} bytes, the limit is {max_bytes:,}")
            with path.open("rb") as handle:
                data = handle.read(max_bytes + 1)
        except OSError as e:
            raise BadRDF(f"{label}: cannot read: {e.strerror or e}") from e
        if len(data) > max_bytes:
            raise BadRDF(f"{label}: too large: over {max_bytes:,} bytes")
        suffix = path.suffix.lower()
    _refuse_other_graph_formats(data, label)
    if fmt is None:
        parser = _SUFFIX_FORMATS.get(suffix) or _sniff(data)
    elif fmt.lower() in PARSER_FORMATS:
        parser = PARSER_FORMATS[fmt.lower()]
    else:
        raise BadRDF(f"{label}: unknown RDF format {fmt!r}; use turtle, nt or jsonld")
    if parser == "json-ld":
        _check_json_depth(data, label)
        _refuse_remote_contexts(data, label)
    graph = _BoundedGraph(max_triples)
    try:
        with _quiet_rdflib():
            graph.parse(data=data, format=parser)
    except _OverLimit as e:
        raise BadRDF(f"{label}: {e}") from e
    except RecursionError as e:
        raise BadRDF(f"{label}: cannot parse as {parser}: nested too deeply") from e
    except Exception as e:  # rdflib's parsers raise anything from SyntaxError to KeyError
        raise BadRDF(f"{label}: cannot parse as {parser}: {_first_line(e)}") from e
    return graph, parser


class _OverLimit(Exception):
    """Parsing went past a limit: stop at once rather than build the rest of the graph."""


class _BoundedGraph(Graph):
    """A graph that refuses triples beyond a count, and RDF collections, which the ontology never uses
    (a 2 MB Turtle list is a million triples)."""

    def __init__(self, max_triples: int) -> None:
        super().__init__(bind_namespaces="none")
        self.max_triples = max_triples
        self.added = 0

    def add(self, triple: tuple[Node, Node, Node]) -> _BoundedGraph:
        if triple[1] in _COLLECTION_LINKS:
            raise _OverLimit(
                "holds an RDF collection (rdf:first/rdf:rest), which the aigeo ontology never uses"
            )
        self.added += 1
        if self.added > self.max_triples:
            raise _OverLimit(f"more than {self.max_triples:,} triples, the limit")
        super().add(triple)
        return self


_COLLECTION_LINKS = frozenset({RDF.first, RDF.rest})


class _DropLiteralWarnings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return False


@contextmanager
def _quiet_rdflib() -> Iterator[None]:
    """rdflib logs a traceback for each ill-typed literal it parses, and warns about odd booleans;
    validation reports them instead, in one line, so the user sees the refusal and no noise before it."""
    logger = logging.getLogger("rdflib.term")
    quiet = _DropLiteralWarnings()
    logger.addFilter(quiet)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=UserWarning, module=r"rdflib\.")
            yield
    finally:
        logger.removeFilter(quiet)


def _check_json_depth(data: bytes, label: str) -> None:
    """Refuse JSON nested deeper than MAX_JSON_DEPTH, counted without recursion (strings skipped)."""
    depth = 0
    in_string = escaped = False
    for byte in data:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x7B, 0x5B):  # { [
            depth += 1
            if depth > MAX_JSON_DEPTH:
                raise BadRDF(f"{label}: JSON-LD nested more than {MAX_JSON_DEPTH} levels deep")
        elif byte in (0x7D, 0x5D):  # } ]
            depth -= 1


def _sniff(data: bytes) -> str:
    head = data.lstrip()[:1]
    # N-Triples is a subset of Turtle, so the Turtle parser reads both.
    return "json-ld" if head in (b"{", b"[") else "turtle"


def _refuse_remote_contexts(data: bytes, label: str) -> None:
    """rdflib would fetch a JSON-LD context given by URL: an import must never reach the network."""
    try:
        doc = json.loads(data)
    except ValueError as e:
        raise BadRDF(f"{label}: cannot parse as json-ld: {e}") from e

    def contexts(node: Any) -> Iterator[Any]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("@context", "@import"):
                    yield value
                yield from contexts(value)
        elif isinstance(node, list):
            for item in node:
                yield from contexts(item)

    for ctx in contexts(doc):
        for item in ctx if isinstance(ctx, list) else [ctx]:
            if isinstance(item, str):
                raise BadRDF(f"{label}: refers to the remote JSON-LD context {item!r}; inline the context")


def _refuse_other_graph_formats(data: bytes, label: str) -> None:
    """GraphML and Cytoscape JSON are aigeo exports too, but not RDF: say so rather than show a parser's
    complaint about them."""
    head = data[:4096].lstrip()
    if head.startswith(b"<") and b"<graphml" in head:
        what = "GraphML"
    elif head.startswith((b"[", b"{")) and b'"data"' in head and b'"@' not in head:
        what = "Cytoscape JSON"
    else:
        return
    raise BadRDF(
        f"{label}: is {what}, not RDF; import reads Turtle, N-Triples or JSON-LD "
        "(as `aigeo export --format turtle|nt|jsonld` writes)"
    )


# rdflib's notation3 errors end with a dump of the bytes around the fault: noise to a user.
_PARSER_DUMP = re.compile(r"\s+at \^ in:.*$", re.DOTALL)


def _first_line(e: Exception) -> str:
    text = _PARSER_DUMP.sub("", str(e).strip()) or type(e).__name__
    return " ".join(text.split())[:300]


# -- from triples to batches ---------------------------------------------------------------------


@dataclass
class _Mention:
    entity: Node
    name: str
    type: NodeType
    aliases: list[str]
    country: str | None
    count: int


@dataclass
class _Doc:
    document: Document
    order: int | None
    text: str | None = None
    """The article's text as read: the basis of the document's id."""
    analysed: str = ""
    """The text its evidence offsets point into (`loaders.clean.analysed_text`)."""
    mentions: dict[str, _Mention] = field(default_factory=dict)


def read_batches(
    graph: Graph, uris: UriScheme, label: str, fmt: str = "", without_text: bool = False
) -> tuple[list[GraphBatch], ImportReport]:
    """Validate a parsed graph against the ontology and rebuild one batch per document.

    Raises `BadRDF` with every problem found; returns the batches in the order the exporting store
    received them, and a report to which the caller adds what the store did.
    """
    reader = _Reader(graph, uris, without_text)
    with _quiet_rdflib():
        batches, report = reader.read(label, fmt)
    if reader.problems:
        shown = reader.problems[:MAX_PROBLEMS_SHOWN]
        more = len(reader.problems) - len(shown)
        tail = f"\n  ... and {more} more" if more else ""
        listing = "\n".join(f"  - {p}" for p in shown)
        raise BadRDF(
            f"{label}: does not follow the aigeo ontology ({len(reader.problems)} problems):\n{listing}{tail}"
        )
    return batches, report


class _Reader:
    def __init__(self, graph: Graph, uris: UriScheme, without_text: bool = False) -> None:
        self.g = graph
        self.uris = uris
        self.without_text = without_text
        self.problems: list[str] = []
        self.entity_ids: dict[Node, str] = {}
        self.entities: dict[str, Entity] = {}
        self.docs: dict[Node, _Doc] = {}
        self.doc_ids: set[str] = set()

    def problem(self, text: str) -> None:
        self.problems.append(text)

    def show(self, node: Node) -> str:
        text = str(node)
        if len(text) > _SHOWN_CHARS:  # a problem names a value; it need not repeat a megabyte of it
            text = text[:_SHOWN_CHARS] + "..."
            node = Literal(text) if isinstance(node, Literal) else node
        for prefix, ns in (("aigeo:", str(AIGEO)), ("rdf:", str(RDF)), ("xsd:", str(XSD))):
            if text.startswith(ns):
                return prefix + text[len(ns) :]
        if isinstance(node, Literal):
            return node.n3(self.g.namespace_manager)
        return f"_:{node}" if isinstance(node, BNode) else f"<{text}>"

    # -- the whole read ---------------------------------------------------------------------------

    def read(self, label: str, fmt: str) -> tuple[list[GraphBatch], ImportReport]:
        ignored = self.check_vocabulary()
        self.read_entities()
        self.read_documents()
        self.read_mentions()
        relations = self.read_relations()
        batches = self.build_batches(relations) if not self.problems else []
        mentioned = {e.id for b in batches for e in b.entities}
        report = ImportReport(
            source=label,
            format=fmt,
            triples=len(self.g),
            documents=len(batches),
            entities=len(mentioned),
            relations=len(relations),
            evidence=sum(len(r.evidence) for b in batches for r in b.relations),
            ignored_triples=ignored,
            skipped_entities=sorted(set(self.entities) - mentioned),
        )
        return batches, report

    def check_vocabulary(self) -> int:
        """Flag aigeo terms the ontology does not define; count triples outside the vocabulary."""
        ignored = 0
        unknown: set[str] = set()
        known_rdf = {RDF.type, RDFS.label, *_STATEMENT_LINKS}
        ns = str(AIGEO)
        for s, p, o in self.g:
            if str(p).startswith(ns):
                if p not in TERMS:
                    unknown.add(
                        f"{self.show(s)} uses {self.show(p)}, which the aigeo ontology does not define"
                    )
            elif p == RDF.type and str(o).startswith(ns):
                if o not in TERMS:
                    unknown.add(
                        f"{self.show(s)} has type {self.show(o)}, which the aigeo ontology does not define"
                    )
            elif p not in known_rdf:
                ignored += 1
        self.problems.extend(sorted(unknown))  # the graph's own order is arbitrary
        return ignored

    # -- typed access to one node's properties --------------------------------------------------

    def values(self, s: Node, p: URIRef, kind: Callable[[Node], T | None], kind_name: str) -> list[T]:
        out: list[T] = []
        for o in self.g.objects(s, p):
            value = kind(o)
            if value is None:
                self.problem(f"{self.show(p)} of {self.show(s)} must be {kind_name}, got {self.show(o)}")
            elif isinstance(value, str) and (trouble := _text_trouble(value, _MAX_CHARS.get(p), p)):
                self.problem(f"{self.show(p)} of {self.show(s)} {trouble}")
            else:
                out.append(value)
        return out

    def one(
        self, s: Node, p: URIRef, kind: Callable[[Node], T | None], kind_name: str, required: bool = False
    ) -> T | None:
        found = self.values(s, p, kind, kind_name)
        if len(found) > 1:
            self.problem(f"{self.show(s)} has {len(found)} values of {self.show(p)}; at most one is allowed")
        elif not found and required and not any(True for _ in self.g.objects(s, p)):
            self.problem(f"{self.show(s)} lacks {self.show(p)}")
        return found[0] if found else None

    def node_id(self, s: Node, minted: Callable[[str], URIRef], parsed: str | None, what: str) -> str | None:
        given = self.one(s, AIGEO.id, _string, "a string")
        if given is not None:
            if isinstance(s, URIRef) and str(s).startswith(self.uris.base) and minted(given) != s:
                self.problem(
                    f"{what} {self.show(s)} has aigeo:id {given!r}, which mints {self.show(minted(given))}"
                )
            return given
        if parsed is None:
            self.problem(
                f"{what} {self.show(s)} lacks aigeo:id and its URI is not one minted under {self.uris.base}"
            )
        return parsed

    # -- entities, documents, mentions ----------------------------------------------------------

    def read_entities(self) -> None:
        subjects = set(self.g.subjects(RDF.type, AIGEO.Entity))
        for cls in CLASS_NODE:
            subjects.update(self.g.subjects(RDF.type, cls))
        for s in sorted(subjects, key=str):
            classes = [t for c in self.g.objects(s, RDF.type) if (t := _node_class(c)) is not None]
            if len(classes) != 1:
                found = ", ".join(sorted(classes)) or "none"
                self.problem(f"entity {self.show(s)} needs exactly one node type class (found: {found})")
            parsed = self.uris.entity_id(s) if isinstance(s, URIRef) else None
            entity_id = self.node_id(s, self._entity_uri, parsed, "entity")
            name = self.one(s, AIGEO.name, _string, "a string", required=True)
            aliases = self.values(s, AIGEO.alias, _string, "a string")
            country = self.one(s, AIGEO.country, _string, "a string")
            # Aggregates: checked, then recomputed by the store from the mentions.
            self.one(s, AIGEO.mentionCount, _count, "a non-negative xsd:integer")
            self.one(s, AIGEO.firstSeen, _datetime, "an xsd:dateTime")
            self.one(s, AIGEO.lastSeen, _datetime, "an xsd:dateTime")
            if entity_id is None:
                continue
            if entity_id in self.entities:
                self.problem(f"entity id {entity_id!r} is described by two different nodes")
            # A faulty entity is still registered (problems already stop the import), so that every
            # reference to it does not report the same fault again.
            self.entity_ids[s] = entity_id
            self.entities.setdefault(
                entity_id,
                Entity(
                    id=entity_id,
                    name=name or entity_id,
                    type=classes[0] if len(classes) == 1 else NodeType.COMPANY,
                    aliases=sorted(set(aliases)),
                    country=country,
                ),
            )

    def _entity_uri(self, entity_id: str) -> URIRef:
        try:
            return self.uris.entity(entity_id)
        except ValueError as e:
            self.problem(str(e))
            return URIRef(self.uris.base)

    def read_documents(self) -> None:
        for s in sorted(self.g.subjects(RDF.type, AIGEO.Document), key=str):
            parsed = self.uris.document_id(s) if isinstance(s, URIRef) else None
            doc_id = self.node_id(s, self.uris.document, parsed, "document")
            fields: dict[str, Any] = {
                "source": self.one(s, AIGEO.source, _string, "a string", required=True),
                "title": self.one(s, AIGEO.title, _string, "a string"),
                "url": self.one(s, AIGEO.url, _url, "an xsd:anyURI or string"),
                "outlet": self.one(s, AIGEO.outlet, _string, "a string"),
                "published": self.one(s, AIGEO.published, _datetime, "an xsd:dateTime"),
                "date_source": self.one(s, AIGEO.dateSource, _string, "a string"),
                "story": self.one(s, AIGEO.story, _string, "a string"),
                "fingerprint": self.one(s, AIGEO.fingerprint, _string, "a string"),
                "ingested_at": self.one(s, AIGEO.ingestedAt, _datetime, "an xsd:dateTime"),
                "word_count": self.one(s, AIGEO.wordCount, _count, "a non-negative xsd:integer") or 0,
            }
            order = self.one(s, AIGEO.ingestOrder, _count, "a positive xsd:integer")
            text = self.one(s, AIGEO.text, _string, "a string")
            for target in self.g.objects(s, AIGEO.mentions):
                if target not in self.entity_ids:
                    self.problem(
                        f"document {self.show(s)} mentions {self.show(target)}, not a valid aigeo:Entity"
                    )
            if doc_id is None:
                continue
            if doc_id in self.doc_ids:
                self.problem(f"document id {doc_id!r} is described by two different nodes")
                continue
            self.doc_ids.add(doc_id)
            self.check_text(s, doc_id, fields["title"], text)
            # As for entities: registered even when faulty, so references to it resolve.
            fields["source"] = fields["source"] or ""
            analysed = analysed_text(fields["title"], text) if text is not None else ""
            self.docs[s] = _Doc(Document(id=doc_id, **fields), order, text, analysed)

    def check_text(self, s: Node, doc_id: str, title: str | None, text: str | None) -> None:
        """A document is what its text says it is: its id is the hash of its title and text."""
        if text is None:
            if not self.without_text and not any(True for _ in self.g.objects(s, AIGEO.text)):
                self.problem(f"document {self.show(s)} {NO_TEXT}")
            return
        expected = RawDocument(source="", text=text, title=title).content_hash
        if expected != doc_id:
            self.problem(
                f"document {self.show(s)} has id {doc_id!r}, but its title and text hash to {expected!r}"
            )

    def read_mentions(self) -> None:
        for s in sorted(self.g.subjects(RDF.type, AIGEO.Mention), key=str):
            self.read_mention(s)
        # A bare aigeo:mentions link stands for a mention that says what the entity node says.
        for doc_node, doc in self.docs.items():
            for ent_node in self.g.objects(doc_node, AIGEO.mentions):
                entity_id = self.entity_ids.get(ent_node)
                if entity_id is not None and entity_id not in doc.mentions:
                    e = self.entities[entity_id]
                    doc.mentions[entity_id] = _Mention(ent_node, e.name, e.type, e.aliases, e.country, 1)

    def read_mention(self, s: Node) -> None:
        doc_node = self.one(s, AIGEO.document, _resource, "a document node", required=True)
        ent_node = self.one(s, AIGEO.entity, _resource, "an entity node", required=True)
        name = self.one(s, AIGEO.name, _string, "a string")
        node_type = self.one(s, AIGEO.entityType, _node_class, "an aigeo node type class")
        aliases = self.values(s, AIGEO.alias, _string, "a string")
        country = self.one(s, AIGEO.country, _string, "a string")
        count = self.one(s, AIGEO.mentionCount, _count, "a non-negative xsd:integer")
        doc = self.docs.get(doc_node) if doc_node is not None else None
        entity_id = self.entity_ids.get(ent_node) if ent_node is not None else None
        if doc_node is not None and doc is None:
            self.problem(f"mention {self.show(s)} cites {self.show(doc_node)}, not a valid aigeo:Document")
        if ent_node is not None and entity_id is None:
            self.problem(f"mention {self.show(s)} is of {self.show(ent_node)}, not a valid aigeo:Entity")
        if doc is None or entity_id is None or ent_node is None:
            return
        if entity_id in doc.mentions:
            self.problem(f"document {doc.document.id!r} has two mentions of {entity_id!r}")
            return
        entity = self.entities[entity_id]
        doc.mentions[entity_id] = _Mention(
            entity=ent_node,
            name=name if name is not None else entity.name,
            type=node_type if node_type is not None else entity.type,
            aliases=sorted(set(aliases)),
            country=country,
            # A mention recorded without a count still names the entity once.
            count=count if count is not None else 1,
        )

    # -- relations and evidence ------------------------------------------------------------------

    def read_relations(self) -> dict[tuple[str, RelType, str], list[Evidence]]:
        asserted = self.asserted_relations()
        described: dict[tuple[str, RelType, str], list[Evidence]] = defaultdict(list)
        for s in sorted(self.relation_statements(), key=str):
            key = self.read_statement(s)
            if key is None:
                continue
            evidence = [ev for node in self.g.objects(s, AIGEO.evidence) if (ev := self.read_evidence(node))]
            if not any(True for _ in self.g.objects(s, AIGEO.evidence)):
                self.problem(
                    f"relation {self.show(s)} has no aigeo:evidence; every relation needs a document"
                )
            if key not in asserted:
                self.problem(
                    f"relation {self.show(s)} describes {_key_text(key)}, which the file does not assert"
                )
            described[key].extend(evidence)
        for key in sorted(asserted - described.keys(), key=_key_text):
            self.problem(f"{_key_text(key)} is asserted but no aigeo:Relation gives its evidence")
        return described

    def asserted_relations(self) -> set[tuple[str, RelType, str]]:
        """The relations the file asserts as plain triples between entity nodes."""
        asserted: set[tuple[str, RelType, str]] = set()
        for rel, prop in REL_PROPERTY.items():
            for s, o in self.g.subject_objects(prop):
                ends = [self.entity_ids.get(s), self.entity_ids.get(o)]
                for node, end in ((s, ends[0]), (o, ends[1])):
                    if end is None:
                        self.problem(
                            f"relation {self.show(s)} {self.show(prop)} {self.show(o)}: "
                            f"{self.show(node)} is not a valid aigeo:Entity"
                        )
                if ends[0] is not None and ends[1] is not None:
                    source, target = canonical_pair(ends[0], rel, ends[1])
                    asserted.add((source, rel, target))
        return asserted

    def relation_statements(self) -> set[Node]:
        """aigeo:Relation nodes, and rdf:Statements whose predicate is aigeo's."""
        statements = set(self.g.subjects(RDF.type, AIGEO.Relation))
        for s in self.g.subjects(RDF.type, RDF.Statement):
            if any(
                p in PROPERTY_REL or str(p).startswith(str(AIGEO)) for p in self.g.objects(s, RDF.predicate)
            ):
                statements.add(s)
        return statements

    def read_statement(self, s: Node) -> tuple[str, RelType, str] | None:
        subject = self.one(s, RDF.subject, _resource, "an entity node", required=True)
        predicate = self.one(s, RDF.predicate, _resource, "a relation property", required=True)
        obj = self.one(s, RDF.object, _resource, "an entity node", required=True)
        # Aggregates: checked, then recomputed by the store from the evidence.
        self.one(s, AIGEO.weight, _count, "a non-negative xsd:integer")
        self.one(s, AIGEO.confidence, _unit, "an xsd:double between 0 and 1")
        self.one(s, AIGEO.hedged, _bool, "an xsd:boolean")
        self.one(s, AIGEO.since, _date, "an xsd:date")
        self.one(s, AIGEO.firstSeen, _datetime, "an xsd:dateTime")
        self.one(s, AIGEO.lastSeen, _datetime, "an xsd:dateTime")
        if predicate is not None and predicate not in PROPERTY_REL:
            self.problem(
                f"relation {self.show(s)} has rdf:predicate {self.show(predicate)}, not a relation property"
            )
            return None
        if subject is None or predicate is None or obj is None:
            return None
        ends = self.entity_ids.get(subject), self.entity_ids.get(obj)
        if ends[0] is None or ends[1] is None:
            self.problem(f"relation {self.show(s)} joins nodes that are not both valid aigeo:Entity")
            return None
        rel = PROPERTY_REL[URIRef(str(predicate))]
        source, target = canonical_pair(ends[0], rel, ends[1])
        return source, rel, target

    def read_evidence(self, s: Node) -> Evidence | None:
        if (s, RDF.type, AIGEO.Evidence) not in self.g:
            self.problem(f"evidence {self.show(s)} is not typed aigeo:Evidence")
        doc_node = self.one(s, AIGEO.document, _resource, "a document node", required=True)
        fields: dict[str, Any] = {
            "sentence": self.one(s, AIGEO.sentence, _string, "a string", required=True),
            "start": self.one(s, AIGEO.start, _count, "a non-negative xsd:integer", required=True),
            "end": self.one(s, AIGEO.end, _count, "a non-negative xsd:integer", required=True),
            "extractor": self.one(s, AIGEO.extractor, _string, "a string", required=True),
            "confidence": self.one(s, AIGEO.confidence, _unit, "an xsd:double between 0 and 1"),
            "hedged": self.one(s, AIGEO.hedged, _bool, "an xsd:boolean"),
            "since": self.one(s, AIGEO.since, _date, "an xsd:date"),
            "trigger_start": self.one(s, AIGEO.triggerStart, _count, "a non-negative xsd:integer"),
            "trigger_end": self.one(s, AIGEO.triggerEnd, _count, "a non-negative xsd:integer"),
        }
        doc = self.docs.get(doc_node) if doc_node is not None else None
        if doc_node is not None and doc is None:
            self.problem(f"evidence {self.show(s)} cites {self.show(doc_node)}, not a valid aigeo:Document")
        if doc is None or any(fields[k] is None for k in ("sentence", "start", "end", "extractor")):
            return None
        trouble = _evidence_trouble(fields["sentence"], fields["start"], fields["end"], doc)
        if trouble:
            self.problem(f"evidence {self.show(s)}: {trouble}")
            return None
        try:
            return Evidence(doc_id=doc.document.id, **{k: v for k, v in fields.items() if v is not None})
        except ValidationError as e:
            self.problem(f"evidence {self.show(s)}: {_errors(e)}")
            return None

    # -- batches ---------------------------------------------------------------------------------

    def build_batches(self, relations: dict[tuple[str, RelType, str], list[Evidence]]) -> list[GraphBatch]:
        by_doc: dict[str, dict[tuple[str, RelType, str], list[Evidence]]] = defaultdict(dict)
        for key, evidence in relations.items():
            for ev in evidence:
                by_doc[ev.doc_id].setdefault(key, []).append(ev)
        batches: list[GraphBatch] = []
        for doc in sorted(self.docs.values(), key=_replay_order):
            entities = [
                Entity(
                    id=eid,
                    name=m.name,
                    type=m.type,
                    aliases=m.aliases,
                    country=m.country,
                    mention_count=m.count,
                )
                for eid, m in sorted(doc.mentions.items())
            ]
            rels = [
                Relation(source=k[0], type=k[1], target=k[2], evidence=sorted(evs, key=_evidence_order))
                for k, evs in sorted(by_doc.get(doc.document.id, {}).items(), key=lambda kv: _key_text(kv[0]))
            ]
            try:
                batches.append(
                    GraphBatch(document=doc.document, entities=entities, relations=rels, text=doc.text)
                )
            except ValidationError as e:
                self.problem(f"document {doc.document.id!r} cannot be stored as one batch: {_errors(e)}")
        return batches


def _text_trouble(value: str, max_chars: int | None, prop: URIRef | None = None) -> str | None:
    """Why an imported string is not text an ingest could have produced, or None."""
    limit = max_chars or MAX_FIELD_CHARS
    if len(value) > limit:
        return f"is {len(value):,} characters long, over the limit of {limit:,}"
    bad = (_BAD_TEXT_CHARS if prop == AIGEO.text else _BAD_CHARS).search(value)
    if bad:
        return f"holds the character U+{ord(bad.group()):04X}, which no article text holds"
    return None


def _evidence_trouble(sentence: str, start: int, end: int, doc: _Doc) -> str | None:
    """Why evidence is not the sentence of its document between its offsets, or None.

    Offsets point into the document's analysed text, and the pipeline stores the stripped span.
    """
    if not sentence.strip():
        return "the sentence is empty"
    if end <= start:
        return f"end {end} is not after start {start}"
    if doc.text is None:  # unchecked (or refused for want of text): the sentence must fit its span
        if len(sentence) > end - start:
            return f"the sentence has {len(sentence)} characters, more than its span {start}..{end} holds"
        words = len(sentence.split())
        if doc.document.word_count and words > doc.document.word_count:
            return f"the sentence has {words} words, more than its document's {doc.document.word_count}"
        return None
    if end > len(doc.analysed):
        return f"end {end} is past the end of its document's text ({len(doc.analysed):,} characters)"
    if doc.analysed[start:end].strip() != sentence:
        return f"the sentence is not its document's text between {start} and {end}"
    return None


def _replay_order(doc: _Doc) -> tuple[int, int, str, str]:
    # Exports carry aigeo:ingestOrder; hand-written files fall back to ingestion, then publication time.
    when = doc.document.ingested_at or doc.document.published
    return (doc.order is None, doc.order or 0, _utc_text(when), doc.document.id)


def _utc_text(moment: datetime | None) -> str:
    if moment is None:
        return "~"  # sorts after every ISO timestamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # naive counts as UTC, as in the embedded store
    return moment.astimezone(UTC).isoformat()


def _evidence_order(ev: Evidence) -> tuple[Any, ...]:
    return (
        ev.start,
        ev.end,
        ev.sentence,
        ev.extractor,
        ev.confidence,
        ev.hedged,
        str(ev.since),
        ev.trigger_start if ev.trigger_start is not None else -1,
        ev.trigger_end if ev.trigger_end is not None else -1,
    )


def _key_text(key: tuple[str, RelType, str]) -> str:
    return f"{key[0]} {key[1].value} {key[2]}"


def _errors(e: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(x) for x in err['loc']) or 'value'}: {err['msg']}" for err in e.errors())


# -- literal readers: a value of the expected kind, or None ---------------------------------------


def _literal(o: Node, types: frozenset[URIRef], py: type | tuple[type, ...]) -> Any:
    if not isinstance(o, Literal) or o.datatype not in types or o.ill_typed:
        return None
    value = o.toPython()
    return value if isinstance(value, py) else None


def _string(o: Node) -> str | None:
    if isinstance(o, Literal) and (o.datatype is None or o.datatype in _STRING_TYPES):
        return str(o)
    return None


def _url(o: Node) -> str | None:
    if isinstance(o, Literal) and o.datatype == XSD.anyURI:
        return str(o)
    return _string(o)


def _count(o: Node) -> int | None:
    value = _literal(o, _INTEGER_TYPES, int)
    return value if value is not None and value >= 0 else None


def _unit(o: Node) -> float | None:
    if not isinstance(o, Literal) or o.datatype not in _REAL_TYPES or o.ill_typed:
        return None
    try:
        value = float(o.toPython())
    except (TypeError, ValueError):
        return None
    return value if 0.0 <= value <= 1.0 else None


def _bool(o: Node) -> bool | None:
    value = _literal(o, frozenset({XSD.boolean}), bool)
    return value if isinstance(value, bool) else None


def _date(o: Node) -> date | None:
    value = _literal(o, frozenset({XSD.date}), date)
    return None if isinstance(value, datetime) else value


def _datetime(o: Node) -> datetime | None:
    value = _literal(o, frozenset({XSD.dateTime, XSD.dateTimeStamp}), datetime)
    return value if isinstance(value, datetime) else None


def _resource(o: Node) -> Node | None:
    return o if isinstance(o, URIRef | BNode) else None


def _node_class(o: Node) -> NodeType | None:
    return CLASS_NODE.get(o) if isinstance(o, URIRef) else None
