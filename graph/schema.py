"""The graph's vocabulary, declared once: node types, relation types and their rules.

Everything that turns a type into query text (Cypher labels, RDF classes, GraphML labels) takes it
from here, so these enums double as the whitelist of what may enter a query string.
"""

from __future__ import annotations

from enum import StrEnum


class NodeType(StrEnum):
    """The kinds of actor (and policy) the graph holds."""

    COMPANY = "Company"
    GOVERNMENT = "Government"
    PERSON = "Person"
    POLICY = "Policy"
    ORGANIZATION = "Organization"


class RelType(StrEnum):
    """The kinds of relation between two nodes."""

    BACKS = "BACKS"
    RESTRICTS = "RESTRICTS"
    COMPETES_WITH = "COMPETES_WITH"
    AFFILIATED_WITH = "AFFILIATED_WITH"
    PARTNERS_WITH = "PARTNERS_WITH"
    ENACTS = "ENACTS"
    TARGETS = "TARGETS"
    BASED_IN = "BASED_IN"


class Direction(StrEnum):
    """Which way a traversal follows relations from its start node."""

    OUT = "out"
    IN = "in"
    BOTH = "both"


CORE_RELATIONS: frozenset[RelType] = frozenset({RelType.BACKS, RelType.RESTRICTS, RelType.COMPETES_WITH})

SYMMETRIC_RELATIONS: frozenset[RelType] = frozenset({RelType.COMPETES_WITH, RelType.PARTNERS_WITH})
"""Stored once, source id <= target id; traversals follow them both ways."""

RELATION_DESCRIPTIONS: dict[RelType, str] = {
    RelType.BACKS: "The source funds, invests in, owns or otherwise supports the target.",
    RelType.RESTRICTS: "The source limits the target's access to technology, markets or services.",
    RelType.COMPETES_WITH: "The two actors compete for the same users, markets or capabilities.",
    RelType.AFFILIATED_WITH: "A person works for, leads, founded or belongs to the target.",
    RelType.PARTNERS_WITH: "The two actors cooperate on a product, deal or programme.",
    RelType.ENACTS: "The source issues or imposes a policy.",
    RelType.TARGETS: "A policy is aimed at the target.",
    RelType.BASED_IN: "The source is headquartered in or belongs to the target country.",
}

NODE_DESCRIPTIONS: dict[NodeType, str] = {
    NodeType.COMPANY: "A firm: AI lab, chip maker, cloud provider, investor, startup.",
    NodeType.GOVERNMENT: "A state, or one of its agencies acting for it.",
    NodeType.PERSON: "A named individual.",
    NodeType.POLICY: "A distinct measure: an export control, access ban, sanction or law.",
    NodeType.ORGANIZATION: "A university, institute, think tank, alliance or international body.",
}

ENTITY_LABEL = "Entity"
"""The common label every actor carries next to its type label (`:Company:Entity`)."""

DOCUMENT_LABEL = "Document"


def canonical_pair(source: str, rel: RelType, target: str) -> tuple[str, str]:
    """Order the ends of a symmetric relation so it is stored once.

    >>> canonical_pair("company:openai", RelType.COMPETES_WITH, "company:baidu")
    ('company:baidu', 'company:openai')
    >>> canonical_pair("company:microsoft", RelType.BACKS, "company:openai")
    ('company:microsoft', 'company:openai')
    """
    if rel in SYMMETRIC_RELATIONS and target < source:
        return target, source
    return source, target
