"""Export: the whole graph, a neighbourhood or a path result, streamed in the format asked for.

The neighbourhood and path exports take exactly the query parameters of `/graph/neighbourhood` and
`/graph/paths`, so a front end can offer "download this view" with the URL it already has.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any, BinaryIO

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import StreamingResponse

from api.deps import (
    NeighbourhoodDep,
    NeighbourhoodRequest,
    PathDep,
    PathRequest,
    SettingsDep,
    StoreDep,
    in_thread,
)
from api.errors import problem_responses
from api.models import CytoscapeOut
from api.streaming import ExportSlots, stream_writer, streamed_response
from graph.export.formats import FORMATS, ExportFormat
from graph.model import Entity, Path, Relation, Subgraph
from graph.store import GraphStore

FormatParam = Annotated[
    ExportFormat,
    Query(
        description="graphml (Neo4j APOC compatible), cytoscape (Cytoscape.js elements JSON), "
        "or RDF: turtle, nt, nq (N-Quads, every triple in the default graph), jsonld. "
        "RDF streams in constant memory."
    ),
]

_TEXT = {"type": "string"}
_OK: dict[int | str, dict[str, Any]] = {
    200: {
        "model": CytoscapeOut,
        "description": "The export, as a download; application/json is the Cytoscape.js format.",
        "content": {
            "application/graphml+xml": {"schema": _TEXT},
            "text/turtle": {"schema": _TEXT},
            "application/n-triples": {"schema": _TEXT},
            "application/n-quads": {"schema": _TEXT},
            # JSON-LD's top level is an object or, for several subjects without @graph, an array.
            "application/ld+json": {"schema": {"type": ["object", "array"]}},
        },
    },
    **problem_responses(422, 429, 503),
}

router = APIRouter(prefix="/export", tags=["export"], responses=_OK)

Writer = Callable[[BinaryIO], object]
Release = Callable[[], None]


async def _export_slot(request: Request) -> AsyncIterator[Release]:
    """A slot among the max_exports exports streamed at once (429 when none is free), held from the
    query until the response ends; given back at once when the route fails before streaming."""
    slots: ExportSlots = request.app.state.export_slots
    release = slots.take()
    try:
        yield release
    except BaseException:
        release()
        raise


SlotDep = Annotated[Release, Depends(_export_slot)]


def _subgraph_writer(fmt: ExportFormat, store: GraphStore, sub: Subgraph, rdf_base: str) -> Writer:
    def write(out: BinaryIO) -> None:
        FORMATS[fmt].write_subgraph(store, sub, out, rdf_base)

    return write


async def _respond(fmt: ExportFormat, write: Writer, stem: str, release: Release) -> StreamingResponse:
    spec = FORMATS[fmt]
    name = f"{stem}.{spec.extensions[0]}"
    return await streamed_response(stream_writer(write, stem), spec.media_type, name, on_close=release)


@router.get("/graph", response_model=None)
async def export_graph(
    store: StoreDep, settings: SettingsDep, slot: SlotDep, format: FormatParam = ExportFormat.GRAPHML
) -> Any:
    """The whole graph, streamed."""
    fmt = format

    def write(out: BinaryIO) -> None:
        FORMATS[fmt].write_store(store, out, settings.rdf_base)

    return await _respond(fmt, write, "aigeo-graph", slot)


@router.get("/neighbourhood", response_model=None, responses=problem_responses(400, 404, 409))
async def export_neighbourhood(
    store: StoreDep,
    settings: SettingsDep,
    params: NeighbourhoodDep,
    slot: SlotDep,
    format: FormatParam = ExportFormat.GRAPHML,
) -> Any:
    """A neighbourhood (same parameters as /graph/neighbourhood), streamed."""

    def query() -> tuple[NeighbourhoodRequest, Subgraph]:
        req = params.resolve(store)
        return req, store.neighbourhood(req.query)

    req, sub = await in_thread(query)
    stem = f"aigeo-neighbourhood-{_file_part(req.centre.id)}"
    return await _respond(format, _subgraph_writer(format, store, sub, settings.rdf_base), stem, slot)


@router.get("/paths", response_model=None, responses=problem_responses(400, 404, 409))
async def export_paths(
    store: StoreDep,
    settings: SettingsDep,
    params: PathDep,
    slot: SlotDep,
    format: FormatParam = ExportFormat.GRAPHML,
) -> Any:
    """The paths between two entities (same parameters as /graph/paths), streamed."""

    def query() -> tuple[PathRequest, list[Path]]:
        req = params.resolve(store)
        return req, store.paths(req.query)

    req, found = await in_thread(query)
    stem = f"aigeo-paths-{_file_part(req.source.id)}-{_file_part(req.target.id)}"
    writer = _subgraph_writer(format, store, union(found), settings.rdf_base)
    return await _respond(format, writer, stem, slot)


def union(paths: list[Path]) -> Subgraph:
    """Every node and relation on any of the paths, each once, in first-seen order."""
    nodes: dict[str, Entity] = {}
    edges: dict[tuple[str, str, str], Relation] = {}
    for path in paths:
        for node in path.nodes:
            nodes.setdefault(node.id, node)
        for edge in path.edges:
            edges.setdefault(edge.key, edge)
    return Subgraph(nodes=list(nodes.values()), edges=list(edges.values()))


def _file_part(entity_id: str) -> str:
    # Ids carry ':' and may carry anything a name does; a download name wants neither.
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "-" for ch in entity_id)[:60]
