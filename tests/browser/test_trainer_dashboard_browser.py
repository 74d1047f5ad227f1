"""The trainer dashboard (notebook 11) in real Chromium, beside learners on a real `lessonkit serve`."""

from __future__ import annotations

import base64
import csv
import io
import json
import re

import psutil
import pytest

from lessonkit.store import ResponseStore
from tests.browser.conftest import SHOTS, http_status, start_serve, stop_serve
from tests.browser.test_colour_days_browser import WEEK_A, WEEK_B, pick_week, swatch

pytestmark = pytest.mark.browser

DASHBOARD = "11-trainer-dashboard.ipynb"


@pytest.fixture(scope="module")
def classroom(tmp_path_factory, chromium_path):
    """Its own server, so counts start at zero whatever other tests did."""
    proc, srv = start_serve(tmp_path_factory.mktemp("trainer"))
    yield srv
    stop_serve(proc)


def row(page, number: str):
    return page.locator(".lk-dash-row").filter(has_text=re.compile(rf"^{number}\. "))


def post(page, text):
    page.locator(".lk-disc-text-box textarea").fill(text)
    page.get_by_role("button", name=re.compile(r"Post$")).click()
    page.locator(".lk-disc .lk-status").get_by_text("Posted at").wait_for()


def test_dashboard_runs_the_class_live(classroom, new_page):
    srv = classroom
    dash = new_page(width=1280, height=1000)
    dash.goto(srv.dashboard_url())
    dash.get_by_text("0 learners in class TEST1").wait_for()
    join = dash.locator(".lk-dash-url a").inner_text()
    assert join == f"{srv.url}/join?class=TEST1"

    # The QR code as the browser draws it decodes to the join address.
    import zxingcpp
    from PIL import Image

    shot = dash.locator(".lk-qr").screenshot()
    assert [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))] == [join]

    # Two learners answer two activities; the dashboard (untouched) counts them live.
    a, b = new_page(), new_page()
    for page, who, week in ((a, "teal-wombat-42", WEEK_A), (b, "amber-quokka-17", WEEK_B)):
        srv.goto(page, "05-colour-days.ipynb", learner=who, name=f"Learner {who[:4]}")
        pick_week(page, week)
        srv.goto(page, "10-comments.ipynb", learner=who)
        post(page, f"Useful session <b>{who}</b>")
    row(dash, "05").get_by_text("2 learners").wait_for(timeout=15_000)
    row(dash, "10").get_by_text("2 learners").wait_for(timeout=15_000)
    dash.get_by_text("2 learners in class TEST1").wait_for()
    assert "Learner teal" not in dash.locator(".lk-dash-boards").inner_text()   # names hidden by default

    # Lock: a third learner is told on arrival and refused on Submit, answer kept on screen.
    row(dash, "05").get_by_role("button", name="Lock").click()
    row(dash, "05").get_by_text("Locked").wait_for()
    c = new_page(width=375, height=900)
    srv.goto(c, "05-colour-days.ipynb", learner="sunny-wren-31")
    c.get_by_text("The trainer has closed this activity").wait_for()
    rows = c.locator(".lk-swatches")
    for i, colour in enumerate(WEEK_A):
        swatch(rows.nth(i), colour).click()
    c.get_by_role("button", name="Submit").click()
    c.get_by_text("Not saved: the trainer has closed this activity").wait_for()
    assert "mod-active" in swatch(rows.nth(0), "\u2713 Blue").get_attribute("class")
    store = ResponseStore(srv.db_url)
    assert store.answers_for("TEST1", "colour-days", "sunny-wren-31") == {}

    # Export CSV: the download holds exactly the stored answers.
    dash.get_by_role("button", name="Export answers (CSV)").click()
    link = dash.locator(".lk-dash-download a")
    link.wait_for()
    href = link.get_attribute("href")
    assert href.startswith("data:text/csv;base64,")
    rows_out = list(csv.DictReader(io.StringIO(base64.b64decode(href.split(",", 1)[1]).decode("utf-8-sig"))))
    stored = store.export_rows("TEST1")
    assert len(rows_out) == len(stored) == 2 * 7 + 2
    for got, want in zip(rows_out, stored):
        assert (got["activity"], got["learner"], got["item"], got["answer"]) == (
            want["activity"], want["learner"], want["item"],
            want["answer"] if isinstance(want["answer"], str) else json.dumps(want["answer"]))

    # Reset asks first, then clears the activity; the dashboard shows zero.
    row(dash, "05").get_by_role("button", name="Reset").click()
    dash.get_by_text("Reset 05. What colour is Monday?").wait_for()
    assert len(store.export_rows("TEST1", "colour-days")) == 14
    dash.get_by_role("button", name="Yes, reset").click()
    row(dash, "05").get_by_text("0 learners").wait_for()
    assert store.export_rows("TEST1", "colour-days") == []
    assert len(store.export_rows("TEST1", "comments")) == 2
    dash.get_by_text("A copy was saved first").wait_for()
    SHOTS.mkdir(parents=True, exist_ok=True)
    dash.screenshot(path=str(SHOTS / "trainer-dashboard-1280.png"), full_page=True)
    c.screenshot(path=str(SHOTS / "trainer-locked-learner-375.png"), full_page=True)
    assert dash.dialogs == [] and a.dialogs == [] and b.dialogs == []
    assert dash.offsite == [] and c.offsite == []
    store.close()


def test_a_student_url_cannot_open_the_dashboard_or_its_actions(classroom, new_page):
    srv = classroom
    # The students' server does not serve the trainer folder at all...
    for path in (f"voila/render/{DASHBOARD}", f"voila/render/{DASHBOARD}?key={srv.trainer_key}",
                 f"voila/render/../trainer/{DASHBOARD}", f"voila/render/%2e%2e/trainer/{DASHBOARD}",
                 f"voila/files/../trainer/{DASHBOARD}", "voila/tree/../trainer"):
        assert http_status(f"{srv.url}/{path}") in (400, 403, 404), path
    assert http_status(f"{srv.url}/voila/tree") == 404     # no listing of pages for students
    page = new_page()
    page.goto(f"{srv.url}/")                                 # the students' front door: the join form
    page.get_by_role("heading", name="Join the class").wait_for()
    assert DASHBOARD not in page.content() and srv.trainer_key not in page.content()
    # ...the trainer's server listens on this computer only...
    port = int(srv.trainer_url.rsplit(":", 1)[1])
    listening = {c.laddr.ip for c in psutil.net_connections("tcp") if c.status == "LISTEN" and c.laddr.port == port}
    assert listening == {"127.0.0.1"}
    # ...and without the key its page shows no controls and runs no action.
    for key in ("", "wrong-key-123"):
        page.goto(srv.dashboard_url(key))
        page.get_by_text("This page is for the trainer").wait_for()
        assert page.get_by_role("button").count() == 0
        assert page.locator(".lk-dash-row").count() == 0
