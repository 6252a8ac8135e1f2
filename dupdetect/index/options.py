"""What the persistent stores (SQLite, Redis) share: URL options and the two levels of detail.

A store keeps pages at one of two levels of detail, chosen by the URL's `detail=` option:

* `passages` (default): the whole `PageRecord` (text, positional shingles, passage units) and
  every passage band key. Results are exactly those of `memory://`: near-duplicates verified
  with the exact Jaccard of the shingle sets, shared passages with their excerpts. The price is
  the passage keys: about 800 distinct keys for a 400-word page, each a row in SQLite or a set
  member in Redis (benchmarks/bench_index.py measures the bytes a page).
* `pages`: only the page signature and its page band keys, about 1 KB a page. Enough for what
  a crawler asks ("have I seen this page, or one nearly like it?"); near-duplicates are then
  verified with the MinHash estimate of the Jaccard similarity (standard error about 0.035 at
  0.8 with 128 permutations) and no shared passages are reported against stored pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from urllib.parse import urlsplit, urlunsplit

import numpy as np

from dupdetect.errors import IndexStoreError
from dupdetect.index.base import PageRecord, StoredRecord, decoded


class Detail(Enum):
    """How much of each page a persistent store keeps (see the module docstring)."""

    PASSAGES = "passages"
    PAGES = "pages"


DETAIL_SETTING = "detail"
"""Name under which a store records its level of detail next to `store_settings`."""


def parse_detail(options: Mapping[str, str], url: str) -> Detail | None:
    """The `detail=` option of a store URL, or None when the URL leaves it to the store."""
    value = options.get(DETAIL_SETTING)
    if value is None:
        return None
    try:
        return Detail(value)
    except ValueError:
        choices = ", ".join(detail.value for detail in Detail)
        raise IndexStoreError(f"index {url}: detail={value!r} is not one of {choices}") from None


def choose_detail(stored: str | None, wanted: Detail | None, url: str) -> Detail:
    """The store's detail: the recorded one, which a URL may repeat but not contradict."""
    if stored is None:
        return wanted or Detail.PASSAGES
    if wanted is not None and wanted.value != stored:
        raise IndexStoreError(
            f"index {url} keeps detail={stored!r}, the URL asks for {wanted.value!r}; "
            "rebuild the index or drop the detail option"
        )
    return Detail(stored)


def single_options(query: Mapping[str, list[str]], allowed: set[str], url: str) -> dict[str, str]:
    """URL query parameters as one value each, refusing names the store does not know."""
    unknown = sorted(set(query) - allowed)
    if unknown:
        raise IndexStoreError(
            f"index {url}: unknown option {unknown[0]!r}; known: {', '.join(sorted(allowed))}"
        )
    return {name: values[-1] for name, values in query.items()}


def positive_int(options: Mapping[str, str], name: str, default: int, url: str) -> int:
    """An integer option >= 1, with a one-line error naming it when it is not."""
    value = options.get(name)
    if value is None:
        return default
    if not value.isdigit() or int(value) < 1:
        raise IndexStoreError(f"index {url}: {name}={value!r} must be a whole number >= 1")
    return int(value)


def positive_seconds(options: Mapping[str, str], name: str, default: float, url: str) -> float:
    """A duration option in seconds (> 0), with a one-line error naming it when it is not."""
    value = options.get(name)
    if value is None:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds > 0:
        raise IndexStoreError(f"index {url}: {name}={value!r} must be a number of seconds > 0")
    return seconds


def without_password(url: str) -> str:
    """`url` fit for messages and logs: a password in it is replaced by `***`."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def kept_record(record: StoredRecord, detail: Detail) -> StoredRecord:
    """The part of `record` a store at `detail` keeps: all of it, or the signature only."""
    if detail is Detail.PASSAGES:
        return record
    return PageRecord(
        source=record.source,
        content_hash=record.content_hash,
        text="",
        token_spans=np.zeros((0, 2), dtype=np.int64),
        shingles=np.zeros(0, dtype=np.uint32),
        unit_ranges=np.zeros((0, 2), dtype=np.int64),
        page_signature=decoded(record).page_signature,
    )
