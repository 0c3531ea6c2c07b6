"""Firms named only where money changes hands: the raiser and its listed investors, unknown to the model."""

from __future__ import annotations

import pytest

from loaders.investor_names import funding_names
from tests.loaders.pipeline_cache import extract_text, shared_pipeline, triples


def named_triples(text: str) -> set[tuple[str, str, str]]:
    batch = extract_text(text)
    names = {e.id: e.name for e in batch.entities}
    return {(names[s], r, names[t]) for s, r, t in triples(batch)}


def test_unknown_investors_in_a_list_back_a_known_raiser() -> None:
    found = named_triples(
        "Mistral AI raised $200 million from investors including Harrow Management, 1842 Capital, "
        "Lodestar and Quill."
    )
    for investor in ("Harrow Management", "1842 Capital", "Lodestar", "Quill"):
        assert (investor, "BACKS", "Mistral AI") in found


def test_an_unknown_raiser_is_backed_by_known_investors() -> None:
    found = named_triples("Velunar raised $45 million from investors including Accel and Tiger Global.")
    assert {("Accel", "BACKS", "Velunar"), ("Tiger Global", "BACKS", "Velunar")} <= found


@pytest.mark.parametrize(
    "text",
    [
        "The tour visited cities including Dallas, Austin and Houston.",
        "Velunar raised concerns about chips from suppliers including Marlow and Brisk.",
    ],
)
def test_lists_without_money_name_no_firm(text: str) -> None:
    p = shared_pipeline()
    doc = p.nlp(text)
    assert funding_names(doc, text, []) == []
