"""The classroom Voila's server-side savings must never change what a page shows."""

from __future__ import annotations

import jinja2
import pytest

from lessonkit.server.app import share_compiled_templates


class Exporter:
    """Stands in for VoilaExporter: every page gets a fresh Jinja environment over the same files."""

    folder = None

    def _create_environment(self):
        return jinja2.Environment(loader=jinja2.FileSystemLoader(str(self.folder)), autoescape=True)


@pytest.fixture
def compiles(monkeypatch):
    count = []
    original = jinja2.Environment.compile

    def counting(self, source, *args, **kwargs):
        count.append(1)
        return original(self, source, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return count


def test_each_template_is_compiled_once_per_server_and_again_when_it_changes(tmp_path, compiles):
    (tmp_path / "page.html.j2").write_text("{% extends 'base.html.j2' %}{% block body %}Hi {{ who }}{% endblock %}")
    (tmp_path / "base.html.j2").write_text("<main>{% block body %}{% endblock %}</main>")
    exporter = type("E", (Exporter,), {"folder": tmp_path})
    share_compiled_templates(exporter)

    first = exporter()._create_environment().get_template("page.html.j2").render(who="<Sam>")
    assert first == "<main>Hi &lt;Sam&gt;</main>" and len(compiles) == 2
    for _ in range(5):   # five more learners' pages: fresh environments, nothing compiled
        assert exporter()._create_environment().get_template("page.html.j2").render(who="<Sam>") == first
    assert len(compiles) == 2

    (tmp_path / "base.html.j2").write_text("<main class='x'>{% block body %}{% endblock %}</main>")
    changed = exporter()._create_environment().get_template("page.html.j2").render(who="Ana")
    assert changed == "<main class='x'>Hi Ana</main>" and len(compiles) == 3
