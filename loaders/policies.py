"""One Policy node per measure across documents: a new article's Policy joins a stored one it restates.

The pipeline names a Policy by what one article says (`policy:<enactor>-<kind>-<first target>`), so ten
articles about one export-control package used to give several nodes: one said "the Commerce
Department", another "the US"; one said "export controls", another "restrictions". Before a batch is
written, each of its Policy nodes that the store does not hold yet is compared with the stored
Policies that target the same actors, and takes the id (and name) of the one that is the same measure:

- the same enactor, counting a state's agencies as the state (`government:usa-bis` acts for
  `government:usa`);
- the same family of measure (`loaders/data/policy_kinds.yaml`: export controls, access restrictions
  and bans are curbs; an entity listing or a tariff is another measure);
- at least one target in common;
- close dates: within `STATED_WINDOW` when both texts state the measure's date, else within
  `REPORTED_WINDOW` of the publication date; an article never restates a measure taken after it
  was published. A reading without any date joins nothing.

So the 2022 rule and its 2023 update (both stated, a year apart) stay two Policies. The closest date
wins among several candidates. Stores stay exact: the renamed batch is an ordinary batch, and
retracting a document takes away exactly its share of the Policy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from importlib import resources

import yaml

from graph.errors import NodeNotFound
from graph.model import Entity, GraphBatch, Relation, RelationFilter
from graph.schema import NodeType, RelType
from graph.store import GraphStore

STATED_WINDOW = timedelta(days=90)
REPORTED_WINDOW = timedelta(days=365)
SLACK = timedelta(days=7)
"""How far before a measure's stated date an article may still report it (announced, then dated)."""
MAX_CANDIDATES = 10_000


@dataclass(frozen=True)
class PolicyView:
    """What decides whether two Policy readings are one measure."""

    id: str
    name: str
    kind: str | None
    enactors: frozenset[str]
    targets: frozenset[str]
    stated: date | None
    """The measure's own date, where a text states it."""
    reported: date | None
    """When it was first reported: the earliest publication date."""

    @property
    def day(self) -> date | None:
        return self.stated or self.reported


@lru_cache(maxsize=1)
def families() -> dict[str, str]:
    """Kind of measure -> its family, from `loaders/data/policy_kinds.yaml`."""
    text = resources.files("loaders.data").joinpath("policy_kinds.yaml").read_text(encoding="utf-8")
    table = yaml.safe_load(text)["families"]
    return {kind: family for family, entry in table.items() for kind in entry["kinds"]}


def kind_of(name: str) -> str | None:
    """The kind of measure a Policy's name gives (the pipeline names it "<enactor> <kind> on|to ...").

    >>> kind_of("US export controls on China and others")
    'export controls'
    >>> kind_of("Germany state aid to Intel")
    'state aid'
    """
    found = [k for k in families() if f" {k} on " in f" {name} " or f" {k} to " in f" {name} "]
    return max(found, key=len) if found else None


def acting_state(entity_id: str) -> str:
    """A state's agency acts for the state; any other enactor for itself.

    >>> acting_state("government:usa-bis"), acting_state("company:openai")
    ('government:usa', 'company:openai')
    """
    if entity_id.startswith("government:"):
        return entity_id.split("-", 1)[0]
    return entity_id


def same_measure(new: PolicyView, old: PolicyView) -> timedelta | None:
    """How far apart the two readings' dates are when they are one measure, else None."""
    if new.kind is None or old.kind is None or families()[new.kind] != families()[old.kind]:
        return None
    if not (new.enactors & old.enactors and new.targets & old.targets):
        return None
    if new.day is None or old.day is None or _reports_later(new, old) or _reports_later(old, new):
        return None
    window = STATED_WINDOW if new.stated and old.stated else REPORTED_WINDOW
    gap = abs(new.day - old.day)
    return gap if gap <= window else None


def _reports_later(reading: PolicyView, other: PolicyView) -> bool:
    """Whether an undated reading would report a measure taken after its article was published."""
    return bool(
        reading.stated is None
        and reading.reported
        and other.stated
        and other.stated > reading.reported + SLACK
    )


def _view(policy: Entity, relations: list[Relation], reported: date | None) -> PolicyView:
    relations = [r for r in relations if policy.id in (r.source, r.target)]
    enactors = {
        acting_state(r.source) for r in relations if r.type is RelType.ENACTS and r.target == policy.id
    }
    targets = {r.target for r in relations if r.type is RelType.TARGETS and r.source == policy.id}
    stated = [d for r in relations for d in (r.since, *(ev.since for ev in r.evidence)) if d is not None]
    return PolicyView(
        id=policy.id,
        name=policy.name,
        kind=kind_of(policy.name),
        enactors=frozenset(enactors),
        targets=frozenset(targets),
        stated=min(stated, default=None),
        reported=reported,
    )


def resolve_policies(batch: GraphBatch, store: GraphStore) -> GraphBatch:
    """The batch with each Policy renamed to the stored Policy that is the same measure.

    A reading that matches no stored measure keeps its id, unless a stored Policy of another time
    already has that id (the same words for a later measure): it then gets an id of its own, with
    its year.
    """
    policies = [e for e in batch.entities if e.type is NodeType.POLICY]
    if not policies:
        return batch
    published = batch.document.published.date() if batch.document.published else None
    taken: set[str] = {e.id for e in batch.entities}
    mapping: dict[str, Entity] = {}
    for policy in policies:
        new = _view(policy, batch.relations, published)
        own = _stored(store, policy.id)
        best = _best_match(store, new, own, taken)
        if best is not None:
            if best.id != policy.id:
                mapping[policy.id] = best
                taken.add(best.id)
        elif own is not None:
            mapping[policy.id] = policy.model_copy(update={"id": _fresh_id(store, policy.id, new.day, taken)})
            taken.add(mapping[policy.id].id)
    return _renamed(batch, mapping) if mapping else batch


def _best_match(store: GraphStore, new: PolicyView, own: Entity | None, taken: set[str]) -> Entity | None:
    """The stored Policy that is the same measure as `new`: the closest date wins, then the id.

    `own` is the stored Policy with the reading's very id, if any: it also matches when either side
    has no date to tell them apart, after every dated match.
    """
    candidates: set[str] = set()
    for target in sorted(new.targets):
        flt = RelationFilter(type=RelType.TARGETS, target_id=target, limit=MAX_CANDIDATES)
        candidates.update(r.source for r in store.relations(flt))
    best: tuple[int, timedelta, str, Entity] | None = None
    for candidate in sorted((candidates - taken) | ({new.id} if own else set())):
        stored = own if candidate == new.id else _stored(store, candidate)
        if stored is None or stored.type is not NodeType.POLICY:
            continue
        rank = _rank(new, stored, _view(stored, store.entity_relations(candidate), _day(stored.first_seen)))
        if rank is not None and (best is None or rank[:3] < best[:3]):
            best = rank
    return best[3] if best else None


def _rank(new: PolicyView, stored: Entity, old: PolicyView) -> tuple[int, timedelta, str, Entity] | None:
    """How good a match the stored Policy is (lower is better), or None when it is another measure."""
    gap = same_measure(new, old)
    if gap is not None:
        return (0, gap, old.id, stored)
    if old.id == new.id and (new.day is None or old.day is None):
        return (1, timedelta(0), old.id, stored)  # the very same words, and no date to tell
    return None


def _stored(store: GraphStore, entity_id: str) -> Entity | None:
    try:
        return store.get_entity(entity_id)
    except NodeNotFound:
        return None


def _day(moment: datetime | None) -> date | None:
    return moment.date() if moment else None


def _fresh_id(store: GraphStore, base: str, day: date | None, taken: set[str]) -> str:
    stem = f"{base}-{day.year if day else 'undated'}"
    candidate, n = stem, 1
    while candidate in taken or _stored(store, candidate) is not None:
        n += 1
        candidate = f"{stem}-{n}"
    return candidate


def _renamed(batch: GraphBatch, mapping: dict[str, Entity]) -> GraphBatch:
    def new_id(entity_id: str) -> str:
        return mapping[entity_id].id if entity_id in mapping else entity_id

    entities = []
    for e in batch.entities:
        if e.id in mapping:
            stored = mapping[e.id]
            aliases = list(dict.fromkeys([*e.aliases, *([e.name] if e.name != stored.name else [])]))
            e = e.model_copy(update={"id": stored.id, "name": stored.name, "aliases": aliases})
        entities.append(e)
    relations = [
        r.model_copy(update={"source": new_id(r.source), "target": new_id(r.target)}) for r in batch.relations
    ]
    return GraphBatch(document=batch.document, entities=entities, relations=relations, text=batch.text)
