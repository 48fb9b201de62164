"""The columnar reading of digit runs (claims_columnar.py) gives what the rules give, wherever it decides."""

from __future__ import annotations

import doctest
from collections.abc import Iterator

import polars as pl
import pytest
from conftest import SHARED_DATA, need
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kremlin_data import claims_columnar
from kremlin_data.claims import CANDIDATES, _claim_at, _claim_fields, _Draft, _scan_at, claim_fields_many
from kremlin_data.claims_columnar import RIGHT, digit_drafts


def _digit_runs(texts: list[str]) -> Iterator[tuple[str, int, int]]:
    """Every digit run the scan reaches in `texts`, as (text, start, end), whether or not a claim covers it."""
    found = pl.Series(texts, dtype=pl.String).str.extract_all(CANDIDATES).to_list()
    for text, cands in zip(texts, found, strict=True):
        for start, end in _scan_at(text, cands or []):
            if text[start].isdigit():
                yield text, start, end


def _compare(texts: list[str]) -> tuple[list[str], int]:
    """The runs of `texts` the columnar class decides, and how many runs there are; fails on the first that differs
    from the rules."""
    runs = list(_digit_runs(texts))
    got = digit_drafts([t[max(0, s - 40):s][::-1] for t, s, _ in runs], [t[s:s + RIGHT] for t, s, _ in runs])
    for row, fields, pos in got:
        text, start, end = runs[row]
        mine = None if fields is None else _Draft(
            start, start + fields[0], fields[1], fields[2], unit=fields[3], bound=fields[4], prep=fields[5],
            left=start - fields[6])
        draft, rule_pos = _claim_at(text, start, end)
        assert (mine, start + pos) == (draft, rule_pos), text[max(0, start - 40):start + 60]
    return [runs[row][0][runs[row][1]:runs[row][2]] for row, _, _ in sorted(got, key=lambda g: g[0])], len(runs)


@pytest.mark.corpus
def test_the_class_reads_every_digit_run_of_the_text_pages_as_the_rules_do() -> None:
    """Every digit run of the 1,645 text pages that the class decides: the same draft and next position."""
    pages = sorted(need(SHARED_DATA / "text" / "pages").glob("*.txt")) + sorted(
        (SHARED_DATA / "text" / "other").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in pages]
    decided, runs = _compare(texts)
    # page headers and dates hold many runs outside the class; in the turns alone it decides half of them
    assert len(decided) > runs * 0.25, (len(decided), runs)


# The parts of a sentence around a number: each edge of the class, and what lies just beyond it.
_BEFORE = ["in", "In", "about", "up to", "nearly", "by", "from", "between", "as high as", "of", "to", "minus", "$",
           "US$", "EUR", "eur", "No.", "Article", "Boeing", "Nord Stream", "May", "the", "at least", "over",
           "more than", "prices went up to", "“in", "in\x1c", "Nos", "i", "(", ""]
_NUMBER = ["2015", "1990", "5", "45", "1", "1,000", "70,500", "2.5", "13,5", "0.5", "007", "12345", "3,0000", "100"]
_AFTER = ["", ".", ",", ";", ". The", ", and", "%", " %", " percent", " per cent", " Percent", "-percent", " pc",
          " percentage points", " percent or more", " percent of men or more", " people", " people or so",
          " Russian students", " of our companies", " regions, or more", " million", " million people",
          " billion roubles", " billion rubles.", " trillion dollars", " thousands of", " thousand US dollars",
          " roubles", " euros", " years", " Years", " days.", " centuries", " decades or less", " times", "-fold",
          "th", "st century", "s", "s,", "ss", "km", "m", "bn", " p.m.", " am", " o’clock", " Baker Street",
          " to 7", "–7", "-7", " and 6%", "/5", ":30", "-A", " May", " Jan.", " tonnes", " square metres", " s",
          " half", "’s", "\x1f years", " years\u0301", " ²", " – 7 percent", " to", " or", "…"]


@settings(max_examples=250, deadline=None)
@given(before=st.sampled_from(_BEFORE), number=st.sampled_from(_NUMBER), after=st.sampled_from(_AFTER),
       gap=st.sampled_from([" ", "  ", "\n"]), tail=st.text(alphabet=" .,;abcXY-’“1", max_size=12),
       far=st.integers(0, 120))
@example(before="in", number="5", after=" percent of men or more", gap=" ", tail="", far=0)
def test_made_up_sentences_at_the_edges_of_the_class(before: str, number: str, after: str, gap: str, tail: str,
                                                     far: int) -> None:
    """Numbers between the words at the class's edges, with a stop near or far: the class never differs."""
    text = f"Then {before}{gap}{number}{after}{tail}" + " word" * (far // 5) + ". Next."
    _compare([text])
    assert claim_fields_many([text]) == [_claim_fields(text)]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([*" .,%$-–’\x1c\nabprtAB0129", "per cent", "percent", "years", "million ", "or more",
                                 "No.", "in ", "up to "]), max_size=30).map("".join))
def test_any_text_reads_the_same_through_the_columnar_path(text: str) -> None:
    """On arbitrary text the class decides nothing the rules would read otherwise, and the claims are the same."""
    _compare([text])
    assert claim_fields_many([text]) == [_claim_fields(text)]


def test_the_class_holds_the_common_shapes() -> None:
    """The shapes the class is for are decided by it, not left to the rules (else the speed-up is lost quietly)."""
    text = ("In 2015 the output grew by 5 percent, to 45 regions. In 1990, some 16% of them had about 3 billion "
            "roubles for 10 years, the 5th time in the 1990s. Prices rose 7 per cent or more, as in 2007.")
    decided, runs = _compare([text])
    assert decided == ["2015", "5", "45", "1990", "16", "3", "10", "5", "1990", "7", "2007"]
    assert runs == len(decided)


def test_doctests() -> None:
    """The examples in the module's docstrings run."""
    assert doctest.testmod(claims_columnar).failed == 0
