"""Operations: graph size, liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter, Request

from api.deps import StoreDep, StoreHolder, in_thread
from api.errors import problem_responses
from api.models import HealthOut, ReadyOut, StatsOut

router = APIRouter(tags=["system"])


@router.get("/stats", response_model=StatsOut, responses=problem_responses(503))
async def stats(store: StoreDep) -> StatsOut:
    """Counts of entities, relations, documents and evidence, by type."""
    return StatsOut.of(await in_thread(store.stats))


@router.get("/health", response_model=HealthOut)
async def health() -> HealthOut:
    """Liveness: the process answers (the store is not consulted)."""
    return HealthOut()


@router.get("/ready", response_model=ReadyOut, responses=problem_responses(503))
async def ready(request: Request, store: StoreDep) -> ReadyOut:
    """Readiness: the store answers a ping."""
    await in_thread(store.ping)
    holder: StoreHolder = request.app.state.stores
    return ReadyOut(store="neo4j" if holder.is_neo4j else "embedded")
