"""Bounded fuzzing of the extractor and the segmenter (issue 9.5), run in CI.

The rules live in `fuzz/targets.py`; here hypothesis feeds them random bytes and mutated
sample pages (a few hundred inputs), and, when atheris is installed, the libFuzzer harness
`fuzz/fuzz_extract.py` runs for FUZZ_SECONDS. `fuzz/README.md` says how to run it for longer.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parent.parent
FUZZ = REPO / "fuzz"
SAMPLES = sorted((REPO / "samples").glob("*.html"))
FUZZ_SECONDS = 15
FUZZ_SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def load_targets() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fuzz_targets", FUZZ / "targets.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


targets = load_targets()


@st.composite
def mutated_sample(draw: st.DrawFn) -> bytes:
    """A sample page with bytes replaced, inserted, deleted, or cut off: realistic damage."""
    data = bytearray(draw(st.sampled_from(SAMPLES)).read_bytes())
    for _ in range(draw(st.integers(1, 8))):
        position = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["replace", "insert", "delete", "cut", "tag"]))
        chunk = draw(st.binary(min_size=1, max_size=16))
        if action == "replace":
            data[position : position + len(chunk)] = chunk
        elif action == "insert":
            data[position:position] = chunk
        elif action == "delete":
            del data[position : position + len(chunk)]
        elif action == "cut":
            del data[position:]
        else:
            data[position:position] = draw(st.sampled_from([b"<div>", b"</p>", b"<", b"<!--"]))
    selector = draw(st.integers(0, 3))
    return bytes([selector]) + bytes(data)


@FUZZ_SETTINGS
@given(st.binary(max_size=4096))
def test_random_bytes(data: bytes) -> None:
    targets.exercise(data)


@FUZZ_SETTINGS
@given(mutated_sample())
def test_mutated_sample_pages(data: bytes) -> None:
    targets.exercise(data)


def test_atheris_harness_for_a_bounded_time(tmp_path: Path) -> None:
    pytest.importorskip("atheris", reason="pip install atheris to run the libFuzzer harness")
    completed = subprocess.run(
        [
            sys.executable,
            str(FUZZ / "fuzz_extract.py"),
            str(tmp_path),
            str(REPO / "samples"),
            f"-max_total_time={FUZZ_SECONDS}",
            "-rss_limit_mb=4096",
            "-timeout=20",
            f"-artifact_prefix={tmp_path}/",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=FUZZ_SECONDS + 120,
        check=False,
    )
    crashes = sorted(path.name for path in tmp_path.glob("crash-*"))
    assert completed.returncode == 0, (crashes, completed.stderr[-3000:])
    assert "Done" in completed.stderr
