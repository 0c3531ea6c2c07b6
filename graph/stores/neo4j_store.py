"""The Neo4j store: the `GraphStore` contract over a Neo4j 5 server, shaped for Neo4j Browser.

Storage design. Browser users should see the graph they expect, so the domain is stored as the
domain: each actor is one node with its type label and the common `Entity` label
(`:Company:Entity`), each relation is one real relationship (`BACKS`, `RESTRICTS`, ...) carrying its
aggregates (weight, confidence, first_seen, last_seen, since, hedged), and each article is a
`:Document` with `MENTIONS` relationships to what it names. `MATCH (a:Company)-[r:BACKS]->(b)
RETURN a, r, b` draws exactly the actors and one arrow per relation, with nothing else in between.

Retraction must be exact, so the store also keeps who said what, without extra nodes in the picture:

- `MENTIONS {count, name, type, country, aliases}` is what one document said about an entity; the
  entity's own properties are aggregates recomputed from its mentions (as the embedded store does:
  name and type from the latest document, aliases = every name said, mention_count = their sum).
- a relationship keeps `docs` (the supporting document ids, so weight = their number) and its
  evidence as parallel lists, item i of each being sentence i: `evidence` (the sentences, readable
  in Browser as they are), `evidence_docs`, `evidence_starts`, `evidence_ends`, `evidence_extractors`,
  `evidence_confidences`, `evidence_hedged`, `evidence_since`, `evidence_trigger_starts`,
  `evidence_trigger_ends`. Removing a document filters those lists by `evidence_docs` and recomputes
  the aggregates; a relationship left with no document and an entity left with no mention are deleted.
  Neo4j lists cannot hold nulls, so a missing `since` is '' and a missing trigger offset -1; a
  relationship written before the trigger lists existed lacks them, and reads as having no triggers.
- the only internal label is `_AigeoMeta` (a document counter that orders documents as the embedded
  store's sequence does); no node type can start with an underscore, so it never collides.

Writes are one managed transaction per document (`execute_write`, retried by the driver on transient
errors) made of `UNWIND $rows` statements behind uniqueness constraints, `neo4j_batch_size` rows each.
Reads use Neo4j 5 quantified path patterns (`ANY SHORTEST`, `ALL SHORTEST`, `SHORTEST k GROUPS`), so
the server needs Neo4j 5.21 or later (the compose file pins 5.26). Every statement is in
`graph.cypher`.

Example (needs a server):
    >>> store = Neo4jStore.connect("bolt://localhost:7687", StoreConfig())  # doctest: +SKIP
    >>> store.stats().entities  # doctest: +SKIP
    0
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import itertools
import logging
import os
import re
import socket
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, ParamSpec, TypeVar, cast

import neo4j
from neo4j import GraphDatabase, ManagedTransaction, Query
from neo4j import exceptions as neo4j_errors
from neo4j.graph import Node, Relationship
from neo4j.graph import Path as Neo4jPath
from neo4j.spatial import Point
from neo4j.time import Date, DateTime, Duration, Time

from graph import cypher, stories, traversal
from graph.errors import (
    AigeoError,
    BadQuery,
    DocumentNotFound,
    NodeNotFound,
    NoPath,
    StoreNotSupported,
    StoreUnavailable,
)
from graph.model import (
    Document,
    Entity,
    Evidence,
    GraphBatch,
    NeighbourhoodQuery,
    Path,
    PathQuery,
    Relation,
    RelationFilter,
    SearchHit,
    Stats,
    Subgraph,
    UpsertResult,
)
from graph.names import name_key
from graph.schema import SYMMETRIC_RELATIONS, NodeType, RelType
from graph.store import Capabilities
from graph.stores.config import ConfigSource, StoreConfig, as_config, is_neo4j_uri
from graph.stores.name_index import NameIndex

CONNECT_TIMEOUT = 5.0
"""Seconds to wait for a socket: an unreachable server should fail fast, with one line."""

INDEX_WAIT = 120
"""Seconds to wait, on connect, for freshly created indexes to come online."""

_SYMMETRIC = sorted(t.value for t in SYMMETRIC_RELATIONS)
_SEARCH_CANDIDATES = 100
MAX_STORY_CANDIDATES = 500
"""Most documents sharing a band with a new one that are compared with it (near copies rank first)."""
_WRITE_WORDS = re.compile(
    r"(?<![.$\w])(CREATE|MERGE|DELETE|DETACH|SET|REMOVE|DROP|FOREACH|INSERT|ALTER|RENAME|GRANT|DENY|REVOKE"
    r"|LOAD\s+CSV|IN\s+TRANSACTIONS|TERMINATE)(?![\w:])",
    re.IGNORECASE,
)
_ADMIN_WORDS = re.compile(
    r"(?:^\s*(?:CYPHER\b\s*(?:\d+\s*)?(?:\w+\s*=\s*\w+\s*)*)?|\{\s*)(USE|SHOW|START|STOP|ENABLE)\b",
    re.IGNORECASE,
)
"""Clauses that open a statement and reach another database (USE) or administration (SHOW TRANSACTIONS,
START DATABASE...): not for the API's read-only endpoint."""
_LITERALS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.DOTALL)

# The driver logs connection failures it also raises; without a handler of the application's, Python
# would print them to stderr next to our one-line message. Applications that configure logging still
# receive them: a NullHandler only stops the last-resort printing.
logging.getLogger("neo4j").addHandler(logging.NullHandler())

P = ParamSpec("P")
R = TypeVar("R")


# -- one driver per process ----------------------------------------------------------------------


@dataclass
class _SharedDriver:
    driver: neo4j.Driver
    users: int = 0
    schema_ready: bool = False


_Key = tuple[str, str, str, str]
_DRIVERS: dict[_Key, _SharedDriver] = {}
_DRIVERS_LOCK = threading.Lock()


def _driver_key(uri: str, user: str, password: str | None, database: str) -> _Key:
    # The password is part of the key (hashed, never kept) so a wrong one never borrows a good driver.
    secret = hashlib.sha256((password or "").encode()).hexdigest()
    return (uri, user, database, secret)


def _acquire(uri: str, user: str, password: str | None, database: str) -> tuple[_Key, _SharedDriver]:
    """The process's driver for this server and identity, created and verified on first use."""
    key = _driver_key(uri, user, password, database)
    with _DRIVERS_LOCK:
        shared = _DRIVERS.get(key)
        if shared is None:
            auth = (user, password) if password is not None else None
            try:
                driver = GraphDatabase.driver(
                    uri, auth=auth, connection_timeout=CONNECT_TIMEOUT, user_agent="aigeo"
                )
            except (neo4j_errors.DriverError, ValueError) as e:
                raise _unavailable(e, uri, user, password) from e
            try:
                driver.verify_connectivity()
            except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError) as e:
                driver.close()
                raise _unavailable(e, uri, user, password) from e
            shared = _DRIVERS[key] = _SharedDriver(driver)
        shared.users += 1
        return key, shared


def _release(key: _Key) -> None:
    with _DRIVERS_LOCK:
        shared = _DRIVERS.get(key)
        if shared is None:
            return
        shared.users -= 1
        if shared.users <= 0:
            del _DRIVERS[key]
            shared.driver.close()


@atexit.register
def _close_all_drivers() -> None:
    with _DRIVERS_LOCK:
        drivers = [shared.driver for shared in _DRIVERS.values()]
        _DRIVERS.clear()
    for driver in drivers:
        try:
            driver.close()
        except Exception:  # noqa: BLE001 - the interpreter is exiting; nothing is left to tell
            pass


# -- errors, as one line a user can act on ------------------------------------------------------


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception, its causes and contexts, and the members of exception groups among them."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        current = todo.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, BaseExceptionGroup):
            todo.extend(current.exceptions)
        for linked in (current.__cause__, current.__context__):
            if linked is not None:
                todo.append(linked)


def _network_reason(exc: BaseException) -> str:
    """'connection refused', 'unknown host', 'timed out'... from the socket error behind `exc`."""
    for cause in _causes(exc):
        if isinstance(cause, socket.gaierror):
            return "unknown host"
        if isinstance(cause, TimeoutError | socket.timeout):
            return "timed out"
        if isinstance(cause, OSError) and cause.errno:
            return os.strerror(cause.errno).lower()
    return _first_line(exc)


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "message", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _unavailable(exc: BaseException, uri: str, user: str, password: str | None) -> StoreUnavailable:
    """One clear line for a connection failure."""
    if isinstance(exc, neo4j_errors.AuthError):
        hint = " (AIGEO_NEO4J_PASSWORD is not set)" if password is None else ""
        return StoreUnavailable(f"Neo4j at {uri} rejected the credentials for user {user}{hint}")
    if isinstance(exc, neo4j_errors.ConfigurationError):
        return StoreUnavailable(f"cannot use Neo4j at {uri}: {_first_line(exc)}")
    if isinstance(exc, neo4j_errors.ServiceUnavailable | neo4j_errors.SessionExpired | OSError):
        return StoreUnavailable(f"cannot reach Neo4j at {uri}: {_network_reason(exc)}")
    code = getattr(exc, "code", None) or ""
    if code.endswith("DatabaseNotFound"):
        return StoreUnavailable(f"Neo4j at {uri} has no such database: {_first_line(exc)}")
    return StoreUnavailable(f"Neo4j at {uri}: {_first_line(exc)}")


_DRIVER_FAILURES = (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError)


def _guard(method: Callable[P, R]) -> Callable[P, R]:
    """Report a server or driver failure during a call as `StoreUnavailable`, in one line."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except AigeoError:
            raise
        except _DRIVER_FAILURES as e:
            store = args[0]
            assert isinstance(store, Neo4jStore)
            raise store._failure(e) from e

    return wrapper


# -- conversions between the model and Neo4j values ---------------------------------------------


def _utc(moment: datetime | None) -> datetime | None:
    """The instant as an aware UTC datetime; naive datetimes count as UTC (as in the embedded store)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _native(value: Any) -> Any:
    return value.to_native() if isinstance(value, Date | DateTime | Time) else value


def _instant(value: Any) -> datetime | None:
    moment = _native(value)
    return _utc(moment) if isinstance(moment, datetime) else None


def _day(value: Any) -> date | None:
    day = _native(value)
    if isinstance(day, datetime):
        return day.date()
    return day if isinstance(day, date) else None


def _alias_order(names: Iterable[str]) -> list[str]:
    return sorted(names, key=lambda n: (n.casefold(), n))


def _entity(fields: dict[str, Any]) -> Entity:
    return Entity(
        id=fields["id"],
        name=fields["name"],
        type=NodeType(fields["type"]),
        aliases=_alias_order(fields.get("aliases") or []),
        country=fields.get("country"),
        mention_count=fields.get("mention_count") or 0,
        first_seen=_instant(fields.get("first_seen")),
        last_seen=_instant(fields.get("last_seen")),
    )


def _document(fields: dict[str, Any], mentions: list[str]) -> Document:
    return Document(
        id=fields["id"],
        source=fields["source"],
        title=fields.get("title"),
        url=fields.get("url"),
        outlet=fields.get("outlet"),
        published=_native(fields.get("published")),
        date_source=fields.get("date_source"),
        ingested_at=_native(fields.get("ingested_at")),
        word_count=fields.get("word_count") or 0,
        story=fields.get("story") if fields.get("story") != fields["id"] else None,
        fingerprint=fields.get("fingerprint"),
        mentions=mentions,
    )


def _relation(row: dict[str, Any], only_doc: str | None = None, bare_evidence: bool = False) -> Relation:
    """A relation from a `graph.cypher` relation row; evidence ordered by document, then offset."""
    props: dict[str, Any] = row["props"]
    docs = {d["id"]: d for d in row["docs"]}
    ranked: list[tuple[int, int, int, Evidence]] = []
    for i, items in enumerate(_evidence_items(props)):
        doc_id = items[1]
        if only_doc is not None and doc_id != only_doc:
            continue
        doc = docs.get(doc_id, {})
        ev = _evidence(items, {} if bare_evidence else doc)
        ranked.append((doc.get("seq") or 0, ev.start, i, ev))
    ranked.sort(key=lambda item: item[:3])
    return Relation(
        source=row["source"],
        type=RelType(row["type"]),
        target=row["target"],
        evidence=[item[3] for item in ranked],
        weight=props.get("weight") or 0,
        outlets=props.get("outlets") or 0,
        confidence=props.get("confidence") or 0.0,
        first_seen=_instant(props.get("first_seen")),
        last_seen=_instant(props.get("last_seen")),
        since=_day(props.get("since")),
        hedged=bool(props.get("hedged")),
    )


def _evidence_items(props: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    """Item i of every evidence list, one tuple per sentence, in `cypher.EVIDENCE_LISTS` order."""
    n = len(props.get("evidence") or [])
    # a relationship written before a list existed lacks it: each of its items reads as missing
    lists = [props.get(name) or [cypher.MISSING.get(name)] * n for name in cypher.EVIDENCE_LISTS]
    return zip(*lists, strict=True)


def _evidence(items: tuple[Any, ...], doc: dict[str, Any]) -> Evidence:
    """One evidence sentence from its list items and its document's properties (empty: none shown)."""
    sentence, doc_id, start, end, extractor, confidence, hedged, since, t_start, t_end = items
    known = t_start >= 0 and t_end >= 0
    return Evidence(
        doc_id=doc_id,
        sentence=sentence,
        start=start,
        end=end,
        extractor=extractor,
        confidence=confidence,
        hedged=hedged,
        since=date.fromisoformat(since) if since else None,
        trigger_start=t_start if known else None,
        trigger_end=t_end if known else None,
        doc_title=doc.get("title"),
        doc_url=doc.get("url"),
        doc_published=_native(doc.get("published")),
    )


def _mention_row(entity: Entity) -> dict[str, Any]:
    names = [entity.name, *entity.aliases]
    keys = sorted({k for k in map(name_key, names) if k})
    return {
        "id": entity.id,
        "count": entity.mention_count,
        "name": entity.name,
        "type": entity.type.value,
        "country": entity.country,
        "aliases": list(entity.aliases),
        "name_key": name_key(entity.name),
        "keys": keys,
    }


def _relation_row(rel: Relation, doc_id: str) -> dict[str, Any]:
    evidence = rel.evidence
    return {
        "source": rel.source,
        "target": rel.target,
        "evidence": [ev.sentence for ev in evidence],
        "evidence_docs": [doc_id for _ in evidence],
        "evidence_starts": [ev.start for ev in evidence],
        "evidence_ends": [ev.end for ev in evidence],
        "evidence_extractors": [ev.extractor for ev in evidence],
        "evidence_confidences": [float(ev.confidence) for ev in evidence],
        "evidence_hedged": [ev.hedged for ev in evidence],
        "evidence_since": [ev.since.isoformat() if ev.since else "" for ev in evidence],
        "evidence_trigger_starts": [_offset(ev.trigger_start) for ev in evidence],
        "evidence_trigger_ends": [_offset(ev.trigger_end) for ev in evidence],
    }


def _offset(value: int | None) -> int:
    return cypher.MISSING["evidence_trigger_starts"] if value is None else value


def _band_word(key: int) -> str:
    # One lower-case word per key: the whitespace analyzer keeps it whole and it needs no escaping.
    return f"b{key & 0xFFFFFFFFFFFFFFFF:016x}"


def _document_props(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "source": doc.source,
        "title": doc.title,
        "url": doc.url,
        "outlet": doc.outlet,
        "published": doc.published,
        "date_source": doc.date_source,
        "ingested_at": doc.ingested_at,
        "word_count": doc.word_count,
        "seen_at": _utc(doc.seen_at),
    }


def _chunks(rows: Sequence[R], size: int) -> Iterator[Sequence[R]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _lucene(text: str) -> str:
    """A full-text query that finds names near `text`: each word exact, fuzzy or as a prefix.

    `name_key` leaves only word characters, none of them Lucene syntax, and lower case, so no word
    can be read as an operator.

    >>> _lucene("Open-AI's")
    '(open OR open~ OR open*) (ai OR ai~ OR ai*)'
    """
    return " ".join(f"({w} OR {w}~ OR {w}*)" for w in name_key(text).split())


def _json_value(value: Any) -> Any:
    """A Neo4j result value as plain JSON-friendly data (for the read-only Cypher endpoint)."""
    if isinstance(value, Node | Relationship | Neo4jPath):
        return _json_graph_value(value)
    if isinstance(value, Date | DateTime | Time):
        return value.iso_format()
    if isinstance(value, Duration):
        return str(value)
    if isinstance(value, Point):
        return {"srid": value.srid, "coordinates": list(value)}
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, bytes | bytearray):
        return value.hex()
    return value


def _json_graph_value(value: Node | Relationship | Neo4jPath) -> dict[str, Any]:
    """A node, relationship or path with element ids, and properties as `_json_value` gives them."""
    if isinstance(value, Neo4jPath):
        return {
            "nodes": [_json_value(n) for n in value.nodes],
            "relationships": [_json_value(r) for r in value.relationships],
        }
    out: dict[str, Any] = {"element_id": value.element_id}
    if isinstance(value, Node):
        out["labels"] = sorted(value.labels)
    else:
        out["type"] = value.type
        out["start"] = value.start_node.element_id if value.start_node is not None else None
        out["end"] = value.end_node.element_id if value.end_node is not None else None
    out["properties"] = {k: _json_value(v) for k, v in value.items()}
    return out


def _refused_keyword(query: str) -> str | None:
    """Why a user's query may not run on the read-only endpoint, judged by keywords; None if it may.

    Strings, backticked names and comments are blanked first, so `n.name = 'Create Labs'` is a read.
    """
    bare = _LITERALS.sub(" ", query)
    found = _WRITE_WORDS.search(bare)
    if found:
        return f"{' '.join(found.group(1).upper().split())} writes to the graph"
    found = _ADMIN_WORDS.search(bare)
    if found:
        return f"{found.group(1).upper()} is an administration or multi-database command"
    return None


# -- the store -----------------------------------------------------------------------------------


class Neo4jStore:
    """A `GraphStore` on a Neo4j 5 server. Open it with `Neo4jStore.connect(uri, config)`.

    Thread-safe: the driver is shared and every call opens its own session.
    """

    capabilities = Capabilities(read_cypher=True, atomic_bulk=False)

    def __init__(self, key: _Key, shared: _SharedDriver, uri: str, config: StoreConfig) -> None:
        self._key = key
        self._shared = shared
        self._driver = shared.driver
        self.uri = uri
        self.user = config.neo4j_user
        self.database = config.neo4j_database
        self.batch_size = config.neo4j_batch_size
        self.query_timeout = config.neo4j_query_timeout
        self.max_rows = config.neo4j_max_rows
        self._closed = False
        self._close_lock = threading.Lock()

    @classmethod
    def connect(cls, uri: str, config: StoreConfig | ConfigSource | None = None) -> Neo4jStore:
        """Connect (one driver per process and server), check the server answers, apply the schema.

        Raises:
            StoreNotSupported: `uri` is not a bolt:// or neo4j:// (+s, +ssc) URI.
            StoreUnavailable: the server cannot be reached, refuses the credentials or the database.
        """
        cfg = as_config(config)
        if not is_neo4j_uri(uri):
            raise StoreNotSupported(f"store {uri!r}: not a bolt://, neo4j:// or neo4j+s:// URI")
        key, shared = _acquire(uri, cfg.neo4j_user, cfg.neo4j_password, cfg.neo4j_database)
        store = cls(key, shared, uri, cfg)
        try:
            store._apply_schema()
        except BaseException:
            store.close()
            raise
        return store

    def __repr__(self) -> str:
        return f"Neo4jStore({self.uri!r}, database={self.database!r})"

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing --------------------------------------------------------------------------------

    def _failure(self, exc: BaseException) -> StoreUnavailable:
        if isinstance(exc, neo4j_errors.ClientError) and not isinstance(exc, neo4j_errors.AuthError):
            return StoreUnavailable(f"Neo4j at {self.uri} refused a statement: {_first_line(exc)}")
        return _unavailable(exc, self.uri, self.user, "")

    def _session(self, read: bool = False) -> neo4j.Session:
        if self._closed:
            raise StoreUnavailable(f"the Neo4j store at {self.uri} is closed")
        mode = neo4j.READ_ACCESS if read else neo4j.WRITE_ACCESS
        return self._driver.session(database=self.database, default_access_mode=mode)

    def _read(self, work: Callable[[ManagedTransaction], R]) -> R:
        with self._session(read=True) as session:
            return session.execute_read(work)

    def _write(self, work: Callable[[ManagedTransaction], R]) -> R:
        with self._session() as session:
            return session.execute_write(work)

    @staticmethod
    def _rows(tx: ManagedTransaction, statement: str, /, **params: Any) -> list[dict[str, Any]]:
        # Positional-only: a parameter may well be called `query` or `statement`.
        return [record.data() for record in tx.run(statement, params)]

    def _apply_schema(self) -> None:
        if self._shared.schema_ready:
            return
        try:
            with self._session() as session:
                for statement in cypher.SCHEMA:
                    session.run(statement).consume()
                session.run(cypher.AWAIT_INDEXES, seconds=INDEX_WAIT).consume()
        except neo4j_errors.Forbidden:
            # A read-only account (a sensible one for the API) may not manage schema; a writer
            # created it, or writes will fail with their own clear message.
            pass
        except _DRIVER_FAILURES as e:
            raise self._failure(e) from e
        self._shared.schema_ready = True

    def close(self) -> None:
        """Release this store's share of the driver (the last one closes it); idempotent."""
        with self._close_lock:
            if self._closed:
                return
            self._closed = True
        _release(self._key)

    @_guard
    def ping(self) -> None:
        """Raise `StoreUnavailable` unless the server answers a query."""
        self._read(lambda tx: self._rows(tx, cypher.PING))

    # -- writes ----------------------------------------------------------------------------------

    def upsert_many(self, batches: Iterable[GraphBatch]) -> list[UpsertResult]:
        """Store several batches in order, one transaction each (`capabilities.atomic_bulk` is False)."""
        return [self.upsert(batch) for batch in batches]

    @_guard
    def upsert(self, batch: GraphBatch) -> UpsertResult:
        """Store one document's contribution in one transaction (see `GraphStore.upsert`)."""
        doc = batch.document
        if self.has_document(doc.id):
            return UpsertResult(doc_id=doc.id, status="unchanged")
        mentions = [_mention_row(e) for e in batch.entities]
        by_type: dict[RelType, list[dict[str, Any]]] = defaultdict(list)
        for rel in batch.relations:
            by_type[rel.type].append(_relation_row(rel, doc.id))
        bands = stories.stored_band_keys(doc.fingerprint)
        props = _document_props(doc) | {
            "fingerprint": doc.fingerprint if bands else None,
            "band_text": " ".join(_band_word(k) for k in bands) or None,
            "text": batch.text,
        }

        def work(tx: ManagedTransaction) -> UpsertResult:
            (counter,) = self._rows(tx, cypher.NEXT_DOCUMENT_SEQ)  # also queues concurrent writers
            if self._rows(tx, cypher.DOCUMENT_EXISTS, id=doc.id):
                return UpsertResult(doc_id=doc.id, status="unchanged")
            rids: set[str] = set()
            ids: set[str] = set()
            replaced = [
                r["id"] for r in self._rows(tx, cypher.DOCUMENTS_OF_SOURCE, source=doc.source, id=doc.id)
            ]
            for old in replaced:
                self._detach_document(tx, old, rids, ids)
            story = doc.story or self._story_of(tx, doc.fingerprint, bands) or doc.id
            tx.run(cypher.CREATE_DOCUMENT, doc={**props, "seq": counter["seq"], "story": story}).consume()
            for rows in _chunks(mentions, self.batch_size):
                tx.run(cypher.MERGE_MENTIONS, rows=list(rows), doc_id=doc.id).consume()
            ids.update(e.id for e in batch.entities)
            for rel, rel_rows in sorted(by_type.items()):
                statement = cypher.relation_merge(rel)
                for rows in _chunks(rel_rows, self.batch_size):
                    rids.update(r["rid"] for r in self._rows(tx, statement, rows=list(rows), doc_id=doc.id))
            self._settle(tx, rids, ids)
            return UpsertResult(
                doc_id=doc.id,
                status="replaced" if replaced else "added",
                replaced_doc_id=replaced[0] if replaced else None,
                entities=len(batch.entities),
                relations=len(batch.relations),
            )

        return self._write(work)

    def _story_of(self, tx: ManagedTransaction, fingerprint: str | None, bands: list[int]) -> str | None:
        """The story of the closest stored copy: one band-index query, then whole signatures."""
        if fingerprint is None or not bands:
            return None
        query = " ".join(_band_word(k) for k in bands)
        rows = self._rows(tx, cypher.STORY_CANDIDATES, query=query, limit=MAX_STORY_CANDIDATES)
        return stories.best_story(fingerprint, ((r["id"], r["story"], r["fingerprint"]) for r in rows))

    def _detach_document(self, tx: ManagedTransaction, doc_id: str, rids: set[str], ids: set[str]) -> None:
        """Take a document out of the graph; collect what must be recomputed after."""
        rids.update(r["rid"] for r in self._rows(tx, cypher.DROP_DOCUMENT_EVIDENCE, doc_id=doc_id))
        ids.update(r["id"] for r in self._rows(tx, cypher.MENTIONED_BY, doc_id=doc_id))
        tx.run(cypher.DELETE_DOCUMENT, doc_id=doc_id).consume()

    def _settle(self, tx: ManagedTransaction, rids: set[str], ids: set[str]) -> None:
        """Recompute aggregates of what a write touched; delete what lost all support."""
        for chunk in _chunks(sorted(rids), self.batch_size):
            tx.run(cypher.DELETE_UNSUPPORTED_RELATIONS, rids=list(chunk)).consume()
            tx.run(cypher.SETTLE_RELATIONS, rids=list(chunk)).consume()
        for chunk in _chunks(sorted(ids), self.batch_size):
            tx.run(cypher.DELETE_UNMENTIONED_ENTITIES, ids=list(chunk)).consume()
            typed: dict[str, list[str]] = defaultdict(list)
            for row in self._rows(tx, cypher.SETTLE_ENTITIES, ids=list(chunk)):
                typed[row["type"]].append(row["id"])
            for node_type, members in sorted(typed.items()):
                tx.run(cypher.relabel(node_type), ids=members).consume()

    @_guard
    def retract(self, doc_id: str) -> None:
        """Remove a document and whatever only it supported; `DocumentNotFound` if absent."""

        def work(tx: ManagedTransaction) -> None:
            self._rows(tx, cypher.NEXT_DOCUMENT_SEQ)  # the same queue as upserts
            if not self._rows(tx, cypher.DOCUMENT_EXISTS, id=doc_id):
                raise DocumentNotFound(doc_id)
            rids: set[str] = set()
            ids: set[str] = set()
            self._detach_document(tx, doc_id, rids, ids)
            self._settle(tx, rids, ids)

        self._write(work)

    # -- documents -------------------------------------------------------------------------------

    @_guard
    def has_document(self, doc_id: str) -> bool:
        return bool(self._read(lambda tx: self._rows(tx, cypher.DOCUMENT_EXISTS, id=doc_id)))

    @_guard
    def get_document(self, doc_id: str) -> Document:
        rows = self._read(lambda tx: self._rows(tx, cypher.GET_DOCUMENT, id=doc_id))
        if not rows:
            raise DocumentNotFound(doc_id)
        return _document(rows[0]["doc"], rows[0]["mentions"])

    @_guard
    def document_batch(self, doc_id: str) -> GraphBatch:
        """Rebuild exactly what one document contributed (see `GraphStore.document_batch`)."""

        def work(tx: ManagedTransaction) -> tuple[list[dict[str, Any]], ...]:
            return (
                self._rows(tx, cypher.GET_DOCUMENT, id=doc_id),
                self._rows(tx, cypher.DOCUMENT_MENTIONS, id=doc_id),
                self._rows(tx, cypher.DOCUMENT_RELATIONS, doc_id=doc_id),
                self._rows(tx, cypher.DOCUMENT_TEXT, id=doc_id),
            )

        docs, mentions, relations, texts = self._read(work)
        if not docs:
            raise DocumentNotFound(doc_id)
        entities = [
            Entity(
                id=m["id"],
                name=m["name"],
                type=NodeType(m["type"]),
                aliases=list(m["aliases"] or []),
                country=m["country"],
                mention_count=m["count"] or 0,
            )
            for m in mentions
        ]
        rels = [
            Relation(
                source=rel.source,
                type=rel.type,
                target=rel.target,
                evidence=[
                    ev.model_copy(update={"doc_title": None, "doc_url": None, "doc_published": None})
                    for ev in rel.evidence
                ],
            )
            for rel in (_relation(row, only_doc=doc_id) for row in relations)
        ]
        text = texts[0]["text"] if texts else None
        document = _document(docs[0]["doc"], [])
        return GraphBatch(document=document, entities=entities, relations=rels, text=text)

    @_guard
    def document_text(self, doc_id: str) -> str | None:
        """The article's text as read (see `GraphStore.document_text`)."""
        rows = self._read(lambda tx: self._rows(tx, cypher.DOCUMENT_TEXT, id=doc_id))
        if not rows:
            raise DocumentNotFound(doc_id)
        text: str | None = rows[0]["text"]
        return text

    @_guard
    def documents(self, offset: int = 0, limit: int = 100) -> list[Document]:
        """Documents, newest ingested first."""
        rows = self._read(lambda tx: self._rows(tx, cypher.DOCUMENTS_PAGE, offset=offset, limit=limit))
        return [_document(r["doc"], r["mentions"]) for r in rows]

    # -- entities --------------------------------------------------------------------------------

    @_guard
    def get_entity(self, entity_id: str) -> Entity:
        rows = self._read(lambda tx: self._rows(tx, cypher.GET_ENTITY, id=entity_id))
        if not rows:
            raise NodeNotFound(entity_id)
        return _entity(rows[0]["entity"])

    def _entities(self, tx: ManagedTransaction, ids: Iterable[str]) -> dict[str, Entity]:
        wanted = list(dict.fromkeys(ids))
        found: dict[str, Entity] = {}
        for chunk in _chunks(wanted, self.batch_size):
            for row in self._rows(tx, cypher.GET_ENTITIES, ids=list(chunk)):
                found[row["entity"]["id"]] = _entity(row["entity"])
        return found

    @_guard
    def find_entities(self, name: str) -> list[Entity]:
        """Entities whose name or an alias equals `name` under `name_key`, by id."""
        key = name_key(name)
        if not key:
            return []
        rows = self._read(lambda tx: self._rows(tx, cypher.FIND_ENTITIES, key=key, needle=f"|{key}|"))
        return [_entity(r["entity"]) for r in rows]

    @_guard
    def search(
        self, text: str, types: list[NodeType] | None = None, limit: int = 20, offset: int = 0
    ) -> list[SearchHit]:
        """Fuzzy search over names and aliases, best first, scored as the embedded store scores.

        The full-text index finds candidates (each word exact, fuzzy or as a prefix);
        `graph.stores.name_index` then ranks them, so a score means the same on every store.
        """
        query = _lucene(text)
        if not query:
            return []
        wanted = sorted({NodeType(t).value for t in types}) if types else None
        candidates = max(_SEARCH_CANDIDATES, 5 * (offset + limit))

        def work(tx: ManagedTransaction) -> tuple[list[Any], dict[str, Entity]]:
            rows = self._rows(tx, cypher.SEARCH_NAMES, query=query, types=wanted, limit=candidates)
            index = NameIndex.build(
                (row["id"], name, row["name"], row["type"])
                for row in rows
                for name in [row["name"], *(row["aliases"] or [])]
            )
            matches = index.search(text, types, limit, offset)
            return matches, self._entities(tx, [m.entity_id for m in matches])

        matches, found = self._read(work)
        return [
            SearchHit(entity=found[m.entity_id], score=m.score, matched=m.matched)
            for m in matches
            if m.entity_id in found
        ]

    # -- relations -------------------------------------------------------------------------------

    @_guard
    def relations(self, flt: RelationFilter) -> list[Relation]:
        """Relations matching the filter, heaviest first, with evidence.

        `source_id`/`target_id` match a symmetric relation at either end, since it has no direction.
        """
        anchor = "source" if flt.source_id is not None else "target" if flt.target_id is not None else None
        query = cypher.relations_query(flt.type, anchor)
        params = {
            "source": flt.source_id,
            "target": flt.target_id,
            "symmetric": _SYMMETRIC,
            "min_weight": flt.min_weight,
            "seen_from": _utc(flt.seen_from),
            "seen_to": _utc(flt.seen_to),
            "offset": flt.offset,
            "limit": flt.limit,
        }
        rows = self._read(lambda tx: self._rows(tx, query, **params))
        return [_relation(r) for r in rows]

    @_guard
    def entity_relations(self, entity_id: str) -> list[Relation]:
        """Every relation at either end of the entity, heaviest first; `NodeNotFound` if unknown."""

        def work(tx: ManagedTransaction) -> list[dict[str, Any]] | None:
            if not self._rows(tx, cypher.GET_ENTITY, id=entity_id):
                return None
            return self._rows(tx, cypher.ENTITY_RELATIONS, id=entity_id)

        rows = self._read(work)
        if rows is None:
            raise NodeNotFound(entity_id)
        return [_relation(r) for r in rows]

    @_guard
    def document_relations(self, doc_id: str) -> list[Relation]:
        """The relations a document supports, each with that document's evidence only."""

        def work(tx: ManagedTransaction) -> list[dict[str, Any]] | None:
            if not self._rows(tx, cypher.DOCUMENT_EXISTS, id=doc_id):
                return None
            return self._rows(tx, cypher.DOCUMENT_RELATIONS, doc_id=doc_id)

        rows = self._read(work)
        if rows is None:
            raise DocumentNotFound(doc_id)
        return [_relation(r, only_doc=doc_id) for r in rows]

    # -- traversals ------------------------------------------------------------------------------

    @_guard
    def neighbourhood(self, query: NeighbourhoodQuery) -> Subgraph:
        """Entities within `depth` hops and the relations among them (semantics of `graph.traversal`).

        Nodes come centre first, then by distance and id; `limit` counts the centre.

        Example:
            `store.neighbourhood(NeighbourhoodQuery(entity_id="company:openai", depth=2))`
        """
        statement = cypher.neighbourhood_query(
            query.depth, query.direction, query.rel_types, query.node_types
        )
        types = sorted(t.value for t in query.rel_types) if query.rel_types else None

        def work(tx: ManagedTransaction) -> tuple[list[str], dict[str, Entity], list[dict[str, Any]]]:
            if not self._rows(tx, cypher.GET_ENTITY, id=query.entity_id):
                raise NodeNotFound(query.entity_id)
            reached = self._rows(
                tx,
                statement,
                id=query.entity_id,
                symmetric=_SYMMETRIC,
                min_weight=query.min_weight,
                limit=query.limit - 1,
            )
            nodes = [query.entity_id, *(r["id"] for r in reached)]
            edges = self._rows(
                tx, cypher.INDUCED_RELATIONS, ids=nodes, min_weight=query.min_weight, types=types
            )
            return nodes, self._entities(tx, nodes), edges

        nodes, entities, edges = self._read(work)
        position = {node: i for i, node in enumerate(nodes)}
        relations = sorted(
            (_relation(row) for row in edges), key=lambda r: (position[r.source], r.type.value, r.target)
        )
        return Subgraph(nodes=[entities[n] for n in nodes if n in entities], edges=relations)

    @_guard
    def paths(self, query: PathQuery) -> list[Path]:
        """Paths between two entities, each hop with its evidence; `NoPath` when none within limits.

        Each hop is served by the heaviest allowed relation between its two nodes, as in
        `graph.traversal.hop_arc`.

        Example:
            `store.paths(PathQuery(source_id="company:baidu", target_id="company:openai"))`
        """
        statement = cypher.paths_query(query.mode, query.max_hops, query.direction, query.rel_types, query.k)
        types = sorted(t.value for t in query.rel_types) if query.rel_types else None
        flt = traversal.ArcFilter.of(query.rel_types)

        def work(tx: ManagedTransaction) -> list[Path]:
            ends = self._entities(tx, [query.source_id, query.target_id])
            for end in (query.source_id, query.target_id):
                if end not in ends:
                    raise NodeNotFound(end)
            if query.source_id == query.target_id:
                return [Path(nodes=[ends[query.source_id]], edges=[])]
            rows = self._rows(
                tx,
                statement,
                source=query.source_id,
                target=query.target_id,
                symmetric=_SYMMETRIC,
                min_weight=1,
                cap=cypher.PATH_CAP,
            )
            node_paths: list[list[str]] = [row["ids"] for row in rows]
            if query.mode == "k_shortest":
                node_paths = node_paths[: query.k]
            if not node_paths:
                raise NoPath(query.source_id, query.target_id, query.max_hops)
            members = sorted({n for p in node_paths for n in p})
            adj = traversal.Adjacency()
            for row in self._rows(tx, cypher.RELATIONS_AMONG, ids=members, min_weight=1, types=types):
                adj.add_relation(row["source"], RelType(row["type"]), row["target"], row["weight"])
            hops = [traversal.path_arcs(adj, p, query.direction, flt) for p in node_paths]
            keys = {cast(tuple[str, RelType, str], arc.key) for h in hops for arc in h}
            found: dict[object, Relation] = {}
            key_rows = [{"source": s, "type": t.value, "target": d} for (s, t, d) in sorted(keys)]
            for chunk in _chunks(key_rows, self.batch_size):
                for row in self._rows(tx, cypher.RELATIONS_BY_KEY, keys=list(chunk)):
                    rel = _relation(row)
                    found[(rel.source, rel.type, rel.target)] = rel
            entities = self._entities(tx, members)
            return [
                Path(nodes=[entities[n] for n in p], edges=[found[arc.key] for arc in h])
                for p, h in zip(node_paths, hops, strict=True)
            ]

        return self._read(work)

    # -- iteration and stats ---------------------------------------------------------------------

    @_guard
    def _page(self, statement: str, /, **params: Any) -> list[dict[str, Any]]:
        return self._read(lambda tx: self._rows(tx, statement, **params))

    def iter_entities(self) -> Iterator[Entity]:
        """Every entity, by id, a page (`neo4j_batch_size`) per transaction."""
        after = ""
        while True:
            rows = self._page(cypher.ENTITIES_AFTER, after=after, page=self.batch_size)
            for row in rows:
                yield _entity(row["entity"])
            if len(rows) < self.batch_size:
                return
            after = rows[-1]["entity"]["id"]

    def iter_relations(self, with_evidence: bool = True) -> Iterator[Relation]:
        """Every relation in (source, type, target) order, a page of source entities at a time."""
        statement = cypher.relations_between(with_evidence)
        after = ""
        while True:
            (bound,) = self._page(cypher.SOURCES_AFTER, after=after, page=self.batch_size)
            if bound["last"] is None:
                return
            for row in self._page(statement, after=after, upto=bound["last"]):
                yield _relation(row)
            after = bound["last"]

    def iter_documents(self) -> Iterator[Document]:
        """Every document, oldest ingested first."""
        after = 0
        while True:
            rows = self._page(cypher.DOCUMENTS_AFTER, after=after, page=self.batch_size)
            for row in rows:
                yield _document(row["doc"], row["mentions"])
            if len(rows) < self.batch_size:
                return
            after = rows[-1]["doc"]["seq"]

    @_guard
    def stats(self) -> Stats:
        def work(tx: ManagedTransaction) -> tuple[list[dict[str, Any]], ...]:
            return (
                self._rows(tx, cypher.STATS_ENTITIES),
                self._rows(tx, cypher.STATS_RELATIONS),
                self._rows(tx, cypher.STATS_DOCUMENTS),
            )

        entities, relations, documents = self._read(work)
        by_type = {r["type"]: r["n"] for r in entities}
        rel_types = {r["type"]: r["n"] for r in relations}
        return Stats(
            entities=sum(by_type.values()),
            relations=sum(rel_types.values()),
            documents=documents[0]["n"],
            evidence=sum(r["evidence"] or 0 for r in relations),
            entities_by_type=by_type,
            relations_by_type=rel_types,
        )

    # -- read-only Cypher for the API ------------------------------------------------------------

    def read_cypher(
        self,
        query: str,
        parameters: dict[str, Any] | None = None,
        timeout: float | None = None,
        max_rows: int | None = None,
    ) -> list[dict[str, Any]]:
        """Run a user's read-only Cypher: READ session, transaction timeout, at most `max_rows` rows.

        A write is refused three times over: by keyword, by the planner (`EXPLAIN` reports the
        query type without running it) and by the server, which rejects writes in a READ session.
        Rows come back as JSON-friendly dicts (nodes as `{element_id, labels, properties}`).

        Raises:
            BadQuery: the query writes, is not valid Cypher, lacks a parameter or runs too long.
            StoreUnavailable: the server does not answer.

        Example:
            `store.read_cypher("MATCH (a:Company)-[r:BACKS]->(b) RETURN a.name, b.name LIMIT 5", {})`
        """
        text = query.strip().rstrip(";").strip()
        if not text:
            raise BadQuery("the Cypher query is empty")
        refused = _refused_keyword(text)
        if refused is not None:
            raise BadQuery(f"read-only Cypher only: {refused}")
        seconds = timeout if timeout is not None else self.query_timeout
        cap = max_rows if max_rows is not None else self.max_rows
        params = dict(parameters or {})
        try:
            with self._session(read=True) as session:
                plan = session.run(Query(cypher.explain(text), timeout=seconds), params).consume()
                if plan.query_type not in ("r", None):
                    raise BadQuery(
                        f"read-only Cypher only: this query would write (type {plan.query_type!r})"
                    )
                # Auto-commit, not a transaction function: a user's failing query is not retried.
                result = session.run(Query(text, timeout=seconds), params)
                rows: list[dict[str, Any]] = []
                for record in itertools.islice(result, cap):
                    pairs = zip(record.keys(), record.values(), strict=True)
                    rows.append({key: _json_value(value) for key, value in pairs})
                return rows
        except neo4j_errors.Neo4jError as e:
            if isinstance(e, neo4j_errors.ClientError) or "TimedOut" in (e.code or ""):
                raise self._bad_query(e, seconds) from e
            raise self._failure(e) from e
        except _DRIVER_FAILURES as e:
            raise self._failure(e) from e

    @staticmethod
    def _bad_query(exc: neo4j_errors.Neo4jError, seconds: float) -> AigeoError:
        code = exc.code or ""
        if isinstance(exc, neo4j_errors.AuthError):
            return StoreUnavailable(_first_line(exc))
        if "TimedOut" in code:
            return BadQuery(f"the query ran longer than {seconds:g} s and was stopped")
        if code.endswith(("AccessMode", "Forbidden")) or isinstance(exc, neo4j_errors.Forbidden):
            return BadQuery(f"read-only Cypher only: the server refused a write ({_first_line(exc)})")
        if isinstance(exc, neo4j_errors.CypherSyntaxError):
            return BadQuery(f"invalid Cypher: {_first_line(exc)}")
        return BadQuery(f"the query failed: {_first_line(exc)}")
