"""Who a pronoun or a group noun stands for: object control, relative clauses, salience, lists.

Every sentence here was written for these tests.
"""

from __future__ import annotations

from loaders.discourse import Sentence
from loaders.entities import find_mentions
from loaders.raw import RawDocument
from loaders.relations import sentences
from tests.loaders.pipeline_cache import shared_pipeline


def parse(text: str) -> list[Sentence]:
    """The text's sentences with resolved mentions, as the relation patterns see them."""
    pl = shared_pipeline()
    prepared = pl.prepare(RawDocument(source="test.txt", text=text))
    doc = pl.nlp(prepared.model_text)
    mentions = find_mentions(doc, prepared.text, pl.registry, headline_lines=prepared.headlines)
    sents = sentences(doc, pl.resolver.resolve(mentions, doc))
    for s in sents:
        s.places = pl.places
    return sents


def resolve(text: str, word: str, nth: int = 0) -> list[str]:
    """The ids the `nth` occurrence of pronoun `word` in the text resolves to."""
    hits = [(s, t) for s in parse(text) for t in s.span if t.lower_ == word]
    sent, tok = hits[nth]
    return [a.entity.id for a in sent.pronoun(tok)]


def members(text: str, head: str) -> list[str]:
    """The actors the noun phrase headed by the word `head` names."""
    for sent in parse(text):
        for tok in sent.span:
            if tok.text == head:
                return [a.entity.id for a in sent.args_of(tok)]
    raise AssertionError(f"{head!r} not in text")


def test_object_control_possessive_is_the_object() -> None:
    text = "The Dutch government ordered Alibaba to sell its stake in Moonshot AI."
    assert resolve(text, "its") == ["company:alibaba"]


def test_object_control_with_force() -> None:
    text = "Washington forced Huawei to shut its European offices."
    assert resolve(text, "its") == ["company:huawei"]


def test_subject_control_keeps_the_subject() -> None:
    # "promise" is subject control: the promiser's own stake
    text = "Alibaba promised Tencent to sell its stake in Moonshot AI."
    assert resolve(text, "its") != ["company:tencent"]


def test_pronoun_subject_of_relative_clause_is_the_main_actor() -> None:
    text = "Baidu praised Zhipu AI, which it said would compete with OpenAI."
    assert resolve(text, "it") == ["company:baidu"]


def test_pronoun_in_reduced_relative_is_the_main_actor() -> None:
    text = "Zhipu AI launched GLM-5, a model it pitched as a rival to OpenAI."
    assert resolve(text, "it") == ["company:zhipu-ai"]


def test_pronoun_in_relative_with_relative_subject_is_the_antecedent() -> None:
    text = "Tencent invested in MiniMax, which doubled its revenue last year."
    assert resolve(text, "its") == ["company:minimax"]


def test_subject_of_previous_sentence_outweighs_mention_counts() -> None:
    text = (
        "Alibaba cut prices again. Alibaba also hired staff. Alibaba said demand was strong. "
        "Baidu, for its part, released a new model on Monday. It also invested in Zhipu AI."
    )
    assert resolve(text, "it", nth=0) == ["company:baidu"]


def test_government_noun_with_a_list_names_the_members() -> None:
    text = "Washington banned chip exports to hostile states like Iran and North Korea."
    assert members(text, "states") == ["government:irn", "government:prk"]


def test_government_noun_without_a_list_is_the_state() -> None:
    text = "The Chinese government banned the app."
    assert members(text, "government") == ["government:chn"]


def test_an_object_it_is_not_the_subject_of_its_own_or_a_coordinated_verb() -> None:
    text = (
        "DeepSeek released a new chatbot in January. "
        "The Navy told its staff not to use the app, and NASA blocked it within days."
    )
    assert resolve(text, "it") == ["company:deepseek"]


def test_an_object_it_may_be_the_subject_of_the_clause_above() -> None:
    text = "Nvidia said on Monday that officials had told it to stop shipping chips to China."
    assert resolve(text, "it") == ["company:nvidia"]


def test_an_owned_rival_is_the_firm_the_text_is_about_not_its_owner() -> None:
    text = "Intel lost money for a year. Then Nvidia said it would put $5 billion into its longtime rival."
    sent, tok = next((s, t) for s in parse(text) for t in s.span if t.lower_ == "rival")
    assert [a.entity.id for a in sent.owned_rival(tok)] == ["company:intel"]
    alone = "Nvidia said it would put $5 billion into its longtime rival."
    sent, tok = next((s, t) for s in parse(alone) for t in s.span if t.lower_ == "rival")
    assert sent.owned_rival(tok) == []
