"""Filler components that read the page's wording: stock phrases, generic sentences, promo
lines and keyword stuffing (the lexicon is `dupdetect.lexicon`).

Like `dupdetect.filler_components`, each returns the characters it counts and the spans shown.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import chain

import numpy as np

from dupdetect.filler_components import CharSpan, Measure, PageView, Share, spans_of, stem
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


def _families_by_cue() -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for family, (_, _, family_cues) in enumerate(_STOCK):
        for cue in family_cues:
            index.setdefault(cue, []).append(family)
    return index


_FAMILIES_BY_CUE = _families_by_cue()
_CUE_LENGTHS = sorted({len(cue) for cue in _FAMILIES_BY_CUE})
_CLOSING = re.compile(rf"^(?:{CLOSING_OPENERS})\b", re.IGNORECASE)
_SECTION_CLOSER = re.compile(rf"^(?:{SECTION_CLOSERS})\b", re.IGNORECASE)


def stock_phrases(view: PageView) -> Measure:
    """Share of characters in sentences carrying a stock phrase or a recap template.

    The span is the whole sentence (the padding a reader skips); its note names the phrase
    family and quotes the words that matched.
    """
    hits = _stock_hits(view)
    hit_starts = [hit[0] for hit in hits]
    flagged: list[FillerSpan] = []
    for index, (start, end) in enumerate(view.sentences):
        phrases = hits[bisect_left(hit_starts, start) : bisect_left(hit_starts, end)]
        template = _template_opener(view, index)
        if not phrases and not template:
            continue
        quoted = [f"{family}: '{view.text[a:b]}'" for a, b, family in phrases]
        if template:
            quoted.insert(0, f"template: '{template}'")
        flagged.append(FillerSpan(start, end, "stock_phrases", "; ".join(quoted)))
    return Measure((Share(tuple((s.start, s.end) for s in flagged)),), tuple(flagged))


@lru_cache(maxsize=131072)
def _families_cued_by(token: str) -> tuple[int, ...]:
    """Indices of the families with a cue that `token` starts with (cached: words recur)."""
    found: list[int] = []
    for length in _CUE_LENGTHS:
        if length > len(token):
            break
        found.extend(_FAMILIES_BY_CUE.get(token[:length], ()))
    return tuple(found)


def _stock_hits(view: PageView) -> list[tuple[int, int, str]]:
    """(start, end, family) of every stock phrase, trying a family only in the sentences that
    hold a word starting with one of its cues and the strings every match of it holds."""
    lowered = view.lowered
    hits: list[tuple[int, int, str]] = []
    for family, sentences in _cued_sentences(view).items():
        name, pattern, _ = _STOCK[family]
        required = _REQUIRED[family]
        for sentence in sentences:
            start, end = view.sentences[sentence]
            if lowered is None or _holds_required(lowered, required, start, end):
                matches = pattern.finditer(view.text, start, end)
                hits.extend((m.start(), m.end(), name) for m in matches)
    return sorted(hits)


def _cued_sentences(view: PageView) -> dict[int, set[int]]:
    """Family -> the sentences holding a word that starts with one of the family's cues.

    Each distinct word is asked once whether it cues a family; the tokens of cue words are then
    placed in their sentences by a binary search over the sentence starts.
    """
    is_cue = np.fromiter(map(bool, map(_families_cued_by, view.words)), bool, len(view.words))
    positions = np.flatnonzero(is_cue[view.word_ids])
    ranges = view.seg.sentences
    sentence_of = np.searchsorted(ranges[:, 0], positions, side="right") - 1
    inside = (sentence_of >= 0) & (positions < ranges[np.maximum(sentence_of, 0), 1])
    sentences_of: defaultdict[int, set[int]] = defaultdict(set)
    for word, sentence in zip(
        view.word_ids[positions[inside]].tolist(), sentence_of[inside].tolist(), strict=True
    ):
        sentences_of[word].add(sentence)
    by_family: defaultdict[int, set[int]] = defaultdict(set)
    for word, sentences in sentences_of.items():
        for family in _families_cued_by(view.words[word]):
            by_family[family].update(sentences)
    return by_family


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


def _template_opener(view: PageView, index: int) -> str:
    """The recap opener this sentence starts with, or "" if it is not a template sentence."""
    start, end = view.sentences[index]
    sentence = view.text[start:end]
    match = _CLOSING.match(sentence)
    if match:
        return match.group()
    match = _SECTION_CLOSER.match(sentence)
    if match and _closes_section(view, start):
        return match.group()
    return ""


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
_CAPITALISED_WORD = re.compile(r"[A-Z](?<![\w'’].)[\w'’-]+")
"""A capital not preceded by a word character, then more word. The capital comes first (and
the look-behind after it) so the regex engine can skip ahead to capitals."""
_ACRONYM = re.compile(r"[A-Z0-9](?<![\w'’].)[A-Z0-9]+s?\b")
"""Acronyms ("NATO", "CEOs") and numbers: two or more capitals or digits starting a word.
Capital first, then the look-behind, like `_CAPITALISED_WORD`, so the engine skips to them."""
_DIGIT_RUN = re.compile(r"\d(?<!\d\d)")
"""The first digit of a run of digits (`\\d` is `str.isdecimal`)."""
_WORD_OR_APOSTROPHE = frozenset("_'’")
"""With `str.isalnum` (what `\\w` is besides "_"), the characters no detail word follows."""


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
    """
    bounds = view.seg.sentences.tolist()
    candidates = [i for i, (a, b) in enumerate(bounds) if b - a >= GENERIC_MIN_TOKENS]
    if not candidates:
        return Measure()
    stems, recurring = _sentence_stems(view, bounds)
    specific, terms = _specific_sentences_and_terms(view, title, candidates, stems, recurring)
    vague = {i for i in candidates if i not in specific and not (stems[i] & terms)}
    in_vague_paragraphs, amid_specific = _by_paragraph(view, candidates, vague)
    within = tuple(view.sentences[i] for i in candidates)
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
    view: PageView, candidates: Sequence[int], vague: set[int]
) -> tuple[tuple[CharSpan, ...], tuple[CharSpan, ...]]:
    """Spans of the `vague` sentences whose paragraph (line) holds no full sentence
    (`candidates`) but vague ones, and of those whose paragraph does. A sentence belongs to
    the line it starts on."""
    line_starts = [start for start, _ in view.lines]
    line_of = {i: bisect_right(line_starts, view.sentences[i][0]) for i in candidates}
    lines_with_content = {line_of[i] for i in candidates if i not in vague}
    in_vague: list[CharSpan] = []
    amid: list[CharSpan] = []
    for i in sorted(vague):
        (amid if line_of[i] in lines_with_content else in_vague).append(view.sentences[i])
    return tuple(in_vague), tuple(amid)


def _specific_sentences_and_terms(
    view: PageView,
    title: str,
    candidates: Sequence[int],
    stems: Sequence[set[str]],
    recurring: set[str],
) -> tuple[set[int], set[str]]:
    """Indices of the specific sentences, and the page's terms (the specific sentences' content
    stems and the `recurring` ones) less the topic's. `stems` holds every sentence's content
    stems; topic names are counted over full sentences (`candidates`)."""
    capitalised, detail = _token_flags(view)
    bounds = view.seg.sentences.tolist()
    names = _names_per_sentence(view, bounds, capitalised)
    title_tokens = _title_tokens(view, title)
    topic = _topic_names((names[i] for i in candidates), title_tokens)
    details_before = np.concatenate(([0], np.cumsum(detail))).tolist()
    quote_characters = [match.start() for match in _QUOTE_CHARACTER.finditer(view.text)]
    specific = {
        i
        for i, (start, end) in enumerate(bounds)
        if (names[i] - topic)
        or details_before[end] > details_before[start]
        or _has_quote(view, i, quote_characters)
    }
    terms = set().union(*(stems[i] for i in specific)) | recurring
    return specific, terms - {stem(token) for token in topic}


def _has_quote(view: PageView, sentence: int, quote_characters: Sequence[int]) -> bool:
    """True if the sentence quotes someone; `quote_characters` are the offsets of the page's
    quote characters (the regex is run only where one is)."""
    start, end = view.sentences[sentence]
    if bisect_left(quote_characters, start) == bisect_left(quote_characters, end):
        return False
    return _QUOTES.search(view.text, start, end) is not None


TERM_RECURRENCE = 2
"""Distinct sentences a content word must appear in to be a term by recurrence alone. Everyday
words never count (`GENERAL_WORDS`), so a word that is not everyday and comes back is what the
page is about. Identical sentences count once, so a padding sentence pasted again supports
nothing (repetition counts it)."""


def _sentence_stems(
    view: PageView, bounds: Sequence[Sequence[int]]
) -> tuple[list[set[str]], set[str]]:
    """Every sentence's content stems (`bounds`: its token range), and the stems in
    `TERM_RECURRENCE` or more distinct sentences. Plain lists: this runs on every page; each
    distinct word is stemmed once, and a dict look-up per token costs less than the cache's."""
    tokens = view.seg.tokens
    term_of = dict(zip(view.words, map(_term_stem, view.words), strict=True)).__getitem__
    stems: list[set[str]] = []
    distinct: dict[tuple[str, ...], set[str]] = {}
    for start, end in bounds:
        words = tokens[start:end]
        sentence_stems = set(map(term_of, words))
        sentence_stems.discard("")
        stems.append(sentence_stems)
        distinct[words] = sentence_stems
    counts = Counter(chain.from_iterable(distinct.values()))
    return stems, {term for term, count in counts.items() if count >= TERM_RECURRENCE}


TERM_MIN_LETTERS = 4
"""Shorter words ("use", "way", "new") are too common to tie a sentence to the page's subject."""


@lru_cache(maxsize=131072)
def _term_stem(token: str) -> str:
    """Stem of a word that can be a term of the page, "" for any other word (cached: words
    recur within and across pages)."""
    if len(token) < TERM_MIN_LETTERS or token in STOP_WORDS or token.isdigit():
        return ""
    return "" if _is_general(token) else stem(token)


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


def _token_flags(view: PageView) -> tuple[np.ndarray, np.ndarray]:
    """Per token: capitalised word (a name guess); number, date word or acronym (a detail).

    Found with one regex pass over the text each, then mapped to token indices, because a
    Python test per token costs more than the rest of the component.
    """
    starts = view.seg.token_spans[:, 0]
    capitalised = _tokens_at(starts, map(_MATCH_START, _CAPITALISED_WORD.finditer(view.text)))
    detail = _tokens_at(starts, _detail_word_starts(view.text))
    detail |= np.fromiter(map(MONTHS_AND_DAYS.__contains__, view.seg.tokens), bool, len(starts))
    return capitalised, detail


_MATCH_START = re.Match.start


def _detail_word_starts(text: str) -> list[int]:
    r"""Offsets where a detail word starts: an acronym or number ("NATO", "CEOs", "2025"), or a
    word whose letters are followed by a digit ("COVID-19", "3.5", "mp3"), at the start of a
    word (after no word character or apostrophe).

    The same offsets as `(?<![\w'’])(?:[A-Z0-9]{2,}s?\b|[^\W\d_]*+\d)`, found faster: that
    pattern may start with a letter, so the regex engine tries it inside every word, which cost
    a quarter of the generic component. Here the regex engine skips to capitals and
    digits, and from the first digit of each run Python steps back over the letters before it.
    """
    found = set(map(_MATCH_START, _ACRONYM.finditer(text)))
    for match in _DIGIT_RUN.finditer(text):
        start = match.start()
        while start > 0 and _is_letter(text[start - 1]):
            start -= 1
        before = text[start - 1] if start else " "
        if not (before.isalnum() or before in _WORD_OR_APOSTROPHE):
            found.add(start)
    return sorted(found)


def _is_letter(character: str) -> bool:
    """What `[^\\W\\d_]` matches: a word character that is not a decimal digit or "_"."""
    return character.isalnum() and not character.isdecimal()


def _tokens_at(token_starts: np.ndarray, offsets: Iterable[int]) -> np.ndarray:
    """Boolean mask of the tokens that start at one of `offsets`."""
    flags = np.zeros(len(token_starts), dtype=bool)
    positions = np.fromiter(offsets, np.int64)
    index = np.searchsorted(token_starts, positions)
    inside = index < len(token_starts)
    hit = index[inside][token_starts[index[inside]] == positions[inside]]
    flags[hit] = True
    return flags


def _names_per_sentence(
    view: PageView, bounds: Sequence[Sequence[int]], capitalised: np.ndarray
) -> list[set[str]]:
    """Per sentence (`bounds`: its token range), the capitalised words after its first word, as
    normalised tokens. Looks only at the capitalised tokens: most tokens are not."""
    tokens = view.seg.tokens
    positions = np.flatnonzero(capitalised).tolist()
    names = []
    for start, end in bounds:
        inside = positions[bisect_left(positions, start + 1) : bisect_left(positions, end)]
        names.append({tokens[p] for p in inside})
    return names


def _topic_names(per_sentence: Iterable[set[str]], title: Sequence[str]) -> set[str]:
    naming = [names for names in per_sentence if names]
    counts: dict[str, int] = {}
    for names in naming:
        for name in names:
            counts[name] = counts.get(name, 0) + 1
    limit = max(2.0, TOPIC_NAME_SHARE * len(naming))
    frequent = {name for name, count in counts.items() if count > limit}
    return frequent | set(title)


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
    flagged: list[CharSpan] = []
    for start, end in view.lines:
        if (
            _PROMO_LINE.match(view.text, start, end)
            or _SHOUTING.match(view.text, start, end)
            or (
                view.text.count(" ", start, end) < CLICKBAIT_MAX_WORDS
                and _has_clickbait(view, start, end)
            )
        ):
            flagged.append((start, end))
    return flagged


_CLICKBAIT_REQUIRED = _encoded_required(CLICKBAIT)


def _has_clickbait(view: PageView, start: int, end: int) -> bool:
    """True if `view.text[start:end]` uses clickbait wording. The regex searches every
    position; the required strings, looked for first, rule out nearly every line for less."""
    lowered = view.lowered
    if lowered is not None and not _holds_required(lowered, _CLICKBAIT_REQUIRED, start, end):
        return False
    return _CLICKBAIT.search(view.text, start, end) is not None


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
