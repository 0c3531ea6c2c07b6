"""Where store reads run: a fast kind on the event loop, a slow kind (or a network store's) in the pool."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import anyio
import pytest

from api.reads import INLINE_BUDGET, ReadPlacement
from graph.errors import NodeNotFound
from graph.model import NeighbourhoodQuery, Subgraph
from graph.stores.embedded import EmbeddedStore
from tests.api.conftest import MakeClient, fill
from tests.graph.factories import sample_batches


def _busy(seconds: float) -> int:
    """Spend `seconds` of this thread's CPU time; the thread it ran on."""
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass
    return threading.get_ident()


def _where(reads: ReadPlacement, kind: str, seconds: float = 0.0) -> str:
    async def run() -> str:
        loop_thread = threading.get_ident()
        ran_on = await reads.run(kind, lambda: _busy(seconds))
        return "loop" if ran_on == loop_thread else "pool"

    return anyio.run(run)


def test_a_fast_kind_reads_on_the_loop_and_a_slow_one_moves_to_the_pool_and_back() -> None:
    reads = ReadPlacement(inline=True)
    assert _where(reads, "fast") == "loop"
    assert _where(reads, "slow", 3 * INLINE_BUDGET) == "loop"  # not known to be slow until it was
    assert _where(reads, "slow") == "pool"
    assert _where(reads, "fast") == "loop"  # one kind's slowness is not another's
    trips = 0
    while _where(reads, "slow") == "pool":  # fast reads in the pool bring its average down
        trips += 1
        assert trips < 50
    assert trips >= 1


def test_a_store_that_reads_over_the_network_always_reads_in_the_pool() -> None:
    reads = ReadPlacement(inline=False)
    assert [_where(reads, "fast") for _ in range(3)] == ["pool"] * 3


def test_a_read_that_raises_is_timed_too() -> None:
    reads = ReadPlacement(inline=True)

    def slow_failure() -> None:
        _busy(3 * INLINE_BUDGET)
        raise NodeNotFound("nobody", [])

    with pytest.raises(NodeNotFound):
        anyio.run(reads.run, "kind", slow_failure)
    assert not reads.on_loop("kind")


class ThreadRecordingStore(EmbeddedStore):
    """The real embedded store, noting the thread each neighbourhood read ran on."""

    threads: list[int]

    def neighbourhood(self, query: NeighbourhoodQuery) -> Subgraph:
        self.threads.append(threading.get_ident())
        return super().neighbourhood(query)


def test_the_api_answers_a_fast_neighbourhood_from_one_thread_and_the_same_answer(
    make_client: MakeClient, tmp_path: Path
) -> None:
    store = fill(ThreadRecordingStore(tmp_path / "recorded"), sample_batches())
    store.threads = []
    try:
        client = make_client(store)
        params = {"entity": "Microsoft", "depth": 1}
        first = client.get("/graph/neighbourhood", params=params)
        assert first.status_code == 200, first.text
        for _ in range(4):
            assert client.get("/graph/neighbourhood", params=params).json() == first.json()
        # The test client runs the app's loop in one thread: no hop means every read ran there.
        assert len(store.threads) == 5 and len(set(store.threads)) == 1
        reads: ReadPlacement = client.app.state.reads  # type: ignore[attr-defined]
        assert reads.on_loop(("neighbourhood", 1, 200))
        reads.note(("neighbourhood", 1, 200), 1.0)  # as if the last read had taken a second
        assert client.get("/graph/neighbourhood", params=params).json() == first.json()
        assert store.threads[-1] != store.threads[0]
    finally:
        store.close()
