"""Speaker labels: detect a label in a line, split it into role and name, and give each person one id."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

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
    mr ms mrs sir his her majesty highness excellency holiness""".split()
)

# A label, an optional note in brackets just before the colon, the colon, and the speech. Roles may hold
# bracketed abbreviations (`(FNPR)`); the site sometimes leaves out the space after the colon.
_LABEL_RE = re.compile(r"^(?P<label>[^:]{1,300}?)\s*(?:\((?P<note>[^()]{1,200})\))?\s*:\s*(?P<rest>.*)$")
_SPLIT_LABEL_RE = re.compile(r"^(?P<label>[^:]{1,300}?)\s*(?:\((?P<note>[^()]{1,200})\))?$")
# A note after a doubled colon (`Angela Merkel: (retranslated): Thank you`).
_LATE_NOTE_RE = re.compile(r"^\((?P<note>[^()]{1,200})\):\s*(?P<rest>.*)$")
_SPLIT_TAIL_RE = re.compile(r"^(?:\((?P<note>[^()]{1,60})\))?\s*:(?P<rest>.*)$")
_INITIAL = re.compile(r"^[A-Z]\.$")
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


def generic_kind(label: str) -> str | None:
    """The turn kind of a generic label (Question, Remark, ...), or None for a named one.

    >>> generic_kind("Question"), generic_kind("Question from Perm Territory"), generic_kind("Vladimir Putin")
    ('question', 'question', None)
    """
    key = label.strip().lower()
    head, sep, _ = key.partition(" from ")
    return GENERIC.get(head if sep else key)


def is_label_text(label: str) -> bool:
    """True when `label` reads as a speaker label: a name, optionally after a role, or a generic label.

    >>> is_label_text("Chairperson of the Central Election Commission Ella Pamfilova")
    True
    >>> is_label_text("We have a fairly high level of competition")
    False
    """
    if generic_kind(label):
        return True
    tokens = label.split()
    if not tokens or len(tokens) > 40 or not tokens[0][:1].isupper():
        return False
    if len(tokens) == 1:
        word = tokens[0]
        return bool(_CAMEL.match(word)) or (word.isalpha() and word.lower() not in NOT_NAMES and word[1:].islower())
    if not tokens[-1][:1].isupper() and not tokens[-1].startswith(_NAME_PREFIXES):
        return False
    for tok in tokens:
        if tok.startswith("(") and tok.endswith(")") and tok[1:2].isupper():
            continue  # an abbreviation in a role: "(FNPR)"
        if tok[:1].isupper() or tok[:1].isdigit():
            if "." in tok and not (_INITIAL.match(tok) or tok in _ABBREV_OK):
                return False
            if any(c in tok for c in ",;!?\"“”«»"):
                return False
        elif tok not in CONNECTORS and not tok.startswith(_NAME_PREFIXES):
            return False
    return True


def match_label(line: str) -> Label | None:
    """The label at the start of `line` (`Name: text` or `Name (note): text`), or None for prose.

    >>> match_label("President of Finland Sauli Niinisto (retranslated): Thank you.")
    Label(label='President of Finland Sauli Niinisto', note='retranslated', rest='Thank you.')
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
    colon = line.find(":", 0, 400)
    if colon < 0 or not (line[:1].isupper() or line.partition(" ")[0] in ROLE_WORDS):
        return None
    m = _LABEL_RE.match(line)
    if not m:
        return None
    label = m["label"].strip()
    if not (is_label_text(label) or _is_known_label(label, known_names) or is_role_label(label)):
        return None
    rest, note = m["rest"], m["note"]
    # "Question: at what expense?", "Listen: you and ..." are prose: a label opens a capitalised sentence.
    if rest[:1].islower():
        return None
    if note is None and (late := _LATE_NOTE_RE.match(rest)):
        note, rest = late["note"], late["rest"]
    return Label(label, note, rest.strip())


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
    return len(free) <= 2 and any(w.lower() in ROLE_WORDS for w in words)


def _is_known_label(label: str, known_names: Iterable[str]) -> bool:
    """A long label that ends in a name known on the page, or is `Known Name, role`."""
    if not label[:1].isupper() or any(c in label for c in ".;!?\"“”«»") or len(label.split()) > 40:
        return False
    return any(label.endswith(" " + name) or label.startswith(name + ", ") for name in known_names)


def match_split_label(line: str, next_line: str | None, known_names: Iterable[str] = ()) -> Label | None:
    """A label whose colon opens the next line, as the site prints linked names.

    The next line is `: text` or, with a note, `(retranslated): text`.

    >>> match_split_label("President of Turkey Recep Tayyip Erdogan", "(retranslated): First, thank you.")
    Label(label='President of Turkey Recep Tayyip Erdogan', note='retranslated', rest='First, thank you.')
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
    return Label(m["label"].strip(), m["note"] or tail["note"], tail["rest"].strip())


def fix_joined_name(label: str) -> str:
    """Undo a missing space in a two-word name (`VladimirPutin` -> `Vladimir Putin`), a typo of the site."""
    m = _CAMEL.match(label)
    return f"{m[1]} {m[2]}" if m else label


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


def split_label(label: str, known_names: Iterable[str] = ()) -> tuple[str | None, str | None]:
    """Split a named label into (name, role); the page's known names are used first, then general rules.

    >>> split_label("President of Russia Vladimir Putin")
    ('Vladimir Putin', 'President of Russia')
    >>> split_label("Chairperson of the Central Election Commission Ella Pamfilova", ["Ella Pamfilova"])
    ('Ella Pamfilova', 'Chairperson of the Central Election Commission')
    """
    label = fix_joined_name(" ".join(label.split()))
    if generic_kind(label):
        return None, None
    known = sorted(known_names, key=lambda n: (-len(n), n))
    best = ""
    for name in known:
        if (label == name or label.endswith(" " + name)) and len(name) > len(best):
            best = name
    if best:
        role = label[: len(label) - len(best)].strip()
        return best, role or None
    for name in known:
        if label.startswith(name + ", "):
            return name, label[len(name) + 2:].strip() or None
    tokens = label.split()
    if len(tokens) <= 4 and all(t.lower() not in ROLE_WORDS and (t not in CONNECTORS or t.lower() in PARTICLES)
                                for t in tokens):
        return label, None
    start = max(len(tokens) - 2, 0)
    # A name particle or an initial takes the word before it into the name ("Mohammad bin Salman Al Saud").
    while start > 0 and (tokens[start].lower() in PARTICLES or tokens[start - 1].lower() in PARTICLES
                         or _INITIAL.match(tokens[start - 1])):
        start -= 1
    while start < len(tokens) - 1 and (tokens[start].lower() in ROLE_WORDS or tokens[start] in CONNECTORS):
        start += 1
    name = " ".join(tokens[start:])
    role = " ".join(tokens[:start])
    return name, role or None


def speaker_id(name: str) -> str:
    """Stable person key: the name in lower-case ASCII with hyphens.

    >>> speaker_id("Sauli Niinistö")
    'sauli-niinisto'
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def short_label_names(labels: Iterable[str]) -> set[str]:
    """Labels on a page that are a bare name (no role words), to be used as evidence for the long forms."""
    names = set()
    for label in labels:
        label = fix_joined_name(label)
        tokens = label.split()
        if (generic_kind(label) is None and 2 <= len(tokens) <= 4
                and all(t.lower() not in ROLE_WORDS and t not in CONNECTORS for t in tokens)):
            names.add(label)
    return names


def unify_speaker_ids(utterances: pl.DataFrame) -> pl.DataFrame:
    """One person, one id across pages: names the site links to one person-catalogue id share an id.

    For each person_id the most frequent speaker_id (ties: the smallest) becomes the id of every
    speaker_id seen with it, including that speaker's turns on pages without links (text input).
    A speaker_id seen with several person ids follows the one it is seen with most.
    """
    linked = (
        utterances.filter(pl.col("person_id").is_not_null() & pl.col("speaker_id").is_not_null())
        .group_by("speaker_id", "person_id").len()
    )
    if linked.is_empty():
        return utterances
    canonical = (
        linked.group_by("person_id", "speaker_id").agg(pl.col("len").sum())
        .sort(["person_id", "len", "speaker_id"], descending=[False, True, False])
        .group_by("person_id", maintain_order=True).first()
        .select("person_id", pl.col("speaker_id").alias("canonical_id"))
    )
    mapping = (
        linked.sort(["speaker_id", "len", "person_id"], descending=[False, True, False])
        .group_by("speaker_id", maintain_order=True).first()
        .join(canonical, on="person_id")
        .select("speaker_id", "canonical_id")
    )
    return (
        utterances.join(mapping, on="speaker_id", how="left", maintain_order="left")
        .with_columns(pl.coalesce("canonical_id", "speaker_id").alias("speaker_id"))
        .drop("canonical_id")
    )


def speakers_table(utterances: pl.DataFrame, events: pl.DataFrame) -> pl.DataFrame:
    """One row per named speaker: most used name, person id, roles, labels, counts and first/last dates."""
    named = utterances.filter(pl.col("speaker_id").is_not_null()).join(
        events.select("event_id", "date"), on="event_id", how="left")
    top_name = (
        named.group_by("speaker_id", "speaker_name").len()
        .sort(["speaker_id", "len", "speaker_name"], descending=[False, True, False])
        .group_by("speaker_id", maintain_order=True).first().select("speaker_id", "speaker_name")
    )
    top_person = (
        named.filter(pl.col("person_id").is_not_null()).group_by("speaker_id", "person_id").len()
        .sort(["speaker_id", "len", "person_id"], descending=[False, True, False])
        .group_by("speaker_id", maintain_order=True).first().select("speaker_id", "person_id")
    )
    stats = named.group_by("speaker_id").agg(
        pl.col("speaker_role").drop_nulls().unique().sort().alias("roles"),
        pl.col("speaker_label").unique().sort().alias("labels"),
        pl.col("event_id").n_unique().cast(pl.Int32).alias("n_events"),
        pl.len().cast(pl.Int32).alias("n_utterances"),
        pl.col("n_words").sum().cast(pl.Int32).alias("n_words"),
        pl.col("date").min().alias("first_date"),
        pl.col("date").max().alias("last_date"),
    )
    return (
        stats.join(top_name, on="speaker_id").join(top_person, on="speaker_id", how="left")
        .select("speaker_id", "speaker_name", "person_id", "roles", "labels", "n_events", "n_utterances",
                "n_words", "first_date", "last_date")
        .sort("speaker_id")
    )


def refine_names(utterances: pl.DataFrame, events: pl.DataFrame) -> pl.DataFrame:
    """Re-split long labels with the evidence of the whole corpus, where the page alone had too little.

    A label such as `President of Turkey Recep Tayyip Erdogan` on a page without the short form gets the
    general rule's two-word name; when another page prints `Recep Tayyip Erdogan:` as a bare label, or a
    Persons tag `Erdogan Recep Tayyip`, the longer name is taken.
    """
    named = utterances.filter(pl.col("speaker_role").is_not_null())
    if named.is_empty():
        return utterances
    known = short_label_names(utterances.get_column("speaker_label").unique().to_list())
    known |= set(persons_to_names(events.get_column("persons").explode().drop_nulls().unique().to_list()))
    fixes = []
    for label, name in named.select("speaker_label", "speaker_name").unique().iter_rows():
        new_name, new_role = split_label(label, known)
        if new_name and len(new_name) > len(name or ""):
            fixes.append((label, new_name, new_role, speaker_id(new_name)))
    if not fixes:
        return utterances
    fix = pl.DataFrame(fixes, schema=["speaker_label", "new_name", "new_role", "new_id"], orient="row")
    return (
        utterances.join(fix, on="speaker_label", how="left", maintain_order="left")
        .with_columns(
            pl.coalesce("new_name", "speaker_name").alias("speaker_name"),
            pl.when(pl.col("new_name").is_not_null()).then(pl.col("new_role")).otherwise(pl.col("speaker_role"))
            .alias("speaker_role"),
            pl.coalesce("new_id", "speaker_id").alias("speaker_id"),
        )
        .drop("new_name", "new_role", "new_id")
    )
