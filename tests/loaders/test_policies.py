"""One Policy node per measure across documents (issue 11), through the real Ingestor and embedded store.

The extractor here hands over prepared batches (what the pipeline would read from each article), so
the tests pin the resolution itself and run without spaCy.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from graph.model import Document, Entity, Evidence, GraphBatch, Relation
from graph.names import slug
from graph.schema import NodeType, RelType
from graph.stores.embedded import EmbeddedStore
from loaders.ingest import Ingestor
from loaders.policies import kind_of
from loaders.raw import RawDocument
from loaders.readers import ReadResult
from tests.loaders.pipeline_cache import extract_text

ACTORS = {
    "government:usa": ("US", NodeType.GOVERNMENT),
    "government:usa-bis": ("Bureau of Industry and Security", NodeType.GOVERNMENT),
    "government:usa-commerce": ("United States Department of Commerce", NodeType.GOVERNMENT),
    "government:nld": ("Netherlands", NodeType.GOVERNMENT),
    "government:chn": ("China", NodeType.GOVERNMENT),
    "company:nvidia": ("Nvidia", NodeType.COMPANY),
    "company:huawei": ("Huawei", NodeType.COMPANY),
}


@dataclass(frozen=True)
class Reading:
    """What one article says about a measure."""

    enactor: str
    kind: str
    target: str
    published: date | None
    since: date | None = None


def batch_for(doc_id: str, r: Reading) -> GraphBatch:
    """A batch shaped as the pipeline builds it (loaders/pipeline.py `_policies`)."""
    enactor, target = ACTORS[r.enactor][0], ACTORS[r.target][0]
    policy_id = f"policy:{slug(f'{enactor} {r.kind} {target}')}"
    sentence = f"{enactor} imposed {r.kind} on {target}."
    ev = Evidence(
        doc_id=doc_id, sentence=sentence, start=0, end=len(sentence), extractor="test", since=r.since
    )
    published = (
        datetime(r.published.year, r.published.month, r.published.day, tzinfo=UTC) if r.published else None
    )
    entities = [
        Entity(id=i, name=ACTORS[i][0], type=ACTORS[i][1], mention_count=1) for i in (r.enactor, r.target)
    ] + [Entity(id=policy_id, name=f"{enactor} {r.kind} on {target}", type=NodeType.POLICY, mention_count=1)]
    relations = [
        Relation(source=r.enactor, type=RelType.ENACTS, target=policy_id, evidence=[ev], since=r.since),
        Relation(source=policy_id, type=RelType.TARGETS, target=r.target, evidence=[ev]),
        Relation(source=r.enactor, type=RelType.RESTRICTS, target=r.target, evidence=[ev]),
    ]
    document = Document(id=doc_id, source=f"{doc_id}.txt", published=published)
    return GraphBatch(document=document, entities=entities, relations=relations)


class Prepared:
    """An extractor that returns the batch prepared for each article's text."""

    def __init__(self, batches: dict[str, GraphBatch]) -> None:
        self.batches = batches

    def extract(self, raw: RawDocument, ingested_at: datetime | None = None) -> GraphBatch:
        return self.batches[raw.text]

    def extract_many(self, raws: Iterable[RawDocument]) -> Iterator[GraphBatch]:
        return (self.extract(raw) for raw in raws)


def ingest(store: EmbeddedStore, readings: dict[str, Reading]) -> None:
    batches = {f"text of {doc_id}": batch_for(doc_id, r) for doc_id, r in readings.items()}
    raws = [RawDocument(source=b.document.source, text=text) for text, b in batches.items()]
    # RawDocument ids are content hashes; the prepared batches keep their own readable ids.
    report = Ingestor(store, lambda: Prepared(batches), on_error="raise").ingest_reads(
        [("news", ReadResult(documents=raws))]
    )
    assert {o.status for o in report.outcomes} == {"added"}


def policies(store: EmbeddedStore) -> dict[str, set[str]]:
    """Each Policy's id -> the documents behind it."""
    found = {}
    for e in store.iter_entities():
        if e.type is NodeType.POLICY:
            found[e.id] = {ev.doc_id for r in store.entity_relations(e.id) for ev in r.evidence}
    return found


@pytest.fixture
def store(tmp_path: Path) -> Iterator[EmbeddedStore]:
    with EmbeddedStore(tmp_path) as s:
        yield s


def test_ten_articles_about_one_measure_give_one_policy_with_ten_documents(store: EmbeddedStore) -> None:
    start = date(2022, 10, 7)
    spellings = [
        ("government:usa-commerce", "export controls"),
        ("government:usa", "export controls"),
        ("government:usa-bis", "restrictions"),
        ("government:usa", "access restrictions"),
        ("government:usa", "restrictions"),
    ]
    readings = {
        f"doc-{i}": Reading(
            *spellings[i % len(spellings)],
            "government:chn",
            published=start + timedelta(days=5 + 12 * i),
            since=start if i % 3 == 0 else None,
        )
        for i in range(10)
    }
    ingest(store, readings)

    found = policies(store)
    assert len(found) == 1, found
    (docs,) = found.values()
    assert docs == set(readings)
    (policy,) = (e for e in store.iter_entities() if e.type is NodeType.POLICY)
    assert "US access restrictions on China" in policy.aliases  # each spelling stays findable


def test_distinct_measures_stay_distinct(store: EmbeddedStore) -> None:
    ingest(
        store,
        {
            # the 2022 rule and its 2023 update: both state their dates, a year apart
            "rule-2022": Reading(
                "government:usa-commerce",
                "export controls",
                "government:chn",
                date(2022, 10, 12),
                since=date(2022, 10, 7),
            ),
            "update-2023": Reading(
                "government:usa-bis",
                "export controls",
                "government:chn",
                date(2023, 10, 18),
                since=date(2023, 10, 17),
            ),
            # another kind of measure, another target, another state, and no date at all
            "listing": Reading("government:usa", "entity listing", "government:chn", date(2022, 10, 20)),
            "nvidia": Reading("government:usa", "export controls", "company:nvidia", date(2022, 10, 13)),
            "dutch": Reading("government:nld", "export controls", "government:chn", date(2022, 10, 14)),
            "undated": Reading("government:usa", "restrictions", "government:chn", None),
            # a 2023 article cannot restate the 2023 update before it was made: it restates the 2022 rule
            "spring-2023": Reading("government:usa", "restrictions", "government:chn", date(2023, 5, 21)),
        },
    )
    by_docs = {frozenset(docs) for docs in policies(store).values()}
    assert by_docs == {
        frozenset({"rule-2022", "spring-2023"}),
        frozenset({"update-2023"}),
        frozenset({"listing"}),
        frozenset({"nvidia"}),
        frozenset({"dutch"}),
        frozenset({"undated"}),
    }


def test_retracting_the_first_article_of_a_policy_keeps_it_for_the_others(store: EmbeddedStore) -> None:
    ingest(
        store,
        {
            "first": Reading(
                "government:usa-commerce", "export controls", "government:chn", date(2022, 10, 12)
            ),
            "second": Reading("government:usa", "restrictions", "government:chn", date(2022, 11, 2)),
        },
    )
    (policy_id,) = policies(store)
    store.retract("first")
    assert policies(store) == {policy_id: {"second"}}
    store.retract("second")
    assert policies(store) == {}


def test_the_same_words_for_a_later_measure_make_a_policy_of_its_own(store: EmbeddedStore) -> None:
    ingest(
        store,
        {
            "rule-2022": Reading(
                "government:usa",
                "export controls",
                "government:chn",
                date(2022, 10, 12),
                since=date(2022, 10, 7),
            ),
            "rule-2025": Reading(
                "government:usa",
                "export controls",
                "government:chn",
                date(2025, 1, 14),
                since=date(2025, 1, 13),
            ),
        },
    )
    found = policies(store)
    assert found == {
        "policy:us-export-controls-china": {"rule-2022"},
        "policy:us-export-controls-china-2025": {"rule-2025"},
    }


def test_a_policy_taken_under_a_named_act_carries_the_acts_name() -> None:
    batch = extract_text(
        "The Commerce Department awarded Micron a grant of $6.1 billion under the CHIPS and Science Act."
    )
    names = [e.name for e in batch.entities if e.type is NodeType.POLICY]
    assert len(names) == 1 and names[0].endswith("under the CHIPS and Science Act"), names
    assert kind_of(names[0]) == "state aid"


def test_an_act_only_mentioned_beside_a_measure_does_not_name_it() -> None:
    batch = extract_text(
        "The Commerce Department, which also runs the CHIPS Act, added Hexon Microsystems to the Entity List."
    )
    names = [e.name for e in batch.entities if e.type is NodeType.POLICY]
    assert names and not any("CHIPS" in n for n in names), names
