"""Filler score: components, spans and the combined score on small hand-written pages."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from dupdetect.filler import COMPONENTS, load_weights, raw_values, score_filler, whitespace_mask
from dupdetect.model import Extraction, FillerScore, Removal, Repeat, Span
from dupdetect.segment import segment

FIXTURES = Path(__file__).parent / "fixtures" / "filler"
CLEAN = (FIXTURES / "clean_report.txt").read_text()
PADDED = (FIXTURES / "padded_post.txt").read_text()


def score(
    text: str, title: str = "", removed: tuple[Removal, ...] = (), repeats: tuple[Repeat, ...] = ()
) -> FillerScore:
    extraction = Extraction(source="test", text=text, title=title, removed=removed)
    return score_filler(extraction, segment(text), repeats)


def spans_of(result: FillerScore, component: str) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in result.spans if s.component == component]


def flagged_text(result: FillerScore, text: str, component: str) -> list[str]:
    return [text[start:end] for start, end in spans_of(result, component)]


def test_every_component_is_reported_in_range() -> None:
    for text in (CLEAN, PADDED):
        result = score(text)
        assert set(result.components) == set(COMPONENTS)
        assert all(0.0 <= value <= 1.0 for value in result.components.values())
        assert 0.0 <= result.score <= 1.0
        assert 0.0 <= result.fraction <= 1.0


def test_padded_post_scores_far_above_factual_report() -> None:
    clean, padded = score(CLEAN), score(PADDED)
    assert padded.score >= 0.6
    assert clean.score < 0.3
    assert padded.fraction > clean.fraction + 0.3


def test_every_component_above_zero_is_traced_to_spans_inside_the_text() -> None:
    result = score(PADDED)
    for name, value in result.components.items():
        if value > 0:
            assert spans_of(result, name), name
    assert all(0 <= s.start <= s.end <= len(PADDED) for s in result.spans)
    assert all(s.note for s in result.spans)


def test_empty_page_scores_zero() -> None:
    result = score("")
    assert result.score == 0.0
    assert result.spans == ()


def test_repetition_flags_the_second_copy_only() -> None:
    paragraph = (
        "The ferry leaves Marlow Quay at 6:40 and reaches the city terminal twenty minutes later."
    )
    text = f"{CLEAN}\n\n{paragraph}\n\nTickets cost $4.\n\n{paragraph}"
    result = score(text)
    first, second = text.index(paragraph), text.rindex(paragraph)
    flagged = spans_of(result, "repetition")
    assert (second, second + len(paragraph) - 1) in flagged or any(
        start <= second and end >= second + len(paragraph) - 1 for start, end in flagged
    )
    assert not any(first <= start < first + len(paragraph) for start, _ in flagged)
    assert result.components["repetition"] > score(CLEAN).components["repetition"]


def test_repeats_from_the_match_stage_count_as_repetition() -> None:
    first = CLEAN.index("The work will cost")
    second = CLEAN.index("Commuters should expect")
    repeat = Repeat(
        0.9,
        Span(first, first + 60, CLEAN[first : first + 60]),
        Span(second, second + 300, CLEAN[second : second + 300]),
    )
    with_repeat = score(CLEAN, repeats=(repeat,))
    assert with_repeat.components["repetition"] > score(CLEAN).components["repetition"]
    assert (second, second + 300) in spans_of(with_repeat, "repetition")


def test_restatement_links_a_reworded_sentence_to_its_source() -> None:
    result = score(PADDED)
    restated = flagged_text(result, PADDED, "restatement")
    assert any(text.startswith("Many people find that gardening") for text in restated)
    assert not any(text.startswith("Home gardening offers") for text in restated)


def test_a_sentence_that_adds_figures_to_an_earlier_one_is_not_a_restatement() -> None:
    finding = "Teenage girls were far more likely than boys to report anxiety in the survey."
    with_figures = "Teenage girls were far more likely than boys to report anxiety (31% vs. 12%)."
    reworded = "Again, teenage girls were far more likely than boys to report anxiety."
    elaborated = f"{finding}\n{with_figures}"
    assert flagged_text(score(elaborated), elaborated, "restatement") == []
    restated = f"{with_figures}\n{reworded}"  # says less than its source, adds nothing
    assert flagged_text(score(restated), restated, "restatement") == [reworded[:-1]]


def test_stock_phrases_and_templates_are_quoted_in_notes() -> None:
    result = score(PADDED)
    notes = " | ".join(s.note for s in result.spans if s.component == "stock_phrases")
    assert "pivotal_role: 'plays a pivotal role'" in notes
    assert "template: 'In conclusion'" in notes
    assert "template: 'Overall'" in notes  # closes the "Benefits" section


def test_overall_mid_section_is_not_a_template() -> None:
    text = (
        "Overall, the survey covered 1,200 households in 14 towns.\n"
        "Response rates were 61 percent in March.\n\nResults\n\nMost households had two cars."
    )
    notes = [s.note for s in score(text).spans if s.component == "stock_phrases"]
    assert not any("template" in note for note in notes)


def test_generic_sentences_exclude_numbers_names_and_quotes() -> None:
    text = (
        "Many people find that this approach can make things easier over time.\n"
        "Dana Whitlock said the joints had cracked after the wet winter of 2023.\n"
        'He said "we found corrosion" while standing at the depot gates today.'
    )
    flagged = flagged_text(score(text), text, "generic")
    assert flagged == ["Many people find that this approach can make things easier over time"]


def test_a_sentence_holding_a_term_of_the_page_is_not_generic() -> None:
    text = (
        "Engineers replaced 212 expansion joints on the bridge in 2023.\n"
        "The expansion joints had been cracking for years under heavy traffic.\n"
        "Many people find that this approach can make things easier over time."
    )
    flagged = flagged_text(score(text, title="Harbour works"), text, "generic")
    assert flagged == ["Many people find that this approach can make things easier over time"]


def test_a_word_the_page_keeps_coming_back_to_is_a_term() -> None:
    vague = "With the right mindset, anyone can get through a long and tiring week."
    text = (
        "Unplug the extension cord before you coil it up for storage.\n"
        "Never run an extension cord under a rug or a carpet runner.\n"
        f"{vague}"
    )
    flagged = flagged_text(score(text, title="Safety tips"), text, "generic")
    assert flagged == [vague[:-1]]


def test_sharing_only_an_everyday_word_does_not_tie_a_sentence_to_the_page() -> None:
    vague = "It takes time and patience to find what really works for your needs."
    text = f"In 2023 the council spent most of its time on the harbour dredging budget.\n{vague}"
    assert flagged_text(score(text, title="Council budget"), text, "generic") == [vague[:-1]]


def test_words_of_the_title_do_not_make_a_vague_sentence_specific() -> None:
    vague = "Understanding bridge repairs can help you make smarter choices every single day."
    text = f"Harbour news\nCrews began bridge repairs on 4 November after cracks appeared.\n{vague}"
    assert flagged_text(score(text, title="Bridge repairs"), text, "generic") == [vague[:-1]]
    assert flagged_text(score(text), text, "generic") == []  # first line stands in for a title


def test_a_vague_sentence_among_specific_ones_counts_half() -> None:
    facts = (
        "Engineers replaced 212 expansion joints on the harbour bridge in 2023. "
        "Crews closed two lanes from March to June while the joints were fitted."
    )
    vague = "Many people find that this approach can make things easier over time."
    inside, own = f"{facts} {vague}", f"{facts}\n{vague}"
    raws = {
        text: raw_values(Extraction("t", text, "Harbour works"), segment(text))[0]
        for text in (inside, own)
    }
    assert raws[inside]["generic"].basis == raws[own]["generic"].basis
    assert raws[inside]["generic"].value == 0.5 * raws[own]["generic"].value > 0
    for text in (inside, own):  # the evidence is shown either way
        assert flagged_text(score(text, "Harbour works"), text, "generic") == [vague[:-1]]


def test_promo_counts_promotional_removals_but_not_page_structure() -> None:
    teaser = Removal("Sponsored: the ten best bridges to visit this year " * 4, "promo", 120)
    menu = Removal("Home News Sport Weather Contact " * 20, "navigation", 0)
    with_promo = score(CLEAN, removed=(teaser,))
    with_menu = score(CLEAN, removed=(menu,))
    assert with_promo.components["promo"] > 0.1
    assert with_menu.components["promo"] == score(CLEAN).components["promo"]
    assert (120, 120) in spans_of(with_promo, "promo")


def test_promo_flags_call_to_action_lines_in_the_text() -> None:
    line = "YOU MAY ALSO LIKE THIS TRENDING STORY ON YOUTUBE"
    text = CLEAN.replace("\n\nThe work will cost", f"\n{line}\n\nThe work will cost")
    assert line in flagged_text(score(text), text, "promo")


def test_keyword_stuffing_flags_the_title_phrase_beyond_natural_use() -> None:
    title = "Best Harbour Bridge Tours"
    stuffed = " ".join(
        f"Harbour bridge tours are great, so book harbour bridge tours number {i}."
        for i in range(8)
    )
    text = f"{CLEAN}\n\n{stuffed}"
    result = score(text, title=title)
    flagged = flagged_text(result, text, "keyword_stuffing")
    assert flagged and all(t.casefold() == "harbour bridge tours" for t in flagged)
    assert (
        result.components["keyword_stuffing"]
        > score(CLEAN, title=title).components["keyword_stuffing"]
    )


def test_keyword_list_line_is_flagged() -> None:
    line = "bridge repairs, harbour traffic, lane closures, commuter delays"
    text = CLEAN.replace("\n\n", f"\n{line}\n\n", 1)
    assert line in flagged_text(score(text), text, "keyword_stuffing")


def test_keyword_uses_counted_do_not_shrink_when_the_page_grows() -> None:
    title = "Harbour Bridge Tours"
    stuffed = " ".join(f"Book harbour bridge tours today, offer {i}." for i in range(8))
    short = score(f"{CLEAN}\n\n{stuffed}", title=title)
    longer = score(f"{CLEAN}\n\n{stuffed}\n\n{CLEAN}", title=title)
    assert len(spans_of(longer, "keyword_stuffing")) == len(spans_of(short, "keyword_stuffing")) > 0


PROMO_LINES = (
    "Subscribe to our newsletter for weekly gardening tips",
    "Follow us on Instagram for more garden ideas",
    "Sign up today and get a free seed catalogue",
)


def raw_shares(text: str) -> dict[str, float]:
    extraction = Extraction(source="test", text=text)
    return {name: raw.value for name, raw in raw_values(extraction, segment(text))[0].items()}


def test_filler_of_one_kind_does_not_dilute_the_others() -> None:
    promo_added = PADDED + "".join(f"\n{line}" for line in PROMO_LINES)
    content_added = PADDED + (
        "\nTomatoes need 6 to 8 hours of sun, Dana Whitlock told the Fenwick club in 2023."
        "\nThe Marlow allotments charge $35 a year for a 5-metre plot, with water included."
    )
    before, with_promo, with_content = map(raw_shares, (PADDED, promo_added, content_added))
    for name in ("repetition", "restatement", "stock_phrases", "generic"):
        assert before[name] > 0.01, name
        assert with_promo[name] >= 0.99 * before[name], name
        assert with_content[name] < 0.95 * before[name], name
    assert score(promo_added).score > score(PADDED).score


def test_score_rises_with_the_share_of_injected_filler() -> None:
    filler = "In today's fast-paced world, it is essential to stay informed and navigate change."
    scores = [score(CLEAN + f"\n\n{filler}" * copies).score for copies in (0, 1, 3, 6)]
    assert scores == sorted(scores)
    assert scores[-1] > scores[0] + 0.3


def test_shipped_weights_cover_every_component_and_are_non_negative() -> None:
    weights = load_weights()
    assert set(weights) == set(COMPONENTS)
    assert all(weight >= 0 for weight in weights.values())
    assert sum(weights.values()) > 0


def test_whitespace_mask_is_what_backslash_s_matches_in_all_of_unicode() -> None:
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    expected = np.zeros(len(everything), dtype=bool)
    expected[[m.start() for m in re.finditer(r"\s", everything)]] = True
    assert expected.sum() > 20
    assert np.array_equal(whitespace_mask(everything), expected)
