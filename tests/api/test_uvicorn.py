"""The app under a real uvicorn process, over real HTTP on a loopback port."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from graph.stores.embedded import EmbeddedStore
from tests.api.conftest import fill
from tests.graph.factories import sample_batches
from tests.servers import ServerDidNotStart, free_port, stop, wait_until_up

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    data = tmp_path / "graph"
    fill(EmbeddedStore(data), sample_batches()).close()
    port = free_port()
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
        try:
            wait_until_up(proc, f"{base}/health", timeout=30)
        except ServerDidNotStart as e:
            output = proc.stdout.read().decode() if proc.stdout and proc.poll() is not None else ""
            pytest.fail(f"uvicorn: {e}\n{output}")
        yield base
    finally:
        stop(proc)


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
