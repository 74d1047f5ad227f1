"""ipywidgets views shared by the activity kinds (each kind's own views are in lessonkit/kinds/<kind>/)."""

from .base import ActivityView
from .board import ClassBoard
from .join import JoinForm

__all__ = ["ActivityView", "ClassBoard", "JoinForm"]
