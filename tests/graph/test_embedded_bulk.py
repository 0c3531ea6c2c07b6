"""The embedded store's writes cost what they write, not what is stored: counted in SQLite VM steps
(deterministic, unlike time on a shared machine), an equal write into a store twenty times larger
takes about the same work. A statement that scans a stored table per write (a join the planner
turned around) multiplies it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from graph.model import GraphBatch, RelationFilter
from graph.stores.embedded import EmbeddedStore
from tests.graph.factories import actor, make_batch, random_batches, store_state

STEP = 100  # VM instructions per progress-handler call


def _steps(store: EmbeddedStore, write: Callable[[], object]) -> int:
    """SQLite VM instructions `write` runs on the store's connection (to within `STEP`)."""
    conn = store._conn()
    steps = [0]

    def count() -> int:
        steps[0] += 1
        return 0  # go on

    conn.set_progress_handler(count, STEP)
    try:
        write()
    finally:
        conn.set_progress_handler(None, STEP)
    return steps[0] * STEP


def _store(path: Path, scale: int) -> EmbeddedStore:
    """A store of `scale` times 300 entities, each in about as many documents whatever the scale."""
    store = EmbeddedStore(path)
    store.upsert_many(random_batches(seed=5, nodes=300 * scale, docs=200 * scale, per_doc=4))
    return store


def test_an_equal_write_costs_the_same_in_a_store_twenty_times_larger(tmp_path: Path) -> None:
    probe = random_batches(seed=77, nodes=300, docs=40, per_doc=4)  # the same entities, new documents
    with _store(tmp_path / "small", 1) as small, _store(tmp_path / "large", 20) as large:
        added = [_steps(s, lambda s=s: s.upsert_many(probe)) for s in (small, large)]
        retracted = [
            _steps(s, lambda s=s: [s.retract(b.document.id) for b in probe[:10]]) for s in (small, large)
        ]
    assert added[1] < 1.2 * added[0], f"VM steps of one bulk write, small vs large store: {added}"
    assert retracted[1] < 1.2 * retracted[0], f"VM steps of ten retractions, small vs large: {retracted}"


def test_a_bulk_write_replaces_and_reads_its_own_staged_documents(tmp_path: Path) -> None:
    """Rows wait in staging until the call ends, yet a batch replacing an earlier batch of the same
    call, and a read from inside the call, find them written."""
    batches = random_batches(seed=21, nodes=40, docs=12)
    known = {e.id: e for b in batches for e in b.entities}
    replacement = make_batch(
        "doc-replacement",
        source=batches[3].document.source,
        entities=[known["company:r1"], known["company:r2"]],
        relations=[("company:r1", "BACKS", "company:r2")],
    )
    order = [*batches[:6], replacement, *batches[6:]]
    with EmbeddedStore(tmp_path / "single") as single, EmbeddedStore(tmp_path / "bulk") as bulk:
        alone: list[int] = []
        for batch in order:
            alone.append(single.stats().relations)
            single.upsert(batch)
        results = bulk.upsert_many(order)
        assert results[6].status == "replaced" and results[6].replaced_doc_id == batches[3].document.id
        assert store_state(bulk) == store_state(single)

        with EmbeddedStore(tmp_path / "asking") as asking:
            inside: list[int] = []

            def feed() -> Iterator[GraphBatch]:
                for batch in order:
                    inside.append(asking.stats().relations)
                    yield batch

            asking.upsert_many(feed())
            # Up to the replacement; after it, reads inside the call also count the relations only
            # the replaced document supported, until the call settles (as before staging).
            assert inside[:7] == alone[:7] and inside[6] > 0
            assert store_state(asking) == store_state(single)


def test_a_write_nested_in_a_bulk_write_keeps_both_exact(tmp_path: Path) -> None:
    """A batch generator that itself writes (an upsert, a retraction) joins the bulk call's
    transaction: neither loses the other's staged rows, and totals are counted once."""
    batches = random_batches(seed=23, nodes=30, docs=16)
    with EmbeddedStore(tmp_path / "nested") as nested, EmbeddedStore(tmp_path / "single") as single:

        def feed() -> Iterator[GraphBatch]:
            for i, batch in enumerate(batches[:12]):
                if i == 5:
                    nested.upsert(batches[12])
                if i == 8:
                    nested.retract(batches[2].document.id)
                yield batch

        nested.upsert_many(feed())
        nested.upsert_many(batches[13:])
        for batch in [*batches[:5], batches[12], *batches[5:]]:
            single.upsert(batch)
        single.retract(batches[2].document.id)
        assert store_state(nested) == store_state(single)


def test_relations_a_bulk_write_creates_carry_every_supporting_document(tmp_path: Path) -> None:
    """A bulk write that only adds documents leaves unsettled the relations it created from one
    document alone; those that several of its documents state (whether merged together or across a
    read inside the call) are settled like any other, and the store equals one written per document."""
    stored = random_batches(seed=41, nodes=30, docs=10)
    added = random_batches(seed=43, nodes=30, docs=30)  # many relations stated by several documents
    with EmbeddedStore(tmp_path / "single") as single, EmbeddedStore(tmp_path / "bulk") as bulk:
        for batch in [*stored, *added]:
            single.upsert(batch)
        bulk.upsert_many(stored)

        def feed() -> Iterator[GraphBatch]:
            for i, batch in enumerate(added):
                if i % 7 == 3:
                    bulk.stats()  # a read inside the call merges what is staged so far
                yield batch

        bulk.upsert_many(feed())
        assert store_state(bulk) == store_state(single)
        assert max(r.weight for r in bulk.relations(RelationFilter())) > 1


def test_a_name_stays_while_any_mention_carries_it(tmp_path: Path) -> None:
    """Names are not counted: a removal drops only those no remaining mention of the entity carries,
    whether the name came as a name or as an alias."""
    with EmbeddedStore(tmp_path) as store:
        store.upsert_many(
            [
                make_batch(
                    "doc-one", entities=[actor("company:openai", name="OpenAI", aliases=["Quill Labs"])]
                ),
                make_batch("doc-two", entities=[actor("company:openai", name="Quill Labs", aliases=[])]),
                make_batch("doc-three", entities=[actor("company:openai", name="OpenAI", aliases=[])]),
            ]
        )
        store.retract("doc-one")
        assert [e.id for e in store.find_entities("quill labs")] == ["company:openai"]
        assert store.get_entity("company:openai").aliases == ["Quill Labs"]
        store.retract("doc-two")
        assert store.find_entities("quill labs") == []
        assert store.get_entity("company:openai").aliases == []
        assert [e.id for e in store.find_entities("openai")] == ["company:openai"]
