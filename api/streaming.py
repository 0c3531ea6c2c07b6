"""Turn a writer that pushes bytes into a file into a response body that is pulled chunk by chunk.

The exporters write to a binary file (that is what the CLI gives them); a streamed HTTP response
pulls. A thread runs the writer against a file whose `write` puts chunks on a bounded queue, and the
response iterates the queue, so memory stays bounded by the queue whatever the graph's size. A
client that goes away, or a server shutting down, stops the writer at its next write; the reader
never waits on the queue for more than `POLL_SECONDS`, so a cancelled response ends promptly. At most
`ExportSlots.limit` such responses run at once.
"""

from __future__ import annotations

import io
import queue
import threading
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from typing import BinaryIO

import anyio.to_thread
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send
from typing_extensions import Buffer

from api.errors import TooManyExports

CHUNK_BYTES = 64 * 1024
QUEUE_CHUNKS = 16
POLL_SECONDS = 0.25
RETRY_AFTER_SECONDS = 5


class ExportSlots:
    """Counts the streamed exports running; one past `limit` is refused with `TooManyExports`.

    >>> slots = ExportSlots(1)
    >>> release = slots.take()
    >>> slots.take()
    Traceback (most recent call last):
    api.errors.TooManyExports: 1 exports are already running, the server limit max_exports; retry later
    >>> release(); release(); slots.busy
    0
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.busy = 0
        self._lock = threading.Lock()

    def take(self) -> Callable[[], None]:
        """Take a slot or raise; return the function that gives it back (calling it twice is harmless)."""
        with self._lock:
            if self.busy >= self.limit:
                raise TooManyExports(self.limit, RETRY_AFTER_SECONDS)
            self.busy += 1
        given_back = threading.Event()

        def release() -> None:
            if not given_back.is_set():
                given_back.set()
                with self._lock:
                    self.busy -= 1

        return release


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
                item = await anyio.to_thread.run_sync(_next, chunks)
                if item is None:
                    continue  # nothing yet: a cancellation gets its chance before the next wait
                if isinstance(item, _End):
                    if item.error is not None:
                        raise item.error
                    return
                yield item
        finally:
            cancelled.set()

    return body()


def _next(chunks: queue.Queue[bytes | _End]) -> bytes | _End | None:
    try:
        return chunks.get(timeout=POLL_SECONDS)
    except queue.Empty:
        return None


class _ClosingResponse(StreamingResponse):
    """A streamed response that stops its writer and gives back its slot however it ends: sent in
    full, the client gone, or cancelled by a server shutting down."""

    def __init__(
        self,
        body: AsyncGenerator[bytes, None],
        first: bytes,
        on_close: Callable[[], None],
        media_type: str,
        headers: dict[str, str] | None,
    ) -> None:
        self._body = body
        self._on_close = on_close

        async def chunks() -> AsyncIterator[bytes]:
            if first:
                yield first
            async for chunk in body:
                yield chunk

        super().__init__(chunks(), media_type=media_type, headers=headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            try:
                await self._body.aclose()
            finally:
                self._on_close()


async def streamed_response(
    body: AsyncGenerator[bytes, None],
    media_type: str,
    filename: str | None = None,
    on_close: Callable[[], None] = lambda: None,
) -> StreamingResponse:
    """Wait for the first chunk before answering, so an error in the writer's first steps
    (the store down, a bad query) still gets its proper status instead of a broken 200.

    `on_close` runs once the response is over, whichever way it ends (or now, if it cannot start).
    """
    try:
        first = await body.__anext__()
    except StopAsyncIteration:
        first = b""
    except BaseException:
        await body.aclose()
        on_close()
        raise
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'} if filename else None
    return _ClosingResponse(body, first, on_close, media_type, headers)
