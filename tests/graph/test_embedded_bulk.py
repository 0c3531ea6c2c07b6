"""The embedded store's writes cost what they write, not what is stored: counted in SQLite VM steps
(deterministic, unlike time on a shared machine), an equal write into a store twenty times larger
takes about the same work. A statement that scans a stored table per write (a join the planner
turned around) multiplies it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from graph.stores.embedded import EmbeddedStore
from tests.graph.factories import random_batches

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
