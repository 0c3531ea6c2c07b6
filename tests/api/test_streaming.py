"""The writer-to-response bridge: bounded, ordered, and stopped when the reader goes away."""

from __future__ import annotations

import threading
import time
from typing import BinaryIO

import anyio
import pytest

from api.streaming import CHUNK_BYTES, QUEUE_CHUNKS, stream_writer


def test_chunks_arrive_in_order_and_complete() -> None:
    lines = [f"line {i}\n".encode() for i in range(50_000)]

    async def collect() -> list[bytes]:
        return [c async for c in stream_writer(lambda out: [out.write(line) for line in lines])]

    chunks = anyio.run(collect)
    assert b"".join(chunks) == b"".join(lines)
    assert len(chunks) > 1 and max(len(c) for c in chunks) <= CHUNK_BYTES


def test_a_reader_that_stops_early_stops_the_writer() -> None:
    written = 0
    finished = threading.Event()

    def endless(out: BinaryIO) -> None:
        nonlocal written
        try:
            while True:
                out.write(b"x" * 1024)
                written += 1024
        finally:
            finished.set()

    async def read_one() -> None:
        body = stream_writer(endless)
        await body.__anext__()
        await body.aclose()

    anyio.run(read_one)
    assert finished.wait(5), "the writer kept running after the reader left"
    # It can only have run ahead by what the bounded queue and one buffer hold.
    assert written <= (QUEUE_CHUNKS + 3) * CHUNK_BYTES


def test_a_writer_error_reaches_the_reader() -> None:
    def broken(out: BinaryIO) -> None:
        out.write(b"partial")
        time.sleep(0.01)
        raise ValueError("writer broke")

    async def drain() -> None:
        async for _ in stream_writer(broken):
            pass

    with pytest.raises(ValueError, match="writer broke"):
        anyio.run(drain)
