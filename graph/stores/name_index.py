"""Fuzzy name search over every name and alias, ranked exact > prefix > fuzzy.

Scores run 0-100: 100 when the query equals a name under `graph.names.name_key`, 90-99 when it is a
prefix of one (longer prefixes of shorter names score higher), and rapidfuzz's `WRatio` scaled into
0-89 otherwise, so no fuzzy hit ever outranks a prefix hit.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from graph.names import name_key
from graph.schema import NodeType

FUZZY_CUTOFF = 60.0
"""Lowest raw `WRatio` kept: below it matches are noise (`xyz` against `Baidu`)."""


@dataclass(frozen=True)
class NameMatch:
    entity_id: str
    score: float
    matched: str


def score(query_key: str, key: str, raw: float) -> float:
    """Rank one candidate name (both already `name_key`ed) given its raw fuzzy score.

    >>> score("openai", "openai", 100.0)
    100.0
    >>> 90 <= score("open", "openai", 90.0) < 100
    True
    >>> score("opnai", "openai", 90.9)
    80.9
    """
    if key == query_key:
        return 100.0
    if key.startswith(query_key):
        return round(90.0 + 9.0 * len(query_key) / len(key), 2)
    return round(min(raw, 100.0) * 0.89, 2)


@dataclass
class NameIndex:
    """Every (name, entity) pair in memory, for one generation of the store's data.

    >>> idx = NameIndex.build([("company:openai", "OpenAI", "OpenAI", NodeType.COMPANY)])
    >>> [(m.entity_id, m.score) for m in idx.search("OPENAI")]
    [('company:openai', 100.0)]
    """

    keys: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    display: dict[str, str] = field(default_factory=dict)
    types: dict[str, NodeType] = field(default_factory=dict)
    _by_key: list[tuple[str, int]] = field(default_factory=list)

    @classmethod
    def build(cls, rows: Iterable[tuple[str, str, str, NodeType | str]]) -> NameIndex:
        """From (entity id, one of its names, its display name, its type) rows."""
        idx = cls()
        for entity_id, name, display, node_type in rows:
            idx.keys.append(name_key(name))
            idx.names.append(name)
            idx.ids.append(entity_id)
            idx.display[entity_id] = display
            idx.types[entity_id] = NodeType(node_type)
        idx._by_key = sorted((key, i) for i, key in enumerate(idx.keys))
        return idx

    def _candidates(self, query_key: str, cap: int | None) -> Iterator[tuple[str, float, int]]:
        yield from process.extract(
            query_key, self.keys, scorer=fuzz.WRatio, score_cutoff=FUZZY_CUTOFF, limit=cap
        )
        # WRatio discounts a short query against a long name, so prefixes are found by bisection.
        start = bisect.bisect_left(self._by_key, (query_key, -1))
        for pos in range(start, len(self._by_key)):
            key, i = self._by_key[pos]
            if not key.startswith(query_key):
                break
            yield key, 0.0, i

    def search(
        self, text: str, types: Iterable[NodeType] | None = None, limit: int = 20, offset: int = 0
    ) -> list[NameMatch]:
        """The best match per entity, best first (ties by display name, then id)."""
        query_key = name_key(text)
        if not query_key or not self.keys:
            return []
        wanted = set(types) if types else None
        # Most queries need a few dozen candidates; ranking every name that passes the cutoff
        # costs more than scoring them. Ask for more only when the first round came back short.
        cap: int | None = max(200, 8 * (offset + limit))
        while True:
            candidates = list(self._candidates(query_key, cap))
            best = self._best_per_entity(query_key, candidates, wanted)
            fuzzy = len(candidates) - sum(1 for _, raw, _ in candidates if raw == 0.0)
            if cap is None or fuzzy < cap or len(best) >= offset + limit:
                break
            cap = None
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], self.display[kv[0]].casefold(), kv[0]))
        return [NameMatch(eid, s, matched) for eid, (s, _, matched) in ranked[offset : offset + limit]]

    def _best_per_entity(
        self, query_key: str, candidates: list[tuple[str, float, int]], wanted: set[NodeType] | None
    ) -> dict[str, tuple[float, bool, str]]:
        best: dict[str, tuple[float, bool, str]] = {}
        for key, raw, i in candidates:
            entity_id = self.ids[i]
            if wanted is not None and self.types[entity_id] not in wanted:
                continue
            name = self.names[i]
            # Among equal scores the display name is the better thing to show as matched.
            candidate = (score(query_key, key, raw), name == self.display[entity_id], name)
            if entity_id not in best or candidate[:2] > best[entity_id][:2]:
                best[entity_id] = candidate
        return best
