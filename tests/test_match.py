"""Matching: within-page repeats, shared passages across pages, near-duplicate pages."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from dupdetect.config import Config
from dupdetect.index import EncodedRecord, open_store
from dupdetect.match import (
    Matcher,
    compare_pages,
    find_repeats,
    match_input,
    page_similarity,
    verify,
)
from dupdetect.model import Span
from dupdetect.segment import segment
from dupdetect.sign import sign

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

SOURCE = (
    "The county council met on Thursday to discuss the future of the old Brennan viaduct.\n\n"
    "Built in 1887 to carry coal wagons across the Tarrow valley, the viaduct has not seen a "
    "train since 1963. Its twenty-two brick arches are now home to a colony of pipistrelle "
    "bats, which ecologists counted at more than four hundred animals last summer. Repairs to "
    "the parapet alone would cost an estimated 2.3 million pounds, according to a survey "
    "commissioned by the council in March.\n\n"
    "Councillor Ada Merrick said the structure was part of the valley's identity and should be "
    "opened as a walking route. Her colleague Tom Saxby argued that the money would be better "
    "spent on the primary school roof, which has leaked for three winters running.\n\n"
    "A public consultation opens next month and runs until the end of September."
)
LIFTED = (
    "Built in 1887 to carry coal wagons across the Tarrow valley, the viaduct has not seen a "
    "train since 1963. Its twenty-two brick arches are now home to a colony of pipistrelle "
    "bats, which ecologists counted at more than four hundred animals last summer."
)
HOST = (
    "Ten bridges worth a weekend detour.\n\n"
    "Our readers sent us hundreds of suggestions for this list, from suspension bridges in "
    "the highlands to footbridges over village streams. We picked the ones with a good pub "
    "nearby and a car park that does not flood.\n\n"
    "{passage}\n\n"
    "Bring binoculars at dusk, and check the tide tables before you set out along the estuary "
    "path, because the lower section closes twice a day."
)
UNRELATED = (
    "Harvest figures released by the growers' cooperative show apple yields fell by a fifth "
    "this year. A late frost in April damaged blossom across most orchards in the south, and "
    "a dry August left fruit small. Prices at the farm gate rose accordingly, though "
    "supermarkets have so far absorbed the increase. The cooperative expects a normal crop "
    "next autumn if the winter is cold enough for the trees to rest."
)


def page(text: str, config: Config | None = None):
    config = config or Config()
    seg = segment(text, config)
    return seg, sign(seg, config)


def edit_every_fifth_word(text: str) -> str:
    words = text.split(" ")
    return " ".join("changed" if i % 5 == 2 else w for i, w in enumerate(words))


def covered_share(true: tuple[int, int], span: Span) -> float:
    return max(0, min(true[1], span.end) - max(true[0], span.start)) / (true[1] - true[0])


def check_span(text: str, span: Span) -> None:
    assert text[span.start : span.end] == span.text


@pytest.mark.parametrize("passage", [LIFTED, edit_every_fifth_word(LIFTED)])
def test_lifted_passage_is_one_shared_match_with_exact_spans(passage: str) -> None:
    matcher = Matcher(Config())
    source = page(SOURCE)
    assert matcher.check_and_add("source", *source).shared == ()
    host_text = HOST.format(passage=passage)
    result = matcher.check_and_add("lifter", *page(host_text))
    assert len(result.shared) == 1
    shared = result.shared[0]
    assert shared.other == "source"
    check_span(host_text, shared.here)
    check_span(SOURCE, shared.there)
    start = host_text.index(passage)
    assert covered_share((start, start + len(passage)), shared.here) >= 0.9
    source_start = SOURCE.index(LIFTED)
    assert covered_share((source_start, source_start + len(LIFTED)), shared.there) >= 0.9
    assert 0.2 <= shared.similarity <= 1.0
    assert result.near_duplicates == ()


def test_edited_copy_scores_lower_than_verbatim_copy() -> None:
    source = page(SOURCE)
    verbatim = compare_pages(*page(HOST.format(passage=LIFTED)), *source, other="source")
    edited = compare_pages(
        *page(HOST.format(passage=edit_every_fifth_word(LIFTED))), *source, other="source"
    )
    assert verbatim[0].similarity == pytest.approx(1.0)
    assert edited[0].similarity < verbatim[0].similarity


def test_sentences_reordered_within_the_copied_run_still_match() -> None:
    first, second = LIFTED.split(". ", 1)
    reordered = second + " " + first + "."
    host_text = HOST.format(passage=reordered)
    shared = compare_pages(*page(host_text), *page(SOURCE), other="source")
    start = host_text.index(reordered)
    assert shared
    assert sum(covered_share((start, start + len(reordered)), s.here) for s in shared) >= 0.9


def test_unrelated_pages_share_nothing() -> None:
    matcher = Matcher(Config())
    matcher.check_and_add("source", *page(SOURCE))
    result = matcher.check_and_add("apples", *page(UNRELATED))
    assert result.shared == ()
    assert result.near_duplicates == ()


def test_lightly_edited_whole_copy_is_a_near_duplicate() -> None:
    matcher = Matcher(Config())
    original = page(SOURCE)
    matcher.check_and_add("original", *original)
    matcher.check_and_add("apples", *page(UNRELATED))
    copy = page(SOURCE.replace("Thursday", "Friday").replace("next month", "in June"))
    result = matcher.check_and_add("copy", *copy)
    assert [d.other for d in result.near_duplicates] == ["original"]
    assert result.near_duplicates[0].similarity == pytest.approx(
        page_similarity(original[1], copy[1])
    )
    assert 0.8 <= result.near_duplicates[0].similarity < 1.0


def test_partial_copy_is_shared_but_not_a_near_duplicate() -> None:
    matcher = Matcher(Config())
    matcher.check_and_add("source", *page(SOURCE))
    result = matcher.check_and_add("lifter", *page(HOST.format(passage=LIFTED)))
    assert result.shared and not result.near_duplicates


def test_removed_page_is_no_longer_matched() -> None:
    matcher = Matcher(Config())
    matcher.check_and_add("source", *page(SOURCE))
    assert matcher.remove("source")
    assert not matcher.remove("source")
    result = matcher.check_and_add("copy", *page(SOURCE))
    assert result.shared == () and result.near_duplicates == ()


def test_repeated_passage_within_a_page_is_one_repeat_in_order() -> None:
    text = SOURCE + "\n\nTo recap: " + edit_every_fifth_word(LIFTED)
    repeats = find_repeats(*page(text))
    assert len(repeats) == 1
    repeat = repeats[0]
    check_span(text, repeat.first)
    check_span(text, repeat.second)
    assert repeat.first.end <= repeat.second.start
    assert LIFTED[:40] in repeat.first.text
    assert repeat.second.start > text.index("To recap")


@pytest.mark.parametrize("text", [SOURCE, HOST.format(passage=LIFTED), UNRELATED])
def test_no_repeats_in_clean_text(text: str) -> None:
    assert find_repeats(*page(text)) == ()


def test_no_repeats_in_clean_sample() -> None:
    text = (SAMPLES / "clean-tidewater-dredging.txt").read_text()
    assert find_repeats(*page(text)) == ()


def repeat_pairs(text: str) -> list[tuple[str, str]]:
    return [(r.first.text, r.second.text) for r in find_repeats(*page(text))]


def test_seed_000_restated_sentences_are_repeats() -> None:
    text = (SAMPLES / "seed-000-putin-iran-visit.txt").read_text()
    pairs = repeat_pairs(text)
    crucial = "It is crucial for policymakers and analysts to closely monitor these developments"
    hegemony = "multipolar world order and the rejection of Western hegemony"
    assert any(crucial in first and crucial in second for first, second in pairs)
    assert any(hegemony in first and hegemony in second for first, second in pairs)


def test_seed_004_pasted_tweet_is_a_repeat() -> None:
    text = (SAMPLES / "seed-004-iran-minister-moscow.txt").read_text()
    tweet = "BREAKING: Iran’s foreign minister says he will head to Moscow today, will meet Putin."
    assert any(tweet in first and tweet in second for first, second in repeat_pairs(text))


def test_seeds_telling_the_same_story_are_not_near_duplicates() -> None:
    seed_000 = page((SAMPLES / "seed-000-putin-iran-visit.txt").read_text())
    seed_004 = page((SAMPLES / "seed-004-iran-minister-moscow.txt").read_text())
    assert page_similarity(seed_000[1], seed_004[1]) < 0.2
    matcher = Matcher(Config())
    matcher.check_and_add("000", *seed_000)
    result = matcher.check_and_add("004", *seed_004)
    assert result.near_duplicates == ()
    assert all(shared.similarity < 0.8 for shared in result.shared)


def test_lookup_verified_elsewhere_finds_what_the_matcher_finds() -> None:
    """A scan verifies in worker processes: a lookup that crossed a pickle must verify to the
    same matches as `check_and_add` in one process, and the lookup must add the page."""
    config = Config()
    texts = {
        "source": SOURCE,
        "copy": SOURCE.replace("Thursday", "Friday"),
        "host": HOST.format(passage=LIFTED),
        "other": UNRELATED,
    }
    in_one_process, split = Matcher(config), Matcher(config)
    for name, text in texts.items():
        seg, sigs = page(text, config)
        expected = in_one_process.check_and_add(name, seg, sigs)
        lookup = split.lookup_and_add(match_input(name, seg, sigs, config))
        found = verify(pickle.loads(pickle.dumps(lookup)), config)
        assert found == expected
    assert len(split.store) == len(texts)
    assert [d.other for d in found.near_duplicates] == []
    again = verify(lookup_of(split, "again", SOURCE), config)
    assert [d.other for d in again.near_duplicates] == ["source", "copy"]


@pytest.mark.parametrize("index", ["memory://", "sqlite"])
def test_pages_looked_up_together_match_pages_looked_up_one_by_one(
    index: str, tmp_path: Path
) -> None:
    """A scan looks a chunk of pages up at once (one index search for `memory://`, a loop for
    other stores): each page must still see exactly the pages before it, copies in the same
    chunk included."""
    config = Config()
    texts = [SOURCE, SOURCE.replace("Thursday", "Friday"), HOST.format(passage=LIFTED), UNRELATED]
    pages = [match_input(f"p{i}", *page(text, config), config) for i, text in enumerate(texts)]

    def store_url(name: str) -> str:
        return "memory://" if index == "memory://" else f"sqlite:///{tmp_path / name}.db"

    one_by_one = Matcher(config, open_store(store_url("single"), config))
    expected = [verify(one_by_one.lookup_and_add(p), config) for p in pages]
    together = Matcher(config, open_store(store_url("batch"), config))
    found = [verify(lookup, config) for lookup in together.lookup_and_add_many(pages)]
    assert found == expected
    assert [d.other for d in found[1].near_duplicates] == ["p0"]
    assert {s.other for s in found[2].shared} == {"p0", "p1"}


@pytest.mark.parametrize("index", ["memory://", "sqlite", "sqlite?detail=pages"])
def test_records_sent_between_processes_are_matched_without_decoding_where_passed_on(
    index: str, tmp_path: Path
) -> None:
    """A scan's worker sends each page's match input to the matching process, which stores the
    record and sends candidates back for verification: the records travel encoded both ways
    (that process never reads them) and every store takes them so, with the same matches."""
    config = Config()
    texts = [SOURCE, SOURCE.replace("Thursday", "Friday"), HOST.format(passage=LIFTED), UNRELATED]
    pages = [match_input(f"p{i}", *page(text, config), config) for i, text in enumerate(texts)]
    received = [pickle.loads(pickle.dumps(p, pickle.HIGHEST_PROTOCOL)) for p in pages]
    assert all(isinstance(p.record, EncodedRecord) for p in received)
    assert [p.record.source for p in received] == ["p0", "p1", "p2", "p3"]

    def matcher(name: str) -> Matcher:
        url = "memory://" if index == "memory://" else f"sqlite:///{tmp_path / name}.db"
        return Matcher(config, open_store(url + index.removeprefix("sqlite"), config))

    expected = [verify(lookup, config) for lookup in matcher("decoded").lookup_and_add_many(pages)]
    lookups = matcher("encoded").lookup_and_add_many(received)
    sent_back = [pickle.loads(pickle.dumps(lookup)) for lookup in lookups]
    assert [verify(lookup, config) for lookup in sent_back] == expected
    shares_passages = "detail=pages" not in index  # a page-level store keeps no passages
    assert {s.other for s in expected[2].shared} == ({"p0", "p1"} if shares_passages else set())
    assert [d.other for d in expected[1].near_duplicates] == ["p0"]


def lookup_of(matcher: Matcher, name: str, text: str):
    seg, sigs = page(text, matcher.config)
    return matcher.lookup_and_add(match_input(name, seg, sigs, matcher.config))
