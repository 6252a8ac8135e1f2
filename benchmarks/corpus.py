"""Text corpora of any size, generated from real article text, with known duplication planted.

Why generated: the benchmark needs 1k, 10k and 100k pages, and the WCXB ground-truth articles
(`--data`, ~1,500 real articles, 2.2M words) are too few; repeating them would make every page a
duplicate of hundreds of others. So the pages are drawn from a word-bigram model of the real
articles: each page has the vocabulary, word frequencies and common phrases ("one of the") of
real text, so shingle sets, LSH buckets and candidate rates behave as on real pages, but no two
pages share a long run by chance. That needs one correction to the plain chain: 60% of the
words are seen with a single successor, and a chain through such words copies the article they
came from, so two pages would share 8-to-35-word runs by chance at a rate growing with the
square of the corpus (at 100k pages, 25 times the planted copies). A word seen with at most
`MAX_FORCED_SUCCESSORS` successors is therefore followed by a word drawn from the whole table
instead (7% of positions). On top of that, like a real crawl:

* `NEAR_DUPLICATE_SHARE` of pages are copies of an earlier page with 0-10% of words edited;
* `COPIED_PASSAGE_SHARE` of pages carry a 40-120 word passage lifted from an earlier page.

Generation is vectorised over pages (one numpy step per word position for the whole corpus), so
100k pages take seconds; corpora are cached on disk by size and seed.

Usage: python benchmarks/corpus.py --pages 10000 --out /tmp/corpus-10k [--format txt|jsonl]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "wcxb-dev"
NEAR_DUPLICATE_SHARE = 0.05
COPIED_PASSAGE_SHARE = 0.05
PAGE_WORDS = 400
PARAGRAPH_WORDS = (40, 90)
SENTENCE_END = (".", "!", "?")
MAX_FORCED_SUCCESSORS = 2
GENERATOR_VERSION = 2
"""Part of the cache folder's name: corpora of an older generator are not reused."""


def load_texts(data: Path) -> list[str]:
    """The real articles: WCXB ground-truth main texts, in file order."""
    texts = []
    for path in sorted((data / "dev" / "ground-truth").glob("*.json")):
        text = json.loads(path.read_text(encoding="utf-8"))["ground_truth"].get("main_content")
        if text:
            texts.append(text)
    if not texts:
        raise SystemExit(f"no ground-truth texts under {data}; pass --data")
    return texts


@dataclass(frozen=True)
class BigramModel:
    """Successor table of a word-bigram chain in one flat, searchable array.

    `cumulative[offsets[w]:offsets[w + 1]]` rises from w to w + 1 with the successors' counts,
    so `searchsorted(cumulative, w + u)` for a uniform u picks a successor of w with the right
    probability, for every page at once.
    """

    words: np.ndarray  # (vocabulary,) object: word strings
    cumulative: np.ndarray  # (pairs,) float64
    predecessors: np.ndarray  # (pairs,) int64 word ids, sorted
    successors: np.ndarray  # (pairs,) int64 word ids
    forced: np.ndarray  # (vocabulary,) bool: at most MAX_FORCED_SUCCESSORS successors seen

    @classmethod
    def fit(cls, texts: list[str]) -> BigramModel:
        vocabulary: dict[str, int] = {}
        tokens = [[vocabulary.setdefault(w, len(vocabulary)) for w in t.split()] for t in texts]
        ids = np.fromiter((i for t in tokens for i in t), dtype=np.int64)
        last_of_text = np.cumsum([len(t) for t in tokens]) - 1
        follows = np.ones(len(ids) - 1, dtype=bool)
        follows[last_of_text[:-1]] = False  # no bigram across two articles
        size = len(vocabulary)
        codes, counts = np.unique(ids[:-1][follows] * size + ids[1:][follows], return_counts=True)
        pairs = np.stack([codes // size, codes % size], axis=1)
        running = np.cumsum(counts)
        group_start = np.searchsorted(pairs[:, 0], pairs[:, 0], side="left")
        within = running - (running[group_start] - counts[group_start])
        totals = within[np.searchsorted(pairs[:, 0], pairs[:, 0], side="right") - 1]
        cumulative = pairs[:, 0] + within / totals
        words = np.array(list(vocabulary), dtype=object)
        forced = np.bincount(pairs[:, 0], minlength=size) <= MAX_FORCED_SUCCESSORS
        return cls(words, cumulative, pairs[:, 0], pairs[:, 1], forced)

    def sample(self, pages: int, words: int, rng: np.random.Generator) -> np.ndarray:
        """(pages, words) word ids; a word with no successor restarts from a random word, a
        forced word continues with a word of the successor table (common words, which follow
        many words, come up often)."""
        out = np.empty((pages, words), dtype=np.int64)
        state = rng.integers(0, len(self.words), pages)
        for position in range(words):
            out[:, position] = state
            pick = np.searchsorted(self.cumulative, state + rng.random(pages), side="right")
            pick = np.minimum(pick, len(self.successors) - 1)
            dead_end = self.predecessors[pick] != state
            restart = rng.integers(0, len(self.words), pages)
            jump = self.successors[rng.integers(0, len(self.successors), pages)]
            state = np.where(
                dead_end, restart, np.where(self.forced[state], jump, self.successors[pick])
            )
        return out


@dataclass(frozen=True)
class Page:
    source: str
    text: str


def generate(texts: list[str], pages: int, seed: int = 7, words: int = PAGE_WORDS) -> list[Page]:
    """`pages` pages of about `words` words, with near-duplicates and copied passages planted."""
    rng = np.random.default_rng(seed)
    chooser = random.Random(seed)
    model = BigramModel.fit(texts)
    ids = model.sample(pages, words, rng)
    bodies = [list(model.words[row]) for row in ids]
    for index in range(1, pages):
        roll = chooser.random()
        if roll < NEAR_DUPLICATE_SHARE:
            bodies[index] = _edited(bodies[chooser.randrange(index)], chooser)
        elif roll < NEAR_DUPLICATE_SHARE + COPIED_PASSAGE_SHARE:
            bodies[index] = _with_lifted_passage(
                bodies[index], bodies[chooser.randrange(index)], chooser
            )
    return [
        Page(f"page-{index:06d}", _paragraphs(body, chooser)) for index, body in enumerate(bodies)
    ]


def _edited(words: list[str], chooser: random.Random) -> list[str]:
    """A copy with up to 10% of its words replaced by other words of the page."""
    copy = list(words)
    for _ in range(int(len(copy) * chooser.uniform(0.0, 0.1))):
        copy[chooser.randrange(len(copy))] = chooser.choice(words)
    return copy


def _with_lifted_passage(words: list[str], source: list[str], chooser: random.Random) -> list[str]:
    length = min(chooser.randint(40, 120), len(source))
    start = chooser.randrange(len(source) - length + 1)
    at = chooser.randrange(len(words) + 1)
    return words[:at] + source[start : start + length] + words[at:]


def _paragraphs(words: list[str], chooser: random.Random) -> str:
    """Words as paragraphs of 40-90 words separated by blank lines, ending at a sentence end."""
    paragraphs, current = [], []
    target = chooser.randint(*PARAGRAPH_WORDS)
    for word in words:
        current.append(word)
        if len(current) >= target and word.endswith(SENTENCE_END):
            paragraphs.append(" ".join(current))
            current, target = [], chooser.randint(*PARAGRAPH_WORDS)
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs) + "\n"


def write_folder(corpus: list[Page], folder: Path) -> Path:
    """One .txt file a page, 1,000 to a subfolder (as a crawl dump would be laid out)."""
    for index, page in enumerate(corpus):
        target = folder / f"{index // 1000:03d}" / f"{page.source}.txt"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.text, encoding="utf-8")
    return folder


def write_jsonl(corpus: list[Page], path: Path) -> Path:
    """One `{"url", "text"}` object a line, gzip-compressed when the name ends in .gz."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8") as handle:
        for page in corpus:
            handle.write(json.dumps({"url": page.source, "text": page.text}) + "\n")
    return path


def cached_folder(data: Path, pages: int, cache: Path, seed: int = 7) -> Path:
    """A corpus folder of `pages` pages, generated once and then reused (marked by a stamp)."""
    folder = cache / f"text-{pages}-{seed}-v{GENERATOR_VERSION}"
    stamp = folder / ".complete"
    if not stamp.exists():
        write_folder(generate(load_texts(data), pages, seed), folder)
        stamp.write_text("ok\n")
    return folder


def iter_folder_texts(folder: Path) -> Iterator[tuple[str, str]]:
    for path in sorted(folder.rglob("*.txt")):
        yield str(path), path.read_text(encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--format", choices=("txt", "jsonl"), default="txt")
    args = parser.parse_args()
    corpus = generate(load_texts(args.data), args.pages, args.seed)
    if args.format == "txt":
        write_folder(corpus, args.out)
    else:
        write_jsonl(corpus, args.out)
    print(f"wrote {len(corpus)} pages to {args.out}")


if __name__ == "__main__":
    main()


def rounds_for(pages: int) -> int:
    """Timing rounds on a corpus of `pages`: three up to 1,000 pages, where one round lasts
    about a second and the machine's noise shows, one beyond."""
    return 3 if pages <= 1000 else 1
