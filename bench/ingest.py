"""Ingest throughput against the spaCy model alone on the same text.

    python bench/ingest.py [--corpus examples] [--repeat 5] [--model NAME] [--workers 2]

Prints documents/s and words/s for
  (1) the spaCy model as `spacy.load(model)` gives it: `nlp.pipe` over exactly the texts aigeo hands
      its model (cleaned, headlines sentence-cased);
  (2) aigeo's extraction (`Pipeline.extract_many`: cleaning, NER with the actor registry,
      resolution, relations);
  (3) a whole ingest into a fresh embedded store (reading files, extraction, writing);
and, with `--workers N`, (4) the whole ingest with N extraction processes (`aigeo ingest --workers N`)
and its speed-up over one process that also loads its model in the run, as `aigeo ingest` does (and
over (3), whose model is already loaded). As wall-time speed-ups need free cores, which a shared
machine seldom has, the CPU time is split too: per document in the workers and in the parent (the one
writer: reading, checks, receiving batches, writing), the start-up of the template process the workers
fork from (interpreter, imports, model, warm-up; paid once, not per worker), and from these the speed-up
N free cores would give (Amdahl: the start-up and the parent's share do not shrink with N).
`--repeat` copies the corpus to measure a larger one (the start-up weighs less there).
The overhead of (2) and (3) over (1) is printed too. Each document is made unique per repeat so the
store really writes every one; each stage runs `--rounds` times and the fastest run counts, so a
burst of another process's work does not.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import spacy
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aigeo.settings import Settings  # noqa: E402
from graph.model import Stats  # noqa: E402
from graph.stores.embedded import EmbeddedStore  # noqa: E402
from loaders.ingest import Ingestor, PipelineSpec  # noqa: E402
from loaders.pipeline import Pipeline  # noqa: E402
from loaders.raw import RawDocument  # noqa: E402
from loaders.readers import ReadResult, discover, read_file  # noqa: E402
from loaders.workers import WARM_UP  # noqa: E402


def read_copies(folder: Path, repeat: int) -> Iterator[tuple[str, ReadResult]]:
    """Read the corpus `repeat` times, as an ingest would, each copy a distinct new document.

    A unique source and marker line per copy makes each one a new document, not a replacement.
    """
    for i in range(repeat):
        for path in discover([folder]):
            result = read_file(path, 5_000_000)
            copies = [
                replace(d, source=f"{d.source}@copy{i}", text=f"{d.text}\n\nCopy {i}.")
                for d in result.documents
            ]
            yield str(path), ReadResult(copies, result.problems)


def load_corpus(folder: Path, repeat: int) -> list[RawDocument]:
    return [doc for _, result in read_copies(folder, repeat) for doc in result.documents]


def timed(fn: Callable[[], object], rounds: int) -> float:
    """The fastest of `rounds` runs: the figure least disturbed by whatever else the machine does."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def startup_cpu(model: str) -> float:
    """In a fresh process: the CPU seconds it spends before its first document, as the template does."""
    list(PipelineSpec(model)().extract_many([WARM_UP]))
    return time.process_time()


def worker_startup(model: str) -> float:
    """CPU seconds the workers' template takes to start: interpreter, imports, model, registry, warm-up."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(startup_cpu, model).result()


@dataclass(frozen=True)
class CpuSplit:
    """CPU seconds of one run: this process's (the writer's) and its worker processes'."""

    parent: float
    workers: float
    wall: float


def cpu_split(fn: Callable[[], object]) -> CpuSplit:
    """Run `fn`; the CPU its process and the child processes it waited for used, and the wall time."""
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    parent, wall = time.process_time(), time.perf_counter()
    fn()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    workers = (after.ru_utime + after.ru_stime) - (kids.ru_utime + kids.ru_stime)
    return CpuSplit(time.process_time() - parent, workers, time.perf_counter() - wall)


def print_cpu(
    console: Console, one: CpuSplit, many: CpuSplit, startup: float, workers: int, docs: int
) -> None:
    """CPU per document and the serial part, and the speed-up they give on `workers` free cores."""
    extract = max(many.workers - startup, 0.0)
    parallel = startup + extract / workers
    projected = max(parallel, (many.parent + many.workers) / workers, many.parent)
    console.print(
        f"CPU: one process {one.parent / docs * 1000:.1f} ms/document (its model load included, "
        f"{one.parent:.2f} s in all); {workers} workers {extract / docs * 1000:.1f} ms/document in "
        f"the workers + {many.parent / docs * 1000:.1f} ms/document in the writer, "
        f"{startup:.2f} s start-up of the template they fork from (spawn, imports, model, warm-up)"
    )
    console.print(
        f"serial part with {workers} workers: start-up {startup:.2f} s + writer {many.parent:.2f} s of "
        f"{many.parent + many.workers:.2f} CPU-s; on {workers} free cores that projects to "
        f"{projected:.2f} s against {one.parent:.2f} s: {one.parent / projected:.2f}x"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "examples")
    ap.add_argument("--repeat", type=int, default=5, help="copies of the corpus to process")
    ap.add_argument("--model", default=Settings().spacy_model)
    ap.add_argument("--rounds", type=int, default=3, help="runs per stage; the fastest counts")
    ap.add_argument("--workers", type=int, default=1, help="also time a whole ingest with N processes")
    args = ap.parse_args()

    raws = load_corpus(args.corpus, args.repeat)
    pipeline = Pipeline(model=args.model)
    texts = [pipeline.prepare(r).model_text for r in raws]
    words = sum(len(t.split()) for t in texts)
    console = Console()
    console.print(f"{len(raws)} documents, {words:,} words (after cleaning), model {args.model}")

    nlp = spacy.load(args.model)
    list(nlp.pipe(texts[:4]))  # warm up both paths once
    list(pipeline.extract_many(raws[:4]))

    t_model = timed(lambda: list(nlp.pipe(texts)), args.rounds)
    t_extract = timed(lambda: list(pipeline.extract_many(raws)), args.rounds)

    def whole_ingest(workers: int = 1) -> Stats:
        # one worker: this process's pipeline, loaded above; more: each process loads its own, and
        # that start-up is part of the time, as it is for `aigeo ingest --workers N`
        make = (lambda: pipeline) if workers == 1 else PipelineSpec(args.model)
        with tempfile.TemporaryDirectory() as tmp:
            store = EmbeddedStore(Path(tmp) / "store")
            Ingestor(store, make, workers=workers).ingest_reads(read_copies(args.corpus, args.repeat))
            stats = store.stats()
            store.close()
            return stats

    def cold_ingest() -> Stats:
        """One process that loads its model in the run, as `aigeo ingest` does."""
        with tempfile.TemporaryDirectory() as tmp:
            store = EmbeddedStore(Path(tmp) / "store")
            Ingestor(store, PipelineSpec(args.model)).ingest_reads(read_copies(args.corpus, args.repeat))
            stats = store.stats()
            store.close()
            return stats

    stats = whole_ingest()
    t_ingest = timed(whole_ingest, args.rounds)
    t_workers = t_cold = None
    if args.workers > 1:
        parallel_stats = whole_ingest(args.workers)
        if parallel_stats != stats:
            console.print(f"[red]{args.workers} workers built a different graph: {parallel_stats} vs {stats}")
            return 1
        t_cold = timed(cold_ingest, args.rounds)
        t_workers = timed(lambda: whole_ingest(args.workers), args.rounds)
        one_cpu = cpu_split(cold_ingest)
        many_cpu = cpu_split(lambda: whole_ingest(args.workers))
        startup = worker_startup(args.model)

    table = Table("stage", "seconds", "docs/s", "words/s", "time / model time", title="Ingest throughput")
    for name, t in (
        ("spaCy model alone (nlp.pipe)", t_model),
        ("aigeo extraction", t_extract),
        ("aigeo whole ingest (read + extract + store)", t_ingest),
    ):
        table.add_row(name, f"{t:.2f}", f"{len(raws) / t:,.1f}", f"{words / t:,.0f}", f"{t / t_model:.2f}")
    if t_workers is not None and t_cold is not None:
        table.add_row(
            "aigeo whole ingest, one process loading its model",
            f"{t_cold:.2f}",
            f"{len(raws) / t_cold:,.1f}",
            f"{words / t_cold:,.0f}",
            f"{t_cold / t_model:.2f}",
        )
        t = t_workers
        table.add_row(
            f"aigeo whole ingest, {args.workers} worker processes",
            f"{t:.2f}",
            f"{len(raws) / t:,.1f}",
            f"{words / t:,.0f}",
            f"{t / t_model:.2f}",
        )
    console.print(table)
    if t_workers is not None and t_cold is not None:
        load = " ".join(f"{x:.1f}" for x in os.getloadavg())
        console.print(
            f"{args.workers} workers: {t_cold / t_workers:.2f}x one process loading its model, "
            f"{t_ingest / t_workers:.2f}x one with its model already loaded "
            f"(load average {load} on {os.cpu_count()} cores; a wall-time speed-up needs free cores)"
        )
        print_cpu(console, one_cpu, many_cpu, startup, args.workers, len(raws))
    console.print(
        f"extraction overhead over the model: {(t_extract - t_model) / t_model:+.0%}; "
        f"whole-ingest overhead: {(t_ingest - t_model) / t_model:+.0%} "
        f"(store ended with {stats.entities} entities, {stats.relations} relations)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
