"""Read-only Cypher, for Neo4j stores only: READ access mode, a timeout and a row cap.

The store does the guarding (`read_cypher` runs in a read transaction and raises `BadQuery` for any
write attempt); this route only passes the server's limits along and reports truncation.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from fastapi import APIRouter

from api.deps import SettingsDep, StoreDep
from api.errors import problem_responses
from api.models import CypherIn, CypherOut
from graph.errors import StoreNotSupported

router = APIRouter(tags=["cypher"], responses=problem_responses(400, 422, 503))


@runtime_checkable
class CypherReader(Protocol):
    """What a store offers to run read-only Cypher (the Neo4j store does)."""

    def read_cypher(
        self, query: str, parameters: dict[str, Any], timeout: float, max_rows: int
    ) -> list[dict[str, Any]]: ...


@router.post("/cypher", response_model=CypherOut)
def run_cypher(store: StoreDep, settings: SettingsDep, body: CypherIn) -> CypherOut:
    """Run one read-only Cypher query; writes are refused with 400."""
    if not isinstance(store, CypherReader):
        raise StoreNotSupported("this store does not run Cypher")
    cap = settings.neo4j_max_rows
    # One row over the cap tells a full result from a cut one.
    rows = store.read_cypher(body.query, body.parameters, settings.neo4j_query_timeout, cap + 1)
    return CypherOut(rows=rows[:cap], row_count=min(len(rows), cap), truncated=len(rows) > cap)
