"""Entities: fuzzy search by name or alias, and one entity with its relations and evidence."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import KEY_MAX, PageDep, StoreDep, in_thread
from api.errors import problem_responses
from api.models import EntityDetail, SearchHitOut, SearchPage
from api.views import entity_detail
from graph.schema import NodeType
from graph.store import resolve_entity

router = APIRouter(prefix="/entities", tags=["entities"], responses=problem_responses(422, 503))


@router.get("", response_model=SearchPage, responses=problem_responses(400))
async def search_entities(
    store: StoreDep,
    page: PageDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=200,
            description="Name or alias; case, accents and small typos do not matter.",
            examples=["openai"],
        ),
    ],
    type: Annotated[list[NodeType] | None, Query(description="Only these node types (repeatable).")] = None,
) -> SearchPage:
    """Search entities by name or alias, best fuzzy match first."""
    hits = await in_thread(lambda: store.search(q, types=type or None, limit=page.fetch, offset=page.offset))
    return SearchPage(
        items=[SearchHitOut.model_validate(h) for h in hits[: page.page_size]],
        page=page.page,
        page_size=page.page_size,
        next_page=page.next_page(len(hits)),
    )


@router.get("/{key:path}", response_model=EntityDetail, responses=problem_responses(404, 409))
async def get_entity(
    store: StoreDep,
    key: Annotated[
        str,
        Path(
            min_length=1,
            max_length=KEY_MAX,
            # A path segment cannot carry a line break (the route's pattern stops at one).
            pattern=r"^[^\n]+$",
            description="Canonical id, name or alias.",
            examples=["company:openai"],
        ),
    ],
) -> EntityDetail:
    """One entity with its counts and its relations grouped by type and direction, with evidence."""
    return await in_thread(lambda: entity_detail(store, resolve_entity(store, key)))
