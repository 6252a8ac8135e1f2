"""The README's set-up commands and library example are kept honest."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_opens_with_the_two_setup_commands() -> None:
    first_block = re.search(r"```\n(.*?)```", README.read_text(), re.S)
    assert first_block is not None
    commands = first_block.group(1).strip().splitlines()
    assert commands == [
        "pip install . && dupdetect scan samples/",
        "pip install -e '.[test]' && python -m pytest",
    ]
    ci = (README.parent / ".ci" / "run").read_text()
    assert commands[1] in ci


def test_library_example_runs_as_written(capsys: pytest.CaptureFixture[str]) -> None:
    example = re.search(r"## Library\n\n```python\n(.*?)```", README.read_text(), re.S)
    assert example is not None
    cwd = os.getcwd()
    os.chdir(README.parent)
    try:
        exec(compile(example.group(1), "README example", "exec"), {})
    finally:
        os.chdir(cwd)
    lines = capsys.readouterr().out.splitlines()
    assert any(
        line.startswith("heatwave-tips-site-b.html")
        and "near-duplicate of heatwave-tips-site-a.html" in line
        for line in lines
    )
