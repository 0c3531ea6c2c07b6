"""The embedded store's in-memory state: one immutable snapshot per data generation, moved on by deltas.

Every write logs what it touched in the `changes` table, under the generation it creates: the ids of
the relations it changed with their two ends, and the ids of the entities. A reader whose SQLite
snapshot is at generation g uses a piece of in-memory state (the traversal graph, the name index) only
when that state is at g too. When the state is behind, the reader reads the logged deltas up to g and
the touched rows, in its own snapshot, and derives the successor copy-on-write: the touched nodes get
new arc lists, everything else is shared. Snapshots are never mutated, so a reader holding one is
never disturbed by a write, and a reader never sees a state its SQLite snapshot does not match.

A whole build is needed only when there is no state yet, or when the log does not cover the gap (a
write too large to log, another process's write from an aigeo that does not log, a process more than
`CHANGE_LOG_KEEP` generations behind). Builds and patches are counted: `Versioned.builds` is the
observable the tests pin.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from graph import traversal
from graph.schema import NodeType, RelType
from graph.stores.layered_graph import LayeredGraph, layered, settled
from graph.stores.name_index import NameIndex

LiveGraph = traversal.Adjacency | LayeredGraph
"""The in-memory traversal graph: flat after a whole build, layered after patches."""

CHANGE_LOG_LIMIT = 50_000
"""A write touching more relations and entities than this is not logged: a whole build is cheaper."""

CHANGE_LOG_KEEP = 512
"""Generations kept in the log; a process further behind builds its state afresh."""

_CHUNK = 5000
_NODE_TYPES = {t.value: t for t in NodeType}
_REL_TYPES = {t.value: t for t in RelType}

T = TypeVar("T")


@dataclass(frozen=True)
class Delta:
    """What some writes touched: relation ids, the nodes at their ends (before and after), entity ids."""

    relations: frozenset[int]
    nodes: frozenset[str]
    entities: frozenset[str]


def log_change(
    conn: sqlite3.Connection,
    generation: int,
    relations: Sequence[tuple[int, str, str]] | None,
    entities: Collection[str],
) -> None:
    """Record one write's delta (`relations` as (id, source, target); None when too large to log, see
    `CHANGE_LOG_LIMIT`) and forget entries older than `CHANGE_LOG_KEEP` generations."""
    if relations is not None:
        conn.execute(
            "INSERT OR REPLACE INTO changes (generation, relations, entities) VALUES (?, ?, ?)",
            (generation, json.dumps(relations, separators=(",", ":")), json.dumps(sorted(entities))),
        )
    conn.execute("DELETE FROM changes WHERE generation <= ?", (generation - CHANGE_LOG_KEEP,))


def read_delta(conn: sqlite3.Connection, since: int, until: int) -> Delta | None:
    """Everything the writes after generation `since` up to `until` touched; None when not all are logged."""
    rows = conn.execute(
        "SELECT relations, entities FROM changes WHERE generation > ? AND generation <= ?", (since, until)
    ).fetchall()
    if len(rows) != until - since:
        return None
    relations: set[int] = set()
    nodes: set[str] = set()
    entities: set[str] = set()
    for rels, ents in rows:
        for rel_id, source, target in json.loads(rels):
            relations.add(rel_id)
            nodes.update((source, target))
        entities.update(json.loads(ents))
    return Delta(frozenset(relations), frozenset(nodes), frozenset(entities))


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def _marks(n: int) -> str:
    return ",".join("?" * n)


# -- the traversal graph -----------------------------------------------------------------------------


def build_adjacency(conn: sqlite3.Connection) -> traversal.Adjacency:
    """The whole graph, arcs in relation-id order (the order every patch keeps)."""
    adj = traversal.Adjacency()
    ids: dict[str, str] = {}
    node_types = adj.node_types
    for entity_id, type_ in conn.execute("SELECT id, type FROM entities"):
        node_types[entity_id] = _NODE_TYPES[type_]
        ids[entity_id] = entity_id
    # Re-using the entity id strings keeps half a million arcs from holding a million string copies.
    get, rel_types = ids.get, _REL_TYPES
    adj.add_relations(
        (rel_id, get(source, source), rel_types[type_], get(target, target), weight)
        for rel_id, source, type_, target, weight in conn.execute(
            "SELECT id, source, type, target, weight FROM relations ORDER BY id"
        )
    )
    return adj


def _arc_key(arc: traversal.Arc) -> int:
    return arc.key  # type: ignore[return-value]  # the embedded store's keys are relation ids


def patch_adjacency(graph: LiveGraph, conn: sqlite3.Connection, delta: Delta) -> LiveGraph:
    """`graph` moved on by `delta`, read in `conn`'s snapshot: the touched nodes go to an overlay
    (see `graph.stores.layered_graph`); `graph` itself is left as it was."""
    new = layered(graph)
    succ, pred, types = new.top
    gone = delta.relations
    for node in delta.nodes:
        for view, top in ((new.succ, succ), (new.pred, pred)):
            old = view.get(node)
            if old:
                top[node] = [a for a in old if a.key not in gone] or None
    fresh = traversal.Adjacency()
    for chunk in _chunks(sorted(delta.relations)):
        fresh.add_relations(
            (rel_id, source, _REL_TYPES[type_], target, weight)
            for rel_id, source, type_, target, weight in conn.execute(
                f"SELECT id, source, type, target, weight FROM relations WHERE id IN ({_marks(len(chunk))})",
                chunk,
            )
        )
    for view, top, extra in ((new.succ, succ, fresh.succ), (new.pred, pred, fresh.pred)):
        for node, arcs in extra.items():
            top[node] = sorted([*view.get(node, ()), *arcs], key=_arc_key)
    entities = sorted(delta.entities)
    types.update(dict.fromkeys(entities))
    for chunk in _chunks(entities):
        for entity_id, type_ in conn.execute(
            f"SELECT id, type FROM entities WHERE id IN ({_marks(len(chunk))})", chunk
        ):
            types[entity_id] = _NODE_TYPES[type_]
    return settled(new)


# -- the name index ----------------------------------------------------------------------------------

_NAME_ROWS = (
    "SELECT n.entity_id, n.name, e.name, e.type FROM entity_names n JOIN entities e ON e.id = n.entity_id"
)


def build_names(conn: sqlite3.Connection) -> NameIndex:
    return NameIndex.build(conn.execute(_NAME_ROWS))


def patch_names(idx: NameIndex, conn: sqlite3.Connection, delta: Delta) -> NameIndex:
    """`idx` with the touched entities' names read again in `conn`'s snapshot; `idx` left as it was."""
    entities = sorted(delta.entities)
    rows: list[tuple[str, str, str, str]] = []
    for chunk in _chunks(entities):
        rows += conn.execute(f"{_NAME_ROWS} WHERE n.entity_id IN ({_marks(len(chunk))})", chunk).fetchall()
    return idx.replaced(entities, rows)


@dataclass(frozen=True)
class MemoryStats:
    """What the in-memory state has cost so far: whole builds, delta patches, the generations held."""

    graph_builds: int
    graph_patches: int
    graph_generation: int | None
    names_builds: int
    names_patches: int
    names_generation: int | None


# -- one piece of state, by generation ---------------------------------------------------------------


class Versioned(Generic[T]):
    """One piece of in-memory state and the generation it reflects; thread-safe.

    >>> import sqlite3
    >>> state = Versioned(lambda conn: "built", lambda old, conn, delta: old + "+patched")
    >>> state.at(sqlite3.connect(":memory:"), 3) is None  # nothing yet: the caller decides how to build
    True
    """

    def __init__(
        self,
        build: Callable[[sqlite3.Connection], T],
        patch: Callable[[T, sqlite3.Connection, Delta], T],
    ) -> None:
        self._build = build
        self._patch = patch
        self._lock = threading.Lock()
        self._current: tuple[int, T] | None = None
        self.builds = 0
        """Whole builds so far."""
        self.patches = 0
        """Deltas applied so far."""

    @property
    def generation(self) -> int | None:
        current = self._current
        return None if current is None else current[0]

    def at(self, conn: sqlite3.Connection, generation: int) -> T | None:
        """The state at `generation` (that of `conn`'s snapshot), patched forward when it is behind;
        None when only a whole build can give it (no state yet, a gap the log does not cover, or
        state already newer than this snapshot)."""
        current = self._current
        if current is None:
            return None
        held, state = current
        if held == generation:
            return state
        if held > generation:
            return None
        delta = read_delta(conn, held, generation)
        if delta is None:
            return None
        patched = self._patch(state, conn, delta)
        self._install(generation, patched)
        self.patches += 1
        return patched

    def build(self, conn: sqlite3.Connection, generation: int) -> T:
        """Build the whole state from `conn`'s snapshot (at `generation`) and keep it if it is the newest."""
        state = self._build(conn)
        self.builds += 1
        self._install(generation, state)
        return state

    def _install(self, generation: int, state: T) -> None:
        with self._lock:
            if self._current is None or self._current[0] < generation:
                self._current = (generation, state)

    def clear(self) -> None:
        with self._lock:
            self._current = None
