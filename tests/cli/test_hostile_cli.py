"""`aigeo ingest` and `aigeo import` on hostile input (issue 13): one line per problem, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

from graph.stores import open_store
from tests.cli.test_cli import aigeo


def documents_in(store: Path) -> int:
    handle = open_store(str(store))
    try:
        return handle.stats().documents
    finally:
        handle.close()


def test_ingest_survives_a_lone_surrogate_and_leaves_symlinks_out_unless_asked(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("Private words that a link put in the corpus folder, never meant to be an article.\n")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.json").write_text(
        json.dumps({"text": "Tencent invested in a Chinese chip startup \ud800 on Monday, it said."})
    )
    (corpus / "b.txt").write_text("Nvidia sold more chips to buyers in Japan this year, the firm said.\n")
    (corpus / "c.txt").symlink_to(outside)
    store = tmp_path / "data"

    code, output = aigeo("ingest", str(corpus), "--store", str(store))
    assert code == 0, output
    assert "Traceback" not in output
    assert "c.txt" in output and "--follow-symlinks" in output
    assert documents_in(store) == 2

    code, output = aigeo("ingest", str(corpus), "--store", str(store), "--follow-symlinks")
    assert code == 0, output
    assert documents_in(store) == 3
