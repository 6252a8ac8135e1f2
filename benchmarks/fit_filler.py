"""Build the labelled filler set from WCXB articles and fit the filler floors and weights.

    python benchmarks/fit_filler.py                    # writes dupdetect/data/filler_weights.json
    python benchmarks/fit_filler.py --articles 60      # quicker, while iterating

Everything is built here, so re-running reproduces the JSON.

Floors: every clean article of the fit half (even positions of WCXB's sorted `article` list;
`eval_filler.py` uses the odd half), whole (up to 2,000 words); per component, a linear quantile
regression of the raw measure on 1000 / basis puts the floor at the 95th percentile of clean
pages at every length. Whole pages, not leads cut from longer ones: a scan sees whole pages,
and a lead is the most introductory part of its article (at 500 words the 95th percentile of
the generic share is about 0.14 for leads and 0.08 for whole articles), so floors fitted on
leads set the bar for every short page by its vaguest kind of text and hid 5-10% of padding
there. `eval_filler.py` checks that cutting an article still moves its score little.

Labelled set for the weights:
- negatives: the same clean texts, untouched, some with the ordinary related/share widgets a
  real extraction removes, and each also cut to 200-1,000 words;
- positives: the same texts with one kind of filler injected at 5, 10, 20 or 40% of the
  characters (repeated sentences, restated sentences, machine-style filler sentences, promo
  lines, keyword stuffing, and, for fitting only, reworded article sentences inside a stock
  frame), plus mixtures of two kinds, plus the two seed pages.
The target is the padding share s mapped to z = s / 0.1 (and z = 2.3, i.e. score 0.9, for the
seeds), the score model being 1 - exp(-z). Weights are non-negative least squares
(`LinearRegression(positive=True, fit_intercept=False)`).

The filler written for fitting (`FIT_*` below) shares no sentence with the held-out filler
that `eval_filler.py` injects (`EVAL_*`). The fitting filler mixes sentences with stock phrasing
the lexicon knows and plain vague sentences it does not (the lexicon flags 17 of 56), as real
padding does: a lexicon knows only some of the wording padding comes in, so a fit on filler it
mostly knows would lean on it more than unseen padding warrants. The held-out filler sentences
were written after the lexicon's last content edit without consulting it; the lexicon flags
only 3 of those 20 (`eval_filler.py` reports the count), so the evaluation of that kind
measures how the other components (generic above all) carry unseen wording. The full run
costs about 40 s of CPU; `--articles` trims it.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LinearRegression, QuantileRegressor

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, uninstalled

from dupdetect.filler import COMPONENTS, FULL, Scale, noise_factor, raw_values, scaled
from dupdetect.filler_components import Raw
from dupdetect.model import Extraction, Removal
from dupdetect.segment import segment

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO / ".." / "shared" / "data" / "wcxb-dev"
SEEDS = REPO / ".." / "shared" / "seeds"
WEIGHTS_PATH = REPO / "dupdetect" / "data" / "filler_weights.json"
RATES = (0.05, 0.10, 0.20, 0.40)
MAX_WORDS = 2000
SHORT_CUTS = (200, 500, 1000)
"""Clean articles are also cut to these lengths as negatives, so short clean pages stay low."""
SHARE_PER_UNIT_Z = 0.10
SEED_Z = 2.3
SEED_SHARE_DIVISOR = 20

# --- held-apart filler text ------------------------------------------------------------------
# `{topic}` is filled with the article's key phrase. Fit and eval sets share no sentence.
FIT_FILLER = (
    "In today's rapidly changing environment, understanding {topic} has never been more important.",
    "It is essential to keep in mind that {topic} affects many aspects of our daily lives.",
    "This topic continues to spark considerable debate among experts and enthusiasts alike.",
    "Let's take a closer look at why {topic} matters so much right now.",
    "Ultimately, the choices we make today will shape the future in meaningful ways.",
    "There are many factors to consider, and each one plays a vital role in the outcome.",
    "By staying informed, readers can make better decisions and navigate the challenges ahead.",
    "The importance of {topic} cannot be overstated in the current landscape.",
    "Whether you are a beginner or an expert, there is always something new to learn.",
    "In conclusion, {topic} remains a key consideration for anyone who wants to succeed.",
    "Overall, it is clear that this subject deserves careful attention going forward.",
    "Experts agree that a thoughtful approach can make all the difference.",
    "This serves as a powerful reminder that every detail counts.",
    "As we have seen, there is much more to this subject than meets the eye.",
    "Many people are now looking for ways to get the most out of {topic}.",
    "It goes without saying that quality and consistency are essential.",
    "Only time will tell how these trends will evolve over the coming years.",
    "The landscape is constantly evolving, bringing both opportunities and challenges.",
    "Understanding these dynamics is crucial for making informed decisions.",
    "With so many options available, it can be difficult to know where to start.",
    # Plain vague filler that no lexicon family covers: real padding is only partly stock
    # phrasing, and the fit must learn the other components' share of it.
    "Small changes can lead to big improvements over time.",
    "Everyone has their own preferences, and that is perfectly fine.",
    "The right choice depends on your goals and your situation.",
    "There is a lot to think about before making a decision.",
    "Many people overlook this, yet it has a real impact on results.",
    "It helps to keep things simple and focus on what matters.",
    "This is something that more and more people are starting to notice.",
    "Results may vary from person to person, so patience is important.",
    "A little planning goes a long way.",
    "The good news is that getting started is easier than you might think.",
    "Each option has its own advantages and disadvantages.",
    "It all comes down to what works best for you and your needs.",
    "No two situations are exactly alike.",
    "It is worth taking the time to get this right.",
    "Not everyone will agree, and that is part of what keeps it interesting.",
    "People have strong opinions on both sides.",
    "This is one of those things that is hard to explain until you see it for yourself.",
    "Once you understand the basics, everything else falls into place.",
    "There is no one-size-fits-all answer here.",
    "Sometimes the simplest solution is the right one.",
    "A lot has changed in recent years, and more change is on the way.",
    "Plenty of people have been in the same position before.",
    "It is easy to see why so many people are interested.",
    "Things do not always go according to plan.",
    "That said, there are a few things to watch out for.",
    "Doing a bit of homework first can save a lot of trouble later.",
    "The answer is not always as obvious as it seems.",
    "There is more than one way to approach this.",
    "With a bit of practice, it quickly becomes second nature.",
    "Most people will notice the difference right away.",
    "Opinions about {topic} vary widely, and that is to be expected.",
    "There is no shortage of advice about {topic} out there.",
    "Anyone curious about {topic} will find plenty to think about.",
    "Getting the basics of {topic} right makes everything else easier.",
    "This is just the beginning of a much longer story.",
    "It is hard to overstate how much this can change things.",
)
EVAL_FILLER = (  # written after the lexicon's last edit, without consulting it
    "From seasoned pros to curious newcomers, {topic} has captured the imagination of many.",
    "Understanding the nuances of {topic} can empower you to make smarter choices.",
    "As the saying goes, knowledge is power, and that is especially true here.",
    "This is where things get interesting, so bear with us.",
    "Of course, no discussion of {topic} would be complete without considering the bigger context.",
    "Every step of the process matters, from planning to execution.",
    "It is no exaggeration to say that {topic} has transformed the way we think.",
    "These considerations highlight just how much there is to think about.",
    "In essence, success comes down to a combination of effort, timing and a little luck.",
    "With the right mindset, anyone can achieve remarkable results.",
    "Many experts believe that the best is yet to come.",
    "This makes it an exciting time for everyone involved.",
    "Staying adaptable will be key as circumstances continue to change.",
    "Above all, it is about finding what works best for you.",
    "The benefits are clear, and the potential is enormous.",
    "As always, it pays to do your research before making any decisions.",
    "These are just a few of the reasons why {topic} continues to attract attention.",
    "Needless to say, there is a lot to unpack when it comes to {topic}.",
    "Time and again, we see that careful planning leads to better outcomes.",
    "It will be fascinating to see what the future holds.",
)
FIT_PROMO = (
    "Read more: The {topic} stories everyone is talking about this week",
    "ALSO READ: What nobody tells you about {topic}",
    "Click here to get our free {topic} checklist delivered to your inbox",
    "Subscribe to our newsletter for the latest {topic} updates",
    "YOU MIGHT ALSO LIKE THESE TRENDING VIDEOS ABOUT {topic}",
    "Follow us on Facebook and Instagram for more stories like this",
)
EVAL_PROMO = (
    "Related: 12 {topic} secrets experts don't want you to know",
    "Don't miss: our exclusive {topic} coverage, updated daily",
    "Sign up today and get 20% off your first order",
    "WATCH THE FULL VIDEO ON OUR CHANNEL NOW",
    "You may also like: The shocking truth about {topic}",
    "Join our community of readers and never miss a story",
)
FIT_KEYWORD = (
    "Looking for {kp}? Our {kp} guide explains {kp} step by step.",
    "The best {kp} tips: {kp} made easy with {kp} advice.",
    "{Kp} is why people search for {kp} and read about {kp} every day.",
)
EVAL_KEYWORD = (
    "Everything about {kp}: {kp} facts, {kp} news and more {kp}.",
    "If {kp} matters to you, this {kp} page covers {kp} in full.",
    "{Kp} questions answered, because {kp} deserves a {kp} expert.",
)
FIT_FRAMES = (
    "It is important to note that {sentence}",
    "When it comes to {topic}, {sentence}",
    "In today's fast-paced world, {sentence}",
    "At the end of the day, {sentence}",
    "Needless to say, {sentence}",
    "Moving forward, {sentence}",
)
"""Stock frames around a reworded sentence of the article (fitting only, the "framed" kind).
Content-farm copy mostly pads this way, saying the content again inside stock phrasing (both
seeds do), rather than with vague sentences about nothing; without such rows the fit has no
case where a stock phrase marks a sentence that still names the page's terms."""
RESTATE_OPENERS_FIT = ("", "Again, ", "Simply put, ", "Put another way, ")
RESTATE_OPENERS_EVAL = ("", "Once more, ", "As noted, ", "To repeat, ")
SYNONYMS = {
    "important": "significant",
    "big": "large",
    "small": "little",
    "show": "reveal",
    "shows": "reveals",
    "use": "employ",
    "help": "assist",
    "helps": "assists",
    "make": "create",
    "makes": "creates",
    "many": "numerous",
    "often": "frequently",
    "new": "fresh",
    "good": "great",
    "best": "finest",
    "start": "begin",
    "get": "obtain",
    "need": "require",
    "also": "additionally",
    "very": "highly",
    "people": "individuals",
    "buy": "purchase",
    "about": "regarding",
    "because": "since",
    "but": "yet",
    "fast": "quick",
    "easy": "simple",
    "find": "discover",
    "allows": "enables",
    "like": "such as",
}
STOP_OPENERS = re.compile(r"^(?:the|a|an|this|that|these|those|it|and|but)\s+", re.IGNORECASE)
KIND_NAMES = ("repeated", "restated", "stock", "promo", "keyword")
FIT_KINDS = (*KIND_NAMES, "framed")


@dataclass(frozen=True)
class Article:
    file_id: str
    text: str
    title: str


def load_articles(data: Path, half: int, limit: int | None = None) -> list[Article]:
    """WCXB article ground truths, cut to `MAX_WORDS` at a paragraph, alternating halves."""
    found = []
    for path in sorted((data / "dev" / "ground-truth").glob("*.json")):
        record = json.loads(path.read_text())
        truth = record["ground_truth"]
        if record["_internal"]["page_type"]["primary"] != "article":
            continue
        text = cut_words(truth.get("main_content") or "", MAX_WORDS)
        if len(text.split()) >= 150:
            found.append(Article(record["file_id"], text, truth.get("title") or ""))
    chosen = found[half::2]
    return chosen[:limit] if limit else chosen


def cut_words(text: str, limit: int) -> str:
    """The leading paragraphs of `text` holding about `limit` words (whole sentences)."""
    kept: list[str] = []
    words = 0
    for paragraph in text.split("\n\n"):
        room = limit - words
        if room <= 0:
            break
        count = len(paragraph.split())
        if count > room:
            paragraph = _cut_sentences(paragraph, room)
            if not paragraph:
                break
        kept.append(paragraph)
        words += len(paragraph.split())
    return "\n\n".join(kept)


def _cut_sentences(paragraph: str, room: int) -> str:
    sentences = re.split(r"(?<=[.!?])\s+", paragraph)
    kept: list[str] = []
    for sentence in sentences:
        if len(" ".join([*kept, sentence]).split()) > room:
            break
        kept.append(sentence)
    return " ".join(kept)


# --- injection --------------------------------------------------------------------------------
@dataclass(frozen=True)
class FillerSet:
    """The filler text one run may inject (fit or held-out eval)."""

    filler: Sequence[str]
    promo: Sequence[str]
    keyword: Sequence[str]
    openers: Sequence[str]
    frames: Sequence[str] = ()


FIT_SET = FillerSet(FIT_FILLER, FIT_PROMO, FIT_KEYWORD, RESTATE_OPENERS_FIT, FIT_FRAMES)
EVAL_SET = FillerSet(EVAL_FILLER, EVAL_PROMO, EVAL_KEYWORD, RESTATE_OPENERS_EVAL)


def key_phrase(article: Article) -> str:
    """Two or three leading content words of the title (what an SEO page would stuff)."""
    words = re.findall(r"[A-Za-z][\w'’-]+", article.title)
    content = [w for w in words if w.lower() not in _FUNCTION_WORDS]
    return " ".join(content[:3]).lower() if len(content) >= 2 else ""


_FUNCTION_WORDS = frozenset(
    "a an the and or of for to in on at by with from how what why when your our my is are "
    "this that these best top new guide".split()
)


def sentences_of(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+|\n+", text) if len(s.split()) >= 8]


def restate(sentence: str, rng: random.Random, openers: Sequence[str]) -> str:
    """Say `sentence` again in other words: synonyms, dropped words, swapped clauses."""
    clauses = [c.strip() for c in sentence.rstrip(".!?").split(",") if c.strip()]
    if len(clauses) > 1:
        rng.shuffle(clauses)
    words = ", ".join(clauses).split()
    changed = [SYNONYMS.get(w.lower(), w) for w in words if rng.random() > 0.15 or len(words) < 6]
    body = STOP_OPENERS.sub("", " ".join(changed))
    opener = rng.choice(openers)
    body = body[0].lower() + body[1:] if opener else body[0].upper() + body[1:]
    return f"{opener}{body}."


def injected_units(
    kind: str, article: Article, rng: random.Random, pieces: FillerSet
) -> Callable[[], tuple[str, int]]:
    """A generator of (filler unit, earliest paragraph it may follow) for one filler kind."""
    sentences = sentences_of(article.text) or [article.text[:200]]
    topic = key_phrase(article) or "this topic"
    paragraphs = article.text.count("\n\n") + 1

    def source_sentence() -> tuple[str, int]:
        sentence = rng.choice(sentences)
        return sentence, article.text[: article.text.find(sentence)].count("\n\n")

    def unit() -> tuple[str, int]:
        if kind == "repeated":
            return source_sentence()
        if kind == "restated":
            sentence, after = source_sentence()
            return restate(sentence, rng, pieces.openers), after
        if kind == "framed":
            sentence, after = source_sentence()
            body = restate(sentence, rng, ("",)).rstrip(".")
            body = body[0].lower() + body[1:] if body.split()[0] != "I" else body
            return rng.choice(pieces.frames).format(topic=topic, sentence=body) + ".", after
        if kind == "stock":
            chosen = rng.sample(list(pieces.filler), 2)
            return " ".join(s.format(topic=topic) for s in chosen), rng.randrange(paragraphs)
        if kind == "promo":
            return rng.choice(pieces.promo).format(topic=topic), rng.randrange(paragraphs)
        template = rng.choice(pieces.keyword)
        return template.format(kp=topic, Kp=topic.capitalize()), rng.randrange(paragraphs)

    return unit


def inject(
    article: Article, kind: str, share: float, rng: random.Random, pieces: FillerSet
) -> tuple[str, float]:
    """The article with `kind` filler added until it is `share` of the characters."""
    paragraphs = article.text.split("\n\n")
    additions: list[tuple[int, str]] = []
    added = 0
    unit = injected_units(kind, article, rng, pieces)
    while added < share * (len(article.text) + added):
        text, earliest = unit()
        position = rng.randint(min(earliest + 1, len(paragraphs)), len(paragraphs))
        additions.append((position, text))
        added += len(text) + 2
    for position, text in sorted(additions, key=lambda a: -a[0]):
        paragraphs.insert(position, text)
    result = "\n\n".join(paragraphs)
    return result, added / len(result)


# --- features and fitting ---------------------------------------------------------------------
@dataclass(frozen=True)
class Measured:
    """A page's raw component measures (what scaling needs)."""

    raws: dict[str, Raw]


def measure(text: str, title: str, removed: Sequence[Removal] = ()) -> Measured:
    extraction = Extraction(source="", text=text, title=title, removed=tuple(removed))
    raws, _ = raw_values(extraction, segment(text))
    return Measured(raws)


def features(pages: Sequence[Measured], scales: dict[str, Scale]) -> np.ndarray:
    rows = [scaled(page.raws, scales) for page in pages]
    return np.array([[row[name] for name in COMPONENTS] for row in rows])


FLOOR_QUANTILE = 0.95
"""Share of clean pages, at every length, whose raw measure a component's floor lies above:
ordinary writing repeats a list item, restates a point or uses a stock phrase now and then,
and counting that would confound the score with length and genre."""


def fit_scales(pages: Sequence[Measured]) -> dict[str, Scale]:
    """Per component, floor + noise * 1000 / basis at the `FLOOR_QUANTILE` of clean pages
    (linear quantile regression). A noise that comes out negative is dropped (the floor is then
    that quantile); a floor that comes out negative is refitted at zero, since raising it to zero
    while keeping the fitted noise would lift the line above most clean pages."""
    scales = {}
    for name in COMPONENTS:
        x = np.array([[noise_factor(page.raws[name].basis)] for page in pages])
        y = np.array([page.raws[name].value for page in pages])
        floor, noise = _quantile_line(x, y, through_zero=False)
        if noise < 0:
            floor, noise = float(np.quantile(y, FLOOR_QUANTILE)), 0.0
        elif floor < 0:
            floor, noise = _quantile_line(x, y, through_zero=True)
        scales[name] = Scale(round(floor, 4), FULL[name], round(noise, 4))
    return scales


def _quantile_line(x: np.ndarray, y: np.ndarray, through_zero: bool) -> tuple[float, float]:
    """(intercept, slope) of the `FLOOR_QUANTILE` line of y on x."""
    model = QuantileRegressor(
        quantile=FLOOR_QUANTILE, alpha=0.0, solver="highs", fit_intercept=not through_zero
    ).fit(x, y)
    return float(model.intercept_), float(model.coef_[0])


def widget_removals(rng: random.Random, text: str) -> tuple[Removal, ...]:
    """Ordinary related/share widgets a real extraction removes from clean pages (0-5%)."""
    size = int(len(text) * rng.uniform(0.0, 0.05))
    reason = rng.choice(("related", "share", "newsletter"))
    return (Removal("Related story headline " * (size // 24), reason, len(text)),) if size else ()


def labelled_set(articles: Sequence[Article], seed: int) -> tuple[list[Measured], np.ndarray]:
    rng = random.Random(seed)
    pages: list[Measured] = []
    targets: list[float] = []
    for article in articles:
        pages.append(measure(article.text, article.title, widget_removals(rng, article.text)))
        short = cut_words(article.text, rng.choice(SHORT_CUTS))
        pages.append(measure(short, article.title))
        targets.extend([0.0, 0.0])
        for kind in rng.sample(FIT_KINDS, 3):
            text, share = inject(article, kind, rng.choice(RATES), rng, FIT_SET)
            pages.append(measure(text, article.title))
            targets.append(share / SHARE_PER_UNIT_Z)
        first, second = rng.sample(FIT_KINDS, 2)
        half = rng.choice(RATES) / 2
        mixed, share_a = inject(article, first, half, rng, FIT_SET)
        text, share_b = inject(
            Article(article.file_id, mixed, article.title), second, half, rng, FIT_SET
        )
        pages.append(measure(text, article.title))
        targets.append((share_b + share_a * (1 - share_b)) / SHARE_PER_UNIT_Z)
    return pages, np.array(targets)


def seed_pages() -> list[Measured]:
    return [measure(path.read_text(), "") for path in sorted(SEEDS.glob("*.txt"))]


def fit(data: Path, limit: int | None, seed: int) -> dict[str, object]:
    started = time.perf_counter()
    articles = load_articles(data, half=0, limit=limit)
    scales = fit_scales([measure(article.text, article.title) for article in articles])
    pages, y = labelled_set(articles, seed)
    seeds = seed_pages()
    x = features([*pages, *seeds], scales)
    seed_weight = len(y) / SEED_SHARE_DIVISOR
    weights = np.concatenate([np.ones(len(y)), np.full(len(seeds), seed_weight / len(seeds))])
    model = LinearRegression(positive=True, fit_intercept=False)
    model.fit(x, np.concatenate([y, np.full(len(seeds), SEED_Z)]), sample_weight=weights)
    return {
        "model": "score = 1 - exp(-sum(weight * component))",
        "weights": dict(zip(COMPONENTS, np.round(model.coef_, 4).tolist(), strict=True)),
        "scales": {name: {"floor": s.floor, "noise": s.noise} for name, s in scales.items()},
        "fitted_on": {
            "articles": len(articles),
            "rows": int(len(y) + len(seeds)),
            "target": f"z = injected share / {SHARE_PER_UNIT_Z}; seeds z = {SEED_Z}",
            "floors": f"{FLOOR_QUANTILE:.1%} of whole clean articles",
            "seed": seed,
            "recipe": "benchmarks/fit_filler.py",
        },
        "seconds": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--articles", type=int, default=None, help="fit on the first N only")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--out", type=Path, default=WEIGHTS_PATH)
    args = parser.parse_args()
    result = fit(args.data, args.articles, args.seed)
    seconds = result.pop("seconds")
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result["weights"]), json.dumps(result["scales"]), f"({seconds}s)")


if __name__ == "__main__":
    main()
