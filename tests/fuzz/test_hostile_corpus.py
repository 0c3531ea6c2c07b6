"""The generated hostile-file corpus (`tests.fuzz.hostile`) end to end: every file is stored or skipped
with a reason as the corpus says, the good file after them all is stored, and every hostile RDF file
is refused by `aigeo import` in one line with the store unchanged."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aigeo.cli import app
from graph.stores.embedded import EmbeddedStore
from loaders.ingest import Ingestor
from tests.fuzz.hostile import MAX_DOCUMENT_BYTES, MAX_RECORDS, write_corpus, write_rdf_corpus
from tests.loaders.pipeline_cache import shared_pipeline

pytestmark = pytest.mark.slow


def test_every_hostile_file_is_stored_or_skipped_as_expected(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    expected = write_corpus(corpus)
    store = EmbeddedStore(tmp_path / "graph")
    try:
        ingestor = Ingestor(
            store, shared_pipeline, max_bytes=MAX_DOCUMENT_BYTES, max_records=MAX_RECORDS, min_words=5
        )
        report = ingestor.ingest_paths([corpus])
        statuses: dict[str, set[str]] = defaultdict(set)
        for outcome in report.outcomes:
            assert outcome.status != "failed", outcome
            assert outcome.status != "skipped" or outcome.reason, outcome
            statuses[Path(outcome.source.split("#")[0]).name].add(outcome.status)
        got = {name: "stored" if found - {"skipped"} else "skipped" for name, found in statuses.items()}
        assert got == expected
        sources = {d.source for d in store.iter_documents()}
        assert str(corpus / "zz-good.txt") in sources
        assert not any("passwd" in s for s in sources)
    finally:
        store.close()


def test_every_hostile_rdf_file_is_refused_in_one_line(tmp_path: Path) -> None:
    store = tmp_path / "graph"
    EmbeddedStore(store).close()
    runner = CliRunner()
    for name in write_rdf_corpus(tmp_path / "rdf"):
        # unchecked texts, so that each file is refused for its own fault, not for carrying no text
        args = ["import", str(tmp_path / "rdf" / name), "--store", str(store), "--without-text"]
        result = runner.invoke(app, args)
        assert result.exit_code == 1, (name, result.output)
        assert result.output.startswith("error:") and "Traceback" not in result.output, (name, result.output)
        assert len(result.output.strip().splitlines()) <= 25, (name, result.output)
    reopened = EmbeddedStore(store)
    try:
        assert reopened.stats().documents == 0 and reopened.stats().entities == 0
    finally:
        reopened.close()
