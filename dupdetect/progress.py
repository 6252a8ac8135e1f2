"""A progress bar for long scans: on a terminal only, and only once a scan takes a while.

Why the delay: most scans of a folder finish in a moment, and a bar that flashes for a tenth of
a second is noise. Why stderr and TTY only: the report goes to stdout and is often piped into
`jq` or a file; the bar must never end up in it, nor in a CI log.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

SHOW_AFTER_SECONDS = 1.0


class TerminalProgress:
    """`ScanProgress` drawn with rich on `stream`, appearing after `delay` seconds of work."""

    def __init__(self, stream: TextIO, delay: float = SHOW_AFTER_SECONDS) -> None:
        self.stream = stream
        self.delay = delay
        self._started = time.monotonic()
        self._name = "scanning"
        self._total: int | None = None
        self._done = 0
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def phase(self, name: str, total: int | None) -> None:
        self._name, self._total, self._done = name, total, 0
        if self._bar is not None and self._task is not None:
            self._bar.reset(self._task, total=total, description=name)

    def advance(self) -> None:
        self._done += 1
        if self._bar is None:
            if time.monotonic() - self._started < self.delay:
                return
            self._show()
        assert self._bar is not None and self._task is not None
        self._bar.update(self._task, completed=self._done)

    def _show(self) -> None:
        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(file=self.stream),
            transient=True,
        )
        self._bar.start()
        self._task = self._bar.add_task(self._name, total=self._total, completed=self._done)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


@contextmanager
def terminal_progress(stream: TextIO | None = None) -> Iterator[TerminalProgress | None]:
    """A `TerminalProgress` on stderr when it is a terminal, else None (no bar at all)."""
    stream = stream if stream is not None else sys.stderr
    if not stream.isatty():
        yield None
        return
    progress = TerminalProgress(stream)
    try:
        yield progress
    finally:
        progress.close()
