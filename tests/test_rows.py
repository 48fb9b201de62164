"""rows.py: the shortcuts of `page_rows` give what the code they stand for gives."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from kremlin_data.rows import _AskedNames, _speaker, _speaker_with, yyyymmdd
from kremlin_data.speakers import split_label

# Words that reach every way `split_label` splits: roles, connectors, particles, initials, capitals, commas.
_WORDS = ["Vladimir", "Putin", "Ella", "Pamfilova", "President", "of", "Russia", "the", "Chairperson", "Commission",
          "Head", "Deputy", "bin", "Salman", "Al", "Saud", "A.", "V.", "MAGOMETOV", "RECTOR", "Governor", "Region",
          "Moscow", "Minister", "Question", "Remark", "from", "and", "Sergei", "Ignatyev", "Central", "Bank",
          "chairman", "VladimirPutin"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=9), st.lists(st.booleans(), max_size=9),
       st.lists(st.tuples(st.integers(0, 9), st.integers(1, 9)), max_size=4),
       st.lists(st.sampled_from(_WORDS), max_size=3))
def test_a_speaker_read_before_stands_where_the_names_answer_alike(
        words: list[str], commas: list[bool], spans: list[tuple[int, int]], other: list[str]) -> None:
    label = " ".join(w + ("," if k < len(commas) and commas[k] and k < len(words) - 1 else "")
                     for k, w in enumerate(words))
    # Known names: pieces of the label itself (what the page's own labels and tags give), and a stray one.
    known = {" ".join(words[a:a + n]) for a, n in spans if words[a:a + n]} | ({" ".join(other)} if other else set())
    for names in (known, set(), {label}, {label.partition(", ")[0]}, known):
        assert _speaker(label, names) == _speaker_with(label, names)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=9),
       st.lists(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=4), max_size=4))
def test_split_label_only_asks_whether_a_name_is_known(words: list[str], names: list[list[str]]) -> None:
    # The recorder `_speaker` hands to split_label answers `in` and nothing else (no iteration, no len): the split
    # it gives is the one of the plain set, and it recorded every question with the set's answer.
    label = " ".join(words)
    known = {" ".join(n) for n in names}
    asked = _AskedNames(known)
    assert split_label(label, asked) == split_label(label, known)
    assert asked.answers == [name in known for name in asked.asked]
    assert not hasattr(asked, "__iter__") and not hasattr(asked, "__len__")


@given(st.dates())
def test_the_day_of_an_id_is_strftimes(day: dt.date) -> None:
    assert yyyymmdd(day) == day.strftime("%Y%m%d")
