"""How names are compared: one normal form for every lookup by name or alias, in every store."""

from __future__ import annotations

import functools
import re
import unicodedata

_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_POSSESSIVE = re.compile(r"'s?$")
_NON_WORD = re.compile(r"[^\w]+")


@functools.lru_cache(maxsize=1 << 16)  # bulk loads key the same names over and over
def name_key(name: str) -> str:
    """Fold case, accents, quotes, punctuation and a trailing possessive.

    >>> name_key("  OpenAI’s ")
    'openai'
    >>> name_key("Zhipu AI") == name_key("zhipu-ai") == name_key("Zhīpǔ AI")
    True
    """
    text = unicodedata.normalize("NFKD", name.translate(_QUOTES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold().strip()
    text = _POSSESSIVE.sub("", text)
    return " ".join(_NON_WORD.sub(" ", text).split())


def slug(name: str) -> str:
    """A lowercase, dash-joined form for ids.

    >>> slug("Tencent Holdings Ltd.")
    'tencent-holdings-ltd'
    """
    return name_key(name).replace(" ", "-").replace("_", "-")
