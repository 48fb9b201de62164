"""Utterances (with reply_to), claims and learned topics -> the exchanges table: one row per answered question.

A corpus step: it runs after claims are unified and topics are learned, and reads only tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import polars as pl
import pyarrow as pa

from kremlin_data.cache import unchanged_rows
from kremlin_data.schema import EXCHANGES, columns_to_table

# "Valery Sanfirov, Mayak radio station." / "Matvei Shestakov from TV Centre TV company" / "I represent the
# Prime news agency": the outlet or place an asker names right after the name, or in a self-introduction.
_OUTLET_WORDS = (r"\b(?:TV|television|channel|radio|news|agency|newspaper|magazine|gazeta|journal|daily|weekly"
                 r"|broadcasting|Rossiya|RIA|TASS|Interfax|Kommersant|Izvestia|Vedomosti|Pravda|Komsomolskaya"
                 r"|CNN|BBC|NBC|CBS|Bloomberg|Reuters|Xinhua)\b")
_NOT_OUTLET = re.compile(r"^(?:mr|mrs|ms|madam|dear|colleagues|friends|ladies|president|sir|a|an|i|i'm|my|and|head"
                         r"|this|it|thank|thanks)\b", re.IGNORECASE)
_INTRO_PREFIX = re.compile(r"^(?:and )?(?:I represent|I am from|I work for|I am [A-Z][\w'’-]+(?: [A-Z][\w'’-]+)* from"
                           r"|from)\s+(?:the )?")
OUTLET_MAX_WORDS = 8
"""An outlet or place is a short phrase; anything longer after a comma is the question itself."""
_INTRO = re.compile(r"(?:\bI (?:represent|am from|work for|work at|am with|am calling from)|\bcalling from|"
                    r"\bI am [A-Z][\w'’-]+(?: [A-Z][\w'’-]+)* from|\bhere from|\bwe are from)\s+(?:the )?"
                    r"(?P<what>[^.,;:!?\n]{2,80})")
_LEAD = re.compile(r"^(?:(?:good (?:afternoon|morning|evening)|hello|hi)[,.!]?\s+(?:mr president[,.!]?\s+)?)?"
                   r"(?:(?:my name is|i am|this is)\s+)?(?P<name>[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){1,3}),\s+"
                   r"(?P<what>[^.;:!?\n]{2,80})", re.IGNORECASE)
_OPENING_OUTLET = re.compile(rf"^(?P<what>[^.;:!?\n]{{0,50}}{_OUTLET_WORDS}[^.;:!?\n]{{0,30}})\.\s",
                             re.IGNORECASE)
_LABEL_FROM = re.compile(r"\bfrom (?:the )?(?P<what>.+)$", re.IGNORECASE)
_OFFICIAL = re.compile(r"\b(?:minister|governor|head|deputy|chair(?:man|woman|person)?|president|prime|mayor|"
                       r"director|senator|ambassador|secretary|aide|envoy|commissioner|speaker|chief|prosecutor|"
                       r"general|chancellor|king|emir|premier|ombudsman|representative|member of)\b",
                       re.IGNORECASE)
# Where a question's opening is cut into sentences: white space after an end mark, or a line break. Written to open
# with the white space itself (`(?<=[.!?])\s+|\n` in effect), so that `re` skips to the next space in C instead of
# trying the look-behind at every character (half the time; tests/test_exchanges.py holds the two equal).
_SENTENCE_END = re.compile(r"\s(?:(?<=[.!?]\s)\s*|(?<=\n))")
_FIRST_STOP = re.compile(r"[.;:!?\n]")
OPENING_MAX_CHARS = 50 + 13 + 30
"""Where `_OPENING_OUTLET` must find its full stop at the latest: 50 characters, the longest outlet word, 30."""
_JOURNALIST = re.compile(r"\b(?:journalist|correspondent|editor|reporter|anchor|host|presenter|columnist|"
                         r"commentator)\b", re.IGNORECASE)


def asker_from(label: str, kind: str, text: str) -> str | None:
    """The outlet or place a question names for its asker, from the label or the question's opening words.

    >>> asker_from("Question from Perm Territory", "question", "Why?")
    'Perm Territory'
    >>> asker_from("Konstantin Panyushkin", "named", "Good afternoon. Konstantin Panyushkin, Channel One.")
    'Channel One'
    >>> asker_from("Question", "question", "I represent the Prime news agency. Will taxes rise?")
    'Prime news agency'
    """
    return next((c for c in map(_clean, _candidates(label, kind, text)) if c), None)


def _candidates(label: str, kind: str, text: str) -> Iterator[str]:
    if kind != "named":
        found = _LABEL_FROM.search(label)
        if found:
            yield found.group("what")
    head = text[:400]
    for sentence in _SENTENCE_END.split(head, maxsplit=4)[:4]:
        # Cheap tests first (exact: each pattern needs what is tested): most questions name no outlet.
        lead = _LEAD.match(sentence) if "," in sentence else None
        if lead is None:
            continue
        what = lead.group("what")
        intro = _INTRO.search(what)
        if intro:
            yield intro.group("what")
        own_name = kind == "named" and lead.group("name").lower() in label.lower()
        if own_name or re.search(_OUTLET_WORDS, what, re.IGNORECASE):
            yield what
    stop = _FIRST_STOP.search(head, 0, OPENING_MAX_CHARS + 1)
    opening = _OPENING_OUTLET.match(head) if stop and stop.group() == "." else None
    if opening:
        yield opening.group("what")
    intro = _INTRO.search(head) if "I " in head or " from" in head else None
    if intro:
        yield intro.group("what")


def _clean(what: str) -> str | None:
    what = _INTRO_PREFIX.sub("", what.strip(" ,.-–—\"'“”"))
    if not what or len(what.split()) > OUTLET_MAX_WORDS or _NOT_OUTLET.match(what):
        return None
    return what


def asker_type(kind: str, role: str | None, outlet: str | None) -> str:
    """Who asks: `official`, `journalist`, `citizen` or `unnamed`.

    `official` when the printed role names an office, `journalist` when an outlet is named or the role is a press
    one, `citizen` for a named asker with neither, `unnamed` for a generic Question label with no outlet.

    >>> asker_type("named", "Governor of Tula Region", None), asker_type("question", None, "Channel One")
    ('official', 'journalist')
    """
    if role and _OFFICIAL.search(role) and not _JOURNALIST.search(role):
        return "official"
    if outlet or (role and _JOURNALIST.search(role)):
        return "journalist"
    return "citizen" if kind == "named" else "unnamed"


def known_askers(utterances: pl.DataFrame, previous_utterances: pl.DataFrame,
                 previous_exchanges: pl.DataFrame) -> pl.DataFrame:
    """The asker_from of an earlier build's questions whose id, label, kind and text are unchanged.

    `asker_from` depends on nothing else, so a rebuild reuses these instead of running the patterns again.
    Returns utterance_id and asker_from (null where the earlier build found no outlet).
    """
    compared = ("speaker_label", "kind", "text")
    same = unchanged_rows(utterances.select("utterance_id", *compared), previous_utterances, compared)
    return (previous_exchanges.select(pl.col("question_id").alias("utterance_id"), "asker_from")
            .join(same.select("utterance_id"), on="utterance_id", how="semi"))


def askers(utterances: pl.DataFrame, known: pl.DataFrame | None = None) -> pl.DataFrame:
    """utterance_id and asker_from of every question turn that has an answer (the question turns of `exchanges`).

    Needs only the utterances, so a build runs it beside the topic step; `known` (from `known_askers`) gives
    the asker_from of unchanged questions, which are not computed again.
    """
    answered = utterances.filter(pl.col("reply_to").is_not_null() & ~pl.col("is_question"))["reply_to"]
    questions = utterances.filter(pl.col("is_question") & pl.col("utterance_id").is_in(answered.implode()))
    return pl.DataFrame({"utterance_id": questions["utterance_id"], "asker_from": _outlets(questions, known)},
                        schema={"utterance_id": pl.String, "asker_from": pl.String})


def _outlets(questions: pl.DataFrame, known: pl.DataFrame | None) -> list[str | None]:
    """asker_from of each question turn, in order: from `known` where it holds the turn, else computed."""
    if known is None:
        known = pl.DataFrame(schema={"utterance_id": pl.String, "asker_from": pl.String})
    reuse = questions.select("utterance_id").join(known.with_columns(pl.lit(True).alias("is_known")),
                                                  on="utterance_id", how="left", maintain_order="left")
    return [outlet if is_known else asker_from(label, kind, text) for label, kind, text, outlet, is_known in
            zip(questions["speaker_label"], questions["kind"], questions["text"], reuse["asker_from"],
                reuse["is_known"], strict=True)]


def exchanges(utterances: pl.DataFrame, claims: pl.DataFrame, utterance_topics: pl.DataFrame,
              known: pl.DataFrame | None = None) -> pa.Table:
    """One row per question turn that has at least one answer: a turn replying to it that does not itself ask.

    A host's hand-over is a question turn too, but the guest's reply to it asks, so it makes no exchange.
    `known` (from `known_askers` or `askers`) gives the asker_from of questions; the others are computed.
    """
    return with_topics(exchange_rows(utterances, claims, known), utterance_topics)


def exchange_rows(utterances: pl.DataFrame, claims: pl.DataFrame, known: pl.DataFrame | None = None) -> pl.DataFrame:
    """The rows of `exchanges` in page order, all columns but the learned topics, and `longest_answer`.

    Needs no topics, so a build makes them beside the topic step; `with_topics` adds the topics after it.
    """
    answers = (utterances.filter(pl.col("reply_to").is_not_null() & ~pl.col("is_question"))
               .join(claims.group_by("utterance_id").len("n_claims"), on="utterance_id", how="left")
               .sort("event_id", "seq")
               .group_by("reply_to", maintain_order=True)
               .agg(pl.col("utterance_id").first().alias("answer_id"),
                    pl.col("speaker_id").first().alias("answerer_id"),
                    pl.col("speaker_label").first().alias("answerer_label"),
                    pl.len().alias("n_answers"),
                    pl.col("n_words").sum().alias("words_answered"),
                    pl.col("n_claims").fill_null(0).sum().alias("n_claims"),
                    pl.col("utterance_id").sort_by("n_words", descending=True).first().alias("longest_answer")))
    # A short label (`Vladimir Putin:`) carries no role: take the role printed most often for the person.
    roles = (utterances.filter(pl.col("speaker_role").is_not_null() & pl.col("speaker_id").is_not_null())
             .group_by("speaker_id", "speaker_role").len()
             .sort("len", "speaker_role", descending=[True, False])
             .group_by("speaker_id", maintain_order=True).agg(pl.col("speaker_role").first().alias("usual_role")))
    questions = (utterances.filter(pl.col("is_question"))
                 .join(answers, left_on="utterance_id", right_on="reply_to", how="inner")
                 .join(roles, on="speaker_id", how="left")
                 .sort("event_id", "seq"))
    outlets = _outlets(questions, known)
    types = [asker_type(kind, role, outlet) for kind, role, outlet in
             zip(questions["kind"], questions.select(pl.coalesce("speaker_role", "usual_role")).to_series(), outlets,
                 strict=True)]
    return questions.select(
        pl.col("utterance_id").alias("question_id"), "event_id", pl.col("speaker_id").alias("asker_id"),
        pl.col("speaker_label").alias("asker_label"),
        pl.Series("asker_from", outlets, dtype=pl.String), pl.Series("asker_type", types, dtype=pl.String),
        "answer_id", "answerer_id", "answerer_label", "n_answers", pl.col("n_words").alias("words_asked"),
        "words_answered", "n_claims", "longest_answer")


def with_topics(rows: pl.DataFrame, utterance_topics: pl.DataFrame) -> pa.Table:
    """The exchanges table: `exchange_rows` with the first learned topic of each question and of its longest answer."""
    top = utterance_topics.filter(pl.col("rank") == 1).select("utterance_id", "topic_id")
    out = (rows.join(top.rename({"utterance_id": "question_id"}), on="question_id", how="left", maintain_order="left")
           .join(top.rename({"utterance_id": "longest_answer", "topic_id": "answer_topic_id"}), on="longest_answer",
                 how="left", maintain_order="left"))
    return columns_to_table({name: out[name].to_arrow() for name in EXCHANGES.columns}, EXCHANGES)
