"""What an import changes: added, removed and changed entries, in plain English for staff."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.directory.messages import render
from bot.directory.model import SENSITIVE_FIELDS, TABLES, Tables


@dataclass(frozen=True)
class TableChanges:
    """Ids added to and removed from one table; for changed ids, each field's (old, new)."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "added": list(self.added),
            "removed": list(self.removed),
            "changed": {
                k: {f: list(v) for f, v in fields.items()} for k, fields in self.changed.items()
            },
        }


Changes = dict[str, TableChanges]


def diff_tables(old: Tables, new: Tables) -> Changes:
    """Compare two directories table by table: added, removed and changed ids and fields."""
    changes: Changes = {}
    for table in TABLES:
        before = {row["id"]: row for row in old.get(table, [])}
        after = {row["id"]: row for row in new.get(table, [])}
        changed: dict[str, dict[str, tuple[str, str]]] = {}
        for key in sorted(before.keys() & after.keys()):
            fields = {
                name: (before[key].get(name, ""), after[key].get(name, ""))
                for name in after[key]
                if before[key].get(name, "") != after[key].get(name, "")
            }
            if fields:
                changed[key] = fields
        added = tuple(sorted(after.keys() - before.keys()))
        removed = tuple(sorted(before.keys() - after.keys()))
        if added or removed or changed:
            changes[table] = TableChanges(added, removed, changed)
    return changes


def changes_as_json(changes: Changes) -> dict[str, Any]:
    """Return changes in the JSON form kept in the audit log."""
    return {table: tc.as_json() for table, tc in changes.items()}


def _ids(keys: tuple[str, ...], max_ids: int) -> list[str]:
    if len(keys) <= max_ids:
        return list(keys)
    return [render("change_many", count=len(keys), first=", ".join(keys[:5]), more=len(keys) - 5)]


def summarise_changes(changes: Changes, max_ids: int = 20) -> list[str]:
    """Describe changes in plain English; changed phones, addresses, links are flagged for review.

    Long lists of added or removed ids are shortened to a count and the first few ids.
    """
    lines: list[str] = []
    for table, tc in changes.items():
        lines += [render("change_added", table=table, id=key) for key in _ids(tc.added, max_ids)]
        lines += [
            render("change_removed", table=table, id=key) for key in _ids(tc.removed, max_ids)
        ]
        for key, fields in tc.changed.items():
            lines.append(render("change_changed", table=table, id=key, fields=", ".join(fields)))
            for name, (old, new) in fields.items():
                if name in SENSITIVE_FIELDS:
                    lines.append(render("change_sensitive", field=name, old=old, new=new))
    return lines
