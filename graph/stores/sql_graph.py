"""The embedded store's graph read from SQLite's indexes on demand: traversals without loading the graph.

`SqlGraph` is a `traversal.Graph` whose arcs are looked up node by node (two index probes each,
memoised for one call), in the same order an in-memory `Adjacency` holds them (by relation id), so a
traversal answers exactly as it would in memory. A one-shot command touches a few hundred nodes
instead of loading half a million relations; the server uses it while its in-memory graph is not yet
current.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence

from graph import traversal
from graph.schema import SYMMETRIC_RELATIONS, NodeType, RelType

_NODE_TYPES = {t.value: t for t in NodeType}
_REL_TYPES = {t.value: t for t in RelType}
_SYMMETRIC = ", ".join(f"'{t.value}'" for t in sorted(SYMMETRIC_RELATIONS))
_COLUMNS = "SELECT id, source, type, target, weight FROM relations"

# Arcs out of ?1: relations it is the source of, and symmetric ones it is the target of (walked back).
_OUT = (
    f"{_COLUMNS} WHERE source = ?1 UNION ALL"
    f" {_COLUMNS} WHERE target = ?1 AND source != ?1 AND type IN ({_SYMMETRIC}) ORDER BY id"
)
# Arcs into ?1: relations it is the target of, and symmetric ones it is the source of.
_IN = (
    f"{_COLUMNS} WHERE target = ?1 UNION ALL"
    f" {_COLUMNS} WHERE source = ?1 AND target != ?1 AND type IN ({_SYMMETRIC}) ORDER BY id"
)


class _Arcs(Mapping[str, Sequence[traversal.Arc]]):
    """Arcs out of (or into) each node, fetched on first use."""

    def __init__(self, conn: sqlite3.Connection, outward: bool) -> None:
        self._conn = conn
        self._outward = outward
        self._query = _OUT if outward else _IN
        self._seen: dict[str, list[traversal.Arc]] = {}

    def _fetch(self, node: str) -> list[traversal.Arc]:
        found = self._seen.get(node)
        if found is None:
            near = 1 if self._outward else 3  # the column holding `node` on a forward arc
            found = [
                tuple.__new__(
                    traversal.Arc,
                    (row[4 - near], _REL_TYPES[row[2]], row[4], row[0], True)
                    if row[near] == node
                    else (row[near], _REL_TYPES[row[2]], row[4], row[0], False),
                )
                for row in self._conn.execute(self._query, (node,))
            ]
            self._seen[node] = found
        return found

    def get(self, node: str, default: object = None) -> Sequence[traversal.Arc]:
        return self._fetch(node)

    def __getitem__(self, node: str) -> Sequence[traversal.Arc]:
        return self._fetch(node)

    def __iter__(self) -> Iterator[str]:
        return (row[0] for row in self._conn.execute("SELECT id FROM entities ORDER BY id"))

    def __len__(self) -> int:
        return int(self._conn.execute("SELECT COUNT(*) FROM entities").fetchone()[0])


class _NodeTypes(Mapping[str, NodeType]):
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._seen: dict[str, NodeType | None] = {}

    def get(self, node: str, default: object = None) -> NodeType | None:  # type: ignore[override]
        if node not in self._seen:
            row = self._conn.execute("SELECT type FROM entities WHERE id = ?", (node,)).fetchone()
            self._seen[node] = _NODE_TYPES[row[0]] if row else None
        return self._seen[node]

    def __getitem__(self, node: str) -> NodeType:
        found = self.get(node)
        if found is None:
            raise KeyError(node)
        return found

    def __contains__(self, node: object) -> bool:
        return isinstance(node, str) and self.get(node) is not None

    def __iter__(self) -> Iterator[str]:
        return (row[0] for row in self._conn.execute("SELECT id FROM entities ORDER BY id"))

    def __len__(self) -> int:
        return int(self._conn.execute("SELECT COUNT(*) FROM entities").fetchone()[0])


class SqlGraph(traversal.MappedGraph):
    """A `traversal.Graph` over one connection's snapshot; valid while that read lasts."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.node_types = _NodeTypes(conn)
        self.succ = _Arcs(conn, outward=True)
        self.pred = _Arcs(conn, outward=False)
