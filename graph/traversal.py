"""Traversal semantics shared by every store: neighbourhoods and paths as networkx defines them.

The embedded store runs these functions over an `Adjacency` it keeps in memory, or over a view that
reads arcs from SQLite's indexes on demand (any `Graph`); any other store can build one from its own
relations and compare its answers to these, which is how the contract tests use it. Semantics:

- a neighbourhood is `networkx.ego_graph` on the graph first reduced to the relations (type, weight)
  and nodes (type) the query allows; the centre is always kept. Nodes come in breadth-first order,
  centre first, nearer before farther, and `limit` cuts that order. The edges are every allowed
  relation among the returned nodes (an induced subgraph, as `ego_graph` returns).
- `Direction.OUT` follows relations from source to target, `IN` against them, `BOTH` either way;
  symmetric relations (`SYMMETRIC_RELATIONS`) are followed both ways whatever the direction.
- paths are `networkx.shortest_path`, `all_shortest_paths` and `shortest_simple_paths` (Yen) on the
  same reduced graph, bounded by `max_hops`; a path is a list of node ids, and every hop is served by
  the heaviest allowed relation between its two nodes.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

from graph.errors import NodeNotFound, NoPath
from graph.schema import SYMMETRIC_RELATIONS, Direction, NodeType, RelType

ALL_SHORTEST_CAP = 1000
"""`all_shortest_paths` stops after this many paths: hubs make their number grow exponentially."""

_REL_ORDER = {rel: i for i, rel in enumerate(RelType)}


class Arc(NamedTuple):
    """One way to step from a node to `node` along a relation.

    `forward` is True when the step follows the relation as stored (source to target). `key`
    identifies the relation for the store that built the adjacency (a row id, a tuple...).
    """

    node: str
    type: RelType
    weight: int
    key: object
    forward: bool


Neighbours = Callable[[str], Iterable[Arc]]


class Graph(Protocol):
    """What a traversal reads: node types, and the arcs out of (`succ`) and into (`pred`) a node.

    Lists of arcs are in the order the relations were stored (by key), so every `Graph` over the same
    relations answers alike.
    """

    @property
    def node_types(self) -> Mapping[str, NodeType]: ...

    @property
    def succ(self) -> Mapping[str, Sequence[Arc]]: ...

    @property
    def pred(self) -> Mapping[str, Sequence[Arc]]: ...

    def require(self, node: str) -> None:
        """Raise `NodeNotFound` unless the node exists."""
        ...


class MappedGraph:
    """A `Graph` made of three mappings a subclass sets (a layered or an SQL-backed view)."""

    node_types: Mapping[str, NodeType]
    succ: Mapping[str, Sequence[Arc]]
    pred: Mapping[str, Sequence[Arc]]

    def require(self, node: str) -> None:
        """Raise `NodeNotFound` unless the node exists."""
        if node not in self.node_types:
            raise NodeNotFound(node)


@dataclass
class Adjacency:
    """A compact directed multigraph: node types plus arcs out of and into every node.

    Symmetric relations are entered in both directions on both ends, so `succ`/`pred` already
    reflect that they can be walked either way.

    >>> adj = Adjacency()
    >>> adj.add_node("company:microsoft", NodeType.COMPANY)
    >>> adj.add_node("company:openai", NodeType.COMPANY)
    >>> adj.add_relation("company:microsoft", RelType.BACKS, "company:openai", weight=2)
    >>> [a.node for a in adj.succ["company:microsoft"]]
    ['company:openai']
    """

    node_types: dict[str, NodeType] = field(default_factory=dict)
    succ: dict[str, list[Arc]] = field(default_factory=dict)
    pred: dict[str, list[Arc]] = field(default_factory=dict)

    def add_node(self, node: str, node_type: NodeType) -> None:
        self.node_types[node] = node_type

    def add_relation(
        self, source: str, rel: RelType, target: str, weight: int = 1, key: object = None
    ) -> None:
        """Add one stored relation; `key` defaults to `(source, rel, target)`."""
        self.add_relations([(key if key is not None else (source, rel, target), source, rel, target, weight)])

    def add_relations(self, rows: Iterable[tuple[object, str, RelType, str, int]]) -> None:
        """Add many stored relations given as (key, source, type, target, weight) rows.

        The loop is written for speed: half a million rows load in a few seconds.
        """
        succ, pred = self.succ, self.pred
        make = tuple.__new__  # skips NamedTuple's Python-level __new__
        for key, source, rel, target, weight in rows:
            forward = make(Arc, (target, rel, weight, key, True))
            backward = make(Arc, (source, rel, weight, key, True))
            if source in succ:
                succ[source].append(forward)
            else:
                succ[source] = [forward]
            if target in pred:
                pred[target].append(backward)
            else:
                pred[target] = [backward]
            if rel in SYMMETRIC_RELATIONS and source != target:
                reverse = make(Arc, (source, rel, weight, key, False))
                if target in succ:
                    succ[target].append(reverse)
                else:
                    succ[target] = [reverse]
                rev_pred = make(Arc, (target, rel, weight, key, False))
                if source in pred:
                    pred[source].append(rev_pred)
                else:
                    pred[source] = [rev_pred]

    def __contains__(self, node: object) -> bool:
        return node in self.node_types

    def __len__(self) -> int:
        return len(self.node_types)

    def require(self, node: str) -> None:
        """Raise `NodeNotFound` unless the node exists."""
        if node not in self.node_types:
            raise NodeNotFound(node)


@dataclass(frozen=True)
class ArcFilter:
    """Which relations and nodes a traversal may use."""

    rel_types: frozenset[RelType] | None = None
    node_types: frozenset[NodeType] | None = None
    min_weight: int = 1

    @classmethod
    def of(
        cls,
        rel_types: Collection[RelType] | None = None,
        node_types: Collection[NodeType] | None = None,
        min_weight: int = 1,
    ) -> ArcFilter:
        return cls(
            frozenset(rel_types) if rel_types else None,
            frozenset(node_types) if node_types else None,
            min_weight,
        )

    def allows(self, arc: Arc, node_types: Mapping[str, NodeType]) -> bool:
        if self.rel_types is not None and arc.type not in self.rel_types:
            return False
        if arc.weight < self.min_weight:
            return False
        return self.node_types is None or node_types.get(arc.node) in self.node_types


_NO_ARCS: Sequence[Arc] = ()


def _stepper(adj: Graph, direction: Direction, flt: ArcFilter, reverse: bool = False) -> Neighbours:
    """The arcs a walk in `direction` may take out of a node (against it when `reverse`)."""
    walk_out = direction in (Direction.OUT, Direction.BOTH)
    walk_in = direction in (Direction.IN, Direction.BOTH)
    if reverse:
        walk_out, walk_in = walk_in, walk_out
    succ, pred, types = adj.succ, adj.pred, adj.node_types
    unfiltered = flt.rel_types is None and flt.node_types is None and flt.min_weight <= 1

    def step(node: str) -> Iterator[Arc]:
        arcs: Iterable[Arc]
        if walk_out and walk_in:
            arcs = itertools.chain(succ.get(node, _NO_ARCS), pred.get(node, _NO_ARCS))
        elif walk_out:
            arcs = succ.get(node, _NO_ARCS)
        else:
            arcs = pred.get(node, _NO_ARCS)
        if unfiltered:
            yield from arcs
        else:
            for arc in arcs:
                if flt.allows(arc, types):
                    yield arc

    return step


def neighbourhood(
    adj: Graph,
    centre: str,
    depth: int = 1,
    direction: Direction = Direction.BOTH,
    flt: ArcFilter | None = None,
    limit: int | None = None,
) -> list[str]:
    """Nodes within `depth` hops of `centre`, breadth-first, centre first, at most `limit`.

    >>> adj = Adjacency()
    >>> for n in "abc":
    ...     adj.add_node(n, NodeType.COMPANY)
    >>> adj.add_relation("a", RelType.BACKS, "b")
    >>> adj.add_relation("b", RelType.BACKS, "c")
    >>> neighbourhood(adj, "a", depth=2, direction=Direction.OUT)
    ['a', 'b', 'c']
    >>> neighbourhood(adj, "c", depth=1, direction=Direction.OUT)
    ['c']
    """
    adj.require(centre)
    step = _stepper(adj, direction, flt or ArcFilter())
    seen = {centre: 0}
    order = [centre]
    frontier = [centre]
    for level in range(1, depth + 1):
        nxt: list[str] = []
        for node in frontier:
            for arc in step(node):
                if arc.node not in seen:
                    seen[arc.node] = level
                    order.append(arc.node)
                    nxt.append(arc.node)
                    if limit is not None and len(order) >= limit:
                        return order
        if not nxt:
            break
        frontier = nxt
    return order[:limit] if limit is not None else order


def induced_arcs(adj: Graph, nodes: Collection[str], flt: ArcFilter | None = None) -> list[Arc]:
    """Every allowed relation with both ends in `nodes`, once each, as stored (forward) arcs.

    The node-type part of the filter is not applied: `nodes` already decides which nodes count.
    """
    flt = ArcFilter(flt.rel_types, None, flt.min_weight) if flt else ArcFilter()
    members = nodes if isinstance(nodes, set | frozenset | dict) else set(nodes)
    found: list[Arc] = []
    for node in nodes:
        for arc in adj.succ.get(node, _NO_ARCS):
            if arc.forward and arc.node in members and flt.allows(arc, adj.node_types):
                found.append(arc)
    return found


def _bidirectional(
    adj: Graph,
    source: str,
    target: str,
    forward: Neighbours,
    backward: Neighbours,
    max_hops: int,
    ignore_nodes: Collection[str] = (),
    ignore_arcs: Collection[tuple[str, str]] = (),
) -> list[str] | None:
    """A shortest path of at most `max_hops` hops (networkx's bidirectional BFS), or None."""
    if source in ignore_nodes or target in ignore_nodes:
        return None
    if source == target:
        return [source]
    pred: dict[str, str | None] = {source: None}
    succ: dict[str, str | None] = {target: None}
    fwd_frontier, bwd_frontier = [source], [target]
    fwd_depth = bwd_depth = 0
    while fwd_frontier and bwd_frontier and fwd_depth + bwd_depth < max_hops:
        # Expand the smaller side, as networkx does: it keeps the explored ball small.
        if len(fwd_frontier) <= len(bwd_frontier):
            fwd_depth += 1
            fwd_frontier, meet = _grow(
                fwd_frontier, forward, pred, succ, ignore_nodes, lambda u, w: (u, w) in ignore_arcs
            )
        else:
            bwd_depth += 1
            bwd_frontier, meet = _grow(
                bwd_frontier, backward, succ, pred, ignore_nodes, lambda u, w: (w, u) in ignore_arcs
            )
        if meet is not None:
            return _join(pred, succ, meet)
    return None


def _grow(
    frontier: list[str],
    step: Neighbours,
    seen: dict[str, str | None],
    other: dict[str, str | None],
    ignore_nodes: Collection[str],
    blocked: Callable[[str, str], bool],
) -> tuple[list[str], str | None]:
    """One BFS level out of `frontier`: the next frontier, and the node where it meets `other`."""
    nxt: list[str] = []
    for node in frontier:
        for arc in step(node):
            w = arc.node
            if w in ignore_nodes or blocked(node, w):
                continue
            if w not in seen:
                seen[w] = node
                nxt.append(w)
            if w in other:
                return nxt, w
    return nxt, None


def _join(pred: dict[str, str | None], succ: dict[str, str | None], meet: str) -> list[str]:
    path: list[str] = []
    node: str | None = meet
    while node is not None:
        path.append(node)
        node = pred[node]
    path.reverse()
    node = succ[meet]
    while node is not None:
        path.append(node)
        node = succ[node]
    return path


def shortest_path(
    adj: Graph,
    source: str,
    target: str,
    direction: Direction = Direction.BOTH,
    flt: ArcFilter | None = None,
    max_hops: int = 10,
) -> list[str]:
    """One shortest path (node ids) from source to target; `NoPath` beyond `max_hops`.

    >>> adj = Adjacency()
    >>> for n in "abc":
    ...     adj.add_node(n, NodeType.COMPANY)
    >>> adj.add_relation("a", RelType.BACKS, "b")
    >>> adj.add_relation("c", RelType.BACKS, "b")
    >>> shortest_path(adj, "a", "c")
    ['a', 'b', 'c']
    """
    adj.require(source)
    adj.require(target)
    flt = flt or ArcFilter()
    found = _bidirectional(
        adj, source, target, _stepper(adj, direction, flt), _stepper(adj, direction, flt, True), max_hops
    )
    if found is None:
        raise NoPath(source, target, max_hops)
    return found


def _layers(start: str, step: Neighbours, depth: int) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Distances from `start` up to `depth`, and each node's parents on shortest walks."""
    dist = {start: 0}
    parents: dict[str, list[str]] = {start: []}
    frontier = [start]
    for level in range(1, depth + 1):
        nxt: list[str] = []
        for node in frontier:
            for arc in step(node):
                w = arc.node
                if w not in dist:
                    dist[w] = level
                    parents[w] = [node]
                    nxt.append(w)
                elif dist[w] == level and node not in parents[w]:
                    parents[w].append(node)
        frontier = nxt
    return dist, parents


def _walks_to(node: str, parents: dict[str, list[str]]) -> Iterator[list[str]]:
    """Every shortest walk from the BFS root to `node`, root first."""
    if not parents[node]:
        yield [node]
        return
    for parent in parents[node]:
        for walk in _walks_to(parent, parents):
            yield [*walk, node]


def all_shortest_paths(
    adj: Graph,
    source: str,
    target: str,
    direction: Direction = Direction.BOTH,
    flt: ArcFilter | None = None,
    max_hops: int = 10,
    cap: int = ALL_SHORTEST_CAP,
) -> list[list[str]]:
    """Every shortest path (as distinct node sequences), up to `cap` of them, sorted.

    >>> adj = Adjacency()
    >>> for n in "abcd":
    ...     adj.add_node(n, NodeType.COMPANY)
    >>> for s, t in [("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")]:
    ...     adj.add_relation(s, RelType.BACKS, t)
    >>> all_shortest_paths(adj, "a", "d", Direction.OUT)
    [['a', 'b', 'd'], ['a', 'c', 'd']]
    """
    first = shortest_path(adj, source, target, direction, flt, max_hops)
    hops = len(first) - 1
    if hops == 0:
        return [first]
    flt = flt or ArcFilter()
    # Meet in the middle: a path of length d is a shortest walk of ceil(d/2) hops from the source
    # joined to one of floor(d/2) hops into the target, at a node both balls reach at those depths.
    fwd_depth = (hops + 1) // 2
    bwd_depth = hops - fwd_depth
    dist_s, parents_s = _layers(source, _stepper(adj, direction, flt), fwd_depth)
    dist_t, parents_t = _layers(target, _stepper(adj, direction, flt, True), bwd_depth)
    middles = sorted(n for n, d in dist_s.items() if d == fwd_depth and dist_t.get(n) == bwd_depth)
    found: list[list[str]] = []
    for middle in middles:
        for head in _walks_to(middle, parents_s):
            for tail in _walks_to(middle, parents_t):
                found.append(head + tail[-2::-1])
                if len(found) >= cap:
                    return sorted(found)
    return sorted(found)


def k_shortest_paths(
    adj: Graph,
    source: str,
    target: str,
    k: int,
    direction: Direction = Direction.BOTH,
    flt: ArcFilter | None = None,
    max_hops: int = 10,
) -> list[list[str]]:
    """The first `k` simple paths in order of length (Yen, as `networkx.shortest_simple_paths`).

    >>> adj = Adjacency()
    >>> for n in "abcd":
    ...     adj.add_node(n, NodeType.COMPANY)
    >>> for s, t in [("a", "b"), ("b", "d"), ("a", "c"), ("c", "b")]:
    ...     adj.add_relation(s, RelType.BACKS, t)
    >>> k_shortest_paths(adj, "a", "d", k=5, direction=Direction.OUT)
    [['a', 'b', 'd'], ['a', 'c', 'b', 'd']]
    """
    flt = flt or ArcFilter()
    forward, backward = _stepper(adj, direction, flt), _stepper(adj, direction, flt, True)
    paths = [shortest_path(adj, source, target, direction, flt, max_hops)]
    candidates: list[tuple[int, int, list[str]]] = []
    known = {tuple(paths[0])}
    counter = itertools.count()
    while len(paths) < k:
        last = paths[-1]
        for i in range(len(last) - 1):
            root = last[: i + 1]
            ignore_arcs = {(p[i], p[i + 1]) for p in paths if p[: i + 1] == root and len(p) > i + 1}
            budget = max_hops - i
            spur = _bidirectional(
                adj, root[-1], target, forward, backward, budget, set(root[:-1]), ignore_arcs
            )
            if spur is None:
                continue
            candidate = root[:-1] + spur
            if tuple(candidate) not in known:
                known.add(tuple(candidate))
                heapq.heappush(candidates, (len(candidate), next(counter), candidate))
        if not candidates:
            break
        paths.append(heapq.heappop(candidates)[2])
    return paths


def hop_arc(
    adj: Graph,
    u: str,
    v: str,
    direction: Direction = Direction.BOTH,
    flt: ArcFilter | None = None,
) -> Arc:
    """The relation serving the hop u -> v: the heaviest allowed one, ties to the schema's type order."""
    best: Arc | None = None
    for arc in _stepper(adj, direction, flt or ArcFilter())(u):
        if arc.node != v:
            continue
        if best is None or (-arc.weight, _REL_ORDER[arc.type]) < (-best.weight, _REL_ORDER[best.type]):
            best = arc
    if best is None:
        raise NoPath(u, v, 1)
    return best


def path_arcs(
    adj: Graph, nodes: Sequence[str], direction: Direction = Direction.BOTH, flt: ArcFilter | None = None
) -> list[Arc]:
    """The arcs serving each hop of a node path."""
    return [hop_arc(adj, u, v, direction, flt) for u, v in itertools.pairwise(nodes)]
