"""JSON Schema for each activity kind, generated from the content models (`lessonkit schema`).

The schema walks the same dataclass fields, type hints and `_meta` rules the loader checks, so it
cannot drift from them. It is a guide for editors (completion, hover text, early red squiggles);
`lessonkit check` stays the final word, since cross-field checks (a right answer among its options,
a reachable ending) live in each kind's `_finish()`.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from pathlib import Path
from typing import Any, Literal

from . import kinds
from .convert import item_rules, public_fields

__all__ = ["SCHEMA_DIR", "describe", "schema", "schema_text", "write_schemas"]

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "docs" / "schema"
DRAFT = "http://json-schema.org/draft-07/schema#"   # the newest draft VS Code's YAML extension supports


def _bare(tp: Any) -> Any:
    """`X | None` -> X."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return next(a for a in typing.get_args(tp) if a is not type(None))
    return tp


def _words(tp: Any, meta: dict, kind: str | None = None) -> list[str]:
    """What a value of this type and these rules must be, in plain words (for comments and hover text)."""
    tp = _bare(tp)
    if kind is not None:
        return [f"always '{kind}' in this file"]
    if tp is str:
        out = [meta["expected"] if "pattern" in meta and "expected" in meta else
               "one of " + ", ".join(meta["choices"]) if "choices" in meta else "text"]
        if "max_len" in meta:
            out.append(f"at most {meta['max_len']} characters")
        return out
    if tp in (int, float):
        out = ["a whole number" if tp is int else "a number"]
        if "min" in meta and "max" in meta:
            out[0] += f" from {meta['min']:,} to {meta['max']:,}"
        return out
    if tp is bool:
        return ["true or false"]
    if typing.get_origin(tp) is Literal:
        return ["one of " + ", ".join(typing.get_args(tp))]
    if typing.get_origin(tp) is tuple:
        item = typing.get_args(tp)[0]
        each = [] if dataclasses.is_dataclass(item) else _words(item, item_rules(meta))
        out = ["a list of mappings" if dataclasses.is_dataclass(item) else
               "a list of texts" if each[0] == "text" else f"a list, each {each[0]}", *each[1:]]
        if len(each) > 1:
            out[1] = f"each {out[1]}"
        low, high = meta.get("min_items"), meta.get("max_items")
        if low and high:
            out.append(f"{low} to {high} items")
        elif low:
            out.append(f"at least {low} item" + ("s" if low > 1 else ""))
        elif high:
            out.append(f"at most {high} items")
        if meta.get("unique"):
            out.append("no repeats")
        if meta.get("unique_by"):
            out.append(f"each {meta['unique_by']} different")
        return out
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return ["a mapping of " + ", ".join(f.name for f in public_fields(tp))]
    raise TypeError(f"lessonkit.schema cannot describe {tp!r}")   # a programming error, not content


def _optional(f: dataclasses.Field) -> bool:
    has_default = f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
    return has_default and not f.metadata.get("required")


def describe(f: dataclasses.Field, tp: Any, kind: str | None = None) -> str:
    """One line explaining a field: its help, what it takes and whether it is required."""
    words = _words(tp, dict(f.metadata), kind)
    return f"{f.metadata.get('help', f.name)} [{', '.join(words)}; {'optional' if _optional(f) else 'required'}]"


def _json_default(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _value_schema(tp: Any, meta: dict, defs: dict[str, dict]) -> dict:
    nullable = _bare(tp) is not tp
    tp = _bare(tp)
    if tp is str:
        # The loader also takes a number where text is expected (`answer: 170`), never true/false.
        out: dict[str, Any] = {"type": ["string", "number"], "minLength": 1}
        if "max_len" in meta:
            out["maxLength"] = meta["max_len"]
        if "pattern" in meta:
            out["pattern"] = f"^(?:{meta['pattern']})$"   # the loader matches the whole text
        if "choices" in meta:
            out = {"enum": list(meta["choices"])}
    elif tp in (int, float):
        out = {"type": "integer" if tp is int else "number"}
        out.update({key: meta[rule] for key, rule in (("minimum", "min"), ("maximum", "max")) if rule in meta})
    elif tp is bool:
        out = {"type": "boolean"}
    elif typing.get_origin(tp) is Literal:
        out = {"enum": list(typing.get_args(tp))}
    elif typing.get_origin(tp) is tuple:
        out = {"type": "array", "items": _value_schema(typing.get_args(tp)[0], item_rules(meta), defs)}
        out.update({key: meta[rule] for key, rule in (("minItems", "min_items"), ("maxItems", "max_items"))
                    if rule in meta})
        if meta.get("unique"):
            out["uniqueItems"] = True
    elif isinstance(tp, type) and dataclasses.is_dataclass(tp):
        if tp.__name__ not in defs:
            defs[tp.__name__] = {}   # claimed first, so a model that contains itself cannot loop
            defs[tp.__name__] = _object_schema(tp, defs)
        out = {"$ref": f"#/definitions/{tp.__name__}"}
    else:
        raise TypeError(f"lessonkit.schema cannot convert {tp!r}")
    if not nullable:
        return out
    if "type" in out:
        return {**out, "type": [*([out["type"]] if isinstance(out["type"], str) else out["type"]), "null"]}
    return {"anyOf": [out, {"type": "null"}]}


def _object_schema(cls: type, defs: dict[str, dict], kind: str | None = None) -> dict:
    hints = typing.get_type_hints(cls)
    properties, required = {}, []
    for f in public_fields(cls):
        meta = dict(f.metadata)
        prop = {"const": kind} if kind is not None and f.name == "kind" else _value_schema(hints[f.name], meta, defs)
        prop["description"] = describe(f, hints[f.name], kind if f.name == "kind" else None)
        if not _optional(f):
            required.append(f.name)
        elif f.default is not dataclasses.MISSING and f.default not in (None, (), ""):   # "": leave it out
            prop["default"] = _json_default(f.default)
        properties[f.name] = prop
    doc = (cls.__doc__ or "").strip().splitlines()
    return {"type": "object", **({"description": doc[0]} if doc else {}), "properties": properties,
            "required": required, "additionalProperties": False}


def schema(kind: str) -> dict:
    """The JSON Schema (draft-07) of one activity kind's YAML file."""
    defs: dict[str, dict] = {}
    body = _object_schema(kinds.model(kind), defs, kind=kind)
    return {"$schema": DRAFT, "title": f"lessonkit activity of kind '{kind}'", **body,
            **({"definitions": dict(sorted(defs.items()))} if defs else {})}


def schema_text(kind: str) -> str:
    """The schema as the committed file holds it."""
    return json.dumps(schema(kind), indent=2, ensure_ascii=False) + "\n"


def write_schemas(out: str | Path | None = None, wanted: list[str] | None = None) -> list[Path]:
    """Write `<kind>.schema.json` for each kind (all by default) into `out` (default: docs/schema); returns
    the files written."""
    out = Path(out) if out is not None else SCHEMA_DIR
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in wanted or kinds.names():
        path = out / f"{kind}.schema.json"
        path.write_text(schema_text(kind), encoding="utf-8")
        written.append(path)
    return written
