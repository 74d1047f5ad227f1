"""JupyterLab and the lesson notebooks: saved as shipped (no outputs, no widget state), code cell hidden,
and a re-run cell closes the page it showed before (its boards stop polling)."""

from __future__ import annotations

import json

import ipywidgets as widgets

from lessonkit import lab, pages
from lessonkit.components.board import ClassBoard
from lessonkit.components.page import find
from lessonkit.scaffold import notebook_json
from tests.helpers import ROOT, session_env

SHIPPED = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "trainer").glob("*.ipynb"))


def test_every_shipped_notebook_is_a_lesson_notebook_in_jupyters_own_format():
    for path in SHIPPED:
        text = path.read_text(encoding="utf-8")
        nb = json.loads(text)
        assert lab.is_lesson(nb), path.name
        assert lab.notebook_text(nb) == text, f"{path.name}: not as Jupyter writes it"   # a save changes nothing
        [cell] = nb["cells"]
        assert cell["metadata"] == lab.CELL_METADATA   # hidden, not editable, not deletable
        assert cell["metadata"]["jupyter"]["source_hidden"] is True


def test_a_save_from_jupyterlab_writes_the_file_back_as_shipped():
    path = ROOT / "notebooks" / "05-colour-days.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    # what JupyterLab sends after the page ran: outputs, a widget view, widget state, richer metadata
    nb["cells"][0].update(execution_count=3, outputs=[{
        "output_type": "display_data", "metadata": {},
        "data": {"application/vnd.jupyter.widget-view+json": {"model_id": "abc", "version_major": 2,
                                                              "version_minor": 0}, "text/plain": "Page(...)"}}])
    nb["cells"][0]["metadata"].update(scrolled=True, trusted=True)
    nb["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2}}
    nb["metadata"]["language_info"].update(version="3.11.2", codemirror_mode={"name": "ipython"})
    model = {"type": "notebook", "content": nb}
    lab.pre_save_hook(model, path="notebooks/05-colour-days.ipynb", contents_manager=None)
    assert lab.notebook_text(model["content"]) == path.read_text(encoding="utf-8")


def test_other_notebooks_are_saved_untouched():
    mine = {"cells": [{"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [{"x": 1}],
                       "source": "1 + 1"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    model = {"type": "notebook", "content": json.loads(json.dumps(mine))}
    lab.pre_save_hook(model)
    assert model["content"] == mine
    lab.pre_save_hook({"type": "file", "content": "text"})   # not a notebook: nothing to do


def test_the_config_turns_the_hook_on_for_every_contents_manager(tmp_path, monkeypatch):
    from jupyter_server.serverapp import ServerApp
    from jupyter_server.services.contents.filemanager import AsyncFileContentsManager

    config_file = tmp_path / "etc" / "jupyter" / "jupyter_server_config.json"
    config_file.parent.mkdir(parents=True)
    config_file.write_text(json.dumps({"ServerApp": {"port": 9999}}))   # a setting already there stays
    assert lab.install(tmp_path) == config_file
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", str(tmp_path / "etc" / "jupyter"))
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path / "user"))
    app = ServerApp()
    app.load_config_file()                    # what `jupyter lab` / `jupyter server` read at start
    assert app.config.ServerApp.port == 9999
    manager = AsyncFileContentsManager(config=app.config, root_dir=str(tmp_path))
    assert manager.pre_save_hook is lab.pre_save_hook


def test_lessonkit_new_writes_a_lesson_notebook_of_the_same_shape():
    nb = json.loads(notebook_json("returns-fines"))
    assert lab.is_lesson(nb) and lab.notebook_text(nb) == notebook_json("returns-fines")
    assert "".join(nb["cells"][0]["source"]) == 'import lessonkit as lk\n\nlk.activity("returns-fines")'


def test_running_the_cell_again_closes_the_old_page_and_its_pollers(store, monkeypatch):
    monkeypatch.setattr(pages, "_cell_key", lambda: "cell-1")   # as in a kernel running one cell
    monkeypatch.setattr(pages, "_SHOWN", {})
    env = session_env(store, "LIB3", "teal-wombat-42")
    first = pages.activity("colour-days", store=store, env=env)
    board = find(first, ClassBoard).assert_single()
    assert board.comm is not None
    second = pages.activity("colour-days", store=store, env=env)
    assert board.comm is None and first.comm is None and board._task is None   # closed, no poller
    assert second.comm is not None and find(second, ClassBoard).assert_single().comm is not None
    monkeypatch.setattr(pages, "_cell_key", lambda: "cell-2")   # another cell showing a page keeps the first
    third = pages.activity("colour-days", store=store, env=env)
    assert second.comm is not None and third.comm is not None
    assert isinstance(third, widgets.Widget)


def test_binder_gets_lessonkits_voila_settings_and_template(tmp_path):
    path = lab.install(tmp_path, binder=True)
    config = json.loads(path.read_text())
    assert config["ContentsManager"]["pre_save_hook"] == "lessonkit.lab.pre_save_hook"
    assert config["MappingKernelManager"] == {"cull_idle_timeout": 900, "cull_interval": 60, "cull_connected": False}
    voila = json.loads((tmp_path / "etc" / "jupyter" / "voila.json").read_text())["VoilaConfiguration"]
    assert voila["template"] == "lessonkit" and voila["show_tracebacks"] is False
    assert voila["extension_allowlist"] == ["@jupyter-widgets/jupyterlab-manager", "@voila-dashboards/widgets-manager8",
                                            "@voila-dashboards/widgets-manager7"]
    template = tmp_path / "share" / "jupyter" / "voila" / "templates" / "lessonkit"
    assert json.loads((template / "conf.json").read_text())["base_template"] == "lab"
    assert lab.install(tmp_path, binder=True) == path and json.loads(path.read_text()) == config   # again: same
    assert "MappingKernelManager" not in lab.server_config()   # a plain JupyterLab keeps its own culling


def test_postbuild_installs_the_binder_settings():
    postbuild = (ROOT / "postBuild").read_text()
    assert "python -m lessonkit.lab --install --hosted" in postbuild
    assert postbuild.index("pip install") < postbuild.index("lessonkit.lab")   # after lessonkit is installed
