"""The `store` fixture: every contract test runs on each store this machine can reach.

The embedded store always runs, on a fresh data directory. Neo4j runs against `NEO4J_URI` (with
`NEO4J_USER` / `NEO4J_PASSWORD`) when set, else in a `neo4j:5` testcontainer when a Docker engine
answers a ping; otherwise its tests skip with the reason. Each Neo4j test starts from an empty database.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from graph.model import GraphBatch
from graph.store import GraphStore
from graph.stores.config import StoreConfig
from graph.stores.embedded import EmbeddedStore
from tests.graph.factories import sample_batches

NEO4J_IMAGE = "neo4j:5"
NEO4J_TEST_PASSWORD = "neo4j-password"


@dataclass(frozen=True)
class Neo4jServer:
    uri: str
    user: str
    password: str


def _docker_engine_problem() -> str | None:
    """None when a Docker engine answers, else why not (the CLI alone proves nothing)."""
    try:
        import docker

        docker.from_env(timeout=3).ping()
    except Exception as e:  # any failure means no usable engine: say which, then skip
        return f"{type(e).__name__}: {str(e).splitlines()[0][:160] if str(e) else 'no answer'}"
    return None


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[Neo4jServer]:
    """A reachable Neo4j 5: `NEO4J_URI`, or a session-wide testcontainer, or a skip."""
    uri = os.environ.get("NEO4J_URI")
    if uri:
        yield Neo4jServer(
            uri,
            os.environ.get("NEO4J_USER", "neo4j"),
            os.environ.get("NEO4J_PASSWORD", NEO4J_TEST_PASSWORD),
        )
        return
    problem = _docker_engine_problem()
    if problem is not None:
        pytest.skip(f"Neo4j: no NEO4J_URI and no Docker engine reachable ({problem})")
    from testcontainers.community.neo4j import Neo4jContainer

    with Neo4jContainer(NEO4J_IMAGE, password=NEO4J_TEST_PASSWORD) as container:
        yield Neo4jServer(container.get_connection_url(), "neo4j", NEO4J_TEST_PASSWORD)


def _wipe(server: Neo4jServer) -> None:
    from neo4j import GraphDatabase

    with GraphDatabase.driver(server.uri, auth=(server.user, server.password)) as driver:
        driver.execute_query("MATCH (n) DETACH DELETE n")


def _open_neo4j(server: Neo4jServer) -> GraphStore:
    pytest.importorskip("graph.stores.neo4j_store", reason="the Neo4j store is not in this build yet")
    from graph.stores import open_store

    _wipe(server)
    return open_store(server.uri, StoreConfig(neo4j_user=server.user, neo4j_password=server.password))


@pytest.fixture(params=["embedded", "embedded-indexed", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """An empty store of each kind. "embedded-indexed" is the embedded store as one-shot commands open
    it: traversals read SQLite's indexes instead of an in-memory graph, and must answer alike."""
    opened: GraphStore
    if request.param == "embedded":
        opened = EmbeddedStore(tmp_path / "data")
    elif request.param == "embedded-indexed":
        opened = EmbeddedStore(tmp_path / "data", StoreConfig(memory_graph=False))
    else:
        opened = _open_neo4j(request.getfixturevalue("neo4j_server"))
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def sample() -> list[GraphBatch]:
    """The small world of `factories.sample_batches()`, fresh per test."""
    return sample_batches()


@pytest.fixture
def loaded(store: GraphStore, sample: list[GraphBatch]) -> GraphStore:
    """A store holding the sample world."""
    for batch in sample:
        store.upsert(batch)
    return store


@pytest.fixture
def embedded(tmp_path: Path) -> Iterator[EmbeddedStore]:
    """An empty embedded store, for tests of what only it promises."""
    opened = EmbeddedStore(tmp_path / "data")
    try:
        yield opened
    finally:
        opened.close()
