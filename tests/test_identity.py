"""Speaker identity over the corpus: names, surname-only labels, typos, person links, user aliases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from kremlin_data.identity import (
    AliasFileError,
    corpus_speakers,
    edit_distance,
    normalise_name,
    read_aliases,
    refine_names,
    resolve,
)
from kremlin_data.speakers import speaker_id

Turn = tuple[str, str, int | None]  # (event_id, printed name, person_id)


def _tables(turns: list[Turn], persons: dict[str, list[str]] | None = None,
            cards: dict[int, str] | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Utterances and events for a few turns; events dated one day apart in 2005."""
    cards = cards or {}
    u = pl.DataFrame(
        [{"utterance_id": f"{e}.u{i}", "event_id": e, "speaker_label": name, "speaker_name": name,
          "speaker_role": None, "speaker_id": speaker_id(name), "person_id": pid, "person_card": cards.get(i),
          "kind": "named", "n_words": 10}
         for i, (e, name, pid) in enumerate(turns)],
        schema_overrides={"person_id": pl.Int64, "person_card": pl.String, "speaker_role": pl.String})
    ids = sorted({e for e, _, _ in turns})
    events = pl.DataFrame({"event_id": ids, "date": [dt.date(2005, 1, 1 + k) for k in range(len(ids))],
                           "persons": [(persons or {}).get(e, []) for e in ids]},
                          schema_overrides={"persons": pl.List(pl.String)})
    return u, events


def _ids(turns: list[Turn], **kw: object) -> list[str]:
    u, events = _tables(turns, **kw)  # type: ignore[arg-type]
    out, _ = resolve(u, events)
    return out["speaker_id"].to_list()


@pytest.mark.parametrize(("name", "expected"), [
    ("Vladimir Putin", "Vladimir Putin"),
    ("VLADIMIR PUTIN", "Vladimir Putin"),
    ("Mr. Putin", "Putin"),
    ("Mr Putin", "Putin"),
    ("President Vladimir V.PUTIN", "Vladimir V. Putin"),
    ("Ban KI-MOON", "Ban Ki-Moon"),
    ("Abdullah II", "Abdullah II"),
    ("President", "President"),  # a title alone stays: there is no name to keep
])
def test_normalise_name(name: str, expected: str) -> None:
    assert normalise_name(name) == expected


@pytest.mark.parametrize(("a", "b", "d"), [
    ("vladimir", "vladimir", 0), ("valdimir", "vladimir", 1), ("vladmir", "vladimir", 1),
    ("vlaidmir", "vladimir", 1), ("vlarimir", "vladimir", 1), ("dmitrii", "dmitry", 2), ("sergei", "igor", 5),
])
def test_edit_distance(a: str, b: str, d: int) -> None:
    assert edit_distance(a, b) == d


PUTIN = [("p1", "Vladimir Putin", None)] * 20


@pytest.mark.parametrize(("turns", "persons", "expected"), [
    # a surname-only label takes the full name its page uses in another label
    ([("e1", "Vladimir Putin", None), ("e1", "Putin", None)], {}, ["vladimir-putin"] * 2),
    # ... or its Persons tag (catalogue form), when no label gives it
    ([("e1", "Putin", None)], {"e1": ["Putin Vladimir"]}, ["vladimir-putin"]),
    # two people of that surname on the page: not resolved
    ([("e1", "Sergei Ivanov", None), ("e1", "Igor Ivanov", None), ("e1", "Ivanov", None)], {},
     ["sergei-ivanov", "igor-ivanov", "ivanov"]),
    # an initial must fit the full name
    ([("e1", "Anna Tsysar", None), ("e1", "A. Tsysar", None), ("e1", "B. Tsysar", None)], {},
     ["anna-tsysar", "anna-tsysar", "b-tsysar"]),
    # titles and case do not count
    ([("e1", "VLADIMIR PUTIN", None), ("e1", "Mr. Putin", None)], {}, ["vladimir-putin"] * 2),
    # typos of a well-attested name with the same surname
    ([*PUTIN, ("e1", "Valdimir Putin", None), ("e2", "Vladmir Putin", None)], {},
     ["vladimir-putin"] * 22),
    # a misspelt role before a known name
    ([*PUTIN, ("e1", "Ppresident Vladimir Putin", None)], {}, ["vladimir-putin"] * 21),
    # a middle initial, when the name without it is known
    ([*PUTIN, ("e1", "Vladimir V. Putin", None)], {}, ["vladimir-putin"] * 21),
    # never across different people: a different given name, or a rarer form that is not rare enough
    ([*PUTIN, ("e1", "Lyudmila Putina", None), ("e1", "Vladislav Putin", None)], {},
     ["vladimir-putin"] * 20 + ["lyudmila-putina", "vladislav-putin"]),
    # (`Sergei`/`Sergey Ivanov` in the same years were two ids until the `transliteration` rule: see below)
    # a surname alone on a page that names nobody: the one full name of that surname spoken in those years
    ([("e1", "George Bush", None), ("e2", "Bush", None)], {}, ["george-bush"] * 2),
    # names the site links to one person-catalogue id share an id (HTML input)
    ([("e1", "Sergei Shoigu", 1234), ("e2", "Sergei Shoigu", 1234), ("e3", "Sergey Shoigu", 1234),
      ("e4", "Sergey Shoigu", None)], {}, ["sergei-shoigu"] * 4),
])
def test_identity_rules(turns: list[Turn], persons: dict[str, list[str]], expected: list[str]) -> None:
    assert _ids(turns, persons=persons) == expected


def test_a_person_card_is_evidence_for_a_surname_label() -> None:
    u, events = _tables([("e1", "Miller", None)], cards={0: "Miller Alexei"})
    out, aliases = resolve(u, events)
    assert out["speaker_id"].to_list() == ["alexei-miller"]
    assert aliases.row(0, named=True) == {"alias": "Miller", "speaker_id": "alexei-miller",
                                          "evidence": "page_card", "n_utterances": 1}


def test_speaker_aliases_name_every_merge_and_its_evidence() -> None:
    u, events = _tables([*PUTIN, ("e1", "Putin", None), ("p1", "Putin", None), ("e2", "Valdimir Putin", None)])
    _, aliases = resolve(u, events)
    rows = {(r["alias"], r["evidence"]): (r["speaker_id"], r["n_utterances"]) for r in aliases.iter_rows(named=True)}
    assert rows == {("Vladimir Putin", "name"): ("vladimir-putin", 20),
                    ("Putin", "page_label"): ("vladimir-putin", 1),
                    ("Putin", "corpus_surname"): ("vladimir-putin", 1),
                    ("Valdimir Putin", "typo"): ("vladimir-putin", 1)}


def test_user_aliases_add_and_veto_merges(tmp_path: Path) -> None:
    file = tmp_path / "aliases.csv"
    file.write_text("alias,speaker_id\nvaldimir putin,\nPutin,putin\n  Halter ,marek-halter\n", encoding="utf-8")
    overrides = read_aliases(file)
    assert overrides == {"valdimir putin": None, "putin": "putin", "halter": "marek-halter"}
    u, events = _tables([*PUTIN, ("e1", "Putin", None), ("e2", "Valdimir Putin", None), ("e3", "Halter", None)])
    out, aliases = resolve(u, events, overrides)
    assert out["speaker_id"].to_list()[20:] == ["putin", "valdimir-putin", "marek-halter"]
    evidence = dict(zip(aliases["alias"], aliases["evidence"], strict=True))
    assert evidence["Putin"] == "user_veto" and evidence["Valdimir Putin"] == "user_veto"
    assert evidence["Halter"] == "user"


@pytest.mark.parametrize(("text", "message"), [
    ("name,id\nPutin,putin\n", "header"),
    ("alias,speaker_id\nPutin,Vladimir Putin\n", "not a speaker id"),
    ("alias,speaker_id\nPutin\n", ":2:"),
])
def test_bad_alias_files_name_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    file = tmp_path / "a.csv"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(AliasFileError, match=message):
        read_aliases(file)


def test_speakers_table_shows_the_printed_full_name() -> None:
    u, events = _tables([("e1", "VLADIMIR PUTIN", None), ("e2", "Vladimir Putin", None), ("e2", "Putin", None),
                         ("e3", "Sergei Shoigu", 7)])
    resolved, _, speakers = corpus_speakers(u, events)
    putin = speakers.filter(pl.col("speaker_id") == "vladimir-putin").row(0, named=True)
    assert putin["speaker_name"] == "Vladimir Putin" and putin["n_utterances"] == 3 and putin["n_events"] == 2
    assert putin["labels"] == ["Putin", "VLADIMIR PUTIN", "Vladimir Putin"]
    shoigu = speakers.filter(pl.col("speaker_id") == "sergei-shoigu").row(0, named=True)
    assert shoigu["person_id"] == 7 and shoigu["first_date"] == dt.date(2005, 1, 3)
    assert resolved.columns == u.columns


def test_refine_names_uses_evidence_from_other_pages() -> None:
    u, events = _tables([("e1", "Tayyip Erdogan", None), ("e2", "Recep Tayyip Erdogan", None)])
    u = u.with_columns(pl.Series("speaker_label", ["President of Turkey Recep Tayyip Erdogan",
                                                   "Recep Tayyip Erdogan"]),
                       pl.Series("speaker_role", ["President of Turkey Recep", None]))
    refined = refine_names(u, events)
    assert refined.row(0, named=True)["speaker_name"] == "Recep Tayyip Erdogan"
    assert refined.row(0, named=True)["speaker_role"] == "President of Turkey"
    assert refined["speaker_id"].to_list() == ["recep-tayyip-erdogan"] * 2


def test_refine_names_takes_a_name_with_a_particle_and_a_long_name_from_another_label() -> None:
    # Day files: `Cristina Fernandez de Kirchner:` printed bare on one page (a particle did not count as a word of a
    # name) and `King Carl Xvi Gustaf of Sweden` split to a three-word name on another; the cut forms were ids apart.
    u, events = _tables([("e1", "Fernandez de Kirchner", None), ("e2", "Cristina Fernandez de Kirchner", None),
                         ("e3", "Xvi Gustaf", None), ("e4", "Carl Xvi Gustaf", None)])
    u = u.with_columns(pl.Series("speaker_label", ["President of the Argentine Republic Cristina Fernandez de Kirchner",
                                                   "Cristina Fernandez de Kirchner", "King Carl Xvi Gustaf",
                                                   "King Carl Xvi Gustaf of Sweden"]),
                       pl.Series("speaker_role", ["President of the Argentine Republic Cristina", None, "King Carl",
                                                  "King of Sweden"]))
    refined = refine_names(u, events)
    assert refined["speaker_id"].to_list() == ["cristina-fernandez-de-kirchner"] * 2 + ["carl-xvi-gustaf"] * 2
    assert refined["speaker_role"].to_list() == ["President of the Argentine Republic", None, "King",
                                                 "King of Sweden"]


@pytest.mark.parametrize(("turns", "expected"), [
    # Day files: one page prints both spellings of a name; the most used one is the id, on every page.
    ([("e1", "Sergey Brilev", None), ("e1", "Sergei Brilev", None), ("e1", "Sergey Brilev", None),
      ("e2", "Sergei Brilev", None), ("e2", "Sergey Brilev", None), ("e3", "Sergei Brilyov", None)],
     ["sergey-brilev"] * 5 + ["sergei-brilyov"]),
    ([("e1", "Kirill Kleymenov", None), ("e1", "Kirill Kleimenov", None), ("e2", "Kirill Kleymenov", None),
      ("e2", "Kirill Kleymenov", None), ("e3", "Kirill Kleimenov", None), ("e3", "Kirill Kleimyonov", None)],
     ["kirill-kleymenov"] * 6),  # spellings linked over two pages form one group
    # not merged: different given names, a shared initial, a surname farther off, two different pages
    ([("e1", "Viktor Khristenko", None), ("e1", "Vladimir Khristenko", None)],
     ["viktor-khristenko", "vladimir-khristenko"]),
    ([("e1", "N. Semenikhin", None), ("e1", "N. Semenikhina", None)], ["n-semenikhin", "n-semenikhina"]),
    ([("e1", "Dmitry Zykov", None), ("e1", "Vyacheslav Zykov", None)], ["dmitry-zykov", "vyacheslav-zykov"]),
    ([("e1", "Kirill Kleimenov", None), ("e2", "Kirill Kleymenov", None)], ["kirill-kleimenov", "kirill-kleymenov"]),
])
def test_two_spellings_of_a_name_on_one_page_are_one_person(turns: list[Turn], expected: list[str]) -> None:
    assert _ids(turns) == expected


@pytest.mark.parametrize(("turns", "expected"), [
    # Day files: `Jose Barroso` and `Mr Barroso` on a page of `Jose Manuel Barroso`'s; the more used form is the id
    ([("e1", "Jose Manuel Barroso", None)] * 3 + [("e2", "Jose Barroso", None), ("e2", "Mr Barroso", None)],
     ["jose-manuel-barroso"] * 5),
    ([("e1", "Anna Kuznetsova", None)] * 3 + [("e2", "Anna Sergeyevna Kuznetsova", None)], ["anna-kuznetsova"] * 4),
    # two longer names with those ends: left alone
    ([("e1", "Jose Manuel Barroso", None), ("e2", "Jose Luis Barroso", None), ("e3", "Jose Barroso", None)],
     ["jose-manuel-barroso", "jose-luis-barroso", "jose-barroso"]),
])
def test_a_name_without_its_middle_names_is_the_same_person(turns: list[Turn], expected: list[str]) -> None:
    assert _ids(turns) == expected


@pytest.mark.parametrize(("turns", "expected"), [
    # Day files: the same given name in another Latin spelling, the surname the same, takes the most used one
    ([("e1", "Alexander Lukashenko", None)] * 6 + [("e2", "Aleksandr Lukashenko", None)] * 4,
     ["alexander-lukashenko"] * 10),
    ([("e1", "Natalya Zhdanova", None)] * 2 + [("e2", "Natalia Zhdanova", None)], ["natalya-zhdanova"] * 3),
    # on one page, a spelling of the given name and one of the surname at once (`Sergey Brilev`, `Sergei Brilyov`)
    ([("e1", "Sergei Brilyov", None)] * 3 + [("e1", "Sergey Brilev", None)], ["sergei-brilyov"] * 4),
    ([("e1", "Sergei Ivanov", None), ("e2", "Sergey Ivanov", None)], ["sergei-ivanov"] * 2),  # a tie: the first id
    # different names: left apart
    ([("e1", "Alexandra Ivanova", None), ("e2", "Alexander Ivanova", None)],
     ["alexandra-ivanova", "alexander-ivanova"]),
])
def test_a_given_name_in_another_latin_spelling_is_the_same_person(turns: list[Turn], expected: list[str]) -> None:
    assert _ids(turns) == expected


def test_another_latin_spelling_years_apart_is_left_apart() -> None:
    # Day files: `Natalia Ivanova` asked at the 2006 press conference, `Natalya Ivanova` at the 2013 one.
    u, events = _tables([("e1", "Natalia Ivanova", None), ("e2", "Natalya Ivanova", None)])
    events = events.with_columns(pl.Series("date", [dt.date(2006, 1, 31), dt.date(2013, 12, 19)]))
    assert resolve(u, events)[0]["speaker_id"].to_list() == ["natalia-ivanova", "natalya-ivanova"]
    events = events.with_columns(pl.Series("date", [dt.date(2010, 1, 31), dt.date(2013, 12, 19)]))
    assert resolve(u, events)[0]["speaker_id"].to_list() == ["natalia-ivanova"] * 2
