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
    _where: dict[str, list[int]] = field(default_factory=dict)
    """Each entity's positions in `keys`/`names`/`ids`."""
    _dead: int = 0
    """Positions emptied by `replaced` (their key is ""), reclaimed when they are a quarter of all."""

    @classmethod
    def build(cls, rows: Iterable[tuple[str, str, str, NodeType | str]]) -> NameIndex:
        """From (entity id, one of its names, its display name, its type) rows."""
        idx = cls()
        for entity_id, name, display, node_type in rows:
            idx._where.setdefault(entity_id, []).append(len(idx.keys))
            idx.keys.append(name_key(name))
            idx.names.append(name)
            idx.ids.append(entity_id)
            idx.display[entity_id] = display
            idx.types[entity_id] = NodeType(node_type)
        idx._by_key = sorted((key, i) for i, key in enumerate(idx.keys))
        return idx

    def replaced(
        self, entity_ids: Collection[str], rows: Iterable[tuple[str, str, str, NodeType | str]]
    ) -> NameIndex:
        """A new index in which `entity_ids` have exactly the names in `rows` (none when absent).

        Copy-on-write: this index is left as it was, for the readers still using it.

        >>> idx = NameIndex.build([("company:a", "Acme", "Acme", NodeType.COMPANY)])
        >>> new = idx.replaced(["company:a"], [("company:a", "Acme Robotics", "Acme Robotics", "Company")])
        >>> [m.matched for m in new.search("acme robotics")], [m.matched for m in idx.search("acme")]
        (['Acme Robotics'], ['Acme'])
        """
        keys, names, ids = self.keys.copy(), self.names.copy(), self.ids.copy()
        display, types, where = dict(self.display), dict(self.types), dict(self._where)
        dead = self._dead
        for entity_id in entity_ids:
            for i in where.pop(entity_id, ()):
                keys[i] = names[i] = ids[i] = ""
                dead += 1
            display.pop(entity_id, None)
            types.pop(entity_id, None)
        added: list[tuple[str, int]] = []
        for entity_id, name, shown, node_type in rows:
            where[entity_id] = [*where.get(entity_id, ()), len(keys)]  # never append to a shared list
            added.append((name_key(name), len(keys)))
            keys.append(added[-1][0])
            names.append(name)
            ids.append(entity_id)
            display[entity_id] = shown
            types[entity_id] = NodeType(node_type)
        if dead * 4 > len(keys):
            live = (i for i in range(len(keys)) if ids[i])
            return NameIndex.build((ids[i], names[i], display[ids[i]], types[ids[i]]) for i in live)
        by_key = [*self._by_key, *sorted(added)]
        by_key.sort()  # two sorted runs: a linear merge
        return NameIndex(keys, names, ids, display, types, by_key, where, dead)

    def entries(self) -> list[tuple[str, str, str, NodeType]]:
        """Every live (entity id, name, display name, type), sorted: what two equal indexes share."""
        return sorted(
            (entity_id, self.names[i], self.display[entity_id], self.types[entity_id])
            for entity_id, positions in self._where.items()
            for i in positions
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
            if self.keys[i] == key:  # else the position was emptied by `replaced`
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
        for key, _raw, i in candidates:
            entity_id = self.ids[i]
            if wanted is not None and self.types[entity_id] not in wanted:
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
