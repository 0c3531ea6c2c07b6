"""Relation extraction as data: frames in `tables/*.yaml`, one engine, named roles and checks.

tables.py   the typed tables (word classes, frames with their examples) and their loading
roles.py    where a frame's actors are relative to the trigger (voice and clauses handled once)
checks.py   the named conditions a frame may require
engine.py   one lemma index over every frame; `find(sentence)` runs them all
backers.py, restricted.py, located.py, rivals.py, titles.py
            the roles and checks a family needs beyond the general ones
The sentence they read, and its discourse (referents of pronouns, descriptions, lists, the salient
actor), is `loaders.discourse`.
"""
