"""Speaker labels: detect a label in a line, split it into role and name, and give each person one id."""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

# Generic labels: turns by someone the page does not name. The value is the turn kind.
GENERIC: dict[str, str] = {
    "question": "question",
    "questions": "question",
    "remark": "remark",
    "remarks": "remark",
    "reply": "reply",
    "response": "response",
    "answer": "reply",
    "comment": "remark",
    "interpreter": "interpreter",
    "translator": "interpreter",
    "voice": "voice",
    "voices": "voice",
    "voice from the audience": "voice",
    "voices from the audience": "voice",
    "audience": "voice",
    "participant": "voice",
    "operator": "voice",
    "call centre operator": "voice",
}
# Every generic label opens with one of these words (`For Mr Putin:` too): a label opening otherwise is named.
_GENERIC_FIRST = frozenset({key.partition(" ")[0] for key in GENERIC} | {"for", "to"})

# Lower-case words that may stand inside a label ("President of the Republic of Kazakhstan ...").
CONNECTORS = frozenset(
    "of the and for on in at to under with de du da dos del della der den van von al bin ibn el la le y & – -".split()
)
# Name particles that belong to the name when they precede a surname ("Alexander Van der Bellen").
PARTICLES = frozenset("van von der den de du da dos del della al el bin ibn la le".split())
# Capitalised words that start prose, not a label, when they are the whole label ("Second: ...").
NOT_NAMES = frozenset(
    """first second third fourth fifth firstly secondly thirdly finally lastly example note now so well yes no
    look again therefore however moreover also here there this that these those today tomorrow yesterday next then
    thus besides furthermore meanwhile
    russia france germany china ukraine europe america moscow kremlin why what who where when how please
    ps result results conclusion summary""".split()
)
# Countries quoted in a speech (`The United Kingdom: “Secession ... does not contradict international law”`).
NOT_LABELS = frozenset({"The United Kingdom", "United Kingdom", "The United States", "United States", "Great Britain",
                        "The Netherlands", "The European Union", "European Union"})
# Words that make the tokens before a name a role rather than part of the name.
ROLE_WORDS = frozenset(
    """president vice-president minister chairman chairwoman chairperson chair governor head director deputy
    secretary prime ceo cfo speaker mayor press ambassador commissioner general chief executive member leader
    patriarch rector editor editor-in-chief correspondent presidential federal state duma council commission
    committee company bank ministry corporation region republic territory russia russian moderator aide
    adviser advisor advisor-at-large spokesman spokesperson representative envoy plenipotentiary
    acting first senior junior lieutenant colonel major captain sergeant sr jr dr professor academician
    founder owner partner manager board chancellor king queen emperor prince princess emir sultan crown sheikh
    pope cardinal metropolitan archbishop bishop mufti rabbi lama hero worker teacher student doctor nurse
    pilot cosmonaut astronaut coach chess champion olympic prosecutor justice judge ombudsman officer
    producer host medallist athlete mariner archivist researcher scientist engineer farmer mother father
    co-chair co-chairman chairwoman envoy counsellor commander supreme leader faction head
    mr ms mrs sir his her majesty highness excellency holiness major-general lieutenant-general colonel-general
    admiral rear-admiral vice-admiral marshal secretary-general director-general
    anchor journalist writer artist archpriest priest paramedic duke""".split()
)


def _is_role_word(token: str) -> bool:
    """A role word, also hyphenated before more words: `Prosecutor-General`, `Secretary-General-designate`.

    >>> _is_role_word("Prosecutor-General"), _is_role_word("Kassym-Jomart"), _is_role_word("anchor")
    (True, False, True)
    """
    low = token.lower()
    return low in ROLE_WORDS or ("-" in low and low.partition("-")[0] in ROLE_WORDS)

def _is_name_word(token: str) -> bool:
    """A word that may stand in a bare name: no role word, no connector but a name particle (`de`), no possessive.

    >>> [_is_name_word(t) for t in ("Fernandez", "de", "of", "Minister", "NPR's")]
    [True, True, False, False, False]
    """
    return (not _is_role_word(token) and (token not in CONNECTORS or token.lower() in PARTICLES)
            and not token.endswith(("'s", "’s")))


# A label, an optional note in brackets just before the colon, the colon, and the speech. Roles may hold
# bracketed abbreviations (`(FNPR)`); the site sometimes leaves out the space after the colon.
_LABEL_RE = re.compile(r"^(?P<label>[^:]{1,300}?)\s*(?:\((?P<note>[^()]{1,200})\))?\s*:\s*(?P<rest>.*)$")
_SPLIT_LABEL_RE = re.compile(r"^(?P<label>[^:]{1,300}?)\s*(?:\((?P<note>[^()]{1,200})\))?$")
# A note after a doubled colon (`Angela Merkel: (retranslated): Thank you`).
_LATE_NOTE_RE = re.compile(r"^\((?P<note>[^()]{1,200})\):\s*(?P<rest>.*)$")
_UNCLOSED_NOTE = re.compile(r"^(?P<label>[^()]+?)\s*\((?P<note>[^()]*(?:translat|interpret)[^()]*)$", re.IGNORECASE)
# A sentence end glued to the next paragraph's label: `... and President of Finland].Vladimir Putin`.
_GLUED_SENTENCE = re.compile(r"^(?P<lead>.*?(?:\]|[a-z]{2})[.!?])(?P<label>[A-Z][a-z][^.!?]*)$")
# `Lenta.Ru` in a role: a full stop glued to a capital that is not the end of a sentence.
_WEB_ADDRESS = re.compile(r"[a-z]\.(?:Ru|RU|ru|Com|com|Org|org|Net|net)\b")
_SPLIT_TAIL_RE = re.compile(r"^(?:\((?P<note>[^()]{1,60})\))?\s*:(?P<rest>.*)$")
_INITIAL = re.compile(r"^[A-Z]\.$")
_LABEL_PUNCTUATION = re.compile(r"[,;!?\"“”«»]")  # none of these stands in a word of a name
_CAMEL = re.compile(r"^([A-Z][a-z]+)([A-Z][a-z]+)$")
_NAME_PREFIXES = ("al-", "el-", "bin-", "ibn-", "ad-", "as-", "ash-")
_PRONOUNS = frozenset("I we We you You he He she She it It they They me us my our your his her its their".split())
_ABBREV_OK = frozenset({"Sr.", "Jr.", "Dr.", "Mr.", "Ms.", "Mrs.", "St."})


@dataclass(frozen=True, slots=True)
class Label:
    """A speaker label found at the start of a line."""

    label: str
    note: str | None
    rest: str
    lead: str | None = None  # prose glued before the label on the same line (`... of Finland].Vladimir Putin:`)


def generic_kind(label: str) -> str | None:
    """The turn kind of a generic label (Question, Remark, ...), or None for a named one.

    >>> generic_kind("Question"), generic_kind("Question from Perm Territory"), generic_kind("Vladimir Putin")
    ('question', 'question', None)
    """
    key = label.strip().lower()
    if key.partition(" ")[0] not in _GENERIC_FIRST:
        return None  # most labels are named: one set lookup decides
    for joint in (" from ", " to ", " for "):
        head, sep, _ = key.partition(joint)
        if sep and head in GENERIC:
            return GENERIC[head]
    if key.startswith(("for mr ", "to mr ")):
        return "question"  # `For Mr Putin:` opens a question put to him
    return GENERIC.get(key)


def is_label_text(label: str) -> bool:
    """True when `label` reads as a speaker label: a name, optionally after a role, or a generic label.

    >>> is_label_text("Chairperson of the Central Election Commission Ella Pamfilova")
    True
    >>> is_label_text("We have a fairly high level of competition")
    False
    """
    if generic_kind(label):
        return True
    if label in NOT_LABELS:
        return False
    tokens = label.split()
    if not tokens or len(tokens) > 40 or not tokens[0][:1].isupper():
        return False
    if len(tokens) == 1:
        word = tokens[0]
        return bool(_CAMEL.match(word)) or (word.isalpha() and word.lower() not in NOT_NAMES and word[1:].islower())
    if not tokens[-1][:1].isupper() and not tokens[-1].startswith(_NAME_PREFIXES):
        return False
    punctuated = _LABEL_PUNCTUATION.search(label) is not None  # most labels have none: no token needs the search
    for tok in tokens:
        if tok.startswith("(") and tok.endswith(")") and tok[1:2].isupper():
            continue  # an abbreviation in a role: "(FNPR)"
        if tok[:1].isupper() or tok[:1].isdigit():
            if "." in tok and not (_INITIAL.match(tok) or tok in _ABBREV_OK):
                return False
            if punctuated and _LABEL_PUNCTUATION.search(tok):
                return False
        elif tok not in CONNECTORS and not tok.startswith(_NAME_PREFIXES):
            return False
    return True


def match_label(line: str) -> Label | None:
    """The label at the start of `line` (`Name: text` or `Name (note): text`), or None for prose.

    >>> match_label("President of Finland Sauli Niinisto (retranslated): Thank you.")
    Label(label='President of Finland Sauli Niinisto', note='retranslated', rest='Thank you.', lead=None)
    >>> match_label("Speaking of the most important thing as regards our parties: despite") is None
    True
    """
    return match_label_with(line, ())


def match_label_with(line: str, known_names: Iterable[str]) -> Label | None:
    """`match_label`, also taking long labels that end in a role-and-name or in a name the page gives.

    Examples: `Central Bank chairman Sergei Ignatyev`, `Alexei Kudrin, Chairman of the Accounts Chamber`.

    >>> match_label_with("Central Bank chairman Sergei Ignatyev: Yes.", {"Sergei Ignatyev"}).label
    'Central Bank chairman Sergei Ignatyev'
    """
    parts = _label_line(line)
    return None if parts is None else _finish(_read_head(parts[0].strip(), parts[1], known_names), parts[2])


def _label_line(line: str) -> tuple[str, str | None, str] | None:
    """The line cut into label, note and speech (`_LABEL_RE`), when it may open with a label."""
    colon = line.find(":", 0, 400)
    if colon < 0 or not (line[:1].isupper() or line.partition(" ")[0] in ROLE_WORDS):
        return None
    return label_parts(line)


def label_parts(line: str) -> tuple[str, str | None, str] | None:
    """`_LABEL_RE`'s label, note and rest groups of `line`, or None where it does not match.

    Without a bracket before the first colon (and a line break in the line) no note can stand there, and the
    pattern's answer is read off the colon's position; the pattern itself runs on the other lines.

    >>> label_parts("Vladimir Putin : Good afternoon."), label_parts("Putin (retranslated): Yes.")
    (('Vladimir Putin', None, 'Good afternoon.'), ('Putin', 'retranslated', 'Yes.'))
    """
    colon = line.find(":")
    if colon < 0:
        return None
    if "(" in line[:colon] or "\n" in line:
        m = _LABEL_RE.match(line)
        return None if m is None else (m["label"], m["note"], m["rest"])
    # The lazy label stops where only white space is left before the colon; it takes one character at least.
    end = max(len(line[:colon].rstrip()), 1)
    if colon == 0 or end > 300:
        return None
    return line[:end], None, line[colon + 1:].lstrip()


class _Head(NamedTuple):
    """What the part of a line before its colon reads as."""

    is_label: bool
    label: str
    note: str | None
    lead: str | None
    spoken: str | None
    """Speech printed inside a question label (`QUESTION from X. And I would like to ask this question`)."""


def _read_head(label: str, note: str | None, known_names: Iterable[str]) -> _Head:
    """The label part of a line (stripped) and its bracketed note: a speaker label or not, and its pieces."""
    lead = spoken = None
    if ("." in label or "!" in label or "?" in label) and (glued := _GLUED_SENTENCE.match(label)) \
            and not _WEB_ADDRESS.search(label) and (
            is_label_text(glued["label"]) or _is_known_label(glued["label"], known_names)):
        lead, label = glued["lead"], glued["label"]
    if note is None and "(" in label and (unclosed := _UNCLOSED_NOTE.match(label)):
        label, note = unclosed["label"], unclosed["note"]  # the site left the bracket open: `Soeder (retranslated:`
    if (kind := generic_kind(label)) and ". " in label and kind == "question":
        # `QUESTION from the Department of Economics. And I would like to ask this question: ...`
        label, _, spoken = label.partition(". ")
    probe = _GLUED_INITIAL.sub(r"\1. ", label) if "." in label else label  # `A.Aksenova` reads as `A. Aksenova`
    is_label = is_label_text(probe) or _is_known_label(probe, known_names) or is_role_label(probe)
    return _Head(is_label, label, note, lead, spoken)


def _finish(head: _Head, rest: str) -> Label | None:
    """The label of a line from its read head and the speech after the colon."""
    if not head.is_label:
        return None
    if head.spoken is not None:
        rest = f"{head.spoken}: {rest}"
    # "Question: at what expense?", "Listen: you and ..." are prose: a label opens a capitalised sentence.
    if rest[:1].islower():
        return None
    note = head.note
    if note is None and (late := _LATE_NOTE_RE.match(rest)):
        note, rest = late["note"], late["rest"]
    return Label(head.label, note, rest.strip(), head.lead)


class _AskedNames:
    """No known names, remembering whether a match asked for them: only then can a page's names change it."""

    __slots__ = ("asked",)

    def __init__(self) -> None:
        self.asked = False

    def __iter__(self) -> Iterator[str]:
        self.asked = True
        return iter(())


@functools.lru_cache(maxsize=1 << 16)
def _read_head_alone(label: str, note: str | None) -> tuple[_Head, bool]:
    """`_read_head` without known names, and whether it asked for them. A page prints a label on many lines."""
    names = _AskedNames()
    return _read_head(label, note, names), names.asked


def match_label_once(line: str) -> tuple[Label | None, bool]:
    """`match_label`, and whether `match_label_with` could answer otherwise for some known names.

    When the second value is False, `match_label_with(line, names)` gives the first for any names: a page
    matches each line once, and again with its names only where they count.

    >>> match_label_once("Vladimir Putin: Yes.")[1], match_label_once("Central Bank chairman Sergei Ignatyev: Yes.")[1]
    (False, True)
    """
    # `_label_line` and `label_parts` inline, the speech after the colon cut off only for a line that opens with a
    # label: this runs on every body line with a colon.
    colon = line.find(":", 0, 400)
    if colon < 0 or not (line[:1].isupper() or line.partition(" ")[0] in ROLE_WORDS):
        return None, False
    rest = None
    if line.find("(", 0, colon) >= 0 or "\n" in line:
        parts = label_parts(line)
        if parts is None:
            return None, False
        label, note, rest = parts
    else:
        # Not empty: the line opens with a capital or a role word, before its first colon.
        label, note = line[:colon].rstrip(), None
        if len(label) > 300:
            return None, False
    head, asked = _read_head_alone(label.strip(), note)
    if not head.is_label:
        return None, asked
    return _finish(head, line[colon + 1:].lstrip() if rest is None else rest), asked


def is_role_label(label: str) -> bool:
    """A long label with a role in free words before a name (`History teacher Anton Molev`).

    Such as `Commander of the Southern Military District forces, Colonel General Aleksandr Dvornikov`.
    Lower-case words and commas are allowed, as long as a role word stands in it and two capitalised words
    (a name) end it.

    >>> is_role_label("chairman of the Management Committee of Gazprom Alexei Miller")
    True
    >>> is_role_label("As for Buryatia and Trans-Baikal")
    False
    """
    tokens = label.split()
    if not 3 <= len(tokens) <= 40 or any(c in label for c in ";!?\"“”«»"):
        return False
    first = tokens[0].rstrip(",")
    if not (first[:1].isupper() or first in ROLE_WORDS) or tokens[0].endswith(","):
        return False
    name = tokens[-2:]
    if not all(t[:1].isupper() or t.startswith(_NAME_PREFIXES) for t in name) or any(t.endswith(",") for t in name):
        return False
    if any(t.endswith(".") and not (_INITIAL.match(t) or t in _ABBREV_OK) for t in tokens):
        return False
    words = [t.strip(",") for t in tokens[:-2]]
    if any(w in _PRONOUNS for w in words):
        return False
    free = [w for w in words if w[:1].islower() and w not in CONNECTORS and w.lower() not in ROLE_WORDS]
    # A role word opening the label allows a longer description of the post (`President of OPORA Russia public
    # association of small and medium-sized businesses Alexander Kalinin`).
    limit = 6 if first[:1].isupper() and first.lower() in ROLE_WORDS else 2
    return len(free) <= limit and any(w.lower() in ROLE_WORDS for w in words)


def _is_known_label(label: str, known_names: Iterable[str]) -> bool:
    """A long label that ends in a name known on the page, or is `Known Name, role`."""
    # A full stop inside a word is a web address (`Lenta.ru`), not the end of a sentence.
    if not label[:1].isupper() or any(c in label for c in ";!?\"“”«»") or len(label.split()) > 40 \
            or ". " in label or label.endswith("."):
        return False
    return any(label.endswith(" " + name) or label.startswith(name + ", ") for name in known_names)


def match_split_label(line: str, next_line: str | None, known_names: Iterable[str] = ()) -> Label | None:
    """A label whose colon opens the next line, as the site prints linked names.

    The next line is `: text` or, with a note, `(retranslated): text`.

    >>> match_split_label("President of Turkey Recep Tayyip Erdogan", "(retranslated): First, thank you.")
    Label(label='President of Turkey Recep Tayyip Erdogan', note='retranslated', rest='First, thank you.', lead=None)
    """
    if next_line is None:
        return None
    tail = _SPLIT_TAIL_RE.match(next_line)
    if tail is None:
        return None
    m = _SPLIT_LABEL_RE.match(line)
    if not m or (m["note"] and tail["note"]):
        return None
    text = m["label"].strip()
    if not (is_label_text(text) or _is_known_label(text, known_names) or is_role_label(text)):
        return None
    note, rest = m["note"] or tail["note"], tail["rest"].strip()
    if note is None and (late := _LATE_NOTE_RE.match(rest)):  # `Benjamin Netanyahu` / `: (retranslated): Mr ...`
        note, rest = late["note"], late["rest"].strip()
    return Label(m["label"].strip(), note, rest)


def fix_joined_name(label: str) -> str:
    """Undo a missing space in a two-word name (`VladimirPutin` -> `Vladimir Putin`), a typo of the site."""
    m = _CAMEL.match(label)
    return f"{m[1]} {m[2]}" if m else label


# Where words may be glued: a lower-case letter (or an apostrophe or hyphen) right before a capital.
_GLUE_CHANCE = re.compile(r"[a-zà-ÿ’'-][A-Z]")
_GLUE_AT = re.compile(r"(?<=[a-zà-ÿ])(?=[A-Z])")
_TWO_WORDS = re.compile(r"^([A-Z][a-zà-ÿ’'-]+)([A-Z][a-zà-ÿ’'-]+)$")
_CONNECTOR_GLUE = re.compile(r"^([A-Z][a-z]{3,})(of|for|and|the)([A-Z][a-z]+)$")
_TOPIC = re.compile(r"^(?P<label>.+?) (?P<topic>(?:on|talked about|speaks about|about) .+)$")


@dataclass(frozen=True, slots=True)
class CleanLabel:
    """A label with the browser's extra text taken out: the person card, glued words, an `X on Y` topic."""

    label: str
    person_card: str | None = None
    topic: str | None = None


def strip_person_card(label: str) -> tuple[str, str | None]:
    """Take the site's person card (`Surname Given-name` and a glued role) off the end of a label.

    The saved browser text repeats a linked name in catalogue form after it, followed by the person's role
    glued on without a space. Returns (label, card in catalogue form).

    >>> strip_person_card("Prime Minister Dmitry Medvedev Medvedev DmitryDeputy Chairman of the Security Council")
    ('Prime Minister Dmitry Medvedev', 'Medvedev Dmitry')
    >>> strip_person_card("Miller Miller AlexeiGazprom CEO")
    ('Miller', 'Miller Alexei')
    >>> strip_person_card("President of Serbia Tomislav Nikolic Nikolic Tomislav")
    ('President of Serbia Tomislav Nikolic', 'Nikolic Tomislav')
    """
    tokens = label.split()
    if len(set(tokens)) == len(tokens):
        return label, None  # a card repeats a word of the label
    for i in range(1, len(tokens)):
        for n in (3, 2, 1):
            if i < n or i + n >= len(tokens) or tokens[i - n:i] != tokens[i:i + n] or not tokens[i][:1].isupper():
                continue
            rest = " ".join(tokens[i + n:])
            glue = _GLUE_AT.search(rest)
            given = (rest[:glue.start()] if glue else rest).split()
            if not 1 <= len(given) <= 3 or not all(g[:1].isupper() and g.rstrip(".").isalpha() for g in given):
                continue
            head = tokens[:i]
            # Without a glued role, the card's given names must be those printed before the surname.
            if not glue and [t.lower() for t in head[-n - len(given):-n]] != [g.lower() for g in given]:
                continue
            return " ".join(head), " ".join(tokens[i:i + n] + given)
    return label, None


def split_glued_words(label: str, name_words: Iterable[str] = ()) -> str:
    """Put back spaces lost where a link ended (`President of RussiaVladimir Putin`, `ServiceforFinancial`).

    A word of two capitalised parts is split when a part is a role word or a word of a name the page knows
    (its Persons tags), or when the whole label is such a word (`VladimirPutin`); brand names such as
    `RusHydro` or `ExxonMobil` stay whole.

    >>> split_glued_words("President of Finland SauliNiinistö", {"Sauli", "Niinistö"})
    'President of Finland Sauli Niinistö'
    >>> split_glued_words("Head of the Federal ServiceforFinancial Monitoring"), split_glued_words("RusHydro Head")
    ('Head of the Federal Service for Financial Monitoring', 'RusHydro Head')
    """
    tokens = label.split()
    if not _GLUE_CHANCE.search(label):
        return " ".join(tokens)
    words = set(name_words)
    out = []
    for tok in tokens:
        m = _TWO_WORDS.match(tok)
        if m and (len(tokens) == 1 or m[1].lower() in ROLE_WORDS or m[2].lower() in ROLE_WORDS
                  or m[1] in words or m[2] in words):
            out += [m[1], m[2]]
        elif m := _CONNECTOR_GLUE.match(tok):
            out += [m[1], m[2], m[3]]
        else:
            out.append(tok)
    return " ".join(out)


def clean_label(label: str, persons: Iterable[str] = ()) -> CleanLabel:
    """A printed label without person card and glued words; `X on Y` keeps X as the label and Y as its topic.

    `persons` are the page's Persons tags (catalogue form), whose words let glued names be split.

    >>> clean_label("Acting President and Prime Minister Vladimir Putin on the situation in the Chechen Republic")
    CleanLabel(label='Acting President and Prime Minister Vladimir Putin', person_card=None, \
topic='on the situation in the Chechen Republic')
    >>> clean_label("President of RussiaVladimir Putin").label
    'President of Russia Vladimir Putin'
    """
    text, card = strip_person_card(" ".join(label.split()))
    persons = list(persons)
    if card is None:
        # A card alone, its name cut off by the capture: `Chikhanchin YuryHead of the Federal Service ...`
        for tag in persons:
            n = len(tag)
            if " " in tag and text.startswith(tag) and len(text) > n and text[n].isupper() and text[n - 1].islower():
                text, card = persons_to_names([tag])[0], tag
                break
    # The words are gathered only for a label that has glue to split.
    words = itertools.chain((w for p in persons for w in p.split()), card.split() if card else ())
    text = split_glued_words(text, words)
    topic = None
    if "[" in text and (bracket := _BRACKET_NOTE.match(text)) and (
            is_label_text(bracket["label"]) or generic_kind(bracket["label"])):
        return CleanLabel(bracket["label"], card, bracket["note"])  # `MR PUTIN [to S.Utsuda]`
    folded = fold_caps(text)
    m = _TOPIC.match(folded) if " on " in folded or " about " in folded else None
    if m and generic_kind(text) is None:
        head = m["label"]
        tokens = head.split()
        # The topic is prose (`on the situation in ...`), not the rest of a name (`Committee on Ecology`), and a
        # person's name ends the part before it.
        prose = folded != text or any(w[:1].islower() and w not in CONNECTORS for w in m["topic"].split()[1:])
        if prose and len(tokens) >= 2 and all(t[:1].isupper() and t.lower() not in ROLE_WORDS for t in tokens[-2:]) \
                and (is_label_text(head) or is_role_label(head)):
            printed = text.split()
            text, topic = " ".join(printed[:len(tokens)]), " ".join(printed[len(tokens):])
    return CleanLabel(text, card, topic)


def persons_to_names(persons: Iterable[str]) -> list[str]:
    """Footer Persons tags (`Pamfilova Ella`, `Erdogan Recep Tayyip`) as names in reading order.

    >>> persons_to_names(["Tokayev Kassym-Jomart", "Erdogan Recep Tayyip"])
    ['Kassym-Jomart Tokayev', 'Recep Tayyip Erdogan']
    """
    names = []
    for p in persons:
        surname, _, given = p.strip().partition(" ")
        names.append(f"{given} {surname}" if given else surname)
    return names


def tag_names(persons: Iterable[str]) -> list[str]:
    """Footer Persons tags read as names (`persons_to_names`), without the tags that are a title.

    A tag such as `Kirill Patriarch of Moscow and All Russia` would make the whole label `Patriarch of Moscow and
    All Russia Kirill` a known name; a name holds no `of`, `and` or `the`.

    >>> tag_names(["Erdogan Recep Tayyip", "Kirill Patriarch of Moscow and All Russia", "Hasina Sheikh"])
    ['Recep Tayyip Erdogan', 'Sheikh Hasina']
    """
    return [n for n in persons_to_names(persons)
            if not any(t in CONNECTORS and t not in PARTICLES for t in n.split())]


def split_label(label: str, known_names: Container[str] | Iterable[str] = ()) -> tuple[str | None, str | None]:
    """Split a named label into (name, role); the page's known names are used first, then general rules.

    Known names that are a container (a set, a list, ...) are only asked whether they hold a string (`in`), never
    iterated: a caller may pass an object that records the questions (`rows._speaker` does). Any other iterable
    (a generator) is read into a set first, since each `in` would consume it.

    >>> split_label("President of Russia Vladimir Putin")
    ('Vladimir Putin', 'President of Russia')
    >>> split_label("Chairperson of the Central Election Commission Ella Pamfilova", ["Ella Pamfilova"])
    ('Ella Pamfilova', 'Chairperson of the Central Election Commission')
    """
    label = " ".join(label.split())
    if "- " in label:
        label = _HYPHEN_SPACE.sub("-", label)  # `Commander-in- Chief`, `Major- General`
    label = fix_joined_name(label)
    if "." in label:
        label = _GLUED_INITIAL.sub(r"\1. ", label)
    label = fold_caps(label)
    if generic_kind(label):
        return None, None
    tokens = label.split()
    caps = len(tokens)
    # A bracket in capitals closes the role, not the name: `... Treaty Organisation (NATO) DMITRY ROGOZIN`
    while (caps > 0 and tokens[caps - 1].isupper() and not tokens[caps - 1].endswith(")")
           and sum(c.isalpha() for c in tokens[caps - 1]) > 1):
        caps -= 1
    if 0 < caps <= len(tokens) - 2 and (not tokens[caps - 1].isupper() or tokens[caps - 1].endswith(")")):
        # A role in ordinary case before a name in capitals: `Prime Minister of Turkey RECEP TAYYIP ERDOGAN`; role
        # words in capitals open the capitals: `Rosatom State Atomic Energy Corporation CEO SERGEI KIRIYENKO`
        while caps < len(tokens) - 2 and _is_role_word(tokens[caps]):
            tokens[caps] = fold_word(tokens[caps]) if len(tokens[caps]) > 3 else tokens[caps]  # `CEO` stays
            caps += 1
        name: str | None = " ".join(tokens[caps:])
        role: str | None = " ".join(tokens[:caps])
    else:
        name, role = _split_label(label, known_names if isinstance(known_names, Container) else set(known_names))
    if name:
        name = " ".join(fold_word(t) for t in name.split())
    return name, role


def fold_caps(label: str) -> str:
    """A label printed in capitals (`A. MAGOMETOV, RECTOR OF THE ...`) in ordinary case; others unchanged.

    >>> fold_caps("PRESIDENT OF THE UNITED STATES GEORGE W. BUSH"), fold_caps("Vladimir PUTIN")
    ('President of the United States George W. Bush', 'Vladimir PUTIN')
    """
    tokens = label.split()
    if not any(t.isupper() for t in tokens):  # the common case, decided without counting letters
        return label
    words = [t for t in tokens if sum(c.isalpha() for c in t) > 1]
    shouting = [t for t in words if t.isupper()]
    if not words or len(shouting) * 3 < len(words) * 2:
        return label
    out = []
    for k, tok in enumerate(tokens):
        low = tok.lower()
        out.append(low if k and low in CONNECTORS else fold_word(tok))
    return " ".join(out)


_ROMAN = re.compile(r"^[IVX]+$")
_HYPHEN_SPACE = re.compile(r"(?<=[A-Za-z])- (?=[A-Za-z])")
_BRACKET_NOTE = re.compile(r"^(?P<label>.+?)\s*\[(?P<note>[^\[\]]+)\]$")
_GLUED_INITIAL = re.compile(r"\b([A-Z])\.(?=[A-Za-z])")


def fold_word(token: str) -> str:
    """A word in capitals in ordinary case; initials, Roman numerals and mixed-case words unchanged.

    `PUTIN` -> `Putin`, `KI-MOON` -> `Ki-Moon`, `(KAZAKHSTAN)` -> `(Kazakhstan)`.
    """
    if not token.isupper() or sum(c.isalpha() for c in token) < 2 or _ROMAN.match(token):
        return token
    lead = len(token) - len(token.lstrip("(\"“‘'«"))  # the first letter after an opening bracket or quote
    return token[:lead] + "-".join(p[:1] + p[1:].lower() for p in token[lead:].split("-"))


def _split_label(label: str, known: Container[str]) -> tuple[str | None, str | None]:
    tokens = label.split()
    # The longest known name the label ends with (or is), then the longest known name before a comma.
    for k in range(len(tokens)):
        if (tail := " ".join(tokens[k:])) in known:
            return tail, " ".join(tokens[:k]) or None
    comma = label.rfind(", ")
    while comma > 0:
        if label[:comma] in known:
            return label[:comma], label[comma + 2:].strip() or None
        comma = label.rfind(", ", 0, comma)
    if len(tokens) <= 4 and all(map(_is_name_word, tokens)):  # a short label of name words is a name
        return label, None
    if ", " in label:  # `A. Magometov, Rector of the ...`, `Major-General Sergey V. Yangorev, the Commander of ...`
        head, _, tail = label.partition(", ")
        words = head.split()
        last = words[-1] if words else ""
        role_tail = any(w.strip(",").lower() in ROLE_WORDS for w in tail.split())
        named_head = 2 <= len(words) <= 4
        if (role_tail or named_head) and last.lower() not in ROLE_WORDS and len(words) <= 5 \
                and all(t[:1].isupper() for t in words):
            if all(t[:1].isupper() and t.lower() not in ROLE_WORDS for t in words):
                return head, tail
            name, role = _split_label(head, known)
            if name and role:
                return name, f"{role}, {tail}"
    if " of " in label:  # `President Vladimir Putin of Russia`, `Patriarch Kirill of Moscow and All Russia`
        head, _, place = label.rpartition(" of ")
        words, where = head.split(), place.split()
        k = 0
        while k < len(words) and (words[k].lower() in ROLE_WORDS or words[k] in CONNECTORS):
            k += 1
        name_words = words[k:]
        # The place is up to three capitalised words, `and` or `the` between them after a title alone (`Patriarch
        # Kirill of ...`; `President of the Russian Union of Industrialists and Entrepreneurs` names nobody).
        place_words = [t for t in where[1:-1] if t not in ("and", "the")]
        joined = len(place_words) < len(where) - 2
        if (0 < k < len(words) <= k + 4 and len(place_words) <= 1 and len(where) <= 5
                and not (joined and any(t in CONNECTORS for t in words[:k]))
                and all(t[:1].isupper() for t in where[:1] + where[-1:] + place_words + name_words)
                and words[0].lower() in ROLE_WORDS and not any(
                    t.endswith(",") or t.lower() in ROLE_WORDS for t in name_words)):
            return " ".join(words[k:]), f"{' '.join(words[:k])} of {place}"
    start = max(len(tokens) - 2, 0)
    # A name particle or an initial takes the word before it into the name ("Mohammad bin Salman Al Saud").
    while start > 0 and (tokens[start].lower() in PARTICLES or tokens[start - 1].lower() in PARTICLES
                         or _INITIAL.match(tokens[start - 1]) or _INITIAL.match(tokens[start])):
        start -= 1
    while start < len(tokens) - 1 and (_is_role_word(tokens[start]) or tokens[start] in CONNECTORS):
        start += 1
    name = " ".join(tokens[start:])
    role = " ".join(tokens[:start])
    return name, role or None


_NOT_ID = re.compile(r"[^a-z0-9]+")


def speaker_id(name: str) -> str:
    """Stable person key: the name in lower-case ASCII with hyphens.

    >>> speaker_id("Sauli Niinistö")
    'sauli-niinisto'
    """
    ascii_name = name if name.isascii() else unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return _NOT_ID.sub("-", ascii_name.lower()).strip("-")


def short_label_names(labels: Iterable[str]) -> set[str]:
    """Labels on a page that are a bare name (no role words), to be used as evidence for the long forms.

    A name particle counts as a word of a name (`Cristina Fernandez de Kirchner`).

    >>> sorted(short_label_names(["Cristina Fernandez de Kirchner", "Vladimir Putin", "Minister Ivanov"]))
    ['Cristina Fernandez de Kirchner', 'Vladimir Putin']
    """
    names = set()
    for label in labels:
        label = fix_joined_name(label)
        tokens = label.split()
        if generic_kind(label) is None and 2 <= len(tokens) <= 4 and all(map(_is_name_word, tokens)):
            names.add(label)
    return names


# Names written in two capitalised parts on purpose (brands, Scottish and Irish names): not glue.
CAMEL_CASE_NAMES = frozenset("""RusHydro ExxonMobil WorldSkills MacArthur McDonald McCain McFaul DeLay LaRouche
    DiCaprio MacGregor YouTube PetroChina PhosAgro EuroChem SeverStal RusAl InterRAO TransContainer MegaFon
    VimpelCom AvtoVAZ KamAZ SkyWay BioTech GlaxoSmithKline PricewaterhouseCoopers BlackRock JPMorgan
    ArcelorMittal ThyssenKrupp DaimlerChrysler ConocoPhillips BreakingViews LinkedIn FaceBook PayPal
    iPhone eBay""".split())
_GLUED_WORD = re.compile(r"[a-zà-ÿ]{2,}[A-Z][a-zà-ÿ]{2,}")


def label_defects(label: str) -> list[str]:
    """What in a label is not the label: `text_version`, `person_card`, `glued` (an empty list when clean).

    A detector for tests and reports, independent of the cleaning rules: a page marker inside the label, a
    name repeated in catalogue form (a word or run of words printed twice in a row), or a word with a
    lower-case letter followed by a capital (`RussiaVladimir`), brand names of `CAMEL_CASE_NAMES` aside.

    >>> label_defects("Prime Minister Dmitry Medvedev Medvedev DmitryDeputy Chairman")
    ['person_card', 'glued']
    >>> label_defects("RusHydro Head Nikolai Shulginov")
    []
    """
    out = []
    if "Text version" in label:
        out.append("text_version")
    tokens = label.split()
    if any(tokens[i - n:i] == tokens[i:i + n] and tokens[i][:1].isupper()
           for n in (1, 2, 3) for i in range(n, len(tokens) - n + 1)):
        out.append("person_card")
    if any(_GLUED_WORD.search(t) and t.strip("(),.;:") not in CAMEL_CASE_NAMES for t in tokens):
        out.append("glued")
    return out
