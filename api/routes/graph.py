"""Traversals: the neighbourhood of one entity, and paths between two."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import NeighbourhoodDep, PathDep, ReadsDep, StoreDep
from api.errors import problem_responses
from api.json_body import JSONBytes, json_bytes
from api.models import PathOut, PathsOut, SubgraphOut

router = APIRouter(prefix="/graph", tags=["graph"], responses=problem_responses(400, 404, 409, 422, 503))

# Each route validates its answer once, from the store's objects, and serialises it where the read ran
# (`json_bytes`; on the loop for a fast kind of read, else in a worker thread: `api.reads`).


@router.get("/neighbourhood", response_model=SubgraphOut)
async def neighbourhood(store: StoreDep, reads: ReadsDep, params: NeighbourhoodDep) -> JSONBytes:
    """Entities within `depth` hops of one entity and the relations among them."""

    def work() -> bytes:
        req = params.resolve(store)
        sub = store.neighbourhood(req.query)
        out = SubgraphOut.model_validate({"entity": req.centre, "nodes": sub.nodes, "edges": sub.edges})
        return json_bytes(out)

    return JSONBytes(await reads.run(("neighbourhood", params.depth, params.limit), work))


@router.get("/paths", response_model=PathsOut)
async def paths(store: StoreDep, reads: ReadsDep, params: PathDep) -> JSONBytes:
    """Shortest, all shortest, or k shortest paths between two entities, every hop with evidence."""

    def work() -> bytes:
        req = params.resolve(store)
        found = store.paths(req.query)
        out = PathsOut.model_validate(
            {
                "source": req.source,
                "target": req.target,
                "mode": req.query.mode,
                "paths": [PathOut.of(p) for p in found],
            }
        )
        return json_bytes(out)

    return JSONBytes(await reads.run(("paths", params.mode, params.k, params.max_hops), work))
