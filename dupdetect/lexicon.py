"""Our own lexicon of padding: stock phrases, closing templates, promo lines and stop words.

Why a hand-written lexicon: SEO copy and machine-written filler reuse a small set of phrase
*families* ("plays a pivotal/crucial/vital role", "in today's fast-paced/digital world") far
more often than human reporting does. Each family is one regular expression that allows the
small variations seen in the wild (synonyms, inflection, optional words), so a family matches
phrasings it was not written from. The families are deliberately general; none is copied from
a test page. Matching is case-insensitive and word-bounded.
"""

from __future__ import annotations

import re
from re import _constants as sre  # the parser `re` itself uses, read by `required_strings`
from re import _parser as sre_parse

# --- stock phrases: family name -> pattern -------------------------------------------------------
# Shared alternations keep the families short and consistent.
_IMPORTANT = r"(?:crucial|essential|vital|imperative|critical|paramount|key)"
_ROLE_ADJ = (
    r"(?:pivotal|crucial|vital|key|significant|critical|central|integral|instrumental|major)"
)
_LANDSCAPE = r"(?:landscape|realm|arena|sphere|ecosystem|tapestry|terrain)"
_IMPACT = r"(?:implications?|consequences?|ramifications?|effects?|impacts?|repercussions?)"

STOCK_PHRASES: dict[str, str] = {
    "todays_world": (
        r"in (?:today's|today’s|the modern|this|our) (?:fast[- ]paced|digital|modern|ever[- ]"
        r"(?:changing|evolving)|complex|interconnected|competitive|dynamic|rapidly changing)"
        r" (?:world|age|era|landscape|society|environment|market)"
    ),
    "in_an_era": r"in an? (?:era|age|world|time) (?:where|when|of (?:rapid|constant|increasing))",
    "pivotal_role": rf"play(?:s|ed|ing)? an? (?:\w+ )?{_ROLE_ADJ} (?:role|part)",
    "it_is_crucial": rf"(?:it is|it's|it’s|it was|it remains) {_IMPORTANT} (?:to|for|that)",
    "worth_noting": (
        r"(?:it is|it's|it’s) (?:important|worth|interesting) (?:to (?:note|mention|remember|"
        r"highlight|consider|recognize)|noting|mentioning|remembering)"
    ),
    "closely_monitor": (
        r"(?:closely|keenly|carefully) (?:monitor(?:ing|ed)?|watch(?:ing|ed)?|follow(?:ing|ed)?)"
        r"|keep(?:ing)? a close (?:eye|watch) on"
    ),
    "stay_informed": r"(?:stay|remain|keep) (?:informed|tuned|updated|engaged|ahead of the curve)",
    "delve": r"delv(?:e|es|ed|ing) (?:deep(?:er)? )?into|deep dive|dive deep(?:er)? into",
    "navigate_complexity": (
        r"navigat(?:e|es|ed|ing) (?:the |these |this |their |its |our |your )?(?:complex|"
        r"complexities|intricacies|challenges|uncertain|ever[- ]changing|evolving|shifting|murky"
        rf"|tricky|turbulent|{_LANDSCAPE})"
    ),
    "evolving_landscape": (
        r"(?:ever[- ](?:evolving|changing|shifting|expanding|growing)|evolving|shifting|dynamic|"
        rf"complex|geopolitical|digital|competitive) {_LANDSCAPE}"
    ),
    "realm_of": rf"(?:in|within|into|across) the {_LANDSCAPE} of",
    "testament": r"(?:is|are|was|stands as|serves as) a (?:true |powerful |clear )?testament to",
    "serves_as": (
        r"serv(?:e|es|ed|ing) as an? (?:\w+ )?(?:reminder|indicator|catalyst|cornerstone|"
        r"foundation|beacon|springboard|wake-up call)"
    ),
    "unlock_potential": (
        r"(?:unlock|unleash|harness|maximi[sz]e|realize|reach) (?:the |your |their |its )?"
        r"(?:full |true )?(?:potential|power)"
    ),
    "next_level": r"(?:to|on) the next level",
    "wide_range": r"an? (?:wide|broad|diverse|vast) (?:range|array|variety|spectrum) of",
    "plethora": r"an? (?:plethora|myriad|multitude|host|wealth) of|myriad \w+s\b",
    "whether_you": r"whether you(?:'re| are|’re) an? \w+(?: \w+)?(?:,)? or",
    "look_no_further": r"look no further|without further ado|buckle up|say goodbye to",
    "at_the_end_of_the_day": r"at the end of the day|when all is said and done",
    "when_it_comes": r"when it comes to",
    "abuzz": r"(?:is|are) (?:always |constantly |currently )?(?:abuzz|buzzing) with",
    "shed_light": r"shed(?:s|ding)? (?:some |new |more )?light on",
    "underscore": (
        r"(?:underscor|highlight|emphasiz|emphasis|reinforc)(?:e|es|ed|ing) "
        r"(?:the |their |its )?(?:importance|need|significance|value|role|growing)"
        r"|underscor(?:e|es|ed|ing)"
    ),
    "far_reaching": rf"far[- ]reaching(?: {_IMPACT})?|(?:profound|lasting|wide-ranging) {_IMPACT}",
    "potential_implications": (
        rf"(?:potential|possible|broader|wider|significant) {_IMPACT} (?:for|of|on)"
    ),
    "pave_the_way": r"pav(?:e|es|ed|ing) the way (?:for|to)",
    "pivotal_moment": (
        r"(?:significant|crucial|pivotal|critical|defining|important|key) (?:moment|turning point"
        r"|milestone|juncture|step forward)"
    ),
    "marks_a": (
        r"(?:marks|signals|represents|signifies) an? (?:\w+ )?(?:shift|step|milestone|chapter|"
        r"moment|turning point|departure)"
    ),
    "multifaceted": (
        r"multifaceted|intricate web|complex interplay|delicate balance|double-edged sword|"
        r"intricacies of|nuanced understanding"
    ),
    "garnered_attention": (
        r"(?:garner|spark|generat|attract|draw)(?:s|ed|ing|e)? (?:significant |considerable |"
        r"widespread |much |a lot of |global |international )?(?:attention|interest|discussion|"
        r"debate|buzz|curiosity)"
    ),
    "remains_to_be_seen": r"remains to be seen|only time will tell|time will tell",
    "focal_point": (
        r"focal point|key indicator|game[- ]changer|paradigm shift|treasure trove|"
        r"breath of fresh air|force to be reckoned with|tip of the iceberg"
    ),
    "lets_explore": (
        r"let(?:'s|’s| us) (?:take a (?:closer |deeper )?look|explore|dive|delve|break (?:it |"
        r"this |things )?down|unpack|examine|discuss|look at)"
    ),
    "in_this_article": (
        r"in this (?:article|post|blog post|guide|piece|blog|comprehensive guide)"
        r",? (?:we(?:'ll| will)?|you(?:'ll| will)|i(?:'ll| will)) (?:\w+ )?"
        r"(?:explore|discuss|delve|look|cover|learn|examine|walk|take|break|dive|unpack|find)"
    ),
    "read_on": (
        r"(?:read on|keep reading|continue reading|stick around) to (?:learn|find|discover|see)"
    ),
    "have_you_ever": (
        r"have you ever (?:wondered|thought|asked yourself)|are you (?:looking for|struggling)"
    ),
    "goes_without_saying": r"it goes without saying|needless to say|it's no secret|it is no secret",
    "ultimate_guide": (
        r"(?:comprehensive|ultimate|definitive|complete|in-depth) (?:guide|overview|look)"
    ),
    "buzzwords": (
        r"cutting[- ]edge|state[- ]of[- ]the[- ]art|seamless(?:ly)?|game[- ]changing|"
        r"revolutioniz(?:e|es|ed|ing)|synerg(?:y|ies)|holistic|robust (?:solution|framework)|"
        r"leverag(?:e|es|ing) (?:the )?(?:power|benefits)"
    ),
    "poised_to": (
        r"(?:poised|set|likely|expected) to (?:reshape|redefine|revolutionize|transform|"
        r"shape the future)|reshap(?:e|es|ing) the (?:future|landscape|way)"
    ),
    "not_just_a": r"(?:is|was|are) not (?:just|merely|only|simply) (?:a|an|about)",
    "key_aspect": (
        r"an? (?:key|crucial|vital|essential|critical|important) (?:aspect|component|factor|"
        r"consideration|element|piece of the puzzle)"
    ),
    "first_and_foremost": r"first and foremost|last but not least|all things considered",
    "embark_journey": r"embark(?:s|ed|ing)? on (?:a|an|this|your) (?:\w+ )?journey|journey of",
    "strike_balance": r"strik(?:e|es|ing) (?:a|the) (?:right |perfect |delicate )?balance",
    "hyperbole": r"jaw-dropping|mind-blowing|whopping|unparalleled|unprecedented levels",
    "keep_in_mind": r"(?:keep|bear) in mind that|remember that",
    "insights_into": (
        r"(?:provid|offer|gain|giv)(?:es|e|ed|ing) (?:valuable |key |deeper |unique )?"
        r"insights? into|valuable insights?"
    ),
    "growing_need": r"(?:a|the) (?:growing|increasing|rising) (?:need|demand|importance|trend)",
    "bottom_line": r"the bottom line|moving forward|going forward|looking ahead",
    "in_a_world": r"in a world (?:where|that|of)",
    "here_to_stay": r"(?:is|are) here to stay",
    "deeper_understanding": (
        r"(?:a |the )?(?:deeper|better|clearer|fuller|comprehensive) understanding of"
    ),
    "cannot_be_overstated": r"cannot be overstated|can't be overstated|cannot be understated",
    "warrants_attention": (
        r"(?:warrants?|deserves?|merits?|requires?) (?:close |careful |further )?"
        r"(?:attention|scrutiny|consideration)"
    ),
    "ripple_effect": r"ripple effects?|far beyond|reverberat(?:e|es|ed|ing)",
    "alike": r"\b\w+ and \w+ alike\b",
    "something_for_everyone": (
        r"something (?:here )?for everyone|there's no denying|there is no denying"
    ),
    "foster": (
        r"foster(?:s|ed|ing)? (?:a |greater |stronger )?(?:sense of|collaboration|growth|"
        r"innovation|trust|cooperation|understanding)"
    ),
    "stands_out": r"stand(?:s|ing)? out (?:as|from the crowd)",
    "future_looks": (
        r"(?:the )?(?:future|outlook) (?:looks|appears|seems|remains) (?:bright|promising|"
        r"uncertain)"
    ),
    "valuable_resource": r"(?:an? )?(?:valuable|invaluable|indispensable) (?:resource|tool|asset)",
    "commitment_to": (
        r"(?:shared |unwavering |steadfast |strong )?commitment to (?:excellence|"
        r"strengthening|advancing|providing|quality)"
    ),
    "dynamics": r"(?:evolving|shifting|power|complex|regional) dynamics",
    "key_takeaways": r"key takeaways?|key insights?",
    "elevate": r"elevat(?:e|es|ed|ing) (?:your|the|their) (?:\w+ )?(?:experience|game|brand)",
    "now_more_than_ever": r"now more than ever|more (?:important|relevant) than ever",
    "at_its_core": r"at (?:its|their|the) (?:very )?(?:core|heart)",
    "simply_put": (
        r"simply put|put simply|in other words|that being said|having said that|"
        r"with th(?:at|is) (?:said|in mind)"
    ),
    "one_thing_is_certain": (
        r"one thing is (?:certain|clear|for sure)|"
        r"(?:it is|it's|it’s) (?:clear|evident|safe to say|fair to say) that"
    ),
    "endless_possibilities": (
        r"(?:the )?possibilities are endless|endless possibilities|"
        r"a world of (?:possibilities|difference)"
    ),
    "bigger_picture": r"(?:the )?(?:bigger|big|broader) picture",
    "far_from_over": r"far from over|just the beginning|tip of the iceberg",
    "speaks_for_itself": r"speaks? for (?:itself|themselves)|speaks? volumes",
    "world_around_us": r"the world around (?:us|you|them)",
    "cannot_ignore": (
        r"(?:we|you|one) (?:cannot|can't|can’t) (?:afford to )?(?:ignore|overlook|underestimate)"
    ),
    "worth_pausing": (
        r"worth (?:pausing|taking a moment|reflecting)|take a moment to (?:reflect|consider)"
    ),
    "real_value": (
        r"(?:offer|provide|bring|add|deliver)s? (?:real|tremendous|immense|great|genuine) value"
    ),
    "ever_changing": (r"ever[- ](?:changing|evolving|growing|increasing|expanding)|fast[- ]paced"),
    "years_to_come": (r"for (?:many )?years to come|in the years to come|stand the test of time"),
    "the_key_lies": r"the (?:key|secret) (?:is|lies) in|hold(?:s)? the key to",
    "no_longer_a_luxury": r"no longer (?:just )?an? (?:luxury|option|afterthought)",
    "perfect_blend": (r"(?:the |a )?(?:perfect|ideal|unique) (?:blend|combination|balance|mix) of"),
    "tailored_needs": (
        r"(?:tailored|designed|customi[sz]ed) to (?:meet|suit|fit) (?:your|their|the) "
        r"(?:\w+ )?needs"
    ),
    "comes_into_play": r"comes? into play|step in the right direction|food for thought",
    "make_the_difference": (
        r"make(?:s)? all the difference|make(?:s)? a (?:real|big|huge) difference"
    ),
    "meets_the_eye": r"than meets the eye|more to (?:it|this|the story) than",
    "approach": r"(?:thoughtful|holistic|strategic|proactive|balanced) approach",
    "journey": r"(?:the|this|your) journey (?:is|of|toward|towards)",
}
"""Stock-phrase families. Names appear in span notes so a reader sees which family fired."""

# --- templates: stock sentence openers --------------------------------------------------------
CLOSING_OPENERS = (
    r"in conclusion|in summary|to summari[sz]e|to sum (?:it )?up|in essence|in a nutshell|"
    r"to wrap (?:it |things )?up|all in all|in closing|in the end|summing up|"
    r"(?:as we(?:'ve| have) (?:seen|discussed|explored))"
)
"""Openers that announce a recap wherever they start a sentence."""

SECTION_CLOSERS = r"overall|ultimately|in short|in sum|all told|taken together|in the grand scheme"
"""Openers that are template filler only when their paragraph closes a section: "Overall, ..."
at the start of a section's last paragraph recaps it; mid-section it is ordinary prose."""

# --- promo and clickbait lines still in the extracted text ------------------------------------
PROMO_LINE = (
    r"[\W_]*(?:you (?:may|might|will) (?:also )?(?:like|love|enjoy)|also read|read (?:also|more"
    r"|next)(?=\s*(?:[:»|→>]|$))|related(?: articles?| posts?| stories| reading| content)?\s*:|"
    r"recommended(?: for you)?"
    r"\s*:|trending(?: now| stories)?\s*:|don't miss|do not miss|must[- ]read|see also\s*:|"
    r"more from|watch(?: now| the video| this)?\s*:|click here|sign up|subscribe|follow us|join "
    r"(?:our|us)|download (?:our|the) app|share (?:this|on)|like and share|advertisement|"
    r"sponsored|promoted|get (?:the|our) (?:latest|free)|buy now|shop now|order now|limited time)"
)
"""Line openings (matched at the start of a line) of a call to action or a 'more stories' teaser."""

CLICKBAIT = (
    r"click here|subscribe to (?:our|the)|sign up (?:for|to)|follow us on|trending story|"
    r"you won't believe|you will not believe|what happened next|this one (?:trick|simple)|"
    r"shocking (?:truth|reason|video)|(?:watch|see) (?:this|the) (?:trending|viral|full)|"
    r"on youtube|don't forget to (?:like|share|subscribe)|use (?:code|coupon)|affiliate link"
)
"""Clickbait and call-to-action wording anywhere in a line."""

PROMO_REASON_WEIGHTS: dict[str, float] = {
    "promo": 1.0,
    "advertisement": 1.0,
    "keywords": 1.0,
    "embed": 0.5,
    "related": 0.5,
    "newsletter": 0.5,
    "share": 0.25,
    "cookie": 0.25,
}
"""How much of each removed `Removal.reason` counts as promotional padding. Promos, ads and
keyword lines are planted in the article body and count fully; related-story, newsletter, share
and cookie widgets stand on nearly every page of a site, clean or not, so they count in part.
Structural removals (navigation, footer, sidebar, site-template...) are page furniture, not
filler, and do not count at all."""

# --- words --------------------------------------------------------------------------------------
STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can can't cannot could couldn't did didn't do does
    doesn't doing don't down during each even ever every few for from further had hadn't has
    hasn't have haven't having he he'd he'll he's her here here's hers herself him himself his how
    how's however i i'd i'll i'm i've if in into is isn't it it's its itself just let's like made
    make makes many may me might more most much must mustn't my myself no nor not now of off
    often on once one only or other others ought our ours ourselves out over own per quite rather
    really same several shan't she she'd she'll she's should shouldn't since so some still such
    than that that's the their theirs them themselves then there there's these they they'd
    they'll they're they've this those though through thus to too under until up upon us very
    via was wasn't we we'd we'll we're we've well were weren't what what's when when's where
    where's whether which while who who's whom whose why why's will with within without won't
    would wouldn't yet you you'd you'll you're you've your yours yourself yourselves""".split()
)
"""Function words: not content, never a key phrase, ignored by restatement similarity."""

GENERAL_WORDS = frozenset(
    """able about actually add allow almost already always amazing among answer anyone anything
    anyway appear approach area ask aspect available away back basic become begin believe benefit
    best better big bring build call care case certain certainly challenge chance change choice
    choose clear clearly come common consider continue could course create current daily day
    decide decision detail different difficult done easily easy effect effort else end enjoy
    enough entire especially essential even event ever every everyone everything example exciting
    expect experience fact factor feel find first focus follow form free full future general get
    give goal going good great grow hand happen hard head help high hold home huge idea impact
    importance important improve include information instead interest interesting issue just keep
    kind know large last later lead learn least leave less level life like likely little live long
    look lose lot love main major make matter maybe mean meet mind moment most move much need
    never next nothing offer often open opportunity option order other others overall part
    particular people perfect perhaps person place plan play point possible powerful probably
    problem process provide pull put quality question quickly quite range rather reach real really
    reason recent remain remember require result right role run same say see seem sense serve set
    several show side similar simple simply since small someone something sometimes sort special
    start stay step still stop story strong subject such sure take talk tell thing think through
    time today together true truly try turn type understand use usually value various view want
    watch way well whole wide work world worth year young""".split()
)
"""Everyday content words that any article uses whatever its subject (time, people, make, help,
important, change): they and their inflections name no thing the page reports on. A sentence
sharing only such words with the rest of the page is not tied to its subject, so they are never
terms for the generic component. A list of common English words, not of any page's wording."""

MONTHS_AND_DAYS = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday""".split()
)
"""Date words: a sentence that names a date says something specific."""


_ESCAPE_OR_CLASS = re.compile(r"\\[a-zA-Z]|\[[^\]]*\]|\(\?[:=!<P][^)]*?>?")
_LITERAL_RUN = re.compile(r"[a-z]{3,}")


def cues(pattern: str) -> frozenset[str]:
    """The letter runs (3+ letters) spelt out in `pattern`: word starts a match must contain.

    Every family is written so that any match holds a word beginning with one of these runs;
    matching therefore only needs to run on sentences holding such a word, which skips almost
    all of a page (one alternation of ~100 families tried at every word costs ~10x more).
    """
    literal = _ESCAPE_OR_CLASS.sub(" ", pattern.casefold())
    return frozenset(run for run in _LITERAL_RUN.findall(literal) if run not in _UBIQUITOUS)


_UBIQUITOUS = frozenset("the and that for with are was this".split())
"""Words in nearly every sentence: as cues they would gate nothing. No family relies on them
alone (each also spells out a rarer word), which the lexicon's tests check on real text."""


CASE_TWINS = frozenset("\u0130\u0131\u017f")
"""Characters that a lexicon letter matches under `re.IGNORECASE` though `str.lower()` does not
turn them into it ("İ", dotless "ı", long "ſ"). On a text holding one, `required_strings` may
not be looked for in the lowered text; the lexicon's tests check this set against all of
Unicode."""

Clause = tuple[str, ...]
MIN_REQUIRED = 3
"""Shortest required string worth a test."""


def required_strings(pattern: str) -> tuple[Clause, ...]:
    """Clauses of lower-case strings such that any match of `pattern` (case-insensitive) holds,
    lowered, one string of every clause.

    A necessary condition read off the pattern's parse tree, so testing it with `in` on the
    lowered text can only skip sentences where the pattern cannot match: it prunes the many
    sentences that a common cue word ("you", "more") sends to a family without changing what
    is found. Strings shorter than `MIN_REQUIRED` are left out (they are in nearly any text).
    """
    clauses = _clauses(sre_parse.parse(pattern, re.IGNORECASE))
    kept = [c for c in clauses if min(map(len, c)) >= MIN_REQUIRED]
    return tuple(sorted(set(kept), key=lambda c: (-min(map(len, c)), c)))


def _clauses(parsed: sre_parse.SubPattern) -> list[Clause]:
    """Clauses of a sequence: its literal runs, and one clause per alternation or group.

    Anything not understood (classes, optional parts, look-arounds) requires nothing and ends
    the current literal run, which keeps the condition necessary whatever the pattern holds.
    """
    clauses: list[Clause] = []
    run: list[str] = []
    for op, argument in parsed:
        if op is sre.LITERAL and len(chr(argument).lower()) == 1:
            run.append(chr(argument).lower())
            continue
        if op is sre.AT:  # a zero-width boundary inside a literal run changes no character
            continue
        if run:
            clauses.append(("".join(run),))
            run = []
        if op is sre.SUBPATTERN:
            clauses.extend(_clauses(argument[3]))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and argument[0] >= 1:
            clauses.extend(_clauses(argument[2]))
        elif op is sre.BRANCH:
            clauses.extend(_either(argument[1]))
    if run:
        clauses.append(("".join(run),))
    return clauses


def _either(alternatives: list[sre_parse.SubPattern]) -> list[Clause]:
    """One clause for an alternation: the most selective clause of every alternative, pooled.

    Empty when some alternative requires nothing (then the alternation requires nothing).
    """
    pooled: set[str] = set()
    for alternative in alternatives:
        clauses = _clauses(alternative)
        if not clauses:
            return []
        pooled.update(max(clauses, key=lambda c: min(map(len, c))))
    return [tuple(sorted(pooled))]
