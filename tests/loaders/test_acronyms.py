"""Names an article defines an acronym for: one actor under both forms; registers and wire services none."""

from __future__ import annotations

from graph.schema import NodeType
from loaders.entities import initials
from tests.loaders.pipeline_cache import extract_text, triples


def actors(text: str) -> dict[str, list[str]]:
    batch = extract_text(text)
    return {e.name: sorted(e.aliases) for e in batch.entities if e.type is not NodeType.POLICY}


def test_a_name_with_its_acronym_is_one_actor_under_both() -> None:
    text = (
        "The Baltic Cell Manufacturing Company (BCMC) broke ground on Monday. "
        "Volvo owns 40 percent of BCMC."
    )
    batch = extract_text(text)
    names = {e.id: e.name for e in batch.entities}
    assert "BCMC" in actors(text)["Baltic Cell Manufacturing Company"]
    assert ("Volvo", "BACKS", "Baltic Cell Manufacturing Company") in {
        (names[s], r, names[t]) for s, r, t in triples(batch)
    }


def test_a_demonym_inside_the_name_does_not_split_it() -> None:
    text = "The European Battery Materials Alliance (EBMA) met in Brussels. EBMA wants cheaper power."
    assert "European Battery Materials Alliance" in actors(text)


def test_registers_and_wire_services_define_no_actor() -> None:
    text = (
        "The rule sits in the Foreign Trade Control Regulations (FTCR), according to what the "
        "Nordland Press Agency (NPA) described as a leaked draft."
    )
    found = actors(text)
    assert not any(k in name for name in found for k in ("Regulations", "Press Agency", "FTCR", "NPA"))


def test_initials_skip_particles() -> None:
    assert initials("Bureau of Industry and Security") == "BIS"
    assert initials("Compute Architecture for Neural Networks") == "CANN"
