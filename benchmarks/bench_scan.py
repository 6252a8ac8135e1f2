"""End to end: `dupdetect scan` vs the pipeline a user would build today, same threshold.

* WCXB HTML pages: `scan(jobs=all cores)` against trafilatura extraction + datasketch
  `MinHash.bulk` + `MinHashLSH` (query, then insert, per page) at threshold 0.8, and the same
  with rensa's `RMinHash`/`RMinHashLSH` when rensa is installed. Ours also finds shared
  passages, within-page repeats and filler; the baselines only find near-duplicate pages.
* Generated text corpora (--sizes): the `dupdetect scan --jobs 2 --format jsonl` command in a
  subprocess, timed with its peak memory (the largest process's RSS, and the whole process
  tree's PSS, sampled from /proc), against the datasketch pipeline on the same files.

The size targets (100k pages in <= 5 minutes with --jobs 2, 10k -> 100k at most 11x slower,
<= 2 GB) are checked by reading the `text x...` rows of the table.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import trafilatura
from datasketch import MinHash, MinHashLSH

from dupdetect.config import Config
from dupdetect.scan import scan

CONFIG = Config()
SCAN_JOBS = 2


def words_of(text: str) -> list[bytes]:
    """The shingles of the usual datasketch recipe: lower-cased word 3-grams as bytes."""
    words = text.lower().split()
    return [" ".join(words[i : i + 3]).encode() for i in range(max(1, len(words) - 2))]


def datasketch_dedup(texts: list[str]) -> int:
    signatures = MinHash.bulk([words_of(text) for text in texts], num_perm=CONFIG.num_perm)
    lsh = MinHashLSH(threshold=CONFIG.threshold, num_perm=CONFIG.num_perm)
    found = 0
    for index, minhash in enumerate(signatures):
        found += len(lsh.query(minhash))
        lsh.insert(str(index), minhash)
    return found


def rensa_dedup(texts: list[str]) -> int:
    from rensa import RMinHash, RMinHashLSH

    lsh = RMinHashLSH(threshold=CONFIG.threshold, num_perm=CONFIG.num_perm, num_bands=16)
    found = 0
    for index, text in enumerate(texts):
        minhash = RMinHash(num_perm=CONFIG.num_perm, seed=CONFIG.seed)
        minhash.update([shingle.decode() for shingle in words_of(text)])
        found += len(lsh.query(minhash))
        lsh.insert(index, minhash)
    return found


def html_pipeline(folder: Path, dedup: Callable[[list[str]], int]) -> int:
    texts = [trafilatura.extract(path.read_bytes()) or "" for path in sorted(folder.iterdir())]
    return dedup(texts)


def text_pipeline(folder: Path, dedup: Callable[[list[str]], int]) -> int:
    texts = [path.read_text(encoding="utf-8") for path in sorted(folder.rglob("*.txt"))]
    return dedup(texts)


# --- WCXB HTML ------------------------------------------------------------------------------


def test_ours_scan(benchmark: Any, wcxb_folder: Path) -> None:
    pages = len(list(wcxb_folder.iterdir()))
    jobs = os.cpu_count() or 1
    benchmark.group = f"WCXB HTML x{pages}"
    benchmark.extra_info.update(pages=pages, input=benchmark.group, jobs=jobs)
    result = benchmark.pedantic(scan, args=([str(wcxb_folder)], CONFIG), kwargs={"jobs": jobs})
    assert result.pages


def test_trafilatura_datasketch(benchmark: Any, wcxb_folder: Path) -> None:
    pages = len(list(wcxb_folder.iterdir()))
    benchmark.group = f"WCXB HTML x{pages}"
    benchmark.extra_info.update(pages=pages, input=benchmark.group)
    benchmark.pedantic(html_pipeline, args=(wcxb_folder, datasketch_dedup))


def test_trafilatura_rensa(benchmark: Any, wcxb_folder: Path) -> None:
    pytest.importorskip("rensa")
    pages = len(list(wcxb_folder.iterdir()))
    benchmark.group = f"WCXB HTML x{pages}"
    benchmark.extra_info.update(pages=pages, input=benchmark.group)
    benchmark.pedantic(html_pipeline, args=(wcxb_folder, rensa_dedup))


# --- generated text corpora -------------------------------------------------------------------


@dataclass
class PeakMemory:
    """Peaks seen while a scan ran: its largest process's resident set, and the whole process
    tree's proportional set (PSS: a page shared by the forked workers counts once, split
    among them), which is what the scan really takes from the machine."""

    largest_process_kb: int = 0
    tree_pss_kb: int = 0

    def sample(self, root: int) -> None:
        largest = total = 0
        for pid in process_tree(root):
            rss, pss = memory_of(pid)
            largest, total = max(largest, rss), total + pss
        self.largest_process_kb = max(self.largest_process_kb, largest)
        self.tree_pss_kb = max(self.tree_pss_kb, total)


def process_tree(root: int) -> list[int]:
    """`root` and all its descendants, from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:  # the process ended meanwhile
                continue
            children.setdefault(parent, []).append(int(entry.name))
    tree, stack = [], [root]
    while stack:
        pid = stack.pop()
        tree.append(pid)
        stack.extend(children.get(pid, []))
    return tree


def memory_of(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in KB; zeros once it has gone."""
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:
        return 0, 0
    values = {line.split(":")[0]: int(line.split()[1]) for line in lines[1:] if line.endswith("kB")}
    return values.get("Rss", 0), values.get("Pss", 0)


def run_cli(folder: Path) -> PeakMemory:
    """`dupdetect scan` in a fresh process, its memory sampled every quarter second."""
    command = [
        sys.executable, "-m", "dupdetect", "scan", str(folder),
        "--jobs", str(SCAN_JOBS), "--format", "jsonl", "--output", os.devnull,
    ]  # fmt: skip
    peak = PeakMemory()
    with subprocess.Popen(command, stderr=subprocess.PIPE, text=True) as process:
        while process.poll() is None:
            peak.sample(process.pid)
            time.sleep(0.25)
        errors = process.stderr.read() if process.stderr else ""
    if process.returncode:
        raise RuntimeError(f"scan failed ({process.returncode}): {errors[-500:]}")
    return peak


def test_ours_cli(benchmark: Any, text_folder_for: Any, corpus_size: int) -> None:
    folder = text_folder_for(corpus_size)
    benchmark.group = f"text x{corpus_size}"
    peak = benchmark.pedantic(run_cli, args=(folder,), rounds=1)
    benchmark.extra_info.update(
        pages=corpus_size,
        input=benchmark.group,
        jobs=SCAN_JOBS,
        largest_process_mb=peak.largest_process_kb // 1024,
        tree_pss_mb=peak.tree_pss_kb // 1024,
    )
    print(
        f"\n{benchmark.group}: peak memory of the largest process "
        f"{peak.largest_process_kb / 1024:.0f} MB, of the whole process tree (PSS) "
        f"{peak.tree_pss_kb / 1024:.0f} MB"
    )


def test_datasketch_text(benchmark: Any, text_folder_for: Any, corpus_size: int) -> None:
    folder = text_folder_for(corpus_size)
    benchmark.group = f"text x{corpus_size}"
    benchmark.extra_info.update(pages=corpus_size, input=benchmark.group)
    benchmark.pedantic(text_pipeline, args=(folder, datasketch_dedup), rounds=1)
