"""COMPETES_WITH and PARTNERS_WITH on ordinary news wording: what must be read, what must be left.

Every sentence here was written for these tests. Positives cover rival nouns in every position,
rivalry verbs and phrasal verbs, rankings ("further behind"), products standing for their makers,
benchmark claims and collective subjects; negatives pin the traps: firms merely listed together,
sponsors "behind" a product, beaten forecasts, suppliers, and negation.
"""

from __future__ import annotations

import pytest

from graph.schema import RelType, canonical_pair
from tests.loaders.pipeline_cache import extract_text, triples


def rel(source: str, kind: str, target: str) -> tuple[str, str, str]:
    a, b = canonical_pair(source, RelType(kind), target)
    return (a, kind, b)


def competes(a: str, b: str) -> tuple[str, str, str]:
    return rel(a, "COMPETES_WITH", b)


def partners(a: str, b: str) -> tuple[str, str, str]:
    return rel(a, "PARTNERS_WITH", b)


POSITIVES = [
    # rival nouns and adjectives in every position
    ("OpenAI's rival Anthropic raised money.", [competes("company:anthropic", "company:openai")]),
    ("Baidu said its crosstown rival Xiaomi cut prices.", [competes("company:baidu", "company:xiaomi")]),
    ("ZTE trails its larger rival Huawei at home.", [competes("company:zte", "company:huawei")]),
    # products stand for their makers: possessive, pronoun, or an earlier mention
    (
        "Intel's chips are a challenger to Nvidia's GPUs and AMD's Instinct accelerators.",
        [competes("company:intel", "company:nvidia"), competes("company:intel", "company:amd")],
    ),
    (
        "Groq was founded in 2016 by Jonathan Ross. Its processors are pitched as a cheaper alternative "
        "to Nvidia's GPUs.",
        [competes("company:groq", "company:nvidia")],
    ),
    (
        "When OpenAI unveiled Sora in February, it set a high bar. Kuaishou's Kling is available now. "
        "For many creators, Kling is the OpenAI rival they can use.",
        [competes("company:kuaishou", "company:openai")],
    ),
    # verbs and phrasal verbs
    ("Baidu is racing Alibaba to release a reasoning model.", [competes("company:baidu", "company:alibaba")]),
    (
        "Samsung Electronics is far behind TSMC in foundry.",
        [competes("company:samsung-electronics", "company:tsmc")],
    ),
    ("Huawei has fallen behind Apple in sales.", [competes("company:huawei", "company:apple")]),
    (
        "The sanctions leave Huawei further behind Apple and Samsung Electronics.",
        [
            competes("company:huawei", "company:apple"),
            competes("company:huawei", "company:samsung-electronics"),
        ],
    ),
    (
        "Baidu says Ernie 4.0 is catching up with OpenAI's best.",
        [competes("company:baidu", "company:openai")],
    ),
    (
        "Google's YouTube created Shorts to take on TikTok.",
        [competes("company:google", "company:tiktok")],
    ),
    # benchmark claims with a named maker
    (
        "Alibaba says its newest Qwen model matches OpenAI's GPT-4 on benchmarks.",
        [competes("company:alibaba", "company:openai")],
    ),
    (
        "Kuaishou's model beat OpenAI's Sora in a blind test.",
        [competes("company:kuaishou", "company:openai")],
    ),
    (
        "Apple beat Samsung Electronics to the market.",
        [competes("company:apple", "company:samsung-electronics")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), POSITIVES, ids=[t[:60] for t, _ in POSITIVES])
def test_rivalry_is_read(text: str, expected: list[tuple[str, str, str]]) -> None:
    found = triples(extract_text(text))
    for item in expected:
        assert item in found, f"missing {item} in {sorted(found)}"


NEGATIVES = [
    # firms merely listed together do not compete
    (
        "Apple and Samsung Electronics reported results on Tuesday.",
        competes("company:apple", "company:samsung-electronics"),
    ),
    # a sponsor "behind" something is not a ranking
    (
        "The company behind ChatGPT, OpenAI, hired Microsoft veterans.",
        competes("company:openai", "company:microsoft"),
    ),
    ("Huawei stands behind Honor in the dispute with Apple.", competes("company:huawei", "company:apple")),
    # beating forecasts names no rival; matching a product without a named maker is not read
    ("Nvidia beat Microsoft's forecasts for chip demand.", competes("company:nvidia", "company:microsoft")),
    # a supplier is not a rival
    ("Alibaba supplies chips to Baidu.", competes("company:alibaba", "company:baidu")),
    # negation
    ("Baidu is not racing Alibaba to release a model.", competes("company:baidu", "company:alibaba")),
    ("Huawei has not fallen behind Apple in sales.", competes("company:huawei", "company:apple")),
    # rivals listed without anyone they rival
    (
        "Rivals such as Nokia and Ericsson bid for the contract.",
        competes("company:nokia", "company:ericsson"),
    ),
]


@pytest.mark.parametrize(("text", "forbidden"), NEGATIVES, ids=[t[:60] for t, _ in NEGATIVES])
def test_rivalry_trap_is_left_alone(text: str, forbidden: tuple[str, str, str]) -> None:
    assert forbidden not in triples(extract_text(text))


def test_all_of_them_are_the_firms_of_the_section() -> None:
    text = (
        "When OpenAI unveiled Sora in February, it set a high bar.\n\n"
        "New entrants\n\n"
        "MiniMax is preparing a video model. Zhipu AI released a video tool. "
        "Google's Veo is in limited testing.\n\n"
        "All of them are taking on OpenAI's Sora before it ships."
    )
    found = triples(extract_text(text))
    for firm in ("company:minimax", "company:zhipu-ai", "company:google"):
        assert competes(firm, "company:openai") in found


def test_all_of_them_stops_at_the_subheading() -> None:
    text = (
        "Nvidia reported strong sales.\n\n"
        "New entrants\n\n"
        "MiniMax is preparing a video model. Zhipu AI released a video tool.\n\n"
        "All of them are taking on OpenAI's Sora."
    )
    assert competes("company:nvidia", "company:openai") not in triples(extract_text(text))


PARTNER_POSITIVES = [
    ("Microsoft signed a deal with G42 last year.", partners("company:microsoft", "company:g42")),
    ("Foxconn and Nvidia will jointly develop servers.", partners("company:foxconn", "company:nvidia")),
    ("Apple chose Alibaba as its AI partner in China.", partners("company:apple", "company:alibaba")),
    ("Nvidia teamed up with Foxconn to build AI factories.", partners("company:nvidia", "company:foxconn")),
    (
        "The joint venture between Micron and Tata Electronics will build a plant.",
        partners("company:micron", "company:tata-electronics"),
    ),
    (
        "Samsung Electronics and Google formed an alliance to develop chips.",
        partners("company:samsung-electronics", "company:google"),
    ),
]


@pytest.mark.parametrize(("text", "expected"), PARTNER_POSITIVES, ids=[t[:60] for t, _ in PARTNER_POSITIVES])
def test_partnership_is_read_as_fact(text: str, expected: tuple[str, str, str]) -> None:
    assert (*expected, "False") in triples(extract_text(text), with_hedge=True)


PARTNER_HEDGED = [
    ("Apple is in talks to partner with Baidu in China.", partners("company:apple", "company:baidu")),
    (
        "Alibaba and Apple are in talks to team up on AI features.",
        partners("company:alibaba", "company:apple"),
    ),
]


@pytest.mark.parametrize(("text", "expected"), PARTNER_HEDGED, ids=[t[:60] for t, _ in PARTNER_HEDGED])
def test_partnership_in_talks_is_hedged(text: str, expected: tuple[str, str, str]) -> None:
    found = triples(extract_text(text), with_hedge=True)
    assert (*expected, "True") in found
    assert (*expected, "False") not in found


PARTNER_NEGATIVES = [
    ("Alibaba supplies chips to Baidu.", partners("company:alibaba", "company:baidu")),
    ("TSMC makes chips for Apple and Nvidia.", partners("company:tsmc", "company:apple")),
    ("Microsoft did not sign a deal with G42.", partners("company:microsoft", "company:g42")),
    ("Tencent and Alibaba will report earnings on Tuesday.", partners("company:tencent", "company:alibaba")),
    (
        "Tencent and Alibaba did not jointly develop the model.",
        partners("company:tencent", "company:alibaba"),
    ),
]


@pytest.mark.parametrize(("text", "forbidden"), PARTNER_NEGATIVES, ids=[t[:60] for t, _ in PARTNER_NEGATIVES])
def test_partnership_trap_is_left_alone(text: str, forbidden: tuple[str, str, str]) -> None:
    assert forbidden not in triples(extract_text(text))


BENCHMARK_LISTS = [
    # later members of a product list hang as appositions; a model code glued to its maker's name
    # ("DeepSeek-V3") names that maker; a lower-case model code with a digit is still a product
    (
        "Zhipu AI claimed its model beat DeepSeek-V3, OpenAI's GPT-4o and Meta's Llama-3 on benchmarks.",
        [
            competes("company:zhipu-ai", "company:deepseek"),
            competes("company:zhipu-ai", "company:openai"),
            competes("company:zhipu-ai", "company:meta"),
        ],
    ),
    (
        "Zhipu AI said its new model matched DeepSeek-R1 on coding tests.",
        [competes("company:zhipu-ai", "company:deepseek")],
    ),
    # "a model it pitched as matching Y": "it" is the firm that launched the model, the subject
    # of the sentence before, not the firm the article names most
    (
        "Alibaba is huge. Alibaba sells cloud. Alibaba trades in Hong Kong. Baidu, for its part, is busy. "
        "In May it launched Ernie X2, a model it pitched as matching DeepSeek-R1 at half the price.",
        [competes("company:baidu", "company:deepseek")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), BENCHMARK_LISTS, ids=[t for t, _ in BENCHMARK_LISTS])
def test_benchmark_claims_reach_every_maker(text: str, expected: list[tuple[str, str, str]]) -> None:
    found = triples(extract_text(text))
    for triple in expected:
        assert triple in found


def test_benchmark_claim_pronoun_is_not_the_most_mentioned_firm() -> None:
    text = (
        "Alibaba is huge. Alibaba sells cloud. Alibaba trades in Hong Kong. Baidu, for its part, is busy. "
        "In May it launched Ernie X2, a model it pitched as matching DeepSeek-R1 at half the price."
    )
    assert competes("company:alibaba", "company:deepseek") not in triples(extract_text(text))


def test_hyphen_with_spaces_is_no_glued_maker() -> None:
    found = triples(extract_text("Zhipu AI said its model matched the DeepSeek - R1 pairing on cost."))
    assert competes("company:zhipu-ai", "company:deepseek") not in found


def test_beating_a_firms_forecast_names_no_rival_product() -> None:
    found = triples(extract_text("Zhipu AI said its revenue beat Microsoft's 2025 forecasts."))
    assert competes("company:zhipu-ai", "company:microsoft") not in found


def test_its_race_belongs_to_the_object_it_points_back_to() -> None:
    found = triples(
        extract_text(
            "Mistral AI raised $2 billion. The money helps Mistral AI in its race with Google-backed "
            "Anthropic, and with Microsoft-backed OpenAI."
        )
    )
    assert competes("company:mistral-ai", "company:anthropic") in found
    # the backers only modify the rivals
    assert competes("company:mistral-ai", "company:google") not in found
    assert competes("company:mistral-ai", "company:microsoft") not in found


def test_its_race_after_a_reported_claim_is_the_speakers() -> None:
    found = triples(extract_text("Mistral AI said its race with OpenAI was heating up."))
    assert competes("company:mistral-ai", "company:openai") in found


def test_a_race_the_firm_denies_is_no_rivalry() -> None:
    found = triples(extract_text("Mistral AI said it is in no race with OpenAI."))
    assert competes("company:mistral-ai", "company:openai") not in found


def test_where_it_competes_is_the_seller_and_a_led_group_is_its_leader() -> None:
    found = triples(
        extract_text(
            "Nvidia is big. The company still sells the H20, a slower chip, to Chinese buyers, "
            "where it competes with local rivals led by Huawei."
        )
    )
    assert competes("company:nvidia", "company:huawei") in found


def test_where_another_firm_competes_is_that_firms_rivalry() -> None:
    found = triples(
        extract_text("Nvidia sells chips to Chinese buyers, where Huawei competes with Cambricon.")
    )
    assert competes("company:huawei", "company:cambricon") in found
    assert competes("company:nvidia", "company:cambricon") not in found


HOLDS_ITS_OWN = [
    (
        "Zhipu AI says its model holds its own against Google's Gemini 2.",
        competes("company:zhipu-ai", "company:google"),
    ),
    # the product released in the main clause stands for its releaser
    (
        "Moonshot AI rolled out Kimi 2, which it said holds its own against OpenAI's GPT-4o.",
        competes("company:moonshot-ai", "company:openai"),
    ),
]


@pytest.mark.parametrize(("text", "expected"), HOLDS_ITS_OWN, ids=[t for t, _ in HOLDS_ITS_OWN])
def test_holding_its_own_against_a_product_is_rivalry_with_its_maker(
    text: str, expected: tuple[str, str, str]
) -> None:
    assert expected in triples(extract_text(text))


def test_failing_to_hold_its_own_is_no_claim_of_rivalry() -> None:
    found = triples(extract_text("Zhipu AI says its model cannot hold its own against Google's Gemini 2."))
    assert competes("company:zhipu-ai", "company:google") not in found


def test_it_said_its_product_holds_its_own_is_the_releasers_claim() -> None:
    text = (
        "ByteDance pushed out Doubao 2, which it said could hold its own against OpenAI's GPT-4o, "
        "and Alibaba-backed Moonshot AI, the maker of Kimi, billed its model as strong."
    )
    found = triples(extract_text(text), with_hedge=True)
    assert (*competes("company:bytedance", "company:openai"), "True") in found


def test_a_named_speaker_about_anothers_product_is_not_the_rival() -> None:
    found = triples(
        extract_text("Moonshot AI rolled out Kimi 2, which Baidu said holds its own against OpenAI's GPT-4o.")
    )
    assert competes("company:baidu", "company:openai") not in found
