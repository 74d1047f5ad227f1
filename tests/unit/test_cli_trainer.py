"""`lessonkit export | reset | lock | unlock | forget | purge | classes`, and serve's classroom options."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from lessonkit.cli import PAGE_EXTENSIONS, main, voila_command, voila_config
from lessonkit.store import ResponseStore

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def db(tmp_path):
    url = f"sqlite:///{tmp_path / 'class.db'}"
    s = ResponseStore(url)
    s.submit_many("LIB9", "colour-days", "teal-wombat-42", {"monday": "Blue", "tuesday": "Red"})
    s.submit("LIB9", "comments.discussion", "amber-emu-11", "post-1", "Thanks, \"great\", day\nline two")
    s.set_display_name("LIB9", "amber-emu-11", "Bo")
    s.close()
    return url


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_export_writes_the_stored_answers(db, tmp_path, capsys):
    target = tmp_path / "out.csv"
    code, out, _ = run(capsys, "export", "--class", "lib9", "--db", db, "-o", str(target))
    assert code == 0 and "exported 3 current answer(s) of class LIB9 (each learner's latest answer" in out
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert [(r["activity"], r["item"], r["answer"], r["display_name"]) for r in rows] == [
        ("colour-days", "monday", "Blue", ""), ("colour-days", "tuesday", "Red", ""),
        ("comments.discussion", "post-1", "Thanks, \"great\", day\nline two", "Bo")]
    code, out, _ = run(capsys, "export", "--class", "LIB9", "--activity", "comments", "--db", db)
    assert code == 0 and "exported 1 current answer(s)" in out and str(tmp_path / "exports") in out
    xlsx = tmp_path / "out.xlsx"
    assert run(capsys, "export", "--class", "LIB9", "--db", db, "-o", str(xlsx))[0] == 0
    assert xlsx.read_bytes()[:2] == b"PK"
    code, _, err = run(capsys, "export", "--class", "LIB9", "--activity", "nope", "--db", db)
    assert code == 2 and "no activity 'nope'" in err


def test_reset_needs_confirmation_and_keeps_a_copy(db, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))           # not a terminal: nobody to ask
    code, out, err = run(capsys, "reset", "--class", "LIB9", "--activity", "colour-days", "--db", db)
    assert code == 1 and "Add --yes" in err and "nothing was changed" in out
    assert len(ResponseStore(db).export_rows("LIB9", "colour-days")) == 2
    code, out, _ = run(capsys, "reset", "--class", "LIB9", "--activity", "colour-days", "--db", db, "--yes")
    assert code == 0 and "saved a copy of 2 current answer(s)" in out and "earlier ones too" in out
    assert ResponseStore(db).export_rows("LIB9", "colour-days") == []
    assert len(ResponseStore(db).export_rows("LIB9")) == 1
    [copy] = (tmp_path / "exports").glob("LIB9-colour-days-*-before-reset.csv")
    assert "Blue" in copy.read_text(encoding="utf-8-sig")


def test_lock_and_unlock(db, capsys):
    code, out, _ = run(capsys, "lock", "--class", "LIB9", "--activity", "colour-days", "--db", db)
    assert code == 0 and "locked" in out and ResponseStore(db).locked("LIB9") == {"colour-days"}
    assert run(capsys, "unlock", "--class", "LIB9", "--activity", "colour-days", "--db", db)[0] == 0
    assert ResponseStore(db).locked("LIB9") == set()


def test_forget_purge_and_classes(db, capsys):
    code, out, _ = run(capsys, "classes", "--db", db)
    assert code == 0 and "LIB9" in out and "       2             3        3" in out
    code, _, err = run(capsys, "forget", "--class", "LIB9", "--learner", "Robert'); DROP", "--db", db)
    assert code == 1 and "nobody in class LIB9 is \"Robert'); DROP\"" in err and "nothing was deleted" in err
    assert "Bo (Amber Emu 11, id amber-emu-11)" in err    # whom the trainer could have meant
    code, out, _ = run(capsys, "forget", "--class", "LIB9", "--learner", "amber-emu-11", "--db", db)
    assert code == 0 and "deleted everything stored about Bo (Amber Emu 11, id amber-emu-11)" in out
    assert "1 current answer(s) and 1 saved in all" in out
    assert ResponseStore(db).display_names("LIB9") == {}
    code, out, _ = run(capsys, "purge", "--older-than", "30", "--db", db)
    assert code == 0 and "no class is older than 30" in out
    code, out, _ = run(capsys, "purge", "--older-than", "0", "--db", db, "--yes")
    assert code == 0 and "deleted 1 class(es): LIB9" in out
    assert "no classes in the store" in run(capsys, "classes", "--db", db)[1]


def test_store_problems_are_one_line_not_a_traceback(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code, _, err = run(capsys, "classes", "--db", f"sqlite:///{blocker}/sub/x.db")
    assert code == 1 and err.startswith("lessonkit classes: the class store") and "Traceback" not in err


def test_serve_refuses_bad_classroom_options_before_starting_anything(tmp_path, capsys):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    code, _, err = run(capsys, "serve", "--notebooks", str(nbs), "--trainer-key", "short")
    assert code == 2 and "--trainer-key must be at least 8" in err
    code, _, err = run(capsys, "serve", "--notebooks", str(nbs), "--preheat", "no-such-activity")
    assert code == 2 and "--preheat: no activity 'no-such-activity'" in err
    inside = nbs / "trainer"
    inside.mkdir()
    (inside / "11-trainer-dashboard.ipynb").write_text("{}")
    code, _, err = run(capsys, "serve", "--notebooks", str(nbs), "--trainer-notebooks", str(inside))
    assert code == 2 and "must not be inside the students' notebooks folder" in err
    code, _, err = run(capsys, "serve", "--notebooks", str(nbs), "--port", "9000", "--trainer-port", "9000")
    assert code == 2 and "--trainer-port must differ" in err


def test_serve_refuses_a_port_in_use_instead_of_serving_somewhere_it_does_not_print(tmp_path, capsys, monkeypatch):
    """Voila alone would move to a nearby free port, away from the join and dashboard addresses serve prints."""
    import socket

    from lessonkit.server import launch

    monkeypatch.setattr(launch, "_prepare_in_child", lambda *_: None)   # past the check: stop, start nothing
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        with socket.socket() as probe:     # a free port to pair it with
            probe.bind(("127.0.0.1", 0))
            free = probe.getsockname()[1]
        code, _, err = run(capsys, "serve", "--notebooks", str(nbs), "--host", "127.0.0.1",
                           "--port", str(free), "--trainer-port", str(taken))
        assert code == 2 and f"port {taken} (the trainer's dashboard) is already in use" in err
        assert "--trainer-port" in err.split("already in use")[1]
        code, _, err = run(capsys, "serve", "--notebooks", str(nbs), "--host", "127.0.0.1",
                           "--port", str(taken), "--trainer-port", str(free))
        assert code == 2 and f"port {taken} (the students' pages) is already in use" in err
    assert "--Voila.port_retries=0" in voila_command(tmp_path, "0.0.0.0", 8866, 900)


def test_serve_hands_a_lesson_folders_content_to_its_children_not_to_its_own_environment(tmp_path, capsys,
                                                                                        monkeypatch):
    """A lesson folder (data/ beside notebooks/): the processes serve starts read its content; serve itself
    uses it through its Settings, and its own os.environ is left as it was."""
    import os
    import shutil

    from lessonkit.server import launch

    lesson = tmp_path / "lesson"
    shutil.copytree(ROOT / "data", lesson / "data")
    (lesson / "notebooks").mkdir()
    given: list[dict] = []

    def prepare(_args, env):
        given.append(env)
        return None   # "preparing failed": serve stops before starting anything

    monkeypatch.setattr(launch, "_prepare_in_child", prepare)
    code, _, _ = run(capsys, "serve", "--notebooks", str(lesson / "notebooks"), "--preheat", "colour-days")
    assert code == 1 and given[0]["LESSONKIT_DATA"] == str(lesson / "data")   # --preheat found it there too
    assert "LESSONKIT_DATA" not in os.environ


def test_preheat_config_pools_only_the_activity_being_taught(tmp_path):
    config = voila_config(["05-colour-days.ipynb"], 6, 25)
    assert config["VoilaConfiguration"] == {"preheat_kernel": True, "default_pool_size": 0,
                                            "extension_allowlist": list(PAGE_EXTENSIONS)}
    assert "@voila-dashboards/widgets-manager8" in PAGE_EXTENSIONS   # without it no widget is drawn
    assert config["VoilaKernelManager"]["kernel_pools_config"] == {
        "default": {"pool_size": 0}, "05-colour-days.ipynb": {"pool_size": 6}}
    assert config["LessonkitKernelManager"]["class_size"] == 25
    assert "preheat_kernel" not in voila_config()["VoilaConfiguration"]   # no pool unless asked
    (tmp_path / "voila.json").write_text(json.dumps(config))
    cmd = voila_command(tmp_path, "0.0.0.0", 8866, 900, tmp_path)
    assert cmd[1:3] == ["-m", "lessonkit.server.app"]
    assert f"--Voila.config_file_paths={tmp_path}" in cmd and "--MappingKernelManager.cull_idle_timeout=900" in cmd
    assert not any("config_file_paths" in a for a in voila_command(tmp_path, "0.0.0.0", 8866, 900))
    # Voila itself reads the pools from that folder (the browser test sees the pool fill).
    from traitlets.config.loader import JSONFileConfigLoader

    loaded = JSONFileConfigLoader("voila.json", str(tmp_path)).load_config()
    assert loaded.VoilaKernelManager.kernel_pools_config["05-colour-days.ipynb"] == {"pool_size": 6}


def test_classes_and_export_say_what_they_count(db, tmp_path, capsys):
    s = ResponseStore(db)
    s.submit("LIB9", "colour-days", "teal-wombat-42", "monday", "Green")       # a resubmission
    s.submit("LIB9", "colour-days", "teal-wombat-42", "monday", "Yellow")      # and another
    s.submit("LIB9", "comments.discussion.moderation", "trainer", "amber-emu-11/post-1", {"hidden": True},
             force=True)
    s.close()
    code, out, _ = run(capsys, "classes", "--db", db)
    header, row, legend = out.splitlines()
    assert header.split()[:6] == ["class", "learners", "answers", "saved", "current", "last"]
    assert row.split()[:4] == ["LIB9", "2", "5", "3"]        # 5 answers submitted; 3 are learners' latest
    assert legend == ("answers saved: every answer submitted, each resubmission too; current: each learner's "
                      "latest answer to each question, what lessonkit export writes")
    code, out, _ = run(capsys, "export", "--class", "LIB9", "--db", db, "-o", str(tmp_path / "x.csv"))
    assert code == 0 and out.startswith("exported 3 current answer(s) of class LIB9 (each learner's latest answer "
                                        "to each question; earlier answers stay in the store) and 1 of the "
                                        "trainer's record(s) (hidden posts) to ")
    assert len(list(csv.reader(io.StringIO((tmp_path / "x.csv").read_text(encoding="utf-8-sig"))))) == 1 + 3 + 1


@pytest.fixture
def named_class(tmp_path):
    """A class as the trainer sees it on the boards: Nina twice, Azure Dingo 39 without a name."""
    url = f"sqlite:///{tmp_path / 'names.db'}"
    s = ResponseStore(url)
    for learner, name in (("teal-wombat-42", "Nina"), ("calm-koala-23", "nina "), ("azure-dingo-39", None),
                          ("amber-emu-11", "Ahmed")):
        s.join("LIB9", learner=learner, display_name=name)
        s.submit_many("LIB9", "colour-days", learner, {"monday": "Blue", "tuesday": "Red"})
    s.submit("LIB9", "colour-days", "azure-dingo-39", "monday", "Green")   # two saved, one current for monday
    s.submit("LIB9", "comments.discussion", "azure-dingo-39", "post-1", "I'd ask what they need first")
    s.submit("LIB9", "comments.discussion.moderation", "trainer", "azure-dingo-39/post-1", {"hidden": True},
             force=True)
    s.close()
    return url


def learners_left(url):
    s = ResponseStore(url)
    try:
        return {m.learner for m in s.class_learners("LIB9")}
    finally:
        s.close()


def test_forget_takes_the_pseudonym_the_boards_show(named_class, capsys):
    code, out, err = run(capsys, "forget", "--class", "LIB9", "--learner", "Azure Dingo 39", "--db", named_class)
    assert code == 0, err
    assert out.strip() == ("deleted everything stored about Azure Dingo 39 (id azure-dingo-39) in class LIB9: "
                           "3 current answer(s) and 4 saved in all (earlier answers included), their display name, "
                           "sessions and the trainer's records about their posts")
    assert learners_left(named_class) == {"teal-wombat-42", "calm-koala-23", "amber-emu-11"}
    s = ResponseStore(named_class)
    assert all(r["learner"] != "trainer" for r in s.export_rows("LIB9"))   # the record about their post too
    s.close()


def test_forget_takes_a_display_name_in_any_case(named_class, capsys):
    code, out, _ = run(capsys, "forget", "--class", "LIB9", "--learner", "  AHMED ", "--db", named_class)
    assert code == 0 and "about Ahmed (Amber Emu 11, id amber-emu-11) in class LIB9: 2 current" in out
    assert "amber-emu-11" not in learners_left(named_class)


def test_forget_lists_every_match_of_a_shared_name_and_deletes_nothing(named_class, capsys):
    before = learners_left(named_class)
    code, out, err = run(capsys, "forget", "--class", "LIB9", "--learner", "nina", "--db", named_class)
    assert code == 1 and out == ""
    assert "2 learners in class LIB9 match 'nina'; nothing was deleted" in err and "--learner-id" in err
    assert "  nina (Calm Koala 23, id calm-koala-23): 2 current answer(s), 2 saved in all" in err
    assert "  Nina (Teal Wombat 42, id teal-wombat-42): 2 current answer(s), 2 saved in all" in err
    assert learners_left(named_class) == before
    code, out, _ = run(capsys, "forget", "--class", "LIB9", "--learner-id", "calm-koala-23", "--db", named_class)
    assert code == 0 and "about nina (Calm Koala 23, id calm-koala-23)" in out
    assert learners_left(named_class) == before - {"calm-koala-23"}
    code, _, err = run(capsys, "forget", "--class", "LIB9", "--learner-id", "Nina", "--db", named_class)
    assert code == 1 and "nobody in class LIB9 is 'Nina'" in err   # an id is matched exactly, never as a name
    code, _, err = run(capsys, "forget", "--class", "LIB9", "--learner", " ", "--db", named_class)
    assert code == 2 and "say whom to delete" in err
    assert learners_left(named_class) == before - {"calm-koala-23"}


def test_forget_never_takes_a_name_made_to_look_like_a_classmate(named_class, capsys):
    s = ResponseStore(named_class)
    s.set_display_name("LIB9", "amber-emu-11", "Azure\u202e Dingo 39")   # with a direction override, even
    s.close()
    code, _, err = run(capsys, "forget", "--class", "LIB9", "--learner", "Azure Dingo 39", "--db", named_class)
    assert code == 1 and "2 learners in class LIB9 match" in err and "\u202e" not in err
    assert {"azure-dingo-39", "amber-emu-11"} <= learners_left(named_class)


def test_every_option_of_every_command_says_what_it_does(capsys):
    import argparse

    from lessonkit.cli import build_parser

    parser = build_parser()
    [commands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    visible = {c.dest for c in commands._choices_actions if c.help != argparse.SUPPRESS}
    assert {"serve", "export", "reset", "lock", "unlock", "forget", "purge", "upgrade", "classes", "check", "new",
            "schema"} <= visible
    for name in visible:
        sub = commands.choices[name]
        for action in sub._actions:
            if isinstance(action, argparse._HelpAction) or action.help == argparse.SUPPRESS:
                continue      # -h, and serve's --trainer-notebooks (for the tests only)
            assert action.help and len(action.help) > 10, (name, action.option_strings or action.dest)
        with pytest.raises(SystemExit) as done:
            main([name, "--help"])
        assert done.value.code == 0
        shown = capsys.readouterr().out
        for action in sub._actions:
            if action.help != argparse.SUPPRESS and not isinstance(action, argparse._HelpAction):
                assert " ".join(action.help.split()[:2]) in " ".join(shown.split()), (name, action.help)
    hidden = [a for a in commands.choices["serve"]._actions if a.help == argparse.SUPPRESS]
    assert [a.dest for a in hidden] == ["trainer_notebooks"]
