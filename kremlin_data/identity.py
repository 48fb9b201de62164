"""One person, one id over the corpus: printed names -> speaker ids, with the evidence for every merge.

Works on the parsed tables (utterances and events), never inside per-file parsing, so per-file rows stay valid
when the corpus around them changes. The heavy work is polars joins; Python runs only once per distinct
printed name or Persons tag (a few thousand), never per turn.

Rules, in order (the evidence code of each is what `speaker_aliases.evidence` shows):

1. `name`: the printed name, with titles and honorifics (`Mr`, `President`) dropped, all-capitals words
   case-folded (`Vladimir PUTIN`), and the id taken as lower-case ASCII.
2. `middle_initial`: `Vladimir V. Putin` -> `vladimir-putin` when that name is known from the corpus;
   `middle_name`: a name of two words and the one name of three words or more with the same first and last word
   (`Jose Barroso`, `Jose Manuel Barroso`) take the more used one's id; `transliteration`: names of two words, the
   same surname and the same given name in another Latin spelling (`_fold_given`: `Aleksandr`/`Alexander`,
   `Natalia`/`Natalya`), spoken within `SURNAME_YEARS` years of each other, take the most used spelling's id.
3. `typo`: a rare spelling whose surname equals a well-attested name's and whose given name is within a small
   edit distance of it (`Valdimir Putin`, `Vladmir Putin`), when exactly one such name exists and it is used
   at least `TYPO_RATIO` times as often; `role_typo`: a misspelt role word before a known name
   (`Ppresident Vladimir Putin`); `page_spelling`: two spellings of one full name on one page, the same words but
   one close as for a typo (given name or surname) and no initials (`Sergei`/`Sergey Brilev`, `Kirill
   Kleimenov`/`Kleymenov`), take the corpus's most used one, on every page.
4. `page_label`, `page_card`, `page_tag`: a surname-only label (`Putin:`), or an initial and a surname
   (`A. Magometov`), resolved within its page to the one full name with that surname the page uses in another
   label, in a person card, or in its Persons tags.
5. `corpus_surname`: a surname-only label whose page gives no full name, resolved when the corpus's labels
   hold exactly one full name with that surname, spoken within `SURNAME_YEARS` years of the page.
6. `person_id`: names the site links to one person-catalogue id (HTML input) share the id most used with it.
7. `user`: `build --aliases FILE` (CSV `alias,speaker_id`) maps a printed name to an id; an empty id (or the
   alias's own id) vetoes every merge of that name, which then keeps its rule-1 id (`user_veto`).
"""

from __future__ import annotations

import csv
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path

import polars as pl

from kremlin_data.speakers import (
    CONNECTORS,
    NOT_NAMES,
    PARTICLES,
    ROLE_WORDS,
    fold_word,
    persons_to_names,
    short_label_names,
    speaker_id,
    split_label,
    tag_names,
)

# Words that stand before a name as a title, not as part of it.
HONORIFICS = frozenset("""mr mrs ms miss mister madam madame sir dr doctor prof professor president premier
    sheikh his her excellency majesty highness mme herr""".split())
TYPO_RATIO = 5
TYPO_MAX_TURNS = 5
SURNAME_YEARS = 4
EVIDENCE_ORDER = ("name", "middle_initial", "middle_name", "transliteration", "role_typo", "typo", "page_spelling",
                  "corpus_surname", "page_tag", "page_card", "page_label", "person_id", "user_veto", "user")
_GLUED_INITIAL = re.compile(r"\b([A-Z])\.(?=[A-Za-z])")
_INITIAL = re.compile(r"^[A-Za-z]\.$")


class AliasFileError(ValueError):
    """The `--aliases` file cannot be read: names the file and the line."""


def normalise_name(name: str) -> str:
    """A printed name without titles, with all-capitals words case-folded and glued initials spaced.

    >>> normalise_name("Mr. PUTIN"), normalise_name("President Vladimir V.PUTIN"), normalise_name("Ban KI-MOON")
    ('Putin', 'Vladimir V. Putin', 'Ban Ki-Moon')
    """
    tokens = _GLUED_INITIAL.sub(r"\1. ", " ".join(name.split())).split()
    while len(tokens) > 1 and tokens[0].lower().rstrip(".") in HONORIFICS:
        tokens = tokens[1:]
    return " ".join(fold_word(t) for t in tokens)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def edit_distance(a: str, b: str) -> int:
    """Edit distance with adjacent transpositions counted once (`Valdimir` / `Vladimir` is 1).

    >>> edit_distance("valdimir", "vladimir"), edit_distance("vladmir", "vladimir"), edit_distance("ivanov", "ivanova")
    (1, 1, 1)
    """
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def _name_parts(name: str) -> dict[str, object]:
    """Columns for one printed name: normalised form, its id, surname, given name or initial."""
    norm = normalise_name(name)
    tokens = [_ascii(t).strip(".,") for t in norm.split()]
    tokens = [t for t in tokens if t]
    full = [t for t in tokens if len(t) > 1]
    initials = [t for t in tokens[:-1] if len(t) == 1]
    return {
        "speaker_name": name,
        "norm_name": norm,
        "name_id": speaker_id(norm) or speaker_id(name),
        "surname": tokens[-1] if tokens else "",
        "given": full[0] if len(full) > 1 else None,
        "initial": (full[0][:1] if len(full) > 1 else (initials[0] if initials else None)),
        "short": len(full) <= 1,  # a surname alone, or initials and a surname
        "person_like": _person_like(norm),
        "no_middle_id": speaker_id(" ".join(t for t in norm.split() if not _INITIAL.match(t))),
    }


def _person_like(norm: str) -> bool:
    """A name that can stand for a person: capitalised words, no role word, place word or possessive.

    >>> _person_like("Vladimir Putin"), _person_like("King Abdullah II of Jordan"), _person_like("NPR's Robert Siegel")
    (True, False, False)
    """
    tokens = norm.split()
    return bool(tokens) and all(
        (t[:1].isupper() or t.lower() in PARTICLES) and _ascii(t).strip(".") not in ROLE_WORDS
        and _ascii(t) not in NOT_NAMES and (t.lower() not in CONNECTORS or t.lower() in PARTICLES)
        and "'" not in t and "’" not in t for t in tokens)


def _names_frame(names: Iterable[str]) -> pl.DataFrame:
    schema = {"speaker_name": pl.String, "norm_name": pl.String, "name_id": pl.String, "surname": pl.String,
              "given": pl.String, "initial": pl.String, "short": pl.Boolean, "person_like": pl.Boolean,
              "no_middle_id": pl.String}
    return pl.DataFrame([_name_parts(n) for n in names], schema=schema, orient="row")


def _full_name_frame(names: Iterable[str]) -> pl.DataFrame:
    """Full names (tags, cards) as (source name, id, surname, initial)."""
    rows = []
    for n in names:
        p = _name_parts(n)
        if not p["short"] and p["person_like"]:
            rows.append((n, p["name_id"], p["surname"], p["initial"]))
    return pl.DataFrame(rows, schema={"source": pl.String, "cand_id": pl.String, "surname": pl.String,
                                      "initial": pl.String}, orient="row")


def read_aliases(path: str | os.PathLike[str]) -> dict[str, str | None]:
    """Read a user's alias file: CSV with a header `alias,speaker_id`; an empty speaker_id is a veto.

    The alias is a printed name as in `speaker_aliases.alias` (matched case-insensitively, spaces collapsed).
    """
    file = Path(path)
    out: dict[str, str | None] = {}
    with file.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header is None or [h.strip().lower() for h in header[:2]] != ["alias", "speaker_id"]:
            raise AliasFileError(f"{file}:1: the header must be `alias,speaker_id`, found {header!r}")
        for line_no, row in enumerate(reader, start=2):
            if not row or not "".join(row).strip():
                continue
            if len(row) != 2 or not row[0].strip():
                raise AliasFileError(f"{file}:{line_no}: expected `alias,speaker_id`, found {row!r}")
            target = row[1].strip()
            if target and speaker_id(target) != target:
                raise AliasFileError(f"{file}:{line_no}: {target!r} is not a speaker id (lower-case ASCII with "
                                     f"hyphens, such as {speaker_id(target)!r})")
            out[_alias_key(row[0])] = target or None
    return out


def _alias_key(alias: str) -> str:
    return " ".join(alias.split()).lower()


def corpus_speakers(utterances: pl.DataFrame, events: pl.DataFrame,
                    aliases_file: str | os.PathLike[str] | None = None
                    ) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """The speakers step of a build: (utterances with corpus-wide ids, speaker_aliases, speakers)."""
    overrides = read_aliases(aliases_file) if aliases_file is not None else None
    resolved, aliases = resolve(refine_names(utterances, events), events, overrides)
    return resolved, aliases, speakers_table(resolved, events, aliases)


def resolve(utterances: pl.DataFrame, events: pl.DataFrame,
            overrides: Mapping[str, str | None] | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Give every named turn the id of its person; returns (utterances, speaker_aliases).

    `utterances` needs event_id, speaker_name, speaker_id, person_id, kind and person_card; `events` needs
    event_id, date and persons. Only `speaker_id` of the utterances changes.
    """
    if "person_card" not in utterances.columns:
        utterances = utterances.with_columns(pl.lit(None, pl.String).alias("person_card"))
    u = utterances.with_row_index("_row")
    named = u.filter(pl.col("speaker_name").is_not_null())
    names = _names_frame(named.get_column("speaker_name").unique().sort().to_list())
    rows = (named.select("_row", "event_id", "speaker_name", "person_id", "person_card")
            .join(names, on="speaker_name", how="left")
            .join(events.select("event_id", pl.col("date").dt.year().alias("year")), on="event_id", how="left"))
    rows = rows.with_columns(pl.col("name_id").alias("resolved"), pl.lit("name").alias("evidence"))
    rows = _merge_ids(rows, _id_level_merges(rows))
    rows = _merge_page_spellings(rows)
    rows = _resolve_short_names(rows, events)
    rows = _unify_by_person_id(rows)
    rows = _apply_overrides(rows, overrides or {})
    aliases = (
        rows.group_by("speaker_name", "resolved", "evidence").agg(pl.len().cast(pl.Int32).alias("n_utterances"))
        .select(pl.col("speaker_name").alias("alias"), pl.col("resolved").alias("speaker_id"), "evidence",
                "n_utterances")
        .sort("alias", "speaker_id", "evidence")
    )
    out = (u.join(rows.select("_row", "resolved"), on="_row", how="left", maintain_order="left")
           .with_columns(pl.coalesce("resolved", "speaker_id").alias("speaker_id"))
           .select(utterances.columns))
    return out, aliases


def _id_level_merges(rows: pl.DataFrame) -> pl.DataFrame:
    """Merges decided once per id over the corpus: middle initials, typos, misspelt roles (name_id, to_id, how)."""
    counts = rows.filter(~pl.col("short") & pl.col("person_like")).group_by("name_id").agg(
        pl.len().alias("n"), pl.first("surname"), pl.first("given"), pl.first("no_middle_id"), pl.first("norm_name"),
        pl.min("year").alias("y0"), pl.max("year").alias("y1"))
    ids = counts.rows()
    n_by_id: dict[str, int] = {}
    n_words: dict[str, int] = {}
    years: dict[str, tuple[int, int]] = {}
    by_surname: dict[str, list[tuple[str, str, int]]] = {}
    # Names of three words or more by their first and last word, for `Jose Barroso` / `Jose Manuel Barroso`.
    by_ends: dict[tuple[str, str], list[str]] = {}
    for nid, n, surname, given, _, norm, y0, y1 in ids:
        n_by_id[nid] = n
        n_words[nid] = norm.count(" ") + 1
        years[nid] = (y0 or 0, y1 or 0)
        by_surname.setdefault(surname, []).append((nid, given, n))
        words = norm.split()
        if len(words) >= 3 and all(len(w.rstrip(".")) > 1 for w in words):
            by_ends.setdefault((words[0].lower(), words[-1].lower()), []).append(nid)
    merges: list[tuple[str, str, str]] = []
    for nid, n, surname, given, no_middle, norm, y0, y1 in ids:
        if no_middle != nid and no_middle in n_by_id:
            merges.append((nid, no_middle, "middle_initial"))
            continue
        tokens = norm.split()
        if len(tokens) >= 3 and (tail := speaker_id(" ".join(tokens[1:]))) in n_by_id and _is_role_typo(tokens[0]):
            merges.append((nid, tail, "role_typo"))
            continue
        if len(tokens) == 2 and len(longer := by_ends.get((tokens[0].lower(), tokens[1].lower()), [])) == 1:
            # One name with middle names between the same first and last word: the more used form's id.
            if n_by_id[longer[0]] > n or (n_by_id[longer[0]] == n and longer[0] < nid):
                merges.append((nid, longer[0], "middle_name"))
            else:
                merges.append((longer[0], nid, "middle_name"))
            continue
        if len(tokens) == 2 and given is not None:
            # The same given name in another Latin spelling (`Aleksandr`/`Alexander`), spoken within `SURNAME_YEARS`
            # years of it: the most used spelling's id.
            same = [(cn, cid) for cid, cgiven, cn in by_surname.get(surname, ())
                    if cgiven and cgiven != given and _fold_given(cgiven) == _fold_given(given)
                    and n_words[cid] == 2 and years[cid][0] - SURNAME_YEARS <= (y1 or 0)
                    and (y0 or 0) <= years[cid][1] + SURNAME_YEARS]
            if same and (best := min([(-cn, cid) for cn, cid in same] + [(-n, nid)]))[1] != nid:
                merges.append((nid, best[1], "transliteration"))
                continue
        if n > TYPO_MAX_TURNS or given is None:
            continue
        near = [cid for cid, cgiven, cn in by_surname.get(surname, ())
                if cid != nid and cgiven and cn >= TYPO_RATIO * n and _close(given, cgiven)]
        if len(near) == 1:
            merges.append((nid, near[0], "typo"))
    # One merge per name, the first; a merge into a name that is itself merged goes on to the end of the chain.
    first: dict[str, tuple[str, str, str]] = {}
    for m in merges:
        first.setdefault(m[0], m)
    merges = list(first.values())
    target = {a: b for a, b, _ in merges}
    for k, (a, b, how) in enumerate(merges):
        seen = {a}
        while b in target and b not in seen:
            seen.add(b)
            b = target[b]
        merges[k] = (a, b, how)
    return pl.DataFrame(merges, schema={"name_id": pl.String, "to_id": pl.String, "how": pl.String}, orient="row")


def _merge_page_spellings(rows: pl.DataFrame) -> pl.DataFrame:
    """Two spellings of one full name on one page are one person (`Sergei Brilev` and `Sergey Brilev`).

    Two ids that one page gives, of as many words, the same but for one word that is a close spelling (`_close`:
    the given name or the surname; words equal under `_fold_given` count as the same), and no initial among them,
    take the id more used in the corpus, also on the other pages; spellings linked in this way over several pages
    form one group.
    """
    full = rows.filter(~pl.col("short") & pl.col("person_like"))
    counts = full.group_by("resolved").len()
    n_by_id = dict(zip(counts["resolved"].to_list(), counts["len"].to_list(), strict=True))
    ids = (full.select("event_id", "resolved").unique()
           .with_columns(pl.col("resolved").str.split("-").alias("w"))
           .filter(pl.col("w").list.len() >= 2)
           .with_columns(pl.col("w").list.len().alias("k"), pl.col("w").list.last().alias("last"),
                         pl.col("w").list.first().map_elements(_fold_given, return_dtype=pl.String).alias("first")))
    pairs = set()
    for key in ("last", "first"):  # the same surname (a given name differs), or the same given name (`_fold_given`)
        joined = ids.join(ids, on=["event_id", "k", key], suffix="_b").filter(pl.col("resolved") < pl.col("resolved_b"))
        pairs |= set(joined.select("resolved", "resolved_b").iter_rows())
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for a, b in sorted(pairs):
        wa, wb = a.split("-"), b.split("-")
        diff = [(x, y) for x, y in zip(wa, wb, strict=True) if _fold_given(x) != _fold_given(y)]
        if len(diff) <= 1 and min(map(len, wa + wb)) > 1 and (not diff or _close(*diff[0])):
            ra, rb = root(a), root(b)
            if ra != rb:
                # The group's id is its most used spelling.
                keep, drop = sorted((ra, rb), key=lambda i: (-n_by_id[i], i))
                parent[drop] = keep
    if not parent:
        return rows
    merges = pl.DataFrame([(i, root(i)) for i in parent], schema={"resolved": pl.String, "to_id": pl.String},
                          orient="row")
    return (rows.join(merges, on="resolved", how="left", maintain_order="left")
            .with_columns(pl.when(pl.col("to_id").is_not_null()).then(pl.lit("page_spelling"))
                          .otherwise(pl.col("evidence")).alias("evidence"),
                          pl.coalesce("to_id", "resolved").alias("resolved"))
            .drop("to_id"))


_SPELLINGS = ((re.compile(r"ks"), "x"), (re.compile(r"kh"), "h"), (re.compile(r"dr$"), "der"),
              (re.compile(r"(?:ey|ei|ii|iy|y)$"), "i"), (re.compile(r"ay$"), "ai"), (re.compile(r"y([oe])"), "e"),
              (re.compile(r"y([au])"), r"i\1"))


def _fold_given(given: str) -> str:
    """A given name with the Latin spellings of one Russian name made equal (`aleksandr`, `alexander`).

    >>> [_fold_given(g) for g in ("aleksandr", "alexander", "natalia", "natalya", "yevgeny", "evgenii", "ilkham")]
    ['alexander', 'alexander', 'natalia', 'natalia', 'evgeni', 'evgeni', 'ilham']
    """
    for pattern, repl in _SPELLINGS:
        given = pattern.sub(repl, given)
    return given


def _close(a: str, b: str) -> bool:
    """Given names close enough to be one spelling's typo: distance 1, or 2 for names of 6 letters or more."""
    limit = 2 if min(len(a), len(b)) >= 6 else 1
    # The distance is at least the difference in length: most pairs are ruled out without computing it.
    return abs(len(a) - len(b)) <= limit and 0 < edit_distance(a, b) <= limit


def _is_role_typo(word: str) -> bool:
    w = _ascii(word)
    return w not in ROLE_WORDS and len(w) >= 6 and any(
        len(r) >= 6 and abs(len(r) - len(w)) <= 1 and edit_distance(w, r) == 1 for r in ROLE_WORDS)


def _merge_ids(rows: pl.DataFrame, merges: pl.DataFrame) -> pl.DataFrame:
    if merges.is_empty():
        return rows
    return (rows.join(merges, on="name_id", how="left", maintain_order="left")
            .with_columns(pl.coalesce("to_id", "resolved").alias("resolved"),
                          pl.coalesce("how", "evidence").alias("evidence"))
            .drop("to_id", "how"))


def _resolve_short_names(rows: pl.DataFrame, events: pl.DataFrame) -> pl.DataFrame:
    """Surname-only (or initial-and-surname) names -> the one full name with that surname on the page or corpus."""
    full = rows.filter(~pl.col("short") & pl.col("person_like"))
    from_labels = full.select("event_id", pl.col("resolved").alias("cand_id"), "surname", "initial",
                              pl.lit(3).alias("prio"))
    cards = rows.filter(pl.col("person_card").is_not_null()).select("event_id", "person_card")
    card_names = _full_name_frame(persons_to_names(cards.get_column("person_card").unique().to_list()))
    from_cards = (cards.with_columns(pl.col("person_card").map_elements(
        lambda c: persons_to_names([c])[0], return_dtype=pl.String).alias("source"))
        .join(card_names, on="source").select("event_id", "cand_id", "surname", "initial", pl.lit(2).alias("prio")))
    tags = events.select("event_id", pl.col("persons").alias("tag")).explode("tag").drop_nulls("tag")
    tag_names = pl.DataFrame({"tag": tags.get_column("tag").unique().to_list()}, schema={"tag": pl.String})
    tag_names = tag_names.with_columns(pl.Series("source", persons_to_names(tag_names["tag"].to_list()),
                                                 dtype=pl.String))
    tag_full = _full_name_frame(tag_names["source"].to_list())
    from_tags = (tags.join(tag_names, on="tag").join(tag_full, on="source")
                 .select("event_id", "cand_id", "surname", "initial", pl.lit(1).alias("prio")))
    cands = pl.concat([from_labels, from_cards, from_tags]).unique(["event_id", "cand_id", "surname"], keep="first")
    cands = cands.group_by("event_id", "cand_id", "surname").agg(pl.max("prio"), pl.first("initial"))
    short = rows.filter(pl.col("short") & pl.col("person_like"))
    if short.is_empty():
        return rows
    on_page = (short.select("_row", "event_id", "surname", pl.col("initial").alias("want"))
               .join(cands, on=["event_id", "surname"])
               .filter(pl.col("want").is_null() | (pl.col("want") == pl.col("initial")))
               .group_by("_row").agg(pl.col("cand_id").n_unique().alias("n"), pl.first("cand_id"), pl.max("prio"))
               .filter(pl.col("n") == 1)
               .select("_row", pl.col("cand_id").alias("page_id"),
                       pl.col("prio").replace_strict({1: "page_tag", 2: "page_card", 3: "page_label"},
                                                     return_dtype=pl.String).alias("page_how")))
    spoken = (full.group_by("resolved").agg(pl.first("surname"), pl.first("initial"), pl.min("year").alias("y0"),
                                            pl.max("year").alias("y1"))
              .rename({"resolved": "corpus_id"}))
    in_corpus = (short.join(on_page, on="_row", how="anti")
                 .select("_row", "surname", "year", pl.col("initial").alias("want"))
                 .join(spoken, on="surname")
                 .filter((pl.col("want").is_null() | (pl.col("want") == pl.col("initial")))
                         & (pl.col("year") >= pl.col("y0") - SURNAME_YEARS)
                         & (pl.col("year") <= pl.col("y1") + SURNAME_YEARS))
                 .group_by("_row").agg(pl.col("corpus_id").n_unique().alias("n"), pl.first("corpus_id"))
                 .filter(pl.col("n") == 1).select("_row", "corpus_id"))
    return (rows.join(on_page, on="_row", how="left", maintain_order="left")
            .join(in_corpus, on="_row", how="left", maintain_order="left")
            .with_columns(pl.coalesce("page_id", "corpus_id", "resolved").alias("resolved"),
                          pl.when(pl.col("page_id").is_not_null()).then(pl.col("page_how"))
                          .when(pl.col("corpus_id").is_not_null()).then(pl.lit("corpus_surname"))
                          .otherwise(pl.col("evidence")).alias("evidence"))
            .drop("page_id", "page_how", "corpus_id"))


def _unify_by_person_id(rows: pl.DataFrame) -> pl.DataFrame:
    """Ids the site links to one person-catalogue id follow the id most used with it (HTML input)."""
    linked = rows.filter(pl.col("person_id").is_not_null()).group_by("resolved", "person_id").len()
    if linked.is_empty():
        return rows
    canonical = (linked.sort(["person_id", "len", "resolved"], descending=[False, True, False])
                 .group_by("person_id", maintain_order=True).first()
                 .select("person_id", pl.col("resolved").alias("canonical")))
    mapping = (linked.sort(["resolved", "len", "person_id"], descending=[False, True, False])
               .group_by("resolved", maintain_order=True).first()
               .join(canonical, on="person_id").filter(pl.col("canonical") != pl.col("resolved"))
               .select("resolved", "canonical"))
    return (rows.join(mapping, on="resolved", how="left", maintain_order="left")
            .with_columns(pl.when(pl.col("canonical").is_not_null()).then(pl.lit("person_id"))
                          .otherwise(pl.col("evidence")).alias("evidence"),
                          pl.coalesce("canonical", "resolved").alias("resolved"))
            .drop("canonical"))


def _apply_overrides(rows: pl.DataFrame, overrides: Mapping[str, str | None]) -> pl.DataFrame:
    """The user's aliases win over every rule; a veto (no id, or the alias's own id) keeps the rule-1 id."""
    if not overrides:
        return rows
    table = pl.DataFrame({"_key": list(overrides), "user_id": list(overrides.values()), "_listed": True},
                         schema={"_key": pl.String, "user_id": pl.String, "_listed": pl.Boolean})
    listed = pl.col("_listed").fill_null(value=False)
    veto = pl.col("user_id").is_null() | (pl.col("user_id") == pl.col("name_id"))
    return (rows.with_columns(pl.col("speaker_name").str.replace_all(r"\s+", " ").str.strip_chars().str.to_lowercase()
                              .alias("_key"))
            .join(table, on="_key", how="left", maintain_order="left")
            .with_columns(pl.when(listed).then(pl.when(veto).then(pl.lit("user_veto")).otherwise(pl.lit("user")))
                          .otherwise(pl.col("evidence")).alias("evidence"),
                          pl.when(listed).then(pl.coalesce("user_id", "name_id")).otherwise(pl.col("resolved"))
                          .alias("resolved"))
            .drop("_key", "user_id", "_listed"))


def display_names(aliases: pl.DataFrame) -> pl.DataFrame:
    """The name shown for each speaker_id: its most used printed form whose own id is that id, case-folded.

    Falls back to the most used printed form of any evidence when no printed form gives the id itself.
    """
    ranked = aliases.with_columns(
        pl.col("alias").map_elements(normalise_name, return_dtype=pl.String).alias("shown"),
        (pl.col("evidence") == "name").alias("exact"))
    return (ranked.group_by("speaker_id", "shown").agg(pl.sum("n_utterances"), pl.max("exact"))
            .sort(["speaker_id", "exact", "n_utterances", "shown"], descending=[False, True, True, False])
            .group_by("speaker_id", maintain_order=True).first()
            .select("speaker_id", pl.col("shown").alias("speaker_name")))


def speakers_table(utterances: pl.DataFrame, events: pl.DataFrame, aliases: pl.DataFrame) -> pl.DataFrame:
    """One row per named speaker: shown name, person id, roles, labels, counts and first/last dates."""
    named = utterances.filter(pl.col("speaker_id").is_not_null()).join(
        events.select("event_id", "date"), on="event_id", how="left")
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
        stats.join(display_names(aliases), on="speaker_id", how="left").join(top_person, on="speaker_id", how="left")
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
    known |= set(tag_names(events.get_column("persons").explode().drop_nulls().unique().to_list()))
    # A name of three words or more that another label gives (`King Carl Xvi Gustaf of Sweden`) is one too.
    known |= {n for n in utterances.get_column("speaker_name").drop_nulls().unique().to_list()
              if n.count(" ") >= 2 and _person_like(n)}
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
