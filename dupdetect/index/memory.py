"""`memory://`: an index store in this process's memory, for one scan or one test.

Records are kept encoded (`PageRecord.to_bytes`, ~5 KB for a 400-word page) rather than as
objects with numpy arrays. Band buckets are Python dicts of lists of page ids, which dominate
at scale: measured ~175 bytes per (key, page) entry, and a 400-word page has 21 page keys and
~1,700 distinct passage keys (32 bands x 2 rows over ~85 units), so ~300 KB per page. Fine
for thousands of pages; a 100k-page scan needs an on-disk store or fewer passage bands.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from dupdetect.config import Config
from dupdetect.index.base import Candidates, PageRecord, store_settings
from dupdetect.sign import distinct


class MemoryStore:
    """Dictionaries from band key to page ids, and from page id to encoded record."""

    def __init__(self, config: Config) -> None:
        self.settings: dict[str, Any] = store_settings(config)
        self._ids: dict[str, int] = {}
        self._sources: dict[int, str] = {}
        self._records: dict[int, bytes] = {}
        self._content_hashes: dict[str, str] = {}
        self._keys: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._page_buckets: dict[int, list[int]] = {}
        self._passage_buckets: dict[int, list[int]] = {}
        self._next_id = 0

    def check_and_add(
        self, record: PageRecord, page_keys: Iterable[int], passage_keys: Iterable[int]
    ) -> Candidates:
        page_keys = distinct(np.fromiter(page_keys, dtype=np.uint64))
        passage_keys = distinct(np.fromiter(passage_keys, dtype=np.uint64))
        if record.content_hash and self._content_hashes.get(record.source) == record.content_hash:
            own_id = self._ids[record.source]
            return Candidates(
                pages=self._lookup(self._page_buckets, page_keys, skip=own_id),
                passages=self._lookup(self._passage_buckets, passage_keys, skip=own_id),
                seen_before=True,
            )
        self.remove(record.source)
        candidates = Candidates(
            pages=self._lookup(self._page_buckets, page_keys),
            passages=self._lookup(self._passage_buckets, passage_keys),
        )
        page_id = self._next_id
        self._next_id += 1
        self._ids[record.source] = page_id
        self._sources[page_id] = record.source
        self._records[page_id] = record.to_bytes()
        self._content_hashes[record.source] = record.content_hash
        self._keys[page_id] = (page_keys, passage_keys)
        _add(self._page_buckets, page_keys, page_id)
        _add(self._passage_buckets, passage_keys, page_id)
        return candidates

    def _lookup(
        self, buckets: dict[int, list[int]], keys: np.ndarray, skip: int = -1
    ) -> tuple[str, ...]:
        hits = Counter(
            page_id for key in keys.tolist() for page_id in buckets.get(key, ()) if page_id != skip
        )
        ranked = sorted(hits.items(), key=lambda item: (-item[1], item[0]))
        return tuple(self._sources[page_id] for page_id, _ in ranked)

    def get_many(self, sources: Sequence[str]) -> list[PageRecord]:
        return [
            PageRecord.from_bytes(self._records[self._ids[source]])
            for source in sources
            if source in self._ids
        ]

    def remove(self, source: str) -> bool:
        page_id = self._ids.pop(source, None)
        if page_id is None:
            return False
        del self._content_hashes[source]
        page_keys, passage_keys = self._keys.pop(page_id)
        _discard(self._page_buckets, page_keys, page_id)
        _discard(self._passage_buckets, passage_keys, page_id)
        del self._records[page_id]
        del self._sources[page_id]
        return True

    def entries(self) -> int:
        """(key, page) entries held in the band buckets: the store's main memory cost."""
        return sum(len(keys[0]) + len(keys[1]) for keys in self._keys.values())

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, source: object) -> bool:
        return source in self._ids

    def close(self) -> None:
        """Nothing to flush: the store lives and dies with the process."""


def _add(buckets: dict[int, list[int]], keys: np.ndarray, page_id: int) -> None:
    for key in keys.tolist():
        buckets.setdefault(key, []).append(page_id)


def _discard(buckets: dict[int, list[int]], keys: np.ndarray, page_id: int) -> None:
    for key in keys.tolist():
        bucket = buckets[key]
        bucket.remove(page_id)
        if not bucket:
            del buckets[key]
