"""Content loading: shipped files are valid; broken ones name file, line, field and expectation."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from lessonkit import ContentError
from lessonkit.checking import check
from lessonkit.cli import main
from lessonkit.content import activities, load, load_lesson
from lessonkit.kinds.colour_days.model import ColourDays
from tests.helpers import ROOT

GOOD = (ROOT / "data" / "activities" / "colour-days.yaml").read_text()


def write(tmp_path: Path, text: str, name: str = "colour-days.yaml") -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text))
    return p


def line_of(text: str, needle: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines(), 1) if needle in ln)


def test_shipped_content_loads_typed():
    a = load(ROOT / "data" / "activities" / "colour-days.yaml")
    assert isinstance(a, ColourDays)
    assert a.slug == "colour-days" and a.number == 5
    assert a.days[0] == "Monday" and len(a.days) == 7
    assert {c.name for c in a.colours} >= {"Red", "Blue", "Grey"}
    assert a.sample_class is not None and len(a.sample_class.rows) >= 10
    assert set(a.sample_class.rows[0]) == {"learner", *(d.lower() for d in a.days)}
    assert "synthetic" in a.sample_class.label.lower()
    lesson = load_lesson()
    assert [o.code for o in lesson.outcomes] == ["3.1", "3.2", "3.3", "3.4", "3.5"]


def test_every_shipped_file_passes_check():
    assert check([ROOT / "data"]) == []
    found = activities()
    assert "colour-days" in [a.slug for a in found]
    assert [a.number for a in found] == sorted(a.number for a in found)   # session order


def test_wrong_type_names_file_line_field_and_expectation(tmp_path):
    text = GOOD.replace("minutes: 15", "minutes: fifteen")
    p = write(tmp_path, text)
    with pytest.raises(ContentError) as err:
        load(p)
    msg = str(err.value)
    assert str(p) in msg
    assert f":{line_of(text, 'minutes: fifteen')}:" in msg
    assert "'minutes'" in msg and "a whole number" in msg and "fifteen" in msg
    assert err.value.field == "minutes" and err.value.line == line_of(text, "minutes: fifteen")


def test_bad_colour_in_a_list_names_the_item(tmp_path):
    text = GOOD.replace('{name: Pink, hex: "#F29AC4"}', '{name: Pink, hex: "pinkish"}')
    p = write(tmp_path, text)
    with pytest.raises(ContentError) as err:
        load(p)
    assert err.value.field == "colours[6].hex"
    assert err.value.line == line_of(text, "pinkish")
    assert "#1F77B4" in str(err.value)  # the expectation shows an example


def test_unknown_field_suggests_the_right_one(tmp_path):
    p = write(tmp_path, GOOD.replace("minutes: 15", "minutes: 15\nboard-title: Hi"))
    with pytest.raises(ContentError, match="did you mean 'board_title'"):
        load(p)


def test_missing_required_field(tmp_path):
    p = write(tmp_path, "\n".join(ln for ln in GOOD.splitlines() if not ln.startswith("title:")))
    with pytest.raises(ContentError, match="field 'title'|title: missing"):
        load(p)


def test_duplicate_colour_names_are_refused(tmp_path):
    text = GOOD.replace("{name: Brown,", "{name: red,")
    p = write(tmp_path, text)
    with pytest.raises(ContentError, match="appears twice") as err:
        load(p)
    assert err.value.line == line_of(text, "{name: red,")


def test_unknown_kind_lists_the_kinds(tmp_path):
    p = write(tmp_path, GOOD.replace("kind: colour-days", "kind: colour-weeks"))
    with pytest.raises(ContentError, match=r"one of .*colour-days") as err:
        load(p)
    assert err.value.line == 3


def test_yaml_syntax_error_names_the_line(tmp_path):
    text = GOOD.replace("minutes: 15", "minutes: [15")
    p = write(tmp_path, text)
    with pytest.raises(ContentError, match="not valid YAML") as err:
        load(p)
    assert err.value.line is not None and err.value.line >= line_of(text, "minutes: [15")


def test_sample_csv_with_unknown_colour_names_csv_file_and_row(tmp_path):
    csv = tmp_path / "sample.csv"
    csv.write_text("learner,monday,tuesday,wednesday,thursday,friday,saturday,sunday\n"
                   "A,Red,Blue,Green,Grey,Pink,White,Black\n"
                   "B,Red,Blue,Mauve,Grey,Pink,White,Black\n")
    p = write(tmp_path, GOOD.replace("file: samples/colour-days-sample-class.csv", f"file: {csv}"))
    with pytest.raises(ContentError) as err:
        load(p)
    assert str(csv) in str(err.value) and err.value.line == 3 and err.value.field == "wednesday"
    assert "Mauve" in str(err.value)


def test_cli_check_exit_codes(tmp_path, capsys):
    assert main(["check", str(ROOT / "data")]) == 0
    assert "no problems" in capsys.readouterr().out
    bad = write(tmp_path, GOOD.replace("minutes: 15", "minutes: '15 minutes'"))
    assert main(["check", str(bad)]) == 1
    out = capsys.readouterr().out
    assert str(bad) in out and "minutes" in out and "a whole number" in out


def test_a_file_the_yaml_names_is_read_from_the_content_folder_it_is_handed(tmp_path, monkeypatch):
    """The content folder comes from the caller (the entry point's settings, LESSONKIT_DATA), never from the
    environment: a YAML outside any activities/ folder reads its sample from the folder it is handed."""
    import shutil

    data = tmp_path / "given" / "data"
    shutil.copytree(ROOT / "data" / "samples", data / "samples")
    csv = data / "samples" / "colour-days-sample-class.csv"
    csv.write_text("learner,monday,tuesday,wednesday,thursday,friday,saturday,sunday\n"
                   "Only One 1,Blue,Blue,Blue,Blue,Blue,Blue,Blue\n", encoding="utf-8")
    loose = tmp_path / "loose" / "colour-days.yaml"
    loose.parent.mkdir()
    shutil.copy(ROOT / "data" / "activities" / "colour-days.yaml", loose)
    monkeypatch.setenv("LESSONKIT_DATA", str(tmp_path / "nowhere"))   # not read below the edge
    handed = load(loose, data=data)
    assert [row["learner"] for row in handed.sample_class.rows] == ["Only One 1"]
    assert len(load(loose).sample_class.rows) > 1     # without one: the default folder (the repository's here)
    assert not check([loose], data=data) and not check([loose])
