"""The kernel `lessonkit serve` starts for a page: ipykernel without its debugger.

ipykernel loads debugpy when it starts (for JupyterLab's debugger), ~8 MB in every kernel and a
little start-up time. No lesson page is ever debugged, so the kernels `lessonkit serve` starts
(its kernelspec, lessonkit/jupyter_data/kernels/python3) run without it: a class of 30 saves
about 250 MB. JupyterLab, Binder and hubs keep their own kernels, debugger and all.
"""

from __future__ import annotations

import sys

__all__ = ["main"]

_LEFT_OUT = ("debugpy",)


class _LeaveOut:
    """An import hook that says "not installed" for what a lesson page never uses."""

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in _LEFT_OUT:
            raise ModuleNotFoundError(f"{name} is left out of lessonkit's page kernels", name=name)
        return None


def main() -> None:
    sys.meta_path.insert(0, _LeaveOut())
    from ipykernel.kernelapp import launch_new_instance

    launch_new_instance()


if __name__ == "__main__":
    main()
