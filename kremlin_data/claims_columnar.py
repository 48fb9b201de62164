r"""Reads the commonest digit runs of many texts at once with polars, giving what the rules in claims.py give there.

The rules (`claims._claim_at`) read a number with some twenty regular expressions, in Python, one number at a time.
Here one class of digit runs is read for all texts together, by polars expressions over two windows of each run:
the 40 characters before it, reversed (what the rules' left-context patterns read), and the `RIGHT` characters
from its first digit on. The class: a run after one space and a word (a bound and a preposition are read, as in
"about", "up to", "by"; a currency sign, `minus`, a month or a name word such as "Article" are left to the rules),
read as a plain number (thousands separators and a decimal part allowed) that is

- a percentage (`%`, `percent`, `per cent`), a duration (`years`, `days`, ...), an amount of money in dollars,
  roubles or euros, with or without a scale word (`3 billion roubles`), each with a bound read after it ("or more");
- a count: before a punctuation mark ("were 45,"), or before words that start no range, scale or unit, with or
  without a scale word ("45 regions", "5 million people": the counted noun is read by the rules' `counted_noun`);
- a year ("in 2015.", "in 2015 we"), an ordinal ("5th"), a decade ("1990s"), or no claim at all where the rules
  find a time of day, an address or a name ("Boeing 737").

Everything else (ranges, measures, dates, glued units, other currencies, names and codes) goes to the rules.

The windows must read the same in both engines: the Rust regex engine behind polars has no look-around and reads
`\s`, `\w`, `\b` and case otherwise than Python's `re` outside ASCII. So a run is in the class only when both
windows hold printable ASCII, tab, line breaks and a few marks that neither engine counts as space, word character
or cased letter (`’‘“”–—…`), and the right window either ends with the text or holds, before its last ten
characters, a stop that no pattern read here can pass by more than a few characters (`!?;:()"`, or `.` or `,` before
a space). The patterns shared with the rules (`LEFT`, `DIGITS`, `NOT_AFTER`, `AFTER_BOUND`, `AFTER_GO`) are the
rules' own, anchored; `tests/test_claims_columnar.py` holds the class's decisions equal to the rules' on every digit
run of the text pages and on made-up sentences at its edges.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from kremlin_data.claim_words import (
    AFTER_BOUND,
    AFTER_GO,
    BOUND_SIGN,
    DIGITS,
    IDENT_WORDS,
    LEFT,
    LEFT_WORDS,
    MONTH_WORDS,
    NOT_AFTER,
    SCALE,
    TAIL_FIRST,
    TAIL_WORDS,
    counted_noun,
    currency,
)

RIGHT = 100  # characters read from a run's first digit on
_STOP_BEFORE = RIGHT - 10  # a stop must start before this, so that no pattern reads past the window
# Printable ASCII, tab, line breaks, and punctuation that neither engine counts as space, word or cased letter.
_PLAIN = r"^[\t\n\r\x20-\x7e’‘“”–—…]*$"
_STOP = r"^[\s\S]{0," + str(_STOP_BEFORE - 1) + r"}?(?:[!?;:()\x22]|[.,]\s)"
# `NAME_BEFORE` without its look-ahead (reversed text; the same matches at the start of the window).
_NAME_BEFORE = r"^ [a-z]*[A-Z][A-Za-z&]* [^\s.!?:;…\x22“”]"
_PERCENT = r"(?i)^(?:\s*%|[\s-]*(?:percent|per\s+cent)\b)"
# A scale, a currency and a duration as `SCALE_RE` and `UNIT_RE` read them after one space (not all their forms).
_SCALE = r"(?i)^ (hundred|thousand|million|billion|trillion|bn|mln|mn|bln|tn|trn)\b"
_MONEY = r"(?i)^ ((?:dollar|rouble|ruble|euro)s?)\b"
_DURATION = r"(?i)^ ((?:year|month|week|day|hour|minute|decade)s?)\b"
_NEXT_WORD = r"^ ([A-Za-z]+)"
# Characters after a number that end the rules' `_tail` at once with a count ("45," "2015."), ASCII only.
_COUNT_END = sorted({chr(c) for c in range(0x20, 0x7F)} - set(TAIL_FIRST) - {chr(c) for c in range(0x41, 0x7B)
                                                                           if chr(c).isalpha()})


def _anchored(pattern: str, flags: str = "") -> str:
    return f"{flags}^(?:{pattern})"


def _len_of(column: str) -> pl.Expr:
    """The length in characters of a string column."""
    return pl.col(column).str.len_chars()


_Fields = tuple[int, float, str, str | None, str, str | None, int]


def digit_drafts(lefts: Sequence[str], rights: Sequence[str]) -> list[tuple[int, _Fields | None, int]]:
    """What `claims._claim_at` gives at each digit run of the class, for the runs in the class.

    `lefts[i]` is the text's 40 characters before run i, reversed; `rights[i]` its `RIGHT` characters from the
    run's first digit (fewer where the text ends). A run in the class gives
    `(i, fields, next_pos)`, offsets counted from the run's first digit: `fields` is None where the rules find no
    claim, else `(end, value, kind, unit, bound, prep, left)` (the draft's fields the class can set; `left` is how
    many characters before the run its bound and preposition begin).

    >>> digit_drafts([" ni", " tuoba", "$ ni"], ["2015. Then", "5 percent or more of", "5 percent"])
    [(0, (4, 2015.0, 'year', None, '=', None, 0), 4), (1, (9, 5.0, 'percent', 'percent', '~', None, 6), 9)]
    """
    lw, r = pl.col("l"), pl.col("r")
    c1, c2, c3, n = pl.col("c1"), pl.col("c2"), pl.col("c3"), pl.col("n")
    word = pl.col("word")
    frame = pl.LazyFrame({"l": pl.Series(lefts, dtype=pl.String),
                          "r": pl.Series(rights, dtype=pl.String)}).with_row_index("i")
    # The cheap tests first, on every run: the windows, the word before, the characters after the number.
    frame = frame.with_columns(
        word=lw.str.extract(r"^ ([A-Za-z]+)", 1),  # `PREV_WORD`, reversed
        digits=r.str.extract(_anchored(DIGITS.pattern), 0),
    ).with_columns(n=pl.col("digits").str.len_chars()).with_columns(
        c1=r.str.slice(n, 1), c2=r.str.slice(n + 1, 1), c3=r.str.slice(n + 2, 1),
    ).filter(
        word.is_not_null() & ~word.is_in(list(IDENT_WORDS)) & ~word.is_in(list(MONTH_WORDS))
        & ~(c1.is_in(["/", ":", ".", ","]) & c2.str.contains(r"^[0-9]$")) & (c1 != "-")
        & lw.str.contains(_PLAIN) & r.str.contains(_PLAIN) & ((r.str.len_chars() < RIGHT) | r.str.contains(_STOP))
    ).with_columns(
        after=r.str.slice(n),
        in_left=word.str.to_lowercase().is_in(list(LEFT_WORDS)),
    )
    # The left context where the word before may start one (the rules' `_left_context`): currency and `minus`
    # are left to the rules; a bound and a preposition are read here.
    low = lw.str.to_lowercase()
    left = low.str.extract_groups(f"^(?P<all>{LEFT.pattern})")
    frame = pl.concat([
        frame.filter(pl.col("in_left")).with_columns(
            cur=left.struct.field("cur"), minus=left.struct.field("minus"), bound=left.struct.field("bound"),
            prep=left.struct.field("prep"), left=left.struct.field("all").str.len_chars(),
        ).filter(pl.col("cur").is_null() & pl.col("minus").is_null()),
        frame.filter(~pl.col("in_left")).with_columns(
            cur=pl.lit(None, pl.String), minus=pl.lit(None, pl.String), bound=pl.lit(None, pl.String),
            prep=pl.lit(None, pl.String), left=pl.lit(0, pl.UInt32),
        ),
    ])
    bound_phrase = pl.col("bound").str.reverse().str.replace_all(r"\s+", " ")
    up_to_go = (bound_phrase == "up to") & low.str.slice(pl.col("left")).str.contains(_anchored(AFTER_GO.pattern))
    prep = pl.col("prep").str.reverse().str.replace_all(r"\s+", " ")
    after = pl.col("after")
    next_word = after.str.extract(_NEXT_WORD, 1).str.to_lowercase()
    frame = frame.with_columns(
        bound=pl.when(pl.col("bound").is_not_null() & ~up_to_go)
        .then(bound_phrase.replace_strict(BOUND_SIGN, default=None)).otherwise(pl.lit("=")),
        prep=pl.when(up_to_go | prep.is_in(["as low as", "as high as"])).then(pl.lit("to")).otherwise(prep),
        value=pl.col("digits").str.replace_all(",", "").cast(pl.Float64),
        plain=pl.col("digits").str.contains(r"^[0-9]+$"),
        percent=after.str.extract(_PERCENT, 0).str.len_chars(),
        word_count=(c1 == " ") & next_word.is_not_null() & ~next_word.is_in(list(TAIL_WORDS)),
        count_end=c1.is_in(_COUNT_END) | (c1 == ""),
        duration=after.str.extract(_DURATION, 1),
        money=after.str.extract(_MONEY, 1),
        scale=after.str.extract(_SCALE, 1),
    ).with_columns(
        scaled=after.str.slice(pl.col("scale").str.len_chars() + 1),
    ).with_columns(
        money2=pl.col("scaled").str.extract(_MONEY, 1),
        word2=pl.col("scaled").str.extract(_NEXT_WORD, 1).str.to_lowercase(),
    )
    # The rules' outcome (`_digits_claim`, `_tail`, `_finish`), in their order.
    count = pl.col("count_end") | pl.col("word_count")
    percent = c1.is_in([" ", "%"]) & pl.col("percent").is_not_null() & ~pl.col("word_count")
    year_like = pl.col("plain") & (n == 4) & pl.col("value").is_between(1000, 2100)
    ordinal = pl.concat_str(c1, c2).is_in(["st", "nd", "rd", "th"]) & ~c3.str.contains(r"^[A-Za-z]$")
    decade = (c1 == "s") & ~c2.str.contains(r"^[A-Za-z]$") & (n == 4)
    not_claim = count & (after.str.contains(_anchored(NOT_AFTER.pattern, "(?i)")) | (
        pl.col("plain") & (n <= 3) & (word.str.to_lowercase() != word) & lw.str.contains(_NAME_BEFORE)))
    scale = pl.col("scale").is_not_null()
    scaled_noun = scale & pl.col("word2").is_not_null() & ~pl.col("word2").is_in(list(TAIL_WORDS))
    frame = frame.with_columns(
        kind=pl.when(ordinal).then(pl.lit("ordinal")).when(decade).then(pl.lit("year"))
        .when(c1.str.contains(r"^[A-Za-z]$")).then(None)
        .when(not_claim).then(pl.lit(""))
        .when(count & year_like).then(pl.lit("year"))
        .when(pl.col("count_end")).then(pl.lit("count"))
        .when(pl.col("word_count")).then(pl.lit("noun"))
        .when(percent).then(pl.lit("percent"))
        .when(pl.col("duration").is_not_null()).then(pl.lit("duration"))
        .when(pl.col("money").is_not_null() | (scale & pl.col("money2").is_not_null())).then(pl.lit("money"))
        .when(scaled_noun).then(pl.lit("noun")),
        end=pl.when(ordinal).then(n + 2).when(decade).then(n + 1).when(percent).then(n + pl.col("percent"))
        .when(pl.col("duration").is_not_null()).then(n + 1 + _len_of("duration"))
        .when(pl.col("money").is_not_null()).then(n + 1 + _len_of("money"))
        .when(scale & pl.col("money2").is_not_null()).then(n + 2 + _len_of("scale") + _len_of("money2"))
        .when(scale).then(n + 1 + _len_of("scale"))
        .otherwise(n),
        value=pl.when(scale & ~count).then(pl.col("value") * pl.col("scale").str.to_lowercase().replace_strict(SCALE))
        .otherwise(pl.col("value")),
        unit=pl.when(percent).then(pl.lit("percent"))
        .when(pl.col("duration").is_not_null()).then(pl.col("duration").str.to_lowercase().str.strip_chars_end("s"))
        .when(pl.col("money").is_not_null() | (scale & pl.col("money2").is_not_null()))
        .then(pl.coalesce("money", "money2")),
    ).filter(pl.col("kind").is_not_null())
    # All but a year and an ordinal go through the rules' `_finish`, which reads a bound after the claim ("or
    # more") and the noun a count counts.
    rest = r.str.slice(pl.col("end"))
    ab = rest.str.extract_groups(_anchored(AFTER_BOUND.pattern))
    trailing = (pl.when(ab.struct.field("ge").is_not_null()).then(pl.lit(">="))
                .when(ab.struct.field("le").is_not_null()).then(pl.lit("<="))
                .when(ab.struct.field("approx").is_not_null()).then(pl.lit("~")))
    kind = pl.col("kind")
    out = frame.select(
        "i", "kind", "end", "value", "unit",
        bound=pl.when(~kind.is_in(["year", "ordinal", ""]) & (pl.col("bound") == "="))
        .then(trailing.fill_null(pl.col("bound"))).otherwise(pl.col("bound")),
        prep="prep", left="left", rest=pl.when(kind == "noun").then(rest),
    ).sort("i").collect(engine="in-memory")
    cols = [out.get_column(c).to_list()
            for c in ("i", "kind", "end", "value", "unit", "bound", "prep", "left", "rest")]
    found: list[tuple[int, _Fields | None, int]] = []
    for i, kind_, end, value, unit, bound, prep_, left_, rest_ in zip(*cols, strict=True):
        if not kind_:
            found.append((i, None, end))
        elif kind_ == "noun":  # a count before words: the noun it counts, read by the rules' own function
            found.append((i, (end, value, "count", counted_noun(rest_, 0, value == 1), bound, prep_, left_), end))
        elif kind_ == "money":  # the currency's code, by the rules' own function
            found.append((i, (end, value, kind_, currency(unit), bound, prep_, left_), end))
        else:
            found.append((i, (end, value, kind_, unit, bound, prep_, left_), end))
    return found
