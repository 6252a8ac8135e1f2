"""Site-template boilerplate: blocks that recur across many pages of one site.

Why: a footer blurb or a "About the author" box that survived extraction on every page of a
site makes unrelated pages of that site share passages. Seen across a scan, such blocks are
easy to spot: the same normalised block on many pages of one site.

Two guards keep real content: pages with identical text count once (a page crawled twice is
not a template), and when recurring blocks would take more than half of a page's words, the
page is a copy of another page rather than a page wrapped in a template; then only short
recurring blocks (template-sized) go, and the long shared paragraphs stay for the
near-duplicate stage to report.
"""

from __future__ import annotations

import re
from collections import defaultdict

import xxhash

from dupdetect.extract.assemble import assemble, candidates_of
from dupdetect.extract.promos import word_count
from dupdetect.model import Extraction

MAX_TEMPLATE_SHARE = 0.5
"""Recurring blocks above this share of a page's words mean a copied page, not a template."""
MAX_TEMPLATE_BLOCK_WORDS = 25
"""On a copied page only recurring blocks up to this length (footer-sized) are removed."""

_NON_WORD = re.compile(r"[\W_]+")


def block_fingerprint(text: str) -> int:
    """Hash of a block's words, case-folded: markup and spacing differences do not matter."""
    return xxhash.xxh64_intdigest(_NON_WORD.sub(" ", text.casefold()).strip().encode("utf-8"))


class SiteTemplates:
    """Counts block fingerprints per site (`observe`), then removes the recurring ones (`apply`)."""

    def __init__(self, min_pages: int = 3) -> None:
        self.min_pages = min_pages
        self.pages_by_block_: dict[tuple[str, int], set[int]] = defaultdict(set)

    def observe(self, extraction: Extraction) -> None:
        """Count each distinct block of this page once for its site."""
        page_key = xxhash.xxh64_intdigest(extraction.text.encode("utf-8"))
        for block in extraction.blocks:
            self.pages_by_block_[(extraction.site, block_fingerprint(block.text))].add(page_key)

    def is_template(self, site: str, text: str) -> bool:
        return len(self.pages_by_block_.get((site, block_fingerprint(text)), ())) >= self.min_pages

    def apply(self, extraction: Extraction) -> Extraction:
        """`extraction` without its template blocks, recorded as `site-template` removals."""
        recurring = [
            index
            for index, block in enumerate(extraction.blocks)
            if self.is_template(extraction.site, block.text)
        ]
        return without_template_blocks(extraction, recurring)


def without_template_blocks(extraction: Extraction, recurring: list[int]) -> Extraction:
    """`extraction` without the blocks at these indices (recurring on its site, however that
    was learnt), recorded as `site-template` removals; long ones stay on a copied page."""
    if not recurring:
        return extraction
    drop = set(_spare_copied_content(extraction, recurring))
    candidates = candidates_of(extraction)
    block_index = 0
    for candidate in candidates:
        if candidate.reason is None:
            if block_index in drop:
                candidate.reason = "site-template"
            block_index += 1
    return assemble(extraction.source, extraction.title, candidates, extraction.site)


def _spare_copied_content(extraction: Extraction, recurring: list[int]) -> list[int]:
    """Keep long recurring blocks when they are most of the page (see module docstring)."""
    page_words = sum(word_count(block.text) for block in extraction.blocks)
    recurring_words = sum(word_count(extraction.blocks[index].text) for index in recurring)
    if recurring_words <= MAX_TEMPLATE_SHARE * page_words:
        return recurring
    return [
        index
        for index in recurring
        if word_count(extraction.blocks[index].text) <= MAX_TEMPLATE_BLOCK_WORDS
    ]
