"""Traversals: the neighbourhood of one entity, and paths between two."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import NeighbourhoodDep, PathDep, StoreDep, in_thread
from api.errors import problem_responses
from api.models import PathOut, PathsOut, SubgraphOut

router = APIRouter(prefix="/graph", tags=["graph"], responses=problem_responses(400, 404, 409, 422, 503))


@router.get("/neighbourhood", response_model=SubgraphOut)
async def neighbourhood(store: StoreDep, params: NeighbourhoodDep) -> SubgraphOut:
    """Entities within `depth` hops of one entity and the relations among them."""

    def work() -> SubgraphOut:
        req = params.resolve(store)
        sub = store.neighbourhood(req.query)
        return SubgraphOut.model_validate({"entity": req.centre, "nodes": sub.nodes, "edges": sub.edges})

    return await in_thread(work)


@router.get("/paths", response_model=PathsOut)
async def paths(store: StoreDep, params: PathDep) -> PathsOut:
    """Shortest, all shortest, or k shortest paths between two entities, every hop with evidence."""

    def work() -> PathsOut:
        req = params.resolve(store)
        found = store.paths(req.query)
        return PathsOut.model_validate(
            {
                "source": req.source,
                "target": req.target,
                "mode": req.query.mode,
                "paths": [PathOut.of(p) for p in found],
            }
        )

    return await in_thread(work)
