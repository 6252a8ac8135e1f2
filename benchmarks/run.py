"""Run the whole benchmark suite and print the table of ratios (one command).

    python benchmarks/run.py                                # 1k-page text corpus, 300 WCXB pages
    python benchmarks/run.py --sizes 1000,10000,100000      # the issue's sizes (~15 minutes)
    python benchmarks/run.py -k extract                     # any pytest option passes through

Equivalent to `pytest benchmarks/bench_*.py --benchmark-only -p no:cacheprovider -s
[options]`, then `python benchmarks/bench_index.py` (a script with its own ratio printout);
the table is printed at the end of the pytest part by benchmarks/conftest.py. Corpora are
generated once from the WCXB texts (--data, default ../shared/data/wcxb-dev) and cached
under --cache. bench_spark.py needs a JVM and is left to run on its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SCRIPTS = ("bench_index.py",)
"""Benchmarks written as scripts (own argument parsing and printout), run after pytest."""


def main(argv: list[str]) -> int:
    # Benchmark this checkout, installed or not (the scan benchmark also starts `python -m
    # dupdetect` subprocesses, which read PYTHONPATH).
    sys.path.insert(0, str(HERE.parent))
    os.environ["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(HERE.parent), os.environ.get("PYTHONPATH")])
    )
    files = sorted(str(path) for path in HERE.glob("bench_*.py") if path.name not in SCRIPTS)
    options = ["--benchmark-only", "-p", "no:cacheprovider", "-s", "--rootdir", str(HERE)]
    status = int(pytest.main([*files, *options, *argv]))
    for script in SCRIPTS:
        print(f"\n$ python benchmarks/{script}", flush=True)
        status |= subprocess.run([sys.executable, str(HERE / script)], check=False).returncode
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
