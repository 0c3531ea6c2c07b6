"""The CLI's traps of issue 11, each pinned on a real embedded store through typer's runner.

Stores are written with factory batches (no spaCy), so these tests stay fast.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from aigeo.cli import app
from graph.model import GraphBatch
from graph.schema import RelType
from graph.stores.embedded import EmbeddedStore
from tests.graph.factories import make_batch

runner = CliRunner()


def aigeo(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def build(store: Path, *batches: GraphBatch) -> Path:
    with EmbeddedStore(store) as s:
        for b in batches:
            s.upsert(b)
    return store


def doc_ids(store: Path) -> set[str]:
    with EmbeddedStore(store) as s:
        return {d.id for d in s.iter_documents()}


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store whose documents came from a file, a feed's entries, and a URL; cwd is its parent."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "news").mkdir()
    return build(
        tmp_path / "data",
        make_batch(
            "a1b2c3d4e5f6a7b8c9d0e1f2",
            source=str(tmp_path / "news" / "story.txt"),
            relations=[("company:microsoft", RelType.BACKS, "company:openai")],
        ),
        make_batch(
            "ffee00112233445566778899",
            source="news/feed.xml#1",
            relations=[("company:tencent", RelType.BACKS, "company:zhipu-ai")],
        ),
        make_batch("ffee00aabbccddeeff001122", source="news/feed.xml#2"),
        make_batch("0123456789abcdef01234567", source="https://example.org/a", url="https://example.org/a"),
    )


@pytest.mark.parametrize(
    "command",
    [
        ["stats"],
        ["documents"],
        ["neighbours", "OpenAI"],
        ["path", "OpenAI", "Microsoft"],
        ["export", "-o", "-"],
        ["remove", "abc"],
        ["serve"],
    ],
)
def test_read_commands_refuse_a_store_that_does_not_exist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    code, output = aigeo(*command, "--store", "nowhere")
    assert code == 1
    assert len(output.strip().splitlines()) == 1, output
    assert str(tmp_path / "nowhere") in output and "aigeo ingest" in output
    assert not (tmp_path / "nowhere").exists()  # and nothing was created


@pytest.mark.parametrize("spelling", ["news/story.txt", "./news/story.txt", "news/../news/story.txt", "ABS"])
def test_remove_accepts_any_spelling_of_a_stored_path(store: Path, spelling: str) -> None:
    if spelling == "ABS":
        spelling = str(store.parent / "news" / "story.txt")
    code, output = aigeo("remove", spelling, "--store", str(store))
    assert code == 0, output
    assert "a1b2c3d4e5f6a7b8c9d0e1f2" not in doc_ids(store)
    assert len(doc_ids(store)) == 3


@pytest.mark.parametrize("spelling", ["news/feed.xml", "ABS"])
def test_remove_of_a_feed_file_removes_all_its_entries(store: Path, spelling: str) -> None:
    if spelling == "ABS":
        spelling = str(store.parent / "news" / "feed.xml")
    code, output = aigeo("remove", spelling, "--store", str(store))
    assert code == 0, output
    assert "2 documents" in output
    assert doc_ids(store) == {"a1b2c3d4e5f6a7b8c9d0e1f2", "0123456789abcdef01234567"}


def test_remove_by_unique_id_prefix_and_url(store: Path) -> None:
    assert aigeo("remove", "a1b2c3d4", "--store", str(store))[0] == 0
    assert aigeo("remove", "https://example.org/a", "--store", str(store))[0] == 0
    assert doc_ids(store) == {"ffee00112233445566778899", "ffee00aabbccddeeff001122"}


def test_remove_refuses_an_ambiguous_prefix_and_says_path_or_id(store: Path) -> None:
    code, output = aigeo("remove", "ffee00", "--store", str(store))
    assert code == 1 and "2 documents" in output
    code, output = aigeo("remove", "news/other.txt", "--store", str(store))
    assert code == 1 and "no document with path or id 'news/other.txt'" in output
    assert len(doc_ids(store)) == 4


@pytest.mark.parametrize(
    ("name", "marker"),
    [
        ("g.ttl", b"@prefix"),
        ("g.nt", b"<https://"),
        ("g.nq", b"<https://"),
        ("g.jsonld", b"@context"),
        ("g.graphml", b"<graphml"),
        ("g.cyjs.json", b'"data"'),
    ],
)
def test_export_infers_the_format_from_the_extension(
    store: Path, tmp_path: Path, name: str, marker: bytes
) -> None:
    out = tmp_path / name
    code, output = aigeo("export", "--store", str(store), "--output", str(out))
    assert code == 0, output
    assert marker in out.read_bytes()[:2000]


def test_export_format_given_wins_and_a_mismatch_is_an_error(store: Path, tmp_path: Path) -> None:
    code, output = aigeo("export", "--store", str(store), "-f", "nt", "-o", str(tmp_path / "g.ttl"))
    assert code == 1 and "turtle" in output and "nt" in output
    assert not (tmp_path / "g.ttl").exists()
    code, output = aigeo("export", "--store", str(store), "-f", "turtle", "-o", str(tmp_path / "g.data"))
    assert code == 0 and b"@prefix" in (tmp_path / "g.data").read_bytes()


def test_cli_and_api_share_one_table_of_export_formats() -> None:
    from aigeo import cli
    from api.routes import export as api_export
    from graph.export.formats import ExportFormat

    assert api_export.ExportFormat is ExportFormat and cli.ExportFormat is ExportFormat


@pytest.mark.parametrize("name", ["g.graphml", "g.cyjs.json", "bad.ttl"])
def test_import_errors_are_one_clean_line(store: Path, tmp_path: Path, name: str) -> None:
    target = tmp_path / name
    if name == "bad.ttl":
        target.write_text("@prefix a: <http://x/> .\na:b a:c a:d ;; junk\n")
    else:
        assert aigeo("export", "--store", str(store), "-o", str(target))[0] == 0
    code, output = aigeo("import", str(target), "--store", str(tmp_path / "fresh"))
    assert code == 1
    assert len(output.strip().splitlines()) == 1, output
    assert "^ in:" not in output and "b'" not in output
    if name != "bad.ttl":
        assert "not RDF" in output


def test_cli_query_limits_are_the_api_settings(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from aigeo.settings import get_settings

    code, output = aigeo("neighbours", "OpenAI", "--depth", "4", "--store", str(store))
    assert code == 1 and "AIGEO_MAX_DEPTH" in output and "the most is 3" in output
    code, output = aigeo("path", "OpenAI", "Microsoft", "--max-hops", "7", "--store", str(store))
    assert code == 1 and "AIGEO_MAX_HOPS" in output
    monkeypatch.setenv("AIGEO_MAX_DEPTH", "5")
    get_settings.cache_clear()
    try:
        code, output = aigeo("neighbours", "OpenAI", "--depth", "4", "--store", str(store))
    finally:
        monkeypatch.delenv("AIGEO_MAX_DEPTH")
        get_settings.cache_clear()
    assert code == 0, output


def test_documents_sort_by_publication_and_print_json(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    long_source = "news/" + "a-very-long-folder-name/" * 5 + "story.txt"
    store = build(
        tmp_path / "data",
        make_batch("doc-2023", published=datetime(2023, 5, 1, tzinfo=UTC)),
        make_batch("doc-undated", published=None),
        make_batch("doc-2025", source=long_source, published=datetime(2025, 1, 2, tzinfo=UTC)),
        make_batch("doc-2024", published=datetime(2024, 7, 1, tzinfo=UTC)),
    )
    code, output = aigeo("documents", "--json", "--store", str(store))
    assert code == 0, output
    import json

    listed = json.loads(output)
    assert [d["id"] for d in listed] == ["doc-2025", "doc-2024", "doc-2023", "doc-undated"]
    assert "fingerprint" not in listed[0]
    code, output = aigeo("documents", "--store", str(store))
    assert code == 0 and long_source in output  # not wrapped at 80 columns in a pipe
    code, output = aigeo("stats", "--json", "--store", str(store))
    assert code == 0 and json.loads(output)["documents"] == 4


def test_an_ingest_without_a_terminal_prints_progress_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aigeo import cli

    monkeypatch.setattr(cli, "PROGRESS_EVERY", 0.0)
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text("")  # skipped without loading the NLP model
    code, output = aigeo("ingest", str(tmp_path), "--store", str(tmp_path / "data"))
    assert "ingest: " in output and "files read; documents:" in output, output


def test_export_documents_option_writes_document_nodes_in_graphml_only(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "g.graphml"
    code, output = aigeo("export", "--store", str(store), "--documents", "-o", str(out))
    assert code == 0, output
    text = out.read_text()
    assert 'labels=":Document"' in text and 'label="MENTIONS"' in text
    code, output = aigeo("export", "--store", str(store), "--documents", "-o", str(tmp_path / "g.ttl"))
    assert code == 1 and "--documents is for GraphML" in output


def test_a_plain_json_output_needs_the_format_said(store: Path, tmp_path: Path) -> None:
    # '.json' is Cytoscape JSON to some and JSON-LD to others (the importer reads it as JSON-LD)
    out = tmp_path / "g.json"
    code, output = aigeo("export", "--store", str(store), "-o", str(out))
    assert code == 1 and "--format cytoscape or --format jsonld" in output and not out.exists()
    assert aigeo("export", "--store", str(store), "-f", "jsonld", "-o", str(out))[0] == 0
    assert b"@context" in out.read_bytes()[:2000]
    code, output = aigeo("import", str(out), "--store", str(tmp_path / "again"), "--without-text")
    assert code == 0, output
