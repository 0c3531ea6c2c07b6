"""The `aigeo` command end to end: real files, the real embedded store, the real spaCy pipeline."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from aigeo.cli import app
from graph.model import Stats
from graph.stores import open_store

runner = CliRunner()


def aigeo(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory, examples_dir: Path) -> Path:
    """A store holding the whole sample corpus, ingested once for this module (read-only use)."""
    store = tmp_path_factory.mktemp("store") / "data"
    code, output = aigeo("ingest", str(examples_dir), "--store", str(store))
    assert code == 0, output
    return store


@pytest.fixture
def store_copy(ingested: Path, tmp_path: Path) -> Path:
    """A private copy of the ingested store, for tests that change it."""
    target = tmp_path / "copy"
    shutil.copytree(ingested, target)
    return target


def export_graphml(store: Path, out: Path) -> nx.MultiDiGraph:
    code, output = aigeo("export", "--store", str(store), "--format", "graphml", "--output", str(out))
    assert code == 0, output
    return nx.read_graphml(out, force_multigraph=True)


def test_ingest_builds_a_graph_of_the_sample_corpus(ingested: Path) -> None:
    code, output = aigeo("stats", "--store", str(ingested))
    assert code == 0, output
    assert "Company" in output and "Government" in output
    assert "BACKS" in output and "RESTRICTS" in output


def test_reingesting_changes_nothing(store_copy: Path, examples_dir: Path, tmp_path: Path) -> None:
    before = (tmp_path / "before.graphml")
    export_graphml(store_copy, before)
    code, output = aigeo("ingest", str(examples_dir), "--store", str(store_copy))
    assert code == 0, output
    assert "unchanged" in output
    after = tmp_path / "after.graphml"
    export_graphml(store_copy, after)
    assert before.read_bytes() == after.read_bytes()


def test_export_reads_back_with_apoc_attributes(ingested: Path, tmp_path: Path) -> None:
    g = export_graphml(ingested, tmp_path / "g.graphml")
    assert g.number_of_nodes() > 20 and g.number_of_edges() > 10
    for _, attrs in g.nodes(data=True):
        assert attrs["labels"].startswith(":") and attrs["type"] in attrs["labels"]
        assert isinstance(json.loads(attrs["aliases"]), list)
    assert {a["label"] for _, _, a in g.edges(data=True)} >= {"BACKS", "RESTRICTS"}


def test_export_to_stdout(ingested: Path) -> None:
    code, output = aigeo("export", "--store", str(ingested))
    assert code == 0
    assert output.lstrip().startswith("<?xml") and output.rstrip().endswith("</graphml>")


def test_neighbours_resolves_names_through_aliases(ingested: Path) -> None:
    code, output = aigeo("neighbours", "microsoft corp.", "--store", str(ingested))
    assert code == 0, output
    assert "OpenAI" in output and "Microsoft" in output


def test_path_between_two_actors(ingested: Path) -> None:
    code, output = aigeo("path", "Microsoft", "China", "--store", str(ingested))
    assert code == 0, output
    assert "path 1" in output and "Microsoft" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("neighbours", "Nonexistent Widget Corporation"), "no entity"),
        (("path", "OpenAI", "Nonexistent Widget Corporation"), "no entity"),
        (("remove", "no-such-document"), "no document"),
    ],
)
def test_unknown_names_fail_with_one_line(ingested: Path, args: tuple[str, ...], message: str) -> None:
    code, output = aigeo(*args, "--store", str(ingested))
    assert code == 1
    assert message in output and "Traceback" not in output


def test_missing_path_fails_before_ingesting(tmp_path: Path) -> None:
    store = tmp_path / "store"
    code, output = aigeo("ingest", str(tmp_path / "nope.txt"), "--store", str(store))
    assert code == 1
    assert "no such file or directory" in output


def stats_of(store: Path) -> Stats:
    handle = open_store(str(store))
    try:
        return handle.stats()
    finally:
        handle.close()


def test_bad_files_are_reported_and_skipped_and_nothing_stored_is_lost(
    store_copy: Path, tmp_path: Path
) -> None:
    before = stats_of(store_copy)
    bad = tmp_path / "incoming"
    bad.mkdir()
    (bad / "empty.txt").write_text("")
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    (bad / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (bad / "huge.txt").write_text("Nvidia sells chips. " * 400_000)
    (bad / "good.txt").write_text(
        "Samsung Electronics invested in a new Korean chip startup, the company said on Monday.\n"
    )
    code, output = aigeo("ingest", str(bad), "--store", str(store_copy))
    assert code == 0, output
    for name in ("empty.txt", "binary.txt", "photo.png", "huge.txt"):
        assert name in output, f"{name} not reported"
    assert "Traceback" not in output
    after = stats_of(store_copy)
    assert after.documents == before.documents + 1
    assert after.entities >= before.entities and after.relations >= before.relations


def test_remove_retracts_a_document_by_path(store_copy: Path, examples_dir: Path, tmp_path: Path) -> None:
    one = sorted(p for p in examples_dir.glob("*.txt"))[0]
    code, output = aigeo("remove", str(one), "--store", str(store_copy))
    assert code == 0, output
    assert "removed document" in output
    code, output = aigeo("remove", str(one), "--store", str(store_copy))
    assert code == 1


def test_neo4j_uri_that_nothing_answers_fails_with_one_line(tmp_path: Path) -> None:
    code, output = aigeo("stats", "--store", "bolt://127.0.0.1:9")
    assert code == 1
    assert "Traceback" not in output
    assert len(output.strip().splitlines()) == 1


def test_unknown_store_scheme_is_refused(tmp_path: Path) -> None:
    code, output = aigeo("stats", "--store", "mongodb://localhost")
    assert code == 1
    assert "bolt://" in output


@pytest.mark.parametrize("fmt", ["turtle", "nt", "nq", "jsonld", "cytoscape"])
def test_export_in_every_format_and_rdf_imports_back(ingested: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"graph.{fmt}"
    code, output = aigeo("export", "--store", str(ingested), "--format", fmt, "--output", str(out))
    assert code == 0, output
    assert out.stat().st_size > 0 and not list(tmp_path.glob(".*.part"))
    if fmt in ("turtle", "nt", "nq", "jsonld"):
        fresh = tmp_path / "fresh"
        code, output = aigeo("import", str(out), "--store", str(fresh))
        assert code == 0, output
        assert stats_of(fresh).relations == stats_of(ingested).relations


def test_bad_setting_is_named_in_one_line(ingested: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from aigeo.settings import get_settings

    monkeypatch.setenv("AIGEO_MAX_DEPTH", "many")
    get_settings.cache_clear()
    try:
        code, output = aigeo("stats", "--store", str(ingested))
    finally:
        monkeypatch.delenv("AIGEO_MAX_DEPTH")
        get_settings.cache_clear()
    assert code == 1
    assert "AIGEO_MAX_DEPTH" in output and "Traceback" not in output


def test_export_refuses_a_folder_that_does_not_exist(ingested: Path, tmp_path: Path) -> None:
    code, output = aigeo("export", "--store", str(ingested), "--output", str(tmp_path / "no" / "g.graphml"))
    assert code == 1 and "does not exist" in output


def test_one_measure_told_by_several_examples_is_one_policy(ingested: Path) -> None:
    # issue 11: the Dutch curbs on ASML's China sales were two Policy nodes, one per wording.
    store = open_store(str(ingested))
    try:
        dutch = []
        for e in store.iter_entities():
            rels = store.entity_relations(e.id) if e.type.value == "Policy" else []
            enacted = any(r.source == "government:nld" and r.type.value == "ENACTS" for r in rels)
            if enacted and any(r.target == "government:chn" for r in rels):
                dutch.append((e, {ev.doc_id for r in rels for ev in r.evidence}))
        assert len(dutch) == 1, [e.name for e, _ in dutch]
        assert len(dutch[0][1]) >= 2
    finally:
        store.close()
