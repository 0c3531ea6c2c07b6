"""Export benchmark: GraphML and RDF writers on an embedded store of a given size, bounded in time.

    python bench/exports.py [--entities 100000 --relations 500000 | --quick] [--store DIR]
                            [--budget 120] [--code DIR] [--only graphml,nt,turtle]

Builds a synthetic store (invented actors and sentences; `--quick` is 10k entities / 50k relations) or
reuses the one at `--store DIR` (built there on the first run, so later runs skip the load), then
measures, each in a fresh child process so peak RSS is its own:

- GraphML: aigeo's writer (`graph.export.graphml.export_store`, documents left out), networkx's
  `write_graphml` and igraph's `Graph.write_graphml` on the same nodes, edges and attributes; for
  those two the graph is built in memory first (timed apart; its memory counts in their peak);
- N-Triples and Turtle: `graph.rdf.export.export_store`.

Every measurement stops after `--budget` CPU seconds (the file it writes is cut there): an unfinished one
prints its rate and the time the whole export would take at that rate (marked `~`). `--code DIR`
imports `graph` from another checkout (main's, say) so the same run gives before and after figures:

    python bench/exports.py --quick --code /work/main     # before
    python bench/exports.py --quick                       # after

Peak RSS is the child's high-water mark (VmHWM) less its resident size before the export started.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

ROOT = Path(__file__).resolve().parents[1]

RELATIONS_PER_DOCUMENT = 20
"""Each synthetic article states this many fresh relations and repeats 5 earlier ones (a second
evidence for a quarter of all relations)."""
REPEATS_PER_DOCUMENT = 5
DOCUMENTS_PER_TRANSACTION = 200


# -- building a store ------------------------------------------------------------------------------


def _entity_id(i: int) -> str:
    kinds = ("company", "government", "person", "policy", "organization")
    return f"{kinds[i % 5]}:actor-{i}"


def _relation_key(i: int, entities: int) -> tuple[int, int, int]:
    """Relation i: (source index, relation type index, target index), distinct for distinct i while
    i < 8 * entities * (entities - 1)."""
    rel_type = i % 8
    n = i // 8
    source = n * 7919 % entities
    step = 1 + (n // entities) * 31 % (entities - 1)
    target = (source + step) % entities
    return source, rel_type, target


def build_store(path: Path, entities: int, relations: int) -> None:
    """Fill an empty embedded store at `path` with synthetic articles."""
    from graph.stores.embedded import EmbeddedStore

    store = EmbeddedStore(path)
    try:
        documents = (relations + RELATIONS_PER_DOCUMENT - 1) // RELATIONS_PER_DOCUMENT
        started = time.perf_counter()
        for first in range(0, documents, DOCUMENTS_PER_TRANSACTION):
            last = min(documents, first + DOCUMENTS_PER_TRANSACTION)
            store.upsert_many(_batch(d, entities, relations) for d in range(first, last))
            done = min(relations, last * RELATIONS_PER_DOCUMENT)
            rate = done / (time.perf_counter() - started)
            print(f"\r  built {done:,} / {relations:,} relations ({rate:,.0f}/s)", end="", flush=True)
        # Entities no relation names still belong to the graph: one last article mentions them.
        store.upsert(_mentions_only(entities, relations))
        print()
    finally:
        store.close()


def _actor(i: int, count: int) -> Any:
    from graph.model import Entity
    from graph.schema import NodeType

    types = (NodeType.COMPANY, NodeType.GOVERNMENT, NodeType.PERSON, NodeType.POLICY, NodeType.ORGANIZATION)
    aliases = [f"A{i}", f"Actor #{i}"] if i % 3 == 0 else []
    country = ("USA", "CHN", "FRA", None)[i % 4]
    return Entity(
        id=_entity_id(i),
        name=f"Actor {i}",
        type=types[i % 5],
        aliases=aliases,
        country=country,
        mention_count=count,
    )


def _batch(d: int, entities: int, relations: int) -> Any:
    from graph.model import Document, Evidence, GraphBatch, Relation
    from graph.schema import RelType

    rel_types = list(RelType)
    doc_id = f"doc-{d}"
    fresh = range(d * RELATIONS_PER_DOCUMENT, min(relations, (d + 1) * RELATIONS_PER_DOCUMENT))
    rng = random.Random(d)
    repeated = {rng.randrange(fresh.start) for _ in range(REPEATS_PER_DOCUMENT)} if d else set()
    rels: dict[tuple[str, str, str], Relation] = {}
    named: dict[int, int] = {}
    offset = 0
    for i in [*fresh, *sorted(repeated)]:
        s, t, o = _relation_key(i, entities)
        sentence = f'Actor {s} and Actor {o} were linked (claim {i}) in "report" {d}.'
        rel = Relation(
            source=_entity_id(s),
            type=rel_types[t],
            target=_entity_id(o),
            evidence=[
                Evidence(
                    doc_id=doc_id,
                    sentence=sentence,
                    start=offset,
                    end=offset + len(sentence),
                    extractor="bench-synthetic",
                    confidence=0.5 + (i % 50) / 100,
                    hedged=i % 11 == 0,
                )
            ],
        )
        rels.setdefault(rel.key, rel)
        offset += len(sentence) + 1
        named[s] = named.get(s, 0) + 1
        named[o] = named.get(o, 0) + 1
    published = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=d)
    document = Document(
        id=doc_id,
        source=f"bench/{doc_id}.txt",
        title=f"Synthetic report {d}",
        outlet=f"outlet-{d % 40}",
        published=published,
        word_count=offset // 6,
    )
    return GraphBatch(
        document=document,
        entities=[_actor(i, count) for i, count in sorted(named.items())],
        relations=list(rels.values()),
    )


def _mentions_only(entities: int, relations: int) -> Any:
    from graph.model import Document, GraphBatch

    named = {i for r in range(min(relations, 8 * entities)) for i in _relation_key(r, entities)[::2]}
    missing = [_actor(i, 1) for i in range(entities) if i not in named]
    return GraphBatch(document=Document(id="doc-roster", source="bench/roster.txt"), entities=missing)


# -- measuring, in a child process -----------------------------------------------------------------


class OutOfTime(Exception):
    """The budget is spent: the measured writer stops at its next write."""


class BudgetSink:
    """A binary file that counts bytes, throws them away and stops the writer once the process has
    used `deadline` CPU seconds (CPU, not wall time: the machine may be shared)."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.bytes = 0

    def write(self, data: bytes) -> int:
        self.bytes += len(data)
        if time.process_time() > self.deadline:
            raise OutOfTime
        return len(data)

    def flush(self) -> None:
        pass


def _rss_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


@dataclass
class Figure:
    label: str
    seconds: float
    cpu: float
    rss_mb: float
    bytes: int
    done: bool
    build_seconds: float = 0.0


def measure(label: str, run: Callable[[BinaryIO], object], budget: float, base_rss: int = 0) -> Figure:
    base_rss = base_rss or _rss_kb("VmRSS")
    sink = BudgetSink(time.process_time() + budget)
    wall, cpu = time.perf_counter(), time.process_time()
    done = True
    try:
        run(sink)  # type: ignore[arg-type]
    except OutOfTime:
        done = False
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = (_rss_kb("VmHWM") - base_rss) / 1024
    return Figure(label, wall, cpu, peak, sink.bytes, done)


def _graph_rows(store: Any) -> tuple[list[tuple[str, dict[str, Any]]], list[tuple[str, str, dict[str, Any]]]]:
    """The nodes and edges aigeo's GraphML carries, as plain attribute dicts for networkx and igraph."""
    from graph.export.graphml import node_labels

    nodes = []
    for e in store.iter_entities():
        attrs = {
            "labels": node_labels(e),
            "name": e.name,
            "type": e.type.value,
            "aliases": json.dumps(e.aliases, ensure_ascii=False),
            "country": e.country,
            "mention_count": e.mention_count,
            "first_seen": _iso(e.first_seen),
            "last_seen": _iso(e.last_seen),
        }
        nodes.append((e.id, {k: v for k, v in attrs.items() if v is not None}))
    edges = []
    for r in store.iter_relations(with_evidence=True):
        evidence = [
            {"doc_id": ev.doc_id, "sentence": ev.sentence, "start": ev.start, "end": ev.end}
            for ev in r.evidence
        ]
        attrs = {
            "label": r.type.value,
            "weight": r.weight,
            "confidence": r.confidence,
            "evidence_count": len(r.evidence),
            "first_seen": _iso(r.first_seen),
            "last_seen": _iso(r.last_seen),
            "since": _iso(r.since),
            "hedged": r.hedged,
            "evidence": json.dumps(evidence, ensure_ascii=False),
        }
        edges.append((r.source, r.target, {k: v for k, v in attrs.items() if v is not None}))
    return nodes, edges


def _iso(value: Any) -> str | None:
    return None if value is None else str(value.isoformat())


def measure_child(kind: str, store_path: Path, budget: float) -> Figure:
    from graph.stores.embedded import EmbeddedStore

    store = EmbeddedStore(store_path)
    try:
        if kind == "graphml":
            from graph.export.graphml import export_store

            return measure("aigeo GraphML", lambda out: export_store(store, out), budget)
        if kind in ("nt", "turtle"):
            from graph.rdf.export import export_store as rdf_export

            base = "https://aigeo.dev/id/"
            return measure(f"aigeo {kind}", lambda out: rdf_export(store, out, kind, base), budget)  # type: ignore[arg-type]
        return _measure_library(kind, store, budget)
    finally:
        store.close()


def _measure_library(kind: str, store: Any, budget: float) -> Figure:
    base_rss = _rss_kb("VmRSS")  # the in-memory graph these writers need counts in their peak
    started = time.perf_counter()
    nodes, edges = _graph_rows(store)
    if kind == "networkx":
        import networkx as nx

        g = nx.MultiDiGraph()
        g.add_nodes_from(nodes)
        g.add_edges_from(edges)
        del nodes, edges
        build = time.perf_counter() - started
        figure = measure("networkx write_graphml", lambda out: nx.write_graphml(g, out), budget, base_rss)
    else:
        import igraph

        ig = igraph.Graph.DictList(
            vertices=[{"name": n, **a} for n, a in nodes],
            edges=[{"source": s, "target": t, **a} for s, t, a in edges],
            directed=True,
        )
        del nodes, edges
        build = time.perf_counter() - started
        figure = measure("igraph write_graphml", lambda out: _igraph_write(ig, out), budget, base_rss)
    figure.build_seconds = build
    return figure


def _igraph_write(ig: Any, out: BudgetSink) -> None:
    # igraph's C writer takes a path, not a Python file: write to a temporary file, count its bytes.
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".graphml") as tmp:
        ig.write_graphml(tmp.name)
        out.bytes += os.path.getsize(tmp.name)


# -- the parent: build, run each measurement in a child, print the table ---------------------------

KINDS = ("graphml", "networkx", "igraph", "nt", "turtle")
SIZES_FILE = "bench-exports-sizes.json"
"""Beside the store's database: the size of each finished export, to extrapolate cut ones."""


def _child(kind: str, args: argparse.Namespace) -> Figure | str:
    command = [
        sys.executable,
        __file__,
        "--measure",
        kind,
        "--store",
        str(args.store),
        "--budget",
        str(args.budget),
    ]
    env = dict(os.environ, PYTHONPATH=str(args.code or ROOT))
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, env=env, timeout=args.budget * 4 + 600, check=False
        )
    except subprocess.TimeoutExpired:
        return "timed out"
    if done.returncode != 0:
        return (done.stderr.strip().splitlines() or ["failed"])[-1]
    return Figure(**json.loads(done.stdout.strip().splitlines()[-1]))


def _store_size(path: Path) -> tuple[int, int, int, int]:
    from graph.stores.embedded import EmbeddedStore

    store = EmbeddedStore(path)
    try:
        stats = store.stats()
        return stats.entities, stats.relations, stats.documents, stats.evidence
    finally:
        store.close()


def print_table(
    results: dict[str, Figure | str], size: tuple[int, int, int, int], args: argparse.Namespace
) -> None:
    from rich.console import Console
    from rich.table import Table

    entities, relations, documents, evidence = size
    sizes = _sizes(args.store, results)
    code = args.code or ROOT
    table = Table(
        title=f"exports of {entities:,} entities / {relations:,} relations / {documents:,} documents"
        f" / {evidence:,} evidence (graph code from {code}, budget {args.budget:.0f} s)"
    )
    for column in ("writer", "wall s", "CPU s", "peak RSS MB", "MB written", "MB/s", "graph build s"):
        table.add_column(column, justify="left" if column == "writer" else "right")
    for kind, fig in results.items():
        if isinstance(fig, str):
            table.add_row(kind, f"[red]{fig}[/red]", "", "", "", "", "")
            continue
        rate = fig.bytes / fig.seconds / 1e6 if fig.seconds else 0.0
        whole = _whole(kind, sizes, fig)
        mark = "" if fig.done else f" (cut; ~{fig.cpu * whole:.0f} CPU-s whole)" if whole else " (cut)"
        table.add_row(
            fig.label,
            f"{fig.seconds:.1f}{mark}",
            f"{fig.cpu:.1f}",
            f"{fig.rss_mb:.0f}",
            f"{fig.bytes / 1e6:.0f}",
            f"{rate:.1f}",
            f"{fig.build_seconds:.1f}" if fig.build_seconds else "",
        )
    Console().print(table)


def _whole(kind: str, sizes: dict[str, int], fig: Figure) -> float:
    """How many times the written part a cut export's whole file is, judged by the size a finished
    export of the same kind wrote from this store (any run, any code; else unknown: 0)."""
    return sizes[kind] / fig.bytes if kind in sizes and fig.bytes else 0.0


def _sizes(store: Path, results: dict[str, Figure | str]) -> dict[str, int]:
    """The whole file sizes known for this store, updated with this run's finished exports."""
    path = store / SIZES_FILE
    sizes: dict[str, int] = json.loads(path.read_text()) if path.exists() else {}
    sizes |= {kind: fig.bytes for kind, fig in results.items() if isinstance(fig, Figure) and fig.done}
    path.write_text(json.dumps(sizes))
    return sizes


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--relations", type=int, default=500_000)
    parser.add_argument("--quick", action="store_true", help="10k entities / 50k relations")
    parser.add_argument("--store", type=Path, help="the store to export (built there when empty)")
    parser.add_argument("--budget", type=float, default=120.0, help="seconds per measurement at most")
    parser.add_argument("--code", type=Path, help="a checkout to import graph from (default: this one)")
    parser.add_argument("--only", default=",".join(KINDS), help=f"comma-separated subset of {KINDS}")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.entities, args.relations = 10_000, 50_000
    return args


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    if args.measure:
        figure = measure_child(args.measure, args.store, args.budget)
        print(json.dumps(figure.__dict__))
        return 0
    sys.path.insert(0, str(ROOT))
    if args.store is None:
        args.store = Path(f"/tmp/aigeo-bench-exports-{args.entities}-{args.relations}")
    if not (args.store.is_dir() and any(args.store.iterdir())):
        print(f"building {args.entities:,} entities / {args.relations:,} relations in {args.store}")
        started = time.perf_counter()
        build_store(args.store, args.entities, args.relations)
        print(f"  built in {time.perf_counter() - started:.0f} s")
    size = _store_size(args.store)
    results: dict[str, Figure | str] = {}
    for kind in [k for k in args.only.split(",") if k]:
        if kind not in KINDS:
            print(f"unknown measurement {kind!r}; choose from {', '.join(KINDS)}", file=sys.stderr)
            return 2
        print(f"  measuring {kind}...", flush=True)
        results[kind] = _child(kind, args)
    print_table(results, size, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
