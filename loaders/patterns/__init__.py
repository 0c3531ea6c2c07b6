"""Relation patterns, one module per kind of relation; `loaders.relations` runs them all."""
