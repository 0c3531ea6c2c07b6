"""The embedded store: SQLite in a data directory, traversals in memory.

Zero set-up and durable: one SQLite file in WAL mode (readers never wait for an ingest), one
transaction per batch (an interrupted ingest leaves the old state or the new one), idempotent by
document id. The schema and the aggregate rules live in `graph.stores.embedded_sql`; traversal
semantics in `graph.traversal`. Every write bumps a generation counter and logs what it touched;
traversals and name searches run on in-memory state for their snapshot's generation, moved on by
those deltas (`graph.stores.live`), so writes from another process are seen too and nothing is rebuilt
after a write. Until that state exists (a store just opened, or `StoreConfig.memory_graph` off for a
one-shot command) traversals read arcs from SQLite's indexes (`graph.stores.sql_graph`).

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from graph.model import Document, Entity, Evidence, GraphBatch, Relation
    >>> store = EmbeddedStore(Path(tempfile.mkdtemp()))
    >>> ev = Evidence(doc_id="d1", sentence="Microsoft invests in OpenAI.", start=0, end=28, extractor="doc")
    >>> batch = GraphBatch(
    ...     document=Document(id="d1", source="a.txt"),
    ...     entities=[Entity(id="company:microsoft", name="Microsoft", type="Company", mention_count=1),
    ...               Entity(id="company:openai", name="OpenAI", type="Company", mention_count=1)],
    ...     relations=[Relation(source="company:microsoft", type="BACKS", target="company:openai",
    ...                         evidence=[ev])])
    >>> store.upsert(batch).status
    'added'
    >>> store.upsert(batch).status
    'unchanged'
    >>> store.relations(RelationFilter())[0].weight
    1
    >>> store.close()
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, ParamSpec, TypeVar, cast

from graph import stories, traversal
from graph.errors import DocumentNotFound, NodeNotFound, StoreNotSupported, StoreUnavailable
from graph.model import (
    Document,
    Entity,
    Evidence,
    GraphBatch,
    NeighbourhoodQuery,
    PathQuery,
    Relation,
    RelationFilter,
    SearchHit,
    Stats,
    Subgraph,
    UpsertResult,
)
from graph.model import Path as GraphPath
from graph.names import name_key
from graph.schema import SYMMETRIC_RELATIONS, NodeType, RelType
from graph.store import Capabilities
from graph.stores import embedded_sql as sql
from graph.stores import live
from graph.stores.config import StoreConfig
from graph.stores.layered_graph import LayeredGraph
from graph.stores.name_index import NameIndex
from graph.stores.sql_graph import SqlGraph

DB_FILE = "graph.sqlite3"
_CHUNK = 5000  # well under SQLite's bound-variable limit
_NODE_TYPES = {t.value: t for t in NodeType}
_REL_TYPES = {t.value: t for t in RelType}
_SYMMETRIC = tuple(t.value for t in SYMMETRIC_RELATIONS)
SYNC_BUILD_MAX = 20_000
"""Up to this many relations the in-memory graph is built in the reading call (tens of ms); beyond,
in a background thread while traversals read SQLite's indexes."""

P = ParamSpec("P")
R = TypeVar("R")


def _guard(method: Callable[P, R]) -> Callable[P, R]:
    """Report SQLite failures (locked, read-only, corrupt, closed) as `StoreUnavailable`."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except (sqlite3.OperationalError, sqlite3.DatabaseError, sqlite3.ProgrammingError) as e:
            raise StoreUnavailable(f"embedded store: {e}") from e

    return wrapper


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _marks(n: int) -> str:
    return ",".join("?" * n)


class EmbeddedStore:
    """A `GraphStore` in a local data directory (created when missing).

    Safe to share between threads (one SQLite connection per thread) and between processes (SQLite
    locking; writers queue for up to `busy_timeout` seconds).

    Raises:
        StoreUnavailable: the path is a file, cannot be created or written, or holds an unreadable
            or incompatible database.
    """

    capabilities = Capabilities(read_cypher=False, atomic_bulk=True)

    def __init__(
        self, path: Path, config: StoreConfig | None = None, busy_timeout: float | None = None
    ) -> None:
        self.path = Path(path)
        self.db_path = self.path / DB_FILE
        self.config = config or StoreConfig()
        self._busy_timeout = self.config.busy_timeout if busy_timeout is None else busy_timeout
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._write_lock = threading.RLock()
        self._names_lock = threading.Lock()  # one whole name-index build at a time
        self._builder: threading.Thread | None = None  # a background graph build
        self._closed = False
        self._graph: live.Versioned[live.LiveGraph] = live.Versioned(
            live.build_adjacency, live.patch_adjacency
        )
        self._names = live.Versioned(live.build_names, live.patch_names)
        self._prepare_directory()
        try:
            conn = self._conn()
            with self._write_lock:
                sql.create_schema(conn)
            (version,) = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.Error as e:
            self.close()
            raise StoreUnavailable(f"cannot open the embedded store at {self.db_path}: {e}") from e
        if version != sql.SCHEMA_VERSION:
            self.close()
            raise StoreUnavailable(
                f"{self.db_path} has schema version {version}; this aigeo reads {sql.SCHEMA_VERSION}"
            )

    def __repr__(self) -> str:
        return f"EmbeddedStore({str(self.path)!r})"

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- connections and transactions ------------------------------------------------------------

    def _prepare_directory(self) -> None:
        if self.path.exists() and not self.path.is_dir():
            raise StoreUnavailable(f"{self.path} is a file, not a data directory")
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreUnavailable(f"cannot create the data directory {self.path}: {e.strerror or e}") from e
        if not os.access(self.path, os.W_OK | os.X_OK):
            raise StoreUnavailable(f"the data directory {self.path} is not writable")

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: transactions are ours to open (BEGIN IMMEDIATE for writes).
        conn = sqlite3.connect(
            self.db_path, timeout=self._busy_timeout, isolation_level=None, check_same_thread=False
        )
        for pragma in sql.PRAGMAS:
            conn.execute(pragma)
        conn.create_function("name_key", 1, name_key, deterministic=True)  # keys of new names, in SQL
        return conn

    def _conn(self) -> sqlite3.Connection:
        if self._closed:
            raise StoreUnavailable(f"the embedded store at {self.path} is closed")
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """One consistent snapshot for every SELECT of one call.

        Inside a write on the same thread (a batch generator fed to `upsert_many` that asks the
        store something) the read joins that transaction and sees what it has written so far.
        """
        conn = self._conn()
        if conn.in_transaction:
            if self._in_write():
                sql.merge_staged(conn)
            yield conn
            return
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("COMMIT")

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._write_lock:
            conn = self._conn()
            if conn.in_transaction:  # a write nested in a write of this thread joins it
                yield conn
                return
            conn.execute("BEGIN IMMEDIATE")
            self._local.writing = True
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            finally:
                self._local.writing = False
            conn.execute("COMMIT")

    def _in_write(self) -> bool:
        """Whether this thread is inside a write: its reads see rows no generation describes yet."""
        return bool(getattr(self._local, "writing", False))

    # -- writes ----------------------------------------------------------------------------------

    @_guard
    def upsert(self, batch: GraphBatch) -> UpsertResult:
        """Store one document's contribution atomically (see `GraphStore.upsert`)."""
        return self.upsert_many([batch])[0]

    @_guard
    def upsert_many(self, batches: Iterable[GraphBatch]) -> list[UpsertResult]:
        """Store several batches in one transaction: all of them or none; fast for bulk loads.

        Each batch keeps the meaning it has alone (a later batch may replace an earlier one's source).
        """
        results: list[UpsertResult] = []
        nested = self._in_write()
        with self._write() as conn:
            self._begin_staging(conn, nested)
            for batch in batches:
                results.append(self._apply(conn, batch))
            if any(r.status != "unchanged" for r in results):
                sql.merge_staged(conn)
                only_added = all(r.status != "replaced" for r in results) and not self._local.joined
                self._settle(conn, only_added)
        return results

    def _begin_staging(self, conn: sqlite3.Connection, nested: bool) -> None:
        """Empty staging for a write; a write nested in another of this thread (a batch generator that
        writes) merges what the outer one staged and keeps its marks, and the outer one then settles
        entities from all their mentions: its staged ones are no longer all new to the stored rows."""
        if nested:
            sql.merge_staged(conn)
            self._local.joined = True
        else:
            sql.begin_staging(conn)
            self._local.joined = False
            self._local.born_after = sql.last_relation(conn)

    def _insert_document(
        self, conn: sqlite3.Connection, doc: Document, text: str | None = None
    ) -> tuple[int, str | None]:
        """The document's row (in the story of its closest stored copy) and its band keys: (seq, seen key)."""
        seen_key = sql.instant_key(doc.seen_at)
        bands = stories.stored_band_keys(doc.fingerprint)
        story = doc.story or (self._story_of(conn, doc.fingerprint, bands) if bands else None) or doc.id
        seq = conn.execute(
            "INSERT INTO documents (id, source, title, url, outlet, published, ingested_at, word_count,"
            " seen_key, date_source, story, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                doc.id,
                doc.source,
                doc.title,
                doc.url,
                doc.outlet,
                sql.iso(doc.published),
                sql.iso(doc.ingested_at),
                doc.word_count,
                seen_key,
                doc.date_source,
                story,
                doc.fingerprint if bands else None,
            ),
        ).lastrowid
        conn.executemany("INSERT OR IGNORE INTO bands (key, doc) VALUES (?, ?)", [(k, seq) for k in bands])
        if text is not None:
            conn.execute("INSERT INTO document_texts (doc, text) VALUES (?, ?)", (seq, text))
        assert seq is not None
        return seq, seen_key

    def _apply(self, conn: sqlite3.Connection, batch: GraphBatch) -> UpsertResult:
        """Write the document's row and stage its mentions, names, relations and evidence."""
        doc = batch.document
        if conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc.id,)).fetchone():
            return UpsertResult(doc_id=doc.id, status="unchanged")
        replaced = conn.execute(
            "SELECT seq, id FROM documents WHERE source = ? ORDER BY seq", (doc.source,)
        ).fetchall()
        if replaced:
            sql.merge_staged(conn)  # the replaced document may be this write's own
        for old_seq, _ in replaced:
            sql.remove_document(conn, old_seq)
        seq, seen_key = self._insert_document(conn, doc, batch.text)
        conn.executemany(
            sql.STAGE_MENTION,
            [
                (
                    e.id,
                    seq,
                    e.mention_count,
                    e.name,
                    e.type.value,
                    e.country,
                    json.dumps(e.aliases, ensure_ascii=False) if e.aliases else "[]",
                    seen_key,
                )
                for e in batch.entities
            ],
        )
        conn.executemany(
            sql.STAGE_NAME, [(e.id, name) for e in batch.entities for name in {e.name, *e.aliases}]
        )
        _stage_relations(conn, batch.relations, (seq, seen_key, doc.outlet is not None))
        return UpsertResult(
            doc_id=doc.id,
            status="replaced" if replaced else "added",
            replaced_doc_id=replaced[0][1] if replaced else None,
            entities=len(batch.entities),
            relations=len(batch.relations),
        )

    @staticmethod
    def _story_of(conn: sqlite3.Connection, fingerprint: str | None, bands: list[int]) -> str | None:
        """The story of the closest stored copy: index lookups on the bands, then whole signatures."""
        assert fingerprint is not None
        candidates = conn.execute(sql.story_candidates(len(bands)), bands).fetchall()
        return stories.best_story(fingerprint, candidates)

    def _settle(self, conn: sqlite3.Connection, only_added: bool = False) -> None:
        """Recompute the aggregates the write marked, then bump the generation and log what changed.

        `only_added`: the write only added documents (entities then settle from their new mentions
        alone, and relations it created from one document are settled already)."""
        born_after: int | None = self._local.born_after if only_added else None
        ends: list[tuple[int, str, str]] | None = None
        entities: list[str] = []
        if sql.touched(conn) <= live.CHANGE_LOG_LIMIT:  # else readers build afresh
            ends = sql.touched_ends(conn)
            entities = sql.touched_entities(conn)
        sql.settle_relations(conn, born_after)
        sql.settle_entities(conn, only_added)
        conn.execute(sql.BUMP_GENERATION)
        (generation,) = conn.execute(sql.GENERATION).fetchone()
        live.log_change(conn, generation, ends, entities)

    @_guard
    def retract(self, doc_id: str) -> None:
        """Remove a document and whatever only it supported; `DocumentNotFound` if absent."""
        nested = self._in_write()
        with self._write() as conn:
            row = conn.execute("SELECT seq FROM documents WHERE id = ?", (doc_id,)).fetchone()
            if row is None:
                raise DocumentNotFound(doc_id)
            self._begin_staging(conn, nested)
            sql.remove_document(conn, row[0])
            self._settle(conn)

    # -- documents -------------------------------------------------------------------------------

    @_guard
    def has_document(self, doc_id: str) -> bool:
        return self._conn().execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None

    @_guard
    def get_document(self, doc_id: str) -> Document:
        with self._read() as conn:
            row = conn.execute(
                f"SELECT {sql.DOCUMENT_COLUMNS} FROM documents d WHERE d.id = ?", (doc_id,)
            ).fetchone()
            if row is None:
                raise DocumentNotFound(doc_id)
            return self._documents(conn, [row])[0]

    @_guard
    def document_batch(self, doc_id: str) -> GraphBatch:
        """Rebuild exactly what one document contributed: its mentions as entities, its evidence.

        Entities carry this document's name, type, country, aliases and mention count (not the
        aggregates); relations carry only this document's evidence. Raises `DocumentNotFound`.
        """
        with self._read() as conn:
            row = conn.execute(
                f"SELECT {sql.DOCUMENT_COLUMNS} FROM documents d WHERE d.id = ?", (doc_id,)
            ).fetchone()
            if row is None:
                raise DocumentNotFound(doc_id)
            seq = row[0]
            entities = [
                Entity(
                    id=entity_id,
                    name=name,
                    type=_NODE_TYPES[type_],
                    country=country,
                    aliases=json.loads(aliases),
                    mention_count=count,
                )
                for entity_id, name, type_, country, aliases, count in conn.execute(
                    "SELECT entity_id, name, type, country, aliases, count FROM mentions WHERE doc = ?"
                    " ORDER BY entity_id",
                    (seq,),
                )
            ]
            evidence: dict[int, list[Evidence]] = {}
            for ev in conn.execute(
                "SELECT rel, sentence, start_offset, end_offset, extractor, confidence, hedged, since,"
                " trigger_start, trigger_end FROM evidence WHERE doc = ? ORDER BY rel, start_offset, id",
                (seq,),
            ):
                rel_id, sentence, start, end, extractor, confidence, hedged, since, t_start, t_end = ev
                evidence.setdefault(rel_id, []).append(
                    Evidence(
                        doc_id=doc_id,
                        sentence=sentence,
                        start=start,
                        end=end,
                        extractor=extractor,
                        confidence=confidence,
                        hedged=bool(hedged),
                        since=date.fromisoformat(since) if since else None,
                        trigger_start=t_start,
                        trigger_end=t_end,
                    )
                )
            relations = [
                Relation(
                    source=source, type=_REL_TYPES[type_], target=target, evidence=evidence.get(rel_id, [])
                )
                for rel_id, source, type_, target in conn.execute(
                    "SELECT r.id, r.source, r.type, r.target FROM supports s JOIN relations r ON r.id = s.rel"
                    " WHERE s.doc = ? ORDER BY r.source, r.type, r.target",
                    (seq,),
                )
            ]
            document = _document(row, [e.id for e in entities])
            text = conn.execute("SELECT text FROM document_texts WHERE doc = ?", (seq,)).fetchone()
        return GraphBatch(
            document=document, entities=entities, relations=relations, text=text[0] if text else None
        )

    @_guard
    def document_text(self, doc_id: str) -> str | None:
        """The article's text as read, or None when it was stored without one. `DocumentNotFound`."""
        with self._read() as conn:
            row = conn.execute(
                "SELECT d.seq, t.text FROM documents d LEFT JOIN document_texts t ON t.doc = d.seq"
                " WHERE d.id = ?",
                (doc_id,),
            ).fetchone()
        if row is None:
            raise DocumentNotFound(doc_id)
        text: str | None = row[1]
        return text

    @_guard
    def documents(self, offset: int = 0, limit: int = 100) -> list[Document]:
        """Documents, newest ingested first."""
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT {sql.DOCUMENT_COLUMNS} FROM documents d ORDER BY d.seq DESC LIMIT ? OFFSET ?",
                (limit, offset),
            ).fetchall()
            return self._documents(conn, rows)

    @staticmethod
    def _documents(conn: sqlite3.Connection, rows: Sequence[tuple[Any, ...]]) -> list[Document]:
        mentions: dict[int, list[str]] = {}
        for chunk in _chunks([r[0] for r in rows]):
            for seq, entity_id in conn.execute(
                f"SELECT doc, entity_id FROM mentions WHERE doc IN ({_marks(len(chunk))})"
                " ORDER BY doc, entity_id",
                chunk,
            ):
                mentions.setdefault(seq, []).append(entity_id)
        return [_document(row, mentions.get(row[0], [])) for row in rows]

    # -- entities --------------------------------------------------------------------------------

    @_guard
    def get_entity(self, entity_id: str) -> Entity:
        row = (
            self._conn()
            .execute(f"SELECT {sql.ENTITY_COLUMNS} FROM entities e WHERE e.id = ?", (entity_id,))
            .fetchone()
        )
        if row is None:
            raise NodeNotFound(entity_id)
        return _entity(row)

    @_guard
    def find_entities(self, name: str) -> list[Entity]:
        """Entities whose name or an alias equals `name` under `name_key`, by id."""
        key = name_key(name)
        if not key:
            return []
        rows = (
            self._conn()
            .execute(
                f"SELECT {sql.ENTITY_COLUMNS} FROM entities e WHERE e.id IN"
                " (SELECT entity_id FROM entity_names WHERE key = ?) ORDER BY e.id",
                (key,),
            )
            .fetchall()
        )
        return [_entity(r) for r in rows]

    @_guard
    def search(
        self, text: str, types: list[NodeType] | None = None, limit: int = 20, offset: int = 0
    ) -> list[SearchHit]:
        """Fuzzy search over names and aliases, best first (see `graph.stores.name_index`)."""
        with self._read() as conn:
            matches = self._name_index(conn).search(text, types, limit, offset)
            found = self._entities(conn, [m.entity_id for m in matches])
        return [SearchHit(entity=found[m.entity_id], score=m.score, matched=m.matched) for m in matches]

    def _name_index(self, conn: sqlite3.Connection) -> NameIndex:
        """The name index for `conn`'s snapshot: the in-memory one moved on by the logged deltas, else
        built whole (the first search of a process, or after a write too large to log)."""
        (generation,) = conn.execute(sql.GENERATION).fetchone()
        if not self._in_write():
            index = self._names.at(conn, generation)
            if index is not None:
                return index
        with self._names_lock:
            if self._in_write():  # uncommitted rows: build for this call, keep nothing
                return live.build_names(conn)
            return self._names.at(conn, generation) or self._names.build(conn, generation)

    @staticmethod
    def _entities(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, Entity]:
        found: dict[str, Entity] = {}
        for chunk in _chunks(list(dict.fromkeys(ids))):
            for row in conn.execute(
                f"SELECT {sql.ENTITY_COLUMNS} FROM entities e WHERE e.id IN ({_marks(len(chunk))})", chunk
            ):
                found[row[0]] = _entity(row)
        return found

    # -- relations -------------------------------------------------------------------------------

    @_guard
    def relations(self, flt: RelationFilter) -> list[Relation]:
        """Relations matching the filter, heaviest first, with evidence.

        `source_id`/`target_id` match a symmetric relation at either end, since it has no direction.
        """
        where = ["r.weight >= ?"]
        params: list[Any] = [flt.min_weight]
        if flt.type is not None:
            where.append("r.type = ?")
            params.append(flt.type.value)
        sym = f"r.type IN ({_marks(len(_SYMMETRIC))})"
        if flt.source_id is not None and flt.target_id is not None:
            where.append(f"((r.source = ? AND r.target = ?) OR ({sym} AND r.source = ? AND r.target = ?))")
            params += [flt.source_id, flt.target_id, *_SYMMETRIC, flt.target_id, flt.source_id]
        elif flt.source_id is not None:
            where.append(f"(r.source = ? OR ({sym} AND r.target = ?))")
            params += [flt.source_id, *_SYMMETRIC, flt.source_id]
        elif flt.target_id is not None:
            where.append(f"(r.target = ? OR ({sym} AND r.source = ?))")
            params += [flt.target_id, *_SYMMETRIC, flt.target_id]
        if flt.seen_from is not None:
            where.append("r.last_key >= ?")
            params.append(sql.instant_key(flt.seen_from))
        if flt.seen_to is not None:
            where.append("r.first_key <= ?")
            params.append(sql.instant_key(flt.seen_to))
        query = (
            f"SELECT {sql.RELATION_COLUMNS} FROM relations r WHERE {' AND '.join(where)}"
            " ORDER BY r.weight DESC, r.source, r.type, r.target LIMIT ? OFFSET ?"
        )
        with self._read() as conn:
            rows = conn.execute(query, [*params, flt.limit, flt.offset]).fetchall()
            return self._relations(conn, rows)

    @_guard
    def entity_relations(self, entity_id: str) -> list[Relation]:
        """Every relation at either end of the entity, heaviest first; `NodeNotFound` if unknown."""
        with self._read() as conn:
            if conn.execute("SELECT 1 FROM entities WHERE id = ?", (entity_id,)).fetchone() is None:
                raise NodeNotFound(entity_id)
            rows = conn.execute(
                f"SELECT {sql.RELATION_COLUMNS} FROM relations r WHERE r.source = ?1 OR r.target = ?1"
                " ORDER BY r.weight DESC, r.source, r.type, r.target",
                (entity_id,),
            ).fetchall()
            return self._relations(conn, rows)

    @_guard
    def document_relations(self, doc_id: str) -> list[Relation]:
        """The relations a document supports, each with that document's evidence only."""
        with self._read() as conn:
            row = conn.execute("SELECT seq FROM documents WHERE id = ?", (doc_id,)).fetchone()
            if row is None:
                raise DocumentNotFound(doc_id)
            rows = conn.execute(
                f"SELECT {sql.RELATION_COLUMNS} FROM supports s JOIN relations r ON r.id = s.rel"
                " WHERE s.doc = ? ORDER BY r.source, r.type, r.target",
                (row[0],),
            ).fetchall()
            return self._relations(conn, rows, only_doc=row[0])

    @staticmethod
    def _relations(
        conn: sqlite3.Connection,
        rows: Sequence[tuple[Any, ...]],
        with_evidence: bool = True,
        only_doc: int | None = None,
    ) -> list[Relation]:
        evidence: dict[int, list[Evidence]] = {}
        if with_evidence:
            doc_clause = "" if only_doc is None else " AND ev.doc = ?"
            extra = [] if only_doc is None else [only_doc]
            for chunk in _chunks([r[0] for r in rows]):
                for ev in conn.execute(
                    f"SELECT {sql.EVIDENCE_COLUMNS} FROM evidence ev JOIN documents d ON d.seq = ev.doc"
                    f" WHERE ev.rel IN ({_marks(len(chunk))}){doc_clause}"
                    " ORDER BY ev.rel, ev.doc, ev.start_offset",
                    [*chunk, *extra],
                ):
                    evidence.setdefault(ev[0], []).append(_evidence(ev))
        return [_relation(row, evidence.get(row[0], [])) for row in rows]

    @staticmethod
    def _relations_by_id(conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, Relation]:
        rows: list[tuple[Any, ...]] = []
        for chunk in _chunks(list(dict.fromkeys(ids))):
            rows += conn.execute(
                f"SELECT {sql.RELATION_COLUMNS} FROM relations r WHERE r.id IN ({_marks(len(chunk))})", chunk
            ).fetchall()
        rels = EmbeddedStore._relations(conn, rows)
        return {row[0]: rel for row, rel in zip(rows, rels, strict=True)}

    # -- traversals ------------------------------------------------------------------------------

    def _traversal_graph(self, conn: sqlite3.Connection) -> traversal.Graph:
        """The graph for `conn`'s snapshot: the in-memory one when it is (or can be moved on to) that
        generation, else SQLite's indexes, while a build runs (in this call for a small store)."""
        if not self.config.memory_graph or self._in_write():
            return SqlGraph(conn)
        (generation,) = conn.execute(sql.GENERATION).fetchone()
        adj = self._graph.at(conn, generation)
        if adj is not None:
            return adj
        held = self._graph.generation
        if held is not None and held > generation:
            return SqlGraph(conn)  # this snapshot predates the state: a race with a write, no rebuild
        (size,) = conn.execute("SELECT COALESCE(MAX(id), 0) FROM relations").fetchone()
        if size <= SYNC_BUILD_MAX:
            return self._graph.build(conn, generation)
        self._build_in_background()
        return SqlGraph(conn)

    def _build_in_background(self) -> None:
        with self._lock:
            if self._builder is not None and self._builder.is_alive():
                return
            self._builder = threading.Thread(target=self._build_graph, name="aigeo-graph-build", daemon=True)
            self._builder.start()

    def _build_graph(self) -> None:
        """Build the in-memory graph and name index on a connection of its own (in a background thread)."""
        try:
            conn = self._guarded_connect()
            try:
                conn.execute("BEGIN")
                (generation,) = conn.execute(sql.GENERATION).fetchone()
                if self._graph.at(conn, generation) is None:
                    self._graph.build(conn, generation)
                with self._names_lock:  # the first search after start-up need not build either
                    if self._names.at(conn, generation) is None:
                        self._names.build(conn, generation)
                conn.execute("COMMIT")
            finally:
                conn.close()
        except (StoreUnavailable, sqlite3.Error):
            pass  # the store was closed meanwhile; a later read starts another build

    @_guard
    def warm(self) -> None:
        """Bring the in-memory graph and name index up to date now (a server's start-up), joining a
        background build when one runs."""
        builder = self._builder
        if builder is not None:
            builder.join()
        with self._read() as conn:
            (generation,) = conn.execute(sql.GENERATION).fetchone()
            if self._graph.at(conn, generation) is None:
                self._graph.build(conn, generation)
            self._name_index(conn)

    def memory_stats(self) -> live.MemoryStats:
        """Whole builds and delta patches of the in-memory state so far, and the generations it holds."""
        return live.MemoryStats(
            graph_builds=self._graph.builds,
            graph_patches=self._graph.patches,
            graph_generation=self._graph.generation,
            names_builds=self._names.builds,
            names_patches=self._names.patches,
            names_generation=self._names.generation,
        )

    @_guard
    def neighbourhood(self, query: NeighbourhoodQuery) -> Subgraph:
        """Entities within `depth` hops and the relations among them (see `graph.traversal`).

        Example:
            `store.neighbourhood(NeighbourhoodQuery(entity_id="company:openai", depth=2))`
        """
        with self._read() as conn:
            adj = self._traversal_graph(conn)
            flt = traversal.ArcFilter.of(query.rel_types, query.node_types, query.min_weight)
            nodes = traversal.neighbourhood(
                adj, query.entity_id, query.depth, query.direction, flt, query.limit
            )
            arcs = traversal.induced_arcs(adj, nodes, flt)
            entities = self._entities(conn, nodes)
            rels = self._relations_by_id(conn, [_rel_id(a) for a in arcs])
        return Subgraph(nodes=[entities[n] for n in nodes], edges=[rels[_rel_id(a)] for a in arcs])

    @_guard
    def paths(self, query: PathQuery) -> list[GraphPath]:
        """Paths between two entities, each hop with its evidence; `NoPath` when none within limits.

        Example:
            `store.paths(PathQuery(source_id="company:baidu", target_id="company:openai"))`
        """
        with self._read() as conn:
            adj = self._traversal_graph(conn)
            flt = traversal.ArcFilter.of(query.rel_types)
            args = (adj, query.source_id, query.target_id)
            if query.mode == "shortest":
                node_paths = [traversal.shortest_path(*args, query.direction, flt, query.max_hops)]
            elif query.mode == "all_shortest":
                node_paths = traversal.all_shortest_paths(*args, query.direction, flt, query.max_hops)
            else:
                node_paths = traversal.k_shortest_paths(*args, query.k, query.direction, flt, query.max_hops)
            hops = [traversal.path_arcs(adj, p, query.direction, flt) for p in node_paths]
            entities = self._entities(conn, [n for p in node_paths for n in p])
            rels = self._relations_by_id(conn, [_rel_id(a) for h in hops for a in h])
        return [
            GraphPath(nodes=[entities[n] for n in p], edges=[rels[_rel_id(a)] for a in h])
            for p, h in zip(node_paths, hops, strict=True)
        ]

    @_guard
    def adjacency(self) -> traversal.Adjacency:
        """The current in-memory graph as one flat adjacency, built now if there is none (shared or a
        copy: do not mutate it)."""
        with self._read() as conn:
            (generation,) = conn.execute(sql.GENERATION).fetchone()
            graph = self._graph.at(conn, generation) or self._graph.build(conn, generation)
        return graph.folded() if isinstance(graph, LayeredGraph) else graph

    def read_cypher(
        self,
        query: str,
        parameters: dict[str, Any] | None = None,
        timeout: float | None = None,
        max_rows: int | None = None,
    ) -> list[dict[str, Any]]:
        """Not offered (`capabilities.read_cypher` is False): always `StoreNotSupported`."""
        raise StoreNotSupported(
            "Cypher queries need the Neo4j store; the embedded store has no Cypher engine"
        )

    # -- iteration and stats ---------------------------------------------------------------------

    def _snapshot_rows(self, query: str, params: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        """Stream rows from a private connection so the caller may read elsewhere meanwhile."""
        conn = self._guarded_connect()
        try:
            yield from conn.execute(query, params)
        finally:
            conn.close()

    def _guarded_connect(self) -> sqlite3.Connection:
        if self._closed:
            raise StoreUnavailable(f"the embedded store at {self.path} is closed")
        try:
            return self._connect()
        except sqlite3.Error as e:
            raise StoreUnavailable(f"embedded store: {e}") from e

    def iter_entities(self) -> Iterator[Entity]:
        """Every entity, by id, streamed."""
        for row in self._snapshot_rows(f"SELECT {sql.ENTITY_COLUMNS} FROM entities e ORDER BY e.id"):
            yield _entity(row)

    def iter_relations(self, with_evidence: bool = True) -> Iterator[Relation]:
        """Every relation, streamed from one snapshot (evidence merged in, not looked up per row)."""
        conn = self._guarded_connect()
        try:
            conn.execute("BEGIN")
            rows = conn.execute(f"SELECT {sql.RELATION_COLUMNS} FROM relations r ORDER BY r.id")
            if not with_evidence:
                for row in rows:
                    yield _relation(row, [])
                return
            evs = conn.execute(
                f"SELECT {sql.EVIDENCE_COLUMNS} FROM evidence ev JOIN documents d ON d.seq = ev.doc"
                " ORDER BY ev.rel, ev.doc, ev.start_offset"
            )
            pending = next(evs, None)
            for row in rows:
                found: list[Evidence] = []
                while pending is not None and pending[0] <= row[0]:
                    if pending[0] == row[0]:
                        found.append(_evidence(pending))
                    pending = next(evs, None)
                yield _relation(row, found)
        finally:
            conn.close()

    def iter_documents(self) -> Iterator[Document]:
        """Every document, oldest ingested first, streamed."""
        conn = self._guarded_connect()
        try:
            conn.execute("BEGIN")
            docs = conn.execute(f"SELECT {sql.DOCUMENT_COLUMNS} FROM documents d ORDER BY d.seq")
            mentions = conn.execute("SELECT doc, entity_id FROM mentions ORDER BY doc, entity_id")
            pending = next(mentions, None)
            for row in docs:
                ids: list[str] = []
                while pending is not None and pending[0] <= row[0]:
                    if pending[0] == row[0]:
                        ids.append(pending[1])
                    pending = next(mentions, None)
                yield _document(row, ids)
        finally:
            conn.close()

    @_guard
    def stats(self) -> Stats:
        with self._read() as conn:
            by_type = dict(conn.execute("SELECT type, COUNT(*) FROM entities GROUP BY type ORDER BY type"))
            rel_types = dict(conn.execute("SELECT type, COUNT(*) FROM relations GROUP BY type ORDER BY type"))
            (documents,) = conn.execute("SELECT COUNT(*) FROM documents").fetchone()
            (evidence,) = conn.execute("SELECT COUNT(*) FROM evidence").fetchone()
        return Stats(
            entities=sum(by_type.values()),
            relations=sum(rel_types.values()),
            documents=documents,
            evidence=evidence,
            entities_by_type=by_type,
            relations_by_type=rel_types,
        )

    def ping(self) -> None:
        """Raise `StoreUnavailable` unless the database answers."""
        try:
            self._conn().execute(sql.GENERATION).fetchone()
        except sqlite3.Error as e:
            raise StoreUnavailable(f"embedded store at {self.path}: {e}") from e

    def generation(self) -> int:
        """A counter every write bumps: equal values mean equal data."""
        try:
            (value,) = self._conn().execute(sql.GENERATION).fetchone()
        except sqlite3.Error as e:
            raise StoreUnavailable(f"embedded store at {self.path}: {e}") from e
        return int(value)

    def close(self) -> None:
        """Close every connection this store opened; later calls raise `StoreUnavailable`."""
        self._closed = True
        with self._lock:
            connections, self._connections = self._connections, []
        for conn in connections:
            try:
                conn.close()
            except sqlite3.Error:
                pass
        self._graph.clear()
        self._names.clear()


def _rel_id(arc: traversal.Arc) -> int:
    return cast(int, arc.key)


def _document(row: tuple[Any, ...], mentions: list[str]) -> Document:
    _, doc_id, source, title, url, outlet, published, ingested_at, word_count, date_source, story, fp = row
    return Document(
        id=doc_id,
        source=source,
        title=title,
        url=url,
        outlet=outlet,
        published=sql.from_iso(published),
        date_source=date_source,
        ingested_at=sql.from_iso(ingested_at),
        word_count=word_count,
        story=story if story != doc_id else None,
        fingerprint=fp,
        mentions=mentions,
    )


def _entity(row: tuple[Any, ...]) -> Entity:
    entity_id, name, type_, country, aliases, mention_count, first_key, last_key = row
    return Entity(
        id=entity_id,
        name=name,
        type=_NODE_TYPES[type_],
        aliases=json.loads(aliases),
        country=country,
        mention_count=mention_count,
        first_seen=sql.key_instant(first_key),
        last_seen=sql.key_instant(last_key),
    )


def _relation(row: tuple[Any, ...], evidence: list[Evidence]) -> Relation:
    _, source, type_, target, weight, confidence, first_key, last_key, since, hedged, outlets = row
    return Relation(
        source=source,
        type=_REL_TYPES[type_],
        target=target,
        evidence=evidence,
        weight=weight,
        outlets=outlets,
        confidence=confidence,
        first_seen=sql.key_instant(first_key),
        last_seen=sql.key_instant(last_key),
        since=date.fromisoformat(since) if since else None,
        hedged=bool(hedged),
    )


def _evidence(row: tuple[Any, ...]) -> Evidence:
    (
        _,
        doc_id,
        sentence,
        start,
        end,
        extractor,
        confidence,
        hedged,
        since,
        t_start,
        t_end,
        title,
        url,
        published,
    ) = row
    return Evidence(
        doc_id=doc_id,
        sentence=sentence,
        start=start,
        end=end,
        extractor=extractor,
        confidence=confidence,
        hedged=bool(hedged),
        since=date.fromisoformat(since) if since else None,
        trigger_start=t_start,
        trigger_end=t_end,
        doc_title=title,
        doc_url=url,
        doc_published=sql.from_iso(published),
    )


def _stage_relations(
    conn: sqlite3.Connection, rels: Sequence[Relation], doc: tuple[int, str | None, bool]
) -> None:
    """Stage each relation with the document (seq, seen key, has an outlet), the aggregates this
    document alone gives it, and its evidence; `sql.merge_staged` finds or makes its row."""
    seq, seen_key, has_outlet = doc
    (first,) = conn.execute(sql.STAGED_RELATIONS).fetchone()
    numbered = list(enumerate(rels, first + 1))
    conn.executemany(
        sql.STAGE_RELATION,
        [
            (
                n,
                rel.source,
                rel.type.value,
                rel.target,
                seq,
                seen_key,
                int(has_outlet),
                *_evidence_aggregates(rel),
            )
            for n, rel in numbered
        ],
    )
    conn.executemany(
        sql.STAGE_EVIDENCE,
        [
            (
                n,
                seq,
                ev.sentence,
                ev.start,
                ev.end,
                ev.extractor,
                ev.confidence,
                int(ev.hedged),
                ev.since.isoformat() if ev.since else None,
                ev.trigger_start,
                ev.trigger_end,
            )
            for n, rel in numbered
            for ev in rel.evidence
        ],
    )


def _evidence_aggregates(rel: Relation) -> tuple[float, str | None, int, int]:
    """What `sql.settle_relations` computes from one document's evidence: confidence, since, hedged, count."""
    evidence = rel.evidence
    if not evidence:
        return 0, None, 0, 0
    if len(evidence) == 1:  # the usual case, without a generator per aggregate
        (ev,) = evidence
        return ev.confidence, ev.since.isoformat() if ev.since else None, int(ev.hedged), 1
    since = min((ev.since for ev in evidence if ev.since), default=None)
    return (
        max(ev.confidence for ev in evidence),
        since.isoformat() if since else None,
        int(all(ev.hedged for ev in evidence)),
        len(evidence),
    )
