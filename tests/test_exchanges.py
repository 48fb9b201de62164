"""The exchanges table: who asks (outlet or place, type), who answers, words, claims and topics per question."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kremlin_data as kd
from kremlin_data.exchanges import _SENTENCE_END, asker_from, asker_type, askers, exchanges, known_askers
from kremlin_data.schema import EXCHANGES


@pytest.mark.parametrize("label, kind, text, expected", [
    ("Question from Perm Territory", "question", "Why are towns dying?", "Perm Territory"),
    ("Question from the French newspaper Le Figaro", "question", "Will you go?", "French newspaper Le Figaro"),
    ("Valery Sanfirov", "named", "Hello, Mr President. Valery Sanfirov, Mayak radio station.\nWhy?",
     "Mayak radio station"),
    ("Konstantin Panyushkin", "named", "Thank you.\nGood afternoon, Mr President. Konstantin Panyushkin, Channel One.",
     "Channel One"),
    ("Pavel Zarubin", "named", "Rossiya TV channel.\nI would like to expand on a topic.", "Rossiya TV channel"),
    ("Maria Balyuk", "named", "My name is Maria Balyuk, I represent the Prime news agency. Will taxes rise?",
     "Prime news agency"),
    ("Matvei Shestakov", "named", "Hello. I am Matvei Shestakov from TV Centre TV company.", "TV Centre TV company"),
    ("Alyona Ostaltsova", "named", "My name is Alyona Ostaltsova, and I am calling from the city of Shelekhov, "
     "Irkutsk Region.", "city of Shelekhov"),
    ("Question", "question", "Mr President, will the economy grow next year?", None),
    # A name-and-comma opening that is not the asker's own name is not an outlet.
    ("Megyn Kelly", "named", "President Putin, you have repeatedly denied it.", None),
])
def test_asker_from(label: str, kind: str, text: str, expected: str | None) -> None:
    assert asker_from(label, kind, text) == expected


@pytest.mark.parametrize("kind, role, outlet, expected", [
    ("named", "Governor of Tula Region", None, "official"),
    ("named", "President of Russia", None, "official"),
    ("named", None, "Channel One", "journalist"),
    ("named", "Editor-in-chief of Kommersant", None, "journalist"),
    ("named", None, None, "citizen"),
    ("question", None, None, "unnamed"),
    ("question", None, "Perm Territory", "journalist"),
])
def test_asker_type(kind: str, role: str | None, outlet: str | None, expected: str) -> None:
    assert asker_type(kind, role, outlet) == expected


def utterance(seq: int, who: str | None, kind: str, words: int, reply_to: int | None, asks: bool,
              role: str | None = None) -> dict[str, Any]:
    return {"utterance_id": f"e.u{seq}", "event_id": "e", "seq": seq, "speaker_id": who, "kind": kind,
            "speaker_label": who or kind.title(), "speaker_role": role, "text": "x " * words, "n_words": words,
            "reply_to": f"e.u{reply_to}" if reply_to else None, "is_question": asks}


def test_exchanges_of_a_small_page() -> None:
    u = pl.DataFrame([
        utterance(1, "dmitry-peskov", "named", 3, None, True, "Press Secretary"),  # hand-over
        utterance(2, "anna-ivanova", "named", 30, 1, True),                        # a question taking the floor
        utterance(3, "vladimir-putin", "named", 200, 2, False, "President of Russia"),
        utterance(4, None, "question", 40, None, True),                            # asked of two leaders
        utterance(5, "vladimir-putin", "named", 50, 4, False),
        utterance(6, "angela-merkel", "named", 70, 4, False),
        utterance(7, None, "question", 20, None, True),                            # never answered
    ])
    claims = pl.DataFrame({"utterance_id": ["e.u3", "e.u3", "e.u6", "e.u2"]})
    topics = pl.DataFrame({"utterance_id": ["e.u2", "e.u3", "e.u6", "e.u6"], "topic_id": [4, 7, 9, 2],
                           "rank": [1, 1, 1, 2]}, schema_overrides={"topic_id": pl.Int32, "rank": pl.Int8})
    x = pl.DataFrame(exchanges(u, claims, topics))
    assert x.columns == list(EXCHANGES.columns)
    assert x["question_id"].to_list() == ["e.u2", "e.u4"]  # the hand-over's reply asks, so it is no exchange
    assert x["answer_id"].to_list() == ["e.u3", "e.u5"]
    assert x["n_answers"].to_list() == [1, 2]
    assert x["words_asked"].to_list() == [30, 40]
    assert x["words_answered"].to_list() == [200, 120]
    assert x["n_claims"].to_list() == [2, 1]  # claims of the answers, not of the question
    assert x["topic_id"].to_list() == [4, None]
    assert x["answer_topic_id"].to_list() == [7, 9]  # the longest answer's topic
    assert x["asker_type"].to_list() == ["citizen", "unnamed"]


def test_exchanges_in_the_sample_build(sample_build: Path) -> None:
    x = kd.load_exchanges(sample_build)
    u = kd.load_utterances(sample_build)
    assert x.height > 0
    asked = u.filter(pl.col("utterance_id").is_in(x["question_id"].implode()))
    assert asked["is_question"].all() and asked.height == x.height
    answered = u.filter(pl.col("utterance_id").is_in(x["answer_id"].implode()))
    assert (answered["reply_to"].to_list() == x["question_id"].to_list())


def test_a_rebuild_reuses_the_asker_of_unchanged_questions_only() -> None:
    def turns(text_of_4: str, label_of_2: str = "Anna Ivanova") -> pl.DataFrame:
        rows = [utterance(2, "anna-ivanova", "named", 30, None, True),
                utterance(3, "vladimir-putin", "named", 200, 2, False),
                utterance(4, None, "question", 40, None, True),
                utterance(5, "vladimir-putin", "named", 50, 4, False)]
        rows[0]["speaker_label"] = label_of_2
        rows[2]["text"] = text_of_4
        return pl.DataFrame(rows)

    before = turns("I represent the Prime news agency. Will taxes rise?")
    no_claims = pl.DataFrame({"utterance_id": []}, schema={"utterance_id": pl.String})
    no_topics = pl.DataFrame(schema={"utterance_id": pl.String, "topic_id": pl.Int32, "rank": pl.Int8})
    first = pl.DataFrame(exchanges(before, no_claims, no_topics))
    assert first["asker_from"].to_list() == [None, "Prime news agency"]
    # The earlier build's value stands in for the patterns: shown by planting one they would not give.
    planted = first.with_columns(pl.Series("asker_from", ["Planted", "Planted too"]))
    known = known_askers(before, before, planted)
    assert pl.DataFrame(exchanges(before, no_claims, no_topics, known))["asker_from"].to_list() == ["Planted",
                                                                                                    "Planted too"]
    # A question whose text or label changed is computed again.
    after = turns("I represent the Mayak radio station. Will taxes rise?", label_of_2="Anna Petrova")
    known = known_askers(after, before, planted)
    assert known.height == 0
    assert pl.DataFrame(exchanges(after, no_claims, no_topics, known))["asker_from"].to_list() == [
        None, "Mayak radio station"]


def test_askers_are_the_asker_from_of_the_exchanges() -> None:
    u = pl.DataFrame([
        utterance(1, "anna-ivanova", "named", 30, None, True),
        utterance(2, "vladimir-putin", "named", 200, 1, False),
        utterance(3, None, "question", 40, None, True),
        utterance(4, "vladimir-putin", "named", 50, 3, False),
        utterance(5, None, "question", 20, None, True),  # never answered: not in exchanges, not computed
    ]).with_columns(pl.when(pl.col("seq") == 3).then(pl.lit("I represent the Prime news agency. Why?"))
                    .otherwise(pl.col("text")).alias("text"))
    no_claims = pl.DataFrame({"utterance_id": []}, schema={"utterance_id": pl.String})
    no_topics = pl.DataFrame(schema={"utterance_id": pl.String, "topic_id": pl.Int32, "rank": pl.Int8})
    found = askers(u)
    assert found.rows() == [("e.u1", None), ("e.u3", "Prime news agency")]
    assert pl.DataFrame(exchanges(u, no_claims, no_topics, found)).equals(pl.DataFrame(exchanges(u, no_claims,
                                                                                                 no_topics)))


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=".!?… \n\t\u2009\u3000aZ,:", max_size=40), st.integers(0, 5))
def test_the_sentence_cut_is_the_look_behind_pattern(text: str, maxsplit: int) -> None:
    plain = re.compile(r"(?<=[.!?])\s+|\n")
    assert _SENTENCE_END.split(text, maxsplit=maxsplit) == plain.split(text, maxsplit=maxsplit)
    assert [m.span() for m in _SENTENCE_END.finditer(text)] == [m.span() for m in plain.finditer(text)]
