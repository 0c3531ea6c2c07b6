"""Every Cypher statement the Neo4j store sends, in one module (Neo4j 5.21+ syntax).

Labels and relationship types enter query text only through `label()` and `rel_type()`, which accept
the members of `graph.schema`'s enums and raise `BadQuery` on anything else; so do the few integers
Cypher cannot take as parameters (quantifier bounds, `SHORTEST k`), after a range check. Every value
travels as a `$parameter`. Constants are fixed statements; functions build the variants a query's
filters select, each a finite combination of whitelisted words that `tests/graph/test_cypher_lint.py`
checks one by one with Neo4j's own linter.

Data shape (what a Browser user sees; `graph.stores.neo4j_store` explains why):

    (:Company:Entity {id, name, type, aliases, country, mention_count, first_seen, last_seen,
                      name_key, name_keys, alias_text})
    (:Document {id, source, title, url, outlet, published, date_source, ingested_at, word_count, seen_at,
                seq, story, fingerprint, band_text, text})
    (:Document)-[:MENTIONS {count, name, type, country, aliases, name_key, keys}]->(:Entity)
    (:Entity)-[:BACKS {weight, confidence, first_seen, last_seen, since, hedged, evidence_count,
                       docs, evidence, evidence_docs, evidence_starts, evidence_ends,
                       evidence_extractors, evidence_confidences, evidence_hedged,
                       evidence_since, evidence_trigger_starts, evidence_trigger_ends}]->(:Entity)
    (:_AigeoMeta {key: 'documents', seq})    the document counter; no domain label starts with `_`

Example:
    >>> relation_merge(RelType.BACKS).splitlines()[3]
    'MERGE (s)-[r:BACKS]->(t)'
    >>> label("Company) DETACH DELETE (n")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graph.errors.BadQuery: 'Company) DETACH DELETE (n' is not a node type (Company, Government, ...)
"""

from __future__ import annotations

from collections.abc import Iterable

from graph.errors import BadQuery
from graph.schema import DOCUMENT_LABEL, ENTITY_LABEL, Direction, NodeType, RelType

ENTITY = ENTITY_LABEL
DOCUMENT = DOCUMENT_LABEL
MENTIONS = "MENTIONS"
META = "_AigeoMeta"
FULLTEXT_INDEX = "aigeo_entity_names"
BANDS_INDEX = "aigeo_document_bands"
"""Documents' LSH band keys (`graph.stories`) as whitespace-separated words: a new document's copies
are the hits of one index query on its own keys, never a scan."""

EVIDENCE_LISTS: tuple[str, ...] = (
    "evidence",
    "evidence_docs",
    "evidence_starts",
    "evidence_ends",
    "evidence_extractors",
    "evidence_confidences",
    "evidence_hedged",
    "evidence_since",
    "evidence_trigger_starts",
    "evidence_trigger_ends",
)
"""Parallel lists on a relationship: item i of each describes evidence sentence i."""

MISSING: dict[str, int] = {"evidence_trigger_starts": -1, "evidence_trigger_ends": -1}
"""What an item of a list reads as where it has none: lists cannot hold nulls, so a sentence without a
trigger is -1, and a relationship written before the trigger lists existed lacks them altogether."""


def _kept(field: str) -> str:
    """Item i of a list for each kept i, filled in where a relationship written earlier lacks it."""
    item = f"r.{field}[i]"
    missing = MISSING.get(field)
    return item if missing is None else f"coalesce({item}, {missing})"

MAX_DEPTH = 5
MAX_HOPS = 10
MAX_K = 50
PATH_CAP = 1000
"""Most distinct paths one path query returns (as `graph.traversal.ALL_SHORTEST_CAP`)."""


# -- the whitelist -------------------------------------------------------------------------------


def label(node_type: NodeType | str) -> str:
    """A node type's label, fit for query text; `BadQuery` for anything not in `NodeType`.

    >>> label(NodeType.COMPANY)
    'Company'
    """
    try:
        return NodeType(node_type).value
    except ValueError:
        known = ", ".join(t.value for t in NodeType)
        raise BadQuery(f"{node_type!r} is not a node type ({known})") from None


def rel_type(rel: RelType | str) -> str:
    """A relation type's name, fit for query text; `BadQuery` for anything not in `RelType`.

    >>> rel_type("BACKS")
    'BACKS'
    """
    try:
        return RelType(rel).value
    except ValueError:
        known = ", ".join(t.value for t in RelType)
        raise BadQuery(f"{rel!r} is not a relation type ({known})") from None


def label_expression(types: Iterable[NodeType | str]) -> str:
    """`:Company|Person` for a node pattern; '' when `types` is empty (any node).

    >>> label_expression([NodeType.PERSON, NodeType.COMPANY])
    ':Company|Person'
    """
    names = sorted({label(t) for t in types})
    return ":" + "|".join(names) if names else ""


def rel_expression(types: Iterable[RelType | str] | None) -> str:
    """`:BACKS|RESTRICTS` for a relationship pattern; '' when `types` is empty or None (any type).

    >>> rel_expression([RelType.RESTRICTS, RelType.BACKS])
    ':BACKS|RESTRICTS'
    """
    names = sorted({rel_type(t) for t in types or ()})
    return ":" + "|".join(names) if names else ""


def _bounded(value: int, low: int, high: int, what: str) -> int:
    # bool is an int too; an int subclass could also format itself as anything.
    if type(value) is not int or not low <= value <= high:
        raise BadQuery(f"{what} must be an integer from {low} to {high}, not {value!r}")
    return value


# -- schema, applied on connect ------------------------------------------------------------------

SCHEMA: tuple[str, ...] = (
    "CREATE CONSTRAINT aigeo_entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT aigeo_document_id IF NOT EXISTS FOR (n:Document) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT aigeo_meta_key IF NOT EXISTS FOR (n:_AigeoMeta) REQUIRE n.key IS UNIQUE",
    "CREATE INDEX aigeo_entity_name_key IF NOT EXISTS FOR (n:Entity) ON (n.name_key)",
    # The Browser's ready queries (README) look actors up by their display name.
    "CREATE INDEX aigeo_entity_name IF NOT EXISTS FOR (n:Entity) ON (n.name)",
    "CREATE TEXT INDEX aigeo_entity_name_keys IF NOT EXISTS FOR (n:Entity) ON (n.name_keys)",
    "CREATE INDEX aigeo_document_source IF NOT EXISTS FOR (n:Document) ON (n.source)",
    "CREATE INDEX aigeo_document_seq IF NOT EXISTS FOR (n:Document) ON (n.seq)",
    f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS"
    " FOR (n:Entity) ON EACH [n.name, n.alias_text, n.name_keys]",
    f"CREATE FULLTEXT INDEX {BANDS_INDEX} IF NOT EXISTS FOR (n:Document) ON EACH [n.band_text]"
    " OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}}",
)
AWAIT_INDEXES = "CALL db.awaitIndexes($seconds)"
PING = "RETURN 1 AS ok"


# -- writes --------------------------------------------------------------------------------------

DOCUMENT_EXISTS = "MATCH (d:Document {id: $id}) RETURN d.id AS id"

DOCUMENT_TEXT = "MATCH (d:Document {id: $id}) RETURN d.text AS text"
"""The article's text as read (null when it was stored without one); never part of a document listing."""

NEXT_DOCUMENT_SEQ = """\
MERGE (m:_AigeoMeta {key: 'documents'})
SET m.seq = coalesce(m.seq, 0) + 1
RETURN m.seq AS seq"""
"""Numbers documents in write order and, as a side effect, serialises writers on one node lock."""

DOCUMENTS_OF_SOURCE = """\
MATCH (d:Document {source: $source})
WHERE d.id <> $id
RETURN d.id AS id
ORDER BY d.seq"""

CREATE_DOCUMENT = """\
MERGE (d:Document {id: $doc.id})
SET d += $doc"""

STORY_CANDIDATES = f"""\
CALL db.index.fulltext.queryNodes('{BANDS_INDEX}', $query) YIELD node
RETURN node.id AS id, node.story AS story, node.fingerprint AS fingerprint
LIMIT $limit"""
"""Documents sharing a band key with a new one (`$query`: its keys, any of which may match)."""

MERGE_MENTIONS = """\
UNWIND $rows AS row
MATCH (d:Document {id: $doc_id})
MERGE (e:Entity {id: row.id})
MERGE (d)-[m:MENTIONS]->(e)
SET m.count = row.count,
    m.name = row.name,
    m.type = row.type,
    m.country = row.country,
    m.aliases = row.aliases,
    m.name_key = row.name_key,
    m.keys = row.keys"""
"""One row per entity of the batch: what this document said about it."""


def relation_merge(rel: RelType | str) -> str:
    """Attach one document's support and evidence to relations of one type, replacing any it had.

    Rows: `{source, target, <each of EVIDENCE_LISTS>}`; returns each relationship's `elementId`.
    """
    kept = ",\n    ".join(
        f"r.{field} = [i IN keep | {_kept(field)}] + row.{field}" for field in EVIDENCE_LISTS
    )
    return f"""\
UNWIND $rows AS row
MATCH (s:Entity {{id: row.source}})
MATCH (t:Entity {{id: row.target}})
MERGE (s)-[r:{rel_type(rel)}]->(t)
WITH r, row,
     [i IN range(0, size(coalesce(r.evidence_docs, [])) - 1) WHERE r.evidence_docs[i] <> $doc_id] AS keep
SET r.docs = [x IN coalesce(r.docs, []) WHERE x <> $doc_id] + [$doc_id],
    {kept}
RETURN elementId(r) AS rid"""


def _drop_document_evidence() -> str:
    kept = ",\n    ".join(f"r.{field} = [i IN keep | {_kept(field)}]" for field in EVIDENCE_LISTS)
    return f"""\
MATCH (d:Document {{id: $doc_id}})-[:MENTIONS]->(:Entity)-[r]->(:Entity)
WHERE $doc_id IN r.docs
WITH DISTINCT r
WITH r, [i IN range(0, size(r.evidence_docs) - 1) WHERE r.evidence_docs[i] <> $doc_id] AS keep
SET r.docs = [x IN r.docs WHERE x <> $doc_id],
    {kept}
RETURN elementId(r) AS rid"""


DROP_DOCUMENT_EVIDENCE = _drop_document_evidence()
"""Take one document out of every relation it supports (a supporting document mentions both ends)."""

MENTIONED_BY = """\
MATCH (:Document {id: $doc_id})-[:MENTIONS]->(e:Entity)
RETURN e.id AS id"""

DELETE_DOCUMENT = """\
MATCH (d:Document {id: $doc_id})
DETACH DELETE d"""

DELETE_UNSUPPORTED_RELATIONS = """\
UNWIND $rids AS rid
MATCH ()-[r]->()
WHERE elementId(r) = rid AND size(r.docs) = 0
DELETE r"""

SETTLE_RELATIONS = """\
UNWIND $rids AS rid
MATCH ()-[r]->()
WHERE elementId(r) = rid
WITH r, COLLECT {
  MATCH (d:Document)
  WHERE d.id IN r.docs AND d.seen_at IS NOT NULL
  RETURN d.seen_at AS seen
  ORDER BY seen
} AS seen
SET r.weight = size(COLLECT {
      MATCH (d:Document) WHERE d.id IN r.docs RETURN DISTINCT coalesce(d.story, d.id) AS story
    }),
    r.outlets = size(COLLECT {
      MATCH (d:Document) WHERE d.id IN r.docs AND d.outlet IS NOT NULL RETURN DISTINCT d.outlet AS outlet
    }),
    r.evidence_count = size(r.evidence),
    r.confidence = reduce(best = 0.0, c IN r.evidence_confidences | CASE WHEN c > best THEN c ELSE best END),
    r.hedged = size(r.evidence_hedged) > 0 AND all(h IN r.evidence_hedged WHERE h),
    r.since = date(reduce(m = null, s IN r.evidence_since |
      CASE WHEN s <> '' AND (m IS NULL OR s < m) THEN s ELSE m END)),
    r.first_seen = seen[0],
    r.last_seen = seen[-1]"""
"""Aggregates from the lists: weight = distinct stories of the supporting documents (copies count once),
outlets = their distinct outlets, confidence = best evidence, since = earliest
stated date, hedged = every sentence hedged, first/last seen = the documents' earliest/latest seen_at."""

DELETE_UNMENTIONED_ENTITIES = """\
UNWIND $ids AS id
MATCH (e:Entity {id: id})
WHERE NOT EXISTS { (:Document)-[:MENTIONS]->(e) }
DETACH DELETE e"""

SETTLE_ENTITIES = """\
UNWIND $ids AS id
MATCH (e:Entity {id: id})
WITH e, COLLECT {
  MATCH (d:Document)-[m:MENTIONS]->(e)
  RETURN m {.count, .name, .type, .country, .aliases, .name_key, .keys, seq: d.seq} AS mention
  ORDER BY mention.seq DESC
} AS mentions, COLLECT {
  MATCH (d:Document)-[:MENTIONS]->(e)
  WHERE d.seen_at IS NOT NULL
  RETURN d.seen_at AS seen
  ORDER BY seen
} AS seen
WITH e, mentions, seen, mentions[0] AS latest,
     [x IN mentions WHERE x.country IS NOT NULL][0] AS located,
     reduce(acc = [], x IN mentions | acc + [x.name] + x.aliases) AS said,
     reduce(acc = [], x IN mentions | acc + x.keys) AS keyed
WITH e, mentions, seen, latest, located,
     reduce(u = [], n IN said | CASE WHEN n IN u THEN u ELSE u + [n] END) AS names,
     reduce(u = [], k IN keyed | CASE WHEN k IN u THEN u ELSE u + [k] END) AS keys
WITH e, mentions, seen, latest, located, keys,
     COLLECT { UNWIND names AS n WITH n WHERE n <> latest.name RETURN n ORDER BY toLower(n), n } AS aliases
SET e.name = latest.name,
    e.type = latest.type,
    e.country = located.country,
    e.aliases = aliases,
    e.mention_count = reduce(total = 0, x IN mentions | total + x.count),
    e.first_seen = seen[0],
    e.last_seen = seen[-1],
    e.name_key = latest.name_key,
    e.name_keys = reduce(text = '|', k IN keys | text + k + '|'),
    e.alias_text = reduce(text = '', a IN aliases | text + a + ' | ')
RETURN e.id AS id, e.type AS type"""
"""Entity aggregates from its mentions: name and type from the latest document, country from the
latest that gives one, aliases = every name said minus the current one, mention_count = their sum."""


def relabel(node_type: NodeType | str) -> str:
    """Give entities their type label and take away any other type's (a type may change)."""
    others = ":".join(label(t) for t in NodeType if t.value != label(node_type))
    return f"""\
UNWIND $ids AS id
MATCH (e:Entity {{id: id}})
SET e:{label(node_type)}
REMOVE e:{others}"""


# -- reads: documents ----------------------------------------------------------------------------

_DOCUMENT_FIELDS = (
    "d {.id, .source, .title, .url, .outlet, .published, .date_source, .ingested_at, .word_count, .seq,"
    " .story, .fingerprint}"
)
_DOC_MENTIONS = "COLLECT { MATCH (d)-[:MENTIONS]->(e:Entity) RETURN e.id AS id ORDER BY id } AS mentions"

GET_DOCUMENT = f"""\
MATCH (d:Document {{id: $id}})
RETURN {_DOCUMENT_FIELDS} AS doc, {_DOC_MENTIONS}"""

DOCUMENTS_PAGE = f"""\
MATCH (d:Document)
WITH d
ORDER BY d.seq DESC
SKIP $offset
LIMIT $limit
RETURN {_DOCUMENT_FIELDS} AS doc, {_DOC_MENTIONS}"""

DOCUMENTS_AFTER = f"""\
MATCH (d:Document)
WHERE d.seq > $after
WITH d
ORDER BY d.seq
LIMIT $page
RETURN {_DOCUMENT_FIELDS} AS doc, {_DOC_MENTIONS}"""
"""Oldest first, one page after a known `seq` (keyset paging: no long-lived transaction)."""

DOCUMENT_MENTIONS = """\
MATCH (:Document {id: $id})-[m:MENTIONS]->(e:Entity)
RETURN e.id AS id, m.name AS name, m.type AS type, m.country AS country, m.aliases AS aliases,
       m.count AS count
ORDER BY id"""


# -- reads: entities -----------------------------------------------------------------------------

_ENTITY_FIELDS = "e {.id, .name, .type, .aliases, .country, .mention_count, .first_seen, .last_seen}"

GET_ENTITY = f"MATCH (e:Entity {{id: $id}}) RETURN {_ENTITY_FIELDS} AS entity"

GET_ENTITIES = f"""\
UNWIND $ids AS id
MATCH (e:Entity {{id: id}})
RETURN {_ENTITY_FIELDS} AS entity"""

FIND_ENTITIES = f"""\
MATCH (e:Entity)
WHERE e.name_key = $key OR e.name_keys CONTAINS $needle
RETURN {_ENTITY_FIELDS} AS entity
ORDER BY e.id"""
"""`name_keys` is '|k1|k2|': containing '|key|' is exact membership, served by the text index."""

SEARCH_NAMES = f"""\
CALL db.index.fulltext.queryNodes('{FULLTEXT_INDEX}', $query) YIELD node, score
WHERE $types IS NULL OR node.type IN $types
RETURN node.id AS id, node.name AS name, node.type AS type, node.aliases AS aliases
ORDER BY score DESC, id
LIMIT $limit"""
"""Candidates only: `graph.stores.name_index` scores them on the embedded store's 0-100 scale."""

ENTITIES_AFTER = f"""\
MATCH (e:Entity)
WHERE e.id > $after
RETURN {_ENTITY_FIELDS} AS entity
ORDER BY e.id
LIMIT $page"""


# -- reads: relations ----------------------------------------------------------------------------

_EVIDENCE_DOCS = (
    "COLLECT { MATCH (d:Document) WHERE d.id IN r.docs"
    " RETURN d {.id, .title, .url, .published, .seq} AS doc } AS docs"
)
_RELATION_FIELDS = (
    f"s.id AS source, type(r) AS type, t.id AS target, properties(r) AS props, {_EVIDENCE_DOCS}"
)
"""A relation with what its evidence needs from its documents (title, url, publication, order)."""

_RELATION_FIELDS_BARE = (
    "s.id AS source, type(r) AS type, t.id AS target,"
    " r {.weight, .outlets, .confidence, .first_seen, .last_seen, .since, .hedged} AS props, [] AS docs"
)


def relations_query(
    rel: RelType | str | None = None, anchor: str | None = None, with_evidence: bool = True
) -> str:
    """Relations for a `RelationFilter`, heaviest first.

    `anchor` is "source" or "target" when that end is given, so the match starts from one node;
    a symmetric relation matches an id at either end. Parameters: `$source`, `$target` (or null),
    `$symmetric`, `$min_weight`, `$seen_from`, `$seen_to` (or null), `$offset`, `$limit`.
    """
    types = rel_expression([rel] if rel is not None else None)
    fields = _RELATION_FIELDS if with_evidence else _RELATION_FIELDS_BARE
    if anchor is None:
        match = f"MATCH (s:Entity)-[r{types}]->(t:Entity)"
    elif anchor in ("source", "target"):
        match = (
            f"MATCH (x:Entity {{id: ${anchor}}})-[r{types}]-(:Entity)\n"
            "WITH DISTINCT r\n"
            "WITH r, startNode(r) AS s, endNode(r) AS t"
        )
    else:
        raise BadQuery(f"anchor must be 'source', 'target' or None, not {anchor!r}")
    filters = "\n  AND ".join(
        f"(${param} IS NULL OR {condition})"
        for param, condition in (
            ("source", "s.id = $source OR (type(r) IN $symmetric AND t.id = $source)"),
            ("target", "t.id = $target OR (type(r) IN $symmetric AND s.id = $target)"),
            ("seen_from", "r.last_seen >= $seen_from"),
            ("seen_to", "r.first_seen <= $seen_to"),
        )
    )
    return f"""\
{match}
WHERE r.weight >= $min_weight
  AND {filters}
RETURN {fields}
ORDER BY r.weight DESC, source, type, target
SKIP $offset
LIMIT $limit"""


ENTITY_RELATIONS = f"""\
MATCH (x:Entity {{id: $id}})-[r]-(:Entity)
WITH DISTINCT r
WITH r, startNode(r) AS s, endNode(r) AS t
RETURN {_RELATION_FIELDS}
ORDER BY r.weight DESC, source, type, target"""

DOCUMENT_RELATIONS = f"""\
MATCH (:Document {{id: $doc_id}})-[:MENTIONS]->(s:Entity)-[r]->(t:Entity)
WHERE $doc_id IN r.docs
RETURN {_RELATION_FIELDS}
ORDER BY source, type, target"""

RELATIONS_BY_KEY = f"""\
UNWIND $keys AS key
MATCH (s:Entity {{id: key.source}})-[r]->(t:Entity {{id: key.target}})
WHERE type(r) = key.type
RETURN {_RELATION_FIELDS}"""

RELATIONS_AMONG = """\
MATCH (s:Entity)-[r]->(t:Entity)
WHERE s.id IN $ids AND t.id IN $ids AND r.weight >= $min_weight AND ($types IS NULL OR type(r) IN $types)
RETURN s.id AS source, type(r) AS type, t.id AS target, r.weight AS weight"""
"""Every relation with both ends in a node set (no evidence: a traversal picks among them first)."""

INDUCED_RELATIONS = f"""\
MATCH (s:Entity)-[r]->(t:Entity)
WHERE s.id IN $ids AND t.id IN $ids AND r.weight >= $min_weight AND ($types IS NULL OR type(r) IN $types)
RETURN {_RELATION_FIELDS}"""
"""The same, with evidence: the edges of a neighbourhood (an induced subgraph, as `ego_graph`)."""


SOURCES_AFTER = """\
MATCH (s:Entity)
WHERE s.id > $after
WITH s
ORDER BY s.id
LIMIT $page
RETURN max(s.id) AS last"""
"""The last entity id of the next page of sources (null past the end), for `relations_between`."""


def relations_between(with_evidence: bool) -> str:
    """Relations whose source id is in `($after, $upto]`, in (source, type, target) order."""
    fields = _RELATION_FIELDS if with_evidence else _RELATION_FIELDS_BARE
    return f"""\
MATCH (s:Entity)-[r]->(t:Entity)
WHERE s.id > $after AND s.id <= $upto
RETURN {fields}
ORDER BY source, type, target"""


# -- reads: traversals ---------------------------------------------------------------------------


def _step(
    direction: Direction | str, rel_types: Iterable[RelType] | None, node_types: Iterable[NodeType]
) -> str:
    """One hop of a quantified path pattern, filtered as `graph.traversal.ArcFilter` filters.

    Symmetric relations are walked both ways whatever the direction (`$symmetric`).
    """
    way = Direction(direction)
    if way is Direction.OUT:
        where = " AND (startNode(r) = x OR type(r) IN $symmetric)"
    elif way is Direction.IN:
        where = " AND (endNode(r) = x OR type(r) IN $symmetric)"
    else:
        where = ""
    # Inner nodes are always entities: a step through a Document (along MENTIONS) is no relation.
    nodes = label_expression(node_types) or f":{ENTITY}"
    hop = f"(x)-[r{rel_expression(rel_types)}]-(y{nodes})"
    return f"({hop} WHERE r.weight >= $min_weight{where})"


def neighbourhood_query(
    depth: int,
    direction: Direction | str = Direction.BOTH,
    rel_types: Iterable[RelType] | None = None,
    node_types: Iterable[NodeType] | None = None,
) -> str:
    """Every node within `depth` hops of `$id` with its distance, nearest first, at most `$limit`.

    `ANY SHORTEST` keeps one path per reached node: a breadth-first search, not an enumeration of
    every path (which variable-length patterns would do, exponentially).
    """
    hops = _bounded(depth, 1, MAX_DEPTH, "depth")
    return f"""\
MATCH (c:Entity {{id: $id}})
MATCH p = ANY SHORTEST (c){_step(direction, rel_types, node_types or ())}{{1,{hops}}}(n:Entity)
WHERE n <> c
RETURN n.id AS id, length(p) AS distance
ORDER BY distance, id
LIMIT $limit"""


def paths_query(
    mode: str,
    max_hops: int,
    direction: Direction | str = Direction.BOTH,
    rel_types: Iterable[RelType] | None = None,
    k: int = 1,
) -> str:
    """Distinct node-id sequences from `$source` to `$target`, at most `max_hops` hops.

    `shortest` is the first of all shortest paths in id order (so answers repeat); `all_shortest`
    is every one of them; `k_shortest` takes the shortest simple paths of the `k` shortest lengths,
    from which the store keeps the first `k` (several relations between two nodes make one node
    path count as several Neo4j paths, hence groups). Parameters: `$source`, `$target`,
    `$symmetric`, `$min_weight`, `$cap`.
    """
    hops = _bounded(max_hops, 1, MAX_HOPS, "max_hops")
    step = _step(direction, rel_types, ())
    ends = "(a:Entity {id: $source})", "(b:Entity {id: $target})"
    if mode in ("shortest", "all_shortest"):
        match = f"MATCH p = ALL SHORTEST {ends[0]}{step}{{1,{hops}}}{ends[1]}"
    elif mode == "k_shortest":
        groups = _bounded(k, 1, MAX_K, "k")
        # Inside the parentheses the predicate filters before selection: only simple paths compete.
        simple = "all(i IN range(0, size(x) - 1) WHERE NOT x[i] IN x[i + 1..]) AND NOT b IN x"
        match = f"MATCH p = SHORTEST {groups} GROUPS ({ends[0]}{step}{{1,{hops}}}{ends[1]} WHERE {simple})"
    else:
        raise BadQuery(f"unknown path mode {mode!r}")
    limit = "1" if mode == "shortest" else "$cap"
    return f"""\
{match}
RETURN DISTINCT [n IN nodes(p) | n.id] AS ids, length(p) AS hops
ORDER BY hops, ids
LIMIT {limit}"""


# -- reads: whole graph --------------------------------------------------------------------------

STATS_ENTITIES = "MATCH (e:Entity) RETURN e.type AS type, count(*) AS n ORDER BY type"
STATS_RELATIONS = """\
MATCH (:Entity)-[r]->(:Entity)
RETURN type(r) AS type, count(*) AS n, sum(size(r.evidence)) AS evidence
ORDER BY type"""
STATS_DOCUMENTS = "MATCH (d:Document) RETURN count(d) AS n"


# -- maintenance ---------------------------------------------------------------------------------

DELETE_BY_ID_PREFIX = """\
MATCH (n)
WHERE n:Entity|Document AND n.id STARTS WITH $prefix
CALL (n) {
  DETACH DELETE n
} IN TRANSACTIONS OF 1000 ROWS"""
"""Remove the nodes whose id starts with `$prefix` (the benchmark's scratch data), in batches.
Runs as an auto-commit query (`session.run`), as `IN TRANSACTIONS` requires."""


# -- the read-only endpoint ----------------------------------------------------------------------


def explain(query: str) -> str:
    """Plan a user's query without running it (the summary tells whether it would write)."""
    return f"EXPLAIN {query}"
