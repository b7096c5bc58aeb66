"""A directory file uploaded by NGO staff, read in memory: nothing is written to disk or run.

The file is the HSDS data package `.json` made by `python -m bot directory export`, or a
`.zip` of the CSV files (read wherever they sit in the archive, never unpacked beyond the
size limit). `read_directory_file` returns validated tables plus every problem found;
`FileRefused` names the staff message for a file that cannot be read at all.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
import zlib
from typing import Any

from bot.directory.changes import Changes
from bot.directory.csvfiles import parse_csv_bytes
from bot.directory.datapackage import parse_datapackage_bytes, raw_from_datapackage
from bot.directory.model import (
    MAX_FILE_BYTES,
    SENSITIVE_FIELDS,
    TABLES,
    DirectoryError,
    Problem,
    RawTables,
    Tables,
    file_name,
)
from bot.directory.taxonomy import load_taxonomy
from bot.directory.validate import validate_tables

MAX_ZIP_MEMBERS = 50
FILE_TYPES = (".json", ".zip")


class FileRefused(Exception):
    """The file cannot be read at all: the staff message to show instead of problems."""

    def __init__(self, name: str, **args: Any) -> None:
        super().__init__(name)
        self.name, self.args_ = name, args


def directory_file_kind(name: str | None) -> str | None:
    """".json" or ".zip" when a file's name says it is a directory file, else None."""
    lowered = (name or "").lower()
    return next((kind for kind in FILE_TYPES if lowered.endswith(kind)), None)


def read_directory_file(
    name: str, data: bytes, today: dt.date, max_bytes: int = MAX_FILE_BYTES
) -> tuple[Tables, list[Problem]]:
    """Validate an uploaded data package or ZIP of CSV files into tables, or list every problem."""
    if directory_file_kind(name) == ".zip":
        raw, problems = _raw_from_zip(data, max_bytes)
    else:
        package, problems = parse_datapackage_bytes(name, data)
        raw = {}
        if not problems:
            try:
                raw, problems = raw_from_datapackage(package, name, _no_paths)
            except DirectoryError as error:
                raw, problems = {}, error.problems
    tables, found = validate_tables(raw, load_taxonomy(), today)
    return tables, problems + found


def _no_paths(path: str) -> bytes:
    """A data package sent alone carries its data inline; a resource path cannot be followed."""
    raise DirectoryError([Problem(path, None, None, "file_missing", {"file": path})])


def _raw_from_zip(data: bytes, max_bytes: int) -> tuple[RawTables, list[Problem]]:
    """Read the table CSV files out of a ZIP, wherever they sit in it; ignore the rest."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise FileRefused("staff_zip_unreadable") from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise FileRefused("staff_zip_too_many", count=MAX_ZIP_MEMBERS)
    wanted = {file_name(table): table for table in TABLES}
    found: dict[str, zipfile.ZipInfo] = {}
    for member in members:
        base = member.filename.replace("\\", "/").rsplit("/", 1)[-1].lower()
        if base in wanted and not member.filename.startswith("__MACOSX/"):
            if base in found:
                raise FileRefused("staff_zip_duplicate", file=base)
            found[base] = member
    raw: RawTables = {}
    problems: list[Problem] = []
    for name, table in wanted.items():
        member = found.get(name)
        if member is None:
            problems.append(Problem(name, None, None, "file_missing", {"file": name}))
            continue
        if member.flag_bits & 0x1:  # encrypted
            raise FileRefused("staff_zip_unreadable")
        try:
            with archive.open(member) as stream:
                content = stream.read(max_bytes + 1)  # never unpack more than the limit
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError, zlib.error):
            raise FileRefused("staff_zip_unreadable") from None
        parsed, found_problems = parse_csv_bytes(name, table, content, max_bytes)
        problems += found_problems
        if parsed is not None:
            raw[table] = parsed
    return raw, problems


def needs_review(changes: Changes) -> bool:
    """Whether a change could send a person somewhere else: a phone, address, link or status."""
    for table, table_changes in changes.items():
        if table in ("phones", "locations") and table_changes.added:
            return True
        if any(SENSITIVE_FIELDS & fields.keys() for fields in table_changes.changed.values()):
            return True
    return False
