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

The writer holds one chunk of elements at a time: memory stays flat whatever the graph's size.
Relations must only name entities that are in the node stream (a store's iterators guarantee it).
A store's export (`export_store`) reads plain rows (`graph.export.rows`) and formats each element with
one f-string, escaping only the values that hold a character XML reserves: no model, dict or XML
object per element.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, BinaryIO, Literal

from graph.export.rows import (
    DocumentRow,
    EntityRow,
    EvidenceRow,
    MentionRow,
    RelationRow,
    document_row,
    entity_row,
    entity_rows,
    graph_rows,
    relation_row,
    relation_rows,
)
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
DocumentRowMentions = tuple[DocumentRow, list[tuple[str, int]]]
"""The same with the document as a row."""

LIST_KEYS = frozenset({("node", "aliases")})
"""Keys whose values are lists of strings (APOC's `attr.list`); `evidence` holds objects, so it stays text."""

_NODE_NAMES = frozenset(name for name, _ in (*NODE_KEYS, *DOCUMENT_KEYS))
EDGE_KEY_IDS: dict[str, str] = {
    name: f"edge_{name}" if name in _NODE_NAMES else name for name, _ in (*EDGE_KEYS, *MENTION_KEYS)
}
"""The XML id of each edge key; a node key's id is its name."""

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
_FLUSH_ELEMENTS = 128
"""Elements per chunk: about 64 KiB of relations with their evidence."""

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


_TEXT_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]").search
_ATTR_SPECIAL = re.compile('[&<>"\r\n\t\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]').search
"""Any character the escape changes: a value without one is written as it is (the common case)."""
_json_string = encode_basestring  # json.dumps(text, ensure_ascii=False), without the wrapper


def _text(value: str) -> str:
    return escape_text(value) if _TEXT_SPECIAL(value) else value


def _attr(value: str) -> str:
    return escape_attr(value) if _ATTR_SPECIAL(value) else value


def _cited(evidence: list[EvidenceRow]) -> str:
    """What `json.dumps([{doc_id, sentence, start, end}, ...], ensure_ascii=False)` prints, built
    directly from the rows."""
    return (
        "["
        + ", ".join(
            f'{{"doc_id": {_json_string(ev[0])}, "sentence": {_json_string(ev[1])},'
            f' "start": {ev[2]}, "end": {ev[3]}}}'
            for ev in evidence
        )
        + "]"
    )


def _opt(name: str, value: str | None) -> str:
    return "" if value is None else f'<data key="{name}">{_text(value)}</data>'


def entity_xml(row: EntityRow) -> str:
    """One `<node>` element for an entity row, newline-terminated."""
    eid, name, type_, aliases, country, count, first, last = row
    labels = f":{type_}:{ENTITY_LABEL}"
    return (
        f'<node id="{_attr(eid)}" labels="{labels}"><data key="labels">{labels}</data>'
        f'<data key="id">{_text(eid)}</data><data key="name">{_text(name)}</data>'
        f'<data key="type">{type_}</data>'
        f'<data key="aliases">{_text(json.dumps(aliases, ensure_ascii=False))}</data>'
        f'{_opt("country", country)}<data key="mention_count">{count}</data>'
        f"{_opt('first_seen', first)}{_opt('last_seen', last)}</node>\n"
    )


def relation_xml(row: RelationRow, edge_id: str) -> str:
    """One `<edge>` element for a relation row, newline-terminated."""
    source, type_, target, weight, confidence, first, last, since, hedged, evidence = row
    cited = _cited(evidence)
    return (
        f'<edge id="{edge_id}" source="{_attr(source)}" target="{_attr(target)}" label="{type_}">'
        f'<data key="label">{type_}</data><data key="weight">{weight}</data>'
        f'<data key="confidence">{float(confidence)!r}</data>'
        f'<data key="evidence_count">{len(evidence)}</data>'
        f"{_opt('edge_first_seen', first)}{_opt('edge_last_seen', last)}{_opt('since', since)}"
        f'<data key="hedged">{"true" if hedged else "false"}</data>'
        f'<data key="evidence">{_text(cited)}</data></edge>\n'
    )


def node_xml(entity: Entity) -> str:
    """One `<node>` element, newline-terminated."""
    return entity_xml(entity_row(entity))


def edge_xml(relation: Relation, edge_id: str) -> str:
    """One `<edge>` element, newline-terminated."""
    return relation_xml(relation_row(relation), escape_attr(edge_id))


def document_xml(doc: Document, mentions: list[tuple[str, int]], first_edge: int) -> str:
    """A Document node and its MENTIONS edges (ids `m<n>` from `first_edge`), newline-terminated."""
    return document_row_xml(document_row(doc), mentions, first_edge)


def document_row_xml(row: DocumentRow, mentions: list[tuple[str, int]], first_edge: int) -> str:
    """A Document node (from a document row) and its MENTIONS edges, newline-terminated."""
    doc_id, source, title, url, outlet, published, date_source, story, _, _, word_count, _, _ = row
    values: dict[str, object] = {
        "labels": DOCUMENT_LABELS,
        "id": doc_id,
        "source": source,
        "title": title,
        "url": url,
        "outlet": outlet,
        "published": published,
        "date_source": date_source,
        "story": story,
        "word_count": word_count,
    }
    node_id = f"document:{doc_id}"
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


def document_mentions(
    documents: Iterable[DocumentRow], mentions: Iterable[MentionRow]
) -> Iterator[DocumentRowMentions]:
    """Pair each document row with its mention rows (both streams in the store's document order)."""
    pending = iter(mentions)
    mention = next(pending, None)
    for doc in documents:
        named: list[tuple[str, int]] = []
        while mention is not None and mention[0] == doc[0]:
            named.append((mention[1], mention[6]))
            mention = next(pending, None)
        yield doc, named


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

    Give models (`Entity`, `Relation`, `DocumentMentions`) or, with `GraphMLStream.of_rows`, the plain
    rows of `graph.export.rows`, which skip the models altogether.

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
        self._entities: Iterable[EntityRow] = entity_rows(entities)
        self._relations: Iterable[RelationRow] = relation_rows(relations)
        self._documents: Iterable[DocumentRowMentions] | None = (
            None if documents is None else ((document_row(d), m) for d, m in documents)
        )
        self.nodes = 0
        self.edges = 0
        self.documents = 0
        self.mentions = 0

    @classmethod
    def of_rows(
        cls,
        entities: Iterable[EntityRow],
        relations: Iterable[RelationRow],
        documents: Iterable[DocumentRowMentions] | None = None,
    ) -> GraphMLStream:
        stream = cls([], [])
        stream._entities, stream._relations, stream._documents = entities, relations, documents
        return stream

    def __iter__(self) -> Iterator[bytes]:
        buffer = [_header(self._documents is not None)]
        for chunk in self._elements():
            buffer.append(chunk)
            if len(buffer) >= _FLUSH_ELEMENTS:
                yield "".join(buffer).encode("utf-8")
                buffer = []
        buffer.append(_FOOTER)
        yield "".join(buffer).encode("utf-8")

    def _elements(self) -> Iterator[str]:
        for entity in self._entities:
            self.nodes += 1
            yield entity_xml(entity)
        for relation in self._relations:
            yield relation_xml(relation, f"e{self.edges}")
            self.edges += 1
        for doc, mentions in self._documents or ():
            yield document_row_xml(doc, mentions, self.mentions)
            self.documents += 1
            self.mentions += len(mentions)


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
    return _write(GraphMLStream(entities, relations, documents), out)


def _write(stream: GraphMLStream, out: BinaryIO) -> tuple[int, int]:
    for chunk in stream:
        out.write(chunk)
    return stream.nodes, stream.edges


def export_store(store: GraphStore, out: BinaryIO, with_documents: bool = False) -> tuple[int, int]:
    """Write a store's whole graph (relations with their evidence, and its documents with their
    MENTIONS when asked) from one read of its rows; return (entity nodes, relation edges)."""
    with graph_rows(store) as rows:
        documents = document_mentions(rows.documents, rows.mentions) if with_documents else None
        return _write(GraphMLStream.of_rows(rows.entities, rows.relations, documents), out)
