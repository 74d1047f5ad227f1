"""Survey exports in the styles of common tools, read end to end: mapping guessed, scales read, figures by hand.

The fixtures in tests/fixtures/surveys/ are synthetic, written for these tests (see the README there). Every
expected figure below was counted by hand from the fixture's own cells (the counts are given beside each
assertion), not by running lessonkit.
"""

from __future__ import annotations

import pytest

from lessonkit.feedback import (
    SCALES,
    ColumnMapping,
    apply_mapping,
    choice_shares,
    comment_summary,
    csat,
    load_themes,
    nps,
    read_survey,
    suggest_mapping,
    theme_counts,
    trend_by_month,
    weakest_areas,
)
from tests.helpers import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "surveys"


def load(name: str, mapping: ColumnMapping | None = None):
    raw = read_survey(FIXTURES / name)
    return raw, apply_mapping(raw, mapping or suggest_mapping(raw), strict=False)


def by_item(survey):
    return {c.item: c for c in csat(survey)}


def shares(survey, column):
    return {c.option: (c.chosen, c.n) for c in choice_shares(survey) if c.column == column}


# ---------------------------------------------------------------- Google Forms

GF_OVERALL = "Overall, how satisfied were you with your visit?"
GF_STAFF = "How satisfied were you with the help you got from staff?"
GF_EASY = "How easy was it to find what you were looking for? (1 = very hard, 5 = very easy)"
GF_HOURS = "Please rate the following [Opening hours]"
GF_STUDY = "Please rate the following [Study spaces]"
GF_USED = "Which of these did you use today? (tick all that apply)"


def test_google_forms_mapping_is_guessed():
    raw, _ = load("google-forms.csv")
    m = suggest_mapping(raw)
    assert m.date == "Timestamp"
    assert m.group == "Which branch did you visit today?"
    assert m.items == (GF_OVERALL, GF_STAFF, GF_EASY, GF_HOURS, GF_STUDY)
    assert m.recommend == "How likely are you to recommend the library to a friend or family member?"
    assert m.comment == "Is there anything we could do better?"
    assert m.multi == (GF_USED,)


def test_google_forms_figures_match_hand_count():
    _, survey = load("google-forms.csv")
    assert survey.notes == ()
    rows = by_item(survey)
    # Overall: Very satisfied 7, Satisfied 7, Neither 3, Dissatisfied 2, Very dissatisfied 1 (20 answers)
    assert (rows[GF_OVERALL].satisfied, rows[GF_OVERALL].n) == (14, 20)
    assert rows[GF_OVERALL].percent == pytest.approx(70.0)
    assert rows[GF_OVERALL].scale == "1-5 (5 = Very satisfied)"
    assert rows[GF_OVERALL].rule == "satisfied = 4 or 5 on the 1-5 scale (Satisfied or Very satisfied)"
    # Staff: Very satisfied 9, Satisfied 6, Neither 2, Dissatisfied 2, one blank
    assert (rows[GF_STAFF].satisfied, rows[GF_STAFF].n) == (15, 19)
    # Linear scale 1-5: 5 x5, 4 x8, 3 x4, 2 x2, 1 x1; the heading names its ends
    assert (rows[GF_EASY].satisfied, rows[GF_EASY].n) == (13, 20)
    assert rows[GF_EASY].scale == "1-5 (5 = Very easy)"
    # Grid on Excellent / Very good / Good / Fair / Poor: Excellent 1, Very good 4, Good 7, Fair 6, Poor 2.
    # "Good" is the middle of that scale, so it is not counted satisfied.
    assert (rows[GF_HOURS].satisfied, rows[GF_HOURS].n) == (5, 20)
    assert rows[GF_HOURS].rule == "satisfied = 4 or 5 on the 1-5 scale (Very good or Excellent)"
    assert (rows[GF_STUDY].satisfied, rows[GF_STUDY].n) == (11, 19)    # Excellent 3 + Very good 8
    # Recommend: 10 x6, 9 x4 (promoters 10); 8 x3, 7 x2 (passives 5); 6, 5, 4, 3, 2 (detractors 5)
    r = nps(survey)
    assert (r.n, r.promoters, r.passives, r.detractors) == (20, 10, 5, 5)
    assert r.score == pytest.approx(25.0)
    assert [c.item for c in weakest_areas(survey, k=1)] == [GF_HOURS]
    assert [(t.month, t.responses) for t in trend_by_month(survey)] == [("2025-11", 10), ("2025-12", 10)]


def test_google_forms_multi_select_keeps_options_with_commas():
    _, survey = load("google-forms.csv")
    used = shares(survey, GF_USED)
    # Cells are joined with ", "; two options contain a comma themselves.
    assert used == {"Borrowing books": (11, 20), "Computers and wifi": (5, 20), "Study or quiet space": (5, 20),
                    "Children's programs (storytime, rhyme time)": (4, 20),
                    "Printing, scanning and copying": (3, 20)}
    top = choice_shares(survey)[0]
    assert top.percent == pytest.approx(55.0) and top.filter == "all responses"


def test_google_forms_comments_nil_excluded_themes_and_distinct_examples():
    _, survey = load("google-forms.csv")
    # 19 comments written: "nil", "No", "-", "None" and "." say nothing
    summary = comment_summary(survey)
    assert (summary.total, summary.nil, summary.usable) == (19, 5, 14)
    counts = {c.theme.id: c for c in theme_counts(survey, load_themes())}
    assert all(c.n == 14 for c in counts.values())
    # "Please open earlier on Saturdays", "Closed on Sunday", "open earlier on Saturday mornings",
    # "Longer opening hours": word forms of open/close/saturday found by the stemmer
    assert counts["opening-hours"].count == 4
    # "Great service, thanks!" is the most common comment (three times): it fits the praise theme,
    # and is quoted once
    praise = counts["praise"]
    assert praise.examples[0] == "Great service, thanks!"
    assert praise.examples.count("Great service, thanks!") == 1
    assert len(set(praise.examples)) == len(praise.examples) == 3


# ---------------------------------------------------------------- Microsoft Forms

MS_OVERALL = "How would you rate your overall experience today?"
MS_STAFF = "The staff were friendly and helpful"
MS_SIT = "I could find a place to sit and study"
MS_PCS = "The computers and printers worked well"
MS_SPACES = "How would you rate the study spaces?"


def test_microsoft_forms_mapping_is_guessed():
    raw, _ = load("microsoft-forms.csv")
    m = suggest_mapping(raw)
    assert (m.date, m.group) == ("Start time", "Which library did you visit?")
    assert m.items == (MS_OVERALL, MS_STAFF, MS_SIT, MS_PCS, MS_SPACES)
    assert m.recommend == "How likely are you to recommend our library to a friend or colleague?"
    assert m.comment == "Do you have any other feedback for us?"
    assert m.multi == ("Which services did you use today?",)


def test_microsoft_forms_figures_match_hand_count():
    _, survey = load("microsoft-forms.csv")
    rows = by_item(survey)
    assert (rows[MS_OVERALL].satisfied, rows[MS_OVERALL].n) == (11, 16)     # star rating: 5 x5, 4 x6
    assert (rows[MS_STAFF].satisfied, rows[MS_STAFF].n) == (13, 16)         # Strongly agree 7, Agree 6
    assert rows[MS_STAFF].scale == "1-5 (5 = Strongly agree)"
    assert (rows[MS_SIT].satisfied, rows[MS_SIT].n) == (7, 13)              # Agree 5, Strongly agree 2; 3 blank
    assert (rows[MS_PCS].satisfied, rows[MS_PCS].n) == (6, 11)              # Agree 4, Strongly agree 2; 5 blank
    # A 10-point rating: 10 x1, 9 x2, 8 x3 satisfied (the top three), 13 answers
    spaces = rows[MS_SPACES]
    assert (spaces.satisfied, spaces.n) == (6, 13)
    assert spaces.rule == "satisfied = 8, 9 or 10 on the 1-10 scale"
    r = nps(survey)   # 10 x5, 9 x4 | 8 x2, 7 x1 | 6 x2, 4, 1
    assert (r.n, r.promoters, r.passives, r.detractors) == (16, 9, 3, 4)
    assert r.score == pytest.approx(31.25)
    # Microsoft Forms ends every multi-select cell with ";"
    used = shares(survey, "Which services did you use today?")
    assert used["Borrowing books"] == (9, 16) and used["Attending an event or class"] == (2, 16)
    assert "" not in used
    summary = comment_summary(survey)     # "No", "nil" and "n/a" say nothing; one left blank
    assert (summary.total, summary.nil, summary.usable) == (15, 3, 12)


# ---------------------------------------------------------------- SurveyMonkey (two heading rows)

SM_Q = "How satisfied are you with each of the following?"
SM_USED = "Which services have you used in the last month? (select all that apply)"


def test_surveymonkey_two_row_heading_is_read():
    raw, _ = load("surveymonkey.csv")
    assert len(raw) == 16                                   # the option row is a heading, not a response
    assert f"{SM_Q} - Help from staff" in raw.columns
    assert SM_USED in raw.columns                           # its five tick columns folded into one
    assert raw.frame.loc[0, SM_USED] == "Borrowing;Computers and wifi;Study spaces"
    m = suggest_mapping(raw)
    assert m.date == "Start Date"
    assert m.group == "Which branch do you usually visit?"
    assert m.items == tuple(f"{SM_Q} - {row}" for row in ("Help from staff", "Opening hours",
                                                          "Range of books and eResources", "Computers and wifi"))
    assert m.recommend == "How likely is it that you would recommend Bayside Libraries to a friend or colleague?"
    assert m.comment == "What is one thing we could do better?"
    assert m.multi == (SM_USED,)


def test_surveymonkey_figures_match_hand_count():
    _, survey = load("surveymonkey.csv")
    assert survey.notes == ()                               # "N/A" is not answered, not unreadable
    rows = by_item(survey)
    assert (rows[f"{SM_Q} - Help from staff"].satisfied, rows[f"{SM_Q} - Help from staff"].n) == (13, 16)
    assert (rows[f"{SM_Q} - Opening hours"].satisfied, rows[f"{SM_Q} - Opening hours"].n) == (8, 14)  # 2 N/A
    assert (rows[f"{SM_Q} - Range of books and eResources"].satisfied,
            rows[f"{SM_Q} - Range of books and eResources"].n) == (8, 15)
    assert (rows[f"{SM_Q} - Computers and wifi"].satisfied, rows[f"{SM_Q} - Computers and wifi"].n) == (5, 13)
    assert all(c.unreadable == 0 for c in rows.values())
    r = nps(survey)   # 10 x4, 9 x4 | 8 x3, 7 | 6, 5, 3, 2
    assert (r.n, r.promoters, r.passives, r.detractors) == (16, 8, 4, 4)
    assert r.score == pytest.approx(25.0)
    used = shares(survey, SM_USED)
    assert used == {"Borrowing": (11, 16), "Computers and wifi": (6, 16), "Study spaces": (6, 16),
                    "Programs and events": (4, 16), "Other (please specify)": (1, 16)}
    # SurveyMonkey writes US dates (month first): 11/28/2025 is 28 November
    assert [(t.month, t.responses) for t in trend_by_month(survey)] == [("2025-11", 4), ("2025-12", 12)]
    summary = comment_summary(survey)     # "None", "no", "Nil"
    assert (summary.total, summary.nil, summary.usable) == (15, 3, 12)


# ---------------------------------------------------------------- Qualtrics (question-text and ImportId rows)

QX = "Thinking about this semester, how much do you agree with the following? - "


def test_qualtrics_heading_rows_are_read():
    raw, _ = load("qualtrics.csv")
    assert len(raw) == 18                                   # neither the question row nor the ImportId row
    assert not any(str(v).startswith('{"ImportId"') for v in raw.frame.iloc[0])
    m = suggest_mapping(raw)
    assert m.date == "Start Date"
    assert m.group == "Which campus library did you use most this semester?"
    assert m.items == (QX + "Library staff were able to help me", QX + "I could find a quiet place to study",
                       QX + "The library website was easy to use")
    assert m.recommend == "How likely are you to recommend the library to another student?"   # not its NPS group
    assert m.comment == "What could the library do better?"
    assert m.multi == ("Which of these did you do in the library this semester? Select all that apply.",)


def test_qualtrics_seven_point_agree_scale_is_never_scored_as_five():
    _, survey = load("qualtrics.csv")
    assert survey.notes == ()
    rows = by_item(survey)
    staff = rows[QX + "Library staff were able to help me"]
    # Strongly agree 7, Agree 4 (satisfied), Somewhat agree 3, Neither 1, Somewhat disagree 1, Disagree 1,
    # Not applicable 1 (not answered)
    assert (staff.satisfied, staff.n) == (11, 17)
    assert staff.scale == "1-7 (7 = Strongly agree)"
    assert staff.rule == "satisfied = 6 or 7 on the 1-7 scale (Agree or Strongly agree)"
    assert survey.scales[staff.item].key == "1-7" and survey.scales[staff.item].satisfied == (6, 7)
    assert survey.ratings[staff.item].max() == 7
    quiet = rows[QX + "I could find a quiet place to study"]
    assert (quiet.satisfied, quiet.n) == (9, 17)            # Strongly agree 6 + Agree 3; Somewhat agree 4 is not
    web = rows[QX + "The library website was easy to use"]
    assert (web.satisfied, web.n) == (7, 17)
    r = nps(survey)   # 10 x4, 9 x3 | 8 x3, 7 x3 | 6 x2, 5, 4, 2
    assert (r.n, r.promoters, r.passives, r.detractors) == (18, 7, 6, 5)
    assert round(r.score, 1) == 11.1
    did = shares(survey, "Which of these did you do in the library this semester? Select all that apply.")
    assert did["Studied alone"] == (8, 18) and did["Asked for help at the desk"] == (3, 18)
    summary = comment_summary(survey)     # "Nothing", "-", "n/a"
    assert (summary.total, summary.nil, summary.usable) == (17, 3, 14)


# ---------------------------------------------------------------- LibQUAL+-style library survey (1-9)

LQ = ("Perceived - Staff who are consistently courteous", "Perceived - A quiet space for individual study",
      "Perceived - Electronic resources I can reach from home")
LQ_OVERALL = "Overall, how would you rate the quality of the service provided by the library? (1 = low, 9 = high)"


def test_libqual_style_mapping_takes_perceived_not_minimum_or_desired():
    raw, _ = load("libqual-style.csv")
    m = suggest_mapping(raw)
    assert m.items == (*LQ, LQ_OVERALL)
    assert m.recommend is None                              # this kind of survey asks no 0-10 question
    assert m.comment == "Please share any comments about library services."
    assert (m.date, m.group) == ("Date", "User group")


def test_libqual_style_nine_point_figures_match_hand_count():
    _, survey = load("libqual-style.csv")
    rows = by_item(survey)
    assert {survey.scales[i].key for i in (*LQ, LQ_OVERALL)} == {"1-9"}
    assert rows[LQ[0]].rule == "satisfied = 7, 8 or 9 on the 1-9 scale"
    assert (rows[LQ[0]].satisfied, rows[LQ[0]].n) == (17, 18)       # 9 x6, 8 x7, 7 x4; 6 x1
    assert (rows[LQ[1]].satisfied, rows[LQ[1]].n) == (10, 17)       # 9 x4, 8 x3, 7 x3; one N/A
    assert (rows[LQ[2]].satisfied, rows[LQ[2]].n) == (11, 18)       # 9, 8 x4, 7 x6
    assert (rows[LQ_OVERALL].satisfied, rows[LQ_OVERALL].n) == (13, 18)
    assert rows[LQ_OVERALL].scale == "1-9 (9 = High)"
    summary = comment_summary(survey)     # "N/A" and "nil"
    assert (summary.total, summary.nil, summary.usable) == (17, 2, 15)
    praise = {c.theme.id: c for c in theme_counts(survey, load_themes())}["praise"]
    assert praise.examples.count("Great support for my systematic review.") == 1   # written three times


# ---------------------------------------------------------------- Windows-1252 university export (1-7, 0-10)

UNI = "university-cp1252.csv"
U_STAFF = "Performance: Library staff are approachable and helpful"
U_QUIET = "Performance: The library has enough quiet study space"
U_ROOMS = "Performance: Group study rooms are easy to book"
U_REMOTE = "Performance: Off-campus access to e-resources works reliably"
U_OVERALL = "Overall, how satisfied are you with the library? (1 = very dissatisfied, 7 = very satisfied)"
U_RECOMMEND = ("How likely are you to recommend the library to a fellow student? "
               "(0 = not at all likely, 10 = extremely likely)")


def test_windows_1252_export_reads_and_mapping_is_guessed():
    data = (FIXTURES / UNI).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    raw = read_survey(data, name=UNI)
    assert "Don\u2019t know" in set(raw.frame[U_REMOTE].dropna())
    assert any("café" in str(c) for c in raw.frame["Any other comments?"])
    m = suggest_mapping(raw)
    assert m.items == (U_STAFF, U_QUIET, U_ROOMS, U_REMOTE, U_OVERALL)    # importance columns left out
    assert m.recommend == U_RECOMMEND
    assert m.comment == "Any other comments?"
    assert (m.date, m.group) == ("Date completed", "Campus")


def test_windows_1252_seven_point_items_match_hand_count():
    _, survey = load(UNI)
    rows = by_item(survey)
    # 7 x8, 6 x8 satisfied; 5 x4, 4, 3; "Don't know" and a blank not answered
    assert (rows[U_STAFF].satisfied, rows[U_STAFF].n, rows[U_STAFF].unreadable) == (16, 22, 0)
    assert rows[U_STAFF].percent == pytest.approx(100 * 16 / 22)
    # Nobody rated group rooms above 5 (5 x6, 4 x7, 3 x6, 2 x3, 1); the survey's other items are 1-7, so this
    # one is too: none satisfied. Read as 1-5 it would have been 13 of 23.
    assert survey.scales[U_ROOMS].key == "1-7"
    assert (rows[U_ROOMS].satisfied, rows[U_ROOMS].n, rows[U_ROOMS].percent) == (0, 23, 0.0)
    assert (rows[U_REMOTE].satisfied, rows[U_REMOTE].n) == (4, 21)         # 7 x2, 6 x2; three "Don't know"
    assert (rows[U_OVERALL].satisfied, rows[U_OVERALL].n) == (10, 24)      # 7 x3, 6 x7
    assert rows[U_OVERALL].scale == "1-7 (7 = Very satisfied)"
    r = nps(survey)   # 10 x3, 9 x4 | 8 x4, 7 x4 | 6 x3, 5 x2, 4, 3, 2; one blank
    assert (r.n, r.promoters, r.passives, r.detractors) == (23, 7, 8, 8)
    assert r.score == pytest.approx(100 * -1 / 23)


def test_item_with_unreadable_answers_gets_a_problem_not_a_figure():
    _, survey = load(UNI)
    quiet = by_item(survey)[U_QUIET]
    # 21 answers on the scale and 3 that are not ("Sometimes", "Depends on the day", "varies"): 12.5%
    assert quiet.percent is None
    assert (quiet.unreadable, quiet.n) == (3, 21)
    assert survey.unreadable[U_QUIET] == 3 and survey.unreadable[U_STAFF] == 0
    assert f"Column '{U_QUIET}'" in quiet.problem
    assert "3 answers of 24" in quiet.problem and "'Sometimes'" in quiet.problem
    assert "Choose this item's scale" in quiet.problem
    # ... and it is left out of the weakest areas and of every pooled figure
    assert U_QUIET not in [c.item for c in weakest_areas(survey, k=10)]
    pooled = csat(survey, overall=True)[-1]
    assert pooled.item == f"all items except '{U_QUIET}'"
    assert (pooled.satisfied, pooled.n) == (16 + 0 + 4 + 10, 22 + 23 + 21 + 24)
    assert trend_by_month(survey)[0].csat.n == 90
    # choosing the scale does not make the stray answers readable: still no figure, and it says why
    chosen = apply_mapping(read_survey(FIXTURES / UNI), ColumnMapping(items=(U_QUIET,), scales={U_QUIET: "1-7"}),
                           strict=False)
    again = csat(chosen)[0]
    assert again.percent is None and "do not fit the scale chosen" in again.problem


def test_read_as_five_point_the_seven_point_items_are_problems_not_figures():
    # A learner who picks 1-5 for a 1-7 item sees a problem (6s and 7s do not fit), never a 1-5 figure.
    raw = read_survey(FIXTURES / UNI)
    survey = apply_mapping(raw, ColumnMapping(items=(U_STAFF,), scales={U_STAFF: "1-5"}), strict=False)
    staff = csat(survey)[0]
    assert staff.percent is None and staff.unreadable == 16 and "1-5" in staff.problem
    assert SCALES["1-7"].satisfied == (6, 7)
