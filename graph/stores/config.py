"""What a store needs to know to open, in one small object of its own.

`graph` never reads aigeo's settings: aigeo builds a `StoreConfig` from them (`Settings.store_config`)
and hands it over. Anything with a `store_config()` method may be passed where a config is expected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

NEO4J_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")


def is_neo4j_uri(store: str) -> bool:
    """True for a Neo4j URI (bolt:// or neo4j://, plain, +s or +ssc).

    >>> is_neo4j_uri("neo4j+s://db.example.org"), is_neo4j_uri("./aigeo-data")
    (True, False)
    """
    return store.startswith(NEO4J_SCHEMES)


@dataclass(frozen=True)
class StoreConfig:
    """How to open and run a store; every field has a sensible default.

    >>> StoreConfig(neo4j_password="secret")  # the password never shows
    StoreConfig(busy_timeout=30.0, memory_graph=True, neo4j_user='neo4j', neo4j_database='neo4j', \
neo4j_batch_size=500, neo4j_query_timeout=10.0, neo4j_max_rows=1000)
    """

    busy_timeout: float = 30.0
    """Seconds an embedded-store writer waits for another process's write to finish."""
    memory_graph: bool = True
    """Embedded store: keep the traversal graph and name index in memory, kept current write by write
    (long-running processes). False answers traversals from SQLite's indexes alone (one-shot commands)."""
    neo4j_user: str = "neo4j"
    neo4j_password: str | None = field(default=None, repr=False)
    neo4j_database: str = "neo4j"
    neo4j_batch_size: int = 500
    neo4j_query_timeout: float = 10.0
    """Seconds a read-only Cypher query may run."""
    neo4j_max_rows: int = 1000


class ConfigSource(Protocol):
    """Something that can build a `StoreConfig` (aigeo's `Settings` is one)."""

    def store_config(self) -> StoreConfig: ...


def as_config(given: StoreConfig | ConfigSource | None) -> StoreConfig:
    """The config itself, one built by `given`, or the defaults.

    >>> as_config(None).memory_graph
    True
    """
    if given is None:
        return StoreConfig()
    if isinstance(given, StoreConfig):
        return given
    return given.store_config()
