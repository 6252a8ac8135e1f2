"""`sqlite:///path.db`: what `memory://` finds, kept across runs; refuses what it cannot open."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from index_helpers import near_duplicate_pairs
from typer.testing import CliRunner

from dupdetect import DEFAULT_CONFIG, Detector, IndexStoreError, PageReport
from dupdetect.cli import app
from dupdetect.index.sqlite import open_sqlite

SAMPLE_PAGES = (
    "heatwave-tips-site-a.html",
    "clean-aldermoor-viaduct.html",
    "copycat-viaduct-explainer.html",
    "heatwave-tips-site-b.html",
)


def check_samples(detector: Detector, samples_dir: Path) -> list[PageReport]:
    return [detector.check((samples_dir / name).read_bytes(), source=name) for name in SAMPLE_PAGES]


def findings(report: PageReport) -> tuple[object, ...]:
    return (
        report.source,
        report.seen_before,
        tuple((d.other, round(d.similarity, 6)) for d in report.near_duplicates),
        tuple((s.other, s.here, s.there) for s in report.shared),
    )


def test_finds_exactly_what_the_memory_store_finds(samples_dir: Path, tmp_path: Path) -> None:
    with Detector() as memory, Detector(index=f"sqlite:///{tmp_path / 'a.db'}") as sqlite:
        expected = check_samples(memory, samples_dir)
        got = check_samples(sqlite, samples_dir)
    assert [findings(r) for r in got] == [findings(r) for r in expected]
    assert any(r.shared for r in got) and any(r.near_duplicates for r in got)


def test_pages_are_remembered_across_runs(samples_dir: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'seen.db'}"
    with Detector(index=url) as first_run:
        first_run.check((samples_dir / "heatwave-tips-site-a.html").read_bytes(), source="a")
    with Detector(index=url) as second_run:
        report = second_run.check(
            (samples_dir / "heatwave-tips-site-b.html").read_bytes(), source="b"
        )
    assert [d.other for d in report.near_duplicates] == ["a"]


def test_an_unchanged_page_is_seen_before_and_a_changed_one_replaces_it(tmp_path: Path) -> None:
    (first, _), (second, _) = near_duplicate_pairs(2)
    url = f"sqlite:///{tmp_path / 'seen.db'}"
    with Detector(index=url) as detector:
        assert not detector.check(first[1], source="page", content_type="text").seen_before
    with Detector(index=url) as detector:
        again = detector.check(first[1], source="page", content_type="text")
        changed = detector.check(second[1], source="page", content_type="text")
    assert again.seen_before and not changed.seen_before
    with open_sqlite(url, DEFAULT_CONFIG) as store:
        assert len(store) == 1
        assert store.get_many(["page"])[0].text == changed.text


@pytest.mark.parametrize("store", ["memory://", "sqlite"])
def test_seen_before_within_one_detector(store: str, tmp_path: Path) -> None:
    """Every store, `memory://` too, recognises a page met again and replaces a changed one."""
    (first, twin), (other, _) = near_duplicate_pairs(2)
    url = f"sqlite:///{tmp_path / 'seen.db'}" if store == "sqlite" else store
    with Detector(index=url) as detector:
        detector.check(twin[1], source="twin", content_type="text")
        detector.check(first[1], source="page", content_type="text")
        again = detector.check(first[1], source="page", content_type="text")
        assert again.seen_before
        assert [d.other for d in again.near_duplicates] == ["twin"]  # never itself
        changed = detector.check(other[1], source="page", content_type="text")
        assert not changed.seen_before and changed.near_duplicates == ()
        assert not detector.check(twin[1], source="twin2", content_type="text").seen_before


def test_remove_forgets_a_page_for_good(tmp_path: Path) -> None:
    (first, twin), _ = near_duplicate_pairs(2)
    url = f"sqlite:///{tmp_path / 'seen.db'}"
    with Detector(index=url) as detector:
        detector.check(first[1], source=first[0], content_type="text")
        assert detector.remove(first[0])
        assert not detector.remove(first[0])
    with Detector(index=url) as detector:
        report = detector.check(twin[1], source=twin[0], content_type="text")
    assert report.near_duplicates == ()


def test_pages_detail_keeps_about_a_kilobyte_a_page_and_still_finds_twins(tmp_path: Path) -> None:
    """`detail=pages` keeps signatures only: under the 1.5 KB a page the issue allows."""
    path = tmp_path / "compact.db"
    pairs = near_duplicate_pairs(150)
    with Detector(index=f"sqlite:///{path}?detail=pages&batch=50", site_templates=False) as det:
        reports = [
            det.check(text, source=source, content_type="text")
            for pair in pairs
            for source, text in pair
        ]
    found = {(r.source, d.other) for r in reports for d in r.near_duplicates}
    assert found == {(b[0], a[0]) for a, b in pairs}
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("VACUUM")
    assert path.stat().st_size / (2 * len(pairs)) <= 1500


def test_batched_commits_become_visible_on_close(tmp_path: Path) -> None:
    """With `batch=N` pages are committed every N pages and on close, not one by one."""
    path = tmp_path / "batched.db"
    pages = [page for pair in near_duplicate_pairs(3) for page in pair]
    detector = Detector(index=f"sqlite:///{path}?batch=100")
    for source, text in pages:
        detector.check(text, source=source, content_type="text")
    with sqlite3.connect(path) as reader:
        committed_before_close = reader.execute("SELECT COUNT(*) FROM pages").fetchone()[0]
    detector.close()
    with sqlite3.connect(path) as reader:
        committed_after_close = reader.execute("SELECT COUNT(*) FROM pages").fetchone()[0]
    assert (committed_before_close, committed_after_close) == (0, len(pages))


@pytest.mark.parametrize(
    ("changes", "named"),
    [({"num_perm": 64}, "num_perm=128"), ({"threshold": 0.5}, "bands="), ({"seed": 2}, "seed=1")],
)
def test_refuses_other_settings_and_names_them(
    tmp_path: Path, changes: dict[str, object], named: str
) -> None:
    url = f"sqlite:///{tmp_path / 'seen.db'}"
    Detector(index=url).close()
    with pytest.raises(IndexStoreError) as caught:
        Detector(index=url, **changes)
    assert named in str(caught.value)


def test_refuses_another_level_of_detail(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'seen.db'}"
    Detector(index=f"{url}?detail=pages").close()
    with pytest.raises(IndexStoreError, match="detail='pages'"):
        Detector(index=f"{url}?detail=passages")
    with Detector(index=url) as reopened:  # no option: the recorded detail applies
        assert reopened.check("Short note about bridges and rivers.", "x", "text").words > 0


def corrupt_file(tmp_path: Path) -> str:
    path = tmp_path / "corrupt.db"
    path.write_bytes(b"this is not an sqlite database at all" * 200)
    return f"sqlite:///{path}"


@pytest.mark.parametrize(
    ("make_url", "reason"),
    [
        (lambda tmp: f"sqlite:///{tmp}", "is a directory"),
        (lambda tmp: f"sqlite:///{tmp / 'missing' / 'x.db'}", "unable to open"),
        (corrupt_file, "not a database"),
        (lambda tmp: f"sqlite:///{tmp / 'x.db'}?batch=0", "batch="),
        (lambda tmp: f"sqlite:///{tmp / 'x.db'}?bogus=1", "unknown option 'bogus'"),
        (lambda tmp: f"sqlite:///{tmp / 'x.db'}?detail=all", "detail='all'"),
    ],
)
def test_opening_errors_are_one_line(
    tmp_path: Path, make_url: Callable[[Path], str], reason: str
) -> None:
    with pytest.raises(IndexStoreError) as caught:
        Detector(index=make_url(tmp_path))
    assert reason in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_locked_index_is_refused_in_one_line_after_the_timeout(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    Detector(index=f"sqlite:///{path}").close()
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        with pytest.raises(IndexStoreError, match="database is locked") as caught:
            Detector(index=f"sqlite:///{path}?timeout=0.2")
        assert "\n" not in str(caught.value)
    finally:
        holder.close()


def scan_json(folder: Path, index: str) -> dict[str, dict[str, object]]:
    """`dupdetect scan --index INDEX --format json FOLDER`, pages by file name."""
    result = CliRunner().invoke(app, ["scan", "--index", index, "--format", "json", str(folder)])
    assert result.exit_code == 0, result.output
    return {Path(page["source"]).name: page for page in json.loads(result.output)["pages"]}


def test_incremental_scan_remembers_pages_across_runs(samples_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "site"
    folder.mkdir()
    for name in SAMPLE_PAGES:
        shutil.copy(samples_dir / name, folder / name)
    url = f"sqlite:///{tmp_path / 'seen.db'}"

    first = scan_json(folder, url)
    assert not any(page.get("seen_before") for page in first.values())
    second = scan_json(folder, url)
    assert all(page.get("seen_before") for page in second.values())
    assert second["heatwave-tips-site-b.html"]["near_duplicates"]

    edited = folder / "clean-aldermoor-viaduct.html"
    edited.write_text(edited.read_text().replace("viaduct", "aqueduct"))
    third = scan_json(folder, url)
    assert not third["clean-aldermoor-viaduct.html"].get("seen_before")
    assert third["heatwave-tips-site-a.html"]["seen_before"]
    with open_sqlite(url, DEFAULT_CONFIG) as store:
        assert len(store) == len(SAMPLE_PAGES)
        (stored,) = store.get_many([str(edited)])
        assert "aqueduct" in stored.text


def test_scan_with_an_unusable_index_exits_with_code_4(samples_dir: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["scan", "--index", corrupt_file(tmp_path), str(samples_dir)])
    assert result.exit_code == 4
    assert "not a database" in result.output
