"""lessonkit: interactive lesson notebooks for library staff learning customer service.

Notebooks stay thin: ``import lessonkit as lk`` then ``lk.activity("colour-days")``.
"""

from .errors import AnswerRejected, ContentError, LessonkitError, StoreUnavailable
from .version import __version__ as __version__

__all__ = ["activity", "overview", "session", "trainer_dashboard", "present", "ContentError", "StoreUnavailable",
           "AnswerRejected", "LessonkitError"]


def activity(slug, **kwargs):
    """The page for one activity (see lessonkit.pages.activity)."""
    from .pages import activity as _activity

    return _activity(slug, **kwargs)


def overview(**kwargs):
    """The session overview page (see lessonkit.pages.overview)."""
    from .pages import overview as _overview

    return _overview(**kwargs)


def session(**kwargs):
    """The whole lesson on one page, paced by the trainer (notebooks/lesson.ipynb; see lessonkit.session)."""
    from .session import session as _session

    return _session(**kwargs)


def present(**kwargs):
    """The projector view: the class's activity in large type, the join address and the live board."""
    from .present import present as _present

    return _present(**kwargs)


def trainer_dashboard(**kwargs):
    """The trainer dashboard (notebook 11; see lessonkit.trainer.dashboard)."""
    from .trainer import dashboard

    return dashboard(**kwargs)
