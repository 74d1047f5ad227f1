"""The trainer dashboard (notebook 11), driven through its real widgets, and the lock seen by learners."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import ipywidgets as widgets
import pytest

from lessonkit.charts import qr_svg
from lessonkit.components.board import ClassBoard
from lessonkit.components.discussion import DiscussionBoard
from lessonkit.components.page import find
from lessonkit.content import load
from lessonkit.kinds.checklist.view import Checklist, checklist_page
from lessonkit.kinds.colour_days.view import ColourPoll, colour_days_page
from lessonkit.kinds.comments.view import comments_page
from lessonkit.kinds.quiz.view import Quiz, quiz_page
from lessonkit.pages import overview
from lessonkit.present import PresentView
from lessonkit.settings import Settings
from lessonkit.trainer import Dashboard, dashboard
from lessonkit.trainer_gate import trainer_allowed
from tests.helpers import ROOT, me, session_env

CODE = "LIB7"
ZARA, BO = "teal-wombat-42", "amber-emu-11"


def descendants(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from descendants(child)


def all_html(widget) -> str:
    return "\n".join(w.value for w in descendants(widget) if isinstance(w, widgets.HTML))


def colour_page(colour_days, store, who):
    box = colour_days_page(colour_days, store, me(who, code=CODE))
    find(box, ClassBoard).assert_single().stop()
    return box


def answer_colours(box, colour="Blue"):
    poll = find(box, ColourPoll).assert_single()
    for picker in poll.pickers.values():
        picker.value = colour
    poll.submit_button.click()
    return poll.status


def post(store, who, text):
    page = comments_page(load(ROOT / "data" / "activities" / "comments.yaml"), store, me(who, code=CODE))
    discussion = find(page, DiscussionBoard).assert_single()
    discussion.stop()
    discussion.text.value = text
    discussion.submit_button.click()
    return page


@pytest.fixture
def class_with_answers(store, colour_days):
    store.set_display_name(CODE, ZARA, "Zara Quill")
    store.set_display_name(CODE, BO, "Bo <b>Brave</b>")
    for who in (ZARA, BO):
        assert answer_colours(colour_page(colour_days, store, who)).startswith("Saved at")
        posted = find(post(store, who, f"Useful session, said {who}"), DiscussionBoard).assert_single()
        assert posted.status.startswith("Posted at")
    return store


def make(store, **kw):
    exports = Path(str(store.url).removeprefix("sqlite:///")).parent / "exports"   # beside the test's store
    return Dashboard(store, CODE, f"http://192.0.2.7:8866/voila/render/00-overview.ipynb?class={CODE}",
                     live=False, settings=Settings(exports_dir=exports), **kw)


def test_counts_and_boards_with_names_hidden_by_default(class_with_answers):
    d = make(class_with_answers)
    assert d.counts["colour-days"] == 2 and d.counts["comments"] == 2 and d.counts["legislation"] == 0
    assert "2 learners" in d.rows["colour-days"]["label"].value and "Open" in d.rows["colour-days"]["label"].value
    assert "<strong>2 learners</strong> in class LIB7" in d.total.value
    assert d.anonymise.value is True and d.board_picker.value == "colour-days"   # the first answered activity
    board = d.boards[0]
    assert board.learners == 2
    html = all_html(d)
    assert "Zara Quill" not in html and "Teal Wombat 42" not in html and "Bo &lt;b&gt;" not in html
    d.anonymise.value = False                              # the trainer's own screen, not the projector
    html = all_html(d)
    assert "Zara Quill" in html and "Bo &lt;b&gt;Brave&lt;/b&gt;" in html and "<b>Brave" not in html
    d.board_picker.value = "comments"
    assert "Useful session, said amber-emu-11" in all_html(d)
    d.close()


def test_the_join_qr_code_decodes_to_the_join_address():
    import segno
    import zxingcpp
    from PIL import Image

    url = "http://192.0.2.7:8866/voila/render/00-overview.ipynb?class=LIB7"
    svg = qr_svg(url, label="QR code for the join address")
    assert svg.startswith("<svg role='img' aria-label='QR code for the join address'") and "viewBox" in svg
    # The same symbol segno draws as SVG, rasterised, read back by a real QR reader. (The browser test
    # decodes a screenshot of the dashboard's SVG itself.)
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=6, border=4)
    out.seek(0)
    assert [r.text for r in zxingcpp.read_barcodes(Image.open(out))] == [url]


def test_lock_refuses_a_learner_even_from_a_forged_click(class_with_answers, colour_days):
    store = class_with_answers
    d = make(store)
    d.rows["colour-days"]["lock"].value = True             # the trainer presses Lock
    assert store.locked(CODE) == {"colour-days"}
    assert "Locked" in d.rows["colour-days"]["label"].value and d.rows["colour-days"]["lock"].description == "Unlock"
    newcomer = find(colour_page(colour_days, store, "sunny-wren-31"), ColourPoll).assert_single()
    assert "The trainer has closed this activity" in newcomer.status   # told on arrival
    for picker in newcomer.pickers.values():
        picker.value = "Red"
    # A forged widget message: the browser's "click" event for the Submit button, sent straight to the kernel.
    newcomer.submit_button._handle_custom_msg({"event": "click"}, [])
    assert newcomer.status.startswith("Not saved: the trainer has closed this activity")
    assert newcomer.saved is False
    values = newcomer.pickers.values()
    assert {p.value for p in values} == {"Red"}              # the answer stays on screen
    assert store.answers_for(CODE, "colour-days", "sunny-wren-31") == {}
    # A direct call to submit() is refused by the store as well.
    assert newcomer.submit() is False
    d.rows["colour-days"]["lock"].value = False
    assert store.locked(CODE) == set() and "Open" in d.rows["colour-days"]["label"].value
    assert newcomer.submit() is True
    d.close()


def test_reset_asks_first_keeps_an_export_and_empties_the_board(class_with_answers):
    store = class_with_answers
    d = make(store)
    before = store.export_rows(CODE, "comments")
    assert len(before) == 2
    d.rows["comments"]["reset"].click()
    assert d.confirm_box.layout.display is None and "Reset 10." in d._confirm_text.value
    assert len(store.export_rows(CODE, "comments")) == 2   # nothing deleted before confirming
    d.cancel_button.click()
    assert d.confirm_box.layout.display == "none" and "Cancelled" in d.message.value
    assert len(store.export_rows(CODE, "comments")) == 2
    d.rows["comments"]["reset"].click()
    d.confirm_button.click()
    assert store.export_rows(CODE, "comments") == [] and d.counts["comments"] == 0
    assert "0 learners" in d.rows["comments"]["label"].value
    assert d.counts["colour-days"] == 2                    # other activities untouched
    saved = next(Path(d.message.value.split("saved first to ")[1].split("</p>")[0].rstrip(".")).parent.glob(
        "LIB7-comments-*-before-reset.csv"))
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    assert sorted(r["answer"] for r in rows) == sorted(r["answer"] for r in before)
    assert "download=" in d.download.value
    d.close()


def test_export_csv_holds_exactly_the_stored_answers_and_excel_keeps_formulas_as_text(class_with_answers):
    from openpyxl import load_workbook

    store = class_with_answers
    store.submit(CODE, "feedback-forms", BO, "form-1", {"organisation": "=cmd|' /C calc'!A0", "ease": 4})
    d = make(store)
    path = Path(d.export("csv"))
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    stored = store.export_rows(CODE)
    assert len(rows) == len(stored) == 2 * 7 + 2 + 1
    said = d.message.value
    assert f"Exported {len(stored)} current answers (each learner&#x27;s latest answer to each question;" in said
    import json

    for got, want in zip(rows, stored):
        assert (got["activity"], got["learner"], got["item"]) == (want["activity"], want["learner"], want["item"])
        value = want["answer"]
        assert (got["answer"] if isinstance(value, str) else json.loads(got["answer"])) == value
    assert {r["display_name"] for r in rows} == {"Zara Quill", "Bo <b>Brave</b>"}
    xlsx = Path(d.export("xlsx"))
    sheet = load_workbook(xlsx).active
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert len(list(sheet.iter_rows(min_row=2))) == len(stored)
    assert all(c.data_type == "s" for c in cells if c.value)   # nothing runs as a formula
    assert any("=cmd" in str(c.value) for c in cells)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    d.close()


def test_trainer_hides_and_shows_a_post_from_the_dashboard(class_with_answers):
    store = class_with_answers
    d = make(store)
    d.board_picker.value = "comments"
    assert d.moderation.layout.display is None
    labels = [label for label, _ in d.post_picker.options]
    assert len(labels) == 2 and all("Useful session" in label for label in labels)
    target = next(v for label, v in d.post_picker.options if ZARA in label)
    d.post_picker.value = target
    d.hide_button.click()
    learner_view = find(post(store, "sunny-wren-31", "Me too"), DiscussionBoard).assert_single()
    assert "said teal-wombat-42" not in learner_view.html and "said amber-emu-11" in learner_view.html
    assert d.hide_button.description == "Show post again"
    d.hide_button.click()
    assert "said teal-wombat-42" in find(post(store, "keen-quoll-12", "Agreed"), DiscussionBoard).assert_single().html
    d.close()


def test_delete_one_learner_and_purge_old_classes(class_with_answers):
    store = class_with_answers
    d = make(store, keep=0)
    assert [v for _, v in d.learner_picker.options] == [BO, ZARA]
    assert "Zara" not in " ".join(label for label, _ in d.learner_picker.options)   # names hidden
    d.learner_picker.value = ZARA
    d.delete_button.click()
    assert len(store.learner_activities(CODE, ZARA)) == 2   # not yet: asked first
    d.confirm_button.click()
    assert store.learner_activities(CODE, ZARA) == set() and [v for _, v in d.learner_picker.options] == [BO]
    assert d.counts["colour-days"] == 1
    d.purge_button.click()
    d.confirm_button.click()                                # keep=0: every class is older than 0 days
    assert store.classes() == [] and "Deleted 1 old class: LIB7" in d.message.value
    d.close()


def test_only_the_trainer_kernel_may_open_the_dashboard(store):
    voila = {"SERVER_SOFTWARE": "voila/0.5.13", "LESSONKIT_CLASS": CODE}
    assert trainer_allowed({}) == (True, "")                                  # JupyterLab on one's own machine
    assert trainer_allowed({"JUPYTERHUB_USER": "student7"})[0] is False       # a student's hub server
    assert trainer_allowed({"JUPYTERHUB_USER": "trainer1", "LESSONKIT_TRAINER_KEY": "k3y-k3y-k3y"})[0] is True
    assert trainer_allowed(voila)[0] is False                                 # a students' Voila: no key
    hub_voila = dict(voila, JUPYTERHUB_USER="student7", QUERY_STRING="key=s3cret-key")   # a hub's Voila, key guessed
    allowed, why = trainer_allowed(hub_voila)
    assert allowed is False and "On this hub it opens only in a trainer's server" in why
    assert trainer_allowed(dict(hub_voila, LESSONKIT_TRAINER_KEY="s3cret-key"))[0] is True   # the trainer's server
    keyed = dict(voila, LESSONKIT_TRAINER_KEY="s3cret-key")
    assert trainer_allowed(dict(keyed, QUERY_STRING="key=wrong"))[0] is False
    assert trainer_allowed(dict(keyed, QUERY_STRING="class=LIB7"))[0] is False
    assert trainer_allowed(dict(keyed, QUERY_STRING="key=s3cret-key"))[0] is True
    refused = dashboard(store=store, env=dict(keyed, QUERY_STRING="key=wrong"))
    assert not any(isinstance(w, (widgets.Button, widgets.ToggleButton)) for w in descendants(refused))
    assert "This page is for the trainer" in all_html(refused)
    ok = dashboard(store=store, env=dict(keyed, QUERY_STRING="key=s3cret-key"))
    assert isinstance(ok, Dashboard) and ok.class_code == CODE
    ok.close()


def test_overview_shows_progress_locks_and_privacy_facts(class_with_answers, monkeypatch):
    store = class_with_answers
    store.submit(CODE, "legislation.ranking", ZARA, "order", ["whs"])       # a part only: started
    store.lock(CODE, "legislation")
    # LESSONKIT_KEEP_DAYS: what `lessonkit serve --keep-days 14` passes on to the page's kernel
    html = overview(store=store, env=session_env(store, CODE, ZARA, LESSONKIT_KEEP_DAYS="14")).content_widget.value
    assert "<strong>2 of 10</strong> activities done" in html and "value='2'" in html
    line = lambda nb: next(ln for ln in html.split("<li") if nb in ln)  # noqa: E731
    assert "lk-progress-done" in line("05-colour-days") and "lk-progress-done" in line("10-comments")
    assert "lk-progress-started" in line("07-legislation") and "closed by the trainer" in line("07-legislation")
    assert "lk-progress-todo" in line("01-charters")
    assert "database file on the computer running the lesson" in html
    assert "<strong>Kept:</strong> for 14 days after your class's last answer" in html


def test_the_join_panel_says_who_can_reach_the_address(store):
    lan = make(store)
    assert "same Wi-Fi network" in all_html(lan)
    lan.close()
    local = Dashboard(store, CODE, f"http://127.0.0.1:8866/voila/render/00-overview.ipynb?class={CODE}", live=False)
    assert "Only this computer can open this address" in all_html(local)
    local.close()
    hub = Dashboard(store, CODE, "https://hub.example.org/hub/user-redirect/git-pull?repo=x", live=False)
    assert "log in with their own account" in all_html(hub) and "Wi-Fi" not in all_html(hub)
    hub.close()


# ---------------------------------------------------------------- the boards speak to the trainer

# Sentences meant for a learner looking at their own page; none belongs on the dashboard or the projector.
LEARNER_WORDS = ("Submit your", "compare yourself", "you compare", "Nobody else in your class", "You vs",
                 "Be the first", "plus yours", "plus you", "(yours)", "(you)", "your answers are compared")


def board_text(view, slug=None) -> str:
    if slug is not None:
        view.show_board(slug)
    return "\n".join(all_html(b) for b in view.boards)


def answer_02_and_04(store, who, rating):
    page = checklist_page(load(ROOT / "data" / "activities" / "self-assessment.yaml"), store,
                          me(who, code=CODE))
    find(page, ClassBoard).assert_single().stop()
    checklist = find(page, Checklist).assert_single()
    for picker in checklist.ratings.values():
        picker.value = rating
    checklist.submit_button.click()
    assert checklist.saved, checklist.status
    page = quiz_page(load(ROOT / "data" / "activities" / "listening-quiz.yaml"), store,
                     me(who, code=CODE))
    find(page, ClassBoard).assert_single().stop()
    quiz = find(page, Quiz).assert_single()
    for q in quiz.content.questions:
        quiz.answer(q.id, list(q.answers) if q.type == "multiple" else q.answer)
    quiz.submit_button.click()
    assert quiz.saved, quiz.status


def test_boards_on_the_dashboard_and_projector_speak_to_the_trainer(store):
    d = make(store)
    for a in d.activities:                        # before anyone answers: samples and empty boards alike
        text = board_text(d, a.slug)
        assert text, a.slug
        for words in LEARNER_WORDS:
            assert words not in text, (a.slug, words)
    assert "each learner also sees their ratings beside the sample average" in board_text(d, "self-assessment")
    assert "No forms yet" in board_text(d, "feedback-forms")
    assert "No finished role-plays yet" in board_text(d, "difficult-customers")
    assert "They appear here as the class posts them" in board_text(d, "comments")

    for who, rating in ((ZARA, 4), (BO, 2)):
        answer_02_and_04(store, who, rating)
    d.refresh(force=True)
    self_assessment, quiz = board_text(d, "self-assessment"), board_text(d, "listening-quiz")
    assert "2 people in your class have answered so far" in self_assessment   # too few: the sample, labelled
    assert "On their own page, each learner also sees their ratings beside the sample average." in self_assessment
    assert "2 people have taken the quiz." in quiz
    assert "On their own page, each learner also sees their score beside the median." in quiz
    view = PresentView(store, CODE, live=False)   # the projector
    for slug in ("self-assessment", "listening-quiz"):
        assert view.controls.move(slug)
        assert "each learner also sees their" in board_text(view)
    for text in (self_assessment, quiz, board_text(view)):
        for words in LEARNER_WORDS:
            assert words not in text, words
    view.close()
    d.close()
