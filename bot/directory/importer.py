"""Import a directory source all-or-nothing, with a change summary and an audit entry."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

import requests

from bot.directory.changes import Changes, changes_as_json, diff_tables
from bot.directory.fields import formula_issue
from bot.directory.messages import render
from bot.directory.model import MAX_FILE_BYTES, DirectoryError, Problem, Tables
from bot.directory.sources import load_source
from bot.directory.store import read_tables, record_audit, set_validators, transaction, write_tables
from bot.directory.taxonomy import Taxonomy, load_taxonomy
from bot.directory.validate import validate_tables


@dataclass(frozen=True)
class ImportResult:
    """What an import changed (or would change, for a dry run) and its audit entry when applied."""

    changes: Changes
    applied: bool
    audit_id: int | None = None


@dataclass
class ImportOutcome:
    """The whole story of one import command: problems, or the changes made, or 'not modified'."""

    source: str
    problems: list[Problem]
    result: ImportResult | None = None
    not_modified: bool = False


def check_name(name: str) -> Problem | None:
    """Check a staff member's name given with --by before it enters the audit log or the data."""
    reason = None
    if not name.strip():
        reason = render("name_empty")
    elif len(name) > 100:
        reason = render("name_too_long")
    elif formula_issue(name, "text") or any(ord(c) < 32 for c in name):
        reason = render("name_unsafe")
    if reason is None:
        return None
    return Problem("--by", None, None, "bad_name", {"value": name, "reason": reason})


def utc_now() -> str:
    """Return the current UTC time for the audit log."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def apply_import(
    conn: sqlite3.Connection,
    tables: Tables,
    *,
    by: str,
    source: str,
    dry_run: bool = False,
    now: str | None = None,
    validators: list[tuple[str, str | None, str | None]] | None = None,
) -> ImportResult:
    """Replace the directory with validated tables in one audited transaction (dry_run: compare)."""
    problem = check_name(by)
    if problem:
        raise DirectoryError([problem])
    at = now or utc_now()
    with transaction(conn):
        changes = diff_tables(read_tables(conn), tables)
        if dry_run:
            conn.execute("SELECT 1")  # nothing written: the transaction ends without changes
            return ImportResult(changes, applied=False)
        audit_id = None
        if changes:
            write_tables(conn, tables)
            audit_id = record_audit(
                conn,
                at=at,
                by=by,
                action="import",
                source=source,
                changes=json.dumps(changes_as_json(changes), ensure_ascii=False),
            )
        for url, etag, last_modified in validators or []:
            set_validators(conn, url, etag, last_modified, at)
        return ImportResult(changes, applied=bool(changes), audit_id=audit_id)


def validate_source(
    source: str, *, taxonomy: Taxonomy | None = None, today: date | None = None, **load_options: Any
) -> tuple[Tables, list[Problem]]:
    """Load and validate a source without touching any database."""
    loaded = load_source(source, **load_options)
    tables, problems = validate_tables(
        loaded.raw, taxonomy or load_taxonomy(), today or date.today()
    )
    return tables, loaded.problems + problems


def import_directory(
    conn: sqlite3.Connection,
    source: str,
    *,
    by: str,
    dry_run: bool = False,
    today: date | None = None,
    taxonomy: Taxonomy | None = None,
    force: bool = False,
    timeout: float = 10.0,
    max_bytes: int = MAX_FILE_BYTES,
    session: requests.Session | None = None,
    now: str | None = None,
) -> ImportOutcome:
    """Load, validate and (unless dry_run) apply source; on any problem nothing is changed."""
    problem = check_name(by)
    if problem:
        return ImportOutcome(source, [problem])
    loaded = load_source(
        source, conn=conn, force=force, timeout=timeout, max_bytes=max_bytes, session=session
    )
    if loaded.not_modified:
        return ImportOutcome(source, [], not_modified=True)
    # Validate whatever could be read, so that every problem is reported at once.
    tables, problems = validate_tables(
        loaded.raw, taxonomy or load_taxonomy(), today or date.today()
    )
    problems = loaded.problems + problems
    if problems:
        return ImportOutcome(source, problems)
    result = apply_import(
        conn, tables, by=by, source=source, dry_run=dry_run, now=now, validators=loaded.validators
    )
    return ImportOutcome(source, [], result)
