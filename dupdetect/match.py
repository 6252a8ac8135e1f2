"""Match stage: within-page repeats, passages shared across pages, near-duplicate pages.

`Matcher.check_and_add` is the streaming form the detector uses: each page is compared with
every page seen before it and then added to the index store. LSH (see `dupdetect.lsh`) only
nominates candidate pages (a passage candidate must share `config.passage_min_shared_keys`
band keys, which common phrases alone rarely give); every candidate is verified exactly, pages by
the Jaccard of their shingle sets, passages by `dupdetect.spans.passage_matches`, so what is
reported never depends on MinHash estimates; the one exception is a store kept at
`detail=pages`, which holds only page signatures, so its pages are verified with the MinHash
estimate of their Jaccard similarity.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import xxhash

from dupdetect.config import DEFAULT_CONFIG, Config
from dupdetect.index import (
    Candidates,
    EncodedRecordStore,
    IndexStore,
    PageRecord,
    StoredRecord,
    check_and_add_many,
    decoded,
    open_store,
    page_lsh_shape,
    passage_lsh_shape,
)
from dupdetect.lsh import band_keys
from dupdetect.model import NearDuplicate, Repeat, Segmentation, SharedPassage
from dupdetect.sign import Signatures, distinct
from dupdetect.spans import jaccard, passage_matches, token_span


@dataclass(frozen=True, eq=False)
class MatchInput:
    """What matching needs of one page: its record and its distinct band keys.

    A pure function of one page (`match_input`), so it is computed where the page was analysed
    (a scan's worker process, a Spark executor): the one process that holds the index then only
    looks up, verifies and adds.
    """

    record: StoredRecord
    page_keys: np.ndarray
    passage_keys: np.ndarray

    def __reduce__(self) -> tuple[Any, tuple[StoredRecord, np.ndarray, np.ndarray]]:
        """Pickled with its record left encoded: the process that receives it (the one that
        matches) only stores the record and forwards it to verification, so decoding it there
        would be wasted."""
        return MatchInput, (self.record.encoded(), self.page_keys, self.passage_keys)


def match_input(
    source: str,
    seg: Segmentation,
    sigs: Signatures,
    config: Config = DEFAULT_CONFIG,
    content_hash: str = "",
) -> MatchInput:
    """The record and band keys of a page; `content_hash` defaults to a fingerprint of the
    extracted text, so a page met again unchanged is recognised by the store."""
    record = PageRecord.from_page(source, seg, sigs, content_hash or text_fingerprint(seg.text))
    record.to_bytes()  # encoded here, once: the store keeps these bytes
    return MatchInput(record, page_band_keys(sigs, config), passage_band_keys(sigs, config))


def page_band_keys(sigs: Signatures, config: Config = DEFAULT_CONFIG) -> np.ndarray:
    """Band keys of the page signature (one per band)."""
    return band_keys(sigs.page_signature[None, :], *page_lsh_shape(config))[0]


def passage_band_keys(sigs: Signatures, config: Config = DEFAULT_CONFIG) -> np.ndarray:
    """Distinct band keys of all passage units: overlapping windows share many."""
    if len(sigs.unit_signatures) == 0:
        return np.zeros(0, dtype=np.uint64)
    return distinct(band_keys(sigs.unit_signatures, *passage_lsh_shape(config)).ravel())


@dataclass(frozen=True)
class PageMatches:
    """What one page shares with the pages indexed before it, all verified."""

    shared: tuple[SharedPassage, ...] = ()
    near_duplicates: tuple[NearDuplicate, ...] = ()
    seen_before: bool = False
    """The store already held this source with the same content hash (it was not re-added)."""


def find_repeats(
    seg: Segmentation, sigs: Signatures, config: Config = DEFAULT_CONFIG
) -> tuple[Repeat, ...]:
    """Passages that occur twice (verbatim or lightly edited) within one page."""
    page = PageRecord.from_page("", seg, sigs)
    return tuple(
        Repeat(match.similarity, token_span(page, match.here), token_span(page, match.there))
        for match in passage_matches(page, page, config, same_page=True)
    )


def compare_pages(
    a_seg: Segmentation,
    a_sigs: Signatures,
    b_seg: Segmentation,
    b_sigs: Signatures,
    config: Config = DEFAULT_CONFIG,
    other: str = "",
) -> tuple[SharedPassage, ...]:
    """Every passage page A shares with page B (`here` on A, `there` on B), without LSH."""
    a_page = PageRecord.from_page("", a_seg, a_sigs)
    b_page = PageRecord.from_page(other, b_seg, b_sigs)
    return _shared_passages(a_page, b_page, config)


def text_fingerprint(text: str) -> str:
    """128-bit hash of an extracted text: equal fingerprints mean an unchanged page."""
    return xxhash.xxh3_128_hexdigest(text.encode("utf-8"))


def page_record_similarity(record: PageRecord, stored: PageRecord) -> float:
    """Exact shingle-set Jaccard where the stored record kept its shingles, else the MinHash
    estimate (the share of equal signature values), all a `detail=pages` store keeps."""
    if len(stored.shingles) == 0 and len(stored.page_signature) == len(record.page_signature):
        return float(np.mean(record.page_signature == stored.page_signature))
    return jaccard(record.shingles, stored.shingles)


def page_similarity(a_sigs: Signatures, b_sigs: Signatures) -> float:
    """Exact Jaccard similarity of two pages' shingle sets."""
    return jaccard(a_sigs.shingles, b_sigs.shingles)


def _shared_passages(
    here: PageRecord, there: PageRecord, config: Config
) -> tuple[SharedPassage, ...]:
    return tuple(
        SharedPassage(
            other=there.source,
            similarity=match.similarity,
            here=token_span(here, match.here),
            there=token_span(there, match.there),
        )
        for match in passage_matches(here, there, config)
    )


@dataclass(frozen=True, eq=False)
class Lookup:
    """A page and the stored records its band keys nominated, not yet verified.

    All that `verify` needs, as plain data, so verification can run in another process: in a
    large scan it costs more than the lookup, and only the lookup needs the index. Records may
    still be encoded (`EncodedRecord`): `verify` decodes them where it runs.
    """

    record: StoredRecord
    near_candidates: tuple[StoredRecord, ...]
    passage_candidates: tuple[StoredRecord, ...]
    seen_before: bool = False


def verify(lookup: Lookup, config: Config = DEFAULT_CONFIG) -> PageMatches:
    """The candidates of a lookup that hold up: near-duplicates by the Jaccard of the pages'
    shingle sets, shared passages by exact alignment (`passage_matches`)."""
    record = decoded(lookup.record)
    shared = [
        passage
        for other in lookup.passage_candidates
        for passage in _shared_passages(record, decoded(other), config)
    ]
    shared.sort(key=lambda p: (p.here.start, p.other, p.there.start))
    near_duplicates = _near_duplicates(record, lookup.near_candidates, config)
    return PageMatches(tuple(shared), near_duplicates, lookup.seen_before)


def _near_duplicates(
    record: PageRecord, candidates: tuple[StoredRecord, ...], config: Config
) -> tuple[NearDuplicate, ...]:
    found = []
    for other in candidates:
        similarity = page_record_similarity(record, decoded(other))
        if similarity >= config.threshold:
            found.append(NearDuplicate(other.source, similarity))
    return tuple(sorted(found, key=lambda d: (-d.similarity, d.other)))


class Matcher:
    """Compares each new page with every page already in `store`, then adds it.

    The store (default: a fresh `memory://` one) decides persistence; the matcher verifies
    every candidate the store returns.
    """

    def __init__(self, config: Config = DEFAULT_CONFIG, store: IndexStore | None = None) -> None:
        self.config = config
        self.store = store if store is not None else open_store("memory://", config)
        self._read_records: Callable[[Sequence[str]], Sequence[StoredRecord]] = (
            self.store.get_encoded_many
            if isinstance(self.store, EncodedRecordStore)
            else self.store.get_many
        )
        """Candidates' records, left encoded where the store can: verification decodes them,
        perhaps in another process."""

    def check_and_add(
        self, source: str, seg: Segmentation, sigs: Signatures, content_hash: str = ""
    ) -> PageMatches:
        """Verified near-duplicates and shared passages of this page among earlier pages.

        `content_hash` defaults to a fingerprint of the extracted text, so a page met again
        unchanged is recognised (`seen_before`) and a changed one replaces its old entry.
        """
        return self.check_and_add_input(match_input(source, seg, sigs, self.config, content_hash))

    def check_and_add_input(self, page: MatchInput) -> PageMatches:
        """`check_and_add` for a page whose record and keys were prepared elsewhere."""
        return verify(self.lookup_and_add(page), self.config)

    def lookup_and_add(self, page: MatchInput) -> Lookup:
        """The one step that needs the index: fetch the candidates' records, then add the page.

        Verification (`verify`) is left to the caller, so a scan can run it in its worker
        processes while this process goes on with later pages.
        """
        return self.lookup_and_add_many([page])[0]

    def lookup_and_add_many(self, pages: Sequence[MatchInput]) -> list[Lookup]:
        """`lookup_and_add` of each page in order, with the same results; a store that can
        (`memory://`) looks the pages up together, which a scan's chunks of pages allow."""
        found = check_and_add_many(
            self.store, [(page.record, page.page_keys, page.passage_keys) for page in pages]
        )
        return [
            self._lookup(page, candidates) for page, candidates in zip(pages, found, strict=True)
        ]

    def _lookup(self, page: MatchInput, candidates: Candidates) -> Lookup:
        passage_sources = candidates.passages_sharing(self.config.passage_min_shared_keys)
        return Lookup(
            page.record,
            tuple(self._read_records(candidates.pages)),
            tuple(self._read_records(passage_sources)),
            candidates.seen_before,
        )

    def remove(self, source: str) -> bool:
        """Forget a page so later pages no longer match it."""
        return self.store.remove(source)
