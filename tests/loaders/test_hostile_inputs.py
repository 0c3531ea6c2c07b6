"""Hostile inputs to the loaders (issue 13): none may stop an ingest, each is stored or skipped with a reason.

Real files in tmp_path, the real embedded store and the shared spaCy pipeline.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.stores.embedded import EmbeddedStore
from loaders.ingest import Ingestor
from loaders.raw import RawDocument
from loaders.readers import discover, read_bytes, read_file
from tests.loaders.pipeline_cache import shared_pipeline

ARTICLE = "Samsung Electronics invested in a new Korean chip startup, the company said on Monday."


@pytest.fixture
def store(tmp_path: Path) -> Iterator[EmbeddedStore]:
    opened = EmbeddedStore(tmp_path / "graph")
    yield opened
    opened.close()


def ingestor(store: EmbeddedStore, **options: int) -> Ingestor:
    return Ingestor(store, shared_pipeline, **options)


def test_a_lone_surrogate_is_replaced_and_the_files_after_it_are_still_read(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # json.dumps writes the escape \ud800, which json.loads turns back into a lone surrogate.
    (corpus / "a.json").write_text(json.dumps({"title": "Chips \ud800", "text": ARTICLE + " \udfff"}))
    (corpus / "b.txt").write_text("Nvidia sold more chips to buyers in Japan this year, the firm said.\n")
    report = ingestor(store).ingest_paths([corpus])
    assert report.counts["added"] == 2, report.outcomes
    titles = {d.title for d in store.iter_documents()}
    assert "Chips \ufffd" in titles


def test_raw_document_hash_never_fails_on_decoded_text() -> None:
    raw = RawDocument(source="x.json#1", text="a\ud800b", title="\udc00")
    assert raw.text == "a\ufffdb" and raw.title == "\ufffd"
    assert len(raw.content_hash) == 24


def test_a_symlink_out_of_the_corpus_is_reported_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "outside" / "passwd.txt"
    secret.parent.mkdir()
    secret.write_text("root:x:0:0:root:/root:/bin/bash and other secret words here\n")
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "a.txt").write_text(ARTICLE)
    (corpus / "passwd.txt").symlink_to(secret)
    (corpus / "elsewhere").symlink_to(secret.parent)  # a folder link out of the corpus
    (corpus / "sub" / "same.txt").symlink_to(corpus / "a.txt")  # a link that stays inside is fine

    files = list(discover([corpus]))
    assert corpus / "elsewhere" in files and not any(f.parent.name == "elsewhere" for f in files)
    reads = {f.name: read_file(f, 10_000, roots=[corpus]) for f in files}
    for name in ("passwd.txt", "elsewhere"):
        assert not reads[name].documents
        assert "outside the paths given" in reads[name].problems[0].reason
    assert reads["same.txt"].documents and reads["a.txt"].documents

    followed = list(discover([corpus], follow_symlinks=True))
    assert corpus / "elsewhere" / "passwd.txt" in followed
    assert read_file(corpus / "passwd.txt", 10_000).documents  # asked for: read


def test_ingest_does_not_follow_symlinks_out_of_its_roots_unless_asked(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("The private notes of somebody, which must never become an article in the graph.\n")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "notes.txt").symlink_to(secret)
    report = ingestor(store).ingest_paths([corpus])
    assert report.counts == {"skipped": 1} and store.stats().documents == 0
    report = ingestor(store).ingest_paths([corpus], follow_symlinks=True)
    assert report.counts == {"added": 1}


def test_records_over_the_per_file_cap_and_short_records_are_skipped_and_counted(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    records = [{"text": f"{ARTICLE} Report number {i}."} for i in range(5)] + [{"text": "Chips"}] * 3
    path = tmp_path / "dump.json"
    path.write_text(json.dumps(records[::-1]))  # the short ones first, within the cap
    report = ingestor(store, max_records=6, min_words=5).ingest_paths([path])
    assert report.counts == {"added": 3, "skipped": 5}
    reasons = [o.reason or "" for o in report.problems]
    assert sum("3 records too short" in r for r in reasons) == 1  # one line for the file, counted 3
    assert any("2 records after" in r and "at most 6" in r for r in reasons)
    assert store.stats().documents == 3


def test_deeply_nested_html_keeps_its_text() -> None:
    sentence = "Nvidia sold chips to a buyer in Japan on Monday, the company said."
    page = "<html><body>" + "<div>" * 10_000 + f"<p>{sentence}</p>" + "</div>" * 10_000 + "</body></html>"
    result = read_bytes(page.encode(), "deep.html", 1_000_000)
    assert not result.problems
    assert result.documents[0].text == sentence


@pytest.fixture
def short_model_limit() -> Iterator[int]:
    """The shared model with a 2,000-character limit, so that a short test text is a 'long' one."""
    nlp = shared_pipeline().nlp
    saved, nlp.max_length = nlp.max_length, 2_000
    yield nlp.max_length
    nlp.max_length = saved


PARAGRAPH = (
    "Tencent-backed Zhipu AI grew fast this year, the company said on Monday. "
    "Microsoft invested in OpenAI again, according to people familiar with the deal. "
)


def test_a_text_over_the_model_limit_is_parsed_in_pieces_with_exact_offsets(short_model_limit: int) -> None:
    text = "\n\n".join(f"Part {i}. {PARAGRAPH * 3}" for i in range(16))
    assert len(text) > 3 * short_model_limit
    pipeline = shared_pipeline()
    raw = RawDocument(source="long.txt", text=text)
    batches = [
        pipeline.extract(raw),
        *pipeline.extract_many([raw, RawDocument(source="s.txt", text=PARAGRAPH)]),
    ]
    analysed = pipeline.prepare(raw).text
    for batch in batches[:2]:
        found = {(r.source, r.type.value, r.target) for r in batch.relations}
        assert ("company:tencent", "BACKS", "company:zhipu-ai") in found
        for relation in batch.relations:
            for ev in relation.evidence:
                assert analysed[ev.start : ev.end].strip() == ev.sentence
        assert max(ev.end for r in batch.relations for ev in r.evidence) > 2 * short_model_limit
    assert batches[2].document.source == "s.txt"
