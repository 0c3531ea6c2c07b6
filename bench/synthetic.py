"""The synthetic graph the benchmarks load: actors, and documents of random relations between them.

`bench/api.py` and `bench/scale.py` build their stores from it, so their figures describe one shape of
graph: ends drawn uniformly (average degree 2m/n), a few duplicate keys across documents so some
relations carry weight > 1, and every entity in at least one document.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from graph.model import Document, Entity, Evidence, GraphBatch, Relation
from graph.schema import NodeType, RelType

NODE_TYPES = list(NodeType)
REL_TYPES = list(RelType)


def entity_id(i: int) -> str:
    return f"{NODE_TYPES[i % len(NODE_TYPES)].value.lower()}:e{i}"


def make_entity(i: int, name: str | None = None) -> Entity:
    return Entity(
        id=entity_id(i), name=name or f"Actor {i}", type=NODE_TYPES[i % len(NODE_TYPES)], mention_count=1
    )


def make_relation(doc_id: str, a: int, b: int, rel_type: RelType, offset: int) -> Relation:
    """`a` tied to `b` by one sentence that starts at `offset` in document `doc_id`."""
    sentence = f"Actor {a} and Actor {b} are linked ({rel_type.value.lower()})."
    ev = Evidence(
        doc_id=doc_id, sentence=sentence, start=offset, end=offset + len(sentence), extractor="bench",
        confidence=0.7,
    )
    return Relation(source=entity_id(a), type=rel_type, target=entity_id(b), evidence=[ev])


def synthetic_batches(n_entities: int, n_relations: int, per_doc: int, seed: int) -> Iterator[GraphBatch]:
    """Documents of `per_doc` random relations each; every entity appears in at least one document."""
    rng = random.Random(seed)
    n_docs = max(1, -(-n_relations // per_doc))
    unplaced = iter(range(n_entities))
    for d in range(n_docs):
        doc_id = f"bench-{d:07d}"
        count = min(per_doc, n_relations - d * per_doc)
        rels: dict[tuple[str, RelType, str], Relation] = {}
        ends: set[int] = set()
        offset = 0
        while len(rels) < count:
            a, b = rng.randrange(n_entities), rng.randrange(n_entities)
            if a == b:
                continue
            rel = make_relation(doc_id, a, b, REL_TYPES[rng.randrange(len(REL_TYPES))], offset)
            offset = rel.evidence[0].end + 1
            if rel.key in rels:
                continue
            rels[rel.key] = rel
            ends.update((a, b))
        # Spread the entities no relation drew over the documents, so all of them exist.
        for _ in range(max(1, n_entities // n_docs + 1)):
            extra = next(unplaced, None)
            if extra is not None:
                ends.add(extra)
        yield GraphBatch(
            document=Document(
                id=doc_id, source=f"bench/{doc_id}.txt", title=f"Synthetic {d}", word_count=offset // 6
            ),
            entities=[make_entity(i) for i in sorted(ends)],
            relations=list(rels.values()),
        )
    for leftover in unplaced:  # only when there are more entities than documents can carry
        doc_id = f"bench-extra-{leftover:07d}"
        yield GraphBatch(
            document=Document(id=doc_id, source=f"bench/{doc_id}.txt"), entities=[make_entity(leftover)]
        )
