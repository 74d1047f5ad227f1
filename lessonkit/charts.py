"""HTML and SVG helpers the class boards share: words and numbers (plural, pct, and_list), links, a radar
chart and bar charts, the discussion wall. Each kind's own board is in lessonkit/kinds/<kind>/board.py.

Boards are plain HTML/CSS/SVG rather than plotly figures: they read well on a 375 px phone and keep pandas
and plotly out of every student kernel (see README, Performance). Every learner string is escaped here.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping, Sequence
from html import escape

__all__ = ["text_colour_for", "pct", "download_link", "plural", "and_list"]


def download_link(data: bytes | str, filename: str, mime: str, text: str, *, note: str = "",
                  css_class: str = "") -> str:
    """An <a download> link carrying `data` as a base64 data: URL (no server round trip, no file served)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    encoded = base64.b64encode(raw).decode("ascii")
    cls = f' class="{escape(css_class)}"' if css_class else ""
    link = f'<a{cls} download="{escape(filename)}" href="data:{escape(mime)};base64,{encoded}">{escape(text)}</a>'
    return link + (f" <span class='lk-note'>{escape(note)}</span>" if note else "")


def plural(n: int, word: str) -> str:
    """'1 answer', '3 answers'."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def and_list(items: Sequence[str], last: str = "and") -> str:
    """'Monday', 'Monday and Friday', 'Monday, Friday and Sunday' ('' for none); items are used as given."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


def _sample_summary(others: int, noun: str, you_in: bool) -> str:
    """The first sentence of a board showing a sample: how many it holds, and whether yours is added."""
    if not others:
        return "Only yours so far: the sample is empty." if you_in else "The sample is empty."
    return f"The sample has {plural(others, noun)}{', plus yours' if you_in else ''}."


def _class_summary(n: int, done: str = "answered") -> str:
    """'1 person has answered.', '3 people have answered.'"""
    return f"{n} {'person has' if n == 1 else 'people have'} {done}."


def _how_many_right(right: int, n: int) -> str:
    """How many got something right, in words: 'nobody', 'only 2 of 6 (33%)'."""
    return "nobody" if right == 0 else f"only {right} of {n} ({pct(right / n)})"


def pct(share: float) -> str:
    """A share as a whole percentage: 0.4166 -> '42%'."""
    return f"{int(share * 100 + 0.5)}%"  # halves round up (round() would give 62% for 62.5%)


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "\u2026"


def text_colour_for(hex_colour: str) -> str:
    """Black or white, whichever reads better on the given background (WCAG relative luminance)."""
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    return "#000000" if (lum + 0.05) / 0.05 > 1.05 / (lum + 0.05) else "#FFFFFF"


def answers_by_learner(rows: Iterable) -> dict[str, dict[str, str]]:
    """Group store rows (learner, item, answer, ...) into learner -> {item -> answer}."""
    out: dict[str, dict[str, str]] = {}
    for row in rows:
        out.setdefault(row[0], {})[row[1]] = row[2]
    return out


# ---------------------------------------------------------------- radar chart and ratings
# Okabe-Ito blue for a learner's own scores on the radar and a class's bars: distinct with every common
# colour-vision deficiency, and every bar and axis is also labelled in words and numbers.
CHECK_CLASS = "#0072B2"
CHECK_RADAR = "#0072B2"


def rating_text(mean: float | None) -> str:
    """A mean rating as shown: 4 -> '4.0', 4.25 -> '4.25', 3.8333 -> '3.83', None -> 'not rated'."""
    if mean is None:
        return "not rated"
    text = f"{mean:.2f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def radar_svg(axes: Sequence[tuple[str, float | None]], *, low: float = 1, high: float = 5,
              label: str = "Radar chart", colour: str = CHECK_RADAR) -> str:
    """An inline SVG radar (spider) chart: one axis per (name, value), the lowest value at the centre.

    Each axis is labelled with its name and value, so the chart reads without colour; `label` and
    every value also go into the SVG's aria-label. Text is escaped; `colour` must be a
    trusted CSS colour. Scales to its container's width (viewBox), for a 375 px phone.
    """
    import math

    n = len(axes)
    if n < 3:
        raise ValueError(f"a radar chart needs at least 3 axes, got {n}")
    r, gap, line_h, font = 74.0, 12.0, 14.5, 13

    def frac(v: float | None) -> float:
        return 0.0 if v is None else max(0.0, min(1.0, (v - low) / (high - low)))

    def pts(coords: Iterable[tuple[float, float]]) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)

    def point(i: int, share: float, radius: float = r) -> tuple[float, float]:
        a = -math.pi / 2 + 2 * math.pi * i / n
        # + 0.0 turns -0.0 into 0.0, so the centre is written the same way on every axis
        return round(radius * share * math.cos(a), 1) + 0.0, round(radius * share * math.sin(a), 1) + 0.0

    described = "; ".join(f"{name}: {rating_text(v)}" + ("" if v is None else f" of {high:g}")
                          for name, v in axes)
    aria = escape(f"{label}. {described}.")
    parts = [f'<svg class="lk-check-radar-svg" viewBox="-180 -140 360 268" role="img" aria-label="{aria}" '
             f'font-family="inherit" font-size="{font}">']
    steps = int(high - low)
    for k in range(1, steps + 1):                                   # grid rings, one per scale point
        ring = pts(point(i, k / steps) for i in range(n))
        parts.append(f'<polygon points="{ring}" fill="none" stroke="#BBBBBB" stroke-width="1"/>')
    for i in range(n):
        x, y = point(i, 1)
        parts.append(f'<line x1="0" y1="0" x2="{x:.1f}" y2="{y:.1f}" stroke="#BBBBBB" stroke-width="1"/>')
    for k in range(0, steps + 1):                                   # scale numbers up the first axis
        x, y = point(0, k / steps)
        parts.append(f'<text x="{x - 6:.1f}" y="{y + 3:.1f}" text-anchor="end" font-size="9" '
                     'fill="currentColor" fill-opacity="0.8">'
                     f'{low + k:g}</text>')
    shape = pts(point(i, frac(v)) for i, (_, v) in enumerate(axes))
    parts.append(f'<polygon points="{shape}" fill="{colour}" fill-opacity="0.22" stroke="{colour}" '
                 f'stroke-width="2.5" stroke-linejoin="round"/>')
    for i, (_, v) in enumerate(axes):
        x, y = point(i, frac(v))
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}" stroke="#FFFFFF" stroke-width="1.5"/>')
    for i, (name, v) in enumerate(axes):
        x, y = point(i, 1, r + gap)
        a = -math.pi / 2 + 2 * math.pi * i / n
        cos, sin = math.cos(a), math.sin(a)
        anchor = "middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end")
        lines = [escape(t) for t in _wrap(name, 14)]
        block = (len(lines) + 1) * line_h
        # the label block sits above a top axis, below a bottom one, and level with a side one
        top = (y - block if sin < -0.5 else y if sin > 0.5 else y - block / 2) + line_h * 0.8
        spans = "".join(f'<tspan x="{x:.1f}" y="{top + j * line_h:.1f}">{t}</tspan>' for j, t in enumerate(lines))
        spans += (f'<tspan x="{x:.1f}" y="{top + len(lines) * line_h:.1f}" font-weight="700">'
                  f'{escape(rating_text(v))}</tspan>')
        parts.append(f'<text text-anchor="{anchor}" fill="currentColor">{spans}</text>')
    parts.append("</svg>")
    return "".join(parts)


__all__ += ["radar_svg", "rating_text"]


# ---------------------------------------------------------------- discussion board

def discussion_wall(posts: Sequence[Mapping[str, object]], words: Sequence[tuple[str, int]], *,
                    empty: str = "No posts yet. Be the first to answer: your post appears here for everyone.",
                    words_title: str = "Common words") -> str:
    """Posts (newest first, as given) beside the class's common words; every string is escaped.

    Each post is a mapping with `name`, `text`, `when` (already formatted) and `mine` (bool).
    """
    if posts:
        items = []
        for p in posts:
            mine = " lk-disc-mine" if p.get("mine") else ""
            you = ' <span class="lk-disc-you">(you)</span>' if p.get("mine") else ""
            items.append(f'<li class="lk-disc-post{mine}"><p class="lk-disc-meta"><strong class="lk-disc-name">'
                         f'{escape(str(p.get("name", "")))}</strong>{you} <span class="lk-disc-when">'
                         f'{escape(str(p.get("when", "")))}</span></p>'
                         f'<p class="lk-disc-text">{escape(str(p.get("text", "")))}</p></li>')
        count = f'<p class="lk-disc-count">{plural(len(posts), "post")}, newest first.</p>'
        listing = f'{count}<ul class="lk-disc-list">{"".join(items)}</ul>'
    else:
        listing = f'<p class="lk-disc-empty">{escape(empty)}</p>'
    if words:
        top = words[0][1]
        cloud = "".join(
            f'<li class="lk-disc-word" style="font-size:{0.9 + (count / top if top else 0) * 0.5:.2f}em">'
            f'{escape(word)} <span class="lk-disc-word-n">{count}</span></li>' for word, count in words)
        word_part = (f'<ul class="lk-disc-words-list" aria-label="{escape(words_title)} and how often each is used">'
                     f'{cloud}</ul>')
    else:
        word_part = '<p class="lk-disc-empty">The words the class uses most will appear here.</p>'
    return (f'<div class="lk-disc-wall"><div class="lk-disc-posts">{listing}</div>'
            f'<div class="lk-disc-words"><h3>{escape(words_title)}</h3>{word_part}</div></div>')


__all__ += ["discussion_wall"]


# ---------------------------------------------------------------- feedback: bar charts and the form evaluation board

def bar_chart_svg(labels: Sequence[str], values: Sequence[float | None], *, max_value: float = 100,
                  unit: str = "%", title: str) -> str:
    """A horizontal bar chart as standalone inline SVG (no scripts, no external references); text escaped.

    A None value is drawn as an empty track marked 'no data'. Values are clamped to 0..max_value.
    """
    if len(labels) != len(values):
        raise ValueError(f"bar_chart_svg: {len(labels)} labels but {len(values)} values")
    top = max_value if max_value and max_value > 0 else 1
    row, label_w, bar_w, pad = 30, 190, 300, 8
    width = label_w + bar_w + 70
    height = 34 + row * len(labels) + pad
    parts = [f'<svg class="lk-bar-chart" role="img" '
             f'viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px" '
             f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
             f'<text x="0" y="18" font-size="14" font-weight="bold" fill="currentColor">{escape(title)}</text>']
    for i, (label, value) in enumerate(zip(labels, values)):
        y = 30 + i * row
        short = _short(str(label), 25)  # ~7 px a character at 12 px: fits the 184 px label column
        parts.append(f'<text x="{label_w - 6}" y="{y + 17}" font-size="12" text-anchor="end" fill="currentColor">'
                     f'{escape(short)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{bar_w}" height="18" '
                     'style="fill:var(--lk-track,#e8e8e8)"/>')
        if value is None:
            text = "no data"
            end = label_w
        else:
            share = min(max(float(value), 0.0), float(top)) / top
            end = label_w + round(share * bar_w)
            parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{end - label_w}" height="18" '
                         f'fill="{CHECK_CLASS}"/>')
            text = f"{value:g}{unit}" if isinstance(value, int) or float(value).is_integer() else f"{value:.1f}{unit}"
        parts.append(f'<text x="{end + 4}" y="{y + 17}" font-size="12" fill="currentColor">{escape(text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def link_preview(text: str, max_chars: int = 2000) -> str:
    """HTML under a link field: the link (only when it is a web link) or what is wrong with it."""
    value = text.strip()
    url = web_link(value, max_chars)
    if url:
        return (f"<span class='lk-ok'>Link: <a href=\"{escape(url)}\" target=\"_blank\" "
                f"rel=\"noopener noreferrer\">{escape(url)}</a></span>")
    if value:
        return ("<span class='lk-error'>Not a web link yet: it should start with https:// "
                f"(you typed {escape(value[:80])})</span>")
    return ""


def web_link(text: object, max_chars: int = 2000) -> str | None:
    """The text as an http(s) link when it is one (scheme, host, no spaces or quotes), else None."""
    from urllib.parse import urlsplit

    if not isinstance(text, str):
        return None
    url = text.strip()
    if not url or len(url) > max_chars or any(ch.isspace() or ord(ch) < 32 or ch in "\"'<>\\`" for ch in url):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or "." not in host or host.startswith(".") \
            or not all(ch.isalnum() or ch in ".-" for ch in host):
        return None
    return url


__all__ += ["bar_chart_svg", "web_link"]


# ---------------------------------------------------------------- the join address as a QR code

def qr_svg(text: str, *, label: str = "QR code") -> str:
    """An inline SVG QR code for `text` (segno, pure Python), black on white with a quiet zone."""
    import segno

    qr = segno.make(text, error="m")
    # omitsize: a viewBox instead of a fixed width/height, so CSS can size it without cropping.
    svg = qr.svg_inline(scale=6, border=4, dark="#000", light="#fff", title=label, omitsize=True,
                          svgclass="lk-qr-svg")
    return svg.replace("<svg ", f"<svg role='img' aria-label='{escape(label)}' ", 1)


__all__ += ["qr_svg"]
