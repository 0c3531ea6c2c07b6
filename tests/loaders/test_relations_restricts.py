"""RESTRICTS and the Policy nodes behind it: the ordinary ways news writes about a measure.

Every sentence here was written for these tests. Positives name who restricts whom; negatives pin
the traps (negation, a hedge with no policy, the origin of goods taken for a target, conditionals).
"lifted a ban on X" is read as X having been restricted: the ban existed and its lifting is the
event reported, so the relation stands, not hedged.
"""

from __future__ import annotations

import pytest

from graph.model import GraphBatch
from graph.schema import NodeType, RelType, canonical_pair
from tests.loaders.pipeline_cache import extract_text, triples


def rel(source: str, target: str) -> tuple[str, str, str]:
    a, b = canonical_pair(source, RelType.RESTRICTS, target)
    return (a, "RESTRICTS", b)


def policies(batch: GraphBatch) -> dict[str, tuple[set[str], set[str]]]:
    """Each Policy's name with (its enactors, its targets)."""
    names = {e.id: e.name for e in batch.entities if e.type is NodeType.POLICY}
    out: dict[str, tuple[set[str], set[str]]] = {name: (set(), set()) for name in names.values()}
    for r in batch.relations:
        if r.type is RelType.ENACTS and r.target in names:
            out[names[r.target]][0].add(r.source)
        elif r.type is RelType.TARGETS and r.source in names:
            out[names[r.source]][1].add(r.target)
    return out


POSITIVES = [
    # a ban as a noun, lifted: the ban existed
    (
        "The Commerce Department on Monday lifted a ban on sales of American components to Huawei.",
        [rel("government:usa-commerce", "company:huawei")],
    ),
    # the restricted party as subject, the measure's owner under "under"
    (
        "Chinese labs have been barred from buying Nvidia's fastest GPUs since 2023 "
        "under US export controls.",
        [rel("government:usa", "government:chn"), rel("government:usa", "company:nvidia")],
    ),
    # an order to stop selling goods: the goods' makers are restricted
    (
        "The Pentagon ordered base stores to stop selling phones made by Xiaomi and Huawei.",
        [rel("government:usa-dod", "company:xiaomi"), rel("government:usa-dod", "company:huawei")],
    ),
    # a divestment order restricts the one ordered
    (
        "The Treasury Department ordered ByteDance to sell its stake in the venture.",
        [rel("government:usa-treasury", "company:bytedance")],
    ),
    # Entity List additions with "along with ... including A and B"
    (
        "The Commerce Department added SMIC to the Entity List, along with several other Chinese firms "
        "including DJI.",
        [rel("government:usa-commerce", "company:smic"), rel("government:usa-commerce", "company:dji")],
    ),
    # a list named by its members: "its list of companies"
    (
        "The Defense Department named Xiaomi on its list of companies tied to the Chinese military.",
        [rel("government:usa-dod", "company:xiaomi")],
    ),
    # a state requiring licences, the target in a "X among them" apposition
    (
        "Since 2024 Japan has required licences for shipments of chip tools to several countries, "
        "China among them.",
        [rel("government:jpn", "government:chn")],
    ),
    # goods designed by a firm need a licence: the designer is cut off
    (
        "Chips designed by Huawei will now need a US licence before any foundry can ship them.",
        [rel("government:usa", "company:huawei")],
    ),
    # an agency directed to set up a programme that prohibits investments in a country's firms
    (
        "The order directs the Treasury Department to set up a program that will prohibit investments "
        "by American funds in Chinese chip companies.",
        [rel("government:usa-treasury", "government:chn")],
    ),
    # "pressing ahead with tariffs": the pronoun's leader's state
    (
        "President Donald Trump spoke on Monday. His administration was pressing ahead with tariffs on "
        "$200 billion of Chinese goods.",
        [rel("government:usa", "government:chn")],
    ),
    # a measure noun as subject with no owner: the government the text is about
    (
        "The Commerce Department issued a rule on Tuesday. The rule bars SMIC from buying American "
        "lithography tools.",
        [rel("government:usa-commerce", "company:smic")],
    ),
    (
        "The Commerce Department published a new export rule on Monday. The change effectively denies "
        "Huawei access to advanced foundries.",
        [rel("government:usa-commerce", "company:huawei")],
    ),
    # "The order" is the one the previous sentence's agency activated
    (
        "In April the Bureau of Industry and Security activated a denial order against Huawei. The order "
        "cut Huawei off from American chips.",
        [rel("government:usa-bis", "company:huawei")],
    ),
    # a designation as a country of concern, by an order a leader signed
    (
        "President Joe Biden signed an executive order on Friday. The order names China, along with "
        "Macau, as a country of concern.",
        [rel("government:usa", "government:chn"), rel("government:usa", "government:mac")],
    ),
    # a deadline to divest, in a law a leader signed
    (
        "President Joe Biden signed a law that gives Tencent six months to sell its stake in Epic Games "
        "or see it banned.",
        [rel("government:usa", "company:tencent")],
    ),
    # a deadline to sell binds the one given it, whatever the apposition on it
    (
        "President Joe Biden signed a bill that gives PDD, Temu's owner, a year to sell the "
        "shopping app's US arm or see it barred from American stores.",
        [rel("government:usa", "company:pdd")],
    ),
    # "the change" is the rule named before, with its announcing agency
    (
        "The rule announced on Monday by the Commerce Department extends earlier curbs. In practice, "
        "the change cuts SMIC off from American lithography tools.",
        [rel("government:usa-commerce", "company:smic")],
    ),
    # a national licence under an agency's rule: the agency requires it too
    (
        "The rule announced on Monday by the Commerce Department extends earlier curbs. Any foundry "
        "making chips designed by Huawei will need a US licence before it can ship them.",
        [rel("government:usa-commerce", "company:huawei"), rel("government:usa", "company:huawei")],
    ),
    # an approval requirement on inflows from a country
    (
        "India tightened its rules last year. Since then, investments from China have needed "
        "government approval.",
        [rel("government:ind", "government:chn")],
    ),
    (
        "Since 2021, investments from Laos, in practice China, have required Vietnamese government approval.",
        [rel("government:vnm", "government:chn")],
    ),
    # a refused permission for goods to move
    (
        "Japan said it would not allow Japanese ports to be used as a route for shipping chips to "
        "sanctioned countries such as Russia.",
        [rel("government:jpn", "government:rus")],
    ),
    (
        "Singapore will not permit its ports to be used for moving chips to Iran.",
        [rel("government:sgp", "government:irn")],
    ),
    # the restricted party named by the verb around the measure
    ("Japan placed Huawei under export controls last year.", [rel("government:jpn", "company:huawei")]),
    ("Huawei faces US restrictions on its chip purchases.", [rel("government:usa", "company:huawei")]),
    ("Huawei is subject to American export controls.", [rel("government:usa", "company:huawei")]),
    # plain controls on named parties, rules on exports, a crackdown
    ("Washington imposed new controls on Chinese chipmakers.", [rel("government:usa", "government:chn")]),
    (
        "The Commerce Department tightened rules on chip exports to China.",
        [rel("government:usa-commerce", "government:chn")],
    ),
    ("Beijing launched a crackdown on Micron last year.", [rel("government:chn", "company:micron")]),
    # a licence requirement under the rule named before
    (
        "The Commerce Department updated its rules in October. Nvidia must now obtain a licence to "
        "sell H20 chips to China.",
        [rel("government:usa-commerce", "government:chn")],
    ),
    # a measure as subject of "target"/"affect", with "such as" examples
    (
        "The Commerce Department updated its rules in October. The new rules target Chinese companies "
        "such as SMIC.",
        [rel("government:usa-commerce", "company:smic"), rel("government:usa-commerce", "government:chn")],
    ),
    (
        "The Commerce Department imposed export curbs in October. The curbs affect SMIC and Huawei.",
        [rel("government:usa-commerce", "company:smic"), rel("government:usa-commerce", "company:huawei")],
    ),
    # listing in the passive, with and without an agent
    (
        "The Commerce Department has tightened its rules. Huawei was placed on the Entity List in 2019.",
        [rel("government:usa-commerce", "company:huawei")],
    ),
    (
        "Huawei was added to the Entity List by the Commerce Department.",
        [rel("government:usa-commerce", "company:huawei")],
    ),
    # listed and restricted parties named by a demonym
    (
        "Washington added several Chinese chipmakers to its export blacklist.",
        [rel("government:usa", "government:chn")],
    ),
    ("Chinese chipmakers face sweeping US export controls.", [rel("government:usa", "government:chn")]),
    # the "to" phrase on the gerund of a "barred from" passive
    (
        "The Commerce Department published the rule on Friday. Nvidia is barred from selling its most "
        "advanced chips to China.",
        [rel("government:usa-commerce", "company:nvidia"), rel("government:usa-commerce", "government:chn")],
    ),
    # kept / stopped / prevented from doing
    (
        "Washington's export controls have kept Chinese firms from buying Nvidia's best chips.",
        [rel("government:usa", "government:chn")],
    ),
    (
        "The US stopped Nvidia from selling the H20 to China.",
        [rel("government:usa", "company:nvidia"), rel("government:usa", "government:chn")],
    ),
    # "restricted X from shipping ... to Y", retaliation "against" Y, "cannot sell ... under" rules
    (
        "The Netherlands restricted ASML from shipping its EUV machines to China.",
        [rel("government:nld", "company:asml"), rel("government:nld", "government:chn")],
    ),
    (
        "China retaliated against the US with a ban on exports of rare earths.",
        [rel("government:chn", "government:usa")],
    ),
    (
        "Under US rules, Nvidia cannot sell its H100 chips to China.",
        [rel("government:usa", "company:nvidia"), rel("government:usa", "government:chn")],
    ),
    # hit with sanctions; inclusion on a list; told to avoid a maker's goods
    ("Huawei was hit with US sanctions in 2019.", [rel("government:usa", "company:huawei")]),
    (
        "The Commerce Department tightened its rules. SMIC's inclusion on the Entity List has hurt "
        "its sales.",
        [rel("government:usa-commerce", "company:smic")],
    ),
    (
        "The addition of Huawei to the Commerce Department's Entity List cut its supplies.",
        [rel("government:usa-commerce", "company:huawei")],
    ),
    (
        "Beijing told its tech firms to avoid using Nvidia's H20 chips.",
        [rel("government:chn", "company:nvidia")],
    ),
    # a blocked merger stops its parties
    (
        "The European Commission blocked the merger of Siemens and Alstom.",
        [rel("government:eu-commission", "company:siemens")],
    ),
    # a blocked purchase stops the buyer; withdrawn licences hit their holder
    (
        "The Commerce Department blocked Huawei's purchase of the Dutch chip plant.",
        [rel("government:usa-commerce", "company:huawei")],
    ),
    (
        "The Commerce Department withdrew Huawei's export licences.",
        [rel("government:usa-commerce", "company:huawei")],
    ),
    # the restricted party as subject, agent in the previous sentence
    (
        "The Commerce Department published a new rule on Tuesday. Huawei was blacklisted over its "
        "work for the military.",
        [rel("government:usa-commerce", "company:huawei")],
    ),
    # "the <home-state> company's goods": the firm named before, not its home state
    (
        "Samsung Electronics felt the chill in 2022, when Beijing stopped state buyers from ordering "
        "the Korean company's handsets.",
        [rel("government:chn", "company:samsung-electronics")],
    ),
    # a pronoun object of "controls that cut them off" is the subject working under them
    (
        "Chinese start-ups have spent two years operating under American export controls that cut "
        "them off from the best accelerators.",
        [rel("government:usa", "government:chn")],
    ),
    # "cut the <demonym> firm off": the firm named before in the sentence, not its home state
    (
        "ZTE lost its US suppliers after Washington moved to cut the Chinese network maker off from "
        "American parts.",
        [rel("government:usa", "company:zte")],
    ),
    # "the <City>-based group" is the one firm of that country the sentences before single out,
    # not the examples of a list nor a firm described with another city
    (
        "Buyers such as Tencent, Baidu and ByteDance hoarded chips while Wuhan-based start-up Zhipu "
        "grew. The vacuum helped Huawei, which sells its own accelerators. The Shenzhen-based group "
        "has been on an American trade blacklist since 2019.",
        [rel("government:usa", "company:huawei")],
    ),
    # an agentless restriction while the text speaks of "the rule": whoever issued that rule
    (
        "In January the Bureau of Industry and Security issued its framework for chip sales. "
        "Nobody liked it. The rule split buyers into three groups. Close friends could buy freely. "
        "Hostile countries like Iran and North Korea were shut out.",
        [rel("government:usa-bis", "government:irn"), rel("government:usa-bis", "government:prk")],
    ),
    # a government asserting control over a firm restricts it
    (
        "Last month the Netherlands made the rare move of seizing control over Nexperia, citing "
        "risks to European supply.",
        [rel("government:nld", "company:nexperia")],
    ),
    # an export curb with no destination aims at the campaign it joins
    (
        "South Korea has joined Washington's drive against China's chip industry, restricting "
        "exports of advanced etching equipment.",
        [rel("government:kor", "government:chn")],
    ),
    # "the rules, released by <agency>" after a measure against X: the agency restricts X
    (
        "Memory makers studied Washington's new export controls against China on Tuesday. The "
        "rules, published Monday by the Bureau of Industry and Security, cover older memory too.",
        [rel("government:usa-bis", "government:chn")],
    ),
    # a list addition whose "to" phrase hangs on the counted noun, examples after an aside
    (
        "The Commerce Department widened its curbs and put 30 companies on the Entity List, mostly "
        "toolmakers, including Piotech and SiCarrier.",
        [
            rel("government:usa-commerce", "company:piotech"),
            rel("government:usa-commerce", "company:sicarrier"),
        ],
    ),
    # a measure noun subject of a conjoined verb: the owner of the measure named just before
    (
        "The rules were issued on Friday by the Bureau of Industry and Security. The package also "
        "restricts exports of memory and adds 12 firms to the Entity List, including SiCarrier.",
        [rel("government:usa-bis", "company:sicarrier")],
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), POSITIVES, ids=[s[:60] for s, _ in POSITIVES])
def test_restriction_is_read(sentence: str, expected: list[tuple[str, str, str]]) -> None:
    found = triples(extract_text(sentence))
    for item in expected:
        assert item in found, f"missing {item} in {sorted(found)}"


NEGATIVES = [
    # negation
    (
        "The Commerce Department has not imposed similar curbs on Xiaomi.",
        rel("government:usa-commerce", "company:xiaomi"),
    ),
    # the origin of goods is not restricted
    (
        "Malaysia will require a permit for the export of AI chips of US origin.",
        rel("government:mys", "government:usa"),
    ),
    # a purchase order is no measure
    (
        "The Commerce Department placed an order against Huawei's invoices.",
        rel("government:usa-commerce", "company:huawei"),
    ),
    # "cut costs" and "shut a plant" restrict nobody
    ("Japan cut costs at Huawei's plant.", rel("government:jpn", "company:huawei")),
    # a list of technologies is not a blacklist
    (
        "China added recommendation algorithms like TikTok's to its list of technologies.",
        rel("government:chn", "company:tiktok"),
    ),
    # "targets" restricts only with a measure as subject
    ("OpenAI targets enterprise customers in China.", rel("company:openai", "government:chn")),
    # a hedged licence requirement is no measure in force
    (
        "The Commerce Department updated its rules in October. Nvidia may need a licence to sell H20 "
        "chips to China.",
        rel("government:usa-commerce", "government:chn"),
    ),
    # "stopped"/"kept" without "from <doing>" restrict nobody
    (
        "Samsung stopped shipments to Huawei's rival Xiaomi after a fire.",
        rel("company:samsung", "company:xiaomi"),
    ),
    ("Japan kept Huawei as a supplier for its 5G network.", rel("government:jpn", "company:huawei")),
    # a trade the rules allow, or one a contract forbids, is no state restriction
    ("Under US rules, Nvidia can sell its H20 chips to China.", rel("government:usa", "government:chn")),
    (
        "Under its contract with Huawei, Nvidia cannot sell its chips to Xiaomi.",
        rel("company:huawei", "company:xiaomi"),
    ),
    # an inclusion on a list of partners is no listing
    (
        "Huawei's inclusion on the list of Apple's suppliers surprised analysts.",
        rel("company:apple", "company:huawei"),
    ),
    # a firm's own approval is no state measure
    (
        "India tightened its rules last year. Investments from China needed board approval.",
        rel("government:ind", "government:chn"),
    ),
    # a permission granted restricts nobody
    (
        "Singapore will allow its ports to be used for moving chips to Iran.",
        rel("government:sgp", "government:irn"),
    ),
    # a designation as a partner is no designation of concern
    ("Japan named Sony as its partner of choice.", rel("government:jpn", "company:sony")),
    # the thing bought is not the one stopped
    (
        "The Commerce Department blocked Huawei's purchase of the Dutch chip plant.",
        rel("government:usa-commerce", "government:nld"),
    ),
    # a restriction denied
    ("Huawei does not face US restrictions.", rel("government:usa", "company:huawei")),
    # investigations and fines are not restrictions (the gold leaves probes out)
    (
        "China opened a probe into Nvidia over its purchase of Mellanox.",
        rel("government:chn", "company:nvidia"),
    ),
    ("China fined Qualcomm $975 million in 2015.", rel("government:chn", "company:qualcomm")),
    # price controls are not trade controls
    ("Washington imposed price controls on Chinese chipmakers.", rel("government:usa", "government:chn")),
    # a state limiting its own investors does not target itself
    (
        "The program will prohibit investments by American funds in Chinese chip companies.",
        rel("government:usa", "government:usa"),
    ),
    # a state in a list of beneficiaries is not the author of the next agentless restriction
    (
        "The rule sorted countries into tiers. Friends such as Japan, Taiwan, South Korea and the "
        "Netherlands may buy freely. Rivals such as Iran and Russia are shut out.",
        rel("government:jpn", "government:rus"),
    ),
    # the home state in "the US company's products" is only a description
    (
        "Micron had a rough 2023: the Cyberspace Administration of China barred grid operators from "
        "buying the US company's memory.",
        rel("government:chn-cac", "government:usa"),
    ),
    # the demonym on a described firm is not the one cut off
    (
        "ZTE lost its US suppliers after Washington moved to cut the Chinese network maker off from "
        "American parts.",
        rel("government:usa", "government:chn"),
    ),
    # two firms of that country fit "the Shenzhen-based group": nobody is picked
    (
        "ZTE and Huawei both rely on local suppliers. The Shenzhen-based group has been on an "
        "American trade blacklist since 2019.",
        rel("government:usa", "company:zte"),
    ),
    # no "the rule" in the sentences around: a far-off issuer is not guessed
    (
        "In January the Bureau of Industry and Security issued its framework for chip sales. "
        "Shares of chipmakers fell. Investors sold. Hostile countries like Iran were shut out.",
        rel("government:usa-bis", "government:irn"),
    ),
    # a firm taking control over another is an acquisition, not a restriction
    (
        "In 2019 Wingtech took control over Nexperia after a long bidding fight.",
        rel("company:wingtech", "company:nexperia"),
    ),
    # an export curb with no destination and no campaign names nobody
    (
        "South Korea has held talks with China, restricting exports of advanced etching equipment.",
        rel("government:kor", "government:chn"),
    ),
    # rules released by an agency after a sentence naming no measure restrict nobody
    (
        "Memory makers met officials from China on Tuesday. The rules, published Monday by the "
        "Bureau of Industry and Security, cover older memory too.",
        rel("government:usa-bis", "government:chn"),
    ),
    # a negated list addition stays negated with the object-attached "to" phrase
    (
        "Washington has not added 40 firms to the Entity List, including SiCarrier.",
        rel("government:usa", "company:sicarrier"),
    ),
]


@pytest.mark.parametrize(("sentence", "forbidden"), NEGATIVES, ids=[s[:60] for s, _ in NEGATIVES])
def test_trap_is_left_alone(sentence: str, forbidden: tuple[str, str, str]) -> None:
    assert forbidden not in triples(extract_text(sentence))


def test_weighed_curbs_are_hedged_and_make_no_policy() -> None:
    batch = extract_text(
        "The Trump administration is reportedly weighing curbs on AI chip shipments to Vietnam."
    )
    assert (*rel("government:usa", "government:vnm"), "True") in triples(batch, with_hedge=True)
    assert not policies(batch)


def test_conditional_prohibition_is_hedged() -> None:
    batch = extract_text(
        "The Commerce Department wrote to Huawei. If no deal is reached, Xiaomi would be prohibited "
        "from selling phones in the US."
    )
    found = triples(batch, with_hedge=True)
    assert (*rel("government:usa-commerce", "company:xiaomi"), "False") not in found


def test_hedged_target_stays_out_of_the_policy_in_force() -> None:
    batch = extract_text(
        "Chinese labs have been barred from buying advanced chips since 2022 under US export controls. "
        "The US is also weighing export controls on chip shipments to Vietnam."
    )
    found = [(enactors, targets) for enactors, targets in policies(batch).values()]
    assert any("government:chn" in targets for _, targets in found)
    assert all("government:vnm" not in targets for _, targets in found)


def test_listed_party_stays_restricted_with_the_salient_government() -> None:
    batch = extract_text(
        "The Commerce Department tightened its rules again. SMIC has been on the Entity List since 2020."
    )
    assert rel("government:usa-commerce", "company:smic") in triples(batch)


def test_policy_per_measure_with_enactor_target_and_date() -> None:
    batch = extract_text(
        "The Commerce Department added SMIC to the Entity List, effective December 18, 2020. "
        "Separately, the Pentagon ordered base stores to stop selling phones made by Xiaomi."
    )
    found = policies(batch)
    by_enactor = {next(iter(e)): t for e, t in found.values() if e}
    assert by_enactor.get("government:usa-commerce") == {"company:smic"}
    assert by_enactor.get("government:usa-dod") == {"company:xiaomi"}
    enacts = next(
        r for r in batch.relations if r.type is RelType.ENACTS and r.source == "government:usa-commerce"
    )
    assert str(enacts.since) == "2020-12-18"


@pytest.mark.parametrize(
    "sentence",
    [
        "Japan may place Huawei under export controls.",
        "Japan is considering placing Huawei under export controls.",
        "Japan threatened to place Huawei under export controls.",
    ],
)
def test_hedged_measure_stays_hedged(sentence: str) -> None:
    found = triples(extract_text(sentence), with_hedge=True)
    assert (*rel("government:jpn", "company:huawei"), "False") not in found


def test_state_and_its_agency_telling_one_measure_make_one_policy() -> None:
    batch = extract_text(
        "The Trump administration added SMIC to the Entity List on Friday. The Commerce Department "
        "added SMIC and DJI to the Entity List, it said."
    )
    found = list(policies(batch).values())
    assert len(found) == 1
    enactors, targets = found[0]
    assert enactors == {"government:usa", "government:usa-commerce"}
    assert targets == {"company:smic", "company:dji"}


def test_two_agencies_lists_stay_two_policies() -> None:
    batch = extract_text(
        "The Commerce Department added SMIC to the Entity List. The Pentagon named SMIC on its list of "
        "military companies. The Trump administration added SMIC to the Entity List too."
    )
    by_enactors = {frozenset(e) for e, _ in policies(batch).values()}
    assert frozenset({"government:usa-dod"}) in by_enactors
    assert frozenset({"government:usa", "government:usa-commerce"}) in by_enactors


def test_designation_joins_the_measure_it_triggers() -> None:
    batch = extract_text(
        "President Joe Biden signed an executive order that directs the Treasury Department to set up "
        "a program that will prohibit investments by American funds in Chinese chip companies. "
        "The order names China as a country of concern."
    )
    found = list(policies(batch).values())
    assert len(found) == 1
    enactors, targets = found[0]
    assert "government:usa-treasury" in enactors
    assert "government:chn" in targets


def test_an_agencys_measure_is_its_named_states_too() -> None:
    named = triples(extract_text(
        "The United States is widening its curbs. The Commerce Department added SMIC to the Entity List."
    ))
    assert rel("government:usa-commerce", "company:smic") in named
    assert rel("government:usa", "company:smic") in named
    unnamed = triples(extract_text("The Commerce Department added SMIC to the Entity List."))
    assert rel("government:usa", "company:smic") not in unnamed


def test_an_official_in_office_who_bans_acts_for_the_state_named_in_the_title() -> None:
    found = triples(extract_text("Texas Governor Greg Abbott banned TikTok on state-issued phones."))
    assert rel("person:greg-abbott", "company:tiktok") in found
    assert rel("government:texas", "company:tiktok") in found
    tried = triples(extract_text("President Donald Trump tried to ban TikTok, but a court stopped him."))
    assert rel("person:donald-trump", "company:tiktok") not in tried


def test_an_order_told_beside_the_block_it_imposes_is_one_policy() -> None:
    batch = extract_text(
        "Italy's privacy regulator blocked ChatGPT on Friday. The Garante ordered OpenAI to stop "
        "processing the data of Italian users until it complies."
    )
    found = [(e, t) for e, t in policies(batch).values() if "company:openai" in t]
    assert len(found) == 1, found


def test_lifted_measure_still_reads_as_a_restriction_and_a_threat_is_hedged() -> None:
    lifted = triples(extract_text("Japan lifted export controls on Huawei."), with_hedge=True)
    assert (*rel("government:jpn", "company:huawei"), "False") in lifted
    threat = triples(extract_text("Japan threatened to ban Huawei."), with_hedge=True)
    assert (*rel("government:jpn", "company:huawei"), "True") in threat
    assert (*rel("government:jpn", "company:huawei"), "False") not in threat
