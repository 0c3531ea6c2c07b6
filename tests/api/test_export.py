"""Exports over HTTP: GraphML read back by networkx, Cytoscape.js JSON, RDF parsed by rdflib."""

from __future__ import annotations

import io
import json
import warnings

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from graph.model import NeighbourhoodQuery
from graph.stores.embedded import EmbeddedStore
from tests.api.conftest import TestClient, assert_problem


def _graphml(content: bytes) -> nx.MultiDiGraph:
    return nx.read_graphml(io.BytesIO(content), force_multigraph=True)


def test_whole_graph_graphml_streams_every_node_and_edge(client: TestClient, store: EmbeddedStore) -> None:
    response = client.get("/export/graph")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/graphml+xml")
    assert 'filename="aigeo-graph.graphml"' in response.headers["content-disposition"]
    graph = _graphml(response.content)
    stats = store.stats()
    assert graph.number_of_nodes() == stats.entities and graph.number_of_edges() == stats.relations
    assert graph.nodes["company:openai"]["labels"] == ":Company:Entity"


def test_neighbourhood_graphml_has_the_same_nodes_as_the_json_query(client: TestClient) -> None:
    params = {"entity": "Tencent", "depth": 2, "rel_type": ["BACKS", "COMPETES_WITH", "BASED_IN"]}
    view = client.get("/graph/neighbourhood", params=params).json()
    graph = _graphml(client.get("/export/neighbourhood", params=params).content)
    assert set(graph.nodes) == {n["id"] for n in view["nodes"]}
    assert graph.number_of_edges() == len(view["edges"])


def test_paths_graphml_is_the_union_of_the_paths(client: TestClient) -> None:
    params = {"source": "Tencent", "target": "OpenAI", "mode": "all_shortest"}
    paths = client.get("/graph/paths", params=params).json()["paths"]
    response = client.get("/export/paths", params=params)
    assert "aigeo-paths-company-tencent-company-openai.graphml" in response.headers["content-disposition"]
    graph = _graphml(response.content)
    assert set(graph.nodes) == {n["id"] for p in paths for n in p["nodes"]}
    assert graph.number_of_edges() == len(
        {(e["source"], e["type"], e["target"]) for p in paths for e in p["edges"]}
    )


def test_cytoscape_elements_reference_only_exported_nodes(client: TestClient, store: EmbeddedStore) -> None:
    response = client.get("/export/graph", params={"format": "cytoscape"})
    assert response.headers["content-type"].startswith("application/json")
    elements = response.json()["elements"]
    ids = {n["data"]["id"] for n in elements["nodes"]}
    assert len(ids) == store.stats().entities
    assert len(elements["edges"]) == store.stats().relations
    for edge in elements["edges"]:
        assert edge["data"]["source"] in ids and edge["data"]["target"] in ids
        assert edge["classes"] == edge["data"]["label"]
    backs = next(e for e in elements["edges"] if e["data"]["id"] == "company:microsoft|BACKS|company:openai")
    assert backs["data"]["weight"] == 2 and backs["data"]["evidence_count"] == 2


def test_cytoscape_neighbourhood(client: TestClient, store: EmbeddedStore) -> None:
    body = client.get("/export/neighbourhood", params={"entity": "Baidu", "format": "cytoscape"}).json()
    direct = store.neighbourhood(NeighbourhoodQuery(entity_id="company:baidu"))
    assert {n["data"]["id"] for n in body["elements"]["nodes"]} == {n.id for n in direct.nodes}


@pytest.mark.parametrize(
    ("fmt", "media", "rdf_format"),
    [
        ("turtle", "text/turtle", "turtle"),
        ("nt", "application/n-triples", "nt"),
        ("nq", "application/n-quads", "nquads"),
        ("jsonld", "application/ld+json", "json-ld"),
    ],
)
def test_rdf_exports_parse(client: TestClient, fmt: str, media: str, rdf_format: str) -> None:
    whole = client.get("/export/graph", params={"format": fmt})
    assert whole.status_code == 200, whole.text
    assert whole.headers["content-type"].startswith(media)
    graph = _rdflib_graph(whole.content, rdf_format)
    backs = rdflib.URIRef("https://aigeo.dev/ontology#backs")
    assert len(set(graph.subject_objects(backs))) == 2
    part = client.get("/export/neighbourhood", params={"entity": "Microsoft", "format": fmt})
    assert part.status_code == 200, part.text
    sub = _rdflib_graph(part.content, rdf_format)
    assert 0 < len(sub) < len(graph)


def _rdflib_graph(data: bytes, rdf_format: str) -> rdflib.Graph:
    """The triples of an export; N-Quads through a Dataset, whose default graph must hold them all."""
    if rdf_format != "nquads":
        return rdflib.Graph().parse(data=data, format=rdf_format)
    dataset = rdflib.Dataset()
    with warnings.catch_warnings():  # rdflib's N-Quads parser uses its own deprecated API
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset.parse(data=data, format="nquads")
    graph = rdflib.Graph()
    for s, p, o, g in dataset.quads():
        assert g is None or g == rdflib.graph.DATASET_DEFAULT_GRAPH_ID, g
        graph.add((s, p, o))
    return graph


def _oxigraph_terms(data: bytes, fmt: ox.RdfFormat) -> set[tuple[str, str, str]]:
    quads = list(ox.parse(data, format=fmt))
    if fmt == ox.RdfFormat.N_QUADS:
        assert all(isinstance(q.graph_name, ox.DefaultGraph) for q in quads)
    return {(str(q.subject), str(q.predicate), str(q.object)) for q in quads}


@pytest.mark.parametrize(("path", "query"), [("graph", {}), ("neighbourhood", {"entity": "Microsoft"})])
def test_nquads_hold_the_same_statements_as_the_other_rdf_formats(
    client: TestClient, path: str, query: dict[str, str]
) -> None:
    body = {
        fmt: client.get(f"/export/{path}", params={**query, "format": fmt}).content
        for fmt in ("nq", "nt", "turtle", "jsonld")
    }
    in_default_graph = _oxigraph_terms(body["nq"], ox.RdfFormat.N_QUADS)
    assert len(in_default_graph) > 20
    assert in_default_graph == _oxigraph_terms(body["nt"], ox.RdfFormat.N_TRIPLES)
    assert in_default_graph == _oxigraph_terms(body["turtle"], ox.RdfFormat.TURTLE)
    by_rdflib = _rdflib_graph(body["nq"], "nquads")
    assert isomorphic(by_rdflib, _rdflib_graph(body["nt"], "nt"))
    assert isomorphic(by_rdflib, _rdflib_graph(body["jsonld"], "json-ld"))


def test_export_errors_are_problems_not_broken_downloads(client: TestClient) -> None:
    assert_problem(client.get("/export/neighbourhood", params={"entity": "Nobody"}), 404, "Nobody")
    assert_problem(
        client.get("/export/paths", params={"source": "Tencent", "target": "Sam Altman", "max_hops": 2}),
        404,
        "no path",
    )
    assert_problem(client.get("/export/graph", params={"format": "pdf"}), 422, "format")


def test_cytoscape_json_is_valid_for_an_empty_result(client: TestClient) -> None:
    body = client.get(
        "/export/neighbourhood", params={"entity": "Sam Altman", "format": "cytoscape", "rel_type": "BACKS"}
    ).json()
    assert [n["data"]["id"] for n in body["elements"]["nodes"]] == ["person:sam-altman"]
    assert json.dumps(body["elements"]["edges"]) == "[]"
