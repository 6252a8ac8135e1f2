"""A bounded memo for per-word work that every page repeats (normal forms, token hashes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

Value = TypeVar("Value")


class WordMemo(dict[str, Value]):
    """Word -> `compute(word)`, computed on first sight and emptied when `limit` is reached.

    Lookups go through `dict.__getitem__` (in C; `map(memo.__getitem__, words)` or
    `itemgetter(*words)(memo)` never leave it for a word seen before), and only an unseen word
    runs `__missing__`. Word frequencies are Zipfian, so a cache emptied when full still serves
    almost every lookup, with memory bounded by `limit` entries.
    """

    def __init__(self, compute: Callable[[str], Value], limit: int) -> None:
        super().__init__()
        self.compute = compute
        self.limit = limit

    def __missing__(self, word: str) -> Value:
        if len(self) >= self.limit:
            self.clear()
        value = self[word] = self.compute(word)
        return value
