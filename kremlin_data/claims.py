"""Turns utterance text into numeric claims: every stated quantity, typed, with unit, bound and change."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any


@dataclass(frozen=True, slots=True)
class Claim:
    """One number mention in a text; see the `claims` table in schema.py for the meaning of each field."""

    char_start: int
    char_end: int
    surface: str
    sentence: str
    value: float | None
    value_high: float | None
    kind: str
    unit: str | None
    bound: str
    change: str | None
    change_type: str | None


_UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
          "seventeen eighteen nineteen").split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_WORD_VALUE: dict[str, float] = {w: float(i) for i, w in enumerate(_UNITS)}
_WORD_VALUE.update({w: float(20 + 10 * i) for i, w in enumerate(_TENS)})
_SCALE = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9,
          "mln": 1e6, "dozen": 12.0}
_ORDINAL_WORDS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
                  "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth").split()
_ORDINAL = {w: float(i + 1) for i, w in enumerate(_ORDINAL_WORDS)}
_ORDINAL.update({"thirtieth": 30.0, "fortieth": 40.0, "fiftieth": 50.0, "hundredth": 100.0})
_FRACTION = {"half": 2.0, "halves": 2.0, "third": 3.0, "thirds": 3.0, "quarter": 4.0, "quarters": 4.0,
             "fifth": 5.0, "fifths": 5.0, "tenth": 10.0, "tenths": 10.0}
_MULTIPLE_WORDS = {"twice": (2.0, None), "doubled": (2.0, "up"), "doubling": (2.0, "up"), "tripled": (3.0, "up"),
                   "quadrupled": (4.0, "up"), "halved": (0.5, "down")}
_VAGUE = ("tens", "dozens", "hundreds", "thousands", "millions", "billions", "trillions")
_MONTHS = ("January February March April May June July August September October November December").split()

_CARD = "|".join(sorted(_WORD_VALUE.keys() | {"hundred", "thousand", "million", "billion", "trillion", "dozen"},
                        key=len, reverse=True))


def _trie(words: list[str]) -> str:
    """A regex alternation of `words` shaped as a trie, so the scanner rejects non-numbers at the first letter."""
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

    return emit(root)


_STARTERS = [*_WORD_VALUE, *_ORDINAL, *_MULTIPLE_WORDS, *_VAGUE, "half", "a hundred", "a thousand", "a million",
             "a billion", "a trillion", "a dozen", "a third", "a quarter", "a half", "half a", "half an"]
# Python's re scans fastest when the pattern opens with one plain character set: its search loop then skips
# other characters in C without entering the matcher. Digits and the character before a number word form that
# set; `\s` is spelled out as the characters it matches (none lies beyond U+3000), since a class category in
# the set would make every character pay for a second test.
_SPACES = "".join(ch for ch in map(chr, range(0x3001)) if ch.isspace())
_SCAN = re.compile(
    "[0-9" + re.escape(_SPACES) + r"(“\"'‘«/–—-](?:(?<=[0-9])[0-9]*|(?<![0-9])(?:"
    + _trie(_STARTERS + [w.capitalize() for w in _STARTERS]) + r")(?:fold)?(?![A-Za-z]))")
_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_WORDSEQ = re.compile(rf"(?:{_CARD})(?:(?:[ -]|\s+and\s+)(?:{_CARD}))*(?:\s+and\s+a\s+half)?(?![A-Za-z])", re.I)
_RANGE = re.compile(rf"(?:\s*[–—]\s*|-(?=\d)|\s+(?:to|or|and)\s+|-\s+(?:or|to)\s+)(?P<hi>\d{{1,3}}(?:,\d{{3}})+"
                    rf"(?:\.\d+)?|\d+(?:\.\d+)?|(?:{_CARD})(?:[ -](?:{_CARD}))*)(?!\w|-\d|\.\d)", re.I)
_SCALE_RE = re.compile(r"\s+(?:hundred|thousand|million|billion|trillion|bn|mln)\b", re.I)
_MEASURES = {
    "tonne": "tonnes?|tons?", "kilometre": "kilometres?|kilometers?|km", "metre": "metres?|meters?",
    "hectare": "hectares?|ha", "barrel": "barrels?", "litre": "litres?|liters?", "kilogram": "kilogram(?:me)?s?|kg",
    "gram": "grams?", "degree": "degrees?", "kilowatt-hour": "kilowatt[- ]hours?|kWh",
    "megawatt-hour": "megawatt[- ]hours?|MWh", "gigawatt-hour": "gigawatt[- ]hours?|GWh",
    "terawatt-hour": "terawatt[- ]hours?|TWh", "megawatt": "megawatts?|MW", "gigawatt": "gigawatts?|GW",
    "kilowatt": "kilowatts?|kW", "kilovolt": "kilovolts?|kV", "mile": "miles?", "millimetre": "millimetres?|mm",
    "centimetre": "centimetres?|cm", "bcm": "bcm",
}
_MEASURE_RE = re.compile(
    r"[\s-]+(?:linear\s+)?(?P<sq>square\s+|cubic\s+)?(?:"
    + "|".join(f"(?P<{k.replace('-', '_')}>{v})" for k, v in _MEASURES.items()) + r")\b", re.I)
_CURRENCY_WORDS = {"us dollar": "USD", "dollar": "USD", "rouble": "RUB", "ruble": "RUB", "euro": "EUR",
                   "yuan": "CNY", "renminbi": "CNY", "rupee": "INR", "tenge": "KZT", "hryvnia": "UAH",
                   "pounds sterling": "GBP", "swiss franc": "CHF", "yen": "JPY"}
_UNIT_RE = re.compile(
    r"(?P<pct>\s*%|[\s-]*(?:percent|per\s+cent)\b)|(?P<pp>\s+percentage\s+points?\b)|(?P<times>\s+times\b)"
    r"|(?P<fold>-?fold\b)|(?P<cur>\s+(?:US\s+dollar|dollar|rouble|ruble|euro|rupee|hryvnia|Swiss\s+franc)s?\b"
    r"|\s+(?:yuan|renminbi|tenge|yen|pounds\s+sterling)\b)"
    r"|(?P<dur>[\s-]+(?:year|month|week|day|hour|minute|decade)s?\b|[\s-]+centur(?:y|ies)\b)"
    r"|(?P<month>\s+(?-i:" + "|".join(_MONTHS) + r")\b)"
    r"|(?P<frac>[\s-]+(?:halves|thirds?|quarters?|fifths?|tenths?)\b)", re.I)
_CUR_PREFIX = {"US$": "USD", "$": "USD", "€": "EUR", "£": "GBP", "₽": "RUB", "¥": "CNY", "USD": "USD", "EUR": "EUR",
               "RUB": "RUB", "CNY": "CNY"}
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
_LEFT = re.compile(
    r"(?P<cur>\$su\b|\$|€|£|₽|¥|\s?(?:dsu|rue|bur|ync)\b)?(?P<minus>\s+sunim\b)?"
    r"(?:\s+(?P<bound>" + "|".join(_rev(alts) for _, alts in _BOUNDS) + r")\b)?"
    r"(?:\s+(?P<prep>" + _rev("by|to|from|between|of|as low as|as high as") + r")\b)?")
_BOUND_SIGN = {ph: sign for sign, alts in _BOUNDS for ph in alts.split("|")}
_AFTER_GO = re.compile(r"\s+(?:tnew|enog|seog|og|esor|nesir)\b")
_IDENT = re.compile(r"\s*(?:\.?(?:" + _rev("No|Nos|Number|Article|Articles|Resolution|Paragraph|Clause|Section|Chapter|"
                    "Decree|Order|Flight|Protocol|Item|Point|Annex|Appendix|Part|Page|page|Room|Building|Platform")
                    + r")\b|№)")
_WORDS_AFTER = re.compile(r"(?:\s+[A-Za-z][A-Za-z’'-]*){1,5}")
_DETERMINERS = frozenset("the our their these those its his her this my your".split())
_WORD_AFTER = re.compile(r"\s+([a-z][a-z’'-]*)(?:\s+([a-z][a-z’'-]*))?(?:\s+([a-z][a-z’'-]*))?")
_VAGUE_RE = re.compile(r"(?:\s+of\s+(?:tens|dozens|hundreds|thousands|millions|billions))*(?=\s+of\s)", re.I)
_VAGUE_OF = re.compile(r"\s+of\s+(?:the\s+)?([a-zA-Z][a-z’'-]*)(?:\s+([a-z][a-z’'-]*))?")
_CHANGE = re.compile(
    r"\b(?:(?P<up>increas(?:e|es|ed|ing)|gr(?:ew|own|ow|ows|owing|owth)|r(?:ose|isen|ise|ises|ising)|went\s+up"
    r"|gone\s+up|go\s+up|goes\s+up|up(?=\s+(?:by\b|from\b|\d))|added|gain(?:ed|s)?|climb(?:ed|s)?|jump(?:ed|s)?"
    r"|soar(?:ed|s)?|boost(?:ed|s|ing)?|rais(?:e|ed|es|ing))"
    r"|(?P<down>decreas(?:e|es|ed|ing)|fell|fall(?:en|s|ing)?|drop(?:ped|s)?|declin(?:e|es|ed|ing)|"
    r"down(?=\s+(?:by\b|from\b|\d))|went\s+down|gone\s+down|shr(?:ank|unk|inks)|contract(?:ed|ion)|plunged|slumped"
    r"|lost|loss(?:es)?|cut(?:s|ting)?|reduc(?:e|ed|es|ing|tion)|lower(?:ed|ing|s)))\b")
_CHANGE_AFTER = re.compile(r"\s+(?:(?P<up>increase|growth|rise|gain|jump|(?:more|higher|up)(?=\s+than\s+(?:in\s+)?"
                           r"(?:the\s+)?(?:previous|last|a\s+year|\d{4})))|(?P<down>decrease|decline|drop|fall|reduction"
                           r"|(?:less|lower|down)(?=\s+than\s+(?:in\s+)?(?:the\s+)?(?:previous|last|a\s+year|\d{4}))))\b",
                           re.I)
_OR_LINK = re.compile(r",?\s+or\s+(?:\w+\s+)?\Z")
_AFTER_BOUND = re.compile(r"(?:\s+[a-z][a-z-]*){0,2}?\s+or\s+(?:(?P<ge>more)|(?P<le>less|fewer)|(?P<approx>so))\b")
_SENTENCE_SPLIT = re.compile(r"([.!?…]+[\"'”’)\]]*\s+(?=[^\sa-z0-9]))")
_SENTENCE_START_REV = re.compile(r"[^\sa-z0-9]\s+[\"'”’)\]]*[.!?…]")

# Words after a number that are not a counted noun; a count then has no unit.
_STOP = frozenset("""a an the of to in on at by for from with and or but nor than as that which who whom whose this
these those it its is are was were be been being has have had do does did will would shall should can could may might
must not no so such per each every all both either neither also only just even still already yet most less least
out up down over under about into onto upon after before since until while when where why how what if then there here
their our your my his her them us we you they he she i me him thus percent times plus minus year years month months
week weeks day days hour hours ago old one another other others ones among amongst via across around within without
including like except""".split())
_NOT_NOUN_S = frozenset("is was has does as us its his this thus plus less across always perhaps towards whereas "
                        "besides unless yes news series species gas bus".split())
_IRREGULAR = {"people": "person", "children": "child", "men": "man", "women": "woman", "staff": "staff",
              "personnel": "personnel", "feet": "foot", "media": "media",
              "spacecraft": "spacecraft", "aircraft": "aircraft"}
# After "one", these mean "one" is a pronoun or part of an idiom, not a quantity.
_ONE_NOT = frozenset("of who that which another after by or and can could should must may might would will shall "
                     "has had is was needs cannot gets sees feels knows thinks way hand side".split())
_ONE_BEFORE = re.compile(r"\s+(?:" + _rev("the|this|that|no|any|every|each|which|another|a|some|someone|at|one|"
                                               "on the|only the") + r")\b")
_ORDINAL_NOT_AFTER = re.compile(r"(?:\s+of\s+all\b|\s+and\s+foremost\b|[,.:;!?]|\s+and\s+second)", re.I)
_AT = re.compile(r"\s+ta\b")
_TIME_AFTER = re.compile(r"\s+(?:time|term|round|stage|phase|wave|place)\b")
_HALF_OK_AFTER = re.compile(r"\s+(?:of|the|a|an|as)\b", re.I)
_HALF_NOT_BEFORE = re.compile(r"\s+(?:" + _rev("first|second|the|this|next|last|a|one") + r")\b")
_QUANTITY_KINDS = frozenset({"percent", "percentage_point", "money", "count", "measure", "multiple"})


def _singular(word: str) -> str:
    """The singular of an English plural noun, by the regular rules plus a few irregular nouns."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zzes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _is_plural(word: str) -> bool:
    return word in _IRREGULAR or (word.endswith("s") and not word.endswith(("ss", "us", "is"))
                                  and word not in _NOT_NOUN_S and len(word) > 2)


def _counted_noun(text: str, pos: int, singular: bool) -> str | None:
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
    for w in words:
        role, bare = _noun_role(w)
        if role == _NAME:
            if head:
                break
            continue
        if role == _STOP_WORD:
            break
        if singular:
            head = bare
            singular_words += 1
            if singular_words == 3:
                break
        elif role == _PLURAL:
            head = _singular(bare)
        elif head:
            break
    return head


_NAME, _STOP_WORD, _PLURAL, _OTHER = range(4)


@lru_cache(maxsize=8192)
def _noun_role(word: str) -> tuple[int, str]:
    """What a word after a number is to `_counted_noun` (name, stop word, plural or other), and its bare form."""
    bare = word.rstrip("’'")
    if bare[:1].isupper() or "’s" in word or "'s" in word:
        return _NAME, bare
    if bare in _STOP or bare.endswith("ly"):
        return _STOP_WORD, bare
    return (_PLURAL if _is_plural(bare) else _OTHER), bare


_TOKEN_SPLIT = re.compile(r"[\s-]+")
_AND = re.compile(r"\s+and\s+")
_PHONE = re.compile(r"-\d+-\d")


def _words_value(surface: str) -> float | None:
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
        elif tok in _SCALE:
            total += max(current, 1.0) * _SCALE[tok]
            current = 0.0
        else:
            return None
        seen = True
    if not seen:
        return None
    return total + current + (0.5 if half else 0.0)


def _word_run(text: str, start: int) -> tuple[int, float] | None:
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
        if before not in _SCALE:
            run = run[:and_m.start()]
            break
    value = _words_value(run)
    return (len(run), value) if value is not None else None


def _sentence(text: str, pos: int) -> tuple[int, int]:
    """Start and end of the sentence holding `pos`; sentences never cross a newline.

    A sentence ends at `.`, `!`, `?` or `…` (and closing quotes) before a space and a character that is not a
    lower-case letter or a digit, so "34.4", "No. 44" and "e.g. this" do not end one.
    """
    p0 = text.rfind("\n", 0, pos) + 1
    # Look back through a short window first, not the whole paragraph. A start found there is also the nearest
    # in the paragraph: a nearer start whose match reached past the window has only spaces and quotes between it
    # and the window's edge, where no match can begin, so the window search would have found nothing.
    w0 = max(p0, pos - 300)
    back = _SENTENCE_START_REV.search(text[w0:pos + 1][::-1])
    if back is None and w0 > p0:
        back = _SENTENCE_START_REV.search(text[p0:pos + 1][::-1])
    start = pos - back.start() if back else p0
    p1 = text.find("\n", pos)
    p1 = len(text) if p1 < 0 else p1
    ahead = _SENTENCE_SPLIT.search(text, pos, p1)
    if ahead:
        return start, ahead.start() + len(ahead.group(1).rstrip())
    while p1 > start and text[p1 - 1].isspace():
        p1 -= 1
    return start, p1


def _change(text: str, sent_start: int, left: int, start: int, right: int) -> str | None:
    """up/down if a growth or fall word stands in the 90 characters before the number or right after it.

    `left` is where the number's bound and preposition begin; the window reaches into the number so that
    "up 40 percent" sees its digit.
    """
    after = _CHANGE_AFTER.match(text, right)
    if after:
        return "up" if after.group("up") else "down"
    w0 = max(sent_start, left - 90)
    direction = None
    for m in _CHANGE.finditer(text[w0:start + 1].lower()):
        if m.end() <= left - w0:
            direction = "up" if m.group("up") else "down"
    return direction


_MONTH_BEFORE = re.compile(r"\s+(" + _rev("|".join(_MONTHS)) + r")\b")
_GLUED_UNITS = {"km": "kilometre", "m": "metre", "cm": "centimetre", "mm": "millimetre", "kg": "kilogram",
                "ha": "hectare", "MW": "megawatt", "GW": "gigawatt", "kW": "kilowatt"}
_GLUED = re.compile(r"(?:" + "|".join(_GLUED_UNITS) + r")(?![A-Za-z])")
# A capitalised word before a small number, mid-sentence, makes it part of a name (Nord Stream 2, Terminal 3).
_NAME_BEFORE = re.compile(r" [a-z]*[A-Z](?= [^\s.!?:;…\"“”])")
# Reversed text before a word that starts a sentence (or a quote, or the text): a capital there is no name.
_SENTENCE_START = re.compile(r"\s*[\"“‘'(«]?\s*(?:[.!?:;…–—-]|\Z)")
_SKIP_TOKEN = re.compile(r"[\w.,:/-]*")
# Between a bare number and the next one that has a unit: "5 to 7 percent" written apart, "3, 4 or 5 percent".
_LINK_BEFORE = re.compile(r"(?:,?\s+(?:to|and|or)|,)\s+(?:(?:may\s+be|maybe|perhaps|possibly|even|about)\s+)?\Z")
_HYPHEN_WORD = re.compile(r"-[a-z]")
_SCAN_WORD = re.compile(r"(?:" + _trie(_STARTERS + [w.capitalize() for w in _STARTERS]) + r")(?:fold)?(?![A-Za-z])")
_CUR_AFTER = re.compile(r"\s+of\s+(?:(?:US\s+dollar|dollar|rouble|ruble|euro|rupee|hryvnia)s|yuan|tenge|yen)\b", re.I)


def _currency(word: str) -> str:
    word = " ".join(word.lower().split())
    return _CURRENCY_WORDS.get(word, _CURRENCY_WORDS.get(word[:-1], "USD"))


@dataclass(slots=True)
class _Draft:
    """A claim being assembled, before its sentence and change are known."""

    start: int
    end: int
    value: float | None
    kind: str
    value_high: float | None = None
    unit: str | None = None
    bound: str = "="
    change: str | None = None
    prep: str | None = None
    left: int = 0
    minus: int = 0


def _reject_digits(text: str, start: int, end: int, raw_rev: str) -> bool:
    """True for digits that are part of a name, code, time or date (COVID-19, G20, 16:15, 19/08, No. 44)."""
    prev = text[start - 1] if start else " "
    if prev.isalpha() or (prev in "-/:." and start > 1 and text[start - 2].isalnum()):
        return True
    nxt = text[end:end + 2]
    if nxt[:1] in ("/", ":") and nxt[1:2].isdigit():
        return True
    if nxt[:1] == "." and nxt[1:2].isdigit():
        return True
    if nxt[:1] == "-" and (nxt[1:2].isupper() or (nxt[1:2].isdigit() and _PHONE.match(text, end))):
        return True
    return bool(_IDENT.match(raw_rev))


# Every character a range, scale, unit or measure after a number can start with (`p` and `f` for a glued
# "5percent" or "5fold").
_TAIL_FIRST = frozenset(_SPACES + "-–—%pPfF")


def _tail(text: str, d: _Draft, is_digits: bool, words_number: bool) -> _Draft | None:
    """Range, scale and unit after the number; decides kind and unit. None when not a claim."""
    assert d.value is not None
    if text[d.end:d.end + 1] not in _TAIL_FIRST:  # a count: no range, scale or unit can start here
        d.kind = "count"
        return d
    if d.prep != "from":
        r = _RANGE.match(text, d.end)
        if r:
            hi_text = r.group("hi")
            hi = float(hi_text.replace(",", "")) if hi_text[0].isdigit() else _words_value(hi_text)
            if hi is not None and hi > d.value and (r.group().strip() not in ("and",) or d.prep == "between"):
                d.value_high = hi
                d.end = r.end()
    s = _SCALE_RE.match(text, d.end)
    if s:
        scale = _SCALE[s.group().strip().lower()]
        d.value *= scale
        if d.value_high is not None:
            d.value_high *= scale
        d.end = s.end()
    u = _UNIT_RE.match(text, d.end)
    group = u.lastgroup if u else None
    if u and group == "pct":
        d.kind, d.unit, d.end = "percent", "percent", u.end()
    elif u and group == "pp":
        d.kind, d.unit, d.end = "percentage_point", "percentage point", u.end()
    elif u and group in ("times", "fold"):
        d.kind, d.end = "multiple", u.end()
    elif u and group == "cur":
        d.kind, d.unit, d.end = "money", _currency(u.group()), u.end()
    elif u and group == "dur":
        unit = u.group().strip(" -").lower()
        d.kind, d.unit, d.end = "duration", "century" if unit.startswith("centur") else unit.rstrip("s"), u.end()
    elif u and group == "month":
        if not is_digits or d.value > 31 or d.value != int(d.value):
            return None
        d.kind, d.unit, d.end = "date", u.group().strip(), u.end()
    elif u and group == "frac":
        if not words_number or d.value_high is not None:
            return None
        den = _FRACTION[u.group().strip(" -").lower()]
        d.kind, d.value, d.end = "fraction", d.value / den, u.end()
    else:
        me = _MEASURE_RE.match(text, d.end)
        if me:
            name = next(k for k, v in me.groupdict().items() if v and k != "sq").replace("_", "-")
            if name == "bcm":
                d.value *= 1e9
                if d.value_high is not None:
                    d.value_high *= 1e9
                name = "cubic metre"
            elif me.group("sq"):
                name = me.group("sq").strip().lower() + " " + name
            d.kind, d.unit, d.end = "measure", name, me.end()
        else:
            d.kind = "count"
    return d


def _claim_at(text: str, start: int, word_end: int) -> tuple[_Draft | None, int]:
    """The claim starting at `start` (a digit or a number word ending at `word_end`) and where to scan on."""
    # Left-context patterns run on the reversed 40 characters before the number (lower-cased for most).
    raw_rev = text[max(0, start - 40):start][::-1]
    rev = raw_rev.lower()
    d, cur = _left_context(start, raw_rev, rev)
    if text[start].isdigit():
        return _digits_claim(text, d, raw_rev, cur)
    return _words_claim(text, d, word_end, raw_rev, rev, cur)


def _left_context(start: int, raw_rev: str, rev: str) -> tuple[_Draft, str | None]:
    """A draft with the bound, preposition and minus read before the number, and the currency sign if any."""
    left_m = _LEFT.match(rev)
    assert left_m is not None
    cur_g, minus, bound, prep = left_m.groups()
    if prep:
        prep = " ".join(prep[::-1].split())
        if prep in ("as low as", "as high as"):
            prep = "to"
    d = _Draft(start, start, None, "count", None, None, "=", None, prep, start - left_m.end())
    if bound:
        phrase = " ".join(bound[::-1].lower().split())
        if phrase == "up to" and _AFTER_GO.match(rev, left_m.end()):
            d.prep = "to"
        else:
            d.bound = _BOUND_SIGN[phrase]
    cur = raw_rev[:len(cur_g)][::-1].strip() if cur_g else None
    if minus and not cur:
        d.minus = len(minus)
    return d, cur


def _digits_claim(text: str, d: _Draft, raw_rev: str, cur: str | None) -> tuple[_Draft | None, int]:
    """A number written in digits: ordinal suffix, decade, glued unit, date, year, or range/scale/unit."""
    start = d.start
    dm = _DIGITS.match(text, start)
    assert dm is not None
    d.end = dm.end()
    if _reject_digits(text, start, d.end, raw_rev):
        return None, _SKIP_TOKEN.match(text, start).end()  # type: ignore[union-attr]
    digits = dm.group()
    d.value = float(digits.replace(",", ""))
    after = text[d.end:d.end + 3]
    if after[:2] in ("st", "nd", "rd", "th") and not after[2:3].isalpha():
        d.kind, d.end = "ordinal", d.end + 2
        return d, d.end
    if after[:1] == "s" and not after[1:2].isalpha() and len(digits) == 4:
        d.kind, d.end = "year", d.end + 1
        return d, d.end
    if after[:1].isalpha():
        glued = _GLUED.match(text, d.end)
        if not glued:
            return None, _SKIP_TOKEN.match(text, start).end()  # type: ignore[union-attr]
        d.kind, d.unit, d.end = "measure", _GLUED_UNITS[glued.group()], glued.end()
        return _finish(text, d, cur, digits_end=True)
    month = _MONTH_BEFORE.match(raw_rev)
    if month and d.value <= 31 and "." not in digits:
        d.kind, d.unit, d.start = "date", month.group(1)[::-1], start - month.end()
        return d, d.end
    draft = _tail(text, d, True, False)
    if draft is None:
        return None, d.end
    d = draft
    if (d.kind == "count" and not cur and d.end == dm.end() and len(digits) <= 3 and digits.isdigit()
            and _NAME_BEFORE.match(raw_rev)):
        return None, d.end
    year_like = len(digits) == 4 and digits.isdigit() and 1000 <= int(digits) <= 2100 and not cur
    if d.kind == "count" and year_like and (d.end == dm.end() or d.value_high is not None):
        d.kind = "year"
        return d, d.end
    return _finish(text, d, cur, digits_end=True)


def _words_claim(text: str, d: _Draft, word_end: int, raw_rev: str, rev: str,
                 cur: str | None) -> tuple[_Draft | None, int]:
    """A number written in words: ordinal, multiple, vague amount, fraction, or cardinal with range/scale/unit."""
    start = d.start
    word = text[start:word_end]
    low = word.lower()
    if low in _ORDINAL:
        not_after = _ORDINAL_NOT_AFTER.match(text, word_end)
        # "First," and "Second." open a point of a list; "ranks second." is a rank.
        opens_point = bool(word[0].isupper() and _SENTENCE_START.match(raw_rev))
        if (not_after and (not_after.group()[0] not in ",.:;!?" or opens_point)) or (
                low == "first" and _AT.match(rev)):
            return None, word_end
        d.kind, d.value, d.end = "ordinal", _ORDINAL[low], word_end
        return d, word_end
    if low in _MULTIPLE_WORDS:
        d.value, d.change = _MULTIPLE_WORDS[low]
        d.kind, d.end = "multiple", word_end
        return d, word_end
    if low in _VAGUE:
        v = _VAGUE_RE.match(text, word_end)
        if not v:
            return None, word_end
        d.kind, d.value, d.end = "vague", None, v.end()
        if _CUR_AFTER.match(text, d.end):
            d.unit = _currency(_CUR_AFTER.match(text, d.end).group().split(None, 1)[1])  # type: ignore[union-attr]
        else:
            of = _VAGUE_OF.match(text, d.end)
            if of and _is_plural(of.group(1)) and of.group(1) not in _STOP:
                d.unit = _singular(of.group(1))
        return d, d.end
    if low.endswith("fold"):
        base = _words_value(low[:-4])
        if base is None:
            return None, word_end
        d.kind, d.value, d.end = "multiple", base, word_end
        return d, word_end
    if low in ("half", "half a", "half an", "a half", "a third", "a quarter"):
        if low == "a third" and _TIME_AFTER.match(text, word_end):  # "for a third time" is a rank
            d.kind, d.value, d.start, d.end = "ordinal", 3.0, start + 2, word_end
            return d, word_end
        if low in ("half a", "half an"):
            s = _SCALE_RE.match(text, word_end)
            if not s:
                d.value, d.end = 0.5, word_end
                return (_tail_after_words(text, d, cur) if _UNIT_RE.match(text, word_end) else (None, word_end))
            d.value, d.end = 0.5 * _SCALE[s.group().strip().lower()], s.end()
            return _tail_after_words(text, d, cur)
        if low == "half" and (not _HALF_OK_AFTER.match(text, word_end)
                              or _HALF_NOT_BEFORE.match(rev)):
            return None, word_end
        d.kind, d.value, d.end = "fraction", 1.0 / _FRACTION[low.rsplit(None, 1)[-1]], word_end
        return d, word_end
    if word[0].isupper() and not _SENTENCE_START.match(raw_rev):
        return None, word_end
    # "a dozen", "a million": the article stands for one
    run = _word_run(text, start + 2) if low.startswith("a ") else _word_run(text, start)
    if run is None:
        return None, word_end
    d.end, d.value = run
    if low == "one" and d.end == word_end:
        nxt = text[d.end:d.end + 1]
        if rev.startswith(" rebmun"):
            d.kind, d.start = "ordinal", start - len("number ")
            return d, d.end
        if nxt in ("’", "'") or _ONE_BEFORE.match(rev):
            return None, d.end
        if nxt == "-" and not _RANGE.match(text, d.end) and not _UNIT_RE.match(text, d.end):
            return None, d.end
    return _tail_after_words(text, d, cur)


def _tail_after_words(text: str, d: _Draft, cur: str | None) -> tuple[_Draft | None, int]:
    number_end = d.end
    draft = _tail(text, d, False, True)
    if draft is None:
        return None, number_end
    return _finish(text, draft, cur, digits_end=False)


def _finish(text: str, d: _Draft, cur: str | None, digits_end: bool) -> tuple[_Draft | None, int]:
    """Currency prefix, counted noun and trailing bound; rejects bare `one` and compound adjectives."""
    assert d.value is not None
    if cur:
        d.start -= len(cur)
        d.kind, d.unit = "money", _CUR_PREFIX[cur]
    if d.minus:
        d.start -= d.minus
        d.value = -d.value
    if d.kind == "count":
        if _HYPHEN_WORD.match(text, d.end):
            return None, d.end
        if text.startswith(("-", "–"), d.end) and not digits_end:
            return None, d.end
        d.unit = _counted_noun(text, d.end, d.value == 1 and d.value_high is None)
        if d.value == 1 and d.value_high is None and text[d.start].isalpha():
            nxt = _WORD_AFTER.match(text, d.end)
            if d.unit is None or (nxt and nxt.group(1) in _ONE_NOT):
                return None, d.end
    after = _AFTER_BOUND.match(text, d.end)
    if after and d.bound == "=":
        d.bound = ">=" if after.group("ge") else "<=" if after.group("le") else "~"
    return d, d.end


def extract_claims(text: str) -> list[Claim]:
    """Every number mention in `text`, in text order, with its kind, value, unit, bound and change.

    >>> [(c.surface, c.value, c.kind, c.bound, c.change) for c in extract_claims("It grew by almost 9 percent.")]
    [('9 percent', 9.0, 'percent', '<~', 'up')]
    """
    return [Claim(*fields) for fields in _claim_fields(text)]


# A claim's fields in the order of `Claim`: plain tuples, because a frozen dataclass is slow to build and
# `claim_rows` needs none.
_Fields = tuple[int, int, str, str, float | None, float | None, str, str | None, str, str | None, str | None]


def _claim_fields(text: str) -> list[_Fields]:
    """The fields of every claim in `text`, in text order."""
    drafts: list[_Draft] = []
    pos = 0
    first = _SCAN_WORD.match(text)
    if first:
        draft, pos = _claim_at(text, 0, first.end())
        if draft is not None:
            drafts.append(draft)
    for m in _SCAN.finditer(text):
        start = m.start()
        if start < pos:  # inside a claim already read, or a name skipped
            continue
        draft, pos = _claim_at(text, start if text[start].isdigit() else start + 1, m.end())
        if draft is not None:
            drafts.append(draft)
    if not drafts:
        return []
    return _resolve(text, drafts)


def _resolve(text: str, drafts: list[_Draft]) -> list[_Fields]:
    """Units carried over ranges written apart, sentences, change and change type."""
    for d, nxt in zip(reversed(drafts[:-1]), reversed(drafts[1:]), strict=True):  # backwards, so units pass along
        if (d.kind == "count" and d.unit is None and nxt.kind not in ("count", "ordinal", "year")
                and " " not in text[d.start:d.end] and _LINK_BEFORE.match(text, d.end, nxt.start)):
            d.kind, d.unit = nxt.kind, nxt.unit
    out: list[_Fields] = []
    last_sentence = (-1, -1)
    sentence = ""
    prev_end, prev_change, prev_type = -1, None, None
    for d in drafts:
        # claims often share a sentence: reuse it while the claim lies inside
        if last_sentence[0] <= d.start < last_sentence[1]:
            s_start, s_end = last_sentence
        else:
            s_start, s_end = last_sentence = _sentence(text, d.start)
            sentence = text[s_start:s_end]
        change = change_type = None
        if d.kind in _QUANTITY_KINDS:
            change = _change(text, s_start, d.left, d.start, d.end)
            change = d.change or change
            if change:
                if d.prep == "to":
                    change_type = "to"
                elif d.prep == "from":
                    change_type = None
                elif prev_change == change and prev_end >= s_start and _OR_LINK.search(
                        text, prev_end, d.left if d.left > prev_end else d.start):
                    change_type = prev_type
                else:
                    change_type = "by"
        out.append((d.start, d.end, text[d.start:d.end], sentence, d.value, d.value_high, d.kind,
                    d.unit, d.bound, change, change_type))
        prev_end, prev_change, prev_type = d.end, change, change_type
    return out


def claim_rows(utterance: Mapping[str, Any], date: dt.date | None) -> list[dict[str, Any]]:
    """Rows of the `claims` table for one row of the `utterances` table; `date` is the event's date.

    >>> rows = claim_rows({"utterance_id": "e.u1", "event_id": "e", "speaker_id": None, "speaker_name": None,
    ...                    "text": "Over 70,500 candidates."}, None)
    >>> [(r["claim_id"], r["value"], r["unit"], r["bound"]) for r in rows]
    [('e.u1.c1', 70500.0, 'candidate', '>')]
    """
    uid = utterance["utterance_id"]
    fields = _claim_fields(utterance["text"])
    if not fields:
        return []
    event_id, speaker_id, speaker_name = utterance["event_id"], utterance["speaker_id"], utterance["speaker_name"]
    return [{
        "claim_id": f"{uid}.c{n}",
        "utterance_id": uid,
        "event_id": event_id,
        "speaker_id": speaker_id,
        "speaker_name": speaker_name,
        "date": date,
        "char_start": start,
        "char_end": end,
        "surface": surface,
        "sentence": sentence,
        "value": value,
        "value_high": value_high,
        "kind": kind,
        "unit": unit,
        "bound": bound,
        "change": change,
        "change_type": change_type,
    } for n, (start, end, surface, sentence, value, value_high, kind, unit, bound, change, change_type)
        in enumerate(fields, start=1)]
