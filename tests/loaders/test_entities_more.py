"""Entity quality on unseen news: regimes, titles, unions, products, units, surnames, missed names."""

from __future__ import annotations

import pytest

from graph.schema import NodeType
from loaders.entities import Mention, find_mentions
from loaders.raw import RawDocument
from loaders.registry import Registry
from loaders.resolve import EntityRef, Resolved, Resolver
from tests.loaders.pipeline_cache import extract_text, shared_pipeline


def resolved(text: str) -> list[Resolved]:
    p = shared_pipeline()
    prepared = p.prepare(RawDocument(source="t.txt", text=text))
    doc = p.nlp(prepared.model_text)
    mentions = find_mentions(doc, prepared.text, p.registry, headline_lines=prepared.headlines)
    return p.resolver.resolve(mentions, doc)


def ids(text: str) -> set[str]:
    return {r.entity.id for r in resolved(text)}


def nodes(text: str) -> dict[str, NodeType]:
    return {e.name: e.type for e in extract_text(text).entities if e.type is not NodeType.POLICY}


@pytest.mark.parametrize(
    "sentence",
    [
        "The Biden administration tightened the rules on Tuesday.",
        "Officials in the Trump administration are weighing new curbs on chip shipments.",
    ],
)
def test_a_leaders_administration_is_the_state_not_the_person(sentence: str) -> None:
    found = ids(sentence)
    assert "government:usa" in found
    assert not any(i.startswith("person:") for i in found)


def test_the_leader_alone_is_still_the_person() -> None:
    assert "person:joe-biden" in ids("Joe Biden signed the order in August.")


def test_an_unknown_leaders_government_is_not_a_person() -> None:
    assert not any(i.startswith("person:") for i in ids("The Zorvath government promised new grants."))


def test_european_alone_is_not_the_eu() -> None:
    assert "government:eu" not in ids("The ban helped the two European telecom suppliers win contracts.")
    assert "government:eu" not in ids("Chipmakers in Europe expect slower sales this year.")


def test_european_with_the_union_named_is_the_eu() -> None:
    found = ids("The European Union agreed the act. European ministers said it would take effect in 2026.")
    assert "government:eu" in found


def test_a_body_inside_a_persons_title_is_not_an_entity() -> None:
    names = nodes("Former Treasury Secretary Steven Mnuchin said he was assembling a group of investors.")
    assert "Steven Mnuchin" in names
    assert not any("Treasury" in n for n in names)


def test_a_body_named_outside_a_title_stays() -> None:
    found = ids("The Treasury Department will run the program, Treasury Secretary Janet Yellen said.")
    assert "government:usa-treasury" in found


@pytest.mark.parametrize(
    ("sentence", "product"),
    [
        ("Baidu made its lightweight Quillo Swift and Quillo Mini models free to developers.", "Quillo"),
        ("The cloud firm will be among the first to run the chipmaker's Orrin Vale systems.", "Orrin"),
        ("The startup trained its model on the Tarkan supercomputer in Memphis.", "Tarkan"),
    ],
)
def test_products_are_not_companies(sentence: str, product: str) -> None:
    assert not any(product in n for n in nodes(sentence + " " + sentence))


def test_a_known_firms_unit_is_one_name() -> None:
    found = resolved("Groq expanded its deal with Aramco Digital, the technology arm of the oil giant.")
    names = {r.entity.name for r in found}
    assert "Aramco Digital" in names
    assert "Digital" not in names


def test_a_known_firm_before_an_ordinary_word_stays_itself() -> None:
    assert "company:nvidia" in ids("Nvidia Chief Jensen Huang spoke on Monday.")


def test_a_later_surname_is_the_person_named_before() -> None:
    found = resolved(
        "Hiroshi Tanabe, the head of the new foundry, said the line was on schedule. "
        "Tanabe added that two customers had signed up."
    )
    people = [r for r in found if r.mention.text == "Tanabe"]
    assert people and all(r.entity.id == "person:hiroshi-tanabe" for r in people)


def test_a_surname_shared_by_two_people_resolves_to_neither() -> None:
    def person(name: str, start: int) -> Resolved:
        ref = EntityRef(id=f"person:{name.lower().replace(' ', '-')}", name=name, type=NodeType.PERSON)
        return Resolved(Mention(start, start + 2, 0, 1, name, "PERSON"), ref)

    bare = Mention(9, 10, 50, 56, "Tanabe", "GPE")
    one = [person("Anna Tanabe", 0)]
    assert Resolver(Registry.load()).resolve_one(bare, one).entity.id == "person:anna-tanabe"
    two = [*one, person("Kenji Tanabe", 4)]
    assert Resolver(Registry.load()).resolve_one(bare, two) is None


def test_a_backer_the_model_misses_is_recovered() -> None:
    found = ids(
        "Vantor, the Hangzhou start-up bankrolled by the quant hedge fund Bright-Orca, shipped a model."
    )
    assert any("bright-orca" in i for i in found)


def test_a_firm_named_with_a_firm_word_is_recovered_but_weak() -> None:
    found = [
        r
        for r in resolved("Shares rose after Kellow Investments bought a stake.")
        if "Kellow" in r.entity.name
    ]
    assert found and found[0].entity.type is NodeType.COMPANY


def test_capitalised_words_at_a_sentence_start_are_not_a_firm() -> None:
    assert not any("The" in r.entity.name.split()[0] for r in resolved("The Group said nothing more."))


def test_a_firm_word_run_after_a_known_firm_continues_its_name() -> None:
    found = resolved("The round was led by funds managed by BlackRock Private Equity Partners last year.")
    assert "company:blackrock" in {r.entity.id for r in found}
    assert not any("Private Equity" in r.entity.name for r in found)


def test_a_ministry_with_a_list_of_portfolios_is_one_name() -> None:
    found = resolved(
        "The Ministry of Ports, Shipping and Waterways in Lagoria said the rule applies at once."
    )
    assert any(r.mention.text == "Ministry of Ports, Shipping and Waterways" for r in found)


def test_a_name_after_a_role_is_a_person_not_a_product() -> None:
    found = resolved(
        "The unit spent a year in a standoff with its chief executive Doran Velt, who refused to go."
    )
    assert "person:doran-velt" in {r.entity.id for r in found}


def test_a_role_word_before_a_firm_does_not_make_a_person() -> None:
    found = resolved("Shares of Tencent rose, said analyst notes from the bank.")
    assert not any(r.entity.type is NodeType.PERSON for r in found)


def test_a_ministry_followed_by_and_another_actor_stays_short() -> None:
    found = resolved("The Ministry of Finance and Tencent met in Beijing.")
    assert "company:tencent" in {r.entity.id for r in found}
    assert not any("Tencent" in r.mention.text and r.entity.id != "company:tencent" for r in found)


def test_a_listing_venue_is_not_an_actor() -> None:
    found = ids("Kuaishou's Hong Kong-listed shares rose, while the company's Taiwan shares slipped.")
    assert "government:hkg" not in found and "government:twn" not in found


def test_the_same_place_as_an_actor_stays() -> None:
    assert "government:hkg" in ids("Hong Kong officials said the listing rules would not change.")


def test_a_first_name_before_a_known_firm_after_a_role_is_a_person() -> None:
    found = ids("The fund, whose chief executive Bill Ford sits on the board, is a large holder.")
    assert "person:bill-ford" in found
    assert not any(i.startswith("company:ford") for i in found)


def test_a_known_firm_after_a_role_word_alone_stays_the_firm() -> None:
    found = ids("Analysts at Ford said demand was weak, and the executive Ford hired left.")
    assert any(i.startswith("company:ford") for i in found)
    assert not any(i.startswith("person:") for i in found)


def test_a_masthead_in_capitals_is_not_an_actor() -> None:
    text = "THE QUILLFORD HERALD\n\nQuillford officials said the chip plant would open on Monday."
    assert not any("Herald" in r.entity.name or "HERALD" in r.entity.name for r in resolved(text))


@pytest.mark.parametrize(
    ("sentence", "region"),
    [
        (
            "The plant gets support from the federal government and the State of Arizona.",
            "government:arizona",
        ),
        ("The fab will get 20% of its cost from the Gujarat government.", "government:gujarat"),
    ],
)
def test_a_regional_government_is_a_government(sentence: str, region: str) -> None:
    assert region in ids(sentence)


def test_a_bare_region_is_not_an_actor() -> None:
    assert not any("arizona" in i for i in ids("The firm opened an office in Arizona last year."))


def test_a_demonym_before_government_is_not_a_region() -> None:
    assert not any("bavarian" in i for i in ids("The Bavarian government promised grants to the plant."))


def test_a_numbered_successor_fund_is_its_own_actor() -> None:
    found = ids("The state fund is a holder, and its second vehicle, Big Fund II, injected $1 billion.")
    assert "company:big-fund-ii" in found


def test_a_number_after_a_firm_before_a_noun_is_not_part_of_its_name() -> None:
    assert "company:baidu" in ids("Tencent rose. Baidu 2 analysts said nothing new.")


def test_a_country_closing_an_unknown_firms_name_is_part_of_it() -> None:
    found = resolved("Its unit in Shanghai, Lumora Semiconductor South China, said output rose.")
    assert any(r.mention.text == "Lumora Semiconductor South China" for r in found)


def test_a_country_after_an_unknown_firm_before_a_noun_stays_the_country() -> None:
    found = resolved("Lumora Semiconductor China sales rose, and Lumora Semiconductor said so twice.")
    assert not any("China" in r.entity.name and r.entity.type is NodeType.COMPANY for r in found)


@pytest.mark.parametrize(
    "text",
    [
        "The Commerce Department added Sophgo to the Entity List on Tuesday.",
        "Grants under the CHIPS Act will go to several new factories in Ohio.",
    ],
)
def test_registers_and_laws_are_not_actors(text: str) -> None:
    names = {e.name for e in extract_text(text).entities}
    assert not any(n.endswith(("List", "Act")) for n in names), names


def test_the_site_name_after_a_title_bar_is_no_actor() -> None:
    text = (
        "Nvidia warns of a charge as Washington tightens chip rules | Harbour Dispatch\n\n"
        "Nvidia said on Tuesday that Harbour Dispatch readers should expect a charge linked to new "
        "licence rules. Nvidia shares fell."
    )
    assert "Harbour Dispatch" not in nodes(text)
    assert "Nvidia" in nodes(text)


@pytest.mark.parametrize("label", ["Login Subscribe", "Key Takeaways:"])
def test_navigation_and_section_labels_are_no_actors(label: str) -> None:
    text = f"{label}\n\nTencent invested in Zhipu AI this spring, and Tencent said it would invest again."
    found = nodes(text)
    assert label.rstrip(":") not in found
    assert "Tencent" in found


def test_a_named_person_on_a_line_of_her_own_with_a_sentence_stays() -> None:
    text = "Gina Raimondo said the rule would stand. Gina Raimondo added that allies agreed."
    assert "Gina Raimondo" in nodes(text)


def test_a_country_inside_a_new_place_name_is_no_actor() -> None:
    batch = extract_text("Intel will build plants in Arizona, New Mexico and Ohio.")
    assert "Mexico" not in {e.name for e in batch.entities}


def test_a_headline_opening_new_keeps_its_country() -> None:
    batch = extract_text("New US Rules Target Chinese Chip Investments\n\nThe rules take effect in May.")
    assert "United States" in {e.name for e in batch.entities}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "South Korea blocked ChatGPT on government computers.",
            ("government:kor", "RESTRICTS", "company:openai"),
        ),
        ("Baidu launched Ernie Bot to rival ChatGPT.", ("company:baidu", "COMPETES_WITH", "company:openai")),
    ],
)
def test_a_well_known_product_stands_for_its_maker(text: str, expected: tuple[str, str, str]) -> None:
    found = {(r.source, r.type.value, r.target) for r in extract_text(text).relations}
    assert expected in found


@pytest.mark.parametrize(
    "text",
    [
        "Hexon Microsystems, a Chinese chip designer, raised money last year.",
        "Hexon Microsystems is a chip designer in Hefei. Hexon Microsystems sells to carmakers.",
        "Brask Photonics opened a plant near Oulu on Monday.",
    ],
)
def test_a_firm_the_model_calls_a_person_is_a_company(text: str) -> None:
    found = nodes(text)
    assert NodeType.COMPANY in {t for n, t in found.items() if n.split()[0] in ("Hexon", "Brask")}
    assert NodeType.PERSON not in {t for n, t in found.items() if n.split()[0] in ("Hexon", "Brask")}


def test_a_person_described_by_a_profession_stays_a_person() -> None:
    found = nodes("Varda Kessler is a British economist who advises Lyra Capital.")
    assert found["Varda Kessler"] is NodeType.PERSON


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Trade Minister Ahn Sung-hoon met the board of Hexon Microsystems.", "Ahn Sung-hoon"),
        ("Kim Jung-hwan, an analyst at Mirae Asset, expects more orders.", "Kim Jung-hwan"),
    ],
)
def test_a_hyphenated_given_name_is_one_person(text: str, person: str) -> None:
    assert nodes(text).get(person) is NodeType.PERSON


def test_a_firms_unit_named_like_a_firm_is_a_company_not_a_product() -> None:
    found = nodes("Engineers at Samsung's Kestrel Labs designed the chip, unlike Samsung's Nova AI.")
    assert found.get("Kestrel Labs") is NodeType.COMPANY
    assert "Nova AI" not in found


def test_an_alias_used_as_an_adjective_on_a_noun_is_no_actor() -> None:
    pla = "People's Liberation Army"
    assert pla not in nodes("The Pentagon listed Hesai Group as a Chinese military company.")
    assert pla in nodes("The Chinese military uses open models for research.")


def test_a_states_described_body_is_the_one_body_of_that_state_the_article_names() -> None:
    batch = extract_text(
        "Italy's data regulator ordered Quill AI to stop processing local data. "
        "The Garante said Quill AI had not answered."
    )
    restricts = {(r.source, r.target) for r in batch.relations if r.type.value == "RESTRICTS"}
    assert ("government:ita-garante", "company:quill-ai") in restricts
    assert ("government:ita", "company:quill-ai") not in restricts


def test_a_states_described_body_stays_the_state_when_the_article_names_two_bodies_or_none() -> None:
    two = extract_text(
        "The AGCM and the Garante both looked at OpenAI. "
        "Italy's data regulator then ordered OpenAI to stop processing local data."
    )
    assert any(r.source == "government:ita" for r in two.relations if r.type.value == "RESTRICTS")
