"""Exports cannot pin the server (issue 13): every format streams in bounded memory, a reader that
leaves stops the writer promptly, at most max_exports run at once, and SIGTERM ends `aigeo serve`
within its shutdown timeout even while a client holds a download open."""

from __future__ import annotations

import io
import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import anyio
import pytest

from api.streaming import CHUNK_BYTES, ExportSlots, stream_writer
from graph.model import Entity
from graph.rdf import export_store
from graph.stores.embedded import EmbeddedStore
from tests.api.conftest import MakeClient, assert_problem, fill
from tests.graph.factories import WORLD, make_batch, sample_batches
from tests.servers import aigeo_serve, free_port, wait_until_up


class _Stop(Exception):
    pass


class _StopAtFirstWrite(io.RawIOBase):
    def writable(self) -> bool:
        return True

    def write(self, data: object) -> int:
        raise _Stop


class CountingStore(EmbeddedStore):
    """The real embedded store, counting the entities an export has pulled from it."""

    pulled = 0

    def iter_entities(self) -> Iterator[Entity]:
        for entity in super().iter_entities():
            self.pulled += 1
            yield entity


@pytest.mark.parametrize("fmt", ["turtle", "jsonld", "nt", "nq"])
def test_every_rdf_format_writes_before_it_has_read_the_whole_store(tmp_path: Path, fmt: str) -> None:
    store = fill(CountingStore(tmp_path / "graph"), sample_batches())
    try:
        total = store.stats().entities
        with pytest.raises(_Stop):
            export_store(store, _StopAtFirstWrite(), fmt, "https://aigeo.test/id/")  # type: ignore[arg-type]
        # Built in memory first, Turtle and JSON-LD used to read everything before their first byte.
        assert store.pulled < total
    finally:
        store.close()


def test_a_cancelled_reader_does_not_wait_for_a_slow_writer() -> None:
    resume = threading.Event()

    def slow(out: BinaryIO) -> None:
        out.write(b"x" * (CHUNK_BYTES + 1))  # one full chunk reaches the reader
        resume.wait(10)  # a long query before the next byte
        out.write(b"y")

    async def read_then_leave() -> float:
        body = stream_writer(slow)
        await body.__anext__()
        started = time.perf_counter()
        with anyio.move_on_after(0.2):
            await body.__anext__()
        await body.aclose()
        return time.perf_counter() - started

    try:
        assert anyio.run(read_then_leave) < 2
    finally:
        resume.set()


def test_exports_beyond_max_exports_are_429_with_retry_after(make_client: MakeClient) -> None:
    client = make_client(max_exports=1)
    assert client.get("/export/graph", params={"format": "nt"}).status_code == 200
    slots: ExportSlots = client.app.state.export_slots  # type: ignore[attr-defined]
    assert slots.busy == 0  # given back when the download ended
    release = slots.take()  # another download in progress
    body = assert_problem(client.get("/export/graph", params={"format": "turtle"}), 429, "max_exports")
    assert body["maximum"] == 1
    release()
    assert client.get("/export/graph", params={"format": "turtle"}).status_code == 200
    # A failing export gives its slot back too.
    assert client.get("/export/neighbourhood", params={"entity": "nobody-at-all"}).status_code == 404
    assert slots.busy == 0


def test_the_429_is_declared_in_openapi(make_client: MakeClient) -> None:
    schema = make_client().get("/openapi.json").json()
    assert "429" in schema["paths"]["/export/graph"]["get"]["responses"]


def _start_export(port: int) -> socket.socket:
    """A Turtle download of the whole graph by a client with a tiny receive buffer, past its headers
    (retried while the one slot is still taken by a client that just left)."""
    deadline = time.monotonic() + 10
    while True:
        client = socket.socket()
        client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        client.connect(("127.0.0.1", port))
        client.sendall(f"GET /export/graph?format=turtle HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        head = client.recv(1024)
        if head.startswith(b"HTTP/1.1 200"):
            return client
        client.close()
        assert head.startswith(b"HTTP/1.1 429") and time.monotonic() < deadline, head
        time.sleep(0.2)


def _export_status(port: int) -> int:
    with socket.socket() as client:
        client.connect(("127.0.0.1", port))
        client.sendall(f"GET /export/graph?format=nt HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        return int(client.recv(64).split()[1])


@pytest.mark.slow
def test_a_client_that_leaves_frees_its_export_and_sigterm_stops_serve_during_a_stalled_one(
    tmp_path: Path,
) -> None:
    data = tmp_path / "graph"
    store = EmbeddedStore(data)
    ids = sorted(WORLD)
    # About 25 MB of Turtle: more than the loopback socket buffers and the stream's queue hold.
    padding = "with a long tail of words that makes the export large enough to fill every buffer. " * 12
    store.upsert_many(
        [
            make_batch(
                f"doc-{i}", relations=[(ids[i % 5], "BACKS", ids[5 + i % 5], f"Report {i}: {padding}")]
            )
            for i in range(4_000)
        ]
    )
    store.close()
    port = free_port()
    env = {**os.environ, "AIGEO_SHUTDOWN_TIMEOUT": "2", "AIGEO_MAX_EXPORTS": "1"}
    env.pop("AIGEO_API_KEY", None)
    proc = aigeo_serve(data, port, env=env, cwd=tmp_path)
    try:
        wait_until_up(proc, f"http://127.0.0.1:{port}/health", timeout=30)
        # A client that leaves mid-download gives its export slot back (AIGEO_MAX_EXPORTS=1).
        leaving = _start_export(port)
        assert _export_status(port) == 429
        leaving.close()
        deadline = time.monotonic() + 5
        while (status := _export_status(port)) == 429 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert status == 200, "the export of a client that left still holds its slot"

        with _start_export(port) as client:
            time.sleep(1)  # the client stops reading; the server fills its buffers and waits
            proc.send_signal(signal.SIGTERM)
            started = time.monotonic()
            proc.wait(timeout=15)
            assert time.monotonic() - started < 8
            client.settimeout(5)
            received = b""
            while chunk := client.recv(1 << 20):
                received += chunk
            assert not received.endswith(b"0\r\n\r\n"), "the export ended before SIGTERM: too small a test"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
