"""Traversals: the neighbourhood of one entity, and paths between two."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import NeighbourhoodDep, PathDep, StoreDep
from api.errors import problem_responses
from api.models import PathOut, PathsOut, SubgraphOut

router = APIRouter(prefix="/graph", tags=["graph"], responses=problem_responses(400, 404, 409, 422, 503))


@router.get("/neighbourhood", response_model=SubgraphOut)
def neighbourhood(store: StoreDep, req: NeighbourhoodDep) -> SubgraphOut:
    """Entities within `depth` hops of one entity and the relations among them."""
    sub = store.neighbourhood(req.query)
    return SubgraphOut.model_validate({"entity": req.centre, "nodes": sub.nodes, "edges": sub.edges})


@router.get("/paths", response_model=PathsOut)
def paths(store: StoreDep, req: PathDep) -> PathsOut:
    """Shortest, all shortest, or k shortest paths between two entities, every hop with evidence."""
    found = store.paths(req.query)
    return PathsOut.model_validate(
        {
            "source": req.source,
            "target": req.target,
            "mode": req.query.mode,
            "paths": [PathOut.of(p) for p in found],
        }
    )
