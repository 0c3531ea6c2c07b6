"""The app under a real uvicorn process, over real HTTP on a loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from graph.stores.embedded import EmbeddedStore
from tests.api.conftest import fill
from tests.graph.factories import sample_batches

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    data = tmp_path / "graph"
    fill(EmbeddedStore(data), sample_batches()).close()
    port = _free_port()
    env = {**os.environ, "AIGEO_STORE": str(data), "AIGEO_CORS_ORIGINS": '["https://front.example"]'}
    env.pop("AIGEO_API_KEY", None)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "api.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=tmp_path,  # not the repo: no stray .env is read
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                output = proc.stdout.read().decode() if proc.stdout else ""
                pytest.fail(f"uvicorn exited with {proc.returncode}:\n{output}")
            try:
                httpx.get(f"{base}/health", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    pytest.fail("uvicorn did not answer within 30 s")
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_health_ready_and_a_query_over_real_http(server: str) -> None:
    with httpx.Client(base_url=server, timeout=10) as http:
        assert http.get("/health").json() == {"status": "ok"}
        assert http.get("/ready").json() == {"status": "ready", "store": "embedded"}
        detail = http.get("/entities/OpenAI", headers={"Origin": "https://front.example"})
        assert detail.json()["id"] == "company:openai"
        assert detail.headers["access-control-allow-origin"] == "https://front.example"
        missing = http.get("/entities/Nobody")
        assert missing.status_code == 404
        assert missing.headers["content-type"] == "application/problem+json"
        assert http.post("/admin/documents").status_code == 404  # no key in this environment
        with http.stream("GET", "/export/graph") as download:
            body = b"".join(download.iter_bytes())
        assert download.status_code == 200 and body.rstrip().endswith(b"</graphml>")
