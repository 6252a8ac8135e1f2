"""Normalise and cut extracted text into tokens, sentences, paragraphs and passage windows.

Everything is kept as character offsets into the unchanged extracted text, so later stages can
report exact spans. Normalisation (case, Unicode compatibility forms, curly quotes) applies to
the token strings only, never to the text the offsets point into.

Words and sentence ends are found by classifying every character once (numpy over the code
points) rather than with regular expressions: the regex engine steps through each character in
turn, and the capturing split that made the words built two strings per word; together they
took 0.28 ms of the 0.33 ms a 400-word page's segmentation took. The rules are the ones these
regular expressions state (the tests check the code against them):

* a word is `[^\\W_]+(?:['’][^\\W_]+|(?<=\\d)[.,]\\d+)*`: letters and digits, continued across an
  inner apostrophe ("it's", "Iran’s") or a "." or "," between digits ("2.5", "1,000"), so that
  numbers stay one token;
* a sentence ends after `[.!?…]+["'”’)\\]]*(?=\\s)`, terminal punctuation with any closing quotes
  or brackets followed by whitespace, unless the dot closes an abbreviation; and at every line
  break.
"""

from __future__ import annotations

import unicodedata

import numpy as np

from dupdetect.config import DEFAULT_CONFIG, Config
from dupdetect.memo import WordMemo
from dupdetect.model import Segmentation

# Abbreviations whose dot does not end a sentence.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st vs etc inc ltd co corp no fig approx dept est gen gov sen rep "
    "jan feb mar apr jun jul aug sep sept oct nov dec e.g i.e u.s u.k u.n a.m p.m".split()
)
_LONGEST_ABBREVIATION = max(map(len, _ABBREVIATIONS))

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})


def normalise_token(token: str) -> str:
    """The comparable form of a word: NFKC, case-folded, straight apostrophes."""
    return unicodedata.normalize("NFKC", token).translate(_APOSTROPHES).casefold()


_NORMAL_FORM_LIMIT = 1 << 20
"""Distinct words kept normalised (~100 MB at most); emptied when full, like the token hashes
in `dupdetect.sign`."""


def _normal_form(word: str) -> str:
    return word.lower() if word.isascii() else normalise_token(word)


_NORMAL_FORMS: WordMemo[str] = WordMemo(_normal_form, _NORMAL_FORM_LIMIT)


# --- character classes -------------------------------------------------------------------------

_WORD_CHARACTER = 1  # str.isalnum(): the regex class [^\W_]
_DIGIT = 2  # str.isdecimal(): the regex \d
_JOIN_SHIFT = 2
_APOSTROPHE = _WORD_CHARACTER << _JOIN_SHIFT  # joins two word characters
_NUMBER_SEPARATOR = _DIGIT << _JOIN_SHIFT  # joins two digits
_TERMINAL = 16  # ends a sentence
_UNCLASSIFIED = 0xFF  # bits no character has
_TERMINALS = ".!?…"
_CLOSERS = "\"'”’)]"
"""Closing quotes and brackets that may follow the terminal punctuation of a sentence."""

_CURLY_APOSTROPHE = ord("’")
_SPACE_CODE = ord(" ")
_LINE_BREAK_CODE = ord("\n")


def _classify(char: str) -> int:
    """The class bits of one character."""
    return (
        _WORD_CHARACTER * char.isalnum()
        | _DIGIT * char.isdecimal()
        | _APOSTROPHE * (char in "'’")
        | _NUMBER_SEPARATOR * (char in ".,")
        | _TERMINAL * (char in _TERMINALS)
    )


_CLASSES = np.full(0x110000, _UNCLASSIFIED, dtype=np.uint8)
"""Class bits by code point (1.1 MB): ASCII classified here, any other character on first sight
(a page meets few distinct ones, and classifying all 1.1 million would slow every start). Every
writer stores the same value for a character, so threads may fill it concurrently."""
_CLASSES[:128] = [_classify(chr(code)) for code in range(128)]


def _code_points(text: str, ascii_only: bool) -> np.ndarray:
    """The text's code points, indexed like the string (lone surrogates included)."""
    if ascii_only:
        return np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _character_classes(codes: np.ndarray, ascii_only: bool) -> np.ndarray:
    """Class bits of every character, classifying characters never seen before."""
    classes = _CLASSES.take(codes)
    if ascii_only:
        return classes
    unseen = classes == _UNCLASSIFIED
    if not unseen.any():
        return classes
    for code in np.unique(codes[unseen]).tolist():
        _CLASSES[code] = _classify(chr(code))
    return _CLASSES.take(codes)


# --- words ---------------------------------------------------------------------------------------


def tokenize(text: str) -> tuple[tuple[str, ...], np.ndarray]:
    """Normalised tokens and their (start, end) character offsets in `text`."""
    ascii_only = text.isascii()
    codes = _code_points(text, ascii_only)
    return _tokens(text, codes, _character_classes(codes, ascii_only), ascii_only)


def _tokens(
    text: str, codes: np.ndarray, classes: np.ndarray, ascii_only: bool
) -> tuple[tuple[str, ...], np.ndarray]:
    """`tokenize` from the text's classified code points (which `segment` also uses)."""
    in_word, cuts = _word_characters(text, classes)
    padded = np.concatenate(([False], in_word, [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])  # alternately a word's start and end
    starts, ends = edges[0::2], edges[1::2]
    if cuts:
        starts = np.sort(np.concatenate((starts, cuts)))
        ends = np.sort(np.concatenate((ends, cuts)))
    spans = np.stack([starts, ends], axis=1).astype(np.int64, copy=False)
    return _normalised_words(codes, in_word, cuts, ascii_only), spans


def _word_characters(text: str, classes: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """Which characters belong to a word, and the offsets where two words touch.

    Word characters belong, and so does a joining character between two characters it joins
    (an apostrophe between word characters, a "." or "," between digits). The digits after a
    joined "." or "," end the word at the first other word character ("2.5m" is "2.5" and "m"):
    such cuts are the only word boundaries without a gap.
    """
    in_word = (classes & _WORD_CHARACTER).view(bool)  # bit 0: already 0 or 1
    joiners = np.flatnonzero(classes[1:-1] & (_APOSTROPHE | _NUMBER_SEPARATOR)) + 1
    if len(joiners) == 0:
        return in_word, []
    # a joiner's bit is the bit its neighbours must share moved up by _JOIN_SHIFT
    shared = classes[joiners - 1] & classes[joiners + 1]
    joined = classes[joiners] & (shared << _JOIN_SHIFT) & (_APOSTROPHE | _NUMBER_SEPARATOR)
    in_word = in_word.copy()
    in_word[joiners[joined != 0]] = True
    return in_word, _cuts_after_numbers(text, joiners[joined == _NUMBER_SEPARATOR].tolist())


def _cuts_after_numbers(text: str, number_joins: list[int]) -> list[int]:
    """Offsets of a word character right after the digits that follow each number join."""
    cuts = []
    for join in number_joins:
        stop = join + 2  # the character after the join is a digit
        while stop < len(text) and text[stop].isdecimal():
            stop += 1
        if stop < len(text) and text[stop].isalnum():
            cuts.append(stop)
    return cuts


def _normalised_words(
    codes: np.ndarray, in_word: np.ndarray, cuts: list[int], ascii_only: bool
) -> tuple[str, ...]:
    """The words' normal forms, in order.

    Every character outside a word becomes a space (and a space goes in at every cut), so one
    `str.split` makes the words. Words made only of ASCII once curly apostrophes are straightened
    (most, even on pages with some other characters) normalise by lower-casing them all at once;
    otherwise every word is looked up in a cache of normal forms.
    """
    spaced = codes * in_word  # zero outside words
    np.maximum(spaced, _SPACE_CODE, out=spaced)  # spaces there: word characters are all above
    if not ascii_only:
        spaced[spaced == _CURLY_APOSTROPHE] = ord("'")
    if cuts:
        spaced = np.insert(spaced, cuts, _SPACE_CODE)
    words = spaced.tobytes().decode("ascii" if ascii_only else "utf-32-le")
    if words.isascii():
        return tuple(words.lower().split())
    return tuple(map(_NORMAL_FORMS.__getitem__, words.split()))


# --- sentences and paragraphs --------------------------------------------------------------------


def _sentence_ends(text: str, classes: np.ndarray) -> list[int]:
    """Offsets just past each sentence-ending punctuation run that whitespace follows.

    A run is terminal punctuation (the characters are found by numpy; there are few) plus any
    closing quotes or brackets right after it; a run starting with the dot of an abbreviation
    ends no sentence.
    """
    ends = []
    run_start = previous = -2
    for at in np.flatnonzero(classes & _TERMINAL).tolist():
        if at != previous + 1:
            run_start = at
        previous, end = at, at + 1
        if end < len(text) and text[end] in _TERMINALS:
            continue  # the run goes on
        while end < len(text) and text[end] in _CLOSERS:
            end += 1
        followed_by_space = end < len(text) and text[end].isspace()
        if followed_by_space and not _closes_abbreviation(text, run_start):
            ends.append(end)
    return ends


def _closes_abbreviation(text: str, dot: int) -> bool:
    """Whether `dot` is a dot after a listed abbreviation ("Dr.", "e.g.") or a single letter,
    the run of letters and dots before it. Only as many characters as the longest listed one
    are read back (case folding never shortens a string, so a longer run cannot be one)."""
    if text[dot] != ".":
        return False
    longer = dot - _LONGEST_ABBREVIATION - 1
    if longer >= 0 and text[longer:dot].isalpha():
        return False  # the usual case at a sentence end: a word longer than any abbreviation
    start = dot
    while start > 0 and dot - start <= _LONGEST_ABBREVIATION:
        if not (text[start - 1].isalpha() or text[start - 1] == "."):
            break
        start -= 1
    return _is_abbreviation(text[start:dot])


def _is_abbreviation(word: str) -> bool:
    """Whether the letters and dots before a dot are a listed abbreviation or one letter."""
    word = word.casefold()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _token_ranges(boundaries: np.ndarray, token_starts: np.ndarray) -> np.ndarray:
    """Group tokens into consecutive ranges split at sorted character `boundaries`; empty
    ranges go."""
    if len(token_starts) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    cuts = np.searchsorted(token_starts, boundaries, side="left")
    edges = np.concatenate(([0], cuts, [len(token_starts)])).astype(np.int64)
    # sorted since the boundaries are; distinct by one comparison (np.unique costs more)
    edges = edges[np.concatenate(([True], edges[1:] != edges[:-1]))]
    return np.stack([edges[:-1], edges[1:]], axis=1)


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
    ascii_only = text.isascii()
    codes = _code_points(text, ascii_only)
    classes = _character_classes(codes, ascii_only)
    tokens, token_spans = _tokens(text, codes, classes, ascii_only)
    token_starts = token_spans[:, 0]
    line_breaks = np.flatnonzero(codes == _LINE_BREAK_CODE)
    sentence_ends = np.array([*_sentence_ends(text, classes), len(text)], dtype=np.int64)
    sentence_breaks = np.sort(np.concatenate((line_breaks, sentence_ends)))
    return Segmentation(
        text=text,
        tokens=tokens,
        token_spans=token_spans,
        sentences=_token_ranges(sentence_breaks, token_starts),
        paragraphs=_token_ranges(line_breaks, token_starts),
        windows=sliding_windows(len(tokens), config.window_words, config.window_stride),
    )
