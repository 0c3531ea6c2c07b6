"""REST API latency and throughput against the same store calls made directly.

    python bench/api.py [--entities 100000] [--relations 500000] [--requests 300] [--concurrency 4]

Builds a synthetic graph in an embedded store in a temporary directory (one document per
`--per-doc` relations, written through the store's bulk path), serves it with uvicorn on 127.0.0.1 in
its own process, and times neighbourhood (depth 1 and 2) and shortest-path requests over HTTP with
httpx, next to the same `GraphStore` calls made in this process. Prints p50/p99 latency and requests/s
for both and their ratio (what HTTP, routing, validation, name resolution and JSON cost on top).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.errors import NoPath  # noqa: E402
from graph.model import (  # noqa: E402
    Document,
    Entity,
    Evidence,
    GraphBatch,
    NeighbourhoodQuery,
    PathQuery,
    Relation,
)
from graph.schema import NodeType, RelType  # noqa: E402
from graph.stores.embedded import EmbeddedStore  # noqa: E402
from tests.servers import ServerDidNotStart, free_port, stop, wait_until_up  # noqa: E402

console = Console()
if not console.is_terminal:
    console = Console(width=150)  # a piped table keeps its columns readable
NODE_TYPES = list(NodeType)
REL_TYPES = list(RelType)
UPSERT_GROUP = 200  # batches per transaction on the bulk path
WARM_UP = 20  # untimed requests per query kind


def entity_id(i: int) -> str:
    return f"{NODE_TYPES[i % len(NODE_TYPES)].value.lower()}:e{i}"


def make_entity(i: int) -> Entity:
    return Entity(id=entity_id(i), name=f"Actor {i}", type=NODE_TYPES[i % len(NODE_TYPES)], mention_count=1)


def synthetic_batches(n_entities: int, n_relations: int, per_doc: int, seed: int) -> Iterator[GraphBatch]:
    """Documents of `per_doc` random relations each; every entity appears in at least one document.

    Ends are drawn uniformly (average degree 2m/n), with a few duplicate keys across documents so
    some relations carry weight > 1, as in real news.
    """
    rng = random.Random(seed)
    n_docs = max(1, -(-n_relations // per_doc))
    unplaced = iter(range(n_entities))
    for d in range(n_docs):
        doc_id = f"bench-{d:07d}"
        count = min(per_doc, n_relations - d * per_doc)
        rels: dict[tuple[str, RelType, str], Relation] = {}
        ends: set[int] = set()
        offset = 0
        while len(rels) < count:
            a, b = rng.randrange(n_entities), rng.randrange(n_entities)
            if a == b:
                continue
            rel_type = REL_TYPES[rng.randrange(len(REL_TYPES))]
            sentence = f"Actor {a} and Actor {b} are linked ({rel_type.value.lower()})."
            ev = Evidence(
                doc_id=doc_id,
                sentence=sentence,
                start=offset,
                end=offset + len(sentence),
                extractor="bench",
                confidence=0.7,
            )
            offset += len(sentence) + 1
            rel = Relation(source=entity_id(a), type=rel_type, target=entity_id(b), evidence=[ev])
            if rel.key in rels:
                continue
            rels[rel.key] = rel
            ends.update((a, b))
        # Spread the entities no relation drew over the documents, so all of them exist.
        for _ in range(max(1, n_entities // n_docs + 1)):
            extra = next(unplaced, None)
            if extra is not None:
                ends.add(extra)
        yield GraphBatch(
            document=Document(
                id=doc_id, source=f"bench/{doc_id}.txt", title=f"Synthetic {d}", word_count=offset // 6
            ),
            entities=[make_entity(i) for i in sorted(ends)],
            relations=list(rels.values()),
        )
    for leftover in unplaced:  # only when there are more entities than documents can carry
        doc_id = f"bench-extra-{leftover:07d}"
        yield GraphBatch(
            document=Document(id=doc_id, source=f"bench/{doc_id}.txt"), entities=[make_entity(leftover)]
        )


def build(store: EmbeddedStore, args: argparse.Namespace) -> float:
    """Write the synthetic graph; return the seconds it took."""
    started = time.perf_counter()
    group: list[GraphBatch] = []
    written = 0
    with console.status("building the synthetic graph") as status:
        for batch in synthetic_batches(args.entities, args.relations, args.per_doc, args.seed):
            group.append(batch)
            if len(group) >= UPSERT_GROUP:
                store.upsert_many(group)
                written += sum(len(b.relations) for b in group)
                group.clear()
                status.update(f"building the synthetic graph: {written:,} relations written")
        if group:
            store.upsert_many(group)
    return time.perf_counter() - started


def serve(data: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "AIGEO_STORE": str(data), "AIGEO_MAX_DEPTH": "3", "AIGEO_MAX_HOPS": "6"}
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
            "--no-access-log",
        ],
        cwd=data.parent,
        env=env,
    )
    try:
        wait_until_up(proc, f"http://127.0.0.1:{port}/ready")
    except ServerDidNotStart as e:
        stop(proc)
        raise SystemExit(f"uvicorn did not become ready: {e}") from None
    return proc


@dataclass
class Timing:
    latencies: list[float]
    wall: float
    statuses: dict[int, int]

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.wall


def run(calls: list[Callable[[], int]], concurrency: int) -> Timing:
    """Run every call (returning a status), `concurrency` at a time; time each one and the whole."""
    statuses: dict[int, int] = {}

    def one(call: Callable[[], int]) -> float:
        start = time.perf_counter()
        status = call()
        elapsed = time.perf_counter() - start
        statuses[status] = statuses.get(status, 0) + 1
        return elapsed

    start = time.perf_counter()
    if concurrency <= 1:
        latencies = [one(c) for c in calls]
    else:
        with ThreadPoolExecutor(concurrency) as pool:
            latencies = list(pool.map(one, calls))
    return Timing(latencies, time.perf_counter() - start, statuses)


def direct_call(fn: Callable[[], object]) -> Callable[[], int]:
    def call() -> int:
        try:
            fn()
        except NoPath:
            return 404
        return 200

    return call


def http_call(client: httpx.Client, url: str, params: dict[str, object]) -> Callable[[], int]:
    def call() -> int:
        response = client.get(url, params=params)
        response.read()
        return response.status_code

    return call


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--relations", type=int, default=500_000)
    parser.add_argument("--per-doc", type=int, default=50, help="relations per synthetic document")
    parser.add_argument("--requests", type=int, default=300, help="requests per query kind")
    parser.add_argument("--concurrency", type=int, default=4, help="parallel HTTP clients for the req/s run")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--keep", type=Path, help="build into (or reuse) this directory instead of a temp one"
    )
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="aigeo-bench-api-"))
    data = args.keep or tmp / "graph"
    try:
        store = EmbeddedStore(data)
        if store.stats().relations == 0:
            seconds = build(store, args)
            console.print(f"built in {seconds:.1f} s ({args.relations / seconds:,.0f} relations/s)")
        stats = store.stats()
        console.print(
            f"graph: {stats.entities:,} entities, {stats.relations:,} relations, "
            f"{stats.documents:,} documents"
        )
        rng = random.Random(args.seed + 1)
        ids = [entity_id(rng.randrange(args.entities)) for _ in range(args.requests)]
        pairs = [
            (entity_id(rng.randrange(args.entities)), entity_id(rng.randrange(args.entities)))
            for _ in range(args.requests)
        ]

        started = time.perf_counter()
        store.neighbourhood(NeighbourhoodQuery(entity_id=ids[0]))  # builds the in-memory adjacency
        console.print(f"direct: first traversal (adjacency build) {time.perf_counter() - started:.1f} s")

        kinds: dict[str, tuple[list[Callable[[], int]], str, list[dict[str, object]]]] = {
            "neighbourhood depth 1": (
                [
                    direct_call(lambda i=i: store.neighbourhood(NeighbourhoodQuery(entity_id=i, depth=1)))
                    for i in ids
                ],
                "/graph/neighbourhood",
                [{"entity": i, "depth": 1} for i in ids],
            ),
            "neighbourhood depth 2": (
                [
                    direct_call(lambda i=i: store.neighbourhood(NeighbourhoodQuery(entity_id=i, depth=2)))
                    for i in ids
                ],
                "/graph/neighbourhood",
                [{"entity": i, "depth": 2} for i in ids],
            ),
            "shortest path (≤6 hops)": (
                [
                    direct_call(lambda a=a, b=b: store.paths(PathQuery(source_id=a, target_id=b, max_hops=6)))
                    for a, b in pairs
                ],
                "/graph/paths",
                [{"source": a, "target": b, "max_hops": 6} for a, b in pairs],
            ),
        }

        port = free_port()
        started = time.perf_counter()
        server = serve(data, port)
        console.print(f"uvicorn ready in {time.perf_counter() - started:.1f} s on 127.0.0.1:{port}")
        table = Table(title=f"REST API vs direct store calls ({args.requests} requests each)")
        for col in (
            "query",
            "direct p50",
            "direct p99",
            "direct /s",
            "API p50",
            "API p99",
            "API /s (1)",
            f"API /s ({args.concurrency})",
            "p50 ratio",
            "statuses",
        ):
            table.add_column(col, justify="left" if col in ("query", "statuses") else "right")
        try:
            clients = [
                httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)
                for _ in range(max(1, args.concurrency))
            ]
            clients[0].get("/graph/neighbourhood", params={"entity": ids[0]})  # the server's adjacency build
            floor = run([http_call(clients[0], "/health", {}) for _ in ids], 1)
            table.add_row(
                "GET /health (HTTP floor)",
                "",
                "",
                "",
                f"{floor.pct(0.5):.2f} ms",
                f"{floor.pct(0.99):.2f} ms",
                f"{floor.rate:,.0f}",
                "",
                "",
                " ".join(f"{k}:{v}" for k, v in sorted(floor.statuses.items())),
            )
            for name, (direct_calls, url, params) in kinds.items():
                warm = min(WARM_UP, len(params))
                run(direct_calls[:warm], 1)  # first touches of SQLite pages and of the server's threads
                run([http_call(clients[0], url, p) for p in params[:warm]], 1)
                direct = run(direct_calls, 1)
                api = run([http_call(clients[0], url, p) for p in params], 1)
                parallel = run(
                    [http_call(clients[i % len(clients)], url, p) for i, p in enumerate(params)],
                    args.concurrency,
                )
                table.add_row(
                    name,
                    f"{direct.pct(0.5):.2f} ms",
                    f"{direct.pct(0.99):.2f} ms",
                    f"{direct.rate:,.0f}",
                    f"{api.pct(0.5):.2f} ms",
                    f"{api.pct(0.99):.2f} ms",
                    f"{api.rate:,.0f}",
                    f"{parallel.rate:,.0f}",
                    f"{api.pct(0.5) / max(direct.pct(0.5), 1e-6):.1f}×",
                    " ".join(f"{k}:{v}" for k, v in sorted(api.statuses.items())),
                )
            for client in clients:
                client.close()
        finally:
            stop(server)
        console.print(table)
        console.print(
            "direct = the same GraphStore call in this process; API = GET over HTTP/1.1 keep-alive to "
            f"uvicorn (1 worker), sequential, then {args.concurrency} clients at once. "
            "404 = no path within 6 hops."
        )
        store.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
