"""The models every kind shares: the Activity base, the lesson, and parts several kinds use (a clip, a sample
class, a reflection prompt, a discussion). A kind's own model lives in its folder, lessonkit/kinds/<kind>/."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .convert import field_meta, id_meta

if TYPE_CHECKING:
    from .convert import Ctx

__all__ = ["OUTCOME_CODES", "Colour", "SampleClass", "Media", "Activity", "Outcome", "Lesson", "Reflection",
           "Discussion", "id_meta"]

OUTCOME_CODES = ("3.1", "3.2", "3.3", "3.4", "3.5")


# ---------------------------------------------------------------- models

@dataclass(frozen=True)
class Colour:
    """A named colour swatch; the name is always shown beside the colour."""

    name: str = field(metadata=field_meta("colour name shown to the learner", max_len=20))
    hex: str = field(metadata=field_meta("the swatch colour", pattern=r"#[0-9A-Fa-f]{6}",
                                    expected="a colour like '#1F77B4'"))


@dataclass(frozen=True)
class SampleClass:
    """A labelled, synthetic class shown when the real class has no answers yet."""

    label: str = field(metadata=field_meta("label shown above the sample, saying it is synthetic"))
    file: str = field(metadata=field_meta("CSV file, relative to data/"))
    rows: tuple = field(default=(), metadata=field_meta("filled by the loader", internal=True))


@dataclass(frozen=True)
class Media:
    """A video (or audio) clip with a text fallback for no network, no URL, or learners who prefer to read."""

    title: str = field(metadata=field_meta("what the clip is, shown above it", max_len=120))
    transcript: str = field(metadata=field_meta("Markdown transcript or description: the offline fallback"))
    url: str | None = field(default=None, metadata=field_meta(
        "a YouTube link, or a file beside the notebooks (e.g. media/clip.mp4); leave out to show the text only",
        pattern=r"(https://(www\.)?(youtube\.com/watch\?v=|youtu\.be/)[A-Za-z0-9_-]{6,20}\S*)|([A-Za-z0-9_./-]+\.(mp4|webm|ogg|mp3))",
        expected="a YouTube link (https://www.youtube.com/watch?v=...) or a local .mp4/.webm/.ogg/.mp3 file"))
    credit: str | None = field(default=None, metadata=field_meta("Markdown attribution, with a link to the source"))
    finished_label: str = field(default="I've finished watching",
                                metadata=field_meta("button that hides the clip and shows what comes next", max_len=40))


@dataclass(frozen=True)
class Activity:
    """Fields every activity YAML carries."""

    kind: str = field(metadata=field_meta("component kind"))
    number: int = field(metadata=field_meta("position in the session (also the notebook number)", min=0, max=99))
    title: str = field(metadata=field_meta("title shown to the learner", max_len=120))
    notebook: str = field(metadata=field_meta("notebook file in notebooks/", pattern=r"\d\d-[a-z0-9-]+\.ipynb",
                                         expected="a file name like '05-colour-days.ipynb'"))
    seed_section: str = field(metadata=field_meta("the handout section this activity comes from"))
    minutes: int = field(metadata=field_meta("class time in minutes", min=1, max=240))
    outcomes: tuple[str, ...] = field(metadata=field_meta("performance criteria", choices=OUTCOME_CODES,
                                                     min_items=1))
    objectives: tuple[str, ...] = field(metadata=field_meta("what the learner will be able to do", min_items=1))
    instructions: str = field(metadata=field_meta("Markdown shown before the activity"))
    slug: str = field(default="", metadata=field_meta("activity id; defaults to the file name", internal=True))
    source: str = field(default="", metadata=field_meta("file the content came from", internal=True))

    def _finish(self, data: dict, ctx: Ctx) -> Activity:
        """Checks across fields, and loading of referenced files; kinds override. Raise with ctx.fail."""
        return self




@dataclass(frozen=True)
class Outcome:
    """One performance criterion of the unit element the session covers."""

    code: str = field(metadata=field_meta("criterion number", choices=OUTCOME_CODES))
    text: str = field(metadata=field_meta("the criterion in plain words"))


@dataclass(frozen=True)
class Lesson:
    """The session: title, outcomes and what the overview page says."""

    title: str = field(metadata=field_meta("session title"))
    course: str = field(metadata=field_meta("course or unit line under the title"))
    element: str = field(metadata=field_meta("the unit element this session covers"))
    outcomes: tuple[Outcome, ...] = field(metadata=field_meta("performance criteria", min_items=1))
    welcome: str = field(metadata=field_meta("Markdown shown at the top of the overview"))
    privacy: str = field(metadata=field_meta("Markdown: what is stored, where, for how long"))
    source: str = field(default="", metadata=field_meta("file the content came from", internal=True))




@dataclass(frozen=True)
class Reflection:
    """A free-text prompt whose answer is stored for the learner."""

    prompt: str = field(metadata=field_meta("the question the learner answers in their own words"))
    max_chars: int = field(default=800, metadata=field_meta("longest answer accepted", min=50, max=5000))




@dataclass(frozen=True)
class Discussion:
    """A prompt the class answers with short posts that everyone sees; limits are enforced in the kernel."""

    prompt: str = field(metadata=field_meta("Markdown: the question learners answer on the board"))
    title: str = field(default="Discussion", metadata=field_meta("heading above the prompt", max_len=80))
    max_chars: int = field(default=500, metadata=field_meta("longest post accepted, in characters", min=20, max=2000))
    min_seconds_between_posts: int = field(default=30, metadata=field_meta(
        "how long a learner waits between posts (0: no wait)", min=0, max=3600))
    max_posts_per_learner: int = field(default=5, metadata=field_meta("most posts one learner may make",
                                                                 min=1, max=50))
    board_title: str = field(default="What the class said", metadata=field_meta("heading of the posts", max_len=80))

