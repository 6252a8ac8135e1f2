"""`sqlite:///path.db`: the embedded store for crawlers, safe for many threads and processes.

URL: `sqlite:///relative/path.db` or `sqlite:////absolute/path.db`, with options
`?batch=N` (commit every N pages, default 1), `?detail=passages|pages` (see
`dupdetect.index.options`) and `?timeout=S` (seconds to wait for another writer, default 30).

Atomicity: every `check_and_add` runs inside `BEGIN IMMEDIATE`, which takes SQLite's single
write lock *before* the lookup, so the lookup and the insert form one step for every thread and
every process using the file: of two near-duplicates submitted at once, the second to get the
lock finds the first. The journal is WAL, so readers never block the writer.

Durability: with `batch=1` each page is committed before `check_and_add` returns; WAL with
`synchronous=NORMAL` keeps every committed page through a killed process (not through a power
cut, which may lose the last few commits but never corrupts the file). `batch=N` commits every N
pages and on `close()`: several times faster, but a killed process loses up to N-1 pages that
were already reported, and the writer holds the lock between commits, so other processes wait
for its batch. Use it for one writer filling an index quickly, keep the default for a fleet.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import numpy as np

from dupdetect.config import Config
from dupdetect.errors import IndexStoreError
from dupdetect.index.base import (
    Candidates,
    PageRecord,
    StoredRecord,
    check_settings,
    decoded,
    store_settings,
)
from dupdetect.index.options import (
    DETAIL_SETTING,
    Detail,
    choose_detail,
    kept_record,
    parse_detail,
    positive_int,
    positive_seconds,
    single_options,
)

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS pages ("
    " id INTEGER PRIMARY KEY, source TEXT NOT NULL UNIQUE, content_hash TEXT NOT NULL,"
    " page_keys BLOB NOT NULL, passage_keys BLOB NOT NULL, record BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS page_buckets ("
    " key INTEGER NOT NULL, page INTEGER NOT NULL, PRIMARY KEY (key, page)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS passage_buckets ("
    " key INTEGER NOT NULL, page INTEGER NOT NULL, PRIMARY KEY (key, page)) WITHOUT ROWID",
)
_BUCKET_TABLES = ("page_buckets", "passage_buckets")
_QUERY_CHUNK = 5000
"""Keys per `IN (...)` query: far below SQLite's 32,766 bound parameters."""
_OPTIONS = {"batch", DETAIL_SETTING, "timeout"}
_DEFAULT_TIMEOUT = 30.0


def open_sqlite(url: str, config: Config) -> SqliteStore:
    """The store a `sqlite:///path.db?...` URL names (see the module docstring)."""
    parts = urlsplit(url)
    if parts.netloc or len(parts.path) < 2:
        raise IndexStoreError(
            f"index {url!r}: write sqlite:///relative.db or sqlite:////absolute/path.db"
        )
    options = single_options(parse_qs(parts.query, keep_blank_values=True), _OPTIONS, url)
    return SqliteStore(
        Path(parts.path[1:]),
        config,
        batch=positive_int(options, "batch", 1, url),
        detail=parse_detail(options, url),
        timeout=positive_seconds(options, "timeout", _DEFAULT_TIMEOUT, url),
        url=url,
    )


class SqliteStore:
    """Pages, their band keys and their records in one SQLite file (schema in `_SCHEMA`).

    One connection per store, guarded by a lock, so a store may be shared by threads; separate
    processes each open their own and meet at SQLite's write lock.
    """

    def __init__(
        self,
        path: Path,
        config: Config,
        *,
        batch: int = 1,
        detail: Detail | None = None,
        timeout: float = _DEFAULT_TIMEOUT,
        url: str = "",
    ) -> None:
        self.url = url or f"sqlite:///{path}"
        self.path = path
        self.batch = batch
        self._lock = threading.RLock()
        self._pending = 0
        self._connection = self._connect(timeout)
        try:
            stored = self._initialise(store_settings(config), detail)
            check_settings(stored, config, self.url)
            self.detail = choose_detail(stored.get(DETAIL_SETTING), detail, self.url)
        except BaseException:
            self._connection.close()
            raise
        self.settings: dict[str, Any] = stored

    # --- opening -------------------------------------------------------------------------

    def _connect(self, timeout: float) -> sqlite3.Connection:
        if self.path.is_dir():
            raise IndexStoreError(f"cannot open index {self.url}: {self.path} is a directory")
        try:
            connection = sqlite3.connect(
                self.path, timeout=timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as error:
            raise IndexStoreError(f"cannot open index {self.url}: {error}") from None
        return connection

    def _initialise(self, settings: dict[str, Any], detail: Detail | None) -> dict[str, Any]:
        """Create the schema and record the settings on first use; return the recorded ones."""
        try:
            self._connection.execute("PRAGMA journal_mode=WAL")
            self._connection.execute("PRAGMA synchronous=NORMAL")
            with self._transaction():
                for statement in _SCHEMA:
                    self._connection.execute(statement)
                row = self._connection.execute(
                    "SELECT value FROM meta WHERE name = 'settings'"
                ).fetchone()
                if row is not None:
                    return dict(json.loads(row[0]))
                created = {**settings, DETAIL_SETTING: (detail or Detail.PASSAGES).value}
                self._connection.execute(
                    "INSERT INTO meta VALUES ('settings', ?)", (json.dumps(created),)
                )
                return created
        except sqlite3.Error as error:
            raise IndexStoreError(f"cannot open index {self.url}: {error}") from None
        except (ValueError, TypeError):
            raise IndexStoreError(f"cannot open index {self.url}: unreadable settings") from None

    # --- transactions ----------------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One atomic write: takes the write lock first, commits or rolls back on exit."""
        self._connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._connection.execute("ROLLBACK")
            raise
        self._connection.execute("COMMIT")

    @contextmanager
    def _batched(self) -> Iterator[None]:
        """A transaction that stays open until `batch` pages are in (then commits)."""
        if self._pending == 0:
            self._connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._pending = 0
            self._connection.execute("ROLLBACK")
            raise
        self._pending += 1
        if self._pending >= self.batch:
            self._commit()

    def _commit(self) -> None:
        if self._pending:
            self._pending = 0
            self._connection.execute("COMMIT")

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """Turn SQLite's errors into one-line `IndexStoreError`s naming the index."""
        try:
            yield
        except sqlite3.Error as error:
            raise IndexStoreError(f"index {self.url}: cannot {doing}: {error}") from None

    # --- the store protocol -------------------------------------------------------------------

    def check_and_add(
        self, record: StoredRecord, page_keys: Iterable[int], passage_keys: Iterable[int]
    ) -> Candidates:
        page_keys_db = _signed(page_keys)
        passage_keys_db = _signed(passage_keys) if self.detail is Detail.PASSAGES else []
        with self._lock, self._errors("add a page"), self._batched():
            stored = self._connection.execute(
                "SELECT id, content_hash FROM pages WHERE source = ?", (record.source,)
            ).fetchone()
            if stored is not None and record.content_hash and stored[1] == record.content_hash:
                return self._candidates(page_keys_db, passage_keys_db, exclude=stored[0], seen=True)
            if stored is not None:
                self._delete(stored[0])
            candidates = self._candidates(page_keys_db, passage_keys_db)
            self._insert(kept_record(record, self.detail), page_keys_db, passage_keys_db)
            return candidates

    def _candidates(
        self,
        page_keys: list[int],
        passage_keys: list[int],
        exclude: int | None = None,
        seen: bool = False,
    ) -> Candidates:
        pages, _ = self._lookup("page_buckets", page_keys, exclude)
        passages, passage_hits = self._lookup("passage_buckets", passage_keys, exclude)
        return Candidates(pages, passages, seen, passage_hits)

    def _lookup(
        self, table: str, keys: list[int], exclude: int | None
    ) -> tuple[tuple[str, ...], tuple[int, ...]]:
        """Sources sharing any key and how many keys each shares, most shared keys first (ties:
        oldest page first)."""
        hits: Counter[tuple[int, str]] = Counter()
        for chunk in _chunks(keys):
            rows = self._connection.execute(
                f"SELECT b.page, p.source, COUNT(*) FROM {table} AS b"
                " JOIN pages AS p ON p.id = b.page"
                f" WHERE b.key IN ({_marks(chunk)}) GROUP BY b.page",
                chunk,
            )
            for page, source, count in rows:
                hits[page, source] += count
        ranked = [
            (source, count)
            for (page, source), count in sorted(hits.items(), key=lambda i: (-i[1], i[0][0]))
            if page != exclude
        ]
        return tuple(source for source, _ in ranked), tuple(count for _, count in ranked)

    def _insert(self, record: StoredRecord, page_keys: list[int], passage_keys: list[int]) -> None:
        """Add a page; its record is stored without the source and hash its row already has."""
        cursor = self._connection.execute(
            "INSERT INTO pages (source, content_hash, page_keys, passage_keys, record)"
            " VALUES (?, ?, ?, ?, ?)",
            (
                record.source,
                record.content_hash,
                _key_blob(page_keys),
                _key_blob(passage_keys),
                replace(decoded(record), source="", content_hash="").to_bytes(),
            ),
        )
        page_id = cursor.lastrowid
        for table, keys in zip(_BUCKET_TABLES, (page_keys, passage_keys), strict=True):
            if keys:
                self._connection.executemany(
                    f"INSERT OR IGNORE INTO {table} (key, page) VALUES (?, ?)",
                    ((key, page_id) for key in keys),
                )

    def _delete(self, page_id: int) -> None:
        page_keys, passage_keys = self._connection.execute(
            "SELECT page_keys, passage_keys FROM pages WHERE id = ?", (page_id,)
        ).fetchone()
        for table, blob in zip(_BUCKET_TABLES, (page_keys, passage_keys), strict=True):
            self._connection.executemany(
                f"DELETE FROM {table} WHERE key = ? AND page = ?",
                ((key, page_id) for key in np.frombuffer(blob, dtype="<i8").tolist()),
            )
        self._connection.execute("DELETE FROM pages WHERE id = ?", (page_id,))

    def get_many(self, sources: Sequence[str]) -> list[PageRecord]:
        if not sources:
            return []
        found: dict[str, PageRecord] = {}
        with self._lock, self._errors("read pages"):
            for chunk in _chunks(list(sources)):
                rows = self._connection.execute(
                    "SELECT source, content_hash, record FROM pages"
                    f" WHERE source IN ({_marks(chunk)})",
                    chunk,
                )
                for source, content_hash, blob in rows:
                    record = PageRecord.from_bytes(blob)
                    found[source] = replace(record, source=source, content_hash=content_hash)
        return [found[source] for source in sources if source in found]

    def remove(self, source: str) -> bool:
        with self._lock, self._errors("remove a page"), self._batched():
            row = self._connection.execute(
                "SELECT id FROM pages WHERE source = ?", (source,)
            ).fetchone()
            if row is not None:
                self._delete(row[0])
            return row is not None

    def __len__(self) -> int:
        with self._lock, self._errors("count pages"):
            return int(self._connection.execute("SELECT COUNT(*) FROM pages").fetchone()[0])

    def __contains__(self, source: object) -> bool:
        if not isinstance(source, str):
            return False
        with self._lock, self._errors("look up a page"):
            query = "SELECT 1 FROM pages WHERE source = ?"
            return self._connection.execute(query, (source,)).fetchone() is not None

    def close(self) -> None:
        """Commit a pending batch and release the file; closing twice is harmless."""
        with self._lock, self._errors("commit"):
            self._commit()
            self._connection.close()

    def __enter__(self) -> SqliteStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _signed(keys: Iterable[int]) -> list[int]:
    """Distinct uint64 band keys as the signed 64-bit integers SQLite stores (same bits)."""
    unique = np.unique(np.fromiter(keys, dtype=np.uint64))
    return unique.view(np.int64).tolist()


def _key_blob(keys: list[int]) -> bytes:
    return np.asarray(keys, dtype="<i8").tobytes()


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


def _chunks(values: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(values), _QUERY_CHUNK):
        yield values[start : start + _QUERY_CHUNK]
