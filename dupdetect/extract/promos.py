"""Promos, calls to action, embeds and other non-article lines, for HTML blocks and text lines.

Why line rules on top of HTML structure: content farms paste promos as plain paragraphs inside
the article ("YOU MAY ALSO LIKE TO WATCH THIS TRENDING STORY ..."), and plain-text pages have no
structure at all. So every block, from either extractor, goes through the same rules here.

The rules describe *phrasing families and line shapes*, never particular strings:

- a call-to-action *label* ("Read more", "Related stories", "You may also like", "Don't miss",
  "Watch") counts only as a label: alone on its line or followed by a separator (":", "|",
  "»", "→", a dash); a capitalised line counts when it holds a call-to-action verb phrase
  ("WATCH THIS", "CLICK", "SUBSCRIBE", "READ MORE"). "Read more about the treaty in the 2019
  report." is a sentence and stays. A bare label also takes the title-like lines that follow
  it (the list it introduces) with it.
- strong openers ("You may also like ...", "Click here ...", "Also read ...") that no article
  sentence starts with;
- newsletter, share, cookie and comment prompts; social-embed signature lines
  ("— Name (@handle) June 22, 2025", "A post shared by ...");
- line shapes: separators (no letter or digit), copyright lines, SEO keyword lines (short
  comma-separated phrases under the title, or a "Tags:" line);
- short lines that are only a page control ("Add to cart", "Load more", "Sort by", "3 likes",
  "Joined Mar 2019", "Email address*"), a picture credit ("Photo: Jane Doe"; a bare "Source:"
  line stays, it cites a table's data) or a browser notice ("Please enable JavaScript").

Lines longer than MAX_PROMO_WORDS are never promos: a real paragraph may mention a newsletter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MAX_PROMO_WORDS = 40
"""Promos are short; a paragraph this long is prose even if it opens like a call to action."""
MAX_SEQUEL_BLOCKS = 12
"""A "Related stories" label takes at most this many following title lines with it."""
MAX_SEQUEL_WORDS = 20
"""A line that follows a bare label is a listed title only if it is at most this long."""
MAX_CONTROL_WORDS = 12
"""Interface labels and picture credits ("Add to cart", "Photo: Jane Doe") are this short."""
MAX_DEBRIS_WORDS = 4
"""Navigation debris lines are this short at most."""
KEYWORD_LINE_MAX_POSITION = 4
"""An untagged comma list is an SEO keyword line only this close to the top of the page."""

_STOP_WORDS = frozenset(
    "a an the and or but of to in on at by for with from as is are was were be been it its this "
    "that these those he she they we you i his her their our your not no if then than so do does "
    "did has have had will would can could should may might must".split()
)
_BULLET = re.compile(r"^[\s\-–—•*·»›▶►→>#|]+")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")

# Labels: phrases that introduce other content. They count only in label form (see docstring).
_LABEL = re.compile(
    r"^(?:"
    r"related(?: (?:articles?|stories|story|posts?|news|content|reading|coverage|topics|links|"
    r"videos?|items|searches|guides))?"
    r"|(?:see|read) (?:also|more|next|this)|also (?:read|see|watch)|must[- ]reads?"
    r"|(?:you|readers) (?:may|might|will|would) (?:also )?(?:like|love|enjoy|be interested in)"
    r"|(?:more|other|latest|top|popular|trending|recommended|suggested|featured)"
    r"(?: (?:stories|articles|posts|news|videos|reads|reading|now|for you|from [^:|]{1,40}|"
    r"on [^:|]{1,40}|in [^:|]{1,40}|like this|to read|to explore))?"
    r"(?: (?:you|readers) (?:may|might|will|would) (?:also )?(?:like|love|enjoy))?"
    r"|(?:most )?(?:read|popular|viewed|shared|commented)(?: (?:stories|articles|now|today))?"
    r"|recommended|editor'?s? (?:picks?|choice)|don'?t miss(?: this| out)?|up next"
    r"|what to read next|about the author"
    r"|watch(?: now| more| next| this| the video| video)?|listen(?: now)?|keep reading"
    r"|continue reading|further reading|in case you missed it|icymi|trending now|hot topics"
    r"|sponsored(?: content| links| stories)?|promoted(?: stories| content)?|partner content"
    r")\b",
    re.I,
)
_LABEL_TAIL = re.compile(r"^\s*(?:$|[:|»›→>\-–—]|\.{3}|…)")

# Openers no article sentence starts with: removed whatever follows them.
_STRONG_PROMO = re.compile(
    r"^(?:you (?:may|might|will|would) (?:also )?(?:like|love|enjoy|want to (?:read|watch|see)"
    r"|be interested in)|read more (?:news|stories|articles|posts)\b"
    r"|(?:also|must) read\b|don'?t miss\b|click (?:here|below|the link)|tap (?:here|the link)"
    r"|(?:watch|read) (?:this|the) (?:trending |viral |full |latest )?(?:story|video|article)"
    r"|(?:story|article|text) continues (?:below|after)|scroll (?:down )?to continue"
    r"|(?:this|the) (?:post|article|page) (?:contains|may contain) affiliate links"
    r"|(?:check|find) out (?:our|more of our|the rest of our)|download (?:our|the) (?:free )?app"
    r"|trending (?:now|on|story)\b)",
    re.I,
)
_SHOUT_CTA = re.compile(
    r"\b(?:WATCH (?:THIS|THE|NOW|MORE|VIDEO|LIVE)|CLICK|SUBSCRIBE|READ (?:MORE|ALSO|NEXT|FULL)|"
    r"SHARE (?:THIS|ON|YOUR)|FOLLOW US|DOWNLOAD|SIGN UP|DON'?T MISS|TRENDING|YOU MAY ALSO)\b"
)
_CAPITALS = re.compile(r"[A-Z]{4}")
_NEWSLETTER = re.compile(
    r"(?:sign up|subscribe|register|opt in)(?: now| today| here| free)?"
    r"(?: (?:to|for) (?:our|the|my|this|a) [^.]{0,60}?)?"
    r"(?:newsletter|mailing list|updates|alerts|digest|e-?mails?|briefing)"
    r"|(?:join|subscribe to|get) (?:our|the) [^.]{0,40}?(?:newsletter|mailing list)"
    r"|(?:delivered|sent|directly|straight) (?:straight |directly |right )?(?:to|in) your inbox"
    r"|in your inbox (?:every|each)|enter your e-?mail|your e-?mail address"
    r"|by (?:signing up|subscribing|clicking)[^.]{0,20} you agree"
    r"|^subscribe(?: now| today| here)?\s*[!.:]?$",
    re.I,
)
_SHARE = re.compile(
    r"^(?:share|tweet|pin|email|post) (?:this|on|via|to|the) (?:article|story|post|page|link|"
    r"facebook|twitter|x|linkedin|whatsapp|pinterest|reddit|e-?mail)\b"
    r"|^(?:follow|like|find|join) us on\b|^follow us\b"
    r"|^join (?:our|the|my) (?:facebook|linkedin|discord|slack|telegram|whatsapp|reddit)\b"
    r"|^share(?: (?:this|it))?(?: (?:article|story|post|page|recipe))?(?: on| via| with)?\s*[:!]?$"
    r"|^(?:pin|save) (?:this |it )?for later\b"
    r"|^(?:copy link|link copied|print this (?:page|article))$",
    re.I,
)
_SOCIAL_NAME = (
    r"(?:facebook|twitter|x|linkedin|whatsapp|pinterest|reddit|telegram|email|e-mail|print|"
    r"copy|link|share|tweet|messenger|flipboard|tumblr|instagram|youtube|tiktok|threads|"
    r"bluesky|mastodon|sms|\d+|shares?)"
)
_SOCIAL_ROW = re.compile(rf"[\s|,·•/]*{_SOCIAL_NAME}(?:[\s|,·•/]+{_SOCIAL_NAME})+[\s|,·•/]*", re.I)
"""Two or more share-button names in a row ("Facebook Twitter Email", "Share | 12 | Tweet")."""
# The tweet signature ("— Name (@handle) June 22, 2025") opens with a wildcard the regex engine
# retries at every length on every line, so it runs apart, only on lines holding "(@".
_EMBED_SIGNATURE = re.compile(
    r"^(?:[—–-]{1,2}\s*)?[^()\n]{1,80}\(@\w{1,30}\)\s*"
    r"(?:\w{3,9}\.? \d{1,2},? \d{4}|\d{1,2} \w{3,9},? \d{4})",
    re.I,
)
_EMBED = re.compile(
    r"^a (?:post|photo|video) shared by\b|^view this (?:post|profile) on (?:instagram|facebook)"
    r"|^(?:pic\.twitter\.com|t\.co|instagram\.com|youtu\.be)/\S+$"
    r"|^(?:watch|view) (?:on|this video on) (?:youtube|vimeo|tiktok|instagram)\s*\.?$"
    r"|^\[?(?:embedded content|embed|image or embed)\]?$|^(?:♬|original sound -)"
    r"|^(?:this|the) (?:tweet|post|video|content) (?:is|was|has been) (?:unavailable|deleted)"
    r"|^loading (?:tweet|instagram|embed|video)",
    re.I,
)
_COPYRIGHT = re.compile(
    r"^(?:copyright\s*)?(?:©|\(c\)|&copy;)|^copyright\s+(?:\d{4}|by\b)|all rights reserved",
    re.I,
)
_ADVERTISEMENT = re.compile(
    r"^(?:advertisements?|advertising|ad|ads|sponsored|paid (?:content|post)|"
    r"(?:story|article) continues below(?: this)? advert(?:isement)?|"
    r"continue reading (?:below|the main story)|scroll to continue(?: with content)?|"
    r"remove ads|ad feedback|report (?:this )?ad|"
    r"(?:in partnership with|presented by|sponsored by|paid for by)(?: [^.]{1,40})?\s*:?)$",
    re.I,
)
_COOKIE = re.compile(
    r"\b(?:we|this (?:site|website)) uses? cookies\b|\baccept (?:all )?cookies\b"
    r"|\bcookie (?:policy|settings|preferences|consent)\b|\bmanage (?:cookie|consent|privacy)",
    re.I,
)
_COMMENTS = re.compile(
    r"^(?:(?:leave|post|add|write) a (?:comment|reply)|\d+ (?:comments?|replies)|comments?"
    r"|comments are closed|you must be logged in to (?:post a )?comment|join the (?:conversation|"
    r"discussion)|(?:show|view|load) (?:more )?comments|be the first to comment)\s*[.!:]?$",
    re.I,
)
_NAVIGATION = re.compile(
    r"^(?:skip to (?:main )?(?:content|navigation)|back to top"
    r"|(?:jump|skip|go) to (?:the )?(?:navigation|search|list|recipe|comments|section)\b|"
    r"(?:previous|next) (?:post|article|story|page)\b|toggle navigation|main menu|menu)\b",
    re.I,
)
_BYLINE = re.compile(
    r"^(?:(?:first |last )?(?:published|updated|posted|modified)(?: on| at)?\s*:?\s*"
    r"(?:\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)"
    r"|\d+\s*(?:min(?:ute)?s?|hours?) read$"
    r"|(?:(?:posted|written|published|updated|last updated)(?: by| on)?|by|author|date)\s*:?$"
    r"|(?:posted|written|published) by [^.]{1,40}? (?:at|on) [^.]{0,30}\d{4}\b.{0,20}$"
    r"|(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s*)?(?:\d{1,2}(?:st|nd|rd|th)?\s+)?"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[.,]?\s+"
    r"(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?\d{4}$"
    r"|\d{1,4}(?:-\d{1,2}-|/\d{1,2}/|\.\d{1,2}\.)\d{2,4}$)",
    re.I,
)
_LOGIN_PROMPT = re.compile(
    r"^(?:you must |please )?(?:log ?in|sign ?in|register|sign up) (?:to|or [\w ]{1,20} to) "
    r"(?:answer|comment|reply|post|view|continue|read|join)\b|^register now\b"
    r"|^already (?:have an account|a (?:member|subscriber|customer))\b"
    r"|^(?:subscribe|sign up|log ?in|sign in|register) to "
    r"(?:get access|continue reading|keep reading)",
    re.I,
)
_LABEL_END = r"\s*[.!:?…›»→>+*]*\s*$"
# Labels of page controls: a line that is nothing but a button, a shop control, a form field
# or a counter is interface, not text, on any site ("Add to cart", "Load more", "3 likes").
_INTERFACE = re.compile(
    r"^(?:(?:add|added|remove) to (?:(?:the|your|my) )?(?:cart|bag|basket|wish ?list|favou?rites|"
    r"compare|comparison|registry)|quick ?(?:view|shop|look|add)|compare|buy (?:it )?now"
    r"|shop (?:now|all|the (?:look|collection))|order now|pre-?order(?: now)?"
    r"|notify me(?: when (?:available|in stock|back in stock))?|checkout|view (?:cart|bag|basket)"
    r"|continue shopping|(?:select|choose|pick) (?:a |an |your )?(?:size|colou?r|option|style|"
    r"variant|quantity)s?|size (?:guide|chart)|calculate shipping|(?:in|out of|low in) stock"
    r"|sold out|qty|quantity|more (?:options|colou?rs|sizes)|where to buy|best ?sellers?"
    r"|top rated|new arrivals?|on sale|unit price(?: per)?"
    r"|(?:free|fast|express|same[- ]day|next[- ]day)(?: [\w-]+){0,2} (?:shipping|delivery|returns)"
    r"|verified (?:buyer|purchase|owner|reviewer)"
    r"|(?:load|show|view|see) (?:more|less|all)(?: \w+){0,2}|close|loading|toggle(?: \w+){1,2}"
    r"|(?:expand|collapse)(?: all)?|sort(?: by)?|sort (?:and|&) filter|filters?(?: (?:and|&) sort)?"
    r"|filter by|get started(?: (?:now|today|free|for free))?|get in touch"
    r"|book (?:now|online|a (?:demo|call|consultation))|sign (?:in|up|out)(?: (?:now|today|free))?"
    r"|log ?(?:in|out)|register(?: now| today| free)?|apply now"
    r"|request a (?:quote|demo|call|consultation)|donate(?: now| today)?|try (?:it )?(?:for )?free"
    r"|start (?:your )?free trial|page \d+ of \d+"
    r"|\d[\d,.]*k? (?:likes?|replies|views?|shares?|reactions?|upvotes?|followers?|votes?|"
    r"answers?|retweets?)|\d+ ?(?:y|yr|yrs|mo|w|d|h)|\d+ (?:years?|months?|weeks?|days?|hours?|"
    r"minutes?|seconds?) ago|(?:joined|join date|member since)\b.{0,20}"
    r"|(?:posts|messages|reaction score|threads)\s*:?\s*[\d,.]+|(?:senior|junior|new|well-known|"
    r"active|premium|registered|valued|established|veteran) member|original poster"
    r"|(?:your )?e-?mail(?: address)?|first name|last name|full name|first last"
    r"|mm(?: slash |/)dd(?: slash |/)yyyy"
    r"|why (?:am i|you'?re|you are) seeing this ad|advertiser:? .{1,40}|ad ?choices"
    r"|(?:showing|displaying|viewing) (?:\d[\d,]*(?: ?[-–] ?\d[\d,]*)? )?(?:of|out of) \d[\d,]*"
    r"(?: (?:results|items|products|matches))?.{0,40}"
    r"|(?:regular|sale|current|original|list|our) price\b.{0,20}"
    r"|(?:check|see|view|compare) (?:the )?(?:latest |current )?prices? (?:at|on) .{1,40}"
    r"|(?:buy|shop|view|order) (?:it |now )?(?:at|on|from) "
    r"(?:amazon|ebay|walmart|target|etsy)\b.{0,30}"
    r"|ships? (?:from|by|in|within|to)\b.{1,30}|(?:free )?returns? (?:&|and) exchanges?.{0,20}"
    r"|sent from my .{1,60}|jump to|(?:up|down)vote|permalink"
    r"|(?:open|close|toggle|show|hide) (?:the )?(?:table of contents|menu|navigation|search|"
    r"sidebar)(?: panel)?|rate this (?:page|article|post|recipe)|submit (?:a )?correction"
    r"|was this (?:page|article|answer|post) (?:helpful|useful)"
    r"|report (?:an? )?(?:issue|problem|error)(?: with this \w+)?)" + _LABEL_END,
    re.I,
)
# "Jane and 3 others like this": a counter too, but its leading wildcard is retried at every
# length, so it runs apart, only on lines holding " like".
_LIKES_THIS = re.compile(r"^.{1,40} likes? this" + _LABEL_END, re.I)
_HAS_LIKE = re.compile(" like", re.I)
# Picture credits under images: attribution of the picture, not text of the article. A bare
# "Source:" stays, it names the source of a table or a figure's data.
_CREDIT = re.compile(
    r"^[(\[]?(?:(?:(?:feature[d]?|header|top|lead|hero|cover|main) )?(?:image|photo|picture|video|"
    r"illustration|graphic|photograph|photography|screenshot)s? (?:credit|credits|source|"
    r"courtesy|by)|credits?|courtesy(?: of)?|photo|image)\s*:\s*[^.:]{1,60}[)\]]?\.?$"
    r"|^(?:photo|image|photograph|illustration|screenshot) (?:by|via|courtesy of) [^.:]{1,50}\.?$"
    r"|^(?:getty images|shutterstock|unsplash|istock(?:photo)?|adobe stock)\b[^.]{0,30}$",
    re.I,
)
# Notices of the page's machinery, shown when scripts do not run: never the page's text.
_BROWSER_NOTICE = re.compile(
    r"^(?:(?:you need to|you must|please) )?(?:enable|turn on|activate) javascript\b"
    r"|^javascript (?:is|must be) (?:disabled|required|turned off|not enabled|enabled)\b"
    r"|^(?:your|this) browser (?:does not|doesn't) support\b"
    r"|^(?:we've detected that )?javascript is (?:disabled|not available)",
    re.I,
)
_KEYWORD_TAG = re.compile(r"^(?:tags?|keywords?|topics?|filed under|categories|labels)\s*:", re.I)
_MENU_SEPARATORS = re.compile(r"\s[|•·/>»›]\s")
_SEPARATOR = re.compile(r"^[^\w]*$")
_TERMINAL = re.compile(r"[.!?:;\"”’)]$")


def words_of(text: str) -> list[str]:
    return _WORD.findall(text)


_ALNUM_OR_SPACE = bytes(code if code < 128 and chr(code).isalnum() else 32 for code in range(256))
"""Byte table for ASCII text: letters and digits stay, everything else becomes a space."""
_JOINING_APOSTROPHE = re.compile(r"(?<=[^\W_])'(?=[^\W_])")


def word_count(text: str) -> int:
    """`len(words_of(text))`, three times faster on ASCII text (four lines in five).

    A word is a run of letters and digits, runs joined by an apostrophe counting once; so
    the count is the number of runs left when every other byte becomes a space, less the
    apostrophes between two runs (rare: only then does a regex look at the line).
    """
    if not text.isascii():
        return len(_WORD.findall(text))
    runs = len(text.encode("ascii").translate(_ALNUM_OR_SPACE).split())
    if "'" in text:
        runs -= len(_JOINING_APOSTROPHE.findall(text))
    return runs


def line_reason(text: str) -> str | None:
    """Why a single line or block is not article text, or None when it may be content."""
    stripped = text.strip()
    if not stripped:
        return None
    if _SEPARATOR.match(stripped):
        return "separator"
    if stripped.count(" ") > 2 * MAX_PROMO_WORDS:
        return None  # cheap early exit for long paragraphs before the word regex
    words = word_count(stripped)
    if words > MAX_PROMO_WORDS:
        return None
    core = _BULLET.sub("", stripped)
    reason = _rule_reason(core, short=words <= MAX_CONTROL_WORDS)
    if reason:
        return reason
    if _is_label_core(core) or _STRONG_PROMO.match(core) or _is_shouted_call_to_action(core):
        return _label_reason(core)
    if words <= MAX_DEBRIS_WORDS * 3 and _is_social_button_row(core):
        return "share"
    if _is_menu_line(core, words):
        return "navigation"
    return None


# Rules anchored at the start of the line run as one alternation with a named group per rule:
# a single `match` per line. Interface labels and picture credits are short, so their long
# alternation runs only on short lines. The three rules that may match anywhere run only when
# one of their keywords occurs in the line (plain substring tests, far cheaper than a regex scan).
_ANCHORED_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("embed", _EMBED),
    ("advertisement", _ADVERTISEMENT),
    ("share", _SHARE),
    ("comments", _COMMENTS),
    ("navigation", _NAVIGATION),
    ("keywords", _KEYWORD_TAG),
    ("byline", _BYLINE),
    ("login", _LOGIN_PROMPT),
    ("notice", _BROWSER_NOTICE),
)
_SHORT_LINE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("interface", _INTERFACE),
    ("credit", _CREDIT),
)


def _alternation(rules: tuple[tuple[str, re.Pattern[str]], ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?P<{name}>{pattern.pattern})" for name, pattern in rules), re.I)


_ANCHORED = _alternation(_ANCHORED_RULES)
_ANCHORED_SHORT = _alternation(_SHORT_LINE_RULES)
_REASON_OF_GROUP = {name: name for name, _ in _ANCHORED_RULES + _SHORT_LINE_RULES} | {
    "login": "promo",
    "notice": "boilerplate",
}
_FLOATING_RULES: tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...] = (
    ("copyright", ("©", "(c)", "&copy;", "copyright", "rights reserved"), _COPYRIGHT),
    (
        "newsletter",
        ("sign up", "subscri", "register", "opt in", "inbox", "mail", "newsletter", "agree"),
        _NEWSLETTER,
    ),
    ("cookie", ("cookie", "consent", "privacy"), _COOKIE),
)


_FLOATING_KEYWORDS = tuple(keyword for _, keywords, _ in _FLOATING_RULES for keyword in keywords)
"""Every floating rule's keywords: one test settles the 98 lines in 100 that hold none."""


def _rule_reason(core: str, *, short: bool) -> str | None:
    """The first rule that `core` matches, in the order of `_ANCHORED_RULES`,
    `_SHORT_LINE_RULES` and `_FLOATING_RULES`. The two wildcard-led patterns kept apart run in
    their rule's place, and only on lines holding their literal (tested with the same case
    rules as the pattern)."""
    if "(@" in core and _EMBED_SIGNATURE.match(core):
        return "embed"
    match = _ANCHORED.match(core)
    if not match and short:
        if _HAS_LIKE.search(core) and _LIKES_THIS.match(core):
            return "interface"
        match = _ANCHORED_SHORT.match(core)
    if match:
        return _REASON_OF_GROUP[match.lastgroup or ""]
    lowered = core.casefold()
    if not any(map(lowered.__contains__, _FLOATING_KEYWORDS)):
        return None
    for reason, keywords, pattern in _FLOATING_RULES:
        if any(map(lowered.__contains__, keywords)) and pattern.search(core):
            return reason
    return None


def is_label(text: str) -> bool:
    """A call-to-action label: alone, before a separator, or shouted (see module docstring)."""
    return _is_label_core(_BULLET.sub("", text.strip()))


def _is_label_core(core: str) -> bool:
    """`is_label` of a line already stripped of spaces and bullets."""
    match = _LABEL.match(core)
    if not match:
        return False
    return bool(_LABEL_TAIL.match(core[match.end() :]))


def is_bare_label(text: str) -> bool:
    """A label with nothing after it ("Related stories", "You may also like:"): a list follows."""
    core = _BULLET.sub("", text.strip())
    match = _LABEL.match(core)
    return bool(match) and not core[match.end() :].strip(" :.…»›→>-–—|")


def _label_reason(core: str) -> str:
    lowered = core.casefold()
    if lowered.startswith(("related", "see also", "more ", "other ", "further", "also see")):
        return "related"
    if lowered.startswith(("sponsored", "promoted", "partner")):
        return "advertisement"
    return "promo"


def _is_shouted(text: str) -> bool:
    letters = [char for char in text if char.isalpha()]
    return len(letters) >= 8 and sum(char.isupper() for char in letters) >= 0.8 * len(letters)


def _is_shouted_call_to_action(text: str) -> bool:
    """Checks first for four capitals in a row, which every shouted call to action has: most
    lines have none, and this search runs far faster than the phrase alternation."""
    return bool(_CAPITALS.search(text) and _SHOUT_CTA.search(text)) and _is_shouted(text)


def _is_social_button_row(text: str) -> bool:
    return bool(_SOCIAL_ROW.fullmatch(text))


def _is_menu_line(text: str, words: int) -> bool:
    """ "Home | About | Contact" or a breadcrumb "Home > News > World": short items, separators.
    `words` is the line's word count."""
    separators = len(_MENU_SEPARATORS.findall(text))
    return separators >= 2 and words <= 4 * (separators + 1) and not _TERMINAL.search(text)


def is_keyword_line(text: str) -> bool:
    """An untagged SEO keyword line: three or more short comma-separated phrases, no sentence."""
    stripped = text.strip()
    if _TERMINAL.search(stripped) or ":" in stripped:
        return False
    items = [item.strip() for item in stripped.split(",")]
    if len(items) < 3 or not all(items):
        return False
    return all(1 <= len(words_of(item)) <= 5 for item in items) and not any(
        item.casefold().startswith(("and ", "or ")) for item in items
    )


def is_title_like(text: str) -> bool:
    """A short line without closing punctuation: a heading or a listed headline."""
    stripped = text.strip()
    return 0 < len(words_of(stripped)) <= MAX_SEQUEL_WORDS and not stripped.endswith(".")


@dataclass
class Candidate:
    """A block on its way out of an extractor: `reason` None means it stays in the text."""

    text: str
    kind: str = "paragraph"
    reason: str | None = None


def mark_promos(candidates: Sequence[Candidate]) -> None:
    """Set `reason` on every candidate that is a promo, embed, keyword line... (in place)."""
    first_content = _first_content_index(candidates)
    for index, candidate in enumerate(candidates):
        if candidate.reason is not None:
            continue
        candidate.reason = line_reason(candidate.text)
        if (
            candidate.reason is None
            and index - first_content < KEYWORD_LINE_MAX_POSITION
            and is_keyword_line(candidate.text)
        ):
            candidate.reason = "keywords"
    _mark_label_sequels(candidates)


def _first_content_index(candidates: Sequence[Candidate]) -> int:
    return next((i for i, c in enumerate(candidates) if c.reason is None), 0)


def _mark_label_sequels(candidates: Sequence[Candidate]) -> None:
    """A bare "Related stories" label takes the headline list that follows it.

    The list ends at the first line that is not title-like, at a heading, or at a title-like
    line that introduces a longer paragraph (that is a section heading of the article).
    """
    for index, candidate in enumerate(candidates):
        if candidate.reason not in {"related", "promo", "advertisement"}:
            continue
        if not is_bare_label(candidate.text):
            continue
        for follower_index in range(index + 1, min(len(candidates), index + 1 + MAX_SEQUEL_BLOCKS)):
            follower = candidates[follower_index]
            if follower.reason is not None:
                continue
            if not _is_listed_title(candidates, follower_index):
                break
            follower.reason = candidate.reason


def _is_listed_title(candidates: Sequence[Candidate], index: int) -> bool:
    candidate = candidates[index]
    if candidate.kind == "heading" or not is_title_like(candidate.text):
        return False
    if candidate.kind == "list":
        return True
    following = next((c for c in candidates[index + 1 :] if c.reason is None), None)
    return following is None or following.kind == "list" or is_title_like(following.text)


def mark_debris(candidates: list[Candidate]) -> None:
    """Short lines without function words, hemmed in by removed lines, go with them.

    Navigation debris ("Home", "World", "Sports") has no stop words; judged alone it could be a
    heading, judged with its neighbours (as jusText does) it is clearly part of the removed run.
    """
    debris = [c.reason is None and _is_debris(c.text) for c in candidates]
    before = _neighbour_reasons(candidates, debris, range(len(candidates)))
    after = _neighbour_reasons(candidates, debris, range(len(candidates) - 1, -1, -1))
    for index, candidate in enumerate(candidates):
        if debris[index] and before[index] is not None and after[index] is not None:
            both_navigation = before[index] == after[index] == "navigation"
            candidate.reason = "navigation" if both_navigation else "boilerplate"


def _is_debris(text: str) -> bool:
    if len(text) > 12 * MAX_DEBRIS_WORDS:
        return False
    words = words_of(text)
    return 0 < len(words) <= MAX_DEBRIS_WORDS and not any(
        word.casefold() in _STOP_WORDS for word in words
    )


def _neighbour_reasons(
    candidates: list[Candidate], debris: list[bool], order: Iterable[int]
) -> list[str | None]:
    """For each candidate, the reason of the nearest neighbour in `order` that is not itself
    debris (None if that one is kept text): one pass, so a page of 10,000 one-word lines costs
    10,000 steps, not 10,000 squared."""
    reasons: list[str | None] = [None] * len(candidates)
    nearest: str | None = None
    for index in order:
        reasons[index] = nearest
        if candidates[index].reason is not None:
            nearest = candidates[index].reason
        elif not debris[index]:
            nearest = None
    return reasons
