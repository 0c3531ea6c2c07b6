"""How the embedded store scales: load, disk, memory, the first read after a write, warm latency, one-shots.

    python bench/scale.py [--sizes 10000:50000,100000:500000] [--samples 200] [--keep DIR]

For each size (entities:relations) it builds a synthetic graph in a fresh embedded store through the
bulk path (`upsert_many`, `--group` documents per call), then measures, in this process:

- load time and rate inside `upsert_many` (overall, and over the first and the last fifth of the load:
  flat or not), and the load's wall and CPU time with the batches' generation;
- disk (the data directory) and RSS (now and peak) after the load and the warm queries;
- the first neighbourhood query after a one-document write (the write adds a relation to an entity
  the query is about, and the query must see it), after the store has been warmed by a traversal;
- warm p50/p99 of neighbourhood depth 1 and of one shortest path (≤ 6 hops) over random entities;
- the first name search after a one-document write (it must find the new name), and warm search p50;
- one-shot CLI processes: `aigeo neighbours` and `aigeo path` against `aigeo stats` (wall, CPU, peak RSS).

Stores are built in a temporary directory and deleted afterwards, unless `--keep DIR` is given (each
size then lives in DIR/<entities>x<relations> and is reused when it exists, e.g. by an export benchmark).
Everything is bounded by `--samples`; no server is started.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.synthetic import entity_id, make_entity, make_relation, synthetic_batches  # noqa: E402
from graph.errors import NoPath  # noqa: E402
from graph.model import (  # noqa: E402
    Document,
    GraphBatch,
    NeighbourhoodQuery,
    PathQuery,
)
from graph.schema import RelType  # noqa: E402
from graph.stores.embedded import EmbeddedStore  # noqa: E402

console = Console()
if not console.is_terminal:
    console = Console(width=200)
PER_DOC = 50  # relations per synthetic document


@dataclass
class Load:
    seconds: float = 0.0  # inside `upsert_many` only: the store's rate, not the synthetic generator's
    cpu: float = 0.0  # this process's CPU time inside `upsert_many` (wall drifts on a shared machine)
    wall: float = 0.0  # the whole load, generating the batches included
    relations: int = 0
    first_rate: float = 0.0
    last_rate: float = 0.0
    first_cpu_rate: float = 0.0  # relations per CPU-second over the first and the last fifth
    last_cpu_rate: float = 0.0


def load(store: EmbeddedStore, n_entities: int, n_relations: int, group: int, seed: int) -> Load:
    """Write the graph `group` documents per `upsert_many`; time the writes and their first and last fifth.

    Only the `upsert_many` calls are timed for the rates: building the synthetic pydantic batches costs
    about as much as storing them and is no part of the store."""
    marks: list[tuple[float, float, int]] = [(0.0, 0.0, 0)]  # (wall, CPU, relations) after each call
    pending: list[GraphBatch] = []
    written = 0
    writing = 0.0
    cpu = 0.0
    started = time.perf_counter()

    def write() -> None:
        nonlocal written, writing, cpu
        t0, c0 = time.perf_counter(), time.process_time()
        store.upsert_many(pending)
        writing += time.perf_counter() - t0
        cpu += time.process_time() - c0
        written += sum(len(b.relations) for b in pending)
        pending.clear()
        marks.append((writing, cpu, written))

    with console.status("loading") as status:
        for batch in synthetic_batches(n_entities, n_relations, PER_DOC, seed):
            pending.append(batch)
            if len(pending) >= group:
                write()
                status.update(f"loading: {written:,} relations")
        if pending:
            write()
    seconds = marks[-1][0]

    def rate(lo: float, hi: float, clock: int = 0) -> float:
        inside = [m for m in marks if lo * written <= m[2] <= hi * written]
        if len(inside) < 2:
            inside = [marks[0], marks[-1]]
        t0, t1 = inside[0][clock], inside[-1][clock]
        return (inside[-1][2] - inside[0][2]) / (t1 - t0) if t1 > t0 else 0.0

    return Load(
        seconds,
        cpu,
        time.perf_counter() - started,
        written,
        rate(0.0, 0.2),
        rate(0.8, 1.0),
        rate(0.0, 0.2, clock=1),
        rate(0.8, 1.0, clock=1),
    )


def disk_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident set of this process in MB."""
    now = peak = 0.0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            now = int(line.split()[1]) / 1024
        elif line.startswith("VmHWM:"):
            peak = int(line.split()[1]) / 1024
    return now, peak


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def one_doc(tag: str, n_entities: int, centre: int, new_name: str) -> GraphBatch:
    """A small new document: a new entity named `new_name`, tied to `centre` and to two others."""
    doc_id = f"scale-write-{tag}"
    newcomer = n_entities + 1 + sum(map(ord, tag)) % 1000
    others = [(centre * 7 + 3) % n_entities, (centre * 11 + 5) % n_entities]
    rels = [make_relation(doc_id, centre, newcomer, RelType.BACKS, 0)]
    rels += [
        make_relation(doc_id, newcomer, o, RelType.PARTNERS_WITH, 80 * (k + 1)) for k, o in enumerate(others)
    ]
    return GraphBatch(
        document=Document(id=doc_id, source=f"scale/{doc_id}.txt", title=f"Write {tag}"),
        entities=[make_entity(centre), make_entity(newcomer, new_name), *(make_entity(o) for o in others)],
        relations=rels,
    )


@dataclass
class OneShot:
    wall: float
    cpu: float
    peak_mb: float
    ok: bool


_WRAPPER = (
    "import atexit, sys\n"
    "def hwm():\n"
    "    for line in open('/proc/self/status'):\n"
    "        if line.startswith('VmHWM:'):\n"
    "            sys.stderr.write('SCALE_HWM_KB=' + line.split()[1] + '\\n')\n"
    "atexit.register(hwm)\n"
    "sys.argv = ['aigeo', *sys.argv[1:]]\n"
    "from aigeo.cli import app\n"
    "app()\n"
)
"""Runs the CLI and reports its own peak RSS: `ru_maxrss` of a child forked from a big parent keeps the
parent's figure, while VmHWM starts afresh at exec."""


def one_shot(args: list[str], data: Path) -> OneShot:
    """Run `aigeo ARGS --store DATA` as its own process: wall time, CPU time and peak RSS."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "AIGEO_STORE": str(data)}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", _WRAPPER, *args, "--store", str(data), "--json"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, err_bytes = proc.communicate()
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    err = err_bytes.decode()
    peak = next((int(x.split("=")[1]) / 1024 for x in err.splitlines() if x.startswith("SCALE_HWM_KB=")), 0.0)
    # "no path ... within N hops" exits 1 but is an answer: the search ran to its end.
    answered = proc.returncode == 0 or "error: no path from" in err
    if not answered:
        console.print(f"[red]aigeo {' '.join(args)} exited {proc.returncode}: {err.strip()[:300]}")
    cpu = usage.ru_utime + usage.ru_stime - _children_cpu[0]
    _children_cpu[0] += cpu
    return OneShot(wall, cpu, peak, answered)


_children_cpu = [0.0]


@dataclass
class Row:
    size: str
    figures: dict[str, str] = field(default_factory=dict)


def load_figures(row: Row, store: EmbeddedStore, sizes: tuple[int, int], args: argparse.Namespace) -> None:
    cpu = time.process_time()
    loaded = load(store, *sizes, args.group, args.seed)
    cpu = time.process_time() - cpu
    row.figures["load wall / CPU (incl. batch generation)"] = f"{loaded.wall:.1f} s / {cpu:.1f} s"
    row.figures["upsert_many wall / CPU"] = f"{loaded.seconds:.1f} s / {loaded.cpu:.1f} s"
    row.figures["upsert_many rate (all / first 20% / last 20%)"] = (
        f"{loaded.relations / loaded.seconds:,.0f} / {loaded.first_rate:,.0f} / {loaded.last_rate:,.0f} rel/s"
    )
    row.figures["upsert_many rate per CPU-second (all / first 20% / last 20%)"] = (
        f"{loaded.relations / loaded.cpu:,.0f} / {loaded.first_cpu_rate:,.0f}"
        f" / {loaded.last_cpu_rate:,.0f} rel/s"
    )
    row.figures["rate per CPU-second (incl. batch generation)"] = f"{loaded.relations / cpu:,.0f} rel/s"


def warm_figures(row: Row, store: EmbeddedStore, ids: list[str], pairs: list[tuple[str, str]]) -> None:
    def neighbourhood(i: str) -> None:
        store.neighbourhood(NeighbourhoodQuery(entity_id=i, depth=1))

    def path(a: str, b: str) -> None:
        try:
            store.paths(PathQuery(source_id=a, target_id=b, max_hops=6))
        except NoPath:
            pass

    row.figures["first traversal (cold)"] = f"{timed(lambda: neighbourhood(ids[0])) * 1000:,.1f} ms"
    warm = getattr(store, "warm", None)  # a store that builds its in-memory state in the background
    if callable(warm):
        row.figures["first traversal (cold)"] += f", warm-up {timed(warm):.2f} s"
    for i in ids[:10]:
        neighbourhood(i)
    n1 = [timed(lambda i=i: neighbourhood(i)) for i in ids]
    sp = [timed(lambda a=a, b=b: path(a, b)) for a, b in pairs]
    row.figures["warm p50/p99 depth 1"] = f"{pct(n1, 0.5) * 1000:.2f} / {pct(n1, 0.99) * 1000:.2f} ms"
    row.figures["warm p50/p99 shortest path"] = f"{pct(sp, 0.5) * 1000:.2f} / {pct(sp, 0.99) * 1000:.2f} ms"


def after_write_figures(row: Row, store: EmbeddedStore, n_entities: int, rng: random.Random) -> None:
    centre = rng.randrange(n_entities)
    run = time.time_ns()  # a reused store (--keep) must see a new document each run
    batch = one_doc(f"q{run}", n_entities, centre, "Quillfeather Robotics")
    store.upsert(batch)
    started = time.perf_counter()
    sub = store.neighbourhood(NeighbourhoodQuery(entity_id=entity_id(centre), depth=1))
    first = time.perf_counter() - started
    seen = any(e.target == batch.relations[0].target for e in sub.edges)
    row.figures["first query after a write"] = f"{first * 1000:,.1f} ms" + ("" if seen else " (NOT seen!)")

    searches = [timed(lambda: store.search("Zephyrine Lattice", limit=10)) for _ in range(5)]
    batch = one_doc(f"s{run}", n_entities, rng.randrange(n_entities), "Zephyrine Lattice Works")
    store.upsert(batch)
    started = time.perf_counter()
    hits = store.search("Zephyrine Lattice", limit=10)
    first = time.perf_counter() - started
    found = any(h.entity.id == batch.entities[1].id for h in hits)
    row.figures["first search after a write / warm (same query)"] = (
        f"{first * 1000:,.1f} / {pct(searches, 0.5) * 1000:,.1f} ms" + ("" if found else " (NOT found!)")
    )


def one_shot_figures(row: Row, data: Path, centre: str, pair: tuple[str, str]) -> None:
    stats = one_shot(["stats"], data)
    nb = one_shot(["neighbours", centre], data)
    pt = one_shot(["path", pair[0], pair[1], "--max-hops", "6"], data)
    for name, shot in (("stats", stats), ("neighbours", nb), ("path", pt)):
        ratio = "" if name == "stats" else f" = {shot.wall / stats.wall:.2f}x stats"
        row.figures[f"CLI {name} wall / CPU / RSS"] = (
            f"{shot.wall:.2f} s / {shot.cpu:.2f} s / {shot.peak_mb:,.0f} MB{ratio}"
            + ("" if shot.ok else " (failed)")
        )


def measure(n_entities: int, n_relations: int, args: argparse.Namespace, base: Path) -> Row:
    row = Row(f"{n_entities:,} / {n_relations:,}")
    data = base / f"{n_entities}x{n_relations}"
    store = EmbeddedStore(data)
    if store.stats().relations == 0:
        load_figures(row, store, (n_entities, n_relations), args)
    row.figures["disk"] = f"{disk_bytes(data) / 1e6:,.0f} MB"
    rng = random.Random(args.seed + 1)
    ids = [entity_id(rng.randrange(n_entities)) for _ in range(args.samples)]
    pairs = [
        (entity_id(rng.randrange(n_entities)), entity_id(rng.randrange(n_entities)))
        for _ in range(args.samples)
    ]
    warm_figures(row, store, ids, pairs)
    after_write_figures(row, store, n_entities, rng)
    now, peak = rss_mb()
    row.figures["RSS now / peak"] = f"{now:,.0f} / {peak:,.0f} MB"
    store.close()
    one_shot_figures(row, data, ids[1], pairs[0])
    return row


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", default="10000:50000,100000:500000", help="entities:relations, comma-separated"
    )
    parser.add_argument("--samples", type=int, default=200, help="warm queries per kind")
    parser.add_argument("--group", type=int, default=200, help="documents per upsert_many call")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--keep", type=Path, help="build into (or reuse) DIR/<entities>x<relations>")
    args = parser.parse_args()
    sizes = [tuple(int(x) for x in s.split(":")) for s in args.sizes.split(",") if s]
    base = args.keep or Path(tempfile.mkdtemp(prefix="aigeo-bench-scale-"))
    rows: list[Row] = []
    try:
        for n_entities, n_relations in sizes:
            rows.append(measure(n_entities, n_relations, args, base))
            console.print(f"[dim]{rows[-1].size}: {rows[-1].figures}")
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    table = Table(title="Embedded store at scale (entities / relations)")
    table.add_column("measure")
    for row in rows:
        table.add_column(row.size, justify="right")
    keys = list(dict.fromkeys(k for row in rows for k in row.figures))
    for key in keys:
        table.add_row(key, *(row.figures.get(key, "") for row in rows))
    console.print(table)
    console.print(
        f"[dim]peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB"
    )


if __name__ == "__main__":
    main()
