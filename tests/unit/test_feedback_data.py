"""Feedback survey data: reading real exports, column mapping, metrics with their n, comment themes."""

from __future__ import annotations

import csv
import importlib.util
import io
import textwrap

import pytest

from lessonkit.checking import check
from lessonkit.errors import ContentError, FeedbackDataError, LessonkitError
from lessonkit.feedback import (
    CSAT_DEFINITION,
    SCALES,
    ColumnMapping,
    apply_mapping,
    choice_shares,
    comment_summary,
    csat,
    csat_by_group,
    csat_of,
    filter_survey,
    load_themes,
    nps,
    nps_of,
    read_survey,
    response_count,
    split_choices,
    suggest_mapping,
    theme_counts,
    trend_by_month,
    weakest_areas,
)
from lessonkit.feedback.themes import Theme
from tests.helpers import ROOT

CARPENTRIES = ROOT.parent / "shared" / "data" / "carpentries-longterm-survey-2020.csv"
SAMPLE = ROOT / "data" / "samples" / "library-feedback-sample.csv"
IMPACT = ("impact_career_advancement", "impact_motivation_learning", "impact_increase_reproducibility",
          "impact_professional_recognition", "impact_improve_coding_practice", "impact_research_productivity",
          "impact_increase_confidence")


def survey_of(text: str, mapping: ColumnMapping, *, strict: bool = True, name: str = "test.csv"):
    return apply_mapping(read_survey(textwrap.dedent(text).lstrip(), name=name), mapping, strict=strict)


# ---------------------------------------------------------------- the real Carpentries export, read in place

@pytest.fixture(scope="module")
def carpentries():
    if not CARPENTRIES.exists():
        pytest.skip(f"shared test data not found at {CARPENTRIES} (see ../shared/data/README.md)")
    return read_survey(CARPENTRIES)


def test_carpentries_mapping_is_guessed(carpentries):
    assert carpentries.name == "carpentries-longterm-survey-2020.csv"
    assert len(carpentries) == 176
    m = suggest_mapping(carpentries)
    assert m.recommend == "recommendation_score"
    assert m.items == IMPACT
    assert m.comment is None
    assert m.date is None


# Hand-computed once with the csv module alone, independently of lessonkit/pandas:
#   rows = list(csv.DictReader(open(CARPENTRIES, encoding="utf-8-sig", newline="")))
#   Counter(r["recommendation_score"] for r in rows)
#     -> 10: 70, NA: 42, 9: 23, 8: 20, 7: 12, 6: 4, 5: 4, 3: 1   (176 rows)
#   answered n = 176 - 42 = 134; promoters (9-10) = 70 + 23 = 93; passives (7-8) = 20 + 12 = 32;
#   detractors (0-6) = 4 + 4 + 1 = 9; NPS = (93 - 9) / 134 * 100 = 62.6865...
#   Counter(r["impact_motivation_learning"] for r in rows)
#     -> Agree 66, Strongly agree 54, NA 41, Neutral 10, Strongly disagree 3, Disagree 2
#   CSAT = (66 + 54) / (176 - 41) = 120 / 135 = 88.888...%
#   Counter(r["impact_professional_recognition"] for r in rows)
#     -> Neutral 59, NA 43, Disagree 31, Agree 26, Strongly agree 10, Strongly disagree 7
#   CSAT = (26 + 10) / (176 - 43) = 36 / 133 = 27.07%  (the lowest of the seven impact items)
def test_carpentries_figures_match_hand_count(carpentries):
    survey = apply_mapping(carpentries, suggest_mapping(carpentries))
    assert survey.notes == ()
    assert response_count(survey).n == 176
    result = nps(survey)
    assert (result.n, result.promoters, result.passives, result.detractors) == (134, 93, 32, 9)
    assert result.score == pytest.approx(100 * 84 / 134)
    assert round(result.score, 1) == 62.7
    assert result.filter == "all responses"
    by_item = {c.item: c for c in csat(survey)}
    motivation = by_item["impact_motivation_learning"]
    assert (motivation.satisfied, motivation.n) == (120, 135)
    assert motivation.percent == pytest.approx(100 * 120 / 135)
    weakest = weakest_areas(survey, k=1)
    assert [(c.item, c.satisfied, c.n) for c in weakest] == [("impact_professional_recognition", 36, 133)]


def test_carpentries_without_comment_column_gives_empty_themes(carpentries):
    survey = apply_mapping(carpentries, suggest_mapping(carpentries))
    counts = theme_counts(survey, load_themes())
    assert counts and all(c.count == 0 and c.n == 0 and c.percent is None for c in counts)


def test_carpentries_multi_select_cells_stay_whole(carpentries):
    cell = carpentries.frame.loc[1, "workshop_attended_content"]
    assert cell == "R;GeoSpatial"
    assert split_choices(cell) == ["R", "GeoSpatial"]
    assert carpentries.frame.loc[0, "workshop_attended_amount"] is None  # "NA" read as missing


# ---------------------------------------------------------------- reading real exports

def test_bom_and_crlf_round_trip():
    data = "\ufeffTimestamp,Branch,Staff helped\r\n31/03/2026 14:05,Riverbend,Agree\r\n" \
           "01/04/2026 09:00,Northgate,N/A\r\n".encode("utf-8")
    raw = read_survey(data, name="export.csv")
    assert raw.columns == ("Timestamp", "Branch", "Staff helped")
    assert raw.frame["Staff helped"].tolist() == ["Agree", None]
    survey = apply_mapping(raw, ColumnMapping(date="Timestamp", group="Branch", items=("Staff helped",)))
    assert [d.strftime("%Y-%m-%d %H:%M") for d in survey.frame["date"]] == ["2026-03-31 14:05", "2026-04-01 09:00"]
    assert survey.ratings["Staff helped"].tolist()[0] == 4


def test_shipped_sample_is_a_messy_excel_export_that_loads():
    data = SAMPLE.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfTimestamp,")
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    raw = read_survey(SAMPLE)
    assert 480 <= len(raw) <= 520
    m = suggest_mapping(raw)
    assert (m.date, m.group, m.comment) == ("Timestamp", "Branch", "Any other comments?")
    assert m.recommend.startswith("How likely are you to recommend")
    assert len(m.items) == 5
    assert m.multi == ("Services used today",)
    with pytest.raises(FeedbackDataError, match="Sometimes"):
        apply_mapping(raw, m)  # the stray values are reported ...
    survey = apply_mapping(raw, m, strict=False)  # ... or left out, with a note
    assert survey.notes and all("Sometimes" in note for note in survey.notes)
    assert set(survey.frame["group"].dropna()) == {"Riverbend", "Northgate", "Mill Street", "Harbourside"}
    months = trend_by_month(survey)
    assert len(months) == 12 and sum(t.responses for t in months) == len(raw) - 1  # one row has no timestamp
    # Day first: the first row, "01/11/2025 09:15", is 1 November, not 11 January.
    assert months[0].month == "2025-11"
    assert all(t.nps.n <= t.responses for t in months)


def test_sample_script_is_deterministic(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("make_feedback_sample", SAMPLE.parent / "make_feedback_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "OUT", tmp_path / "again.csv")
    module.main()
    assert (tmp_path / "again.csv").read_bytes() == SAMPLE.read_bytes()
    assert "SYNTHETIC" in module.__doc__


@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n", ""])
def test_empty_file(data):
    with pytest.raises(FeedbackDataError, match=r"The file 'empty\.csv' is empty"):
        read_survey(data, name="empty.csv")


def test_headings_but_no_rows():
    with pytest.raises(FeedbackDataError, match=r"'heads\.csv' has column headings but no responses"):
        read_survey(b"\xef\xbb\xbfA,B,C\r\n,,\r\n", name="heads.csv")


@pytest.mark.parametrize("data, what", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "PNG image"),
    (b"PK\x03\x04\x14\x00\x06\x00", "Excel workbook"),
    (b"a,b\n\x00\x00\x00\x01\x02\x03\x00\x00", "binary data"),
])
def test_binary_file(data, what):
    with pytest.raises(FeedbackDataError) as info:
        read_survey(data, name="photo.csv")
    msg = str(info.value)
    assert "'photo.csv'" in msg and what in msg and "not a CSV file" in msg
    assert isinstance(info.value, LessonkitError) and isinstance(info.value, ValueError)


@pytest.mark.parametrize("text", ["Dear library, I love the storytime sessions.\nThanks!\n",
                                  "<!DOCTYPE html><html><body>Survey</body></html>\n"])
def test_not_csv(text):
    with pytest.raises(FeedbackDataError, match=r"'notes\.txt'"):
        read_survey(text.encode(), name="notes.txt")


def test_ragged_csv_is_reported_not_a_traceback():
    with pytest.raises(FeedbackDataError, match=r"'bad\.csv' could not be read as a CSV file"):
        read_survey(b"a,b\n1,2\n1,2,3,4\n", name="bad.csv")


def test_path_that_does_not_exist(tmp_path):
    with pytest.raises(FeedbackDataError, match="'nope.csv' could not be opened"):
        read_survey(tmp_path / "nope.csv")


# ---------------------------------------------------------------- mapping validation

SMALL = """\
    When,Branch,Staff helped,Hours suit me,Recommend (0-10),Comments
    31/03/2026 10:00,Riverbend,Strongly agree,agree,10,Friendly staff
    03/04/2026 11:00,Riverbend,NEUTRAL,Disagree,6,Please open on Sundays
    15/04/2026 12:00,Northgate,2,Neither agree nor disagree,8,NA
    2026-05-02,Northgate,N/A,Strongly disagree,N/A,
    """


def test_missing_mapped_column_names_it_and_lists_columns():
    raw = read_survey(textwrap.dedent(SMALL), name="mine.csv")
    with pytest.raises(FeedbackDataError) as info:
        apply_mapping(raw, ColumnMapping(items=("Staff helped", "Wifi works"), recommend="NPS"))
    msg = str(info.value)
    assert "'mine.csv' has no columns 'Wifi works', 'NPS'" in msg
    assert "Columns available: 'When', 'Branch', 'Staff helped'" in msg


def test_bad_recommend_values_report_column_count_and_example():
    text = "Score,Staff\n11,Agree\nten,Agree\n-1,Agree\n7,Agree\nNA,Agree\n"
    with pytest.raises(FeedbackDataError) as info:
        apply_mapping(read_survey(text, name="s.csv"), ColumnMapping(items=("Staff",), recommend="Score"))
    msg = str(info.value)
    assert "column 'Score' has 3 values that cannot be used (not a score from 0 to 10)" in msg
    assert "for example '11'" in msg
    assert info.value.problems == (msg,)


def test_unknown_likert_text_reported_or_left_out():
    text = "Staff,Hours\nAgree,Maybe\nstrongly AGREE,Agree\n5,Sometimes\n"
    raw = read_survey(text, name="s.csv")
    mapping = ColumnMapping(items=("Staff", "Hours"))
    with pytest.raises(FeedbackDataError) as info:
        apply_mapping(raw, mapping)
    assert "column 'Hours' has 2 values that cannot be used" in str(info.value)
    assert "for example 'Maybe'" in str(info.value)
    assert "'Staff'" not in str(info.value)
    survey = apply_mapping(raw, mapping, strict=False)
    assert survey.ratings["Staff"].tolist() == [4, 5, 5]
    hours = {c.item: c for c in csat(survey)}["Hours"]
    assert (hours.satisfied, hours.n) == (1, 1)


def test_likert_text_numbers_and_dates_are_parsed():
    survey = survey_of(SMALL, ColumnMapping(date="When", group="Branch", items=("Staff helped", "Hours suit me"),
                                            recommend="Recommend (0-10)", comment="Comments"))
    assert survey.notes == ()
    assert survey.ratings["Staff helped"].tolist()[:3] == [5, 3, 2]
    assert survey.ratings["Hours suit me"].tolist() == [4, 2, 3, 1]
    assert [d.strftime("%d %b %Y") for d in survey.frame["date"]] == \
        ["31 Mar 2026", "03 Apr 2026", "15 Apr 2026", "02 May 2026"]
    assert survey.frame["comment"].tolist()[2:] == [None, None]


def test_unparseable_dates_reported():
    with pytest.raises(FeedbackDataError, match=r"column 'When' has 2 values .*not a date.*'yesterday'"):
        survey_of("When,Staff\nyesterday,Agree\n31/02/2026,Agree\n01/03/2026,Agree\n",
                  ColumnMapping(date="When", items=("Staff",)))


def test_mapping_needs_something_to_analyse():
    with pytest.raises(FeedbackDataError, match="at least one satisfaction item"):
        survey_of(SMALL, ColumnMapping(group="Branch"))


def test_suggest_mapping_on_a_plain_export():
    raw = read_survey(textwrap.dedent(SMALL))
    m = suggest_mapping(raw)
    assert m.items == ("Staff helped", "Hours suit me")
    assert m.recommend == "Recommend (0-10)"
    assert m.group == "Branch"
    assert m.comment == "Comments"
    assert m.date is None  # "When" is not a name that says date; the learner picks it


# ---------------------------------------------------------------- metrics

def test_nps_and_csat_edge_cases():
    empty = nps_of([])
    assert (empty.score, empty.n, empty.promoters, empty.passives, empty.detractors) == (None, 0, 0, 0, 0)
    assert nps_of([None, float("nan")]).n == 0
    assert "9 or 10" in empty.definition and "0 to 6" in empty.definition
    edges = nps_of([10, 9, 8, 7, 6, 0])
    assert (edges.promoters, edges.passives, edges.detractors, edges.score) == (2, 2, 2, 0.0)
    assert nps_of([10, 10, 6]).score == pytest.approx(100 / 3)
    none = csat_of([None])
    assert (none.percent, none.n, none.satisfied) == (None, 0, 0)
    assert csat_of([4, 5, 3, 1]).percent == 50.0


def test_item_nobody_answered_gives_n_zero_not_a_crash():
    survey = survey_of("Staff,Hours,Score\nAgree,NA,NA\nDisagree,,\n",
                       ColumnMapping(items=("Staff", "Hours"), recommend="Score"))
    hours = {c.item: c for c in csat(survey)}["Hours"]
    assert (hours.n, hours.percent) == (0, None)
    assert nps(survey).n == 0 and nps(survey).score is None
    assert [c.item for c in weakest_areas(survey)] == ["Staff"]


def test_weakest_areas_keep_ties():
    survey = survey_of("A,B,C,D\nAgree,Agree,Disagree,Agree\nDisagree,Disagree,Agree,Agree\n",
                       ColumnMapping(items=("A", "B", "C", "D")))
    assert [(c.item, c.percent) for c in weakest_areas(survey, k=1)] == [("A", 50.0), ("B", 50.0), ("C", 50.0)]
    assert [c.item for c in weakest_areas(survey, k=5)] == ["A", "B", "C", "D"]


def test_groups_months_and_filters_carry_their_n_and_filter():
    survey = survey_of(SMALL, ColumnMapping(date="When", group="Branch", items=("Staff helped",),
                                            recommend="Recommend (0-10)"))
    rows = {c.group: c for c in csat_by_group(survey)}
    assert (rows["Riverbend"].satisfied, rows["Riverbend"].n) == (1, 2)
    assert rows["Northgate"].n == 1 and rows["Northgate"].filter == "Branch = Northgate"
    months = trend_by_month(survey)
    assert [(t.month, t.responses, t.nps.n) for t in months] == [("2026-03", 1, 1), ("2026-04", 2, 2),
                                                                  ("2026-05", 1, 0)]
    assert months[1].nps.score == -50.0 and months[1].filter == "month = 2026-04"  # 6 and 8: a detractor, a passive
    april = filter_survey(survey, start="2026-04", end="2026-04")
    assert response_count(april).n == 2 and response_count(april).filter == "from 2026-04; to 2026-04"
    north = filter_survey(survey, group="Northgate")
    assert nps(north).n == 1 and nps(north).filter == "Branch = Northgate"
    with pytest.raises(FeedbackDataError, match="date column"):
        trend_by_month(survey_of(SMALL, ColumnMapping(items=("Staff helped",))))


# ---------------------------------------------------------------- themes

def test_shipped_themes_load_and_count_comments():
    themes = load_themes()
    assert {"staff", "opening-hours", "noise", "computers-wifi", "parking", "accessibility"} <= {t.id for t in themes}
    survey = survey_of(SMALL, ColumnMapping(items=("Staff helped",), comment="Comments"))
    counts = {c.theme.id: c for c in theme_counts(survey, themes)}
    assert counts["staff"].count == 1 and counts["staff"].examples == ("Friendly staff",)
    assert counts["opening-hours"].examples == ("Please open on Sundays",)
    assert counts["staff"].n == 2  # two comments; "NA" and blank are not comments
    assert check([ROOT / "data" / "feedback"]) == []


def test_keywords_match_whole_words_and_stems():
    parking = Theme("parking", "Parking", ("park*", "car park"))
    assert parking.matches("Parking is hard on market day")
    assert parking.matches("the CAR  PARK was full")
    hold = Theme("holds", "Holds", ("hold",))
    assert not hold.matches("household tips")
    assert hold.matches("My hold arrived")


@pytest.mark.parametrize("body, field, line", [
    ("themes:\n  - id: staff\n    label: Staff\n    keywords: [staff, Friendly]\n", "themes[0].keywords[1]", 4),
    ("themes:\n  - id: staff\n    label: Staff\n    keywords: [staff]\n  - id: noise\n    keywords: [loud]\n",
     "themes[1].label", 5),
    ("themes:\n  - id: staff\n    label: Staff\n    keywords: [staff]\n  - id: staff\n    label: Again\n"
     + "    keywords: [help]\n", "themes[1].id", 5),
    ("topics: []\n", "themes", 1),
])
def test_themes_yaml_errors_name_file_line_and_field(tmp_path, body, field, line):
    path = tmp_path / "themes.yaml"
    path.write_text(body)
    with pytest.raises(ContentError) as info:
        load_themes(path)
    assert str(info.value).startswith(f"{path}:{line}: ")
    assert info.value.field == field


def test_broken_themes_file_is_reported_by_lessonkit_check(tmp_path):
    folder = tmp_path / "feedback"
    folder.mkdir()
    (folder / "themes.yaml").write_text("themes:\n  - id: Staff Team\n    label: Staff\n    keywords: [staff]\n")
    problems = check([folder])
    assert len(problems) == 1 and "themes.yaml:2: field 'themes[0].id'" in problems[0]


# ---------------------------------------------------------------- scales and wording

def one_item(values: list[str], header: str = "Rating", scale: str | None = None):
    """A two-column export (the item and a branch) with these answers, mapped with the item alone."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([header, "Branch"])
    writer.writerows([v, "Riverbend"] for v in values)
    mapping = ColumnMapping(items=(header,), scales={header: scale} if scale else {})
    survey = apply_mapping(read_survey(out.getvalue()), mapping, strict=False)
    return survey, csat(survey)[0]


def test_scales_offered_and_their_satisfied_rules():
    assert list(SCALES) == ["1-4", "1-5", "1-7", "1-9", "1-10", "0-10"]
    assert [SCALES[k].satisfied for k in SCALES] == [(3, 4), (4, 5), (6, 7), (7, 8, 9), (8, 9, 10), (8, 9, 10)]
    assert SCALES["1-7"].rule == "satisfied = 6 or 7 on the 1-7 scale"
    assert SCALES["0-10"].rule == "satisfied = 8, 9 or 10 on the 0-10 scale"
    assert "top two" in CSAT_DEFINITION and "top three" in CSAT_DEFINITION and "4 or 5" not in CSAT_DEFINITION


@pytest.mark.parametrize("values, key, satisfied", [
    (["1", "2", "3", "4", "5", "4"], "1-5", 3),
    (["1", "7", "6", "5", "3", "2"], "1-7", 2),       # a 6 or 7 makes it a 7-point item
    (["9", "8", "2", "7", "5"], "1-9", 3),
    (["10", "3", "8", "1"], "1-10", 2),
    (["0", "10", "8", "7", "3"], "0-10", 2),          # a 0 makes it an 11-point item
])
def test_numeric_scale_read_from_the_answers(values, key, satisfied):
    survey, c = one_item(values, "Satisfaction rating")
    assert survey.scales["Satisfaction rating"].key == key
    assert (c.satisfied, c.n, c.unreadable) == (satisfied, len(values), 0)


@pytest.mark.parametrize("header, key", [
    ("How satisfied were you? (1-7)", "1-7"), ("Rate us from 1 to 10", "1-10"), ("Score (0-10)", "0-10"),
    ("Overall rating out of 7", "1-7"), ("Quality (1 = poor, 7 = excellent)", "1-7"),
])
def test_scale_stated_in_the_heading_wins_over_the_answers(header, key):
    survey, c = one_item(["4", "5", "5", "3"], header)      # answers that alone would look 1-5
    assert survey.scales[header].key == key
    assert (c.satisfied, c.n) == (0, 4)                     # a 5 is not satisfied on any of these scales


@pytest.mark.parametrize("values, key, satisfied", [
    (["Very satisfied", "Satisfied", "Neither satisfied nor dissatisfied", "Dissatisfied", "Very dissatisfied"],
     "1-5", 2),
    (["Extremely satisfied", "Somewhat satisfied", "Neither satisfied nor dissatisfied", "Somewhat dissatisfied"],
     "1-5", 2),                                       # Qualtrics' 5-point wording
    (["Extremely satisfied", "Moderately satisfied", "Slightly satisfied", "Slightly dissatisfied"], "1-7", 2),
    (["Strongly agree", "Agree", "Somewhat agree", "Somewhat disagree", "Disagree"], "1-7", 2),
    (["Excellent", "Very good", "Good", "Fair", "Poor"], "1-5", 2),
    (["Very good", "Good", "Average", "Poor", "Very poor"], "1-5", 2),
    (["Excellent", "Good", "Average", "Poor", "Very poor"], "1-5", 2),
    (["Excellent", "Good", "Fair", "Poor", "Good"], "1-4", 3),        # no "Very good": the 4-point scale
    (["Very satisfied", "Satisfied", "Unsatisfied", "Very unsatisfied"], "1-5", 2),
    (["Extremely likely", "Somewhat likely", "Neither likely nor unlikely", "Extremely unlikely"], "1-5", 2),
    (["Very easy", "Easy", "Difficult", "Neither easy nor difficult"], "1-5", 2),
    (["5 - Very satisfied", "4 - Satisfied", "2 - Dissatisfied", "3"], "1-5", 2),     # numbers with labels
    (["7 = Strongly agree", "6", "5", "1 = Strongly disagree"], "1-7", 2),           # labelled ends only
    (["Good (4)", "Excellent (5)", "Poor (1)"], "1-5", 2),
])
def test_answer_wording_of_common_survey_tools(values, key, satisfied):
    survey, c = one_item(values, "Q1")
    assert survey.scales["Q1"].key == key, survey.scales["Q1"]
    assert (c.satisfied, c.n, c.unreadable) == (satisfied, len(values), 0)


def test_dont_know_and_not_applicable_are_not_answered_not_unreadable():
    survey, c = one_item(["Agree", "N/A", "Don't know", "Don\u2019t know", "Not applicable", "n/a - did not use",
                          "Strongly agree", "Disagree", "Not sure", "Prefer not to say"], "Staff helped")
    assert (c.satisfied, c.n, c.unreadable, c.problem) == (2, 3, 0, None)
    assert survey.notes == ()


def test_a_seven_point_item_is_never_read_as_five_points():
    # All answers 5 or below, but the survey's other items go to 7: this one is a 1-7 item too.
    text = "A,B,C\n7,6,5\n6,7,4\n5,6,5\n3,2,3\n"
    survey = apply_mapping(read_survey(text), ColumnMapping(items=("A", "B", "C")))
    assert {k: s.key for k, s in survey.scales.items()} == {"A": "1-7", "B": "1-7", "C": "1-7"}
    assert [(c.item, c.satisfied, c.n) for c in csat(survey)] == [("A", 2, 4), ("B", 3, 4), ("C", 0, 4)]
    # Text on a 7-point agree scale: "Agree" is 6 of 7, satisfied; "Somewhat agree" (5) is not
    survey, c = one_item(["Agree", "Somewhat agree", "Strongly agree", "Somewhat agree"], "Q")
    assert survey.ratings["Q"].tolist() == [6, 5, 7, 5] and (c.satisfied, c.n) == (2, 4)


def test_learner_chooses_the_scale():
    values = ["4", "5", "3", "4", "2"]
    survey, c = one_item(values, "Rating", scale="1-7")
    assert survey.scales["Rating"].key == "1-7" and (c.satisfied, c.n) == (0, 5)
    assert c.scale == "1-7 (7 = best)" and c.rule == "satisfied = 6 or 7 on the 1-7 scale"
    survey, c = one_item(["7", "6", "5", "4"], "Rating", scale="1-5")    # 7 and 6 do not fit 1-5
    assert c.percent is None and c.unreadable == 2 and "'7'" in c.problem
    with pytest.raises(FeedbackDataError, match="'1-6' is not a scale"):
        apply_mapping(read_survey("Rating,B\n4,1\n"), ColumnMapping(items=("Rating",), scales={"Rating": "1-6"}))
    with pytest.raises(FeedbackDataError, match="scale is chosen for 'Other'"):
        apply_mapping(read_survey("Rating,Other\n4,1\n"), ColumnMapping(items=("Rating",), scales={"Other": "1-5"}))


def test_unreadable_threshold_is_more_than_two_percent():
    good = ["Agree"] * 49
    survey, c = one_item(good + ["Sometimes"], "Q")          # 1 of 50 = 2%: a figure, and a note
    assert c.percent == 100.0 and (c.n, c.unreadable, c.problem) == (49, 1, None)
    assert survey.notes and "Sometimes" in survey.notes[0]
    survey, c = one_item(good[:-1] + ["Sometimes", "Mostly"], "Q")   # 2 of 50 = 4%: no figure
    assert c.percent is None and c.satisfied == 48 and c.unreadable == 2
    assert c.problem.startswith("Column 'Q': 2 answers of 50 (4%) could not be read on the 1-5")
    assert "'Sometimes', 'Mostly'" in c.problem
    assert weakest_areas(survey) == ()


def test_unreadable_counted_within_a_filter():
    text = ("Branch,Q\n" + "Riverbend,Agree\n" * 20 + "Northgate,Agree\n" * 3 + "Northgate,Sometimes\n")
    survey = apply_mapping(read_survey(text), ColumnMapping(group="Branch", items=("Q",)), strict=False)
    assert csat(survey)[0].problem is not None                # 1 of 24 = 4%
    rows = {c.group: c for c in csat_by_group(survey)}
    assert rows["Riverbend"].percent == 100.0 and rows["Riverbend"].unreadable == 0
    assert rows["Northgate"].percent is None and rows["Northgate"].unreadable == 1
    north = filter_survey(survey, group="Northgate")
    assert north.unreadable == {"Q": 1} and north.scales == survey.scales


def test_recommend_labels_and_unreadable_scores():
    survey = survey_of("Score,Q\n10 - Extremely likely,Agree\n0 - Not at all likely,Agree\n9,Agree\nN/A,Agree\n",
                       ColumnMapping(items=("Q",), recommend="Score"))
    r = nps(survey)
    assert (r.n, r.promoters, r.detractors, r.problem) == (3, 2, 1, None)
    bad = survey_of("Score,Q\n10,Agree\nten,Agree\n9,Agree\n", ColumnMapping(items=("Q",), recommend="Score"),
                    strict=False)
    r = nps(bad)
    assert r.score is None and r.unreadable == 1 and "'ten'" in r.problem


def test_mapping_keeps_positional_fields_and_gains_scales_and_multi():
    m = ColumnMapping("When", "Branch", ["A"], "NPS", "Comments")
    assert (m.date, m.group, m.items, m.recommend, m.comment) == ("When", "Branch", ("A",), "NPS", "Comments")
    assert dict(m.scales) == {} and m.multi == ()
    assert hash(m) == hash(ColumnMapping("When", "Branch", ("A",), "NPS", "Comments"))
    assert ColumnMapping(items=("A",), scales={"A": "1-7"}) == ColumnMapping(items=("A",), scales={"A": "1-7"})
    assert ColumnMapping(items=("A",), scales={"A": "1-7"}) != ColumnMapping(items=("A",))


def test_month_first_dates_and_time_zones():
    survey = survey_of("When,Q\n11/28/2025 10:02:33 AM,Agree\n12/01/2025 01:15:07 PM,Agree\n"
                       "2025/11/03 9:14:22 am GMT+11,Agree\n", ColumnMapping(date="When", items=("Q",)))
    assert [d.strftime("%Y-%m-%d %H:%M") for d in survey.frame["date"]] == \
        ["2025-11-28 10:02", "2025-12-01 13:15", "2025-11-03 09:14"]


# ---------------------------------------------------------------- multi-select and comments

def test_multi_select_shares_with_n_of_those_who_answered():
    text = ("Used,Q\nLoans;Wifi,Agree\nLoans,Agree\n,Agree\nWifi;Programs;,Agree\n")
    raw = read_survey(text)
    survey = apply_mapping(raw, ColumnMapping(items=("Q",), multi=("Used",)))
    assert [(c.option, c.chosen, c.n) for c in choice_shares(survey)] == \
        [("Loans", 2, 3), ("Wifi", 2, 3), ("Programs", 1, 3)]
    assert split_choices("Printing, scanning and copying, Wifi", ",") == ["Printing, scanning and copying", "Wifi"]


def test_nil_comments_are_excluded_and_counted():
    comments = ["nil", "Nil.", "none", "No", "no.", "N/A", "-", ".", "...", "Nothing to add, thanks",
                "No comment", "Please open earlier on Saturdays", "Staff were great"]
    text = "Q,Comments\n" + "".join(f'Agree,"{c}"\n' for c in comments)
    survey = survey_of(text, ColumnMapping(items=("Q",), comment="Comments"))
    summary = comment_summary(survey)
    assert (summary.total, summary.nil, summary.usable) == (13, 11, 2)
    counts = {c.theme.id: c for c in theme_counts(survey, load_themes())}
    assert counts["staff"].n == 2
    assert counts["opening-hours"].examples == ("Please open earlier on Saturdays",)


def test_themes_match_word_forms_with_the_stemmer():
    hours = Theme("opening-hours", "Opening hours", ("open", "hours", "saturday"))
    assert hours.matches("opened earlier on Saturdays")
    assert hours.matches("The opening hour is too late") and hours.matches("It OPENS at ten")
    computers = Theme("pcs", "PCs", ("printer*", "log in"))
    assert computers.matches("both printers jammed") and computers.matches("couldn't log in")
    assert not computers.matches("the login page")             # a phrase is matched word by word
    examples = theme_counts(survey_of("Q,C\nAgree,Great staff!\nAgree,great staff\nAgree,Great  staff.\n"
                                      "Agree,Staff were kind\n", ColumnMapping(items=("Q",), comment="C")),
                            [Theme("staff", "Staff", ("staff",))])[0]
    assert examples.count == 4 and examples.examples == ("Great staff!", "Staff were kind")


def test_recommend_is_the_recommend_question_not_any_how_likely():
    text = ("How likely are you to visit again?,Would you recommend us to a friend? (0-10),Branch\n"
            "Very likely,9,Riverbend\nLikely,7,Riverbend\nUnlikely,3,Northgate\n")
    m = suggest_mapping(read_survey(text))
    assert m.recommend == "Would you recommend us to a friend? (0-10)"
    assert m.items == ("How likely are you to visit again?",)
    only = suggest_mapping(read_survey("How likely are you to come back?,Branch\n4,A\n5,B\n3,A\n2,B\n"))
    assert only.recommend is None


def test_a_worded_matrix_row_takes_its_siblings_longer_scale():
    text = ("A,B\nStrongly agree,Strongly agree\nSomewhat agree,Agree\nAgree,Disagree\n"
            "Somewhat disagree,Neither agree nor disagree\n")
    survey = apply_mapping(read_survey(text), ColumnMapping(items=("A", "B")))
    assert survey.scales["A"].key == survey.scales["B"].key == "1-7"    # nobody chose "Somewhat ..." in B
    assert survey.ratings["B"].tolist() == [7, 6, 2, 4]
    assert [(c.satisfied, c.n) for c in csat(survey)] == [(2, 4), (2, 4)]


def test_mapping_and_survey_copy_and_pickle():
    import copy
    import pickle
    chosen = {"Staff helped": "1-7"}
    m = ColumnMapping(items=("Staff helped",), scales=chosen)
    chosen["Staff helped"] = "1-5"
    assert m.scales == {"Staff helped": "1-7"}
    assert copy.deepcopy(m) == m and pickle.loads(pickle.dumps(m)) == m
    survey = survey_of(SMALL, ColumnMapping(items=("Staff helped",)))
    assert pickle.loads(pickle.dumps(survey.scales)) == survey.scales


def test_multi_select_typed_other_answers_are_one_row():
    options = [f"Service {c}" for c in "ABCDEFGHIJ"]
    cells = [f"{options[i % 10]}, {options[(i + 3) % 10]}" for i in range(20)]
    cells += ["Service A, Came to use the toilet", "Returning a DVD for my neighbour", "Service B, JP signing"]
    text = "Used (tick all that apply),Q\n" + "".join(f'"{c}",Agree\n' for c in cells)
    survey = apply_mapping(read_survey(text), ColumnMapping(items=("Q",), multi=("Used (tick all that apply)",)))
    rows = [(c.option, c.chosen, c.n) for c in choice_shares(survey)]
    assert rows[-1] == ("Other answers (each given by one respondent)", 3, 23)
    assert ("Service A", 5, 23) in rows and len(rows) == 11


def test_pooled_by_group_leaves_out_items_with_a_problem():
    text = ("Branch,A,B\n" + "Riverbend,Agree,Agree\n" * 10 + "Northgate,Agree,Sometimes\n"
            + "Northgate,Disagree,Agree\n" * 3)
    survey = apply_mapping(read_survey(text), ColumnMapping(group="Branch", items=("A", "B")), strict=False)
    pooled = {c.group: c for c in csat_by_group(survey, overall=True) if c.item.startswith("all items")}
    assert (pooled["Riverbend"].item, pooled["Riverbend"].satisfied, pooled["Riverbend"].n) == ("all items", 20, 20)
    north = pooled["Northgate"]      # B: 1 of 4 Northgate answers unreadable, so only A is pooled there
    assert (north.item, north.satisfied, north.n) == ("all items except 'B'", 1, 4)
    assert len(csat_by_group(survey)) == 4
