"""Every Cypher statement the Neo4j store can send, checked by Neo4j's own linter.

No server runs here, so the statements are checked the way Neo4j's editors check them:
`@neo4j-cypher/language-support` (pinned in tools/cypherlint) parses each one as Cypher 5 and runs the
semantic analysis, with the graph's vocabulary as the schema. A statement fails on any error (an
undeclared `$parameter` aside: the store passes values at run time) and on any warning that a label,
relationship type or property key is unknown, which is how a typo in a name shows up.

The linter's semantic analysis takes about a tenth of a second a statement, so one run of it serves
every test here (the `report` fixture) and those tests are marked slow.

Generated statements are linted in a covering set of their variants: every node type and relation
type alone and all together, every direction, every depth, the bounds of hops and k.
"""

from __future__ import annotations

import ast
import inspect
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from graph import cypher
from graph.errors import BadQuery
from graph.schema import Direction, NodeType, RelType

REPO = Path(__file__).resolve().parents[2]
LINTER = REPO / "tools" / "cypherlint"
FIRST_WORDS = ("MATCH", "MERGE", "CREATE", "UNWIND", "CALL", "RETURN", "WITH", "OPTIONAL")

LABELS = [t.value for t in NodeType] + [cypher.ENTITY, cypher.DOCUMENT, cypher.META]
REL_TYPES = [t.value for t in RelType] + [cypher.MENTIONS]
PROPERTY_KEYS = sorted(
    {
        # entities
        *"id name type aliases country mention_count first_seen last_seen".split(),
        *"name_key name_keys alias_text".split(),
        # documents, and the counter node
        *"source title url outlet published date_source ingested_at word_count seen_at seq key".split(),
        *"story fingerprint band_text text".split(),
        # MENTIONS
        *"count keys".split(),
        # relations
        *"weight outlets confidence since hedged evidence_count docs".split(),
        *cypher.EVIDENCE_LISTS,
        # fields of parameter maps (`row.target`, `key.type`): the linter reads them as property keys
        "target",
    }
)
SCHEMA = {"labels": LABELS, "relationshipTypes": REL_TYPES, "propertyKeys": PROPERTY_KEYS}

BUILDERS = {
    "label",
    "rel_type",
    "label_expression",
    "rel_expression",
    "relation_merge",
    "relabel",
    "relations_query",
    "relations_between",
    "neighbourhood_query",
    "paths_query",
    "explain",
}
"""Every public function of graph.cypher; a new one must be added to `store_statements` below."""

BROKEN: dict[str, tuple[str, str]] = {
    "syntax": ("MATCH (e:Entity {id: $id}) RETRUN e", "Invalid input"),
    "unbound variable": ("MATCH (e:Entity) RETURN f", "not defined"),
    "unknown function": ("MATCH (e:Entity) RETURN sizee(e.aliases)", "Function sizee"),
    "unknown procedure": ("CALL db.index.fulltext.queryNode('x', $q) YIELD node RETURN node", "Procedure"),
    "misspelt label": ("MATCH (e:Entitty) RETURN e.id", "Label Entitty"),
    "misspelt property": ("MATCH (e:Entity) RETURN e.mention_cout", "mention_cout"),
    "misspelt type": ("MATCH (a:Entity)-[r:BACK]->(b:Entity) RETURN a, r, b", "BACK"),
    "parameter as k": ("MATCH p = SHORTEST $k (a:Entity)--{1,3}(b:Entity) RETURN p", "Invalid input"),
}
"""Statements the check must fail, each with a word its failure message must contain."""

Report = dict[str, list[dict[str, Any]]]


@pytest.fixture(scope="module")
def report() -> Report:
    """Diagnostics for every statement of this module's tests, from one run of the linter."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed: the Cypher linter runs under Node 20")
    if not (LINTER / "node_modules" / "@neo4j-cypher" / "language-support").is_dir():
        pytest.skip("the Cypher linter is not installed: run npm ci --prefix tools/cypherlint")
    statements = {**store_statements(), **readme_queries()}
    statements.update({f"broken: {name}": query for name, (query, _) in BROKEN.items()})
    payload = {"statements": [{"name": k, "query": q} for k, q in statements.items()], "schema": SCHEMA}
    done = subprocess.run(
        [node, str(LINTER / "lint.mjs")],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return {item["name"]: item["diagnostics"] for item in json.loads(done.stdout)}


def problems(diagnostics: list[dict[str, Any]]) -> list[str]:
    """The diagnostics that fail a statement."""
    found = []
    for d in diagnostics:
        undeclared_parameter = re.fullmatch(r"Parameter \$\S+ is not defined\.", d["message"])
        unknown_name = "is not present in the database" in d["message"]
        if (d["severity"] == 1 and not undeclared_parameter) or unknown_name:
            found.append(d["message"])
    return found


def fixed_statements() -> dict[str, str]:
    found = {
        name: value
        for name, value in vars(cypher).items()
        if name.isupper() and isinstance(value, str) and value.split(None, 1)[0] in FIRST_WORDS
    }
    found.update({f"SCHEMA[{i}]": statement for i, statement in enumerate(cypher.SCHEMA)})
    return found


def store_statements() -> dict[str, str]:
    """The fixed statements and a covering set of every generated one."""
    found = fixed_statements()
    found["explain"] = cypher.explain("MATCH (a:Company)-[r:BACKS]->(b) RETURN a, r, b")
    for rel in RelType:
        found[f"relation_merge({rel})"] = cypher.relation_merge(rel)
    for node_type in NodeType:
        found[f"relabel({node_type})"] = cypher.relabel(node_type)
    for rel_filter in (None, *RelType):
        found[f"relations_query({rel_filter})"] = cypher.relations_query(rel_filter)
    for anchor in ("source", "target"):
        for with_evidence in (True, False):
            for rel_filter in (None, RelType.BACKS):
                found[f"relations_query({rel_filter}, {anchor}, {with_evidence})"] = cypher.relations_query(
                    rel_filter, anchor, with_evidence
                )
    found["relations_query(bare)"] = cypher.relations_query(None, None, with_evidence=False)
    for with_evidence in (True, False):
        found[f"relations_between({with_evidence})"] = cypher.relations_between(with_evidence)

    all_rels, all_nodes = list(RelType), list(NodeType)
    for depth in (1, cypher.MAX_DEPTH):
        found[f"neighbourhood(depth={depth})"] = cypher.neighbourhood_query(depth)
    for direction in Direction:
        for rels, nodes in ((None, None), (all_rels, None), (None, all_nodes), (all_rels, all_nodes)):
            name = f"neighbourhood({direction}, {bool(rels)}, {bool(nodes)})"
            found[name] = cypher.neighbourhood_query(2, direction, rels, nodes)
    for rel in RelType:
        found[f"neighbourhood(rel={rel})"] = cypher.neighbourhood_query(2, Direction.OUT, [rel])
    for node_type in NodeType:
        found[f"neighbourhood(node={node_type})"] = cypher.neighbourhood_query(
            2, Direction.IN, None, [node_type]
        )

    for mode in ("shortest", "all_shortest", "k_shortest"):
        for direction in Direction:
            for rels in (None, all_rels):
                found[f"paths({mode}, {direction}, {bool(rels)})"] = cypher.paths_query(
                    mode, 4, direction, rels, k=3
                )
    for hops, k in ((1, 1), (cypher.MAX_HOPS, cypher.MAX_K)):
        found[f"paths(hops={hops}, k={k})"] = cypher.paths_query("k_shortest", hops, k=k)
    return found


def readme_queries() -> dict[str, str]:
    """The ```cypher blocks of the README, the ready queries users paste into Browser."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```cypher\n(.*?)```", text, re.S)
    return {f"README.md cypher block {i}": block for i, block in enumerate(blocks, 1)}


@pytest.mark.slow
def test_every_statement_the_store_sends_passes_neo4js_linter(
    report: dict[str, list[dict[str, Any]]],
) -> None:
    statements = store_statements()
    assert len(statements) > 100
    failing = {name: problems(report[name]) for name in statements if problems(report[name])}
    assert not failing, json.dumps(failing, indent=2)


@pytest.mark.slow
def test_the_queries_shown_to_users_pass_the_linter(report: Report) -> None:
    queries = readme_queries()
    assert len(queries) >= 6
    failing = {name: problems(report[name]) for name in queries if problems(report[name])}
    assert not failing, json.dumps(failing, indent=2)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(BROKEN))
def test_the_lint_check_fails_broken_statements(report: Report, name: str) -> None:
    statement, expected = BROKEN[name]
    found = problems(report[f"broken: {name}"])
    assert found, f"the linter let {statement!r} through"
    assert any(expected in message for message in found), found


def test_the_statement_collection_covers_every_builder() -> None:
    public = {
        name
        for name, value in vars(cypher).items()
        if inspect.isfunction(value) and value.__module__ == cypher.__name__ and not name.startswith("_")
    }
    assert public == BUILDERS


def test_no_module_sends_cypher_written_outside_graph_cypher() -> None:
    clause = re.compile(r"^\s*(MATCH|MERGE|UNWIND|OPTIONAL MATCH|CREATE|CALL|RETURN|DETACH DELETE)\b", re.I)
    senders = ("graph/stores/neo4j_store.py", "graph/sync.py", "bench/neo4j_write.py")
    for path in (REPO / name for name in senders):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                assert not clause.match(node.value), (
                    f"{path.name}: Cypher outside graph/cypher.py: {node.value!r}"
                )


@pytest.mark.parametrize(
    ("build", "bad"),
    [
        (cypher.label, "Company) DETACH DELETE (n"),
        (cypher.label, "Entity"),
        (cypher.rel_type, "BACKS]->() DETACH DELETE ()<-[:X"),
        (cypher.rel_type, "MENTIONS"),
        (cypher.relation_merge, "backs"),
        (cypher.relabel, "Document"),
    ],
)
def test_only_schema_names_enter_query_text(build: Callable[[str], str], bad: str) -> None:
    with pytest.raises(BadQuery):
        build(bad)


@pytest.mark.parametrize(
    "build",
    [
        lambda: cypher.neighbourhood_query(cypher.MAX_DEPTH + 1),
        lambda: cypher.neighbourhood_query(True),  # type: ignore[arg-type]
        lambda: cypher.paths_query("shortest", 0),
        lambda: cypher.paths_query("k_shortest", 3, k=cypher.MAX_K + 1),
        lambda: cypher.paths_query("k_shortest", 3, k="3 GROUPS (a)--(b) DETACH DELETE a //"),  # type: ignore[arg-type]
        lambda: cypher.paths_query("longest", 3),
        lambda: cypher.relations_query(None, anchor="x}) DETACH DELETE x //"),
    ],
)
def test_numbers_and_modes_in_query_text_are_checked(build: Callable[[], str]) -> None:
    with pytest.raises(BadQuery):
        build()


def test_browser_style_gives_every_label_a_colour_and_caption() -> None:
    grass = (REPO / "neo4j" / "aigeo.grass").read_text(encoding="utf-8")
    rules = dict(re.findall(r"^(node\.\w+|relationship\.\w+)\s*\{(.*?)^\}", grass, re.M | re.S))
    for node_type in NodeType:
        rule = rules[f"node.{node_type.value}"]
        assert re.search(r"color:\s*#[0-9A-Fa-f]{6};", rule)
        assert 'caption: "{name}";' in rule
    for rel in REL_TYPES:
        assert 'caption: "<type>";' in rules[f"relationship.{rel}"]
