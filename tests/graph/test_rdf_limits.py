"""Hostile RDF (issue 13): size, triple and nesting limits, text no ingest would produce, and no rdflib
noise before a refusal. Every refusal is one `BadRDF` and leaves the store as it was."""

from __future__ import annotations

import io
import logging
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.errors import BadRDF
from graph.rdf import export_store, import_rdf
from graph.stores.embedded import EmbeddedStore
from tests.graph.factories import sample_batches

BASE = "https://aigeo.test/id/"

NOTE = """
@prefix aigeo: <https://aigeo.dev/ontology#> .
<https://aigeo.test/id/company/mistral> a aigeo:Company ; aigeo:name "{name}" .
<https://aigeo.test/id/company/openai> a aigeo:Company ; aigeo:name "OpenAI" .
<https://aigeo.test/id/document/note-1> a aigeo:Document ;
    aigeo:source "notes/1.txt" ; aigeo:wordCount 12 ;
    aigeo:mentions <https://aigeo.test/id/company/mistral>, <https://aigeo.test/id/company/openai> .
<https://aigeo.test/id/company/openai> aigeo:competesWith <https://aigeo.test/id/company/mistral> .
[] a aigeo:Relation ;
    rdf:subject <https://aigeo.test/id/company/openai> ;
    rdf:predicate aigeo:competesWith ;
    rdf:object <https://aigeo.test/id/company/mistral> ;
    aigeo:evidence [
        a aigeo:Evidence ;
        aigeo:document <https://aigeo.test/id/document/note-1> ;
        aigeo:sentence "{sentence}" ;
        aigeo:start {start} ; aigeo:end {end} ; aigeo:extractor "analyst"
    ] .
""".replace("@prefix aigeo:", "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n@prefix aigeo:")
SENTENCE = "Mistral AI is pitched as Europe's answer to OpenAI."


def note(name: str = "Mistral AI", sentence: str = SENTENCE, start: int = 0, end: int = 51) -> bytes:
    return NOTE.format(name=name, sentence=sentence, start=start, end=end).encode()


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[EmbeddedStore]:
    opened = EmbeddedStore(tmp_path / "imported")
    yield opened
    opened.close()


def refused(data: bytes | Path, fresh: EmbeddedStore, fmt: str | None = "turtle", **limits: int) -> str:
    with pytest.raises(BadRDF) as caught:
        import_rdf(data, fmt, fresh, BASE, name="hostile", **limits, without_text=True)
    assert fresh.stats().documents == 0 and fresh.stats().entities == 0
    message = str(caught.value)
    assert message.startswith("hostile: ")
    return message


def test_the_well_formed_note_imports(fresh: EmbeddedStore) -> None:
    assert import_rdf(note(), "turtle", fresh, BASE, without_text=True).evidence == 1


def test_a_file_over_the_size_limit_is_refused_before_parsing(fresh: EmbeddedStore, tmp_path: Path) -> None:
    path = tmp_path / "big.ttl"
    path.write_bytes(note())
    assert "too large" in refused(path, fresh, None, max_bytes=100)
    assert "too large" in refused(note(), fresh, max_bytes=100)


def test_a_turtle_collection_is_refused_at_once(fresh: EmbeddedStore) -> None:
    data = b"<http://x.org/a> <http://x.org/b> (" + b"1 " * 1_000_000 + b") ."  # 2 MB
    started = time.perf_counter()
    assert "RDF collection" in refused(data, fresh)
    assert time.perf_counter() - started < 15


def test_triples_over_the_limit_stop_the_parse(fresh: EmbeddedStore) -> None:
    data = b"".join(b"<http://x.org/s%d> <http://x.org/p> <http://x.org/o> .\n" % i for i in range(50))
    assert "more than 10 triples" in refused(data, fresh, "nt", max_triples=10)


def test_deeply_nested_json_ld_is_refused_in_one_line(fresh: EmbeddedStore) -> None:
    data = b'{"@id": "http://x.org/a", "http://x.org/p": ' * 50_000 + b"{}" + b"}" * 50_000
    assert "nested more than" in refused(data, fresh, "jsonld")


@pytest.mark.parametrize(
    "fields, complaint",
    [
        ({"name": "Mistral\\u0000AI"}, "U+0000"),
        ({"name": "Mistral \\uD800"}, "U+D800"),
        ({"name": "M" * 2_000_000}, "characters long"),
        ({"sentence": "Nothing like this was said in so short a span.", "end": 10}, "more than its span"),
        ({"sentence": SENTENCE, "start": 60, "end": 60}, "is not after start"),
        ({"sentence": " ".join(["word"] * 20), "end": 200}, "more than its document's 12"),
    ],
    ids=["nul", "surrogate", "megabyte-name", "sentence-longer-than-span", "empty-span", "too-many-words"],
)
def test_text_no_ingest_would_produce_is_refused(
    fresh: EmbeddedStore, fields: dict[str, object], complaint: str
) -> None:
    message = refused(note(**fields), fresh)  # type: ignore[arg-type]
    assert complaint in message
    assert len(message) < 2_000  # the problem names the value, it does not repeat a megabyte of it


def test_rdflib_says_nothing_before_a_refusal(
    fresh: EmbeddedStore, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    data = note().replace(
        b"aigeo:wordCount 12", b'aigeo:wordCount "twelve"^^<http://www.w3.org/2001/XMLSchema#integer>'
    )
    with caplog.at_level(logging.DEBUG):
        assert "wordCount" in refused(data, fresh)
    assert not [r for r in caplog.records if r.name.startswith("rdflib")]
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out


def test_an_export_within_the_default_limits_still_round_trips(tmp_path: Path, fresh: EmbeddedStore) -> None:
    source = EmbeddedStore(tmp_path / "source")
    try:
        for batch in sample_batches():
            source.upsert(batch)
        out = io.BytesIO()
        export_store(source, out, "jsonld", BASE)
        report = import_rdf(out.getvalue(), "jsonld", fresh, BASE, without_text=True)
        assert report.documents == source.stats().documents
    finally:
        source.close()


def test_an_odd_boolean_is_refused_without_a_warning(fresh: EmbeddedStore) -> None:
    data = note().replace(
        b'aigeo:extractor "analyst"',
        b'aigeo:extractor "analyst" ; aigeo:hedged "0.(alse"^^<http://www.w3.org/2001/XMLSchema#boolean>',
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning would fail the import here
        assert "hedged" in refused(data, fresh)
