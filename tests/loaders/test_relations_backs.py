"""BACKS in the ways news writes it: rounds, stakes, owners, units, state money, acquisitions.

Every sentence here was written for these tests. Positives name the backer and the backed;
negatives pin the traps: the place in "China's X" is no owner, suppliers and customers are no
backers, a sold stake or a blocked deal is no current backing, negation; talks and proposals
are hedged.
"""

from __future__ import annotations

import pytest

from tests.loaders.pipeline_cache import extract_text, triples


def backs(source: str, target: str) -> tuple[str, str, str]:
    return (source, "BACKS", target)


POSITIVES = [
    # funding rounds
    (
        "Groq raised $640 million in a Series D round led by funds managed by BlackRock, "
        "with Cisco and Samsung also participating.",
        [
            backs("company:blackrock", "company:groq"),
            backs("company:cisco", "company:groq"),
            backs("company:samsung-electronics", "company:groq"),
        ],
    ),
    (
        "Anthropic, whose Series C was led by Google, released a new model.",
        [backs("company:google", "company:anthropic")],
    ),
    ("Nvidia participated in Mistral AI's funding round.", [backs("company:nvidia", "company:mistral-ai")]),
    ("Samsung took part in Groq's Series D round.", [backs("company:samsung-electronics", "company:groq")]),
    (
        "Zhipu AI counts Tencent among its early backers and took Alibaba money in May.",
        [backs("company:tencent", "company:zhipu-ai"), backs("company:alibaba", "company:zhipu-ai")],
    ),
    ("Moonshot AI took Tencent money last year.", [backs("company:tencent", "company:moonshot-ai")]),
    ("Alibaba injected $800 million into Moonshot AI.", [backs("company:alibaba", "company:moonshot-ai")]),
    (
        "xAI raised $6 billion in a Series C round. "
        "Investors in the round include Andreessen Horowitz and Fidelity.",
        [backs("company:a16z", "company:xai"), backs("company:fidelity", "company:xai")],
    ),
    (
        "xAI raised $6 billion in a Series C round with participation from Sequoia Capital and Fidelity.",
        [backs("company:sequoia", "company:xai"), backs("company:fidelity", "company:xai")],
    ),
    (
        "xAI raised $6 billion. The round saw participation from Nvidia and AMD.",
        [backs("company:nvidia", "company:xai"), backs("company:amd", "company:xai")],
    ),
    (
        "xAI closed its Series C round of $6 billion. Key investors include Nvidia and AMD.",
        [backs("company:nvidia", "company:xai"), backs("company:amd", "company:xai")],
    ),
    (
        "The funding round, which valued xAI at $24 billion, was backed by Sequoia Capital and BlackRock.",
        [backs("company:sequoia", "company:xai"), backs("company:blackrock", "company:xai")],
    ),
    (
        "xAI raised $6 billion on Monday. Sequoia Capital and BlackRock also took part.",
        [backs("company:sequoia", "company:xai"), backs("company:blackrock", "company:xai")],
    ),
    (
        "xAI raised $6 billion on Monday. Nvidia and AMD joined the round as strategic investors.",
        [backs("company:nvidia", "company:xai"), backs("company:amd", "company:xai")],
    ),
    # shareholders, stakes, owners
    (
        "Nexperia, in which Wingtech holds 49%, replaced its chief executive.",
        [backs("company:wingtech", "company:nexperia")],
    ),
    ("Nexperia is owned by China's Wingtech.", [backs("company:wingtech", "company:nexperia")]),
    (
        "Aramco, which is majority-owned by the Saudi state, opened a lab.",
        [backs("government:sau", "company:aramco")],
    ),
    ("Nvidia is one of Groq's largest shareholders.", [backs("company:nvidia", "company:groq")]),
    (
        "Susquehanna, one of ByteDance's biggest investors, declined to comment.",
        [backs("company:susquehanna", "company:bytedance")],
    ),
    (
        "Arm sold 51% of Ampere Computing to a group of investors led by SoftBank.",
        [backs("company:softbank", "company:ampere-computing")],
    ),
    # parents back their units
    ("Huawei and its chip design arm HiSilicon were hit.", [backs("company:huawei", "company:hisilicon")]),
    (
        "Big Fund II put $1.5 billion into SMIC's subsidiary in Shanghai, "
        "Semiconductor Manufacturing South China.",
        [
            backs("company:big-fund-ii", "company:semiconductor-manufacturing-south-china"),
            backs("company:big-fund-ii", "company:smic"),
            backs("company:smic", "company:semiconductor-manufacturing-south-china"),
        ],
    ),
    # "-backed" in an apposition
    (
        "MiniMax, the Alibaba-backed Shanghai start-up, launched a model.",
        [backs("company:alibaba", "company:minimax")],
    ),
    ("MiniMax, an Alibaba-backed start-up, launched a model.", [backs("company:alibaba", "company:minimax")]),
    # state money
    (
        "Intel will build a $20 billion plant in Ohio with support from the US federal government.",
        [backs("government:usa", "company:intel")],
    ),
    (
        "The Indian government will subsidise half the cost of Micron's plant.",
        [backs("government:ind", "company:micron")],
    ),
    ("Saudi Arabia pledged $1.5 billion to Groq.", [backs("government:sau", "company:groq")]),
    (
        "TSMC received a $6.6 billion grant from the Commerce Department.",
        [backs("government:usa-commerce", "company:tsmc")],
    ),
    (
        "The Indian government will subsidise half of the project cost for the Tata Electronics fab.",
        [backs("government:ind", "company:tata-electronics")],
    ),
    (
        "ByteDance received $5 billion in funding from SoftBank.",
        [backs("company:softbank", "company:bytedance")],
    ),
    # founders who put up the money
    (
        "Project Liberty was set up by Frank McCourt, Jeff Yass and Kevin O'Leary, who put up $20 million.",
        [
            backs("person:frank-mccourt", "company:project-liberty"),
            backs("person:jeff-yass", "company:project-liberty"),
        ],
    ),
    # "-backed" after a bracketed ticker, and a descriptor with a passive
    ("Alibaba (9988.HK)-backed Moonshot AI cut prices.", [backs("company:alibaba", "company:moonshot-ai")]),
    (
        "Moonshot AI, a start-up backed by Alibaba, cut prices.",
        [backs("company:alibaba", "company:moonshot-ai")],
    ),
    (
        "DeepSeek, the Hangzhou start-up bankrolled by the quant fund High-Flyer, cut prices.",
        [backs("company:high-flyer", "company:deepseek")],
    ),
    # more round and holder wordings
    (
        "Zhipu AI counts Tencent, known for its WeChat app, among its early shareholders.",
        [backs("company:tencent", "company:zhipu-ai")],
    ),
    (
        "Zhipu AI, which counts Tencent as an investor, cut prices.",
        [backs("company:tencent", "company:zhipu-ai")],
    ),
    (
        "TikTok's parent company ByteDance said it would appeal.",
        [backs("company:bytedance", "company:tiktok")],
    ),
    (
        "Alibaba led a $1 billion funding round in Moonshot AI.",
        [backs("company:alibaba", "company:moonshot-ai")],
    ),
    (
        "Moonshot AI raised $1 billion last month. The round was led by Alibaba.",
        [backs("company:alibaba", "company:moonshot-ai")],
    ),
    ("Backed by Alibaba, Moonshot AI raised $1 billion.", [backs("company:alibaba", "company:moonshot-ai")]),
    (
        "SoftBank invested $1 billion in Moonshot AI alongside Tencent.",
        [backs("company:softbank", "company:moonshot-ai"), backs("company:tencent", "company:moonshot-ai")],
    ),
    ("Moonshot AI is Alibaba-backed.", [backs("company:alibaba", "company:moonshot-ai")]),
    (
        "The US provided $52 billion to chipmakers including Intel and Micron.",
        [backs("government:usa", "company:intel"), backs("government:usa", "company:micron")],
    ),
    (
        "The US will subsidise chip plants built by TSMC and Intel.",
        [backs("government:usa", "company:tsmc"), backs("government:usa", "company:intel")],
    ),
    (
        "Moonshot AI, in which Alibaba has invested $800 million, cut prices.",
        [backs("company:alibaba", "company:moonshot-ai")],
    ),
    (
        "Moonshot AI raised $1 billion in an Alibaba-led round.",
        [backs("company:alibaba", "company:moonshot-ai")],
    ),
    # acquisitions
    ("Arm, which SoftBank bought in 2016, plans a listing.", [backs("company:softbank", "company:arm")]),
    (
        "Arm, which was bought by SoftBank in 2016, plans a listing.",
        [backs("company:softbank", "company:arm")],
    ),
    (
        "SoftBank completed its acquisition of Ampere Computing in November.",
        [backs("company:softbank", "company:ampere-computing")],
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), POSITIVES, ids=[s for s, _ in POSITIVES])
def test_backing_is_read_with_direction(sentence: str, expected: list[tuple[str, str, str]]) -> None:
    found = triples(extract_text(sentence))
    for item in expected:
        assert item in found, f"missing {item} in {sorted(found)}"
        assert (item[2], "BACKS", item[0]) not in found, "direction reversed"


NEGATIVES = [
    # the country in "China's Wingtech" only places the owner
    ("Nexperia is owned by China's Wingtech.", backs("government:chn", "company:nexperia")),
    # suppliers, customers and sellers of goods are not backers
    ("Qualcomm supplies chips to Huawei.", backs("company:qualcomm", "company:huawei")),
    ("Nvidia sold H20 chips to Alibaba.", backs("company:alibaba", "company:nvidia")),
    (
        "Microsoft paid $10 million to OpenAI for access to its models.",
        backs("company:microsoft", "company:openai"),
    ),
    (
        "The Chinese government will subsidise purchases of Nvidia chips.",
        backs("government:chn", "company:nvidia"),
    ),
    # help from a firm is not money
    ("Intel built the plant with technical support from Google.", backs("company:google", "company:intel")),
    # a holding that was sold, a deal that failed
    ("SoftBank sold its stake in Nvidia in 2019.", backs("company:softbank", "company:nvidia")),
    ("Regulators blocked Nvidia's acquisition of Arm.", backs("company:nvidia", "company:arm")),
    ("Nvidia's failed acquisition of Arm cost it $1.25 billion.", backs("company:nvidia", "company:arm")),
    # founding without money, a ticker that backs nothing
    ("Groq was founded in 2016 by Jonathan Ross.", backs("person:jonathan-ross", "company:groq")),
    (
        "Project Liberty was set up by Frank McCourt, who later left its board.",
        backs("person:frank-mccourt", "company:project-liberty"),
    ),
    ("Alibaba (9988.HK) said Moonshot AI cut prices.", backs("company:alibaba", "company:moonshot-ai")),
    # money for goods, goods made by a firm, a deal that names no firm
    ("Nvidia received Alibaba money for its chips.", backs("company:alibaba", "company:nvidia")),
    ("China subsidises exports of Huawei phones.", backs("government:chn", "company:huawei")),
    ("Huawei sold Honor phones to retailers.", backs("company:huawei", "company:honor")),
    ("Apple's purchase of Nvidia chips rose.", backs("company:apple", "company:nvidia")),
    ("Nvidia chips acquired by Huawei were found in the servers.", backs("company:huawei", "company:nvidia")),
    ("Alibaba's cloud unit sells servers to Zhipu AI.", backs("company:alibaba", "company:zhipu-ai")),
    # the relative pronoun is the buyer here, and the goods are no firm
    ("Arm, which bought Nvidia chips, plans a listing.", backs("company:arm", "company:nvidia")),
    ("SoftBank, which bought Arm in 2016, plans a listing.", backs("company:arm", "company:softbank")),
    # participants and investors that are not in a round
    (
        "xAI raised $6 billion. Participants at the conference included officials from Nvidia.",
        backs("company:nvidia", "company:xai"),
    ),
    (
        "Nvidia held a summit in May. Sequoia Capital and BlackRock also took part.",
        backs("company:sequoia", "company:nvidia"),
    ),
    # a customer is no investor; a round nobody raised has no raiser; goods bought are no firm
    ("Zhipu AI counts Tencent as a customer.", backs("company:tencent", "company:zhipu-ai")),
    (
        "Moonshot AI released a model. The round was led by Alibaba.",
        backs("company:alibaba", "company:moonshot-ai"),
    ),
    ("The Nvidia chips were bought by Alibaba.", backs("company:alibaba", "company:nvidia")),
    # a unit's town is followed by another firm, not the unit's name
    (
        "Huawei opened a subsidiary in Munich, where Siemens has its headquarters.",
        backs("company:huawei", "company:siemens"),
    ),
    # backing put in the past
    ("Nvidia is no longer an investor in Mistral AI.", backs("company:nvidia", "company:mistral-ai")),
    ("SoftBank no longer owns a stake in Nvidia.", backs("company:softbank", "company:nvidia")),
    ("Arm, formerly owned by SoftBank, listed its shares.", backs("company:softbank", "company:arm")),
    ("Huawei's former unit Honor launched a phone.", backs("company:huawei", "company:honor")),
    (
        "Tencent, a former investor in Moonshot AI, declined to comment.",
        backs("company:tencent", "company:moonshot-ai"),
    ),
    ("Tencent exited its investment in Moonshot AI.", backs("company:tencent", "company:moonshot-ai")),
    # negation
    ("Tencent did not take part in Moonshot AI's round.", backs("company:tencent", "company:moonshot-ai")),
    ("Saudi Arabia did not pledge money to Groq.", backs("government:sau", "company:groq")),
]


@pytest.mark.parametrize(("sentence", "forbidden"), NEGATIVES, ids=[s for s, _ in NEGATIVES])
def test_backing_trap_is_left_alone(sentence: str, forbidden: tuple[str, str, str]) -> None:
    assert forbidden not in triples(extract_text(sentence))


HEDGED = [
    ("Tencent is in talks to invest in Moonshot AI.", backs("company:tencent", "company:moonshot-ai")),
    ("Saudi Arabia may pledge $1.5 billion to Groq.", backs("government:sau", "company:groq")),
    (
        "Alibaba's proposed acquisition of Moonshot AI drew scrutiny.",
        backs("company:alibaba", "company:moonshot-ai"),
    ),
]


@pytest.mark.parametrize(("sentence", "triple"), HEDGED, ids=[s for s, _ in HEDGED])
def test_backing_not_yet_done_is_hedged(sentence: str, triple: tuple[str, str, str]) -> None:
    found = triples(extract_text(sentence), with_hedge=True)
    assert (*triple, "True") in found
    assert (*triple, "False") not in found


def test_fund_named_after_its_manager_is_the_manager() -> None:
    found = triples(
        extract_text(
            "Groq raised $640 million in a round led by funds managed by BlackRock Private Equity Partners."
        )
    )
    assert backs("company:blackrock", "company:groq") in found


def test_holders_without_a_named_holding_hold_the_firm_the_text_is_about() -> None:
    text = (
        "Ampere Computing designs server chips. Ampere Computing sells them to cloud providers. "
        "Carlyle is the majority owner, while Oracle holds close to a third of the company."
    )
    found = triples(extract_text(text))
    assert backs("company:carlyle", "company:ampere-computing") in found
    assert backs("company:oracle", "company:ampere-computing") in found


def test_stake_without_a_holding_goes_to_the_salient_firm() -> None:
    text = (
        "ByteDance released a new video app. ByteDance said the app would launch in May. "
        "General Atlantic is another big holder, and KKR also has a stake."
    )
    found = triples(extract_text(text))
    assert backs("company:general-atlantic", "company:bytedance") in found
    assert backs("company:kkr", "company:bytedance") in found


def test_holder_of_something_named_is_no_backer_of_the_salient_firm() -> None:
    text = (
        "ByteDance released a new video app. ByteDance said the app would launch in May. "
        "Qualcomm is the largest holder of wireless patents, and Nvidia is the biggest investor in AI."
    )
    found = triples(extract_text(text))
    assert backs("company:qualcomm", "company:bytedance") not in found
    assert backs("company:nvidia", "company:bytedance") not in found


def test_holders_do_not_hold_the_buyer_or_each_other() -> None:
    text = (
        "SoftBank agreed to buy Ampere Computing. The deal values the chip designer at $6.5 billion, "
        "according to Carlyle. "
        "Carlyle is the majority owner, while Oracle holds close to a third of the company."
    )
    found = triples(extract_text(text))
    assert backs("company:softbank", "company:ampere-computing") in found
    for holder in ("company:carlyle", "company:oracle"):
        assert backs(holder, "company:softbank") not in found
    assert backs("company:oracle", "company:carlyle") not in found


def test_a_list_of_holders_goes_on_across_sentences() -> None:
    text = (
        "TikTok faces a ban in America. TikTok says it will fight the law in court. "
        "ByteDance says global funds own most of the company. "
        "Among its biggest outside shareholders is Susquehanna International Group, which has about 15%. "
        "General Atlantic is another large holder, and KKR also owns a stake."
    )
    found = triples(extract_text(text))
    for holder in ("company:susquehanna-international", "company:general-atlantic", "company:kkr"):
        assert backs(holder, "company:bytedance") in found
    assert backs("company:general-atlantic", "company:susquehanna-international") not in found
    assert backs("company:kkr", "company:tiktok") not in found


ROUND_WORDINGS = [
    # an absolute "with X and Y taking part" clause on the verb that closed the round
    (
        "Mistral AI completed a €600 million funding round on Tuesday, with Samsung Electronics Co. "
        "(KRX:005930) and Cisco Systems Inc. (NASDAQ:CSCO) taking part as strategic backers, "
        "the company said.",
        [
            backs("company:samsung-electronics", "company:mistral-ai"),
            backs("company:cisco", "company:mistral-ai"),
        ],
    ),
    # "backed by a group of investors, including ...": a collective noun hands over to its members,
    # ticker brackets and unregistered name tails do not end the list
    (
        "Zhipu AI raised $400 million last month. The round was backed by a group of investors, including "
        "Tencent Holdings Ltd. (HKG:0700), Fidelity Management Group, Sequoia Capital and Lightspeed.",
        [
            backs("company:tencent", "company:zhipu-ai"),
            backs("company:fidelity", "company:zhipu-ai"),
            backs("company:sequoia", "company:zhipu-ai"),
            backs("company:lightspeed", "company:zhipu-ai"),
        ],
    ),
    # "A, B (TICK), C and D all participated": the raiser is found past a sentence naming no one
    (
        "Moonshot AI closed a $1 billion round in February. Investors were pleased. Tencent, Alibaba Group "
        "Holding (NYSE:BABA), Sequoia Capital and Lightspeed all participated.",
        [
            backs("company:tencent", "company:moonshot-ai"),
            backs("company:alibaba", "company:moonshot-ai"),
            backs("company:lightspeed", "company:moonshot-ai"),
        ],
    ),
    # money put into a firm's lettered round goes to the firm
    (
        "Tencent had put $300 million into Zhipu AI's Series B last year.",
        [backs("company:tencent", "company:zhipu-ai")],
    ),
    # the tokenizer glues a legal suffix to "-backed"; a ticker stands before the backed firm
    (
        "Mistral AI is racing Google Inc.-backed (NASDAQ:GOOGL) Anthropic.",
        [backs("company:google", "company:anthropic")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), ROUND_WORDINGS, ids=[t for t, _ in ROUND_WORDINGS])
def test_round_wordings_reach_the_raiser(text: str, expected: list[tuple[str, str, str]]) -> None:
    found = triples(extract_text(text))
    for triple in expected:
        assert triple in found


def test_names_the_parser_hangs_on_the_round_are_not_backed() -> None:
    found = triples(
        extract_text(
            "Zhipu AI raised $400 million last month. The round was backed by a group of investors, "
            "including Tencent Holdings Ltd. (HKG:0700), Sequoia Capital and Lightspeed."
        )
    )
    assert backs("company:tencent", "company:sequoia") not in found
    assert backs("company:tencent", "company:lightspeed") not in found


def test_participants_after_another_firm_took_the_floor_get_no_raiser() -> None:
    found = triples(
        extract_text(
            "Moonshot AI closed a $1 billion round in February. Baidu launched a new chatbot. "
            "Tencent and Sequoia Capital also took part."
        )
    )
    assert backs("company:tencent", "company:moonshot-ai") not in found
    assert backs("company:tencent", "company:baidu") not in found


def test_money_denied_into_a_round_backs_no_one() -> None:
    found = triples(
        extract_text("Mistral AI said Cisco Systems had not put any money into its Series B round.")
    )
    assert backs("company:cisco", "company:mistral-ai") not in found


def test_the_round_carries_its_raiser_over_several_sentences() -> None:
    found = triples(
        extract_text(
            "Moonshot AI closed a $1 billion round in February. The round was backed by several funds. "
            "Investors were pleased. Analysts were too. "
            "Tencent, Alibaba Group Holding (NYSE:BABA) and Lightspeed all participated."
        )
    )
    for backer in ("company:tencent", "company:alibaba", "company:lightspeed"):
        assert backs(backer, "company:moonshot-ai") in found


def test_money_in_a_currency_word_committed_to_a_firms_plants_backs_the_firm() -> None:
    found = triples(
        extract_text("Japan wants chips. It has also committed about 900 billion yen to two TSMC plants.")
    )
    assert backs("government:jpn", "company:tsmc") in found


def test_money_committed_to_buying_a_firms_products_backs_no_one() -> None:
    found = triples(
        extract_text("Japan wants chips. It has committed 900 billion yen to buying Nvidia chips.")
    )
    assert backs("government:jpn", "company:nvidia") not in found


def test_a_number_of_plants_without_money_backs_no_one() -> None:
    found = triples(extract_text("Japan has committed two officials to the TSMC plants in Kumamoto."))
    assert backs("government:jpn", "company:tsmc") not in found


SUBSIDIES_FOR = [
    (
        "The Ministry of Economy, Trade and Industry has granted about 300 billion yen in subsidies "
        "for Kioxia.",
        backs("government:jpn-meti", "company:kioxia"),
    ),
    # "for the <place> project" is the project of the firm the text is about
    (
        "Rapidus is building a fab in Hokkaido. Rapidus hopes to make 2nm chips by 2027. "
        "The Ministry of Economy, Trade and Industry has approved about 900 billion yen in subsidies "
        "for the Hokkaido project.",
        backs("government:jpn-meti", "company:rapidus"),
    ),
]


@pytest.mark.parametrize(("text", "expected"), SUBSIDIES_FOR, ids=[t for t, _ in SUBSIDIES_FOR])
def test_state_subsidies_for_a_firm_or_its_project(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in triples(extract_text(text))


def test_a_firms_support_for_a_project_is_no_subsidy() -> None:
    found = triples(
        extract_text(
            "Rapidus is building a fab in Hokkaido. Rapidus hopes to make 2nm chips by 2027. "
            "IBM will provide technical support for the project."
        )
    )
    assert backs("company:ibm", "company:rapidus") not in found


def test_subsidies_the_ministry_refused_back_no_one() -> None:
    found = triples(
        extract_text("The Ministry of Economy, Trade and Industry did not approve subsidies for Kioxia.")
    )
    assert backs("government:jpn-meti", "company:kioxia") not in found


@pytest.mark.parametrize(
    "text",
    [
        "SoftBank sold part of its stake in Arm last year.",
        "In 2022 the UK government ordered Nexperia to sell most of its stake in Arm, a chip designer.",
    ],
)
def test_selling_a_share_of_a_holding_is_no_backing(text: str) -> None:
    found = triples(extract_text(text))
    assert not any(r[1] == "BACKS" and r[2] == "company:arm" for r in found)


def test_holding_most_of_a_stake_is_still_backing() -> None:
    found = triples(extract_text("SoftBank holds most of its stake in Arm through a fund."))
    assert backs("company:softbank", "company:arm") in found
