"""`redis://host:port/db?prefix=...`: one index shared by crawler processes on many machines.

URL options: `prefix=` (default `dupdetect:`; every key of the index starts with it, so several
indexes share one database), `detail=passages|pages` (see `dupdetect.index.options`) and
`timeout=S` (seconds to wait for the server, default 10). `rediss://` connects over TLS.

Atomicity: `check_and_add` is one Lua script (sent once, then called by its SHA), and Redis runs
a script start to finish with no other command in between, so "who shares a band with this
page, then add it" is a single step for every client of the server. Two near-duplicates sent at
the same moment from two machines are therefore ordered: the second finds the first. (A
MULTI/EXEC transaction could not do this in one round trip: its writes cannot depend on reads
made inside it.) The scripts touch keys they compute from the prefix, which a single Redis
server allows; a Redis Cluster would need every key of an index in one hash slot, e.g. a prefix
written as `{crawl}:`.

Layout under the prefix: `settings` (JSON), `next` (page-id counter), hashes `ids` (source to
id), `pages` (id to source), `hashes`, `records`, `pagekeys`, `passagekeys` (id to content hash,
encoded record and the page's band keys as 8-byte strings), and one set of page ids per band
key: `bp:<8 bytes>` for page bands, `bs:<8 bytes>` for passage bands.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

import numpy as np

from dupdetect.config import Config
from dupdetect.errors import IndexStoreError
from dupdetect.index.base import (
    Candidates,
    EncodedRecord,
    PageRecord,
    StoredRecord,
    check_settings,
    store_settings,
)
from dupdetect.index.options import (
    DETAIL_SETTING,
    Detail,
    choose_detail,
    kept_record,
    parse_detail,
    positive_seconds,
    single_options,
    without_password,
)

if TYPE_CHECKING:
    import redis

DEFAULT_PREFIX = "dupdetect:"
_OPTIONS = {"prefix", DETAIL_SETTING, "timeout"}
_DEFAULT_TIMEOUT = 10.0

# Shared by both scripts: drop page `id` and every bucket entry it has.
_UNLINK = """
local function unlink(prefix, id)
  for _, kind in ipairs({'p', 's'}) do
    local field = kind == 'p' and 'pagekeys' or 'passagekeys'
    local blob = redis.call('HGET', prefix .. field, id) or ''
    for i = 1, #blob, 8 do
      redis.call('SREM', prefix .. 'b' .. kind .. ':' .. string.sub(blob, i, i + 7), id)
    end
    redis.call('HDEL', prefix .. field, id)
  end
  local source = redis.call('HGET', prefix .. 'pages', id)
  redis.call('HDEL', prefix .. 'pages', id)
  redis.call('HDEL', prefix .. 'hashes', id)
  redis.call('HDEL', prefix .. 'records', id)
  redis.call('HDEL', prefix .. 'ids', source)
end
"""

# ARGV: prefix, source, content hash, record, page keys, passage keys (8 bytes each).
# Returns {seen_before, {source, count, id, ...} for page bands, the same for passage bands}.
_CHECK_AND_ADD = (
    _UNLINK
    + """
local prefix, source, hash, record = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local page_keys, passage_keys = ARGV[5], ARGV[6]

local function lookup(kind, blob, skip)
  local counts = {}
  for i = 1, #blob, 8 do
    local bucket = prefix .. 'b' .. kind .. ':' .. string.sub(blob, i, i + 7)
    local members = redis.call('SMEMBERS', bucket)
    for _, id in ipairs(members) do
      if id ~= skip then counts[id] = (counts[id] or 0) + 1 end
    end
  end
  local found = {}
  for id, count in pairs(counts) do
    found[#found + 1] = redis.call('HGET', prefix .. 'pages', id)
    found[#found + 1] = count
    found[#found + 1] = tonumber(id)
  end
  return found
end

local old = redis.call('HGET', prefix .. 'ids', source)
if old and hash ~= '' and redis.call('HGET', prefix .. 'hashes', old) == hash then
  return {1, lookup('p', page_keys, old), lookup('s', passage_keys, old)}
end
if old then unlink(prefix, old) end
local result = {0, lookup('p', page_keys, false), lookup('s', passage_keys, false)}
local id = tostring(redis.call('INCR', prefix .. 'next'))
redis.call('HSET', prefix .. 'ids', source, id)
redis.call('HSET', prefix .. 'pages', id, source)
redis.call('HSET', prefix .. 'hashes', id, hash)
redis.call('HSET', prefix .. 'records', id, record)
redis.call('HSET', prefix .. 'pagekeys', id, page_keys)
redis.call('HSET', prefix .. 'passagekeys', id, passage_keys)
for kind, blob in pairs({p = page_keys, s = passage_keys}) do
  for i = 1, #blob, 8 do
    redis.call('SADD', prefix .. 'b' .. kind .. ':' .. string.sub(blob, i, i + 7), id)
  end
end
return result
"""
)

# ARGV: prefix, source. Returns 1 if the page was stored.
_REMOVE = (
    _UNLINK
    + """
local id = redis.call('HGET', ARGV[1] .. 'ids', ARGV[2])
if not id then return 0 end
unlink(ARGV[1], id)
return 1
"""
)

# ARGV: prefix, sources... Returns each source's record, or nil: one consistent snapshot.
_GET_MANY = """
local records = {}
for i = 2, #ARGV do
  local id = redis.call('HGET', ARGV[1] .. 'ids', ARGV[i])
  records[i - 1] = id and redis.call('HGET', ARGV[1] .. 'records', id) or false
end
return records
"""


def open_redis(url: str, config: Config) -> RedisStore:
    """The store a `redis://host:port/db?prefix=...` URL names (see the module docstring)."""
    parts = urlsplit(url)
    shown = without_password(url)
    options = single_options(parse_qs(parts.query, keep_blank_values=True), _OPTIONS, shown)
    prefix = options.get("prefix", DEFAULT_PREFIX)
    if not prefix:
        raise IndexStoreError(f"index {shown}: prefix must not be empty")
    return RedisStore(
        urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")),
        config,
        prefix=prefix,
        detail=parse_detail(options, shown),
        timeout=positive_seconds(options, "timeout", _DEFAULT_TIMEOUT, shown),
    )


class RedisStore:
    """Pages and band buckets under one key prefix of a Redis database (layout: module doc)."""

    def __init__(
        self,
        server_url: str,
        config: Config,
        *,
        prefix: str = DEFAULT_PREFIX,
        detail: Detail | None = None,
        timeout: float = _DEFAULT_TIMEOUT,
    ) -> None:
        self.url = f"{without_password(server_url)}?prefix={prefix}"
        self.prefix = prefix
        self._client = _connect(server_url, timeout, self.url)
        try:
            stored = self._initialise(store_settings(config), detail)
            check_settings(stored, config, self.url)
            self.detail = choose_detail(stored.get(DETAIL_SETTING), detail, self.url)
        except BaseException:
            self._client.close()
            raise
        self.settings: dict[str, Any] = stored
        self._check_and_add = self._client.register_script(_CHECK_AND_ADD)
        self._remove = self._client.register_script(_REMOVE)
        self._get_many = self._client.register_script(_GET_MANY)

    def _initialise(self, settings: dict[str, Any], detail: Detail | None) -> dict[str, Any]:
        """Record the settings unless another client did first (SET NX); return the recorded."""
        created = {**settings, DETAIL_SETTING: (detail or Detail.PASSAGES).value}
        key = self.prefix + "settings"
        with self._errors("open"):
            self._client.set(key, json.dumps(created), nx=True)
            recorded = self._client.get(key)
        try:
            return dict(json.loads(recorded))
        except (TypeError, ValueError):
            raise IndexStoreError(f"cannot open index {self.url}: unreadable settings") from None

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """Turn the client's errors into one-line `IndexStoreError`s naming the index."""
        import redis

        try:
            yield
        except redis.RedisError as error:
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise IndexStoreError(f"index {self.url}: cannot {doing}: {reason}") from None

    # --- the store protocol -------------------------------------------------------------------

    def check_and_add(
        self, record: StoredRecord, page_keys: Iterable[int], passage_keys: Iterable[int]
    ) -> Candidates:
        kept = kept_record(record, self.detail)
        passages = _key_bytes(passage_keys) if self.detail is Detail.PASSAGES else b""
        arguments = [
            self.prefix,
            record.source,
            record.content_hash,
            kept.to_bytes(),
            _key_bytes(page_keys),
            passages,
        ]
        with self._errors("add a page"):
            seen, page_hits, passage_hits = self._check_and_add(args=arguments)
        pages, _ = _ranked(page_hits)
        passages, passage_counts = _ranked(passage_hits)
        return Candidates(pages, passages, bool(seen), passage_counts)

    def get_many(self, sources: Sequence[str]) -> list[PageRecord]:
        return [PageRecord.from_bytes(blob) for blob in self._read_many(sources)]

    def get_encoded_many(self, sources: Sequence[str]) -> list[EncodedRecord]:
        return [EncodedRecord.of(blob) for blob in self._read_many(sources)]

    def _read_many(self, sources: Sequence[str]) -> list[bytes]:
        if not sources:
            return []
        with self._errors("read pages"):
            blobs = self._get_many(args=[self.prefix, *sources])
        return [blob for blob in blobs if blob is not None]

    def remove(self, source: str) -> bool:
        with self._errors("remove a page"):
            return bool(self._remove(args=[self.prefix, source]))

    def __len__(self) -> int:
        with self._errors("count pages"):
            return int(self._client.hlen(self.prefix + "ids"))

    def __contains__(self, source: object) -> bool:
        if not isinstance(source, str):
            return False
        with self._errors("look up a page"):
            return bool(self._client.hexists(self.prefix + "ids", source))

    def drop(self) -> int:
        """Delete every key under the prefix (the whole index); returns how many went."""
        dropped = 0
        with self._errors("drop the index"):
            pattern = _glob_escape(self.prefix) + "*"
            batch: list[bytes] = []
            for key in self._client.scan_iter(match=pattern, count=10_000):
                batch.append(key)
                if len(batch) == 10_000:
                    dropped += self._client.unlink(*batch)
                    batch.clear()
            if batch:
                dropped += self._client.unlink(*batch)
        return dropped

    def close(self) -> None:
        """Release the connection pool; every page is already on the server."""
        self._client.close()

    def __enter__(self) -> RedisStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _connect(server_url: str, timeout: float, url: str) -> redis.Redis:
    """A client that has answered PING, or a one-line error saying why there is none."""
    try:
        import redis
    except ImportError:
        raise IndexStoreError(
            f"index {url} needs the redis client: pip install 'dupdetect[redis]'"
        ) from None
    try:
        client = redis.Redis.from_url(
            server_url, socket_timeout=timeout, socket_connect_timeout=timeout
        )
        client.ping()
    except (redis.RedisError, ValueError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise IndexStoreError(f"cannot reach index {url}: {reason}") from None
    return client


def _key_bytes(keys: Iterable[int]) -> bytes:
    """Distinct band keys as consecutive 8-byte strings, the form the scripts slice."""
    return np.unique(np.fromiter(keys, dtype=np.uint64)).astype("<u8").tobytes()


def _ranked(hits: list[Any]) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Sources and their shared-key counts from a script's flat (source, count, id) triples:
    most shared keys first, then oldest page first, the order the other stores give."""
    triples = [(hits[i], int(hits[i + 1]), int(hits[i + 2])) for i in range(0, len(hits), 3)]
    triples.sort(key=lambda triple: (-triple[1], triple[2]))
    sources = tuple(source.decode("utf-8") for source, _, _ in triples)
    return sources, tuple(count for _, count, _ in triples)


def _glob_escape(text: str) -> str:
    """`text` matched literally in a Redis SCAN pattern."""
    return "".join("\\" + char if char in "*?[]\\" else char for char in text)
