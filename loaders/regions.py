"""Sub-national regions (US states, provinces, Länder ...) and the state each lies in.

A region is a government only where the text has it act ("Texas banned the app", "Ontario's grant",
"the Texas governor"); `loaders.entities` decides that from the parse, this module only knows the
names (`loaders/data/regions.yaml`).

    >>> region_of("texas"), region_of("Bavaria"), region_of("Acme")
    (('Texas', 'USA'), ('Bavaria', 'DEU'), None)
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml

from graph.names import name_key


@lru_cache(maxsize=1)
def _regions() -> dict[str, tuple[str, str]]:
    text = resources.files("loaders").joinpath("data", "regions.yaml").read_text(encoding="utf-8")
    data: dict[str, list[str]] = yaml.safe_load(text) or {}
    return {name_key(name): (name, code) for code, names in data.items() for name in names}


def region_of(text: str) -> tuple[str, str] | None:
    """The region a name denotes, as (name as listed, country alpha-3); None if it names none."""
    return _regions().get(name_key(text))
