"""Response bodies that take more than one store call to assemble (named ends, grouped relations)."""

from __future__ import annotations

from collections import defaultdict

from api.models import (
    DocumentDetail,
    DocumentOut,
    EntityCounts,
    EntityDetail,
    EntityRef,
    LinkedRelation,
    RelationGroup,
)
from graph.model import Document, Entity, Relation
from graph.schema import SYMMETRIC_RELATIONS, Direction, RelType
from graph.store import GraphStore

_TYPE_ORDER = {t: i for i, t in enumerate(RelType)}
_DIRECTION_ORDER = {Direction.OUT: 0, Direction.IN: 1, Direction.BOTH: 2}


class EntityRefs:
    """Names relation ends, asking the store once per entity per request."""

    def __init__(self, store: GraphStore, known: list[Entity] | None = None) -> None:
        self._store = store
        self._cache: dict[str, EntityRef] = {e.id: EntityRef.of(e) for e in known or []}

    def __call__(self, entity_id: str) -> EntityRef:
        ref = self._cache.get(entity_id)
        if ref is None:
            ref = self._cache[entity_id] = EntityRef.of(self._store.get_entity(entity_id))
        return ref

    def link(self, rel: Relation) -> LinkedRelation:
        return LinkedRelation.model_validate(
            {**dict(rel), "source_entity": self(rel.source), "target_entity": self(rel.target)}
        )


def direction_from(entity_id: str, rel: Relation) -> Direction:
    """Which way `rel` points as seen from `entity_id`: symmetric relations point both ways."""
    if rel.type in SYMMETRIC_RELATIONS:
        return Direction.BOTH
    return Direction.OUT if rel.source == entity_id else Direction.IN


def entity_detail(store: GraphStore, entity: Entity) -> EntityDetail:
    """The entity, its counts, and its relations grouped by (type, direction), heaviest first."""
    rels = store.entity_relations(entity.id)
    refs = EntityRefs(store, [entity])
    grouped: dict[tuple[RelType, Direction], list[Relation]] = defaultdict(list)
    for rel in rels:
        grouped[(rel.type, direction_from(entity.id, rel))].append(rel)
    groups = [
        RelationGroup(
            type=rel_type,
            direction=direction,
            relations=[refs.link(r) for r in sorted(members, key=lambda r: (-r.weight, r.source, r.target))],
        )
        for (rel_type, direction), members in sorted(
            grouped.items(), key=lambda item: (_TYPE_ORDER[item[0][0]], _DIRECTION_ORDER[item[0][1]])
        )
    ]
    by_type: dict[str, int] = defaultdict(int)
    for rel in rels:
        by_type[rel.type.value] += 1
    counts = EntityCounts(
        relations=len(rels),
        evidence=sum(len(r.evidence) for r in rels),
        documents=len({ev.doc_id for r in rels for ev in r.evidence}),
        relations_by_type=dict(by_type),
    )
    return EntityDetail.model_validate({**dict(entity), "counts": counts, "groups": groups})


def document_detail(store: GraphStore, doc: Document) -> DocumentDetail:
    """The document, the entities it mentions and the relations it supports (its evidence only)."""
    refs = EntityRefs(store)
    entities = sorted((refs(entity_id) for entity_id in doc.mentions), key=lambda r: (r.type, r.name, r.id))
    relations = [refs.link(r) for r in store.document_relations(doc.id)]
    base = DocumentOut.of(doc)
    return DocumentDetail.model_validate({**dict(base), "entities": entities, "relations": relations})
