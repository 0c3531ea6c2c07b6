"""Every frame's own examples, run through the real pipeline: positives must be read, negatives not.

Each frame runs alone over its examples' sentences (prepared and resolved by the real pipeline): a
positive passes when the frame itself reads every expected triple, a negative when it reads nothing.
"""

from __future__ import annotations

import pytest

from loaders.frames.engine import Engine
from loaders.frames.tables import Example, Frame, TableError, frames, lexicon
from loaders.raw import RawDocument
from tests.loaders.pipeline_cache import extract_text, shared_pipeline, triples

CASES = [(f, e) for f in frames() for e in f.examples]


def _read_by(frame: Frame, text: str) -> set[tuple[str, str, str]]:
    """What this frame alone reads from the text, as (source name, TYPE, target name)."""
    pipeline = shared_pipeline()
    prepared = pipeline.prepare(RawDocument(source="example.txt", text=text))
    _, sents = pipeline.sentences_of(prepared, pipeline.nlp(prepared.model_text))
    engine = Engine([frame])
    return {_norm((f.source.name, f.type.value, f.target.name)) for s in sents for f in engine.find(s)}


def _norm(triple: tuple[str, str, str]) -> tuple[str, str, str]:
    s, t, o = triple
    return (min(s, o), t, max(s, o)) if t in ("COMPETES_WITH", "PARTNERS_WITH") else triple


@pytest.mark.slow
@pytest.mark.parametrize(("frame", "example"), CASES, ids=[f"{f.id}-{n}" for n, (f, _) in enumerate(CASES)])
def test_frame_example(frame: Frame, example: Example) -> None:
    read = _read_by(frame, example.text)
    if example.expect:
        missing = {_norm(t) for t in example.expect} - read
        assert not missing, f"{frame.id}: not read {missing}; read {sorted(read)}"
    else:
        assert not read, f"{frame.id}: read {sorted(read)} from a negative example"


def test_unknown_word_class_is_a_table_error() -> None:
    with pytest.raises(TableError, match="no word class 'nope'"):
        lexicon().words("nope")


@pytest.mark.slow
def test_state_grant_is_a_policy_enacted_by_the_state_and_targeting_the_recipient() -> None:
    batch = extract_text("The Commerce Department will award a $3 billion grant to Micron to build a plant.")
    names = {e.id: e.name for e in batch.entities}
    policies = [e for e in batch.entities if e.type.value == "Policy"]
    assert len(policies) == 1 and "state aid" in policies[0].name
    edges = {(names[r.source], r.type.value, names[r.target]) for r in batch.relations}
    assert ("United States Department of Commerce", "ENACTS", policies[0].name) in edges
    assert (policies[0].name, "TARGETS", "Micron Technology") in edges


@pytest.mark.slow
def test_a_firms_investment_is_no_policy() -> None:
    batch = extract_text("SoftBank is pouring another $10 billion into OpenAI.")
    assert not [e for e in batch.entities if e.type.value == "Policy"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "hedged"),
    [
        ("Germany notified a plan to support Infineon's new plant in Dresden.", False),
        ("Germany plans to support Infineon's new plant in Dresden.", True),
        ("Germany is weighing a plan to support Infineon's new plant in Dresden.", True),
    ],
)
def test_an_enacted_plan_is_no_hedge_but_a_planned_one_is(text: str, hedged: bool) -> None:
    found = triples(extract_text(text), with_hedge=True)
    assert ("government:deu", "BACKS", "company:infineon", str(hedged)) in found


def test_a_key_given_twice_is_a_table_error() -> None:
    import yaml

    from loaders.frames.tables import _StrictLoader

    with pytest.raises(yaml.YAMLError, match="key given twice: deal_nouns"):
        yaml.load("classes:\n  deal_nouns: [a]\n  deal_nouns: [b]\n", Loader=_StrictLoader)  # noqa: S506
