"""text_file.py: the date of a day file's name."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePath

from hypothesis import given, settings
from hypothesis import strategies as st

from kremlin_data.text_file import date_from_name


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["/", ".", "..", "2017-04-19.txt.gz", "2017-02-30.txt", "content", "15240.txt", "",
                                 "2020-08-01"]), max_size=5))
def test_the_date_of_a_file_name_is_read_as_a_path_object_reads_it(pieces: list[str]) -> None:
    path = "".join(pieces)
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})(?:\.|$)", PurePath(path).name)
    try:
        expected = dt.date(int(m[1]), int(m[2]), int(m[3])) if m else None
    except ValueError:
        expected = None
    assert date_from_name(path) == expected
