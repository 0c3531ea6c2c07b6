"""The pipeline end to end: a short scraped-style article in, one valid GraphBatch out."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from graph.errors import ModelNotFound
from graph.schema import NodeType, RelType
from loaders.pipeline import Pipeline
from loaders.raw import RawDocument
from tests.loaders.pipeline_cache import shared_pipeline

ARTICLE = """Tencent-Backed Zhipu AI Courts Developers As Washington Tightens Chip Rules

Loading...

By Marta Oyelaran
March 3, 2025 | 3 min read

Zhipu AI, which is backed by Tencent, said on Monday that it would give free tokens to developers \
leaving OpenAI. The Beijing-based startup is one of several Chinese firms courting OpenAI's users.

The US Commerce Department imposed new restrictions on exports of advanced AI chips to China \
starting January 15, 2025.

Read Next: Five Stocks Jordan Pellworth Is Buying Before Earnings

Subscribe to our newsletter today and get 50% off your first year!
"""


@pytest.fixture(scope="module")
def raw() -> RawDocument:
    return RawDocument(
        source="articles/zhipu.txt",
        text=ARTICLE,
        title="Tencent-Backed Zhipu AI Courts Developers As Washington Tightens Chip Rules",
        url="https://news.example/zhipu",
        outlet="Example Wire",
        published=datetime(2025, 3, 3, tzinfo=UTC),
    )


def test_batch_document_comes_from_the_raw_document(raw: RawDocument) -> None:
    batch = shared_pipeline().extract(raw)
    doc = batch.document
    assert doc.id == raw.content_hash
    assert (doc.source, doc.title, doc.url, doc.outlet, doc.published) == (
        raw.source, raw.title, raw.url, raw.outlet, raw.published,
    )  # fmt: skip
    assert doc.word_count > 40
    assert set(doc.mentions) == {e.id for e in batch.entities}


def test_article_relations_policies_and_dates(raw: RawDocument) -> None:
    batch = shared_pipeline().extract(raw)
    keys = {(r.source, r.type, r.target) for r in batch.relations}
    assert ("company:tencent", RelType.BACKS, "company:zhipu-ai") in keys
    assert ("government:usa-commerce", RelType.RESTRICTS, "government:chn") in keys
    assert ("company:zhipu-ai", RelType.BASED_IN, "government:chn") in keys
    policy = next(e for e in batch.entities if e.type is NodeType.POLICY)
    enacts = next(r for r in batch.relations if r.type is RelType.ENACTS)
    assert (enacts.source, enacts.target) == ("government:usa-commerce", policy.id)
    assert str(enacts.since) == "2025-01-15"
    assert ("company:zhipu-ai", RelType.BACKS, "company:tencent") not in keys


def test_boilerplate_names_never_become_entities(raw: RawDocument) -> None:
    names = {e.name for e in shared_pipeline().extract(raw).entities}
    assert not any(n in names for n in ("Marta Oyelaran", "Jordan Pellworth", "Example Wire"))


def test_evidence_points_at_its_sentence_in_the_analysed_text(raw: RawDocument) -> None:
    pipeline = shared_pipeline()
    text = pipeline.prepare(raw).text
    batch = pipeline.extract(raw)
    assert batch.relations
    for rel in batch.relations:
        for ev in rel.evidence:
            assert ev.doc_id == batch.document.id
            assert text[ev.start : ev.end].strip() == ev.sentence
            assert ev.extractor and 0.0 < ev.confidence <= 1.0


@pytest.mark.parametrize(
    ("text", "title", "relation", "trigger"),
    [
        (
            "Microsoft invested $1 billion in OpenAI.",
            None,
            ("company:microsoft", "BACKS", "company:openai"),
            "invested",
        ),
        # a later sentence after a blank line and indentation: offsets are the stored sentence's own
        (
            "OpenAI said nothing.\n\n   Microsoft invested $1 billion in OpenAI.",
            None,
            ("company:microsoft", "BACKS", "company:openai"),
            "invested",
        ),
        (
            "Mistral, a rival of OpenAI, raised money.",
            None,
            ("company:mistral-ai", "COMPETES_WITH", "company:openai"),
            "rival",
        ),
        # a title-cased headline, analysed sentence-cased, marks the word as the document spells it
        (
            "The company declined to comment.",
            "OpenAI Blocks Chinese Users",
            ("company:openai", "RESTRICTS", "government:chn"),
            "Blocks",
        ),
    ],
)
def test_evidence_marks_the_word_that_fired_the_rule(
    text: str, title: str | None, relation: tuple[str, str, str], trigger: str
) -> None:
    batch = shared_pipeline().extract(RawDocument(source="t.txt", text=text, title=title))
    rel = next(r for r in batch.relations if (r.source, r.type.value, r.target) == relation)
    (ev,) = rel.evidence
    assert ev.trigger_start is not None and ev.trigger_end is not None
    assert ev.sentence[ev.trigger_start : ev.trigger_end] == trigger
    assert ev.sentence.index(trigger) == ev.trigger_start


def test_every_entity_has_this_documents_mentions_and_aliases(raw: RawDocument) -> None:
    batch = shared_pipeline().extract(raw)
    zhipu = next(e for e in batch.entities if e.id == "company:zhipu-ai")
    assert zhipu.name == "Zhipu AI" and zhipu.mention_count >= 2
    assert zhipu.first_seen == raw.published


def test_separate_title_is_read_too() -> None:
    raw = RawDocument(
        source="t.json", text="The company declined to comment.", title="OpenAI Blocks Chinese Users"
    )
    batch = shared_pipeline().extract(raw)
    assert ("company:openai", RelType.RESTRICTS, "government:chn") in {
        (r.source, r.type, r.target) for r in batch.relations
    }


def test_extract_many_equals_extract_one_by_one(raw: RawDocument) -> None:
    other = RawDocument(source="b.txt", text="Microsoft invested $10 billion in OpenAI in 2023.")
    pipeline = shared_pipeline()
    many = list(pipeline.extract_many([raw, other]))
    assert [b.model_dump() for b in many] == [pipeline.extract(r).model_dump() for r in (raw, other)]


def test_empty_text_gives_an_empty_batch() -> None:
    batch = shared_pipeline().extract(RawDocument(source="e.txt", text=""))
    assert batch.entities == [] and batch.relations == []


def test_missing_model_raises_model_not_found_naming_it() -> None:
    with pytest.raises(ModelNotFound, match="no_such_model_xx"):
        Pipeline(model="no_such_model_xx")


def test_user_registry_file_adds_an_actor(tmp_path: Path) -> None:
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "- {id: company:quarrow-labs, name: Quarrow Labs, type: Company, aliases: [Quarrow], country: GBR}\n",
        encoding="utf-8",
    )
    pipeline = Pipeline(registry_files=[extra])
    batch = pipeline.extract(RawDocument(source="q.txt", text="Tencent-backed Quarrow grew quickly."))
    assert ("company:tencent", RelType.BACKS, "company:quarrow-labs") in {
        (r.source, r.type, r.target) for r in batch.relations
    }


@pytest.mark.slow
def test_a_presidents_order_and_the_states_reading_of_it_are_one_policy() -> None:
    batch = shared_pipeline().extract(
        RawDocument(
            source="order.txt",
            text=(
                "President Donald Trump signed an executive order banning TikTok on Thursday.\n\n"
                "The United States banned TikTok over data concerns."
            ),
        )
    )
    policies = [e for e in batch.entities if e.type.value == "Policy"]
    assert len(policies) == 1
    enactors = {r.source for r in batch.relations if r.type.value == "ENACTS"}
    assert enactors == {"person:donald-trump", "government:usa"}
