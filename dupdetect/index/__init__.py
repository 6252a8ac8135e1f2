"""Index stores, chosen by a URL: `memory://`, `sqlite:///path.db`, `redis://host:port/db`.

`open_store(url, config)` is the only entry point the matcher and the CLI use, so backends (and
their client libraries) are imported only when their scheme is asked for.
"""

from __future__ import annotations

from dupdetect.config import Config
from dupdetect.errors import IndexStoreError
from dupdetect.index.base import (
    BatchIndexStore,
    Candidates,
    EncodedRecord,
    EncodedRecordStore,
    IndexStore,
    PageRecord,
    PageToAdd,
    StoredRecord,
    check_and_add_many,
    check_settings,
    decoded,
    page_lsh_shape,
    passage_lsh_shape,
    store_settings,
)

__all__ = [
    "BatchIndexStore",
    "Candidates",
    "EncodedRecord",
    "EncodedRecordStore",
    "IndexStore",
    "IndexStoreError",
    "PageRecord",
    "PageToAdd",
    "StoredRecord",
    "check_and_add_many",
    "check_settings",
    "decoded",
    "open_store",
    "page_lsh_shape",
    "passage_lsh_shape",
    "store_settings",
]


def open_store(url: str, config: Config) -> IndexStore:
    """The index store that `url` names, created for `config`'s signature settings."""
    scheme, separator, _ = url.partition("://")
    if not separator:
        raise IndexStoreError(f"index {url!r} is not a URL such as memory:// or sqlite:///path.db")
    if scheme == "memory":
        from dupdetect.index.memory import MemoryStore

        return MemoryStore(config)
    if scheme == "sqlite":
        from dupdetect.index.sqlite import open_sqlite

        return open_sqlite(url, config)
    if scheme in ("redis", "rediss"):
        from dupdetect.index.redis import open_redis

        return open_redis(url, config)
    raise IndexStoreError(
        f"unknown index scheme {scheme!r} in {url!r}; supported: memory://, sqlite://, redis://"
    )
