"""Rating scales: which points an item has, which count as satisfied, and how survey tools word them.

A column's scale is read from its answers and its heading (or chosen by the learner); every answer is
then a point on that scale (1-5, 1-7, 0-10 ...). Text answers are placed by the wording families of
common survey tools (agree, satisfied, likely, good/poor, excellent, easy, helpful), with or without a
number in front ("5 - Very satisfied", "7 = Strongly agree").
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Scale:
    """A rating scale: its lowest and highest points, the points counted satisfied, and that rule in words."""

    key: str                      # "1-5", "1-7", "1-10", "0-10"
    low: int
    high: int
    satisfied: tuple[int, ...]
    label: str                    # "1-7 (7 = Strongly agree)"
    rule: str                     # "satisfied = 6 or 7 on the 1-7 scale"

    @property
    def points(self) -> int:
        return self.high - self.low + 1

    def fits(self, value: int) -> bool:
        return self.low <= value <= self.high


def _or(values: Iterable[object]) -> str:
    items = [str(v) for v in values]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _scale(low: int, high: int, top: int) -> Scale:
    key = f"{low}-{high}"
    satisfied = tuple(range(high - top + 1, high + 1))
    rule = f"satisfied = {_or(satisfied)} on the {key} scale"
    return Scale(key, low, high, satisfied, f"{key} ({high} = best)", rule)


# The satisfied rule: the top two points ("top-two box", the usual CSAT rule) on 4-, 5- and 7-point scales;
# the top three on 9-, 10- and 11-point scales, where two points would be a far stricter test (a fifth of
# the scale or less, against two fifths of a 5-point scale).
SCALES: dict[str, Scale] = {s.key: s for s in (
    _scale(1, 4, 2), _scale(1, 5, 2), _scale(1, 7, 2), _scale(1, 9, 3), _scale(1, 10, 3), _scale(0, 10, 3))}
SATISFIED_RULE = ("the top two points of a 4-, 5- or 7-point scale (4-5 of 5, 6-7 of 7) and the top three of a "
                  "9-, 10- or 11-point scale (7-9 of 9, 8-10 of 1-10 or 0-10)")

# ---------------------------------------------------------------- wording families

_STRONG = ("very", "strongly", "extremely", "completely", "totally", "highly")
_MODERATE = ("moderately", "mostly", "quite")
_MILD = ("somewhat", "slightly", "mildly", "a little", "tend to", "fairly")


@dataclass(frozen=True)
class TextScale:
    """One way a tool words an n-point scale: the answers at each point, lowest first."""

    family: str
    points: tuple[tuple[str, ...], ...]

    @property
    def size(self) -> int:
        return len(self.points)

    @property
    def top(self) -> str:
        return self.points[-1][0]

    def lookup(self) -> dict[str, int]:
        """Answer -> index of its point (0 = lowest)."""
        if self not in _LOOKUPS:
            _LOOKUPS[self] = {word: i for i, words in enumerate(self.points) for word in words}
        return _LOOKUPS[self]


_LOOKUPS: dict[TextScale, dict[str, int]] = {}


def _with(degrees: tuple[str, ...], word: str) -> tuple[str, ...]:
    return tuple(f"{d} {word}" for d in degrees)


def _bipolar(family: str, pos: str, neg: str, neutral: tuple[str, ...], first: str = "very") -> list[TextScale]:
    """The 5- and 7-point (and 4-point, no middle) ways of wording a two-sided scale; `first` names the top
    point in labels ("strongly agree", "very satisfied")."""
    strong = (first, *(d for d in _STRONG if d != first))
    extreme = ("extremely", *(d for d in _STRONG if d != "extremely"))
    mid = (f"neither {pos} nor {neg}", f"neither {pos} or {neg}", f"neither {neg} nor {pos}", "neutral", "neither",
           *neutral)
    return [
        TextScale(family, (_with(strong, neg), (neg,), mid, (pos,), _with(strong, pos))),
        TextScale(family, (_with(extreme, neg), _with(_MILD, neg), mid, _with(_MILD, pos), _with(extreme, pos))),
        TextScale(family, (_with(strong, neg), (neg,), _with(_MILD, neg), mid, _with(_MILD, pos), (pos,),
                           _with(strong, pos))),
        TextScale(family, (_with(extreme, neg), _with(_MODERATE, neg), _with(_MILD, neg), mid, _with(_MILD, pos),
                           _with(_MODERATE, pos), _with(extreme, pos))),
        TextScale(family, (_with(strong, neg), (neg,), (pos,), _with(strong, pos))),
    ]


def _unipolar(family: str, word: str) -> TextScale:
    return TextScale(family, ((f"not at all {word}", f"not {word}"), (f"slightly {word}", f"a little {word}"),
                              (f"moderately {word}", f"somewhat {word}"), (f"very {word}",),
                              (f"extremely {word}", f"completely {word}")))


_MEH = ("average", "ok", "okay", "acceptable", "satisfactory", "adequate")
# Earlier tables win ties: a column whose answers fit two tables is read with the first.
TEXT_SCALES: tuple[TextScale, ...] = (
    *_bipolar("agree", "agree", "disagree", ("undecided",), first="strongly"),
    *_bipolar("satisfied", "satisfied", "dissatisfied", ()),
    *_bipolar("satisfied", "satisfied", "unsatisfied", ()),
    *_bipolar("likely", "likely", "unlikely", ()),
    *_bipolar("easy", "easy", "difficult", ()),
    TextScale("excellent", (("poor", "very poor"), ("fair",), ("good",), ("very good",), ("excellent", "outstanding"))),
    TextScale("good", (("very poor", "terrible", "awful", "very bad"), ("poor", "bad"),
                       ("fair", "neither good nor poor", "neither good nor bad", *_MEH), ("good",), ("very good",))),
    TextScale("excellent", (("poor", "very poor"), ("below average",), ("average",), ("above average",),
                            ("excellent",))),
    TextScale("excellent", (("very poor", "terrible"), ("poor",), ("average", "fair", "ok", "okay"), ("good",),
                            ("excellent",))),
    TextScale("excellent", (("poor",), ("fair",), ("good",), ("excellent",))),
    _unipolar("satisfied", "satisfied"), _unipolar("likely", "likely"), _unipolar("helpful", "helpful"),
    TextScale("helpful", (("very unhelpful",), ("unhelpful", "not helpful"), ("neither helpful nor unhelpful",
                          "neutral"), ("helpful",), ("very helpful",))),
)
TOP_WORDS = frozenset(w for t in TEXT_SCALES for w in t.points[-1])
BOTTOM_WORDS = frozenset(w for t in TEXT_SCALES for w in t.points[0])

# ---------------------------------------------------------------- reading one answer

_NUMBER = re.compile(r"^[+-]?\d{1,3}(?:\.0+)?$")
_PREFIX = re.compile(r"^(\d{1,2})\s*(?:[-\u2013\u2014=:.)]|\s)\s*([^\d\s].*)$")       # "5 - Very satisfied"
_SUFFIX = re.compile(r"^([^\d\s].*?)\s*(?:[(\[]\s*(\d{1,2})\s*[)\]]|[-\u2013=:]\s*(\d{1,2}))$")  # "Good (4)"


def normalise(text: object) -> str:
    """Lower case, straight apostrophes, single spaces, no trailing full stop or quotes."""
    key = str(text).replace("\u2019", "'").replace("\u2018", "'").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", key).strip().strip("\"'").strip().rstrip(".!").strip().lower()


@functools.lru_cache(maxsize=8192)
def parse_answer(text: object) -> tuple[int | None, str | None]:
    """(number, words) in an answer: "5" -> (5, None), "7 = Strongly agree" -> (7, "strongly agree")."""
    key = normalise(text)
    if _NUMBER.match(key):
        return int(float(key)), None
    m = _PREFIX.match(key)
    if m:
        return int(m[1]), m[2].strip()
    m = _SUFFIX.match(key)
    if m:
        return int(m[2] or m[3]), m[1].strip()
    return None, key


@functools.lru_cache(maxsize=8192)
def not_answered(text: object) -> bool:
    """True for "N/A", "Don't know", "Not applicable", "0 - N/A" ...: no rating was given."""
    key = normalise(text)
    if key in NOT_ANSWERED_WORDS:
        return True
    _, words = parse_answer(text)
    if words is not None and words in NOT_ANSWERED_WORDS:
        return True
    return bool(re.match(r"^(?:n/a|not applicable|don't know|dont know|did not use|didn't use)\b", key))


NOT_ANSWERED_WORDS = frozenset({
    "n/a", "na", "n.a", "not applicable", "don't know", "dont know", "do not know", "not sure", "unsure",
    "no opinion", "can't say", "cannot say", "prefer not to say", "did not use", "didn't use", "not used",
    "have not used", "haven't used", "not relevant", "no experience", "not answered", "does not apply"})

# ---------------------------------------------------------------- reading a column

_RANGE = re.compile(r"(?<![\d.])([01])\s*(?:-|\u2013|\u2014|to)\s*(4|5|7|9|10)(?![\d.])")
_OUT_OF = re.compile(r"(?:out of|/)\s*(4|5|7|9|10)(?!\d)")
_ANCHOR = re.compile(r"(?<![\d.])(\d{1,2})\s*=\s*[a-z]")


@dataclass(frozen=True)
class Reading:
    """How one column's answers are read: its scale, each answer's point, and what the guess rests on."""

    scale: Scale
    points: dict[str, int]        # normalised answer -> point, for text answers
    evidence: str                 # "chosen", "heading", "labels", "words", "values" or "none"
    observed: tuple[int, int] | None = None
    table: TextScale | None = None
    words: frozenset[str] = frozenset()     # the distinct text answers seen

    def value(self, text: object) -> int | None:
        """The point on the scale, or None when the answer cannot be read on it."""
        number, words = parse_answer(text)
        if number is not None:
            return number if self.scale.fits(number) else None
        point = self.points.get(words or "")
        return None if point is None else point


def header_scale(header: str) -> Scale | None:
    """A scale stated in a column heading: "(1-7)", "0 to 10", "out of 5", "1 = Poor, 7 = Excellent"."""
    text = normalise(header)
    m = _RANGE.search(text)
    if m and f"{m[1]}-{m[2]}" in SCALES:
        return SCALES[f"{m[1]}-{m[2]}"]
    m = _OUT_OF.search(text)
    if m and f"1-{m[1]}" in SCALES:
        return SCALES[f"1-{m[1]}"]
    anchors = sorted({int(a) for a in _ANCHOR.findall(text)})
    if len(anchors) >= 2 and f"{anchors[0]}-{anchors[-1]}" in SCALES:
        return SCALES[f"{anchors[0]}-{anchors[-1]}"]
    return None


def _best_table(words: Counter, size: int | None = None) -> TextScale | None:
    best, best_hits = None, 0
    for table in TEXT_SCALES:
        if size is not None and table.size != size:
            continue
        lookup = table.lookup()
        hits = sum(n for w, n in words.items() if w in lookup)
        if hits > best_hits:
            best, best_hits = table, hits
    if size is None and best is not None and best.family == "excellent" and best.size == 5 \
            and "excellent" in words and "very good" not in words:
        # Excellent / Good / Fair / Poor with no "Very good" at all: the 4-point scale, not a 5-point one
        four = next(t for t in TEXT_SCALES if t.family == "excellent" and t.size == 4)
        if sum(n for w, n in words.items() if w in four.lookup()) == best_hits:
            return four
    return best


def _labelled(scale: Scale, table: TextScale | None, top_word: str | None) -> Scale:
    top = table.top if table else top_word
    if not top:
        return scale
    label = f"{scale.key} ({scale.high} = {top[0].upper()}{top[1:]})"
    rule = scale.rule
    if table:
        names = [table.points[p - scale.low][0] for p in scale.satisfied]
        rule += " (" + _or(n[0].upper() + n[1:] for n in names) + ")"
    return replace(scale, label=label, rule=rule)


def read_column(values: Iterable[object], header: str = "", chosen: str | None = None) -> Reading:
    """Work out a column's scale from its answers (non-missing, answered) and heading, or use the chosen one."""
    parsed = [parse_answer(v) for v in values]
    numbers = [n for n, _ in parsed if n is not None]
    words = Counter(w for n, w in parsed if n is None and w)
    labels = {w: n for n, w in parsed if n is not None and w}
    observed = (min(numbers), max(numbers)) if numbers else None
    scale: Scale | None
    if chosen is not None:
        if chosen not in SCALES:
            raise KeyError(chosen)
        scale = SCALES[chosen]
        table = _best_table(words, scale.points) if words else None
        return Reading(_labelled(scale, table, _top_label(labels, scale)), _points(table, scale), "chosen", observed)
    table = _best_table(words) if words else None
    if table is not None and sum(words.values()) >= len(numbers):
        scale = SCALES[f"1-{table.size}"]
        return Reading(_labelled(scale, table, None), _points(table, scale), "words", observed, table,
                       frozenset(words))
    scale, evidence = header_scale(header), "heading"
    if scale is not None and table is None and not _top_label(labels, scale):
        top = re.search(rf"(?<![\d.]){scale.high}\s*=\s*([a-z][a-z' ]*[a-z])", normalise(header))
        if top:
            return Reading(_labelled(scale, None, top[1]), {}, evidence, observed)
    if scale is None:
        scale, evidence = _from_labels(labels), "labels"
    if scale is None and observed is not None:
        scale, evidence = _from_values(*observed), "values"
    if scale is None:
        return Reading(_labelled(SCALES["1-5"], table, None), _points(table, SCALES["1-5"]), "none", observed)
    if table is not None and table.size != scale.points:
        table = _best_table(words, scale.points)
    return Reading(_labelled(scale, table, _top_label(labels, scale)), _points(table, scale), evidence, observed)


def _points(table: TextScale | None, scale: Scale) -> dict[str, int]:
    if table is None or table.size != scale.points:
        return {}
    return {word: scale.low + i for word, i in table.lookup().items()}


def _top_label(labels: dict[str, int], scale: Scale) -> str | None:
    return next((w for w, n in labels.items() if n == scale.high and w in TOP_WORDS), None)


def _from_labels(labels: dict[str, int]) -> Scale | None:
    highs = [n for w, n in labels.items() if w in TOP_WORDS]
    lows = [n for w, n in labels.items() if w in BOTTOM_WORDS]
    if not highs:
        return None
    low = min(lows) if lows else 1
    key = f"{low}-{max(highs)}"
    return SCALES.get(key) or SCALES.get(f"1-{max(highs)}")


def _from_values(lo: int, hi: int) -> Scale | None:
    """The smallest usual scale holding every answer; 0 means an 11-point 0-10 scale."""
    if lo < 0 or hi > 10:
        return None
    if lo == 0:
        return SCALES["0-10"]
    for key in ("1-5", "1-7", "1-9", "1-10"):
        if SCALES[key].fits(hi):
            return SCALES[key]
    return None


def share_scale(readings: dict[str, Reading]) -> dict[str, Reading]:
    """Items in one survey usually share a scale.

    A numeric item guessed only from its answers (all 5 or below, say) takes the scale most of the survey's
    numeric items have when its answers fit that scale and it is larger, so a 1-7 item nobody rated above 5
    is not read as 1-5. Likewise a worded item whose answers fit the longer wording most of its worded
    siblings use (a 7-point agree matrix row where nobody chose "Somewhat agree") is read on that scale.
    """
    out = dict(readings)
    keys = Counter(r.scale.key for r in readings.values() if r.evidence in ("heading", "labels", "values"))
    if keys:
        common = SCALES[keys.most_common(1)[0][0]]
        for item, r in readings.items():
            if (r.evidence == "values" and r.observed and r.scale.points < common.points
                    and common.low == r.scale.low and common.fits(r.observed[0]) and common.fits(r.observed[1])):
                out[item] = replace(r, scale=common, evidence="survey")
    sizes = Counter((r.table.family, r.table.size) for r in readings.values() if r.evidence == "words" and r.table)
    for item, r in readings.items():
        if r.evidence != "words" or r.table is None:
            continue
        same = [(n, size) for (family, size), n in sizes.items() if family == r.table.family]
        longer = max(same)[1] if same else 0        # the size most of them have (the larger on a tie)
        if longer <= r.table.size:
            continue
        table = next((t for t in TEXT_SCALES if t.family == r.table.family and t.size == longer
                      and r.words <= set(t.lookup())), None)
        if table is not None:
            scale = SCALES[f"1-{longer}"]
            out[item] = replace(r, scale=_labelled(scale, table, None), points=_points(table, scale),
                                evidence="survey", table=table)
    return out
