"""How the Neo4j store fails: one clear line, from the store and through the CLI.

The unreachable-server cases run everywhere: a port nobody listens on is a real connection refusal.
Cases that need a server (wrong password, the read-only Cypher endpoint, sharing the driver) use the
`neo4j_server` fixture, which skips with its reason when no Neo4j can be reached.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.errors import BadQuery, StoreNotSupported, StoreUnavailable
from graph.stores import open_store
from graph.stores.config import StoreConfig
from graph.stores.neo4j_store import Neo4jStore, _refused_keyword
from tests.graph.conftest import Neo4jServer


@pytest.fixture
def closed_port() -> int:
    """A local port nothing listens on (bound once, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def settings(password: str | None = "some-password", user: str = "neo4j") -> StoreConfig:
    return StoreConfig(neo4j_user=user, neo4j_password=password)


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_an_unreachable_server_is_one_line_naming_the_uri(scheme: str, closed_port: int) -> None:
    uri = f"{scheme}://127.0.0.1:{closed_port}"
    started = time.monotonic()

    with pytest.raises(StoreUnavailable) as failure:
        Neo4jStore.connect(uri, settings())

    assert str(failure.value) == f"cannot reach Neo4j at {uri}: connection refused"
    assert time.monotonic() - started < 10


def test_an_unknown_host_says_so() -> None:
    # .invalid never resolves (RFC 2606).
    with pytest.raises(StoreUnavailable) as failure:
        Neo4jStore.connect("bolt://no-such-host.invalid:7687", settings())
    assert str(failure.value) == "cannot reach Neo4j at bolt://no-such-host.invalid:7687: unknown host"


@pytest.mark.parametrize("uri", ["foo://localhost:7687", "http://localhost:7474", "localhost:7687"])
def test_an_unknown_scheme_is_not_supported(uri: str) -> None:
    with pytest.raises(StoreNotSupported) as failure:
        Neo4jStore.connect(uri, settings())
    assert "\n" not in str(failure.value) and uri in str(failure.value)


@pytest.mark.parametrize("uri", ["foo://localhost:7687", "http://localhost:7474"])
def test_open_store_refuses_an_unknown_scheme(uri: str) -> None:
    with pytest.raises(StoreNotSupported):
        open_store(uri, settings())


def test_open_store_routes_bolt_uris_to_neo4j(closed_port: int) -> None:
    with pytest.raises(StoreUnavailable, match="cannot reach Neo4j"):
        open_store(f"bolt://localhost:{closed_port}", settings())


def test_the_cli_prints_one_line_and_exits_non_zero(closed_port: int, tmp_path: Path) -> None:
    uri = f"bolt://127.0.0.1:{closed_port}"
    done = subprocess.run(
        [sys.executable, "-m", "aigeo.cli", "stats", "--store", uri],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PATH": "", "AIGEO_NEO4J_PASSWORD": "some-password", "HOME": str(tmp_path)},
        cwd=tmp_path,  # no stray .env
    )
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert lines == [f"error: cannot reach Neo4j at {uri}: connection refused"], done.stderr
    assert done.stdout == ""


@pytest.mark.parametrize(
    ("query", "word"),
    [
        ("CREATE (n:Company {name: 'x'}) RETURN n", "CREATE"),
        ("match (n) detach delete n", "DETACH"),
        ("MATCH (n:Company) SET n.name = 'x'", "SET"),
        ("MERGE (n:Company {id: $id})", "MERGE"),
        ("MATCH (n) REMOVE n:Company", "REMOVE"),
        ("LOAD  CSV FROM 'file:///x' AS row RETURN row", "LOAD CSV"),
        ("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS", "DELETE"),
        ("DROP INDEX aigeo_entity_name_key", "DROP"),
        ("MATCH (n) FOREACH (x IN [1] | SET n.y = x)", "FOREACH"),
    ],
)
def test_write_keywords_are_spotted(query: str, word: str) -> None:
    assert _refused_keyword(query) == f"{word} writes to the graph"


@pytest.mark.parametrize(
    ("query", "word"),
    [
        ("USE system SHOW USERS", "USE"),
        ("SHOW TRANSACTIONS YIELD currentQuery", "SHOW"),
        ("show indexes", "SHOW"),
        ("STOP DATABASE neo4j", "STOP"),
    ],
)
def test_other_databases_and_administration_are_refused(query: str, word: str) -> None:
    refused = _refused_keyword(query)
    assert refused is not None and refused.startswith(word)


@pytest.mark.parametrize(
    "query",
    [
        "MATCH (n:Company) WHERE n.name = 'Create Labs' RETURN n",
        'MATCH (n) WHERE n.name CONTAINS "delete" RETURN n.offset, n.set',
        "MATCH (n) RETURN n.`remove me` // SET is only mentioned in a comment",
        "MATCH (n) /* MERGE, DROP */ RETURN count(n) AS created",
        "MATCH (n {reset: true}) RETURN n.dataset AS merged_set",
        "RETURN $create AS x",
        "MATCH (show:Company) WITH show, 1 AS use RETURN show.name, use",
    ],
)
def test_reads_that_mention_write_words_are_not_refused(query: str) -> None:
    assert _refused_keyword(query) is None


# -- with a server ----------------------------------------------------------------------------------


@pytest.fixture
def neo4j_store(neo4j_server: Neo4jServer) -> Iterator[Neo4jStore]:
    store = Neo4jStore.connect(neo4j_server.uri, settings(neo4j_server.password, neo4j_server.user))
    try:
        yield store
    finally:
        store.close()


@pytest.mark.neo4j
def test_a_wrong_password_is_one_line_naming_the_user(neo4j_server: Neo4jServer) -> None:
    with pytest.raises(StoreUnavailable) as failure:
        Neo4jStore.connect(neo4j_server.uri, settings("not-the-password", neo4j_server.user))
    assert str(failure.value) == (
        f"Neo4j at {neo4j_server.uri} rejected the credentials for user {neo4j_server.user}"
    )


@pytest.mark.neo4j
def test_a_good_connection_is_not_borrowed_by_a_wrong_password(neo4j_store: Neo4jStore) -> None:
    with pytest.raises(StoreUnavailable, match="rejected the credentials"):
        Neo4jStore.connect(neo4j_store.uri, settings("not-the-password", neo4j_store.user))
    neo4j_store.ping()


@pytest.mark.neo4j
def test_stores_share_one_driver_and_closing_one_leaves_the_other(
    neo4j_store: Neo4jStore, neo4j_server: Neo4jServer
) -> None:
    other = Neo4jStore.connect(neo4j_server.uri, settings(neo4j_server.password, neo4j_server.user))
    assert other._driver is neo4j_store._driver
    other.close()
    other.close()
    neo4j_store.ping()
    with pytest.raises(StoreUnavailable, match="closed"):
        other.ping()


@pytest.mark.neo4j
def test_read_cypher_returns_capped_json_rows(neo4j_store: Neo4jStore) -> None:
    rows = neo4j_store.read_cypher("UNWIND range(1, 50) AS i RETURN i, {n: i} AS m", {}, 5.0, 10)
    assert rows == [{"i": i, "m": {"n": i}} for i in range(1, 11)]
    nodes = neo4j_store.read_cypher("RETURN date('2025-03-01') AS day, $x AS x", {"x": [1, "a"]}, 5.0, 10)
    assert nodes == [{"day": "2025-03-01", "x": [1, "a"]}]


@pytest.mark.neo4j
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("CREATE (n:Company) RETURN n", "CREATE writes"),
        ("CALL db.createLabel('AigeoScratch')", "would write"),
        ("MATCH (n RETURN n", "invalid Cypher"),
        ("RETURN $missing AS x", "failed"),
        ("", "empty"),
    ],
)
def test_read_cypher_refuses_writes_and_reports_bad_queries(
    neo4j_store: Neo4jStore, query: str, message: str
) -> None:
    with pytest.raises(BadQuery, match=message):
        neo4j_store.read_cypher(query, {}, 5.0, 10)


@pytest.mark.neo4j
def test_read_cypher_stops_a_query_at_its_timeout(neo4j_store: Neo4jStore) -> None:
    slow = "UNWIND range(1, 1000000000) AS i WITH i WHERE i < 0 RETURN count(*) AS n"
    with pytest.raises(BadQuery, match="longer than"):
        neo4j_store.read_cypher(slow, {}, 0.5, 10)
