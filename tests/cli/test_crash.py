"""An ingest killed midway leaves a consistent store, and running it again completes the job."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from graph.stores import open_store

ACTORS = ["Nvidia", "AMD", "Intel", "Huawei", "Baidu", "Tencent", "Alibaba", "Microsoft", "Google", "Amazon"]


DOCS = 200
"""Several of the ingest runner's chunks (64 documents go to the model at once), so a kill after the
first written documents lands while later ones are still being read."""


def write_corpus(folder: Path, n: int) -> None:
    folder.mkdir()
    for i in range(n):
        a, b = ACTORS[i % len(ACTORS)], ACTORS[(i * 3 + 1) % len(ACTORS)]
        (folder / f"{i:03d}.txt").write_text(
            f"Report number {i} on the chip race\n\n"
            f"{a} invested in {b} during round {i}, according to people familiar with the matter. "
            f"The United States has imposed restrictions on exports of advanced chips to China. "
            f"Analysts said {b} competes with {a} in several markets.\n"
        )


def store_state(path: Path) -> tuple[set[str], set[tuple[str, str, str]], int]:
    store = open_store(str(path))
    try:
        entities = {e.id for e in store.iter_entities()}
        relations = set()
        story = {d.id: d.story or d.id for d in store.iter_documents()}  # templated reports are copies
        docs = set(story)
        for rel in store.iter_relations():
            # consistency: both ends exist and every piece of evidence cites a stored document
            assert rel.source in entities and rel.target in entities
            assert rel.evidence and all(ev.doc_id in docs for ev in rel.evidence)
            assert rel.weight == len({story[ev.doc_id] for ev in rel.evidence})
            relations.add((rel.source, rel.type.value, rel.target))
        assert store.stats().documents == len(docs)
        return entities, relations, len(docs)
    finally:
        store.close()


def ingest_cmd(corpus: Path, store: Path) -> list[str]:
    return [sys.executable, "-m", "aigeo.cli", "ingest", str(corpus), "--store", str(store)]


def test_killed_ingest_leaves_old_or_new_state_and_rerun_completes(tmp_path: Path) -> None:
    corpus, store, clean = tmp_path / "corpus", tmp_path / "store", tmp_path / "clean"
    write_corpus(corpus, DOCS)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    proc = subprocess.Popen(ingest_cmd(corpus, store), env=env, **quiet)  # type: ignore[call-overload]
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            if store.is_dir() and any(store.iterdir()):
                probe = open_store(str(store))
                written = probe.stats().documents
                probe.close()
                if written >= 3:
                    break
            if proc.poll() is not None:
                break
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()

    _, _, partial_docs = store_state(store)
    assert 0 < partial_docs < DOCS, "the kill should land midway; make the corpus bigger if this fails"

    rerun = subprocess.run(ingest_cmd(corpus, store), capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    subprocess.run(ingest_cmd(corpus, clean), check=True, capture_output=True, timeout=300)

    entities, relations, docs = store_state(store)
    assert docs == DOCS
    assert (entities, relations) == store_state(clean)[:2]
