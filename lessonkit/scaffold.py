"""`lessonkit new KIND SLUG`: a starter activity YAML, explained field by field, and its thin notebook.

The comments in the YAML come from the models' field metadata (through lessonkit.schema.describe),
so they say what `lessonkit check` and the JSON Schema say. Only the example values are written by
hand, one starter per kind, each valid as it stands and needing no sample CSV or media file.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import textwrap
import typing
from pathlib import Path
from typing import Any

import yaml

from . import kinds
from .convert import public_fields
from .datafiles import data_dir
from .errors import LessonkitError
from .schema import SCHEMA_DIR, _bare, describe, schema_text

__all__ = ["SLUG_RULE", "ScaffoldError", "new_activity", "next_number", "notebook_json", "starter_yaml"]

SLUG_RULE = ("2 to 40 lower-case letters and digits, words joined by single dashes, starting with a letter "
             "(e.g. returns-fines)")
_SLUG = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
WIDTH = 100   # the starter's comment lines wrap here


class ScaffoldError(LessonkitError):
    """`lessonkit new` cannot go ahead; the one-line message says why and what to do."""


def notebook_json(slug: str) -> str:
    """A thin notebook for an activity, exactly the shape of the committed ones (one hidden cell, no outputs)."""
    from .lab import lesson_notebook, notebook_text

    return notebook_text(lesson_notebook(f'import lessonkit as lk\n\nlk.activity("{slug}")'))


def next_number(notebooks: Path) -> int:
    """The number after the highest `NN-*.ipynb` in the folder (1 when there is none; 00 is the overview)."""
    numbers = [int(p.name[:2]) for p in notebooks.glob("[0-9][0-9]-*.ipynb")]
    return max(numbers, default=0) + 1


def new_activity(kind: str, slug: str, *, title: str | None = None, data: str | os.PathLike | None = None,
                 notebooks: str | os.PathLike | None = None) -> tuple[Path, Path]:
    """Write `DATA/activities/SLUG.yaml` and `NOTEBOOKS/NN-SLUG.ipynb`; never overwrites anything.

    `data` defaults to the content folder ($LESSONKIT_DATA, else data/), `notebooks` to the notebooks/
    folder beside it. Raises ScaffoldError (nothing written) for an unknown kind, a bad slug or title,
    or a file that exists.
    """
    if kind not in kinds.names():
        raise ScaffoldError(f"unknown kind {kind!r}; choose one of: {', '.join(kinds.names())}")
    if not (_SLUG.fullmatch(slug) and 2 <= len(slug) <= 40):
        raise ScaffoldError(f"bad slug {slug!r}: a slug is {SLUG_RULE}")
    title = (title if title is not None else slug.replace("-", " ").capitalize()).strip()
    if not title or len(title) > 120 or "\n" in title:
        raise ScaffoldError("--title must be one line of 1 to 120 characters")
    data = Path(data) if data is not None else data_dir()
    notebooks = Path(notebooks) if notebooks is not None else data.parent / "notebooks"
    yaml_path = data / "activities" / f"{slug}.yaml"
    taken = [yaml_path] if yaml_path.exists() else []
    taken += sorted(notebooks.glob(f"[0-9][0-9]-{slug}.ipynb"))
    if taken:
        raise ScaffoldError(f"{taken[0]} already exists; choose another slug (nothing was written)")
    number = next_number(notebooks)
    if number > 99:
        raise ScaffoldError(f"{notebooks} already has a notebook numbered 99; notebook numbers stop there")
    notebook = notebooks / f"{number:02d}-{slug}.ipynb"
    yaml_path.parent.mkdir(parents=True, exist_ok=True)
    notebooks.mkdir(parents=True, exist_ok=True)
    text = starter_yaml(kind, slug, number, title, _schema_ref(kind, yaml_path.parent, data))
    with open(yaml_path, "x", encoding="utf-8") as out:   # "x": never overwrite, even in a race
        out.write(text)
    try:
        with open(notebook, "x", encoding="utf-8") as out:
            out.write(notebook_json(slug))
    except OSError as exc:   # both files or neither
        yaml_path.unlink()
        if isinstance(exc, FileExistsError):
            raise ScaffoldError(f"{notebook} already exists; choose another slug (nothing was written)") from None
        raise
    return yaml_path, notebook


def _schema_ref(kind: str, folder: Path, data: Path) -> str:
    """The schema's path relative to the YAML (editors resolve it from the file), writing a copy if needed."""
    target = SCHEMA_DIR / f"{kind}.schema.json"
    if not target.exists():   # an installed package without the repository's docs/: put one beside the content
        target = data / "schema" / f"{kind}.schema.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(schema_text(kind), encoding="utf-8")
    return Path(os.path.relpath(target.resolve(), folder.resolve())).as_posix()


# ---------------------------------------------------------------- the YAML

def starter_yaml(kind: str, slug: str, number: int, title: str, schema_ref: str) -> str:
    """The starter YAML of one kind: every field explained in a comment, optional ones shown commented out."""
    values = {"kind": kind, "number": number, "title": title, "notebook": f"{number:02d}-{slug}.ipynb",
              **STARTERS[kind]}
    about = (f"Activity '{slug}' (kind: {kind}), started by `lessonkit new`. Each field has a comment above it: "
             "what it is for, then [what it takes; required or optional]. Optional fields you have not used are "
             "shown commented out with their default: remove the '# ' to use one. After each edit run "
             "`lessonkit check` on your data folder.")
    lines = [f"# yaml-language-server: $schema={schema_ref}", *_comment(about, 0)]
    _fields(kinds.model(kind), values, 0, lines, comments=True, kind=kind)
    return "\n".join(lines) + "\n"


def _fields(cls: type, values: dict, indent: int, lines: list[str], *, comments: bool, kind: str | None = None):
    pad = " " * indent
    hints = typing.get_type_hints(cls)
    for f in public_fields(cls):
        if comments:
            lines += [""] if indent == 0 else []
            about = describe(f, hints[f.name], kind if f.name == "kind" else None)
            lines += _comment(about, indent)
        if f.name in values:
            _value(f.name, values[f.name], _bare(hints[f.name]), indent, lines, comments)
        elif comments:
            shown = f.default if f.default not in (dataclasses.MISSING, None, (), "") else None
            lines.append(f"{pad}# {f.name}:" + ("" if shown is None else " " + _inline(shown)))


def _comment(text: str, indent: int) -> list[str]:
    return [f"{' ' * indent}# {part}" for part in textwrap.wrap(text, WIDTH - indent - 2, break_on_hyphens=False)]


def _value(name: str, value: Any, tp: Any, indent: int, lines: list[str], comments: bool) -> None:
    pad = " " * indent
    if dataclasses.is_dataclass(tp):
        lines.append(f"{pad}{name}:")
        _fields(tp, value, indent + 2, lines, comments=comments)
    elif typing.get_origin(tp) is tuple and dataclasses.is_dataclass(typing.get_args(tp)[0]):
        lines.append(f"{pad}{name}:")
        for i, item in enumerate(value):   # the first item carries the comments, the rest are plain
            sub: list[str] = []
            _fields(typing.get_args(tp)[0], item, indent + 4, sub, comments=comments and i == 0)
            first = next(j for j, line in enumerate(sub) if line.strip() and not line.lstrip().startswith("#"))
            sub[first] = f"{pad}  - {sub[first][indent + 4:]}"
            lines += sub
    elif isinstance(value, str) and "\n" in value:
        lines.append(f"{pad}{name}: |")
        lines += [f"{pad}  {line}" if line else "" for line in value.rstrip("\n").split("\n")]
    elif isinstance(value, tuple) and len(f"{pad}{name}: {_inline(value)}") > WIDTH:
        lines.append(f"{pad}{name}:")
        lines += [f"{pad}  - {_inline(v)}" for v in value]
    else:
        lines.append(f"{pad}{name}: {_inline(value)}")


def _inline(value: Any, flow: bool = False) -> str:
    """A scalar or a list of scalars on one line, quoted only where YAML needs it (then in double quotes)."""
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_inline(v, flow=True) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if not isinstance(value, str):
        return str(value)
    plain = yaml.safe_dump(value, allow_unicode=True, width=1_000_000).removesuffix("\n...\n").rstrip("\n")
    needs_quotes = plain[:1] in ("'", '"') or flow and any(c in value for c in ",[]{}")
    return json.dumps(value, ensure_ascii=False) if needs_quotes else plain


# ---------------------------------------------------------------- hand-written starters, one per kind
# Realistic but short: an Australian public library's front-line service, in this kit's own words.
# Fictional libraries only (Wattle Creek Library), so no starter states a real library's policy.

_QUIZ = {
    "seed_section": "Session 3: Customer service policies and procedures",
    "minutes": 10,
    "outcomes": ("3.3",),
    "objectives": ("Answer a patron's everyday question with the library's own policy, not a guess.",),
    "instructions": "Answer every question, then press **Submit** to see how you went.\n",
    "questions": (
        {"id": "loan-check", "type": "single",
         "prompt": "A patron asks how long they can keep a book. What do you do first?",
         "options": ({"text": "Check the due date on their account or receipt"},
                     {"text": "Tell them the usual loan period from memory",
                      "feedback": "Loan periods differ by item and by card type, so check rather than guess."}),
         "answer": "Check the due date on their account or receipt",
         "explanation": "The account shows the real due date for *this* item, so the answer is right first time."},
        {"id": "card-needs", "type": "multiple",
         "prompt": "Wattle Creek Library (a fictional library) asks for two things to join. Tick both.",
         "options": ({"text": "Photo identification"}, {"text": "Proof of address"},
                     {"text": "A reference from an employer",
                      "feedback": "Nobody needs a reference to join a public library."}),
         "answers": ("Photo identification", "Proof of address")},
        {"id": "renewals", "type": "numeric",
         "prompt": "An item may be renewed twice if nobody has reserved it. It has been renewed once. "
                   "How many renewals are left?",
         "answer": "1"},
        {"id": "return-place", "type": "text",
         "prompt": "Where can a patron return items when the library is closed? (two words)",
         "answer": "returns chute", "accept": ("return chute", "chute", "after-hours chute")},
    ),
    "attempts": "2",
    "reveal_answers": True,
}

_SORTER = {
    "seed_section": "Session 3: Customer service policies and procedures",
    "minutes": 10,
    "outcomes": ("3.3",),
    "objectives": ("Tell apart what helps a caller on the phone from what gets in their way.",),
    "instructions": "Sort each thing a staff member does on a phone enquiry into the right box,\n"
                    "then press **Submit** to see the feedback.\n",
    "categories": ({"id": "helps", "name": "Helps the caller"}, {"id": "hinders", "name": "Gets in the way"}),
    "items": (
        {"id": "greeting", "text": "Answering with the library's name and your first name", "category": "helps",
         "explanation": "The caller knows at once they have the right place and who they are talking to."},
        {"id": "hold", "text": "Putting the caller on hold without asking first", "category": "hinders",
         "explanation": "Ask before you put someone on hold, and say how long it may take."},
        {"id": "read-back", "text": "Reading the reservation number back to the caller", "category": "helps",
         "explanation": "Reading details back catches a mistake before it becomes a lost reservation."},
        {"id": "jargon", "text": "Saying the item is \"in transit on an ILL\"", "category": "hinders",
         "explanation": "Library jargon confuses callers: say \"it is on its way from another library\"."},
    ),
}

_CHECKLIST = {
    "seed_section": "Class Activity 1: Self-assessment",
    "minutes": 10,
    "outcomes": ("3.1",),
    "objectives": ("Rate your own service habits and pick one to work on.",),
    "instructions": "Rate how often each statement is true of you at work, then press **Submit**.\n",
    "scale": ("Rarely", "Sometimes", "Often", "Usually", "Always"),
    "categories": ({"id": "phone", "name": "On the phone"}, {"id": "email", "name": "By email"},
                   {"id": "desk", "name": "At the desk"}),
    "statements": (
        {"id": "phone-name", "category": "phone", "text": "I give the library's name and my first name when I answer."},
        {"id": "email-reply", "category": "email", "text": "I reply to a patron's email within one working day."},
        {"id": "desk-look-up", "category": "desk", "text": "I look up and greet a patron as soon as they reach the desk."},
    ),
}

_LEGISLATION = {
    "seed_section": "Government legislation",
    "minutes": 15,
    "outcomes": ("3.1",),
    "objectives": ("Say which law applies to a situation at the library desk.",),
    "instructions": "Read the two summaries, choose the law(s) for each situation, then rank the laws\n"
                    "and say why.\n",
    "laws": (
        {"id": "privacy", "name": "Privacy", "short": "Privacy",
         "summary": "Patrons' personal information (who they are, what they borrow) is collected only\n"
                    "for the library's work and is not handed to others without a lawful reason.\n",
         "acts": ("Privacy Act 1988 (Cth)",),
         "link": "https://www.oaic.gov.au/privacy/australian-privacy-principles",
         "link_label": "Australian Privacy Principles, Office of the Australian Information Commissioner"},
        {"id": "copyright", "name": "Copyright", "short": "Copyright",
         "summary": "Copying books, music and films is limited: there are exceptions for study and\n"
                    "for libraries, but not for copying a whole work to save buying it.\n",
         "acts": ("Copyright Act 1968 (Cth)",),
         "link": "https://www.legislation.gov.au/C1968A00063/latest/text",
         "link_label": "Copyright Act 1968 (Cth), Federal Register of Legislation"},
    ),
    "scenarios": (
        {"id": "partner-loans", "text": "A caller says they are a patron's partner and asks what the patron has "
                                        "on loan.", "laws": ("privacy",),
         "explanation": "A patron's loans are their personal information: do not share them with anyone else."},
        {"id": "copy-novel", "text": "A student asks to photocopy a whole novel so they need not borrow it.",
         "laws": ("copyright",),
         "explanation": "Copying a whole novel goes well beyond what the study exceptions allow."},
    ),
}

_FORM_EVALUATION = {
    "seed_section": "Customer feedback",
    "minutes": 15,
    "outcomes": ("3.4",),
    "objectives": ("Judge whether an online feedback form makes it easy for customers to be heard.",),
    "instructions": "Find a library's online feedback form, rate it on each criterion, then press "
                    "**Submit**.\n",
    "criteria": (
        {"id": "plain-language", "name": "Plain language",
         "description": "The questions are short and free of library jargon."},
        {"id": "reply-promise", "name": "Reply promise",
         "description": "The form says whether, and when, someone will reply.", "scale": ("No", "Partly", "Yes")},
    ),
    "forms": 2,
}

_CHARTER_GALLERY = {
    "seed_section": "Discussion from last week",
    "minutes": 15,
    "outcomes": ("3.2",),
    "objectives": ("Say what one library's Customer Service Charter promises its customers.",),
    "instructions": "Find a library's Customer Service Charter, fill in the form and tick the kinds\n"
                    "of commitment it makes, then press **Submit**.\n",
    "commitment_kinds": ({"id": "response-times", "name": "Response times"},
                         {"id": "accessibility", "name": "Accessibility and inclusion"},
                         {"id": "complaints", "name": "Complaints process"}),
}

_COMMENTS = {
    "seed_section": "Comments",
    "minutes": 5,
    "outcomes": ("3.4",),
    "objectives": ("Give feedback on the session in a sentence or two.",),
    "instructions": "Write a comment and press **Post**. Your trainer can hide a post.\n",
    "discussion": {"prompt": "What is one thing from today you will try at the loans desk this week?"},
}

_SCENARIO = {
    "seed_section": "Difficult customers",
    "minutes": 10,
    "outcomes": ("3.3",),
    "objectives": ("Calm an upset patron by listening before explaining.",),
    "instructions": "Read what the patron says, choose your reply, and see where the conversation goes.\n",
    "start": "at-desk",
    "steps": (
        {"id": "at-desk", "patron": "\"I've waited twenty minutes and I still can't print my boarding pass!\"",
         "mood": "upset",
         "choices": (
             {"id": "acknowledge", "text": "\"Sorry about the wait. Let's get that pass printed right now.\"",
              "next": "printed", "mood_change": "-1", "tags": ("listen", "empathise"),
              "explanation": "You name the problem and act on it, which is what the patron needs most."},
             {"id": "rules", "text": "\"Printing help is only at set times, I'm afraid.\"",
              "next": "walked-out", "mood_change": "+1", "tags": ("explain-policy",),
              "explanation": "A rule without an option leaves the patron stuck, so they walk away."})},
        {"id": "printed", "ending": {"title": "Printed in time",
                                     "summary": "The patron leaves with the pass and thanks you."}},
        {"id": "walked-out", "ending": {"title": "Walked out",
                                        "summary": "The patron leaves upset; a quick fix was missed."}},
    ),
}

_COLOUR_DAYS = {
    "seed_section": "Class Activity 3: Colour exercise",
    "minutes": 10,
    "outcomes": ("3.2",),
    "objectives": ("Notice that one request can bring different pictures to different minds.",),
    "instructions": "Picture the library in each season and pick the first colour that comes to mind,\n"
                    "then press **Submit** and compare with the class.\n",
    "days": ("Summer", "Autumn", "Winter", "Spring"),
    "colours": ({"name": "Red", "hex": "#D62728"}, {"name": "Orange", "hex": "#FF7F0E"},
                {"name": "Yellow", "hex": "#F2D43D"}, {"name": "Green", "hex": "#2CA02C"},
                {"name": "Blue", "hex": "#1F77B4"}, {"name": "Grey", "hex": "#9A9A9A"}),
}

STARTERS: dict[str, dict[str, Any]] = {
    "quiz": _QUIZ, "sorter": _SORTER, "checklist": _CHECKLIST, "legislation": _LEGISLATION,
    "form-evaluation": _FORM_EVALUATION, "charter-gallery": _CHARTER_GALLERY, "comments": _COMMENTS,
    "scenario": _SCENARIO, "colour-days": _COLOUR_DAYS,
}
