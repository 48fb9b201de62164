"""Numeric claims: the seed exactly, rules table-driven, properties, schema, and the hand-labelled golden pages."""

from __future__ import annotations

import datetime as dt
import doctest
import hashlib
import json
import math
import re
import sys
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from types import ModuleType
from typing import Any

import polars as pl
import pytest
from conftest import GOLDEN, REPO, SHARED_DATA, load_benchmark, need
from hypothesis import example, given, settings
from hypothesis import strategies as st

import kremlin_data as kd
from kremlin_data.build import parse_files, sample_path
from kremlin_data.claim_words import (
    _BOUNDS,
    _CARD,
    _CHANGE_WORDS,
    _IDENT_WORDS,
    _MONTHS,
    _SPACES,
    _STARTERS,
    _THAN_BEFORE,
    _WORDSEQ,
    AFTER_BOUND,
    CHANGE_AFTER,
    DECIMAL_COMMA,
    DIGITS,
    HYPHEN_WORD,
    IDENT,
    IDENT_WORDS,
    LEFT,
    LEFT_WORDS,
    MEASURE_RE,
    MONTH_BEFORE,
    MONTH_WORDS,
    NAME_BEFORE,
    NEXT_WORD,
    NO_CHANGE_AFTER,
    PREV_WORD,
    RANGE,
    SCALE_RE,
    SCAN,
    SCAN_WORD,
    SCAN_WORD_FIRST,
    SENTENCE_SPLIT,
    TAIL_WORDS,
    UNIT_RE,
    _trie,
    change_near,
)
from kremlin_data.claims import (
    _LETTERS,
    TEXT_COLUMNS,
    _claim_fields,
    claim_fields_many,
    claim_rows,
    claims_table,
    extract_claims,
)
from kremlin_data.rows import page_rows
from kremlin_data.schema import CLAIMS, to_table
from kremlin_data.sources import decode_text, read_bytes, split_pages
from kremlin_data.text_version import parse_lines

CLAIMS_GOLDEN = GOLDEN / "claims"
KINDS = {"percent", "percentage_point", "money", "count", "measure", "multiple", "fraction", "year", "date",
         "duration", "ordinal", "vague"}
BOUNDS = {"=", "~", ">", ">=", "<", "<=", "<~"}


def seed_rows() -> list[dict[str, Any]]:
    text = decode_text(read_bytes(sample_path())).text
    rows: list[dict[str, Any]] = []
    for chunk in split_pages(text):
        if chunk.is_page:
            event, turns = page_rows(parse_lines(chunk.lines, "seed", chunk.first_line))
            for turn in turns:
                rows += claim_rows(turn, event["date"])
    return rows


def brief(rows: list[dict[str, Any]], kinds: set[str]) -> list[tuple[Any, ...]]:
    return [(r["speaker_name"], r["kind"], r["value"], r["unit"], r["bound"], r["change"], r["change_type"])
            for r in rows if r["kind"] in kinds]


# ---- the seed, exactly as issue 4 states it ------------------------------------------------------------

PUTIN, TOKAYEV, PAMFILOVA = "Vladimir Putin", "Kassym-Jomart Tokayev", "Ella Pamfilova"
SEED_AMOUNTS = [
    (PUTIN, "percent", 34.4, "percent", "=", "up", "by"),
    (PUTIN, "percent", 9.0, "percent", "<~", "up", "by"),
    (PUTIN, "percent", 8.8, "percent", "=", "up", "by"),
    (PUTIN, "money", 17e9, "USD", "=", None, None),
    (PUTIN, "money", 4e9, "USD", ">", None, None),
    (PUTIN, "money", 4.5e9, "USD", "~", None, None),
    (TOKAYEV, "money", 24.5e9, "USD", "=", None, None),
    (PAMFILOVA, "count", 20.0, "option", "~", None, None),
    (PAMFILOVA, "count", 7.0, "region", "=", None, None),
    (PUTIN, "count", 22.0, "party", "=", None, None),
    (PAMFILOVA, "count", 29.0, "party", "=", None, None),
    (PAMFILOVA, "count", 24.0, "party", "=", None, None),
    (PAMFILOVA, "count", 22.0, "party", "=", None, None),
    (PAMFILOVA, "count", 5.0, "candidate", "=", None, None),
    (PAMFILOVA, "count", 6.0, "candidate", "=", None, None),
    (PAMFILOVA, "percent", 3.0, "percent", "~", None, None),
    (PAMFILOVA, "percent", 1.0, "percent", "<", None, None),
    (PUTIN, "count", 4700.0, "campaign", "~", None, None),
    (PAMFILOVA, "count", 3.0, "region", "=", None, None),
    (PAMFILOVA, "count", 18.0, "region", "=", None, None),
    (PAMFILOVA, "count", 6.0, "region", "=", None, None),
    (PAMFILOVA, "count", 11.0, "centre", "=", None, None),
    (PUTIN, "count", 70500.0, "candidate", ">", None, None),
    (PAMFILOVA, "count", 1.0, "path", "=", None, None),
]


def test_seed_percent_money_count_rows_exactly() -> None:
    assert brief(seed_rows(), {"percent", "money", "count"}) == SEED_AMOUNTS


def test_seed_years_durations_ordinals_typed() -> None:
    typed = [(r["surface"], r["kind"], r["value"], r["value_high"], r["unit"])
             for r in seed_rows() if r["kind"] in {"year", "duration", "ordinal", "date"}]
    assert typed == [
        ("30th", "ordinal", 30.0, None, None), ("first", "ordinal", 1.0, None, None),
        ("five months", "duration", 5.0, None, "month"), ("30 years", "duration", 30.0, None, "year"),
        ("30 years", "duration", 30.0, None, "year"), ("first", "ordinal", 1.0, None, None),
        ("2013", "year", 2013.0, None, None), ("first", "ordinal", 1.0, None, None),
        ("first", "ordinal", 1.0, None, None), ("fourth", "ordinal", 4.0, None, None),
        ("three-day", "duration", 3.0, None, "day"), ("one- or two-day", "duration", 1.0, 2.0, "day"),
    ]


def test_seed_rows_identify_their_turn_and_fit_the_table() -> None:
    rows = seed_rows()
    assert not [r for r in rows if r["value"] == 19.0]  # COVID-19
    assert rows[0]["claim_id"] == "kremlin-en-20220819-1615-0c7417d1.u1.c1"
    assert rows[0]["date"] == dt.date(2022, 8, 19)
    assert all(r["claim_id"] == f"{r['utterance_id']}.c{n}" for n, r in enumerate(
        (r for r in rows if r["utterance_id"] == rows[0]["utterance_id"]), start=1))
    table = to_table(rows, CLAIMS)
    assert table.num_rows == len(rows) == 36
    assert table.schema.field("kind").metadata[b"description"].startswith(b"What the number is")


# ---- rules, table-driven ---------------------------------------------------------------------------------

def first(text: str) -> tuple[Any, ...]:
    c = extract_claims(text)[0]
    return (c.surface, c.value, c.value_high, c.kind, c.unit, c.bound, c.change, c.change_type)


@pytest.mark.parametrize("text, expected", [
    # number words
    ("We have seven regions.", ("seven", 7.0, None, "count", "region", "=", None, None)),
    ("Twenty-five teams took part.", ("Twenty-five", 25.0, None, "count", "team", "=", None, None)),
    ("It is one hundred and twenty thousand tonnes.",
     ("one hundred and twenty thousand tonnes", 120000.0, None, "measure", "tonne", "=", None, None)),
    ("It rose one and a half times.", ("one and a half times", 1.5, None, "multiple", None, "=", "up", "by")),
    ("About a third of them.", ("a third", 1 / 3, None, "fraction", None, "~", None, None)),
    ("two-thirds of the line", ("two-thirds", 2 / 3, None, "fraction", None, "=", None, None)),
    ("a dozen schools", ("a dozen", 12.0, None, "count", "school", "=", None, None)),
    ("half a million people", ("half a million", 5e5, None, "count", "person", "=", None, None)),
    ("Sixty-three people can exercise here.", ("Sixty-three", 63.0, None, "count", "person", "=", None, None)),
    # scales and currencies
    ("Russia's investment reached US$17 billion.", ("US$17 billion", 17e9, None, "money", "USD", "=", None, None)),
    ("It costs 3.6 trillion rubles.", ("3.6 trillion rubles", 3.6e12, None, "money", "RUB", "=", None, None)),
    ("We pay 5,000 roubles a month.", ("5,000 roubles", 5000.0, None, "money", "RUB", "=", None, None)),
    ("a fund of 65 billion yuan", ("65 billion yuan", 65e9, None, "money", "CNY", "=", None, None)),
    ("worth 2.8 billion euros", ("2.8 billion euros", 2.8e9, None, "money", "EUR", "=", None, None)),
    ("costs were $3.2 per barrel", ("$3.2", 3.2, None, "money", "USD", "=", None, None)),
    ("€500 million in loans", ("€500 million", 5e8, None, "money", "EUR", "=", None, None)),
    ("five billion dollars", ("five billion dollars", 5e9, None, "money", "USD", "=", None, None)),
    ("38 billion cubic metres of gas", ("38 billion cubic metres", 38e9, None, "measure", "cubic metre", "=", None,
                                        None)),
    ("a 60m pool", ("60m", 60.0, None, "measure", "metre", "=", None, None)),
    ("773 MW of capacity", ("773 MW", 773.0, None, "measure", "megawatt", "=", None, None)),
    ("5.8 million barrels per day", ("5.8 million barrels", 5.8e6, None, "measure", "barrel", "=", None, None)),
    ("up by 0.5 percentage points", ("0.5 percentage points", 0.5, None, "percentage_point", "percentage point", "=",
                                     "up", "by")),
    # ranges
    ("a zone 15–20 km deep", ("15–20 km", 15.0, 20.0, "measure", "kilometre", "=", None, None)),
    ("between 5 and 7 percent", ("5 and 7 percent", 5.0, 7.0, "percent", "percent", "=", None, None)),
    ("two or three times more", ("two or three times", 2.0, 3.0, "multiple", None, "=", None, None)),
    ("about 400–500 million euros", ("400–500 million euros", 4e8, 5e8, "money", "EUR", "~", None, None)),
    # bounds
    ("over 70,500 candidates", ("70,500", 70500.0, None, "count", "candidate", ">", None, None)),
    ("more than 30,000 km of pipes", ("30,000 km", 30000.0, None, "measure", "kilometre", ">", None, None)),
    ("at least one minimum wage", ("one", 1.0, None, "count", "wage", ">=", None, None)),
    ("less than one percent", ("one percent", 1.0, None, "percent", "percent", "<", None, None)),
    ("up to 5,000 students", ("5,000", 5000.0, None, "count", "student", "<=", None, None)),
    ("almost 9 percent", ("9 percent", 9.0, None, "percent", "percent", "<~", None, None)),
    ("About 4,700 campaigns", ("4,700", 4700.0, None, "count", "campaign", "~", None, None)),
    ("some 25,000 Chinese nationals", ("25,000", 25000.0, None, "count", "national", "~", None, None)),
    ("20 people or more", ("20", 20.0, None, "count", "person", ">=", None, None)),
    ("it exceeds $31 billion", ("$31 billion", 31e9, None, "money", "USD", ">", None, None)),
    # change
    ("Trade increased by 4 percent to $66 billion.", ("4 percent", 4.0, None, "percent", "percent", "=", "up", "by")),
    ("Exports fell to 3 percent.", ("3 percent", 3.0, None, "percent", "percent", "=", "down", "to")),
    ("Trade was up 40 percent.", ("40 percent", 40.0, None, "percent", "percent", "=", "up", "by")),
    ("a 3.3-percent growth", ("3.3-percent", 3.3, None, "percent", "percent", "=", "up", "by")),
    ("This is a decrease of around 17 percent.", ("17 percent", 17.0, None, "percent", "percent", "~", "down", "by")),
    ("Output has doubled.", ("doubled", 2.0, None, "multiple", None, "=", "up", "by")),
    ("costs were halved", ("halved", 0.5, None, "multiple", None, "=", "down", "by")),
    ("It rose from 30.7 percent", ("30.7 percent", 30.7, None, "percent", "percent", "=", "up", None)),
    # other kinds
    ("In 2013, the treaty was signed.", ("2013", 2013.0, None, "year", None, "=", None, None)),
    ("back in the 1990s", ("1990s", 1990.0, None, "year", None, "=", None, None)),
    ("for 2018–2022", ("2018–2022", 2018.0, 2022.0, "year", None, "=", None, None)),
    ("since October 1, 2018", ("October 1", 1.0, None, "date", "October", "=", None, None)),
    ("on 9 May", ("9 May", 9.0, None, "date", "May", "=", None, None)),
    ("30 years of relations", ("30 years", 30.0, None, "duration", "year", "=", None, None)),
    ("a six-month moratorium", ("six-month", 6.0, None, "duration", "month", "=", None, None)),
    ("the 30th anniversary", ("30th", 30.0, None, "ordinal", None, "=", None, None)),
    ("It ranks second.", ("second", 2.0, None, "ordinal", None, "=", None, None)),
    ("The reserves are number one.", ("number one", 1.0, None, "ordinal", None, "=", None, None)),
    ("hundreds of thousands of professionals", ("hundreds of thousands", None, None, "vague", "professional", "=",
                                                None, None)),
    ("billions of dollars", ("billions", None, None, "vague", "USD", "=", None, None)),
    ("a population of minus 600,000", ("minus 600,000", -600000.0, None, "count", None, "=", None, None)),
    ("11 regional centres", ("11", 11.0, None, "count", "centre", "=", None, None)),
    ("44 of our largest companies", ("44", 44.0, None, "count", "company", "=", None, None)),
    ("four Soyuz-TMA piloted transport spacecraft", ("four", 4.0, None, "count", "spacecraft", "=", None, None)),
    ("and Sberbank 12 billion.", ("12 billion", 12e9, None, "count", None, "=", None, None)),
    ("it was small (half a percent)", ("half a percent", 0.5, None, "percent", "percent", "=", None, None)),
    ("since 1732", ("1732", 1732.0, None, "year", None, "=", None, None)),
    ("I spoke half an hour ago", ("half an hour", 0.5, None, "duration", "hour", "=", None, None)),
    ("to meet for a third time", ("third", 3.0, None, "ordinal", None, "=", None, None)),
    # ranges share their scale and unit
    ("two to three thousand people", ("two to three thousand", 2000.0, 3000.0, "count", "person", "=", None, None)),
    ("Eight or nine thousand.", ("Eight or nine thousand", 8000.0, 9000.0, "count", None, "=", None, None)),
    ("ninety to one hundred guests", ("ninety to one hundred", 90.0, 100.0, "count", "guest", "=", None, None)),
    ("between 4% and 6% a year", ("4% and 6%", 4.0, 6.0, "percent", "percent", "=", None, None)),
    ("for 7% to 10% of its reserves", ("7% to 10%", 7.0, 10.0, "percent", "percent", "=", None, None)),
    ("it costs $2 billion to $3 billion", ("$2 billion to $3 billion", 2e9, 3e9, "money", "USD", "=", None, None)),
    ("a range between 500 km and 1,500 km", ("500 km and 1,500 km", 500.0, 1500.0, "measure", "kilometre", "=",
                                             None, None)),
    ("about $67 billion-$70 billion a year", ("$67 billion-$70 billion", 67e9, 70e9, "money", "USD", "~", None,
                                              None)),
    # scale and unit abbreviations, currency codes and signs
    ("It cost $2.5M.", ("$2.5M", 2.5e6, None, "money", "USD", "=", None, None)),
    ("Revenue was EUR40m last year.", ("EUR40m", 40e6, None, "money", "EUR", "=", None, None)),
    ("a loss of 3bn roubles", ("3bn roubles", 3e9, None, "money", "RUB", "=", "down", "by")),
    ("5k people came", ("5k", 5000.0, None, "count", "person", "=", None, None)),
    ("$10bn of debt", ("$10bn", 1e10, None, "money", "USD", "=", None, None)),
    ("spending of 2tn a year", ("2tn", 2e12, None, "count", None, "=", None, None)),
    ("7 mn tonnes", ("7 mn tonnes", 7e6, None, "measure", "tonne", "=", None, None)),
    ("inflation of 2.5pc", ("2.5pc", 2.5, None, "percent", "percent", "=", None, None)),
    ("a 64GB phone", ("64GB", 64.0, None, "measure", "gigabyte", "=", None, None)),
    ("a 2.4kHz tone", ("2.4kHz", 2.4, None, "measure", "kilohertz", "=", None, None)),
    ("a 50l tank", ("50l", 50.0, None, "measure", "litre", "=", None, None)),
    ("at 70 mph", ("70 mph", 70.0, None, "measure", "mile per hour", "=", None, None)),
    ("at 110 km/h", ("110 km/h", 110.0, None, "measure", "kilometre per hour", "=", None, None)),
    ("a 9.5 sq m room", ("9.5 sq m", 9.5, None, "measure", "square metre", "=", None, None)),
    ("1,750,000 metric tons of oil", ("1,750,000 metric tons", 1.75e6, None, "measure", "tonne", "=", None, None)),
    ("sales of RM300 million", ("RM300 million", 3e8, None, "money", "MYR", "=", None, None)),
    ("S$12bn in deposits", ("S$12bn", 12e9, None, "money", "SGD", "=", None, None)),
    ("HK$5 billion of bonds", ("HK$5 billion", 5e9, None, "money", "HKD", "=", None, None)),
    ("A$3m for the project", ("A$3m", 3e6, None, "money", "AUD", "=", None, None)),
    ("It cost £40.", ("£40", 40.0, None, "money", "GBP", "=", None, None)),
    ("It cost EUR 50.", ("EUR 50", 50.0, None, "money", "EUR", "=", None, None)),
    ("a 13,5 billion USD credit", ("13,5 billion USD", 13.5e9, None, "money", "USD", "=", None, None)),
    ("another 3 billions will be spent", ("3 billions", 3e9, None, "count", None, "=", None, None)),
    # dates, counted nouns
    ("We met at 2 p.m. on Jan. 12.", ("Jan. 12", 12.0, None, "date", "January", "=", None, None)),
    ("On April 7–8, he will visit.", ("April 7–8", 7.0, 8.0, "date", "April", "=", None, None)),
    ("The two Presidents will meet.", ("two", 2.0, None, "count", "president", "=", None, None)),
    ("the two countries’ leaders", ("two", 2.0, None, "count", "country", "=", None, None)),
    ("the twenty first century", ("twenty first", 21.0, None, "ordinal", None, "=", None, None)),
    # change: a level reached, from X to Y with the change word far before
    ("Output grew by 27%, reaching 1,750,000 tonnes.", ("27%", 27.0, None, "percent", "percent", "=", "up", "by")),
    ("51 percent more than during the same period of the past year",
     ("51 percent", 51.0, None, "percent", "percent", "=", "up", "by")),
])
def test_rule(text: str, expected: tuple[Any, ...]) -> None:
    got = first(text)
    assert got[0] == expected[0]
    assert got[1] == pytest.approx(expected[1]) if expected[1] is not None else got[1] is None
    assert got[2:] == expected[2:]


@pytest.mark.parametrize("text", [
    "the COVID-19 pandemic",
    "at the G20 summit",
    "Federal Law No. 44-FZ",
    "Resolution 2254 of the Security Council",
    "Article 5 of the treaty",
    "Call 8-800-200-34-11 now.",
    "The meeting began at 16:15.",
    "the Nord Stream 2 project",
    "Thank you, first of all, for coming.",
    "This is one of the priorities.",
    "the one who came",
    "No one believed it.",
    "blows come one after another",
    "one way or another",
    "First, we must win.",
    "Su-57 and S-400 systems",
    "a 5G network",
    "the One Belt, One Road initiative",
    "at first they refused",
    "The Boeing 737 and the iPhone 12 are popular.",
    "The S&P 500 fell.",
    "He lives at 12 Baker Street.",
    "We met at 2 p.m.",
    "It starts at 10 pm sharp.",
    "It spread at 12 noon.",
    "Call 8–800–200–4040 now.",
    "Questions go to 0–40–40.",
    "work on units 3 and 4 of the plant",
    "Resolutions 242 and 338 matter.",
    "amending Articles 25 and 56 of the law",
    "a one-on-one conversation",
    "",
])
def test_not_a_claim(text: str) -> None:
    assert [c.surface for c in extract_claims(text)] == []


def test_half_of_a_period_is_no_fraction() -> None:
    assert [(c.surface, c.kind) for c in extract_claims("in the first half of the year")] == [("first", "ordinal")]


def test_or_links_a_restated_figure_to_the_same_change() -> None:
    found = extract_claims("It went up by almost 9 percent, or 8.8 percent to be exact.")
    assert [(c.value, c.bound, c.change, c.change_type) for c in found] == [(9.0, "<~", "up", "by"),
                                                                            (8.8, "=", "up", "by")]


def test_unit_of_a_range_written_apart_is_carried_back() -> None:
    found = extract_claims("The rate was cut from 30 to 15 percent.")
    assert [(c.surface, c.kind, c.change, c.change_type) for c in found] == [
        ("30", "percent", "down", None), ("15 percent", "percent", "down", "to")]


def test_unit_passes_back_along_a_list() -> None:
    found = extract_claims("Prices went up by about three, four, may be five percent.")
    assert [(c.surface, c.kind, c.bound, c.change) for c in found] == [
        ("three", "percent", "~", "up"), ("four", "percent", "=", "up"), ("five percent", "percent", "=", "up")]


def test_from_to_is_a_change_with_both_levels() -> None:
    text = "The law reduces the share of currency earnings that exporters must sell on the domestic market of the " \
           "Russian Federation, from 50% to 30%."
    assert [(c.surface, c.change, c.change_type) for c in extract_claims(text)] == [
        ("50%", "down", None), ("30%", "down", "to")]
    assert [(c.surface, c.change) for c in extract_claims("There were from three to seven candidates.")] == [
        ("three", None), ("seven", None)]


def test_ends_of_different_scales_are_no_range() -> None:
    assert [c.surface for c in extract_claims("between $3 and $5 million")] == ["$3", "$5 million"]


def test_extract_claims_frame_has_the_claims_table_types() -> None:
    frame = kd.extract_claims("Trade grew by 4 percent to $66 billion.")
    assert frame.columns == list(TEXT_COLUMNS)
    expected = pl.from_arrow(to_table([], CLAIMS)).select(TEXT_COLUMNS).schema  # type: ignore[union-attr]
    assert frame.schema == expected
    assert frame.rows() == [tuple(getattr(c, name) for name in TEXT_COLUMNS)
                            for c in extract_claims("Trade grew by 4 percent to $66 billion.")]
    assert kd.extract_claims("no numbers").height == 0


def test_claims_of_keeps_the_key_columns_and_numbers_the_claims() -> None:
    frame = pl.DataFrame({"id": [7, 8, 9], "source": ["x", "y", "z"],
                          "text": ["It cost $2.5M and 3 percent.", None, "Nothing here."]})
    out = kd.claims_of(frame)
    assert out.columns == ["id", "source", "claim_n", *TEXT_COLUMNS]
    assert out.select("id", "source", "claim_n", "surface").rows() == [(7, "x", 1, "$2.5M"), (7, "x", 2, "3 percent")]
    assert kd.claims_of(frame, keys=["id"]).columns[:2] == ["id", "claim_n"]
    assert kd.claims_of(frame.rename({"text": "body"}), column="body").height == 2
    with pytest.raises(ValueError, match="no column 'text'"):
        kd.claims_of(frame.drop("text"))
    with pytest.raises(ValueError, match="unit"):
        kd.claims_of(frame.with_columns(unit=pl.lit("u")))


def test_sentence_is_the_one_holding_the_number() -> None:
    c = extract_claims("Trade grew. It reached US$17 billion, Mr President. Thank you.")[0]
    assert c.sentence == "It reached US$17 billion, Mr President."
    assert c.change is None


# ---- properties ------------------------------------------------------------------------------------------

PIECES = ["one", "One", "two", "twenty", "-", "five", "hundred", "and", "a", "half", "thousand", "million", "billion",
          "percent", "%", "times", "fold", "US$", "$", "€", "rubles", "tonnes", "km", "years", "day", "first", "30th",
          "about", "over", "almost", "up to", "at least", "by", "to", "from", "increased", "fell", "of", "the",
          "regions", "people", "2013", "1990s", "70,500", "4.5", "0", "12", "–", "or", ",", ".", ":", "\n", " ",
          "May", "August", "minus", "No.", "COVID-19", "G20", "dozens", "tens", "hundreds", "thirds", "doubled",
          "twice", "number", "5G", "60m", "’", "«", "(", "/", "x"]


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=200), st.lists(st.sampled_from(PIECES), max_size=40).map(" ".join),
                 st.lists(st.sampled_from(PIECES), max_size=40).map("".join)))
def test_spans_lie_inside_the_text_and_match_the_surface(text: str) -> None:
    found = extract_claims(text)
    for c in found:
        assert 0 <= c.char_start < c.char_end <= len(text)
        assert c.surface == text[c.char_start:c.char_end]
        assert c.kind in KINDS and c.bound in BOUNDS
        assert c.change in (None, "up", "down") and c.change_type in (None, "by", "to")
        assert c.sentence and c.sentence in text
        assert (c.value is None) == (c.kind == "vague")
        assert c.value is None or math.isfinite(c.value)
    assert [c.char_start for c in found] == sorted(c.char_start for c in found)
    assert all(a.char_end <= b.char_start for a, b in pairwise(found))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map(" ".join))
def test_claim_rows_fit_the_claims_table(text: str) -> None:
    turn = {"utterance_id": "e.u1", "event_id": "e", "speaker_id": "x", "speaker_name": "X", "text": text}
    rows = claim_rows(turn, dt.date(2020, 1, 1))
    assert [r["claim_id"] for r in rows] == [f"e.u1.c{n}" for n in range(1, len(rows) + 1)]
    assert to_table(rows, CLAIMS).num_rows == len(rows)


# The scanner is shaped for speed; it must find exactly what the plain pattern it stands for finds.
PLAIN_SCAN = re.compile(r"[0-9][0-9]*|[\s(“\"'‘«/–—-](?=[a-zA-Z])(?:"
                        + _trie(_STARTERS + [w.capitalize() for w in _STARTERS]) + r")(?:fold)?(?![A-Za-z])")
SCAN_PIECES = [*PIECES, "5one", "7Seven", "1twice", "\xa0", "\u2009", "\t", "“", "—", "Seventeen", "fivefold",
               "a hundred", "half an", "sixty-six", "tenth", "thousands", "Twenty"]


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.lists(st.sampled_from(SCAN_PIECES), max_size=40).map(" ".join),
                 st.lists(st.sampled_from(SCAN_PIECES), max_size=40).map("".join)))
def test_scan_finds_what_the_plain_pattern_finds(text: str) -> None:
    assert [m.span() for m in SCAN.finditer(text)] == [m.span() for m in PLAIN_SCAN.finditer(text)]


def test_scan_spells_out_every_space_character() -> None:
    assert "".join(ch for ch in map(chr, range(sys.maxunicode + 1)) if re.match(r"\s", ch)) == _SPACES


# ---- golden pages, hand-labelled ---------------------------------------------------------------------------

def golden_docs() -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(CLAIMS_GOLDEN.glob("*.expected.json"))]


def test_golden_files_are_well_formed() -> None:
    docs = golden_docs()
    assert len(docs) >= 8
    assert sum(d["held_out"] for d in docs) >= 2
    for doc in docs:
        for para in doc["paragraphs"]:
            for m in para["claims"]:
                assert m["char_end"] - m["char_start"] == len(m["surface"])
                assert m["kind"] in KINDS and m["bound"] in BOUNDS, (doc["page_id"], m)
                assert (m["value"] is None) == (m["kind"] == "vague"), (doc["page_id"], m)


def bench_module() -> ModuleType:
    return load_benchmark("bench_claims")


@pytest.mark.corpus
def test_golden_pages_meet_the_targets() -> None:
    need(SHARED_DATA / "text" / "pages")
    bench = bench_module()
    items = bench.load_golden(SHARED_DATA)
    assert len({key.split(":")[0] for key, _, _ in items}) == len(golden_docs())
    check_targets(bench.score(items, bench.ours), bench.SCORED_KINDS)


def check_targets(scores: dict[str, Any], kinds: tuple[str, ...]) -> None:
    """Issue 13's targets on the pooled kinds; each kind on its own at least 0.95."""
    for kind in kinds:
        s = scores[kind]
        assert s.precision >= 0.95 and s.recall >= 0.95, (kind, s.precision, s.recall, s.misses, s.false_hits)
        assert s.matched == s.overlapping, (kind, "a value differs on overlapping spans")
    pooled = scores["all"]
    assert pooled.precision >= 0.97 and pooled.recall >= 0.97, (pooled.precision, pooled.recall)
    assert pooled.share(pooled.unit) >= 0.95 and pooled.share(pooled.change) >= 0.95


def news_gold() -> dict[str, Any]:
    return json.loads((GOLDEN / "claims_news.expected.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_news_gold_is_well_formed_and_large_enough() -> None:
    doc = news_gold()
    assert len(doc["sentences"]) >= 300
    for item in doc["sentences"]:
        assert ("line" in item) != ("paragraph" in item)
        assert item["text_end"] - item["text_start"] >= len(item["start"])
        for m in item["claims"]:
            assert 0 <= m["char_start"] < m["char_end"] <= item["text_end"] - item["text_start"]
            assert m["char_end"] - m["char_start"] == len(m["surface"])
            assert m["kind"] in doc["labelled_kinds"] and m["bound"] in BOUNDS, m


@pytest.mark.corpus
def test_news_gold_meets_the_targets() -> None:
    need(SHARED_DATA / "text" / "other")
    bench = bench_module()
    items = bench.load_news_golden(SHARED_DATA)
    assert len(items) == len(news_gold()["sentences"])
    for _, sentence, gold in items:
        for m in gold:
            assert sentence[m["char_start"]:m["char_end"]] == m["surface"]
    check_targets(bench.score(items, bench.ours), bench.SCORED_KINDS)


@pytest.mark.corpus
def test_golden_paragraphs_still_read_from_shared() -> None:
    need(SHARED_DATA / "text" / "pages")
    for doc in golden_docs():
        lines = (SHARED_DATA / doc["source"]).read_text(encoding="utf-8").split("\n")
        for para in doc["paragraphs"]:
            text = lines[para["line"] - 1]
            assert text.startswith(para["start"])
            body = text[para["text_start"]:]
            for m in para["claims"]:
                assert body[m["char_start"]:m["char_end"]] == m["surface"]


@pytest.mark.corpus
def test_every_real_turn_gives_well_formed_claims() -> None:
    pages = sorted(need(SHARED_DATA / "text" / "pages").glob("*.txt")) + sorted(
        (SHARED_DATA / "text" / "other").glob("*.txt"))
    n_claims = 0
    for path in pages:
        for chunk in split_pages(decode_text(read_bytes(path)).text):
            if not chunk.is_page:
                continue
            event, turns = page_rows(parse_lines(chunk.lines, str(path), chunk.first_line))
            for turn in turns:
                for row in claim_rows(turn, event["date"]):
                    assert turn["text"][row["char_start"]:row["char_end"]] == row["surface"], (path, row)
                    assert row["sentence"] in turn["text"]
                    n_claims += 1
    assert n_claims > 25000


def _table_as_claim_rows_give_it(paths: list[str]) -> None:
    """The build's claims_table of parsed turns holds exactly the rows claim_rows gives turn by turn."""
    chunk = parse_files(paths, claims=False)
    table, per_event = claims_table(chunk.utterances, chunk.events)
    turns = chunk.utterances.to_pylist()
    rows: list[dict[str, Any]] = []
    expected_per_event = []
    at = 0
    for event in chunk.events.to_pylist():
        n_rows = len(rows)
        for turn in turns[at:at + event["n_utterances"]]:
            rows += claim_rows(turn, event["date"])
        at += event["n_utterances"]
        expected_per_event.append(len(rows) - n_rows)
    assert rows, "no claims at all: the comparison would prove nothing"
    assert table.equals(to_table(rows, CLAIMS))
    assert per_event == expected_per_event
    # the build's forked workers find the candidates with Python's re instead of polars: the same rows
    assert claims_table(chunk.utterances, chunk.events, use_polars=False) == (table, per_event)


def test_claims_table_gives_the_rows_of_claim_rows() -> None:
    _table_as_claim_rows_give_it([str(sample_path())])


@pytest.mark.corpus
def test_claims_table_gives_the_rows_of_claim_rows_on_the_text_pages() -> None:
    # every third page (465 pages, ~10,000 claims): the rules over every page are checked by the digests below;
    # this checks only how the table is put together, and all pages would add a minute to the suite
    pages = sorted(need(SHARED_DATA / "text" / "pages").glob("*.txt"))[::3]
    _table_as_claim_rows_give_it([str(p) for p in pages])


CORPUS_DIGESTS = GOLDEN / "claims_corpus.expected.json"


@pytest.mark.corpus
def test_claims_of_every_text_page_are_unchanged(update_golden: bool) -> None:
    """Every claim of every text page's whole text, against a digest per page.

    The pages are read as they are, not through the parser, so only a change to the claim rules shows here. A
    change that alters any claim fails, naming the pages: run with --update-golden only when the change is
    meant, after reading what changed.
    """
    pages = sorted(need(SHARED_DATA / "text" / "pages").glob("*.txt")) + sorted(
        (SHARED_DATA / "text" / "other").glob("*.txt"))
    digests: dict[str, list[Any]] = {}
    for path in pages:
        fields = _claim_fields(path.read_text(encoding="utf-8"))
        blob = json.dumps(fields, ensure_ascii=False).encode()
        digests[f"{path.parent.name}/{path.stem}"] = [len(fields), hashlib.sha256(blob).hexdigest()[:16]]
    assert sum(n for n, _ in digests.values()) > 40000
    if update_golden:
        lines = (f"{json.dumps(k)}: {json.dumps(v)}" for k, v in sorted(digests.items()))
        CORPUS_DIGESTS.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")
    expected = json.loads(CORPUS_DIGESTS.read_text(encoding="utf-8"))
    changed = sorted(k for k in digests.keys() | expected.keys() if digests.get(k) != expected.get(k))
    assert not changed, f"claims changed on {len(changed)} pages, e.g. {changed[:10]}"


@settings(max_examples=300, deadline=None)
@example("one \xa0 tenth")  # a no-break space before a fraction word once raised KeyError in the scan
@given(st.one_of(st.lists(st.sampled_from(SCAN_PIECES), max_size=40).map(" ".join),
                 st.lists(st.sampled_from(SCAN_PIECES), max_size=40).map("".join), st.text(max_size=100)))
def test_candidates_cover_every_scan_start(text: str) -> None:
    # claims_of finds candidates with polars' regex engine and tries the scan only there: same claims
    assert claim_fields_many([text]) == [_claim_fields(text)]


def test_readme_claims_examples_run() -> None:
    """The README's claims section shows the public API as doctests; they must pass as written."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Numeric claims"):readme.index("## Tags and topics")]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert blocks, "the claims section must show the API in a python block"
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for n, block in enumerate(blocks):
        runner.run(parser.get_doctest(block, {}, f"README claims block {n}", "README.md", 0))
    result = runner.summarize(verbose=False)
    assert result.attempted >= 4 and result.failed == 0, result


# ---- the shortcuts taken for speed: each must give what the full path gives ----------------------------------
TAILS = (RANGE, SCALE_RE, UNIT_RE, MEASURE_RE)
# What may follow a tail's first word in the four patterns (the second word of "per cent", "Swiss franc", "miles per
# hour", "kilowatt-hours", "sq. m", a plural's s, a look-ahead's "will"), and plain endings.
AFTER_FIRST_WORD = ["", " ", ".", ",", " 5", "5", "s", "s will", " cent", " franc", " dollars", " sterling", " hour",
                    " per hour", " an hour", "-hours", " hours", " tons", " tonnes", " metres", "/h", " m", ". m", ".m",
                    " points", " of", " the"]


def test_tail_words_hold_every_word_a_range_scale_unit_or_measure_starts_with() -> None:
    # every run of letters the four patterns spell, joined as their optional parts join them, and common words
    spelled = set(re.findall(r"[A-Za-z]+", " ".join(p.pattern for p in TAILS)))
    words = spelled | {a + b for a in spelled for b in ("s", "es", "me", "mes", "re", "res", "er", "ers", "y", "ies")}
    words |= {"regions", "people", "of", "the", "new", "more", "such", "in", "is", "kilometre", "kilometers"}
    outside = sorted(w for w in words if w.lower() not in TAIL_WORDS)
    assert len(outside) > 300, "the check would test too few words"
    for word in outside:
        for cased in {word, word.lower(), word.capitalize(), word.upper()}:
            for after in AFTER_FIRST_WORD:
                text = " " + cased + after
                assert NEXT_WORD.match(text)
                hit = [p.pattern[:30] for p in TAILS if p.match(text)]
                assert not hit, (text, hit)


def _text_pages() -> Iterator[tuple[Path, str]]:
    """Each of the 1,645 text pages (../shared) and its text; skips with a message where they are absent."""
    pages = sorted(need(SHARED_DATA / "text" / "pages").glob("*.txt")) + sorted(
        (SHARED_DATA / "text" / "other").glob("*.txt"))
    for path in pages:
        yield path, path.read_text(encoding="utf-8")


@pytest.mark.corpus
def test_tail_words_hold_every_word_after_a_number_on_the_text_pages() -> None:
    """After each number on every text page: a next word outside TAIL_WORDS starts no range, scale, unit or measure."""
    after_number = re.compile(r"(?:[0-9]|\b(?:" + _CARD + r"|half|a half|a third|a quarter))(?= [A-Za-z])", re.I)
    checked = 0
    for path, text in _text_pages():
        for m in after_number.finditer(text):
            word = NEXT_WORD.match(text, m.end())
            assert word is not None
            if word.group(1).lower() not in TAIL_WORDS:
                checked += 1
                assert not any(p.match(text, m.end()) for p in TAILS), (path.name, text[m.start():m.end() + 40])
    assert checked > 10000


# What may stand before the word before a number: words of the bounds and prepositions, signs, a full stop.
BEFORE_PREV_WORD = ["", " ", "the ", "just ", "not ", "no ", "a ", "as ", "in ", "well ", "close ", "up ", "more ",
                    "less ", "by ", "from ", "US$", "$", ". ", "Mr ", "and "]


def _left_words() -> set[str]:
    phrases = "|".join([*(alts for _, alts in _BOUNDS), "by|to|from|between|of|as|low|high|minus", _IDENT_WORDS,
                        "|".join(_MONTHS), "USD|EUR|RUB|CNY|GBP|JPY|CHF|INR|RM|US|HK|NZ"])
    words = {w for ph in phrases.split("|") for w in ph.split()}
    words |= {w[:-1] for w in words if len(w) > 2} | {w + "s" for w in words}
    return words | {"regions", "people", "Boeing", "Nord", "Stream", "Terminal", "some", "About", "Over", "Jan", "Sept"}


def test_words_before_a_number_that_skip_the_left_context_patterns() -> None:
    """A word outside LEFT_WORDS (IDENT_WORDS, MONTH_WORDS) before a number: `LEFT` (`IDENT`, `MONTH_BEFORE`)
    matches nothing there; after a word in lower case `NAME_BEFORE` does not match."""
    checked = 0
    for word in sorted(_left_words()):
        for cased in {word, word.lower(), word.capitalize(), word.upper()}:
            for before in BEFORE_PREV_WORD:
                raw_rev = (before + cased + " ")[::-1]
                found = PREV_WORD.match(raw_rev)
                assert found and found.group(1) == cased[::-1]
                if found.group(1).lower() not in LEFT_WORDS:
                    left = LEFT.match(raw_rev.lower())
                    assert left and left.end() == 0, (before, cased)
                    checked += 1
                if found.group(1) not in IDENT_WORDS:
                    assert not IDENT.match(raw_rev), (before, cased)
                if found.group(1) not in MONTH_WORDS:
                    assert not MONTH_BEFORE.match(raw_rev), (before, cased)
                if found.group(1).islower():
                    assert not NAME_BEFORE.match(raw_rev), (before, cased)
    assert checked > 2000


@pytest.mark.corpus
def test_words_before_every_number_of_the_text_pages_skip_what_they_may() -> None:
    word_number = re.compile(r"[A-Za-z] (?=[0-9]|(?:" + _CARD + r")\b)", re.I)
    checked = 0
    for path, text in _text_pages():
        for m in word_number.finditer(text):
            raw_rev = text[max(0, m.end() - 40):m.end()][::-1]
            found = PREV_WORD.match(raw_rev)
            assert found is not None
            word = found.group(1)
            where = (path.name, text[m.start() - 30:m.end() + 10])
            if word.lower() not in LEFT_WORDS:
                left = LEFT.match(raw_rev.lower())
                assert left and left.end() == 0, where
                checked += 1
            assert word in IDENT_WORDS or not IDENT.match(raw_rev), where
            assert word in MONTH_WORDS or not MONTH_BEFORE.match(raw_rev), where
            assert not word.islower() or not NAME_BEFORE.match(raw_rev), where
    assert checked > 20000


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab A1.!?…\"')] \n\t\xa0", max_size=60), st.integers(0, 60))
def test_sentence_split_finds_what_its_plain_form_finds(text: str, pos: int) -> None:
    # written with a plain character set first so that `re` searches fast; `[.!?…]+` is what it stands for
    plain = re.compile(r"[.!?…]+[\"'”’)\]]*\s+(?=[^\sa-z0-9])")
    found, expected = SENTENCE_SPLIT.search(text, pos), plain.search(text, pos)
    assert (found and found.span()) == (expected and expected.span())


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.lists(st.sampled_from(SCAN_PIECES), max_size=5).map(" ".join), st.text(max_size=20)))
def test_scan_word_starts_only_with_its_first_letters(text: str) -> None:
    # `_claim_fields` tries `SCAN_WORD` at a text's start only when its first letter is one of these
    assert not SCAN_WORD.match(text) or text[0] in SCAN_WORD_FIRST


def test_scan_word_first_letters_are_those_of_the_number_words() -> None:
    words = [*_STARTERS, *(w.capitalize() for w in _STARTERS)]
    assert all(SCAN_WORD.match(w + " ") for w in words)
    assert {w[0] for w in words} == SCAN_WORD_FIRST


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([" ", "\xa0", "\u2009", "\n", ",", "-", "–", "5", "12", "or", "more", "less", "so", "a",
                                 "few", "thousand", "x", "-a", ".", "A"]), max_size=12).map("".join))
def test_patterns_after_a_number_need_the_character_their_pretest_asks(text: str) -> None:
    # `_finish` and `_digits_claim` try these only where that character stands after the number
    assert not AFTER_BOUND.match(text) or text[:1].isspace()
    assert not DECIMAL_COMMA.match(text) or text.startswith(",")
    assert not HYPHEN_WORD.match(text) or text.startswith("-")

# The plain form of `CHANGE`: every growth or fall word between word boundaries, up before down.
_PLAIN_CHANGE = re.compile(r"\b(?:" + "|".join(f"(?P<{d}>" + "|".join(ws) + ")" for d, ws in _CHANGE_WORDS.items())
                           + r")\b")


def _change_near_plain(text: str, sent_start: int, left: int, start: int, right: int, window: int) -> str | None:
    """`change_near` as it was written before `CHANGE` read the character before a word: the plain pattern
    over the lowered window."""
    from kremlin_data.claim_words import CHANGE_AFTER

    after = CHANGE_AFTER.match(text, right)
    if after:
        return "up" if after.group("up") else "down"
    w0 = max(sent_start, left - window)
    direction = None
    for m in _PLAIN_CHANGE.finditer(text[w0:start + 1].lower()):
        if m.end() <= left - w0:
            direction = m.lastgroup
    return direction


_CHANGE_PIECES = ["rose", "up", "by", "from", "5", "went", "fell", "cut", "cuts", "lower", "Down", "increased",
                  "GREW", "gone", " ", "  ", "\xa0", "-", ".", "—", "x", "ΣΑ", "İ", "é", "_", "’", "\n", "of",
                  "growth", "lost", "jumped", "reduction", "3", "percent", "than", "previous"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_CHANGE_PIECES), max_size=30).map("".join), st.data())
def test_change_near_finds_what_the_plain_change_pattern_finds(text: str, data: st.DataObject) -> None:
    # windows cut anywhere: inside a word, at a space, with a word of the window's first letters just before it
    if not text:
        return
    start = data.draw(st.integers(0, len(text) - 1))
    left = data.draw(st.integers(0, start))
    sent_start = data.draw(st.integers(0, left))
    right = data.draw(st.integers(start, len(text)))
    window = data.draw(st.sampled_from([0, 1, 3, 7, 90]))
    assert (change_near(text, sent_start, left, start, right, window)
            == _change_near_plain(text, sent_start, left, start, right, window))


@pytest.mark.parametrize("text", ["érose 5", "_rose 5", "x—rose by 5", "ΣΑrose 5", "İrose 5", "went up 5 up by 6",
                                  "prorose 5", "it\xa0fell—5", "gone\ndown by 5", "Growth of 5", "cutrose 5"])
def test_change_near_finds_what_the_plain_change_pattern_finds_in_every_window(text: str) -> None:
    # every window of a few short texts: its start inside a word, after a letter, a mark or an underscore
    for start in range(len(text)):
        for left in range(start + 1):
            for sent_start in range(left + 1):
                for window in (0, 1, 3, 90):
                    args = (text, sent_start, left, start, len(text), window)
                    assert change_near(*args) == _change_near_plain(*args), args



@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([*_CARD.split("|"), "Seven", "TEEN", "ty", " ", "-", " and ", "a", " half", "x",
                                 "s"]), max_size=12).map("".join))
def test_word_runs_are_read_as_by_the_plain_alternation(text: str) -> None:
    # `_WORDSEQ` spells the number words as a trie; the plain alternation, longest word first, is what it stands for
    plain = re.compile(rf"(?:{_CARD})(?:(?:[ -]|\s+and\s+)(?:{_CARD}))*(?:\s+and\s+a\s+half)?(?![A-Za-z])", re.I)
    for pos in range(len(text) + 1):
        found, expected = _WORDSEQ.match(text, pos), plain.match(text, pos)
        assert (found and found.span()) == (expected and expected.span())


_AFTER_WORDS = ["increase", "growth", "rise", "gain", "jump", "more", "higher", "up", "decrease", "decline", "drop",
                "fall", "reduction", "less", "lower", "down"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([*_AFTER_WORDS, *(w.upper() for w in _AFTER_WORDS), " than", " last", " 2019", " ",
                                 "\xa0", "\t", "x", "I", "ı", "K", "s", "5", ".", "-"]), max_size=8).map("".join))
def test_change_after_needs_a_space_and_no_character_of_no_change_after(text: str) -> None:
    # `change_near` tries `CHANGE_AFTER` only where a space stands after the number, then no such character
    if CHANGE_AFTER.match(text):
        assert text[:1].isspace() and text[1:2] not in NO_CHANGE_AFTER


def test_change_after_words_start_with_no_character_of_no_change_after() -> None:
    for word in _AFTER_WORDS:
        for written in (word, word.upper(), word.capitalize()):
            assert CHANGE_AFTER.match(f" {written} than last year"), written
            assert written[0] not in NO_CHANGE_AFTER
    # the words above are all the pattern's (its look-aheads taken out; `s` and `b` of `\s` and `\b`, the groups' names)
    assert sorted(re.findall(r"[a-z]+", CHANGE_AFTER.pattern.replace(_THAN_BEFORE, ""))) == sorted(
        [*_AFTER_WORDS, "s", "b", "up", "down"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["12", "070", "5", ",", "500", ".", "3", "٣", "²", " ", "x", "th", "s"]), max_size=8)
       .map("".join))
def test_a_digit_run_is_read_whole_where_no_comma_point_or_digit_follows(text: str) -> None:
    # `_digits_claim` reads a run of 0-9 as the number without `DIGITS` unless `,`, `.` or a `\d` digit follows it
    for m in re.finditer("[0-9]+", text):
        after = text[m.end():m.end() + 1]
        if not (after in (",", ".") or after.isdecimal()):
            assert DIGITS.match(text, m.start()).span() == m.span()  # type: ignore[union-attr]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" aZ1.\xa0é-", max_size=8))
def test_prev_word_needs_a_space_and_an_ascii_letter_first(raw_rev: str) -> None:
    # `_claim_at` tries `PREV_WORD` only there
    assert not PREV_WORD.match(raw_rev) or (raw_rev[0] == " " and raw_rev[1] in _LETTERS)


# ---- from the audit of the day files' claims (README, Numeric claims: a sample of 306, seed 20261130) ----------
@pytest.mark.parametrize("text", [
    "For that reason, we should first solve the problem with hazardous housing.",
    "Vladimir Vladimirovich, I first want to join my colleague from Shest so",
    "You know, first, I believe we should broadly expand our trade and economic ties.",
    "This means that, first, these Forces now have s",
    "And second, we will help other countries.",
    "I do not believe anything illegal was committed.\nAnd, third, we have repeatedly suggested",
    "a reduction in geopolitical tension; second, the implementation of reform",
])
def test_list_marks_and_the_adverb_first_are_no_ordinals(text: str) -> None:
    assert [c.surface for c in extract_claims(text)] == []


@pytest.mark.parametrize("text, expected", [
    ("were KAMAZ trucks, which came in first, third, fourth and fifth.", ["first", "third", "fourth", "fifth"]),
    ("we made it to first, second and third place,", ["first", "second", "third"]),
    ("The first, of course, is social protection.", ["first"]),
    ("Mr Gerasimov, which years were you First Deputy Chief of the General Staff?", ["First"]),
    ("It ranks second.", ["second"]),
])
def test_ranks_before_a_comma_stay_ordinals(text: str, expected: list[str]) -> None:
    assert [(c.surface, c.kind) for c in extract_claims(text)] == [(s, "ordinal") for s in expected]


@pytest.mark.parametrize("text, unit", [
    ("Dozens of Indian companies are also actively doing business in Russia.", "company"),
    ("The project is to create tens of thousands of new jobs.", "job"),
    ("There are dozens of federal target programmes", "programme"),
    ("the quality of life of millions of our citizens", "citizen"),
    ("Pension reform indeed concerns millions of Russians, both those who", "russian"),  # as a count has it
    ("We invested billions of dollars in the construction", "USD"),
])
def test_a_vague_amount_counts_the_noun_a_count_would(text: str, unit: str) -> None:
    assert [(c.kind, c.unit) for c in extract_claims(text)] == [("vague", unit)]


@pytest.mark.parametrize("text, expected", [
    ("Especially if one considers the problems the world economy faces today.", []),
    ("Again, one wonders why.", []),
    ("mutual respect of one another’s interests and equal rights", []),
    ("There are 22 major power lines.\nOnly one facility remains to be commissioned",
     [("22", "line"), ("one", "facility")]),
    ("Reckless speculation of bankers in one country reverberates on the floor of the exchange",
     [("one", "country")]),
    ("there is practically no task that can be resolved using one country’s resources alone",
     [("one", "country")]),
])
def test_one_before_a_verb_is_a_pronoun_or_counts_the_noun_before_the_verb(text: str, expected: list[Any]) -> None:
    assert [(c.surface, c.unit) for c in extract_claims(text)] == expected


@pytest.mark.parametrize("text, bound", [
    ("Over 2005–2014, an enormous amount of research was carried out.", "="),
    ("This is an increase of 37.5% over 2005.", "="),
    ("that is, beyond 2024, and already now outline the nationwide objectives", ">"),
])
def test_over_a_year_is_during_or_against_it_not_more_than(text: str, bound: str) -> None:
    assert [(c.kind, c.bound) for c in extract_claims(text) if c.kind == "year"] == [("year", bound)]


@pytest.mark.parametrize("text, expected", [
    ("If a third baby is born within the term of the subsidy", [("third", "ordinal", 3.0)]),
    ("paying benefits to families raising a third child has already been announced", [("third", "ordinal", 3.0)]),
    ("In my opinion a third important task is to pursue", [("third", "ordinal", 3.0)]),
    ("One more vaccine, a third one, is undergoing final tests", [("One", "count", 1.0), ("third", "ordinal", 3.0)]),
    ("it has gone up by a third recently.", [("a third", "fraction", 1 / 3)]),
    ("Latvia received in 2006 was about a third cheaper", [("2006", "year", 2006.0), ("a third", "fraction", 1 / 3)]),
    ("Of these, a third are registered under the", [("a third", "fraction", 1 / 3)]),
])
def test_a_third_before_a_singular_noun_is_a_rank(text: str, expected: list[Any]) -> None:
    assert [(c.surface, c.kind, c.value) for c in extract_claims(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("But of course, what happened in the last year and a half happened very swiftly.",
     [("year and a half", "duration", 1.5, "year", "=")]),
    ("The state corporation RUSNANO has been active for nearly a year and a half.",
     [("a year and a half", "duration", 1.5, "year", "<~")]),
    ("I queued for an hour and a half.", [("an hour and a half", "duration", 1.5, "hour", "=")]),
])
def test_a_unit_of_time_and_a_half_is_one_and_a_half_of_it(text: str, expected: list[Any]) -> None:
    assert [(c.surface, c.kind, c.value, c.unit, c.bound) for c in extract_claims(text)] == expected


@pytest.mark.parametrize("text", ["three year and a half", "in one year and a half", "two year and a half ago"])
def test_a_unit_of_time_and_a_half_never_overlaps_the_claim_before_it(text: str) -> None:
    spans = [(c.char_start, c.char_end) for c in extract_claims(text)]
    assert spans and all(end <= start for (_, end), (start, _) in pairwise(spans))


@pytest.mark.parametrize("text, unit", [
    ("It also included automobiles and 88 buses.", "bus"),
    ("Currently, we have already provided housing for 33,000 servicemen and are now commissioning", "serviceman"),
    ("In addition we have conducted over 60 special situational analyses around Russia", "analysis"),
    ("These two theses, I think, are the most important for democratic society", "thesis"),
    ("terror claimed thousands of human lives in New York", "life"),
    ("We have built 113 new houses.", "house"),
])
def test_plurals_the_regular_rules_miss(text: str, unit: str) -> None:
    assert [c.unit for c in extract_claims(text)] == [unit]


@pytest.mark.parametrize("text, expected", [
    ("the Russian-sponsored Security Council resolution 1566 strengthens the UN role", []),
    ("We have met the target that we have set to do away with grade 2 and 3 fuel.", []),
    ("We introduced these tougher registration rules in the first place in order to fight crime", []),
    ("Moscow will be in the first place among the world cities", [("first", "ordinal", None, "=", None, None)]),
    ("And they were destroyed within 90 seconds after the blast.", [("90 seconds", "duration", "second", "=", None,
                                                                    None)]),
    ("I believe that it will grow up to 100 percent.", [("100 percent", "percent", "percent", "=", "up", "to")]),
])
def test_names_idioms_seconds_and_growing_up_to(text: str, expected: list[Any]) -> None:
    assert [(c.surface, c.kind, c.unit, c.bound, c.change, c.change_type) for c in extract_claims(text)] == expected
