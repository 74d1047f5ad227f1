"""`lessonkit export | reset | lock | unlock | forget | purge | classes`, and serve's classroom options."""

from __future__ import annotations

import csv
import io
import json

import pytest

from lessonkit.cli import PAGE_EXTENSIONS, main, voila_command, voila_config
from lessonkit.store import ResponseStore


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
    assert code == 0 and "exported 3 answer(s) of class LIB9" in out
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert [(r["activity"], r["item"], r["answer"], r["display_name"]) for r in rows] == [
        ("colour-days", "monday", "Blue", ""), ("colour-days", "tuesday", "Red", ""),
        ("comments.discussion", "post-1", "Thanks, \"great\", day\nline two", "Bo")]
    code, out, _ = run(capsys, "export", "--class", "LIB9", "--activity", "comments", "--db", db)
    assert code == 0 and "exported 1 answer(s)" in out and str(tmp_path / "exports") in out   # LESSONKIT_EXPORTS
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
    assert code == 0 and "saved a copy of 2 answer(s)" in out
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
    assert code == 0 and "LIB9" in out and "       2        3" in out
    code, _, err = run(capsys, "forget", "--class", "LIB9", "--learner", "Robert'); DROP", "--db", db)
    assert code == 2 and "learner id such as" in err
    code, out, _ = run(capsys, "forget", "--class", "LIB9", "--learner", "amber-emu-11", "--db", db)
    assert code == 0 and "deleted 1 answer(s) from amber-emu-11" in out
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
