"""Main content of an HTML page: blocks in reading order, boilerplate removed with reasons.

Why this shape: tree building dominates the cost, so the tree is built once by lxml (about ten
times faster than beautifulsoup's own builder) and walked once, iteratively (100,000 nested
tags must not hit Python's recursion limit). The walk turns the tree into flat blocks
(paragraphs, headings, list items, table rows) that remember their container element, the
boilerplate-marked ancestors around them (tag, ARIA role, class/id words, hidden), and how much
of their text is link text. A small marked subtree (a menu, a cookie bar) is taken whole as
one block, its text gathered in C rather than walked (see `_prunable`): most of a page's
elements sit in such subtrees. Every decision after that works on blocks:

1. Wrapper guard: a marked element holding most of the page's prose is a wrapper with an
   unlucky class ("page-with-sidebar"), not boilerplate; its mark is dropped. So are marks
   from a class word whose elements together hold most of it (a page builder's "widget"),
   except comment marks beside a full article. Class tokens that describe layout or state
   ("has-sidebar", "menu-open"), and any class of `<html>` and `<body>`, mark nothing.
2. Content root: the deepest element holding at least ROOT_SHARE of the page's dense,
   unmarked text, narrowed to a container the page names as its content (articleBody,
   `<article>`, `<main>`) when that holds HINT_SHARE of it. Blocks outside it are
   boilerplate; this keeps whole forums and product pages (many posts, one root) as well as
   single articles.
3. Inside the root: marked blocks go with their mark's reason, link-dense blocks as
   navigation, then the shared promo rules (`promos.mark_promos`), the debris rule, and a
   short run of short lines after the last prose block (calls to action, sign-offs).
4. Undo guard: if all that leaves almost nothing of a page that has text, the page is
   re-extracted with only hard boilerplate (marks, link lists) removed.
5. The headline heading moves to `Extraction.title` (removed as "title"), as in WCXB's
   ground truth, where main text starts below the headline.

Known limit: libxml2 caps tree depth (2,048 levels) and drops what lies deeper, so a page
nested deeper is refused with an `InputError` rather than scored on a truncated tree.

A crawler holding a BeautifulSoup object passes it as `soup=`; it is serialised and parsed by
the same builder, so there is one set of rules for both trees.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from lxml import etree

from dupdetect.config import DEFAULT_CONFIG, Config
from dupdetect.decode import decode_to_utf8
from dupdetect.errors import InputError
from dupdetect.extract.assemble import assemble
from dupdetect.extract.promos import Candidate, mark_debris, mark_promos, words_of
from dupdetect.model import Extraction

if TYPE_CHECKING:
    import bs4

ROOT_SHARE = 0.75
"""The content root holds at least this share of the page's dense text: high enough to skip
a sidebar's worth, low enough that a stray dense block elsewhere cannot pull the root to body."""
HINT_SHARE = 0.5
"""A self-declared content container (articleBody, `<article>`) becomes the root when it holds
this share of the dense text; less means the page misuses the tag (one `<article>` per teaser)."""
WRAPPER_SHARE = 0.4
"""A marked element holding this share of the dense text is a wrapper, not boilerplate."""
DENSE_MIN_WORDS = 10
"""Blocks of at least this many words (and few links) are the evidence for the content root."""
MAX_LINK_DENSITY = 0.5
"""Blocks whose text is more than this share link text are navigation or link lists."""
DENSE_MAX_LINK_DENSITY = 0.25
"""Dense evidence blocks have at most this share of link text."""
LONG_LINK_CHARS = 25
"""Links this long on average are headlines or teasers (content of a listing page), shorter
ones are menu entries."""
PRUNE_SHARE = 0.1
"""A marked subtree under this share of the page's text is taken whole, unwalked."""
PRUNE_SOURCE_SHARE = 0.3
"""...provided all subtrees marked by the same evidence hold under this share together."""
TRAILING_MAX_WORDS = 8
"""Lines after the last prose block this short are furniture (see `_mark_trailing_furniture`)."""
TRAILING_MAX_BLOCKS = 6
"""...when at most this many of them end the page; a longer run is a grid of items."""
ARTICLE_BESIDE_COMMENTS = 2500
"""Unmarked dense text (about 400 words, a full story) beside a comment thread that outgrows it:
the page is an article with its comments, not a forum whose posts are marked as comments, so
the comment marks stand however much text they hold."""
MIN_KEPT_SHARE = 0.1
"""If pruning keeps less than this share of the page's words, the undo guard steps in."""

_DROPPED_TAGS = (
    "script", "style", "template", "svg", "math", "iframe", "object", "embed",
    "canvas", "video", "audio", "map", "select", "option", "button", "input", "textarea",
    "link", "meta", "title", "base", "dialog",
)  # fmt: skip
_BLOCK_TAGS = frozenset(
    "p div section article main aside header footer nav ul ol li dl dt dd table thead tbody "
    "tfoot tr caption h1 h2 h3 h4 h5 h6 pre blockquote figure figcaption form fieldset legend "
    "address details summary hr center body html".split()
)
_KIND_OF_TAG = {
    **dict.fromkeys(("h1", "h2", "h3", "h4", "h5", "h6"), "heading"),
    **dict.fromkeys(("li", "dt", "dd"), "list"),
    **dict.fromkeys(("tr", "caption"), "table"),
    "pre": "pre",
    "blockquote": "quote",
}
_CELL_TAGS = frozenset({"td", "th"})
_SWALLOWED_TAGS = ("p", "article", "section", "main", "h1", "h2", "h3")
_REASON_OF_TAG = {
    "nav": "navigation",
    "footer": "footer",
    "aside": "sidebar",
    "header": "header",
    "noscript": "hidden",  # fallback markup; kept by the wrapper guard when it is the content
}
_REASON_OF_ROLE = {
    "navigation": "navigation",
    "banner": "header",
    "contentinfo": "footer",
    "complementary": "sidebar",
    "search": "navigation",
    "menu": "navigation",
    "menubar": "navigation",
    "dialog": "boilerplate",
    "alertdialog": "cookie",
}
# class/id words of boilerplate, each with its reason. Matched against whole words of the
# class and id values split at "-", "_" and spaces (so "sidebar-widget" hits, "adverb" not).
_REASON_OF_CLASS_WORD = {
    **dict.fromkeys(
        "nav navbar navigation menu menus breadcrumb breadcrumbs skip pagination pager toc "
        "subnav megamenu".split(),
        "navigation",
    ),
    **dict.fromkeys("footer colophon".split(), "footer"),
    **dict.fromkeys("masthead topbar".split(), "header"),
    **dict.fromkeys("sidebar widget widgets aside rail".split(), "sidebar"),
    **dict.fromkeys(
        "share shares sharing social sociallinks sharedaddy addthis sharethis".split(), "share"
    ),
    **dict.fromkeys(
        "newsletter subscribe subscription signup optin mailchimp".split(), "newsletter"
    ),
    **dict.fromkeys(
        "related recommended recommendations recirc outbrain taboola trending popular "
        "morestories".split(),
        "related",
    ),
    **dict.fromkeys("promo promos promoted banner cta upsell".split(), "promo"),
    **dict.fromkeys("cookie cookies consent gdpr cmp".split(), "cookie"),
    **dict.fromkeys(
        "ad ads adsbygoogle advert advertisement advertising sponsor sponsored dfp "
        "adslot adunit".split(),
        "advertisement",
    ),
    **dict.fromkeys("comment comments disqus respond".split(), "comments"),
    **dict.fromkeys("hidden sr sronly visuallyhidden screenreadertext invisible".split(), "hidden"),
    **dict.fromkeys("tweet twitter instagram tiktok".split(), "embed"),
    **dict.fromkeys("modal popup overlay disclaimer legal".split(), "boilerplate"),
    # the author box under an article and the byline over it: about the writer, not the text
    **dict.fromkeys("author bio authorbox authorbio byline dateline".split(), "byline"),
}
# Words that turn a class token into a description of the page's layout or state rather than
# of the element: "has-sidebar", "no-sidebar", "sidebar-layout", "menu-open", "widget-template",
# "field--label-hidden" (the label is hidden, not the text).
_LAYOUT_WORDS = frozenset(
    "has with no show visible open enabled layout label labels title icon populated "
    "template".split()
)
_SECTIONING = frozenset({"article", "section", "main"})
_TITLE_ELIGIBLE = frozenset({None, "boilerplate", "header"})
_TRAILING_KINDS = frozenset({"paragraph", "heading"})
_COMMENT_SOURCES = frozenset(
    word for word, reason in _REASON_OF_CLASS_WORD.items() if reason == "comments"
)
_CONTENT_HINT = re.compile(
    r"\b(?:entry|post|article|story|blog|single|page)[-_]?(?:content|body|text)\b|\barticlebody\b"
    r"|\bmarkdown-body\b|\bprose\b"
)
_REASON_WORDS = frozenset(_REASON_OF_CLASS_WORD)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_SPACE = re.compile(r"\s+")
_XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*>", re.I)


class _Mark(NamedTuple):
    """A boilerplate-looking element, its reason, and the evidence (tag, role or class word)."""

    element: etree._Element
    reason: str
    source: str


@dataclass(frozen=True)
class _Void:
    """Marks found to be wrong on this page: wrapper elements and site-wide layout words."""

    elements: frozenset[etree._Element]
    sources: frozenset[str]

    def __contains__(self, mark: _Mark) -> bool:
        return mark.element in self.elements or mark.source in self.sources


@dataclass(slots=True)
class _RawBlock:
    """A block straight out of the walk, before any decision.

    The link measures are derived once, at creation: every decision reads them, several times
    per block.
    """

    text: str
    kind: str
    link_chars: int
    container: etree._Element | None
    marks: tuple[_Mark, ...]
    words: int
    links: int
    link_density: float = field(init=False)
    is_link_list: bool = field(init=False)
    """Mostly short links (menus, tag clouds); a long linked headline or teaser is not."""
    is_dense: bool = field(init=False)
    """Evidence of content: long enough, and not a list of short links."""
    is_prose: bool = field(init=False)
    """Dense and with few links at all: running text, not a box of linked teasers."""

    def __post_init__(self) -> None:
        self.link_density = self.link_chars / len(self.text) if self.text else 0.0
        self.is_link_list = self.link_density > MAX_LINK_DENSITY and (
            self.link_chars < LONG_LINK_CHARS * max(self.links, 1)
        )
        self.is_dense = self.words >= DENSE_MIN_WORDS and (
            self.link_density <= DENSE_MAX_LINK_DENSITY or not self.is_link_list
        )
        self.is_prose = self.is_dense and self.link_density <= DENSE_MAX_LINK_DENSITY


def extract_html(
    html: str | bytes,
    source: str = "",
    *,
    soup: bs4.BeautifulSoup | None = None,
    config: Config = DEFAULT_CONFIG,
) -> Extraction:
    """Main text of an HTML page; raises `InputError` when it holds no text at all."""
    del config  # one signature for every extractor; no HTML-specific setting yet
    root = _parse(str(soup) if soup is not None else html)
    title = page_title(root)
    _unwrap_swallowing_buttons(root)
    etree.strip_elements(root, *_DROPPED_TAGS, with_tail=False)
    blocks = _walk(root)
    if not blocks:
        raise InputError("no main text: the page has no visible text")
    candidates = _choose_main_content(blocks)
    if _kept_words(candidates, blocks) < MIN_KEPT_SHARE * sum(block.words for block in blocks):
        candidates = _choose_main_content(blocks, prune_outside_root=False)
    _mark_title_heading(candidates, title)
    mark_promos(candidates)
    mark_debris(candidates)
    _mark_trailing_furniture(candidates, blocks)
    return assemble(source, title, candidates)


def _parse(html: str | bytes) -> etree._Element:
    """The lxml tree of `html`. Text is handed to libxml2 as UTF-8 bytes with the encoding
    fixed: twice as fast as a Python str, and no `<meta charset>` can re-decode it wrongly.
    Element ids are not indexed (`collect_ids`): nothing looks elements up by id."""
    if isinstance(html, bytes | bytearray):
        data = decode_to_utf8(html)
    else:
        data = html.encode("utf-8", errors="replace")
    data = _XML_DECLARATION.sub(b"", data, count=1)
    if not data.strip():
        raise InputError("empty input: no text")
    parser = etree.HTMLParser(
        remove_comments=True,
        remove_pis=True,
        no_network=True,
        huge_tree=True,
        collect_ids=False,
        encoding="utf-8",
    )
    try:
        root = etree.fromstring(data, parser)
    except (etree.ParserError, ValueError) as error:
        raise InputError(f"unparseable HTML: {error}") from None
    if root is None:
        raise InputError("unparseable HTML: no elements")
    if any(entry.type_name == "ERR_RESOURCE_LIMIT" for entry in parser.error_log):
        # libxml2 stops at 2048 nested elements even with huge_tree and drops the rest: a page
        # cut short is refused rather than scored on the part before the cut.
        raise InputError("unparseable HTML: elements nested deeper than the parser's limit")
    _adopt_stray_roots(root)
    return root


def _adopt_stray_roots(root: etree._Element) -> None:
    """Top-level elements after the root move into it, so their text is walked.

    libxml2 starts a second document-level element when markup reopens `<html>` or `<body>`
    in odd places (a stray `</html>` before the article, say); `fromstring` returns only the
    first, and the page's main text would silently be lost with the rest.
    """
    for stray in list(root.itersiblings()):
        root.append(stray)


def _unwrap_swallowing_buttons(root: etree._Element) -> None:
    """A `<button>` that holds paragraphs or sections swallowed the page: it stays, as a div.

    libxml2 leaves a button open when its markup is malformed (an unclosed element inside), so
    the rest of the page becomes its content; dropping buttons whole would then drop the
    article. A real button holds a label and an icon, never a paragraph.
    """
    for button in root.iter("button"):
        if next(button.iter(*_SWALLOWED_TAGS), None) is not None:
            button.tag = "div"


def page_title(root: etree._Element) -> str:
    """og:title, else <title>, else the first <h1>: the page's own name for itself."""
    for meta in root.iter("meta"):
        if meta.get("property") == "og:title" and (meta.get("content") or "").strip():
            return _SPACE.sub(" ", meta.get("content", "")).strip()
    for tag in ("title", "h1"):
        element = next(root.iter(tag), None)
        if element is not None:
            text = _SPACE.sub(" ", "".join(element.itertext())).strip()
            if text:
                return text
    return ""


def _tag_mark(element: etree._Element) -> tuple[str, str] | None:
    tag = element.tag
    if tag == "header" and _in_content_section(element):
        return None
    return _REASON_OF_TAG[tag], tag


def _is_hidden(element: etree._Element, names: list[str]) -> bool:
    """Whether a `hidden`, `aria-hidden` or `style` attribute hides the element."""
    if "hidden" in names:
        return True
    if "aria-hidden" in names and element.get("aria-hidden") == "true":
        return True
    style = element.get("style") if "style" in names else None
    return (
        bool(style) and ("none" in style or "hidden" in style) and bool(_HIDDEN_STYLE.search(style))
    )


def _in_content_section(element: etree._Element) -> bool:
    """A `<header>` inside an article or section heads that part: its headings are content."""
    return any(ancestor.tag in _SECTIONING for ancestor in element.iterancestors())


def _reason_of_names(names: str) -> tuple[str, str] | None:
    """Reason and word for a class/id string.

    Most strings hold no boilerplate word at all: one look at all their words rules them out
    before any token is examined alone. Most are a single token, whose words are those.
    """
    folded = names.casefold()
    all_words = _class_words(folded)
    if _REASON_WORDS.isdisjoint(all_words):
        return None
    tokens = folded.split()
    for token in tokens:
        words = all_words if len(tokens) == 1 else _class_words(token)
        if not _LAYOUT_WORDS.isdisjoint(words):
            continue  # "has-sidebar", "menu-open": the page's layout, not this element
        for word in words:
            reason = _REASON_OF_CLASS_WORD.get(word)
            if reason:
                return reason, word
    return None


CLASS_CACHE_SIZE = 32768
"""Class strings remembered by `_reason_of_class`. A site's templates repeat the same few
hundred to few thousand class strings on every page (WCXB pages hold about 140 distinct ones
each, most reused within the page); this many holds the vocabulary of the dozens of sites a
crawl interleaves, at about 200 bytes an entry with its key (under 7 MB when full), and the
least recently used go first beyond it."""
_reason_of_class = functools.lru_cache(maxsize=CLASS_CACHE_SIZE)(_reason_of_names)
"""`_reason_of_names` for class strings, which sites repeat; ids are unique and not cached."""


def _class_words(names: str) -> list[str]:
    """The words of class/id tokens: "-", "_" and ":" separate them as whitespace does
    (three C-level replaces beat a regex split on these short strings)."""
    return names.replace("-", " ").replace("_", " ").replace(":", " ").split()


class _Walker:
    """Flattens the tree into `_RawBlock`s in reading order.

    lxml's `iterwalk` yields start/end events from C without recursion, so depth costs nothing.
    The loop is one method with local names on purpose: it runs for every element of every
    page and sets the extractor's speed.
    """

    def __init__(
        self, marks: dict[etree._Element, _Mark], prunable: dict[etree._Element, str]
    ) -> None:
        self.blocks: list[_RawBlock] = []
        self._mark_of = marks
        self._prunable = prunable
        self._pieces: list[str] = []
        self._link_chars = 0
        self._links = 0
        self._marks: list[_Mark] = []
        self._containers: list[etree._Element | None] = [None]
        self._kinds: list[str] = ["paragraph"]

    def walk(self, root: etree._Element) -> list[_RawBlock]:
        pieces, marks, mark_of = self._pieces, self._marks, self._mark_of
        containers, kinds, prunable = self._containers, self._kinds, self._prunable
        flush = self._flush
        block_tags, cell_tags = _BLOCK_TAGS, _CELL_TAGS
        links_open = 0
        walker = etree.iterwalk(root, events=("start", "end"))
        for event, element in walker:
            tag = element.tag
            if event == "start":
                if tag in block_tags:
                    if pieces:
                        flush()
                    else:
                        self._links = 0  # an empty link (an image) belongs to no block
                    containers.append(element)
                    kinds.append(_KIND_OF_TAG.get(tag) or kinds[-1])
                elif tag == "a":
                    links_open += 1
                    self._links += 1
                elif tag == "br":
                    if pieces:
                        flush()
                elif tag in cell_tags:
                    pieces.append(" ")
                if element in mark_of:
                    marks.append(mark_of[element])
                    if element in prunable:
                        self._take_whole(element, walker)
                        continue
                text = element.text
            else:
                if tag in block_tags:
                    if pieces:
                        flush()
                    else:
                        self._links = 0
                    containers.pop()
                    kinds.pop()
                elif tag == "a":
                    links_open -= 1
                elif tag in cell_tags:
                    pieces.append(" ")
                if marks and marks[-1].element is element:
                    marks.pop()
                text = element.tail
            if text and (pieces or not text.isspace()):  # no block starts with blank text
                pieces.append(text)
                if links_open:
                    self._link_chars += len(text.strip())
        flush()
        return self.blocks

    def _take_whole(self, element: etree._Element, walker: etree.iterwalk) -> None:
        """One block for a whole boilerplate subtree, its text gathered in C, not walked.

        Its links are measured too: a menu taken whole must not read as link-free prose to the
        wrapper guard."""
        self._flush()
        self._pieces.append(self._prunable[element])
        link_texts = [_text_of(link) for link in element.iterdescendants("a")]
        self._link_chars += sum(len(" ".join(text.split())) for text in link_texts)
        self._links += len(link_texts)
        self._flush()
        walker.skip_subtree()

    def _flush(self) -> None:
        if not self._pieces:
            return
        raw = "".join(self._pieces)
        kind = self._kinds[-1]
        words = raw.split()
        if words:
            self.blocks.append(
                _RawBlock(  # positional: keywords cost a third of the call, once per block
                    _pre_text(raw) if kind == "pre" else " ".join(words),
                    kind,
                    min(self._link_chars, len(raw)),
                    self._containers[-1],
                    tuple(self._marks),
                    len(words),
                    self._links,
                )
            )
        self._pieces.clear()
        self._link_chars = 0
        self._links = 0


def _text_of(element: etree._Element) -> str:
    """All text inside `element`, gathered in C. Most elements asked (links, hidden spans) hold
    only text: that is read directly, at half the cost of setting up a serialisation."""
    if not len(element):
        return element.text or ""
    return etree.tostring(element, method="text", encoding="unicode", with_tail=False)


def _walk(root: etree._Element) -> list[_RawBlock]:
    marks = _marks(root)
    return _Walker(marks, _prunable(root, marks)).walk(root)


def _prunable(
    root: etree._Element, marks: dict[etree._Element, _Mark]
) -> dict[etree._Element, str]:
    """Marked subtrees small enough that no guard could void their mark, with their text: the
    walk takes them whole, reusing the text measured here.

    Most of a page's elements sit in navigation, footers and widgets; walking them in Python
    costs more than all the rest. An element may be taken whole when it holds under
    PRUNE_SHARE of the page's text and all elements of its evidence (its class word, tag...)
    together hold under PRUNE_SOURCE_SHARE, well below the wrapper guard's WRAPPER_SHARE.
    """
    total = len(etree.tostring(root, method="text", encoding="unicode"))
    if not total:
        return {}
    texts = {element: _text_of(element) for element in marks}
    by_source: dict[str, int] = defaultdict(int)
    for element, mark in marks.items():
        by_source[mark.source] += len(texts[element])
    return {
        element: texts[element]
        for element, mark in marks.items()
        if len(texts[element]) < PRUNE_SHARE * total
        and by_source[mark.source] < PRUNE_SOURCE_SHARE * total
    }


_HIDING_ATTRIBUTES = frozenset({"hidden", "aria-hidden", "style"})
_RARE_MARKING_ATTRIBUTES = _HIDING_ATTRIBUTES | {"id", "role"}
"""Marking attributes other than `class`: four in five marking elements have none of them."""
_MARKING_ATTRIBUTES = _RARE_MARKING_ATTRIBUTES | {"class"}
_MARKED_TAGS = ("nav", "footer", "aside", "header", "noscript")


def _marks(root: etree._Element) -> dict[etree._Element, _Mark]:
    """The mark of every element that has one; evidence ranks hidden > tag > role > class > id.

    `<html>` and `<body>` carry none: their classes name the page's state ("menu-open",
    "has-cookie-banner") and a hidden body is an A/B-testing script's anti-flicker trick.

    One pass over the elements reads each one's attribute names once (a single call) and
    looks further only at the few that can mark: twice as fast as one XPath query per
    attribute, whose results each carry a new Python object for their element. An element
    whose only marking attribute is `class` (most of them) is settled inline by the cached
    class lookup, without the general rule's function call and attribute tests.
    """
    marks: dict[etree._Element, _Mark] = {}
    for element in root.iter():
        names = element.keys()
        if not names or _MARKING_ATTRIBUTES.isdisjoint(names):
            continue
        if _RARE_MARKING_ATTRIBUTES.isdisjoint(names):
            found = _reason_of_class(element.get("class"))
            if found:
                marks[element] = _Mark(element, *found)
            continue
        mark = _attribute_mark(element, names)
        if mark is not None:
            marks[element] = mark
    for element in root.iter(_MARKED_TAGS):
        existing = marks.get(element)
        if existing is not None and existing.reason == "hidden":
            continue
        found = _tag_mark(element)
        if found:
            marks[element] = _Mark(element, *found)
    for page in (root, root.find("body")):
        marks.pop(page, None)  # the page itself: its classes describe the page's state
    return marks


def _attribute_mark(element: etree._Element, names: list[str]) -> _Mark | None:
    """The strongest mark among an element's attributes: hidden, then role, class, id."""
    if not _HIDING_ATTRIBUTES.isdisjoint(names) and _is_hidden(element, names):
        return _Mark(element, "hidden", "hidden")
    if "role" in names:
        role = element.get("role")
        reason = _REASON_OF_ROLE.get(role)
        if reason:
            return _Mark(element, reason, f"role={role}")
    found = _reason_of_class(element.get("class")) if "class" in names else None
    if not found and "id" in names:
        found = _reason_of_names(element.get("id"))  # ids are unique: caching them evicts classes
    return _Mark(element, *found) if found else None


def _pre_text(raw: str) -> str:
    """Preformatted text keeps its line structure; each line's spacing is collapsed."""
    lines = (" ".join(line.split()) for line in raw.splitlines())
    return "\n".join(line for line in lines if line)


def _choose_main_content(
    blocks: list[_RawBlock], *, prune_outside_root: bool = True
) -> list[Candidate]:
    """Candidates for every block, with the reason of those that are not main content."""
    void = _void_marks(blocks)
    reasons = [_structural_reason(block, void) for block in blocks]
    root = _content_root(blocks, reasons) if prune_outside_root else None
    inside = set(root.iter()) if root is not None else None  # one pass, not one per block
    candidates: list[Candidate] = []
    for block, reason in zip(blocks, reasons, strict=True):
        if reason is None and inside is not None and block.container not in inside:
            reason = "boilerplate"
        candidates.append(Candidate(block.text, block.kind, reason))
    return candidates


def _void_marks(blocks: list[_RawBlock]) -> _Void:
    """Marks that cover most of the prose are wrong for this page.

    A marked element holding WRAPPER_SHARE of it is a wrapper ("page-with-sidebar"); a class
    word whose elements together hold that share is the site's layout vocabulary (page
    builders call every content box a "widget"), not a sign of boilerplate. Comment marks are
    the exception beside a full article (see ARTICLE_BESIDE_COMMENTS).
    """
    dense = [block for block in blocks if block.is_prose]
    threshold = WRAPPER_SHARE * sum(len(block.text) for block in dense)
    by_element: dict[_Mark, int] = defaultdict(int)
    by_source: dict[str, int] = defaultdict(int)
    for block in dense:
        for mark in block.marks:
            by_element[mark] += len(block.text)
        for source in {mark.source for mark in block.marks}:
            by_source[source] += len(block.text)
    article_chars = sum(len(block.text) for block in dense if not block.marks)
    kept = _COMMENT_SOURCES if article_chars >= ARTICLE_BESIDE_COMMENTS else frozenset()
    return _Void(
        elements=frozenset(
            mark.element
            for mark, chars in by_element.items()
            if chars >= threshold and mark.source not in kept
        ),
        sources=frozenset(
            s for s, chars in by_source.items() if chars >= threshold and s not in kept
        ),
    )


def _structural_reason(block: _RawBlock, void: _Void) -> str | None:
    """The innermost valid mark's reason, else navigation for link-dense blocks."""
    for mark in reversed(block.marks):
        if mark not in void:
            return mark.reason
    if block.is_link_list and block.kind != "heading":  # linked headings head content
        return "navigation"
    return None


def _content_root(blocks: list[_RawBlock], reasons: list[str | None]) -> etree._Element | None:
    """Deepest element holding ROOT_SHARE of the dense, unmarked text, narrowed to a
    content container the page names itself (articleBody, `<article>`, `<main>`) when that
    holds at least HINT_SHARE of it. `reasons` are the blocks' structural reasons."""
    total, chars_by_parent = _dense_chars_by_parent(blocks, reasons)
    if not total:
        return None
    chars_by_element, depth_of = _chars_by_ancestor(chars_by_parent)
    qualifying = [e for e, chars in chars_by_element.items() if chars >= ROOT_SHARE * total]
    root = max(qualifying, key=lambda element: depth_of[element], default=None)
    hinted = _hinted_root(chars_by_element, HINT_SHARE * total)
    if hinted is not None and root is not None and _is_inside(hinted, root):
        return hinted
    return root


def _dense_chars_by_parent(
    blocks: list[_RawBlock], reasons: list[str | None]
) -> tuple[int, dict[etree._Element, int]]:
    """Characters of dense, unmarked blocks: in all, and by their container's parent (a root
    holds blocks, it is not one), in reading order of each parent's first block."""
    chars_by_parent: dict[etree._Element, int] = defaultdict(int)
    total = 0
    for block, reason in zip(blocks, reasons, strict=True):
        if not block.is_dense or block.container is None or reason is not None:
            continue
        total += len(block.text)
        parent = block.container.getparent()
        if parent is not None:
            chars_by_parent[parent] += len(block.text)
    return total, chars_by_parent


def _chars_by_ancestor(
    chars_by_parent: dict[etree._Element, int],
) -> tuple[dict[etree._Element, int], dict[etree._Element, int]]:
    """Each parent's characters added to it and all its ancestors, with every element's depth.

    Summed by parent first, so each chain of ancestors is climbed once per parent rather than
    once per paragraph. Elements enter the result in the order the paragraphs first reach
    them, which settles ties between equally strong content hints."""
    chars_by_element: dict[etree._Element, int] = defaultdict(int)
    depth_of: dict[etree._Element, int] = {}
    for parent, chars in chars_by_parent.items():
        chain = [parent, *parent.iterancestors()]
        for depth_from_parent, element in enumerate(chain):
            chars_by_element[element] += chars
            depth_of.setdefault(element, len(chain) - depth_from_parent)
    return chars_by_element, depth_of


def _hinted_root(
    chars_by_element: dict[etree._Element, int], minimum: float
) -> etree._Element | None:
    """The strongest content hint holding at least `minimum` dense characters."""
    best: tuple[int, int, etree._Element] | None = None
    for element, chars in chars_by_element.items():
        if chars < minimum:
            continue
        strength = _hint_strength(element)
        if strength and (best is None or (strength, chars) > best[:2]):
            best = (strength, chars, element)
    return best[2] if best else None


def _hint_strength(element: etree._Element) -> int:
    """How surely an element names itself the main content: 3 articleBody, 2 article, 1 main."""
    if element.get("itemprop") == "articleBody":
        return 3
    names = f"{element.get('class') or ''} {element.get('id') or ''}".casefold()
    if _CONTENT_HINT.search(names):
        return 3
    return {"article": 2, "main": 1}.get(element.tag, 0)


def _is_inside(element: etree._Element | None, root: etree._Element) -> bool:
    if element is None:
        return False
    return element is root or any(ancestor is root for ancestor in element.iterancestors())


def _kept_words(candidates: list[Candidate], blocks: list[_RawBlock]) -> int:
    """Words of the kept candidates, read from their blocks: a block's text is its words
    joined again, so its count stands without splitting the text a second time."""
    kept = zip(candidates, blocks, strict=True)
    return sum(block.words for candidate, block in kept if candidate.reason is None)


def _mark_title_heading(candidates: list[Candidate], title: str) -> None:
    """The headline heading goes to `Extraction.title`, not the body text.

    It often sits just outside the content root or in a header, so it is looked for among the
    first kept blocks and those two kinds of removal.
    """
    wanted = _comparable(title)
    if not wanted:
        return
    for candidate in _first_of(candidates, 3):
        heading = _comparable(candidate.text)
        if candidate.kind == "heading" and heading and (heading in wanted or wanted in heading):
            candidate.reason = "title"
            return


def _mark_trailing_furniture(candidates: list[Candidate], blocks: list[_RawBlock]) -> None:
    """A short run of short lines after the last prose block goes: page furniture.

    What follows the end of an article inside its container is a call to action ("Let's
    connect"), a sign-off button or a share prompt, rarely text. A long run (a grid of product
    tiles) and lists or tables (specifications) stay, they are a page's content.
    """
    kept_prose = [i for i, c in enumerate(candidates) if c.reason is None and blocks[i].is_prose]
    if not kept_prose:
        return
    run: list[Candidate] = []
    for index in range(len(candidates) - 1, kept_prose[-1], -1):  # from the end backwards
        candidate = candidates[index]
        if candidate.reason is not None:
            continue
        if blocks[index].words > TRAILING_MAX_WORDS or candidate.kind not in _TRAILING_KINDS:
            break
        run.append(candidate)
    if len(run) <= TRAILING_MAX_BLOCKS:
        for candidate in run:
            candidate.reason = "boilerplate"


def _first_of(candidates: list[Candidate], count: int) -> Iterator[Candidate]:
    """The first `count` candidates that are kept or removed only for position."""
    eligible = (c for c in candidates if c.reason in _TITLE_ELIGIBLE)
    for _, candidate in zip(range(count), eligible, strict=False):
        yield candidate


def _comparable(text: str) -> str:
    return " ".join(words_of(text.casefold()))
