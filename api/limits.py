"""Every server limit declared in the OpenAPI document, from the same settings the checks read.

The routes' `Query` declarations are made once, at import, but the limits (max_depth, max_k, max_hops,
max_page_size) are per server: a client or a fuzzer reading a schema without them would send a
`depth` the server must refuse. So the generated schema gets each limit as the parameter's `maximum`.

>>> from aigeo.settings import Settings
>>> schema = {"paths": {"/x": {"get": {"parameters": [
...     {"name": "depth", "in": "query", "schema": {"type": "integer", "minimum": 1}},
...     {"name": "k", "in": "query", "schema": {"anyOf": [{"type": "integer"}, {"type": "null"}]}}]}}}}
>>> declare_limits(schema, Settings(store="x", max_depth=2, max_k=7))
>>> depth, k = (p["schema"] for p in schema["paths"]["/x"]["get"]["parameters"])
>>> depth["maximum"], k["anyOf"][0]["maximum"]
(2, 7)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aigeo.settings import Settings

LIMITED_PARAMETERS: dict[str, Callable[[Settings], int]] = {
    "depth": lambda s: s.max_depth,
    "k": lambda s: s.max_k,
    "max_hops": lambda s: s.max_hops,
    "page_size": lambda s: s.max_page_size,
}
"""Query parameter -> the setting that caps it."""


def declare_limits(schema: dict[str, Any], settings: Settings) -> None:
    """Set each capped query parameter's `maximum` (and say so in its description), in place."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for param in operation.get("parameters", []):
                read = LIMITED_PARAMETERS.get(param.get("name", ""))
                if read is None or param.get("in") != "query":
                    continue
                maximum = read(settings)
                for branch in param.get("schema", {}).get("anyOf", [param.get("schema", {})]):
                    if branch.get("type") == "integer":
                        branch["maximum"] = maximum
                if "description" in param:
                    param["description"] = f"{param['description']} This server: at most {maximum}."
