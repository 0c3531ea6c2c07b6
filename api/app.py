"""The FastAPI app factory: settings in, a ready app out, the store opened and closed by its lifespan.

`aigeo serve` runs `create_app` under uvicorn (as a factory, so each worker builds its own); tests
pass their own settings and an open store.

Example:
    >>> import tempfile
    >>> from fastapi.testclient import TestClient
    >>> from aigeo.settings import Settings
    >>> with TestClient(create_app(Settings(store=tempfile.mkdtemp()))) as client:
    ...     client.get("/stats").json()["entities"]
    0
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.middleware.cors import CORSMiddleware

from aigeo import __version__
from aigeo.settings import Settings, get_settings
from api.deps import API_KEY_HEADER, ExtractorHolder, StoreHolder
from api.errors import PROBLEM_MEDIA_TYPE, install_error_handlers
from api.limits import declare_limits
from api.reads import ReadPlacement
from api.routes import admin, cypher, documents, entities, export, graph, relations, system
from api.streaming import ExportSlots
from api.web import router as web
from graph.errors import AigeoError
from graph.store import GraphStore
from loaders.ingest import pipeline_factory

log = logging.getLogger("aigeo.api")

_DESCRIPTION = """\
A knowledge graph of AI-geopolitics actors (companies, governments, people, policies,
organisations) and who backs, restricts, competes or partners with whom, each relation with the
news sentences that support it.

Entities are addressed by canonical id (`company:openai`) or by any name or alias (`OpenAI`,
`openai`, `MSFT`). Every error is an RFC 9457 `application/problem+json` document.
"""

_TAGS = [
    {"name": "entities", "description": "Search actors by name and read one with its relations."},
    {"name": "graph", "description": "Neighbourhoods and paths."},
    {"name": "relations", "description": "Relations with filters."},
    {"name": "documents", "description": "The news articles the graph was built from."},
    {"name": "export", "description": "GraphML, Cytoscape.js JSON and RDF downloads."},
    {"name": "system", "description": "Size, liveness and readiness."},
    {
        "name": "admin",
        "description": f"Writes; present only when an API key is configured ({API_KEY_HEADER}).",
    },
    {"name": "cypher", "description": "Read-only Cypher; present only on a Neo4j store."},
]


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """Build the API over `store`, or over the store `settings.store` names (opened at start-up).

    A store passed in stays the caller's to close; one opened here is closed at shutdown.
    """
    settings = settings or get_settings()
    stores = StoreHolder(settings, store)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            await run_in_threadpool(stores.get)
        except AigeoError as exc:
            # Keep serving: /health answers, the rest answers 503 until the store comes up.
            log.warning("store not available at start-up: %s", exc)
        yield
        await run_in_threadpool(stores.close)

    app = FastAPI(
        title="aigeo",
        version=__version__,
        description=_DESCRIPTION,
        openapi_tags=_TAGS,
        lifespan=lifespan,
        docs_url=None,  # served by api.web from local assets: FastAPI's defaults load from a CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.export_slots = ExportSlots(settings.max_exports)  # per worker process
    app.state.stores = stores
    app.state.reads = ReadPlacement(inline=not stores.is_neo4j)
    app.state.extractors = ExtractorHolder(pipeline_factory(settings.spacy_model, settings.registry_files))

    install_error_handlers(app)
    if settings.cors_origins:
        # Added last, so outermost: error answers carry the CORS headers too.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=[API_KEY_HEADER, "Content-Type"],
            expose_headers=["Content-Disposition"],
        )

    for module in (entities, graph, relations, documents, export, system, web):
        app.include_router(module.router)
    if settings.api_key is not None:
        app.include_router(admin.router)
    if stores.is_neo4j:
        app.include_router(cypher.router)

    _finish_openapi(app)
    return app


def _finish_openapi(app: FastAPI) -> None:
    """Two touches FastAPI does not make: each route's one-line docstring becomes its summary (not a
    title made from the function name), and error bodies are declared application/problem+json, as
    they are sent."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            declare_limits(schema, app.state.settings)
            for operations in schema.get("paths", {}).values():
                for operation in operations.values():
                    doc = operation.pop("description", "").strip()
                    if doc:
                        operation["summary"] = doc
                    for status, response in operation.get("responses", {}).items():
                        content = response.get("content", {})
                        if status[:1] in "45" and "application/json" in content:
                            content[PROBLEM_MEDIA_TYPE] = content.pop("application/json")
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
