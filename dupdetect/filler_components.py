"""Filler components that compare a page with itself: verbatim repetition and restatement.

Every component returns the characters it counts as padding (`Share`s) rather than a number,
plus the spans a reader is shown. `dupdetect.filler` turns the shares into raw measures that
do not grow with page length, scales them to 0..1 and combines them. The components that read
the page's wording (stock phrases, generic sentences, promo, keyword stuffing) are in
`dupdetect.filler_wording`; this module also holds the per-page view both share.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import count
from typing import NamedTuple

import numpy as np

from dupdetect.lexicon import CASE_TWINS, STOP_WORDS
from dupdetect.model import FillerSpan, Repeat, Segmentation

CharSpan = tuple[int, int]


@dataclass(frozen=True)
class Share:
    """Characters of one kind of padding, and the part of the page they are a share of.

    The share is taken of `within` (the whole text when None) less the characters that *other*
    components count and this one does not (see `Measure.raw`). `per_unit` is the share that
    makes a raw measure of 1.0 (the Gopher lines); `outside` holds (counted, total) characters
    that are not in the text at all (promo text removed by extraction). `partly` holds weaker
    evidence of the same kind, whose characters count `partly_weight` each.
    """

    counted: tuple[CharSpan, ...]
    within: tuple[CharSpan, ...] | None = None
    per_unit: float = 1.0
    outside: tuple[float, float] = (0.0, 0.0)
    partly: tuple[CharSpan, ...] = ()
    partly_weight: float = 0.0


@dataclass(frozen=True)
class Measure:
    """A component's shares (its raw measure is the largest) with the spans shown for it."""

    shares: tuple[Share, ...] = ()
    spans: tuple[FillerSpan, ...] = ()

    def counted_mask(self, length: int) -> np.ndarray:
        """Characters any of the shares counts, in full or in part."""
        spans = [span for share in self.shares for span in (*share.counted, *share.partly)]
        return char_mask(spans, length)

    def raw(self, mine: np.ndarray, unclaimed: np.ndarray) -> Raw:
        """Largest share, each over its `within` characters that are this component's own
        (`mine`) or no component's (`unclaimed`); only the characters in these masks count.

        Leaving out what other components count is what keeps the score monotone: filler of
        one kind added to a page adds only characters some other component claims, so every
        other component's share stays where it was instead of being diluted, and the score can
        only rise. Characters nobody claims (content) do dilute every share, as they should.
        """
        eligible = mine | unclaimed
        all_eligible = float(eligible.sum())
        best = Raw(0.0, 0.0)
        for share in self.shares:
            counted = chars_in(share.counted, mine) + share.outside[0]
            if share.partly:
                counted += share.partly_weight * chars_in(share.partly, mine)
            within = all_eligible if share.within is None else chars_in(share.within, eligible)
            basis = within + share.outside[1]
            value = counted / basis / share.per_unit if basis > 0 else 0.0
            if value > best.value or not best.basis:
                best = Raw(value, basis)
        return best


@dataclass(frozen=True)
class Raw:
    """A raw measure and the characters it is a share of: the measure's spread between clean
    pages shrinks as pages grow (`dupdetect.filler.noise_factor`), so scaling needs both."""

    value: float
    basis: float


def char_mask(spans: Iterable[CharSpan], length: int) -> np.ndarray:
    """Boolean mask over `length` characters, True inside any of `spans`.

    One slice assignment per span: pages carry tens of spans, where this beats any
    vectorised construction.
    """
    mask = np.zeros(length, dtype=bool)
    for start, end in spans:
        if end > start:
            mask[max(0, start) : end] = True
    return mask


def chars_in(spans: Sequence[CharSpan], mask: np.ndarray) -> float:
    """Characters of `mask` inside any of `spans` (most shares are empty: no mask needed)."""
    if not spans:
        return 0.0
    return float((char_mask(spans, len(mask)) & mask).sum())


@dataclass(frozen=True)
class PageView:
    """The units every component looks at, computed once per page."""

    text: str
    seg: Segmentation
    sentences: tuple[CharSpan, ...]
    lines: tuple[CharSpan, ...]
    blocks: tuple[CharSpan, ...]
    words: tuple[str, ...]
    """The page's distinct tokens in order of first use: components that judge words judge each
    distinct one once, then spread the verdict over the tokens through `word_ids`."""
    word_ids: np.ndarray
    """Per token, its index in `words` (int64)."""

    @classmethod
    def of(cls, seg: Segmentation) -> PageView:
        first_chars = seg.token_spans[seg.sentences[:, 0], 0].tolist()
        last_chars = seg.token_spans[seg.sentences[:, 1] - 1, 1].tolist()
        words, word_ids = _vocabulary(seg.tokens)
        return cls(
            text=seg.text,
            seg=seg,
            sentences=tuple(zip(first_chars, last_chars, strict=True)),
            lines=tuple(match.span() for match in _TRIMMED_LINE.finditer(seg.text)),
            blocks=_nonblank_pieces(seg.text, _BLOCK_SPLIT),
            words=words,
            word_ids=word_ids,
        )

    @cached_property
    def lowered(self) -> bytes | None:
        """`text` lowered, one byte per character with "?" for any non-ASCII one, for quick
        `bytes.find` tests of lexicon strings before a regex runs; None if the text holds a
        `CASE_TWINS` character (then nothing may be skipped). Outside those, lowering keeps
        every offset, and bytes search fastest. Stock phrases and promo both read it."""
        if any(twin in self.text for twin in CASE_TWINS):
            return None
        return self.text.lower().encode("ascii", "replace")

    @cached_property
    def sentence_of_token(self) -> np.ndarray:
        """Per token, the index of the sentence holding it (-1 for none): lets components
        count per sentence with array operations instead of a loop over the sentences."""
        ranges = self.seg.sentences
        positions = np.arange(len(self.seg.tokens))
        if not len(ranges):
            return np.full(len(positions), -1)
        sentence = np.searchsorted(ranges[:, 0], positions, side="right") - 1
        inside = (sentence >= 0) & (positions < ranges[np.maximum(sentence, 0), 1])
        return np.where(inside, sentence, -1)

    @cached_property
    def sentence_chars(self) -> np.ndarray:
        """`sentences` as an (n, 2) array of character offsets."""
        return np.array(self.sentences, dtype=np.int64).reshape(-1, 2)

    def sentence_tokens(self, index: int) -> tuple[str, ...]:
        start, end = self.seg.sentences[index]
        return self.seg.tokens[start:end]


_TRIMMED_LINE = re.compile(r"\S(?:[^\n]*\S)?")
"""A line less its leading and trailing whitespace (`\\s` is `str.isspace`, what `strip` drops):
one regex pass instead of splitting and stripping every line in Python."""
_BLOCK_SPLIT = re.compile(r"\n\s*\n")


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


def sorted_distinct(values: np.ndarray) -> np.ndarray:
    """`np.unique(values)` by a plain sort: numpy's hash-based `unique` costs several times
    more on the few hundred values of a page."""
    ordered = np.sort(values)
    return ordered[_group_starts(ordered)]


class Distinct(NamedTuple):
    """What `np.unique` returns with `return_index`, `return_inverse` and `return_counts`."""

    values: np.ndarray
    """The distinct values, ascending."""
    first: np.ndarray
    """Per distinct value, the position of its first occurrence."""
    inverse: np.ndarray
    """Per input position, the index of its value in `values`."""
    counts: np.ndarray


def distinct(values: np.ndarray) -> Distinct:
    """`np.unique(values, return_index=True, return_inverse=True, return_counts=True)` by one
    stable sort, at a fraction of `np.unique`'s cost on a page's few hundred values."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    starts = _group_starts(ordered)
    inverse = np.empty(len(values), dtype=np.int64)
    inverse[order] = np.cumsum(starts) - 1
    counts = np.diff(np.append(np.flatnonzero(starts), len(values)))
    return Distinct(ordered[starts], order[starts], inverse, counts)


def _group_starts(ordered: np.ndarray) -> np.ndarray:
    """Per position of sorted `ordered`: does a new value start there."""
    starts = np.ones(len(ordered), dtype=bool)
    np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
    return starts


def concatenated_ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The indices `start, start + 1, ..., start + length - 1` of every (start, length) pair,
    concatenated: a gather of many runs of an array in one operation."""
    run_of = np.repeat(np.arange(len(starts)), lengths)
    return np.arange(len(run_of)) + (starts - (np.cumsum(lengths) - lengths))[run_of]


def spans_of(pieces: Iterable[CharSpan], component: str, note: str) -> tuple[FillerSpan, ...]:
    return tuple(FillerSpan(start, end, component, note) for start, end in pieces)


# --- repetition ---------------------------------------------------------------------------
# Gopher (Rae et al. 2021, Table A1) lines: the share at which each measure reaches 1.0.
DUPLICATE_LINE_CHARS = 0.20
DUPLICATE_BLOCK_CHARS = 0.20
DUPLICATE_NGRAM_CHARS = {5: 0.15, 6: 0.14, 7: 0.13, 8: 0.12, 9: 0.11, 10: 0.10}
MATCHED_REPEAT_CHARS = 0.20
"""Within-page repeats from the match stage are passages, judged like duplicate paragraphs."""
MIN_REPEATED_RUN = 8
"""Repeated word runs shorter than this are stock collocations ("one of the most important"),
which any long text repeats by chance; counting them would make the measure grow with length."""
_HASH_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)


def repetition(view: PageView, repeats: Sequence[Repeat]) -> Measure:
    """Verbatim repetition: the worst Gopher duplicate measure, relative to its published line.

    Only second and later occurrences count (the first is the content being repeated), so the
    spans are exactly the characters a reader could delete without losing anything.
    """
    line_dups = _later_duplicates(view.text, view.lines)
    # extracted text puts each block on one line, so the blocks are usually the lines
    same = view.blocks == view.lines
    block_dups = line_dups if same else _later_duplicates(view.text, view.blocks)
    ngram_runs = _repeated_ngram_runs(view)
    matched = [(r.second.start, r.second.end) for r in repeats]
    shares = (
        Share(tuple(line_dups), per_unit=DUPLICATE_LINE_CHARS),
        Share(tuple(block_dups), per_unit=DUPLICATE_BLOCK_CHARS),
        *(Share(tuple(runs), per_unit=DUPLICATE_NGRAM_CHARS[n]) for n, runs in ngram_runs.items()),
        Share(tuple(matched), per_unit=MATCHED_REPEAT_CHARS),
    )
    shortest = ngram_runs.get(min(DUPLICATE_NGRAM_CHARS), [])  # covers every longer n's runs
    spans = (
        spans_of(line_dups, "repetition", "duplicate line")
        + spans_of(shortest, "repetition", "repeated word sequence")
        + spans_of(matched, "repetition", "within-page repeat (match stage)")
    )
    return Measure(shares, spans)


def _later_duplicates(text: str, pieces: Sequence[CharSpan]) -> list[CharSpan]:
    """Pieces whose normalised text already occurred earlier on the page."""
    seen: set[str] = set()
    later: list[CharSpan] = []
    for start, end in pieces:
        key = " ".join(text[start:end].split()).casefold()  # pieces are trimmed: as \s+ -> " "
        if key in seen:
            later.append((start, end))
        seen.add(key)
    return later


def _repeated_ngram_runs(view: PageView) -> dict[int, list[CharSpan]]:
    """For n = 5..10, the character runs of tokens in an n-gram that occurred earlier.

    N-grams are hashed with a rolling multiply-add over token ids in numpy, so the cost is a few
    vector passes per n whatever the page length. An n-gram seen before has its (n-1)-word
    prefix seen before, so only the positions of repeated (n-1)-grams are sorted for n-grams,
    and once no n-gram repeats, no longer one does: most pages stop at n = 5.
    """
    n_tokens = len(view.word_ids)
    longest = min(max(DUPLICATE_NGRAM_CHARS), n_tokens)
    ids = view.word_ids.astype(np.uint64) + np.uint64(1)  # 0 would vanish from the hash
    rolling = np.zeros(n_tokens, dtype=np.uint64)
    candidates = np.arange(n_tokens)
    runs: dict[int, list[CharSpan]] = {}
    with np.errstate(over="ignore"):
        for n in range(1, longest + 1):
            rolling = rolling[: n_tokens - n + 1] * _HASH_MULTIPLIER + ids[n - 1 :]
            if n not in DUPLICATE_NGRAM_CHARS:
                continue
            candidates = candidates[candidates < len(rolling)]
            starts, candidates = _later_occurrences(rolling, candidates)
            if not len(starts):
                runs.update((longer, []) for longer in range(n, longest + 1))
                break
            runs[n] = _repeated_runs(starts, n, view.seg.token_spans)
    return runs


def _repeated_runs(starts: np.ndarray, n: int, token_spans: np.ndarray) -> list[CharSpan]:
    """Character runs of the tokens covered by the n-grams at `starts` (each one that occurred
    earlier), runs shorter than `MIN_REPEATED_RUN` tokens left out."""
    coverage = np.bincount(starts, minlength=len(token_spans) + 1)
    coverage -= np.bincount(starts + n, minlength=len(token_spans) + 1)
    mask = np.cumsum(coverage[:-1]) > 0
    if n < MIN_REPEATED_RUN:  # the runs of longer n-grams are at least n tokens long already
        mask = _drop_short_runs(mask, MIN_REPEATED_RUN)
    return _token_runs_to_chars(mask, token_spans)


def _later_occurrences(hashes: np.ndarray, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Of the (ascending) `positions`, those whose hash occurred at an earlier one, and all of
    those whose hash occurs more than once (ascending). A stable sort keeps the first
    occurrence of every hash first among its equals."""
    order = positions[np.argsort(hashes[positions], kind="stable")]
    ordered = hashes[order]
    repeated = ordered[1:] == ordered[:-1]
    in_group = np.concatenate(([False], repeated)) | np.concatenate((repeated, [False]))
    return order[1:][repeated], np.sort(order[in_group])


def _drop_short_runs(mask: np.ndarray, min_length: int) -> np.ndarray:
    """`mask` without runs of fewer than `min_length` tokens."""
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    kept = np.zeros(len(mask) + 1, dtype=np.int64)
    long_runs = ends - starts >= min_length
    np.add.at(kept, starts[long_runs], 1)
    np.add.at(kept, ends[long_runs], -1)
    return np.cumsum(kept[:-1]) > 0


def _vocabulary(tokens: Sequence[str]) -> tuple[tuple[str, ...], np.ndarray]:
    """The distinct tokens in order of first use, and every token's index among them, built by
    C loops (`dict.fromkeys` keeps first-use order) rather than one Python step per token."""
    index = dict(zip(dict.fromkeys(tokens), count()))
    ids = np.fromiter(map(index.__getitem__, tokens), dtype=np.int64, count=len(tokens))
    return tuple(index), ids


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
_BLOCK = 256
"""Sentences compared at a time: bounds memory on very long pages."""
_SUFFIXES = (
    "ations",
    "ation",
    "ings",
    "ing",
    "ies",
    "ied",
    "ness",
    "ment",
    "edly",
    "ly",
    "ed",
    "es",
    "s",
)


@lru_cache(maxsize=65536)
def stem(token: str) -> str:
    """A crude suffix-stripping stem so "strengthening"/"strengthened"/"strengthens" meet."""
    for suffix in _SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 4:
            return token[: -len(suffix)]
    return token


def restatement(view: PageView) -> Measure:
    """Sentences whose TF-IDF vector is close to an earlier sentence's (sentences as documents)."""
    ranges = view.seg.sentences
    eligible = np.flatnonzero(ranges[:, 1] - ranges[:, 0] >= RESTATEMENT_MIN_TOKENS)
    if len(eligible) < 2:
        return Measure()
    vectors = _sentence_tfidf(*_sentence_terms(view, eligible))
    sentence_of_row = eligible.tolist()
    restating: list[CharSpan] = []
    notes: list[str] = []
    for row, earlier, similarity in _similar_to_earlier(vectors):
        if _adds_numbers(view, sentence_of_row[row], sentence_of_row[earlier]):
            continue
        restating.append(view.sentences[sentence_of_row[row]])
        first = view.sentences[sentence_of_row[earlier]]
        notes.append(f"restates chars {first[0]}-{first[1]} (cosine {similarity:.2f})")
    spans = tuple(
        FillerSpan(start, end, "restatement", note)
        for (start, end), note in zip(restating, notes, strict=True)
    )
    return Measure((Share(tuple(restating)),), spans)


def _adds_numbers(view: PageView, later: int, earlier: int) -> bool:
    """True if sentence `later` states a number that sentence `earlier` does not.

    Reports often state a finding, then give it again with its figures ("Women were more
    likely to ..." then "Women were more likely (31% vs. 12%) to ..."): the second sentence
    shares the wording but adds detail, which is elaboration, not padding. A restatement says
    nothing new, so it carries no number its source lacks."""
    earlier_numbers = set(filter(_has_digit, view.sentence_tokens(earlier)))
    return any(_has_digit(t) and t not in earlier_numbers for t in view.sentence_tokens(later))


@lru_cache(maxsize=131072)
def _has_digit(token: str) -> bool:
    """True if `token` holds a digit (cached: words recur within and across pages)."""
    return any(character.isdigit() for character in token)


def _similarity_stem(token: str) -> str:
    """Stem of a word restatement compares, "" for function words, numbers and short words."""
    if token in STOP_WORDS or len(token) < 3 or token.isdigit():
        return ""
    return stem(token)


class StemNumbers(dict[str, int]):
    """Word -> the number of its stem under `stemmer` (-1 where the stemmer gives ""), numbers
    shared by all pages of the process: a page turns its distinct words into stem numbers in
    one C-level pass (`of_words`) instead of numbering its stems itself."""

    def __init__(self, stemmer: Callable[[str], str], limit: int) -> None:
        super().__init__()
        self.stemmer = stemmer
        self.limit = limit
        self.stems: dict[str, int] = {}
        """Stem -> its number."""

    def __missing__(self, word: str) -> int:
        stem_ = self.stemmer(word)
        number = self[word] = self.stems.setdefault(stem_, len(self.stems)) if stem_ else -1
        return number

    def of_words(self, words: Sequence[str]) -> np.ndarray:
        """The stem numbers of `words`. Memory is bounded by emptying both tables when `limit`
        words are known, only here, between pages: the numbers of one page must agree."""
        if len(self) >= self.limit:
            self.clear()
            self.stems.clear()
        return np.fromiter(map(self.__getitem__, words), np.int64, len(words))


_SIMILARITY_STEMS = StemNumbers(_similarity_stem, 1 << 18)
"""Similarity stems of the words seen, numbered (words recur across pages)."""


def _sentence_terms(view: PageView, sentences: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """The terms (stemmed content words) of `sentences` (ascending indices), as (row, term)
    per use in reading order, the row being the sentence's position in `sentences` and the
    terms numbered in order of first use (that order fixes the order in which dot products
    are summed); and the number of rows."""
    row_of_sentence = np.full(len(view.sentences) + 1, -1)  # the last entry: no sentence
    row_of_sentence[sentences] = np.arange(len(sentences))
    token_rows = row_of_sentence[view.sentence_of_token]
    token_terms = _SIMILARITY_STEMS.of_words(view.words)[view.word_ids]
    used = (token_rows >= 0) & (token_terms >= 0)
    terms = distinct(token_terms[used])
    order_of_first_use = np.empty(len(terms.first), dtype=np.int64)
    order_of_first_use[np.argsort(terms.first)] = np.arange(len(terms.first))
    return token_rows[used], order_of_first_use[terms.inverse], len(sentences)


class SentenceVectors(NamedTuple):
    """Sparse L2-normalised TF-IDF rows as (row, column, value) entries in row-major order."""

    rows: np.ndarray
    cols: np.ndarray
    values: np.ndarray
    n_rows: int


def _sentence_tfidf(rows: np.ndarray, terms: np.ndarray, n_rows: int) -> SentenceVectors:
    """L2-normalised TF-IDF rows over the `terms` used in each row (see `_sentence_terms`),
    IDF fitted on this page only.

    The weighting is scikit-learn's `TfidfTransformer(sublinear_tf=True)` with its smoothed IDF
    and L2 rows; it is computed here with numpy because scikit-learn's (and scipy's) per-call
    validation costs more than the whole component on a 400-word page.
    """
    n_cols = int(terms.max()) + 1 if len(terms) else 1
    keys, _, _, counts = distinct(rows * n_cols + terms)
    entry_rows, entry_cols = keys // n_cols, keys % n_cols
    document_frequency = np.bincount(entry_cols, minlength=n_cols)
    idf = np.log((1 + n_rows) / (1 + document_frequency)) + 1.0
    values = (1.0 + np.log(counts.astype(np.float64))) * idf[entry_cols]
    norms = np.sqrt(np.bincount(entry_rows, weights=values**2, minlength=n_rows))
    values /= norms[entry_rows]
    return SentenceVectors(entry_rows, entry_cols, values, n_rows)


def _similar_to_earlier(vectors: SentenceVectors) -> list[tuple[int, int, float]]:
    """(row, most similar earlier row, cosine) for rows at or above the restatement line.

    Rows are taken in blocks of `_BLOCK` against the `RESTATEMENT_LOOKBACK` rows before them.
    """
    by_column = np.argsort(vectors.cols, kind="stable")  # row order kept within a column
    rows, cols = vectors.rows[by_column], vectors.cols[by_column]
    values = vectors.values[by_column]
    found: list[tuple[int, int, float]] = []
    for start in range(1, vectors.n_rows, _BLOCK):
        end = min(vectors.n_rows, start + _BLOCK)
        window = (rows >= start - RESTATEMENT_LOOKBACK) & (rows < end)
        found.extend(_best_earlier(rows[window], cols[window], values[window], start))
    return found


def _best_earlier(
    rows: np.ndarray, cols: np.ndarray, values: np.ndarray, first_row: int
) -> list[tuple[int, int, float]]:
    """For rows from `first_row` on, the most similar earlier row within the lookback.

    Entries come sorted by column, then row. Every pair of entries sharing a column is one
    product of a dot product; `np.bincount` adds the products of a row pair in column order,
    one after the other, which is the order scipy's sparse product adds them in, so the
    cosines equal scipy's to the last bit. The sums land in a dense (later row x row) table,
    whose row maxima are found without sorting the pairs; `argmax` takes the first of equal
    maxima, the earliest row, as a ranking by (cosine, earliest row) would.
    """
    later, earlier = _pairs_within_columns(cols)
    keep = (rows[later] >= first_row) & (rows[later] - rows[earlier] <= RESTATEMENT_LOOKBACK)
    later, earlier = later[keep], earlier[keep]
    if not len(later):
        return []
    lowest, highest = int(rows.min()), int(rows.max())
    width, n_later = highest - lowest + 1, highest - first_row + 1
    cells = (rows[later] - first_row) * width + (rows[earlier] - lowest)
    products = values[later] * values[earlier]
    cosines = np.bincount(cells, weights=products, minlength=n_later * width)
    cosines = cosines.reshape(n_later, width)
    best = cosines.argmax(axis=1)
    similarity = cosines[np.arange(n_later), best]
    above = np.flatnonzero(similarity >= RESTATEMENT_SIMILARITY).tolist()
    return [(first_row + r, lowest + int(best[r]), float(similarity[r])) for r in above]


def _pairs_within_columns(cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Indices (later, earlier) of every two entries in one column, in column order."""
    group_start = np.flatnonzero(np.diff(cols, prepend=-1))
    column_first = np.repeat(group_start, np.diff(group_start, append=len(cols)))
    earlier_count = np.arange(len(cols)) - column_first
    later = np.repeat(np.arange(len(cols)), earlier_count)
    offset = np.arange(len(later)) - np.repeat(
        np.cumsum(earlier_count) - earlier_count, earlier_count
    )
    return later, column_first[later] + offset
