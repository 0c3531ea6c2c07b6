"""Every error the API answers, as RFC 9457 `application/problem+json`, from one mapping.

Routes never build error responses: they let `graph.errors` (and the few API-only errors below)
propagate, and the handlers installed by `install_error_handlers` turn them into problems. A bug
(any other exception) is logged with its traceback and answered as a bare 500 that reveals nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph.errors import (
    AigeoError,
    AmbiguousName,
    BadDocument,
    BadQuery,
    BadRDF,
    DocumentNotFound,
    ModelNotFound,
    NodeNotFound,
    NoPath,
    StoreNotSupported,
    StoreUnavailable,
)

log = logging.getLogger("aigeo.api")

PROBLEM_MEDIA_TYPE = "application/problem+json"
_TYPE_BASE = "urn:aigeo:problem:"


class LimitExceeded(BadQuery):
    """A request asks for more than a configured server limit allows."""

    status = 400

    def __init__(self, param: str, value: int, limit: str, maximum: int) -> None:
        self.param = param
        self.value = value
        self.limit = limit
        self.maximum = maximum
        super().__init__(f"{param}={value} is over the server limit {limit}={maximum}")


class UploadTooLarge(LimitExceeded):
    """An upload's body is larger than the server accepts."""

    status = 413

    def __init__(self, size: int, maximum: int) -> None:
        super().__init__("upload size", size, "max_upload_bytes", maximum)
        self.args = (f"the upload is {size} bytes, over the server limit max_upload_bytes={maximum}",)


class NotAuthenticated(AigeoError):
    """A write endpoint was called without the right API key."""


class TooManyExports(AigeoError):
    """As many exports as the server streams at once are already running."""

    def __init__(self, limit: int, retry_after: int) -> None:
        self.limit = limit
        self.retry_after = retry_after
        super().__init__(f"{limit} exports are already running, the server limit max_exports; retry later")


# Most specific first: the first class in an error's MRO found here decides its answer.
_PROBLEMS: dict[type[AigeoError], tuple[int, str, str]] = {
    UploadTooLarge: (413, "upload-too-large", "Upload too large"),
    TooManyExports: (429, "too-many-exports", "Too many exports at once"),
    LimitExceeded: (400, "limit-exceeded", "Limit exceeded"),
    NotAuthenticated: (401, "not-authenticated", "Missing or wrong API key"),
    NodeNotFound: (404, "entity-not-found", "Entity not found"),
    AmbiguousName: (409, "ambiguous-name", "Ambiguous entity name"),
    NoPath: (404, "no-path", "No path"),
    DocumentNotFound: (404, "document-not-found", "Document not found"),
    StoreUnavailable: (503, "store-unavailable", "Store unavailable"),
    StoreNotSupported: (503, "store-not-supported", "Store not supported"),
    ModelNotFound: (503, "model-not-found", "Extraction model not installed"),
    BadDocument: (400, "bad-document", "Unreadable document"),
    BadRDF: (400, "bad-rdf", "Bad RDF"),
    BadQuery: (400, "bad-query", "Bad query"),
}


def problem(
    status: int,
    title: str,
    detail: str,
    *,
    slug: str | None = None,
    instance: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    """Build one problem+json response; `extensions` become extra members when not None.

    >>> problem(404, "Entity not found", "no entity 'x'", slug="entity-not-found").status_code
    404
    """
    body: dict[str, Any] = {
        "type": _TYPE_BASE + slug if slug else "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    body.update({k: v for k, v in extensions.items() if v is not None})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def _classify(exc: AigeoError) -> tuple[int, str, str]:
    for cls in type(exc).__mro__:
        if cls in _PROBLEMS:
            return _PROBLEMS[cls]
    return 500, "internal-error", "Internal error"


def _extensions(exc: AigeoError) -> dict[str, Any]:
    if isinstance(exc, NodeNotFound):
        return {"key": exc.key, "suggestions": exc.suggestions}
    if isinstance(exc, AmbiguousName):
        return {"key": exc.key, "candidates": exc.candidates}
    if isinstance(exc, LimitExceeded):
        return {"limit": exc.limit, "maximum": exc.maximum}
    if isinstance(exc, TooManyExports):
        return {"limit": "max_exports", "maximum": exc.limit}
    if isinstance(exc, NoPath):
        return {"source": exc.source, "target": exc.target}
    if isinstance(exc, DocumentNotFound):
        return {"doc_id": exc.doc_id}
    return {}


async def _aigeo_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AigeoError)
    status, slug, title = _classify(exc)
    if status >= 500:
        log.warning("%s %s: %s", request.method, request.url.path, exc)
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyExports) else None
    return problem(
        status, title, str(exc), slug=slug, instance=request.url.path, headers=headers, **_extensions(exc)
    )


_LOCATIONS = ("query", "path", "body", "header", "cookie")


def _field_name(loc: tuple[int | str, ...]) -> str:
    """("query", "depth") -> "depth"; ("body", "parameters", "x") -> "parameters.x"."""
    parts = loc[1:] if loc and loc[0] in _LOCATIONS else loc
    return ".".join(str(p) for p in parts) or "request"


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = []
    for err in exc.errors():
        loc = tuple(err.get("loc", ()))
        where = str(loc[0]) if loc and loc[0] in _LOCATIONS else "body"
        errors.append(
            {"field": _field_name(loc), "location": where, "reason": str(err.get("msg", "invalid"))}
        )
    detail = "; ".join(f"{e['field']}: {e['reason']}" for e in errors) or "the request is invalid"
    return problem(
        422, "Invalid request", detail, slug="invalid-request", instance=request.url.path, errors=errors
    )


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    phrase = HTTPStatus(exc.status_code).phrase
    if exc.status_code == 404 and exc.detail == phrase:
        detail = f"no route matches {request.method} {request.url.path}"
    elif exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}"
    else:
        detail = str(exc.detail)
    return problem(exc.status_code, phrase, detail, instance=request.url.path, headers=exc.headers)


class CatchAllMiddleware:
    """Answer any unhandled exception with a problem+json 500 and log it; never leak a traceback.

    Starlette's own `Exception` handler re-raises after answering, which test clients turn into
    test crashes; this middleware ends the exception where it is answered.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception:
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise  # a streamed body broke midway: nothing left but to drop the connection
            response = problem(
                500,
                "Internal error",
                "the server failed to answer this request; the error has been logged",
                slug="internal-error",
                instance=scope.get("path"),
            )
            await response(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    """Route every error through this module's mapping."""
    app.add_exception_handler(AigeoError, _aigeo_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_middleware(CatchAllMiddleware)


_DESCRIPTIONS = {
    400: "A parameter is over a server limit or contradicts another.",
    401: "The X-API-Key header is missing or wrong.",
    404: "No such entity, document or path.",
    409: "The name matches several entities; the problem lists them.",
    413: "The upload is over max_upload_bytes.",
    429: "max_exports exports are already streaming; retry after the Retry-After seconds.",
    422: "A parameter or body field is invalid; the problem names each one.",
    503: "The store (or the extraction model) is unavailable.",
}


def problem_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries for these error codes, all answered as `Problem`s."""
    from api.models import Problem

    return {code: {"model": Problem, "description": _DESCRIPTIONS[code]} for code in codes}
