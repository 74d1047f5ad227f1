"""The educator's remix path: `lessonkit new` for every kind, its refusals and numbering, the JSON
Schemas (committed, current, matching the shipped YAML), `check` on a copy, and the guide's example."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from lessonkit import ContentError, kinds
from lessonkit.checking import check
from lessonkit.cli import main
from lessonkit.content import load
from lessonkit.convert import public_fields
from lessonkit.scaffold import next_number, notebook_json, starter_values
from lessonkit.schema import SCHEMA_DIR, schema, schema_text
from tests.helpers import ROOT
from tests.remix_guide import GUIDE, replace_fields, run_guide, workspace

SHIPPED = sorted((ROOT / "data" / "activities").glob("*.yaml"))


def new(tmp_path: Path, *args: str) -> int:
    return main(["new", *args, "--data", str(tmp_path / "data"), "--notebooks", str(tmp_path / "notebooks")])


def files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize("kind", kinds.names())
def test_every_kind_scaffolds_a_file_that_passes_check_and_its_schema(kind, tmp_path, capsys):
    assert new(tmp_path, kind, f"my-{kind}", "--title", "Handling a complaint at the loans desk") == 0
    out = capsys.readouterr().out
    path = tmp_path / "data" / "activities" / f"my-{kind}.yaml"
    assert f"created {path}" in out and f"created {tmp_path / 'notebooks' / f'01-my-{kind}.ipynb'}" in out
    assert check([tmp_path / "data"]) == []
    assert main(["check", str(path)]) == 0
    content = load(path)
    assert (content.kind, content.number, content.notebook) == (kind, 1, f"01-my-{kind}.ipynb")
    assert content.title == "Handling a complaint at the loans desk"
    text = path.read_text()
    jsonschema.validate(yaml.safe_load(text), schema(kind))
    # The modeline points at the committed schema, relative to the file (as editors resolve it).
    modeline = text.splitlines()[0]
    assert modeline.startswith("# yaml-language-server: $schema=")
    assert (path.parent / modeline.split("=", 1)[1]).resolve() == SCHEMA_DIR / f"{kind}.schema.json"
    # Every field is explained: set, or shown commented out, each under its comment.
    for f in public_fields(kinds.model(kind)):
        assert re.search(rf"^(# )?{f.name}:", text, re.MULTILINE), f"{f.name} is not in the starter"
    assert "# title shown to the learner [text, at most 120 characters; required]" in text


@pytest.mark.parametrize("kind", kinds.names())
def test_fields_marked_required_are_refused_when_missing(kind, tmp_path):
    # `required=True` in the metadata must say what the kind's _finish() enforces, or the schema lies.
    cls = kinds.model(kind)
    needed = [f.name for f in public_fields(cls) if f.metadata.get("required")
              or f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    base = {"kind": kind, "number": 1, "title": "T", "notebook": "01-t.ipynb", **starter_values(kind)}
    for name in needed:
        assert name in base, f"the {kind} starter leaves out required field {name}"
        p = tmp_path / "activities" / "t.yaml"
        p.parent.mkdir(exist_ok=True)
        p.write_text(yaml.safe_dump({k: v for k, v in json.loads(json.dumps(base)).items() if k != name}))
        with pytest.raises(ContentError):
            load(p)


def test_new_writes_a_notebook_exactly_like_the_shipped_ones(tmp_path, capsys):
    assert new(tmp_path, "quiz", "returns-fines") == 0
    written = (tmp_path / "notebooks" / "01-returns-fines.ipynb").read_text()
    shipped = (ROOT / "notebooks" / "05-colour-days.ipynb").read_text()
    assert written == shipped.replace("colour-days", "returns-fines") == notebook_json("returns-fines")
    assert load(tmp_path / "data" / "activities" / "returns-fines.yaml").title == "Returns fines"


@pytest.mark.parametrize("names, expected", [
    ([], 1),
    (["00-overview.ipynb"], 1),
    (["00-overview.ipynb", "03-a.ipynb", "07-b.ipynb", "notes.ipynb", "x-12.ipynb"], 8),
    ([p.name for p in (ROOT / "notebooks").glob("*.ipynb")], 11),
])
def test_new_numbers_after_the_highest_notebook(tmp_path, names, expected):
    for name in names:
        (tmp_path / name).write_text("{}")
    assert next_number(tmp_path) == expected


def test_new_numbers_on_from_the_copied_lesson(tmp_path, capsys):
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")
    assert new(tmp_path, "sorter", "phone-manner") == 0
    assert new(tmp_path, "comments", "wrap-up") == 0
    assert (tmp_path / "notebooks" / "11-phone-manner.ipynb").exists()
    assert (tmp_path / "notebooks" / "12-wrap-up.ipynb").exists()
    assert load(tmp_path / "data" / "activities" / "wrap-up.yaml").number == 12


@pytest.mark.parametrize("args, message", [
    (["quizz", "returns-fines"], ("unknown kind 'quizz'; choose one of: charter-gallery, checklist, colour-days, "
                                  "comments, form-evaluation, legislation, quiz, scenario, sorter")),
    (["quiz", "Returns Fines"], "bad slug 'Returns Fines': a slug is 2 to 40 lower-case letters"),
    (["quiz", "returns_fines"], "bad slug"),
    (["quiz", "1-returns"], "bad slug"),
    (["quiz", "returns--fines"], "bad slug"),
    (["quiz", "returns-"], "bad slug"),
    (["quiz", "r"], "bad slug"),
    (["quiz", "r" * 41], "bad slug"),
    (["quiz", "returns-fines", "--title", "  "], "--title must be one line of 1 to 120 characters"),
    (["quiz", "returns-fines", "--title", "x" * 121], "--title must be one line"),
])
def test_new_refuses_in_one_line_and_writes_nothing(tmp_path, capsys, args, message):
    assert new(tmp_path, *args) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert captured.err.startswith(f"lessonkit new: {message}")
    assert not (tmp_path / "data").exists() and not (tmp_path / "notebooks").exists()


def test_new_never_overwrites(tmp_path, capsys):
    assert new(tmp_path, "quiz", "returns-fines") == 0
    yaml_path = tmp_path / "data" / "activities" / "returns-fines.yaml"
    yaml_path.write_text("# my edits\n")
    before = files(tmp_path)
    capsys.readouterr()
    assert new(tmp_path, "sorter", "returns-fines") == 2       # the YAML exists
    assert capsys.readouterr().err == (f"lessonkit new: {yaml_path} already exists; choose another slug "
                                       "(nothing was written)\n")
    yaml_path.unlink()
    assert new(tmp_path, "sorter", "returns-fines") == 2       # its notebook (01-returns-fines) exists
    assert "01-returns-fines.ipynb already exists" in capsys.readouterr().err
    assert files(tmp_path) == [f for f in before if f != "data/activities/returns-fines.yaml"]


def test_new_stops_at_notebook_99(tmp_path, capsys):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "99-last.ipynb").write_text("{}")
    assert new(tmp_path, "quiz", "one-more") == 2
    assert "numbered 99" in capsys.readouterr().err


def test_refusal_is_exit_2_without_a_traceback_from_the_command():
    done = subprocess.run([sys.executable, "-m", "lessonkit.cli", "new", "poll", "x1"], check=False,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("lessonkit new: unknown kind 'poll'; choose one of: charter-gallery")


# ---------------------------------------------------------------- JSON Schema

def test_committed_schemas_are_what_the_generator_makes_now():
    committed = sorted(p.name for p in SCHEMA_DIR.glob("*.schema.json"))
    assert committed == sorted(f"{k}.schema.json" for k in kinds.names()), "run: lessonkit schema"
    for kind in kinds.names():
        assert (SCHEMA_DIR / f"{kind}.schema.json").read_text() == schema_text(kind), \
            f"docs/schema/{kind}.schema.json is stale; run: lessonkit schema"


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_activity_validates_against_its_kind_schema(path):
    data = yaml.safe_load(path.read_text())
    jsonschema.Draft7Validator.check_schema(schema(data["kind"]))
    jsonschema.validate(data, schema(data["kind"]))


def test_schema_refuses_what_check_refuses():
    data = yaml.safe_load((ROOT / "data" / "activities" / "listening-quiz.yaml").read_text())
    validator = jsonschema.Draft7Validator(schema("quiz"))
    for broken in ({**data, "minutes": "fifteen"}, {**data, "board-title": "x"}, {**data, "kind": "sorter"},
                   {k: v for k, v in data.items() if k != "questions"},
                   {**data, "questions": [{**data["questions"][0], "type": "essay"}]},
                   {**data, "outcomes": ["3.9"]}, {**data, "notebook": "quiz.ipynb"}):
        assert list(validator.iter_errors(broken)), broken
    props = schema("quiz")["properties"]
    assert props["attempts"]["default"] == "2" and "questions" in schema("quiz")["required"]
    assert props["title"]["description"] == "title shown to the learner [text, at most 120 characters; required]"


def test_schema_command_writes_one_or_every_kind(tmp_path, capsys):
    assert main(["schema", "quiz", "--out", str(tmp_path / "one")]) == 0
    assert [p.name for p in (tmp_path / "one").iterdir()] == ["quiz.schema.json"]
    assert main(["schema", "--out", str(tmp_path / "all")]) == 0
    assert len(list((tmp_path / "all").iterdir())) == len(kinds.names())
    assert (tmp_path / "all" / "scenario.schema.json").read_text() == schema_text("scenario")
    assert main(["schema", "poll"]) == 2
    assert capsys.readouterr().err.startswith("lessonkit schema: unknown kind 'poll'; choose one of:")


# ---------------------------------------------------------------- check and serve on a copy

def test_check_reads_the_sample_files_of_the_copy_it_is_given(tmp_path):
    copy = tmp_path / "elsewhere" / "data"
    shutil.copytree(ROOT / "data", copy)
    assert check([copy]) == []
    sample = copy / "samples" / "colour-days-sample-class.csv"
    sample.write_text(sample.read_text().replace("Blue", "Bleu", 1))
    [problem] = check([copy])
    assert problem.startswith(str(sample)) and "Bleu" in problem
    assert check([ROOT / "data"]) == []          # the repository's own sample is untouched


def test_serve_refuses_a_data_folder_without_activities(tmp_path, capsys):
    assert main(["serve", "--data", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"lessonkit serve: --data {tmp_path}: no activities/ folder in {tmp_path}\n"


# ---------------------------------------------------------------- the guide's worked example

def test_guide_example_runs_and_passes_check(tmp_path):
    serve_args = run_guide(workspace(tmp_path))   # runs the guide's commands, edits and output checks
    assert serve_args == ["--data", str(tmp_path / "my-lesson" / "data"),
                          "--notebooks", str(tmp_path / "my-lesson" / "notebooks")]
    quiz = load(tmp_path / "my-lesson" / "data" / "activities" / "returns-fines.yaml")
    assert (quiz.title, quiz.number, quiz.minutes) == ("Returns and overdue fines", 11, 15)
    assert [q.id for q in quiz.questions] == ["late-book", "still-charged", "lost-after", "first-step"]
    assert "Fine-free is not rule-free" in quiz.lesson


def test_guide_example_error_message_is_what_check_prints(tmp_path, capsys):
    shown = re.search(r"`(my-lesson/data/activities/returns-fines\.yaml:\d+: field 'minutes': [^`]+)`",
                      GUIDE.read_text())[1]
    work = tmp_path / "my-lesson"
    assert main(["new", "quiz", "returns-fines", "--data", str(work / "data")]) == 0
    path = work / "data" / "activities" / "returns-fines.yaml"
    path.write_text(replace_fields(path.read_text(), "minutes: fifteen\n"))
    [problem] = check([path])
    assert problem.replace(str(tmp_path) + "/", "") == shown
