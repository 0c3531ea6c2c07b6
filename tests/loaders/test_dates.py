"""Publication dates from every source an article has, with the source named (issue 11)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aigeo.cli import app
from graph.model import RelationFilter
from graph.stores.embedded import EmbeddedStore
from loaders.dates import date_in_text, date_in_url
from loaders.readers import read_bytes, read_file

NOW = datetime(2026, 12, 7, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "day", "source"),
    [
        (
            "01_us_chip_controls_2022.txt",
            "2022-10-12",
            "text:dateline",
        ),  # "October 12, 2022 4:05 PM | 4 min read"
        ("04_netherlands_asml_lithography.txt", "2024-09-09", "text:published"),
        ("05_japan_chip_equipment_controls.txt", "2023-07-24", "text:dateline"),
        ("06_microsoft_openai_investment.md", "2024-08-06", "text:dateline"),
        ("11_eu_ai_act_mistral.md", "2024-08-01", "text:dateline"),
        ("02_us_chip_rules_update_2023.md", "2025-04-18", "front-matter"),
        ("03_huawei_entity_list_ascend.html", "2024-05-16", "html-meta"),
        ("feeds/techpolicy_rss.xml", "2024-06-25", "feed"),
        ("feeds/wire_briefs.jsonl", "2023-05-21", "json"),
    ],
)
def test_every_example_gets_its_publication_date_and_where_it_came_from(
    examples_dir: Path, name: str, day: str, source: str
) -> None:
    doc = read_file(examples_dir / name, 5_000_000).documents[0]
    assert doc.published is not None and doc.published.date().isoformat() == day
    assert doc.date_source == source


def test_published_line_wins_over_updated_and_over_a_bare_dateline() -> None:
    text = "Headline\nMay 3, 2024\nUpdated: May 4, 2024 10:00 GMT\nPublished: May 1, 2024\n\nBody."
    when, source = date_in_text(text, NOW) or (None, None)
    assert source == "text:published" and when == datetime(2024, 5, 1, tzinfo=UTC)
    assert date_in_text("Headline\nLast updated 4 May 2024\n\nBody.", NOW) == (
        datetime(2024, 5, 4, tzinfo=UTC),
        "text:updated",
    )


@pytest.mark.parametrize(
    "text",
    [
        # a dated event inside the story is not when the story was published
        "Washington acted.\n\nThe Commerce Department said on October 7, 2022 that it would restrict chips.",
        "Headline\n\nThe act entered into force on 1 August 2024.",
        "Headline\n\nThe rule came in October 2023.",  # no day
        "Headline\nMarch 3, 2087\n\nBody.",  # in the future
    ],
)
def test_dates_of_events_in_the_story_are_not_publication_dates(text: str) -> None:
    assert date_in_text(text, NOW) is None


def test_a_date_in_the_url_dates_a_record_that_declares_none() -> None:
    record = {
        "title": "Chips",
        "text": "Nvidia and the US rules. " * 5,
        "url": "https://x.example/2024/06/25/chips",
    }
    doc = read_bytes(json.dumps(record).encode(), "r.json", 1_000_000).documents[0]
    assert doc.published == datetime(2024, 6, 25, tzinfo=UTC) and doc.date_source == "url"
    assert date_in_url("https://x.example/2024/13/45/chips") is None


def test_an_undated_document_has_no_published_date() -> None:
    doc = read_bytes(b"Nvidia sells chips to many firms around the world.", "plain.txt", 1_000).documents[0]
    assert doc.published is None and doc.date_source is None


@pytest.fixture(scope="module")
def dated_store(tmp_path_factory: pytest.TempPathFactory, examples_dir: Path) -> Path:
    """The 2022 example, and an undated article, through the real CLI and spaCy pipeline."""
    folder = tmp_path_factory.mktemp("news")
    (folder / "01.txt").write_bytes((examples_dir / "01_us_chip_controls_2022.txt").read_bytes())
    (folder / "undated.txt").write_text(
        "Alibaba Backs Zhipu\n\nAlibaba invested in Zhipu AI, the Beijing start-up, in a new funding round.\n"
    )
    store = folder / "data"
    result = CliRunner().invoke(
        app, ["ingest", str(folder / "01.txt"), str(folder / "undated.txt"), "--store", str(store)]
    )
    assert result.exit_code == 0, result.output
    return store


def test_when_reported_filters_use_publication_dates_not_the_ingest_day(dated_store: Path) -> None:
    with EmbeddedStore(dated_store) as store:
        docs = {Path(d.source).name: d for d in store.iter_documents()}
        assert docs["01.txt"].published is not None and docs["01.txt"].date_source == "text:dateline"
        assert docs["undated.txt"].published is None and docs["undated.txt"].ingested_at is not None
        everything = store.relations(RelationFilter(limit=1000))
        assert everything
        # before the fix, every relation was "seen" on the ingest day
        assert store.relations(RelationFilter(seen_from=datetime(2026, 1, 1, tzinfo=UTC))) == []
        for rel in everything:
            if rel.first_seen is not None:
                assert rel.first_seen.date() == date(2022, 10, 12)
        undated_only = [r for r in everything if {e.doc_id for e in r.evidence} == {docs["undated.txt"].id}]
        assert undated_only and all(r.first_seen is None and r.last_seen is None for r in undated_only)
