"""Finding and reading inputs never raises: each input is a page or a one-line reason."""

from __future__ import annotations

import os
from pathlib import Path

from dupdetect.config import Config
from dupdetect.model import RawPage, ScanError
from dupdetect.sources import discover, display_name, iter_page_items, iter_pages, read_file


def test_discover_walks_folders_in_order_and_counts_skipped(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "page.HTML").write_text("<p>x</p>")
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "c.htm").write_text("x")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    (tmp_path / "README").write_text("x")
    found = discover([tmp_path])
    assert [p.relative_to(tmp_path).as_posix() for p in found.files] == [
        "a.txt",
        "c.htm",
        "b/page.HTML",
    ]
    assert found.skipped == {".png": 1, "(none)": 1}
    assert found.errors == []


def test_symlink_loop_is_walked_once(tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_text("hello world")
    os.symlink(tmp_path, tmp_path / "loop")
    found = discover([tmp_path])
    assert [p.name for p in found.files] == ["page.txt"]


def test_missing_and_broken_paths_are_errors(tmp_path: Path) -> None:
    os.symlink(tmp_path / "gone.txt", tmp_path / "dangling.txt")
    found = discover([tmp_path / "absent", tmp_path])
    reasons = sorted(error.error for error in found.errors)
    assert reasons == ["broken symlink", "no such file or folder"]


def test_explicit_file_of_unknown_type_is_an_error(tmp_path: Path) -> None:
    target = tmp_path / "doc.pdf"
    target.write_bytes(b"%PDF")
    found = discover([target])
    assert found.files == [] and "unsupported file type" in found.errors[0].error


def test_size_limit_is_a_reason_not_a_crash(tmp_path: Path) -> None:
    big = tmp_path / "big.html"
    big.write_bytes(b"<p>" + b"a" * 5000 + b"</p>")
    outcome = read_file(big, Config(max_bytes=1000))
    assert isinstance(outcome, ScanError)
    assert "over the 1,000-byte limit" in outcome.error
    assert isinstance(read_file(big, Config()), RawPage)


def test_non_utf8_file_names_get_a_printable_name(tmp_path: Path) -> None:
    raw = os.path.join(os.fsencode(tmp_path), b"caf\xe9 page.txt")
    with open(raw, "wb") as handle:
        handle.write(b"hello")
    found = discover([tmp_path])
    name = display_name(found.files[0])
    assert name.endswith("caf\\xe9 page.txt")
    name.encode("utf-8")  # printable and JSON-safe


def test_page_items_leave_plain_files_for_the_worker_to_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("first page")
    (tmp_path / "b.jsonl").write_text('{"url": "u1", "text": "a record"}\n')
    files = discover([tmp_path]).files
    items = list(iter_page_items(files))
    assert items[0] == tmp_path / "a.txt"
    assert isinstance(items[1], RawPage) and items[1].source.endswith("u1")
    read = list(iter_pages(files))
    assert isinstance(read[0], RawPage) and read[0].content == b"first page"
    assert read[1] == items[1]
