"""Planted promos, calls to action and embeds go; look-alikes that are real content stay."""

from __future__ import annotations

import pytest
from extract_helpers import FIXTURES as FIXTURE_DIR
from extract_helpers import assert_contract, fixture_lines, fixture_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dupdetect.extract import extract_html, extract_text, promos
from dupdetect.extract.promos import is_keyword_line, line_reason
from dupdetect.model import Extraction


def _removed_texts(extraction: Extraction) -> set[str]:
    return {removal.text.strip() for removal in extraction.removed}


@pytest.fixture(scope="module")
def promo_text_page() -> Extraction:
    return extract_text(fixture_text("promo_article.txt"), "fixtures/promo_article.txt")


@pytest.fixture(scope="module")
def promo_html_page() -> Extraction:
    return extract_html(
        (FIXTURE_DIR / "promo_article.html").read_bytes(), "https://rail.example/news/1"
    )


@pytest.mark.parametrize("planted", fixture_lines("promo_article.planted.txt"))
def test_every_planted_text_promo_is_removed(promo_text_page: Extraction, planted: str) -> None:
    assert planted in _removed_texts(promo_text_page)
    assert planted not in promo_text_page.text


@pytest.mark.parametrize("planted", fixture_lines("promo_article.planted.html.txt"))
def test_every_planted_html_promo_is_removed(promo_html_page: Extraction, planted: str) -> None:
    assert any(planted in removed for removed in _removed_texts(promo_html_page))
    assert planted not in promo_html_page.text


def test_article_paragraphs_of_promo_pages_survive(
    promo_text_page: Extraction, promo_html_page: Extraction
) -> None:
    assert "Councillors in the harbour town voted on Tuesday" in promo_text_page.text
    assert "Work on the wall is due to begin in May" in promo_text_page.text
    assert "Sleeper services will run again" in promo_html_page.text
    assert "Local councils along the route" in promo_html_page.text
    assert_contract(promo_text_page)
    assert_contract(promo_html_page)


def test_removals_carry_specific_reasons(promo_text_page: Extraction) -> None:
    reasons = {removal.text: removal.reason for removal in promo_text_page.removed}
    assert reasons["— Coastal Weather Watch (@coastwatch) February 12, 2024"] == "embed"
    assert reasons["* * *"] == "separator"
    assert reasons["© 2024 Harbour Gazette Media Ltd. All rights reserved."] == "copyright"
    assert reasons["harbour town sea wall, coastal flooding repairs, council vote results"] == (
        "keywords"
    )


def test_clean_text_article_loses_nothing() -> None:
    extraction = extract_text(fixture_text("clean_article.txt"))
    assert extraction.removed == ()
    for line in fixture_lines("clean_article.txt"):
        assert line in extraction.text


def test_clean_html_article_keeps_every_paragraph_and_item() -> None:
    from lxml import html as lxml_html

    raw = (FIXTURE_DIR / "clean_article.html").read_bytes()
    extraction = extract_html(raw)
    article = lxml_html.fromstring(raw).find(".//article")
    for element in article.iter("p", "li", "h2"):
        assert " ".join(element.text_content().split()) in extraction.text
    assert {removal.reason for removal in extraction.removed} <= {"navigation", "footer", "title"}


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Also read: The ten best hiking trails in the Alps", "promo"),
        ("RELATED ARTICLES", "related"),
        ("More from Business: Oil prices slide for a third week", "related"),
        ("You might also enjoy these stories from our archive", "promo"),
        ("Click here to download the full report as a PDF", "promo"),
        ("Trending now: Celebrity chef opens a third restaurant", "promo"),
        ("This article contains affiliate links.", "promo"),
        ("Subscribe to our YouTube channel for more updates", "newsletter"),
        ("Enter your email address to get breaking news alerts", "newsletter"),
        ("A post shared by Travel Daily (@traveldaily)", "embed"),
        ("pic.twitter.com/AbC123xyz", "embed"),
        ("— Jane Doe (@janedoe) 3 March 2024", "embed"),
        ("Keywords: budget, inflation, interest rates", "keywords"),
        ("=============", "separator"),
        ("Copyright 2023 by Example Press", "copyright"),
        ("ADVERTISEMENT", "advertisement"),
        ("Scroll to continue with content", "advertisement"),
        ("Share on Facebook", "share"),
        ("Facebook | Twitter | LinkedIn | Email", "share"),
        ("Home | World | Business | Sport", "navigation"),
        ("We use cookies to give you the best experience on our site.", "cookie"),
        ("Be the first to comment", "comments"),
        ("Skip to main content", "navigation"),
        ("JUMP TO THE RECIPE", "navigation"),
        ("Share this on:", "share"),
        ("PIN FOR LATER", "share"),
        ("Published June 23, 2025 10:39AM", "byline"),
        ("7 min read", "byline"),
        ("Posted By", "byline"),
        ("Jan 13, 2025", "byline"),
        ("Tuesday, 4 March 2025", "byline"),
        ("2025-03-04", "byline"),
        ("About the author", "promo"),
        ("You must log in to answer this question.", "promo"),
        ("In partnership with", "advertisement"),
        ("Other posts you may enjoy", "related"),
        ("Get the best of the week, directly in your inbox.", "newsletter"),
        ("Already have an account? Log in", "promo"),
        ("Subscribe to continue reading", "promo"),
        ("You may be interested in the following topics as well:", "promo"),
        ("Read more news like this on our site", "promo"),
        ("Join our Discord server", "share"),
        ("Posted by David at December 16, 2025 11:15 AM", "byline"),
        ("15 Dec, 2025", "byline"),
        ("You need to enable JavaScript to run this app.", "boilerplate"),
        ("Your browser does not support the video tag.", "boilerplate"),
        ("SHARE YOUR STORY", "promo"),
    ],
)
def test_promo_line_families(line: str, reason: str) -> None:
    assert line_reason(line) == reason


@pytest.mark.parametrize(
    "line",
    [
        "Read more about the treaty in the 2019 report, which the ministry published.",
        "More than 200 officials are expected to attend the next round.",
        "WHAT HAPPENS NEXT",
        "Watch out for the tide tables before you walk across the sands.",
        "The newsletter, founded in 1998, now reaches 40,000 subscribers in the region.",
        "Related research found that similar treaties took three years.",
        "Conclusion",
        "9.5/10",
        "By March 2025 the bridge was open again.",
        "Copyright law in the European Union protects databases as well.",
        "Published research shows that the treaty failed within a decade.",
        "Presented by the city council, the plan was approved in June.",
        "The minister said: “We will not sign anything that ignores the fishing towns.”",
    ],
)
def test_look_alike_content_lines_are_kept(line: str) -> None:
    assert line_reason(line) is None


@pytest.mark.parametrize(
    "line",
    [
        "Add to cart",
        "Add to Wishlist",
        "Select a size",
        "Out of stock",
        "Quick view",
        "Free 2-day shipping",
        "Regular price $99.99",
        "Showing 24 of 291 results",
        "Check price at Amazon (on sale!)",
        "Ships from: Portugal",
        "Returns & exchanges accepted",
        "Load more",
        "Sort by:",
        "Filter and sort",
        "Page 1 of 8",
        "Get started",
        "Sign up free",
        "Request a demo",
        "12 likes",
        "3 years ago",
        "Joined Mar 2019",
        "Posts: 1,077",
        "Senior Member",
        "Sent from my phone using the forum app",
        "Email address*",
        "Why you're seeing this ad",
        "Jump to",
        "MargoFarrel likes this.",
        "Upvote",
        "Open table of contents panel.",
        "Rate this page",
        "Was this page helpful?",
        "Report a problem with this product",
    ],
)
def test_interface_labels_are_removed(line: str) -> None:
    """A line that is only a button, shop control, counter or form label is interface."""
    assert line_reason(line) == "interface"


@pytest.mark.parametrize(
    "line",
    [
        "Photo credit: Jane Doe / Reuters",
        "(Image credit: Wareable)",
        "Image: US Supreme Court",
        "Photo by Anna Berg on Unsplash",
        "Getty Images",
    ],
)
def test_picture_credits_are_removed(line: str) -> None:
    assert line_reason(line) == "credit"


@pytest.mark.parametrize(
    "line",
    [
        "Add the flour to the bowl and stir until smooth.",
        "Compare the two budgets line by line before the vote.",
        "Sign up sheets for the volunteer shifts are at the library desk.",
        "Ships from the northern fleet patrolled the strait for a decade after the war.",
        "The photo by the river became the most shared image of the flood.",
        "Source: Bureau of Labor Statistics",
        "Three years ago the bridge closed for repairs.",
        "Loading the ferry took most of the morning.",
        "Posted by the ministry on its website in 2019, the report found that costs rose.",
        "JavaScript is the language of the browser, and the tutorial starts there.",
        "You may be surprised by how little the repairs cost.",
        "Report an issue to the council before Friday, the notice said.",
    ],
)
def test_interface_look_alikes_are_kept(line: str) -> None:
    assert line_reason(line) is None


def test_keyword_line_shape() -> None:
    assert is_keyword_line("Iran foreign policy, Moscow diplomatic relations, Putin Iran meeting")
    assert not is_keyword_line("Flour, sugar, eggs and butter are all you need.")
    assert not is_keyword_line("Rome, Paris and Berlin")


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.from_regex(promos._SHOUT_CTA))
def test_every_shouted_call_to_action_has_four_capitals_in_a_row(line: str) -> None:
    """The cheap capitals test screens lines before the phrase search: it must never reject
    a line the phrases match."""
    assert promos._CAPITALS.search(line)


@given(st.text(alphabet=" \t\xa0-–—•*·»›▶►→>#|abcXY.:"))
def test_a_stripped_line_has_no_bullets_left_to_strip(text: str) -> None:
    """`line_reason` tests labels on the line it already stripped of bullets; `is_label`
    strips again, which must change nothing for both to agree."""
    core = promos._BULLET.sub("", text.strip())
    assert promos._BULLET.sub("", core.strip()) == core
    assert promos.is_label(text) == promos.is_label(core)


@given(st.text(alphabet="ab9Z_'’- .,\t\néß", max_size=40) | st.text(max_size=40))
def test_word_count_counts_the_words_of_the_word_rule(text: str) -> None:
    """The fast ASCII count agrees with the word regex, apostrophes and underscores included."""
    assert promos.word_count(text) == len(promos.words_of(text))
