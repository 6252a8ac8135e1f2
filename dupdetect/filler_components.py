"""The six filler components: each measures one kind of padding and returns the spans behind it.

Every component returns a raw measure that is a *share* (characters, sentences or tokens) rather
than a count, so it does not grow with page length, plus the character spans that produced it.
`dupdetect.filler` scales the measures to 0..1 and combines them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import sparse

from dupdetect.lexicon import (
    CLICKBAIT,
    CLOSING_OPENERS,
    MONTHS_AND_DAYS,
    PROMO_LINE,
    PROMO_REASON_WEIGHTS,
    SECTION_CLOSERS,
    STOCK_PHRASES,
    STOP_WORDS,
    cues,
)
from dupdetect.model import Extraction, FillerSpan, Repeat, Segmentation, covered_fraction
from dupdetect.segment import tokenize

CharSpan = tuple[int, int]


@dataclass(frozen=True)
class Measure:
    """A component's raw share before scaling, with the spans that make it up."""

    value: float
    spans: tuple[FillerSpan, ...] = ()


@dataclass(frozen=True)
class PageView:
    """The units every component looks at, computed once per page."""

    text: str
    seg: Segmentation
    sentences: tuple[CharSpan, ...]
    lines: tuple[CharSpan, ...]
    blocks: tuple[CharSpan, ...]

    @classmethod
    def of(cls, seg: Segmentation) -> PageView:
        spans = seg.token_spans
        sentences = tuple(
            (int(spans[start, 0]), int(spans[end - 1, 1])) for start, end in seg.sentences
        )
        return cls(
            text=seg.text,
            seg=seg,
            sentences=sentences,
            lines=_nonblank_pieces(seg.text, _LINE_SPLIT),
            blocks=_nonblank_pieces(seg.text, _BLOCK_SPLIT),
        )

    def sentence_tokens(self, index: int) -> tuple[str, ...]:
        start, end = self.seg.sentences[index]
        return self.seg.tokens[start:end]


_LINE_SPLIT = re.compile(r"\n")
_BLOCK_SPLIT = re.compile(r"\n\s*\n")
_SPACE = re.compile(r"\s+")


def _nonblank_pieces(text: str, separator: re.Pattern[str]) -> tuple[CharSpan, ...]:
    """Character spans of the non-blank pieces of `text` between separators, whitespace-trimmed."""
    pieces: list[CharSpan] = []
    start = 0
    for match in [*separator.finditer(text), None]:
        end = match.start() if match else len(text)
        chunk = text[start:end]
        stripped = chunk.strip()
        if stripped:
            left = start + (len(chunk) - len(chunk.lstrip()))
            pieces.append((left, left + len(stripped)))
        start = match.end() if match else end
    return tuple(pieces)


def _spans(pieces: Iterable[CharSpan], component: str, note: str) -> tuple[FillerSpan, ...]:
    return tuple(FillerSpan(start, end, component, note) for start, end in pieces)


def _share(pieces: Iterable[CharSpan], length: int) -> float:
    return covered_fraction(list(pieces), length)


# --- repetition ---------------------------------------------------------------------------
# Gopher (Rae et al. 2021, Table A1) lines: the share at which each measure reaches 1.0.
DUPLICATE_LINE_CHARS = 0.20
DUPLICATE_BLOCK_CHARS = 0.20
DUPLICATE_NGRAM_CHARS = {5: 0.15, 6: 0.14, 7: 0.13, 8: 0.12, 9: 0.11, 10: 0.10}
MATCHED_REPEAT_CHARS = 0.20
MIN_REPEATED_RUN = 8
"""Repeated word runs shorter than this are stock collocations ("one of the most important"),
which any long text repeats by chance; counting them would make the measure grow with length."""
"""Within-page repeats from the match stage are passages, judged like duplicate paragraphs."""
_HASH_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)


def repetition(view: PageView, repeats: Sequence[Repeat]) -> Measure:
    """Verbatim repetition: the worst Gopher duplicate measure, relative to its published line.

    Only second and later occurrences count (the first is the content being repeated), so the
    spans are exactly the characters a reader could delete without losing anything.
    """
    length = len(view.text)
    line_dups = _later_duplicates(view.text, view.lines)
    block_dups = _later_duplicates(view.text, view.blocks)
    ngram_ratio, ngram_runs = _duplicate_ngram_ratio(view.seg)
    matched = [(r.second.start, r.second.end) for r in repeats]
    ratio = max(
        _share(line_dups, length) / DUPLICATE_LINE_CHARS,
        _share(block_dups, length) / DUPLICATE_BLOCK_CHARS,
        ngram_ratio,
        _share(matched, length) / MATCHED_REPEAT_CHARS,
    )
    spans = (
        _spans(line_dups, "repetition", "duplicate line")
        + _spans(ngram_runs, "repetition", "repeated word sequence")
        + _spans(matched, "repetition", "within-page repeat (match stage)")
    )
    return Measure(ratio, spans)


def _later_duplicates(text: str, pieces: Sequence[CharSpan]) -> list[CharSpan]:
    """Pieces whose normalised text already occurred earlier on the page."""
    seen: set[str] = set()
    later: list[CharSpan] = []
    for start, end in pieces:
        key = _SPACE.sub(" ", text[start:end]).casefold()
        if key in seen:
            later.append((start, end))
        seen.add(key)
    return later


def _duplicate_ngram_ratio(seg: Segmentation) -> tuple[float, list[CharSpan]]:
    """Max over n = 5..10 of (characters in repeated n-grams) / (Gopher line for n).

    N-grams are hashed with a rolling multiply-add over token ids in numpy, so the cost is a few
    vector passes per n whatever the page length.
    """
    n_tokens = len(seg.tokens)
    if n_tokens < 5:
        return 0.0, []
    ids = _token_ids(seg.tokens)
    token_chars = (seg.token_spans[:, 1] - seg.token_spans[:, 0]).astype(np.float64)
    total_chars = float(token_chars.sum())
    rolling = np.zeros(n_tokens, dtype=np.uint64)
    best_ratio, best_mask = 0.0, np.zeros(n_tokens, dtype=bool)
    for n in range(1, max(DUPLICATE_NGRAM_CHARS) + 1):
        if n > n_tokens:
            break
        with np.errstate(over="ignore"):
            rolling = rolling[: n_tokens - n + 1] * _HASH_MULTIPLIER + ids[n - 1 :]
        if n not in DUPLICATE_NGRAM_CHARS:
            continue
        mask = _drop_short_runs(_later_occurrence_mask(rolling, n, n_tokens), MIN_REPEATED_RUN)
        ratio = float(token_chars[mask].sum()) / total_chars / DUPLICATE_NGRAM_CHARS[n]
        if ratio > best_ratio:
            best_ratio, best_mask = ratio, mask
    return best_ratio, _token_runs_to_chars(best_mask, seg.token_spans)


def _drop_short_runs(mask: np.ndarray, min_length: int) -> np.ndarray:
    """`mask` without runs of fewer than `min_length` tokens."""
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    kept = np.zeros(len(mask) + 1, dtype=np.int64)
    long_runs = ends - starts >= min_length
    np.add.at(kept, starts[long_runs], 1)
    np.add.at(kept, ends[long_runs], -1)
    return np.cumsum(kept[:-1]) > 0


def _token_ids(tokens: Sequence[str]) -> np.ndarray:
    vocabulary: dict[str, int] = {}
    ids = [vocabulary.setdefault(token, len(vocabulary) + 1) for token in tokens]
    return np.asarray(ids, dtype=np.uint64)


def _later_occurrence_mask(hashes: np.ndarray, n: int, n_tokens: int) -> np.ndarray:
    """Tokens covered by an n-gram that already occurred earlier on the page."""
    _, first_index, inverse = np.unique(hashes, return_index=True, return_inverse=True)
    starts = np.flatnonzero(first_index[inverse] != np.arange(len(hashes)))
    coverage = np.zeros(n_tokens + 1, dtype=np.int64)
    np.add.at(coverage, starts, 1)
    np.add.at(coverage, starts + n, -1)
    return np.cumsum(coverage[:-1]) > 0


def _token_runs_to_chars(mask: np.ndarray, token_spans: np.ndarray) -> list[CharSpan]:
    if not mask.any():
        return []
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    pairs = zip(starts, ends, strict=True)
    return [(int(token_spans[s, 0]), int(token_spans[e - 1, 1])) for s, e in pairs]


# --- restatement -------------------------------------------------------------------------------
RESTATEMENT_SIMILARITY = 0.55
"""TF-IDF cosine at which a sentence says again what an earlier one said. Sentences of one
article share its topic words; 0.55 needs over half the weighted content words in common."""
RESTATEMENT_MIN_TOKENS = 8
"""Shorter sentences (headings, captions) share a word or two by chance and are skipped."""
RESTATEMENT_LOOKBACK = 400
"""Each sentence is compared with at most this many earlier sentences: bounds the cost on very
long pages (n x 400 instead of n^2) while covering any article's first half."""
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ness", "ment", "edly", "ly", "ed",
             "es", "s")


@lru_cache(maxsize=65536)
def _stem(token: str) -> str:
    """A crude suffix-stripping stem so "strengthening"/"strengthened"/"strengthens" meet."""
    for suffix in _SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 4:
            return token[: -len(suffix)]
    return token


def restatement(view: PageView) -> Measure:
    """Sentences whose TF-IDF vector is close to an earlier sentence's (sentences as documents)."""
    eligible = [i for i, (a, b) in enumerate(view.seg.sentences) if b - a >= RESTATEMENT_MIN_TOKENS]
    if len(eligible) < 2:
        return Measure(0.0)
    vectors = _sentence_tfidf([view.sentence_tokens(i) for i in eligible])
    restating: list[CharSpan] = []
    notes: list[str] = []
    for row, earlier, similarity in _similar_to_earlier(vectors):
        restating.append(view.sentences[eligible[row]])
        first = view.sentences[eligible[earlier]]
        notes.append(f"restates chars {first[0]}-{first[1]} (cosine {similarity:.2f})")
    spans = tuple(
        FillerSpan(start, end, "restatement", note)
        for (start, end), note in zip(restating, notes, strict=True)
    )
    return Measure(_share(restating, len(view.text)), spans)


def _sentence_tfidf(sentences: Sequence[Sequence[str]]) -> sparse.csr_matrix:
    """L2-normalised TF-IDF rows over stemmed content words, IDF fitted on this page only.

    The weighting is scikit-learn's `TfidfTransformer(sublinear_tf=True)` with its smoothed IDF
    and L2 rows; it is computed here with numpy because scikit-learn's per-call validation
    costs more than the whole component on a 400-word page.
    """
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for row, tokens in enumerate(sentences):
        for token in tokens:
            if token in STOP_WORDS or len(token) < 3 or token.isdigit():
                continue
            rows.append(row)
            cols.append(vocabulary.setdefault(_stem(token), len(vocabulary)))
    shape = (len(sentences), max(1, len(vocabulary)))
    counts = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)
    counts.sum_duplicates()
    document_frequency = np.bincount(counts.indices, minlength=shape[1])
    idf = np.log((1 + shape[0]) / (1 + document_frequency)) + 1.0
    counts.data = (1.0 + np.log(counts.data)) * idf[counts.indices]
    rows_of_data = np.repeat(np.arange(shape[0]), np.diff(counts.indptr))
    norms = np.sqrt(np.bincount(rows_of_data, weights=counts.data**2, minlength=shape[0]))
    counts.data /= norms[rows_of_data]
    return counts


def _similar_to_earlier(vectors: sparse.csr_matrix) -> list[tuple[int, int, float]]:
    """(row, most similar earlier row, cosine) for rows at or above the restatement line."""
    found: list[tuple[int, int, float]] = []
    n_rows = vectors.shape[0]
    block = 256
    for start in range(1, n_rows, block):
        end = min(n_rows, start + block)
        first = max(0, start - RESTATEMENT_LOOKBACK)
        similarity = (vectors[start:end] @ vectors[first:end].T).toarray()
        rows = np.arange(start, end)[:, None]
        cols = np.arange(first, end)[None, :]
        allowed = (cols < rows) & (cols >= rows - RESTATEMENT_LOOKBACK)
        similarity[~allowed] = 0.0
        best = similarity.argmax(axis=1)
        best_value = similarity[np.arange(end - start), best]
        for offset in np.flatnonzero(best_value >= RESTATEMENT_SIMILARITY):
            row, earlier = start + int(offset), first + int(best[offset])
            found.append((row, earlier, float(best_value[offset])))
    return found


# --- stock phrases and templates -------------------------------------------------------------
_STOCK = tuple(
    (family, re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE), cues(pattern))
    for family, pattern in STOCK_PHRASES.items()
)
_FAMILIES_BY_CUE: dict[str, list[int]] = {}
for _index, (_, _, _family_cues) in enumerate(_STOCK):
    for _cue in _family_cues:
        _FAMILIES_BY_CUE.setdefault(_cue, []).append(_index)
_CUE_LENGTHS = sorted({len(cue) for cue in _FAMILIES_BY_CUE})
_CLOSING = re.compile(rf"^(?:{CLOSING_OPENERS})\b", re.IGNORECASE)
_SECTION_CLOSER = re.compile(rf"^(?:{SECTION_CLOSERS})\b", re.IGNORECASE)


def stock_phrases(view: PageView) -> Measure:
    """Share of characters in sentences carrying a stock phrase or a recap template.

    The span is the whole sentence (the padding a reader skips); its note names the phrase
    family and quotes the words that matched.
    """
    hits = _stock_hits(view)
    flagged: list[FillerSpan] = []
    for index, (start, end) in enumerate(view.sentences):
        phrases = [hit for hit in hits if start <= hit[0] < end]
        template = _template_opener(view, index)
        if not phrases and not template:
            continue
        quoted = [f"{family}: '{view.text[a:b]}'" for a, b, family in phrases]
        if template:
            quoted.insert(0, f"template: '{template}'")
        flagged.append(FillerSpan(start, end, "stock_phrases", "; ".join(quoted)))
    value = _share(((s.start, s.end) for s in flagged), len(view.text))
    return Measure(value, tuple(flagged))


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
    hold a word starting with one of its cues."""
    pairs: set[tuple[int, int]] = set()
    for sentence, (start, end) in enumerate(view.seg.sentences):
        for token in view.seg.tokens[start:end]:
            pairs.update((family, sentence) for family in _families_cued_by(token))
    hits: list[tuple[int, int, str]] = []
    for family, sentence in pairs:
        name, pattern, _ = _STOCK[family]
        start, end = view.sentences[sentence]
        hits.extend((m.start(), m.end(), name) for m in pattern.finditer(view.text, start, end))
    return sorted(hits)


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
"""A name in more than this share of sentences is the page's topic, not a specific detail."""
_QUOTES = re.compile(r"[\"“”«»]|(?:^|\s)'\w")
_CAPITALISED_WORD = re.compile(r"(?<![\w'’])[A-Z][\w'’-]+")
_DETAIL_WORD = re.compile(r"(?<![\w'’])(?:[A-Z0-9]{2,}s?\b|[^\W\d_]*\d)")
"""Acronyms ("NATO", "CEOs") and any word holding a digit ("2025", "3.5", "COVID-19")."""


def generic(view: PageView, title: str) -> Measure:
    """Share of sentence characters in sentences with no number, date, name, quote or term.

    Names that run through the page (in more than a quarter of its sentences, or in the title)
    are its topic and do not make a sentence specific: "Both countries ..." padding mentions
    the countries of the headline in every sentence.
    """
    candidates = [i for i, (a, b) in enumerate(view.seg.sentences) if b - a >= GENERIC_MIN_TOKENS]
    if not candidates:
        return Measure(0.0)
    capitalised, detail = _token_flags(view)
    names = {i: _names_in(view, i, capitalised) for i in candidates}
    topic = _topic_names(names.values(), title)
    generic_spans = [
        view.sentences[i]
        for i in candidates
        if not (names[i] - topic) and not _has_detail(view, i, detail)
    ]
    total = sum(view.sentences[i][1] - view.sentences[i][0] for i in candidates)
    value = sum(end - start for start, end in generic_spans) / total
    return Measure(value, _spans(generic_spans, "generic", "no number, date, name, quote or term"))


def _token_flags(view: PageView) -> tuple[np.ndarray, np.ndarray]:
    """Per token: capitalised word (a name guess); number, date word or acronym (a detail).

    Found with one regex pass over the text each, then mapped to token indices, because a
    Python test per token costs more than the rest of the component.
    """
    starts = view.seg.token_spans[:, 0]
    capitalised = _tokens_at(starts, _CAPITALISED_WORD.finditer(view.text))
    detail = _tokens_at(starts, _DETAIL_WORD.finditer(view.text))
    detail |= np.fromiter((t in MONTHS_AND_DAYS for t in view.seg.tokens), bool, len(starts))
    return capitalised, detail


def _tokens_at(token_starts: np.ndarray, matches: Iterable[re.Match[str]]) -> np.ndarray:
    """Boolean mask of the tokens that start where a match starts."""
    flags = np.zeros(len(token_starts), dtype=bool)
    positions = np.fromiter((m.start() for m in matches), np.int64)
    index = np.searchsorted(token_starts, positions)
    inside = index < len(token_starts)
    hit = index[inside][token_starts[index[inside]] == positions[inside]]
    flags[hit] = True
    return flags


def _names_in(view: PageView, index: int, capitalised: np.ndarray) -> set[str]:
    """Capitalised words after the sentence's first word, as normalised tokens."""
    start, end = view.seg.sentences[index]
    return {view.seg.tokens[p] for p in range(start + 1, end) if capitalised[p]}


def _topic_names(per_sentence: Iterable[set[str]], title: str) -> set[str]:
    sentences = list(per_sentence)
    counts: dict[str, int] = {}
    for names in sentences:
        for name in names:
            counts[name] = counts.get(name, 0) + 1
    limit = max(2.0, TOPIC_NAME_SHARE * len(sentences))
    frequent = {name for name, count in counts.items() if count > limit}
    return frequent | set(tokenize(title)[0])


def _has_detail(view: PageView, index: int, detail: np.ndarray) -> bool:
    start, end = view.seg.sentences[index]
    if detail[start:end].any():
        return True
    a, b = view.sentences[index]
    return _QUOTES.search(view.text, a, b) is not None


# --- promo and clickbait -----------------------------------------------------------------------
_PROMO_LINE = re.compile(PROMO_LINE, re.IGNORECASE)
_CLICKBAIT = re.compile(CLICKBAIT, re.IGNORECASE)
_SHOUTING = re.compile(r"(?=(?:\S+[^\S\n]+){3})[^a-z\n]*[A-Z][^a-z\n]*$")
CLICKBAIT_MAX_WORDS = 30
"""Clickbait wording marks a line as promo only in lines shorter than this."""
"""An all-capitals line of four or more words: a banner or teaser, not a heading."""


def promo(view: PageView, extraction: Extraction) -> Measure:
    """Promotional characters (removed by extraction, or still in the text) over all characters.

    Evidence removed by extraction is not in the text, so it has no span; it is counted from
    `extraction.removed` (weighted by `PROMO_REASON_WEIGHTS`), and a zero-width span at each
    removal's `at` offset names the reason so the report can show it in place.
    """
    removed = [r for r in extraction.removed if r.reason in PROMO_REASON_WEIGHTS]
    weighted_removed = sum(len(r.text) * PROMO_REASON_WEIGHTS[r.reason] for r in removed)
    lines = _promo_lines(view)
    in_text = sum(b - a for a, b in lines)
    total = len(view.text) + sum(len(r.text) for r in removed)
    value = (weighted_removed + in_text) / total if total else 0.0
    at_removals = tuple(
        FillerSpan(r.at, r.at, "promo", f"removed by extraction ({r.reason}): {len(r.text)} chars")
        for r in removed
    )
    return Measure(value, _spans(lines, "promo", "call to action or teaser line") + at_removals)


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
                and _CLICKBAIT.search(view.text, start, end)
            )
        ):
            flagged.append((start, end))
    return flagged


# --- keyword stuffing --------------------------------------------------------------------------
NATURAL_DENSITY = {1: 0.05, 2: 0.025, 3: 0.020, 4: 0.015}
"""Token share a title phrase of n words reaches in ordinary articles about it; occurrences
beyond this allowance are the stuffing."""
KEY_PHRASE_FREE_USES = 3
"""Uses of the key phrase that are always natural (headline echo, intro), whatever the length."""
_KEYWORD_LIST = re.compile(r"^[^\W\d][\w'’ -]{1,40}(?:,\s*[^\W\d][\w'’ -]{1,40}){2,}$")


def keyword_stuffing(view: PageView, title: str) -> Measure:
    """Token share of the key phrase beyond its natural allowance, plus keyword-list lines.

    The key phrase is the title n-gram (n <= 4, bounded by content words) that is densest in
    the text relative to its allowance; without a title, the first line stands in for it.
    """
    tokens = view.seg.tokens
    n_tokens = len(tokens)
    lists = [(a, b) for a, b in view.lines if _KEYWORD_LIST.match(view.text[a:b])]
    list_spans = _spans(lists, "keyword_stuffing", "keyword list line")
    if n_tokens == 0:
        return Measure(0.0, list_spans)
    phrase, positions = _key_phrase(tokens, _title_tokens(view, title))
    excess_share, stuffed = 0.0, ()
    if phrase:
        n = len(phrase)
        allowance = KEY_PHRASE_FREE_USES + math.floor(NATURAL_DENSITY[min(n, 4)] * n_tokens / n)
        extra = positions[allowance:]
        excess_share = len(extra) * n / n_tokens
        key = " ".join(phrase)
        stuffed = tuple(
            FillerSpan(
                int(view.seg.token_spans[p, 0]),
                int(view.seg.token_spans[p + n - 1, 1]),
                "keyword_stuffing",
                f"key phrase '{key}' x{len(positions)} (natural: {allowance})",
            )
            for p in extra
        )
    list_share = _share(lists, len(view.text))
    return Measure(excess_share + list_share, stuffed + list_spans)


def _title_tokens(view: PageView, title: str) -> tuple[str, ...]:
    if title.strip():
        return tokenize(title)[0]
    if view.lines:
        a, b = view.lines[0]
        first = tokenize(view.text[a:b])[0]
        if len(first) <= 20:
            return first
    return ()


def _key_phrase(
    tokens: Sequence[str], title: Sequence[str]
) -> tuple[tuple[str, ...], list[int]]:
    """The title n-gram with the highest density/allowance, and its token positions."""
    candidates = _title_ngrams(title)
    if not candidates:
        return (), []
    positions: dict[tuple[str, ...], list[int]] = {c: [] for c in candidates}
    lengths = sorted({len(c) for c in candidates})
    for i in range(len(tokens)):
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
