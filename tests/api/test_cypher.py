"""The read-only Cypher endpoint: absent on the embedded store, guarded on Neo4j."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from aigeo.settings import Settings
from api.app import create_app
from graph.store import GraphStore
from tests.api.conftest import TestClient, assert_problem, fill
from tests.graph.factories import sample_batches


def test_the_embedded_store_has_no_cypher_endpoint(client: TestClient) -> None:
    assert_problem(client.post("/cypher", json={"query": "MATCH (n) RETURN n"}), 404)


@pytest.fixture
def neo4j_client() -> Iterator[TestClient]:
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        pytest.skip(
            "no Neo4j server: set NEO4J_URI (and AIGEO_NEO4J_PASSWORD) to run the Cypher endpoint tests"
        )
    from graph.stores import open_store

    settings = Settings(store=uri, neo4j_max_rows=3)
    store: GraphStore = open_store(uri, settings)
    fill(store, sample_batches())  # type: ignore[arg-type]
    try:
        with TestClient(create_app(settings, store)) as client:
            yield client
    finally:
        for batch in sample_batches():
            if store.has_document(batch.document.id):
                store.retract(batch.document.id)
        store.close()


@pytest.mark.neo4j
def test_read_queries_answer_rows_capped_by_the_setting(neo4j_client: TestClient) -> None:
    body = neo4j_client.post(
        "/cypher", json={"query": "MATCH (a)-[:BACKS]->(b) RETURN a.name AS backer, b.name AS backed"}
    ).json()
    assert {"backer": "Microsoft", "backed": "OpenAI"} in body["rows"]
    many = neo4j_client.post("/cypher", json={"query": "MATCH (n:Entity) RETURN n.id AS id"}).json()
    assert many["row_count"] == 3 and many["truncated"] is True


@pytest.mark.neo4j
@pytest.mark.parametrize(
    "query",
    ["CREATE (n:Company {id: 'company:evil'})", "MATCH (n) DETACH DELETE n", "MATCH (n) SET n.name = 'x'"],
)
def test_write_attempts_are_400_and_change_nothing(neo4j_client: TestClient, query: str) -> None:
    before = neo4j_client.get("/stats").json()
    assert_problem(neo4j_client.post("/cypher", json={"query": query}), 400)
    assert neo4j_client.get("/stats").json() == before
