"""Turns the English around numbers into tables and patterns: number words, units, bounds, nouns, sentences."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
          "seventeen eighteen nineteen").split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_WORD_VALUE: dict[str, float] = {w: float(i) for i, w in enumerate(_UNITS)}
_WORD_VALUE.update({w: float(20 + 10 * i) for i, w in enumerate(_TENS)})
SCALE = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9,
         "mln": 1e6, "dozen": 12.0, "thousands": 1e3, "millions": 1e6, "billions": 1e9, "trillions": 1e12, "mn": 1e6,
         "bln": 1e9, "tn": 1e12, "trn": 1e12}
_ORDINAL_WORDS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
                  "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth").split()
ORDINAL = {w: float(i + 1) for i, w in enumerate(_ORDINAL_WORDS)}
ORDINAL.update({"thirtieth": 30.0, "fortieth": 40.0, "fiftieth": 50.0, "hundredth": 100.0})
FRACTION = {"half": 2.0, "halves": 2.0, "third": 3.0, "thirds": 3.0, "quarter": 4.0, "quarters": 4.0,
            "fifth": 5.0, "fifths": 5.0, "tenth": 10.0, "tenths": 10.0}
MULTIPLE_WORDS = {"twice": (2.0, None), "doubled": (2.0, "up"), "doubling": (2.0, "up"), "tripled": (3.0, "up"),
                  "quadrupled": (4.0, "up"), "halved": (0.5, "down")}
VAGUE = ("tens", "dozens", "hundreds", "thousands", "millions", "billions", "trillions")
_MONTHS = ("January February March April May June July August September October November December").split()

_CARD = "|".join(sorted(_WORD_VALUE.keys() | {"hundred", "thousand", "million", "billion", "trillion", "dozen"},
                        key=len, reverse=True))


def _trie(words: list[str], after_first: str = "", tail: str = "") -> str:
    """A regex alternation of `words` shaped as a trie, so the scanner rejects non-numbers at the first letter.

    With `after_first` or `tail`, the first letters are the top-level branches, each followed by `after_first`,
    the rest of its subtree and `tail`: a caller can then place the branches straight into its own alternation,
    where the matcher skips a branch whose first letter differs without entering it.
    """
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    if after_first or tail:
        return "|".join(re.escape(ch) + after_first + emit(sub) + tail for ch, sub in sorted(root.items()))
    return emit(root)


_STARTERS = [*_WORD_VALUE, *ORDINAL, *MULTIPLE_WORDS, *VAGUE, "half", "a hundred", "a thousand", "a million",
             "a billion", "a trillion", "a dozen", "a third", "a quarter", "a half", "half a", "half an"]
# Python's re scans fastest when the pattern opens with one plain character set: its search loop then skips
# other characters in C without entering the matcher. Digits and the character before a number word form that
# set; `\s` is spelled out as the characters it matches (none lies beyond U+3000), since a class category in
# the set would make every character pay for a second test. Most characters of the set are spaces before a
# word that is no number: the first letters of the number words come first, as plain letters the matcher
# skips cheaply, each checking after the letter that the character before it was no digit; a digit run last.
_SPACES = "".join(ch for ch in map(chr, range(0x3001)) if ch.isspace())
SCAN = re.compile(
    "[0-9" + re.escape(_SPACES) + r"(“\"'‘«/–—-](?:"
    + _trie(_STARTERS + [w.capitalize() for w in _STARTERS], after_first="(?<![0-9].)", tail=r"(?:fold)?(?![A-Za-z])")
    + r"|(?<=[0-9])[0-9]*)")
DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
# A run of number words. `_CARD` as a trie: the same words tried in the same order (of the words that match at a
# place, each a prefix of the next, the longest first), but a letter that starts none of them fails at once.
_CARD_TRIE = _trie(_CARD.split("|"))
_WORDSEQ = re.compile(rf"(?:{_CARD_TRIE})(?:(?:[ -]|\s+and\s+)(?:{_CARD_TRIE}))*(?:\s+and\s+a\s+half)?(?![A-Za-z])",
                      re.I)
RANGE = re.compile(rf"(?:\s*[–—]\s*|-(?=\d)|\s+(?:to|or|and)\s+|-\s+(?:or|to)\s+)(?P<hi>\d{{1,3}}(?:,\d{{3}})+"
                   rf"(?:\.\d+)?|\d+(?:\.\d+)?|(?:{_CARD})(?:[ -](?:{_CARD}))*)(?!\w|-\d|\.\d)", re.I)
SCALE_RE = re.compile(r"\s+(?:hundred|(?:thousand|million|billion|trillion)(?:s(?=\s+(?:will|were|are|have|of|in)\b))?"
                      r"|bn|mln|mn|bln|tn|trn)\b", re.I)
_MEASURES = {
    "tonne": "(?:metric\\s+)?(?:tonnes?|tons?)", "kilometre": "kilometres?|kilometers?|km", "metre": "metres?|meters?",
    "hectare": "hectares?|ha", "barrel": "barrels?", "litre": "litres?|liters?", "kilogram": "kilogram(?:me)?s?|kg",
    "gram": "grams?", "degree": "degrees?", "kilowatt-hour": "kilowatt[- ]hours?|kWh",
    "megawatt-hour": "megawatt[- ]hours?|MWh", "gigawatt-hour": "gigawatt[- ]hours?|GWh",
    "terawatt-hour": "terawatt[- ]hours?|TWh", "megawatt": "megawatts?|MW", "gigawatt": "gigawatts?|GW",
    "kilowatt": "kilowatts?|kW", "kilovolt": "kilovolts?|kV", "mile": "miles?", "millimetre": "millimetres?|mm",
    "centimetre": "centimetres?|cm", "bcm": "bcm",
    "square_metre": r"sq\.?\s?m|sqm", "square_kilometre": r"sq\.?\s?km", "gigabyte": "gigabytes?|GB",
    "megabyte": "megabytes?|MB", "terabyte": "terabytes?|TB", "kilohertz": "kilohertz|kHz",
    "megahertz": "megahertz|MHz",
    "gigahertz": "gigahertz|GHz", "mile_per_hour": "miles?\\s+(?:per|an)\\s+hour|mph",
    "kilometre_per_hour": r"kilomet(?:re|er)s?\s+(?:per|an)\s+hour|km/h|kph",
}
_MEASURE_FIRST = ("kilometre_per_hour", "mile_per_hour", "square_metre", "square_kilometre")
MEASURE_RE = re.compile(
    r"[\s-]+(?:linear\s+)?(?P<sq>square\s+|cubic\s+)?(?:"
    + "|".join(f"(?P<{k.replace('-', '_')}>{_MEASURES[k]})"
               for k in (*_MEASURE_FIRST, *(k for k in _MEASURES if k not in _MEASURE_FIRST)))
    + r")(?![\w/])", re.I)
# Measure group names that are not the unit's name as written in the claims table.
MEASURE_NAMES = {"square_metre": "square metre", "square_kilometre": "square kilometre",
                 "mile_per_hour": "mile per hour", "kilometre_per_hour": "kilometre per hour"}
_CURRENCY_WORDS = {"us dollar": "USD", "dollar": "USD", "rouble": "RUB", "ruble": "RUB", "euro": "EUR",
                   "yuan": "CNY", "renminbi": "CNY", "rupee": "INR", "tenge": "KZT", "hryvnia": "UAH",
                   "pounds sterling": "GBP", "swiss franc": "CHF", "yen": "JPY"}
UNIT_RE = re.compile(
    r"(?P<pct>\s*%|[\s-]*(?:percent|per\s+cent)\b|\s?(?-i:pc)\b)|(?P<pp>\s+percentage\s+points?\b)|(?P<times>\s+times\b)"
    r"|(?P<fold>-?fold\b)|(?P<cur>\s+(?:US\s+dollar|dollar|rouble|ruble|euro|rupee|hryvnia|Swiss\s+franc)s?\b"
    r"|\s+(?:yuan|renminbi|tenge|yen|pounds\s+sterling)\b|\s+(?-i:USD|EUR|RUB|CNY|GBP|JPY|CHF|INR)\b)"
    r"|(?P<dur>[\s-]+(?:year|month|week|day|hour|minute|decade)s?\b|[\s-]+centur(?:y|ies)\b|\s+seconds\b)"
    r"|(?P<month>\s+(?-i:" + "|".join(_MONTHS) + r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.)(?!\w))"
    r"|(?P<frac>[\s-]+(?:halves|thirds?|quarters?|fifths?|tenths?)\b)", re.I)
# The first word of every range, scale, unit and measure that `RANGE`, `SCALE_RE`, `UNIT_RE` and `MEASURE_RE` read
# after a number (lower case). After one space and a word not listed here none of the four can match, and a
# number so followed skips them (most are, as in "45 regions"); tests/test_claims.py checks the list against them.
TAIL_WORDS = frozenset("""to or and hundred thousand thousands million millions billion billions trillion trillions
bn mln mn bln tn trn percent per pc percentage times us dollar dollars rouble roubles ruble rubles euro euros rupee
rupees hryvnia hryvnias swiss yuan renminbi tenge yen pounds usd eur rub cny gbp jpy chf inr year years month months
week weeks day days hour hours minute minutes seconds decade decades century centuries january february march april
may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec halves third
thirds quarter quarters fifth fifths tenth tenths linear square cubic metric tonne tonnes ton tons kilometre kilometres
kilometer kilometers km metre metres meter meters hectare hectares ha barrel barrels litre litres liter liters kilogram
kilograms kilogramme kilogrammes kg gram grams degree degrees kilowatt kilowatts kwh megawatt megawatts mwh gigawatt
gigawatts gwh terawatt twh mw gw kw kilovolt kilovolts kv mile miles millimetre millimetres mm centimetre centimetres
cm bcm sq sqm gigabyte gigabytes gb megabyte megabytes mb terabyte terabytes tb kilohertz khz megahertz mhz gigahertz
ghz mph kph""".split())
# One space and the word after it.
NEXT_WORD = re.compile(r" ([A-Za-z]+)")
CUR_PREFIX = {"US$": "USD", "$": "USD", "€": "EUR", "£": "GBP", "₽": "RUB", "¥": "CNY", "USD": "USD", "EUR": "EUR",
              "RUB": "RUB", "CNY": "CNY", "GBP": "GBP", "JPY": "JPY", "CHF": "CHF", "INR": "INR", "S$": "SGD",
              "HK$": "HKD", "A$": "AUD", "C$": "CAD", "NZ$": "NZD", "R$": "BRL", "RM": "MYR"}
_BOUNDS = [("~", "about|around|approximately|roughly|some|an estimated|or so"),
           ("<~", "almost|nearly|close to|just under|just shy of|not quite|practically"),
           (">=", "at least|no less than|not less than|no fewer than|not fewer than|a minimum of"),
           ("<=", "up to|no more than|not more than|a maximum of"),
           ("=", "as many as|as much as|exactly"),
           (">", "just over|well over|over|more than|above|exceeding|exceeds|exceeded|in excess of|upwards of|beyond"),
           ("<", "less than|fewer than|under|below")]


def _rev(phrases: str) -> str:
    """Alternatives for matching left context backwards: words and their order reversed (`more than` -> `naht erom`).

    Python's re only matches forwards, and searching a slice for a pattern anchored at its end tries every start;
    matching the reversed slice from its start is one attempt.
    """
    return "|".join(r"\s+".join(re.escape(w[::-1]) for w in reversed(ph.split())) for ph in phrases.split("|"))


# Left context, matched on the reversed text before the number: currency sign, `minus`, bound, preposition.
_CODES_REVERSED = "dsu|rue|bur|ync|pbg|ypj|fhc|rni|mr"
_PREPS = "by|to|from|between|of|as low as|as high as"
LEFT = re.compile(
    r"(?P<cur>\$(?:su|kh|zn|[sacr])\b|\$|€|£|₽|¥|\s?(?:" + _CODES_REVERSED + r")\b)?(?P<minus>\s+sunim\b)?"
    r"(?:\s+(?P<bound>" + "|".join(_rev(alts) for _, alts in _BOUNDS) + r")\b)?"
    r"(?:\s+(?P<prep>" + _rev(_PREPS) + r")\b)?")
BOUND_SIGN = {ph: sign for sign, alts in _BOUNDS for ph in alts.split("|")}
AFTER_GO = re.compile(r"\s+(?:tnew|enog|seog|og|esor|nesir|worg|werg|nworg|sworg)\b")
_IDENT_WORDS = ("No|Nos|Number|Article|Articles|Resolution|Resolutions|resolutions|Paragraph|Clause|Section|Chapter|"
                "Decree|Order|Flight|Protocol|Item|Point|Annex|Appendix|Part|Parts|parts|Page|page|Room|Building|"
                "Platform|Unit|Units|units|resolution|Grade|grade")
IDENT = re.compile(r"\s*(?:\.?(?:" + _rev(_IDENT_WORDS) + r")\b|№)")
_WORDS_AFTER = re.compile(r"(?:\s+[A-Za-z][A-Za-z’'-]*){1,5}")
_DETERMINERS = frozenset("the our their these those its his her this my your".split())
WORD_AFTER = re.compile(r"\s+([a-z][a-z’'-]*)(?:\s+([a-z][a-z’'-]*))?(?:\s+([a-z][a-z’'-]*))?")
VAGUE_RE = re.compile(r"(?:\s+of\s+(?:tens|dozens|hundreds|thousands|millions|billions))*(?=\s+of\s)", re.I)
# Growth and fall words before a number, by direction.
_CHANGE_WORDS = {
    "up": [r"increas(?:e|es|ed|ing)", r"gr(?:ew|own|ow|ows|owing|owth)", r"r(?:ose|isen|ise|ises|ising)", r"went\s+up",
           r"gone\s+up", r"go\s+up", r"goes\s+up", r"up(?=\s+(?:by\b|from\b|\d))", r"added", r"gain(?:ed|s)?",
           r"climb(?:ed|s)?", r"jump(?:ed|s)?", r"soar(?:ed|s)?", r"boost(?:ed|s|ing)?", r"rais(?:e|ed|es|ing)"],
    "down": [r"decreas(?:e|es|ed|ing)", r"fell", r"fall(?:en|s|ing)?", r"drop(?:ped|s)?", r"declin(?:e|es|ed|ing)",
             r"down(?=\s+(?:by\b|from\b|\d))", r"went\s+down", r"gone\s+down", r"shr(?:ank|unk|inks)",
             r"contract(?:ed|ion)", r"plunged", r"slumped", r"lost", r"loss(?:es)?", r"cut(?:s|ting)?",
             r"reduc(?:e|ed|es|ing|tion)", r"lower(?:ed|ing|s)"],
}


def _by_first_letter(words: dict[str, list[str]]) -> str:
    r"""`\W(?:(?P<up>...)|(?P<down>...))\b` over `words`, its alternatives grouped under their first letter.

    The pattern reads the character before the word as well (`change_near` puts a space before its window, so a
    word may begin there): Python's re then skips in C every character that is no ASCII letter's neighbour
    (`[^0-9A-Za-z_]`, a plain set; `(?<=\W)` after it holds for the other characters what `\W` means), and tries
    the words only after a space or a mark, not at every letter. A group named `up_<letter>` or
    `down_<letter>` tells the direction (`lastgroup`). Within a letter the alternatives keep their order, up
    before down, so the same one wins as in the plain alternation.
    """
    branches = []
    for letter in sorted({w[0] for ws in words.values() for w in ws}):
        groups = [f"(?P<{d}_{letter}>" + "|".join(w[1:] for w in ws if w[0] == letter) + ")"
                  for d, ws in words.items() if any(w[0] == letter for w in ws)]
        branches.append(letter + r"(?:" + "|".join(groups) + ")")
    return r"[^0-9A-Za-z_](?<=\W)(?:" + "|".join(branches) + r")\b"


CHANGE = re.compile(_by_first_letter(_CHANGE_WORDS))
_THAN_BEFORE = r"(?=\s+than\s+(?:in\s+|during\s+)?(?:the\s+)?(?:same\s+period|previous|last|a\s+year|\d{4}))"
CHANGE_AFTER = re.compile(r"\s+(?:(?P<up>increase|growth|rise|gain|jump|(?:more|higher|up)" + _THAN_BEFORE + ")"
                          r"|(?P<down>decrease|decline|drop|fall|reduction|(?:less|lower|down)" + _THAN_BEFORE
                          + r"))\b", re.I)
# The ASCII characters after which, standing after a number and a space, `CHANGE_AFTER` cannot match: all but
# spaces and the first letters of its words in either case (no other ASCII character equals those letters when
# case is ignored). tests/test_claims.py checks it against the pattern.
NO_CHANGE_AFTER = frozenset(ch for ch in map(chr, range(128)) if not ch.isspace() and ch not in "igrjmhudflIGRJMHUDFL")
# A level reached, written before the number: its change type is `to`.
LEVEL_BEFORE = re.compile(r"\b(?:reach(?:ed|ing)?|amounting\s+to|totall?ing)\s+\Z")
OR_LINK = re.compile(r",?\s+or\s+(?:\w+\s+)?\Z")
AFTER_BOUND = re.compile(r"(?:\s+[a-z][a-z-]*){0,2}?\s+or\s+(?:(?P<ge>more)|(?P<le>less|fewer)|(?P<approx>so))\b")
# `[.!?…][.!?…]*` rather than `[.!?…]+`: the same matches, but a pattern opening with a plain character set lets
# `re` skip in C to the next mark when it searches (a repeat first makes it try the matcher at every character).
SENTENCE_SPLIT = re.compile(r"[.!?…][.!?…]*[\"'”’)\]]*\s+(?=[^\sa-z0-9])")
# The last sentence start in a stretch: the greedy `.*` leaves the nearest end of a sentence to the rest.
LAST_SENTENCE_START = re.compile(r"(?s:.*)[.!?…][\"'”’)\]]*\s+(?=[^\sa-z0-9])")

# Words after a number that are not a counted noun; a count then has no unit.
STOP = frozenset("""a an the of to in on at by for from with and or but nor than as that which who whom whose this
these those it its is are was were be been being has have had do does did will would shall should can could may might
must not no so such per each every all both either neither also only just even still already yet most less least
out up down over under about into onto upon after before since until while when where why how what if then there here
their our your my his her them us we you they he she i me him thus percent times plus minus year years month months
week weeks day days hour hours ago old one another other others ones among amongst via across around within without
including like except themselves ourselves yourselves""".split())
_NOT_NOUN_S = frozenset("is was has does as us its his this thus plus less across always perhaps towards whereas "
                        "besides unless yes news series species gas bus".split())
_IRREGULAR = {"people": "person", "children": "child", "men": "man", "women": "woman", "staff": "staff",
              "personnel": "personnel", "feet": "foot", "media": "media",
              "spacecraft": "spacecraft", "aircraft": "aircraft", "lives": "life", "wives": "wife",
              "knives": "knife", "thieves": "thief", "wolves": "wolf", "shelves": "shelf"}
# Words ending in -men that are no plural of a -man ("servicemen" is; "specimen" is not).
_MEN_SINGULAR = frozenset("specimen regimen abdomen omen stamen acumen semen amen".split())
# Words ending in a consonant and -uses whose singular ends in -use (verbs, or "abuses" and "excuses"); the others
# drop -es ("buses", "viruses", "bonuses", "surpluses").
_USE_WORDS = frozenset("abuses excuses refuses fuses ruses accuses amuses confuses muses diffuses infuses".split())
# Endings of plurals in -es of singulars in -is ("crises", "analyses", "theses", "diagnoses", "metropolises").
_IS_PLURALS = ("crises", "yses", "theses", "gnoses", "oases", "polises")
# After "one", these mean "one" is a pronoun or part of an idiom, not a quantity.
ONE_NOT = frozenset("of who that which another after by or and can could should must may might would will shall "
                    "has had is was needs cannot gets sees feels knows thinks way hand side".split())
ONE_BEFORE = re.compile(r"\s+(?:" + _rev("the|this|that|no|any|every|each|which|another|a|some|someone|at|one|"
                                              "on the|only the") + r")\b")
ORDINAL_NOT_AFTER = re.compile(r"(?:\s+of\s+all\b|\s+and\s+foremost\b|[,.:;!?]|\s+and\s+second)", re.I)
AT = re.compile(r"\s+ta\b")
# Before a lower-case ordinal and a comma, these open a point of a list ("And second, we will help"; "and, third,";
# "; second,"). Before "first" and a comma, a comma or colon does too ("You know, first, I believe"), but not before a
# later ordinal, which may go on a list of ranks ("came in first, third, fourth and fifth").
LIST_MARK_BEFORE = re.compile(r"\s*(?:[;:]|,?\s*(?:dna|tub|ro)\b)")
FIRST_MARK_BEFORE = re.compile(r"\s*[,:;–—]")
# "in the first place" means "above all", unless a ranking follows ("in the first place among the world cities").
IN_THE_BEFORE = re.compile(r"\s+eht\s+ni\b")
PLACE_AFTER = re.compile(r"\s+place\b(?!\s+(?:among|in\s+terms|in\s+the\s+world))")
# Before "first", a personal pronoun or a modal verb makes it an adverb: "I first want to", "we should first solve".
FIRST_ADVERB_BEFORE = re.compile(r"\s+(?:" + _rev("i|we|you|they|he|she|should|must|will|would|can|could|may|might|"
                                                   "shall") + r")\b")
TIME_AFTER = re.compile(r"\s+(?:time|term|round|stage|phase|wave|place)\b")
# After "a third", a word in lower case that may begin a singular noun phrase ("a third child", "a third important
# task"): the article counts one of a series, a rank, unless the word is a comparative or a word of time or amount
# ("a third cheaper", "a third more", "a third last year"), which `rank_after_a_third` checks; "a third one" ranks.
WORD_AFTER_THIRD = re.compile(r"\s+([a-z][a-z-]*)\b(?![’'])")
_NOT_RANK_AFTER_THIRD = frozenset("more last next below above".split())
# Before "a half", on the reversed text: "and", a unit of time in the singular, and "a"/"an", or a determiner or the
# start of a clause before the unit ("the last year and a half"; not "one year and a half", where "one year" is a
# claim already). "a year and a half" is 1.5 years.
PERIOD_AND_BEFORE = re.compile(r"\s+dna\s+(raey|htnom|keew|yad|ruoh|edaced|yrutnec)(?:\s+n?a\b|(?=\s+(?:eht|siht|taht|"
                               r"tsal|txen|tsap|rehtona|ruo|gnimoc|ro)\b|\s*[.?!:;,–—(]|\Z))")
HALF_OK_AFTER = re.compile(r"\s+(?:of|the|a|an|as)\b", re.I)
HALF_NOT_BEFORE = re.compile(r"\s+(?:" + _rev("first|second|the|this|next|last|a|one") + r")\b")
FROM_BEFORE = re.compile(r"\bfrom\b")
SCALE_IN = re.compile(r"(?:hundred|thousand|million|billion|trillion|bn|mln|mn|tn)\b|\d[kKmMbB]\b", re.I)
RANGE_KINDS = frozenset({"percent", "percentage_point", "money", "measure"})
UNIT_RANGE_LINK = re.compile(r"(?P<dash>[–—-])|\s+(?:(?P<to>to)|(?P<and>and))\s+")
QUANTITY_KINDS = frozenset({"percent", "percentage_point", "money", "count", "measure", "multiple"})


def rank_after_a_third(text: str, pos: int) -> bool:
    """Whether "a third" ending at `pos` ranks a singular noun ("a third child") rather than being a fraction."""
    m = WORD_AFTER_THIRD.match(text, pos)
    if not m:
        return False
    word = m.group(1)
    return word == "one" or not (word in STOP or word in _NOT_RANK_AFTER_THIRD or word.endswith(("er", "ly"))
                                 or is_plural(word))


def singular_of(word: str) -> str:
    """The singular of an English plural noun, by the regular rules plus a few irregular nouns."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zzes")):
        return word[:-2]
    if word.endswith("es"):
        if word.endswith(_IS_PLURALS):
            return word[:-2] if word.endswith("polises") else word[:-2] + "is"
        if word.endswith("uses") and word[-5:-4] not in "aeiou" and word not in _USE_WORDS:
            return word[:-2]
    if word.endswith("men"):
        return word[:-3] + "man"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def is_plural(word: str) -> bool:
    """True for a word that looks like a plural noun ("regions", "people"), not "is", "news" or "bus"."""
    return word in _IRREGULAR or (word.endswith("s") and not word.endswith(("ss", "us", "is"))
                                  and word not in _NOT_NOUN_S and len(word) > 2) or (
        word.endswith("men") and len(word) > 4 and word not in _MEN_SINGULAR)  # "servicemen"


def counted_noun(text: str, pos: int, singular: bool) -> str | None:
    """The head noun counted by the number ending at `pos` (singular form), or None if none follows.

    Capitalised words and adjectives before the noun are skipped ("17,000 Russian students", "four power plants");
    `of` and a determiner may come first ("44 of our largest companies"). For plurals the head is the last of
    consecutive plural words ("sports facilities" would be "facility"); for `one`, the last word of the run.
    """
    m = _WORDS_AFTER.match(text, pos)
    if not m:
        return None
    words = m.group().split()
    if words[0] == "of":
        if singular:
            return None
        words = words[2:] if len(words) > 1 and words[1] in _DETERMINERS else words[1:]
    head = None
    singular_words = 0
    for i, w in enumerate(words):
        role, bare = _noun_role(w)
        if role == _NAME:
            if head:
                break
            if singular and w[:1].islower() and w[-2:] in ("’s", "'s"):  # "one country’s resources"
                return w[:-2]
            # "the two Presidents": a capitalised plural is a common noun, unless a name goes on after it
            if (bare.isalpha() and bare[1:].islower() and not singular and is_plural(bare.lower())
                    and not (i + 1 < len(words) and words[i + 1][:1].isupper())):
                head = singular_of(bare.lower())
            continue
        if role == _PLURAL and w[-1] in "’'" and not singular:
            return singular_of(bare)
        if role == _STOP_WORD:
            break
        if singular:
            if role == _PLURAL and bare[-1] == "s":  # a verb: "one facility remains", "if one considers"
                break
            head = bare
            singular_words += 1
            if singular_words == 3:
                break
        elif role == _PLURAL:
            head = singular_of(bare)
        elif head:
            break
    return head


_NAME, _STOP_WORD, _PLURAL, _OTHER = range(4)


@lru_cache(maxsize=8192)
def _noun_role(word: str) -> tuple[int, str]:
    """What a word after a number is to `counted_noun` (name, stop word, plural or other), and its bare form."""
    bare = word.rstrip("’'")
    if bare[:1].isupper() or "’s" in word or "'s" in word:
        return _NAME, bare
    if bare in STOP or bare.endswith("ly"):
        return _STOP_WORD, bare
    return (_PLURAL if is_plural(bare) else _OTHER), bare


_TOKEN_SPLIT = re.compile(r"[\s-]+")
_AND = re.compile(r"\s+and\s+")
PHONE = re.compile(r"[-–]\d+[-–]\d")


def words_value(surface: str) -> float | None:
    """The value of a run of number words ("twenty-five thousand", "one and a half"); None if ill-formed."""
    tokens = _TOKEN_SPLIT.split(surface.lower())
    total = current = 0.0
    half = False
    seen = False
    for i, tok in enumerate(tokens):
        if tok == "and":
            if tokens[i + 1:i + 3] == ["a", "half"]:
                half = True
                break
            continue
        if tok == "a" and i == 0:
            current = 1.0
        elif tok in _WORD_VALUE:
            current += _WORD_VALUE[tok]
        elif tok == "hundred":
            current = max(current, 1.0) * 100
        elif tok in SCALE:
            total += max(current, 1.0) * SCALE[tok]
            current = 0.0
        else:
            return None
        seen = True
    if not seen:
        return None
    return total + current + (0.5 if half else 0.0)


def word_run(text: str, start: int) -> tuple[int, float] | None:
    """End and value of the number-word run at `start`, cut before an `and` that does not follow a scale."""
    m = _WORDSEQ.match(text, start)
    if not m:
        return None
    read = _read_run(m.group())
    return (start + read[0], read[1]) if read is not None else None


@lru_cache(maxsize=4096)
def _read_run(run: str) -> tuple[int, float] | None:
    """Length and value of a matched run of number words, cut before an `and` that does not follow a scale."""
    for and_m in _AND.finditer(run):
        before = run[:and_m.start()].rsplit(None, 1)[-1].lower()
        if run[and_m.end():].lower().startswith("a half"):
            break
        if before not in SCALE:
            run = run[:and_m.start()]
            break
    value = words_value(run)
    return (len(run), value) if value is not None else None


MONTH_BEFORE = re.compile(r"\s+(" + _rev("|".join(_MONTHS))
                          + r"|\.(?:naJ|beF|raM|rpA|nuJ|luJ|guA|t?peS|tcO|voN|ceD))\b")
# The word before a number, on the reversed text before it: one space and a run of ASCII letters (reversed). A
# pattern of the left context can match there only when that word is one it spells, in full: these sets say which
# (reversed as well; lower case for `LEFT`, which reads the lower-cased text). tests/test_claims.py checks them.
PREV_WORD = re.compile(r" ([A-Za-z]+)")
LEFT_WORDS = frozenset({ph.split()[-1][::-1] for alts in (*(a for _, a in _BOUNDS), _PREPS, "minus")
                        for ph in alts.split("|")} | set(_CODES_REVERSED.split("|")))
IDENT_WORDS = frozenset(w[::-1] for w in _IDENT_WORDS.split("|"))
MONTH_WORDS = frozenset(m[::-1] for m in _MONTHS)
# After a name such as "Resolutions 242": the rest of its list ("and 338", ", 3 and 4"), also names.
ID_LIST = re.compile(r"(?:(?:,\s*|\s+and\s+|\s*[–-]\s*)\d[\w.:/-]*)*")
# "13,5 billion": a decimal comma, read only before a scale word.
DECIMAL_COMMA = re.compile(r",(\d{1,2})(?=\s+(?:thousand|million|billion|trillion)\b)")
ORDINAL_AFTER_TENS = re.compile(r"[ -](first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)\b", re.I)
TENS_VALUES = frozenset(float(20 + 10 * i) for i in range(8))
# A date's day range ("April 7–8") and a month abbreviation's full name.
DAY_RANGE = re.compile(r"[–—-](\d{1,2})(?![\d,.]\d|[\w–—-])")
MONTH_NAMES = {m[:3]: m for m in _MONTHS} | {"Sept": "September"}
GLUED_UNITS = {"km": "kilometre", "m": "metre", "cm": "centimetre", "mm": "millimetre", "kg": "kilogram",
               "ha": "hectare", "MW": "megawatt", "GW": "gigawatt", "kW": "kilowatt", "GB": "gigabyte",
               "MB": "megabyte", "TB": "terabyte", "kHz": "kilohertz", "MHz": "megahertz", "GHz": "gigahertz",
               "Hz": "hertz", "l": "litre", "mph": "mile per hour", "kph": "kilometre per hour",
               "km/h": "kilometre per hour", "kWh": "kilowatt-hour", "MWh": "megawatt-hour", "GWh": "gigawatt-hour",
               "TWh": "terawatt-hour", "bcm": "cubic metre", "sqm": "square metre", "pc": "percent"}
GLUED = re.compile(r"(?:" + "|".join(sorted(map(re.escape, GLUED_UNITS), key=len, reverse=True)) + r")(?![\w/])")
# Scale abbreviations glued to digits ("5k", "3bn", "$2.5M"); `m` and `B` mean million and billion only after a
# currency sign, as "60m" alone is sixty metres.
GLUED_SCALE = re.compile(r"(?:k|K|bn|mn|mln|tn|trn|m|M|B|b)(?![\w/])")
GLUED_SCALES = {"k": 1e3, "K": 1e3, "bn": 1e9, "mn": 1e6, "mln": 1e6, "tn": 1e12, "trn": 1e12, "m": 1e6, "M": 1e6,
                "B": 1e9, "b": 1e9}
# A capitalised word before a small number, mid-sentence, makes it part of a name (Nord Stream 2, Terminal 3).
NAME_BEFORE = re.compile(r" [a-z]*[A-Z][A-Za-z&]*(?= [^\s.!?:;…\"“”])")
# After a number, what makes it no quantity: a time of day ("2 p.m.", "10 pm"), a street address ("12 Baker Street").
NOT_AFTER = re.compile(r"\s*(?:[ap]\.\s?m\.|(?-i:[ap]m|[AP]M)\b|o[’']clock\b|noon\b|midnight\b)"
                       r"|(?-i:(?:\s+[A-Z][a-z]+){1,3})\s+(?:Street|St\.|Avenue|Ave\.|Road|Rd\.|Lane|Boulevard|Square"
                       r"|Prospekt|Drive|Place|Embankment|Highway)\b", re.I)
# A currency code or sign glued before digits (reversed text): "EUR40m", "RM300", "S$12bn".
CUR_GLUED = re.compile(r"(?:RUE|DSU|BUR|YNC|PBG|YPJ|FHC|RNI|MR)\b")
# Reversed text before a word that starts a sentence (or a quote, or the text): a capital there is no name.
SENTENCE_START = re.compile(r"\s*[\"“‘'(«]?\s*(?:[.!?:;…–—-]|\Z)")
SKIP_TOKEN = re.compile(r"[\w.,:/-]*")
# Between a bare number and the next one that has a unit: "5 to 7 percent" written apart, "3, 4 or 5 percent".
LINK_BEFORE = re.compile(r"(?:,?\s+(?:to|and|or)|,)\s+(?:(?:may\s+be|maybe|perhaps|possibly|even|about)\s+)?\Z")
HYPHEN_WORD = re.compile(r"-[a-z]")
# The candidates `SCAN` may start at, in the syntax of the Rust regex engine (no lookaround): a digit run, or a
# spacing or opening character and a number word. A superset of SCAN's starts, tested by tests/test_claims.py.
CANDIDATES = ("[0-9]+|[" + "".join(f"\\x{{{ord(ch):X}}}" for ch in _SPACES + "(“\"'‘«/–—-") + "](?:"
              + _trie(_STARTERS + [w.capitalize() for w in _STARTERS]) + ")(?:fold)?")
SCAN_WORD = re.compile(r"(?:" + _trie(_STARTERS + [w.capitalize() for w in _STARTERS]) + r")(?:fold)?(?![A-Za-z])")
# The letters `SCAN_WORD` can start with (a text starting otherwise needs no look).
SCAN_WORD_FIRST = frozenset(w[0] for w in _STARTERS + [w.capitalize() for w in _STARTERS])
CUR_AFTER = re.compile(r"\s+of\s+(?:(?:US\s+dollar|dollar|rouble|ruble|euro|rupee|hryvnia)s|yuan|tenge|yen)\b", re.I)


def currency(word: str) -> str:
    """The ISO 4217 code for a currency word after a number ("roubles" -> RUB); USD when unknown."""
    word = " ".join(word.lower().split())
    return _CURRENCY_WORDS.get(word, _CURRENCY_WORDS.get(word[:-1], "USD"))


# Every character a range, scale, unit or measure after a number can start with (`p` and `f` for a glued
# "5percent" or "5fold").
TAIL_FIRST = frozenset(_SPACES + "-–—%pPfF")


def sentence_span(text: str, pos: int) -> tuple[int, int]:
    """Start and end of the sentence holding `pos`; sentences never cross a newline.

    A sentence ends at `.`, `!`, `?` or `…` (and closing quotes) before a space and a character that is not a
    lower-case letter or a digit, so "34.4", "No. 44" and "e.g. this" do not end one.
    """
    p0 = text.rfind("\n", 0, pos) + 1
    # Look back through a short window first, not the whole paragraph. A start found there is also the nearest
    # in the paragraph: a nearer start whose match reached past the window has only spaces and quotes between it
    # and the window's edge, where no match can begin, so the window search would have found nothing.
    w0 = max(p0, pos - 300)
    back = LAST_SENTENCE_START.match(text, w0, pos + 1)
    if back is None and w0 > p0:
        back = LAST_SENTENCE_START.match(text, p0, pos + 1)
    start = back.end() if back else p0
    p1 = text.find("\n", pos)
    p1 = len(text) if p1 < 0 else p1
    ahead = SENTENCE_SPLIT.search(text, pos, p1)
    if ahead:
        return start, ahead.start() + len(ahead.group().rstrip())
    while p1 > start and text[p1 - 1].isspace():
        p1 -= 1
    return start, p1


def change_near(text: str, sent_start: int, left: int, start: int, right: int, window: int = 90) -> str | None:
    """up/down if a growth or fall word stands in the `window` characters before the number or right after it.

    `left` is where the number's bound and preposition begin; the window reaches into the number so that
    "up 40 percent" sees its digit.
    """
    after = (CHANGE_AFTER.match(text, right)
             if text[right:right + 1].isspace() and text[right + 1:right + 2] not in NO_CHANGE_AFTER else None)
    if after:
        return "up" if after.group("up") else "down"
    w0 = max(sent_start, left - window)
    direction = None
    # The window, lowered, after a space that stands for its start (`CHANGE` reads the character before a word):
    # offsets in it are one more than in the window.
    for m in CHANGE.finditer((" " + text[w0:start + 1]).lower()):
        if m.end() <= left - w0 + 1:
            direction = "up" if m.lastgroup.startswith("up") else "down"  # type: ignore[union-attr]
    return direction


def digits_in_name(text: str, start: int, end: int, raw_rev: str, word: str | None = None) -> bool:
    """True for digits that are part of a name, code, time or date (COVID-19, G20, 16:15, 19/08, No. 44).

    `word` is `PREV_WORD`'s word in `raw_rev` when it matched (the check of `IDENT` is then skipped unless it is
    one of `IDENT_WORDS`).
    """
    prev = text[start - 1] if start else " "
    if prev.isalpha():
        return not CUR_GLUED.match(raw_rev)
    if prev in "-/:.–" and start > 1 and text[start - 2].isalnum():
        return True
    nxt = text[end:end + 2]
    if nxt[:1] in ("/", ":") and nxt[1:2].isdigit():
        return True
    if nxt[:1] == "." and nxt[1:2].isdigit():
        return True
    if nxt[:1] in ("-", "–") and (nxt[1:2].isupper() or (nxt[1:2].isdigit() and PHONE.match(text, end))):
        return True
    return (word is None or word in IDENT_WORDS) and bool(IDENT.match(raw_rev))
