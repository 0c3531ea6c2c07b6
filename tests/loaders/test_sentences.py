"""Sentence boundaries set before the parser: the points of a bulleted list are sentences of their own."""

from __future__ import annotations

from loaders.raw import RawDocument
from tests.loaders.pipeline_cache import extract_text, shared_pipeline, triples


def sentences(text: str) -> list[str]:
    p = shared_pipeline()
    doc = p.nlp(p.prepare(RawDocument(source="t.txt", text=text)).model_text)
    return [s.text.strip() for s in doc.sents]


TEXT = (
    "What we know\n"
    "- Japan's privacy regulator warned the chatbot's owner\n"
    "- Canada, Taiwan and two US states ban TikTok on official phones\n"
    "\n"
    "The bans followed a review of data flows.\n"
)


def test_each_bullet_is_its_own_sentence_with_its_mark() -> None:
    found = sentences(TEXT)
    assert "- Canada, Taiwan and two US states ban TikTok on official phones" in found
    assert "- Japan's privacy regulator warned the chatbot's owner" in found


def test_a_bulleted_point_is_read_alone() -> None:
    found = triples(extract_text(TEXT))
    assert {
        ("government:can", "RESTRICTS", "company:tiktok"),
        ("government:twn", "RESTRICTS", "company:tiktok"),
    } <= found
    assert not any(s == "government:jpn" and t in ("government:can", "government:twn") for s, _, t in found)


def test_a_hyphen_inside_a_line_starts_nothing() -> None:
    assert len(sentences("Acme - a chip designer - raised money from Globex.")) == 1
