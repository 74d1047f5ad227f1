"""Pure functions that turn class answers into numbers: no widgets, no store, no I/O."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["Agreement", "agreement", "normalise_text", "parse_number", "tally"]


@dataclass(frozen=True)
class Agreement:
    """How much a class agreed on one question."""

    n: int                      # how many answered
    top: tuple[str, ...]        # the most chosen answer(s), ties in first-seen order
    top_count: int              # how many chose each of the top answer(s)
    distinct: int               # how many different answers were given

    @property
    def share(self) -> float:
        """Share of the class that chose the most common answer (0 when nobody answered)."""
        return self.top_count / self.n if self.n else 0.0


def tally(values: Iterable[str | None]) -> list[tuple[str, int]]:
    """Count answers, most common first (ties keep first-seen order)."""
    return Counter(v for v in values if v is not None).most_common()


def agreement(values: Iterable[str]) -> Agreement:
    """Agreement on one question: the modal answer's share of everyone who answered."""
    counts = tally(values)
    if not counts:
        return Agreement(0, (), 0, 0)
    top_count = counts[0][1]
    return Agreement(sum(c for _, c in counts), tuple(v for v, c in counts if c == top_count), top_count,
                     len(counts))


# ---------------------------------------------------------------- typed answers: short texts and numbers

_NUMBER_RE = re.compile(r"\s*([-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[-+]?\.\d+)\s*([^\d\s.,+-][^\d]{0,19})?")


def normalise_text(text: str) -> str:
    """How short text answers are compared: case, spaces and end punctuation do not matter."""
    return "".join(str(text).casefold().split()).strip(".!?,;:'\"")


def parse_number(text: Any) -> float | None:
    """One number as a learner types it ('170', '170 °C', '1,000', '2.5 cups'); None when it is not one."""
    if isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        return float(text) if math.isfinite(text) else None
    if not isinstance(text, str) or len(text) > 40:
        return None
    m = _NUMBER_RE.fullmatch(text)
    return float(m.group(1).replace(",", "")) if m else None




# ---------------------------------------------------------------- discussion: common words

# Small, plain English stop-word list: words that say nothing about what the class thinks.
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are aren't as at be because been before being
below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down
during each few for from further get gets got had hadn't has hasn't have haven't having he he'd he'll he's
her here here's hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its
itself just let's like make makes me more most much must mustn't my myself no nor not of off on once only
or other ought our ours ourselves out over own really same shan't she she'd she'll she's should shouldn't
so some such than that that's the their theirs them themselves then there there's these they they'd
they'll they're they've this those through to too under until up us very was wasn't we we'd we'll we're
we've were weren't what what's when when's where where's which while who who's whom why why's will with
won't would wouldn't you you'd you'll you're you've your yours yourself yourselves think thing things
""".split())

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def common_words(texts: Iterable[str], stop_words: Iterable[str] = STOP_WORDS, top: int = 15,
                 min_length: int = 2) -> list[tuple[str, int]]:
    """The most used words across texts as (word, count), most used first, stop words left out.

    Words are lower-cased (curly apostrophes read as straight ones); each text counts a word every
    time it is used. Ties are broken alphabetically so the view does not jump between refreshes.
    """
    stop = {w.lower() for w in stop_words}
    counts: dict[str, int] = {}
    for text in texts:
        for word in _WORD.findall(str(text).lower().replace("’", "'")):
            if len(word) >= min_length and word not in stop:
                counts[word] = counts.get(word, 0) + 1
    return sorted(counts.items(), key=lambda wc: (-wc[1], wc[0]))[:top]


__all__ += ["STOP_WORDS", "common_words"]
