"""Fuzzy name search over every name and alias, ranked exact > prefix > token > fuzzy.

Scores run 0-100: 100 when the query equals a name under `graph.names.name_key`, 90-99 when it is a
prefix of one (longer prefixes of shorter names score higher), 80-89 when its words are whole words of
a name ("china" in "Bank of China", the last word may be cut short), and below 80 for a fuzzy match:
the edit similarity of the query to the whole name or to as many of its words, kept only from
`FUZZY_FLOOR` up, so "china" never finds "Lina Khan" nor "zhipu" the "EU".
"""

from __future__ import annotations

import bisect
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from graph.names import name_key
from graph.schema import NodeType

FUZZY_CUTOFF = 60.0
"""Lowest `WRatio` a name needs to be a candidate at all (cheap, generous: candidates are rescored)."""

FUZZY_FLOOR = 75.0
"""Lowest edit similarity (0-100) of a fuzzy match that is kept: "tencnet" ~ "tencent" is 86,
"baidu" ~ "baido" 80, while "china" ~ "lina" is 67 and "nvid" ~ "nv" 67."""


OVERLAY_MIN = 2000
"""Names an index keeps in its overlay of changed entities before merging them into a new whole."""

NameRow = tuple[str, str, str, "NodeType | str"]
"""(entity id, one of its names, its display name, its type)."""

Best = tuple[float, bool, str]
"""An entity's best match: score, whether it is the display name, the name matched."""


@dataclass(frozen=True)
class NameMatch:
    entity_id: str
    score: float
    matched: str


def _token_run(query_tokens: list[str], tokens: list[str]) -> bool:
    """The query's words appear as consecutive words of the name; the last may be a prefix."""
    n = len(query_tokens)
    for i in range(len(tokens) - n + 1):
        window = tokens[i : i + n]
        if window[:-1] == query_tokens[:-1] and window[-1].startswith(query_tokens[-1]):
            return True
    return False


def similarity(query_key: str, key: str) -> float:
    """Edit similarity of the query to the whole name or to its best run of as many words.

    >>> similarity("tencnet", "tencent") > 85
    True
    >>> similarity("china", "lina khan") < FUZZY_FLOOR
    True
    """
    best = fuzz.ratio(query_key, key)
    query_tokens, tokens = query_key.split(), key.split()
    n = len(query_tokens)
    for i in range(len(tokens) - n + 1):
        best = max(best, fuzz.ratio(query_key, " ".join(tokens[i : i + n])))
    return float(best)


def score(query_key: str, key: str) -> float | None:
    """Rank one candidate name (both already `name_key`ed); None when it is no match.

    >>> score("openai", "openai")
    100.0
    >>> 90 <= score("open", "openai") < 100
    True
    >>> 80 <= score("china", "bank of china") < 90
    True
    >>> score("opnai", "openai")
    71.82
    >>> score("china", "lina khan") is None
    True
    """
    if key == query_key:
        return 100.0
    if key.startswith(query_key):
        return round(90.0 + 9.0 * len(query_key) / len(key), 2)
    if _token_run(query_key.split(), key.split()):
        return round(80.0 + 9.0 * len(query_key) / len(key), 2)
    raw = similarity(query_key, key)
    if raw < FUZZY_FLOOR:
        return None
    return round(min(raw, 100.0) * 0.79, 2)


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
    _hidden: frozenset[str] = frozenset()
    """Entities whose entries above are stale: their current names are in `_overlay`."""
    _overlay: NameIndex | None = None
    _overlay_rows: tuple[NameRow, ...] = ()

    @classmethod
    def build(cls, rows: Iterable[NameRow]) -> NameIndex:
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

    def replaced(self, entity_ids: Collection[str], rows: Iterable[NameRow]) -> NameIndex:
        """A new index in which `entity_ids` have exactly the names in `rows` (none when absent).

        The large part is shared, not copied: the changed entities live in a small overlay, merged
        into a new whole index once it outgrows an eighth of it. This index is left as it was.

        >>> idx = NameIndex.build([("company:a", "Acme", "Acme", NodeType.COMPANY)])
        >>> new = idx.replaced(["company:a"], [("company:a", "Acme Robotics", "Acme Robotics", "Company")])
        >>> [m.matched for m in new.search("acme")], [m.matched for m in idx.search("acme")]
        (['Acme Robotics'], ['Acme'])
        """
        changed = set(entity_ids)
        kept = [r for r in self._overlay_rows if r[0] not in changed]
        kept += rows
        hidden = self._hidden | changed
        if len(kept) > max(OVERLAY_MIN, len(self.keys) // 8):
            return NameIndex.build([*self._base_rows(hidden), *kept])
        base = (self.keys, self.names, self.ids, self.display, self.types, self._by_key)
        return NameIndex(*base, frozenset(hidden), NameIndex.build(kept), tuple(kept))

    def _base_rows(self, hidden: Collection[str]) -> list[NameRow]:
        ids, names, display, types = self.ids, self.names, self.display, self.types
        return [(e, names[i], display[e], types[e]) for i, e in enumerate(ids) if e not in hidden]

    def entries(self) -> list[NameRow]:
        """Every current (entity id, name, display name, type), sorted: what two equal indexes share."""
        rows = [*self._base_rows(self._hidden), *self._overlay_rows]
        return sorted(
            ((e, name, shown, NodeType(t)) for e, name, shown, t in rows), key=lambda r: (r[0], r[1])
        )

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
        if not query_key:
            return []
        wanted = set(types) if types else None
        best = self._best(query_key, wanted, offset + limit)
        overlay = self._overlay
        if overlay is not None:
            best.update(overlay._best(query_key, wanted, None))

        def shown(entity_id: str) -> str:
            return (
                overlay.display[entity_id]
                if entity_id in self._hidden and overlay
                else self.display[entity_id]
            )

        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], shown(kv[0]).casefold(), kv[0]))
        return [NameMatch(eid, s, matched) for eid, (s, _, matched) in ranked[offset : offset + limit]]

    def _best(self, query_key: str, wanted: set[NodeType] | None, needed: int | None) -> dict[str, Best]:
        """The best match of each entity outside `_hidden`."""
        if not self.keys:
            return {}
        # Most queries need a few dozen candidates; ranking every name that passes the cutoff
        # costs more than scoring them. Ask for more only when the first round came back short.
        cap: int | None = None if needed is None else max(200, 8 * needed)
        while True:
            candidates = list(self._candidates(query_key, cap))
            best = self._best_per_entity(query_key, candidates, wanted)
            fuzzy = len(candidates) - sum(1 for _, raw, _ in candidates if raw == 0.0)
            if cap is None or needed is None or fuzzy < cap or len(best) >= needed:
                return best
            cap = None

    def _best_per_entity(
        self, query_key: str, candidates: list[tuple[str, float, int]], wanted: set[NodeType] | None
    ) -> dict[str, Best]:
        best: dict[str, Best] = {}
        hidden = self._hidden
        for key, _raw, i in candidates:
            entity_id = self.ids[i]
            if entity_id in hidden or (wanted is not None and self.types[entity_id] not in wanted):
                continue
            ranked = score(query_key, key)
            if ranked is None:
                continue
            name = self.names[i]
            # Among equal scores the display name is the better thing to show as matched.
            candidate = (ranked, name == self.display[entity_id], name)
            if entity_id not in best or candidate[:2] > best[entity_id][:2]:
                best[entity_id] = candidate
        return best
