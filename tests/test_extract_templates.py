"""Site templates: blocks recurring on many pages of one site go; copies of pages do not."""

from __future__ import annotations

from extract_helpers import assert_contract

from dupdetect.extract import SiteTemplates, extract_text
from dupdetect.model import Extraction

FOOTER = "Harbour Gazette is an independent paper owned by its readers since 1952."
BANNER = "Support local journalism today"


def _page(site: str, number: int, story: str) -> Extraction:
    text = f"{BANNER}\n\n{story}\n\nA second paragraph about item {number} only.\n\n{FOOTER}"
    return extract_text(text, f"{site}/page{number}.txt")


STORIES = [
    "The council approved the new harbour wall after a long debate on costs.",
    "A bakery on the quay won a national award for its rye bread this week.",
    "The ferry timetable changes on Monday, with two extra sailings a day.",
    "Lifeboat volunteers rescued two kayakers off the point on Sunday night.",
]


def _observed(pages: list[Extraction], min_pages: int = 3) -> SiteTemplates:
    templates = SiteTemplates(min_pages=min_pages)
    for page in pages:
        templates.observe(page)
    return templates


def test_blocks_on_many_pages_of_a_site_are_removed_as_site_template() -> None:
    pages = [_page("gazette", i, story) for i, story in enumerate(STORIES)]
    templates = _observed(pages)
    cleaned = templates.apply(pages[0])
    assert cleaned.text == f"{STORIES[0]}\n\nA second paragraph about item 0 only."
    assert [(r.text, r.reason, r.at) for r in cleaned.removed] == [
        (BANNER, "site-template", 0),
        (FOOTER, "site-template", len(cleaned.text)),
    ]
    assert_contract(cleaned)


def test_earlier_removals_keep_their_place() -> None:
    pages = [
        extract_text(f"{BANNER}\n\n{story}\n\nRead more: Another story\n\n{FOOTER}", f"s/{i}.txt")
        for i, story in enumerate(STORIES)
    ]
    cleaned = _observed(pages).apply(pages[1])
    assert cleaned.text == STORIES[1]
    assert [(r.reason, r.at) for r in cleaned.removed] == [
        ("site-template", 0),
        ("promo", len(STORIES[1])),
        ("site-template", len(STORIES[1])),
    ]


def test_fewer_pages_than_min_pages_keep_everything() -> None:
    pages = [_page("gazette", i, story) for i, story in enumerate(STORIES[:2])]
    assert _observed(pages).apply(pages[0]) == pages[0]


def test_other_sites_do_not_count() -> None:
    pages = [_page(f"site{i}", i, story) for i, story in enumerate(STORIES)]
    assert _observed(pages).apply(pages[0]).removed == ()


def test_the_same_page_seen_twice_counts_once() -> None:
    page = _page("gazette", 0, STORIES[0])
    assert _observed([page, page, page]).apply(page) == page


def test_copied_articles_keep_their_long_shared_paragraphs() -> None:
    article = (
        "The regional authority published a flood map that covers every street of the lower "
        "town, the quay, the old market and the caravan park, and it shows that most of them "
        "would be under water in a storm of the kind that now comes once a decade."
    )
    pages = [
        extract_text(f"{BANNER}\n\n{article}\n\nCopy number {i} of the story.", f"farm/{i}.txt")
        for i in range(4)
    ]
    cleaned = _observed(pages).apply(pages[0])
    assert article in cleaned.text
    assert BANNER not in cleaned.text
