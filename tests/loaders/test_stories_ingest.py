"""Wire copy through the real ingest (readers, spaCy pipeline, embedded store, CLI): copies of one
article are one story, a relation's weight counts stories, and removing a copy is exact (issue 11)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aigeo.cli import app
from graph.model import RelationFilter
from graph.stores.embedded import EmbeddedStore
from loaders.readers import read_file

runner = CliRunner()


def _copies(examples_dir: Path) -> list[dict[str, str]]:
    raw = read_file(examples_dir / "06_microsoft_openai_investment.md", 5_000_000).documents[0]
    lines = raw.text.splitlines()
    trimmed = "\n".join(lines[: int(len(lines) * 0.75)])
    return [
        {"title": raw.title or "", "text": raw.text, "outlet": "Wire", "date": "2024-08-06"},
        {
            "title": raw.title or "",
            "text": "Asia Post | Staff\n\n" + raw.text.replace("alliances", "partnerships"),
            "outlet": "Asia Post",
            "date": "2024-08-06",
        },
        {
            "title": raw.title or "",
            "text": trimmed + "\n\nSubscribe for more.",
            "outlet": "Metro",
            "date": "2024-08-07",
        },
    ]


@pytest.fixture(scope="module")
def wire_store(tmp_path_factory: pytest.TempPathFactory, examples_dir: Path) -> Path:
    folder = tmp_path_factory.mktemp("wire")
    feed = folder / "wire.jsonl"
    feed.write_text("\n".join(json.dumps(r) for r in _copies(examples_dir)) + "\n")
    store = folder / "data"
    result = runner.invoke(app, ["ingest", str(feed), "--store", str(store)])
    assert result.exit_code == 0, result.output
    return store


def _backs(store: Path) -> tuple[int, int, int]:
    with EmbeddedStore(store) as s:
        rels = s.relations(
            RelationFilter(source_id="company:microsoft", target_id="company:openai", limit=10)
        )
        backs = next(r for r in rels if r.type.value == "BACKS")
        return backs.weight, backs.outlets, len({e.doc_id for e in backs.evidence})


def test_copies_of_one_article_are_one_story(wire_store: Path) -> None:
    with EmbeddedStore(wire_store) as s:
        docs = sorted(s.iter_documents(), key=lambda d: d.source)
    assert len(docs) == 3
    first = docs[0]
    assert first.story is None and all(d.story == first.id for d in docs[1:])
    weight, outlets, documents = _backs(wire_store)
    assert (weight, outlets, documents) == (1, 3, 3)  # was weight 3 before stories


def test_removing_a_copy_changes_no_weight_while_another_copy_remains(
    wire_store: Path, tmp_path: Path
) -> None:
    import shutil

    store = tmp_path / "data"
    shutil.copytree(wire_store, store)
    feed = wire_store.parent / "wire.jsonl"
    for entry, expected in ((f"{feed}#1", (1, 2, 2)), (f"{feed}#2", (1, 1, 1))):
        result = runner.invoke(app, ["remove", entry, "--store", str(store)])
        assert result.exit_code == 0, result.output
        assert _backs(store) == expected
