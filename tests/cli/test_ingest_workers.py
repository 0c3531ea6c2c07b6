"""`aigeo ingest --workers 2`: the same graph as one worker, through the real command and store."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from aigeo.cli import app
from graph.stores.embedded import EmbeddedStore
from tests.loaders.test_ingest_workers import graph_of, write_corpus

runner = CliRunner()


def ingest(corpus: Path, store: Path, *options: str) -> dict[str, object]:
    result = runner.invoke(app, ["ingest", str(corpus), "--store", str(store), *options])
    assert result.exit_code == 0, result.output
    assert "j_empty.txt" in result.output  # the empty file is reported as skipped
    opened = EmbeddedStore(store)
    try:
        return graph_of(opened)
    finally:
        opened.close()


def test_workers_option_builds_the_same_graph_as_one_process(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    (corpus / "k_poison.txt").unlink()  # only the test extractor refuses it; this is the real one
    one = ingest(corpus, tmp_path / "one")
    two = ingest(corpus, tmp_path / "two", "--workers", "2")
    assert one["relations"]
    assert two == one


def test_workers_must_be_at_least_one(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(tmp_path), "--store", str(tmp_path / "s"), "--workers", "0"])
    assert result.exit_code == 2
    assert "--workers" in result.output
