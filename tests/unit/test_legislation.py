"""Notebook 07: content, the scenario matcher and its board, the page, driven through the real widgets."""

from __future__ import annotations

import pytest
from traitlets import TraitError

from lessonkit import ContentError
from lessonkit.cli import main
from lessonkit.components.board import ClassBoard
from lessonkit.components.page import find
from lessonkit.content import load
from lessonkit.kinds.legislation.board import law_matching_board
from lessonkit.kinds.legislation.ranking import Ranking
from lessonkit.kinds.legislation.scoring import class_matching, exact_matches, match_laws
from lessonkit.kinds.legislation.view import LawMatcher, laws_html, legislation_page
from tests.helpers import HOSTILE, HOSTILE_ESCAPED, ROOT, SCRIPT, me

YAML = ROOT / "data" / "activities" / "legislation.yaml"


@pytest.fixture
def content():
    return load(YAML)


def tick_all(view: LawMatcher, wrong: dict[str, list[str]] | None = None) -> None:
    wrong = wrong or {}
    for s in view.content.scenarios:
        chosen = wrong.get(s.id, s.laws)
        for law_id, box in view.ticks[s.id].items():
            box.value = law_id in chosen


def test_shipped_content(content):
    assert content.number == 7 and content.outcomes == ("3.3",) and content.kind == "legislation"
    assert [law.id for law in content.laws] == ["whs", "discrimination", "children", "privacy", "copyright",
                                                "environment"]
    assert all(law.link.startswith("https://") and law.acts and law.states for law in content.laws)
    assert 10 <= len(content.scenarios) <= 14
    assert sum(len(s.laws) > 1 for s in content.scenarios) >= 4            # more than one may be right
    assert {i for s in content.scenarios for i in s.laws} == {law.id for law in content.laws}
    assert "synthetic" in content.sample_class.label.lower() and len(content.sample_class.rows) >= 5
    acts = " ".join(a for law in content.laws for a in law.acts)
    for act in ("Work Health and Safety Act 2011 (Cth)", "Occupational Health and Safety Act 2004 (Vic)",
                "Privacy Act 1988 (Cth)", "Copyright Act 1968 (Cth)", "Disability Discrimination Act 1992 (Cth)"):
        assert act in acts


def test_matching_functions():
    expected = {"s1": ["privacy"], "s2": ["whs", "privacy"], "s3": ["copyright"]}
    got = match_laws(expected, {"s1": ["privacy"], "s2": ["privacy", "copyright"], "s3": "copyright"})
    assert got[0].exact and not got[0].partly
    assert not got[1].exact and got[1].partly and got[1].missed == ("whs",) and got[1].extra == ("copyright",)
    assert not got[2].answered and got[2].missed == ("copyright",)
    assert exact_matches(expected, {"s1": ["privacy"], "s2": ["privacy", "whs"], "s3": ["whs"]}) == 2
    shares = class_matching(expected, {"p": {"s2": ["privacy"]}, "q": {"s2": ["whs", "privacy"]},
                                       "r": {"s2": ["copyright"]}})
    s2 = shares[1]
    assert (s2.exact, s2.n, s2.most_missed, s2.missed_count) == (1, 3, ("whs",), 2)
    assert shares[0].n == 0 and shares[0].share == 0 and shares[0].most_missed == ()


def test_submit_gives_feedback_per_scenario_and_stores(content, store):
    view = LawMatcher(content, store, me())
    tick_all(view, wrong={"teen-loans": ["privacy", "children"], "broken-lift": ["discrimination"],
                          "textbook-copying": ["privacy"]})
    view.submit_button.click()
    assert view.status.startswith("Saved at")
    n = len(content.scenarios)
    assert f"{n - 3} of {n} matched exactly." in view.summary.value
    assert "Right: Working with children." in view.feedback["rhyme-time-volunteer"].value
    assert "Partly right:</strong> Working with children does not apply here." in view.feedback["teen-loans"].value
    assert "Partly right:</strong> you missed WHS." in view.feedback["broken-lift"].value
    assert "Not quite: this is Copyright." in view.feedback["textbook-copying"].value
    assert "fair dealing" in view.feedback["textbook-copying"].value
    stored = store.answers_for("LIB3", "legislation", "teal-wombat-42")
    assert stored["teen-loans"] == ["children", "privacy"] and stored["broken-lift"] == ["discrimination"]
    assert len(stored) == n


def test_unanswered_scenarios_are_named_and_nothing_is_saved(content, store):
    view = LawMatcher(content, store, me())
    tick_all(view)
    view.ticks["teen-loans"]["privacy"].value = False
    view.ticks["old-computers"]["privacy"].value = False
    view.ticks["old-computers"]["environment"].value = False
    view.submit_button.click()
    assert view.status == "Not saved: tick at least one law for every situation (still to do: 2, 6)"
    assert view.ticks["cctv-desk"]["whs"].value is True                 # answers stay on screen
    assert store.answers_for("LIB3", "legislation", "teal-wombat-42") == {}


@pytest.mark.parametrize("forge", [
    lambda a: a | {"teen-loans": ["privacy", "tax-law"]},
    lambda a: a | {"teen-loans": ["privacy", "privacy"]},
    lambda a: a | {"teen-loans": "privacy"},
    lambda a: a | {"made-up": ["privacy"]},
    lambda a: {k: v for k, v in a.items() if k != "teen-loans"},
])
def test_forged_answers_are_refused(content, store, forge):
    view = LawMatcher(content, store, me())
    with pytest.raises(TraitError):
        view.ticks["teen-loans"]["privacy"].value = "yes please"
    tick_all(view)
    forged = forge(view._collect())
    view._collect = lambda: forged
    assert view.submit() is False and view.status.startswith("Not saved:")
    assert store.answers_for("LIB3", "legislation", "teal-wombat-42") == {}


def test_reload_restores_ticks_and_feedback(content, store):
    first = LawMatcher(content, store, me())
    tick_all(first, wrong={"cctv-desk": ["privacy"]})
    first.submit()
    again = LawMatcher(content, store, me())
    assert again.ticks["cctv-desk"]["privacy"].value and not again.ticks["cctv-desk"]["whs"].value
    assert "you missed WHS" in again.feedback["cctv-desk"].value
    assert again.status.startswith("Your earlier answer is back")
    again.ticks["cctv-desk"]["whs"].value = True
    assert again.feedback["cctv-desk"].value == "" and again.status.startswith("Changed")


def test_matching_board_shares_most_missed_and_escapes():
    laws = [("whs", "WHS"), ("privacy", "Privacy <b>")]
    scenarios = [("s1", "CCTV <script>alert(1)</script>", ["whs", "privacy"]), ("s2", "Loans", ["privacy"])]
    answers = {"p": {"s1": ["privacy"], "s2": ["privacy"]}, "q": {"s1": ["whs", "privacy"], "s2": ["whs"]},
               "r": {"s1": ["privacy"], "s2": ["privacy"]}}
    html = law_matching_board(laws, scenarios, answers, you="p", names={"p": SCRIPT, "q": "Q", "r": "R"})
    assert "3 people have answered." in html
    assert "1 of 3 matched exactly (33%)" in html and "2 of 3 matched exactly (67%)" in html
    assert "Most missed: <strong>WHS</strong> (2 of 3)" in html
    assert "<strong>You:</strong> missed WHS" in html and "<strong>You:</strong> matched exactly" in html
    assert "Hardest: <strong>CCTV &lt;script&gt;" in html
    assert SCRIPT not in html and "Privacy <b>" not in html and "Privacy &lt;b&gt;" in html
    assert "No answers yet" in law_matching_board(laws, scenarios, {})


def test_page_has_laws_matcher_ranking_and_boards(content, store):
    page = legislation_page(content, store, me())
    header = page.children[0].value
    ranking = find(page, Ranking).assert_single()
    matcher = find(page, LawMatcher).assert_single()
    matcher_board, ranking_board = find(page, ClassBoard).widgets
    for law in content.laws:
        assert f'href="{law.link}"' in header and "rel='noopener noreferrer'" in header
    assert "Occupational Health and Safety Act 2004 (Vic)" in header
    assert ranking.activity_id == "legislation.ranking"
    assert [n for _, n in ranking.items][:2] == ["WHS", "Anti-discrimination"]
    # before anyone answers, both boards show the labelled synthetic sample
    assert "synthetic" in matcher_board.html and "synthetic" in ranking_board.html
    tick_all(matcher)
    matcher.submit_button.click()
    assert "<strong>You:</strong> matched exactly" in matcher_board.html
    ranking.reason.value = HOSTILE
    ranking.up[3].click()
    ranking.submit_button.click()
    assert ranking.status.startswith("Saved at")
    assert HOSTILE_ESCAPED in ranking_board.html
    assert "<img src=x" not in ranking_board.html
    # a second learner: the real class replaces the sample on the board
    other = legislation_page(content, store, me("brave-brolga-77"))
    other_ranking = find(other, Ranking).assert_single()
    other_ranking.reason.value = "Children first."
    other_ranking.submit_button.click()
    ranking_board.refresh()
    assert "Ranked by 2 learners." in ranking_board.html and "synthetic" not in ranking_board.html
    for board in (matcher_board, ranking_board, *find(other, ClassBoard).widgets):
        board.stop()


def test_laws_html_escapes_content(content):
    import dataclasses

    law = dataclasses.replace(content.laws[0], name="WHS <i>", link_label="<b>src</b>")
    html = laws_html(dataclasses.replace(content, laws=(law,)))
    assert "WHS &lt;i&gt;" in html and "&lt;b&gt;src&lt;/b&gt;" in html and "<i>" not in html


def test_check_refuses_a_scenario_naming_an_unknown_law(tmp_path, capsys):
    text = YAML.read_text()
    assert "    laws: [whs, environment]\n" in text
    bad = tmp_path / "legislation.yaml"
    bad.write_text(text.replace("    laws: [whs, environment]\n", "    laws: [whs, enviroment]\n"))
    with pytest.raises(ContentError) as err:
        load(bad)
    assert "scenario 'repair-solvents' names law 'enviroment', which is not one of the laws" in str(err.value)
    line = next(i for i, ln in enumerate(bad.read_text().splitlines(), 1) if "enviroment]" in ln)
    assert err.value.line == line
    assert main(["check", str(bad)]) == 1 and f"{bad}:{line}" in capsys.readouterr().out


def test_check_refuses_duplicate_ids(tmp_path):
    text = YAML.read_text()
    bad = tmp_path / "legislation.yaml"
    bad.write_text(text.replace("  - id: teen-loans\n", "  - id: rhyme-time-volunteer\n"))
    with pytest.raises(ContentError) as err:
        load(bad)
    assert "'rhyme-time-volunteer' appears twice" in str(err.value)
    bad.write_text(text.replace("    laws: [whs, environment]\n", "    laws: [whs, whs]\n"))
    with pytest.raises(ContentError) as err:
        load(bad)
    assert "'whs' appears twice" in str(err.value)


def test_check_refuses_a_bad_sample_row(tmp_path):
    sample = (ROOT / "data" / "samples" / "legislation-sample-class.csv").read_text()
    csv = tmp_path / "sample.csv"
    csv.write_text(sample.replace("Teal Quoll 97,children,", "Teal Quoll 97,kids,", 1))
    bad = tmp_path / "legislation.yaml"
    bad.write_text(YAML.read_text().replace("file: samples/legislation-sample-class.csv", f"file: {csv}"))
    with pytest.raises(ContentError) as err:
        load(bad)
    assert err.value.line == 3 and "rhyme-time-volunteer" in str(err.value)
