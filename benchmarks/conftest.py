"""Shared options and fixtures of the benchmark suite, and the table of ratios it ends with.

Every benchmark module times dupdetect and the tool a user would reach for instead, in the same
session, on the same input. Baselines are recognised by name (a test named after datasketch,
trafilatura, rensa or "baseline"); each other benchmark of the same module and
pytest-benchmark group is compared with them, and the session prints one table:

    stage | input | ours | baseline | ours/s | baseline/s | speed-up

Options: --data (WCXB development split), --sizes (text corpus sizes, e.g. 1000,10000,100000),
--cache (where generated corpora are kept between runs), --html-pages (WCXB pages per run).
"""

from __future__ import annotations

import gzip
import os
import platform
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import DEFAULT_DATA, cached_folder

BASELINE_MARKERS = ("datasketch", "trafilatura", "rensa", "baseline")
DEFAULT_SIZES = "1000"
DEFAULT_HTML_PAGES = 300


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("dupdetect benchmarks")
    data = Path(os.environ.get("DUPDETECT_DATA", DEFAULT_DATA))
    group.addoption("--data", type=Path, default=data, help="The WCXB development split.")
    group.addoption("--sizes", default=DEFAULT_SIZES, help="Text corpus sizes, comma-separated.")
    group.addoption("--cache", type=Path, default=Path("/tmp/dupdetect-bench"))
    group.addoption("--html-pages", type=int, default=DEFAULT_HTML_PAGES)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "corpus_size" in metafunc.fixturenames:
        sizes = [int(size) for size in metafunc.config.getoption("--sizes").split(",") if size]
        # module scope: a module's corpus is built once per size, for all its tests
        metafunc.parametrize(
            "corpus_size", sizes, ids=[f"{size}p" for size in sizes], scope="module"
        )


@pytest.fixture(scope="session")
def data_dir(pytestconfig: pytest.Config) -> Path:
    data = pytestconfig.getoption("--data")
    if not (data / "dev").exists():
        pytest.skip(f"no WCXB data at {data}; pass --data")
    return data


@pytest.fixture(scope="session")
def wcxb_html(data_dir: Path, pytestconfig: pytest.Config) -> list[tuple[str, bytes]]:
    """The first --html-pages WCXB pages as (name, HTML bytes), decompressed in memory."""
    paths = sorted((data_dir / "dev" / "html").glob("*.html.gz"))
    limit = pytestconfig.getoption("--html-pages")
    return [
        (path.name.removesuffix(".gz"), gzip.decompress(path.read_bytes()))
        for path in paths[:limit]
    ]


@pytest.fixture(scope="session")
def wcxb_folder(wcxb_html: list[tuple[str, bytes]], pytestconfig: pytest.Config) -> Path:
    """The same pages as files, as a user would scan them."""
    folder = pytestconfig.getoption("--cache") / f"wcxb-{len(wcxb_html)}"
    folder.mkdir(parents=True, exist_ok=True)
    for name, html in wcxb_html:
        target = folder / name
        if not target.exists():
            target.write_bytes(html)
    return folder


@pytest.fixture(scope="session")
def text_folder_for(data_dir: Path, pytestconfig: pytest.Config) -> Any:
    """Callable: the cached generated text corpus of a given number of pages (see corpus.py)."""
    cache = pytestconfig.getoption("--cache")
    return lambda pages: cached_folder(data_dir, pages, cache)


# --- the table of ratios ---------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    module: str
    group: str
    name: str
    mean: float
    units: float
    note: str

    @property
    def is_baseline(self) -> bool:
        return any(marker in self.name.lower() for marker in BASELINE_MARKERS)

    @property
    def rate(self) -> str:
        return f"{self.units / self.mean:,.0f}/s" if self.units else f"{self.mean:.3f}s"


def _timings(config: pytest.Config) -> list[Timing]:
    session = getattr(config, "_benchmarksession", None)
    if session is None:
        return []
    timings = []
    for bench in session.benchmarks:
        if not bench.stats or not bench.stats.rounds:
            continue
        module = bench.fullname.split("::")[0].rsplit("/", 1)[-1].removesuffix(".py")
        extra = bench.extra_info or {}
        timings.append(
            Timing(
                module=module,
                group=bench.group or extra.get("input", ""),
                name=bench.name.split("[")[0].removeprefix("test_"),
                mean=bench.stats.mean,
                units=float(extra.get("pages", 0)),
                note=str(extra.get("input", bench.group or "")),
            )
        )
    return timings


def ratio_rows(timings: list[Timing]) -> list[tuple[str, ...]]:
    """One row per (ours, baseline) pair of a module and group: the baseline's time over ours."""
    rows = []
    for key in dict.fromkeys((t.module, t.group) for t in timings):
        members = [t for t in timings if (t.module, t.group) == key]
        baselines = [t for t in members if t.is_baseline]
        for ours in (t for t in members if not t.is_baseline):
            for baseline in baselines or [None]:
                rows.append(
                    (
                        key[0].removeprefix("bench_"),
                        ours.note,
                        ours.name,
                        baseline.name if baseline else "-",
                        ours.rate,
                        baseline.rate if baseline else "-",
                        f"{baseline.mean / ours.mean:.1f}x" if baseline else "-",
                    )
                )
    return rows


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    rows = ratio_rows(_timings(config))
    if not rows:
        return
    header = ("stage", "input", "ours", "baseline", "ours rate", "baseline rate", "speed-up")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    write = terminalreporter.write_line
    write("")
    write(f"dupdetect benchmarks on {machine()}")
    write("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    write("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        write("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")


def machine() -> str:
    """CPU model, logical cores and Python: what the README quotes next to the table."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} logical cores, Python {platform.python_version()}"
