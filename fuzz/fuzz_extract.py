"""atheris (libFuzzer) harness for the extractor and the segmenter; the rules are in targets.py.

    mkdir -p /tmp/fuzz-corpus
    python fuzz/fuzz_extract.py /tmp/fuzz-corpus samples -max_total_time=3600

runs for an hour, seeded with the sample pages (new inputs go to the first folder only; any
libFuzzer flag works: -jobs=N, -max_len=...). A failing input is written to `crash-*` and
replays with `python fuzz/fuzz_extract.py crash-...`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]  # the targets, and the checkout being fuzzed

with atheris.instrument_imports(include=["dupdetect"]):
    from targets import exercise


def main() -> None:
    atheris.Setup(sys.argv, exercise)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
