"""Hostile input (issue 9): whatever a crawler saves, one bad page never costs the others.

Each case writes one bad input next to a few good sample pages. The scan must not raise, must
either list the bad input under `errors` with a one-line reason or report it as a clean page,
and must give the good pages exactly the JSON objects (and the clusters) of a scan without the
bad input. Large inputs (the 50 MB page, 100,000 nested tags, 10,000 empty files) are generated
here in `tmp_path`, never committed.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import pytest
from typer.testing import CliRunner

from dupdetect import Detector, scan
from dupdetect.cli import app
from dupdetect.config import Config
from dupdetect.errors import InputError
from dupdetect.sources import display_name

REPO = Path(__file__).resolve().parent.parent
GOOD_PAGES = (
    "clean-aldermoor-viaduct.html",
    "copycat-viaduct-explainer.html",
    "clean-tidewater-dredging.txt",
    "heatwave-tips-site-a.html",
    "heatwave-tips-site-b.html",
)
ARTICLE = (
    "The ferry timetable for the northern islands changes every spring, and this year the "
    "harbour board moved the first sailing to half past six so that fishermen can reach the "
    "market before it opens."
)
ACCENTED = "Le café du port sert un thé naïve et une crème brûlée à la façon de grand-mère."
BIG_PAGE_BYTES = 50_000_000
NESTED_DEPTH = 100_000
EMPTY_FILES = 10_000

Outcome = Literal["error", "errors", "page", "either", "ignored"]
"""What a scan must make of a case: one error, one error per file inside, a clean page, one of
the two, or nothing at all (a symlink loop, a folder: walked, not scanned)."""
Case = Callable[[Path], tuple[Path, Outcome]]


def _html(body: str, head: str = "") -> str:
    """A small well-formed page, titled so that its body text is all that is extracted."""
    return (
        f"<!DOCTYPE html><html><head>{head}<title>Ferries</title></head><body>{body}</body></html>"
    )


# --- the hostile corpus: each case writes its input into `folder` and says what to expect ---


def random_bytes(folder: Path) -> tuple[Path, Outcome]:
    path = folder / "random.html"
    path.write_bytes(random.Random(9).randbytes(8192))
    return path, "error"


def empty_file(folder: Path) -> tuple[Path, Outcome]:
    path = folder / "empty.html"
    path.write_bytes(b"")
    return path, "error"


def whitespace_only(folder: Path) -> tuple[Path, Outcome]:
    path = folder / "blank.html"
    path.write_bytes(b" \t\r\n" * 500 + "\u00a0\u2003".encode())
    return path, "error"


def shorter_than_a_shingle(folder: Path) -> tuple[Path, Outcome]:
    path = folder / "tiny.html"
    path.write_text(_html("<p>Ferries late</p>"), encoding="utf-8")
    return path, "either"


def fifty_megabytes(folder: Path) -> tuple[Path, Outcome]:
    """Real HTML, not a sparse file: the limit must stop it before it is read."""
    path = folder / "huge.html"
    paragraph = f"<p>{ARTICLE}</p>\n".encode()
    with path.open("wb") as handle:
        handle.write(b"<html><body>")
        handle.write(paragraph * (BIG_PAGE_BYTES // len(paragraph) + 1))
        handle.write(b"</body></html>")
    return path, "error"


def deeply_nested(folder: Path) -> tuple[Path, Outcome]:
    """libxml2 stops at 2,048 levels and drops the rest: refused, not scored on a part."""
    path = folder / "nested.html"
    path.write_text(
        "<html><body>" + "<div>" * NESTED_DEPTH + f"<p>{ARTICLE}</p>" + "</div>" * NESTED_DEPTH,
        encoding="utf-8",
    )
    return path, "error"


def deeply_nested_text_at_every_level(folder: Path) -> tuple[Path, Outcome]:
    path = folder / "nested-words.html"
    path.write_text("<html><body>" + "<div>ferry " * NESTED_DEPTH, encoding="utf-8")
    return path, "error"


def nested_to_the_parsers_limit(folder: Path) -> tuple[Path, Outcome]:
    """2,000 levels, a word at each: as deep as the parser goes, 2,000 one-word blocks."""
    path = folder / "nested-2000.html"
    path.write_text("<html><body>" + "<div>ferry " * 2000, encoding="utf-8")
    return path, "page"


def many_one_word_lines(folder: Path) -> tuple[Path, Outcome]:
    """A tag cloud of 20,000 items: every line is judged against its neighbours."""
    path = folder / "tags.html"
    items = "".join(f"<li>tag{number}</li>" for number in range(20_000))
    path.write_text(f"<html><body><ul>{items}</ul></body></html>", encoding="utf-8")
    return path, "either"


def invalid_utf8(folder: Path) -> tuple[Path, Outcome]:
    path = folder / "broken-utf8.html"
    body = _html(f"<p>{ARTICLE}</p><p>{ACCENTED}</p>").encode("utf-8")
    path.write_bytes(
        body.replace(b"ferry", b"fe\xc3\x28rry").replace(b"harbour", b"har\xff\xfebour")
    )
    return path, "page"


def utf16_with_bom(folder: Path) -> tuple[Path, Outcome]:
    path = folder / "utf16-bom.html"
    path.write_bytes(_html(f"<p>{ARTICLE} {ACCENTED}</p>").encode("utf-16"))
    return path, "page"


def utf16_without_bom(folder: Path) -> tuple[Path, Outcome]:
    path = folder / "utf16-le.html"
    path.write_bytes(_html(f"<p>{ARTICLE} {ACCENTED}</p>").encode("utf-16-le"))
    return path, "page"


def latin1_with_wrong_meta(folder: Path) -> tuple[Path, Outcome]:
    path = folder / "latin1.html"
    page = _html(f"<p>{ARTICLE} {ACCENTED}</p>", head='<meta charset="utf-8">')
    path.write_bytes(page.encode("latin-1"))
    return path, "page"


def gzip_compressed(folder: Path) -> tuple[Path, Outcome]:
    path = folder / "saved.html"
    path.write_bytes(gzip.compress(_html(f"<p>{ARTICLE}</p>").encode("utf-8"), mtime=0))
    return path, "page"


def gzip_over_the_size_limit(folder: Path) -> tuple[Path, Outcome]:
    """40 KB on disk, 40 MB inflated: the size limit must hold for what is parsed too."""
    path = folder / "bomb.html"
    paragraph = f"<p>{ARTICLE}</p>\n".encode()
    page = b"<html><body>" + paragraph * (40_000_000 // len(paragraph)) + b"</body></html>"
    path.write_bytes(gzip.compress(page, compresslevel=9, mtime=0))
    return path, "error"


def symlink_loop(folder: Path) -> tuple[Path, Outcome]:
    path = folder / "loop"
    os.symlink(folder, path)
    return path, "ignored"


def fifo(folder: Path) -> tuple[Path, Outcome]:
    """A named pipe: opening it for reading would wait forever for a writer."""
    path = folder / "pipe.html"
    os.mkfifo(path)
    return path, "error"


def folder_named_like_a_page(folder: Path) -> tuple[Path, Outcome]:
    path = folder / "page.html"
    path.mkdir()
    return path, "ignored"


def odd_file_names(folder: Path) -> tuple[Path, Outcome]:
    """Spaces, a newline and bytes that are not UTF-8, all in one name."""
    raw = os.path.join(os.fsencode(folder), b"odd name\nwith caf\xe9 \xff.html")
    with open(raw, "wb") as handle:
        handle.write(_html(f"<p>{ARTICLE}</p>").encode("utf-8"))
    return Path(os.fsdecode(raw)), "page"


def many_empty_files(folder: Path) -> tuple[Path, Outcome]:
    path = folder / "empties"
    path.mkdir()
    for number in range(EMPTY_FILES):
        (path / f"{number:05d}.html").touch()
    return path, "errors"


def script_and_style_only(folder: Path) -> tuple[Path, Outcome]:
    path = folder / "script.html"
    script = "<script>var ferry = 'timetable'; function go() { return 1; }</script>" * 50
    style = "<style>body { color: red } p { margin: 0 }</style>" * 50
    path.write_text(f"<html><head>{style}</head><body>{script}</body></html>", encoding="utf-8")
    return path, "error"


def binary_with_html_name(folder: Path) -> tuple[Path, Outcome]:
    path = folder / "image.html"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + random.Random(3).randbytes(2000))
    return path, "error"


CASES: dict[str, Case] = {
    case.__name__: case
    for case in (
        random_bytes,
        empty_file,
        whitespace_only,
        shorter_than_a_shingle,
        fifty_megabytes,
        deeply_nested,
        deeply_nested_text_at_every_level,
        nested_to_the_parsers_limit,
        many_one_word_lines,
        invalid_utf8,
        utf16_with_bom,
        utf16_without_bom,
        latin1_with_wrong_meta,
        gzip_compressed,
        gzip_over_the_size_limit,
        symlink_loop,
        fifo,
        folder_named_like_a_page,
        odd_file_names,
        many_empty_files,
        script_and_style_only,
        binary_with_html_name,
    )
}
TEXT_EXPECTED = {
    "nested_to_the_parsers_limit": "ferry",
    "utf16_with_bom": f"{ARTICLE} {ACCENTED}",
    "utf16_without_bom": f"{ARTICLE} {ACCENTED}",
    "latin1_with_wrong_meta": f"{ARTICLE} {ACCENTED}",
    "gzip_compressed": ARTICLE,
    "odd_file_names": ARTICLE,
    "invalid_utf8": ACCENTED,
}
"""Cases whose input is a readable page, and text its extraction must hold."""


# --- helpers ---------------------------------------------------------------------------------


@pytest.fixture
def corpus(tmp_path: Path, samples_dir: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in GOOD_PAGES:
        shutil.copy(samples_dir / name, folder / name)
    return folder


@pytest.fixture
def baseline(corpus: Path) -> dict[str, Any]:
    """The good pages scanned alone: what every hostile scan must reproduce for them."""
    result = scan([str(corpus)]).to_dict(include_text=True)
    assert not result["errors"]
    return result


def good_pages(result: dict[str, Any], corpus: Path) -> dict[str, dict[str, Any]]:
    wanted = {str(corpus / name) for name in GOOD_PAGES}
    return {page["source"]: page for page in result["pages"] if page["source"] in wanted}


def hostile_sources(result: dict[str, Any], corpus: Path) -> tuple[list[dict], list[dict]]:
    """Pages and errors that are not the good pages."""
    good = {str(corpus / name) for name in GOOD_PAGES}
    pages = [page for page in result["pages"] if page["source"] not in good]
    return pages, result["errors"]


def assert_one_line_reasons(errors: list[dict[str, Any]]) -> None:
    for error in errors:
        reason = error["error"]
        assert reason and reason == reason.strip()
        assert "\n" not in reason and "\r" not in reason
        assert "Traceback" not in reason
        assert len(reason) <= 300
        json.dumps(error, ensure_ascii=False).encode("utf-8")  # printable, JSON-safe


# --- one case at a time: the library scan -------------------------------------------------


@pytest.mark.parametrize("case_name", list(CASES))
def test_hostile_input_costs_no_other_page(
    case_name: str, corpus: Path, baseline: dict[str, Any]
) -> None:
    _, expected = CASES[case_name](corpus)
    result = scan([str(corpus)]).to_dict(include_text=True)

    assert good_pages(result, corpus) == good_pages(baseline, corpus)
    assert result["clusters"] == baseline["clusters"]
    pages, errors = hostile_sources(result, corpus)
    assert_one_line_reasons(errors)
    if expected == "error":
        assert not pages and len(errors) == 1
    elif expected == "errors":
        assert not pages and len(errors) == EMPTY_FILES
    elif expected == "page":
        assert len(pages) == 1 and not errors
        assert TEXT_EXPECTED[case_name] in pages[0]["text"]
    elif expected == "ignored":
        assert not pages and not errors
    else:
        assert len(pages) + len(errors) == 1


def test_size_limit_is_named_and_configurable(corpus: Path, baseline: dict[str, Any]) -> None:
    fifty_megabytes(corpus)
    errors = scan([str(corpus)]).errors
    assert [error.source for error in errors] == [str(corpus / "huge.html")]
    assert "10,000,000-byte limit" in errors[0].error

    small = Config(max_bytes=3500)
    limited = scan([str(corpus)], small)
    too_big = {error.source for error in limited.errors}
    assert str(corpus / "clean-aldermoor-viaduct.html") in too_big
    assert str(corpus / "copycat-viaduct-explainer.html") not in too_big


def test_the_size_limit_holds_for_what_a_gzip_body_inflates_to(corpus: Path) -> None:
    path, _ = gzip_over_the_size_limit(corpus)
    errors = {error.source: error.error for error in scan([str(corpus)]).errors}
    assert "limit" in errors[str(path)] or "inflate" in errors[str(path)]


def test_odd_file_names_are_reported_under_a_printable_name(corpus: Path) -> None:
    odd_file_names(corpus)
    pages = [page.source for page in scan([str(corpus)]).pages]
    odd = [source for source in pages if "odd name" in source]
    assert odd == [str(corpus) + "/odd name\nwith caf\\xe9 \\xff.html"]


def test_fifo_is_skipped_with_a_reason_not_waited_on(corpus: Path) -> None:
    path, _ = fifo(corpus)
    for given in ([str(corpus)], [str(path), str(corpus / GOOD_PAGES[0])]):
        result = scan(given)
        reasons = {error.source: error.error for error in result.errors}
        assert "not a regular file" in reasons[str(path)]


# --- everything at once: the command line --------------------------------------------------

runner = CliRunner()
IN_ONE_FOLDER = [name for name in CASES if name not in {"fifty_megabytes", "many_empty_files"}]
"""All cases but the two slowest, which the per-case test covers."""


@pytest.fixture
def hostile_corpus(corpus: Path) -> Path:
    for name in IN_ONE_FOLDER:
        CASES[name](corpus)
    return corpus


def test_cli_scans_the_whole_hostile_corpus(corpus: Path, baseline: dict[str, Any]) -> None:
    expected = {name: CASES[name](corpus)[1] for name in IN_ONE_FOLDER}
    outcome = runner.invoke(app, ["scan", str(corpus), "--format", "json"])
    assert outcome.exit_code == 0, outcome.output
    assert outcome.exception is None
    result = json.loads(outcome.stdout)
    for source, page in good_pages(baseline, corpus).items():
        page.pop("text")
        assert good_pages(result, corpus)[source] == page
    pages, errors = hostile_sources(result, corpus)
    assert_one_line_reasons(errors)
    outcomes = list(expected.values())
    assert len(errors) >= outcomes.count("error")
    assert len(pages) >= outcomes.count("page")
    assert len(pages) + len(errors) == len(outcomes) - outcomes.count("ignored")


@pytest.mark.parametrize("output_format", ["table", "jsonl", "csv", "html"])
def test_every_output_format_survives_the_hostile_corpus(
    hostile_corpus: Path, output_format: str
) -> None:
    arguments = ["scan", str(hostile_corpus), "--format", output_format]
    outcome = runner.invoke(app, arguments, env={"COLUMNS": "400"})
    assert outcome.exit_code == 0
    assert outcome.exception is None
    assert "clean-aldermoor-viaduct.html" in outcome.stdout


def test_nothing_but_hostile_input_exits_3(tmp_path: Path) -> None:
    for case in (random_bytes, empty_file, whitespace_only, script_and_style_only, fifo):
        case(tmp_path)
    outcome = runner.invoke(app, ["scan", str(tmp_path), "--format", "json"])
    assert outcome.exit_code == 3
    assert len(json.loads(outcome.stdout)["errors"]) == 5


@pytest.mark.parametrize(
    "arguments",
    [
        ["scan"],
        ["scan", "samples", "--format", "yaml"],
        ["scan", "samples", "--max-bytes", "0"],
        ["scan", "samples", "--fail-on-filler", "-1"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2(arguments: list[str]) -> None:
    assert runner.invoke(app, arguments).exit_code == 2


def run_cli(*arguments: str, **options: Any) -> subprocess.CompletedProcess[str]:
    """`python -m dupdetect` in a real process, as a crawler's cron job would run it."""
    return subprocess.run(
        [sys.executable, "-m", "dupdetect", *arguments],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        **options,
    )


def test_a_real_process_prints_reasons_never_a_traceback(hostile_corpus: Path) -> None:
    completed = run_cli("scan", str(hostile_corpus), "--format", "json")
    assert completed.returncode == 0
    assert "Traceback" not in completed.stderr
    errors = json.loads(completed.stdout)["errors"]
    assert {Path(error["source"]).name for error in errors} >= {"random.html", "pipe.html"}

    completed = run_cli("scan", str(hostile_corpus / "random.html"))
    assert completed.returncode == 3
    assert "Traceback" not in completed.stderr
    assert completed.stderr.strip() == "dupdetect: no input could be scanned"


# --- the detector API: bad content raises InputError only ------------------------------------


@pytest.mark.parametrize(
    "case_name",
    [
        name
        for name in CASES
        if name not in {"symlink_loop", "fifo", "many_empty_files", "folder_named_like_a_page"}
    ],
)
def test_detector_check_raises_only_input_error(case_name: str, tmp_path: Path) -> None:
    path, expected = CASES[case_name](tmp_path)
    content = path.read_bytes()
    with Detector() as detector:
        try:
            report = detector.check(content, source=display_name(path), content_type="html")
        except InputError as error:
            assert expected in {"error", "either"}
            assert "\n" not in str(error)
        else:
            assert expected in {"page", "either"}
            assert 0.0 <= report.filler.score <= 1.0


def test_detector_refuses_a_source_that_is_not_unicode_in_one_line() -> None:
    with Detector() as detector, pytest.raises(InputError, match="not valid Unicode") as raised:
        detector.check(_html(f"<p>{ARTICLE}</p>"), source=os.fsdecode(b"caf\xe9.html"))
    assert "\n" not in str(raised.value)


# --- a file the scanning user cannot read ------------------------------------------------


def without_root_override(command: list[str]) -> list[str]:
    """`command` unable to bypass file permissions even when run by root (as in CI).

    `chmod 000` stops everyone but root, whose CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH ignore
    permission bits; `setpriv` drops exactly those two, so the scan meets the real EACCES an
    ordinary user gets. (Switching to `nobody` is no good: the interpreter lives under /root.)
    """
    if os.geteuid() != 0:
        return command
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv (util-linux): cannot make a file unreadable")
    dropped = "-dac_override,-dac_read_search"
    return [setpriv, f"--inh-caps={dropped}", f"--bounding-set={dropped}", "--", *command]


def test_unreadable_file_is_an_error_and_the_rest_goes_on(
    corpus: Path, baseline: dict[str, Any]
) -> None:
    secret = corpus / "secret.html"
    secret.write_text(_html(f"<p>{ARTICLE}</p>"), encoding="utf-8")
    secret.chmod(0o000)
    command = [sys.executable, "-m", "dupdetect", "scan", str(corpus), "--format", "json"]
    completed = subprocess.run(
        without_root_override(command),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "Traceback" not in completed.stderr
    result = json.loads(completed.stdout)
    assert result["errors"] == [{"source": str(secret), "error": "permission denied"}]
    for page in baseline["pages"]:
        page.pop("text")
    assert result["pages"] == baseline["pages"]
