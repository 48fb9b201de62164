"""Turns utterance text into numeric claims: every stated quantity, typed, with unit, bound and change."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from kremlin_data.claim_words import (
    AFTER_BOUND,
    AFTER_GO,
    AT,
    BOUND_SIGN,
    CANDIDATES,
    CUR_AFTER,
    CUR_PREFIX,
    DAY_RANGE,
    DECIMAL_COMMA,
    DIGITS,
    FIRST_ADVERB_BEFORE,
    FIRST_MARK_BEFORE,
    FRACTION,
    FROM_BEFORE,
    GLUED,
    GLUED_SCALE,
    GLUED_SCALES,
    GLUED_UNITS,
    HALF_NOT_BEFORE,
    HALF_OK_AFTER,
    HYPHEN_WORD,
    ID_LIST,
    IDENT,
    IN_THE_BEFORE,
    LEFT,
    LEFT_WORDS,
    LEVEL_BEFORE,
    LINK_BEFORE,
    LIST_MARK_BEFORE,
    MEASURE_NAMES,
    MEASURE_RE,
    MONTH_BEFORE,
    MONTH_NAMES,
    MONTH_WORDS,
    MULTIPLE_WORDS,
    NAME_BEFORE,
    NEXT_WORD,
    NOT_AFTER,
    ONE_BEFORE,
    ONE_NOT,
    OR_LINK,
    ORDINAL,
    ORDINAL_AFTER_TENS,
    ORDINAL_NOT_AFTER,
    PERIOD_AND_BEFORE,
    PLACE_AFTER,
    PREV_WORD,
    QUANTITY_KINDS,
    RANGE,
    RANGE_KINDS,
    SCALE,
    SCALE_IN,
    SCALE_RE,
    SCAN,
    SCAN_WORD,
    SCAN_WORD_FIRST,
    SENTENCE_START,
    SKIP_TOKEN,
    TAIL_FIRST,
    TAIL_WORDS,
    TENS_VALUES,
    TIME_AFTER,
    UNIT_RANGE_LINK,
    UNIT_RE,
    VAGUE,
    VAGUE_RE,
    WORD_AFTER,
    change_near,
    counted_noun,
    currency,
    digits_in_name,
    rank_after_a_third,
    sentence_span,
    word_run,
    words_value,
)


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
    cur_len: int = 0


def _tail(text: str, d: _Draft, is_digits: bool, words_number: bool) -> _Draft | None:
    """Range, scale and unit after the number; decides kind and unit. None when not a claim."""
    assert d.value is not None
    if text[d.end:d.end + 1] not in TAIL_FIRST:  # a count: no range, scale or unit can start here
        d.kind = "count"
        return d
    nxt = NEXT_WORD.match(text, d.end)
    if nxt and nxt.group(1).lower() not in TAIL_WORDS:  # a count: "45 regions"
        d.kind = "count"
        return d
    if d.prep != "from":
        r = RANGE.match(text, d.end)
        if r:
            hi_text = r.group("hi")
            hi = float(hi_text.replace(",", "")) if hi_text[0].isdigit() else words_value(hi_text)
            if hi is not None and hi > d.value and (r.group().strip() not in ("and",) or d.prep == "between"):
                d.value_high = hi
                d.end = r.end()
                # "two to three thousand": the scale closing the upper end is the lower end's too
                last = hi_text.rsplit(None, 1)[-1].lower()
                if (not hi_text[0].isdigit() and last in SCALE and " " in hi_text
                        and not any(w in SCALE for w in text[d.start:r.start()].lower().split())
                        and d.value * SCALE[last] <= hi):
                    d.value *= SCALE[last]
    s = SCALE_RE.match(text, d.end)
    if s:
        scale = SCALE[s.group().strip().lower()]
        d.value *= scale
        if d.value_high is not None:
            d.value_high *= scale
        d.end = s.end()
    u = UNIT_RE.match(text, d.end)
    group = u.lastgroup if u else None
    if u and group == "pct":
        d.kind, d.unit, d.end = "percent", "percent", u.end()
    elif u and group == "pp":
        d.kind, d.unit, d.end = "percentage_point", "percentage point", u.end()
    elif u and group in ("times", "fold"):
        d.kind, d.end = "multiple", u.end()
    elif u and group == "cur":
        d.kind, d.unit, d.end = "money", currency(u.group()), u.end()
    elif u and group == "dur":
        unit = u.group().replace("-", " ").strip().lower()  # any spaces (no-break too) and hyphens around it
        d.kind, d.unit, d.end = "duration", "century" if unit.startswith("centur") else unit.rstrip("s"), u.end()
    elif u and group == "month":
        if not is_digits or d.value > 31 or d.value != int(d.value):
            return None
        month = u.group().strip()
        d.kind, d.unit, d.end = "date", MONTH_NAMES.get(month.rstrip("."), month), u.end()
    elif u and group == "frac":
        if not words_number or d.value_high is not None:
            return None
        den = FRACTION[u.group().replace("-", " ").strip().lower()]
        d.kind, d.value, d.end = "fraction", d.value / den, u.end()
    else:
        me = MEASURE_RE.match(text, d.end)
        if me:
            group = next(k for k, v in me.groupdict().items() if v and k != "sq")
            name = MEASURE_NAMES.get(group) or group.replace("_", "-")
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
    """The claim starting at `start` and where to scan on.

    `start` to `word_end` is a whole run of digits 0-9 or a number word.
    """
    # Left-context patterns run on the reversed 40 characters before the number (lower-cased for most).
    raw_rev = text[max(0, start - 40):start][::-1]
    rev = raw_rev.lower()
    # `PREV_WORD` is a space and an ASCII letter first
    prev = PREV_WORD.match(raw_rev) if raw_rev[:1] == " " and raw_rev[1:2] in _LETTERS else None
    word = prev.group(1) if prev else None
    d, cur = _left_context(start, raw_rev, rev, word)
    if text[start].isdigit():
        return _digits_claim(text, d, word_end, raw_rev, cur, word)
    return _words_claim(text, d, word_end, raw_rev, rev, cur)


def _left_context(start: int, raw_rev: str, rev: str, word: str | None) -> tuple[_Draft, str | None]:
    """A draft with the bound, preposition and minus read before the number, and the currency sign if any.

    `word` is the word before the number as `PREV_WORD` reads it (reversed), or None; after a word that `LEFT`
    cannot match (not in `LEFT_WORDS`: no bound, preposition, minus or currency) the pattern is not tried.
    """
    # every field by position (start, end, value, kind, value_high, unit, bound, change, prep, left): a third faster
    # than naming `left`, once per candidate
    d = _Draft(start, start, None, "count", None, None, "=", None, None, start)
    if word is not None and word.lower() not in LEFT_WORDS:
        return d, None
    left_m = LEFT.match(rev)
    assert left_m is not None
    cur_g, minus, bound, prep = left_m.groups()
    if prep:
        prep = " ".join(prep[::-1].split())
        d.prep = "to" if prep in ("as low as", "as high as") else prep
    d.left = start - left_m.end()
    d.cur_len = len(cur_g) if cur_g else 0
    if bound:
        phrase = " ".join(bound[::-1].lower().split())
        if phrase == "up to" and AFTER_GO.match(rev, left_m.end()):
            d.prep = "to"
        else:
            d.bound = BOUND_SIGN[phrase]
    cur = raw_rev[:len(cur_g)][::-1].strip() if cur_g else None
    if cur is not None and cur not in CUR_PREFIX:  # "eur" in lower case is no currency code
        cur, d.cur_len = None, 0
    if minus and not cur:
        d.minus = len(minus)
    return d, cur


def _digits_claim(text: str, d: _Draft, run_end: int, raw_rev: str, cur: str | None,
                  word: str | None) -> tuple[_Draft | None, int]:
    """A number written in digits: ordinal suffix, decade, glued unit, date, year, or range/scale/unit.

    `run_end` is the end of the run of digits 0-9 at the number's start. `word` is the word before the number as
    `PREV_WORD` reads it (reversed), or None; patterns of the left context that cannot match after it are not tried.
    """
    start = d.start
    after_run = text[run_end:run_end + 1]
    if after_run in (",", ".") or after_run.isdecimal():  # "70,500", "3.5", or a digit `\d` reads beyond 0-9
        dm = DIGITS.match(text, start)
        assert dm is not None
        digits_end = dm.end()
    else:  # `DIGITS` would match the run itself: neither of its branches can read on after it
        digits_end = run_end
    d.end = digits_end
    if digits_in_name(text, start, d.end, raw_rev, word):
        skip = SKIP_TOKEN.match(text, start).end()  # type: ignore[union-attr]
        if IDENT.match(raw_rev):  # "Resolutions 242 and 338": the whole list is names
            skip = ID_LIST.match(text, skip).end()  # type: ignore[union-attr]
        return None, skip
    digits = text[start:digits_end]
    comma = DECIMAL_COMMA.match(text, d.end) if text.startswith(",", d.end) else None
    if comma:  # "13,5 billion"
        digits = digits + "." + comma.group(1)
        d.end = comma.end(1)
    d.value = float(digits.replace(",", ""))
    after = text[d.end:d.end + 3]
    if after[:2] in ("st", "nd", "rd", "th") and not after[2:3].isalpha():
        d.kind, d.end = "ordinal", d.end + 2
        return d, d.end
    if after[:1] == "s" and not after[1:2].isalpha() and len(digits) == 4:
        d.kind, d.end = "year", d.end + 1
        return d, d.end
    if after[:1].isalpha():
        scale = GLUED_SCALE.match(text, d.end)
        if scale and (cur or scale.group() not in ("m", "M", "B", "b")):
            d.value *= GLUED_SCALES[scale.group()]
            d.end = scale.end()
            return _after_glued_scale(text, d, cur)
        glued = GLUED.match(text, d.end)
        if not glued:
            return None, SKIP_TOKEN.match(text, start).end()  # type: ignore[union-attr]
        unit = GLUED_UNITS[glued.group()]
        d.kind, d.unit, d.end = ("percent" if unit == "percent" else "measure"), unit, glued.end()
        return _finish(text, d, cur, digits_end=True)
    month = MONTH_BEFORE.match(raw_rev) if word is None or word in MONTH_WORDS else None
    if month and d.value <= 31 and "." not in digits:
        name = month.group(1)[::-1]
        d.kind, d.unit, d.start = "date", MONTH_NAMES.get(name.rstrip("."), name), start - month.end()
        days = DAY_RANGE.match(text, d.end)
        if days and d.value < int(days.group(1)) <= 31:  # "April 7–8"
            d.value_high, d.end = float(days.group(1)), days.end()
        return d, d.end
    draft = _tail(text, d, True, False)
    if draft is None:
        return None, d.end
    d = draft
    if d.kind == "count" and not cur and d.end == digits_end:
        if NOT_AFTER.match(text, d.end):  # "at 2 p.m.", "12 Baker Street"
            return None, d.end
        if (len(digits) <= 3 and digits.isdigit() and (word is None or not word.islower())
                and NAME_BEFORE.match(raw_rev)):  # "Boeing 737", "S&P 500"; never after a word in lower case
            return None, d.end
    year_like = len(digits) == 4 and digits.isdigit() and 1000 <= int(digits) <= 2100 and not cur
    if d.kind == "count" and year_like and (d.end == digits_end or d.value_high is not None):
        d.kind = "year"
        if word in ("revo", "revO"):  # "over 2014–2016" is during those years, "an increase over 2007" against it
            d.bound = "="
        return d, d.end
    return _finish(text, d, cur, digits_end=True)


def _after_glued_scale(text: str, d: _Draft, cur: str | None) -> tuple[_Draft | None, int]:
    """A number with a glued scale ("5k", "3bn", "$2.5M"): a unit or currency word may follow, or a counted noun."""
    u = UNIT_RE.match(text, d.end)
    if u and u.lastgroup == "cur":
        d.kind, d.unit, d.end = "money", currency(u.group()), u.end()
    elif u and u.lastgroup == "pct":
        d.kind, d.unit, d.end = "percent", "percent", u.end()
    else:
        d.kind = "count"
    return _finish(text, d, cur, digits_end=True)


def _words_claim(text: str, d: _Draft, word_end: int, raw_rev: str, rev: str,
                 cur: str | None) -> tuple[_Draft | None, int]:
    """A number written in words: ordinal, multiple, vague amount, fraction, or cardinal with range/scale/unit."""
    start = d.start
    word = text[start:word_end]
    low = word.lower()
    if start > 1 and text[start - 1] == "-" and text[start - 2].isalpha() and low not in ORDINAL:  # "one-on-one"
        return None, word_end
    if low in ORDINAL:
        not_after = ORDINAL_NOT_AFTER.match(text, word_end)
        # "First," and "Second." open a point of a list; "ranks second." is a rank.
        opens_point = bool(word[0].isupper() and SENTENCE_START.match(raw_rev))
        if (not_after and (not_after.group()[0] not in ",.:;!?" or opens_point)) or (
                low == "first" and (AT.match(rev) or (word == "first" and FIRST_ADVERB_BEFORE.match(rev)))):
            return None, word_end
        if word == "first" and PLACE_AFTER.match(text, word_end) and IN_THE_BEFORE.match(rev):
            return None, word_end  # "in the first place" is "above all"
        if not_after and not_after.group() == "," and word[0].islower() and (
                LIST_MARK_BEFORE.match(rev) or (low == "first" and FIRST_MARK_BEFORE.match(rev))):
            return None, word_end  # "And second, we will help", "You know, first, I believe"
        d.kind, d.value, d.end = "ordinal", ORDINAL[low], word_end
        return d, word_end
    if low in MULTIPLE_WORDS:
        d.value, d.change = MULTIPLE_WORDS[low]
        d.kind, d.end = "multiple", word_end
        return d, word_end
    if low in VAGUE:
        v = VAGUE_RE.match(text, word_end)
        if not v:
            return None, word_end
        d.kind, d.value, d.end = "vague", None, v.end()
        if CUR_AFTER.match(text, d.end):
            d.unit = currency(CUR_AFTER.match(text, d.end).group().split(None, 1)[1])  # type: ignore[union-attr]
        else:  # the noun a count would have: "of new jobs", "of our citizens", "of Indian companies"
            d.unit = counted_noun(text, d.end, False)
        return d, d.end
    if low.endswith("fold"):
        base = words_value(low[:-4])
        if base is None:
            return None, word_end
        d.kind, d.value, d.end = "multiple", base, word_end
        return d, word_end
    if low in ("half", "half a", "half an", "a half", "a third", "a quarter"):
        if low == "a third" and (TIME_AFTER.match(text, word_end) or (  # "for a third time", "a third child": ranks
                d.prep != "by" and d.bound == "=" and rank_after_a_third(text, word_end))):
            d.kind, d.value, d.start, d.end = "ordinal", 3.0, start + 2, word_end
            return d, word_end
        if low in ("half a", "half an"):
            s = SCALE_RE.match(text, word_end)
            if not s:
                d.value, d.end = 0.5, word_end
                return (_tail_after_words(text, d, cur) if UNIT_RE.match(text, word_end) else (None, word_end))
            d.value, d.end = 0.5 * SCALE[s.group().strip().lower()], s.end()
            return _tail_after_words(text, d, cur)
        period = PERIOD_AND_BEFORE.match(rev) if low == "a half" else None
        if period:  # "the last year and a half", "an hour and a half": 1.5 of the unit, with the bound before it
            at = start - period.end()
            before = text[max(0, at - 40):at][::-1]
            prev = PREV_WORD.match(before) if before[:1] == " " else None
            d, _ = _left_context(at, before, before.lower(), prev.group(1) if prev else None)
            d.kind, d.value, d.unit, d.end = "duration", 1.5, period.group(1)[::-1], word_end
            return d, word_end
        if low == "half" and (not HALF_OK_AFTER.match(text, word_end)
                              or HALF_NOT_BEFORE.match(rev)):
            return None, word_end
        d.kind, d.value, d.end = "fraction", 1.0 / FRACTION[low.rsplit(None, 1)[-1]], word_end
        return d, word_end
    if word[0].isupper() and not SENTENCE_START.match(raw_rev):
        return None, word_end
    # "a dozen", "a million": the article stands for one
    run = word_run(text, start + 2) if low.startswith("a ") else word_run(text, start)
    if run is None:
        return None, word_end
    d.end, d.value = run
    ordinal = ORDINAL_AFTER_TENS.match(text, d.end) if d.value in TENS_VALUES else None
    if ordinal:  # "twenty first century"
        d.kind, d.value, d.end = "ordinal", d.value + ORDINAL[ordinal.group(1).lower()], ordinal.end()
        return d, d.end
    if low == "one" and d.end == word_end:
        nxt = text[d.end:d.end + 1]
        if rev.startswith(" rebmun"):
            d.kind, d.start = "ordinal", start - len("number ")
            return d, d.end
        if nxt in ("’", "'") or ONE_BEFORE.match(rev):
            return None, d.end
        if nxt == "-" and not RANGE.match(text, d.end) and not UNIT_RE.match(text, d.end):
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
        d.start -= d.cur_len
        d.kind, d.unit = "money", CUR_PREFIX[cur]
    if d.minus:
        d.start -= d.minus
        d.value = -d.value
    if d.kind == "count":
        # a compound adjective ("five-year"), or a word number before a dash
        if text.startswith(("-", "–"), d.end) and (not digits_end or HYPHEN_WORD.match(text, d.end)):
            return None, d.end
        d.unit = counted_noun(text, d.end, d.value == 1 and d.value_high is None)
        if d.value == 1 and d.value_high is None and text[d.start].isalpha():
            nxt = WORD_AFTER.match(text, d.end)
            if d.unit is None or d.unit in ONE_NOT or (nxt and nxt.group(1) in ONE_NOT):  # "one another’s"
                return None, d.end
    # `AFTER_BOUND` opens with a space in all its branches (as str.isspace and `\s` define one)
    after = AFTER_BOUND.match(text, d.end) if d.bound == "=" and text[d.end:d.end + 1].isspace() else None
    if after:
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


def _claim_fields(text: str, candidates: list[str] | None = None) -> list[_Fields]:
    """The fields of every claim in `text`, in text order.

    `candidates`, when given, are the matches of `CANDIDATES` in `text` (found for many texts at once by
    `claim_fields_many`); the scan then tries `SCAN` only where they start instead of over every character.
    """
    drafts: list[_Draft] = []
    pos = 0
    first = SCAN_WORD.match(text) if text[:1] in SCAN_WORD_FIRST else None
    if first:
        draft, pos = _claim_at(text, 0, first.end())
        if draft is not None:
            drafts.append(draft)
    for start, end in [m.span() for m in SCAN.finditer(text)] if candidates is None else _scan_at(text, candidates):
        if start < pos:  # inside a claim already read, or a name skipped
            continue
        draft, pos = _claim_at(text, start if text[start].isdigit() else start + 1, end)
        if draft is not None:
            drafts.append(draft)
    if not drafts:
        return []
    return _resolve(text, drafts)


def _scan_at(text: str, candidates: list[str]) -> list[tuple[int, int]]:
    """The spans `SCAN.finditer(text)` gives, trying `SCAN` only where a candidate starts.

    A candidate is a digit run or a number word after a spacing or opening character; `SCAN` can match only
    where one starts or, for a word of several ("a hundred"), at a space inside it. Each candidate is the
    leftmost match at or after the previous one's end, so `str.find` from there gives its offset. A digit run
    needs no `SCAN` at all: there `SCAN` matches the whole run, which is the candidate (`[0-9]+` is greedy).
    """
    spans: list[tuple[int, int]] = []
    end = pos = 0
    for cand in candidates:
        pos = text.find(cand, pos)
        if cand[0] <= "9" and cand[0] >= "0":
            if pos >= end:
                end = pos + len(cand)
                spans.append((pos, end))
        else:
            inner = cand.find(" ", 1)
            if inner < 0 and pos >= end and text[pos + len(cand):pos + len(cand) + 1] not in _LETTERS:
                # One word and no letter after it: `SCAN` matches the candidate itself. Both engines prefer the
                # same branches (leftmost-first), and `re` has no reason to backtrack from them: its look-behind
                # only refuses a digit where the candidate has its spacing or opening character.
                end = pos + len(cand)
                spans.append((pos, end))
                pos = end
                continue
            for start in (pos,) if inner < 0 else (pos, *(pos + i for i, ch in enumerate(cand) if i and ch == " ")):
                if start >= end:
                    m = SCAN.match(text, start)
                    if m:
                        end = m.end()
                        spans.append((start, end))
        pos += len(cand)
    return spans


_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def claim_fields_many(texts: Sequence[str | None], series: pl.Series | None = None) -> list[list[_Fields]]:
    """`_claim_fields` of each text, with the candidates of all found in one pass of polars' regex engine.

    Python's `re` tests every character of a text against the scan's first set, and most are spaces; the
    Rust engine behind polars finds the few places worth a look in about a sixth of that time, but compiling
    the pattern costs ~2 ms a call, so this pays for many texts at once (`claims_of`, `claims_table`). The build
    calls it in its main process: its forked workers stay clear of polars' thread pool. `series`, when given,
    holds the same texts as a polars Series (from Arrow, without a copy through Python strings).
    """
    if series is None:
        series = pl.Series(texts, dtype=pl.String)
    found = series.str.extract_all(CANDIDATES).to_list()
    return [_claim_fields(text, cands) if text else [] for text, cands in zip(texts, found, strict=True)]


def _resolve(text: str, drafts: list[_Draft]) -> list[_Fields]:
    """Units carried over ranges written apart, sentences, change and change type."""
    for d, nxt in zip(reversed(drafts[:-1]), reversed(drafts[1:]), strict=True):  # backwards, so units pass along
        if (d.kind == "count" and d.unit is None and nxt.kind not in ("count", "ordinal", "year")
                and " " not in text[d.start:d.end] and LINK_BEFORE.match(text, d.end, nxt.start)):
            d.kind, d.unit = nxt.kind, nxt.unit
    drafts = _ranges_with_units(text, drafts)
    levels = _from_to(text, drafts)
    out: list[_Fields] = []
    last_sentence = (-1, -1)
    sentence = ""
    prev_end, prev_change, prev_type = -1, None, None
    for d in drafts:
        # claims often share a sentence: reuse it while the claim lies inside
        if last_sentence[0] <= d.start < last_sentence[1]:
            s_start, s_end = last_sentence
        else:
            s_start, s_end = last_sentence = sentence_span(text, d.start)
            sentence = text[s_start:s_end]
        change = change_type = None
        if d.kind in QUANTITY_KINDS:
            change = change_near(text, s_start, d.left, d.start, d.end,
                                 window=d.start - s_start if id(d) in levels else 90)
            change = d.change or change
            if change:
                if d.prep == "to" or LEVEL_BEFORE.search(text, max(0, d.left - 20), d.left):
                    change_type = "to"
                elif d.prep == "from":
                    change_type = None
                elif prev_change == change and prev_end >= s_start and OR_LINK.search(
                        text, prev_end, d.left if d.left > prev_end else d.start):
                    change_type = prev_type
                else:
                    change_type = "by"
        out.append((d.start, d.end, text[d.start:d.end], sentence, d.value, d.value_high, d.kind,
                    d.unit, d.bound, change, change_type))
        prev_end, prev_change, prev_type = d.end, change, change_type
    return out


def _ranges_with_units(text: str, drafts: list[_Draft]) -> list[_Draft]:
    """Two numbers of one unit written as a range ("between 4% and 6%", "7% to 10%", "$3–5 million") become one."""
    out: list[_Draft] = []
    for d in drafts:
        prev = out[-1] if out else None
        if (prev is not None and prev.kind in RANGE_KINDS and d.kind == prev.kind and d.unit == prev.unit
                and prev.value_high is None and d.value_high is None and d.bound == "="
                and prev.value is not None and d.value is not None and d.value > prev.value):
            link = UNIT_RANGE_LINK.fullmatch(text, prev.end, d.start)
            if link and _range_link(text, prev, d, link.lastgroup):
                prev.value_high, prev.end = d.value, d.end
                continue
        out.append(d)
    return out


def _range_link(text: str, lo: _Draft, hi: _Draft, link: str | None) -> bool:
    """Whether `lo` and `hi`, joined by a dash, `to` or `and`, form one range rather than two quantities."""
    if bool(SCALE_IN.search(text, lo.start, lo.end)) != bool(SCALE_IN.search(text, hi.start, hi.end)):
        return False  # "$3 and $5 million": the ends are not of one scale
    if link == "dash":
        return True
    if link == "and":
        return lo.prep == "between"
    # "by 2 percent to 10 percent" is a change and a level; "from (the current) 3% to 5%" two levels
    return lo.prep not in ("from", "by") and not FROM_BEFORE.search(text, max(0, lo.left - 30), lo.left)


def _from_to(text: str, drafts: list[_Draft]) -> set[int]:
    """The claims of "from X to Y" pairs: their change word may stand anywhere before them in the sentence."""
    pairs: set[int] = set()
    for a, b in itertools.pairwise(drafts):
        if a.prep == "from" and b.prep == "to" and b.left > a.end and text[a.end:b.left].isspace():
            pairs.update((id(a), id(b)))
    return pairs


def claim_rows(utterance: Mapping[str, Any], date: dt.date | None) -> list[dict[str, Any]]:
    """Rows of the `claims` table for one row of the `utterances` table; `date` is the event's date.

    >>> rows = claim_rows({"utterance_id": "e.u1", "event_id": "e", "speaker_id": None, "speaker_name": None,
    ...                    "text": "Over 70,500 candidates."}, None)
    >>> [(r["claim_id"], r["value"], r["unit"], r["bound"]) for r in rows]
    [('e.u1.c1', 70500.0, 'candidate', '>')]
    """
    return _rows(utterance, date, _claim_fields(utterance["text"]))


def claims_table(utterances: pa.Table, events: pa.Table, *, use_polars: bool = True) -> tuple[pa.Table, list[int]]:
    """The claims table of parsed turns, and how many claims each event has, in the order of `events`.

    `utterances` are the turns of `events`, event after event (`n_utterances` each), as the parse gives them.
    The rows are those `claim_rows` gives turn by turn, but the candidates of all turns are found at once by
    polars' regex engine (`claim_fields_many`) and the table is built column by column. `use_polars=False` gives
    the same table from Python's `re` alone (a third more CPU on the day files), for a process that must not
    start polars' thread pool (a forked worker of the build).
    """
    from kremlin_data.schema import CLAIMS, columns_to_table

    text = utterances.column("text")
    texts = text.to_pylist()
    found = (claim_fields_many(texts, pl.Series(text)) if use_polars
             else [_claim_fields(t) if t else [] for t in texts])
    turn_of: list[int] = []  # the turn of each claim
    numbers: list[int] = []
    per_event: list[int] = []
    dates: list[dt.date | None] = []
    turn = 0
    for n_turns, date in zip(events.column("n_utterances").to_pylist(), events.column("date").to_pylist(),
                             strict=True):
        n_claims = 0
        for fields in found[turn:turn + n_turns]:
            turn_of += [turn] * len(fields)
            numbers += range(1, len(fields) + 1)
            n_claims += len(fields)
            turn += 1
        dates += [date] * n_claims
        per_event.append(n_claims)
    if turn != len(found):
        raise ValueError(f"claims_table: the events hold {turn} turns, the utterances table {len(found)}")
    # Arrow gathers the turn's columns and joins the ids; a column of the fields is taken apart from the flat
    # list of claims: at the day files' ~10^5 claims, zip(*claims) costs 2-3 times as much (0.10-0.14 against
    # 0.04-0.05 CPU s, measured); at the text pages' 3*10^4 the two are within a few milliseconds.
    keys = utterances.select(["utterance_id", "event_id", "speaker_id", "speaker_name"]).take(
        pa.array(turn_of, pa.int64()))
    cols: dict[str, Any] = {c: keys.column(c) for c in keys.column_names}
    cols["claim_id"] = pc.binary_join_element_wise(keys.column("utterance_id"),
                                                   pc.cast(pa.array(numbers, pa.int64()), pa.string()), ".c")
    cols["date"] = dates
    every = [f for fields in found for f in fields]
    cols.update((c, [f[i] for f in every]) for i, c in enumerate(TEXT_COLUMNS))
    return columns_to_table(cols, CLAIMS), per_event


def _rows(utterance: Mapping[str, Any], date: dt.date | None, fields: list[_Fields]) -> list[dict[str, Any]]:
    """The claims table's rows of one turn's claim fields."""
    if not fields:
        return []
    uid = utterance["utterance_id"]
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


# The claims table's columns that make sense without a turn, in its order, and their Arrow types.
TEXT_COLUMNS = ("char_start", "char_end", "surface", "sentence", "value", "value_high", "kind", "unit", "bound",
                "change", "change_type")


def _text_schema() -> pa.Schema:
    from kremlin_data.schema import CLAIMS

    return pa.schema([CLAIMS.field(c).to_arrow() for c in TEXT_COLUMNS])


def claims_frame(text: str) -> pl.DataFrame:
    """Every number mention in any English `text` as a polars DataFrame: the claims table's columns without a turn.

    >>> import kremlin_data as kd
    >>> kd.extract_claims("Sales grew by 4% to $2.5bn. Margins were between 4% and 6%.").select(
    ...     "surface", "value", "value_high", "unit", "change", "change_type").rows()
    [('4%', 4.0, None, 'percent', 'up', 'by'), ('$2.5bn', 2500000000.0, None, 'USD', 'up', 'to'), \
('4% and 6%', 4.0, 6.0, 'percent', None, None)]
    """
    fields = _claim_fields(text)
    columns = list(zip(*fields, strict=True)) if fields else [()] * len(TEXT_COLUMNS)
    schema = _text_schema()
    return pl.from_arrow(pa.table([pa.array(list(col), type=f.type) for col, f in zip(columns, schema, strict=True)],
                                  schema=schema))  # type: ignore[return-value]


def claims_of(frame: pl.DataFrame, column: str = "text", keys: list[str] | None = None) -> pl.DataFrame:
    """The claims of every text in `frame[column]`, one row per claim, after the row's key columns.

    `keys` are the columns of `frame` to carry over (all but `column` when None); `claim_n` numbers the claims of
    one row from 1. A null text has no claims.

    >>> import kremlin_data as kd
    >>> import polars as pl
    >>> docs = pl.DataFrame({"doc": ["a", "b"], "text": ["Up 3% on 2019.", "Two to three thousand people came."]})
    >>> kd.claims_of(docs).select("doc", "claim_n", "surface", "value", "value_high", "unit").rows()
    [('a', 1, '3%', 3.0, None, 'percent'), ('a', 2, '2019', 2019.0, None, None), \
('b', 1, 'Two to three thousand', 2000.0, 3000.0, 'person')]
    """
    if column not in frame.columns:
        raise ValueError(f"claims_of: no column {column!r} in the frame (columns: {frame.columns})")
    keys = [c for c in frame.columns if c != column] if keys is None else list(keys)
    clash = sorted(set(keys) & {*TEXT_COLUMNS, "claim_n"})
    if clash:
        raise ValueError(f"claims_of: key columns {clash} have the names of claim columns; rename them first")
    rows: list[int] = []
    numbers: list[int] = []
    fields: list[_Fields] = []
    for i, found in enumerate(claim_fields_many(frame.get_column(column).to_list())):
        rows += [i] * len(found)
        numbers += range(1, len(found) + 1)
        fields += found
    columns = list(zip(*fields, strict=True)) if fields else [()] * len(TEXT_COLUMNS)
    schema = _text_schema()
    claims = pl.from_arrow(pa.table([pa.array(list(col), type=f.type)
                                     for col, f in zip(columns, schema, strict=True)], schema=schema))
    assert isinstance(claims, pl.DataFrame)
    return pl.concat([frame.select(keys)[rows], pl.DataFrame({"claim_n": numbers}, schema={"claim_n": pl.Int32}),
                      claims], how="horizontal")
