"""How many duplicates does dupdetect miss? Recall and precision against brute force.

Builds a corpus from real article texts (WCXB ground-truth `main_content`), plants known
duplication in it, runs the streaming `Matcher` (LSH candidates, exact verification) over every
page and compares with ground truth:

* pages: originals plus whole copies with 0-15% of their words edited and partial copies; the
  truth is brute-force exact Jaccard of every pair's shingle sets (a sparse product over all
  pages), at each threshold;
* passages: new pages ("lifters") made of an unrelated article with one passage of 40-120
  words lifted from a corpus page, 0-20% of its words edited, and in a quarter of cases its
  sentences shuffled. A planted copy is found when a reported shared passage with the right
  source overlaps it on both sides; coverage is the share of the true span's characters that
  the reported spans cover. A reported passage is correct if it overlaps a planted copy, or if
  brute force finds the two spans share a run of 8 identical words (real text the articles
  genuinely share);
* within-page repeats reported on the unmodified articles (should be rare: real text).

Usage: python benchmarks/eval_lsh.py [--data ../shared/data/wcxb-dev] [--pages 300]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from dupdetect.config import Config
from dupdetect.index import page_lsh_shape
from dupdetect.match import Matcher, find_repeats
from dupdetect.segment import segment, tokenize
from dupdetect.sign import Signatures, sign_many

PAGE_THRESHOLDS = (0.5, 0.7, 0.8, 0.9)
PASSAGE_THRESHOLDS = (0.2, 0.25, 0.3)
EDIT_RATES = (0.0, 0.1, 0.2)
_WORD = re.compile(r"\S+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class PlantedCopy:
    source: str
    lifter: str
    source_span: tuple[int, int]
    lifter_span: tuple[int, int]
    words: int
    edit_rate: float
    shuffled: bool


def load_articles(data: Path, min_words: int) -> list[str]:
    texts = []
    for path in sorted((data / "dev" / "ground-truth").glob("*.json")):
        text = json.loads(path.read_text())["ground_truth"].get("main_content") or ""
        if len(text.split()) >= min_words:
            texts.append(text)
    return texts


def edit_words(
    words: list[str], rate: float, vocabulary: list[str], rng: random.Random
) -> list[str]:
    """Change `rate` of the words: mostly substitutions, some deletions and insertions."""
    words = list(words)
    for position in sorted(rng.sample(range(len(words)), round(rate * len(words))), reverse=True):
        action = rng.random()
        if action < 0.7:
            words[position] = rng.choice(vocabulary)
        elif action < 0.85:
            del words[position]
        else:
            words.insert(position + 1, rng.choice(vocabulary))
    return words


def page_copies(
    originals: dict[str, str], fresh: list[str], vocabulary: list[str], rng: random.Random
) -> tuple[dict[str, str], dict[str, str]]:
    """Whole copies with 0-15% of words edited, and partial copies completed with `fresh` text
    (articles used nowhere else); also the original each copy was made from."""
    copies, origin = {}, {}
    names = list(originals)
    for index, name in enumerate(rng.sample(names, len(names) // 2)):
        words = originals[name].split()
        if index % 3 == 2:
            kept = words[: int(len(words) * rng.uniform(0.75, 0.97))]
            filler = fresh[index % len(fresh)].split()[: len(words) - len(kept)]
            copies[f"partial-{index}"] = " ".join(kept + filler)
            origin[f"partial-{index}"] = name
        else:
            rate = rng.choice((0.0, 0.01, 0.02, 0.04, 0.06, 0.1, 0.15))
            copies[f"copy-{index}"] = " ".join(edit_words(words, rate, vocabulary, rng))
            origin[f"copy-{index}"] = name
    return copies, origin


def lifters(
    originals: dict[str, str], hosts: list[str], vocabulary: list[str], rng: random.Random
) -> tuple[dict[str, str], list[PlantedCopy]]:
    """One page per host: the host's paragraphs with one edited passage lifted into them."""
    pages, planted = {}, []
    sources = list(originals)
    for index, host in enumerate(hosts):
        source = rng.choice(sources)
        matches = list(_WORD.finditer(originals[source]))
        length = rng.choice((40, 60, 90, 120))
        if len(matches) < length + 10:
            continue
        start = rng.randrange(0, len(matches) - length)
        source_span = (matches[start].start(), matches[start + length - 1].end())
        passage = originals[source][source_span[0] : source_span[1]]
        rate = rng.choice(EDIT_RATES)
        shuffled = rng.random() < 0.25
        if shuffled:
            sentences = _SENTENCE.split(passage)
            rng.shuffle(sentences)
            passage = " ".join(sentences)
        copied = " ".join(edit_words(passage.split(), rate, vocabulary, rng))
        paragraphs = host.split("\n\n")
        cut = rng.randrange(0, len(paragraphs) + 1)
        before = "\n\n".join(paragraphs[:cut])
        prefix = before + "\n\n" if before else ""
        text = (
            prefix + copied + ("\n\n" + "\n\n".join(paragraphs[cut:]) if paragraphs[cut:] else "")
        )
        name = f"lifter-{index}"
        pages[name] = text
        planted.append(
            PlantedCopy(
                source,
                name,
                source_span,
                (len(prefix), len(prefix) + len(copied)),
                length,
                rate,
                shuffled,
            )
        )
    return pages, planted


def brute_force_page_pairs(
    names: list[str], sigs: dict[str, Signatures]
) -> dict[tuple[str, str], float]:
    """Exact Jaccard of every pair of pages sharing any shingle (all others are 0)."""
    vocabulary: dict[int, int] = {}
    rows, cols = [], []
    for row, name in enumerate(names):
        for value in np.unique(sigs[name].shingles).tolist():
            rows.append(row)
            cols.append(vocabulary.setdefault(value, len(vocabulary)))
    matrix = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(len(names), len(vocabulary))
    )
    sizes = np.asarray(matrix.sum(axis=1)).ravel()
    inter = sparse.triu(matrix @ matrix.T, k=1).tocoo()
    similarity = inter.data / (sizes[inter.row] + sizes[inter.col] - inter.data)
    return {
        tuple(sorted((names[i], names[j]))): float(s)
        for i, j, s in zip(inter.row, inter.col, similarity, strict=True)
    }


def shares_word_run(a: str, b: str, run: int = 8) -> bool:
    """Brute force: do two texts share `run` consecutive identical normalised words?"""
    a_words, b_words = tokenize(a)[0], tokenize(b)[0]
    grams = {a_words[i : i + run] for i in range(len(a_words) - run + 1)}
    return any(b_words[i : i + run] in grams for i in range(len(b_words) - run + 1))


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def covered(true_span: tuple[int, int], spans: list[tuple[int, int]]) -> float:
    marks = np.zeros(true_span[1] - true_span[0], dtype=bool)
    for start, end in spans:
        marks[max(start, true_span[0]) - true_span[0] : max(0, end - true_span[0])] = True
    return float(marks.mean()) if len(marks) else 0.0


def run_matcher(names: list[str], segs: dict, sigs: dict, config: Config) -> tuple[dict, float]:
    matcher = Matcher(config)
    started = time.perf_counter()
    results = {name: matcher.check_and_add(name, segs[name], sigs[name]) for name in names}
    return results, time.perf_counter() - started


def evaluate_pages(names, segs, sigs, truth, base: Config) -> None:
    print("\nPAGES (near-duplicates) vs brute-force exact Jaccard")
    print(
        f"{'threshold':>9} {'bands x rows':>12} {'true':>6} {'found':>6} {'recall':>7} "
        f"{'precision':>9} {'seconds':>8}"
    )
    for threshold in PAGE_THRESHOLDS:
        config = base.with_changes(threshold=threshold)
        results, seconds = run_matcher(names, segs, sigs, config)
        true = {pair for pair, s in truth.items() if s >= threshold}
        found = {
            tuple(sorted((name, d.other))) for name, r in results.items() for d in r.near_duplicates
        }
        hits = len(true & found)
        shape = "x".join(map(str, page_lsh_shape(config)))
        print(
            f"{threshold:>9} {shape:>12} {len(true):>6} {len(found):>6} "
            f"{hits / max(1, len(true)):>7.4f} {hits / max(1, len(found)):>9.4f} {seconds:>8.2f}"
        )


def evaluate_passages(names, segs, sigs, origin, planted, base: Config) -> None:
    print("\nPASSAGES (lifted 40-120 words, 0-20% edited, 25% shuffled) vs planted truth")
    for threshold in PASSAGE_THRESHOLDS:
        config = base.with_changes(passage_threshold=threshold)
        results, seconds = run_matcher(names, segs, sigs, config)
        shape = f"{config.passage_bands}x{config.passage_rows}"
        print(
            f"\npassage_threshold {threshold} (passage LSH {shape}, candidates share >= "
            f"{config.passage_min_shared_keys} keys), {seconds:.2f} s for {len(names)} pages"
        )
        report_passage_recall(results, planted)
        report_passage_precision(results, planted, origin)


def report_passage_recall(results, planted: list[PlantedCopy]) -> None:
    rows: dict[tuple[float, bool], list[tuple[bool, float]]] = {}
    for copy in planted:
        spans = [
            (p.here.start, p.here.end)
            for p in results[copy.lifter].shared
            if p.other == copy.source and overlap((p.there.start, p.there.end), copy.source_span)
        ]
        hit = any(overlap(span, copy.lifter_span) for span in spans)
        rows.setdefault((copy.edit_rate, copy.shuffled), []).append(
            (hit, covered(copy.lifter_span, spans))
        )
    print(
        f"{'edited':>6} {'shuffled':>8} {'copies':>6} {'recall':>7} {'coverage':>8} {'cov>=0.9':>8}"
    )
    for (rate, shuffled), values in sorted(rows.items()):
        hits = [v for v in values if v[0]]
        print(
            f"{rate:>6.0%} {shuffled!s:>8} {len(values):>6} {len(hits) / len(values):>7.3f} "
            f"{np.mean([c for _, c in hits]) if hits else 0:>8.3f} "
            f"{np.mean([c >= 0.9 for _, c in hits]) if hits else 0:>8.3f}"
        )
    everything = [v for values in rows.values() for v in values]
    hits = [v for v in everything if v[0]]
    print(
        f"{'all':>6} {'':>8} {len(everything):>6} {len(hits) / len(everything):>7.3f} "
        f"{np.mean([c for _, c in hits]):>8.3f} {np.mean([c >= 0.9 for _, c in hits]):>8.3f}"
    )


def report_passage_precision(results, planted: list[PlantedCopy], origin: dict[str, str]) -> None:
    """A reported passage is correct between a page and a copy of it, on a planted copy (with its
    source or any copy of the source), or where brute force finds an 8-word common run."""
    correct = wrong = 0
    examples = []
    for name, result in results.items():
        for passage in result.shared:
            here = (passage.here.start, passage.here.end)
            there = (passage.there.start, passage.there.end)
            if (
                origin.get(name, name) == origin.get(passage.other, passage.other)
                or on_planted_copy(name, here, passage.other, planted, origin)
                or on_planted_copy(passage.other, there, name, planted, origin)
                or shares_word_run(passage.here.text, passage.there.text)
            ):
                correct += 1
            else:
                wrong += 1
                examples.append(
                    f"  {passage.similarity:.2f} {passage.here.text[:70]!r} ~ "
                    f"{passage.there.text[:70]!r}"
                )
    print(
        f"reported passages: {correct + wrong}, correct {correct}, "
        f"precision {correct / max(1, correct + wrong):.3f}"
    )
    for line in examples[:3]:
        print(line)


def on_planted_copy(
    lifter: str,
    span: tuple[int, int],
    other: str,
    planted: list[PlantedCopy],
    origin: dict[str, str],
) -> bool:
    return any(
        copy.lifter == lifter
        and origin.get(other, other) == copy.source
        and overlap(span, copy.lifter_span)
        for copy in planted
    )


def evaluate_repeats(originals: dict[str, str], segs, sigs, config: Config) -> None:
    pages_with = 0
    examples = []
    for name in originals:
        repeats = find_repeats(segs[name], sigs[name], config)
        pages_with += bool(repeats)
        examples.extend(
            f"  {r.similarity:.2f} {r.first.text[:60]!r} ~ {r.second.text[:60]!r}" for r in repeats
        )
    print(
        f"\nWITHIN-PAGE repeats on {len(originals)} unmodified articles: {pages_with} pages, "
        f"{len(examples)} repeats (real pages may repeat themselves; examples below)"
    )
    for line in examples[:5]:
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/wcxb-dev"))
    parser.add_argument("--pages", type=int, default=300, help="articles used as originals")
    parser.add_argument("--min-words", type=int, default=200)
    parser.add_argument("--seed", type=int, default=4)
    defaults = Config()
    parser.add_argument("--passage-bands", type=int, default=defaults.passage_bands)
    parser.add_argument("--passage-rows", type=int, default=defaults.passage_rows)
    parser.add_argument(
        "--passage-min-keys",
        type=int,
        default=defaults.passage_min_shared_keys,
        help="passage band keys a candidate must share",
    )
    parser.add_argument("--skip-pages", action="store_true", help="passages and repeats only")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    config = defaults.with_changes(
        passage_bands=args.passage_bands,
        passage_rows=args.passage_rows,
        passage_min_shared_keys=args.passage_min_keys,
    )

    articles = load_articles(args.data, args.min_words)
    rng.shuffle(articles)
    originals = {f"article-{i}": text for i, text in enumerate(articles[: args.pages])}
    hosts = articles[args.pages : 2 * args.pages]
    vocabulary = sorted({w for text in originals.values() for w in text.split()})
    texts = dict(originals)
    copies, origin = page_copies(originals, articles[2 * args.pages :], vocabulary, rng)
    texts.update(copies)
    lifted, planted = lifters(originals, hosts, vocabulary, rng)
    texts.update(lifted)
    names = list(texts)
    print(
        f"corpus: {len(originals)} articles, {len(texts) - len(originals) - len(lifted)} page "
        f"copies, {len(lifted)} lifter pages; {sum(len(t.split()) for t in texts.values())} words"
    )

    started = time.perf_counter()
    segs = {name: segment(texts[name], config) for name in names}
    signed = sign_many([segs[name] for name in names], config)
    sigs = dict(zip(names, signed, strict=True))
    print(f"segment + sign: {time.perf_counter() - started:.2f} s")

    if not args.skip_pages:
        started = time.perf_counter()
        truth = brute_force_page_pairs(names, sigs)
        print(
            f"brute force over {len(names) * (len(names) - 1) // 2} page pairs: "
            f"{time.perf_counter() - started:.2f} s"
        )
        evaluate_pages(names, segs, sigs, truth, config)
    evaluate_passages(names, segs, sigs, origin, planted, config)
    evaluate_repeats(originals, segs, sigs, config)


if __name__ == "__main__":
    main()
