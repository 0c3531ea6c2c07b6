"""Relations: a filtered, paginated list, heaviest first."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BeforeValidator

from api.deps import KEY_MAX, PageDep, StoreDep, in_thread
from api.errors import problem_responses
from api.models import RelationPage
from api.views import EntityRefs
from graph.model import RelationFilter
from graph.schema import RelType
from graph.store import resolve_entity

router = APIRouter(
    prefix="/relations", tags=["relations"], responses=problem_responses(400, 404, 409, 422, 503)
)


_ISO_DATE = re.compile(r"\s*\d{4}-\d{2}-\d{2}")


def _iso_only(value: object) -> object:
    # Pydantic would read "1.5" or "0.5e1" as a Unix timestamp; the documented format is ISO 8601 only.
    if isinstance(value, str) and not _ISO_DATE.match(value):
        raise ValueError("expected an ISO 8601 date or date-time, such as 2025-03-01T00:00:00Z")
    return value


_Moment = Annotated[datetime | None, BeforeValidator(_iso_only)]

_End = Annotated[
    str | None,
    Query(
        min_length=1, max_length=KEY_MAX, description="Id, name or alias of this end.", examples=["Microsoft"]
    ),
]


@router.get("", response_model=RelationPage)
async def list_relations(
    store: StoreDep,
    page: PageDep,
    type: Annotated[RelType | None, Query(description="Only this relation type.")] = None,
    source: _End = None,
    target: _End = None,
    min_weight: Annotated[int, Query(ge=1, le=1_000_000, description="Fewest supporting documents.")] = 1,
    seen_from: Annotated[
        _Moment,
        Query(
            description="Last seen on or after (ISO 8601). It may be later than seen_to: then the relations "
            "seen both before seen_to and after seen_from.",
            examples=["2024-01-01T00:00:00Z"],
        ),
    ] = None,
    seen_to: Annotated[
        _Moment,
        Query(description="First seen on or before (ISO 8601).", examples=["2025-12-31T00:00:00Z"]),
    ] = None,
) -> RelationPage:
    """Relations matching the filters, heaviest first, with their evidence."""
    seen_from = _aware(seen_from) if seen_from else None
    seen_to = _aware(seen_to) if seen_to else None

    def work() -> RelationPage:
        flt = RelationFilter(
            type=type,
            source_id=resolve_entity(store, source).id if source else None,
            target_id=resolve_entity(store, target).id if target else None,
            min_weight=min_weight,
            seen_from=seen_from,
            seen_to=seen_to,
            offset=page.offset,
            limit=min(page.fetch, 10_000),
        )
        rels = store.relations(flt)
        refs = EntityRefs(store)
        return RelationPage(
            items=[refs.link(r) for r in rels[: page.page_size]],
            page=page.page,
            page_size=page.page_size,
            next_page=page.next_page(len(rels)),
        )

    return await in_thread(work)


def _aware(moment: datetime) -> datetime:
    # A naive bound is read as UTC, so stores compare it with their aware timestamps.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
