"""Response bodies serialised once, to bytes, in the worker thread that assembled them.

A route that returns a model hands FastAPI an object to validate again and serialise on the event
loop, between requests. A route that returns `json_response(model)` has done both in its one thread
hop: the loop only sends the bytes. The route still declares its `response_model`, so the OpenAPI
document describes exactly what the bytes hold (the model that produced them).
"""

from __future__ import annotations

from pydantic import BaseModel
from starlette.responses import Response


class JSONBytes(Response):
    """Already-serialised JSON."""

    media_type = "application/json"


def json_bytes(model: BaseModel) -> bytes:
    """The model as JSON, as FastAPI would send it (by field name, nothing excluded)."""
    return model.__pydantic_serializer__.to_json(model)
