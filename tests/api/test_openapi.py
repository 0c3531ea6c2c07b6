"""The OpenAPI document: complete, with examples, errors declared as problem+json."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import TestClient


@pytest.fixture
def spec(admin_client: TestClient) -> dict[str, Any]:
    document: dict[str, Any] = admin_client.get("/openapi.json").json()
    return document


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, ops in spec["paths"].items() for method, op in ops.items()]


def test_every_resource_is_documented(spec: dict[str, Any]) -> None:
    paths = set(spec["paths"])
    assert {
        "/entities",
        "/entities/{key}",
        "/graph/neighbourhood",
        "/graph/paths",
        "/relations",
        "/documents",
        "/documents/{doc_id}",
        "/export/graph",
        "/export/neighbourhood",
        "/export/paths",
        "/stats",
        "/health",
        "/ready",
        "/admin/documents",
        "/admin/documents/{doc_id}",
    } <= paths
    assert "/cypher" not in paths  # an embedded store has no Cypher


def test_every_operation_is_summarised_by_its_one_line_docstring(spec: dict[str, Any]) -> None:
    for path, method, op in _operations(spec):
        summary = op.get("summary", "")
        assert summary.endswith(".") and "\n" not in summary, (method, path, summary)
        assert op.get("tags"), (method, path)
    assert spec["paths"]["/graph/paths"]["get"]["summary"].startswith("Shortest, all shortest, or k shortest")


def test_every_error_response_is_problem_json(spec: dict[str, Any]) -> None:
    seen = 0
    for path, method, op in _operations(spec):
        for status, response in op["responses"].items():
            if status.startswith(("4", "5")):
                assert list(response["content"]) == ["application/problem+json"], (method, path, status)
                assert response["content"]["application/problem+json"]["schema"] == {
                    "$ref": "#/components/schemas/Problem"
                }
                seen += 1
    assert seen > 30


def test_limits_and_conflicts_are_declared_where_they_can_happen(spec: dict[str, Any]) -> None:
    neighbourhood = spec["paths"]["/graph/neighbourhood"]["get"]["responses"]
    assert {"200", "400", "404", "409", "422", "503"} <= set(neighbourhood)
    upload = spec["paths"]["/admin/documents"]["post"]["responses"]
    assert {"200", "401", "413", "422"} <= set(upload)


def test_response_models_and_parameters_carry_examples(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    for name in ("EntityOut", "RelationOut", "EvidenceOut", "DocumentOut", "Problem", "StatsOut"):
        props = schemas[name]["properties"]
        with_examples = [p for p in props.values() if "examples" in p]
        assert len(with_examples) >= len(props) // 2, name
    params = {p["name"]: p for p in spec["paths"]["/graph/paths"]["get"]["parameters"]}
    assert params["source"]["schema"]["examples"] == ["Tencent"]
    assert "max_hops" in params["max_hops"]["description"]


def test_export_declares_every_format(spec: dict[str, Any]) -> None:
    content = spec["paths"]["/export/graph"]["get"]["responses"]["200"]["content"]
    assert set(content) == {
        "application/json",
        "application/graphml+xml",
        "text/turtle",
        "application/n-triples",
        "application/n-quads",
        "application/ld+json",
    }
    formats = next(p for p in spec["paths"]["/export/graph"]["get"]["parameters"] if p["name"] == "format")
    assert formats["schema"]["$ref"].endswith("ExportFormat")
    assert spec["components"]["schemas"]["ExportFormat"]["enum"] == [
        "graphml",
        "cytoscape",
        "turtle",
        "nt",
        "nq",
        "jsonld",
    ]
