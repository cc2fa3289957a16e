"""The index's words: the fast path of a rebuild and the word-by-word path agree."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from search.text import MAX_TOKEN, index_words, words

SAMPLES = [
    "Rechnungsadresse für Müller, Straße",
    "anna@example.com snake_case x² ﬁne ＡＢＣ",
    "请求退款，東京Towerへ ガス カス",
    "Ёлка и йогурт, ЙОГУРТ",
    "Crème BRÛLÉE, São Paulo, Łódź, Øresund, Ærø",
    "한국어 텍스트",
    "नमस्ते दुनिया",
    "e\u0301te\u0301 \u0301alone",
    "x" * 100,
]
# Letters of many scripts, marks, digits, punctuation and spaces.
ALPHABET = st.characters(
    categories=["L", "M", "N", "P", "Zs"], exclude_characters="\x00"
) | st.sampled_from("ßẞİıøæœ‐-_@.é\u0301\u0306\u3099ガカ东京退款й")


def test_the_fast_path_gives_the_same_words():
    for text in SAMPLES:
        assert index_words(text) == words(text), text


@settings(max_examples=400, deadline=None)
@given(st.text(ALPHABET, max_size=80))
def test_the_fast_path_gives_the_same_words_for_any_text(text):
    assert index_words(text) == words(text)


def test_words_are_folded_and_cut():
    assert words("Straße ÜBER élan ЁЖ й") == ["strasse", "uber", "elan", "еж", "й"]
    assert words("ガス") != words("カス")
    assert words("x" * 100) == ["x" * MAX_TOKEN]
    assert words("退款申请") == ["退款", "款申", "申请", "请"]
