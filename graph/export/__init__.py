"""Exports of the graph to files other tools read: GraphML (`graphml`), Cytoscape.js JSON (`cytoscape`).

Exporters read only `Entity` and `Relation` iterables (a store's `iter_*` methods or a query result),
never a store's internals, so they work the same on every store.
"""

from __future__ import annotations

from graph.export.graphml import GraphMLStream, export_store, write_graphml

__all__ = ["GraphMLStream", "export_store", "write_graphml"]
