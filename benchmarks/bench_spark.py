"""Wall time of the Spark job in `local[2]` against `dupdetect scan --jobs 2`; shuffle volume.

Both scan the same generated text pages (`benchmarks/corpus.py`): the local scan reads the
corpus folder, Spark a JSONL file of the same pages under the same names. Spark's time includes
its start-up (JVM, session, Python workers), as a user would wait for it. Shuffle bytes per stage
come from Spark's monitoring REST API on the driver (localhost only), divided by the page count.

Usage: python benchmarks/bench_spark.py --pages 10000 [--partitions 8] [--data DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # the benchmarks folder is not a package

REPO = Path(__file__).resolve().parents[1]


def time_local_scan(folder: Path, jobs: int) -> float:
    """Seconds for `dupdetect scan --jobs N` to write its JSONL report (streamed, as the Spark
    job writes its outputs), process start included."""
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "dupdetect",
            "scan",
            str(folder),
            "--jobs",
            str(jobs),
            "-f",
            "jsonl",
            "-o",
            os.devnull,
        ],
        check=True,
        cwd=REPO,
    )
    return time.perf_counter() - started


def write_jsonl_like_folder(folder: Path, target: Path) -> int:
    """The folder's pages as JSONL, named by their paths as the local scan names them."""
    count = 0
    with target.open("w", encoding="utf-8") as handle:
        for source, text in corpus.iter_folder_texts(folder):
            handle.write(json.dumps({"url": source, "text": text}) + "\n")
            count += 1
    return count


def time_spark_scan(
    jsonl: Path, output: Path, partitions: int, driver_memory: str
) -> tuple[float, float, list[dict]]:
    """(total seconds, start-up seconds, per-stage shuffle figures) of one local[2] run."""
    from dupdetect.spark import local_session, spark_scan

    started = time.perf_counter()
    spark = local_session(
        "dupdetect-bench", shuffle_partitions=partitions, ui=True, driver_memory=driver_memory
    )
    startup = time.perf_counter() - started
    counts = spark_scan(str(jsonl), str(output), partitions=partitions, spark=spark)
    total = time.perf_counter() - started
    print(f"spark results: {counts}")
    stages = shuffle_by_stage(spark)
    spark.stop()
    return total, startup, stages


def shuffle_by_stage(spark) -> list[dict]:
    """Shuffle write bytes of every completed stage, from the driver's monitoring API."""
    base = spark.sparkContext.uiWebUrl
    app_id = spark.sparkContext.applicationId
    with urllib.request.urlopen(f"{base}/api/v1/applications/{app_id}/stages") as response:
        stages = json.load(response)
    return [
        {
            "stage": stage["stageId"],
            "name": stage["name"].split(" at ")[0],
            "shuffle_write_bytes": stage["shuffleWriteBytes"],
        }
        for stage in stages
        if stage["status"] == "COMPLETE" and stage["shuffleWriteBytes"] > 0
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=corpus.DEFAULT_DATA)
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument(
        "--driver-memory",
        default="6g",
        help="the local[2] JVM's heap (Spark's default: 1g; 100,000 pages need 6g)",
    )
    default_cache = Path(tempfile.gettempdir()) / "dupdetect-bench"
    parser.add_argument("--cache", type=Path, default=default_cache)
    args = parser.parse_args()

    folder = corpus.cached_folder(args.data, args.pages, args.cache)
    jsonl = args.cache / f"{folder.name}.jsonl"
    pages = write_jsonl_like_folder(folder, jsonl)

    local = time_local_scan(folder, args.jobs)
    print(f"dupdetect scan --jobs {args.jobs}: {local:.1f} s for {pages:,} pages")
    with tempfile.TemporaryDirectory() as output:
        total, startup, stages = time_spark_scan(
            jsonl, Path(output), args.partitions, args.driver_memory
        )
    print(f"spark local[2]: {total:.1f} s (start-up {startup:.1f} s), {total / local:.2f}x local")
    shuffled = sum(stage["shuffle_write_bytes"] for stage in stages)
    print(f"shuffle written: {shuffled / 1e6:.1f} MB, {shuffled / pages / 1e3:.1f} KB per page")
    for stage in sorted(stages, key=lambda s: -s["shuffle_write_bytes"])[:10]:
        print(
            f"  stage {stage['stage']:>3} {stage['name']:<40} "
            f"{stage['shuffle_write_bytes'] / pages / 1e3:8.2f} KB/page"
        )


if __name__ == "__main__":
    main()
