"""Self-contained HTML report of a scan, for an auditor who would rather look than read JSON.

The overview (counts, filler-score chart, largest clusters, worst pages, page table) is rendered
here with strict escaping, so it reads even without JavaScript and prints well. Page views are
built in the browser on demand from one embedded JSON copy of the data: a scan of thousands of
pages must not become thousands of highlighted page views in the DOM at once.

Scanned pages are untrusted, so three guards stand between their text and the browser:
everything rendered here goes through `html.escape`; the embedded JSON escapes `<`, `>`, `&` and
the JavaScript line separators so no `</script>` or `<!--` in a page can end the data block; and a
Content-Security-Policy admits only this report's own inline script and style, by hash, and no
network at all. The script itself only ever puts page text into text nodes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from importlib.resources import files
from itertools import accumulate
from typing import Any

from dupdetect.model import covered_fraction

HISTOGRAM_BINS = 10
HIGH_FILLER_SCORE = 0.5  # midpoint of the 0..1 score: at or above it, filler outweighs content
WORST_PAGES_SHOWN = 10
CLUSTERS_SHOWN = 10
CLUSTER_MEMBERS_SHOWN = 6
PASSAGE_PREVIEW_CHARS = 320
PALETTE_SIZE = 8  # colour classes k0..k7 in report.css; components beyond eight reuse colours

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_JSON_IN_HTML_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)

# (column title, "text" or "number": how report.js compares the cells when sorting)
_TABLE_COLUMNS = (
    ("Page", "text"),
    ("Words", "number"),
    ("Filler score", "number"),
    ("Filler share", "number"),
    ("Repeated", "number"),
    ("Shared", "number"),
    ("Closest duplicate", "number"),
    ("Removed", "number"),
)

Range = tuple[int, int]


@dataclass(frozen=True)
class _Page:
    """One page of the result with every optional key filled in and every offset clamped.

    The report may be fed a result from an older or partial scan, so nothing here assumes a
    key is present; offsets are code-point offsets into `text`, as in the JSON contract.
    """

    source: str
    title: str
    text: str
    words: int
    score: float
    fraction: float
    repeated: float
    seen_before: bool
    components: tuple[tuple[str, float], ...]
    filler: tuple[tuple[Range, str, str], ...]  # (range, component, note)
    repeats: tuple[tuple[float, Range, Range], ...]  # (similarity, first, second)
    shared: tuple[tuple[str, float, Range, Range], ...]  # (other, similarity, here, there)
    near: tuple[tuple[str, float], ...]  # (other, similarity)
    removed: tuple[tuple[int, str, str], ...]  # (at, reason, text)

    @property
    def closest(self) -> float:
        return max((similarity for _, similarity in self.near), default=0.0)


class _Utf16Offsets:
    """Maps code-point offsets (Python strings) to UTF-16 offsets (JavaScript strings).

    The browser slices page text by UTF-16 code units, so any character outside the Basic
    Multilingual Plane (emoji, some CJK) before a span would shift every highlight after it.
    """

    def __init__(self, text: str) -> None:
        self._length = len(text)
        self._astral_before: list[int] | None = None
        if _ASTRAL.search(text):
            self._astral_before = list(accumulate((ord(c) > 0xFFFF for c in text), initial=0))

    def __call__(self, offset: int) -> int:
        offset = min(max(offset, 0), self._length)
        return offset if self._astral_before is None else offset + self._astral_before[offset]


class _Links:
    """Hash links into the page view, by source: `#page=<index>` and `&at=<start>-<end>`."""

    def __init__(self, pages: Sequence[_Page]) -> None:
        self.index_of: dict[str, int] = {}
        for index, page in enumerate(pages):
            self.index_of.setdefault(page.source, index)
        self.offsets = [_Utf16Offsets(page.text) for page in pages]

    def page(self, source: str) -> str | None:
        index = self.index_of.get(source)
        return None if index is None else f"#page={index}"

    def passage(self, source: str, start: int, end: int) -> str | None:
        index = self.index_of.get(source)
        if index is None:
            return None
        to_js = self.offsets[index]
        return f"#page={index}&at={to_js(start)}-{to_js(end)}"


def render_html(result: Mapping[str, Any]) -> str:
    """One self-contained HTML document (no network, no external assets) for a scan result."""
    pages = [_normalise_page(raw) for raw in _list(result.get("pages"))]
    components = _component_names(pages)
    links = _Links(pages)
    clusters = [c for c in _list(result.get("clusters")) if isinstance(c, Mapping)]
    errors = [e for e in _list(result.get("errors")) if isinstance(e, Mapping)]
    summary = result.get("summary") if isinstance(result.get("summary"), Mapping) else {}
    overview = "\n".join(
        [
            '<section id="overview">',
            _summary_cards(pages, errors, clusters, summary),
            '<div class="grid-2">',
            _score_chart(pages),
            _worst_pages(pages, components),
            "</div>",
            _largest_clusters(clusters, pages, links),
            _pages_table(pages),
            _errors_panel(errors),
            "</section>",
        ]
    )
    payload = _client_payload(pages, components, links)
    return _document(_header(pages, errors, summary), overview, _json_for_script(payload))


# ----- reading the result --------------------------------------------------------------------


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


def _number(value: Any, default: float = 0.0) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return number if number == number else default  # NaN would poison sorting and charts


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def _offset(value: Any, length: int) -> int:
    return min(max(int(_number(value)), 0), length)


def _range(span: Any, length: int) -> Range | None:
    """`(start, end)` of a span dict clamped to the text, or None when absent or empty."""
    if not isinstance(span, Mapping):
        return None
    start = _offset(span.get("start"), length)
    end = max(_offset(span.get("end"), length), start)
    return (start, end) if end > start else None


def _raw_range(span: Any) -> Range | None:
    """`(start, end)` of a span on another page, whose text length is not known yet."""
    if not isinstance(span, Mapping):
        return None
    start = max(int(_number(span.get("start"))), 0)
    return start, max(int(_number(span.get("end"))), start)


def _normalise_page(raw: Any) -> _Page:
    page: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    text = _text(page.get("text"))
    filler = page.get("filler") if isinstance(page.get("filler"), Mapping) else {}
    repeats = tuple(_repeats(page.get("repeats"), len(text)))
    shared = tuple(_shared(page.get("shared"), len(text)))
    return _Page(
        source=_text(page.get("source")),
        title=_text(page.get("title")),
        text=text,
        words=int(_number(page.get("words"), len(text.split()))),
        score=_number(filler.get("score")),
        fraction=_number(filler.get("fraction")),
        repeated=_number(page.get("repeated_fraction"), _repeated_fraction(repeats, shared, text)),
        seen_before=bool(page.get("seen_before")),
        components=tuple(
            (_text(name), _number(value))
            for name, value in (filler.get("components") or {}).items()
        ),
        filler=tuple(_filler_spans(filler.get("spans"), len(text))),
        repeats=repeats,
        shared=shared,
        near=tuple(
            (_text(d.get("other")), _number(d.get("similarity")))
            for d in _list(page.get("near_duplicates"))
            if isinstance(d, Mapping)
        ),
        removed=tuple(
            (_offset(r.get("at"), len(text)), _text(r.get("reason")), _text(r.get("text")))
            for r in _list(page.get("removed"))
            if isinstance(r, Mapping)
        ),
    )


def _filler_spans(spans: Any, length: int) -> Iterable[tuple[Range, str, str]]:
    for span in _list(spans):
        where = _range(span, length)
        if where:
            yield where, _text(span.get("component")), _text(span.get("note"))


def _repeats(repeats: Any, length: int) -> Iterable[tuple[float, Range, Range]]:
    for repeat in _list(repeats):
        if not isinstance(repeat, Mapping):
            continue
        first, second = _range(repeat.get("first"), length), _range(repeat.get("second"), length)
        if first and second:
            yield _number(repeat.get("similarity")), first, second


def _shared(shared: Any, length: int) -> Iterable[tuple[str, float, Range, Range]]:
    for passage in _list(shared):
        if not isinstance(passage, Mapping):
            continue
        here, there = _range(passage.get("here"), length), _raw_range(passage.get("there"))
        if here and there:
            yield _text(passage.get("other")), _number(passage.get("similarity")), here, there


def _repeated_fraction(
    repeats: Sequence[tuple[float, Range, Range]],
    shared: Sequence[tuple[str, float, Range, Range]],
    text: str,
) -> float:
    """Same measure as `PageReport.repeated_fraction`, for results that lack the key."""
    spans = [r[1] for r in repeats] + [r[2] for r in repeats] + [s[2] for s in shared]
    return covered_fraction(spans, len(text))


def _component_names(pages: Iterable[_Page]) -> list[str]:
    """Every filler component in first-seen order, so each keeps one colour across the report."""
    names: dict[str, None] = {}
    for page in pages:
        names.update((name, None) for name, _ in page.components)
        names.update((component, None) for _, component, _ in page.filler)
    return list(names)


# ----- data for the page views ---------------------------------------------------------------


def _client_payload(pages: Sequence[_Page], components: list[str], links: _Links) -> dict[str, Any]:
    """Compact per-page data for report.js; its tuple layouts are documented there too."""
    component_index = {name: i for i, name in enumerate(components)}
    return {
        "components": components,
        "pages": [
            _client_page(page, links.offsets[index], component_index, links)
            for index, page in enumerate(pages)
        ],
    }


def _client_page(
    page: _Page,
    to_js: Callable[[int], int],
    component_index: dict[str, int],
    links: _Links,
) -> dict[str, Any]:
    return {
        "source": page.source,
        "title": page.title,
        "text": page.text,
        "words": page.words,
        "score": page.score,
        "fraction": page.fraction,
        "repeated": page.repeated,
        "seen_before": page.seen_before,
        "components": [[component_index[name], value] for name, value in page.components],
        "filler": [
            [to_js(start), to_js(end), component_index[component], note]
            for (start, end), component, note in page.filler
        ],
        "repeats": [
            [similarity, to_js(first[0]), to_js(first[1]), to_js(second[0]), to_js(second[1])]
            for similarity, first, second in page.repeats
        ],
        "shared": [
            _client_shared(other, similarity, here, there, to_js, links)
            for other, similarity, here, there in page.shared
        ],
        "near": [
            [links.index_of.get(other, -1), other, similarity] for other, similarity in page.near
        ],
        "removed": [[to_js(at), reason, text] for at, reason, text in page.removed],
    }


def _client_shared(
    other: str,
    similarity: float,
    here: Range,
    there: Range,
    to_js: Callable[[int], int],
    links: _Links,
) -> list[Any]:
    """`[other index or -1, other source, similarity, here start, here end, there start, end]`."""
    other_index = links.index_of.get(other, -1)
    there_js = links.offsets[other_index] if other_index >= 0 else to_js
    return [
        other_index,
        other,
        similarity,
        to_js(here[0]),
        to_js(here[1]),
        there_js(there[0]),
        there_js(there[1]),
    ]


def _json_for_script(data: Any) -> str:
    """JSON that cannot end its `<script>` element or open a comment, whatever the page text."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(
        _JSON_IN_HTML_ESCAPES
    )


# ----- overview --------------------------------------------------------------------------------


def _header(pages: Sequence[_Page], errors: Sequence[Any], summary: Mapping[str, Any]) -> str:
    scanned = int(_number(summary.get("pages"), len(pages)))
    failed = int(_number(summary.get("errors"), len(errors)))
    return (
        '<header class="top"><h1><a href="#">dupdetect report</a></h1>'
        f'<p class="meta">{scanned} pages scanned · {failed} errors</p></header>'
    )


def _card(value: str, label: str, *, alarming: bool = False) -> str:
    css = "card bad" if alarming else "card"
    return (
        f'<div class="{css}"><span class="num">{escape(value)}</span>'
        f'<span class="label">{escape(label)}</span></div>'
    )


def _summary_cards(
    pages: Sequence[_Page],
    errors: Sequence[Any],
    clusters: Sequence[Any],
    summary: Mapping[str, Any],
) -> str:
    scanned = int(_number(summary.get("pages"), len(pages)))
    failed = int(_number(summary.get("errors"), len(errors)))
    skipped = int(_number(summary.get("skipped")))
    padded = sum(page.score >= HIGH_FILLER_SCORE for page in pages)
    copying = sum(bool(page.shared) for page in pages)
    mean = sum(page.score for page in pages) / len(pages) if pages else 0.0
    cards = [
        _card(str(scanned), "pages scanned"),
        _card(str(failed), "errors", alarming=failed > 0),
        _card(str(skipped), "skipped"),
        _card(f"{mean:.2f}", "mean filler score"),
        _card(str(padded), f"pages scoring ≥ {HIGH_FILLER_SCORE:.1f}", alarming=padded > 0),
        _card(str(copying), "pages sharing passages"),
        _card(str(len(clusters)), "clusters of shared passages"),
    ]
    return f'<div class="cards">{"".join(cards)}</div>'


def _score_histogram(scores: Iterable[float]) -> list[int]:
    counts = [0] * HISTOGRAM_BINS
    for score in scores:
        counts[min(max(int(score * HISTOGRAM_BINS), 0), HISTOGRAM_BINS - 1)] += 1
    return counts


def _score_chart(pages: Sequence[_Page]) -> str:
    """Bar chart of filler scores in tenths, as inline SVG (no style attributes: CSP-safe)."""
    counts = _score_histogram(page.score for page in pages)
    width, height, top, bottom = 400, 170, 18, 22
    bar_width = width / HISTOGRAM_BINS
    tallest = max(counts) or 1
    bars, labels = [], []
    for i, count in enumerate(counts):
        low = i / HISTOGRAM_BINS
        bar_height = (height - top - bottom) * count / tallest
        x, y = i * bar_width + 3, height - bottom - bar_height
        css = "bin high" if low >= HIGH_FILLER_SCORE else "bin"
        bars.append(
            f'<rect class="{css}" x="{x:.1f}" y="{y:.1f}" width="{bar_width - 6:.1f}" '
            f'height="{bar_height:.1f}">'
            f"<title>{low:.1f}–{low + 0.1:.1f}: {count} pages</title></rect>"
        )
        if count:
            labels.append(
                f'<text class="count" x="{x + (bar_width - 6) / 2:.1f}" y="{y - 4:.1f}" '
                f'text-anchor="middle">{count}</text>'
            )
    ticks = "".join(
        f'<text x="{i * bar_width:.1f}" y="{height - 6}" text-anchor="{_tick_anchor(i)}">'
        f"{i / HISTOGRAM_BINS:.1f}</text>"
        for i in range(0, HISTOGRAM_BINS + 1, 2)
    )
    description = ", ".join(
        f"{i / HISTOGRAM_BINS:.1f} to {(i + 1) / HISTOGRAM_BINS:.1f}: {count}"
        for i, count in enumerate(counts)
    )
    return (
        '<section class="panel"><h2>Filler scores</h2>'
        '<p class="hint">Pages per score band; orange bands score at or above '
        f"{HIGH_FILLER_SCORE:.1f}.</p>"
        f'<svg class="histogram" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Pages per filler score band: {description}">'
        f'<line class="axis" x1="0" x2="{width}" y1="{height - bottom}" y2="{height - bottom}"/>'
        f"{''.join(bars)}{''.join(labels)}{ticks}</svg></section>"
    )


def _tick_anchor(tick: int) -> str:
    if tick == 0:
        return "start"
    return "end" if tick == HISTOGRAM_BINS else "middle"


def _component_bars(page: _Page, components: list[str]) -> str:
    """Small bars, one per filler component; same markup as report.js builds."""
    items = []
    for name, value in page.components:
        colour = f"fill-k{components.index(name) % PALETTE_SIZE}"
        width = min(max(value, 0.0), 1.0) * 100
        items.append(
            f"<li>{escape(name)}"
            '<svg viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true">'
            '<rect class="track" width="100" height="6"/>'
            f'<rect class="{colour}" width="{width:.1f}" height="6"/></svg>'
            f'<span class="value">{value:.2f}</span></li>'
        )
    return f'<ul class="bars">{"".join(items)}</ul>' if items else ""


def _page_link(page: _Page, href: str) -> str:
    title = f'<span class="title">{escape(page.title)}</span>' if page.title else ""
    return f'<a class="page-link" href="{escape(href)}">{escape(page.source)}{title}</a>'


def _worst_pages(pages: Sequence[_Page], components: list[str]) -> str:
    ranked = sorted(
        (i for i, page in enumerate(pages) if page.score > 0),
        key=lambda i: (-pages[i].score, -pages[i].repeated, i),
    )[:WORST_PAGES_SHOWN]
    items = "".join(
        f'<li><span class="score-badge">{pages[i].score:.2f}</span><div>'
        f"{_page_link(pages[i], f'#page={i}')}{_component_bars(pages[i], components)}</div></li>"
        for i in ranked
    )
    body = f'<ol class="worst">{items}</ol>' if items else _empty("No page scored above zero.")
    return (
        '<section class="panel"><h2>Worst pages</h2>'
        f'<p class="hint">Highest filler scores, with their components.</p>{body}</section>'
    )


def _cluster_member(member: Mapping[str, Any], links: _Links) -> str:
    source = _text(member.get("source"))
    start, end = int(_number(member.get("start"))), int(_number(member.get("end")))
    href = links.passage(source, start, end)
    name = escape(source)
    return f'<li><a href="{escape(href)}">{name}</a></li>' if href else f"<li>{name}</li>"


def _cluster_passage(
    members: Sequence[Mapping[str, Any]], pages: Sequence[_Page], links: _Links
) -> str:
    """The shared passage as written on its first member (from the page text when not given)."""
    if not members:
        return ""
    first = members[0]
    text = _text(first.get("text"))
    index = links.index_of.get(_text(first.get("source")))
    if not text and index is not None:
        where = _range(first, len(pages[index].text))
        text = pages[index].text[where[0] : where[1]] if where else ""
    return text if len(text) <= PASSAGE_PREVIEW_CHARS else text[: PASSAGE_PREVIEW_CHARS - 1] + "…"


def _cluster_item(cluster: Mapping[str, Any], pages: Sequence[_Page], links: _Links) -> str:
    members = [m for m in _list(cluster.get("members")) if isinstance(m, Mapping)]
    size = int(_number(cluster.get("size"), len({_text(m.get("source")) for m in members})))
    shown = "".join(_cluster_member(m, links) for m in members[:CLUSTER_MEMBERS_SHOWN])
    hidden = len(members) - CLUSTER_MEMBERS_SHOWN
    more = f"<li>… and {hidden} more occurrences</li>" if hidden > 0 else ""
    return (
        f'<li><div class="cluster-head"><strong>{size} pages</strong> · similarity '
        f"{_number(cluster.get('similarity')):.2f}</div>"
        f'<blockquote class="passage">{escape(_cluster_passage(members, pages, links))}'
        "</blockquote>"
        f'<ul class="members">{shown}{more}</ul></li>'
    )


def _cluster_size(cluster: Mapping[str, Any]) -> float:
    return _number(cluster.get("size"), len(_list(cluster.get("members"))))


def _largest_clusters(
    clusters: Sequence[Mapping[str, Any]], pages: Sequence[_Page], links: _Links
) -> str:
    ranked = sorted(clusters, key=lambda c: (-_cluster_size(c), -_number(c.get("similarity"))))
    items = "".join(_cluster_item(cluster, pages, links) for cluster in ranked[:CLUSTERS_SHOWN])
    body = (
        f'<ul class="clusters">{items}</ul>'
        if items
        else _empty("No passage is shared by several pages.")
    )
    return (
        '<section class="panel"><h2>Largest clusters of shared passages</h2>'
        '<p class="hint">The same passage standing on several pages; '
        f"{len(clusters)} clusters in all.</p>"
        f"{body}</section>"
    )


def _column_header(title: str, kind: str) -> str:
    numeric = ' class="n"' if kind == "number" else ""
    return (
        f'<th scope="col"{numeric} data-type="{kind}" aria-sort="none">'
        f'<button type="button">{escape(title)}</button></th>'
    )


def _table_header() -> str:
    cells = "".join(_column_header(title, kind) for title, kind in _TABLE_COLUMNS)
    return f"<thead><tr>{cells}</tr></thead>"


def _number_cell(value: float, shown: str) -> str:
    return f'<td class="n" data-value="{value:.6g}">{shown}</td>'


def _table_row(index: int, page: _Page) -> str:
    seen = '<span class="tag">seen before</span>' if page.seen_before else ""
    return (
        f'<tr data-index="{index}"><td class="src" data-value="{escape(page.source)}">'
        f"{_page_link(page, f'#page={index}')}{seen}</td>"
        f"{_number_cell(page.words, str(page.words))}"
        f"{_number_cell(page.score, f'{page.score:.2f}')}"
        f"{_number_cell(page.fraction, f'{page.fraction:.0%}')}"
        f"{_number_cell(page.repeated, f'{page.repeated:.0%}')}"
        f"{_number_cell(len(page.shared), str(len(page.shared)))}"
        f"{_number_cell(page.closest, f'{page.closest:.2f}' if page.near else '–')}"
        f"{_number_cell(len(page.removed), str(len(page.removed)))}</tr>"
    )


def _pages_table(pages: Sequence[_Page]) -> str:
    rows = "\n".join(_table_row(index, page) for index, page in enumerate(pages))
    return (
        '<section class="panel"><h2>All pages</h2>'
        '<div class="controls">'
        '<input type="search" id="filter-text" placeholder="Filter by source or title" '
        'aria-label="Filter pages by source or title">'
        '<label>Filler score at least <input type="number" id="filter-score" min="0" max="1" '
        'step="0.05" value="0"></label>'
        '<span class="count" id="filter-count" aria-live="polite">'
        f"{len(pages)} of {len(pages)} pages</span></div>"
        '<p class="hint">Click a column title to sort; '
        "click a page to see its text with highlights.</p>"
        f'<div class="table-wrap"><table class="pages" id="pages-table">{_table_header()}'
        f"<tbody>\n{rows}\n</tbody></table></div></section>"
    )


def _errors_panel(errors: Sequence[Mapping[str, Any]]) -> str:
    items = "".join(
        f"<li>{escape(_text(e.get('source')))}: "
        f'<span class="why">{escape(_text(e.get("error")))}</span></li>'
        for e in errors
    )
    body = f'<ul class="errors">{items}</ul>' if items else _empty("Every input was scanned.")
    return f'<section class="panel"><h2>Errors</h2>{body}</section>'


def _empty(message: str) -> str:
    return f'<p class="empty">{escape(message)}</p>'


# ----- document --------------------------------------------------------------------------------


def _asset(name: str) -> str:
    return files("dupdetect.report").joinpath("html_assets", name).read_text(encoding="utf-8")


def _sha256_source(content: str) -> str:
    digest = hashlib.sha256(content.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _content_security_policy(style: str, script: str) -> str:
    """Only this report's own inline style and script may apply; nothing may be fetched."""
    return (
        "default-src 'none'; "
        f"script-src {_sha256_source(script)}; "
        f"style-src {_sha256_source(style)}; "
        "base-uri 'none'; form-action 'none'"
    )


def _document(header: str, overview: str, data_json: str) -> str:
    style, script = _asset("report.css"), _asset("report.js")
    policy = _content_security_policy(style, script)
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{escape(policy)}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light dark">\n'
        "<title>dupdetect report</title>\n"
        f"<style>{style}</style>\n</head>\n<body>\n{header}\n<main>\n{overview}\n"
        '<section id="page-view" hidden></section>\n'
        "<noscript><p>Page views need JavaScript; the overview above works without it.</p>"
        "</noscript>\n"
        "</main>\n"
        f'<script type="application/json" id="report-data">{data_json}</script>\n'
        f"<script>{script}</script>\n</body>\n</html>\n"
    )
