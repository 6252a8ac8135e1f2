"""Tokens, sentences, paragraphs and windows keep exact character offsets."""

from __future__ import annotations

import numpy as np
import pytest

from dupdetect.config import Config
from dupdetect.segment import _WORD, normalise_token, segment, sliding_windows, tokenize

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
    assert len(tokens) == len(_WORD.findall(text))
