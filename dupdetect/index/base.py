"""The index-store protocol: what a backend must do for the matcher, and the page record it keeps.

The matcher does all the thinking (band keys, verification, spans); a store only keeps page
records and maps band keys to the pages that carry them. That keeps backends small and easy to
write for SQLite or Redis: keys are plain 64-bit integers, records are opaque bytes
(`PageRecord.to_bytes`), and the one operation that must be atomic, "who shares a band with
this page, then add it", is a single call (`check_and_add`).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol, runtime_checkable

import numpy as np

from dupdetect.config import Config
from dupdetect.errors import IndexStoreError
from dupdetect.lsh import choose_bands
from dupdetect.model import Segmentation
from dupdetect.sign import HASH_SCHEME, Signatures

FORMAT_VERSION = 1
"""Version of the record layout and of `store_settings`; bump when either changes meaning."""

_MAGIC = b"DDP1"
_HEADER = struct.Struct("<4sIIIIIII")  # magic, 7 section lengths
_SPAN_DTYPE = np.dtype("<u4")
_HASH_DTYPE = np.dtype("<u4")
_RANGE_DTYPE = np.dtype("<u4")
_TEXT_LEVEL = 3
_SPAN_LEVEL = 1
"""zlib levels. Token offsets as uint32 words are mostly zero bytes, where levels above 1 spend
4x the time (~0.1 ms a page, a fifth of what a scan's worker spends after signing) for ~15%
fewer bytes. On text, level 3 costs what level 1 does and level 6 twice as much on a long web
page (0.37 against 0.20 ms for 12 KB) for 6% fewer bytes. Readers need no level."""


def page_lsh_shape(config: Config) -> tuple[int, int]:
    """`(bands, rows)` for page signatures: `Config.bands/rows` if set, else chosen for recall."""
    if config.bands and config.rows:
        return config.bands, config.rows
    return choose_bands(config.threshold, config.num_perm)


def passage_lsh_shape(config: Config) -> tuple[int, int]:
    """`(bands, rows)` for passage-unit signatures (see `Config.passage_bands`)."""
    return config.passage_bands, config.passage_rows


def store_settings(config: Config) -> dict[str, Any]:
    """Everything that changes what a stored key or record means; a store records it on
    creation and refuses to open with different settings (see `check_settings`)."""
    bands, rows = page_lsh_shape(config)
    passage_bands, passage_rows = passage_lsh_shape(config)
    return {
        "format_version": FORMAT_VERSION,
        "hash_scheme": HASH_SCHEME,
        "seed": config.seed,
        "shingle_words": config.shingle_words,
        "window_words": config.window_words,
        "window_stride": config.window_stride,
        "min_passage_words": config.min_passage_words,
        "num_perm": config.num_perm,
        "bands": bands,
        "rows": rows,
        "passage_num_perm": config.passage_num_perm,
        "passage_bands": passage_bands,
        "passage_rows": passage_rows,
    }


def check_settings(stored: dict[str, Any], config: Config, where: str) -> None:
    """Raise `IndexStoreError` naming the first setting that differs from the store's."""
    wanted = store_settings(config)
    for name, value in wanted.items():
        if stored.get(name) != value:
            raise IndexStoreError(
                f"index {where} was built with {name}={stored.get(name)!r}, "
                f"this run uses {value!r}; rebuild the index or use the same settings"
            )


@dataclass(frozen=True, eq=False)
class PageRecord:
    """What verification and excerpts need about one indexed page, in compact arrays.

    `to_bytes` keeps hashes and unit ranges raw (uint32) and the text and token offsets
    zlib-compressed: measured 5.1 KB for a 400-word page at the default settings (shingles
    1.6 KB, unit ranges 0.7 KB, page signature 0.5 KB, text and offsets ~2.3 KB).
    """

    source: str
    content_hash: str
    text: str
    token_spans: np.ndarray  # (n_tokens, 2) char offsets
    shingles: np.ndarray  # (n_shingles,) uint32, positional
    unit_ranges: np.ndarray  # (n_units, 2) token ranges
    page_signature: np.ndarray  # (num_perm,) uint32

    @classmethod
    def from_page(
        cls, source: str, seg: Segmentation, sigs: Signatures, content_hash: str = ""
    ) -> PageRecord:
        return cls(
            source=source,
            content_hash=content_hash,
            text=seg.text,
            token_spans=np.asarray(seg.token_spans, dtype=np.int64).reshape(-1, 2),
            shingles=sigs.shingles,
            unit_ranges=sigs.unit_ranges,
            page_signature=sigs.page_signature,
        )

    @property
    def n_tokens(self) -> int:
        return len(self.token_spans)

    def to_bytes(self) -> bytes:
        """Compact, versioned encoding: text and token offsets zlib-compressed, hashes raw.

        Computed once per record and kept (it travels with the record when pickled), so a scan's
        worker can pay for the compression instead of the one process that matches.
        """
        return self._encoded

    @cached_property
    def _encoded(self) -> bytes:
        spans = np.asarray(self.token_spans, dtype=np.int64).reshape(-1, 2)
        # Starts as deltas and lengths: small numbers that compress to about a byte each.
        span_words = np.concatenate([np.diff(spans[:, 0], prepend=0), spans[:, 1] - spans[:, 0]])
        sections = [
            self.source.encode("utf-8"),
            self.content_hash.encode("utf-8"),
            zlib.compress(self.text.encode("utf-8"), _TEXT_LEVEL),
            zlib.compress(span_words.astype(_SPAN_DTYPE).tobytes(), _SPAN_LEVEL),
            np.asarray(self.shingles, dtype=_HASH_DTYPE).tobytes(),
            np.asarray(self.unit_ranges, dtype=_RANGE_DTYPE).tobytes(),
            np.asarray(self.page_signature, dtype=_HASH_DTYPE).tobytes(),
        ]
        return _HEADER.pack(_MAGIC, *map(len, sections)) + b"".join(sections)

    def __reduce__(self) -> tuple[Any, tuple[bytes]]:
        """Pickled as its encoding: a third of the size of its arrays, and already computed, so
        records cross between a scan's processes cheaply."""
        return PageRecord.from_bytes, (self.to_bytes(),)

    def encoded(self) -> EncodedRecord:
        """This record as its encoding, for a process that will only store or forward it."""
        return EncodedRecord(self.to_bytes(), self.source, self.content_hash)

    @classmethod
    def from_bytes(cls, data: bytes) -> PageRecord:
        """The record `to_bytes` wrote; damaged bytes (a bad disk, a bad copy) raise a one-line
        `IndexStoreError` rather than whatever numpy, zlib or struct would."""
        try:
            record = cls._decode(data)
        except (struct.error, zlib.error, UnicodeDecodeError, ValueError) as error:
            raise _corrupt(error) from None
        record.__dict__["_encoded"] = bytes(data)  # `to_bytes` then costs nothing
        return record

    @classmethod
    def _decode(cls, data: bytes) -> PageRecord:
        lengths = _section_lengths(data)
        sections = _split_sections(memoryview(data)[_HEADER.size :], lengths)
        span_words = np.frombuffer(zlib.decompress(sections[3]), dtype=_SPAN_DTYPE).astype(np.int64)
        n_tokens = len(span_words) // 2
        starts = np.cumsum(span_words[:n_tokens])
        return cls(
            source=bytes(sections[0]).decode("utf-8"),
            content_hash=bytes(sections[1]).decode("utf-8"),
            text=zlib.decompress(sections[2]).decode("utf-8"),
            token_spans=np.stack([starts, starts + span_words[n_tokens:]], axis=1),
            shingles=np.frombuffer(sections[4], dtype=_HASH_DTYPE).astype(np.uint32),
            unit_ranges=np.frombuffer(sections[5], dtype=_RANGE_DTYPE)
            .astype(np.int64)
            .reshape(-1, 2),
            page_signature=np.frombuffer(sections[6], dtype=_HASH_DTYPE).astype(np.uint32),
        )


@dataclass(frozen=True, eq=False)
class EncodedRecord:
    """A `PageRecord` still encoded (`to_bytes`), with the source and content hash read from
    its header: all that storing a record, or passing it on, needs.

    A scan's matching process receives every page's record from a worker, stores it, and sends
    the records of its candidates back to a worker to verify; it never reads their text or
    arrays. Decoding (two zlib streams and five arrays, ~75 us for a 400-word page) is left to
    the reader (`decoded`), which would otherwise be paid there once per page and candidate.
    """

    data: bytes
    source: str
    content_hash: str

    @classmethod
    def of(cls, data: bytes) -> EncodedRecord:
        """The record `data` holds; only its header and identity are read (and checked)."""
        try:
            lengths = _section_lengths(data)
            source, content_hash = _split_sections(memoryview(data)[_HEADER.size :], lengths[:2])
            return cls(bytes(data), str(source, "utf-8"), str(content_hash, "utf-8"))
        except (struct.error, UnicodeDecodeError, ValueError) as error:
            raise _corrupt(error) from None

    def to_bytes(self) -> bytes:
        return self.data

    def encoded(self) -> EncodedRecord:
        return self

    def __reduce__(self) -> tuple[Any, tuple[bytes]]:
        """Pickled as its bytes alone (the header holds the rest)."""
        return EncodedRecord.of, (self.data,)


StoredRecord = PageRecord | EncodedRecord
"""A record as stores take it and the matcher passes it on: decoded or not."""


def decoded(record: StoredRecord) -> PageRecord:
    """The record with its text and arrays, decoding it if it is still encoded."""
    return PageRecord.from_bytes(record.data) if isinstance(record, EncodedRecord) else record


def _section_lengths(data: bytes) -> list[int]:
    """Lengths of a record's sections, from its header, checked against its size."""
    magic, *lengths = _HEADER.unpack_from(data)
    if magic != _MAGIC:
        raise IndexStoreError("index record has an unknown format")
    if _HEADER.size + sum(lengths) != len(data):
        raise ValueError("section lengths do not match the record")
    return lengths


def _corrupt(error: Exception) -> IndexStoreError:
    return IndexStoreError(f"index record is corrupt ({type(error).__name__}); rebuild the index")


def _split_sections(body: memoryview, lengths: Sequence[int]) -> list[memoryview]:
    sections, offset = [], 0
    for length in lengths:
        sections.append(body[offset : offset + length])
        offset += length
    return sections


@dataclass(frozen=True)
class Candidates:
    """Pages already in the store that share at least one band with the queried page.

    `pages` come from whole-page bands (near-duplicate candidates), `passages` from passage-unit
    bands (pages that may share a passage); each is ordered by the number of shared band keys,
    most first. None of them is verified yet. `seen_before` says the page was already stored
    with the same content hash: an unchanged page met again, which the store did not re-add.
    """

    pages: tuple[str, ...] = ()
    passages: tuple[str, ...] = ()
    seen_before: bool = False
    passage_hits: tuple[int, ...] = ()
    """How many distinct passage band keys each of `passages` shares with the page."""

    def passages_sharing(self, min_keys: int) -> tuple[str, ...]:
        """The passage candidates sharing at least `min_keys` band keys with the page."""
        return tuple(
            source
            for source, hits in zip(self.passages, self.passage_hits, strict=True)
            if hits >= min_keys
        )


@runtime_checkable
class IndexStore(Protocol):
    """A place that keeps page records and finds pages by band key.

    Implementations: `memory://` (`dupdetect.index.memory`), later SQLite and Redis. A store is
    created for one `store_settings(config)` and must refuse others.
    """

    settings: dict[str, Any]

    def check_and_add(
        self, record: StoredRecord, page_keys: Iterable[int], passage_keys: Iterable[int]
    ) -> Candidates:
        """Atomically: find the pages sharing any of the keys, then add `record` under them.

        A record whose source is already stored replaces it (its old keys are dropped first),
        unless both carry the same non-empty `content_hash`: then nothing is written and the
        result has `seen_before=True`. A page is never its own candidate.
        """
        ...

    def get_many(self, sources: Sequence[str]) -> list[PageRecord]:
        """The stored records of `sources`, in order, skipping sources no longer stored."""
        ...

    def remove(self, source: str) -> bool:
        """Forget one page and its keys; False if it was not stored."""
        ...

    def __len__(self) -> int: ...

    def __contains__(self, source: object) -> bool: ...

    def close(self) -> None:
        """Flush and release resources; the memory store forgets nothing until dropped."""
        ...


PageToAdd = tuple[StoredRecord, Iterable[int], Iterable[int]]
"""A page as `check_and_add` takes it: record, page band keys, passage band keys."""


@runtime_checkable
class BatchIndexStore(IndexStore, Protocol):
    """A store that can take several pages in one call (`memory://`): in a scan, where pages
    arrive a chunk at a time, one search of the index for a chunk's pages costs far less than
    one per page."""

    def check_and_add_many(self, pages: Sequence[PageToAdd]) -> list[Candidates]:
        """`check_and_add` of each page in order, with the same results."""
        ...


@runtime_checkable
class EncodedRecordStore(IndexStore, Protocol):
    """A store that can hand records back still encoded (`memory://`, `redis://`): the matcher
    passes candidates on to verification, which may run in another process, without decoding
    them where they are only forwarded."""

    def get_encoded_many(self, sources: Sequence[str]) -> list[EncodedRecord]:
        """`get_many`, each record left encoded."""
        ...


def check_and_add_many(store: IndexStore, pages: Sequence[PageToAdd]) -> list[Candidates]:
    """`store.check_and_add` of each page in order, in one call where the store has one."""
    if isinstance(store, BatchIndexStore):
        return store.check_and_add_many(pages)
    return [store.check_and_add(*page) for page in pages]
