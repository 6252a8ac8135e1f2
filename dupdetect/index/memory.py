"""`memory://`: an index store that lives and dies with this process, for one scan or one test.

Band keys stay in memory, in one `BandTable` for page and passage keys (about 13 bytes a key of
a page: ~800 passage keys and 21 page keys for a 400-word page, ~11 KB). Records
(`PageRecord.to_bytes`, ~5 KB for a 400-word page) are read back only for the few candidates a
page has, so they are appended to an anonymous temporary file and read by offset: they cost
the process no memory, and the operating system keeps as much of the file cached as it can
spare.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from dupdetect.arrays import counted
from dupdetect.config import Config
from dupdetect.index.bands import BandTable
from dupdetect.index.base import (
    Candidates,
    EncodedRecord,
    PageRecord,
    PageToAdd,
    StoredRecord,
    store_settings,
)
from dupdetect.sign import distinct


class MemoryStore:
    """Band tables from key to page ids, and page id to an encoded record in a spill file."""

    def __init__(self, config: Config) -> None:
        self.settings: dict[str, Any] = store_settings(config)
        self._ids: dict[str, int] = {}
        self._source_by_id = np.empty(1024, dtype=object)
        """Page id -> source; an array so a page's candidates (hundreds of pages sharing some
        passage key, in a large scan) are named with one gather, not a dict lookup each."""
        self._spill = tempfile.TemporaryFile()  # noqa: SIM115 (open for the store's lifetime)
        self._spill_end = 0
        self._record_at: dict[int, tuple[int, int]] = {}
        self._content_hashes: dict[str, str] = {}
        self._bands = BandTable()
        self._next_id = 0

    def check_and_add(
        self, record: StoredRecord, page_keys: Iterable[int], passage_keys: Iterable[int]
    ) -> Candidates:
        return self.check_and_add_many([(record, page_keys, passage_keys)])[0]

    def check_and_add_many(self, pages: Sequence[PageToAdd]) -> list[Candidates]:
        """`check_and_add` of each page in order, new pages looked up together (see
        `BandTable.matches_then_add`); a page whose source is stored, or comes twice, is taken
        alone once the pages before it are in."""
        found: list[Candidates] = []
        new: list[tuple[StoredRecord, np.ndarray, np.ndarray]] = []
        for record, page_keys, passage_keys in pages:
            keys = distinct(_as_keys(page_keys)), distinct(_as_keys(passage_keys))
            if record.source in self._ids or any(record.source == r.source for r, *_ in new):
                found += self._add_new(new)
                new = []
                found.append(self._check_and_add_stored(record, *keys))
            else:
                new.append((record, *keys))
        return found + self._add_new(new)

    def _check_and_add_stored(
        self, record: StoredRecord, page_keys: np.ndarray, passage_keys: np.ndarray
    ) -> Candidates:
        """A page whose source may be stored: seen before if unchanged, else replaced."""
        if record.content_hash and self._content_hashes.get(record.source) == record.content_hash:
            keys = np.concatenate([page_keys, passage_keys])
            return self._candidates(keys, len(page_keys), self._ids[record.source], seen=True)
        self.remove(record.source)
        return self._add_new([(record, page_keys, passage_keys)])[0]

    def _add_new(
        self, pages: list[tuple[StoredRecord, np.ndarray, np.ndarray]]
    ) -> list[Candidates]:
        """Store pages whose sources are not stored, each looked up just before its own add."""
        if not pages:
            return []
        page_ids = list(range(self._next_id, self._next_id + len(pages)))
        self._next_id += len(pages)
        for page_id, (record, _, _) in zip(page_ids, pages, strict=True):
            self._ids[record.source] = page_id
            self._name(page_id, record.source)
            self._record_at[page_id] = self._append(record.to_bytes())
            self._content_hashes[record.source] = record.content_hash
        keys = [np.concatenate([page_keys, passage_keys]) for _, page_keys, passage_keys in pages]
        hits = self._bands.matches_then_add(keys, page_ids)
        return [
            self._split(page_ids, which, len(page_keys))
            for (page_ids, which), (_, page_keys, _) in zip(hits, pages, strict=True)
        ]

    def _candidates(
        self, keys: np.ndarray, page_key_count: int, skip: int = -1, seen: bool = False
    ) -> Candidates:
        """One lookup for both kinds of key, page keys first in `keys` (band salts keep the two
        kinds apart), split after."""
        page_ids, which = self._bands.matches(keys)
        keep = page_ids != skip
        return self._split(page_ids[keep], which[keep], page_key_count, seen)

    def _split(
        self, page_ids: np.ndarray, which: np.ndarray, page_key_count: int, seen: bool = False
    ) -> Candidates:
        """Hits (page id, index of the key hit) as candidates: near-duplicate candidates from
        the first `page_key_count` keys (the page keys), passage candidates from the rest."""
        by_page_key = which < page_key_count
        pages, _ = self._ranked(page_ids[by_page_key])
        passages, passage_hits = self._ranked(page_ids[~by_page_key])
        return Candidates(pages, passages, seen, passage_hits)

    def _ranked(self, page_ids: np.ndarray) -> tuple[tuple[str, ...], tuple[int, ...]]:
        """Sources of the distinct `page_ids` and how often each occurs (shared keys), most
        shared keys first, then oldest first."""
        ids, counts = counted(page_ids)
        order = np.lexsort((ids, -counts))
        return (
            tuple(self._source_by_id[ids[order]].tolist()),
            tuple(counts[order].tolist()),
        )

    def _name(self, page_id: int, source: str) -> None:
        if page_id >= len(self._source_by_id):
            grown = np.empty(2 * (page_id + 1), dtype=object)
            grown[: len(self._source_by_id)] = self._source_by_id
            self._source_by_id = grown
        self._source_by_id[page_id] = source

    def _append(self, data: bytes) -> tuple[int, int]:
        offset = self._spill_end
        os.pwrite(self._spill.fileno(), data, offset)
        self._spill_end += len(data)
        return offset, len(data)

    def get_many(self, sources: Sequence[str]) -> list[PageRecord]:
        return [PageRecord.from_bytes(data) for data in self._read_many(sources)]

    def get_encoded_many(self, sources: Sequence[str]) -> list[EncodedRecord]:
        return [EncodedRecord.of(data) for data in self._read_many(sources)]

    def _read_many(self, sources: Sequence[str]) -> list[bytes]:
        return [self._read(self._ids[source]) for source in sources if source in self._ids]

    def _read(self, page_id: int) -> bytes:
        offset, length = self._record_at[page_id]
        return os.pread(self._spill.fileno(), length, offset)

    def remove(self, source: str) -> bool:
        page_id = self._ids.pop(source, None)
        if page_id is None:
            return False
        del self._content_hashes[source]
        self._bands.remove(page_id)
        del self._record_at[page_id]
        self._source_by_id[page_id] = None
        return True

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, source: object) -> bool:
        return source in self._ids

    def close(self) -> None:
        """Drop the spill file; nothing is kept."""
        self._spill.close()


def _as_keys(keys: Iterable[int]) -> np.ndarray:
    """Band keys as a uint64 array, without a copy when they already are one (`Matcher`)."""
    if isinstance(keys, np.ndarray) and keys.dtype == np.uint64:
        return keys
    return np.fromiter(keys, dtype=np.uint64)
