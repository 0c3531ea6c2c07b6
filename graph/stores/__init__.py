"""Pick a store from one setting: a path is the embedded store, a bolt:// or neo4j:// URI is Neo4j.

The Neo4j store is imported only when asked for, so the embedded store works without a server.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from graph.errors import StoreNotSupported
from graph.stores.config import ConfigSource, StoreConfig, as_config, is_neo4j_uri

if TYPE_CHECKING:
    from graph.store import GraphStore

_URI_PREFIX = ("http://", "https://", "file://", "sqlite://")


def open_store(spec: str, config: StoreConfig | ConfigSource | None = None) -> GraphStore:
    """Open the store `spec` names (a directory path or a Neo4j URI), configured by `config`.

    >>> import tempfile
    >>> store = open_store(tempfile.mkdtemp())
    >>> store.stats().entities
    0
    >>> store.close()
    """
    if is_neo4j_uri(spec):
        from graph.stores.neo4j_store import Neo4jStore

        return Neo4jStore.connect(spec, config)
    if "://" in spec or spec.startswith(_URI_PREFIX):
        raise StoreNotSupported(
            f"store {spec!r}: not a directory path nor a bolt://, neo4j:// or neo4j+s:// URI"
        )
    from graph.stores.embedded import EmbeddedStore

    return EmbeddedStore(Path(spec).expanduser(), config=as_config(config))
