"""Ingest throughput against the spaCy model alone on the same text.

    python bench/ingest.py [--corpus examples] [--repeat 5] [--model NAME] [--workers 2]

Prints documents/s and words/s for
  (1) the spaCy model as `spacy.load(model)` gives it: `nlp.pipe` over exactly the texts aigeo hands
      its model (cleaned, headlines sentence-cased);
  (2) aigeo's extraction (`Pipeline.extract_many`: cleaning, NER with the actor registry,
      resolution, relations);
  (3) a whole ingest into a fresh embedded store (reading files, extraction, writing);
and, with `--workers N`, (4) the whole ingest with N extraction processes (`aigeo ingest --workers N`)
and its speed-up over (3); the load average is printed, as the speed-up depends on free cores.
The overhead of (2) and (3) over (1) is printed too. Each document is made unique per repeat so the
store really writes every one; each stage runs `--rounds` times and the fastest run counts, so a
burst of another process's work does not.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
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

    stats = whole_ingest()
    t_ingest = timed(whole_ingest, args.rounds)
    t_workers = None
    if args.workers > 1:
        parallel_stats = whole_ingest(args.workers)
        if parallel_stats != stats:
            console.print(f"[red]{args.workers} workers built a different graph: {parallel_stats} vs {stats}")
            return 1
        t_workers = timed(lambda: whole_ingest(args.workers), args.rounds)

    table = Table("stage", "seconds", "docs/s", "words/s", "time / model time", title="Ingest throughput")
    for name, t in (
        ("spaCy model alone (nlp.pipe)", t_model),
        ("aigeo extraction", t_extract),
        ("aigeo whole ingest (read + extract + store)", t_ingest),
    ):
        table.add_row(name, f"{t:.2f}", f"{len(raws) / t:,.1f}", f"{words / t:,.0f}", f"{t / t_model:.2f}")
    if t_workers is not None:
        t = t_workers
        table.add_row(
            f"aigeo whole ingest, {args.workers} worker processes",
            f"{t:.2f}",
            f"{len(raws) / t:,.1f}",
            f"{words / t:,.0f}",
            f"{t / t_model:.2f}",
        )
    console.print(table)
    if t_workers is not None:
        load = " ".join(f"{x:.1f}" for x in os.getloadavg())
        console.print(
            f"{args.workers} workers: {t_ingest / t_workers:.2f}x one worker's whole ingest "
            f"(load average {load} on {os.cpu_count()} cores; the speed-up needs free cores)"
        )
    console.print(
        f"extraction overhead over the model: {(t_extract - t_model) / t_model:+.0%}; "
        f"whole-ingest overhead: {(t_ingest - t_model) / t_model:+.0%} "
        f"(store ended with {stats.entities} entities, {stats.relations} relations)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
