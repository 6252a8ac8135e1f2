"""Extraction quality and speed on WCXB: dupdetect against trafilatura, same pages, same run.

    python benchmarks/eval_extract.py                  # all 1,497 dev pages
    python benchmarks/eval_extract.py --every 5        # every 5th page, while iterating
    python benchmarks/eval_extract.py --worst 20       # also list dupdetect's 20 worst pages

Metric (the benchmark's own): word-level F1 between the extracted text and the ground truth's
`main_content`, words being `\\w+` matches of the lowercased text counted as bags; mean over
pages, overall and per page type. Leak rate: share of the ground truth's `without` snippets
(boilerplate) found in the extracted text. Speed: pages per second over the same bytes, one
process, each tool timed from gzip-inflated bytes to text; the tools take turns page by page
so that load from other processes falls on all of them alike, and time is this process's CPU
time, so that waiting for a shared machine's cores is not counted as work. Tools that are
not installed are skipped; dupdetect's InputError counts as an empty extraction.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, uninstalled

from dupdetect.errors import InputError
from dupdetect.extract import extract_html

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "wcxb-dev"
PAGE_TYPES = ("article", "forum", "product", "collection", "listing", "documentation", "service")
_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Page:
    file_id: str
    page_type: str
    html: bytes
    truth: str
    without: tuple[str, ...]


@dataclass
class ToolResult:
    name: str
    seconds: float = 0.0
    f1_by_page: dict[str, float] = field(default_factory=dict)
    leaks: int = 0
    snippets: int = 0


def load_pages(data: Path, every: int) -> list[Page]:
    metadata = json.loads((data / "metadata.json").read_text())["files"]
    pages = []
    for file_id in sorted(metadata)[::every]:
        truth = json.loads((data / "dev" / "ground-truth" / f"{file_id}.json").read_text())
        if "main_content" not in truth["ground_truth"]:
            continue  # two dev pages ship without ground-truth text; they cannot be scored
        pages.append(
            Page(
                file_id=file_id,
                page_type=metadata[file_id]["page_type"],
                html=gzip.decompress((data / "dev" / "html" / f"{file_id}.html.gz").read_bytes()),
                truth=truth["ground_truth"]["main_content"],
                without=tuple(truth["ground_truth"].get("without") or ()),
            )
        )
    return pages


def word_f1(extracted: str, truth: str) -> float:
    got = Counter(_WORD.findall(extracted.lower()))
    want = Counter(_WORD.findall(truth.lower()))
    if not got and not want:
        return 1.0
    overlap = sum((got & want).values())
    if not overlap:
        return 0.0
    precision = overlap / sum(got.values())
    recall = overlap / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def _normal(text: str) -> str:
    return _SPACE.sub(" ", text).strip().lower()


def run_dupdetect(html: bytes) -> str:
    try:
        return extract_html(html).text
    except InputError:
        return ""


def available_tools() -> dict[str, Callable[[bytes], str]]:
    tools: dict[str, Callable[[bytes], str]] = {"dupdetect": run_dupdetect}
    try:
        import trafilatura
    except ImportError:
        return tools
    tools["trafilatura"] = lambda html: trafilatura.extract(html) or ""
    return tools


def evaluate(tools: dict[str, Callable[[bytes], str]], pages: list[Page]) -> list[ToolResult]:
    """Run every tool on each page in turn, so a busy machine slows them all alike."""
    results = {name: ToolResult(name) for name in tools}
    for page in pages:
        for name, tool in tools.items():
            start = time.process_time()
            text = tool(page.html)
            results[name].seconds += time.process_time() - start
            _score(results[name], page, text)
    return list(results.values())


def _score(result: ToolResult, page: Page, text: str) -> None:
    result.f1_by_page[page.file_id] = word_f1(text, page.truth)
    normal = _normal(text)
    result.snippets += len(page.without)
    result.leaks += sum(1 for snippet in page.without if _normal(snippet) in normal)


def print_table(results: list[ToolResult], pages: list[Page]) -> None:
    types_present = [t for t in PAGE_TYPES if any(p.page_type == t for p in pages)]
    ids_by_type: dict[str, list[str]] = defaultdict(list)
    for page in pages:
        ids_by_type[page.page_type].append(page.file_id)
    baseline = next((r for r in results if r.name == "trafilatura"), None)
    header = ["tool", "all", *types_present, "leak", "pages/s", "speed"]
    print(f"{len(pages)} pages; word-F1 (mean per page), leak = share of `without` found")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for result in results:
        pages_per_second = len(pages) / result.seconds if result.seconds else float("inf")
        speed = (baseline.seconds / result.seconds) if baseline and result.seconds else 1.0
        row = [result.name, f"{_mean(result.f1_by_page.values()):.3f}"]
        row += [f"{_mean(result.f1_by_page[i] for i in ids_by_type[t]):.3f}" for t in types_present]
        row += [
            f"{result.leaks / max(result.snippets, 1):.3f}",
            f"{pages_per_second:.1f}",
            f"{speed:.1f}x",
        ]
        print("| " + " | ".join(row) + " |")
    print("(n per type: " + ", ".join(f"{t} {len(ids_by_type[t])}" for t in types_present) + ")")


def _mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def print_worst(result: ToolResult, pages: list[Page], count: int) -> None:
    type_of = {page.file_id: page.page_type for page in pages}
    worst = sorted(result.f1_by_page.items(), key=lambda item: item[1])[:count]
    print(f"\n{result.name}: {count} worst pages")
    for file_id, f1 in worst:
        print(f"  {file_id} {type_of[file_id]:<13} {f1:.3f}")


def _load_average() -> str:
    """The machine's 1-minute load: a shared machine slows every tool, which the ratio hides."""
    return f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "n/a"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="WCXB dev folder")
    parser.add_argument("--every", type=int, default=1, help="use every Nth page")
    parser.add_argument("--tools", default="", help="comma-separated subset of tools to run")
    parser.add_argument("--worst", type=int, default=0, help="list dupdetect's N worst pages")
    args = parser.parse_args()
    pages = load_pages(args.data, args.every)
    tools = available_tools()
    wanted = [name for name in args.tools.split(",") if name] or list(tools)
    load_before = _load_average()
    results = evaluate({name: tools[name] for name in wanted if name in tools}, pages)
    print_table(results, pages)
    print(f"load average (1 min) before {load_before}, after {_load_average()}")
    if args.worst:
        print_worst(results[0], pages, args.worst)


if __name__ == "__main__":
    main()
