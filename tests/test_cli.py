"""The command line, run in-process on the samples and on small folders made by the tests."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dupdetect.cli import app

runner = CliRunner()
GOOD_PAGE = "clean-tidewater-dredging.txt"


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "240"})
    return result.exit_code, result.output


def test_scan_table_lists_pages_and_passages(samples_dir: Path) -> None:
    code, output = run("scan", str(samples_dir))
    assert code == 0
    assert "seed-000-putin-iran-visit.txt" in output
    assert "Repeated passages" in output
    assert "heatwave-tips-site-a.html (0." in output


def test_scan_json_offsets_index_the_extracted_text(samples_dir: Path) -> None:
    code, output = run("scan", str(samples_dir), "--format", "json")
    assert code == 0
    contract = json.loads(output)
    assert contract["version"] == 1
    assert set(contract) >= {"pages", "errors", "clusters"}
    code, extracted = run("extract", str(samples_dir), "--format", "jsonl")
    assert code == 0
    texts = {record["source"]: record["text"] for record in map(json.loads, extracted.splitlines())}
    for page in contract["pages"]:
        text = texts[page["source"]]
        assert set(page) >= {"source", "words", "filler", "removed", "repeats", "shared"}
        for repeat in page["repeats"]:
            for side in ("first", "second"):
                span = repeat[side]
                assert text[span["start"] : span["end"]] == span["text"]
        for passage in page["shared"]:
            assert (
                text[passage["here"]["start"] : passage["here"]["end"]] == passage["here"]["text"]
            )
            there = texts[passage["other"]]
            assert (
                there[passage["there"]["start"] : passage["there"]["end"]]
                == passage["there"]["text"]
            )
        for span in page["filler"]["spans"]:
            # zero-width spans mark where extraction removed a promo (`removed[].at`)
            assert 0 <= span["start"] <= span["end"] <= len(text)


def test_scan_jsonl_and_csv(samples_dir: Path) -> None:
    code, output = run("scan", str(samples_dir), "--format", "jsonl")
    assert code == 0
    records = [json.loads(line) for line in output.splitlines()]
    assert sum(r["kind"] == "page" for r in records) == 9
    code, output = run("scan", str(samples_dir), "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(output)))
    assert len(rows) == 9
    assert all(0.0 <= float(row["filler_score"]) <= 1.0 for row in rows)


def test_scan_output_file(samples_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    code, output = run("scan", str(samples_dir / GOOD_PAGE), "--format", "json", "-o", str(target))
    assert code == 0
    assert output == ""
    assert json.loads(target.read_text())["pages"][0]["source"].endswith(GOOD_PAGE)


def test_fail_on_filler_sets_exit_code(samples_dir: Path) -> None:
    seed = str(samples_dir / "seed-000-putin-iran-visit.txt")
    assert run("scan", seed, "--fail-on-filler", "0.3")[0] == 1
    assert run("scan", seed, "--fail-on-filler", "1.0")[0] == 0


def test_bad_files_are_listed_and_the_rest_goes_on(samples_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "junk.html").write_bytes(os.urandom(4096))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    shutil.copy(samples_dir / GOOD_PAGE, tmp_path / GOOD_PAGE)
    code, output = run("scan", str(tmp_path), "--format", "json")
    assert code == 0
    contract = json.loads(output)
    assert [Path(p["source"]).name for p in contract["pages"]] == [GOOD_PAGE]
    errors = {Path(e["source"]).name: e["error"] for e in contract["errors"]}
    assert set(errors) == {"junk.html", "empty.txt"}
    assert all("\n" not in reason and reason for reason in errors.values())
    assert contract["summary"]["skipped"] == 1


def test_nothing_scannable_exits_3(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    code, _ = run("scan", str(tmp_path))
    assert code == 3


def test_missing_path_is_an_error_not_a_crash(tmp_path: Path) -> None:
    code, output = run("scan", str(tmp_path / "nope"), "--format", "json")
    assert code == 3
    assert "no such file or folder" in output


def test_usage_error_exits_2(samples_dir: Path) -> None:
    assert run("scan", str(samples_dir), "--format", "yaml")[0] == 2
    assert run("scan", str(samples_dir), "--threshold", "1.5")[0] == 2


def test_extract_text_prints_main_text(samples_dir: Path) -> None:
    code, output = run("extract", str(samples_dir / "clean-aldermoor-viaduct.html"))
    assert code == 0
    assert "Harwick county council voted 31 to 9" in output
    assert "All rights reserved" not in output
    assert "Most read" not in output


def test_compare_shows_shared_passages(samples_dir: Path) -> None:
    code, output = run(
        "compare",
        str(samples_dir / "clean-aldermoor-viaduct.html"),
        str(samples_dir / "copycat-viaduct-explainer.html"),
    )
    assert code == 0
    assert "shared passage" in output
    assert "similarity" in output


@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "csv"])
def test_every_format_survives_odd_file_names(tmp_path: Path, samples_dir: Path, fmt: str) -> None:
    odd = tmp_path / "page [bold]with\nnewline.txt"
    shutil.copy(samples_dir / GOOD_PAGE, odd)
    code, output = run("scan", str(tmp_path), "--format", fmt)
    assert code == 0
    assert "with" in output
