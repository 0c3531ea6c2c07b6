"""GraphML exports are valid against the official GraphML schema, extended by APOC's attributes only
(`tests/graphml_schema.py` says where the schema comes from and how it is extended); without the
schema the tests skip and say how to get it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from graph.export.graphml import export_store, write_graphml
from graph.model import Entity
from graph.schema import NodeType, RelType
from graph.stores.embedded import EmbeddedStore
from tests.graph.factories import Claim, actor, make_batch, sample_batches
from tests.graphml_schema import load_schema, schema_errors


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> etree.XMLSchema:
    loaded = load_schema(tmp_path_factory.mktemp("graphml-xsd"))
    if isinstance(loaded, str):
        pytest.skip(loaded)
    return loaded


@pytest.fixture
def store(tmp_path: Path) -> Iterator[EmbeddedStore]:
    store = EmbeddedStore(tmp_path / "data")
    for batch in sample_batches():
        store.upsert(batch)
    yield store
    store.close()


@pytest.mark.parametrize("with_documents", [False, True], ids=["graph", "with-documents"])
def test_a_store_export_is_valid_graphml(
    schema: etree.XMLSchema, store: EmbeddedStore, tmp_path: Path, with_documents: bool
) -> None:
    path = tmp_path / "graph.graphml"
    with path.open("wb") as out:
        export_store(store, out, with_documents=with_documents)
    assert schema_errors(schema, path) == []


def test_an_empty_graph_is_valid_graphml(schema: etree.XMLSchema, tmp_path: Path) -> None:
    path = tmp_path / "empty.graphml"
    with path.open("wb") as out:
        write_graphml([], [], out)
    assert schema_errors(schema, path) == []


def test_odd_names_and_sentences_stay_valid(schema: etree.XMLSchema, tmp_path: Path) -> None:
    odd = 'Acme <"Labs"> & Sons\ttab \u00e9\u4e2d'
    entities: list[Entity] = [
        actor("company:odd", name=odd, type=NodeType.COMPANY),
        actor("company:plain", name="Plain Co", type=NodeType.COMPANY),
    ]
    batch = make_batch(
        "doc-odd",
        entities=entities,
        relations=[Claim("company:odd", RelType.BACKS, "company:plain", f"{odd} funds Plain Co & friends.")],
    )
    path = tmp_path / "odd.graphml"
    with path.open("wb") as out:
        write_graphml(batch.entities, batch.relations, out)
    assert schema_errors(schema, path) == []


def test_the_schema_does_refuse_a_broken_document(schema: etree.XMLSchema, tmp_path: Path) -> None:
    """The check has teeth: an edge without its target, a key of an unknown domain, an attribute APOC
    does not write, and two keys with one id are refused."""
    path = tmp_path / "graph.graphml"
    with path.open("wb") as out:
        write_graphml([actor("company:a", name="A", type=NodeType.COMPANY)], [], out)
    text = path.read_text(encoding="utf-8")
    broken = tmp_path / "broken.graphml"
    broken.write_text(text.replace("</graph>", '<edge source="company:a"/></graph>'), encoding="utf-8")
    assert schema_errors(schema, broken)
    odd_key = tmp_path / "odd-key.graphml"
    odd_key.write_text(text.replace('for="node"', 'for="vertex"', 1), encoding="utf-8")
    assert schema_errors(schema, odd_key)
    stray = tmp_path / "stray.graphml"
    stray.write_text(text.replace("<node ", '<node colour="red" ', 1), encoding="utf-8")
    assert schema_errors(schema, stray)
    twice = tmp_path / "twice.graphml"
    twice.write_text(text.replace('<key id="name" ', '<key id="id" ', 1), encoding="utf-8")
    assert schema_errors(schema, twice)
