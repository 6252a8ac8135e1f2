"""The word memo computes each word once and stays within its bound."""

from __future__ import annotations

from dupdetect.memo import WordMemo


def test_each_word_is_computed_once_until_the_memo_fills() -> None:
    calls: list[str] = []

    def shout(word: str) -> str:
        calls.append(word)
        return word.upper()

    memo = WordMemo(shout, limit=2)
    assert [memo[w] for w in ["a", "b", "a", "b"]] == ["A", "B", "A", "B"]
    assert calls == ["a", "b"]
    assert memo["c"] == "C"  # full: emptied, then "c" kept
    assert len(memo) == 1 and calls == ["a", "b", "c"]
