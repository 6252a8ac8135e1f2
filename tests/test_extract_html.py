"""HTML main content: structure, guards, both tree inputs, and hostile input."""

from __future__ import annotations

import gzip
import random
import re

import pytest
from bs4 import BeautifulSoup
from extract_helpers import FIXTURES, assert_contract
from hypothesis import given
from hypothesis import strategies as st

from dupdetect.errors import InputError
from dupdetect.extract import extract, extract_html
from dupdetect.extract import html as html_module
from dupdetect.model import RawPage

PARAGRAPH = (
    "The museum reopened its east wing on Saturday after a restoration that took four years "
    "and uncovered painted ceilings hidden under plaster since the war."
)


def _page(body: str, head: str = "<title>Museum Reopens East Wing</title>") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


def test_headings_lists_and_tables_stay_in_reading_order() -> None:
    body = (
        f"<article><h2>The restoration</h2><p>{PARAGRAPH}</p><ul><li>Ceilings</li>"
        f"<li>Floors</li></ul><table><tr><td>Cost</td><td>4 million</td></tr></table>"
        f"<p>{PARAGRAPH}</p></article>"
    )
    extraction = extract_html(_page(body))
    kinds = [block.kind for block in extraction.blocks]
    assert kinds == ["heading", "paragraph", "list", "list", "table", "paragraph"]
    assert extraction.blocks[4].text == "Cost 4 million"
    assert_contract(extraction)


def test_navigation_footer_and_link_lists_are_removed_with_reasons() -> None:
    links = "".join(f'<a href="/{i}">Section {i}</a> ' for i in range(8))
    body = (
        f"<nav><a href='/'>Home</a></nav><div class='menu-links'>{links}</div>"
        f"<div><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p></div><footer>Contact the museum</footer>"
    )
    extraction = extract_html(_page(body))
    assert extraction.text == f"{PARAGRAPH}\n\n{PARAGRAPH}"
    reasons = {removal.text: removal.reason for removal in extraction.removed}
    assert reasons["Home"] == "navigation"
    assert reasons["Contact the museum"] == "footer"


def test_text_after_a_reopened_html_element_is_kept() -> None:
    """Markup that closes and reopens `<html>` leaves libxml2 with two top-level elements."""
    page = (
        "<!DOCTYPE html><html><head><title>Museum</title></head><body><p>Intro line</p>"
        f"</body></html><html><body><article><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p></article>"
        "</body></html>"
    )
    extraction = extract_html(page)
    assert extraction.text.count(PARAGRAPH) == 2
    assert_contract(extraction)


def test_a_button_that_swallowed_the_page_keeps_its_paragraphs() -> None:
    """Malformed markup can leave a `<button>` open around the article; its text must stay."""
    body = (
        "<button class='toggle'>Open menu</button>"
        f"<button><span>Menu</span><article><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p></article>"
    )
    extraction = extract_html(_page(body))
    assert extraction.text.count(PARAGRAPH) == 2
    assert "Open menu" not in extraction.text
    assert_contract(extraction)


def test_hidden_elements_are_removed() -> None:
    body = (
        f"<div><p>{PARAGRAPH}</p><p style='display: none'>Secret coupon code inside</p>"
        f"<p hidden>Another hidden line of text</p><p>{PARAGRAPH}</p></div>"
    )
    extraction = extract_html(_page(body))
    assert "Secret" not in extraction.text and "Another hidden" not in extraction.text
    assert {r.reason for r in extraction.removed} == {"hidden"}


def test_wrapper_with_a_boilerplate_class_word_is_not_pruned() -> None:
    body = f"<div class='layout-with-sidebar'><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p></div>"
    assert extract_html(_page(body)).text == f"{PARAGRAPH}\n\n{PARAGRAPH}"


def test_class_word_used_for_every_content_box_is_not_boilerplate() -> None:
    boxes = "".join(
        f"<div class='builder-widget'><p>{PARAGRAPH} Box {i}.</p></div>" for i in range(3)
    )
    body = f"{boxes}<div class='widget sidebar-box'><p>Short sidebar note.</p></div>"
    extraction = extract_html(_page(body))
    assert extraction.text.count("The museum reopened") == 3


def test_blocks_outside_the_content_root_are_boilerplate() -> None:
    body = (
        f"<div id='content'><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p></div>"
        "<div id='other'><p>Opening hours vary by season</p></div>"
    )
    extraction = extract_html(_page(body))
    assert "Opening hours" not in extraction.text
    assert ("Opening hours vary by season", "boilerplate") in {
        (r.text, r.reason) for r in extraction.removed
    }


def test_undo_guard_keeps_text_when_pruning_would_leave_almost_nothing() -> None:
    items = "".join(f"<li>Gallery room number {i}</li>" for i in range(100))
    body = f"<div><p>{PARAGRAPH}</p></div><div><ul>{items}</ul></div>"
    extraction = extract_html(_page(body))
    assert "Gallery room number 99" in extraction.text


def test_title_prefers_og_title_then_title_then_h1() -> None:
    og = '<meta property="og:title" content="Open Graph Name"><title>Title Tag</title>'
    assert extract_html(_page(f"<p>{PARAGRAPH}</p>", og)).title == "Open Graph Name"
    assert extract_html(_page(f"<p>{PARAGRAPH}</p>")).title == "Museum Reopens East Wing"
    assert extract_html(_page(f"<h1>Heading Name</h1><p>{PARAGRAPH}</p>", "")).title == (
        "Heading Name"
    )


def test_headline_heading_moves_to_the_title() -> None:
    extraction = extract_html(
        _page(f"<article><h1>Museum Reopens East Wing</h1><p>{PARAGRAPH}</p></article>")
    )
    assert extraction.text == PARAGRAPH
    assert ("Museum Reopens East Wing", "title") in {(r.text, r.reason) for r in extraction.removed}


def test_beautifulsoup_tree_gives_the_same_extraction_as_bytes() -> None:
    raw = (FIXTURES / "promo_article.html").read_bytes()
    from_bytes = extract_html(raw, "a.html")
    from_soup = extract_html("", "a.html", soup=BeautifulSoup(raw, "html.parser"))
    assert from_soup.text == from_bytes.text
    assert [r.reason for r in from_soup.removed] == [r.reason for r in from_bytes.removed]


def test_site_is_the_host_of_a_url_source() -> None:
    extraction = extract_html(_page(f"<p>{PARAGRAPH}</p>"), "https://WWW.Museum.example/a?b=1")
    assert extraction.site == "museum.example"


# --- hostile input: nothing but InputError may escape ---------------------------------------


def test_deeply_nested_tags_do_not_recurse_and_are_refused_in_one_line() -> None:
    for html in (
        "<div>" * 100_000 + PARAGRAPH + "</div>" * 100_000,
        f"<p>{PARAGRAPH}</p>" + "<span>" * 100_000 + "x",
    ):
        with pytest.raises(InputError, match="nested deeper") as raised:
            extract_html(html)
        assert "\n" not in str(raised.value)


def test_nesting_within_the_parser_limit_is_extracted() -> None:
    html = "<div>" * 1_000 + PARAGRAPH + "</div>" * 1_000
    assert extract_html(html).text == PARAGRAPH


def test_page_of_only_script_and_style_has_no_main_text() -> None:
    html = _page("<script>var a = 1;</script><style>p {}</style>", "<style>b {}</style>")
    with pytest.raises(InputError, match="no main text"):
        extract_html(html)


@pytest.mark.parametrize(
    "content",
    [
        _page(f"<p>{PARAGRAPH}</p>").encode("utf-16"),
        _page(f"<p>{PARAGRAPH}</p>").encode("utf-16-le"),
        gzip.compress(_page(f"<p>{PARAGRAPH}</p>").encode("utf-8")),
        _page(f"<p>{PARAGRAPH}</p>", '<meta charset="utf-8">').encode("latin-1"),
        ('<?xml version="1.0" encoding="utf-8"?>' + _page(f"<p>{PARAGRAPH}</p>")).encode(),
    ],
    ids=["utf16-bom", "utf16-no-bom", "gzip", "latin1-wrong-meta", "xml-declaration"],
)
def test_encodings_are_recovered(content: bytes) -> None:
    assert extract(RawPage("p.html", content)).text == PARAGRAPH


def test_accented_latin1_under_wrong_meta_is_not_mojibake() -> None:
    html = _page(
        "<p>Le café de la façade est naïf et très fréquenté le dimanche.</p>",
        '<meta charset="utf-8">',
    )
    assert "café de la façade est naïf" in extract(RawPage("p.html", html.encode("latin-1"))).text


def test_invalid_utf8_keeps_the_readable_text() -> None:
    content = _page(f"<p>{PARAGRAPH} \xff</p>").encode("utf-8").replace(b"\xc3\xbf", b"\xff\xfe")
    assert "The museum reopened its east wing" in extract(RawPage("p.html", content)).text


@pytest.mark.parametrize("content", [b"", b"  \n ", "", "\t"])
def test_empty_html_is_an_input_error(content: bytes | str) -> None:
    with pytest.raises(InputError, match="empty"):
        extract(RawPage("e.html", content))


def test_random_bytes_raise_only_input_error() -> None:
    generator = random.Random(11)
    for _ in range(40):
        data = bytes(generator.randrange(256) for _ in range(generator.randrange(1, 4000)))
        try:
            extract(RawPage("r.html", data))
        except InputError as error:
            assert "\n" not in str(error)


def test_random_tag_soup_raises_only_input_error() -> None:
    generator = random.Random(5)
    pieces = [
        "<div>",
        "</div>",
        "<p>",
        "</p>",
        "<a href='x'>",
        "</a>",
        "<li>",
        "<table>",
        "<td>",
        "<br>",
        "word ",
        "more words. ",
        "<script>",
        "</script>",
        "<!--",
        "-->",
        "<nav>",
        "</nav>",
        "&amp;",
        "&#xD800;",
        "<h1>",
        "</h1>",
    ]
    for _ in range(40):
        html = "".join(generator.choice(pieces) for _ in range(generator.randrange(1, 400)))
        try:
            assert_contract(extract_html(html))
        except InputError as error:
            assert "\n" not in str(error)


def test_oversized_input_is_refused() -> None:
    from dupdetect.config import Config

    with pytest.raises(InputError, match="larger than"):
        extract(RawPage("big.html", b"x" * 2000), Config(max_bytes=1000))


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        pytest.param(
            f'<div class="site has-sidebar"><article><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p>'
            '</article><div class="sidebar"><p>Our team of curators picks the exhibitions we '
            "recommend to members every month.</p></div></div>",
            "sidebar",
            id="layout-class-does-not-hide-the-real-sidebar",
        ),
        pytest.param(
            f"<article><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p><div class='author-bio'><p>Maria "
            "Lopez covers museums and heritage for the paper and has written two books on "
            "fresco restoration.</p></div></article>",
            "byline",
            id="author-box-is-a-byline",
        ),
    ],
)
def test_a_box_beside_the_article_goes_with_its_reason(body: str, reason: str) -> None:
    """ "has-sidebar" describes the page layout, not the element, so the real sidebar still
    goes; an author box under the article is a byline, not content."""
    extraction = extract_html(_page(body))
    assert extraction.text == f"{PARAGRAPH}\n\n{PARAGRAPH}"
    assert [removal.reason for removal in extraction.removed] == [reason]


def test_classes_of_the_body_are_page_state_not_marks() -> None:
    """A body class such as "mobile-menu-closed" must not void every menu mark of the page."""
    page = (
        "<html><head><title>Museum</title></head><body class='mobile-menu-closed'>"
        "<div class='menu'><p>Free entry for members on the first Sunday of every month, "
        f"book online</p></div><article><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p></article>"
        "</body></html>"
    )
    extraction = extract_html(page)
    assert extraction.text == f"{PARAGRAPH}\n\n{PARAGRAPH}"
    assert extraction.removed[0].reason == "navigation"


def test_a_box_of_linked_teasers_is_no_wrapper_beside_a_short_article() -> None:
    """Linked teaser titles are long, so the box reads as text by length alone; its links show
    it is no content wrapper, even when the article itself is short and a spec table long."""
    teasers = "".join(
        f'<a href="/story/{i}">The gallery that restored a lost painting number {i}</a> '
        for i in range(4)
    )
    specs = "".join(f"<tr><td>Room {i}</td><td>open</td></tr>" for i in range(300))
    body = (
        "<article><p>The east wing reopens on Saturday with painted ceilings restored.</p>"
        f"<table>{specs}</table></article><div class='related'>{teasers}</div>"
    )
    extraction = extract_html(_page(body))
    assert "lost painting" not in extraction.text
    assert "painted ceilings restored" in extraction.text
    assert any(removal.reason == "related" for removal in extraction.removed)


def test_a_related_label_heading_takes_its_list_of_links() -> None:
    items = "".join(
        f'<li><a href="/p/{i}">How we restored ceiling panel {i} of the east wing</a></li>'
        for i in range(4)
    )
    body = (
        f"<article><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p><h2>Other posts you may enjoy</h2>"
        f"<ul>{items}</ul></article>"
    )
    extraction = extract_html(_page(body))
    assert extraction.text == f"{PARAGRAPH}\n\n{PARAGRAPH}"
    assert {removal.reason for removal in extraction.removed} == {"related"}


def test_product_page_controls_go_and_the_description_stays() -> None:
    description = (
        "Hand-thrown stoneware mug with a speckled glaze, fired twice so it keeps coffee hot "
        "for longer and survives the dishwasher."
    )
    body = (
        f"<main><h1>Speckled Mug</h1><p>{description}</p><p>Select a size</p>"
        "<p>In stock</p><p>Add to cart</p><p>Photo credit: Studio Nord</p>"
        f"<p>{description}</p></main>"
    )
    extraction = extract_html(_page(body, head="<title>Speckled Mug</title>"))
    assert extraction.text == f"{description}\n\n{description}"
    reasons = {removal.text: removal.reason for removal in extraction.removed}
    assert reasons["Add to cart"] == "interface"
    assert reasons["Photo credit: Studio Nord"] == "credit"


def test_short_lines_after_the_last_paragraph_are_furniture() -> None:
    body = (
        f"<main><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p><h3>Ready to plan your visit?</h3>"
        "<p>Talk to our team</p></main>"
    )
    extraction = extract_html(_page(body))
    assert extraction.text == f"{PARAGRAPH}\n\n{PARAGRAPH}"
    assert [removal.reason for removal in extraction.removed] == ["boilerplate", "boilerplate"]


def test_a_grid_of_short_items_and_a_closing_list_after_the_text_stay() -> None:
    tiles = "".join(f"<p>Ceiling panel {i}</p>" for i in range(10))
    grid = extract_html(_page(f"<main><p>{PARAGRAPH}</p>{tiles}</main>"))
    assert grid.text.count("Ceiling panel") == 10
    closing = "<ul><li>Open daily</li><li>Free on Sundays</li></ul>"
    listed = extract_html(_page(f"<article><p>{PARAGRAPH}</p>{closing}</article>"))
    assert listed.text.endswith("Open daily\n\nFree on Sundays")


_CLASS_VOCABULARY = [
    *sorted(html_module._REASON_OF_CLASS_WORD),
    *sorted(html_module._LAYOUT_WORDS),
    "entry", "content", "col", "md", "6", "Nav", "FOOTER", "ſidebar", "item",
]  # fmt: skip
_CLASS_SEPARATORS = ["-", "_", ":", "--", " ", "\t", "\xa0", "\u2003", "\n", " - "]


def _reason_of_names_by_definition(names: str) -> tuple[str, str] | None:
    """The class rule as stated: tokens at whitespace, words at runs of "-", "_", ":" or
    whitespace; a token with a layout word marks nothing; else its first boilerplate word."""
    for token in names.split():
        words = re.split(r"[\s_\-:]+", token.casefold())
        if any(word in html_module._LAYOUT_WORDS for word in words):
            continue
        for word in words:
            if word in html_module._REASON_OF_CLASS_WORD:
                return html_module._REASON_OF_CLASS_WORD[word], word
    return None


@given(
    st.lists(
        st.tuples(st.sampled_from(_CLASS_VOCABULARY), st.sampled_from(_CLASS_SEPARATORS)),
        max_size=8,
    ),
    st.booleans(),
)
def test_class_lookup_equals_the_class_rule(parts: list[tuple[str, str]], lead: bool) -> None:
    names = ("-" if lead else "") + "".join(word + separator for word, separator in parts)
    expected = _reason_of_names_by_definition(names)
    assert html_module._reason_of_names(names) == expected


def test_nested_content_hints_of_equal_weight_choose_the_inner_container() -> None:
    """articleBody around entry-content, both holding the same paragraphs: the inner one is
    the root, so a teaser line between them is not main text."""
    body = (
        '<div class="layout"><article itemprop="articleBody"><p>Read the full programme</p>'
        f'<div class="entry-content"><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p></div></article>'
        f"<div><p>{PARAGRAPH}</p></div></div>"
    )
    extraction = extract_html(_page(body))
    assert extraction.text == f"{PARAGRAPH}\n\n{PARAGRAPH}"
    assert [(removal.text, removal.reason) for removal in extraction.removed] == [
        ("Read the full programme", "boilerplate"),
        (PARAGRAPH, "boilerplate"),
    ]
