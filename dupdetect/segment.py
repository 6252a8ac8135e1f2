"""Normalise and cut extracted text into tokens, sentences, paragraphs and passage windows.

Everything is kept as character offsets into the unchanged extracted text, so later stages can
report exact spans. Normalisation (case, Unicode compatibility forms, curly quotes) applies to
the token strings only, never to the text the offsets point into.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np

from dupdetect.config import DEFAULT_CONFIG, Config
from dupdetect.memo import WordMemo
from dupdetect.model import Segmentation

# A word: letters/digits, allowing inner apostrophes ("it's", "Iran’s") and inner dots or
# commas between digits ("2.5", "1,000") so that numbers stay one token.
_WORD = re.compile(r"[^\W_]+(?:(?:['’][^\W_]+)|(?:(?<=\d)[.,](?=\d)\d+))*")

# Sentence ends: terminal punctuation, optional closing quotes/brackets, then whitespace.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")
_LINE_BREAK = re.compile(r"\n")

# Abbreviations whose dot does not end a sentence.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st vs etc inc ltd co corp no fig approx dept est gen gov sen rep "
    "jan feb mar apr jun jul aug sep sept oct nov dec e.g i.e u.s u.k u.n a.m p.m".split()
)

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})


def normalise_token(token: str) -> str:
    """The comparable form of a word: NFKC, case-folded, straight apostrophes."""
    return unicodedata.normalize("NFKC", token).translate(_APOSTROPHES).casefold()


_WORD_OR_GAP = re.compile(f"({_WORD.pattern})")
"""Splitting on a captured word yields gap, word, gap, ..., gap: the words and, from the
pieces' lengths alone, every word's offsets, in one regex pass with no match objects."""

_NORMAL_FORM_LIMIT = 1 << 20
"""Distinct words kept normalised (~100 MB at most); emptied when full, like the token hashes
in `dupdetect.sign`."""


def _normal_form(word: str) -> str:
    return word.lower() if word.isascii() else normalise_token(word)


_NORMAL_FORMS: WordMemo[str] = WordMemo(_normal_form, _NORMAL_FORM_LIMIT)


def tokenize(text: str) -> tuple[tuple[str, ...], np.ndarray]:
    """Normalised tokens and their (start, end) character offsets in `text`.

    Most pages are ASCII, where normalising is lower-casing (NFKC and case folding change no
    ASCII character but its case), and lower-casing keeps every offset: such a text is lowered
    once and split in the lowered copy; elsewhere every word is looked up in a cache of normal
    forms.
    """
    ascii_only = text.isascii()
    pieces = _WORD_OR_GAP.split(text.lower() if ascii_only else text)
    ends = np.cumsum(np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces)))
    spans = ends[:-1].reshape(-1, 2)  # (end of the gap before a word, end of the word)
    words = pieces[1::2]
    if ascii_only:
        return tuple(words), spans
    return tuple(map(_NORMAL_FORMS.__getitem__, words)), spans


def sentence_boundaries(text: str) -> list[int]:
    """Character offsets where sentences end (exclusive), including line breaks and the end."""
    ends: set[int] = {len(text)}
    for match in _LINE_BREAK.finditer(text):
        ends.add(match.start())
    for match in _SENTENCE_END.finditer(text):
        if not _is_abbreviation(text, match.start()):
            ends.add(match.end())
    return sorted(ends)


def _is_abbreviation(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    word_start = dot
    while word_start > 0 and (text[word_start - 1].isalpha() or text[word_start - 1] == "."):
        word_start -= 1
    word = text[word_start:dot].casefold()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _token_ranges(boundaries: list[int], token_spans: np.ndarray) -> np.ndarray:
    """Group tokens into consecutive ranges split at character `boundaries`; empty ranges go."""
    if len(token_spans) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    cuts = np.searchsorted(token_spans[:, 0], np.asarray(boundaries, dtype=np.int64), side="left")
    edges = np.sort(np.concatenate(([0], cuts, [len(token_spans)])).astype(np.int64))
    # distinct edges by one comparison: np.unique costs more than the rest of this function
    edges = edges[np.concatenate(([True], edges[1:] != edges[:-1]))]
    return np.stack([edges[:-1], edges[1:]], axis=1)


def paragraph_boundaries(text: str) -> list[int]:
    """Offsets of line breaks: extracted text puts every block on its own line(s)."""
    return [m.start() for m in _LINE_BREAK.finditer(text)]


def sliding_windows(n_tokens: int, size: int, stride: int) -> np.ndarray:
    """Token ranges of `size` words every `stride` words, the last one flush with the end.

    Windows ignore sentence and paragraph breaks on purpose: a copied run of text is found
    wherever it starts.
    """
    if n_tokens == 0:
        return np.zeros((0, 2), dtype=np.int64)
    if n_tokens <= size:
        return np.array([[0, n_tokens]], dtype=np.int64)
    starts = np.arange(0, n_tokens - size + 1, stride, dtype=np.int64)
    if starts[-1] != n_tokens - size:
        starts = np.append(starts, n_tokens - size)
    return np.stack([starts, starts + size], axis=1)


def segment(text: str, config: Config = DEFAULT_CONFIG) -> Segmentation:
    """Tokens, sentences, paragraphs and windows of `text`, all as token ranges."""
    tokens, token_spans = tokenize(text)
    return Segmentation(
        text=text,
        tokens=tokens,
        token_spans=token_spans,
        sentences=_token_ranges(sentence_boundaries(text), token_spans),
        paragraphs=_token_ranges(paragraph_boundaries(text), token_spans),
        windows=sliding_windows(len(tokens), config.window_words, config.window_stride),
    )
