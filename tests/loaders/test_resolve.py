"""Resolution: however an article spells an actor, it becomes one id; different actors never merge."""

from __future__ import annotations

import pytest

from graph.schema import NodeType
from loaders.entities import Mention
from loaders.registry import Registry
from loaders.resolve import (
    FUZZY_THRESHOLD,
    Resolved,
    Resolver,
    has_legal_suffix,
    name_variants,
    trailing_ticker,
)
from tests.loaders.pipeline_cache import extract_text


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver(Registry.load())


def mention(text: str, label: str = "ORG", start: int = 0) -> Mention:
    return Mention(start, start + len(text.split()), 0, len(text), text, label)


def resolve(
    resolver: Resolver, text: str, label: str = "ORG", earlier: list[Resolved] | None = None
) -> str | None:
    found = resolver.resolve_one(mention(text, label), earlier or [])
    return found.entity.id if found else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Alibaba Group Holding Ltd. BABA", "company:alibaba"),
        ("Tencent Holdings Ltd.", "company:tencent"),
        ("Baidu Inc.", "company:baidu"),
        ("Microsoft Corp. MSFT", "company:microsoft"),
        ("Nvidia's", "company:nvidia"),
        ("OpenAI’s", "company:openai"),
    ],
)
def test_legal_suffixes_tickers_and_possessives_resolve_to_the_firm(
    resolver: Resolver, text: str, expected: str
) -> None:
    assert resolve(resolver, text) == expected


@pytest.mark.parametrize("text", ["U.S.", "US", "United States", "the United States", "the U.S. government"])
def test_every_us_spelling_is_one_node(resolver: Resolver, text: str) -> None:
    assert resolve(resolver, text, "GPE") == "government:usa"


def test_demonym_stands_for_its_state(resolver: Resolver) -> None:
    assert resolve(resolver, "Chinese", "NORP") == "government:chn"


@pytest.mark.parametrize(
    ("capital", "state"), [("Beijing", "government:chn"), ("Washington", "government:usa")]
)
def test_capital_used_as_actor_is_its_government(resolver: Resolver, capital: str, state: str) -> None:
    assert resolve(resolver, capital, "GPE") == state


def test_country_unknown_to_the_registry_comes_from_pycountry(resolver: Resolver) -> None:
    found = resolver.resolve_one(mention("Uruguay", "GPE"), [])
    assert found is not None
    assert (found.entity.id, found.entity.type, found.entity.country) == (
        "government:ury",
        NodeType.GOVERNMENT,
        "URY",
    )


def test_a_city_is_not_an_actor(resolver: Resolver) -> None:
    assert resolve(resolver, "Hangzhou", "GPE") is None


def test_short_mention_after_long_one_is_the_same_unknown_firm(resolver: Resolver) -> None:
    first = resolver.resolve_one(mention("Qingyun Robotics Ltd.", start=0), [])
    assert first is not None and first.entity.type is NodeType.COMPANY
    later = resolver.resolve_one(mention("Qingyun", start=20), [first])
    assert later is not None and later.entity.id == first.entity.id


def test_surname_after_full_name_is_the_same_person(resolver: Resolver) -> None:
    first = resolver.resolve_one(mention("Marta Oyelaran", "PERSON"), [])
    assert first is not None
    later = resolver.resolve_one(mention("Oyelaran", "PERSON", start=30), [first])
    assert later is not None and later.entity.id == first.entity.id == "person:marta-oyelaran"


def test_short_form_shared_by_two_earlier_names_stays_apart(resolver: Resolver) -> None:
    a = resolver.resolve_one(mention("Qingyun Robotics Ltd."), [])
    b = resolver.resolve_one(mention("Qingyun Foods Ltd.", start=10), [])
    assert a is not None and b is not None and a.entity.id != b.entity.id
    assert resolve(resolver, "Qingyun", earlier=[a, b]) != a.entity.id


def test_fuzzy_match_above_threshold_only(resolver: Resolver) -> None:
    # one transposition in a long name is a typo; a short near-miss is another firm
    assert resolve(resolver, "Andreessen Horowtiz") == "company:a16z"
    assert resolve(resolver, "Baidoo") != "company:baidu"
    assert FUZZY_THRESHOLD >= 90


@pytest.mark.parametrize(
    ("text", "label", "node_type"),
    [
        ("Lumenfield Analytics Inc.", "ORG", NodeType.COMPANY),
        ("Institute for Frontier Compute Policy", "ORG", NodeType.ORGANIZATION),
        ("Harbourside University", "ORG", NodeType.ORGANIZATION),
        ("Ministry of Digital Affairs", "ORG", NodeType.GOVERNMENT),
        ("Marta Oyelaran", "PERSON", NodeType.PERSON),
    ],
)
def test_unknown_actors_are_typed_from_evidence(
    resolver: Resolver, text: str, label: str, node_type: NodeType
) -> None:
    found = resolver.resolve_one(mention(text, label), [])
    assert found is not None and found.entity.type is node_type
    assert found.entity.id.startswith(node_type.value.lower() + ":")


def test_name_variants_strip_ticker_then_suffixes() -> None:
    assert name_variants("Baidu Inc. BIDU")[-1] == "Baidu"
    assert trailing_ticker("Baidu Inc. BIDU") == "BIDU"
    assert trailing_ticker("Zhipu AI") is None  # capitals inside a name are not a ticker
    assert has_legal_suffix("Acme Robotics Corp.") and not has_legal_suffix("Acme Robotics")


def test_article_spellings_merge_into_one_entity_with_their_aliases() -> None:
    batch = extract_text(
        "Alibaba Group Holding Ltd. BABA said on Monday that it would expand in Europe. "
        "Alibaba's cloud unit has grown fast, and analysts expect Alibaba to keep investing."
    )
    alibaba = [e for e in batch.entities if e.id == "company:alibaba"]
    assert len(alibaba) == 1
    assert alibaba[0].mention_count == 3
    assert "BABA" in alibaba[0].aliases


def test_us_spellings_in_one_article_make_one_node() -> None:
    batch = extract_text(
        "The U.S. government tightened chip rules. US officials said the United States would act. "
        "Washington gave no date."
    )
    states = [e for e in batch.entities if e.type is NodeType.GOVERNMENT]
    assert [e.id for e in states] == ["government:usa"]
