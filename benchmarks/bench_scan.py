"""End to end: `dupdetect scan` vs the pipeline a user would build today, same threshold.

* WCXB HTML pages: `scan(jobs=all cores)` against trafilatura extraction + datasketch
  `MinHash.bulk` + `MinHashLSH` (query, then insert, per page) at threshold 0.8, and the same
  with rensa's `RMinHash`/`RMinHashLSH` when rensa is installed. Ours also finds shared
  passages, within-page repeats and filler; the baselines only find near-duplicate pages.
* Generated text corpora (--sizes): the `dupdetect scan --jobs 2 --format jsonl` command in a
  subprocess, timed with its peak memory (the largest process, from `/usr/bin/time`), against
  the datasketch pipeline on the same files.

The size targets (100k pages in <= 5 minutes with --jobs 2, 10k -> 100k at most 11x slower,
<= 2 GB) are checked by reading the `text x...` rows of the table.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import trafilatura
from datasketch import MinHash, MinHashLSH

from dupdetect.config import Config
from dupdetect.scan import scan

CONFIG = Config()
SCAN_JOBS = 2
PEAK_MEMORY: dict[str, int] = {}


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


def run_cli(folder: Path) -> int:
    """`dupdetect scan` in a fresh process; returns its peak resident memory in KB."""
    command = [
        "/usr/bin/time", "-f", "maxrss_kb=%M",
        sys.executable, "-m", "dupdetect", "scan", str(folder),
        "--jobs", str(SCAN_JOBS), "--format", "jsonl", "--output", os.devnull,
    ]  # fmt: skip
    finished = subprocess.run(command, capture_output=True, text=True, check=True)
    return int(re.findall(r"maxrss_kb=(\d+)", finished.stderr)[-1])


def test_ours_cli(benchmark: Any, text_folder_for: Any, corpus_size: int) -> None:
    folder = text_folder_for(corpus_size)
    benchmark.group = f"text x{corpus_size}"
    peak = benchmark.pedantic(run_cli, args=(folder,), rounds=1)
    PEAK_MEMORY[benchmark.group] = peak
    benchmark.extra_info.update(
        pages=corpus_size, input=benchmark.group, jobs=SCAN_JOBS, peak_rss_mb=peak // 1024
    )
    print(f"\n{benchmark.group}: peak RSS of the largest process {peak / 1024:.0f} MB")


def test_datasketch_text(benchmark: Any, text_folder_for: Any, corpus_size: int) -> None:
    folder = text_folder_for(corpus_size)
    benchmark.group = f"text x{corpus_size}"
    benchmark.extra_info.update(pages=corpus_size, input=benchmark.group)
    benchmark.pedantic(text_pipeline, args=(folder, datasketch_dedup), rounds=1)
