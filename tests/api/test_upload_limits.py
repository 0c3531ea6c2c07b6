"""Uploads cannot fill the disk (issue 13): the key is checked before the body is read, and the body's
bytes are counted as they stream in, with a 413 the moment the limit is passed.

The app is driven at the ASGI level, because the test client reads a whole request body before the app
sees any of it: here the test counts how much of the body the server actually pulled.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import anyio
import pytest
from starlette.types import ASGIApp, Message

from aigeo.settings import Settings
from api.app import create_app
from graph.stores.embedded import EmbeddedStore
from tests.api.conftest import API_KEY, TestClient

CHUNK = 64 * 1024
BOUNDARY = "aigeo-test-boundary"


def endless_upload(chunks: int) -> Iterator[bytes]:
    """A multipart body of one file part, sent in 64 KiB chunks without a Content-Length."""
    yield (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="big.txt"\r\n'
        "Content-Type: text/plain\r\n\r\n"
    ).encode()
    for _ in range(chunks):
        yield b"word " * (CHUNK // 5)
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


def post_streamed(app: ASGIApp, key: str | None, body: Iterator[bytes]) -> tuple[int, int, dict[str, Any]]:
    """POST /admin/documents chunk by chunk; return the status, the bytes pulled, and the JSON answer."""
    pulled = 0
    status = 0
    answer = bytearray()
    headers = [(b"content-type", f"multipart/form-data; boundary={BOUNDARY}".encode())]
    if key is not None:
        headers.append((b"x-api-key", key.encode()))

    async def receive() -> Message:
        nonlocal pulled
        chunk = next(body, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        pulled += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            answer.extend(message.get("body", b""))

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/admin/documents",
        "raw_path": b"/admin/documents",
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
    }
    anyio.run(app, scope, receive, send)
    return status, pulled, json.loads(answer or b"{}")


@pytest.fixture
def app(store: EmbeddedStore) -> ASGIApp:
    return create_app(Settings(store=str(store.path), api_key=API_KEY, max_upload_bytes=1_000_000), store)


@pytest.mark.parametrize("key", [None, "wrong-key"])
def test_a_request_without_the_key_is_refused_before_its_body_is_read(app: ASGIApp, key: str | None) -> None:
    status, pulled, answer = post_streamed(app, key, endless_upload(chunks=400))  # 26 MB offered
    assert status == 401, answer
    assert pulled == 0


def test_a_streamed_body_is_cut_off_with_413_as_soon_as_it_passes_the_limit(app: ASGIApp) -> None:
    status, pulled, answer = post_streamed(app, API_KEY, endless_upload(chunks=400))
    assert status == 413, answer
    assert answer["limit"] == "max_upload_bytes"
    assert pulled <= 1_000_000 + 2 * CHUNK


def test_an_upload_with_a_lone_surrogate_is_stored_not_a_500(
    make_client: Any, store: EmbeddedStore
) -> None:
    client: TestClient = make_client(api_key=API_KEY)
    record = json.dumps({"text": "Tencent invested in a Chinese chip startup \ud800 on Monday, it said."})
    response = client.post(
        "/admin/documents", headers={"X-API-Key": API_KEY}, files={"files": ("a.json", record.encode())}
    )
    assert response.status_code == 200, response.text
    assert response.json()["counts"] == {"added": 1}
