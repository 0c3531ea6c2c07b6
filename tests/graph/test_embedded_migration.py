"""A store written by an older aigeo opens, and is brought up to date in place (issue 11)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from graph.model import RelationFilter
from graph.schema import RelType
from graph.stores import embedded_sql as sql
from graph.stores.embedded import DB_FILE, EmbeddedStore
from tests.graph.factories import make_batch


def test_a_version_1_store_is_migrated_and_forgets_ingest_days_as_seen_dates(tmp_path: Path) -> None:
    ingested = datetime(2026, 12, 7, tzinfo=UTC)
    with EmbeddedStore(tmp_path) as store:
        store.upsert(
            make_batch(
                "doc-undated",
                relations=[("company:microsoft", RelType.BACKS, "company:openai")],
                published=None,
                ingested_at=ingested,
            )
        )
    # Make it what version 1 wrote: no date source, no stories, and the ingest day as the seen day.
    conn = sqlite3.connect(tmp_path / DB_FILE)
    key = sql.instant_key(ingested)
    conn.executescript(
        f"""
        ALTER TABLE documents DROP COLUMN date_source;
        DROP INDEX documents_story;
        ALTER TABLE documents DROP COLUMN story;
        ALTER TABLE documents DROP COLUMN fingerprint;
        ALTER TABLE relations DROP COLUMN outlets;
        DROP TABLE bands;
        UPDATE documents SET seen_key = '{key}';
        UPDATE supports SET seen_key = '{key}';
        UPDATE mentions SET seen_key = '{key}';
        UPDATE relations SET first_key = '{key}', last_key = '{key}';
        UPDATE meta SET value = 1 WHERE key = 'schema';
        """
    )
    conn.close()

    with EmbeddedStore(tmp_path) as store:
        assert store.relations(RelationFilter(seen_from=datetime(2026, 1, 1, tzinfo=UTC))) == []
        rel = store.relations(RelationFilter())[0]
        assert rel.first_seen is None and rel.weight == 1
        doc = store.get_document("doc-undated")
        assert doc.date_source is None and doc.ingested_at == ingested and doc.story is None
        assert rel.outlets == 0  # its outlet is unknown
