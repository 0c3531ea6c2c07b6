"""`copy_graph`: one store copied into another through the contract, idempotently.

The source is always a real embedded store; the destination is every store the `store` fixture
reaches (the embedded one here, Neo4j where a server answers), compared by their whole state.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.model import GraphBatch, UpsertResult
from graph.store import GraphStore
from graph.stores.embedded import EmbeddedStore
from graph.sync import copy_graph
from tests.graph.factories import actor, make_batch, store_state


@pytest.fixture
def source(tmp_path: Path, sample: list[GraphBatch]) -> Iterator[EmbeddedStore]:
    """An embedded store holding the sample world, then a renamed and re-typed mention of Zhipu."""
    opened = EmbeddedStore(tmp_path / "source")
    for batch in sample:
        opened.upsert(batch)
    opened.upsert(make_batch("doc-rename", entities=[actor("company:zhipu-ai", name="Z.ai", country=None)]))
    try:
        yield opened
    finally:
        opened.close()


def test_a_copy_holds_exactly_what_the_source_holds(source: EmbeddedStore, store: GraphStore) -> None:
    report = copy_graph(source, store)

    assert (report.added, report.replaced, report.unchanged, report.retracted) == (7, 0, 0, 0)
    assert store_state(store) == store_state(source)
    # The latest document names an entity in the copy as in the source.
    assert store.get_entity("company:zhipu-ai").name == "Z.ai"
    assert [d.id for d in store.documents(limit=100)] == [d.id for d in source.documents(limit=100)]


def test_syncing_again_changes_nothing(source: EmbeddedStore, store: GraphStore) -> None:
    copy_graph(source, store)
    before = store_state(store)

    again = copy_graph(source, store)

    assert (again.added, again.replaced, again.unchanged) == (0, 0, 7)
    assert store_state(store) == before


def test_a_later_sync_brings_new_and_changed_documents(source: EmbeddedStore, store: GraphStore) -> None:
    copy_graph(source, store)
    source.upsert(make_batch("doc-new", relations=[("company:nvidia", "PARTNERS_WITH", "company:microsoft")]))
    changed = make_batch(
        "doc-altman-v2",
        source="articles/doc-altman.txt",
        relations=[("person:sam-altman", "BACKS", "company:nvidia")],
    )
    assert source.upsert(changed).status == "replaced"

    report = copy_graph(source, store)

    assert (report.added, report.replaced, report.unchanged) == (1, 1, 6)
    assert report.replaced_ids == ["doc-altman"]
    assert store_state(store) == store_state(source)


def test_prune_retracts_what_the_source_dropped(source: EmbeddedStore, store: GraphStore) -> None:
    copy_graph(source, store)
    source.retract("doc-baidu-rivalry")

    kept = copy_graph(source, store)
    assert kept.retracted == 0 and store.has_document("doc-baidu-rivalry")

    pruned = copy_graph(source, store, prune=True)

    assert pruned.retracted == 1 and not store.has_document("doc-baidu-rivalry")
    assert store_state(store) == store_state(source)


def test_progress_reports_each_document(source: EmbeddedStore, tmp_path: Path) -> None:
    calls: list[tuple[str, int, int]] = []

    def progress(result: UpsertResult, done: int, total: int) -> None:
        calls.append((result.doc_id, done, total))

    with EmbeddedStore(tmp_path / "copy") as copy:
        copy_graph(source, copy, progress=progress)

    assert [(done, total) for _, done, total in calls] == [(i, 7) for i in range(1, 8)]
    assert [doc_id for doc_id, _, _ in calls] == [d.id for d in source.iter_documents()]


def test_an_empty_source_copies_nothing(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "a") as empty, EmbeddedStore(tmp_path / "b") as copy:
        report = copy_graph(empty, copy)
        assert report.documents == 0 and copy.stats().documents == 0
