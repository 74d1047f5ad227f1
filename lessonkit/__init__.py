"""lessonkit: interactive lesson notebooks for library staff learning customer service.

Notebooks stay thin: ``import lessonkit as lk`` then ``lk.activity("colour-days")``.
"""

from .errors import AnswerRejected, ContentError, LessonkitError, StoreUnavailable

__all__ = ["activity", "overview", "trainer_dashboard", "ContentError", "StoreUnavailable", "AnswerRejected", "LessonkitError"]
__version__ = "0.1.0"


def activity(slug, **kwargs):
    """The page for one activity (see lessonkit.pages.activity)."""
    from .pages import activity as _activity

    return _activity(slug, **kwargs)


def overview(**kwargs):
    """The session overview page (see lessonkit.pages.overview)."""
    from .pages import overview as _overview

    return _overview(**kwargs)


def trainer_dashboard(**kwargs):
    """The trainer dashboard (notebook 11; see lessonkit.trainer.dashboard)."""
    from .trainer import dashboard

    return dashboard(**kwargs)
