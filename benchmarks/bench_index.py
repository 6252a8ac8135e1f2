"""Index-store figures for issue 6: check-and-add throughput, bytes a page, concurrent writers.

    python benchmarks/bench_index.py                      # SQLite and, if one answers, Redis
    python benchmarks/bench_index.py --pairs 500 --skip-concurrency

Pages are the seeded near-duplicate pairs of the tests (~150 words each, see
`tests/index_helpers.py`), segmented and signed before the clock starts, so the figures are
the index's own cost: band keys, the atomic store step and the verification of candidates
(`Matcher.check_and_add`). `memory://` is timed in the same run as the baseline, and every
figure is printed with its ratio to it.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from index_helpers import (
    near_duplicate_pairs,
    split_between_workers,
    submit_from_processes,
    submit_from_threads,
)

from dupdetect.config import DEFAULT_CONFIG
from dupdetect.errors import IndexStoreError
from dupdetect.index import PageRecord, open_store
from dupdetect.index.redis import RedisStore, open_redis
from dupdetect.match import Matcher, match_input
from dupdetect.segment import segment
from dupdetect.sign import Signatures, sign

SignedPage = tuple[str, object, Signatures]
StoreInput = tuple[PageRecord, list[int], list[int]]
WORKER_KINDS = (("threads", submit_from_threads), ("processes", submit_from_processes))


@dataclass(frozen=True)
class Run:
    url: str
    pages: int
    seconds: float  # through Matcher.check_and_add
    store_seconds: float  # through the store's check_and_add alone

    @property
    def rate(self) -> float:
        return self.pages / self.seconds

    @property
    def store_rate(self) -> float:
        return self.pages / self.store_seconds


def signed_pages(pairs: int) -> list[SignedPage]:
    pages = [page for pair in near_duplicate_pairs(pairs, seed=5) for page in pair]
    return [(source, seg, sign(seg)) for source, seg in ((s, segment(t)) for s, t in pages)]


def store_inputs(pages: list[SignedPage]) -> list[StoreInput]:
    """What the matcher hands the store for each page: record, page keys, passage keys."""
    inputs = []
    for source, seg, sigs in pages:
        prepared = match_input(source, seg, sigs)  # type: ignore[arg-type]
        inputs.append(
            (prepared.record, prepared.page_keys.tolist(), prepared.passage_keys.tolist())
        )
    return inputs


def time_check_and_add(url: str, pages: list[SignedPage], inputs: list[StoreInput]) -> Run:
    """Pages a second through `Matcher.check_and_add` (band keys, the atomic store step,
    verification) and, on a second index like `url`, through the store's step alone; both
    include the final commit on close."""
    store = open_store(url, DEFAULT_CONFIG)
    matcher = Matcher(DEFAULT_CONFIG, store)
    start = time.perf_counter()
    for source, seg, sigs in pages:
        matcher.check_and_add(source, seg, sigs)  # type: ignore[arg-type]
    store.close()
    seconds = time.perf_counter() - start
    store = open_store(fresh(url), DEFAULT_CONFIG)
    start = time.perf_counter()
    for record, page_keys, passage_keys in inputs:
        store.check_and_add(record, page_keys, passage_keys)
    store.close()
    return Run(url, len(pages), seconds, time.perf_counter() - start)


def fresh(url: str) -> str:
    """Another, empty index of the same kind and options as `url`."""
    if url.startswith("sqlite"):
        return url.replace(".db", "-store.db", 1)
    if url.startswith("redis"):
        return url.replace("prefix=bench-", "prefix=bench-store-", 1)
    return url


def sqlite_bytes_per_page(path: Path, pages: int) -> float:
    """File size once the WAL is folded in and free pages are dropped, per stored page."""
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("VACUUM")
    return path.stat().st_size / pages


def redis_bytes_per_page(url: str, pages: list[SignedPage]) -> float:
    """Growth of the server's `used_memory` per page, on a fresh prefix."""
    store = open_redis(url, DEFAULT_CONFIG)
    before = store._client.info("memory")["used_memory"]
    matcher = Matcher(DEFAULT_CONFIG, store)
    for source, seg, sigs in pages:
        matcher.check_and_add(source, seg, sigs)  # type: ignore[arg-type]
    grown = store._client.info("memory")["used_memory"] - before
    store.drop()
    store.close()
    return grown / len(pages)


def report(run: Run, baseline: Run, note: str = "") -> None:
    options = "&".join(
        option for option in run.url.partition("?")[2].split("&") if "prefix" not in option
    )
    print(
        f"  {run.url.split(':')[0]:<7} {options or '(defaults)':<24}"
        f" matcher {run.rate:>6.0f} pages/s ({run.rate / baseline.rate:4.2f}x memory://)"
        f"  store alone {run.store_rate:>6.0f} pages/s"
        f" ({run.store_rate / baseline.store_rate:4.2f}x)  {note}"
    )


def bench_sqlite(
    pages: list[SignedPage], inputs: list[StoreInput], baseline: Run, folder: Path
) -> None:
    print("SQLite check-and-add (one process):")
    for options in ("batch=1", "batch=100", "detail=pages&batch=1", "detail=pages&batch=100"):
        path = folder / f"{uuid.uuid4().hex}.db"
        run = time_check_and_add(f"sqlite:///{path}?{options}", pages, inputs)
        size = sqlite_bytes_per_page(path, len(pages))
        report(run, baseline, f"{size:,.0f} bytes/page")


def bench_redis(url: str, pages: list[SignedPage], inputs: list[StoreInput], baseline: Run) -> None:
    print("Redis atomic check-and-add (one process, loopback):")
    for options in ("", "&detail=pages"):
        prefixed = f"{url}?prefix=bench-{uuid.uuid4().hex}:{options}"
        run = time_check_and_add(prefixed, pages, inputs)
        for used in (prefixed, fresh(prefixed)):
            with open_redis(used, DEFAULT_CONFIG) as store:
                store.drop()
        sized = f"{url}?prefix=bench-{uuid.uuid4().hex}:{options}"
        report(run, baseline, f"{redis_bytes_per_page(sized, pages):,.0f} bytes/page")


def bench_concurrency(fresh_urls: list[Callable[[], str]], pairs: int) -> None:
    """4 threads, then 4 processes, submitting every pair's two pages at about the same time."""
    print(f"Concurrent writers ({pairs} near-duplicate pairs, 4 workers, detail=pages):")
    pairs_made = near_duplicate_pairs(pairs, seed=11)
    shares = split_between_workers(pairs_made)
    twins = {tuple(sorted((a[0], b[0]))) for a, b in pairs_made}
    for fresh_url in fresh_urls:
        for label, submit in WORKER_KINDS:
            url = fresh_url()
            start = time.perf_counter()
            outcomes = submit(url, shares)
            seconds = time.perf_counter() - start
            reported = [tuple(sorted((s, o))) for s, others, _ in outcomes for o in others]
            found_once = sum(1 for pair in twins if reported.count(pair) == 1)
            stray = sum(1 for pair in reported if pair not in twins)
            store = open_store(url, DEFAULT_CONFIG)
            stored = len(store)
            if isinstance(store, RedisStore):
                store.drop()
            store.close()
            print(
                f"  {url.split(':')[0]:<7} {label:<9} pairs found exactly once {found_once}/{pairs}"
                f", stray matches {stray}, pages stored {stored}/{2 * pairs}, {seconds:.1f} s"
            )


def redis_url_if_up(url: str) -> str | None:
    try:
        open_redis(f"{url}?prefix=bench-probe:&timeout=1", DEFAULT_CONFIG).close()
    except IndexStoreError as error:
        print(f"Redis skipped: {error}")
        return None
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=2000, help="near-duplicate pairs")
    parser.add_argument(
        "--redis", default=os.environ.get("DUPDETECT_TEST_REDIS", "redis://127.0.0.1:6379/0")
    )
    parser.add_argument("--skip-concurrency", action="store_true")
    args = parser.parse_args()

    pages = signed_pages(args.pairs)
    inputs = store_inputs(pages)
    baseline = time_check_and_add("memory://", pages, inputs)
    print(f"{len(pages)} pages; baseline:")
    report(baseline, baseline)
    redis_url = redis_url_if_up(args.redis)
    with tempfile.TemporaryDirectory() as folder:
        bench_sqlite(pages, inputs, baseline, Path(folder))
        if redis_url:
            bench_redis(redis_url, pages, inputs, baseline)
        if not args.skip_concurrency:
            urls = [lambda: f"sqlite:///{Path(folder) / uuid.uuid4().hex}.db?detail=pages"]
            if redis_url:
                urls.append(lambda: f"{redis_url}?prefix=bench-{uuid.uuid4().hex}:&detail=pages")
            bench_concurrency(urls, args.pairs)


if __name__ == "__main__":
    main()
