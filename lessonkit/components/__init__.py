"""ipywidgets views, one module per activity kind, sharing one small base."""

from .base import ActivityView
from .board import ClassBoard
from .colour_poll import ColourPoll
from .join import JoinForm

__all__ = ["ActivityView", "ClassBoard", "ColourPoll", "JoinForm"]
