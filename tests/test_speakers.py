"""Speaker labels: detection, role/name split, ids, and corpus-level unification."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from kremlin_data.speakers import (
    generic_kind,
    is_label_text,
    match_label,
    refine_names,
    speaker_id,
    speakers_table,
    split_label,
    unify_speaker_ids,
)


@pytest.mark.parametrize(("text", "expected"), [
    ("Vladimir Putin", True),
    ("President of Russia Vladimir Putin", True),
    ("Chairperson of the Central Election Commission Ella Pamfilova", True),
    ("Sr Lieutenant A. Vedyashchev", True),
    ("Alexander Van der Bellen", True),
    ("Bashar al-Assad", True),
    ("VladimirPutin", True),
    ("Question", True),
    ("We have a fairly high level of competition", False),
    ("Speaking of the most important thing as regards our parties", False),
    ("My question is", False),
    ("Second", False),
    ("Meeting of the Valdai International Discussion Club. Photo", False),
    ("here is my point", False),
])
def test_is_label_text(text: str, expected: bool) -> None:
    assert is_label_text(text) is expected


@pytest.mark.parametrize(("label", "known", "expected"), [
    ("President of Russia Vladimir Putin", [], ("Vladimir Putin", "President of Russia")),
    ("Vladimir Putin", [], ("Vladimir Putin", None)),
    ("Chairperson of the Central Election Commission Ella Pamfilova", [],
     ("Ella Pamfilova", "Chairperson of the Central Election Commission")),
    ("President of Turkey Recep Tayyip Erdogan", ["Recep Tayyip Erdogan"],
     ("Recep Tayyip Erdogan", "President of Turkey")),
    ("President of Turkey Recep Tayyip Erdogan", [], ("Tayyip Erdogan", "President of Turkey Recep")),
    ("Mohammed Sanusi Barkindo", [], ("Mohammed Sanusi Barkindo", None)),
    ("Alexander Van der Bellen", [], ("Alexander Van der Bellen", None)),
    ("Crown Prince and Defence Minister of Saudi Arabia Mohammad bin Salman Al Saud", [],
     ("Mohammad bin Salman Al Saud", "Crown Prince and Defence Minister of Saudi Arabia")),
    ("Sr Lieutenant A. Vedyashchev", [], ("A. Vedyashchev", "Sr Lieutenant")),
    ("Gazprom CEO Alexei Miller", [], ("Alexei Miller", "Gazprom CEO")),
    ("VladimirPutin", [], ("Vladimir Putin", None)),
    ("Question", [], (None, None)),
])
def test_split_label(label: str, known: list[str], expected: tuple[str | None, str | None]) -> None:
    assert split_label(label, known) == expected


@pytest.mark.parametrize(("label", "kind"), [("Question", "question"), ("Remark", "remark"), ("Reply", "reply"),
                                             ("Response", "response"), ("Interpreter", "interpreter"),
                                             ("Voice from the audience", "voice"), ("Vladimir Putin", None)])
def test_generic_kind(label: str, kind: str | None) -> None:
    assert generic_kind(label) == kind


def test_match_label_keeps_note_apart() -> None:
    m = match_label("Question (retranslated): Mr President?")
    assert m is not None and (m.label, m.note, m.rest) == ("Question", "retranslated", "Mr President?")


@pytest.mark.parametrize(("name", "sid"), [("Vladimir Putin", "vladimir-putin"), ("Sauli Niinistö", "sauli-niinisto"),
                                           ("Kassym-Jomart Tokayev", "kassym-jomart-tokayev")])
def test_speaker_id(name: str, sid: str) -> None:
    assert speaker_id(name) == sid


def _utterances(rows: list[tuple[str, str, str | None, str | None, str | None, int | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        [{"utterance_id": f"{e}.u{i}", "event_id": e, "speaker_label": label, "speaker_name": name,
          "speaker_role": role, "speaker_id": speaker_id(name) if name else None, "person_id": pid, "n_words": 10}
         for i, (e, label, name, role, _, pid) in enumerate(rows, start=1)],
        schema_overrides={"person_id": pl.Int64})


def test_person_links_unify_spellings_across_pages() -> None:
    u = _utterances([
        ("e1", "Sergei Shoigu", "Sergei Shoigu", None, None, 1234),
        ("e2", "Sergei Shoigu", "Sergei Shoigu", None, None, 1234),
        ("e3", "Sergey Shoigu", "Sergey Shoigu", None, None, 1234),
        ("e4", "Sergey Shoigu", "Sergey Shoigu", None, None, None),  # a text page: no link, same spelling
        ("e4", "Anton Siluanov", "Anton Siluanov", None, None, None),
    ])
    unified = unify_speaker_ids(u)
    assert unified["speaker_id"].to_list() == ["sergei-shoigu"] * 4 + ["anton-siluanov"]
    events = pl.DataFrame({"event_id": ["e1", "e2", "e3", "e4"],
                           "date": [dt.date(2017, 1, d) for d in (1, 2, 3, 4)]})
    speakers = speakers_table(unified, events)
    shoigu = speakers.filter(pl.col("speaker_id") == "sergei-shoigu").row(0, named=True)
    assert shoigu["speaker_name"] == "Sergei Shoigu" and shoigu["person_id"] == 1234
    assert shoigu["labels"] == ["Sergei Shoigu", "Sergey Shoigu"] and shoigu["n_events"] == 4
    assert (shoigu["first_date"], shoigu["last_date"]) == (dt.date(2017, 1, 1), dt.date(2017, 1, 4))


def test_refine_names_uses_evidence_from_other_pages() -> None:
    u = _utterances([
        ("e1", "President of Turkey Recep Tayyip Erdogan", "Tayyip Erdogan", "President of Turkey Recep", None, None),
        ("e2", "Recep Tayyip Erdogan", "Recep Tayyip Erdogan", None, None, None),
    ])
    events = pl.DataFrame({"event_id": ["e1", "e2"], "persons": [[], []]},
                          schema_overrides={"persons": pl.List(pl.String)})
    refined = refine_names(u, events)
    assert refined.row(0, named=True)["speaker_name"] == "Recep Tayyip Erdogan"
    assert refined.row(0, named=True)["speaker_role"] == "President of Turkey"
    assert refined["speaker_id"].to_list() == ["recep-tayyip-erdogan"] * 2
