"""From a place word to the state it belongs to: "Shanghai" -> China, "U.S." -> United States.

Used by the BASED_IN and AFFILIATED_WITH frames, which place a firm or a person in a country from
a city ("Shanghai-based"), a demonym ("Chinese startup"), a capital or a country name.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import pycountry
import yaml

from graph.names import name_key
from graph.schema import NodeType
from loaders.registry import Registry
from loaders.resolve import EntityRef


@lru_cache(maxsize=1)
def _cities() -> dict[str, str]:
    text = resources.files("loaders").joinpath("data", "cities.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    return {name_key(city): code for code, cities in data.items() for city in cities}


class Places:
    """Place and country lookups over a registry (governments) with pycountry as the fallback.

    >>> places = Places(Registry.load())
    >>> places.state_of("Shanghai").name, places.state_of("Chinese").id
    ('China', 'government:chn')
    """

    def __init__(self, registry: Registry) -> None:
        self.registry = registry

    def state(self, alpha3: str) -> EntityRef | None:
        """The state with this ISO 3166-1 alpha-3 code."""
        code = alpha3.upper()
        actor = self.registry.by_id(f"government:{code.lower()}")
        if actor is not None:
            return EntityRef(actor.id, actor.name, actor.type, actor.country, known=True)
        country = pycountry.countries.get(alpha_3=code)
        if country is None:
            return None
        name = getattr(country, "common_name", None) or country.name
        return EntityRef(f"government:{code.lower()}", name, NodeType.GOVERNMENT, code, known=True)

    def state_of(self, word: str) -> EntityRef | None:
        """The state a place word denotes or lies in: country, demonym, capital, or known city."""
        for finder in (self.registry.lookup, self.registry.demonym, self.registry.capital):
            actor = finder(word)
            if actor is not None and actor.type is NodeType.GOVERNMENT and actor.country:
                return self.state(actor.country)
        code = _cities().get(name_key(word))
        if code is not None:
            return self.state(code)
        try:
            return self.state(pycountry.countries.lookup(word).alpha_3)
        except LookupError:
            return None
