"""Any bytes, under any supported name, give documents or reasons: no reader raises (issue 13)."""

from __future__ import annotations

import json

from hypothesis import example, given
from hypothesis import strategies as st

from loaders.clean import clean_text
from loaders.raw import RawDocument
from loaders.readers import SUPPORTED_SUFFIXES, ReadResult, read_bytes

SUFFIXES = sorted(SUPPORTED_SUFFIXES)
LIMIT = 200_000


def assert_clean(result: ReadResult) -> None:
    assert isinstance(result, ReadResult)
    for doc in result.documents:
        assert isinstance(doc, RawDocument) and doc.text.strip()
        doc.content_hash.encode()  # every document can be hashed and stored: encodable text
        doc.text.encode("utf-8")
        (doc.title or "").encode("utf-8")
    for problem in result.problems:
        assert problem.reason


@given(data=st.binary(max_size=4_000), suffix=st.sampled_from(SUFFIXES))
def test_any_bytes_under_any_suffix(data: bytes, suffix: str) -> None:
    assert_clean(read_bytes(data, f"fuzz{suffix}", LIMIT))


@given(text=st.text(max_size=2_000), suffix=st.sampled_from(SUFFIXES))
def test_any_text_under_any_suffix(text: str, suffix: str) -> None:
    assert_clean(read_bytes(text.encode("utf-8", "surrogatepass"), f"fuzz{suffix}", LIMIT))


_MARKUP = st.lists(
    st.one_of(
        st.sampled_from(
            ["<div>", "</div>", "<p>", "</p>", "<br>", "<script>", "</script>", "<b>", "&amp;", "&#0;"]
        ),
        st.sampled_from(
            ["<html>", "<body>", "</body>", "<title>", "</title>", "<!--", "-->", "<![CDATA[", "]]>"]
        ),
        st.text(max_size=40),
    ),
    max_size=200,
)


@given(parts=_MARKUP, suffix=st.sampled_from([".html", ".xml", ".md", ".txt"]))
@example(
    parts=["<html>", "<body>", "</body>", "<body>", "Chips sold.", "</body>"], suffix=".md"
)  # lxml asserted
def test_markup_soup(parts: list[str], suffix: str) -> None:
    page = "".join(parts).encode("utf-8", "surrogatepass")
    assert_clean(read_bytes(page, f"soup{suffix}", LIMIT))


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=60),
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(
            st.sampled_from(
                ["text", "title", "body", "url", "published", "source", "articles", "rendered", "x"]
            ),
            inner,
            max_size=6,
        )
    ),
    max_leaves=30,
)


@given(value=_JSON, lines=st.booleans())
def test_any_json_value(value: object, lines: bool) -> None:
    # json.dumps escapes lone surrogates as \udXXX, which json.loads turns back into them.
    encoded = json.dumps(value)
    if lines:
        assert_clean(read_bytes(f"{encoded}\n{encoded}\n".encode(), "fuzz.jsonl", LIMIT))
    else:
        assert_clean(read_bytes(encoded.encode(), "fuzz.json", LIMIT))


@given(text=st.text(max_size=3_000))
def test_clean_never_raises_and_keeps_text(text: str) -> None:
    result = clean_text(text)
    assert isinstance(result.text, str)
    assert len(result.text) <= len(text) + 1
