"""The read-only Cypher endpoint: absent on the embedded store, guarded on Neo4j."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from aigeo.settings import Settings
from api.app import create_app
from graph.store import GraphStore
from tests.api.conftest import TestClient, assert_problem
from tests.graph.conftest import Neo4jServer
from tests.graph.factories import sample_batches


def test_the_embedded_store_has_no_cypher_endpoint(client: TestClient) -> None:
    assert_problem(client.post("/cypher", json={"query": "MATCH (n) RETURN n"}), 404)


@pytest.fixture
def neo4j_client(neo4j_server: Neo4jServer) -> Iterator[TestClient]:
    """The API over a Neo4j store holding the sample world (NEO4J_URI or a testcontainer, else a skip)."""
    pytest.importorskip("graph.stores.neo4j_store", reason="the Neo4j store is not in this build yet")
    from neo4j import GraphDatabase

    from graph.stores import open_store

    with GraphDatabase.driver(neo4j_server.uri, auth=(neo4j_server.user, neo4j_server.password)) as driver:
        driver.execute_query("MATCH (n) DETACH DELETE n")
    settings = Settings(
        store=neo4j_server.uri,
        neo4j_user=neo4j_server.user,
        neo4j_password=neo4j_server.password,
        neo4j_max_rows=3,
        api_key=None,
    )
    store: GraphStore = open_store(neo4j_server.uri, settings)
    for batch in sample_batches():
        store.upsert(batch)
    try:
        with TestClient(create_app(settings, store)) as client:
            yield client
    finally:
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


@pytest.mark.neo4j
@pytest.mark.parametrize(
    "url",
    [
        "/entities/OpenAI",
        "/graph/neighbourhood?entity=Tencent&depth=2",
        "/graph/paths?source=Tencent&target=Sam%20Altman",
        "/relations?type=BACKS",
        "/documents/doc-baidu-rivalry",
    ],
)
def test_the_api_answers_the_same_on_neo4j(neo4j_client: TestClient, client: TestClient, url: str) -> None:
    def canonical(body: object) -> object:
        # Element order within a list is a store's choice; compare lists as sorted JSON.
        import json

        if isinstance(body, dict):
            return {k: canonical(v) for k, v in body.items()}
        if isinstance(body, list):
            return sorted((canonical(v) for v in body), key=lambda v: json.dumps(v, sort_keys=True))
        return body

    assert canonical(neo4j_client.get(url).json()) == canonical(client.get(url).json())
