"""Export a class's answers to CSV or Excel, on the trainer's machine only.

What a learner typed is never run by a spreadsheet: a CSV cell that would start a formula (=, +, -, @, a tab
or a carriage return first, or after leading spaces and line breaks; also their full-width forms) gets a
single quote in front, and every CSV cell is in double quotes (OWASP's CSV-injection advice); in the Excel
workbook every cell is text, and those cells also carry Excel's own "text" mark (quotePrefix).

Used by the trainer dashboard, `lessonkit export` and `lessonkit reset` (which keeps an export
before it deletes anything). Files go to ``$LESSONKIT_EXPORTS`` or ``exports/`` in the user data
folder, never beside the notebooks (Voila could serve them).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import platformdirs

from .records import TRAINER
from .settings import Settings

if TYPE_CHECKING:
    from .protocols import TrainerStore

__all__ = ["COLUMNS", "Export", "answer_text", "csv_bytes", "xlsx_bytes", "exports_dir", "export_class", "export_file",
           "export_name", "reset_with_copy", "formula_like", "neutralised"]

COLUMNS = ("class_code", "activity", "item", "learner", "display_name", "answer", "updated_at")
FORMATS = ("csv", "xlsx")


def answer_text(answer: Any) -> str:
    """An answer as one cell: text as typed, anything else (numbers, lists, dicts) as JSON."""
    if isinstance(answer, str):
        return answer
    return json.dumps(answer, ensure_ascii=False, separators=(", ", ": "))


# What makes a spreadsheet read a cell as a formula (OWASP: =, +, -, @, tab, carriage return), and the
# full-width forms some spreadsheets take for them.
_FORMULA_START = tuple("=+-@\t\r") + ("\uff1d", "\uff0b", "\uff0d", "\uff20")


def formula_like(text: str) -> bool:
    """True when a spreadsheet could take the cell for a formula: it starts with =, +, -, @, a tab or a
    carriage return (or a full-width =, +, -, @), at once or after spaces and line breaks."""
    return text.startswith(_FORMULA_START) or text.lstrip(" \n\r\t").startswith(_FORMULA_START)


def neutralised(text: str) -> str:
    """A CSV cell as written: a single quote in front of a formula-like cell, so it is read as text."""
    return "'" + text if formula_like(text) else text


def _cells(row: dict[str, Any]) -> list[str]:
    out = []
    for column in COLUMNS:
        value = row[column]
        if column == "answer":
            value = answer_text(value)
        elif isinstance(value, datetime):
            value = value.astimezone(timezone.utc).isoformat(timespec="seconds")
        out.append("" if value is None else str(value))
    return out


def csv_bytes(rows: Iterable[dict[str, Any]]) -> bytes:
    """UTF-8 CSV with a BOM (so Excel reads accents and emoji right); answers as stored, except that a cell a
    spreadsheet could take for a formula starts with a single quote (see neutralised), and every cell is
    in double quotes (a ';' inside a cell cannot split it, whatever separator the spreadsheet uses)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([neutralised(cell) for cell in _cells(row)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# Control characters Excel files cannot hold (tab, newline and carriage return are fine).
_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xlsx_bytes(rows: Iterable[dict[str, Any]], *, title: str = "Answers") -> bytes:
    """An Excel workbook of the same rows; every cell is text, so nothing a learner typed runs as a formula.

    A formula-like cell (see formula_like) also carries Excel's quotePrefix, the mark Excel itself sets when
    someone types '=...: it shows the text as typed and keeps it text when the cell is edited.
    """
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(list(COLUMNS))
    widths = [len(c) for c in COLUMNS]
    for r, row in enumerate(rows, start=2):
        for c, text in enumerate(_cells(row), start=1):
            cell = sheet.cell(row=r, column=c)
            cell.value = _ILLEGAL_XLSX.sub("\ufffd", text)
            cell.data_type = "s"  # never a formula, even for "=..."
            if formula_like(text):
                cell.quotePrefix = True
            widths[c - 1] = min(60, max(widths[c - 1], len(text)))
    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = width + 2
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def exports_dir(settings: Settings | None = None) -> Path:
    """Where exports are kept: settings.exports_dir ($LESSONKIT_EXPORTS), else exports/ in the user data
    folder."""
    configured = settings.exports_dir if settings is not None else None
    if configured:
        return configured
    return Path(platformdirs.user_data_dir("lessonkit", appauthor=False)) / "exports"


def export_name(class_code: str, activity: str | None, fmt: str, *, note: str = "",
                now: datetime | None = None) -> str:
    """e.g. 'K7QX2M-colour-days-20261128-1405-before-reset.csv'."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    parts = [class_code, activity or "all", stamp] + ([note] if note else [])
    return "-".join(parts) + f".{fmt}"


class Export(NamedTuple):
    """A written export: where, learners' current answers (each learner's latest answer to each question)
    and the trainer's own records (e.g. which posts are hidden) in it."""

    path: Path
    answers: int
    trainer_records: int


def export_class(store: TrainerStore, class_code: str, *, activity: str | None = None, fmt: str = "csv",
                 path: str | os.PathLike | None = None, note: str = "",
                 settings: Settings | None = None) -> tuple[Path, int]:
    """Write the class's current answers (or one activity's) to a file; returns (path, rows written)."""
    done = export_file(store, class_code, activity=activity, fmt=fmt, path=path, note=note, settings=settings)
    return done.path, done.answers + done.trainer_records


def export_file(store: TrainerStore, class_code: str, *, activity: str | None = None, fmt: str = "csv",
                path: str | os.PathLike | None = None, note: str = "",
                settings: Settings | None = None) -> Export:
    """Write the class's current answers (or one activity's) to a file (`path`, else one named for it in
    exports_dir(settings)); what it holds (see Export)."""
    if fmt not in FORMATS:
        raise ValueError(f"export format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    rows = store.export_rows(class_code, activity)
    data = csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows)
    target = Path(path) if path is not None else (exports_dir(settings)
                                                          / export_name(class_code, activity, fmt, note=note))
    target.parent.mkdir(parents=True, exist_ok=True)
    # Answers are personal data: readable by the trainer's account only.
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    trainer = sum(1 for row in rows if row["learner"] == TRAINER)
    return Export(target, len(rows) - trainer, trainer)


def reset_with_copy(store: TrainerStore, class_code: str, activity: str, *,
                    settings: Settings | None = None) -> tuple[Path, int]:
    """The trainer's reset: save a CSV copy of the activity's answers, then delete them; (copy, rows)."""
    path, rows = export_class(store, class_code, activity=activity, note="before-reset", settings=settings)
    store.reset(class_code, activity)
    return path, rows
