"""Fixtures for the API tests: a real embedded store in tmp_path, filled from the shared factories,
served by the real app through an in-process client (lifespan included)."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.exceptions import StarletteDeprecationWarning

from aigeo.settings import Settings
from api.app import create_app
from graph.model import GraphBatch
from graph.stores.embedded import EmbeddedStore
from tests.graph.conftest import neo4j_server  # noqa: F401  (one Neo4j per session, shared with tests/graph)
from tests.graph.factories import sample_batches

with warnings.catch_warnings():
    # Starlette 1.x warns that its test client will move to httpx2; the client itself works.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

__all__ = ["API_KEY", "MakeClient", "TestClient", "assert_problem", "fill"]

API_KEY = "test-key-5b1e"

MakeClient = Callable[..., TestClient]


def fill(store: EmbeddedStore, batches: list[GraphBatch]) -> EmbeddedStore:
    for batch in batches:
        store.upsert(batch)
    return store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[EmbeddedStore]:
    """The six-article sample world of `tests.graph.factories`."""
    opened = fill(EmbeddedStore(tmp_path / "graph"), sample_batches())
    yield opened
    opened.close()


@pytest.fixture
def make_client(store: EmbeddedStore, tmp_path: Path) -> Iterator[MakeClient]:
    """Build a client over `store` (or another store) with settings overrides; closed at teardown."""
    opened: list[TestClient] = []

    def make(over: EmbeddedStore | None = None, **settings: Any) -> TestClient:
        target = over or store
        settings.setdefault("api_key", None)  # whatever the environment says, keys are explicit here
        client = TestClient(create_app(Settings(store=str(target.path), **settings), target))
        client.__enter__()  # run the lifespan, as a server would
        opened.append(client)
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: MakeClient) -> TestClient:
    """Default settings: no API key, so no write endpoints."""
    return make_client()


@pytest.fixture
def admin_client(make_client: MakeClient) -> TestClient:
    return make_client(api_key=API_KEY)


def assert_problem(response: Any, status: int, *fragments: str) -> dict[str, Any]:
    """The response is an RFC 9457 problem with this status whose detail mentions every fragment."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["title"] and body["type"]
    for fragment in fragments:
        assert fragment in body["detail"], body
    assert "Traceback" not in response.text
    return body
