"""Filler components that read the page's wording: stock phrases, generic sentences, promo
lines and keyword stuffing (the lexicon is `dupdetect.lexicon`).

Like `dupdetect.filler_components`, each returns the characters it counts and the spans shown.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import count
from typing import NamedTuple

import numpy as np

from dupdetect.filler_components import (
    CharSpan,
    Measure,
    PageView,
    Share,
    StemNumbers,
    concatenated_ranges,
    sorted_distinct,
    spans_of,
    stem,
)
from dupdetect.lexicon import (
    CLICKBAIT,
    CLOSING_OPENERS,
    GENERAL_WORDS,
    MONTHS_AND_DAYS,
    PROMO_LINE,
    PROMO_REASON_WEIGHTS,
    SECTION_CLOSERS,
    STOCK_PHRASES,
    STOP_WORDS,
    cues,
    required_strings,
)
from dupdetect.memo import WordMemo
from dupdetect.model import Extraction, FillerSpan
from dupdetect.segment import tokenize

# --- stock phrases and templates -------------------------------------------------------------
_STOCK = tuple(
    (family, re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE), cues(pattern))
    for family, pattern in STOCK_PHRASES.items()
)
Clauses = tuple[tuple[bytes, ...], ...]


def _encoded_required(pattern: str) -> Clauses:
    """`required_strings(pattern)` encoded like `PageView.lowered` encodes the text."""
    return tuple(
        tuple(s.encode("ascii", "replace") for s in clause) for clause in required_strings(pattern)
    )


_REQUIRED: tuple[Clauses, ...] = tuple(map(_encoded_required, STOCK_PHRASES.values()))
"""Per family, its required strings."""


# Which sentences a family is tried in is decided per distinct word of the page: a word has a
# *feature* for every family it cues (it starts with one of the family's cues) and for every
# *gate clause* it has a needle of (see `_word_needle`). A sentence can hold a match of a
# family only if its words have the family's cue feature and every one of its gate clauses.


def _word_needle(string: bytes) -> str | None:
    """What the token `" " + word + " "` holds, for some word of a sentence, wherever the
    required `string` (encoded like `PageView.lowered`) occurs in that sentence's lowered text;
    None if no needle of `_TRIGRAM` characters or more does.

    A run of letters in `string` is, in the text, ASCII letters (or the Kelvin sign, the one
    other character lowering to one): word characters, which lie inside one token, and a
    token's normal form keeps them in place. Where a separator (a space, a hyphen: a character
    that neither belongs to a token nor joins two) bounds the run inside `string`, the token
    starts or ends there, and the needle holds the padding space on that side. The longest run
    is taken, and among runs of a length the one bounded on most sides.
    """
    text = string.decode("ascii")
    needles = []
    for run in _LETTER_RUN.finditer(text):
        start, end = run.span()
        before = " " if start > 0 and _separates(text[start - 1]) else ""
        after = " " if end < len(text) and _separates(text[end]) else ""
        needles.append((end - start, f"{before}{run.group()}{after}"))
    if not needles:
        return None
    needle = max(needles, key=lambda candidate: (candidate[0], len(candidate[1])))[1]
    return needle if len(needle) >= _TRIGRAM else None


_LETTER_RUN = re.compile("[a-z]+")
_TRIGRAM = 3
"""Needles are looked up by their first three characters."""


def _separates(character: str) -> bool:
    """True for an ASCII character of lowered text that is neither part of a token nor joins
    two ("?" stands for any non-ASCII character, such as a curly apostrophe)."""
    return not (character.isalnum() or character in "_'?.,")


def _gate_clauses() -> tuple[tuple[tuple[str, ...], ...], tuple[tuple[int, ...], ...]]:
    """The distinct clauses of the families' required strings, as needles, and per family the
    ones it needs (by index). A clause with a string that has no needle gates nothing and is
    left out (that only lets more sentences through to the required strings' test)."""
    columns: dict[tuple[str, ...], int] = {}
    needed: list[list[int]] = [[] for _ in _STOCK]
    for family, clauses in enumerate(_REQUIRED):
        for clause in clauses:
            needles = [_word_needle(string) for string in clause]
            if all(needles):
                key = tuple(sorted(set(filter(None, needles))))
                needed[family].append(columns.setdefault(key, len(columns)))
    return tuple(columns), tuple(map(tuple, needed))


_GATE_CLAUSES, _CLAUSES_NEEDED = _gate_clauses()
_N_FEATURES = len(_STOCK) + len(_GATE_CLAUSES)
"""Word features: the families' cues (one column per family), then the gate clauses."""


def _features_by_needle() -> dict[str, tuple[int, ...]]:
    """Needle -> the features it gives a word: a family's cue is the needle `" " + cue`."""
    found: defaultdict[str, list[int]] = defaultdict(list)
    for family, (_, _, family_cues) in enumerate(_STOCK):
        for cue in family_cues:
            found[f" {cue}"].append(family)
    for column, needles in enumerate(_GATE_CLAUSES):
        for needle in needles:
            found[needle].append(len(_STOCK) + column)
    return {needle: tuple(features) for needle, features in found.items()}


def _needles_by_trigram(anchored: bool) -> dict[str, tuple[tuple[str, tuple[int, ...]], ...]]:
    """The (needle, features) pairs whose needle starts (`anchored`) or does not start with a
    space, by the needle's first `_TRIGRAM` characters."""
    index: defaultdict[str, list[tuple[str, tuple[int, ...]]]] = defaultdict(list)
    for needle, features in _features_by_needle().items():
        if needle.startswith(" ") == anchored:
            index[needle[:_TRIGRAM]].append((needle, features))
    return {trigram: tuple(pairs) for trigram, pairs in index.items()}


_AT_WORD_START = _needles_by_trigram(anchored=True)
_WITHIN_WORD = _needles_by_trigram(anchored=False)


def _word_features(word: str) -> bytes:
    """The features of `word`, as a little-endian bit set (bit f for feature f) of
    `_FEATURE_BYTES` bytes: the needles `" " + word + " "` holds, those starting with a space
    (cues, word starts) looked up at its start only. Needles are found through their first
    characters (one look-up per offset)."""
    padded = f" {word} "
    found = 0
    for needle, features in _AT_WORD_START.get(padded[:_TRIGRAM], ()):
        if padded.startswith(needle):
            found |= _bits(features)
    for offset in range(1, len(padded) - _TRIGRAM + 1):
        for needle, features in _WITHIN_WORD.get(padded[offset : offset + _TRIGRAM], ()):
            if padded.startswith(needle, offset):
                found |= _bits(features)
    return found.to_bytes(_FEATURE_BYTES, "little")


def _bits(features: Iterable[int]) -> int:
    """The bit set of `features`."""
    return sum(1 << feature for feature in set(features))


_FEATURE_WORDS = -(-_N_FEATURES // 64)
"""A word's or sentence's features fill this many uint64s: a bit set read as one row of them,
so that a sentence's features are the bitwise or of its words' rows, and a family's test one
bitwise and per row."""
_FEATURE_BYTES = 8 * _FEATURE_WORDS

_WORD_FEATURES: WordMemo[bytes] = WordMemo(_word_features, 1 << 18)
"""Features per distinct word (bit set bytes), computed once per process (words recur)."""


_TEMPLATE_OPENER = re.compile(rf"(?:({CLOSING_OPENERS})|{SECTION_CLOSERS})\b", re.IGNORECASE)
"""A recap opener (group 1: one that is a template wherever it starts a sentence), or a
section closer (a template only at the start of a section's last paragraph). One pattern, so
each sentence costs one match; the alternatives are tried in that order, as two patterns
would be."""


def stock_phrases(view: PageView) -> Measure:
    """Share of characters in sentences carrying a stock phrase or a recap template.

    The span is the whole sentence (the padding a reader skips); its note names the phrase
    family and quotes the words that matched.
    """
    phrases_in = _hits_by_sentence(view, _stock_hits(view))
    openers = [_TEMPLATE_OPENER.match(view.text, start, end) for start, end in view.sentences]
    opening = {index for index, opener in enumerate(openers) if opener is not None}
    flagged: list[FillerSpan] = []
    for index in sorted(phrases_in.keys() | opening):
        start, end = view.sentences[index]
        phrases = phrases_in.get(index, [])
        template = _template_opener(view, start, openers[index])
        if not phrases and not template:
            continue
        quoted = [f"{family}: '{view.text[a:b]}'" for a, b, family in phrases]
        if template:
            quoted.insert(0, f"template: '{template}'")
        flagged.append(FillerSpan(start, end, "stock_phrases", "; ".join(quoted)))
    return Measure((Share(tuple((s.start, s.end) for s in flagged)),), tuple(flagged))


def _hits_by_sentence(
    view: PageView, hits: list[tuple[int, int, str]]
) -> dict[int, list[tuple[int, int, str]]]:
    """The `hits` (sorted) starting in each sentence, by sentence index (most pages have none,
    so the sentences are not searched one by one)."""
    if not hits:
        return {}
    sentence_starts = [start for start, _ in view.sentences]
    by_sentence: defaultdict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for hit in hits:
        index = bisect_right(sentence_starts, hit[0]) - 1
        if index >= 0 and hit[0] < view.sentences[index][1]:
            by_sentence[index].append(hit)
    return by_sentence


def _stock_hits(view: PageView) -> list[tuple[int, int, str]]:
    """(start, end, family) of every stock phrase, trying a family only in the sentences that
    hold a word starting with one of its cues and the strings every match of it holds."""
    lowered = view.lowered
    hits: list[tuple[int, int, str]] = []
    for sentence, family in _sentences_to_try(view, by_needles=lowered is not None):
        name, pattern, _ = _STOCK[family]
        start, end = view.sentences[sentence]
        if lowered is not None and not _holds_required(lowered, _REQUIRED[family], start, end):
            continue
        first = pattern.search(view.text, start, end)  # most tries find nothing
        if first is not None:
            matches = pattern.finditer(view.text, first.start(), end)
            hits.extend((m.start(), m.end(), name) for m in matches)
    return sorted(hits)


def _sentences_to_try(view: PageView, by_needles: bool) -> list[tuple[int, int]]:
    """(sentence, family) pairs where the sentence holds a word starting with a cue of the
    family and, if `by_needles`, a word with a needle of each of the family's gate clauses.

    Only the pairs left are searched for the family's required strings, then its pattern:
    nearly every sentence holds a cue of some family ("you", "more"), few hold the rest."""
    if not len(view.sentences):
        return []
    held = _sentence_features(view)
    cues = np.unpackbits(held.view(np.uint8), axis=1, count=len(_STOCK), bitorder="little")
    sentence, family = np.nonzero(cues)
    if by_needles and len(family):
        needed = _FAMILY_FEATURES[family]
        met = ((held[sentence] & needed) == needed).all(axis=1)
        sentence, family = sentence[met], family[met]
    return list(zip(sentence.tolist(), family.tolist(), strict=True))


def _family_features() -> np.ndarray:
    """Per family, the features a sentence must hold to be searched for it (its cue and its
    gate clauses), as a bit set row (see `_sentence_features`)."""
    rows = [
        _bits([family, *(len(_STOCK) + clause for clause in clauses)]).to_bytes(
            _FEATURE_BYTES, "little"
        )
        for family, clauses in enumerate(_CLAUSES_NEEDED)
    ]
    return np.frombuffer(b"".join(rows), dtype="<u8").reshape(len(rows), _FEATURE_WORDS)


_FAMILY_FEATURES = _family_features()


def _sentence_features(view: PageView) -> np.ndarray:
    """Per sentence, the bit set (a row of `_FEATURE_WORDS` little-endian uint64s) of the word
    features (see `_word_features`) its tokens have. Each distinct word's set is looked up
    once (one array for the page), then the sets of every sentence's tokens are or-ed together
    in one `reduceat`."""
    packed = b"".join(map(_WORD_FEATURES.__getitem__, view.words))
    word_sets = np.frombuffer(packed, dtype="<u8").reshape(len(view.words), _FEATURE_WORDS)
    ranges = view.seg.sentences
    lengths = ranges[:, 1] - ranges[:, 0]
    tokens = view.word_ids
    if lengths.sum() == len(tokens):  # the sentences hold every token: no gaps to leave out
        offsets = ranges[:, 0]
    else:
        tokens = tokens[concatenated_ranges(ranges[:, 0], lengths)]
        offsets = np.cumsum(lengths) - lengths
    sentence_sets = np.bitwise_or.reduceat(word_sets[tokens], offsets, axis=0)
    return np.ascontiguousarray(sentence_sets, dtype="<u8")


def _holds_required(lowered: bytes, clauses: Clauses, start: int, end: int) -> bool:
    """True if `lowered[start:end]` holds one string of every clause (see
    `lexicon.required_strings`): else the family cannot match there.

    Plain loops: this runs for every cued sentence of every family, where generators cost
    more than the searches themselves."""
    for clause in clauses:
        for string in clause:
            if lowered.find(string, start, end) >= 0:
                break
        else:
            return False
    return True


def _template_opener(view: PageView, start: int, opener: re.Match[str] | None) -> str:
    """The recap opener of the sentence at `start` (`opener`: its `_TEMPLATE_OPENER` match),
    or "" if it is not a template sentence."""
    if opener is None or (opener.group(1) is None and not _closes_section(view, start)):
        return ""
    return opener.group()


def _closes_section(view: PageView, offset: int) -> bool:
    """True if a paragraph (line) starts at `offset` and is the last before a heading or the end.

    Extracted text puts every block on its own line, so lines are the paragraphs here.
    """
    for position, (start, _) in enumerate(view.lines):
        if start == offset:
            if position + 1 == len(view.lines):
                return True
            next_start, next_end = view.lines[position + 1]
            return _looks_like_heading(view.text[next_start:next_end])
    return False


def _looks_like_heading(line: str) -> bool:
    return len(line.split()) <= 12 and not line.endswith((".", ",", ";"))


# --- generic sentences -------------------------------------------------------------------------
GENERIC_MIN_TOKENS = 8
"""Headings and fragments are not sentences a reader weighs for content."""
TOPIC_NAME_SHARE = 0.25
"""A name in more than this share of the sentences naming anything is the page's topic, not a
specific detail. Counted over naming sentences only, so that adding sentences that name nothing
(vague padding) cannot turn the topic back into a detail and make other sentences specific."""
_QUOTES = re.compile(r"[\"“”«»]|(?:^|\s)'\w")
_QUOTE_CHARACTER = re.compile(r"[\"“”«»']")
"""Every `_QUOTES` match holds one of these: a sentence without any needs no search."""
_ACRONYM = re.compile(r"[A-Z0-9]{2,}s?\b")
"""Acronyms ("NATO", "CEOs") and numbers: two or more capitals or digits closing a word (tried
only where a word starts)."""


def generic(view: PageView, title: str) -> Measure:
    """Share of sentence characters in sentences with no number, date, name, quote or term.

    A sentence with a number, date, acronym, quote or name is *specific*. The page's *terms*,
    the things it reports on, are the content words of its specific sentences and the content
    words it keeps coming back to (in `TERM_RECURRENCE` distinct sentences or more): a how-to
    page names few numbers or people, but it says "extension cord" again and again. A sentence
    that is not specific and holds no term says nothing about the page's subject: it could be
    pasted into any article, which is what padding is. Names and words of the topic (the title,
    and names in more than a quarter of the naming sentences) make nothing specific: "Both
    countries ..." padding mentions the countries of the headline in every sentence. A vague
    sentence in a paragraph that also holds a sentence tied to the page counts only
    `AMID_SPECIFIC_WEIGHT` of its characters.

    Sentences are handled as arrays (per-sentence flags, (sentence, word) pairs) rather than as
    Python sets per sentence: this runs on every page.
    """
    ranges = view.seg.sentences
    candidates = np.flatnonzero(ranges[:, 1] - ranges[:, 0] >= GENERIC_MIN_TOKENS)
    if not len(candidates):
        return Measure()
    specific, topic = _specific_sentences(view, title, candidates)
    tied = _holds_a_term(view, _sentence_stems(view), specific, topic)
    vague = ~specific[candidates] & ~tied[candidates]
    in_vague_paragraphs, amid_specific = _by_paragraph(view, candidates, vague)
    within = tuple(view.sentences[i] for i in candidates.tolist())
    note = "no number, date, name, quote or term of the page"
    share = Share(
        in_vague_paragraphs, within, partly=amid_specific, partly_weight=AMID_SPECIFIC_WEIGHT
    )
    spans = spans_of(in_vague_paragraphs, "generic", note) + spans_of(
        amid_specific, "generic", f"{note}; among specific sentences, counts {AMID_SPECIFIC_WEIGHT}"
    )
    return Measure((share,), spans)


AMID_SPECIFIC_WEIGHT = 0.5
"""What a vague sentence counts for when its paragraph also holds specific sentences. Padding
comes in blocks (an intro, a transition or a wrap-up paragraph that says nothing), while a
vague sentence among specific ones is mostly the paragraph's topic sentence or the link between
two facts, which the paragraph needs. Halving it, rather than dropping it, keeps a page that
hides padding inside its paragraphs from going unseen."""


def _by_paragraph(
    view: PageView, candidates: np.ndarray, vague: np.ndarray
) -> tuple[tuple[CharSpan, ...], tuple[CharSpan, ...]]:
    """Spans of the vague sentences (`vague`: per full sentence, `candidates`) whose paragraph
    (line) holds no full sentence but vague ones, and of those whose paragraph does. A
    sentence belongs to the line it starts on."""
    line_starts = np.array([start for start, _ in view.lines], dtype=np.int64)
    line_of = np.searchsorted(line_starts, view.sentence_chars[candidates, 0], side="right")
    with_content = np.zeros(len(line_starts) + 1, dtype=bool)
    with_content[line_of[~vague]] = True
    amid = with_content[line_of[vague]]
    vague_sentences = candidates[vague]
    in_vague = tuple(view.sentences[i] for i in vague_sentences[~amid].tolist())
    return in_vague, tuple(view.sentences[i] for i in vague_sentences[amid].tolist())


def _specific_sentences(
    view: PageView, title: str, candidates: np.ndarray
) -> tuple[np.ndarray, set[str]]:
    """Per sentence, is it specific; and the page's topic words (its title's, and the names in
    over `TOPIC_NAME_SHARE` of the full sentences (`candidates`) that name anything)."""
    classes = _character_classes(view.text)
    capitalised, detail = _token_flags(view, classes)
    name_sentence, name_word = _names(view, capitalised)
    topic = _topic_names(view, name_sentence, name_word, candidates, _title_tokens(view, title))
    not_topic = [view.words[word] not in topic for word in name_word.tolist()]
    n_sentences = len(view.sentences)
    specific = np.bincount(name_sentence, weights=not_topic, minlength=n_sentences) > 0
    in_sentence = view.sentence_of_token[detail]
    specific[in_sentence[in_sentence >= 0]] = True
    specific |= _quoting(view, ~specific, classes)
    return specific, topic


def _quoting(view: PageView, unsure: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """Per sentence: does it quote someone, asked only of the `unsure` ones (False elsewhere).
    The regex runs only in sentences holding a quote character (by their `classes`)."""
    marks = np.flatnonzero(classes & _QUOTE)
    spans = view.sentence_chars
    if not len(marks):
        return np.zeros(len(spans), dtype=bool)
    with_mark = np.searchsorted(marks, spans[:, 0]) != np.searchsorted(marks, spans[:, 1])
    quoting = np.zeros(len(spans), dtype=bool)
    for sentence in np.flatnonzero(with_mark & unsure).tolist():
        start, end = view.sentences[sentence]
        quoting[sentence] = _QUOTES.search(view.text, start, end) is not None
    return quoting


TERM_RECURRENCE = 2
"""Distinct sentences a content word must appear in to be a term by recurrence alone. Everyday
words never count (`GENERAL_WORDS`), so a word that is not everyday and comes back is what the
page is about. Identical sentences count once, so a padding sentence pasted again supports
nothing (repetition counts it)."""


class SentenceStems(NamedTuple):
    """The content stems of every sentence, as distinct (sentence, stem) pairs ordered by
    sentence, stems numbered 0.. in the order of their `_TERM_STEMS` numbers (`numbers`)."""

    sentence: np.ndarray
    stem: np.ndarray
    numbers: np.ndarray
    recurring: np.ndarray
    """Per stem: is it in `TERM_RECURRENCE` or more distinct sentences."""


def _sentence_stems(view: PageView) -> SentenceStems:
    """Every sentence's content stems, stemmed once per distinct word, as array look-ups. The
    (sentence, stem) pairs are keyed by the process-wide stem numbers, then the page's stems
    renumbered by rank: one sort fewer than numbering the stems first."""
    token_stems = _TERM_STEMS.of_words(view.words)[view.word_ids]
    sentence_of = view.sentence_of_token
    kept = (token_stems >= 0) & (sentence_of >= 0)
    above_every_number = max(1, len(_TERM_STEMS.stems))
    pairs = sorted_distinct(sentence_of[kept] * above_every_number + token_stems[kept])
    sentence, number = np.divmod(pairs, above_every_number)
    numbers = sorted_distinct(number)
    stem_of_pair = np.searchsorted(numbers, number)
    counted_once = _distinct_sentences(view)
    in_distinct = np.bincount(stem_of_pair[counted_once[sentence]], minlength=len(numbers))
    return SentenceStems(sentence, stem_of_pair, numbers, in_distinct >= TERM_RECURRENCE)


def _distinct_sentences(view: PageView) -> np.ndarray:
    """Per sentence: is it the last of the sentences with its exact tokens (so each text
    counts once)."""
    tokens = view.seg.tokens
    keys = [tokens[start:end] for start, end in view.seg.sentences.tolist()]
    last = np.zeros(len(keys), dtype=bool)
    last[list(dict(zip(keys, count())).values())] = True
    return last


def _holds_a_term(
    view: PageView, stems: SentenceStems, specific: np.ndarray, topic: set[str]
) -> np.ndarray:
    """Per sentence: does it hold a term, i.e. a content stem of a `specific` sentence or a
    recurring one, unless it is the stem of a `topic` word."""
    terms = stems.recurring.copy()
    terms[stems.stem[specific[stems.sentence]]] = True
    known = _TERM_STEMS.stems
    topic_numbers = [known[s] for s in map(stem, topic) if s in known]
    at = np.searchsorted(stems.numbers, topic_numbers)
    on_page = at < len(stems.numbers)
    on_page[on_page] = stems.numbers[at[on_page]] == np.asarray(topic_numbers)[on_page]
    terms[at[on_page]] = False
    weights = terms[stems.stem]
    return np.bincount(stems.sentence, weights=weights, minlength=len(view.sentences)) > 0


TERM_MIN_LETTERS = 4
"""Shorter words ("use", "way", "new") are too common to tie a sentence to the page's subject."""


def _term_stem(token: str) -> str:
    """Stem of a word that can be a term of the page, "" for any other word."""
    if len(token) < TERM_MIN_LETTERS or token in STOP_WORDS or token.isdigit():
        return ""
    return "" if _is_general(token) else stem(token)


_TERM_STEMS = StemNumbers(_term_stem, 1 << 18)
"""Term stems of the words seen, numbered (words recur across pages)."""


_INFLECTIONS = ("s", "es", "d", "ed", "ing", "er", "est", "ly")


def _is_general(token: str) -> bool:
    """True for a `GENERAL_WORDS` word or an inflection of one ("changes", "getting", "easier").

    Undoes one suffix, then a doubled final consonant or a dropped "e" or a "y" turned "i":
    enough for everyday words, whose inflections are regular."""
    if token in GENERAL_WORDS:
        return True
    for suffix in _INFLECTIONS:
        if token.endswith(suffix) and len(token) > len(suffix) + 2:
            base = token[: -len(suffix)]
            candidates = (base, base + "e", base[:-1], base[:-1] + "y")
            if any(word in GENERAL_WORDS for word in candidates):
                return True
    return False


def _token_flags(view: PageView, classes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per token: capitalised word (a name guess); number, date word or acronym (a detail).

    Read from per-character classes at the token starts (`_start_flags`), as arrays: a Python
    test per token, or a regex pass over the text per flag, costs more than the rest of the
    component. The date words are found by a set intersection (in C) and looked up in the page's
    (distinct) words: few pages name more than one or two months or days.
    """
    capitalised, detail = _start_flags(view.text, classes, view.seg.token_spans[:, 0])
    date_words = [view.words.index(word) for word in MONTHS_AND_DAYS.intersection(view.words)]
    if date_words:
        is_date = np.zeros(len(view.words), dtype=bool)
        is_date[date_words] = True
        detail |= is_date[view.word_ids]
    return capitalised, detail


_UPPER, _LOWER, _DIGIT, _UNDERSCORE, _APOSTROPHE, _HYPHEN, _OTHER_LETTER, _OTHER_DECIMAL = (
    1 << bit for bit in range(8)
)
"""Character classes: ASCII capitals, small letters and digits (what `[A-Z]`, `[0-9]` match),
"_", the apostrophes "'" and "’", "-", and the other word characters (`\\w`), split into
decimals (`\\d`) and the rest."""
_QUOTE = 1 << 8
"""A `_QUOTE_CHARACTER` (the ASCII apostrophe is one too)."""
_LETTER = _UPPER | _LOWER | _OTHER_LETTER
"""`[^\\W\\d_]`."""
_WORD = _LETTER | _DIGIT | _OTHER_DECIMAL | _UNDERSCORE
"""`\\w`."""


def _ascii_classes() -> np.ndarray:
    """Class bits per ASCII code, then a placeholder entry for the wider characters."""
    return np.array([_character_class(code) for code in range(128)] + [0], dtype=np.uint16)


@lru_cache(maxsize=1 << 12)
def _character_class(code: int) -> int:
    """The class bits of the character `code` (0 for one in no class)."""
    character = chr(code)
    quote = _QUOTE * (_QUOTE_CHARACTER.fullmatch(character) is not None)
    if code >= 128:
        if character == "’":
            return _APOSTROPHE
        if not character.isalnum():
            return quote
        return _OTHER_DECIMAL if character.isdecimal() else _OTHER_LETTER
    return (
        quote
        | _UPPER * ("A" <= character <= "Z")
        | _LOWER * ("a" <= character <= "z")
        | _DIGIT * ("0" <= character <= "9")
        | _UNDERSCORE * (character == "_")
        | _APOSTROPHE * (character == "'")
        | _HYPHEN * (character == "-")
    )


_ASCII_CLASSES = _ascii_classes()


def _character_classes(text: str) -> np.ndarray:
    """The class bits (uint16) of every character of `text`, then of two "no character"
    sentinels, so that offset -1 (before the text) and the offsets after it are in no class.
    Characters past ASCII are few on most pages: they are classed one by one (cached)."""
    codes = np.frombuffer(f"{text}\0\0".encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    classes = _ASCII_CLASSES[np.minimum(codes, 128)]
    wide = np.flatnonzero(codes > 127)
    if len(wide):
        wide_classes = map(_character_class, codes[wide].tolist())
        classes[wide] = np.fromiter(wide_classes, np.uint16, len(wide))
    return classes


def _start_flags(
    text: str, classes: np.ndarray, starts: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    r"""Per offset of `starts`: does a capitalised word (a name guess) start there, and does a
    detail word: an acronym or number ("NATO", "CEOs", "2025"), or a word whose letters are
    followed by a digit ("COVID-19", "3.5", "mp3").

    The offsets where `[A-Z](?<![\w'’].)[\w'’-]+` and `(?<![\w'’])(?:[A-Z0-9]{2,}s?\b|
    [^\W\d_]*+\d)` match, read from the classes of a few characters at and after each offset
    as arrays; only the few offsets opening with two capitals or digits are handed to
    `_ACRONYM`. Regex passes over the text cost most of the generic component: the engine tries
    the detail pattern inside every word. Both need an offset after no word character or
    apostrophe; a capitalised word is a capital and one more word character, apostrophe or
    hyphen, unless a match before runs over it.
    """
    before, here, following = classes[starts - 1], classes[starts], classes[starts + 1]
    opens_word = (before & (_WORD | _APOSTROPHE)) == 0
    capitalised = opens_word & ((here & _UPPER) > 0)
    capitalised &= (following & (_WORD | _APOSTROPHE | _HYPHEN)) > 0
    for position in np.flatnonzero(capitalised & (before == _HYPHEN)).tolist():
        capitalised[position] = not _inside_earlier_name(text, int(starts[position]))
    letters_end = _next_outside(classes, _LETTER, starts)
    detail = opens_word & ((classes[letters_end] & (_DIGIT | _OTHER_DECIMAL)) > 0)
    two_capitals = opens_word & ((here & (_UPPER | _DIGIT)) > 0)
    two_capitals &= (following & (_UPPER | _DIGIT)) > 0
    for position in np.flatnonzero(two_capitals & ~detail).tolist():
        detail[position] = _ACRONYM.match(text, int(starts[position])) is not None
    return capitalised, detail


def _next_outside(classes: np.ndarray, kind: int, starts: np.ndarray) -> np.ndarray:
    """Per offset of `starts`, the first offset at or after it whose class has no `kind` bit
    (the sentinels at the end have none)."""
    outside = np.flatnonzero((classes & kind) == 0)
    return outside[np.searchsorted(outside, starts)]


def _inside_earlier_name(text: str, start: int) -> bool:
    """True if a capitalised word (see `_start_flags`) that starts before `start` (just after a
    hyphen) runs over it. A match takes the whole run of word characters, apostrophes and hyphens
    after its capital, so the one that takes `start` is the first of the run's capitals that
    opens it or follows a hyphen."""
    run_start = start - 1
    while run_start > 0 and (text[run_start - 1].isalnum() or text[run_start - 1] in "_'’-"):
        run_start -= 1
    return any(
        "A" <= text[position] <= "Z" and (position == run_start or text[position - 1] == "-")
        for position in range(run_start, start - 1)
    )


def _names(view: PageView, capitalised: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (sentence, word) pairs of the capitalised tokens after each sentence's first
    (a capital there is no sign of a name), ordered by sentence."""
    after_first = capitalised.copy()
    after_first[view.seg.sentences[:, 0]] = False
    positions = np.flatnonzero(after_first)
    sentence = view.sentence_of_token[positions]
    kept = sentence >= 0
    n_words = len(view.words)
    pairs = sorted_distinct(sentence[kept] * n_words + view.word_ids[positions[kept]])
    return np.divmod(pairs, n_words)


def _topic_names(
    view: PageView,
    name_sentence: np.ndarray,
    name_word: np.ndarray,
    candidates: np.ndarray,
    title: Sequence[str],
) -> set[str]:
    """The title's words and the names (`name_sentence`, `name_word`: distinct pairs) in over
    `TOPIC_NAME_SHARE` of the `candidates` sentences that name anything (and at least 3)."""
    is_candidate = np.zeros(len(view.sentences), dtype=bool)
    is_candidate[candidates] = True
    among = is_candidate[name_sentence]
    naming = np.count_nonzero(np.bincount(name_sentence[among]))
    sentences_naming = np.bincount(name_word[among], minlength=len(view.words))
    limit = max(2.0, TOPIC_NAME_SHARE * naming)
    frequent = np.flatnonzero(sentences_naming > limit).tolist()
    return {view.words[word] for word in frequent} | set(title)


# --- promo and clickbait -----------------------------------------------------------------------
_PROMO_LINE = re.compile(PROMO_LINE, re.IGNORECASE)
_CLICKBAIT = re.compile(CLICKBAIT, re.IGNORECASE)
_SHOUTING = re.compile(r"(?=(?:\S+[^\S\n]+){3})[^a-z\n]*[A-Z][^a-z\n]*$")
CLICKBAIT_MAX_WORDS = 30
"""Clickbait wording marks a line as promo only in lines shorter than this."""
"""An all-capitals line of four or more words: a banner or teaser, not a heading."""


def promo(view: PageView, extraction: Extraction) -> Measure:
    """Promotional characters, removed by extraction or still in the text, over all characters.

    Evidence removed by extraction is not in the text, so it has no span; it is counted from
    `extraction.removed` (weighted by `PROMO_REASON_WEIGHTS`), and a zero-width span at each
    removal's `at` offset names the reason so the report can show it in place.
    """
    removed = [r for r in extraction.removed if r.reason in PROMO_REASON_WEIGHTS]
    weighted_removed = sum(len(r.text) * PROMO_REASON_WEIGHTS[r.reason] for r in removed)
    lines = _promo_lines(view)
    outside = (weighted_removed, float(sum(len(r.text) for r in removed)))
    at_removals = tuple(
        FillerSpan(r.at, r.at, "promo", f"removed by extraction ({r.reason}): {len(r.text)} chars")
        for r in removed
    )
    evidence = spans_of(lines, "promo", "call to action or teaser line") + at_removals
    return Measure((Share(tuple(lines), outside=outside),), evidence)


def _promo_lines(view: PageView) -> list[CharSpan]:
    """Lines that open like a teaser, shout in capitals, or (if short) use clickbait wording.

    A long paragraph that mentions "click here" is content with a link in it, not a teaser.
    """
    may_bait = _lines_holding(view, _CLICKBAIT_REQUIRED).tolist()
    flagged: list[CharSpan] = []
    for (start, end), maybe in zip(view.lines, may_bait, strict=True):
        if (
            _PROMO_LINE.match(view.text, start, end)
            or _SHOUTING.match(view.text, start, end)
            or (
                maybe
                and view.text.count(" ", start, end) < CLICKBAIT_MAX_WORDS
                and _CLICKBAIT.search(view.text, start, end) is not None
            )
        ):
            flagged.append((start, end))
    return flagged


_CLICKBAIT_REQUIRED = _encoded_required(CLICKBAIT)


def _lines_holding(view: PageView, clauses: Clauses) -> np.ndarray:
    """Per line: does its lowered text hold one string of every clause (always True when the
    text has no `lowered` form), which any line a pattern with these required strings matches
    in does. Each string is searched for once in the whole page, not once per line: most of
    them occur nowhere."""
    if view.lowered is None:
        return np.ones(len(view.lines), dtype=bool)
    lines = np.array(view.lines, dtype=np.int64).reshape(-1, 2)
    holding = np.ones(len(lines), dtype=bool)
    for clause in clauses:
        starts, ends = _occurrences(view.lowered, clause)
        line = np.searchsorted(lines[:, 0], starts, side="right") - 1
        inside = (line >= 0) & (ends <= lines[np.maximum(line, 0), 1])
        holds_clause = np.zeros(len(lines), dtype=bool)
        holds_clause[line[inside]] = True
        holding &= holds_clause
    return holding


def _occurrences(lowered: bytes, strings: Sequence[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """(start, end) offsets of every occurrence, overlapping ones too, of each of `strings`."""
    starts: list[int] = []
    ends: list[int] = []
    for string in strings:
        found = lowered.find(string)
        while found >= 0:
            starts.append(found)
            ends.append(found + len(string))
            found = lowered.find(string, found + 1)
    return np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64)


# --- keyword stuffing --------------------------------------------------------------------------
NATURAL_DENSITY = {1: 0.05, 2: 0.025, 3: 0.020, 4: 0.015}
"""Token share a title phrase of n words reaches in ordinary articles about it: puts phrases
of different lengths on one footing when picking the key phrase. What share marks stuffing is
the component's floor, fitted on clean pages like every other floor; an allowance that grew
with the page's token count would also shrink the count whenever any other text is added."""
KEY_PHRASE_FREE_USES = 3
"""Uses of the key phrase that are always natural (headline echo, intro), whatever the length."""
_KEYWORD_LIST = re.compile(r"^[^\W\d][\w'’ -]{1,40}(?:,\s*[^\W\d][\w'’ -]{1,40}){2,}$")


def keyword_stuffing(view: PageView, title: str) -> Measure:
    """Characters of the key phrase's uses beyond the first few, and keyword-list lines.

    The key phrase is the title n-gram (n <= 4, bounded by content words) that is densest in
    the text relative to its allowance; without a title, the first line stands in for it.
    """
    tokens = view.seg.tokens
    lists = [(a, b) for a, b in view.lines if _KEYWORD_LIST.match(view.text[a:b])]
    evidence = spans_of(lists, "keyword_stuffing", "keyword list line")
    phrase, positions = _key_phrase(view, _title_tokens(view, title)) if tokens else ((), [])
    stuffed: list[CharSpan] = []
    if phrase:
        n = len(phrase)
        spans = view.seg.token_spans
        extra = positions[KEY_PHRASE_FREE_USES:]
        stuffed = [(int(spans[p, 0]), int(spans[p + n - 1, 1])) for p in extra]
        note = f"key phrase '{' '.join(phrase)}' x{len(positions)}"
        evidence = spans_of(stuffed, "keyword_stuffing", note) + evidence
    return Measure((Share(tuple(stuffed + lists)),), evidence)


def _title_tokens(view: PageView, title: str) -> tuple[str, ...]:
    if title.strip():
        return _tokens_of(title)
    if view.lines:
        a, b = view.lines[0]
        starts = view.seg.token_spans[:, 0]
        first = view.seg.tokens[np.searchsorted(starts, a) : np.searchsorted(starts, b)]
        if len(first) <= 20:
            return first
    return ()


@lru_cache(maxsize=64)
def _tokens_of(title: str) -> tuple[str, ...]:
    """Tokens of a title (cached: generic and keyword stuffing both read the page's title)."""
    return tokenize(title)[0]


def _key_phrase(view: PageView, title: Sequence[str]) -> tuple[tuple[str, ...], list[int]]:
    """The title n-gram with the highest density/allowance, and its token positions.

    Only the tokens that can start a candidate are visited, found per distinct word."""
    tokens = view.seg.tokens
    candidates = _title_ngrams(title)
    if not candidates:
        return (), []
    positions: dict[tuple[str, ...], list[int]] = {c: [] for c in candidates}
    lengths = sorted({len(c) for c in candidates})
    first_words = {c[0] for c in candidates}
    starts = np.fromiter(map(first_words.__contains__, view.words), bool, len(view.words))
    for i in np.flatnonzero(starts[view.word_ids]).tolist():
        for n in lengths:
            gram = tuple(tokens[i : i + n])
            if gram in positions:
                positions[gram].append(i)
    n_tokens = len(tokens)

    def pressure(gram: tuple[str, ...]) -> tuple[float, int]:
        density = len(positions[gram]) * len(gram) / n_tokens
        return density / NATURAL_DENSITY[min(len(gram), 4)], len(gram)

    best = max(candidates, key=pressure)
    return best, positions[best]


def _title_ngrams(title: Sequence[str]) -> list[tuple[str, ...]]:
    """Title n-grams that start and end with a content word; unigrams only for one-word titles."""
    content = [t not in STOP_WORDS and not t.isdigit() and len(t) > 2 for t in title]
    multiword = sum(content) >= 2
    grams: set[tuple[str, ...]] = set()
    for n in range(2 if multiword else 1, 5):
        for i in range(len(title) - n + 1):
            if content[i] and content[i + n - 1]:
                grams.add(tuple(title[i : i + n]))
    return sorted(grams)
