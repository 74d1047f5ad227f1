"""Who may open the trainer's pages (the dashboard, the projector view), and what anyone else sees."""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from html import escape

import ipywidgets as widgets

from .components.base import stylesheet
from .identity import query_string
from .settings import Settings

__all__ = ["trainer_allowed", "refusal"]


def trainer_allowed(settings: Settings | Mapping[str, str]) -> tuple[bool, str]:
    """May this kernel show the dashboard? (allowed, why not).

    Under Voila the page address must carry the key `lessonkit serve` printed (?key=...). In
    JupyterLab on a hub the kernel must have the key in its environment (only trainers' servers
    get it); in JupyterLab on one's own machine it is allowed.
    """
    settings = Settings.of(settings)
    expected = settings.trainer_key
    if settings.hub_user and not expected:
        # A hub gives the key only to trainers' servers (docs/jupyterhub.md), in JupyterLab and its Voila alike.
        return False, ("This dashboard is for the trainer. On this hub it opens only in a trainer's "
                       "server (ask your hub admin).")
    if not settings.under_voila:
        # JupyterLab on a personal machine (no hub): whoever runs the kernel owns the store anyway.
        return True, ""
    if not expected:
        return False, ("This dashboard opens only from the trainer address that lessonkit serve prints "
                       "on the trainer's computer.")
    from urllib.parse import parse_qs

    query = query_string(settings)   # a preheated kernel waits for its request
    given = (parse_qs(query or "").get("key") or [""])[0]
    if not hmac.compare_digest(given.encode(), expected.encode()):
        return False, "This page is for the trainer. Open the trainer address that lessonkit serve printed."
    return True, ""


def refusal(title: str, why: str) -> widgets.Widget:
    """The page a trainer's view shows to anyone who is not the trainer."""
    return widgets.VBox([stylesheet(), widgets.HTML(
        f"<h1 class='lk-title'>{escape(title)}</h1><p class='lk-error' role='alert'>{escape(why)}</p>")],
        _dom_classes=("lk-page",))
