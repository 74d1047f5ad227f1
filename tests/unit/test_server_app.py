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


def test_the_culler_passes_over_a_kernel_that_is_still_starting():
    """jupyter_server's culler raises on a kernel whose start has not finished (no last_activity yet): a
    cold burst logged that as an error. Such a kernel is skipped; a dead one is still culled."""
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    from lessonkit.server.app import classroom_factory
    from tests.helpers import run_async

    manager = classroom_factory(voila_kernel_manager_factory)(AsyncMappingKernelManager, False, 0)()
    shut: list[str] = []

    async def shutdown(kernel_id, *args, **kwargs):
        shut.append(kernel_id)

    manager.shutdown_kernel = shutdown

    class Kernel:
        def __init__(self, state):
            self.execution_state, self._trait_values, self.kernel_name = state, {}, "python3"

    manager._kernels.update(starting=Kernel("starting"), dead=Kernel("dead"))
    assert run_async(manager.cull_kernel_if_idle("starting")) is None
    run_async(manager.cull_kernel_if_idle("dead"))
    assert shut == ["dead"]


def test_a_kernels_messages_are_watched_only_until_it_has_started():
    """The server stops decoding a page kernel's messages a second time once it has started (a seventh of
    its work while a class answers): the kernel still reads as idle, runs code, and is watched again
    after a restart that moved its ports until it is up."""
    from jupyter_client import AsyncKernelClient
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    from lessonkit.server.app import classroom_factory
    from tests.helpers import run_async

    async def scenario():
        import asyncio

        manager = classroom_factory(voila_kernel_manager_factory)(AsyncMappingKernelManager, False, 0)()
        kernel_id = await manager.start_kernel(kernel_name="python3")
        kernel = manager.get_kernel(kernel_id)
        seen = []
        try:
            for round_ in ("start", "restart"):
                client: AsyncKernelClient = kernel.client()
                client.start_channels()
                # as a page's client does: until the kernel answers on every channel, its first messages can
                # go out before a subscriber is connected (ZeroMQ's slow joiner), and both it and the watch miss them
                await client.wait_for_ready(timeout=30)
                reply = await client.execute_interactive("x = 6 * 7", timeout=30)
                client.stop_channels()
                for _ in range(300):
                    if kernel.execution_state == "idle" and kernel._activity_stream is None:
                        break
                    await asyncio.sleep(0.05)
                seen.append((round_, reply["content"]["status"], kernel.execution_state, kernel._activity_stream))
                if round_ == "start":
                    await manager.restart_kernel(kernel_id)
        finally:
            await manager.shutdown_kernel(kernel_id, now=True)
        return seen

    assert run_async(scenario()) == [("start", "ok", "idle", None), ("restart", "ok", "idle", None)]
