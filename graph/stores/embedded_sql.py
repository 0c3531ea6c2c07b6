"""The embedded store's SQLite schema and the statements that keep its aggregates exact.

Storage is per document so a retraction is exact: `mentions` (what one document said about an entity),
`supports` (which documents back a relation), `evidence` (their sentences) and `entity_names`
(the names and aliases the entity's mentions carry). `entities` and `relations` are materialised aggregates,
recomputed inside the same transaction as every write that touches them, so reads stay cheap at
hundreds of thousands of relations.

Instants are stored twice where they are compared: as given (`published`, `ingested_at`) and as a
sortable UTC key (`seen_key`, `first_key`, `last_key`); naive datetimes count as UTC.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

SCHEMA_VERSION = 6

PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    # WAL + NORMAL never corrupts and never exposes a half transaction; a power cut may lose the
    # last commits, which a rerun of the ingest restores (it is idempotent).
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=OFF",
    "PRAGMA temp_store=MEMORY",
    # 256 MB, not 64: a bulk load dirties index pages all over a growing store; with the larger cache
    # upsert_many at 100k/500k went 4.2k -> 5.5k relations/s. Readers use mmap, not this cache.
    "PRAGMA cache_size=-262144",
    # Reads of a store larger than the page cache come straight from the OS's file cache, not read().
    "PRAGMA mmap_size=1073741824",
    # Checkpoint every 64 MB of WAL, not every 4 MB: each checkpoint syncs the database file, and on
    # this machine those syncs were 70% of a bulk load's wall time (100k relations: 106 s -> 29 s).
    "PRAGMA wal_autocheckpoint=16384",
    "PRAGMA journal_size_limit=67108864",
)

DDL = f"""
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT OR IGNORE INTO meta (key, value) VALUES ('generation', 0);
INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', {SCHEMA_VERSION});

CREATE TABLE IF NOT EXISTS documents (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    title TEXT,
    url TEXT,
    outlet TEXT,
    published TEXT,
    ingested_at TEXT,
    word_count INTEGER NOT NULL DEFAULT 0,
    seen_key TEXT,
    date_source TEXT,
    story TEXT,
    fingerprint TEXT
);
CREATE INDEX IF NOT EXISTS documents_source ON documents (source);

-- The article's text as read, apart from the row so that listing documents never reads it.
CREATE TABLE IF NOT EXISTS document_texts (
    doc INTEGER PRIMARY KEY,
    text TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS bands (
    key INTEGER NOT NULL,
    doc INTEGER NOT NULL,
    PRIMARY KEY (key, doc)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS bands_doc ON bands (doc);

CREATE TABLE IF NOT EXISTS entities (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    country TEXT,
    aliases TEXT NOT NULL DEFAULT '[]',
    mention_count INTEGER NOT NULL DEFAULT 0,
    first_key TEXT,
    last_key TEXT
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entities_type ON entities (type);

-- Keyed by document: a write appends its documents' mentions at the end of the table; the narrow
-- index by entity (mentions_entity, created after migration) takes the random inserts.
CREATE TABLE IF NOT EXISTS mentions (
    doc INTEGER NOT NULL,
    entity_id TEXT NOT NULL,
    count INTEGER NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    country TEXT,
    aliases TEXT NOT NULL,
    seen_key TEXT,
    PRIMARY KEY (doc, entity_id)
) WITHOUT ROWID;

-- Not counted: a write adds the names it brings; a removal drops those no remaining mention carries.
CREATE TABLE IF NOT EXISTS entity_names (
    entity_id TEXT NOT NULL,
    name TEXT NOT NULL,
    key TEXT NOT NULL,
    PRIMARY KEY (entity_id, name)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entity_names_key ON entity_names (key);

CREATE TABLE IF NOT EXISTS relations (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    type TEXT NOT NULL,
    target TEXT NOT NULL,
    weight INTEGER NOT NULL DEFAULT 0,
    confidence REAL NOT NULL DEFAULT 0,
    first_key TEXT,
    last_key TEXT,
    since TEXT,
    hedged INTEGER NOT NULL DEFAULT 0,
    evidence_count INTEGER NOT NULL DEFAULT 0,
    outlets INTEGER NOT NULL DEFAULT 0,
    UNIQUE (source, type, target)
);
CREATE INDEX IF NOT EXISTS relations_target ON relations (target);
CREATE INDEX IF NOT EXISTS relations_weight ON relations (weight DESC, source, type, target);
CREATE INDEX IF NOT EXISTS relations_type ON relations (type, weight DESC, source, target);

CREATE TABLE IF NOT EXISTS supports (
    rel INTEGER NOT NULL,
    doc INTEGER NOT NULL,
    seen_key TEXT,
    PRIMARY KEY (rel, doc)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS supports_doc ON supports (doc);

CREATE TABLE IF NOT EXISTS evidence (
    id INTEGER PRIMARY KEY,
    rel INTEGER NOT NULL,
    doc INTEGER NOT NULL,
    sentence TEXT NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    extractor TEXT NOT NULL,
    confidence REAL NOT NULL,
    hedged INTEGER NOT NULL,
    since TEXT,
    trigger_start INTEGER,
    trigger_end INTEGER
);
CREATE INDEX IF NOT EXISTS evidence_rel ON evidence (rel, doc, start_offset);
CREATE INDEX IF NOT EXISTS evidence_doc ON evidence (doc);

-- What each recent write touched, so processes holding the graph in memory move it on by the delta
-- (see graph.stores.live). Older aigeo versions do not write it; readers then rebuild, as before.
CREATE TABLE IF NOT EXISTS changes (
    generation INTEGER PRIMARY KEY,
    relations TEXT NOT NULL,
    entities TEXT NOT NULL
);
"""

# Indexes on columns that older schemas lack: created once `migrate` has added the columns.
DDL_AFTER_MIGRATION = """
CREATE INDEX IF NOT EXISTS documents_story ON documents (story);
CREATE INDEX IF NOT EXISTS mentions_entity ON mentions (entity_id, doc);
-- Aggregates are settled per write from each row's primary-key range; these only slowed bulk loads.
DROP INDEX IF EXISTS mentions_seen;
DROP INDEX IF EXISTS supports_seen;
"""

GENERATION = "SELECT value FROM meta WHERE key = 'generation'"
BUMP_GENERATION = "UPDATE meta SET value = value + 1 WHERE key = 'generation'"

DOCUMENT_COLUMNS = (
    "d.seq, d.id, d.source, d.title, d.url, d.outlet, d.published, d.ingested_at, d.word_count,"
    " d.date_source, d.story, d.fingerprint"
)
ENTITY_COLUMNS = "e.id, e.name, e.type, e.country, e.aliases, e.mention_count, e.first_key, e.last_key"
RELATION_COLUMNS = (
    "r.id, r.source, r.type, r.target, r.weight, r.confidence, r.first_key, r.last_key, r.since, r.hedged,"
    " r.outlets"
)
EVIDENCE_COLUMNS = (
    "ev.rel, d.id, ev.sentence, ev.start_offset, ev.end_offset, ev.extractor, ev.confidence, ev.hedged,"
    " ev.since, ev.trigger_start, ev.trigger_end, d.title, d.url, d.published"
)
UPSERT_ENTITY = (
    "INSERT INTO entities (id, name, type, country, aliases, mention_count, first_key, last_key)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (id) DO UPDATE SET name = excluded.name, type = excluded.type,"
    " country = excluded.country, aliases = excluded.aliases, mention_count = excluded.mention_count,"
    " first_key = excluded.first_key, last_key = excluded.last_key"
)
"""Write an entity's settled row (one recompute, or a bulk settle's executemany)."""
MOVE_ENTITY_TOTALS = "UPDATE entities SET mention_count = ?, first_key = ?, last_key = ? WHERE id = ?"
"""Move only an entity's totals (a bulk settle's rows whose other columns stay as they are)."""


def story_candidates(n_bands: int) -> str:
    """The documents that share a band key with a new one: index lookups only, never a scan."""
    marks = ", ".join("?" * n_bands)
    return (
        "SELECT d.id, d.story, d.fingerprint FROM documents d"
        f" WHERE d.seq IN (SELECT doc FROM bands WHERE key IN ({marks}))"
    )


def instant_key(moment: datetime | None) -> str | None:
    """A sortable UTC text form of a datetime (naive means UTC).

    >>> instant_key(datetime(2025, 1, 2, 3, 4, 5))
    '2025-01-02T03:04:05.000000'
    """
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def key_instant(key: str | None) -> datetime | None:
    """The timezone-aware UTC datetime back from `instant_key`."""
    return None if key is None else datetime.fromisoformat(key).replace(tzinfo=UTC)


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def from_iso(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def create_schema(conn: sqlite3.Connection) -> None:
    conn.executescript(DDL)
    (version,) = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    if version < SCHEMA_VERSION:
        migrate(conn, version)
    conn.executescript(DDL_AFTER_MIGRATION)


def migrate(conn: sqlite3.Connection, version: int) -> None:
    """Bring a store written by an older aigeo up to `SCHEMA_VERSION`, in one transaction.

    2: a document's date source; an undated document is seen at no time (version 1 used its ingest
    time), so first/last seen are recomputed from publication dates alone.
    3: stories. Documents stored before have no fingerprint: each is a story of its own (a copy of one
    is found again once it is ingested again).
    4: trigger offsets on evidence. Evidence stored before has none (the explorer then guesses the
    trigger from the rule's name); re-ingesting a document fills them in.
    5: document texts, in their own table (created by the DDL). Documents stored before have none;
    re-ingesting the corpus does not add it (the same id is "unchanged"): retract and ingest again.
    6: mentions keyed by document, (doc, entity_id), with a narrow index by entity: a bulk load
    appends to the table instead of inserting wide rows all over it. The rows are copied as they are.
    Names lose their reference counts (a bulk write updated one per name it brought).
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        if version < 2:
            conn.execute("ALTER TABLE documents ADD COLUMN date_source TEXT")
            conn.execute("UPDATE documents SET seen_key = NULL WHERE published IS NULL")
            undated = "SELECT seq FROM documents WHERE published IS NULL"
            conn.execute(f"UPDATE mentions SET seen_key = NULL WHERE doc IN ({undated})")
            conn.execute(f"UPDATE supports SET seen_key = NULL WHERE doc IN ({undated})")
        if version < 3:
            conn.execute("ALTER TABLE documents ADD COLUMN story TEXT")
            conn.execute("ALTER TABLE documents ADD COLUMN fingerprint TEXT")
            conn.execute("UPDATE documents SET story = id")
            conn.execute("ALTER TABLE relations ADD COLUMN outlets INTEGER NOT NULL DEFAULT 0")
        if version < 4:
            conn.execute("ALTER TABLE evidence ADD COLUMN trigger_start INTEGER")
            conn.execute("ALTER TABLE evidence ADD COLUMN trigger_end INTEGER")
        if version < 6:
            _key_mentions_by_document(conn)
            if "refs" in {row[1] for row in conn.execute("PRAGMA table_info(entity_names)")}:
                conn.execute("ALTER TABLE entity_names DROP COLUMN refs")
        if version < 3:  # aggregates changed meaning up to 3; 4 only adds columns
            for (rel_id,) in conn.execute("SELECT id FROM relations").fetchall():
                recompute_relation(conn, rel_id)
            for (entity_id,) in conn.execute("SELECT id FROM entities").fetchall():
                recompute_entity(conn, entity_id)
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (SCHEMA_VERSION,))
        conn.execute(BUMP_GENERATION)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


_MENTIONS_V6 = (
    "CREATE TABLE mentions_v6 (doc INTEGER NOT NULL, entity_id TEXT NOT NULL, count INTEGER NOT NULL,"
    " name TEXT NOT NULL, type TEXT NOT NULL, country TEXT, aliases TEXT NOT NULL, seen_key TEXT,"
    " PRIMARY KEY (doc, entity_id)) WITHOUT ROWID"
)


def _key_mentions_by_document(conn: sqlite3.Connection) -> None:
    """Schema 6: copy `mentions` into a table keyed (doc, entity_id), in key order, and index it by entity."""
    conn.execute(_MENTIONS_V6)
    conn.execute(
        "INSERT INTO mentions_v6 (doc, entity_id, count, name, type, country, aliases, seen_key)"
        " SELECT doc, entity_id, count, name, type, country, aliases, seen_key FROM mentions"
        " ORDER BY doc, entity_id"
    )
    conn.execute("DROP TABLE mentions")  # and its index by document
    conn.execute("ALTER TABLE mentions_v6 RENAME TO mentions")
    conn.execute("CREATE INDEX mentions_entity ON mentions (entity_id, doc)")


_NAME_CARRIED = (
    "SELECT 1 FROM mentions m WHERE m.entity_id = ?1 AND (m.name = ?2"
    " OR EXISTS (SELECT 1 FROM json_each(m.aliases) j WHERE j.value = ?2))"
)


def drop_unsaid_names(conn: sqlite3.Connection, said: Iterable[tuple[str, str, str]]) -> None:
    """Drop the names (entity id, name, aliases as JSON) of removed mentions that no remaining mention
    of their entity carries."""
    for entity_id, name, aliases in said:
        for spelling in {name, *json.loads(aliases)}:
            if conn.execute(_NAME_CARRIED, (entity_id, spelling)).fetchone() is None:
                conn.execute(
                    "DELETE FROM entity_names WHERE entity_id = ? AND name = ?", (entity_id, spelling)
                )


def recompute_entity(conn: sqlite3.Connection, entity_id: str) -> bool:
    """Rebuild one entity's row from its mentions; delete it when none is left. True if it remains."""
    count, mentions, first_key, last_key = conn.execute(
        "SELECT COUNT(*), COALESCE(SUM(count), 0), MIN(seen_key), MAX(seen_key)"
        " FROM mentions WHERE entity_id = ?",
        (entity_id,),
    ).fetchone()
    if count == 0:
        conn.execute("DELETE FROM entities WHERE id = ?", (entity_id,))
        conn.execute("DELETE FROM entity_names WHERE entity_id = ?", (entity_id,))
        return False
    # Base attributes come from the latest document that carries them.
    name, type_ = conn.execute(
        "SELECT name, type FROM mentions WHERE entity_id = ? ORDER BY doc DESC LIMIT 1", (entity_id,)
    ).fetchone()
    row = conn.execute(
        "SELECT country FROM mentions WHERE entity_id = ? AND country IS NOT NULL ORDER BY doc DESC LIMIT 1",
        (entity_id,),
    ).fetchone()
    country = row[0] if row else None
    names = [n for (n,) in conn.execute("SELECT name FROM entity_names WHERE entity_id = ?", (entity_id,))]
    aliases = sorted((n for n in names if n != name), key=lambda n: (n.casefold(), n))
    conn.execute(
        UPSERT_ENTITY,
        (
            entity_id,
            name,
            type_,
            country,
            json.dumps(aliases, ensure_ascii=False),
            mentions,
            first_key,
            last_key,
        ),
    )
    return True


def recompute_relation(conn: sqlite3.Connection, rel_id: int) -> bool:
    """Rebuild one relation's aggregates from its supports and evidence; delete it when unsupported.

    weight = distinct stories among the supporting documents (copies of one article count once, and
    removing one copy changes nothing while another remains); outlets = their distinct outlets;
    confidence = the highest evidence confidence (a relation is as credible as its best sentence;
    repeating a rumour does not make it surer); first/last seen = the supporting documents'
    earliest/latest `seen_at`; since = the earliest stated date; hedged = every evidence sentence hedged.
    """
    supports, weight, outlets, first_key, last_key = conn.execute(
        "SELECT COUNT(*), COUNT(DISTINCT COALESCE(d.story, d.id)), COUNT(DISTINCT d.outlet),"
        " MIN(s.seen_key), MAX(s.seen_key)"
        " FROM supports s JOIN documents d ON d.seq = s.doc WHERE s.rel = ?",
        (rel_id,),
    ).fetchone()
    if supports == 0:
        conn.execute("DELETE FROM relations WHERE id = ?", (rel_id,))
        conn.execute("DELETE FROM evidence WHERE rel = ?", (rel_id,))
        return False
    n_evidence, confidence, since, n_hedged = conn.execute(
        "SELECT COUNT(*), COALESCE(MAX(confidence), 0), MIN(since), COALESCE(SUM(hedged), 0)"
        " FROM evidence WHERE rel = ?",
        (rel_id,),
    ).fetchone()
    conn.execute(
        "UPDATE relations SET weight = ?, confidence = ?, first_key = ?, last_key = ?, since = ?,"
        " hedged = ?, evidence_count = ?, outlets = ? WHERE id = ?",
        (
            weight,
            confidence,
            first_key,
            last_key,
            since,
            int(n_evidence > 0 and n_hedged == n_evidence),
            n_evidence,
            outlets,
            rel_id,
        ),
    )
    return True


def remove_document(conn: sqlite3.Connection, seq: int) -> None:
    """Delete one document's rows; mark the entities and relations whose aggregates must change."""
    said = conn.execute("SELECT entity_id, name, aliases FROM mentions WHERE doc = ?", (seq,)).fetchall()
    conn.execute("INSERT OR IGNORE INTO settle_ent (id) SELECT entity_id FROM mentions WHERE doc = ?", (seq,))
    conn.execute("INSERT OR IGNORE INTO settle_rel (id) SELECT rel FROM supports WHERE doc = ?", (seq,))
    conn.execute("DELETE FROM mentions WHERE doc = ?", (seq,))
    drop_unsaid_names(conn, said)
    conn.execute("DELETE FROM supports WHERE doc = ?", (seq,))
    conn.execute("DELETE FROM evidence WHERE doc = ?", (seq,))
    conn.execute("DELETE FROM bands WHERE doc = ?", (seq,))
    conn.execute("DELETE FROM document_texts WHERE doc = ?", (seq,))
    conn.execute("DELETE FROM documents WHERE seq = ?", (seq,))


# -- staging: a write's rows go to TEMP tables first (executemany, no index but a rowid), then into the
# store in a few INSERT ... SELECT statements sorted by each table's key, so each index is walked in
# order once per write instead of probed at random per row. `settle_*` hold what the write touched.

_STAGE_TABLES = (
    "CREATE TEMP TABLE IF NOT EXISTS settle_rel (id INTEGER PRIMARY KEY)",
    "CREATE TEMP TABLE IF NOT EXISTS settle_ent (id TEXT PRIMARY KEY) WITHOUT ROWID",
    # merged: already in `mentions`; the rows stay for settling entities from this write's mentions.
    "CREATE TEMP TABLE IF NOT EXISTS stage_mentions (entity_id TEXT, doc INTEGER, count INTEGER, name TEXT,"
    " type TEXT, country TEXT, aliases TEXT, seen_key TEXT, merged INTEGER NOT NULL DEFAULT 0)",
    "CREATE TEMP TABLE IF NOT EXISTS stage_names (entity_id TEXT, name TEXT)",
    # The names the write adds (kept for settling: their entities' aliases change).
    "CREATE TEMP TABLE IF NOT EXISTS stage_new_names (entity_id TEXT, name TEXT,"
    " merged INTEGER NOT NULL DEFAULT 0)",
    # n: the staged relation's number in this write; rel: its id, once merged.
    "CREATE TEMP TABLE IF NOT EXISTS stage_relations (n INTEGER PRIMARY KEY, source TEXT, type TEXT,"
    " target TEXT, doc INTEGER, seen_key TEXT, outlets INTEGER, confidence REAL, since TEXT,"
    " hedged INTEGER, evidence_count INTEGER, rel INTEGER)",
    "CREATE TEMP TABLE IF NOT EXISTS stage_evidence (n INTEGER, doc INTEGER, sentence TEXT,"
    " start_offset INTEGER, end_offset INTEGER, extractor TEXT, confidence REAL, hedged INTEGER,"
    " since TEXT, trigger_start INTEGER, trigger_end INTEGER)",
)
_STAGE_NAMES = (
    "settle_rel",
    "settle_ent",
    "stage_mentions",
    "stage_names",
    "stage_new_names",
    "stage_relations",
    "stage_evidence",
)

STAGE_MENTION = (
    "INSERT INTO stage_mentions (entity_id, doc, count, name, type, country, aliases, seen_key)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
STAGE_NAME = "INSERT INTO stage_names (entity_id, name) VALUES (?, ?)"
STAGE_RELATION = (
    "INSERT INTO stage_relations (n, source, type, target, doc, seen_key, outlets, confidence, since,"
    " hedged, evidence_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
STAGE_EVIDENCE = (
    "INSERT INTO stage_evidence (n, doc, sentence, start_offset, end_offset, extractor, confidence, hedged,"
    " since, trigger_start, trigger_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
STAGED_RELATIONS = "SELECT COALESCE(MAX(n), 0) FROM stage_relations"

_MERGE = (
    # A new relation is born with the aggregates its first document alone gives it, which settling
    # then finds unchanged: its indexed columns (weight) are written once, not inserted and moved.
    "INSERT OR IGNORE INTO relations (source, type, target, weight, outlets, first_key, last_key,"
    " confidence, since, hedged, evidence_count) SELECT source, type, target, 1, outlets, seen_key,"
    " seen_key, confidence, since, hedged, evidence_count FROM stage_relations"
    " ORDER BY source, type, target, n",
    "UPDATE stage_relations SET rel = (SELECT r.id FROM relations r WHERE r.source = stage_relations.source"
    " AND r.type = stage_relations.type AND r.target = stage_relations.target)",
    "INSERT INTO supports (rel, doc, seen_key)"
    " SELECT rel, doc, seen_key FROM stage_relations ORDER BY rel, doc",
    # In staging order, so evidence ids (ties of one relation's sentences) come as row by row.
    "INSERT INTO evidence (rel, doc, sentence, start_offset, end_offset, extractor, confidence, hedged,"
    " since, trigger_start, trigger_end) SELECT r.rel, e.doc, e.sentence, e.start_offset, e.end_offset,"
    " e.extractor, e.confidence, e.hedged, e.since, e.trigger_start, e.trigger_end"
    " FROM stage_evidence e JOIN stage_relations r ON r.n = e.n ORDER BY e.rowid",
    "INSERT OR IGNORE INTO settle_rel (id) SELECT rel FROM stage_relations",
    "INSERT INTO mentions (entity_id, doc, count, name, type, country, aliases, seen_key)"
    " SELECT entity_id, doc, count, name, type, country, aliases, seen_key FROM stage_mentions"
    " WHERE NOT merged ORDER BY doc, entity_id",
    "INSERT OR IGNORE INTO settle_ent (id) SELECT entity_id FROM stage_mentions WHERE NOT merged",
    "UPDATE stage_mentions SET merged = 1 WHERE NOT merged",
    # Names: only the new ones are written (those known stay as they are), each with its key.
    "INSERT INTO stage_new_names (entity_id, name) SELECT DISTINCT s.entity_id, s.name"
    " FROM stage_names s WHERE NOT EXISTS (SELECT 1 FROM entity_names n"
    " WHERE n.entity_id = s.entity_id AND n.name = s.name)",
    "INSERT INTO entity_names (entity_id, name, key)"
    " SELECT entity_id, name, name_key(name) FROM stage_new_names WHERE NOT merged ORDER BY entity_id, name",
    "UPDATE stage_new_names SET merged = 1 WHERE NOT merged",
    "DELETE FROM stage_names",
    "DELETE FROM stage_evidence",
    "DELETE FROM stage_relations",
)


def begin_staging(conn: sqlite3.Connection) -> None:
    """Empty the staging and settle tables for a new write (created on a connection's first write)."""
    if conn.execute("SELECT 1 FROM temp.sqlite_master WHERE name = 'stage_evidence'").fetchone() is None:
        for statement in _STAGE_TABLES:  # not executescript: it would COMMIT
            conn.execute(statement)
    for table in _STAGE_NAMES:
        conn.execute(f"DELETE FROM {table}")


def merge_staged(conn: sqlite3.Connection) -> None:
    """Move the staged rows into the store, marking what they touch for settling."""
    for statement in _MERGE:
        conn.execute(statement)


def touched(conn: sqlite3.Connection) -> int:
    """How many relations and entities the write marked for settling."""
    (count,) = conn.execute(
        "SELECT (SELECT COUNT(*) FROM settle_rel) + (SELECT COUNT(*) FROM settle_ent)"
    ).fetchone()
    return int(count)


def touched_ends(conn: sqlite3.Connection) -> list[tuple[int, str, str]]:
    """(id, source, target) of the touched relations that exist now, by id."""
    return conn.execute(
        "SELECT r.id, r.source, r.target FROM settle_rel t CROSS JOIN relations r ON r.id = t.id"
        " ORDER BY t.id"
    ).fetchall()


def touched_entities(conn: sqlite3.Connection) -> list[str]:
    """The touched entities' ids, sorted."""
    return [entity_id for (entity_id,) in conn.execute("SELECT id FROM settle_ent ORDER BY id")]


# -- set-based settling: the same rules as `recompute_relation` / `recompute_entity`, for many rows ----
# Joins from `settle_*` are CROSS JOINs, which SQLite never reorders: knowing nothing of the TEMP tables'
# sizes, its planner otherwise scanned a whole store table (all supports, relations or names) per write.


def last_relation(conn: sqlite3.Connection) -> int:
    """The highest relation id stored: one created later (no deletion between) gets a higher id."""
    (rel_id,) = conn.execute("SELECT COALESCE(MAX(id), 0) FROM relations").fetchone()
    return int(rel_id)


def settle_relations(conn: sqlite3.Connection, born_after: int | None = None) -> None:
    """`recompute_relation` for every id in `settle_rel` at once: a few statements, whatever their number.

    `born_after`: the write only added documents, and relations it created have ids above this one.
    Such a relation that only one document supports was born with the aggregates that document gives
    it (`_MERGE`), which settling would find unchanged: it is left out (in a bulk load, most are).
    """
    if born_after is not None:
        conn.execute(
            "DELETE FROM settle_rel WHERE id > ?"
            " AND (SELECT COUNT(*) FROM supports s WHERE s.rel = settle_rel.id) = 1",
            (born_after,),
        )
    orphans = "SELECT t.id FROM settle_rel t WHERE NOT EXISTS (SELECT 1 FROM supports s WHERE s.rel = t.id)"
    conn.execute(f"DELETE FROM evidence WHERE rel IN ({orphans})")
    conn.execute(f"DELETE FROM relations WHERE id IN ({orphans})")
    conn.execute(
        "UPDATE relations SET weight = a.weight, outlets = a.outlets, first_key = a.first_key,"
        " last_key = a.last_key FROM (SELECT s.rel AS rel,"
        " COUNT(DISTINCT COALESCE(d.story, d.id)) AS weight, COUNT(DISTINCT d.outlet) AS outlets,"
        " MIN(s.seen_key) AS first_key, MAX(s.seen_key) AS last_key"
        " FROM settle_rel t CROSS JOIN supports s ON s.rel = t.id CROSS JOIN documents d ON d.seq = s.doc"
        " GROUP BY s.rel) a"
        " WHERE relations.id = a.rel AND (relations.weight IS NOT a.weight"
        " OR relations.outlets IS NOT a.outlets OR relations.first_key IS NOT a.first_key"
        " OR relations.last_key IS NOT a.last_key)"  # unchanged rows (and their index entries) stay put
    )
    conn.execute(
        "UPDATE relations SET confidence = a.confidence, since = a.since, hedged = a.hedged,"
        " evidence_count = a.n FROM (SELECT t.id AS rel, COUNT(ev.rel) AS n,"
        " COALESCE(MAX(ev.confidence), 0) AS confidence, MIN(ev.since) AS since,"
        " COUNT(ev.rel) > 0 AND COALESCE(SUM(ev.hedged), 0) = COUNT(ev.rel) AS hedged"
        " FROM settle_rel t LEFT JOIN evidence ev ON ev.rel = t.id GROUP BY t.id) a"
        " WHERE relations.id = a.rel AND (relations.confidence IS NOT a.confidence"
        " OR relations.since IS NOT a.since OR relations.hedged IS NOT a.hedged"
        " OR relations.evidence_count IS NOT a.n)"
    )


def settle_entities(conn: sqlite3.Connection, only_added: bool = False) -> None:
    """`recompute_entity` for every id in `settle_ent` at once: base attributes from each entity's
    latest mention.

    `only_added`: the write only added documents (each later than any stored one): each entity's row
    then follows from its stored row and the write's mentions, still in `stage_mentions`, instead of
    from all its mentions (a scan that grows with the store); a row whose name, type, country and
    names stay as they were only has its totals moved.
    """
    if not only_added:
        _upsert_entities(conn, *_from_all_mentions(conn))
        return
    latest, country, totals, stored = _from_new_mentions(conn)
    renamed = {entity_id for (entity_id,) in conn.execute("SELECT entity_id FROM stage_new_names")}
    moved: list[tuple[int, str | None, str | None, str]] = []
    rebuilt: _Totals = []
    for entity_id, mentions, first_key, last_key in totals:
        old = stored.get(entity_id)
        if old is None or entity_id in renamed or (*latest[entity_id], country.get(entity_id)) != old:
            rebuilt.append((entity_id, mentions, first_key, last_key))
        else:
            moved.append((mentions, first_key, last_key, entity_id))
    moved.sort(key=lambda row: row[3])  # in key order: each update lands next to the last one
    conn.executemany(MOVE_ENTITY_TOTALS, moved)
    _upsert_entities(conn, latest, country, rebuilt)


def _upsert_entities(
    conn: sqlite3.Connection,
    latest: dict[str, tuple[str, str]],
    country: dict[str, str | None],
    totals: _Totals,
) -> None:
    """Write each entity's whole row: `latest` name and type, country, aliases from its names, totals."""
    names: dict[str, list[str]] = {}
    for chunk in range(0, len(totals), 500):
        ids = [t[0] for t in totals[chunk : chunk + 500]]
        for entity_id, name in conn.execute(
            f"SELECT entity_id, name FROM entity_names WHERE entity_id IN ({','.join('?' * len(ids))})", ids
        ):
            names.setdefault(entity_id, []).append(name)
    conn.executemany(
        UPSERT_ENTITY,
        [
            (
                entity_id,
                *latest[entity_id],
                country.get(entity_id),
                _aliases(names.get(entity_id, []), latest[entity_id][0]),
                mentions,
                first_key,
                last_key,
            )
            for entity_id, mentions, first_key, last_key in totals
        ],
    )


_Totals = list[tuple[str, int, str | None, str | None]]


def _from_all_mentions(
    conn: sqlite3.Connection,
) -> tuple[dict[str, tuple[str, str]], dict[str, str | None], _Totals]:
    """(latest name and type, latest country, totals) of the settled entities; the gone ones deleted."""
    gone = (
        "SELECT t.id FROM settle_ent t WHERE NOT EXISTS (SELECT 1 FROM mentions m WHERE m.entity_id = t.id)"
    )
    conn.execute(f"DELETE FROM entity_names WHERE entity_id IN ({gone})")
    conn.execute(f"DELETE FROM entities WHERE id IN ({gone})")
    # A bare column next to a lone MAX() comes from the row holding the maximum (documented SQLite).
    latest = {
        entity_id: (name, type_)
        for entity_id, name, type_, _ in conn.execute(
            "SELECT m.entity_id, m.name, m.type, MAX(m.doc) FROM settle_ent t"
            " CROSS JOIN mentions m ON m.entity_id = t.id GROUP BY m.entity_id"
        )
    }
    country = {
        entity_id: value
        for entity_id, value, _ in conn.execute(
            "SELECT m.entity_id, m.country, MAX(m.doc) FROM settle_ent t"
            " CROSS JOIN mentions m ON m.entity_id = t.id WHERE m.country IS NOT NULL GROUP BY m.entity_id"
        )
    }
    totals = conn.execute(
        "SELECT m.entity_id, SUM(m.count), MIN(m.seen_key), MAX(m.seen_key)"
        " FROM settle_ent t CROSS JOIN mentions m ON m.entity_id = t.id GROUP BY m.entity_id"
    ).fetchall()
    return latest, country, totals


def _from_new_mentions(
    conn: sqlite3.Connection,
) -> tuple[
    dict[str, tuple[str, str]], dict[str, str | None], _Totals, dict[str, tuple[str, str, str | None]]
]:
    """`_from_all_mentions` when the write only added the mentions in `stage_mentions`, and the stored
    (name, type, country) of the entities that have a row.

    One pass over the staged rows in staging order, which is document order (a write stages each
    document's mentions as it inserts the document): an entity's last row is its latest mention."""
    latest: dict[str, tuple[str, str]] = {}
    country: dict[str, str | None] = {}
    sums: dict[str, list[Any]] = {}
    for entity_id, name, type_, value, count, seen_key in conn.execute(
        "SELECT entity_id, name, type, country, count, seen_key FROM stage_mentions ORDER BY rowid"
    ):
        latest[entity_id] = (name, type_)
        if value is not None:
            country[entity_id] = value
        total = sums.get(entity_id)
        if total is None:
            sums[entity_id] = [count, seen_key, seen_key]
        else:
            total[0] += count
            total[1] = _earliest(total[1], seen_key)
            total[2] = _latest(total[2], seen_key)
    stored = {
        row[0]: row[1:]
        for row in conn.execute(
            "SELECT e.id, e.country, e.mention_count, e.first_key, e.last_key, e.name, e.type"
            " FROM settle_ent t CROSS JOIN entities e ON e.id = t.id"
        )
    }
    totals: _Totals = []
    for entity_id, (count, first_key, last_key) in sums.items():
        old = stored.get(entity_id)
        if old is not None:
            country.setdefault(entity_id, old[0])
            count += old[1]
            first_key = _earliest(first_key, old[2])
            last_key = _latest(last_key, old[3])
        totals.append((entity_id, count, first_key, last_key))
    return latest, country, totals, {entity_id: (old[4], old[5], old[0]) for entity_id, old in stored.items()}


def _earliest(a: str | None, b: str | None) -> str | None:
    """The smaller of two instant keys, None counting as absent (as SQL's MIN)."""
    return b if a is None or (b is not None and b < a) else a


def _latest(a: str | None, b: str | None) -> str | None:
    """The larger of two instant keys, None counting as absent (as SQL's MAX)."""
    return b if a is None or (b is not None and b > a) else a


def _aliases(names: list[str], name: str) -> str:
    if len(names) < 2:
        return "[]" if not names or names[0] == name else json.dumps(names, ensure_ascii=False)
    return json.dumps(
        sorted((n for n in names if n != name), key=lambda n: (n.casefold(), n)), ensure_ascii=False
    )
