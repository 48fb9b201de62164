"""The turns of one page -> which turn each replies to (`reply_to`) and which turns ask (`is_question`). Pure.

Rules read from real pages of each kind (news conferences, Direct Lines, interviews, press statements with
questions, meetings with a minister or a governor, discussion sessions with a moderator); the labelling
conventions they aim at are in tests/golden/reply_to/README.md. A turn is told apart from its neighbours by
its *party*: the speaker_id of a named speaker, or the label kind of a generic one (`question`, `remark`), so
the rules do not depend on how names are spelt.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

FOLLOW_UP_WORDS = 30
"""In question-and-answer pages, a question after an answer takes it up (a follow-up) when it is at most this
long or opens like a follow-up; a longer one starts a new exchange."""
STATEMENT_WORDS = 150
"""Two turns this long in a row, the first not handing over, are statements one after another, not a reply."""
INTERJECTION_WORDS = 15
"""An answerer's turn this short between two turns of the asker is an interjection: the asker goes on."""
SELF_INTRODUCTION_WORDS = 30
"""Speakers new to the page who follow one another with turns this short were introduced together."""
HANDOVER_WORDS = 100
"""A host's turn this short that comes before a speaker new to the page introduces the next asker."""
ASIDE_WORDS = 30
"""A third party's remark this short between a question and its answer is an aside: the answer skips it."""

# Pages where the President (or a guest) answers a run of questions: there a new question after an answer
# starts a new exchange. In meetings and talks every turn takes up the one before.
_QA_TITLE = re.compile(r"interview|news conference|press conference|questions|direct line|press statements"
                       r"|valdai|discussion club|plenary session|q ?& ?a", re.IGNORECASE)
# A host moving on: "Let us continue.", "Let's move to that side", "Next question", "Last question".
_MOVING_ON = re.compile(r"^(?:(?:thank you(?: very much)?|thanks|good|okay|all right)[.,!]?\s+)?"
                        r"(?:(?:mr president|colleagues|friends),\s+)?"
                        r"(?:let(?: u|['’])s (?:continue|proceed|move|go|have|look|take|turn|get back|ask)|let me move"
                        r"|next question|last question|one more question|another (?:question|topic)"
                        r"|we have come to|moving on)", re.IGNORECASE)
# How a turn that gives the floor ends: "Please, go ahead.", "You have the floor.", "I give the floor to ...".
_HANDOVER_END = re.compile(r"(?:go ahead|the floor|over to you|your turn|let(?: u|['’])s (?:begin|start|proceed)"
                           r"|shall we (?:begin|start)|please)[^.!?]{0,80}[.!?…]?\s*$", re.IGNORECASE)
# Every way of giving the floor holds one of these words: an ASCII sentence without them cannot match.
_HANDOVER_WORDS = ("go ahead", "the floor", "over to you", "your turn", "let", "shall we", "please")
_FOLLOW_UP_START = re.compile(r"^(?:but|so|and|then|still|yet|well|yes|indeed|exactly|i see|i agree"
                              r"|(?:it is|that is|that's|it's) (?:true|right|so)|you (?:have |just )?(?:said|mentioned)"
                              r"|does that|is that|isn't|aren't|don't|doesn't|didn't|could i (?:continue|follow)"
                              r"|a follow-up|to follow up|if i may|just one|one more thing)\b", re.IGNORECASE)
# "You mentioned Libya", "even though you said", "a topic that has already been raised": the question takes up
# what was just said.
_TAKES_UP = re.compile(r"\byou (?:have |just )?(?:said|mentioned|spoke about|talked about)\b"
                       r"|\b(?:already|just) been (?:raised|mentioned|asked|discussed|touched)\b", re.IGNORECASE)
# A host reads out a question sent in: "We received the following question online: “...", "Natalya Prikhodko
# from Moscow has a question: “...", or the turn opens with the quotation itself.
_RELAYED = re.compile(r"^[“”\"«]|\b(?:question|questions|message|asks?|asked|writes?|wrote)\b[^.!?:]{0,60}:\s*[“”\"«]",
                      re.IGNORECASE)
_QUOTES = ("“", "”", "\"", "«")  # the quotation marks `_RELAYED` opens a relayed question with
# A first sentence that points back at what was just said: "You have obviously thought of this", "I am relieved
# that this supply is strong", "applying your theory" (but not "this year", "this programme": the time and the event).
_POINTS_BACK = re.compile(r"\b(?:this|these|those)\b(?!\s+(?:year|week|month|time|morning|afternoon|evening|summer"
                          r"|autumn|winter|spring|century|decade|broadcast|programme|program|interview|conversation"
                          r"|meeting|studio|event|conference|hall|room)s?\b)"
                          r"|\byour (?:answer|theory|point|words|argument|logic|view|remark|reply|example)s?\b"
                          r"|\bwhat you (?:have )?(?:said|say|just said)\b", re.IGNORECASE)
# "We will return to this later. But first, ...": the asker puts what was said aside and changes the subject.
_PUTS_ASIDE = re.compile(r"\b(?:will|shall|['’]ll|let us|let['’]s) (?:return|come back|get back|go back)\b",
                         re.IGNORECASE)
# A turn that opens answering the one before: "Yes, Natalya.", "Thank you, Kirill."
_RESPONSE_START = re.compile(r"^(?:yes|no|thank you|thanks|right|indeed|of course|sure|okay|ok)\b", re.IGNORECASE)
# A speaker taking the floor anew greets the room first: "Good afternoon.", "Mr President, good afternoon. My name".
_GREETING = re.compile(r"^(?:(?:mr|madam) president,?\s+)?(?:good (?:afternoon|morning|evening)|hello|greetings)\b",
                       re.IGNORECASE)
_COURTESY_END = re.compile(r"(?:\s*(?:thank you(?: very much)?|thanks|thank you, mr president)[.!]?)+\s*$",
                           re.IGNORECASE)
# What closing thanks end in: a text ending otherwise has none (one cheap check before the scan of the window).
_COURTESY_TAIL = re.compile(r"(?:you|much|thanks|president)[.!]?$", re.IGNORECASE)
_COURTESY_WINDOW = 400
_COURTESY_REACH = 100
_END_MARKS = frozenset(".!?…")
_CLOSERS = frozenset("\"'”’)]")


class _Turn(NamedTuple):
    party: str
    words: int
    text: str
    omitted: bool
    asks: bool
    question_kind: bool
    greets: bool
    has_question: bool
    """A question mark anywhere in the turn (an interviewer may end on the reason for asking)."""


def _asks(text: str) -> bool:
    """The turn's last sentence is a question, once closing thanks are set aside."""
    tail = _without_courtesy_end(text.rstrip()).rstrip().rstrip("\"'“”‘’)] .…")
    return tail.endswith("?")


def _hands_over(sentence: str) -> bool:
    """The sentence gives the floor (`_HANDOVER_END`).

    The case-insensitive search tries every position; a lower-cased ASCII sentence (where that search's case
    rules are ASCII's) is first checked for its words.
    """
    if sentence.isascii():
        low = sentence.lower()
        if not any(word in low for word in _HANDOVER_WORDS):
            return False
    return bool(_HANDOVER_END.search(sentence))


def _relays(text: str) -> bool:
    """A host reads out a question sent in (`_RELAYED`); a text without a colon or a quotation mark cannot."""
    if text[:1] not in _QUOTES and not (":" in text and any(q in text for q in _QUOTES)):
        return False
    return bool(_RELAYED.search(text))


def _without_courtesy_end(text: str) -> str:
    """`text` less its closing thanks.

    The end-anchored pattern is tried at every position of the text, so it is run on the last characters
    only, and on the whole text when the thanks may reach back beyond them (a match near the window's start).
    """
    end = len(text.rstrip())
    if not _COURTESY_TAIL.search(text, max(end - 12, 0), end):
        return text
    if len(text) > _COURTESY_WINDOW:
        start = len(text) - _COURTESY_WINDOW
        match = _COURTESY_END.search(text, start)
        if match is None:
            return text
        if match.start() - start >= _COURTESY_REACH:
            return text[:match.start()]
    return _COURTESY_END.sub("", text)


def _turn(row: Mapping[str, Any]) -> _Turn:
    # The surname part of the id: one person whose given name is spelt two ways on a page stays one party.
    party = row["speaker_id"].rpartition("-")[2] if row["speaker_id"] else f"kind:{row['kind']}"
    text: str = row["text"]
    words = row["n_words"] if "n_words" in row else len(text.split())
    return _Turn(party, words, text, bool(row["follows_omission"]), _asks(text), row["kind"] == "question",
                 bool(_GREETING.search(text)), "?" in text)


def reply_links(rows: Sequence[Mapping[str, Any]], title: str | None) -> tuple[list[int | None], list[bool]]:
    """For each turn of one page (in order): the index of the turn it replies to (or None), and is_question.

    Rows hold the utterances columns `speaker_id`, `kind`, `text`, `follows_omission`, and `n_words` when it is
    already counted.

    >>> rows = [{"speaker_id": None, "kind": "question", "text": "Will prices fall?", "follows_omission": False},
    ...         {"speaker_id": "vladimir-putin", "kind": "named", "text": "No.", "follows_omission": False}]
    >>> reply_links(rows, "Answers to journalists' questions")
    ([None, 0], [True, False])
    """
    turns = [_turn(r) for r in rows]
    seen_at: dict[str, int] = {}
    words_of: dict[str, int] = {}
    for i, t in enumerate(turns):
        seen_at.setdefault(t.party, i)
        if not t.party.startswith("kind:"):
            words_of[t.party] = words_of.get(t.party, 0) + t.words
    main = max(words_of, key=lambda party: (words_of[party], -seen_at[party])) if words_of else None
    page = _PageTurns(turns, seen_at, bool(title and _QA_TITLE.search(title)), main, [None] * len(turns))
    questions = [t.question_kind or t.asks or page.introduces(i) or page.gives_floor(i) for i, t in enumerate(turns)]
    links: list[int | None] = []
    for i in range(len(turns)):
        links.append(page.link(i, links, questions))
    return links, questions


@dataclass(frozen=True, slots=True)
class _PageTurns:
    turns: Sequence[_Turn]
    seen_at: Mapping[str, int]
    qa_page: bool
    main: str | None
    """The party with the most words: on question-and-answer pages, the one who answers."""
    hands_over: list[bool | None]
    """Whether each turn ends giving the floor, read when a rule first asks (most turns are decided before)."""

    def introduces(self, i: int) -> bool:
        """A short turn of someone who spoke before, right before a speaker new to the page: a host's hand-over.

        An asker's generic `Question` is never a host's.
        """
        t = self.turns[i]
        if i + 1 >= len(self.turns) or self.seen_at[t.party] == i or t.question_kind:
            return False
        nxt = self.turns[i + 1]
        return (nxt.party != t.party and self.seen_at[nxt.party] == i + 1 and t.words <= HANDOVER_WORDS
                and not nxt.omitted)

    def gives_floor(self, i: int) -> bool:
        """The turn ends giving the floor ("Please, go ahead.", "I give the floor to ...")."""
        if i + 1 >= len(self.turns):
            return False
        known = self.hands_over[i]
        if known is None:
            known = self.hands_over[i] = _hands_over(_last_sentence(self.turns[i].text))
        return known

    def asks_plainly(self, i: int) -> bool:
        """The turn asks in its words (a question mark, a question label, giving the floor), not by position."""
        t = self.turns[i]
        return t.asks or t.question_kind or self.gives_floor(i)

    def link(self, i: int, links: Sequence[int | None], questions: Sequence[bool]) -> int | None:
        turns = self.turns
        t = turns[i]
        if i == 0 or t.omitted:
            return None
        p = i - 1
        prev = turns[p]
        if prev.party == t.party:
            return None  # the same speaker goes on (a label-like line split the turn)
        moving_on = _MOVING_ON.search(t.text)
        if moving_on and not ("continue" in moving_on.group(0).lower()
                              and _TAKES_UP.search(" ".join(t.text.split()[:40]))):
            return None  # a host moves on ("Let us continue. You have mentioned ..." takes up the answer)
        q = links[p]
        main = self.main
        if self.qa_page and main is not None:
            if i < self.seen_at[main] and not self.asks_plainly(p):
                return None  # the hosts open the programme in turn, before the one who answers has spoken
            if q is not None and links[q] is None and self._shouts(q) and prev.party != turns[q].party:
                if t.party == turns[q].party:
                    return p  # the one who shouted is let go on
                if prev.words <= ASIDE_WORDS and not t.asks:
                    return q  # host and answerer react in turn to a shout from the floor
            if (t.party != main and prev.party == main and q is not None and not self.asks_plainly(p)
                    and not prev.greets and (self._first_named(i) or t.greets) and not self._takes_up(i)):
                return None  # after an answer (not a greeting), a new asker takes the floor
            if t.party != main and prev.party == main and q is not None and not self.asks_plainly(p):
                if self.gives_floor(i) and not t.has_question and self.seen_at[t.party] < i:
                    return None  # after an answer, a host hands the floor to someone else ("Natalya, go ahead.")
                if _relays(t.text) and not self._takes_up(i):
                    return None  # after an answer, a host reads out a question sent in: a new exchange
            if (t.party != main and prev.party == main and q is not None and prev.words > FOLLOW_UP_WORDS
                    and (t.has_question or t.question_kind) and t.words > FOLLOW_UP_WORDS
                    and turns[q].party != main and not self.introduces(q) and not self.gives_floor(q)
                    and not self._takes_up(i)):
                return None  # a long question after a long answer (even one that ends asking) starts anew
            if (t.party == main and q is not None and not t.asks and not t.question_kind and not prev.asks
                    and prev.words <= ASIDE_WORDS and turns[q].party not in (t.party, prev.party)
                    and (turns[q].asks or turns[q].question_kind)):
                return q  # the answer skips a host's aside on the question ("One question each, please.")
        if (self.qa_page and main is not None and self.seen_at[main] < p and main not in (t.party, prev.party)
                and links[p] is None and not t.question_kind and self.seen_at[t.party] < i
                and self.seen_at[prev.party] < p and not prev.asks
                and not self.introduces(p) and not _MOVING_ON.search(prev.text) and not _RESPONSE_START.search(t.text)):
            return None  # the hosts present the programme in turn, after the answerer's first greeting
        if questions[p]:
            return p
        if self.introduces(i) and not (t.party == main and q is not None and turns[q].party == t.party):
            return None  # a host introduces the next asker after an answer (not one the answerer asked for)
        if (q is not None and self.seen_at[prev.party] == p and self.seen_at[t.party] == i
                and prev.words <= SELF_INTRODUCTION_WORDS and prev.party != main):
            return q  # one hand-over introduced several new speakers, who speak in turn
        if (q is not None and turns[q].question_kind and self.seen_at[t.party] < q and not t.asks
                and not t.question_kind):
            return q  # a second answerer to a journalist's question (press statements after talks)
        if q is None and prev.words >= STATEMENT_WORDS and (t.question_kind or (t.words >= STATEMENT_WORDS
                                                                             and not t.asks)):
            return None  # statements one after another, or the first journalist's question after them
        if (self.qa_page and (t.asks or t.question_kind) and t.words > FOLLOW_UP_WORDS and q is not None
                and t.party != main and turns[q].party != main
                and not self.introduces(q) and not self.gives_floor(q) and not self._takes_up(i)):
            return None  # a new question after an answer
        return p

    def _shouts(self, i: int) -> bool:
        """A short statement out of turn: a generic remark, or a named speaker's first words, that asks nothing."""
        t = self.turns[i]
        return (t.words <= ASIDE_WORDS and t.party != self.main and not t.question_kind and not t.greets
                and not t.has_question
                and (t.party == "kind:remark" or self._first_named(i))
                and not self.introduces(i) and not self.gives_floor(i))

    def _first_named(self, i: int) -> bool:
        """The turn is the first of a named speaker (a generic `Remark` may be anyone's)."""
        party = self.turns[i].party
        return self.seen_at[party] == i and not party.startswith("kind:")

    def _takes_up(self, i: int) -> bool:
        """The question opens like a follow-up, names or points back at what was just said, or goes on after one."""
        t = self.turns[i]
        head = " ".join(t.text.split()[:40])
        interjection = i >= 2 and self.turns[i - 2].party == t.party and self.turns[i - 1].words <= INTERJECTION_WORDS
        first = _first_sentence(t.text)
        points_back = bool(_POINTS_BACK.search(first)) and not _PUTS_ASIDE.search(first)
        return bool(_FOLLOW_UP_START.search(t.text) or _TAKES_UP.search(head)) or points_back or interjection


def _first_sentence(text: str) -> str:
    """The turn's first sentence (up to its first end mark), at most its first 300 characters."""
    head = text[:300]
    for k, ch in enumerate(head):
        if ch in _END_MARKS:
            return head[:k + 1]
    return head


def _last_sentence(text: str) -> str:
    """The last sentence of the last line, with its end marks and closing quotes or brackets.

    Read from the end (closers, then end marks, then the words back to the previous end mark), which gives
    what a right-anchored regex search gives without its quadratic scan of long lines.
    """
    line = text.rstrip().rpartition("\n")[2]
    start = len(line)
    while start and (line[start - 1] in _CLOSERS or line[start - 1].isspace()):
        start -= 1
    while start and line[start - 1] in _END_MARKS:
        start -= 1
    return line[max(line.rfind(".", 0, start), line.rfind("!", 0, start), line.rfind("?", 0, start),
                    line.rfind("…", 0, start)) + 1:]
