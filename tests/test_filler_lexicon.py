"""The stock-phrase lexicon and the machinery that makes matching it cheap."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

from dupdetect.filler_components import (
    RESTATEMENT_LOOKBACK,
    RESTATEMENT_SIMILARITY,
    Measure,
    PageView,
    Raw,
    SentenceVectors,
    Share,
    _sentence_terms,
    _sentence_tfidf,
    _similar_to_earlier,
    stem,
)
from dupdetect.filler_wording import (
    _CLICKBAIT,
    _CLICKBAIT_REQUIRED,
    _REQUIRED,
    _character_classes,
    _holds_required,
    _lines_holding,
    _sentences_to_try,
    _start_flags,
    _stock_hits,
    _word_needle,
)
from dupdetect.lexicon import CASE_TWINS, STOCK_PHRASES, STOP_WORDS, cues, required_strings
from dupdetect.segment import segment

FIXTURES = Path(__file__).parent / "fixtures" / "filler"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SEEDS = [SAMPLES / "seed-000-putin-iran-visit.txt", SAMPLES / "seed-004-iran-minister-moscow.txt"]
"""The two content-farm articles the project was created from (copies of the seeds)."""


def families_in(sentence: str) -> set[str]:
    return {family for _, _, family in _stock_hits(PageView.of(segment(sentence)))}


@pytest.mark.parametrize(
    ("sentence", "family"),
    [
        ("Exercise plays a pivotal role in recovery.", "pivotal_role"),
        ("Exercise plays a pıvotal role in recovery.", "pivotal_role"),  # dotless i
        ("THIS GUIDE DELVES INTO THE DETAILS.", "delve"),
        ("Her research played an absolutely crucial part in the case.", "pivotal_role"),
        ("In today's digital age, shoppers compare prices.", "todays_world"),
        ("In today’s fast-paced world we rarely rest.", "todays_world"),
        ("It is crucial for parents to closely monitor screen time.", "it_is_crucial"),
        ("Analysts are keenly watching the talks.", "closely_monitor"),
        ("This guide delves into the details.", "delve"),
        ("Firms are navigating the complexities of regulation.", "navigate_complexity"),
        ("The world is always abuzz with rumours.", "abuzz"),
        ("The results shed new light on the question.", "shed_light"),
        ("This could have far-reaching consequences.", "far_reaching"),
        ("Let’s take a closer look at the numbers.", "lets_explore"),
        ("The new law paves the way for change.", "pave_the_way"),
        ("Investors and analysts alike were surprised.", "alike"),
    ],
)
def test_families_match_their_phrasing_with_small_variations(sentence: str, family: str) -> None:
    assert family in families_in(sentence)


def test_factual_reporting_carries_no_stock_phrase() -> None:
    text = (FIXTURES / "clean_report.txt").read_text()
    assert _stock_hits(PageView.of(segment(text))) == []


def test_every_family_has_cues_to_be_reached_by() -> None:
    for family, pattern in STOCK_PHRASES.items():
        assert cues(pattern), family


@pytest.mark.parametrize(
    "path",
    [FIXTURES / "padded_post.txt", *SEEDS],
    ids=lambda p: p.name,
)
def test_cue_gating_finds_exactly_what_a_full_scan_finds(path: Path) -> None:
    text = path.read_text()
    view = PageView.of(segment(text))
    inside_a_sentence = {
        (m.start(), m.end(), family)
        for family, pattern in STOCK_PHRASES.items()
        for m in re.finditer(rf"\b(?:{pattern})\b", text, re.IGNORECASE)
        if any(start <= m.start() and m.end() <= end for start, end in view.sentences)
    }
    assert set(_stock_hits(view)) == inside_a_sentence
    assert inside_a_sentence


def holding_required_strings(view: PageView) -> set[tuple[int, int]]:
    """(sentence, family) pairs whose sentence holds a cue and the family's required strings."""
    assert view.lowered is not None
    cued = _sentences_to_try(view, by_needles=False)
    return {
        (sentence, family)
        for sentence, family in cued
        if _holds_required(view.lowered, _REQUIRED[family], *view.sentences[sentence])
    }


@pytest.mark.parametrize(
    "path",
    [FIXTURES / "padded_post.txt", FIXTURES / "clean_report.txt", *SEEDS],
    ids=lambda p: p.name,
)
def test_word_needles_keep_every_sentence_holding_the_required_strings(path: Path) -> None:
    view = PageView.of(segment(path.read_text()))
    by_needles = set(_sentences_to_try(view, by_needles=True))
    assert holding_required_strings(view) <= by_needles
    assert len(by_needles) < len(_sentences_to_try(view, by_needles=False)) / 2


FAMILY_CUES = [tuple(cues(pattern)) for pattern in STOCK_PHRASES.values()]


@pytest.mark.parametrize(
    "path",
    [FIXTURES / "padded_post.txt", FIXTURES / "clean_report.txt", *SEEDS],
    ids=lambda p: p.name,
)
def test_sentences_are_tried_for_every_family_one_of_their_words_cues(path: Path) -> None:
    view = PageView.of(segment(path.read_text()))
    cued = [
        (sentence, family)
        for sentence in range(len(view.sentences))
        for family, family_cues in enumerate(FAMILY_CUES)
        if any(word.startswith(family_cues) for word in view.sentence_tokens(sentence))
    ]
    assert _sentences_to_try(view, by_needles=False) == cued


REQUIRED_STRINGS = sorted(
    {string for p in STOCK_PHRASES.values() for clause in required_strings(p) for string in clause}
)
NEIGHBOURS = ["", " ", "x", "7", "'", "’", "-", "\u212a", "é", ". "]


@given(
    st.sampled_from(REQUIRED_STRINGS),
    st.sampled_from(NEIGHBOURS),
    st.sampled_from(NEIGHBOURS),
    st.sampled_from([str.lower, str.upper, str.title]),
)
def test_a_text_holding_a_required_string_has_a_word_with_its_needle(
    string: str, before: str, after: str, case: Callable[[str], str]
) -> None:
    needle = _word_needle(string.encode("ascii", "replace"))
    tokens = segment(before + case(string) + after).tokens
    assert needle is None or any(needle in f" {token} " for token in tokens)


LEXICON_WORDS = sorted({word for p in STOCK_PHRASES.values() for word in re.findall("[a-z]+", p)})
SEPARATORS = [" ", " ", " ", "-", "'", "’", ", ", ". ", "\n", "7", "\u212a", "é"]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(LEXICON_WORDS),
            st.sampled_from(SEPARATORS),
            st.sampled_from([str.lower, str.upper, str.title]),
        ),
        max_size=40,
    )
)
def test_word_needles_keep_required_strings_in_any_spelling(
    words: list[tuple[str, str, Callable[[str], str]]],
) -> None:
    text = "".join(case(word) + separator for word, separator, case in words) + "end"
    view = PageView.of(segment(text))
    assert holding_required_strings(view) <= set(_sentences_to_try(view, by_needles=True))


def all_sentence_vectors(view: PageView) -> SentenceVectors:
    return _sentence_tfidf(*_sentence_terms(view, np.arange(len(view.sentences))))


def padded_post_vectors() -> tuple[list[tuple[str, ...]], SentenceVectors]:
    view = PageView.of(segment((FIXTURES / "padded_post.txt").read_text()))
    sentences = [view.sentence_tokens(i) for i in range(len(view.sentences))]
    return sentences, all_sentence_vectors(view)


def as_csr(vectors: SentenceVectors) -> sparse.csr_matrix:
    shape = (vectors.n_rows, int(vectors.cols.max()) + 1)
    return sparse.csr_matrix((vectors.values, (vectors.rows, vectors.cols)), shape=shape)


def test_sentence_tfidf_equals_scikit_learn() -> None:
    sentences, vectors = padded_post_vectors()
    ours = as_csr(vectors)
    documents = [
        " ".join(stem(t) for t in s if t not in STOP_WORDS and len(t) >= 3 and not t.isdigit())
        for s in sentences
    ]
    counts = CountVectorizer(tokenizer=str.split, lowercase=False, token_pattern=None)
    theirs = TfidfTransformer(sublinear_tf=True).fit_transform(counts.fit_transform(documents))
    np.testing.assert_allclose((ours @ ours.T).toarray(), (theirs @ theirs.T).toarray(), atol=1e-9)


def test_cosines_equal_a_sparse_matrix_product_to_the_last_bit() -> None:
    _, vectors = padded_post_vectors()
    matrix = as_csr(vectors)
    similarity = (matrix @ matrix.T).toarray()
    rows, cols = np.indices(similarity.shape)
    similarity[(cols >= rows) | (cols < rows - RESTATEMENT_LOOKBACK)] = 0.0
    best = similarity.argmax(axis=1)
    expected = [
        (row, int(best[row]), float(similarity[row, best[row]]))
        for row in range(len(best))
        if similarity[row, best[row]] >= RESTATEMENT_SIMILARITY
    ]
    assert expected
    assert _similar_to_earlier(vectors) == expected


def test_sentences_without_a_content_word_restate_nothing() -> None:
    view = PageView.of(segment("It is what it is.\n1 2 to be.\nIt is what it is.\n1 2 to be."))
    vectors = all_sentence_vectors(view)
    assert vectors.n_rows == 4
    assert len(vectors.values) == 0
    assert _similar_to_earlier(vectors) == []


def test_required_strings_read_off_a_pattern() -> None:
    # "is"/"was" and "a" are too short to be worth a test; optional parts require nothing
    pattern = r"(?:is|was) (?:really )?not (?:just|merely) an? (?:\w+ )?(?:idea|plan)"
    assert required_strings(pattern) == (("idea", "plan"), ("just", "merely"), ("not ",))


@pytest.mark.parametrize(
    "path",
    [FIXTURES / "padded_post.txt", *SEEDS],
    ids=lambda p: p.name,
)
def test_every_match_holds_its_required_strings(path: Path) -> None:
    text = path.read_text()
    checked = 0
    for pattern in STOCK_PHRASES.values():
        for match in re.finditer(rf"\b(?:{pattern})\b", text, re.IGNORECASE):
            lowered = match.group().lower()
            assert all(any(s in lowered for s in clause) for clause in required_strings(pattern))
            checked += 1
    assert checked


def test_case_twins_are_all_characters_lowering_does_not_equate() -> None:
    """Lowering keeps every offset, and turns each character a lexicon letter matches under
    IGNORECASE into that letter, except for CASE_TWINS."""
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    letters = set("".join(STOCK_PHRASES.values()).lower()) - set("\\()[]?:|*+{}^$.")
    matches_a_letter = re.compile("[" + re.escape("".join(sorted(letters))) + "]", re.IGNORECASE)
    unequal = {c for c in matches_a_letter.findall(everything) if c.lower() not in letters}
    assert unequal == set(CASE_TWINS)
    assert all(len(c.lower()) == 1 for c in everything if c not in CASE_TWINS)


def test_a_share_leaves_out_what_other_components_claim() -> None:
    mine = np.zeros(100, dtype=bool)
    mine[:10] = True
    unclaimed = np.zeros(100, dtype=bool)
    unclaimed[:60] = True  # characters 60..99 belong to other components only
    measure = Measure((Share(((0, 10),)),))
    assert measure.raw(mine, unclaimed) == Raw(10 / 60, 60.0)
    within = Measure((Share(((0, 10),), within=((0, 30), (80, 100))),))
    assert within.raw(mine, unclaimed) == Raw(10 / 30, 30.0)
    removed = Measure((Share(((0, 10),), outside=(15.0, 40.0)),))
    assert removed.raw(mine, unclaimed) == Raw(25 / 100, 100.0)
    mine[10:20] = True
    partly = Measure((Share(((0, 10),), partly=((10, 20), (70, 80)), partly_weight=0.5),))
    assert partly.raw(mine, unclaimed) == Raw((10 + 0.5 * 10) / 60, 60.0)
    assert partly.counted_mask(100).sum() == 30


DETAIL_WORD = re.compile(r"(?<![\w'’])(?:[A-Z0-9]{2,}s?\b|[^\W\d_]*+\d)")
CAPITALISED_WORD = re.compile(r"[A-Z](?<![\w'’].)[\w'’-]+")
"""The definitions `_start_flags` implements faster."""


def starts_of(pattern: re.Pattern[str], text: str) -> list[int]:
    return [match.start() for match in pattern.finditer(text)]


@given(st.text(alphabet="aZbQs09_'’- .,\néÉ٣²Ⅻİı\ud800“", max_size=40))
def test_start_flags_are_where_the_name_and_detail_patterns_start(text: str) -> None:
    every_offset = np.arange(len(text), dtype=np.int64)
    capitalised, detail = _start_flags(text, _character_classes(text), every_offset)
    assert np.flatnonzero(capitalised).tolist() == starts_of(CAPITALISED_WORD, text)
    assert np.flatnonzero(detail).tolist() == starts_of(DETAIL_WORD, text)


def test_a_hyphenated_name_is_one_capitalised_word() -> None:
    text = "met Jean-Luc and ex-Mayor Smith-Jones of USA-2-Today"
    capitalised, _ = _start_flags(text, _character_classes(text), np.arange(len(text)))
    assert [text[start] for start in np.flatnonzero(capitalised)] == ["J", "M", "S", "U"]
    assert np.flatnonzero(capitalised).tolist() == starts_of(CAPITALISED_WORD, text)


@given(st.text(alphabet="ab \t\n\r\x0b\x1c\u2028\u3000.", max_size=40))
def test_lines_are_the_page_lines_stripped_of_whitespace(text: str) -> None:
    page = "word\n" + text
    offsets = np.cumsum([0] + [len(line) + 1 for line in page.split("\n")])
    expected = [
        (start + len(line) - len(line.lstrip()), start + len(line.rstrip()))
        for start, line in zip(offsets, page.split("\n"), strict=False)
        if line.strip()
    ]
    assert list(PageView.of(segment(page)).lines) == expected


@pytest.mark.parametrize(
    "path",
    [FIXTURES / "padded_post.txt", *SEEDS],
    ids=lambda p: p.name,
)
def test_clickbait_prefilter_keeps_every_line_the_pattern_finds(path: Path) -> None:
    teasers = [
        "CLICK HERE for the full story",
        "You Won't Believe what happened next",
        "Follow us on Twitter",
        "Use coupon SAVE10 today",
        "Watch the viral clip on YouTube",
    ]
    view = PageView.of(segment(path.read_text() + "\n" + "\n".join(teasers)))
    assert view.lowered is not None  # the prefilter is in use
    found = [_CLICKBAIT.search(view.text, a, b) is not None for a, b in view.lines]
    may_bait = _lines_holding(view, _CLICKBAIT_REQUIRED)
    lowered = view.lowered
    assert may_bait.tolist() == [
        _holds_required(lowered, _CLICKBAIT_REQUIRED, a, b) for a, b in view.lines
    ]
    assert all(may_bait[found])
    assert sum(found) >= len(teasers)
    assert may_bait.sum() < len(view.lines) / 2
