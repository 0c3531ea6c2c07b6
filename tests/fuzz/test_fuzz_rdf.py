"""Any bytes, and any edit of a real export, into the RDF importer: an import report or one `BadRDF`
that leaves the store unchanged, never another exception (issue 13)."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.errors import BadRDF
from graph.rdf import export_store, import_rdf
from graph.stores.embedded import EmbeddedStore
from tests.graph.factories import sample_batches

BASE = "https://aigeo.test/id/"
FORMATS = st.sampled_from([None, "turtle", "nt", "jsonld"])


@pytest.fixture(scope="module")
def exports() -> dict[str, bytes]:
    with tempfile.TemporaryDirectory() as tmp:
        source = EmbeddedStore(Path(tmp) / "source")
        for batch in sample_batches():
            source.upsert(batch)
        out: dict[str, bytes] = {}
        for fmt in ("turtle", "nt", "jsonld"):
            buf = io.BytesIO()
            export_store(source, buf, fmt, BASE)  # type: ignore[arg-type]
            out[fmt] = buf.getvalue()
        source.close()
    return out


@pytest.fixture(scope="module")
def target() -> Iterator[EmbeddedStore]:
    with tempfile.TemporaryDirectory() as tmp:
        opened = EmbeddedStore(Path(tmp) / "target")
        yield opened
        opened.close()


def import_or_refuse(data: bytes, fmt: str | None, store: EmbeddedStore) -> None:
    before = store.stats()
    try:
        # unchecked texts: the sample world has none, and edits should reach the store's writes too
        import_rdf(
            data, fmt, store, BASE, name="fuzz", max_bytes=1_000_000, max_triples=50_000, without_text=True
        )
    except BadRDF as e:
        assert str(e).startswith("fuzz")
        assert store.stats() == before


@given(data=st.binary(max_size=3_000), fmt=FORMATS)
def test_any_bytes(target: EmbeddedStore, data: bytes, fmt: str | None) -> None:
    import_or_refuse(data, fmt, target)


_EDIT_TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ['"', "\\", "\\uD800", "\\u0000", "<", ">", "{", "}", "[", "(", "^^", "@en", " .", "\n", '"x"']
    ),
)


@given(
    fmt=st.sampled_from(["turtle", "nt", "jsonld"]),
    edits=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 40), _EDIT_TEXT), min_size=1, max_size=4),
)
def test_any_edit_of_a_real_export(
    exports: dict[str, bytes], target: EmbeddedStore, fmt: str, edits: list[tuple[float, int, str]]
) -> None:
    text = exports[fmt].decode()
    for where, length, replacement in edits:
        at = int(where * len(text))
        text = text[:at] + replacement + text[at + length :]
    import_or_refuse(text.encode("utf-8", "surrogatepass"), fmt, target)
