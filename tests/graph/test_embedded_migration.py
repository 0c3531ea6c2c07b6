"""A store written by an older aigeo opens, and is brought up to date in place (issue 11)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from graph.model import RelationFilter
from graph.schema import RelType
from graph.stores import embedded_sql as sql
from graph.stores.embedded import DB_FILE, EmbeddedStore
from tests.graph.factories import Claim, make_batch, random_batches, store_state


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
        ALTER TABLE evidence DROP COLUMN trigger_start;
        ALTER TABLE evidence DROP COLUMN trigger_end;
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


def test_a_version_3_store_opens_with_evidence_without_triggers_and_takes_new_ones(tmp_path: Path) -> None:
    said = "Microsoft invested $1 billion in OpenAI."
    with EmbeddedStore(tmp_path) as store:
        store.upsert(
            make_batch(
                "doc-old",
                relations=[
                    Claim("company:microsoft", RelType.BACKS, "company:openai", said, trigger="invested")
                ],
            )
        )
    # Make it what version 3 wrote: evidence without trigger offsets.
    conn = sqlite3.connect(tmp_path / DB_FILE)
    conn.executescript(
        """
        ALTER TABLE evidence DROP COLUMN trigger_start;
        ALTER TABLE evidence DROP COLUMN trigger_end;
        UPDATE meta SET value = 3 WHERE key = 'schema';
        """
    )
    conn.close()

    with EmbeddedStore(tmp_path) as store:
        (old,) = store.relations(RelationFilter())[0].evidence
        assert (old.sentence, old.trigger_start, old.trigger_end) == (said, None, None)
        assert store.relations(RelationFilter())[0].weight == 1
        store.upsert(
            make_batch(
                "doc-new",
                relations=[
                    Claim(
                        "company:baidu",
                        RelType.COMPETES_WITH,
                        "company:openai",
                        "Baidu is a rival of OpenAI.",
                        trigger="rival",
                    )
                ],
            )
        )
        new = store.document_relations("doc-new")[0].evidence[0]
        assert new.sentence[new.trigger_start : new.trigger_end] == "rival"
    conn = sqlite3.connect(tmp_path / DB_FILE)
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() == (sql.SCHEMA_VERSION,)
    conn.close()


def test_a_version_4_store_opens_without_texts_and_keeps_new_ones(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path) as store:
        old = make_batch("doc-old", relations=[("company:microsoft", RelType.BACKS, "company:openai")])
        store.upsert(old)
    # Make it what version 4 wrote: no table of texts.
    conn = sqlite3.connect(tmp_path / DB_FILE)
    conn.executescript("DROP TABLE document_texts; UPDATE meta SET value = 4 WHERE key = 'schema';")
    conn.close()

    with EmbeddedStore(tmp_path) as store:
        assert store.document_text("doc-old") is None
        assert store.relations(RelationFilter())[0].weight == 1
        new = make_batch("doc-new", relations=[("company:baidu", RelType.COMPETES_WITH, "company:openai")])
        store.upsert(new.model_copy(update={"text": "Baidu is a rival of OpenAI."}))
        assert store.document_text("doc-new") == "Baidu is a rival of OpenAI."
        store.retract("doc-old")
    conn = sqlite3.connect(tmp_path / DB_FILE)
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() == (sql.SCHEMA_VERSION,)
    conn.close()


MENTIONS_V5 = """
CREATE TABLE mentions_v5 (
    entity_id TEXT NOT NULL,
    doc INTEGER NOT NULL,
    count INTEGER NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    country TEXT,
    aliases TEXT NOT NULL,
    seen_key TEXT,
    PRIMARY KEY (entity_id, doc)
) WITHOUT ROWID;
INSERT INTO mentions_v5 SELECT entity_id, doc, count, name, type, country, aliases, seen_key FROM mentions;
DROP TABLE mentions;
ALTER TABLE mentions_v5 RENAME TO mentions;
CREATE INDEX mentions_doc ON mentions (doc);
ALTER TABLE entity_names ADD COLUMN refs INTEGER NOT NULL DEFAULT 0;
UPDATE entity_names SET refs = (SELECT COUNT(*) FROM mentions m
    WHERE m.entity_id = entity_names.entity_id AND (m.name = entity_names.name
        OR EXISTS (SELECT 1 FROM json_each(m.aliases) j WHERE j.value = entity_names.name)));
UPDATE meta SET value = 5 WHERE key = 'schema';
"""
"""What schema 5 held: mentions keyed by (entity, document), with an index by document; names counted
by the mentions that carry them."""


def test_a_version_5_store_keys_its_mentions_by_document_and_keeps_every_aggregate(tmp_path: Path) -> None:
    batches = random_batches(seed=31, nodes=25, docs=14)
    with EmbeddedStore(tmp_path / "old") as old, EmbeddedStore(tmp_path / "fresh") as fresh:
        old.upsert_many(batches)
        fresh.upsert_many(batches)
        expected = store_state(fresh)
        contributed = [fresh.document_batch(b.document.id) for b in batches]
        fresh.retract(batches[4].document.id)
        after_retraction = store_state(fresh)
    conn = sqlite3.connect(tmp_path / "old" / DB_FILE)
    conn.executescript(MENTIONS_V5)
    conn.close()

    with EmbeddedStore(tmp_path / "old") as store:
        assert store_state(store) == expected
        assert [store.document_batch(b.document.id) for b in batches] == contributed
        store.retract(batches[4].document.id)
        assert store_state(store) == after_retraction
    conn = sqlite3.connect(tmp_path / "old" / DB_FILE)
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() == (sql.SCHEMA_VERSION,)
    (ddl,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'mentions'").fetchone()
    assert "PRIMARY KEY (doc, entity_id)" in ddl
    indexes = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'mentions'")}
    assert indexes == {"mentions", "mentions_entity"}
    assert [row[1] for row in conn.execute("PRAGMA table_info(entity_names)")] == ["entity_id", "name", "key"]
    conn.close()
