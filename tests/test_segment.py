"""Tokens, sentences, paragraphs and windows keep exact character offsets."""

from __future__ import annotations

import itertools
import re
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dupdetect.config import Config
from dupdetect.segment import (
    _ABBREVIATIONS,
    _classify,
    normalise_token,
    segment,
    sliding_windows,
    tokenize,
)

# The rules segment.py implements without regular expressions, stated as regular expressions.
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+|(?<=\d)[.,]\d+)*")
SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")

TEXT = (
    "Dr. Okafor said the U.S. plan cost €2.5 million. It’s late!\n\n"
    "A new paragraph starts here, with 1,000 words? No: fewer."
)


def test_tokens_are_normalised_but_offsets_point_at_the_original() -> None:
    tokens, spans = tokenize(TEXT)
    assert tokens[:3] == ("dr", "okafor", "said")
    assert "it's" in tokens  # curly apostrophe straightened, case folded
    assert "2.5" in tokens and "1,000" in tokens  # numbers stay one token
    for token, (start, end) in zip(tokens, spans, strict=True):
        assert TEXT[start:end].casefold().replace("’", "'") == token


def test_sentences_respect_abbreviations_and_line_breaks() -> None:
    seg = segment(TEXT)
    sentences = [seg.char_span(int(a), int(b)).text for a, b in seg.sentences]
    assert sentences == [
        "Dr. Okafor said the U.S. plan cost €2.5 million",
        "It’s late",
        "A new paragraph starts here, with 1,000 words",
        "No: fewer",
    ]
    paragraphs = [seg.char_span(int(a), int(b)).text for a, b in seg.paragraphs]
    assert len(paragraphs) == 2 and paragraphs[1].startswith("A new paragraph")


def test_windows_cover_every_token_and_end_flush() -> None:
    windows = sliding_windows(50, size=24, stride=6)
    assert windows[0].tolist() == [0, 24]
    assert windows[-1].tolist() == [26, 50]
    assert np.all(windows[:, 1] - windows[:, 0] == 24)
    assert sliding_windows(10, size=24, stride=6).tolist() == [[0, 10]]
    assert sliding_windows(0, size=24, stride=6).shape == (0, 2)


def test_windows_cross_paragraph_breaks() -> None:
    seg = segment(TEXT, Config(window_words=8, window_stride=4))
    crossing = [(a, b) for a, b in seg.windows if "\n" in seg.char_span(int(a), int(b)).text]
    assert crossing


def test_empty_text() -> None:
    seg = segment("   \n ")
    assert seg.words == 0
    assert seg.sentences.shape == (0, 2) and seg.windows.shape == (0, 2)


@pytest.mark.parametrize(
    "text",
    [
        "The SEC's 2.5% rule, filed 1,000 times, was WITHDRAWN on Monday.",
        "Iran’s minister met Putin in Moscow; the café was ﬁne (Straße, ΣΟΦΊΑ).",
    ],
    ids=["ascii", "unicode"],
)
def test_every_token_is_its_words_normal_form(text: str) -> None:
    """ASCII texts take a faster path; both must agree with `normalise_token` word by word."""
    tokens, spans = tokenize(text)
    assert tokens == tuple(normalise_token(text[start:end]) for start, end in spans.tolist())
    assert len(tokens) == len(WORD.findall(text))


def reference_tokens(text: str) -> tuple[list[str], list[list[int]]]:
    spans = [list(match.span()) for match in WORD.finditer(text)]
    return [normalise_token(text[start:end]) for start, end in spans], spans


def reference_sentences(text: str, token_starts: np.ndarray) -> list[list[int]]:
    """Token ranges between sentence ends: line breaks, the end of the text, and every
    `SENTENCE_END` unless its dot closes an abbreviation (the letters and dots before it are a
    listed abbreviation or a single letter)."""
    ends = {len(text)} | {at for at, char in enumerate(text) if char == "\n"}
    for match in SENTENCE_END.finditer(text):
        dot = start = match.start()
        while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
            start -= 1
        word = text[start:dot].casefold()
        listed = word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())
        if not (text[dot] == "." and listed):
            ends.add(match.end())
    cuts = sorted(
        {0, len(token_starts)} | set(np.searchsorted(token_starts, sorted(ends)).tolist())
    )
    return [list(pair) for pair in itertools.pairwise(cuts)] if len(token_starts) else []


# Pieces where the rules have edge cases: joiners, digits (also non-ASCII ones), characters
# that are not letters, closers, sentence punctuation, kinds of space, abbreviations.
TRICKY_PIECES = [
    *"aZé9٣²_ 'ʼ’‘.,!?…\"”)]\n\t\u00a0-ﬁßİ\u0301",
    "Dr",
    "e.g",
    "U.S",
    "2.5m",
    "approx",
]
TRICKY = st.lists(st.sampled_from(TRICKY_PIECES), max_size=30).map("".join)


@settings(max_examples=500, deadline=None)
@given(TRICKY)
def test_tokens_follow_the_word_rule(text: str) -> None:
    tokens, spans = tokenize(text)
    expected_tokens, expected_spans = reference_tokens(text)
    assert list(tokens) == expected_tokens
    assert spans.tolist() == expected_spans
    assert spans.dtype == np.int64 and spans.shape == (len(tokens), 2)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2.5m of 1,000,000th v1.2 it's Iran’s", ["2.5", "m", "of", "1,000,000", "th", "v1.2"]),
        ("rock 'n' roll, 3.a 4..5 x’’y", ["rock", "n", "roll", "3", "a", "4", "5", "x", "y"]),
    ],
)
def test_joined_numbers_and_apostrophes(text: str, words: list[str]) -> None:
    """A "." or "," joins digits only, and the digits after it end the word at a letter."""
    tokens = tokenize(text)[0]
    assert list(tokens[: len(words)]) == words
    assert list(tokens) == reference_tokens(text)[0]


@settings(max_examples=500, deadline=None)
@given(TRICKY)
def test_sentences_follow_the_sentence_rule(text: str) -> None:
    seg = segment(text)
    assert seg.sentences.tolist() == reference_sentences(text, seg.token_spans[:, 0])


@pytest.mark.parametrize(
    "text",
    [
        "He met Dr. Okafor. Then approx. ten more came!) Later ... e.g. this one.” Yes? (x.) no",
        "Wait!!! “Really?” she said.’ Ok. A. B. Sept. abcdefg. 9. Ω.\nNew line",
        "Approx. ten. Sept. came early. Mr. Li left. Dr. No. Co. U.S. e.g. etc.",
    ],
)
def test_sentences_on_real_punctuation(text: str) -> None:
    seg = segment(text)
    assert seg.sentences.tolist() == reference_sentences(text, seg.token_spans[:, 0])
    assert len(seg.sentences) > 2  # several sentences, not one


@pytest.mark.skipif(sys.maxunicode != 0x10FFFF, reason="needs every code point")
def test_character_classes_agree_with_the_regex_classes_everywhere() -> None:
    """`str.isalnum` is the regex's `[^\\W_]` and `str.isdecimal` its `\\d` for every character,
    which is what lets segment.py classify characters with them."""
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    word = np.zeros(len(every), dtype=bool)
    word[[m.start() for m in re.finditer(r"[^\W_]", every)]] = True
    digit = np.zeros(len(every), dtype=bool)
    digit[[m.start() for m in re.finditer(r"\d", every)]] = True
    classes = np.array([_classify(char) for char in every])
    assert np.array_equal(word, (classes & 1) != 0)
    assert np.array_equal(digit, (classes & 2) != 0)
