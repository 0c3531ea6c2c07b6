"""Serve the explorer page, its static files and the interactive API docs, all from the package.

Nothing here is part of the REST API (it is left out of the OpenAPI document). Each page is sent with
a Content-Security-Policy that allows no host but this server, so the browser itself enforces what
the offline promise says: a page that tried to reach a CDN would fail in tests, not in the field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, HTMLResponse, Response

STATIC = Path(__file__).resolve().parent / "static"
PREFIX = "/web"
_VENDOR = f"{PREFIX}/vendor"

# The explorer has no inline script; Swagger UI's page (FastAPI's template) starts from one, and
# ReDoc runs a worker from a blob. Styles may be inline: both doc renderers set them from script.
_CSP_EXPLORER = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'self'"
)
_CSP_DOCS = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; worker-src 'self' blob:; "
    "img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'"
)
_MEDIA = {
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}

router = APIRouter(include_in_schema=False)


def _secured(response: Response, policy: str) -> Response:
    response.headers["Content-Security-Policy"] = policy
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@router.api_route("/", methods=["GET", "HEAD"])
async def explorer() -> Response:
    """The graph explorer."""
    page = FileResponse(STATIC / "index.html", media_type=_MEDIA[".html"])
    page.headers["Cache-Control"] = "no-cache"
    return _secured(page, _CSP_EXPLORER)


@router.api_route(PREFIX + "/{asset:path}", methods=["GET", "HEAD"])
async def asset(asset: Annotated[str, PathParam(max_length=300)]) -> Response:
    """A file of the explorer or of a vendored library."""
    try:
        target = (STATIC / asset).resolve()
    except (ValueError, OSError):  # a NUL byte or a name the file system cannot hold
        raise HTTPException(404) from None
    # Resolved first, so '..' segments and symlinks cannot leave the static folder.
    if not target.is_relative_to(STATIC) or not target.is_file():
        raise HTTPException(404)
    # Licence texts (LICENSE, NOTICE, *.LICENSE.txt) are served as plain text.
    media = _MEDIA.get(target.suffix, "text/plain; charset=utf-8")
    response = FileResponse(target, media_type=media)
    # Vendored files change only with a package upgrade; ours with any edit, so they revalidate.
    vendored = asset.startswith("vendor/")
    response.headers["Cache-Control"] = "public, max-age=86400" if vendored else "no-cache"
    return _secured(response, _CSP_EXPLORER)


@router.get("/docs")
async def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI over this server's OpenAPI document, from local assets."""
    page = get_swagger_ui_html(
        openapi_url=request.app.openapi_url or "/openapi.json",
        title=f"{request.app.title} - Swagger UI",
        swagger_js_url=f"{_VENDOR}/swagger-ui-dist/swagger-ui-bundle.js",
        swagger_css_url=f"{_VENDOR}/swagger-ui-dist/swagger-ui.css",
        swagger_favicon_url=f"{_VENDOR}/swagger-ui-dist/favicon-32x32.png",
        swagger_ui_parameters={"validatorUrl": None},  # the default posts the spec to swagger.io
    )
    _secured(page, _CSP_DOCS)
    return page


@router.get("/redoc")
async def redoc(request: Request) -> HTMLResponse:
    """ReDoc over this server's OpenAPI document, from local assets and without web fonts."""
    page = get_redoc_html(
        openapi_url=request.app.openapi_url or "/openapi.json",
        title=f"{request.app.title} - ReDoc",
        redoc_js_url=f"{_VENDOR}/redoc/redoc.standalone.js",
        redoc_favicon_url=f"{_VENDOR}/swagger-ui-dist/favicon-32x32.png",
        with_google_fonts=False,
    )
    _secured(page, _CSP_DOCS)
    return page
