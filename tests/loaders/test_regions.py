"""Sub-national governments: a listed region is a Government, with its country, only where it acts."""

from __future__ import annotations

import pytest

from graph.schema import NodeType
from loaders.regions import region_of
from tests.loaders.pipeline_cache import extract_text, triples


def regions(text: str) -> dict[str, str | None]:
    """Government nodes below a state that the text yields, by name, with their country."""
    batch = extract_text(text)
    states = {f"government:{e.country.lower()}" for e in batch.entities if e.country}
    return {e.name: e.country for e in batch.entities if e.type is NodeType.GOVERNMENT and e.id not in states}


@pytest.mark.parametrize(
    ("sentence", "name", "country"),
    [
        ("Oklahoma has barred the Lumio chat app from every phone the state issues.", "Oklahoma", "USA"),
        ("Manitoba and Alberta blocked Qorvex Systems from public networks last spring.", "Alberta", "CAN"),
        ("Bavaria's grant to Fenwick Photonics came to 80 million euros.", "Bavaria", "DEU"),
        ("The Montana governor said the app would be wiped from state laptops.", "Montana", "USA"),
        ("The State of Nevada restricted the use of Quillon AI in its agencies.", "Nevada", "USA"),
        ("The Karnataka state government will pay half of the plant's cost.", "Karnataka", "IND"),
        ("New funding for the lab was approved by Queensland on Monday.", "Queensland", "AUS"),
    ],
)
def test_a_region_that_acts_is_a_government_of_its_country(sentence: str, name: str, country: str) -> None:
    assert regions(sentence).get(name, "missing") == country


@pytest.mark.parametrize(
    "sentence",
    [
        "Qorvex Systems opened a data centre in Oklahoma last year.",
        "The Fenwick Photonics plant near Munich, Bavaria, makes lasers.",
        "Lumio hired 300 engineers from Ohio and Michigan.",
    ],
)
def test_a_region_that_only_places_something_is_no_actor(sentence: str) -> None:
    assert regions(sentence) == {}


def test_a_region_that_bans_an_app_restricts_it() -> None:
    batch = extract_text("Oklahoma has banned TikTok on state-owned devices.")
    assert ("government:oklahoma", "RESTRICTS", "company:tiktok") in triples(batch)


def test_the_region_list_knows_names_not_places_in_general() -> None:
    assert region_of("north rhine-westphalia") == ("North Rhine-Westphalia", "DEU")
    assert region_of("Shenzhen") is None and region_of("Germany") is None
