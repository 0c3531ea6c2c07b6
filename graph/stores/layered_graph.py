"""A traversal graph as a large shared base plus a small overlay of the nodes changed since.

Moving an in-memory graph on by one write must not cost a copy of the whole graph: the changed nodes'
arc lists and types go into an overlay (a `None` there means "gone"), the base is shared with the
previous snapshot and never mutated. Lookups try the overlay first. Once the overlay outgrows a
sixteenth of the base it is folded into a new flat `Adjacency` (a copy, amortised over as many
changes), so traversals mostly run on plain dicts.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TypeVar

from graph import traversal
from graph.schema import NodeType

V = TypeVar("V")

FOLD_MIN = 4096
"""Overlay entries below which a layered graph is never folded."""

_MISSING = object()


class Layer(Mapping[str, V]):
    """`top` over `base`; a key whose `top` value is None is absent."""

    __slots__ = ("_base", "_top")

    def __init__(self, top: Mapping[str, V | None], base: Mapping[str, V]) -> None:
        self._top = top
        self._base = base

    def get(self, key: str, default: object = None) -> V | None:  # type: ignore[override]
        found = self._top.get(key, _MISSING)
        if found is _MISSING:
            return self._base.get(key, default)  # type: ignore[return-value]
        return default if found is None else found  # type: ignore[return-value]

    def __getitem__(self, key: str) -> V:
        found = self.get(key, _MISSING)
        if found is _MISSING:
            raise KeyError(key)
        return found  # type: ignore[return-value]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key, _MISSING) is not _MISSING

    def __iter__(self) -> Iterator[str]:
        yield from (k for k in self._base if k not in self._top)
        yield from (k for k, v in self._top.items() if v is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class LayeredGraph(traversal.MappedGraph):
    """A `traversal.Graph`: `base` with the overlay dicts on top (all three shared read-only)."""

    def __init__(
        self,
        base: traversal.Adjacency,
        succ: dict[str, list[traversal.Arc] | None],
        pred: dict[str, list[traversal.Arc] | None],
        node_types: dict[str, NodeType | None],
    ) -> None:
        self.base = base
        self.top = (succ, pred, node_types)
        self.succ = Layer(succ, base.succ)
        self.pred = Layer(pred, base.pred)
        self.node_types = Layer(node_types, base.node_types)

    @property
    def overlay_size(self) -> int:
        return sum(len(t) for t in self.top)

    def folded(self) -> traversal.Adjacency:
        """One flat `Adjacency` with the overlay applied (a copy: the base is left as it was)."""
        flat = traversal.Adjacency(dict(self.base.node_types), dict(self.base.succ), dict(self.base.pred))
        succ, pred, types = self.top
        _apply(succ, flat.succ)
        _apply(pred, flat.pred)
        _apply(types, flat.node_types)
        return flat


def _apply(top: Mapping[str, V | None], target: dict[str, V]) -> None:
    for key, value in top.items():
        if value is None:
            target.pop(key, None)
        else:
            target[key] = value


def layered(graph: traversal.Adjacency | LayeredGraph) -> LayeredGraph:
    """A fresh layered graph over `graph`, whose overlay the caller may fill (the old one is copied)."""
    if isinstance(graph, LayeredGraph):
        succ, pred, types = graph.top
        return LayeredGraph(graph.base, dict(succ), dict(pred), dict(types))
    return LayeredGraph(graph, {}, {}, {})


def settled(graph: LayeredGraph) -> traversal.Adjacency | LayeredGraph:
    """`graph`, folded flat once its overlay has grown large enough to pay for the copy."""
    if graph.overlay_size > max(FOLD_MIN, len(graph.base.node_types) // 16):
        return graph.folded()
    return graph
