"""What routes receive by injection: settings, the store, pagination and validated graph queries.

Every server limit (depth, hops, k, page size) is checked here, against settings, so a route body
only ever sees a query it may run.
"""

from __future__ import annotations

import hmac
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Literal, TypeVar

from fastapi import Depends, Query, Request, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyHeader

from aigeo.settings import Settings
from api.errors import LimitExceeded, NotAuthenticated
from api.reads import ReadPlacement
from graph.errors import StoreUnavailable
from graph.model import Entity, NeighbourhoodQuery, PathQuery
from graph.schema import Direction, NodeType, RelType
from graph.store import GraphStore, resolve_entity
from graph.stores import open_store

if TYPE_CHECKING:
    from loaders.ingest import Extractor

T = TypeVar("T")

DEFAULT_PAGE_SIZE = 50
MAX_PAGE = 100_000
KEY_MAX = 300


class StoreHolder:
    """The app's one store: given, or opened from settings on first need and again after a failure.

    A store that is down when the app starts (Neo4j still booting) makes requests answer 503 until it
    comes up, instead of keeping the whole app from starting.
    """

    def __init__(self, settings: Settings, store: GraphStore | None = None) -> None:
        self.settings = settings
        self._store = store
        self._owned = store is None  # only a store we opened is ours to close
        self._lock = threading.Lock()

    def get(self) -> GraphStore:
        store = self._store
        if store is not None:
            return store
        with self._lock:
            if self._store is None:
                try:
                    self._store = open_store(self.settings.store, self.settings)
                except OSError as exc:
                    raise StoreUnavailable(f"cannot open the store {self.settings.store!r}: {exc}") from exc
            return self._store

    @property
    def opened(self) -> GraphStore | None:
        return self._store

    @property
    def is_neo4j(self) -> bool:
        if self._store is not None:
            return self._store.capabilities.read_cypher
        return self.settings.store_is_neo4j

    def close(self) -> None:
        with self._lock:
            if self._store is not None and self._owned:
                self._store.close()
                self._store = None


class ExtractorHolder:
    """The extraction pipeline, built once on first upload (loading spaCy takes seconds) and kept."""

    def __init__(self, factory: Callable[[], Extractor]) -> None:
        self._factory = factory
        self._extractor: Extractor | None = None
        self._lock = threading.Lock()
        self.ingest_lock = threading.Lock()
        """Held for a whole upload: spaCy pipelines are not meant to be shared across threads."""

    def get(self) -> Extractor:
        with self._lock:
            if self._extractor is None:
                self._extractor = self._factory()
            return self._extractor


# Dependencies are `async def` unless they do I/O: FastAPI runs a sync one in the thread pool, and
# under load each such hop costs more than the graph query itself. Each route makes at most one hop,
# for its store work (`in_thread`); the graph routes let `api.reads` run a fast kind of read on the
# loop itself.


async def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def _store(request: Request) -> GraphStore:
    holder: StoreHolder = request.app.state.stores
    if holder.opened is not None:
        return holder.opened
    return await run_in_threadpool(holder.get)  # opening may take a while (a Neo4j handshake)


async def _reads(request: Request) -> ReadPlacement:
    reads: ReadPlacement = request.app.state.reads
    return reads


async def _extractors(request: Request) -> ExtractorHolder:
    holder: ExtractorHolder = request.app.state.extractors
    return holder


SettingsDep = Annotated[Settings, Depends(_settings)]
StoreDep = Annotated[GraphStore, Depends(_store)]
ExtractorDep = Annotated[ExtractorHolder, Depends(_extractors)]
ReadsDep = Annotated[ReadPlacement, Depends(_reads)]


def check_limit(param: str, value: int, limit: str, maximum: int) -> None:
    """Raise `LimitExceeded` (400) when `value` is over the server's `limit` setting."""
    if value > maximum:
        raise LimitExceeded(param, value, limit, maximum)


@dataclass(frozen=True)
class Pagination:
    page: int
    page_size: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    @property
    def fetch(self) -> int:
        """Ask the store for one more than a page, to learn whether another page follows."""
        return self.page_size + 1

    def next_page(self, fetched: int) -> int | None:
        return self.page + 1 if fetched > self.page_size and self.page < MAX_PAGE else None


async def _pagination(
    settings: SettingsDep,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE, description="1-based page number.")] = 1,
    page_size: Annotated[
        int | None,
        Query(ge=1, description="Items per page (default 50), capped by the server's max_page_size."),
    ] = None,
) -> Pagination:
    size = page_size if page_size is not None else min(DEFAULT_PAGE_SIZE, settings.max_page_size)
    check_limit("page_size", size, "max_page_size", settings.max_page_size)
    return Pagination(page=page, page_size=size)


PageDep = Annotated[Pagination, Depends(_pagination)]

EntityKey = Annotated[
    str,
    Query(min_length=1, max_length=KEY_MAX, description="Canonical id, name or alias.", examples=["OpenAI"]),
]
RelTypes = Annotated[
    list[RelType] | None, Query(description="Follow only these relation types (repeatable).")
]
NodeTypes = Annotated[list[NodeType] | None, Query(description="Keep only these node types (repeatable).")]
DirectionParam = Annotated[
    Direction, Query(description="Follow relations out of, into, or both ways from the start entity.")
]


@dataclass(frozen=True)
class NeighbourhoodRequest:
    centre: Entity
    query: NeighbourhoodQuery


@dataclass(frozen=True)
class NeighbourhoodParams:
    """A neighbourhood request within the server's limits, its centre not yet looked up."""

    entity: str
    depth: int
    rel_types: list[RelType] | None
    node_types: list[NodeType] | None
    direction: Direction
    min_weight: int
    limit: int

    def resolve(self, store: GraphStore) -> NeighbourhoodRequest:
        """Find the centre (by id, name or alias) and build the store query: call in a worker thread."""
        centre = resolve_entity(store, self.entity)
        query = NeighbourhoodQuery(
            entity_id=centre.id,
            depth=self.depth,
            rel_types=self.rel_types,
            node_types=self.node_types,
            direction=self.direction,
            min_weight=self.min_weight,
            limit=self.limit,
        )
        return NeighbourhoodRequest(centre=centre, query=query)


async def _neighbourhood(
    settings: SettingsDep,
    entity: EntityKey,
    depth: Annotated[int, Query(ge=1, description="Hops from the centre, capped by max_depth.")] = 1,
    rel_type: RelTypes = None,
    node_type: NodeTypes = None,
    direction: DirectionParam = Direction.BOTH,
    min_weight: Annotated[
        int, Query(ge=1, le=1_000_000, description="Ignore relations with fewer supporting documents.")
    ] = 1,
    limit: Annotated[int, Query(ge=1, le=10_000, description="Most nodes returned, centre included.")] = 200,
) -> NeighbourhoodParams:
    check_limit("depth", depth, "max_depth", settings.max_depth)
    return NeighbourhoodParams(
        entity=entity,
        depth=depth,
        rel_types=rel_type or None,
        node_types=node_type or None,
        direction=direction,
        min_weight=min_weight,
        limit=limit,
    )


NeighbourhoodDep = Annotated[NeighbourhoodParams, Depends(_neighbourhood)]


@dataclass(frozen=True)
class PathRequest:
    source: Entity
    target: Entity
    query: PathQuery


@dataclass(frozen=True)
class PathParams:
    """A path request within the server's limits, its ends not yet looked up."""

    source: str
    target: str
    mode: Literal["shortest", "all_shortest", "k_shortest"]
    k: int
    max_hops: int
    rel_types: list[RelType] | None
    direction: Direction

    def resolve(self, store: GraphStore) -> PathRequest:
        """Find both ends (by id, name or alias) and build the store query: call in a worker thread."""
        start = resolve_entity(store, self.source)
        end = resolve_entity(store, self.target)
        query = PathQuery(
            source_id=start.id,
            target_id=end.id,
            mode=self.mode,
            k=self.k,
            max_hops=self.max_hops,
            rel_types=self.rel_types,
            direction=self.direction,
        )
        return PathRequest(source=start, target=end, query=query)


async def _paths(
    settings: SettingsDep,
    source: Annotated[
        str,
        Query(
            min_length=1, max_length=KEY_MAX, description="Start: id, name or alias.", examples=["Tencent"]
        ),
    ],
    target: Annotated[
        str,
        Query(min_length=1, max_length=KEY_MAX, description="End: id, name or alias.", examples=["OpenAI"]),
    ],
    mode: Annotated[
        Literal["shortest", "all_shortest", "k_shortest"],
        Query(description="One shortest path, all shortest paths, or up to k shortest simple paths."),
    ] = "shortest",
    k: Annotated[
        int | None, Query(ge=1, description="Paths wanted in k_shortest mode (default 3), capped by max_k.")
    ] = None,
    max_hops: Annotated[
        int | None, Query(ge=1, description="Longest path considered (default 4), capped by max_hops.")
    ] = None,
    rel_type: RelTypes = None,
    direction: DirectionParam = Direction.BOTH,
) -> PathParams:
    hops = max_hops if max_hops is not None else min(4, settings.max_hops)
    wanted = k if k is not None else min(3, settings.max_k)
    check_limit("k", wanted, "max_k", settings.max_k)
    check_limit("max_hops", hops, "max_hops", settings.max_hops)
    return PathParams(
        source=source,
        target=target,
        mode=mode,
        k=wanted,
        max_hops=hops,
        rel_types=rel_type or None,
        direction=direction,
    )


PathDep = Annotated[PathParams, Depends(_paths)]

API_KEY_HEADER = "X-API-Key"
_api_key = APIKeyHeader(
    name=API_KEY_HEADER,
    auto_error=False,
    scheme_name="ApiKey",
    description="Enables the write endpoints; they exist only when the server has a key configured.",
)


async def require_api_key(settings: SettingsDep, key: Annotated[str | None, Security(_api_key)]) -> None:
    """Let the request through only with the configured key, compared in constant time."""
    check_api_key(settings, key)


def check_api_key(settings: Settings, key: str | None) -> None:
    """Raise `NotAuthenticated` unless `key` is the configured key (compared in constant time)."""
    expected = settings.api_key
    if expected is None:
        raise NotAuthenticated("write endpoints are disabled on this server")
    if key is None:
        raise NotAuthenticated(f"this endpoint needs the {API_KEY_HEADER} header")
    if not hmac.compare_digest(key.encode("utf-8"), expected.get_secret_value().encode("utf-8")):
        raise NotAuthenticated(f"the {API_KEY_HEADER} header does not hold the server's key")


async def in_thread(work: Callable[[], T]) -> T:
    """Run a route's store work (blocking I/O and traversal) in the thread pool: its one hop."""
    return await run_in_threadpool(work)
