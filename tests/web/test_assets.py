"""The explorer's files without a browser: served safely, offline by construction, styled as the
Neo4j Browser style, and the vendored libraries exactly what the lock file pins, licences included."""

from __future__ import annotations

import importlib.util
import json
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from aigeo.settings import Settings
from api.app import create_app
from api.web.router import STATIC
from graph.schema import SYMMETRIC_RELATIONS, NodeType, RelType

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette's notice that its test client moves to httpx2
    from fastapi.testclient import TestClient

REPO = Path(__file__).resolve().parents[2]
VENDORED = ["cytoscape", "layout-base", "cose-base", "cytoscape-fcose", "swagger-ui-dist", "redoc"]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = Settings(store=str(tmp_path_factory.mktemp("empty")), api_key=None)
    with TestClient(create_app(settings)) as opened:
        yield opened


def _grass() -> dict[str, dict[str, str]]:
    """`neo4j/aigeo.grass` as {selector: {property: value}}."""
    text = (REPO / "neo4j" / "aigeo.grass").read_text(encoding="utf-8")
    return {
        selector: dict(re.findall(r"([\w-]+):\s*([^;]+);", body))
        for selector, body in re.findall(r"([\w.]+)\s*\{([^}]*)\}", text)
    }


def test_the_legend_is_the_neo4j_browser_style() -> None:
    legend = json.loads((STATIC / "legend.json").read_text(encoding="utf-8"))
    grass = _grass()
    assert set(legend["nodes"]) == {t.value for t in NodeType}
    assert set(legend["relations"]) == {t.value for t in RelType}
    for node_type, look in legend["nodes"].items():
        rule = grass[f"node.{node_type}"]
        assert look["color"] == rule["color"] and look["border"] == rule["border-color"], node_type
        assert look["text"] == rule["text-color-internal"], node_type
        assert f"{look['diameter']}px" == rule["diameter"], node_type
    for rel_type, look in legend["relations"].items():
        rule = grass[f"relationship.{rel_type}"]
        assert look["color"] == rule["color"] and f"{look['width']}px" == rule["shaft-width"], rel_type
    assert set(legend["symmetric"]) == {t.value for t in SYMMETRIC_RELATIONS}


def _refresh_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "webvendor_refresh", REPO / "tools" / "webvendor" / "refresh.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_vendored_libraries_are_what_the_lock_file_pins_with_their_licences() -> None:
    refresh = _refresh_script()
    versions = json.loads((STATIC / "vendor" / "VERSIONS.json").read_text(encoding="utf-8"))
    assert versions == refresh.locked_versions()
    assert sorted(versions) == sorted(VENDORED)
    for _, target in refresh.copy_plan():
        assert target.is_file() and target.stat().st_size > 0, target
    for package in VENDORED:
        assert (STATIC / "vendor" / package / "LICENSE").is_file(), package


def test_the_page_and_its_scripts_name_no_other_host() -> None:
    # XML namespaces are names, not requests.
    namespaces = {"http://www.w3.org/2000/svg", "http://graphml.graphdrawing.org/xmlns"}
    for path in [STATIC / "index.html", STATIC / "explorer.css", *sorted((STATIC / "js").glob("*.js"))]:
        urls = set(
            re.findall(r"""(?:https?:)?//[\w.-]+\.[a-z]{2,}[^\s"'`)]*""", path.read_text(encoding="utf-8"))
        )
        assert urls <= namespaces, (path.name, urls - namespaces)
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    assert all(
        ref.startswith("/web/")
        for ref in re.findall(r'(?:src|href)="([^"#]+)"', html)
        if ref not in {"/", "/docs"}
    )


def test_the_explorer_is_served_at_the_root_under_a_same_origin_policy(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<title>aigeo explorer</title>" in page.text
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src" not in policy  # no inline script at all
    assert client.head("/").status_code == 200
    script = client.get("/web/js/main.js")
    assert script.headers["content-type"].startswith("text/javascript") and "cache-control" in script.headers
    licence = client.get("/web/vendor/cytoscape/LICENSE")
    assert licence.status_code == 200 and licence.headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize(
    "path",
    [
        "/web/%2e%2e/router.py",
        "/web/..%2f..%2fapp.py",
        "/web/vendor",
        "/web/nothing.js",
        "/web/js/",
        "/web/js/%00x",
    ],
)
def test_no_file_outside_the_static_folder_is_served(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_the_api_docs_load_only_local_assets(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200
    refs = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text)
    assert refs and all(ref.startswith("/web/vendor/") for ref in refs), refs
    assert "fonts.googleapis" not in page.text and "cdn." not in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    for ref in refs:
        assert client.get(ref).status_code == 200, ref


def test_the_browser_routes_stay_out_of_the_openapi_document(client: TestClient) -> None:
    spec: dict[str, Any] = client.get("/openapi.json").json()
    assert not {"/", "/docs", "/redoc"} & set(spec["paths"])
    assert not any(p.startswith("/web") for p in spec["paths"])
