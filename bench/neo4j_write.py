"""Rows/s of the Neo4j store's batched `UNWIND` writes against one row per transaction, same data.

The statements are the store's own (`graph.cypher.MERGE_MENTIONS` and `relation_merge`), on synthetic
entities and relations under one scratch document; every id starts with `bench:` and the scratch
data is deleted before and after, so a real graph in the same database is left as it was.

Where Neo4j comes from, first found wins:
  NEO4J_URI (with NEO4J_USER / NEO4J_PASSWORD, else AIGEO_NEO4J_USER / AIGEO_NEO4J_PASSWORD);
  a `neo4j:5` testcontainer when a Docker engine answers;
  otherwise the script says why it skips and exits 0.

    python bench/neo4j_write.py                         # 5,000 entities, 10,000 relations
    python bench/neo4j_write.py --entities 20000 --relations 50000 --batch-size 1000
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from neo4j import Driver, GraphDatabase, ManagedTransaction
from pydantic import SecretStr

from aigeo.settings import Settings
from graph import cypher
from graph.errors import StoreUnavailable
from graph.schema import RelType
from graph.stores.neo4j_store import Neo4jStore

PREFIX = "bench:"
DOC_ID = f"{PREFIX}doc"
IMAGE = "neo4j:5"


@dataclass(frozen=True)
class Server:
    uri: str
    user: str
    password: str | None
    origin: str


def _docker_problem() -> str | None:
    try:
        import docker

        docker.from_env(timeout=3).ping()
    except Exception as e:  # any failure means no usable engine; the message says which
        return f"{type(e).__name__}: {str(e).splitlines()[0][:120] if str(e) else 'no answer'}"
    return None


@contextmanager
def find_server() -> Iterator[Server | str]:
    """A reachable server, or the reason there is none."""
    uri = os.environ.get("NEO4J_URI")
    if uri:
        user = os.environ.get("NEO4J_USER") or os.environ.get("AIGEO_NEO4J_USER") or "neo4j"
        password = os.environ.get("NEO4J_PASSWORD") or os.environ.get("AIGEO_NEO4J_PASSWORD")
        yield Server(uri, user, password, "NEO4J_URI")
        return
    problem = _docker_problem()
    if problem is not None:
        yield f"no NEO4J_URI and no Docker engine reachable ({problem})"
        return
    from testcontainers.community.neo4j import Neo4jContainer

    password = "bench-password"
    with Neo4jContainer(IMAGE, password=password) as container:
        yield Server(container.get_connection_url(), "neo4j", password, f"testcontainers {IMAGE}")


def entity_rows(n: int) -> list[dict[str, Any]]:
    return [
        {
            "id": f"{PREFIX}company:{i}",
            "count": 1,
            "name": f"Bench Company {i}",
            "type": "Company",
            "country": None,
            "aliases": [f"BC{i}"],
            "name_key": f"bench company {i}",
            "keys": [f"bench company {i}", f"bc{i}"],
        }
        for i in range(n)
    ]


def relation_rows(n: int, entities: int, seed: int = 11) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < min(n, entities * (entities - 1)):
        a, b = rng.sample(range(entities), 2)
        pairs.add((a, b))
    rows = []
    for a, b in sorted(pairs):
        sentence = f"Bench Company {a} puts money behind Bench Company {b}."
        rows.append(
            {
                "source": f"{PREFIX}company:{a}",
                "target": f"{PREFIX}company:{b}",
                "evidence": [sentence],
                "evidence_docs": [DOC_ID],
                "evidence_starts": [0],
                "evidence_ends": [len(sentence)],
                "evidence_extractors": ["bench"],
                "evidence_confidences": [0.8],
                "evidence_hedged": [False],
                "evidence_since": [""],
            }
        )
    return rows


def reset(driver: Driver, database: str) -> None:
    """Delete the scratch data, then write the scratch document every row hangs from."""
    with driver.session(database=database) as session:
        session.run(cypher.DELETE_BY_ID_PREFIX, prefix=PREFIX).consume()
        doc = {
            "id": DOC_ID,
            "source": f"{PREFIX}synthetic",
            "seen_at": datetime.now(UTC),
            "seq": 0,
            "word_count": 0,
        }
        session.execute_write(lambda tx: tx.run(cypher.CREATE_DOCUMENT, doc=doc).consume())


def timed_writes(
    driver: Driver, database: str, statement: str, rows: Sequence[dict[str, Any]], per_tx: int
) -> float:
    """Rows/s writing `rows` with `per_tx` rows in each managed transaction."""

    def write(chunk: Sequence[dict[str, Any]]) -> Callable[[ManagedTransaction], object]:
        return lambda tx: tx.run(statement, rows=list(chunk), doc_id=DOC_ID).consume()

    started = time.perf_counter()
    with driver.session(database=database) as session:
        for i in range(0, len(rows), per_tx):
            session.execute_write(write(rows[i : i + per_tx]))
    return len(rows) / (time.perf_counter() - started)


def run(server: Server, entities: int, relations: int, batch_size: int, single_rows: int) -> int:
    secret = SecretStr(server.password) if server.password is not None else None
    settings = Settings(neo4j_user=server.user, neo4j_password=secret, neo4j_batch_size=batch_size)
    try:
        Neo4jStore.connect(server.uri, settings).close()  # applies the store's schema and indexes
    except StoreUnavailable as e:
        print(f"skip: {e}")
        return 0
    database = settings.neo4j_database
    auth = (server.user, server.password) if server.password is not None else None
    ent_rows = entity_rows(entities)
    rel_rows = relation_rows(relations, entities)
    merge_backs = cypher.relation_merge(RelType.BACKS)
    cases = [
        ("entities  MERGE_MENTIONS", cypher.MERGE_MENTIONS, ent_rows),
        ("relations relation_merge(BACKS)", merge_backs, rel_rows),
    ]
    print(f"Neo4j from {server.origin} at {server.uri}; batch size {batch_size}")
    print(f"{'statement':34} {'rows':>8} {'batched rows/s':>15} {'1 row/tx rows/s':>16} {'speed-up':>9}")
    with GraphDatabase.driver(server.uri, auth=auth) as driver:
        try:
            for label, statement, rows in cases:
                reset(driver, database)
                if statement is merge_backs:
                    timed_writes(driver, database, cypher.MERGE_MENTIONS, ent_rows, batch_size)
                batched = timed_writes(driver, database, statement, rows, batch_size)
                reset(driver, database)
                if statement is merge_backs:
                    timed_writes(driver, database, cypher.MERGE_MENTIONS, ent_rows, batch_size)
                # One transaction per row is slow by design: time a prefix, the rate is what counts.
                single = timed_writes(driver, database, statement, rows[:single_rows], 1)
                ratio = batched / single
                print(f"{label:34} {len(rows):>8,} {batched:>15,.0f} {single:>16,.0f} {ratio:>8.1f}x")
        finally:
            with driver.session(database=database) as session:
                session.run(cypher.DELETE_BY_ID_PREFIX, prefix=PREFIX).consume()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--entities", type=int, default=5_000)
    parser.add_argument("--relations", type=int, default=10_000)
    parser.add_argument("--batch-size", type=int, default=Settings().neo4j_batch_size)
    parser.add_argument(
        "--single-rows", type=int, default=500, help="rows written one per transaction (a prefix)"
    )
    args = parser.parse_args(argv)
    with find_server() as found:
        if isinstance(found, str):
            print(f"skip: {found}")
            return 0
        return run(found, args.entities, args.relations, args.batch_size, args.single_rows)


if __name__ == "__main__":
    sys.exit(main())
