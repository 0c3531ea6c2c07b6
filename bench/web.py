"""The explorer in headless Chromium: time to the first drawn view, and to lay out 2,000 elements.

    python bench/web.py [--runs 5] [--elements 2000] [--chromium /usr/bin/chromium]

Two stores, each served by a real `aigeo serve` on 127.0.0.1:
- the sample corpus (`aigeo ingest examples`): open `/?focus=company:openai` cold and time from
  navigation start to the first complete view (page, libraries, API answers, fCoSE layout, first
  paint after it), as the page itself records it in `window.aigeo.timings`;
- a synthetic hub whose depth-2 neighbourhood holds `--elements` nodes and relations: open
  `/?focus=company:hub&depth=2&cap=2000` and time the same, the fCoSE layout alone, and the
  neighbourhood request alone (over HTTP, outside the browser).

Each figure is the median of `--runs` page loads, each in a fresh browser context (no cache).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.model import Document, Entity, Evidence, GraphBatch, Relation  # noqa: E402
from graph.schema import NodeType, RelType  # noqa: E402
from graph.stores.embedded import EmbeddedStore  # noqa: E402
from tests.servers import ServerDidNotStart, aigeo_serve, free_port, stop, wait_until_up  # noqa: E402

HUB = "company:hub"
PER_DOC = 50


def hub_batches(elements: int, seed: int = 7) -> list[GraphBatch]:
    """A hub, spokes around it and leaves around each spoke, plus links among the leaves: about
    one node for two relations, as news neighbourhoods run, `elements` in all within two hops."""
    rng = random.Random(seed)
    n_nodes = elements // 3
    n_spokes = max(2, int(n_nodes**0.5 * 1.7))
    types = list(NodeType)
    nodes = [Entity(id=HUB, name="Hub Corp", type=NodeType.COMPANY, mention_count=50)]
    for i in range(1, n_nodes):
        kind = NodeType.COMPANY if i <= n_spokes else types[i % len(types)]
        nodes.append(
            Entity(id=f"{kind.value.lower()}:n{i}", name=f"Actor {i}", type=kind, mention_count=1 + i % 7)
        )
    spokes = nodes[1 : n_spokes + 1]
    leaves = nodes[n_spokes + 1 :]
    keys: set[tuple[str, RelType, str]] = set()
    pairs: list[tuple[str, RelType, str]] = []

    def link(a: Entity, b: Entity) -> None:
        rel = Relation(source=a.id, type=rng.choice(list(RelType)), target=b.id)
        if a.id != b.id and rel.key not in keys:
            keys.add(rel.key)
            pairs.append(rel.key)

    for spoke in spokes:
        link(nodes[0], spoke)
    for i, leaf in enumerate(leaves):
        link(spokes[i % len(spokes)], leaf)
    while len(nodes) + len(pairs) < elements:
        # Every leaf is two hops from the hub, so a link between any two stays in the neighbourhood.
        link(rng.choice(leaves), rng.choice(leaves))
    by_id = {n.id: n for n in nodes}
    start = datetime(2023, 1, 1, tzinfo=UTC)
    batches = []
    for d in range(0, len(pairs), PER_DOC):
        doc_id = f"webbench-{d // PER_DOC:05d}"
        rels: list[Relation] = []
        ends: set[str] = set()
        offset = 0
        for source, rel_type, target in pairs[d : d + PER_DOC]:
            sentence = f"{by_id[source].name} and {by_id[target].name} ({rel_type.value.lower()})."
            ev = Evidence(
                doc_id=doc_id, sentence=sentence, start=offset, end=offset + len(sentence), extractor="bench"
            )
            offset += len(sentence) + 1
            rels.append(Relation(source=source, type=rel_type, target=target, evidence=[ev]))
            ends.update((source, target))
        published = start + timedelta(days=rng.randrange(3 * 365))
        document = Document(
            id=doc_id, source=f"bench/{doc_id}.txt", title=f"Synthetic {d}", published=published
        )
        batches.append(
            GraphBatch(document=document, entities=[by_id[e] for e in sorted(ends)], relations=rels)
        )
    return batches


def _clean_env() -> dict[str, str]:
    """This environment without AIGEO_ settings: the bench says which store and limits it uses."""
    return {k: v for k, v in os.environ.items() if not k.startswith("AIGEO_")}


def aigeo(*args: str, store: Path) -> subprocess.Popen[bytes]:
    env = {**_clean_env(), "AIGEO_STORE": str(store)}
    return subprocess.Popen(
        [sys.executable, "-m", "aigeo.cli", *args],
        cwd=store.parent,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@contextmanager
def serving(store: Path) -> Iterator[str]:
    port = free_port()
    proc = aigeo_serve(store, port, env=_clean_env(), cwd=store.parent)
    base = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_until_up(proc, f"{base}/ready")
        except ServerDidNotStart as e:
            raise SystemExit(f"aigeo serve over {store} did not come up: {e}") from None
        yield base
    finally:
        stop(proc)


def page_loads(browser: Any, url: str, runs: int) -> list[dict[str, float]]:
    results = []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1366, "height": 800})
        page = context.new_page()
        page.goto(url)
        page.wait_for_function("() => window.aigeo && window.aigeo.ready", timeout=120_000)
        page.wait_for_selector("body[data-busy='0']", timeout=120_000)
        timings: dict[str, float] = page.evaluate("() => window.aigeo.timings")
        timings["elements"] = page.evaluate("() => window.aigeo.cy.elements().length")
        results.append(timings)
        context.close()
    return results


def median(rows: list[dict[str, float]], key: str) -> float:
    return statistics.median(row[key] for row in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--elements", type=int, default=2000)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="aigeo-webbench-") as tmp:
        sample = Path(tmp) / "sample" / "data"
        sample.parent.mkdir()
        if aigeo("ingest", str(ROOT / "examples"), store=sample).wait() != 0:
            raise SystemExit("ingesting examples/ failed")
        synthetic = Path(tmp) / "hub" / "data"
        synthetic.parent.mkdir()
        store = EmbeddedStore(synthetic)
        store.upsert_many(hub_batches(args.elements))
        store.close()

        launch_args = ["--no-sandbox"] if os.geteuid() == 0 else []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=args.chromium, args=launch_args)
            with serving(sample) as base:
                small = page_loads(browser, f"{base}/?focus=company:openai", args.runs)
            with serving(synthetic) as base:
                params: dict[str, str | int] = {"entity": HUB, "depth": 2, "limit": 2001}
                api_ms = []
                for _ in range(args.runs):
                    started = time.perf_counter()
                    httpx.get(f"{base}/graph/neighbourhood", params=params, timeout=60).raise_for_status()
                    api_ms.append((time.perf_counter() - started) * 1000)
                big = page_loads(browser, f"{base}/?focus={HUB}&depth=2&cap=2000", args.runs)
            browser.close()

    print(f"headless Chromium, median of {args.runs} cold page loads each")
    print(
        f"sample corpus, OpenAI's neighbourhood ({int(small[0]['elements'])} elements): "
        f"first view {median(small, 'firstViewMs'):.0f} ms (fCoSE {median(small, 'lastLayoutMs'):.0f} ms)"
    )
    print(
        f"synthetic hub, depth 2 ({int(big[0]['elements'])} elements): "
        f"first view {median(big, 'firstViewMs'):.0f} ms, fCoSE layout {median(big, 'lastLayoutMs'):.0f} ms, "
        f"neighbourhood request {statistics.median(api_ms):.0f} ms"
    )


if __name__ == "__main__":
    main()
