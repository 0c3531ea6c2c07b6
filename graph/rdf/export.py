"""Write the graph as RDF: Turtle, N-Triples, N-Quads or JSON-LD, following `ontology.ttl`.

Every relation is a direct triple (`<microsoft> aigeo:backs <openai>`) that plain SPARQL can match, plus
an `aigeo:Relation` (an `rdf:Statement`) describing that triple: weight, confidence, first and last
seen, since, hedged, and one `aigeo:Evidence` per supporting sentence. Each document also lists what it
said about every entity it mentions (`aigeo:Mention`: count, names, type, country), which is what lets
`graph.rdf.importer` rebuild the stored batches exactly.

Every format is streamed as the store yields its rows, so memory stays flat whatever the size of the
graph, and a writer that is told to stop (a client gone) stops at its next write. N-Triples and
N-Quads are written as text straight from plain rows (`graph.rdf.lines`, `graph.export.rows`), a few
thousand statements per write, byte for byte what pyoxigraph's serialiser writes for those triples;
Turtle is those lines, chunk by chunk, through pyoxigraph's parser and Turtle serialiser (which groups
each subject's consecutive triples). JSON-LD still goes through rdflib terms (`rdf_triples`, which is also
the readable definition the fast path is tested against) and `graph.rdf.stream`.

N-Quads puts every triple in the default graph: the same statements as N-Triples, for tools that load
datasets.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from typing import BinaryIO, Literal, NamedTuple, TypeVar, get_args

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, URIRef
from rdflib import Literal as Lit
from rdflib.term import Node

from graph.export.rows import (
    GraphRows,
    document_rows,
    entity_rows,
    graph_rows,
    mention_row,
    relation_rows,
)
from graph.model import Document, Entity, Evidence, Relation, Subgraph
from graph.rdf.lines import NTriplesLines
from graph.rdf.stream import write_jsonld
from graph.rdf.uris import UriScheme
from graph.rdf.vocab import AIGEO, NODE_CLASS, PREFIXES, REL_PROPERTY
from graph.store import GraphStore

RdfFormat = Literal["turtle", "nt", "nq", "jsonld"]
FORMATS: tuple[str, ...] = get_args(RdfFormat)

T = TypeVar("T")
Triple = tuple[Node, Node, Node]
MentionRecord = tuple[str, Entity]
"""(document id, the entity as that document's batch carries it: its count, names, type, country)."""


class RdfCounts(NamedTuple):
    """What an export wrote."""

    entities: int
    relations: int
    documents: int
    triples: int


class _Counted(Iterator[T]):
    """Counts items as a stream passes through, so exports can report without holding the stream."""

    def __init__(self, items: Iterable[T]) -> None:
        self._items = iter(items)
        self.n = 0

    def __next__(self) -> T:
        item = next(self._items)
        self.n += 1
        return item


def write_rdf(
    entities: Iterable[Entity],
    relations: Iterable[Relation],
    documents: Iterable[Document],
    out: BinaryIO,
    fmt: RdfFormat,
    base: str,
    mentions: Iterable[MentionRecord] = (),
    text_of: Callable[[str], str | None] | None = None,
) -> RdfCounts:
    """Serialise entities, relations (with their evidence) and documents to `out`; say how many.

    Give `documents` in the order the store received them (`GraphStore.iter_documents` does): the
    order is exported, and an import replays it. Pass `mentions` (the entities of each document's
    `GraphStore.document_batch`) for an export that `import_rdf` turns back into the same graph;
    `export_store` does. Pass `text_of` (`GraphStore.document_text`) to write each document's text,
    which lets an import check the document's id and its evidence offsets.

    >>> import io
    >>> from graph.schema import NodeType
    >>> buf = io.BytesIO()
    >>> openai = Entity(id="company:openai", name="OpenAI", type=NodeType.COMPANY, mention_count=2)
    >>> write_rdf([openai], [], [], buf, "nt", "https://aigeo.dev/id/")
    RdfCounts(entities=1, relations=0, documents=0, triples=6)
    >>> print(buf.getvalue().decode().splitlines()[3])
    <https://aigeo.dev/id/company/openai> <https://aigeo.dev/ontology#name> "OpenAI" .
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown RDF format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "jsonld":
        ents, rels, docs = _Counted(entities), _Counted(relations), _Counted(documents)
        n = write_jsonld(rdf_triples(ents, rels, docs, UriScheme(base), mentions, text_of), out, PREFIXES)
        return RdfCounts(ents.n, rels.n, docs.n, n)
    rows = GraphRows(
        entity_rows(entities),
        relation_rows(relations),
        document_rows(documents, text_of),
        (mention_row(doc_id, entity) for doc_id, entity in mentions),
    )
    return write_rows(rows, out, fmt, base)


CHUNK_STATEMENTS = 4096
"""Statements per write (the first record's go out alone, at once)."""


def write_rows(rows: GraphRows, out: BinaryIO, fmt: RdfFormat, base: str) -> RdfCounts:
    """Write row streams as N-Triples, N-Quads (the same lines: all in the default graph) or Turtle
    (those lines, chunk by chunk, through pyoxigraph's parser and Turtle serialiser); say how many."""
    make = NTriplesLines(base)
    counts = [0, 0, 0]
    n = 0
    first = True
    for chunk, k in _chunks(_records(rows, make, counts)):
        out.write(_turtle(chunk, first) if fmt == "turtle" else chunk.encode())
        n += k
        first = False
    return RdfCounts(counts[0], counts[1], counts[2], n)


def _records(rows: GraphRows, make: NTriplesLines, counts: list[int]) -> Iterator[tuple[str, int]]:
    """Each record's lines, in `rdf_triples`' order of records; counts entities, relations, documents."""
    for entity in rows.entities:
        counts[0] += 1
        yield make.entity(entity)
    for order, doc in enumerate(rows.documents, start=1):
        counts[2] += 1
        yield make.document(doc, order)
    for mention in rows.mentions:
        yield make.mention(mention)
    for relation in rows.relations:
        counts[1] += 1
        yield make.relation(relation)


def _chunks(records: Iterable[tuple[str, int]]) -> Iterator[tuple[str, int]]:
    """Whole records gathered into chunks of about `CHUNK_STATEMENTS` lines; the first record alone."""
    batch: list[str] = []
    n = 0
    for i, (lines, k) in enumerate(records):
        batch.append(lines)
        n += k
        if i == 0 or n >= CHUNK_STATEMENTS:
            yield "".join(batch), n
            batch, n = [], 0
    if batch:
        yield "".join(batch), n


def _turtle(ntriples: str, first: bool) -> bytes:
    triples = ox.parse(ntriples.encode(), format=ox.RdfFormat.N_TRIPLES)
    data = ox.serialize(triples, None, ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b""
    if not first:
        # Each chunk is a whole Turtle document; the prefixes are declared once, at the top.
        while data.startswith(b"@prefix "):
            data = data[data.index(b"\n") + 1 :]
    return data


def export_store(store: GraphStore, out: BinaryIO, fmt: RdfFormat, base: str) -> RdfCounts:
    """Export the whole graph held by `store`.

    Documents are read one batch at a time (`document_batch`), so with `fmt="nt"` memory does not grow
    with the graph.

    >>> import io, tempfile
    >>> from graph.stores import open_store
    >>> store = open_store(tempfile.mkdtemp())
    >>> export_store(store, io.BytesIO(), "turtle", "https://aigeo.dev/id/")
    RdfCounts(entities=0, relations=0, documents=0, triples=0)
    >>> store.close()
    """

    if fmt == "jsonld":
        # Two passes over the documents (records, then mentions) keep the output streamed.
        mentions = (
            (doc.id, entity)
            for doc in store.iter_documents()
            for entity in store.document_batch(doc.id).entities
        )
        return write_rdf(
            store.iter_entities(),
            store.iter_relations(with_evidence=True),
            store.iter_documents(),
            out,
            fmt,
            base,
            mentions=mentions,
            text_of=store.document_text,
        )
    with graph_rows(store) as rows:
        return write_rows(rows, out, fmt, base)


def export_subgraph(
    store: GraphStore, subgraph: Subgraph, out: BinaryIO, fmt: RdfFormat, base: str
) -> RdfCounts:
    """Export a neighbourhood or path result with the documents its evidence cites.

    Each document is trimmed to the subgraph: it lists (and carries mentions for) only the subgraph's
    entities, so importing the result gives counts and aliases from those documents alone, and an
    entity no exported document mentions is left out of such an import (its report says which).
    Documents keep the store's order, which takes one pass over the store's document records.
    """
    node_ids = {e.id for e in subgraph.nodes}
    cited = {ev.doc_id for rel in subgraph.edges for ev in rel.evidence}
    documents: list[Document] = []
    mentions: list[MentionRecord] = []
    for doc in store.iter_documents():
        if doc.id not in cited:
            continue
        kept = [e for e in store.document_batch(doc.id).entities if e.id in node_ids]
        documents.append(doc.model_copy(update={"mentions": sorted(e.id for e in kept)}))
        mentions.extend((doc.id, e) for e in kept)
    text_of = store.document_text
    return write_rdf(subgraph.nodes, subgraph.edges, documents, out, fmt, base, mentions, text_of)


def rdf_triples(
    entities: Iterable[Entity],
    relations: Iterable[Relation],
    documents: Iterable[Document],
    uris: UriScheme,
    mentions: Iterable[MentionRecord] = (),
    text_of: Callable[[str], str | None] | None = None,
) -> Iterator[Triple]:
    """All triples of an export, lazily: entities, then documents and mentions, then relations."""
    for entity in entities:
        yield from entity_triples(entity, uris)
    for order, doc in enumerate(documents, start=1):
        yield from document_triples(doc, uris, order, text_of(doc.id) if text_of is not None else None)
    for doc_id, entity in mentions:
        yield from mention_triples(doc_id, entity, uris)
    for relation in relations:
        yield from relation_triples(relation, uris)


def entity_triples(entity: Entity, uris: UriScheme) -> Iterator[Triple]:
    s = uris.entity(entity.id)
    yield s, RDF.type, AIGEO.Entity
    yield s, RDF.type, NODE_CLASS[entity.type]
    yield s, AIGEO.id, Lit(entity.id)
    yield s, AIGEO.name, Lit(entity.name)
    # Redundant with aigeo:name (a subproperty of it), but every RDF browser displays rdfs:label.
    yield s, RDFS.label, Lit(entity.name)
    for alias in entity.aliases:
        yield s, AIGEO.alias, Lit(alias)
    if entity.country is not None:
        yield s, AIGEO.country, Lit(entity.country)
    yield s, AIGEO.mentionCount, Lit(entity.mention_count)
    yield from _optional(s, AIGEO.firstSeen, entity.first_seen)
    yield from _optional(s, AIGEO.lastSeen, entity.last_seen)


def document_triples(doc: Document, uris: UriScheme, order: int, text: str | None = None) -> Iterator[Triple]:
    """A document's record; `order` is its position in the order the store received the documents,
    `text` its article's text as read (written when known)."""
    s = uris.document(doc.id)
    yield s, RDF.type, AIGEO.Document
    yield s, AIGEO.id, Lit(doc.id)
    yield s, AIGEO.source, Lit(doc.source)
    yield from _optional(s, AIGEO.title, doc.title)
    if doc.url is not None:
        yield s, AIGEO.url, Lit(doc.url, datatype=XSD.anyURI)
    yield from _optional(s, AIGEO.outlet, doc.outlet)
    yield from _optional(s, AIGEO.published, doc.published)
    yield from _optional(s, AIGEO.dateSource, doc.date_source)
    yield from _optional(s, AIGEO.story, doc.story)
    yield from _optional(s, AIGEO.fingerprint, doc.fingerprint)
    yield from _optional(s, AIGEO.ingestedAt, doc.ingested_at)
    yield s, AIGEO.wordCount, Lit(doc.word_count)
    yield from _optional(s, AIGEO.text, text)
    yield s, AIGEO.ingestOrder, Lit(order, datatype=XSD.positiveInteger)
    for entity_id in doc.mentions:
        yield s, AIGEO.mentions, uris.entity(entity_id)


def mention_triples(doc_id: str, entity: Entity, uris: UriScheme) -> Iterator[Triple]:
    s = uris.mention(doc_id, entity.id)
    yield s, RDF.type, AIGEO.Mention
    yield s, AIGEO.document, uris.document(doc_id)
    yield s, AIGEO.entity, uris.entity(entity.id)
    yield s, AIGEO.name, Lit(entity.name)
    yield s, AIGEO.entityType, NODE_CLASS[entity.type]
    for alias in entity.aliases:
        yield s, AIGEO.alias, Lit(alias)
    if entity.country is not None:
        yield s, AIGEO.country, Lit(entity.country)
    yield s, AIGEO.mentionCount, Lit(entity.mention_count)


def relation_triples(relation: Relation, uris: UriScheme) -> Iterator[Triple]:
    subject, obj = uris.entity(relation.source), uris.entity(relation.target)
    predicate = REL_PROPERTY[relation.type]
    yield subject, predicate, obj
    s = uris.relation(relation.key)
    yield s, RDF.type, RDF.Statement
    yield s, RDF.type, AIGEO.Relation
    yield s, RDF.subject, subject
    yield s, RDF.predicate, predicate
    yield s, RDF.object, obj
    yield s, AIGEO.weight, Lit(relation.weight)
    yield s, AIGEO.confidence, Lit(float(relation.confidence))
    yield s, AIGEO.hedged, Lit(relation.hedged)
    yield from _optional(s, AIGEO.since, relation.since)
    yield from _optional(s, AIGEO.firstSeen, relation.first_seen)
    yield from _optional(s, AIGEO.lastSeen, relation.last_seen)
    seen: Counter[URIRef] = Counter()
    for evidence in relation.evidence:
        first = uris.evidence(relation.key, evidence)
        seen[first] += 1
        ev = first if seen[first] == 1 else uris.evidence(relation.key, evidence, seen[first])
        yield s, AIGEO.evidence, ev
        yield from evidence_triples(ev, evidence, uris)


def evidence_triples(ev: URIRef, evidence: Evidence, uris: UriScheme) -> Iterator[Triple]:
    yield ev, RDF.type, AIGEO.Evidence
    yield ev, AIGEO.document, uris.document(evidence.doc_id)
    yield ev, AIGEO.sentence, Lit(evidence.sentence)
    yield ev, AIGEO.start, Lit(evidence.start)
    yield ev, AIGEO.end, Lit(evidence.end)
    yield from _optional(ev, AIGEO.triggerStart, evidence.trigger_start)
    yield from _optional(ev, AIGEO.triggerEnd, evidence.trigger_end)
    yield ev, AIGEO.extractor, Lit(evidence.extractor)
    yield ev, AIGEO.confidence, Lit(float(evidence.confidence))
    yield ev, AIGEO.hedged, Lit(evidence.hedged)
    yield from _optional(ev, AIGEO.since, evidence.since)


def _optional(s: URIRef, p: URIRef, value: int | str | date | datetime | None) -> Iterator[Triple]:
    if value is not None:
        yield s, p, Lit(value)
