"""The graph as plain tuples for the exporters: no pydantic model per entity, relation or evidence.

Exports touch every row of the store, so building an `Entity`, `Relation` and `Evidence` model for each
(with its validation) cost more than writing the file. `graph_rows(store)` gives the same content as the
store's `iter_entities`, `iter_relations(with_evidence=True)`, `iter_documents` and each document's
`document_batch` mentions, in the same order, as tuples whose dates are already the ISO text the models
would print:

- the embedded store is read straight from its SQLite file, over one read-only connection and one
  snapshot, four cursors streaming side by side (memory does not grow with the graph);
- any other store (or an embedded store whose iterators a subclass overrides) goes through its public
  iterators, and the models are flattened on the way.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graph.errors import StoreUnavailable
from graph.model import Document, Entity, Evidence, Relation

if TYPE_CHECKING:
    from graph.store import GraphStore

EntityRow = tuple[str, str, str, list[str], str | None, int, str | None, str | None]
"""id, name, type, aliases, country, mention_count, first_seen, last_seen (ISO text or None)."""
EvidenceRow = tuple[str, str, int, int, str, float, bool, str | None, int | None, int | None]
"""doc_id, sentence, start, end, extractor, confidence, hedged, since, trigger_start, trigger_end."""
RelationRow = tuple[str, str, str, int, float, str | None, str | None, str | None, bool, list[EvidenceRow]]
"""source, type, target, weight, confidence, first_seen, last_seen, since, hedged, evidence."""
DocumentRow = tuple[
    str,
    str,
    str | None,
    str | None,
    str | None,
    str | None,
    str | None,
    str | None,
    str | None,
    str | None,
    int,
    list[str],
    str | None,
]
"""id, source, title, url, outlet, published, date_source, story, fingerprint, ingested_at,
word_count, mentioned entity ids, the article's text as read (None when the store has none)."""
MentionRow = tuple[str, str, str, str, str | None, list[str], int]
"""doc_id, entity_id, name, type, country, aliases, count: an entity as one document's batch has it."""


def instant_text(key: str | None) -> str | None:
    """The ISO text of the UTC datetime behind a stored instant key (what `isoformat()` prints).

    >>> instant_text("2025-01-02T03:04:05.000000"), instant_text("2025-01-02T03:04:05.250000")
    ('2025-01-02T03:04:05+00:00', '2025-01-02T03:04:05.250000+00:00')
    """
    if key is None:
        return None
    return (key[:19] if key.endswith(".000000") else key) + "+00:00"


def _iso(value: Any) -> str | None:
    return None if value is None else str(value.isoformat())


def _nothing_to_close() -> None:
    pass


@dataclass
class GraphRows:
    """The four streams of one export; each may be iterated once. Use it in a `with` block (or call
    `close`) so the reader's connection closes even when a stream is left unread."""

    entities: Iterable[EntityRow]
    relations: Iterable[RelationRow]
    documents: Iterable[DocumentRow]
    mentions: Iterable[MentionRow]
    close: Callable[[], None] = _nothing_to_close

    def __enter__(self) -> GraphRows:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def graph_rows(store: GraphStore) -> GraphRows:
    """The store's whole graph as row streams (see the module's docstring)."""
    from graph.stores.embedded import EmbeddedStore

    stock = all(
        getattr(type(store), name) is getattr(EmbeddedStore, name)
        for name in ("iter_entities", "iter_relations", "iter_documents", "document_batch")
    )
    if isinstance(store, EmbeddedStore) and stock:
        store.ping()  # a closed or broken store says so, as its iterators would
        return _SqliteRows(store.db_path).streams()
    return GraphRows(
        entity_rows(store.iter_entities()),
        relation_rows(store.iter_relations(with_evidence=True)),
        document_rows(store.iter_documents(), store.document_text),
        _model_mentions(store),
    )


# -- from models -----------------------------------------------------------------------------------


def entity_row(e: Entity) -> EntityRow:
    return (
        e.id,
        e.name,
        e.type.value,
        e.aliases,
        e.country,
        e.mention_count,
        _iso(e.first_seen),
        _iso(e.last_seen),
    )


def evidence_row(ev: Evidence) -> EvidenceRow:
    return (
        ev.doc_id,
        ev.sentence,
        ev.start,
        ev.end,
        ev.extractor,
        ev.confidence,
        ev.hedged,
        _iso(ev.since),
        ev.trigger_start,
        ev.trigger_end,
    )


def relation_row(r: Relation) -> RelationRow:
    return (
        r.source,
        r.type.value,
        r.target,
        r.weight,
        r.confidence,
        _iso(r.first_seen),
        _iso(r.last_seen),
        _iso(r.since),
        r.hedged,
        [evidence_row(ev) for ev in r.evidence],
    )


def document_row(d: Document, text: str | None = None) -> DocumentRow:
    return (
        d.id,
        d.source,
        d.title,
        d.url,
        d.outlet,
        _iso(d.published),
        d.date_source,
        d.story,
        d.fingerprint,
        _iso(d.ingested_at),
        d.word_count,
        d.mentions,
        text,
    )


def mention_row(doc_id: str, e: Entity) -> MentionRow:
    return doc_id, e.id, e.name, e.type.value, e.country, e.aliases, e.mention_count


def entity_rows(entities: Iterable[Entity]) -> Iterator[EntityRow]:
    return map(entity_row, entities)


def relation_rows(relations: Iterable[Relation]) -> Iterator[RelationRow]:
    return map(relation_row, relations)


def document_rows(
    documents: Iterable[Document], text_of: Callable[[str], str | None] | None = None
) -> Iterator[DocumentRow]:
    """Rows of documents; `text_of` (say `GraphStore.document_text`) gives each one's text."""
    for d in documents:
        yield document_row(d, text_of(d.id) if text_of is not None else None)


def _model_mentions(store: GraphStore) -> Iterator[MentionRow]:
    for doc in store.iter_documents():
        for entity in store.document_batch(doc.id).entities:
            yield mention_row(doc.id, entity)


# -- straight from the embedded store's file -------------------------------------------------------

_ENTITIES = (
    "SELECT id, name, type, aliases, country, mention_count, first_key, last_key FROM entities ORDER BY id"
)
_RELATIONS = (
    "SELECT id, source, type, target, weight, confidence, first_key, last_key, since, hedged"
    " FROM relations ORDER BY id"
)
_EVIDENCE = (
    "SELECT ev.rel, d.id, ev.sentence, ev.start_offset, ev.end_offset, ev.extractor, ev.confidence,"
    " ev.hedged, ev.since, ev.trigger_start, ev.trigger_end"
    " FROM evidence ev JOIN documents d ON d.seq = ev.doc ORDER BY ev.rel, ev.doc, ev.start_offset"
)
_DOCUMENTS = (
    "SELECT d.seq, d.id, d.source, d.title, d.url, d.outlet, d.published, d.date_source, d.story,"
    " d.fingerprint, d.ingested_at, d.word_count, t.text"
    " FROM documents d LEFT JOIN document_texts t ON t.doc = d.seq ORDER BY d.seq"
)
_DOCUMENT_MENTIONS = "SELECT doc, entity_id FROM mentions ORDER BY doc, entity_id"
_MENTIONS = (
    "SELECT d.id, m.entity_id, m.name, m.type, m.country, m.aliases, m.count"
    " FROM mentions m JOIN documents d ON d.seq = m.doc ORDER BY m.doc, m.entity_id"
)


class _SqliteRows:
    """Reads one snapshot of an embedded store's database."""

    def __init__(self, db_path: Any) -> None:
        try:
            self._conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, check_same_thread=False)
            self._conn.execute("BEGIN")  # one snapshot for all four streams
        except sqlite3.Error as e:
            raise StoreUnavailable(f"embedded store: {e}") from e

    def streams(self) -> GraphRows:
        return GraphRows(
            self._entities(), self._relations(), self._documents(), self._mentions(), self._conn.close
        )

    def _entities(self) -> Iterator[EntityRow]:
        loads = json.loads
        for eid, name, type_, aliases, country, count, first, last in self._conn.execute(_ENTITIES):
            yield eid, name, type_, loads(aliases), country, count, instant_text(first), instant_text(last)

    def _relations(self) -> Iterator[RelationRow]:
        evidence = self._conn.execute(_EVIDENCE)
        pending = next(evidence, None)
        for rid, source, type_, target, weight, conf, first, last, since, hedged in self._conn.execute(
            _RELATIONS
        ):
            found: list[EvidenceRow] = []
            while pending is not None and pending[0] <= rid:
                if pending[0] == rid:
                    _, doc, sentence, start, end, extractor, ev_conf, ev_hedged, ev_since, t0, t1 = pending
                    found.append(
                        (
                            doc,
                            sentence,
                            start,
                            end,
                            extractor,
                            ev_conf,
                            bool(ev_hedged),
                            ev_since or None,
                            t0,
                            t1,
                        )
                    )
                pending = next(evidence, None)
            yield (
                source,
                type_,
                target,
                weight,
                conf,
                instant_text(first),
                instant_text(last),
                since or None,
                bool(hedged),
                found,
            )

    def _documents(self) -> Iterator[DocumentRow]:
        mentions = self._conn.execute(_DOCUMENT_MENTIONS)
        pending = next(mentions, None)
        for seq, doc_id, *fields, word_count, text in self._conn.execute(_DOCUMENTS):
            ids: list[str] = []
            while pending is not None and pending[0] <= seq:
                if pending[0] == seq:
                    ids.append(pending[1])
                pending = next(mentions, None)
            source, title, url, outlet, published, date_source, story, fingerprint, ingested_at = fields
            story = story if story != doc_id else None
            yield (
                doc_id,
                source,
                title,
                url,
                outlet,
                published,
                date_source,
                story,
                fingerprint,
                ingested_at,
                word_count,
                ids,
                text,
            )

    def _mentions(self) -> Iterator[MentionRow]:
        loads = json.loads
        for doc_id, entity_id, name, type_, country, aliases, count in self._conn.execute(_MENTIONS):
            yield doc_id, entity_id, name, type_, country, loads(aliases), count
