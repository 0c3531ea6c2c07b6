"""REST API latency against the same store calls made directly, sampled side by side.

    python bench/api.py [--entities 100000] [--relations 500000] [--requests 300] [--rounds 3]
                        [--port 8731] [--baseline ../main --baseline-port 8732] [--keep DIR]
                        [--clients httpx,http.client]

Builds a synthetic graph in an embedded store in a temporary directory (one document per
`--per-doc` relations, written through the store's bulk path), serves it with uvicorn on
127.0.0.1:`--port` (the only port it binds) in its own process, and times neighbourhood (depth 1
and 2) and shortest-path requests over HTTP next to the same `GraphStore` calls made in this process,
with two clients: httpx, and the standard library's http.client, which spends about a fifth of
httpx's CPU time on a request (both keep one HTTP/1.1 connection alive); the second shows how much
of a ratio is the client's own time rather than the API's. Direct and HTTP samples are interleaved
(their order alternating), so a change in the machine's load moves both alike and cannot move their
ratio. Each round prints p50/p99 for both,
the p50 ratio and whether the API is within the goal of 2x direct + 1 ms; the closing table gives the
median over rounds. `--baseline DIR` also serves the API from another checkout (e.g. main) on
`--baseline-port`, sampled in the same interleaving: a before/after under the same load.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Protocol
from urllib.parse import urlencode

import httpx
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.synthetic import entity_id, synthetic_batches  # noqa: E402
from graph.errors import NoPath  # noqa: E402
from graph.model import (  # noqa: E402
    GraphBatch,
    NeighbourhoodQuery,
    PathQuery,
)
from graph.stores.embedded import EmbeddedStore  # noqa: E402
from tests.servers import HOST, ServerDidNotStart, stop, wait_until_up  # noqa: E402

console = Console()
if not console.is_terminal:
    console = Console(width=230)  # a piped table keeps its columns readable
UPSERT_GROUP = 200  # batches per transaction on the bulk path
WARM_UP = 20  # untimed requests per query kind
KEEP_ALIVE = 600
"""Seconds uvicorn keeps an idle connection: longer than any pause of this benchmark (its default, 5 s,
would drop a client's connection while the direct calls of a slow round run)."""


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


def port_in_use(port: int) -> bool:
    """Whether something already listens on 127.0.0.1:`port` (it would answer in our server's place)."""
    try:
        with socket.create_connection((HOST, port), timeout=0.5):
            return True
    except OSError:
        return False


def serve(data: Path, port: int, code: Path) -> subprocess.Popen[bytes]:
    """uvicorn on 127.0.0.1:`port` serving the API of the checkout at `code` over the store `data`."""
    if port_in_use(port):
        raise SystemExit(f"port {port} on {HOST} is in use: pass a free one with --port/--baseline-port")
    env = {
        **os.environ,
        "AIGEO_STORE": str(data),
        "AIGEO_MAX_DEPTH": "3",
        "AIGEO_MAX_HOPS": "6",
        "PYTHONPATH": str(code),
    }
    env.pop("AIGEO_API_KEY", None)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "api.app:create_app",
            "--factory",
            "--host",
            HOST,
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
            "--timeout-keep-alive",
            str(KEEP_ALIVE),
        ],
        cwd=data.parent,
        env=env,
    )
    try:
        wait_until_up(proc, f"http://{HOST}:{port}/ready")
    except ServerDidNotStart as e:
        stop(proc)
        raise SystemExit(f"uvicorn ({code}) did not become ready on port {port}: {e}") from None
    return proc


Call = Callable[[], int]


@dataclass
class Samples:
    """Latencies (seconds) of one target and the statuses it answered."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    cpu: float = 0.0
    """CPU seconds this process's thread spent in the calls: the store's work for direct calls, the
    HTTP client's for requests."""

    def pct(self, q: float) -> float:
        """The q-quantile in milliseconds."""
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


def interleaved(targets: dict[str, list[Call]]) -> dict[str, Samples]:
    """Time call i of every target before call i+1 of any, rotating which goes first.

    Whatever the machine does meanwhile lands on every target alike.
    """
    names = list(targets)
    out = {name: Samples() for name in names}
    count = min(len(calls) for calls in targets.values())
    for i in range(count):
        shift = i % len(names)
        for name in names[shift:] + names[:shift]:
            started, cpu = time.perf_counter(), time.thread_time()
            status = targets[name][i]()
            out[name].latencies.append(time.perf_counter() - started)
            out[name].cpu += time.thread_time() - cpu
            out[name].statuses[status] += 1
    return out


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) process `pid` has used so far; 0 where /proc is not there."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def throughput(calls: list[Call], concurrency: int) -> float:
    """Calls per second with `concurrency` of them at a time."""
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(lambda call: call(), calls))
    return len(calls) / (time.perf_counter() - started)


def direct_call(fn: Callable[[], object]) -> Call:
    def call() -> int:
        try:
            fn()
        except NoPath:
            return 404
        return 200

    return call


Params = dict[str, str | int]


class Client(Protocol):
    """An HTTP client that keeps one connection to one server."""

    def get(self, url: str, params: Params) -> int:
        """GET `url` with `params`, read the whole body; the status."""
        ...

    def close(self) -> None: ...


class HttpxClient:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self._client = httpx.Client(base_url=base_url, timeout=60)

    def get(self, url: str, params: Params) -> int:
        response = self._client.get(url, params=params)
        response.read()
        return response.status_code

    def close(self) -> None:
        self._client.close()


class StdlibClient:
    """http.client: no connection pool, no URL or header models, so little CPU per request."""

    def __init__(self, port: int) -> None:
        self._conn = http.client.HTTPConnection(HOST, port, timeout=60)

    def get(self, url: str, params: Params) -> int:
        self._conn.request("GET", f"{url}?{urlencode(params)}" if params else url)
        response = self._conn.getresponse()
        response.read()
        return response.status

    def close(self) -> None:
        self._conn.close()


CLIENTS = {"httpx": "", "http.client": " (http.client)"}
"""Client name -> the suffix of its targets' names ("API", "API (http.client)")."""


def http_call(client: Client, url: str, params: Params) -> Call:
    def call() -> int:
        return client.get(url, params)

    return call


def neighbourhood_of(store: EmbeddedStore, entity: str, depth: int) -> object:
    """The direct call: the store query built and run, as the API route does after resolving names."""
    return store.neighbourhood(NeighbourhoodQuery(entity_id=entity, depth=depth))


def path_between(store: EmbeddedStore, source: str, target: str) -> object:
    return store.paths(PathQuery(source_id=source, target_id=target, max_hops=6))


@dataclass(frozen=True)
class Kind:
    """One kind of query: its direct calls and the same requests over HTTP."""

    name: str
    direct: list[Call]
    url: str
    params: list[dict[str, str | int]]


def query_kinds(store: EmbeddedStore, args: argparse.Namespace, round_: int) -> list[Kind]:
    """Fresh random ends for each round, the same ones for the direct calls and the requests."""
    rng = random.Random(args.seed + 1 + round_)
    ids = [entity_id(rng.randrange(args.entities)) for _ in range(args.requests)]
    pairs = [
        (entity_id(rng.randrange(args.entities)), entity_id(rng.randrange(args.entities)))
        for _ in range(args.requests)
    ]

    def around(depth: int) -> Kind:
        return Kind(
            f"neighbourhood depth {depth}",
            [direct_call(partial(neighbourhood_of, store, i, depth)) for i in ids],
            "/graph/neighbourhood",
            [{"entity": i, "depth": depth} for i in ids],
        )

    path = Kind(
        "shortest path (≤6 hops)",
        [direct_call(partial(path_between, store, a, b)) for a, b in pairs],
        "/graph/paths",
        [{"source": a, "target": b, "max_hops": 6} for a, b in pairs],
    )
    return [around(1), around(2), path]


GOAL_FACTOR, GOAL_EXTRA_MS = 2.0, 1.0
"""The goal: API p50 ≤ 2 × direct p50 + 1 ms."""


@dataclass
class Row:
    """One kind's figures in one round: p50/p99 per target (ms)."""

    p50: dict[str, float]
    p99: dict[str, float]
    statuses: str
    cpu: dict[str, float] = field(default_factory=dict)
    """CPU ms per call: "direct" (the store's work), each server's, and "<server> client"."""


@dataclass(frozen=True)
class Target:
    """One client of one server, and the server's process."""

    client: Client
    pid: int


def server_cpu(targets: dict[str, Target], before: dict[int, float], count: int) -> dict[str, float]:
    """CPU ms per request of each target's server: its process's time over the requests all targets
    sent it."""
    shared = Counter(t.pid for t in targets.values())
    return {
        name: (process_cpu(t.pid) - before[t.pid]) * 1000 / (count * shared[t.pid])
        for name, t in targets.items()
    }


def measure_round(kinds: list[Kind], servers: dict[str, Target], floor_calls: int) -> dict[str, Row]:
    rows: dict[str, Row] = {}
    floor = interleaved({n: [http_call(t.client, "/health", {})] * floor_calls for n, t in servers.items()})
    rows["GET /health (HTTP floor)"] = Row(
        {n: s.pct(0.5) for n, s in floor.items()}, {n: s.pct(0.99) for n, s in floor.items()}, ""
    )
    for kind in kinds:
        warm = min(WARM_UP, len(kind.params))
        targets: dict[str, list[Call]] = {"direct": kind.direct}
        for name, target in servers.items():
            targets[name] = [http_call(target.client, kind.url, p) for p in kind.params]
        interleaved({name: calls[:warm] for name, calls in targets.items()})  # first touches
        before = {t.pid: process_cpu(t.pid) for t in servers.values()}
        samples = interleaved(targets)
        count = len(kind.params)
        cpu = {"direct": samples["direct"].cpu * 1000 / count, **server_cpu(servers, before, count)}
        for name in servers:
            cpu[f"{name} client"] = samples[name].cpu * 1000 / count
        api = samples[next(iter(servers))]
        rows[kind.name] = Row(
            {n: s.pct(0.5) for n, s in samples.items()},
            {n: s.pct(0.99) for n, s in samples.items()},
            " ".join(f"{k}:{v}" for k, v in sorted(api.statuses.items())),
            cpu,
        )
    return rows


def cpu_cell(cpu: dict[str, float], servers: list[str]) -> str:
    if not cpu:
        return ""
    parts = [f"{cpu['direct']:.2f}"] + [f"{cpu[n]:.2f}+{cpu[f'{n} client']:.2f}" for n in servers]
    return " | ".join(parts)


def within_goal(api_ms: float, direct_ms: float) -> str:
    limit = GOAL_FACTOR * direct_ms + GOAL_EXTRA_MS
    return f"{'yes' if api_ms <= limit else 'NO'} (≤ {limit:.2f})"


def print_rows(title: str, rows: dict[str, Row], servers: list[str]) -> None:
    table = Table(title=title)
    table.add_column("query")
    table.add_column("direct p50 / p99", justify="right")
    for name in servers:
        table.add_column(f"{name} p50 / p99", justify="right")
        table.add_column(f"{name} ratio", justify="right")
    goals = [n for n in servers if n.startswith("API")]
    for name in goals:
        table.add_column(f"{name} ≤ 2×+1 ms", justify="right")
    table.add_column(
        "CPU ms/call: direct | " + " | ".join(f"{n} server+client" for n in servers), justify="right"
    )
    table.add_column("statuses")
    for query, row in rows.items():
        direct = row.p50.get("direct")
        cells = [query, f"{direct:.2f} / {row.p99['direct']:.2f}" if direct is not None else ""]
        for name in servers:
            cells.append(f"{row.p50[name]:.2f} / {row.p99[name]:.2f}")
            cells.append(f"{row.p50[name] / direct:.2f}×" if direct else "")
        cells += [within_goal(row.p50[n], direct) if direct is not None else "" for n in goals]
        cells.append(cpu_cell(row.cpu, servers))
        cells.append(row.statuses)
        table.add_row(*cells)
    console.print(table)


def median_rows(rounds: list[dict[str, Row]]) -> dict[str, Row]:
    """Per query and target, the median over rounds of the round's p50 (and p99)."""
    out: dict[str, Row] = {}
    for query in rounds[0]:
        targets = rounds[0][query].p50
        out[query] = Row(
            {t: statistics.median(r[query].p50[t] for r in rounds) for t in targets},
            {t: statistics.median(r[query].p99[t] for r in rounds) for t in targets},
            rounds[-1][query].statuses,
            {t: statistics.median(r[query].cpu[t] for r in rounds) for t in rounds[0][query].cpu},
        )
    return out


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--relations", type=int, default=500_000)
    parser.add_argument("--per-doc", type=int, default=50, help="relations per synthetic document")
    parser.add_argument("--requests", type=int, default=300, help="samples per query kind per round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds; the summary is their median")
    parser.add_argument("--concurrency", type=int, default=4, help="parallel HTTP clients for the req/s run")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--port", type=int, default=8731, help="the port (on 127.0.0.1) the API is served on")
    parser.add_argument(
        "--baseline", type=Path, help="also serve the API from this checkout (e.g. ../main), sampled alike"
    )
    parser.add_argument("--baseline-port", type=int, default=8732, help="the port for --baseline")
    parser.add_argument(
        "--keep", type=Path, help="build into (or reuse) this directory instead of a temp one"
    )
    parser.add_argument(
        "--clients",
        default=",".join(CLIENTS),
        help=f"HTTP clients to time, comma-separated, of: {', '.join(CLIENTS)}",
    )
    args = parser.parse_args()
    args.clients = [c.strip() for c in args.clients.split(",") if c.strip()]
    unknown = [c for c in args.clients if c not in CLIENTS]
    if unknown or not args.clients:
        parser.error(f"--clients: choose among {', '.join(CLIENTS)}")
    if args.baseline is not None and args.baseline_port == args.port:
        parser.error("--baseline-port must differ from --port")
    return args


def open_graph(data: Path, args: argparse.Namespace) -> EmbeddedStore:
    """The synthetic store (built unless `--keep` names one already built), its adjacency warm."""
    store = EmbeddedStore(data)
    if store.stats().relations == 0:
        seconds = build(store, args)
        console.print(f"built in {seconds:.1f} s ({args.relations / seconds:,.0f} relations/s)")
    stats = store.stats()
    console.print(
        f"graph: {stats.entities:,} entities, {stats.relations:,} relations, {stats.documents:,} documents"
    )
    started = time.perf_counter()
    store.neighbourhood(NeighbourhoodQuery(entity_id=entity_id(0)))  # builds the in-memory adjacency
    console.print(f"direct: first traversal (adjacency build) {time.perf_counter() - started:.1f} s")
    return store


def serve_all(
    data: Path, args: argparse.Namespace, processes: list[subprocess.Popen[bytes]]
) -> dict[str, int]:
    """Start the API (and the baseline's), each warmed by one request; the port of each."""
    served = {"API": (ROOT, args.port)}
    if args.baseline is not None:
        served["baseline"] = (args.baseline.resolve(), args.baseline_port)
    ports: dict[str, int] = {}
    for name, (code, port) in served.items():
        started = time.perf_counter()
        processes.append(serve(data, port, code))
        with httpx.Client(base_url=f"http://{HOST}:{port}", timeout=60) as client:
            client.get("/graph/neighbourhood", params={"entity": entity_id(0)})  # its adjacency build
        ports[name] = port
        console.print(
            f"{name}: uvicorn serving {code} ready in {time.perf_counter() - started:.1f} s on {HOST}:{port}"
        )
    return ports


def make_targets(
    ports: dict[str, int], processes: list[subprocess.Popen[bytes]], clients: list[str]
) -> dict[str, Target]:
    """One target per server and client ("API", "API (http.client)", "baseline", ...)."""
    targets: dict[str, Target] = {}
    for (name, port), proc in zip(ports.items(), processes, strict=True):
        for kind in clients:
            client: Client = HttpxClient(f"http://{HOST}:{port}") if kind == "httpx" else StdlibClient(port)
            targets[f"{name}{CLIENTS[kind]}"] = Target(client, proc.pid)
    return targets


def print_throughput(kinds: list[Kind], ports: dict[str, int], concurrency: int) -> None:
    rate = Table(title=f"API requests/s, {concurrency} httpx clients at once")
    rate.add_column("query")
    for name in ports:
        rate.add_column(name, justify="right")
    pools = {
        name: [HttpxClient(f"http://{HOST}:{port}") for _ in range(concurrency)]
        for name, port in ports.items()
    }
    for kind in kinds:
        figures = []
        for mine in pools.values():
            calls = [http_call(mine[i % len(mine)], kind.url, p) for i, p in enumerate(kind.params)]
            figures.append(f"{throughput(calls, concurrency):,.0f}")
        rate.add_row(kind.name, *figures)
    for pool in pools.values():
        for c in pool:
            c.close()
    console.print(rate)


def main() -> None:
    args = parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="aigeo-bench-api-"))
    processes: list[subprocess.Popen[bytes]] = []
    targets: dict[str, Target] = {}
    try:
        store = open_graph(args.keep or tmp / "graph", args)
        ports = serve_all(args.keep or tmp / "graph", args, processes)
        targets = make_targets(ports, processes, args.clients)
        rounds: list[dict[str, Row]] = []
        for r in range(args.rounds):
            rows = measure_round(query_kinds(store, args, r), targets, args.requests)
            title = f"round {r + 1} of {args.rounds} ({args.requests} interleaved samples each)"
            print_rows(title, rows, list(targets))
            rounds.append(rows)
        print_rows(f"median of {args.rounds} rounds", median_rows(rounds), list(targets))
        print_throughput(query_kinds(store, args, args.rounds), ports, args.concurrency)
        console.print(
            "direct = the same GraphStore call in this process; API = GET over HTTP/1.1 keep-alive to "
            "uvicorn (1 worker) with httpx, API (http.client) the same with the standard library's "
            "client; samples interleaved, one at a time. 404 = no path within 6 hops. CPU: "
            "this process's thread for a direct call or an HTTP client's request, the server process's "
            "user+system time per request (1/100 s ticks over the whole run of a kind): load changes "
            "wall times but much less CPU times. "
            f"Load average now: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores."
        )
        store.close()
    finally:
        for target in targets.values():
            target.client.close()
        for proc in processes:
            stop(proc)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
