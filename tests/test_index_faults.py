"""A persistent index that fails (issue 9.4): read-only, locked, corrupted or full SQLite files,
and a Redis server that goes away mid-scan.

Each fault must give a clear one-line error (exit code 4 from the command line, `IndexStoreError`
from the library), never a traceback, and leave the index as it was before the failing page:
every page that was stored is whole and still found by its near-duplicate twin, and nothing of
the page being written when the fault hit is left behind.
"""

from __future__ import annotations

import os
import random
import resource
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from index_helpers import Page, near_duplicate_pairs
from test_hostile import without_root_override
from typer.testing import CliRunner

from dupdetect import Detector
from dupdetect.cli import app
from dupdetect.errors import IndexStoreError

REPO = Path(__file__).resolve().parent.parent
PAIRS = near_duplicate_pairs(40, seed=11)
MANY_PAIRS = near_duplicate_pairs(400, seed=12)
"""Enough pages that a scan is still writing when the test kills its Redis server."""
runner = CliRunner()


# --- helpers ---------------------------------------------------------------------------------


def write_pages(folder: Path, pages: list[Page]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for source, text in pages:
        path = folder / f"{source}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def first_pages(count: int) -> list[Page]:
    return [first for first, _ in PAIRS[:count]]


def twins_found(url: str, folder: Path, pairs: list[tuple[Page, Page]]) -> dict[str, bool]:
    """For every first page of a pair stored from `folder`: is it found by its twin?

    Checking the twin reads the stored page's band keys and its record, so a page half written
    (record without keys, keys without record, a truncated record) fails here. Twins are
    checked under new names and removed again, so the index ends as it started.
    """
    found: dict[str, bool] = {}
    with Detector(index=url, site_templates=False) as detector:
        for (first, _), (_, twin_text) in pairs:
            stored = str(folder / f"{first}.txt")
            found[stored] = stored in near_duplicates_of(detector, (first, twin_text))
    return found


def stored_pages(url: str, folder: Path, pairs: list[tuple[Page, Page]]) -> set[str]:
    """Which of the scanned pages the index holds, each verified to be whole."""
    return {source for source, present in twins_found(url, folder, pairs).items() if present}


def assert_scan_order_prefix(stored: set[str], folder: Path) -> None:
    """The pages stored are the first ones the scan reached (it walks in byte order)."""
    in_scan_order = sorted(str(path) for path in folder.iterdir())
    assert set(in_scan_order[: len(stored)]) == stored


def assert_sqlite_file_intact(path: Path) -> None:
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def assert_clear_failure(exit_code: int, stderr: str, stdout: str, *words: str) -> None:
    """Exit 4, one line on stderr naming what went wrong, and no half-written report."""
    assert exit_code == 4, stderr
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dupdetect: "), stderr
    assert any(word in lines[0].lower() for word in words), lines[0]
    assert stdout == ""


def run(command: list[str], **options: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        **options,
    )


def cli(*arguments: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(arguments))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def filled_sqlite(tmp_path: Path) -> tuple[Path, str, Path]:
    """An index holding the first pages of ten pairs, and the folder they came from."""
    folder = tmp_path / "pages"
    write_pages(folder, first_pages(10))
    database = tmp_path / "index.db"
    url = f"sqlite:///{database}"
    code, _, stderr = cli("scan", str(folder), "--index", url, "--format", "json")
    assert code == 0, stderr
    return database, url, folder


def add_new_pages(folder: Path, start: int, count: int) -> None:
    write_pages(folder, [first for first, _ in PAIRS[start : start + count]])


# --- SQLite ----------------------------------------------------------------------------------


def test_a_read_only_index_is_a_clear_error_and_stays_as_it_was(
    filled_sqlite: tuple[Path, str, Path],
) -> None:
    """The file and its folder lose write permission; as root, the scan runs without the
    capabilities that ignore permissions (see `without_root_override`)."""
    database, url, folder = filled_sqlite
    add_new_pages(folder, 10, 5)
    before = database.read_bytes()
    database.chmod(0o444)
    database.parent.chmod(0o555)
    try:
        command = [sys.executable, "-m", "dupdetect", "scan", str(folder), "--index", url]
        completed = run(without_root_override(command))
    finally:
        database.parent.chmod(0o755)
        database.chmod(0o644)
    assert_clear_failure(completed.returncode, completed.stderr, completed.stdout, "read", "open")
    assert database.read_bytes() == before
    assert_sqlite_file_intact(database)
    assert len(stored_pages(url, folder, PAIRS)) == 10


def test_a_locked_index_times_out_with_a_clear_error(filled_sqlite: tuple[Path, str, Path]) -> None:
    database, url, folder = filled_sqlite
    add_new_pages(folder, 10, 5)
    with closing(sqlite3.connect(database, isolation_level=None)) as other_writer:
        other_writer.execute("BEGIN EXCLUSIVE")
        code, stdout, stderr = cli("scan", str(folder), "--index", f"{url}?timeout=0.2")
        other_writer.execute("ROLLBACK")
    assert_clear_failure(code, stderr, stdout, "locked")
    assert_sqlite_file_intact(database)
    assert len(stored_pages(url, folder, PAIRS)) == 10


def test_a_lock_taken_mid_run_fails_one_page_and_writes_nothing_of_it(tmp_path: Path) -> None:
    database = tmp_path / "index.db"
    url = f"sqlite:///{database}?timeout=0.2"
    (first, first_twin), (second, second_twin) = PAIRS[0], PAIRS[1]
    with Detector(index=url, site_templates=False) as detector:
        detector.check(first[1], source=first[0], content_type="text")
        with closing(sqlite3.connect(database, isolation_level=None)) as other_writer:
            other_writer.execute("BEGIN EXCLUSIVE")
            with pytest.raises(IndexStoreError, match="locked") as raised:
                detector.check(second[1], source=second[0], content_type="text")
            other_writer.execute("ROLLBACK")
        assert "\n" not in str(raised.value)
        assert near_duplicates_of(detector, first_twin) == [first[0]]
        assert near_duplicates_of(detector, second_twin) == []
        detector.check(second[1], source=second[0], content_type="text")
        assert near_duplicates_of(detector, second_twin) == [second[0]]


def near_duplicates_of(detector: Detector, page: Page) -> list[str]:
    """What the index holds near `page`, leaving the index as it was."""
    report = detector.check(page[1], source=f"probe-{page[0]}", content_type="text")
    detector.remove(report.source)
    return [duplicate.other for duplicate in report.near_duplicates]


def test_a_file_that_is_not_a_database_is_refused_untouched(tmp_path: Path) -> None:
    database = tmp_path / "index.db"
    garbage = b"this is not a database, it is a crawler's log file\n" * 200
    database.write_bytes(garbage)
    write_pages(tmp_path / "pages", first_pages(3))
    code, stdout, stderr = cli("scan", str(tmp_path / "pages"), "--index", f"sqlite:///{database}")
    assert_clear_failure(code, stderr, stdout, "not a database")
    assert database.read_bytes() == garbage


def test_a_truncated_database_is_a_clear_error(filled_sqlite: tuple[Path, str, Path]) -> None:
    database, url, folder = filled_sqlite
    with database.open("r+b") as handle:
        handle.truncate(database.stat().st_size // 2)
    code, stdout, stderr = cli("scan", str(folder), "--index", url)
    assert_clear_failure(code, stderr, stdout, "malformed", "not a database", "corrupt")


def test_a_corrupted_page_record_is_a_clear_error(filled_sqlite: tuple[Path, str, Path]) -> None:
    """Bytes of stored records damaged (a disk error, a bad copy) inside a sound SQLite file."""
    database, url, folder = filled_sqlite
    noise = random.Random(5)
    with closing(sqlite3.connect(database)) as db, db:
        for page_id, record in db.execute("SELECT id, record FROM pages").fetchall():
            damaged = record[:40] + noise.randbytes(len(record) - 40)
            db.execute("UPDATE pages SET record = ? WHERE id = ?", (damaged, page_id))
    twins = write_pages(folder.parent / "twins", [twin for _, twin in PAIRS[:10]])
    code, stdout, stderr = cli("scan", str(twins[0].parent), "--index", url)
    assert_clear_failure(code, stderr, stdout, "record", "corrupt")


def test_unreadable_settings_are_a_clear_error(filled_sqlite: tuple[Path, str, Path]) -> None:
    database, url, folder = filled_sqlite
    with closing(sqlite3.connect(database)) as db, db:
        db.execute("UPDATE meta SET value = '{not json'")
    code, stdout, stderr = cli("scan", str(folder), "--index", url)
    assert_clear_failure(code, stderr, stdout, "settings")


def test_an_index_in_a_missing_folder_exits_4(tmp_path: Path, samples_dir: Path) -> None:
    url = f"sqlite:///{tmp_path / 'no' / 'such' / 'folder' / 'index.db'}"
    code, stdout, stderr = cli("scan", str(samples_dir), "--index", url)
    assert_clear_failure(code, stderr, stdout, "open")


def limit_file_size(max_bytes: int) -> None:
    """Runs in the child before exec: files it writes stop growing at `max_bytes` (EFBIG;
    Python ignores SIGXFSZ), which is what a full disk looks like to SQLite."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))


def test_a_full_disk_stops_the_scan_with_whole_pages_only(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    write_pages(folder, first_pages(len(PAIRS)))
    database = tmp_path / "index.db"
    url = f"sqlite:///{database}"
    command = [sys.executable, "-m", "dupdetect", "scan", str(folder), "--index", url]
    completed = run(command, preexec_fn=lambda: limit_file_size(120_000))
    assert_clear_failure(
        completed.returncode, completed.stderr, completed.stdout, "full", "disk", "i/o"
    )
    assert_sqlite_file_intact(database)
    stored = stored_pages(url, folder, PAIRS)
    assert 0 < len(stored) < len(PAIRS)
    assert_scan_order_prefix(stored, folder)


# --- Redis -----------------------------------------------------------------------------------


def free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RedisServer:
    """A redis-server of this test's own, so the test can kill it; it appends every write to
    its log before answering (`appendfsync always`), so a restart shows what was stored."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "yes", "--appendfsync", "always", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        import redis

        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        client.close()

    def kill(self) -> None:
        """Gone without a goodbye, as when its machine fails."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def page_count(self) -> int:
        import redis

        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        try:
            return int(client.hlen("dupdetect:ids"))
        finally:
            client.close()


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing; .ci/run installs it")
        pytest.skip("redis-server is not installed")
    pytest.importorskip("redis")
    server = RedisServer(tmp_path / "redis")
    server.folder.mkdir()
    server.start()
    yield server
    server.kill()


def test_redis_gone_between_pages_is_a_clear_error(redis_server: RedisServer) -> None:
    with Detector(index=redis_server.url, site_templates=False) as detector:
        for (source, text), _ in PAIRS[:3]:
            detector.check(text, source=source, content_type="text")
        redis_server.kill()
        (source, text), _ = PAIRS[3]
        with pytest.raises(IndexStoreError) as raised:
            detector.check(text, source=source, content_type="text")
        message = str(raised.value)
        assert "\n" not in message and redis_server.url in message
    redis_server.start()
    with Detector(index=redis_server.url, site_templates=False) as detector:
        found = [near_duplicates_of(detector, twin) for _, twin in PAIRS[:4]]
    assert found == [[first[0]] for first, _ in PAIRS[:3]] + [[]]


def test_redis_gone_mid_scan_stops_with_whole_pages_only(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    folder = tmp_path / "pages"
    write_pages(folder, [first for first, _ in MANY_PAIRS])
    scan = subprocess.Popen(
        [sys.executable, "-m", "dupdetect", "scan", str(folder), "--index", redis_server.url],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while redis_server.page_count() < 2:
            assert scan.poll() is None, "the scan ended before the server could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.005)
        redis_server.kill()
        stdout, stderr = scan.communicate(timeout=120)
    finally:
        scan.kill()
    assert_clear_failure(scan.returncode, stderr, stdout, "index", "redis")
    redis_server.start()
    stored = stored_pages(redis_server.url, folder, MANY_PAIRS)
    assert 2 <= len(stored) < len(MANY_PAIRS)
    assert redis_server.page_count() == len(stored)
    assert_scan_order_prefix(stored, folder)
