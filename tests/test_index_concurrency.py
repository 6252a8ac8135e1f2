"""Many writers at once on one persistent index: threads, processes, and a writer killed mid-run.

Every worker opens its own detector (its own connection), so nothing but the store itself
(SQLite's write lock, Redis's atomic scripts) keeps two near-duplicates submitted at the same
moment from missing each other.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from index_helpers import (
    Outcome,
    Page,
    assert_each_pair_found_once,
    crash_writer_command,
    near_duplicate_pairs,
    redis_server_url,
    split_between_workers,
    submit_from_processes,
    submit_from_threads,
)

from dupdetect import DEFAULT_CONFIG
from dupdetect.index.redis import RedisStore, open_redis
from dupdetect.index.sqlite import open_sqlite

Submit = Callable[[str, list[list[Page]]], list[Outcome]]
UNIT_PAIRS = 200
FULL_PAIRS = 2000


@pytest.fixture(params=["sqlite", "redis"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh index of each persistent kind, removed afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'index.db'}"
        return
    url = f"{redis_server_url()}?prefix=test-{uuid.uuid4().hex}:"
    yield url
    with open_redis(url, DEFAULT_CONFIG) as store:
        store.drop()


def assert_each_page_stored_once(url: str, pages: int) -> None:
    if url.startswith("sqlite"):
        with open_sqlite(url, DEFAULT_CONFIG) as store:
            assert len(store) == pages
        _assert_sqlite_consistent(url.removeprefix("sqlite:///").partition("?")[0])
    else:
        with open_redis(url, DEFAULT_CONFIG) as store:
            assert len(store) == pages
            _assert_redis_consistent(store)


def _assert_sqlite_consistent(path: str) -> None:
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) = COUNT(DISTINCT source) FROM pages").fetchone()[0]
        orphans = "SELECT COUNT(*) FROM page_buckets WHERE page NOT IN (SELECT id FROM pages)"
        assert db.execute(orphans).fetchone()[0] == 0


def _assert_redis_consistent(store: RedisStore) -> None:
    client, prefix = store._client, store.prefix
    sizes = {name: client.hlen(prefix + name) for name in ("ids", "pages", "records", "hashes")}
    assert len(set(sizes.values())) == 1, sizes


@pytest.mark.parametrize("submit", [submit_from_threads, submit_from_processes])
def test_near_duplicates_submitted_at_once_are_each_found_once(
    store_url: str, submit: Submit
) -> None:
    pairs = near_duplicate_pairs(UNIT_PAIRS)
    outcomes = submit(store_url, split_between_workers(pairs))
    assert_each_pair_found_once(outcomes, pairs)
    assert_each_page_stored_once(store_url, 2 * UNIT_PAIRS)


@pytest.mark.slow
@pytest.mark.parametrize("submit", [submit_from_threads, submit_from_processes])
def test_two_thousand_pairs_at_once(store_url: str, submit: Submit) -> None:
    """The issue's target: 4 workers, 2,000 near-duplicate pairs, every pair found once; on a
    `detail=pages` index, the crawler setting (full detail takes minutes at this size)."""
    url = f"{store_url}{'&' if '?' in store_url else '?'}detail=pages"
    pairs = near_duplicate_pairs(FULL_PAIRS, seed=11)
    outcomes = submit(url, split_between_workers(pairs))
    assert_each_pair_found_once(outcomes, pairs)
    assert_each_page_stored_once(url, 2 * FULL_PAIRS)


def test_a_killed_writer_leaves_an_intact_index_with_every_returned_page(tmp_path: Path) -> None:
    path = tmp_path / "crash.db"
    url = f"sqlite:///{path}"
    tests_dir = Path(__file__).parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tests_dir), str(tests_dir.parent)])}
    writer = subprocess.Popen(
        crash_writer_command(url, UNIT_PAIRS), stdout=subprocess.PIPE, text=True, env=env
    )
    assert writer.stdout is not None
    returned = [writer.stdout.readline().strip() for _ in range(40)]
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    returned += [line.strip() for line in writer.stdout if line.strip()]
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with open_sqlite(url, DEFAULT_CONFIG) as store:
        assert all(source in store for source in returned)
        assert len(store) < 2 * UNIT_PAIRS  # killed mid-run, not after the last page
