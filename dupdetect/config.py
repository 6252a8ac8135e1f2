"""One frozen configuration shared by every stage.

The defaults are the documented behaviour of `dupdetect scan` and `Detector()`; each field says
why it has its value. Settings that change what a signature means (shingling, num_perm, seed,
hash scheme, bands) are also written into persistent indexes, which refuse to open with others.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any


@dataclass(frozen=True)
class Config:
    # --- reading -----------------------------------------------------------------------------
    max_bytes: int = 10_000_000
    """Inputs larger than this are skipped with a reason: no real article is 10 MB of HTML."""

    # --- segmenting and shingling ---------------------------------------------------------------
    shingle_words: int = 3
    """Word n-gram size. 3 keeps a lightly edited copy (one word in five changed) above a
    Jaccard of 0.3 while two unrelated passages share almost no 3-grams."""
    window_words: int = 24
    """Passage window length in words: short enough to catch a copied 40-word run whole."""
    window_stride: int = 6
    """Step between windows; a copy is never more than half a stride out of alignment."""
    min_passage_words: int = 8
    """Sentences shorter than this are not passage units (headings, 'Conclusion')."""

    # --- signing -----------------------------------------------------------------------------
    num_perm: int = 128
    """MinHash permutations for whole pages."""
    passage_num_perm: int = 64
    """MinHash permutations for passage units (many per page, so fewer each)."""
    seed: int = 1
    """Permutation seed, as datasketch's `MinHash(seed=...)`."""

    # --- matching ----------------------------------------------------------------------------
    threshold: float = 0.8
    """Jaccard similarity of two pages' shingle sets at or above which they are near-duplicates."""
    passage_threshold: float = 0.2
    """Jaccard similarity of two passages' shingle sets at or above which they match. A copy
    with one word in five changed keeps only ~half its 3-word shingles (Jaccard ~0.34, often
    below 0.3); at 0.2 benchmarks/eval_lsh.py finds all such copies with precision ~0.98."""
    bands: int | None = None
    """Page LSH bands; None derives bands and rows from `threshold` (see `dupdetect.lsh`)."""
    rows: int | None = None
    passage_bands: int = 16
    """Passage-unit LSH bands. A unit pair at Jaccard 0.3 shares a 2-row band with p = 0.09, so
    16 bands nominate it with p = 0.78 only; but a copied run of 40 words yields a dozen unit
    pairs (its sentences and overlapping windows). benchmarks/eval_lsh.py finds 0.987-0.993 of
    planted copies (0-20% of words edited) on two seeds, against 0.993 with 32 bands, at half
    the keys an index stores (~800 a 400-word page); 8 bands drop to 0.967 on one seed."""
    passage_rows: int = 2
    """Rows per passage band: one row makes every common phrase ("one of the") a key shared by
    most pages; three need ~110 bands for the same recall per unit pair."""
    passage_min_shared_keys: int = 3
    """Passage band keys a stored page must share with a new page to be verified. Common
    phrases make most pages share a key or two with thousands of others, a number that grows
    with the index (at 2, verifying such pages took 60% of a 100,000-page scan's matching);
    a real copy shares dozens. benchmarks/eval_lsh.py finds the same planted copies at 3 as at
    1 or 2 on two seeds."""

    # --- extraction ----------------------------------------------------------------------------
    site_template_min_pages: int = 3
    """A block repeated on this many pages of one site is removed as site-template text."""

    def with_changes(self, **changes: Any) -> Config:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


DEFAULT_CONFIG = Config()
