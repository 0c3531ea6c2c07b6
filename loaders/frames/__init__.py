"""Relation extraction as data: frames in `tables/*.yaml`, one engine, named roles and checks.

tables.py   the typed tables (word classes, frames with their examples) and their loading
roles.py    where a frame's actors are relative to the trigger (voice and clauses handled once)
checks.py   the named conditions a frame may require
engine.py   one lemma index over every frame; `find(sentence)` runs them all
"""
