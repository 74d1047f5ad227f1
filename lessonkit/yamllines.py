"""YAML with line numbers: every mapping key and list item remembers the line it came from, so a content
error can name the file and the line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import ContentError

__all__ = ["YamlMap", "YamlSeq", "read_yaml", "line_of", "line_at"]


class YamlMap(dict):
    lines: dict[Any, int]
    line: int | None = None


class YamlSeq(list):
    lines: list[int]
    line: int | None = None


class YamlLoader(yaml.SafeLoader):
    """SafeLoader that remembers the line of every mapping key and sequence item."""


def _construct_map(loader: YamlLoader, node: yaml.MappingNode) -> YamlMap:
    loader.flatten_mapping(node)
    out = YamlMap()
    out.lines = {}
    out.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        out[key] = loader.construct_object(value_node, deep=True)
        out.lines[key] = key_node.start_mark.line + 1
    return out


def _construct_seq(loader: YamlLoader, node: yaml.SequenceNode) -> YamlSeq:
    out = YamlSeq(loader.construct_object(child, deep=True) for child in node.value)
    out.lines = [child.start_mark.line + 1 for child in node.value]
    out.line = node.start_mark.line + 1
    return out


YamlLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)
YamlLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_seq)


def read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ContentError(path, "(file)", "an existing YAML file", detail="file not found") from None
    except UnicodeDecodeError as exc:
        raise ContentError(path, "(file)", "UTF-8 text", detail=f"not UTF-8 text ({exc.reason})") from None
    try:
        return yaml.load(text, Loader=YamlLoader)  # noqa: S506 - YamlLoader is a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ContentError(path, "(syntax)", "valid YAML", line=mark.line + 1 if mark else None,
                           detail=f"not valid YAML: {problem}") from None



def line_of(container: Any, *path: Any) -> int | None:
    """Line of a nested key in loaded YAML, e.g. line_of(data, "questions", 2, "answer")."""
    line = getattr(container, "line", None)
    for key in path:
        line = line_at(container, key) or line
        try:
            container = container[key]
        except (KeyError, IndexError, TypeError):
            break
    return line


def line_at(container: Any, key: Any) -> int | None:
    if isinstance(container, YamlMap):
        return container.lines.get(key, container.line)
    if isinstance(container, YamlSeq) and isinstance(key, int) and key < len(container.lines):
        return container.lines[key]
    return getattr(container, "line", None)
