"""The Docker deployment: docker-compose.yml against the Compose specification, and what it must hold.

No Docker engine is needed: the file is checked against the Compose JSON schema that check-jsonschema
ships, then read as YAML for the promises the README makes (ports, healthcheck, waiting for a healthy
Neo4j, a mounted ./data folder, no password baked in).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
COMPOSE = REPO / "docker-compose.yml"
SECRET_VARS = ("AIGEO_NEO4J_PASSWORD",)
# `$${X}` is compose's escape for a literal `${X}` the container's shell expands: not interpolation.
_INTERPOLATION = re.compile(r"(?<!\$)\$\{(?P<name>[A-Z0-9_]+)(?P<op>:?[-?+])?(?P<arg>[^}]*)\}")


def _check_jsonschema() -> str:
    beside_python = Path(sys.executable).parent / "check-jsonschema"
    found = str(beside_python) if beside_python.exists() else shutil.which("check-jsonschema")
    if found is None:
        pytest.skip("check-jsonschema is not installed: pip install -e '.[test]'")
    return found


def _validate(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_check_jsonschema(), "--builtin-schema", "vendor.compose-spec", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _env(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        return dict(item.split("=", 1) for item in env)
    return {key: str(value) for key, value in env.items()}


def _ports(service: dict[str, Any]) -> set[str]:
    """Container ports a service publishes (short `host:container` syntax or long form)."""
    ports: set[str] = set()
    for port in service.get("ports", []):
        if isinstance(port, dict):
            ports.add(str(port["target"]))
        else:
            ports.add(str(port).split(":")[-1].split("/")[0])
    return ports


def test_compose_file_follows_the_compose_specification() -> None:
    result = _validate(COMPOSE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_rejects_a_broken_compose_file(tmp_path: Path) -> None:
    broken = tmp_path / "docker-compose.yml"
    broken.write_text(
        "services:\n  api:\n    image: aigeo\n    depends_on:\n      neo4j:\n        condition: when_ready\n",
        encoding="utf-8",
    )
    result = _validate(broken)
    assert result.returncode != 0
    assert "condition" in result.stdout + result.stderr


def test_neo4j_service_is_a_pinned_neo4j_5_with_browser_bolt_and_a_healthcheck(
    compose: dict[str, Any],
) -> None:
    neo4j = compose["services"]["neo4j"]
    assert re.fullmatch(r"neo4j:5\.\d+(\.\d+)?(-community)?", neo4j["image"]), neo4j["image"]
    assert {"7474", "7687"} <= _ports(neo4j)
    check = neo4j["healthcheck"]
    assert check["test"] and check["test"][0] in ("CMD", "CMD-SHELL")
    assert "retries" in check and "interval" in check


def test_neo4j_data_and_logs_live_in_named_volumes(compose: dict[str, Any]) -> None:
    mounts = dict(str(v).rsplit(":", 1)[::-1] for v in compose["services"]["neo4j"]["volumes"])
    assert {"/data", "/logs"} <= set(mounts)
    for target in ("/data", "/logs"):
        assert mounts[target] in compose["volumes"], f"{target} is not a named volume"


def test_api_is_built_here_and_waits_for_a_healthy_neo4j(compose: dict[str, Any]) -> None:
    api = compose["services"]["api"]
    assert api["build"] in (".", {"context": "."})
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert "8000" in _ports(api)
    assert _env(api)["AIGEO_STORE"] == "bolt://neo4j:7687"
    assert api["command"][:2] == ["aigeo", "serve"] and "0.0.0.0" in api["command"]


def test_api_mounts_the_data_folder_for_ingest(compose: dict[str, Any]) -> None:
    assert "./data:/data" in compose["services"]["api"]["volumes"]


def test_no_password_is_baked_in() -> None:
    text = COMPOSE.read_text(encoding="utf-8")
    auth = re.search(r"NEO4J_AUTH:\s*\"?([^\"\n]+)", text)
    assert auth, "NEO4J_AUTH is not set from the environment"
    assert auth.group(1).startswith("neo4j/${AIGEO_NEO4J_PASSWORD")
    for ref in _INTERPOLATION.finditer(text):
        if ref["name"] in SECRET_VARS:
            # `:?` makes compose stop with a message when unset; `:-`/`-` would be a baked default.
            assert ref["op"] == ":?", f"${{{ref['name']}}} must be required, not defaulted: {ref.group(0)}"


def test_env_example_names_every_variable_compose_requires() -> None:
    example = (REPO / ".env.example").read_text(encoding="utf-8")
    declared = {
        line.split("=", 1)[0] for line in example.splitlines() if "=" in line and not line.startswith("#")
    }
    required = {ref["name"] for ref in _INTERPOLATION.finditer(COMPOSE.read_text(encoding="utf-8"))}
    assert required <= declared


def test_real_env_files_stay_out_of_git_and_of_the_image() -> None:
    assert ".env" in (REPO / ".gitignore").read_text(encoding="utf-8").split()
    assert ".env" in (REPO / ".dockerignore").read_text(encoding="utf-8").split()


def test_dockerfile_serves_the_api_on_python_311() -> None:
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim\b", dockerfile, re.M)
    assert re.search(r"pip install .*\.", dockerfile)
    assert 'CMD ["aigeo", "serve", "--host", "0.0.0.0", "--port", "8000"]' in dockerfile


def test_neo4j_runs_apoc_so_graphml_exports_import(compose: dict[str, Any]) -> None:
    neo4j = compose["services"]["neo4j"]
    env = _env(neo4j)
    assert "apoc" in yaml.safe_load(env["NEO4J_PLUGINS"])
    assert env["NEO4J_apoc_import_file_enabled"] == "true"
    assert any(str(v).split(":")[1] == "/import" for v in neo4j["volumes"])
