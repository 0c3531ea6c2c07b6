"""GraphML that Neo4j APOC, networkx, igraph, Gephi and yEd all read, written as a stream.

The layout follows what `apoc.import.graphml(..., {readLabels: true})` expects:

- `<graph id="G" edgedefault="directed">`;
- every node carries the XML attribute `labels=":Company:Entity"` (the type label and the common one)
  and the same text under the data key `labels`;
- every edge carries the XML attribute `label="BACKS"` and the data key `label`;
- key ids are the attribute names themselves (not `d0`, `d1`...), except that an edge key whose name a
  node key has too (`first_seen`, `last_seen`) gets the id `edge_<name>`: GraphML wants key ids unique
  in the document, and APOC, networkx and igraph all take the property name from `attr.name`.
  APOC's `labels`, `label` and `attr.list` attributes are the only additions to the official schema
  (tests/graph/test_graphml_schema.py validates against it).

- a list property (`aliases`) is a JSON array under a key with `attr.list="string"`, as APOC's own
  export writes it: `apoc.import.graphml` then stores a list, so `$name IN e.aliases` works in Neo4j.
  Readers that do not know `attr.list` (networkx, igraph) see the JSON text.

- with documents (`documents=`), each article is a node labelled `:Document` (id `document:<id>`) and
  each entity it names gets a `MENTIONS` edge from it with the `count`, written after the relations.

Nodes: id, name, type, aliases (a JSON list), country, mention_count, first_seen, last_seen.
Edges: weight, confidence, evidence_count, first_seen, last_seen, since, hedged, evidence (a JSON list
of {doc_id, sentence, start, end}). Absent values are left out, never written as empty strings.

The writer holds one node or edge at a time: memory stays flat whatever the graph's size. Relations
must only name entities that are in the node stream (a store's iterators guarantee it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, BinaryIO, Literal

from graph.model import Document, Entity, Relation
from graph.schema import ENTITY_LABEL

if TYPE_CHECKING:
    from graph.store import GraphStore

KeyType = Literal["string", "int", "double", "boolean"]

NODE_KEYS: tuple[tuple[str, KeyType], ...] = (
    ("labels", "string"),
    ("id", "string"),
    ("name", "string"),
    ("type", "string"),
    ("aliases", "string"),
    ("country", "string"),
    ("mention_count", "int"),
    ("first_seen", "string"),
    ("last_seen", "string"),
)
EDGE_KEYS: tuple[tuple[str, KeyType], ...] = (
    ("label", "string"),
    ("weight", "int"),
    ("confidence", "double"),
    ("evidence_count", "int"),
    ("first_seen", "string"),
    ("last_seen", "string"),
    ("since", "string"),
    ("hedged", "boolean"),
    ("evidence", "string"),
)

DOCUMENT_KEYS: tuple[tuple[str, KeyType], ...] = (
    ("source", "string"),
    ("title", "string"),
    ("url", "string"),
    ("outlet", "string"),
    ("published", "string"),
    ("date_source", "string"),
    ("story", "string"),
    ("word_count", "int"),
)
"""Node keys of Document nodes (besides `labels` and `id`), declared only when documents are written."""
MENTION_KEYS: tuple[tuple[str, KeyType], ...] = (("count", "int"),)
DOCUMENT_LABELS = ":Document"
MENTIONS = "MENTIONS"

DocumentMentions = tuple[Document, list[tuple[str, int]]]
"""A document and (entity id, mention count) for each entity it names."""

LIST_KEYS = frozenset({("node", "aliases")})
"""Keys whose values are lists of strings (APOC's `attr.list`); `evidence` holds objects, so it stays text."""

_NODE_NAMES = frozenset(name for name, _ in (*NODE_KEYS, *DOCUMENT_KEYS))
EDGE_KEY_IDS: dict[str, str] = {
    name: f"edge_{name}" if name in _NODE_NAMES else name for name, _ in (*EDGE_KEYS, *MENTION_KEYS)
}
"""The XML id of each edge key; a node key's id is its name."""

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
_FLUSH_CHARS = 64 * 1024

# Characters XML 1.0 cannot carry at all, even escaped; they become U+FFFD.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
# In attributes a parser turns raw tabs and newlines into spaces, so they travel as references.
_ATTR_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#9;"}
)


def escape_text(value: str) -> str:
    """Escape element content.

    >>> escape_text("R&D <AI>\\x07")
    'R&amp;D &lt;AI&gt;\\ufffd'
    """
    return _NOT_XML.sub("\ufffd", value).translate(_TEXT_ESCAPES)


def escape_attr(value: str) -> str:
    """Escape a double-quoted attribute value.

    >>> escape_attr('say "hi"\\n')
    'say &quot;hi&quot;&#10;'
    """
    return _NOT_XML.sub("\ufffd", value).translate(_ATTR_ESCAPES)


def node_labels(entity: Entity) -> str:
    """APOC's label string: `:Company:Entity`."""
    return f":{entity.type.value}:{ENTITY_LABEL}"


def _value(value: object, kind: KeyType) -> str:
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "double":
        return repr(float(value))  # type: ignore[arg-type]
    if kind == "int":
        return str(int(value))  # type: ignore[call-overload]
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _data(values: dict[str, object], keys: tuple[tuple[str, KeyType], ...], edge: bool = False) -> str:
    return "".join(
        f'<data key="{EDGE_KEY_IDS[name] if edge else name}">{escape_text(_value(values[name], kind))}</data>'
        for name, kind in keys
        if values.get(name) is not None
    )


def node_xml(entity: Entity) -> str:
    """One `<node>` element, newline-terminated."""
    labels = node_labels(entity)
    values: dict[str, object] = {
        "labels": labels,
        "id": entity.id,
        "name": entity.name,
        "type": entity.type.value,
        "aliases": json.dumps(entity.aliases, ensure_ascii=False),
        "country": entity.country,
        "mention_count": entity.mention_count,
        "first_seen": entity.first_seen,
        "last_seen": entity.last_seen,
    }
    head = f'<node id="{escape_attr(entity.id)}" labels="{escape_attr(labels)}">'
    return f"{head}{_data(values, NODE_KEYS)}</node>\n"


def edge_xml(relation: Relation, edge_id: str) -> str:
    """One `<edge>` element, newline-terminated."""
    evidence = [
        {"doc_id": ev.doc_id, "sentence": ev.sentence, "start": ev.start, "end": ev.end}
        for ev in relation.evidence
    ]
    values: dict[str, object] = {
        "label": relation.type.value,
        "weight": relation.weight,
        "confidence": relation.confidence,
        "evidence_count": len(relation.evidence),
        "first_seen": relation.first_seen,
        "last_seen": relation.last_seen,
        "since": relation.since,
        "hedged": relation.hedged,
        "evidence": json.dumps(evidence, ensure_ascii=False),
    }
    return (
        f'<edge id="{escape_attr(edge_id)}" source="{escape_attr(relation.source)}"'
        f' target="{escape_attr(relation.target)}" label="{relation.type.value}">'
        f"{_data(values, EDGE_KEYS, edge=True)}</edge>\n"
    )


def document_xml(doc: Document, mentions: list[tuple[str, int]], first_edge: int) -> str:
    """A Document node and its MENTIONS edges (ids `m<n>` from `first_edge`), newline-terminated."""
    node_id = f"document:{doc.id}"
    values: dict[str, object] = {
        "labels": DOCUMENT_LABELS,
        "id": doc.id,
        **doc.model_dump(include={k for k, _ in DOCUMENT_KEYS}),
    }
    parts = [
        f'<node id="{escape_attr(node_id)}" labels="{DOCUMENT_LABELS}">'
        f"{_data(values, (('labels', 'string'), ('id', 'string'), *DOCUMENT_KEYS))}</node>\n"
    ]
    for i, (entity_id, count) in enumerate(mentions, first_edge):
        parts.append(
            f'<edge id="m{i}" source="{escape_attr(node_id)}" target="{escape_attr(entity_id)}"'
            f' label="{MENTIONS}"><data key="label">{MENTIONS}</data>'
            f"{_data({'count': count}, MENTION_KEYS, edge=True)}</edge>\n"
        )
    return "".join(parts)


def store_documents(store: GraphStore) -> Iterator[DocumentMentions]:
    """Every document of a store with the entities it mentions and how often (one batch at a time)."""
    for doc in store.iter_documents():
        batch = store.document_batch(doc.id)
        yield doc, [(e.id, e.mention_count) for e in batch.entities]


def _header(with_documents: bool = False) -> str:
    tables = [("node", NODE_KEYS), ("edge", EDGE_KEYS)]
    if with_documents:
        tables += [("node", DOCUMENT_KEYS), ("edge", MENTION_KEYS)]
    keys = [
        f'<key id="{EDGE_KEY_IDS[name] if domain == "edge" else name}" for="{domain}"'
        f' attr.name="{name}" attr.type="{kind}"'
        + (f' attr.list="{kind}"' if (domain, name) in LIST_KEYS else "")
        + "/>\n"
        for domain, table in tables
        for name, kind in table
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<graphml xmlns="{GRAPHML_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns'
        ' http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
        + "".join(keys)
        + '<graph id="G" edgedefault="directed">\n'
    )


_FOOTER = "</graph>\n</graphml>\n"


class GraphMLStream:
    """GraphML as an iterator of UTF-8 chunks (for streamed HTTP responses); counts when exhausted.

    >>> stream = GraphMLStream([], [])
    >>> b'edgedefault="directed"' in b"".join(stream)
    True
    >>> (stream.nodes, stream.edges)
    (0, 0)
    """

    def __init__(
        self,
        entities: Iterable[Entity],
        relations: Iterable[Relation],
        documents: Iterable[DocumentMentions] | None = None,
    ) -> None:
        self._entities = entities
        self._relations = relations
        self._documents = documents
        self.nodes = 0
        self.edges = 0
        self.documents = 0
        self.mentions = 0

    def __iter__(self) -> Iterator[bytes]:
        buffer = [_header(self._documents is not None)]
        size = 0
        for entity in self._entities:
            chunk = node_xml(entity)
            buffer.append(chunk)
            size += len(chunk)
            self.nodes += 1
            if size >= _FLUSH_CHARS:
                yield "".join(buffer).encode("utf-8")
                buffer, size = [], 0
        for relation in self._relations:
            chunk = edge_xml(relation, f"e{self.edges}")
            buffer.append(chunk)
            size += len(chunk)
            self.edges += 1
            if size >= _FLUSH_CHARS:
                yield "".join(buffer).encode("utf-8")
                buffer, size = [], 0
        for doc, mentions in self._documents or ():
            chunk = document_xml(doc, mentions, self.mentions)
            buffer.append(chunk)
            size += len(chunk)
            self.documents += 1
            self.mentions += len(mentions)
            if size >= _FLUSH_CHARS:
                yield "".join(buffer).encode("utf-8")
                buffer, size = [], 0
        buffer.append(_FOOTER)
        yield "".join(buffer).encode("utf-8")


def write_graphml(
    entities: Iterable[Entity],
    relations: Iterable[Relation],
    out: BinaryIO,
    documents: Iterable[DocumentMentions] | None = None,
) -> tuple[int, int]:
    """Write the graph to a binary stream; return (nodes, edges) written.

    Each iterable is consumed once, item by item.

    >>> import io
    >>> from graph.schema import NodeType
    >>> buf = io.BytesIO()
    >>> write_graphml([Entity(id="company:openai", name="OpenAI", type=NodeType.COMPANY)], [], buf)
    (1, 0)
    >>> b'labels=":Company:Entity"' in buf.getvalue()
    True
    """
    stream = GraphMLStream(entities, relations, documents)
    for chunk in stream:
        out.write(chunk)
    return stream.nodes, stream.edges


def export_store(store: GraphStore, out: BinaryIO, with_documents: bool = False) -> tuple[int, int]:
    """Write a store's whole graph (relations with their evidence, and its documents with their
    MENTIONS when asked); return (entity nodes, relation edges)."""
    documents = store_documents(store) if with_documents else None
    return write_graphml(store.iter_entities(), store.iter_relations(with_evidence=True), out, documents)
