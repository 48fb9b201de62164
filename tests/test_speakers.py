"""Speaker labels: detection, role/name split, ids, and corpus-level unification."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kremlin_data.speakers import (
    clean_label,
    fold_caps,
    generic_kind,
    is_label_text,
    label_parts,
    match_label,
    match_label_once,
    match_label_with,
    match_split_label,
    short_label_names,
    speaker_id,
    split_glued_words,
    split_label,
    strip_person_card,
    tag_names,
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
    assert split_label(label, iter(known)) == expected  # a one-pass iterable is read whole, not used up by `in`


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



# ---- label cleaning: what the saved browser text adds to a label ---------------------------------------

@pytest.mark.parametrize(("label", "expected"), [
    ("Prime Minister Dmitry Medvedev Medvedev DmitryDeputy Chairman of the Security Council of the Russian "
     "Federation", ("Prime Minister Dmitry Medvedev", "Medvedev Dmitry")),
    ("President of Serbia Tomislav Nikolic Nikolic Tomislav", ("President of Serbia Tomislav Nikolic",
                                                               "Nikolic Tomislav")),
    ("Miller Miller AlexeiGazprom CEO", ("Miller", "Miller Alexei")),
    ("Murat Kumpilov Kumpilov MuratHead of the Republic of Adygeya", ("Murat Kumpilov", "Kumpilov Murat")),
    ("Alexander Van der Bellen Van der Bellen AlexanderFederal President of Austria",
     ("Alexander Van der Bellen", "Van der Bellen Alexander")),
    # no card: a repeated word without the card's form stays
    ("Vladimir Putin", ("Vladimir Putin", None)),
    ("Boutros Boutros-Ghali", ("Boutros Boutros-Ghali", None)),
    ("Tran Tran Minister", ("Tran Tran Minister", None)),
])
def test_person_card_is_taken_off_the_label(label: str, expected: tuple[str, str | None]) -> None:
    assert strip_person_card(label) == expected


@pytest.mark.parametrize(("label", "names", "expected"), [
    ("President of RussiaVladimir Putin", (), "President of Russia Vladimir Putin"),
    ("President of Finland SauliNiinistö", ("Niinistö", "Sauli"), "President of Finland Sauli Niinistö"),
    ("President of Finland SauliNiinistö", (), "President of Finland SauliNiinistö"),  # no evidence: left alone
    ("Head of the Federal ServiceforFinancial Monitoring Yury Chikhanchin", (),
     "Head of the Federal Service for Financial Monitoring Yury Chikhanchin"),
    ("VladimirPutin", (), "Vladimir Putin"),
    ("RusHydro Head Nikolai Shulginov", (), "RusHydro Head Nikolai Shulginov"),
    ("ExxonMobil Chairman and CEO Rex Tillerson", (), "ExxonMobil Chairman and CEO Rex Tillerson"),
])
def test_glued_words_are_split_only_on_evidence(label: str, names: tuple[str, ...], expected: str) -> None:
    assert split_glued_words(label, names) == expected


@pytest.mark.parametrize(("label", "expected"), [
    ("Acting President and Prime Minister Vladimir Putin on the situation in the Chechen Republic",
     ("Acting President and Prime Minister Vladimir Putin", "on the situation in the Chechen Republic")),
    ("Acting President and Prime Minister Vladimir Putin talked about Anatoly Sobchak",
     ("Acting President and Prime Minister Vladimir Putin", "talked about Anatoly Sobchak")),
    ("MINISTER OF PUBLIC HEALTH AND SOCIAL DEVELOPMENT MIKHAIL ZURABOV ON THE CONTROL OF QUALITY",
     ("MINISTER OF PUBLIC HEALTH AND SOCIAL DEVELOPMENT MIKHAIL ZURABOV", "ON THE CONTROL OF QUALITY")),
    ("Minister of Defence Sergei Shoigu", ("Minister of Defence Sergei Shoigu", None)),
    ("MR PUTIN [to S.Utsuda]", ("MR PUTIN", "to S.Utsuda")),
    ("Chair of the Federation Council Committee on Constitutional Legislation and State Building Andrey Klishas",
     ("Chair of the Federation Council Committee on Constitutional Legislation and State Building Andrey Klishas",
      None)),
    ("Head of the State Duma Committee on ecology Vladimir Burmatov",
     ("Head of the State Duma Committee on ecology Vladimir Burmatov", None)),
    ("Head of the Republic of Adygeya Murat Kumpilov", ("Head of the Republic of Adygeya Murat Kumpilov", None)),
])
def test_x_on_y_keeps_x_as_the_label(label: str, expected: tuple[str, str | None]) -> None:
    clean = clean_label(label)
    assert (clean.label, clean.topic) == expected


@pytest.mark.parametrize(("label", "expected"), [
    ("A. MAGOMETOV, RECTOR OF THE NORTH OSSETIAN STATE UNIVERSITY, HEAD OF THE PRESIDENTIAL CAMPAIGN HEADQUARTERS",
     ("A. Magometov", "Rector of the North Ossetian State University, Head of the Presidential Campaign "
                      "Headquarters")),
    ("Vladimir V. PUTIN", ("Vladimir V. Putin", None)),
    ("President Vladimir V.PUTIN", ("Vladimir V. Putin", "President")),
    ("PRESIDENT OF THE UNITED STATES GEORGE W. BUSH", ("George W. Bush", "President of the United States")),
    ("Prime Minister of Turkey RECEP TAYYIP ERDOGAN", ("Recep Tayyip Erdogan", "Prime Minister of Turkey")),
    ("President Vladimir Putin of Russia", ("Vladimir Putin", "President of Russia")),
    ("Patriarch Theophilos III of Jerusalem", ("Theophilos III", "Patriarch of Jerusalem")),
    # a place of words joined by `and`/`the` after a title alone (real labels, day files and HTML archive)
    ("Patriarch Kirill of Moscow and All Russia", ("Kirill", "Patriarch of Moscow and All Russia")),
    ("Patriarch John of Antioch and All the East", ("John", "Patriarch of Antioch and All the East")),
    ("Archbishop Hieronymus II of Athens and All Greece", ("Hieronymus II", "Archbishop of Athens and All Greece")),
    ("Alexei Kudrin, Chairman of the Accounts Chamber", ("Alexei Kudrin", "Chairman of the Accounts Chamber")),
    ("Colonel Belyayev, Airborne Troops", ("Belyayev", "Colonel, Airborne Troops")),
    ("Minister of Digital Development, Communications and Mass Media Konstantin Noskov",
     ("Konstantin Noskov", "Minister of Digital Development, Communications and Mass Media")),
    ("Hero of the Russian Federation, Colonel Viktor Romanov",
     ("Viktor Romanov", "Hero of the Russian Federation, Colonel")),
    ("President of Russia, Supreme Commander-in- Chief of Russia Vladimir Putin",
     ("Vladimir Putin", "President of Russia, Supreme Commander-in-Chief of Russia")),
    ("Roman Tsymbalyuk, UKRAINIAN NEWS AGENCY UNIAN", ("Roman Tsymbalyuk", "Ukrainian News Agency Unian")),
    ("Deputy Prime Minister, Chairman of the Military-Industrial Commission Dmitry Rogozin",
     ("Dmitry Rogozin", "Deputy Prime Minister, Chairman of the Military-Industrial Commission")),
    ("Major-General Sergey V. YANGOREV, the Commander of the Presidential Regiment",
     ("Sergey V. Yangorev", "Major-General, the Commander of the Presidential Regiment")),
    ("Chairman of the Board of NOVATEK Leonid Mikhelson", ("Leonid Mikhelson", "Chairman of the Board of NOVATEK")),
    # a bracket in capitals between the role and the name in capitals belongs to the role (real labels, day files)
    ("Russian Permanent Envoy to the North Atlantic Treaty Organisation (NATO) DMITRY ROGOZIN",
     ("Dmitry Rogozin", "Russian Permanent Envoy to the North Atlantic Treaty Organisation (NATO)")),
    ("Member of The Russian Popular Front Regional Staff (REPUBLIC OF CRIMEA) ANDREI MALGIN",
     ("Andrei Malgin", "Member of The Russian Popular Front Regional Staff (REPUBLIC OF CRIMEA)")),
    ("PRESIDENT OF THE EXECUTIVE DIRECTORATE OF THE 7TH ASIAN WINTER GAMES ORGANISING COMMITTEE (KAZAKHSTAN) "
     "ANATOLY KULNAZAROV", ("Anatoly Kulnazarov", "President of the Executive Directorate of the 7th Asian Winter "
                                                 "Games Organising Committee (Kazakhstan)")),
    # role words in capitals open a name in capitals (real labels, day files)
    ("Rosatom State Atomic Energy Corporation CEO SERGEI KIRIYENKO",
     ("Sergei Kiriyenko", "Rosatom State Atomic Energy Corporation CEO")),
    ("Labour and Social Protection MINISTER MAXIM TOPILIN", ("Maxim Topilin", "Labour and Social Protection Minister")),
    ("Strategic Missile Forces COMMANDER LIEUTENANT GENERAL SERGEI KARAKAYEV",
     ("Sergei Karakayev", "Strategic Missile Forces Commander Lieutenant General")),
])
def test_capitals_and_name_of_place_labels_split(label: str, expected: tuple[str, str | None]) -> None:
    assert split_label(label) == expected


def test_fold_caps_leaves_ordinary_labels_alone() -> None:
    assert fold_caps("ExxonMobil Chairman and CEO Rex Tillerson") == "ExxonMobil Chairman and CEO Rex Tillerson"
    assert fold_caps("VLADIMIR PUTIN") == "Vladimir Putin"


@pytest.mark.parametrize(("line", "expected"), [
    ("QUESTION from the Department of Economics. And I would like to ask this question: What is it?",
     ("QUESTION from the Department of Economics", "And I would like to ask this question: What is it?")),
    ("Minister President of Bavaria Markus Soeder (retranslated: Thank you very much.",
     ("Minister President of Bavaria Markus Soeder", "Thank you very much.")),
    ("Question For Vladimir Putin: Why?", ("Question For Vladimir Putin", "Why?")),
    ("A.Aksenova: Could you say a few words?", ("A.Aksenova", "Could you say a few words?")),
    ("Swedish Prime Minister and President of Finland].Vladimir Putin: Yes, I do.", ("Vladimir Putin", "Yes, I do.")),
    ("U.S. Secretary of State Hillary Clinton: Thank you.", ("U.S. Secretary of State Hillary Clinton", "Thank you.")),
    ("Okay.Alisa Shmelyova: What state measures are planned?", ("Alisa Shmelyova", "What state measures are planned?")),
    # long roles opened by a role word (pages 54079, 63591, 56953 of the day files 2017-03-21, 2020-07-02, 2018-02-28)
    ("President of OPORARussia public association of small and medium-sized businesses Alexander Kalinin: "
     "Mr President,",
     ("President of OPORARussia public association of small and medium-sized businesses Alexander Kalinin",
      "Mr President,")),
    ("Deputy Head of the Executive Directorate of the Year of Memory and Glory for scientific work, honoured archivist"
     " of Russia Yelena Malysheva: Thank you.", ("Deputy Head of the Executive Directorate of the Year of Memory and "
                                               "Glory for scientific work, honoured archivist of Russia Yelena "
                                               "Malysheva", "Thank you.")),
    ("Olympic cross-country skiing bronze medallist Yulia Belorukova: Good afternoon, everyone.",
     ("Olympic cross-country skiing bronze medallist Yulia Belorukova", "Good afternoon, everyone.")),
    # a web address in a role is not a sentence glued to a label (page 56639, 2018-01-11)
    ("Editor-in-Chief of the Lenta.Ru online media outlet Vladimir Todorov: Mr President,",
     ("Editor-in-Chief of the Lenta.Ru online media outlet Vladimir Todorov", "Mr President,")),
])
def test_label_lines_with_text_or_an_open_bracket(line: str, expected: tuple[str, str]) -> None:
    m = match_label(line)
    assert m is not None and (m.label, m.rest) == expected


@pytest.mark.parametrize("line", [
    # a country quoted in a speech (page 55882, 2017-10-19)
    "The United Kingdom: “Secession, or the declaration of independence, does not contradict international law.”",
    # free words in a sentence that does not open with a role
    "Yesterday the governor of the region visited a school and met Alexander Kalinin: He said so.",
])
def test_prose_before_a_colon_is_not_a_label(line: str) -> None:
    assert match_label(line) is None


def test_name_then_role_with_a_web_address_when_the_page_knows_the_name() -> None:
    # page 59865 (2019-02-20): `Vladimir Todorov, Editor in Chief of Lenta.ru:`, the name printed alone later on
    m = match_label_with("Vladimir Todorov, Editor in Chief of Lenta.ru: Mr President,", {"Vladimir Todorov"})
    assert m is not None and m.label == "Vladimir Todorov, Editor in Chief of Lenta.ru"


def test_a_split_label_takes_a_note_after_its_colon() -> None:
    # day file 2018-01-29: `Prime Minister of Israel Benjamin Netanyahu` / `: (retranslated): Mr President ...`
    m = match_split_label("Prime Minister of Israel Benjamin Netanyahu", ": (retranslated): Mr President of Russia.")
    assert m is not None and (m.label, m.note, m.rest) == (
        "Prime Minister of Israel Benjamin Netanyahu", "retranslated", "Mr President of Russia.")


def test_prose_glued_before_a_label_is_kept_apart() -> None:
    m = match_label("Swedish Prime Minister and President of Finland].Vladimir Putin: Yes, I do.")
    assert m is not None and m.lead == "Swedish Prime Minister and President of Finland]."


@pytest.mark.parametrize(("label", "kind"), [
    ("Question For Vladimir Putin", "question"),
    ("QUESTION to Mr Bush", "question"),
    ("For Mr Putin", "question"),
    ("Question from Perm Territory", "question"),
    ("Fordham Putin", None),
    ("  to Mr Putin ", "question"),
    ("Call centre operator", "voice"),
    ("Voices from the audience", "voice"),
    ("Callum Operator", None),
])
def test_questions_put_to_someone_are_generic(label: str, kind: str | None) -> None:
    assert generic_kind(label) == kind


def test_a_card_alone_becomes_the_name_of_its_persons_tag() -> None:
    clean = clean_label("Chikhanchin YuryHead of the Federal Service for Financial Monitoring", ["Chikhanchin Yury"])
    assert (clean.label, clean.person_card) == ("Yury Chikhanchin", "Chikhanchin Yury")
    assert clean_label("Chikhanchin YuryHead of the Federal Service", []).person_card is None


_LABEL_WORDS = ["Our", "friend", "Sergei", "Ignatyev", "Vladimir", "Putin", "Alexei", "Kudrin", "Kudrin,", "Central",
                "Bank", "chairman", "President", "of", "the", "Question", "from", "QUESTION", "A.Aksenova", "Lenta.ru",
                "Finland].Vladimir", "(retranslated", "And", "."]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_LABEL_WORDS), min_size=1, max_size=6),
       st.sampled_from([": ", ":", " (retranslated): ", ": (retranslated): ", " ", ". "]),
       st.sampled_from(["Yes.", "yes, it is.", "“Quoted.”", ""]),
       st.sets(st.sampled_from(["Sergei Ignatyev", "Vladimir Putin", "Alexei Kudrin", "Kudrin"])))
def test_a_line_matched_once_reads_as_with_the_names_unless_they_count(words: list[str], colon: str, speech: str,
                                                                      names: set[str]) -> None:
    line = " ".join(words) + colon + speech
    found, asks_names = match_label_once(line)
    assert found == match_label(line)
    if not asks_names:
        assert match_label_with(line, names) == found


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(["a", "Putin", " ", ":", "(", ")", "\t", "\n", "\r", "\x1c", "\u3000", "\xa0", ".",
                                 "x" * 150]), max_size=14))
def test_label_parts_are_the_label_patterns_groups(pieces: list[str]) -> None:
    from kremlin_data.speakers import _LABEL_RE

    line = "".join(pieces)
    m = _LABEL_RE.match(line)
    assert label_parts(line) == (None if m is None else (m["label"], m["note"], m["rest"]))


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(["Vladimir", "Putin", "President", "of", "the", "said", "and", " ", ":", "(", ")",
                                 "\t", "\n", "\u3000", ".", "x" * 150, "Question", "chairman"]), max_size=14))
def test_a_line_matched_once_reads_as_its_parts_read(pieces: list[str]) -> None:
    """`match_label_once` cuts the line itself: it gives what `_label_line`'s parts give."""
    from kremlin_data.speakers import _finish, _label_line, _read_head_alone

    line = "".join(pieces)
    parts = _label_line(line)
    expected = (None, False)
    if parts is not None:
        head, asked = _read_head_alone(parts[0].strip(), parts[1])
        expected = (_finish(head, parts[2]), asked)
    assert match_label_once(line) == expected


def test_a_persons_tag_that_is_a_title_is_no_known_name() -> None:
    # Day files 2014-07-18 and 2016-02-01: the tag `Kirill Patriarch of Moscow and All Russia` made the whole label
    # a known name, and the Patriarch a speaker apart (`patriarch-of-moscow-and-all-russia-kirill`).
    tags = ["Kirill Patriarch of Moscow and All Russia", "Putin Vladimir", "Erdogan Recep Tayyip"]
    assert tag_names(tags) == ["Vladimir Putin", "Recep Tayyip Erdogan"]
    assert split_label("Patriarch of Moscow and All Russia Kirill", set(tag_names(tags))) == (
        "Kirill", "Patriarch of Moscow and All Russia")


@pytest.mark.parametrize(("label", "expected"), [
    # real labels (day files, HTML archive): a role word before a short name, and a hyphenated role
    ("Television anchor Irada Zeinalova", ("Irada Zeinalova", "Television anchor")),
    ("Cnbc Anchor Geoff Cutmore", ("Geoff Cutmore", "Cnbc Anchor")),
    ("Journalist Mikhail Leontyev", ("Mikhail Leontyev", "Journalist")),
    ("BRITISH JOURNALIST SEUMAS MILNE", ("Seumas Milne", "British Journalist")),
    ("Writer Eduard Bagirov", ("Eduard Bagirov", "Writer")),
    ("Artist Dmitry Gutov", ("Dmitry Gutov", "Artist")),
    ("Archpriest Alexander Tkachenko", ("Alexander Tkachenko", "Archpriest")),
    ("Paramedic Natalya Osipova", ("Natalya Osipova", "Paramedic")),
    ("Grand Duke Henri", ("Henri", "Grand Duke")),
    ("Prosecutor- General Yury Chaika", ("Yury Chaika", "Prosecutor-General")),
    ("UN Secretary-General-designate Antonio Guterres", ("Antonio Guterres", "UN Secretary-General-designate")),
])
def test_a_role_word_before_a_short_name_is_the_role(label: str, expected: tuple[str, str | None]) -> None:
    # The page's bare-name labels are its known names: the label itself must not be one (it was, and the whole
    # label became the name and an id apart from the person's own).
    assert split_label(label, short_label_names([label, expected[0]])) == expected
    assert split_label(label) == expected


def test_a_possessive_is_no_word_of_a_name() -> None:
    # Day files (NPR interview, 2001): the label was a bare name on its page, `Mr. Siegel:` (33 turns) found no
    # full name to take, and the interviewer was two ids, neither his name.
    labels = ["NPR's Robert Siegel", "Mr. Siegel", "Vladimir Putin"]
    assert "NPR's Robert Siegel" not in short_label_names(labels)
    assert split_label("NPR's Robert Siegel", short_label_names(labels)) == ("Robert Siegel", "NPR's")
