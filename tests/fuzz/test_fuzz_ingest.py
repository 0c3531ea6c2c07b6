"""Any bytes through the whole ingest (read, clean, the spaCy pipeline, the embedded store): each file
gives stored documents or skips with a reason, never an exception and never a failed document."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.stores.embedded import EmbeddedStore
from loaders.ingest import Ingestor
from loaders.readers import read_bytes
from tests.loaders.pipeline_cache import shared_pipeline

pytestmark = pytest.mark.slow

WORDS = st.sampled_from(
    ["Nvidia", "OpenAI", "Microsoft", "invested", "in", "backs", "sanctions", "Huawei", "China", "the",
     "U.S.", "said", "on", "Monday", ".", ",", "\n\n", "Tencent-backed", "Zhipu", "AI", "competes", "with",
     "\ud800", "«"]
)  # fmt: skip
ARTICLE = st.one_of(st.text(max_size=400), st.lists(WORDS, max_size=80).map(" ".join))


@pytest.fixture(scope="module")
def store() -> Iterator[EmbeddedStore]:
    with tempfile.TemporaryDirectory() as tmp:
        opened = EmbeddedStore(Path(tmp) / "graph")
        yield opened
        opened.close()


@given(text=ARTICLE, title=st.none() | st.text(max_size=60), suffix=st.sampled_from([".txt", ".md", ".json"]))
def test_any_article_is_stored_or_skipped_never_raised(
    store: EmbeddedStore, text: str, title: str | None, suffix: str
) -> None:
    if suffix == ".json":
        data = json.dumps({"title": title, "text": text}).encode()
    else:
        data = text.encode("utf-8", "surrogatepass")
    # Skip-and-report, as batch runs do: a reader's refusal is a skip, an extraction error a "failed".
    ingestor = Ingestor(store, shared_pipeline, force=True)
    report = ingestor.ingest_reads([(f"fuzz{suffix}", read_bytes(data, f"fuzz{suffix}", 100_000))])
    assert report.outcomes
    for outcome in report.outcomes:
        assert outcome.status != "failed", outcome
        if outcome.status == "skipped":
            assert outcome.reason
        else:
            assert outcome.doc_id is not None and store.has_document(outcome.doc_id)
