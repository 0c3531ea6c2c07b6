"""AFFILIATED_WITH and BASED_IN on ordinary press phrasings: what must be read, what must be left.

Every sentence here was written for these tests. Positives pin the person or firm and where it
belongs (an office title names its department or chamber); negatives pin the traps: former
roles, negated roles, an ambiguous "its", a country that only sits next to a firm, a place word
that names no place.
"""

from __future__ import annotations

import pytest

from tests.loaders.pipeline_cache import extract_text, triples


def _related(text: str, kind: str) -> set[tuple[str, str]]:
    return {(s, t) for s, k, t in triples(extract_text(text)) if k == kind}


AFFILIATIONS = [
    (
        "Treasury Secretary Janet Yellen said the rules were narrow.",
        ("person:janet-yellen", "government:usa-treasury"),
    ),
    (
        "Commerce Secretary Wilbur Ross promised to stay vigilant.",
        ("person:wilbur-ross", "government:usa-commerce"),
    ),
    (
        "Senator Marco Rubio, a Republican, called the deal a mistake.",
        ("person:marco-rubio", "government:usa-senate"),
    ),
    (
        "Huawei's rotating chairman Guo Ping spoke to analysts in March.",
        ("person:guo-ping", "company:huawei"),
    ),
    (
        "Aramco president and chief executive Amin Nasser spoke at a forum.",
        ("person:amin-nasser", "company:aramco"),
    ),
    (
        "ByteDance, which Zhang Yiming founded in 2012, keeps growing.",
        ("person:zhang-yiming", "company:bytedance"),
    ),
    (
        "The biggest holder is Susquehanna International Group, the trading firm co-founded by billionaire "
        "Jeff Yass.",
        ("person:jeff-yass", "company:susquehanna-international"),
    ),
    (
        "General Atlantic, whose chief executive Bill Ford is a veteran dealmaker, bought more shares.",
        ("person:bill-ford", "company:general-atlantic"),
    ),
    (
        "In 2018 Bill Ford joined ByteDance's board as an outside director.",
        ("person:bill-ford", "company:bytedance"),
    ),
    ("Li Zixue took over as ZTE's chairman after the overhaul.", ("person:li-zixue", "company:zte")),
    ("Jane Fraser became chief executive of Citigroup in 2021.", ("person:jane-fraser", "company:citigroup")),
    (
        "Groq opened a data centre in Dammam last year. "
        "Its chief executive, Jonathan Ross, said demand was strong.",
        ("person:jonathan-ross", "company:groq"),
    ),
]


@pytest.mark.parametrize(("text", "expected"), AFFILIATIONS)
def test_affiliation_is_read(text: str, expected: tuple[str, str]) -> None:
    assert expected in _related(text, "AFFILIATED_WITH")


AFFILIATION_TRAPS = [
    # a treasury secretary belongs to the department, not straight to the state
    (
        "Treasury Secretary Janet Yellen said the rules were narrow.",
        ("person:janet-yellen", "government:usa"),
    ),
    # past and negated roles
    ("Bill Gates is the former chairman of Microsoft.", ("person:bill-gates", "company:microsoft")),
    ("Mary Barra did not become Google's chief executive.", ("person:mary-barra", "company:google")),
    (
        "Former Intel chief executive Pat Gelsinger spoke at the event.",
        ("person:pat-gelsinger", "company:intel"),
    ),
    # two firms before "its": the pronoun is ambiguous
    (
        "Arm China, in which Arm holds just under half, fought its chief executive Allen Wu for two years.",
        ("person:allen-wu", "company:arm"),
    ),
    # a board seat only counts when someone sits on it
    ("Nobody from Google sits on the board of Anthropic.", ("person:sundar-pichai", "company:anthropic")),
]


@pytest.mark.parametrize(("text", "unwanted"), AFFILIATION_TRAPS)
def test_affiliation_trap_is_left_alone(text: str, unwanted: tuple[str, str]) -> None:
    assert unwanted not in _related(text, "AFFILIATED_WITH")


LOCATIONS = [
    (
        "MiniMax, the Alibaba-backed Shanghai start-up, is training a video model.",
        ("company:minimax", "government:chn"),
    ),
    (
        "Nobody knows whether the servers reached DeepSeek, "
        "the Hangzhou AI start-up whose models shook markets.",
        ("company:deepseek", "government:chn"),
    ),
    ("ZTE still trails its bigger Shenzhen neighbour Huawei at home.", ("company:huawei", "government:chn")),
    ("Chinese phone makers Vivo and Xiaomi build handsets in India.", ("company:xiaomi", "government:chn")),
    ("Last year it bought the British AI chip start-up Graphcore.", ("company:graphcore", "government:gbr")),
    (
        "The contract went to Groq, the California-based maker of inference chips, on Monday.",
        ("company:groq", "government:usa"),
    ),
    (
        "Chipmakers depend on tools from American vendors such as Applied Materials and Lam Research.",
        ("company:applied-materials", "government:usa"),
    ),
    (
        "Its US equipment suppliers, among them Lam Research Corp. (NASDAQ:LRCX) "
        "and KLA Corp. (NASDAQ:KLAC), face delays.",
        ("company:kla", "government:usa"),
    ),
    ("Samsung, the Seoul company, beat profit estimates.", ("company:samsung-electronics", "government:kor")),
    ("Arm sold most of Arm China to local investors in 2018.", ("company:arm-china", "government:chn")),
]


@pytest.mark.parametrize(("text", "expected"), LOCATIONS)
def test_location_is_read(text: str, expected: tuple[str, str]) -> None:
    assert expected in _related(text, "BASED_IN")


LOCATION_TRAPS = [
    # a country just before the apposition is not the firm's home
    (
        "Nvidia sold chips to Japan, a big buyer, and to Alibaba, the online retail giant.",
        ("company:alibaba", "government:jpn"),
    ),
    # a US state that is also a capital does not make lobbyists a firm
    ("Washington-based lobbyists met Nvidia on Tuesday.", ("company:nvidia", "government:usa")),
    # the buyer's nationality is not the supplier's
    ("Chinese buyers such as Alibaba order chips from Nvidia.", ("company:nvidia", "government:chn")),
    # the demonym belongs to the customers, across a preposition, not to the rivals listed after it
    (
        "The ban pushes Chinese designers toward rivals such as GlobalFoundries for older chips.",
        ("company:globalfoundries", "government:chn"),
    ),
    # an acronym is not a place ("AI" is also Anguilla's country code)
    ("OpenAI, the AI lab, released a model.", ("company:openai", "government:aia")),
]


@pytest.mark.parametrize(("text", "unwanted"), LOCATION_TRAPS)
def test_location_trap_is_left_alone(text: str, unwanted: tuple[str, str]) -> None:
    assert unwanted not in _related(text, "BASED_IN")
