"""The typed model's own rules: what a batch must be before any store sees it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from graph.model import (
    Document,
    Entity,
    Evidence,
    GraphBatch,
    NeighbourhoodQuery,
    Path,
    PathQuery,
    Relation,
    RelationFilter,
)
from graph.names import name_key, slug
from graph.schema import SYMMETRIC_RELATIONS, NodeType, RelType, canonical_pair
from tests.graph.factories import actor, make_batch, make_text, sample_batches


def _evidence(doc_id: str = "d1") -> Evidence:
    return Evidence(doc_id=doc_id, sentence="Tencent backs Zhipu.", start=0, end=20, extractor="test")


def test_symmetric_relations_take_the_canonical_direction() -> None:
    rel = Relation(source="company:openai", type=RelType.COMPETES_WITH, target="company:baidu")
    assert (rel.source, rel.target) == ("company:baidu", "company:openai")
    directed = Relation(source="company:openai", type=RelType.RESTRICTS, target="company:baidu")
    assert (directed.source, directed.target) == ("company:openai", "company:baidu")
    for rel_type in SYMMETRIC_RELATIONS:
        assert canonical_pair("b", rel_type, "a") == canonical_pair("a", rel_type, "b") == ("a", "b")


def test_a_batch_lists_the_entities_its_document_mentions() -> None:
    batch = make_batch(
        "d1", entities=["government:chn"], relations=[("company:tencent", "BACKS", "company:zhipu-ai")]
    )
    assert batch.document.mentions == ["company:tencent", "company:zhipu-ai", "government:chn"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("duplicate_entity", "appears twice in one batch"),
        ("missing_end", "which the batch does not carry"),
        ("foreign_evidence", "cites another document"),
        ("duplicate_relation", "a relation appears twice"),
    ],
)
def test_inconsistent_batches_are_rejected(change: str, message: str) -> None:
    tencent, zhipu = actor("company:tencent"), actor("company:zhipu-ai")
    entities = [tencent, zhipu]
    relations = [Relation(source=tencent.id, type=RelType.BACKS, target=zhipu.id, evidence=[_evidence()])]
    if change == "duplicate_entity":
        entities.append(tencent)
    elif change == "missing_end":
        entities = [tencent]
    elif change == "foreign_evidence":
        relations[0].evidence = [_evidence("d2")]
    else:
        relations.append(relations[0].model_copy())
    with pytest.raises(ValidationError, match=message):
        GraphBatch(document=Document(id="d1", source="a.txt"), entities=entities, relations=relations)


def test_models_refuse_unknown_fields_and_types() -> None:
    with pytest.raises(ValidationError):
        Entity(id="x", name="X", type="Planet")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        Entity(id="x", name="X", type=NodeType.COMPANY, colour="red")  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        Relation(source="a", type="LIKES", target="b")  # type: ignore[arg-type]


def test_a_trigger_is_a_span_of_its_sentence() -> None:
    base = _evidence().model_dump(exclude={"trigger_start", "trigger_end"})
    ev = Evidence(**base, trigger_start=8, trigger_end=13)
    assert ev.sentence[ev.trigger_start : ev.trigger_end] == "backs"
    assert Evidence(**base).trigger_start is None
    for start, end in [(8, None), (None, 13), (13, 8), (8, 8), (15, 21), (-1, 3)]:
        with pytest.raises(ValidationError):
            Evidence(**base, trigger_start=start, trigger_end=end)


def test_seen_at_is_the_publication_date_never_the_ingest_time() -> None:
    published, ingested = datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 2, 1, tzinfo=UTC)
    assert Document(id="d", source="s", published=published, ingested_at=ingested).seen_at == published
    assert Document(id="d", source="s", ingested_at=ingested).seen_at is None  # issue 11
    assert Document(id="d", source="s").seen_at is None


def test_query_limits_are_validated() -> None:
    with pytest.raises(ValidationError):
        NeighbourhoodQuery(entity_id="x", depth=6)
    with pytest.raises(ValidationError):
        PathQuery(source_id="a", target_id="b", max_hops=0)
    with pytest.raises(ValidationError):
        RelationFilter(limit=0)
    assert NeighbourhoodQuery(entity_id="x").direction == "both"


def test_path_hops_count_edges() -> None:
    a, b = actor("company:tencent"), actor("company:zhipu-ai")
    path = Path(nodes=[a, b], edges=[Relation(source=a.id, type=RelType.BACKS, target=b.id)])
    assert path.hops == 1


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("OpenAI", "openai"),
        ("Zhīpǔ AI", "zhipu-ai"),
        ("OpenAI’s", "OpenAI"),
        ("  Baidu,  Inc. ", "baidu inc"),
    ],
)
def test_name_key_folds_case_accents_and_punctuation(left: str, right: str) -> None:
    assert name_key(left) == name_key(right)


def test_slug_makes_id_parts() -> None:
    assert slug("Zhīpǔ AI") == "zhipu-ai"


def test_factory_evidence_offsets_point_at_their_sentences() -> None:
    for batch in sample_batches():
        text = make_text(batch)
        for rel in batch.relations:
            for ev in rel.evidence:
                assert text[ev.start : ev.end] == ev.sentence
