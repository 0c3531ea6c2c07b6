"""Mentions: registry actors first, the model's names only when they look like actors in the story."""

from __future__ import annotations

import pytest

from graph.schema import NodeType
from loaders.entities import find_mentions, known_outlets
from loaders.headlines import is_headline, sentence_case
from loaders.raw import RawDocument
from tests.loaders.pipeline_cache import extract_text, shared_pipeline


def mentions_of(text: str) -> list[tuple[str, str | None, str]]:
    p = shared_pipeline()
    prepared = p.prepare(RawDocument(source="t.txt", text=text))
    doc = p.nlp(prepared.model_text)
    found = find_mentions(doc, prepared.text, p.registry, headline_lines=prepared.headlines)
    return [(m.text, m.actor_id, m.kind) for m in found]


def node_names(text: str, title: str | None = None) -> set[str]:
    return {e.name for e in extract_text(text, title).entities if e.type is not NodeType.POLICY}


def test_registry_actors_carry_their_ids() -> None:
    found = mentions_of("Tencent and the Cyberspace Administration of China met in Beijing.")
    ids = {actor for _, actor, _ in found}
    assert {"company:tencent", "government:chn-cac", "government:chn"} <= ids


def test_demonym_is_a_demonym_mention_of_its_state() -> None:
    assert ("Chinese", "government:chn", "demonym") in mentions_of("Chinese developers lost access.")


@pytest.mark.parametrize(
    "sentence",
    [
        "Harbour Ledger reported that Tencent cut prices.",
        "According to Harbour Ledger, Tencent cut prices.",
        "Tencent told Harbour Ledger that it cut prices.",
    ],
)
def test_outlet_cited_as_source_is_not_an_entity(sentence: str) -> None:
    names = node_names(sentence)
    assert "Tencent" in names
    assert not any("Harbour" in n for n in names)


def test_known_outlets_are_never_entities() -> None:
    assert "reuters" in known_outlets()
    assert node_names("Reuters and Bloomberg covered the Baidu launch in detail.") == {"Baidu"}


def test_name_only_in_a_headline_is_dropped_unless_known() -> None:
    text = (
        "Tencent Courts Developers With Free Credits And Tools\n\n"
        "Tencent offered free credits to developers on Monday."
    )
    names = node_names(text)
    assert names == {"Tencent"}


def test_unknown_firm_named_twice_in_the_body_is_kept() -> None:
    text = (
        "Lumenfield Analytics signed a cloud contract on Monday. "
        "Lumenfield Analytics said the contract would double its capacity."
    )
    assert "Lumenfield Analytics" in node_names(text)


def test_unknown_firm_named_once_without_evidence_is_dropped() -> None:
    assert not any(
        "Quarrow" in n for n in node_names("Analysts at Quarrow Partners were unconvinced by the plan.")
    )


def test_products_and_acronyms_are_not_actors() -> None:
    names = node_names("Developers used ChatGPT and other AI tools via an API.")
    assert "ChatGPT" not in names and "AI" not in names and "API" not in names


def test_spans_never_cross_line_breaks() -> None:
    text = "The analysis was written by Pooja Menon\n\nMarket News covered the rest of the week."
    assert not any("\n" in name for name in node_names(text))


def test_headline_detection_and_sentence_case_keep_offsets() -> None:
    text = "Acme Blocks Users From Its Tools\n\nAcme said it acted. Users were told."
    assert is_headline("Acme Blocks Users From Its Tools")
    assert not is_headline("Acme said it acted on Monday.")
    cased = sentence_case(text)
    assert len(cased) == len(text)
    assert cased.startswith("Acme blocks users from its tools")


def test_titled_people_are_people() -> None:
    batch = extract_text("Analyst Marta Oyelaran of Harbourside University said the rules would bite.")
    kinds = {e.name: e.type for e in batch.entities}
    assert kinds.get("Marta Oyelaran") is NodeType.PERSON
    assert kinds.get("Harbourside University") is NodeType.ORGANIZATION


@pytest.mark.parametrize(
    "sentence",
    [
        "Baidu unveiled Ernie 4.0 on Thursday.",
        "Baidu said its Ernie Bot chatbot had 200 million users.",
        "Anthropic released the Claude chatbot to businesses.",
        "The European Union fined Apple over App Store rules.",
    ],
)
def test_products_named_like_firms_are_not_actors(sentence: str) -> None:
    assert node_names(sentence) <= {"Baidu", "Anthropic", "European Union", "Apple"}


def test_byline_left_by_the_cleaner_names_no_one() -> None:
    text = (
        "by Priya Anand · May 2, 2025 · 5 min read\n\nTencent raised prices for its cloud services on Monday."
    )
    assert "Priya Anand" not in node_names(text)
