"""The kernel `lessonkit serve` starts for a page: ipykernel without its debugger or history, at a lower priority.

ipykernel loads debugpy when it starts (for JupyterLab's debugger), ~8 MB in every kernel and a
little start-up time. No lesson page is ever debugged, so the kernels `lessonkit serve` starts
(its kernelspec, lessonkit/jupyter_data/kernels/python3) run without it: a class of 30 saves
about 250 MB. JupyterLab, Binder and hubs keep their own kernels, debugger and all.

Every message between a learner's page and their kernel passes through the one server process.
When a class of 30 moves on together, 30 kernels build their pages at once; at equal priority the
server gets about a 31st of the laptop's CPU (each kernel is its own session, and Linux shares the
CPU between sessions first), and every page, including the ones already built, waits for it. So a
page kernel lowers its own priority (`NICE`, for the process and its session's scheduling group):
the server is served first, and the kernels share what is left, which is most of it.

Why 15 (`benchmarks/session.py`, 30 learners on 2 cores): a group at nice 10 weighs 110 against the
server's 1024, so 30 busy kernels together still outweighed it three to one; the server then waited
for the CPU up to 0.9 s of every second and its slowest answer was 0.7-1.5 s. At nice 15 (36 each,
about the server's weight together), with the server's own watch on kernels trimmed too
(lessonkit/server/app.py), it was 0.3 s. At 19 (15 each) it was 0.4 s, but learners joining all at
once waited longer (median 14 s against 9 s at 15 and 4 s at 10): their kernels came after all else.
"""

from __future__ import annotations

import os
import sys
import threading
import time

__all__ = ["main", "lower_priority", "NICE"]

_LEFT_OUT = ("debugpy",)
NICE = 15   # like `nice -n 15`: the server and the trainer's own programs come first (see above)
_AUTOGROUP = "/proc/self/autogroup"


class _LeaveOut:
    """An import hook that says "not installed" for what a lesson page never uses."""

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in _LEFT_OUT:
            raise ModuleNotFoundError(f"{name} is left out of lessonkit's page kernels", name=name)
        return None


def lower_priority(nice: int = NICE, autogroup: str = _AUTOGROUP, tries: int = 40) -> bool:
    """Lower this thread's CPU priority to `nice` (never raise it: threads started afterwards inherit it,
    so call it first, on the main thread) and then the session's scheduling group's (Linux autogroup,
    where it exists and is this process's own); True once the group has it too.

    Linux lets an unprivileged process set its group's priority only once per 0.1 s machine-wide, so
    a kernel that starts in a burst may be told "try again": it does, a few times, briefly."""
    try:
        current = os.getpriority(os.PRIO_PROCESS, 0)
        if current < nice:
            os.setpriority(os.PRIO_PROCESS, 0, nice)
        nice = max(nice, current)
    except (AttributeError, OSError):
        pass
    return _lower_group(nice, autogroup, tries)


def _lower_group(nice: int, autogroup: str, tries: int) -> bool:
    if not os.path.exists(autogroup) or os.getsid(0) != os.getpid():
        return False   # no autogroups here, or the group is not this kernel's own (it would slow its parent)
    for _ in range(tries):
        try:
            with open(autogroup, "w") as f:
                f.write(str(nice))
            return True
        except BlockingIOError:   # EAGAIN: another process set its group a moment ago
            time.sleep(0.06)
        except OSError:           # not allowed here (containers, a priority already lower than asked)
            return False
    return False


def main() -> None:
    sys.meta_path.insert(0, _LeaveOut())
    # No IPython history: nobody types into a page's kernel, and 30 kernels starting together would queue
    # on the one history.sqlite ("database is locked" in the server log).
    sys.argv.append("--HistoryManager.enabled=False")
    if not lower_priority(tries=1):   # the group's retries in the background: not holding up the start
        threading.Thread(target=lower_priority, name="lessonkit-priority", daemon=True).start()
    from .quiet import quiet_log

    quiet_log("IPKernelApp")   # no per-kernel TCP notice (quiet.py)
    from ipykernel.kernelapp import launch_new_instance

    launch_new_instance()


if __name__ == "__main__":
    main()
