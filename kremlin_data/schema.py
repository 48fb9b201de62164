"""Every column defined once (Arrow type, description, unit); the table schemas; rows -> Arrow tables."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import pyarrow as pa

MOSCOW = "Europe/Moscow"


@dataclass(frozen=True, slots=True)
class Field:
    """One column: its name, Arrow type, description and unit (if it has one)."""

    name: str
    type: pa.DataType
    description: str
    unit: str | None = None
    nullable: bool = True

    @property
    def column(self) -> str:
        """The column name, without a table qualifier."""
        return self.name.rpartition(".")[2]

    def to_arrow(self) -> pa.Field:
        """The pyarrow field, with description and unit in its metadata."""
        meta = {"description": self.description}
        if self.unit:
            meta["unit"] = self.unit
        return pa.field(self.column, self.type, nullable=self.nullable, metadata=meta)


STR = pa.string()
LIST_STR = pa.list_(pa.string())

# Types every reader takes. Each column's type must read without loss in DuckDB, pandas (pyarrow dtypes),
# polars, R arrow and Spark; tests/test_interop.py reads every table with all but R (not packaged for Debian).
# - Time of day: a string `HH:MM`. Parquet TIME (Arrow time32/time64) is rejected by Spark
#   (`[PARQUET_TYPE_ILLEGAL] Illegal Parquet type: INT32 (TIME(MILLIS,false))`); a zero-padded string sorts and
#   compares like the time and reads the same everywhere, and `started_at` carries the typed instant.
# - Zoned timestamps: timestamp[ms, tz=Europe/Moscow] is Parquet TIMESTAMP(MILLIS, isAdjustedToUTC=true): the
#   instant is stored in UTC, so every reader gets the same instant. The zone name lives in the Arrow schema
#   (pandas, polars and R show Moscow time); DuckDB (TIMESTAMPTZ) and Spark (TimestampType) show it in their
#   session zone, as the same instant.
# - Small integers: int8 (`rank`) is Parquet INT(8), read as TINYINT / ByteType / Int8 / R integer; no unsigned
#   types (Spark has none), no 128-bit decimals, no dictionary or large_string types.
# - Lists: `list<...>` is written as the standard three-level Parquet LIST, which all readers map to their
#   array type (Spark array, DuckDB list, R list column); no structs or maps.
# - Field metadata (description, unit) rides in the Arrow schema stored in the file: pandas, polars and R
#   keep it, Spark and DuckDB ignore it without error; datapackage.json carries the same text for them.
TIME_OF_DAY = STR
PORTABLE_TYPES = (pa.string(), pa.bool_(), pa.int8(), pa.int32(), pa.int64(), pa.float64(), pa.date32(),
                  pa.timestamp("ms", tz=MOSCOW))


def is_portable(t: pa.DataType) -> bool:
    """True for a type every reader takes: one of PORTABLE_TYPES, or a list of one.

    >>> is_portable(pa.list_(pa.int64())), is_portable(pa.time32("ms")), is_portable(pa.uint32())
    (True, False, False)
    """
    if pa.types.is_list(t):
        return is_portable(t.value_type)
    return t in PORTABLE_TYPES

_FIELDS: list[Field] = [
    # keys
    Field("event_id", STR, "Stable event key: `kremlin-en-<site_id>` where the page gives the site's id "
          "(HTML page, or a `Direct link` line); otherwise `kremlin-en-<yyyymmdd>-<hhmm>-<8 hex of sha1(title)>` "
          "(`0000` when the page gives no time; the lead where the capture lost the title); for a fragment "
          "without a `Direct link`, `kremlin-en-<yyyymmdd>-fragment-<8 hex of sha1(its first line of 40 "
          "characters or more, else its first line)>` (`00000000` when the file name is not a date).", nullable=False),
    Field("utterance_id", STR, "Stable turn key: `<event_id>.u<seq>`.", nullable=False),
    Field("speaker_id", STR, "Stable person key: the speaker's full name in lower-case ASCII with hyphens "
          "(`vladimir-putin`); null for generic labels such as Question. One person keeps one id over the corpus: "
          "titles and case do not count, surname-only labels take the full name their page gives, clear typos "
          "and person-catalogue links are merged (rules in README, Speaker identity; every merge in "
          "speaker_aliases)."),
    # events
    Field("site_id", pa.int64(), "The article id on en.kremlin.ru (the `<id>` of `/events/president/news/<id>`), "
          "when the page gives it."),
    Field("url", STR, "Canonical page address on en.kremlin.ru, when the site id is known."),
    Field("source_path", STR, "The input file the row was read from, as given to build (relative paths kept).",
          nullable=False),
    Field("source_line", pa.int32(), "Line (1-based) of the input file where the page starts; pages may be glued "
          "in one file. For HTML input, 1.", nullable=False),
    Field("section", STR, "The section line at the top of the page (`Events`)."),
    Field("title", STR, "Page title."),
    Field("lead", STR, "The lead paragraph under the title."),
    Field("date", pa.date32(), "Date of the event as printed under the lead (announcements: the announced date)."),
    # Not Parquet TIME (time32): Spark rejects that type outright (see the note above TIME_OF_DAY).
    Field("time", TIME_OF_DAY, "Local time of day printed under the date, as `HH:MM` (24-hour, zero-padded, Moscow "
          "time as published), if any; `started_at` holds the same instant as a zoned timestamp."),
    Field("started_at", pa.timestamp("ms", tz=MOSCOW), "date + time as a zoned timestamp; null when no time is "
          "printed."),
    Field("place", STR, "Place line under the date and time (`Sochi`, `The Kremlin, Moscow`)."),
    Field("is_fragment", pa.bool_(), "True for a page body whose header (`Events`, title, date) the capture of "
          "the text version lost (the start of a day file, or text glued after a `Text version` marker): its date "
          "is the day file's name (`2017-04-19.txt` -> 2017-04-19; null when the name is not a date), its title "
          "null, and one `no_header` row in parse_issues names it. False for HTML pages.", nullable=False),
    Field("is_announcement", pa.bool_(), "True for announcement pages (`Announcement, <date>` instead of date and "
          "time).", nullable=False),
    Field("photo_captions", LIST_STR, "Captions of the page's photos (slider caption and in-body photo captions); "
          "never utterance text."),
    Field("subheadings", LIST_STR, "Sub-headings of the body, in page order, including video titles."),
    Field("see_also", LIST_STR, "Titles of the `See also` and `Additional` link boxes placed in the body (never "
          "utterance text)."),
    Field("narration", LIST_STR, "Body paragraphs no speaker says: the whole body of a page without turns, or "
          "the paragraphs before the first turn."),
    Field("geography", LIST_STR, "Geography tags of the page footer."),
    Field("topics", LIST_STR, "Topics tags of the page footer."),
    Field("persons", LIST_STR, "Persons tags of the page footer, as printed (`Surname Given-name`)."),
    Field("geography_codes", LIST_STR, "Site catalogue code of each Geography tag, aligned with `geography`: a "
          "country (`/catalog/countries/<code>`, `KZ`) or a Russian region (`/catalog/regions/<code>`, `SPE`); "
          "null for a tag without a link. HTML only; empty for text input."),
    Field("topic_ids", pa.list_(pa.int64()), "Site id of each Topics tag (`/catalog/keywords/<n>`), aligned with "
          "`topics`; null for a tag without a link. HTML only."),
    Field("person_ids", pa.list_(pa.int64()), "Site person-catalogue id of each Persons tag "
          "(`/catalog/persons/<n>`), aligned with `persons`; null for a tag without a link. HTML only."),
    Field("published_in", LIST_STR, "Sections the page is published in (`News`, `Transcripts`, ...)."),
    Field("published_at", pa.timestamp("ms", tz=MOSCOW), "Publication date and time from the footer."),
    Field("n_utterances", pa.int32(), "Speaker turns on the page.", unit="turns", nullable=False),
    Field("n_words", pa.int32(), "Words: `len(text.split())` of the turn text; for events, summed over the turns.",
          unit="words", nullable=False),
    Field("n_omissions", pa.int32(), "Omission markers (`<…>`) on the page.", unit="markers", nullable=False),
    Field("content_sha256", STR, "SHA-256 of the page's input text (UTF-8, after decoding), for change "
          "detection.", nullable=False),
    Field("parser_version", STR, "Version of kremlin-data that parsed the page.", nullable=False),
    # utterances
    Field("seq", pa.int32(), "Position of the turn in the event, from 1.", nullable=False),
    Field("speaker_label", STR, "The speaker label as printed, without colon and note "
          "(`President of Russia Vladimir Putin`).", nullable=False),
    Field("label_note", STR, "A parenthetical between label and colon (`retranslated`), without brackets."),
    Field("speaker_name", STR, "The speaker's name as printed in the label, without role (`Vladimir Putin`, "
          "`Putin`); null for generic labels. `speaker_id` says who it is."),
    Field("speakers.speaker_name", STR, "The name shown for the person: the most used printed form whose own id "
          "is the speaker_id, with all-capitals words case-folded (`Vladimir Putin`).", nullable=False),
    Field("speaker_role", STR, "The role printed before the name in this label (`President of Russia`), if any."),
    Field("person_card", STR, "The person card that the saved browser text carried after a linked label, in the "
          "catalogue form `Surname Given-name` (`Medvedev Dmitry`), removed from `speaker_label` and kept as "
          "evidence for the name; the card's role text is dropped. Text input only; null when the label had none."),
    Field("person_id", pa.int64(), "The site's person-catalogue id linked from the label or found for the name "
          "on the page (HTML only)."),
    Field("kind", STR, "Turn kind: `named` for a named speaker; for generic labels the label's word: "
          "`question`, `remark`, `reply`, `response`, `interpreter`, `voice`.", nullable=False),
    Field("subheading", STR, "The sub-heading the turn falls under, if any."),
    Field("text", STR, "The turn's paragraphs joined by a newline; label removed, editorial brackets and "
          "ellipses kept.", nullable=False),
    Field("n_paragraphs", pa.int32(), "Paragraphs in the turn.", unit="paragraphs", nullable=False),
    Field("follows_omission", pa.bool_(), "True when an omission marker stands right before the turn.",
          nullable=False),
    Field("reply_to", STR, "`utterance_id` of the turn this turn replies to, on the same page: the question it "
          "answers (the question, not a co-answerer, when two answer one question; the question, not a host's short "
          "aside on it), the remark it takes up, the answer a follow-up question takes up, the host's hand-over a "
          "guest takes the floor from. Null for the first turn, a statement or speech, a host moving on to the next "
          "asker, a new question that does not take up the answer before it (in interviews, news conferences, "
          "Direct Lines and other question-and-answer pages: a question of more than 30 words that does not open "
          "like a follow-up, or a new asker who speaks up or greets the room right after an answer), the hosts' "
          "opening turns before the one who answers first speaks, a speaker going on after a label-like line, and a "
          "turn after an omission. Rules in `kremlin_data/replies.py`; precision and recall on hand-labelled pages "
          "in the README."),
    Field("is_question", pa.bool_(), "True when the turn asks: a generic Question label, a last sentence that ends "
          "with a question mark, or a host's turn that gives the floor or introduces the next asker.",
          nullable=False),
    # speakers
    Field("roles", LIST_STR, "Every role printed for the person, sorted."),
    Field("labels", LIST_STR, "Every printed label form for the person, sorted."),
    Field("n_events", pa.int32(), "Events in which the person speaks.", unit="events", nullable=False),
    Field("speakers.n_utterances", pa.int32(), "Turns the person speaks, over all events.", unit="turns",
          nullable=False),
    Field("speakers.n_words", pa.int32(), "Words the person speaks, over all events.", unit="words",
          nullable=False),
    Field("first_date", pa.date32(), "Date of the first event in which the person speaks."),
    Field("last_date", pa.date32(), "Date of the last event in which the person speaks."),
    # speaker_aliases
    Field("alias", STR, "A speaker name as printed in labels (`speaker_name` of the utterances: the label without "
          "its role), before the corpus-wide identity step.", nullable=False),
    Field("evidence", STR, "What gave the alias its speaker_id: `name` (the printed name itself, titles dropped, "
          "case folded), `middle_initial`, `middle_name`, `transliteration`, `typo`, `role_typo`, `page_spelling` "
          "(two spellings of a name on one page), `page_label`, `page_card`, `page_tag` (a surname "
          "resolved within its page through another label, a person card or a Persons tag), `corpus_surname`, "
          "`person_id` (the site's person link, HTML), `user` or `user_veto` (the `--aliases` file). See README, "
          "Speaker identity.", nullable=False),
    Field("speaker_aliases.n_utterances", pa.int32(), "Turns printed with this alias that got this speaker_id on "
          "this evidence.", unit="turns", nullable=False),
    # parse_issues
    Field("line_no", pa.int32(), "Line (1-based) in the input file; null where the problem is the whole file "
          "(then `text` names the byte offset where relevant)."),
    Field("parse_issues.text", STR, "The offending input line (cut to 300 characters) or a description of the "
          "problem.", nullable=False),
    Field("reason", STR, "Why the line was not placed: a short machine-readable code, then a colon and an "
          "explanation.", nullable=False),
]

_FIELDS += [
    # event_tags, topics, utterance_topics, utterance_site_topics (kremlin_data/topics.py)
    Field("tag_type", STR, "Which footer list the tag comes from: `topic`, `geography` or `person`.", nullable=False),
    Field("tag", STR, "The tag as the site prints it, trimmed and with one spelling per tag (spellings that differ "
          "only in spacing, dashes or case are merged into the most common one).", nullable=False),
    Field("tag_id", STR, "The site's catalogue id of the tag where the HTML links it: keyword number for topics, "
          "country code for geography, person-catalogue number for persons; null for text input and where the "
          "page's id list does not line up with its tags."),
    Field("topic_id", pa.int32(), "Learned topic number, from 1; topics are numbered by their word-weighted total "
          "over the documents the model was fitted on, largest first. The model is saved with the tables "
          "(`topic_model.npz`) and reused by later builds into the same folder, so a number keeps its meaning "
          "until `build --refit-topics` (or a new package version) fits the model again.", nullable=False),
    Field("label", STR, "A readable name for the learned topic: its first three top terms that do not repeat a "
          "word (a word gives way to a two-word term holding it when that weighs 0.4 of it or more).",
          nullable=False),
    Field("top_terms", LIST_STR, "The topic's ten highest-weighted terms (words and two-word phrases), "
          "heaviest first.", nullable=False),
    Field("term_weights", pa.list_(pa.float64()), "Weights of `top_terms` in the topic, relative to the first "
          "(which is 1), rounded to 6 decimals.", nullable=False),
    Field("topics.n_utterances", pa.int32(), "Turns whose first-ranked learned topic this is.", unit="turns",
          nullable=False),
    Field("weight", pa.float64(), "Share of the turn's topic weight that falls on this topic (the shares of all "
          "topics of a turn sum to 1), rounded to 6 decimals.", unit="share", nullable=False),
    Field("rank", pa.int8(), "Rank of the topic within the turn, 1 = heaviest; the top 3 are kept. Turns with fewer "
          "than 5 words left after stop words have no rows.", nullable=False),
    Field("topic", STR, "A site topic name (as in the Topics tags) predicted for the turn.", nullable=False),
    Field("probability", pa.float64(), "Classifier probability that the site would tag this turn's text with the "
          "topic, rounded to 6 decimals; rows below 0.5 are left out.", unit="probability", nullable=False),
]

_FIELDS += [
    # claims (kremlin_data/claims.py)
    Field("claim_id", STR, "Stable claim key: `<utterance_id>.c<n>`, n from 1 in text order within the turn.",
          nullable=False),
    Field("char_start", pa.int32(), "Start (0-based, in characters) of `surface` in the turn's `text`.",
          unit="characters", nullable=False),
    Field("char_end", pa.int32(), "End (exclusive) of `surface` in the turn's `text`: "
          "`text[char_start:char_end] == surface`.", unit="characters", nullable=False),
    Field("surface", STR, "The number as written, with its currency sign, scale word and unit, without the bound "
          "word or the counted noun (`US$17 billion`, `34.4 percent`, `70,500`, `three-day`, `500\u2013600`).",
          nullable=False),
    Field("sentence", STR, "The sentence of the turn that holds the number.", nullable=False),
    Field("value", pa.float64(), "The number with its scale applied (`US$17 billion` -> 17000000000, "
          "`one and a half times` -> 1.5, `a third` -> 0.333…); for a range its low end; for a date the day of the "
          "month; null for vague amounts (`hundreds of`). Unit: see `unit`."),
    Field("value_high", pa.float64(), "High end of a range (`500\u2013600`, `5 to 7 percent`, `two or three times`), "
          "scale applied; null when the number is not a range."),
    Field("claims.kind", STR, "What the number is: `percent`, `percentage_point`, `money`, `count`, `measure` "
          "(tonnes, km, hectares, barrels, cubic metres, degrees, watts…), `multiple` (`1.5 times`, `threefold`, "
          "`doubled`, `twice`), `fraction` (`a third`, `two-thirds`, `half of`), `year`, `date` (`August 19`), "
          "`duration` (`30 years`, `five months`, `three-day`), `ordinal` (`30th`, `first`), `vague` (`dozens of`, "
          "`hundreds of`, value null).", nullable=False),
    Field("unit", STR, "ISO 4217 code for money (`USD`, `RUB`, `EUR`, `CNY`…; `$` and `dollars` are USD); the "
          "normalised singular unit for measures (`tonne`, `kilometre`, `cubic metre`) and durations (`year`, "
          "`day`); the counted noun in the singular for counts and vague amounts (`party`, `candidate`, `person`), "
          "null when no noun follows; `percent` and `percentage point`; the month name for dates."),
    Field("bound", STR, "How the number is qualified: `=` exact or unqualified; `~` about, around, approximately, "
          "roughly, some; `>` over, more than, above; `>=` at least, no less than, or more; `<` less than, under, "
          "below; `<=` up to, no more than; `<~` almost, nearly, close to.", nullable=False),
    Field("change", STR, "`up` or `down` when the sentence says the quantity grew or fell (increased, grew, rose, "
          "went up, doubled; decreased, fell, dropped, declined, halved) next to the number; null otherwise. Only "
          "for percent, percentage_point, money, count, measure and multiple."),
    Field("change_type", STR, "`by` when the number is the size of the change (`increased by 34.4 percent`, "
          "`grew 5 percent`, `a 5 percent increase`), `to` when it is the level reached (`fell to 3 percent`); null "
          "when there is no change or it cannot tell (`from 5 percent`)."),
]

_FIELDS += [
    # fetch log (kremlin_data/fetch.py): one row per URL asked for, in <cache>/fetch_log.parquet
    Field("fetch_log.url", STR, "The URL asked for (the base URL, en.kremlin.ru or a mirror, and the site path).",
          nullable=False),
    Field("request_kind", STR, "What was asked for: `robots` (robots.txt), `listing` (a listing page) or "
          "`article` (an article page).", nullable=False),
    Field("http_status", pa.int16(), "HTTP status of the last response; null when no response came (timeout, "
          "connection error) or no request was made (disallowed by robots.txt)."),
    Field("n_bytes", pa.int64(), "Size of the last response body as received (before gzip in the cache).",
          unit="bytes", nullable=False),
    Field("sha256", STR, "SHA-256 of the last response body; null for an empty body."),
    Field("fetched_at", pa.timestamp("ms", tz="UTC"), "When the URL's last attempt ended (UTC).", nullable=False),
    Field("attempts", pa.int16(), "Requests made for the URL in this run (retries included); 0 when none was "
          "allowed.", nullable=False),
    Field("outcome", STR, "`stored` (a whole article written to the cache), `not_modified` (304 to a conditional "
          "request), `read` (robots.txt or a listing page read), `absent` (no robots.txt: all allowed), `failed` "
          "(given up after retries, or a 4xx; see `reason`), `disallowed` (robots.txt forbids the path).",
          nullable=False),
    Field("fetch_log.reason", STR, "Why the URL failed or was retried: `http_<status>`, `timeout: ...`, "
          "`connection: ...`, `truncated: ...`, `not_article: ...`, `wrong_article: ...`, with the attempt count; "
          "null when the first attempt succeeded."),
    Field("etag", STR, "The response's ETag, sent back as If-None-Match when the article is refreshed."),
    Field("run_id", STR, "The fetch run that made the request: its start time, ISO 8601 in UTC.", nullable=False),
]

_FIELDS += [
    # exchanges (kremlin_data/exchanges.py)
    Field("question_id", STR, "`utterance_id` of the question turn (a turn with `is_question` that at least one "
          "turn answers).", nullable=False),
    Field("asker_id", STR, "`speaker_id` of the asker; null for a generic label (Question, Remark)."),
    Field("asker_label", STR, "The asker's label as printed (`Question`, `Question from Perm Territory`, "
          "`Konstantin Panyushkin`).", nullable=False),
    Field("asker_from", STR, "The outlet or place the asker names: from a label `Question from …`, from "
          "`<name>, <outlet>` in the question's opening sentences (`Channel One`, `Mayak radio station`), from an "
          "opening sentence naming an outlet (`Rossiya TV channel.`), or from `I represent …`, `I am from …`, "
          "`calling from …`; null when none of these is there."),
    Field("asker_type", STR, "`official` (the printed role names an office: minister, governor, head, deputy, "
          "…), `journalist` (an outlet is named or the role is a press one), `citizen` (a named asker with neither), "
          "`unnamed` (a generic label with no outlet).", nullable=False),
    Field("answer_id", STR, "`utterance_id` of the first answer.", nullable=False),
    Field("answerer_id", STR, "`speaker_id` of the first answer's speaker; null for a generic label."),
    Field("answerer_label", STR, "The first answer's label as printed.", nullable=False),
    Field("n_answers", pa.int32(), "Turns that answer the question: turns whose `reply_to` is the question and "
          "that do not ask themselves (two leaders answering one journalist give 2).", unit="turns",
          nullable=False),
    Field("words_asked", pa.int32(), "Words of the question turn.", unit="words", nullable=False),
    Field("words_answered", pa.int32(), "Words of all its answer turns.", unit="words", nullable=False),
    Field("exchanges.n_claims", pa.int32(), "Numeric claims (rows of `claims`) in the answer turns.",
          unit="claims", nullable=False),
    Field("exchanges.topic_id", pa.int32(), "The question's heaviest learned topic (`utterance_topics` rank 1); "
          "null when the question is too short to have one or topics were skipped."),
    Field("answer_topic_id", pa.int32(), "The heaviest learned topic of the longest answer turn; null as for "
          "`topic_id`."),
]

# A name qualified as `<table>.<column>` defines a column whose meaning differs in that one table.
FIELDS: dict[str, Field] = {f.name: f for f in _FIELDS}
if len(FIELDS) != len(_FIELDS):  # pragma: no cover - guards against editing mistakes at import
    raise RuntimeError("a field is defined twice in schema.py")


@dataclass(frozen=True, slots=True)
class Table:
    """A table: its name, description, column names in order, and primary key."""

    name: str
    description: str
    columns: tuple[str, ...]
    primary_key: tuple[str, ...]

    def field(self, column: str) -> Field:
        """The definition of one column, a table-qualified one first."""
        qualified = FIELDS.get(f"{self.name}.{column}")
        return qualified if qualified else FIELDS[column]

    @property
    def schema(self) -> pa.Schema:
        """The Arrow schema, with the table description in its metadata (made once per table: see `_schema_of`)."""
        return _schema_of(self)


@cache
def _schema_of(table: Table) -> pa.Schema:
    """`Table.schema`: a table's definition does not change, and the build asks for its schema once per chunk."""
    return pa.schema([table.field(c).to_arrow() for c in table.columns],
                     metadata={"table": table.name, "description": table.description})


EVENTS = Table(
    "events", "One row per page (event).",
    ("event_id", "site_id", "url", "source_path", "source_line", "section", "title", "lead", "date", "time",
     "started_at", "place", "is_fragment", "is_announcement", "photo_captions", "subheadings", "see_also", "narration",
     "geography", "topics", "persons", "geography_codes", "topic_ids", "person_ids", "published_in",
     "published_at", "n_utterances", "n_words", "n_omissions", "content_sha256", "parser_version"),
    ("event_id",),
)
UTTERANCES = Table(
    "utterances", "One row per speaker turn.",
    ("utterance_id", "event_id", "seq", "speaker_label", "label_note", "speaker_name", "speaker_role",
     "speaker_id", "person_card", "person_id", "kind", "subheading", "text", "n_words", "n_paragraphs",
     "follows_omission", "reply_to", "is_question"),
    ("utterance_id",),
)
SPEAKERS = Table(
    "speakers", "One row per named person who speaks.",
    ("speaker_id", "speaker_name", "person_id", "roles", "labels", "n_events", "n_utterances", "n_words",
     "first_date", "last_date"),
    ("speaker_id",),
)
SPEAKER_ALIASES = Table(
    "speaker_aliases", "One row per printed speaker name, the speaker_id it was given and the evidence for it: "
    "every merge the identity step made, so it can be checked (and vetoed with `build --aliases`).",
    ("alias", "speaker_id", "evidence", "n_utterances"),
    ("alias", "speaker_id", "evidence"),
)
PARSE_ISSUES = Table(
    "parse_issues", "One row per input line or file the parser could not place.",
    ("source_path", "line_no", "text", "reason"),
    (),
)

EVENT_TAGS = Table(
    "event_tags", "One row per tag in a page footer (Topics, Geography, Persons).",
    ("event_id", "tag_type", "tag", "tag_id"),
    ("event_id", "tag_type", "tag"),
)
TOPICS = Table(
    "topics", "One row per topic learned from the words of the turns (TF-IDF + NMF).",
    ("topic_id", "label", "top_terms", "term_weights", "n_utterances"),
    ("topic_id",),
)
UTTERANCE_TOPICS = Table(
    "utterance_topics", "The three heaviest learned topics of each turn, one row per (turn, topic).",
    ("utterance_id", "topic_id", "weight", "rank"),
    ("utterance_id", "topic_id"),
)
UTTERANCE_SITE_TOPICS = Table(
    "utterance_site_topics", "Site topics predicted for each turn by a classifier trained on the tagged pages, "
    "one row per (turn, topic) with probability at least 0.5.",
    ("utterance_id", "topic", "probability"),
    ("utterance_id", "topic"),
)

CLAIMS = Table(
    "claims", "One row per number stated in a speaker turn: value with scale applied, kind, unit, bound and change.",
    ("claim_id", "utterance_id", "event_id", "speaker_id", "speaker_name", "date", "char_start", "char_end",
     "surface", "sentence", "value", "value_high", "kind", "unit", "bound", "change", "change_type"),
    ("claim_id",),
)

EXCHANGES = Table(
    "exchanges", "One row per question turn and its answers (turns whose `reply_to` is the question and that do not "
    "ask themselves): asker, answerer, words, claims and learned topics.",
    ("question_id", "event_id", "asker_id", "asker_label", "asker_from", "asker_type", "answer_id", "answerer_id",
     "answerer_label", "n_answers", "words_asked", "words_answered", "n_claims", "topic_id", "answer_topic_id"),
    ("question_id",),
)

PER_FILE_TABLES = (EVENTS, UTTERANCES, CLAIMS, PARSE_ISSUES)
"""Tables whose rows each come from one input file, as the parse pass writes them (before the corpus steps):
what the build cache keeps per file. The others are made over the whole corpus."""

TABLES: dict[str, Table] = {t.name: t for t in (EVENTS, UTTERANCES, SPEAKERS, SPEAKER_ALIASES, PARSE_ISSUES,
                                                 EVENT_TAGS, TOPICS, UTTERANCE_TOPICS, UTTERANCE_SITE_TOPICS, CLAIMS,
                                                 EXCHANGES)}

# Written by `kremlin-data fetch` into the cache folder, not by build.
FETCH_LOG = Table(
    "fetch_log", "One row per URL a fetch run asked for (`<cache>/fetch_log.parquet`, appended atomically).",
    ("url", "site_id", "request_kind", "http_status", "n_bytes", "sha256", "fetched_at", "attempts", "outcome",
     "reason", "etag", "run_id"),
    (),
)
CACHE_TABLES: dict[str, Table] = {FETCH_LOG.name: FETCH_LOG}


class SchemaError(ValueError):
    """Rows do not fit the table's schema."""


def to_table(rows: Iterable[Mapping[str, Any]], table: Table) -> pa.Table:
    """Build an Arrow table from row dicts, rejecting unknown and missing keys and nulls in required columns.

    >>> to_table([{"source_path": "a.txt", "line_no": 3, "text": "x", "reason": "r: y"}],
    ...          PARSE_ISSUES).num_rows
    1
    """
    rows = rows if isinstance(rows, list) else list(rows)
    expected = set(table.columns)
    for i, row in enumerate(rows):
        if row.keys() != expected:  # a keys view compares as a set, without making one
            keys = set(row)
            raise SchemaError(f"{table.name} row {i}: unknown keys {sorted(keys - expected)}, "
                              f"missing keys {sorted(expected - keys)}")
    # Column by column: a list comprehension per column costs less than appending each value to its column.
    return columns_to_table({c: [row[c] for row in rows] for c in table.columns}, table)


def columns_to_table(cols: Mapping[str, Sequence[Any] | pa.Array | pa.ChunkedArray], table: Table) -> pa.Table:
    """Build an Arrow table from a dict of columns (Python sequences or Arrow arrays), with the checks of `to_table`."""
    if set(cols) != set(table.columns):
        raise SchemaError(f"{table.name}: unknown columns {sorted(set(cols) - set(table.columns))}, "
                          f"missing columns {sorted(set(table.columns) - set(cols))}")
    schema = table.schema
    arrays = []
    for f in schema:
        col = cols[f.name]
        if isinstance(col, pa.ChunkedArray):  # pa.array would read it back value by value
            col = col.combine_chunks()
        arr = col.cast(f.type) if isinstance(col, pa.Array) else pa.array(col, type=f.type)
        if not f.nullable and arr.null_count:
            raise SchemaError(f"{table.name}.{f.name}: {arr.null_count} null value(s) in a required column")
        arrays.append(arr)
    return pa.Table.from_arrays(arrays, schema=schema)


def empty_table(table: Table) -> pa.Table:
    """A typed table with no rows."""
    return table.schema.empty_table()


def data_dictionary() -> str:
    """The README's data dictionary, in Markdown, generated from the table definitions."""
    out = []
    for table in (*TABLES.values(), *CACHE_TABLES.values()):
        key = ", ".join(table.primary_key) or "none"
        out.append(f"### `{table.name}`\n\n{table.description} Primary key: {key}.\n")
        out.append("| column | type | unit | description |\n|---|---|---|---|")
        for c in table.columns:
            f = table.field(c)
            required = "" if f.nullable else " (never null)"
            desc = f.description.replace("|", "\\|")
            out.append(f"| `{c}` | `{f.type}`{required} | {f.unit or ''} | {desc} |")
        out.append("")
    return "\n".join(out)
