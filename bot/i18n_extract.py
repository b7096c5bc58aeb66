"""A Babel extractor for content files in `data/`: pulls out the fields people read.

Registered in `babel.cfg`; each section names the YAML keys whose string values (or
lists of strings) are user-facing English text, e.g.

    [content: data/content/helplines.yml]
    keys = name hours

The YAML path of each string is given to translators as a comment.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import yaml


def extract_content(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, str]
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Yield (line, funcname, message, comments) for every translatable field."""
    keys = set((options.get("keys") or "").split())
    root = yaml.compose(fileobj.read().decode("utf-8"), Loader=yaml.SafeLoader)
    if root is not None:
        yield from _walk(root, keys, "")


def _walk(node: yaml.Node, keys: set[str], path: str) -> Iterator[tuple[int, None, str, list[str]]]:
    if isinstance(node, yaml.MappingNode):
        ident = _identity(node)
        for key_node, value in node.value:
            key = str(key_node.value)
            here = f"{path}/{ident or ''}{'.' if ident else ''}{key}" if path or ident else key
            if key in keys:
                yield from _strings(value, here)
            else:
                yield from _walk(value, keys, here)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _walk(item, keys, path)


def _strings(node: yaml.Node, path: str) -> Iterator[tuple[int, None, str, list[str]]]:
    if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":str") and node.value.strip():
        yield node.start_mark.line + 1, None, node.value, [path]
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _strings(item, path)


def _identity(node: yaml.MappingNode) -> str | None:
    for key_node, value in node.value:
        if key_node.value in ("id", "code") and isinstance(value, yaml.ScalarNode):
            return str(value.value)
    return None


def extract_csv_columns(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, str]
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Yield the cells of the named columns of a CSV file (e.g. a help centre's service name).

    Registered in `babel.cfg` as, for example:

        [content_csv: data/directory/services.csv]
        columns = name alert
    """
    import csv
    import io

    columns = (options.get("columns") or "").split()
    reader = csv.DictReader(io.StringIO(fileobj.read().decode("utf-8-sig")))
    for line, row in enumerate(reader, start=2):
        for column in columns:
            value = (row.get(column) or "").strip()
            if value:
                yield line, None, value, [f"{row.get('id', '')}.{column}"]
