"""Turn a writer that pushes bytes into a file into a response body that is pulled chunk by chunk.

The exporters write to a binary file (that is what the CLI gives them); a streamed HTTP response
pulls. A thread runs the writer against a file whose `write` puts chunks on a bounded queue, and the
response iterates the queue, so memory stays bounded by the queue whatever the graph's size. A
client that goes away stops the writer at its next write.
"""

from __future__ import annotations

import io
import queue
import threading
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from typing import BinaryIO

import anyio.to_thread
from starlette.responses import StreamingResponse
from typing_extensions import Buffer

CHUNK_BYTES = 64 * 1024
QUEUE_CHUNKS = 16


class _Cancelled(Exception):
    """The reader went away; the writer must stop."""


class _End:
    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error


class _QueueSink(io.RawIOBase):
    def __init__(self, chunks: queue.Queue[bytes | _End], cancelled: threading.Event) -> None:
        self._chunks = chunks
        self._cancelled = cancelled

    def writable(self) -> bool:
        return True

    def write(self, data: Buffer, /) -> int:
        chunk = bytes(data)
        while True:
            if self._cancelled.is_set():
                raise _Cancelled
            try:
                self._chunks.put(chunk, timeout=0.2)
                return len(chunk)
            except queue.Full:
                continue


def stream_writer(write: Callable[[BinaryIO], object], name: str = "export") -> AsyncGenerator[bytes, None]:
    """Run `write(out)` in a thread and yield what it writes, in chunks of about 64 KiB.

    >>> import anyio
    >>> async def collect() -> bytes:
    ...     return b"".join([c async for c in stream_writer(lambda out: out.write(b"hello"))])
    >>> anyio.run(collect)
    b'hello'
    """
    chunks: queue.Queue[bytes | _End] = queue.Queue(maxsize=QUEUE_CHUNKS)
    cancelled = threading.Event()

    def run() -> None:
        end = _End()
        try:
            with io.BufferedWriter(_QueueSink(chunks, cancelled), buffer_size=CHUNK_BYTES) as out:
                write(out)
        except _Cancelled:
            return
        except BaseException as exc:  # reported to the reader, which owns the response
            end = _End(exc)
        while not cancelled.is_set():
            try:
                chunks.put(end, timeout=0.2)
                return
            except queue.Full:
                continue

    async def body() -> AsyncGenerator[bytes, None]:
        worker = threading.Thread(target=run, name=f"aigeo-{name}", daemon=True)
        worker.start()
        try:
            while True:
                item = await anyio.to_thread.run_sync(chunks.get)
                if isinstance(item, _End):
                    if item.error is not None:
                        raise item.error
                    return
                yield item
        finally:
            cancelled.set()

    return body()


async def streamed_response(
    body: AsyncGenerator[bytes, None], media_type: str, filename: str | None = None
) -> StreamingResponse:
    """Wait for the first chunk before answering, so an error in the writer's first steps
    (the store down, a bad query) still gets its proper status instead of a broken 200."""
    try:
        first = await body.__anext__()
    except StopAsyncIteration:
        first = b""

    async def rest() -> AsyncIterator[bytes]:
        try:
            if first:
                yield first
            async for chunk in body:
                yield chunk
        finally:
            await body.aclose()

    headers = {"Content-Disposition": f'attachment; filename="{filename}"'} if filename else None
    return StreamingResponse(rest(), media_type=media_type, headers=headers)
