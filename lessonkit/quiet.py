"""Keep `lessonkit serve`'s log for what a trainer can act on: two notices a class repeats, and only those.

- "Notebook lesson.ipynb is not trusted", from jupyter_server, once for every page a learner opens.
  Trust is about showing a notebook's saved outputs in JupyterLab. Voila runs every page afresh, and
  lesson notebooks are committed without outputs, so there is nothing to trust or sign.
- "Kernel is running over TCP without encryption ...", from ipykernel, once for every kernel (30
  and more in a class). The kernels listen on 127.0.0.1 only and are spoken to only by the server on
  the same computer; a trainer can change nothing about it (and lessonkit keeps the transport).

Each notice is matched on the message as the library writes it, before its arguments are filled in,
so a reworded notice in a newer release shows again (and tests/unit/test_quiet.py fails) instead of
a loose pattern hiding something else. Errors are never held back. Every other line, warnings
included, is logged as before.

Installed in two places, each with one line: lessonkit/server/app.py for the server's log, and
lessonkit/kernel.py in each page kernel of `lessonkit serve` (so this module imports nothing but
`logging`: a learner's kernel must not load lessonkit.server). The browser console's "Unsatisfied
version" lines are quieted by the page template (lessonkit/jupyter_data/voila/templates/lessonkit/
static/lessonkit-console.js).
"""

from __future__ import annotations

import logging

__all__ = ["NOTICES", "Quiet", "quiet_log"]

# The messages' format strings, exactly as jupyter_server and ipykernel pass them to their loggers.
NOTICES = (
    "Notebook %s is not trusted",
    "Kernel is running over TCP without encryption.",
)


class Quiet(logging.Filter):
    """Drops log records below ERROR whose message starts with one of NOTICES; passes everything else."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR or not isinstance(record.msg, str):
            return True
        return not record.msg.startswith(NOTICES)


def quiet_log(logger: str) -> Quiet:
    """Hold back the NOTICES logged through the logger named `logger` (a traitlets application, such as
    Voila or ipykernel's IPKernelApp, logs through the logger named after its class); returns the filter.

    The filter goes on the logger itself, not on its handlers: traitlets replaces the handlers when it
    sets up logging at start, and keeps the logger's filters."""
    found = logging.getLogger(logger)
    for f in found.filters:
        if isinstance(f, Quiet):
            return f
    quiet = Quiet()
    found.addFilter(quiet)
    return quiet
