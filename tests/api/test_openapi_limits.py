"""Every limit the server enforces is declared in its OpenAPI document (issue 13), so that a request
the schema allows is a request the server answers."""

from __future__ import annotations

from typing import Any

import pytest

from api.limits import LIMITED_PARAMETERS
from tests.api.conftest import MakeClient, assert_problem

LIMITS = {"max_depth": 2, "max_k": 3, "max_hops": 4, "max_page_size": 20}
MAXIMA = {"depth": 2, "k": 3, "max_hops": 4, "page_size": 20}


def _integer_schema(param: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = param["schema"]
    return next(b for b in schema.get("anyOf", [schema]) if b.get("type") == "integer")


def test_every_capped_parameter_declares_the_server_limit_as_its_maximum(make_client: MakeClient) -> None:
    schema = make_client(**LIMITS).get("/openapi.json").json()
    seen: set[str] = set()
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            for param in operation.get("parameters", []):
                if param["name"] in LIMITED_PARAMETERS:
                    assert _integer_schema(param)["maximum"] == MAXIMA[param["name"]], (path, param)
                    seen.add(param["name"])
    assert seen == set(LIMITED_PARAMETERS)


def test_the_declared_maximum_is_accepted_and_one_more_is_refused(make_client: MakeClient) -> None:
    client = make_client(**LIMITS)
    ok = client.get("/graph/neighbourhood", params={"entity": "OpenAI", "depth": 2})
    assert ok.status_code == 200, ok.text
    assert_problem(
        client.get("/graph/neighbourhood", params={"entity": "OpenAI", "depth": 3}), 400, "max_depth"
    )
    assert client.get("/relations", params={"page_size": 20}).status_code == 200


def test_a_reversed_seen_window_is_answered_not_refused(make_client: MakeClient) -> None:
    client = make_client()
    # The relations seen both before 2 March and after 10 March: those whose span covers the gap.
    response = client.get("/relations", params={"seen_from": "2025-03-10", "seen_to": "2025-03-02"})
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert items
    for relation in items:
        assert relation["last_seen"] >= "2025-03-10" and relation["first_seen"] <= "2025-03-02"


@pytest.mark.parametrize("moment", ["0.5e1", "+1", "1.5", "1700000000"])
def test_a_number_is_no_iso_date_where_the_schema_asks_for_one(make_client: MakeClient, moment: str) -> None:
    # Pydantic alone would read these as Unix timestamps: schemathesis --checks all flagged "0.5e1".
    assert_problem(make_client().get("/relations", params={"seen_to": moment}), 422, "ISO 8601")
