"""Relation patterns, one sentence at a time: what each must read, and what it must leave alone.

Every sentence here was written for these tests. Positives name the relation with its direction;
negatives pin the traps: wrong direction, negation, speculation, outlets, buyers that are not
backers, a place that is not an investee.
"""

from __future__ import annotations

import pytest

from graph.schema import RelType, canonical_pair
from tests.loaders.pipeline_cache import extract_text, triples


def rel(source: str, kind: str, target: str) -> tuple[str, str, str]:
    a, b = canonical_pair(source, RelType(kind), target)
    return (a, kind, b)


POSITIVES = [
    # BACKS: compound modifiers, passive, active, stakes, backer nouns, funding rounds
    (
        "Tencent-backed Zhipu AI unveiled a coding model.",
        [rel("company:tencent", "BACKS", "company:zhipu-ai")],
    ),
    (
        "Alibaba- and Tencent-backed Moonshot AI cut its prices.",
        [
            rel("company:alibaba", "BACKS", "company:moonshot-ai"),
            rel("company:tencent", "BACKS", "company:moonshot-ai"),
        ],
    ),
    (
        "Moonshot AI, which is backed by Alibaba and Tencent, hired a new chief scientist.",
        [
            rel("company:alibaba", "BACKS", "company:moonshot-ai"),
            rel("company:tencent", "BACKS", "company:moonshot-ai"),
        ],
    ),
    (
        "Microsoft has poured billions of dollars into OpenAI.",
        [rel("company:microsoft", "BACKS", "company:openai")],
    ),
    (
        "Amazon invested another $2.75 billion in Anthropic last week.",
        [rel("company:amazon", "BACKS", "company:anthropic")],
    ),
    ("Google holds a stake in Anthropic.", [rel("company:google", "BACKS", "company:anthropic")]),
    (
        "Google expanded in India, while Microsoft backed Mistral AI.",
        [rel("company:microsoft", "BACKS", "company:mistral-ai")],
    ),
    (
        "Investors in OpenAI include Microsoft and Thrive Capital.",
        [
            rel("company:microsoft", "BACKS", "company:openai"),
            rel("company:thrive-capital", "BACKS", "company:openai"),
        ],
    ),
    ("OpenAI investor Microsoft did not comment.", [rel("company:microsoft", "BACKS", "company:openai")]),
    (
        "MiniMax, whose investors include Alibaba and Tencent, launched a video model.",
        [
            rel("company:alibaba", "BACKS", "company:minimax"),
            rel("company:tencent", "BACKS", "company:minimax"),
        ],
    ),
    (
        "Mistral AI raised 600 million euros in a funding round led by Nvidia.",
        [rel("company:nvidia", "BACKS", "company:mistral-ai")],
    ),
    # RESTRICTS: verbs, nominalisations, passives, agencies, headlines
    (
        "Washington banned chip exports to hostile states like Iran and North Korea.",
        [
            rel("government:usa", "RESTRICTS", "government:irn"),
            rel("government:usa", "RESTRICTS", "government:prk"),
        ],
    ),
    (
        "OpenAI Blocks Chinese Developers From Its Services",
        [rel("company:openai", "RESTRICTS", "government:chn")],
    ),
    (
        "The Commerce Department imposed new restrictions on the sale of AI chips to China.",
        [rel("government:usa-commerce", "RESTRICTS", "government:chn")],
    ),
    ("Washington blacklisted Huawei in 2019.", [rel("government:usa", "RESTRICTS", "company:huawei")]),
    ("Huawei was hit by American sanctions.", [rel("government:usa", "RESTRICTS", "company:huawei")]),
    (
        "The Dutch government curbed ASML's shipments of lithography tools to China.",
        [
            rel("government:nld", "RESTRICTS", "company:asml"),
            rel("government:nld", "RESTRICTS", "government:chn"),
        ],
    ),
    (
        "Beijing answered with a ban on exports of gallium to the United States.",
        [rel("government:chn", "RESTRICTS", "government:usa")],
    ),
    (
        "The Commerce Department added SMIC to the Entity List.",
        [rel("government:usa-commerce", "RESTRICTS", "company:smic")],
    ),
    (
        "The Biden administration unveiled new rules restricting the export of AI chips to China.",
        [rel("government:usa", "RESTRICTS", "government:chn")],
    ),
    (
        "The move follows U.S. efforts to curb China's access to advanced chips.",
        [rel("government:usa", "RESTRICTS", "government:chn")],
    ),
    (
        "Beijing retaliated against US chip curbs by banning Micron products.",
        [rel("government:chn", "RESTRICTS", "company:micron")],
    ),
    (
        "The Commerce Department said American suppliers will need a licence to sell to SMIC.",
        [rel("government:usa-commerce", "RESTRICTS", "company:smic")],
    ),
    # a revoked licence restricts where the sales went and the licensee whose sales stop
    (
        "The Commerce Department revoked the licences that let Intel keep selling chips to Huawei.",
        [
            rel("government:usa-commerce", "RESTRICTS", "company:huawei"),
            rel("government:usa-commerce", "RESTRICTS", "company:intel"),
        ],
    ),
    # COMPETES_WITH: verbs, rival nouns, alternatives, courting users
    (
        "Baidu competes with Alibaba in cloud computing.",
        [rel("company:baidu", "COMPETES_WITH", "company:alibaba")],
    ),
    (
        "DeepSeek has become a serious rival to OpenAI.",
        [rel("company:deepseek", "COMPETES_WITH", "company:openai")],
    ),
    (
        "OpenAI rival Anthropic released a new model.",
        [rel("company:anthropic", "COMPETES_WITH", "company:openai")],
    ),
    (
        "SenseTime pitches its models as an alternative to OpenAI's.",
        [rel("company:sensetime", "COMPETES_WITH", "company:openai")],
    ),
    (
        "Baidu is offering free credits to lure OpenAI's customers.",
        [rel("company:baidu", "COMPETES_WITH", "company:openai")],
    ),
    (
        "Nvidia listed Huawei among its competitors.",
        [rel("company:nvidia", "COMPETES_WITH", "company:huawei")],
    ),
    (
        "SenseTime offered free migration to developers switching from OpenAI.",
        [rel("company:sensetime", "COMPETES_WITH", "company:openai")],
    ),
    (
        "Baichuan launched a programme to help developers move away from OpenAI.",
        [rel("company:baichuan", "COMPETES_WITH", "company:openai")],
    ),
    (
        "Alibaba Cloud said it would give free tokens to OpenAI's users.",
        [rel("company:alibaba-cloud", "COMPETES_WITH", "company:openai")],
    ),
    # PARTNERS_WITH, AFFILIATED_WITH, BASED_IN
    (
        "Microsoft signed a partnership with Mistral AI.",
        [rel("company:microsoft", "PARTNERS_WITH", "company:mistral-ai")],
    ),
    (
        "Sam Altman, chief executive of OpenAI, spoke on Monday.",
        [rel("person:sam-altman", "AFFILIATED_WITH", "company:openai")],
    ),
    (
        "Nvidia CEO Jensen Huang visited Taipei.",
        [rel("person:jensen-huang", "AFFILIATED_WITH", "company:nvidia")],
    ),
    ("Hangzhou-based DeepSeek released a model.", [rel("company:deepseek", "BASED_IN", "government:chn")]),
    ("Elon Musk's xAI raised $6 billion.", [rel("person:elon-musk", "AFFILIATED_WITH", "company:xai")]),
    (
        "Huawei, founded by Ren Zhengfei, grew fast.",
        [rel("person:ren-zhengfei", "AFFILIATED_WITH", "company:huawei")],
    ),
    (
        "Google and Anthropic announced a partnership.",
        [rel("company:google", "PARTNERS_WITH", "company:anthropic")],
    ),
    (
        "Chinese companies such as Baidu and SenseTime cut prices.",
        [
            rel("company:baidu", "BASED_IN", "government:chn"),
            rel("company:sensetime", "BASED_IN", "government:chn"),
        ],
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), POSITIVES, ids=[s for s, _ in POSITIVES])
def test_pattern_reads_relation_with_direction(sentence: str, expected: list[tuple[str, str, str]]) -> None:
    found = triples(extract_text(sentence))
    for item in expected:
        assert item in found, f"missing {item} in {sorted(found)}"


NEGATIVES = [
    # wrong direction: the backed never backs the backer
    ("Tencent-backed Zhipu AI unveiled a coding model.", rel("company:zhipu-ai", "BACKS", "company:tencent")),
    (
        "Moonshot AI, which is backed by Alibaba, grew fast.",
        rel("company:moonshot-ai", "BACKS", "company:alibaba"),
    ),
    # negation
    ("Nvidia did not invest in Mistral AI.", rel("company:nvidia", "BACKS", "company:mistral-ai")),
    (
        "Japan has not banned exports of chip tools to China.",
        rel("government:jpn", "RESTRICTS", "government:chn"),
    ),
    ("OpenAI never blocked users in Japan.", rel("company:openai", "RESTRICTS", "government:jpn")),
    # a list item is not a co-backer ("including A and B-backed C")
    (
        "Startups including Baidu and Tencent-backed Zhipu AI cut prices.",
        rel("company:baidu", "BACKS", "company:zhipu-ai"),
    ),
    # investing in a country is not backing a state
    (
        "SoftBank plans to invest $100 billion in the United States.",
        rel("company:softbank", "BACKS", "government:usa"),
    ),
    # the restricted seller does not restrict
    (
        "Washington barred Nvidia from selling advanced chips to China.",
        rel("company:nvidia", "RESTRICTS", "government:chn"),
    ),
    (
        "Nvidia said it did not need a licence to sell the chips to Alibaba.",
        rel("company:nvidia", "RESTRICTS", "company:alibaba"),
    ),
    # the rules goods are subject to are not where the goods go
    (
        "The Commerce Department said suppliers need a licence to ship any item subject to "
        "Japanese export rules to Huawei.",
        rel("government:usa-commerce", "RESTRICTS", "government:jpn"),
    ),
    # buying chips is not backing the seller
    ("Alibaba and Tencent bought Nvidia chips.", rel("company:alibaba", "BACKS", "company:nvidia")),
    ("Microsoft declined to invest in Mistral AI.", rel("company:microsoft", "BACKS", "company:mistral-ai")),
    ("SoftBank denied plans to fund OpenAI.", rel("company:softbank", "BACKS", "company:openai")),
    # demonyms do not compete: "U.S. leaders" names no actor
    (
        "Baidu wants models that can compete with U.S. leaders.",
        rel("company:baidu", "COMPETES_WITH", "government:usa"),
    ),
    # a person voicing an aim is not the restrictor
    (
        "Commerce Secretary Gina Raimondo said the rules aim to deny China advanced chips.",
        rel("person:gina-raimondo", "RESTRICTS", "government:chn"),
    ),
]


@pytest.mark.parametrize(("sentence", "forbidden"), NEGATIVES, ids=[s for s, _ in NEGATIVES])
def test_pattern_leaves_trap_alone(sentence: str, forbidden: tuple[str, str, str]) -> None:
    assert forbidden not in triples(extract_text(sentence))


def test_outlet_cited_as_source_is_neither_entity_nor_party() -> None:
    batch = extract_text("Reuters reported that Alibaba backs Moonshot AI.")
    assert ("company:alibaba", "BACKS", "company:moonshot-ai") in triples(batch)
    assert all("reuters" not in e.id for e in batch.entities)


HEDGED = [
    (
        "Apple could potentially partner with Baidu in China.",
        rel("company:apple", "PARTNERS_WITH", "company:baidu"),
    ),
    (
        "Tencent may invest in Moonshot AI, people familiar with the talks said.",
        rel("company:tencent", "BACKS", "company:moonshot-ai"),
    ),
    (
        "OpenAI is reportedly planning to block API access from China.",
        rel("company:openai", "RESTRICTS", "government:chn"),
    ),
]


@pytest.mark.parametrize(("sentence", "triple"), HEDGED, ids=[s for s, _ in HEDGED])
def test_speculation_is_hedged(sentence: str, triple: tuple[str, str, str]) -> None:
    found = triples(extract_text(sentence), with_hedge=True)
    assert (*triple, "True") in found
    assert (*triple, "False") not in found


def test_rules_under_consideration_are_hedged() -> None:
    found = triples(
        extract_text("Washington is weighing rules that would restrict investment in Chinese AI companies."),
        with_hedge=True,
    )
    assert ("government:usa", "RESTRICTS", "government:chn", "True") in found


def test_stated_fact_is_not_hedged() -> None:
    found = triples(extract_text("Microsoft invested $10 billion in OpenAI."), with_hedge=True)
    assert ("company:microsoft", "BACKS", "company:openai", "False") in found


def test_these_companies_points_back_to_the_list() -> None:
    text = (
        "The ban helps domestic firms such as Baidu and SenseTime. "
        "These companies are offering free tokens to attract OpenAI's former users."
    )
    found = triples(extract_text(text))
    assert rel("company:baidu", "COMPETES_WITH", "company:openai") in found
    assert rel("company:sensetime", "COMPETES_WITH", "company:openai") in found


def test_relative_clause_pronoun_is_its_antecedent() -> None:
    text = "Japan and the Netherlands, which tightened their restrictions on chip tools to China, met in May."
    found = triples(extract_text(text))
    assert rel("government:jpn", "RESTRICTS", "government:chn") in found
    assert rel("government:nld", "RESTRICTS", "government:chn") in found


def test_policy_node_enacted_and_targeting_with_date() -> None:
    batch = extract_text(
        "The Commerce Department imposed restrictions on exports of AI chips to China "
        "starting October 17, 2023."
    )
    policies = [e for e in batch.entities if e.type.value == "Policy"]
    assert len(policies) == 1
    pid = policies[0].id
    keys = {(r.source, r.type.value, r.target) for r in batch.relations}
    assert ("government:usa-commerce", "ENACTS", pid) in keys
    assert (pid, "TARGETS", "government:chn") in keys
    enacts = next(r for r in batch.relations if r.type is RelType.ENACTS)
    assert str(enacts.since) == "2023-10-17"


@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        (
            "DeepSeek released a new model on Monday. Nvidia shares fell. "
            "The Hangzhou startup is funded by the hedge fund High-Flyer.",
            ("company:high-flyer", "BACKS", "company:deepseek"),
            ("company:high-flyer", "BACKS", "company:nvidia"),
        ),
        (
            "Nvidia said it would comply with the rules. Huawei has built its own chips. "
            "The Shenzhen-based group also opened a lab in Munich.",
            ("company:huawei", "BASED_IN", "government:chn"),
            ("company:nvidia", "BASED_IN", "government:chn"),
        ),
    ],
)
def test_a_place_on_a_description_picks_the_firm_from_that_place(
    text: str, expected: tuple[str, str, str], absent: tuple[str, str, str]
) -> None:
    found = triples(extract_text(text))
    assert expected in found and absent not in found


@pytest.mark.parametrize("description", ["the start-up", "the AI developer", "the Chinese start-up"])
def test_a_description_written_in_several_words_finds_the_firm(description: str) -> None:
    text = (
        "Kestrel Robotics makes warehouse arms. Last year "
        f"{description} was added to the Entity List by the Commerce Department."
    )
    found = triples(extract_text(text))
    assert ("government:usa-commerce", "RESTRICTS", "company:kestrel-robotics") in found


def test_no_actor_is_related_to_itself() -> None:
    batch = extract_text(
        "India is courting chipmakers. Indian officials said India-based suppliers and India's "
        "government will back India's first fab, competing with India's neighbours."
    )
    assert all(r.source != r.target for r in batch.relations)
