"""Export a class's answers to CSV (exactly as stored) or Excel, on the trainer's machine only.

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
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

import platformdirs

__all__ = ["COLUMNS", "answer_text", "csv_bytes", "xlsx_bytes", "exports_dir", "export_class", "export_name",
           "reset_with_copy"]

COLUMNS = ("class_code", "activity", "item", "learner", "display_name", "answer", "updated_at")
FORMATS = ("csv", "xlsx")


def answer_text(answer: Any) -> str:
    """An answer as one cell: text as typed, anything else (numbers, lists, dicts) as JSON."""
    if isinstance(answer, str):
        return answer
    return json.dumps(answer, ensure_ascii=False, separators=(", ", ": "))


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
    """UTF-8 CSV with a BOM (so Excel reads accents and emoji right); answers exactly as stored.

    A spreadsheet may treat a cell that starts with '=' as a formula: open the .xlsx export in
    Excel instead, where every cell is plain text.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(_cells(row))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# Control characters Excel files cannot hold (tab, newline and carriage return are fine).
_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xlsx_bytes(rows: Iterable[dict[str, Any]], *, title: str = "Answers") -> bytes:
    """An Excel workbook of the same rows; every cell is text, so nothing a learner typed runs as a formula."""
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
            widths[c - 1] = min(60, max(widths[c - 1], len(text)))
    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = width + 2
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def exports_dir() -> Path:
    """Where exports are kept: $LESSONKIT_EXPORTS, else exports/ in the user data folder."""
    configured = os.environ.get("LESSONKIT_EXPORTS")
    if configured:
        return Path(configured).expanduser()
    return Path(platformdirs.user_data_dir("lessonkit", appauthor=False)) / "exports"


def export_name(class_code: str, activity: str | None, fmt: str, *, note: str = "",
                now: datetime | None = None) -> str:
    """e.g. 'K7QX2M-colour-days-20261128-1405-before-reset.csv'."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    parts = [class_code, activity or "all", stamp] + ([note] if note else [])
    return "-".join(parts) + f".{fmt}"


def export_class(store, class_code: str, *, activity: str | None = None, fmt: str = "csv",
                 path: str | os.PathLike | None = None, note: str = "") -> tuple[Path, int]:
    """Write the class's current answers (or one activity's) to a file; returns (path, rows written)."""
    if fmt not in FORMATS:
        raise ValueError(f"export format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    rows = store.export_rows(class_code, activity)
    data = csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows)
    target = Path(path) if path is not None else exports_dir() / export_name(class_code, activity, fmt, note=note)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Answers are personal data: readable by the trainer's account only.
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return target, len(rows)


def reset_with_copy(store, class_code: str, activity: str) -> tuple[Path, int]:
    """The trainer's reset: save a CSV copy of the activity's answers, then delete them; (copy, rows)."""
    path, rows = export_class(store, class_code, activity=activity, note="before-reset")
    store.reset(class_code, activity)
    return path, rows
