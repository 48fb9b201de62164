"""reply_to and is_question: the rules on small pages that read like a spec, and their score on labelled pages."""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType

import polars as pl
import pytest
from conftest import SHARED_DATA, load_benchmark, need
from hypothesis import given, settings
from hypothesis import strategies as st

import kremlin_data as kd
from kremlin_data.replies import _last_sentence, reply_links

PUTIN = "vladimir-putin"


def turns(*spec: tuple[str | None, str]) -> list[dict[str, object]]:
    """Rows from (speaker_id or generic kind prefixed `kind:`, text); `<…>` before the text marks an omission."""
    rows = []
    for who, text in spec:
        kind = who.removeprefix("kind:") if who and who.startswith("kind:") else "named"
        rows.append({"speaker_id": None if kind != "named" else who, "kind": kind,
                     "text": text.removeprefix("<…>"), "follows_omission": text.startswith("<…>")})
    return rows


LONG = " ".join(["word"] * 200) + "."
LONG_QUESTION = " ".join(["word"] * 40) + " and what do you think?"


@pytest.mark.parametrize("title, spec, links, asks", [
    # An answer replies to the question; the first turn to nothing.
    ("Answers to journalists' questions", [("kind:question", "Will prices fall?"), (PUTIN, "No.")],
     [None, 0], [True, False]),
    # A minister's meeting: every turn takes up the one before, comments included.
    ("Working meeting with Healthcare Minister", [(PUTIN, "Tell me about the year."), ("v-skvortsova", LONG),
                                                   (PUTIN, "Good results."), ("v-skvortsova", "Yes, thank you.")],
     [None, 0, 1, 2], [False, False, False, False]),
    # Press statements one after the other are not replies; both leaders answer the journalist's question.
    ("Press statements and answers to journalists' questions", [(PUTIN, LONG), ("paolo-gentiloni", LONG),
                                                                ("kind:question", "Mr Gentiloni, will Libya unite?"),
                                                                ("paolo-gentiloni", "I hope so."),
                                                                (PUTIN, "I hope so too.")],
     [None, None, None, 2, 2], [False, False, True, False, False]),
    # A host moving on starts a new exchange; the journalist takes the floor from the host.
    ("Annual news conference", [(PUTIN, "Let us begin. Please."), ("dmitry-peskov", "Mayak, please."),
                                ("valery-sanfirov", "Valery Sanfirov, Mayak. What about the climate?"),
                                (PUTIN, LONG), ("dmitry-peskov", "Let us continue. Kamchatka."),
                                ("anastasia-ostrovskaya", "Why do you not visit Kamchatka?")],
     [None, 0, 1, 2, None, 4], [True, True, True, False, True, True]),
    # In an interview a long new question does not reply to the answer before it; a short follow-up does.
    ("Interview to NBC", [("megyn-kelly", "Did Russia interfere?"), (PUTIN, LONG),
                          ("megyn-kelly", "But why?"), (PUTIN, LONG),
                          ("megyn-kelly", LONG_QUESTION), (PUTIN, "Fine.")],
     [None, 0, 1, 2, None, 4], [True, False, True, False, True, False]),
    # The same speaker going on, and a turn after an omission, reply to nothing.
    ("Meeting with members of the public", [(PUTIN, "Good afternoon."), (PUTIN, "Congratulations."),
                                            ("natalya-lokova", "<…>I would like to tell you about volunteers."),
                                            (PUTIN, "Thank you.")],
     [None, None, None, 2], [False, False, False, False]),
    # A host who introduces several new speakers at once: each replies to the introduction.
    ("Direct Line with Vladimir Putin", [("yelena-vinnik", "Let us hear our correspondents. Go ahead."),
                                         ("mikhail-akinchenko", "Mikhail Akinchenko, Roslavl."),
                                         ("anton-vernitsky", "Anton Vernitsky, Pskov.")],
     [None, 0, 0], [True, False, False]),
    # A Direct Line's hosts open the programme in turn before the President speaks: nobody replies yet.
    ("Direct Line with Vladimir Putin", [("tatyana-remezova", "Good afternoon, we are live."),
                                         ("dmitry-borisov", "Good afternoon, our colleagues are in the call centre."),
                                         ("maria-gladkikh", "We have received a million calls."),
                                         ("dmitry-borisov", "Good afternoon, Mr President."),
                                         (PUTIN, "Good afternoon. " + LONG)],
     [None, None, None, None, 3], [False, False, False, True, False]),
    # At a news conference a journalist who speaks up after an answer, or greets the room, asks anew; one who
    # takes up what was just said follows up.
    ("Annual news conference", [("kind:question", "Will prices fall?"), (PUTIN, LONG),
                                ("maria-balyuk", "My name is Maria Balyuk, Prime news agency. What about taxes?"),
                                (PUTIN, LONG),
                                ("maria-balyuk", "Good afternoon again. And the budget, how big?"), (PUTIN, LONG),
                                ("pavel-zarubin", "I would like to expand on what has just been raised. Why?"),
                                (PUTIN, "Because.")],
     [None, 0, None, 2, None, 4, 5, 6], [True, False, True, False, True, False, True, False]),
    # The President answers the journalist's question past the press secretary's aside on it; and reacts to
    # the answer to his own question before giving the floor.
    ("Annual news conference", [("pavel-zarubin", "Rossiya. Why is growth slow?"),
                                ("dmitry-peskov", "Friends, one question each."), (PUTIN, LONG),
                                (PUTIN, "Are you from Ukraine?"), ("dmitry-peskov", "Yes, he is."),
                                (PUTIN, "Right. Go ahead."), ("roman-tsymbalyuk", "What about Donbass?")],
     [None, 0, 0, None, 3, 4, 5], [True, False, False, True, False, True, True]),
    # Third round. A Direct Line: after the President's first greeting, the hosts present the programme in
    # turn (nobody replies), until one asks him to start; a guest's remark right after his greeting replies to it.
    ("Direct Line with Vladimir Putin", [("kirill-kleymenov", "Good afternoon, this is the Direct Line."),
                                         ("tatyana-remezova", "Good afternoon, we are in the call centre."),
                                         ("natalya-yuryeva", "Good afternoon, the phones are ringing."),
                                         ("kirill-kleymenov", "And so, the President is on the air."),
                                         (PUTIN, "Hello and thank you very much."),
                                         ("volunteer", "This is one of the most frequent questions."),
                                         (PUTIN, "OK. A question about fish, important."),
                                         ("tatyana-remezova", "Good afternoon. We are working in the call centre."),
                                         ("natalya-yuryeva", "The internet is also buzzing with activity."),
                                         ("kirill-kleymenov", "We are all ready. Shall we start?"),
                                         (PUTIN, "Yes, please."), ("kirill-kleymenov", "Why is growth slow?"),
                                         (PUTIN, LONG)],
     [None, None, None, None, 3, 4, 5, None, None, None, 9, 10, 11],
     [False, False, False, True, False, False, False, False, False, True, True, True, False]),
    # After an answer a host who hands the floor to someone else, or reads out a question sent in, starts a
    # new exchange; "Let us continue. You have mentioned ..." takes up the answer.
    ("Direct Line with Vladimir Putin", [("tatyana-remezova", "Good afternoon, we are live."),
                                         ("dmitry-borisov", "Mr President, why is growth slow?"), (PUTIN, LONG),
                                         ("tatyana-remezova", "We have many calls. Natalya, you have the floor."),
                                         ("natalya-yuryeva", "Yes, we have a caller from Omsk. Go ahead."),
                                         ("kind:question", "Hello. Why are our roads so bad?"), (PUTIN, LONG),
                                         ("tatyana-remezova", "We received the following question online: “Will the "
                                                              "sanctions last for decades?”"),
                                         (PUTIN, LONG),
                                         ("dmitry-borisov", "Let us continue. You have mentioned sanctions. Will "
                                                            "prices fall?"),
                                         (PUTIN, LONG)],
     [None, None, 1, None, 3, 4, 5, None, 7, 8, 9],
     [False, True, False, True, True, True, False, True, False, True, False]),
    # An interview: a long question after a long answer is new even when the answer ends asking, and even when
    # the question ends on its reason; one whose first sentence points back at the answer follows up, unless it
    # puts it aside ("We will return to this").
    ("Interview with The Financial Times", [("lionel-barber", "What are your goals for the summit?"),
                                            (PUTIN, LONG + " Do I need to say anything else?"),
                                            ("lionel-barber", LONG_QUESTION), (PUTIN, LONG),
                                            ("lionel-barber", "You have obviously thought of this as a strategist. "
                                                              + LONG_QUESTION), (PUTIN, LONG),
                                            ("lionel-barber", "We will return to this theme. But first, "
                                                              + LONG_QUESTION), (PUTIN, LONG),
                                            ("lionel-barber", "Can we turn to North Korea? " + LONG), (PUTIN, "Fine.")],
     [None, 0, None, 2, 3, 4, None, 6, None, 8],
     [True, True, True, False, True, False, True, False, False, False]),
    # A shout from the floor: the press secretary and the President react to it in turn, and the one who
    # shouted, let go on, replies to the President's permission.
    ("Annual news conference", [("kind:question", "Will prices fall?"), (PUTIN, LONG),
                                ("viktor-smirnov", "Rubbish is swamping the region."),
                                ("dmitry-peskov", "Let us act as we agreed."),
                                (PUTIN, "We will talk about rubbish."),
                                ("dmitry-peskov", "If we start shouting now, you do not respect the others."),
                                (PUTIN, "I will answer your question by way of exception."),
                                ("viktor-smirnov", "Viktor Smirnov, 47news. " + LONG_QUESTION)],
     [None, 0, None, 2, 2, 2, 2, 6], [True, False, False, False, False, False, False, True]),
])
def test_reply_rules(title: str, spec: list[tuple[str, str]], links: list[int | None], asks: list[bool]) -> None:
    assert reply_links(turns(*spec), title) == (links, asks)


def test_a_spelling_variant_of_one_name_is_one_party() -> None:
    rows = turns(("fyodor-lukyanov", "What is democracy?"), ("hamid-karzai", "Ours."),
                 ("fydor-lukyanov", "Thank you very much."))
    assert reply_links(rows, "Meeting of the Valdai International Discussion Club")[0] == [None, 0, 1]


def test_reply_to_points_back_within_the_page(sample_build: Path) -> None:
    u = kd.load_utterances(sample_build)
    linked = u.filter(pl.col("reply_to").is_not_null()).join(
        u.select(pl.col("utterance_id").alias("reply_to"), pl.col("event_id").alias("e2"), pl.col("seq").alias("s2")),
        on="reply_to", how="left")
    assert linked.height > 0
    assert linked.filter((pl.col("e2") != pl.col("event_id")) | (pl.col("s2") >= pl.col("seq"))).height == 0


def bench() -> ModuleType:
    return load_benchmark("bench_replies")


@pytest.mark.corpus
def test_reply_to_on_the_hand_labelled_pages() -> None:
    need(SHARED_DATA / "text" / "pages")
    b = bench()
    tuned, held = b.Score(), b.Score()
    for gold in b.load_gold():
        score, _errors = b.score_page(gold)
        (held if gold.get("held_out") else tuned).add(score)
    assert tuned.turns >= 610 and held.turns >= 110
    # Measured 0.978 / 0.962 on the 17 pages the rules were written from (616 turns; 0.951 / 0.944 before the
    # third round of rules), and 0.880 / 0.880 on the 3 pages labelled before the third round was written and
    # scored only after it was frozen (112 turns). The held-out floor sits just under that figure: it guards
    # against a rule that fits the labelled pages better by reading unseen pages worse.
    assert tuned.precision >= 0.95 and tuned.recall >= 0.95, (tuned.precision, tuned.recall)
    assert held.precision >= 0.87 and held.recall >= 0.87, (held.precision, held.recall)


_LAST_SENTENCE_REGEX = re.compile(r"[^.!?…]*[.!?…]*[\s\"'”’)\]]*$")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .!?…\"'”’)]\n\u00a0\t")), max_size=60))
def test_last_sentence_reads_from_the_end_as_the_regex_would(text: str) -> None:
    last_line = text.rstrip().rpartition("\n")[2]
    assert _last_sentence(text) == _LAST_SENTENCE_REGEX.search(last_line).group(0)  # type: ignore[union-attr]


_COURTESY_WORDS = ["thank you", "Thanks", "thank you very much", "thank you, mr president", ".", "!", " ", "\n",
                   "words", "?"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_COURTESY_WORDS), max_size=80), st.integers(0, 500))
def test_closing_thanks_are_found_in_long_and_short_turns(pieces: list[str], padding: int) -> None:
    from kremlin_data.replies import _COURTESY_END, _without_courtesy_end

    text = "x" * padding + "".join(pieces)
    assert _without_courtesy_end(text) == _COURTESY_END.sub("", text)


_HANDOVER_PIECES = ["please", "PLEASE", "pleaſe", "go ahead", "Go Ahead", "the floor", "over to you", "your turn",
                    "let's begin", "let us start", "let’s proceed", "shall we start", "ſhall we begin", "thanK you",
                    "İ", "ı", ".", "!", "?", "…", " ", "words", "\"", ")"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_HANDOVER_PIECES), max_size=20))
def test_a_hand_over_is_found_where_the_search_finds_it(pieces: list[str]) -> None:
    from kremlin_data.replies import _HANDOVER_END, _hands_over

    sentence = "".join(pieces)
    assert _hands_over(sentence) == bool(_HANDOVER_END.search(sentence))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["“", "”", "\"", "«", ":", " ", "\n", "question", "Asks", "wrote", "it", "."]),
                max_size=16))
def test_a_relayed_question_is_found_where_the_search_finds_it(pieces: list[str]) -> None:
    from kremlin_data.replies import _RELAYED, _relays

    text = "".join(pieces)
    assert _relays(text) == bool(_RELAYED.search(text))
