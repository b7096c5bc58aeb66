"""Read a directory source: a folder of CSV files, a data package file, or either by URL."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests

from bot.directory.csvfiles import parse_csv_bytes, read_csv_folder
from bot.directory.datapackage import parse_datapackage_bytes, raw_from_datapackage
from bot.directory.fetch import Download, download
from bot.directory.model import (
    MAX_FILE_BYTES,
    TABLES,
    DirectoryError,
    Problem,
    RawTables,
    file_name,
)
from bot.directory.store import get_validators


@dataclass
class Loaded:
    """A source read into raw tables, with download validators to keep after a good import."""

    raw: RawTables
    problems: list[Problem]
    validators: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    not_modified: bool = False


def is_url(source: str) -> bool:
    """Tell whether source is a web address rather than a local path."""
    return urlsplit(source).scheme in ("http", "https")


def _local_reader(folder: Path, max_bytes: int) -> Any:
    def read(path: str) -> bytes:
        if not path or "/" in path or "\\" in path or path.startswith(".") or ":" in path:
            raise DirectoryError(
                [Problem(path, None, None, "resource_path_unsafe", {"path": path})]
            )
        target = folder / path
        if not target.is_file():
            raise DirectoryError([Problem(path, None, None, "file_missing", {"file": path})])
        if target.stat().st_size > max_bytes:
            raise DirectoryError(
                [
                    Problem(
                        path,
                        None,
                        None,
                        "file_too_large",
                        {
                            "size_mb": f"{target.stat().st_size / 1048576:.1f}",
                            "limit_mb": f"{max_bytes / 1048576:.1f}",
                        },
                    )
                ]
            )
        return target.read_bytes()

    return read


def _load_local(source: str, max_bytes: int) -> Loaded:
    path = Path(source)
    if path.is_dir():
        raw, problems = read_csv_folder(path, max_bytes)
        return Loaded(raw, problems)
    if path.is_file() and path.suffix.lower() == ".json":
        if path.stat().st_size > max_bytes:
            return Loaded(
                {},
                [
                    Problem(
                        path.name,
                        None,
                        None,
                        "file_too_large",
                        {
                            "size_mb": f"{path.stat().st_size / 1048576:.1f}",
                            "limit_mb": f"{max_bytes / 1048576:.1f}",
                        },
                    )
                ],
            )
        package, problems = parse_datapackage_bytes(path.name, path.read_bytes())
        if problems:
            return Loaded({}, problems)
        raw, problems = raw_from_datapackage(
            package, path.name, _local_reader(path.parent, max_bytes)
        )
        return Loaded(raw, problems)
    return Loaded({}, [Problem(source, None, None, "source_unknown", {"source": source})])


def _load_url(
    source: str,
    conn: sqlite3.Connection | None,
    force: bool,
    timeout: float,
    max_bytes: int,
    session: requests.Session | None,
) -> Loaded:
    def get(url: str, conditional: bool) -> Download:
        etag, modified = (
            get_validators(conn, url)
            if conn is not None and conditional and not force
            else (None, None)
        )
        return download(
            url,
            etag=etag,
            last_modified=modified,
            timeout=timeout,
            max_bytes=max_bytes,
            session=session,
        )

    if source.endswith("/"):
        urls = {table: urljoin(source, file_name(table)) for table in TABLES}
        first = {table: get(url, True) for table, url in urls.items()}
        if all(d.not_modified for d in first.values()):
            return Loaded({}, [], not_modified=True)
        final = {t: (d if not d.not_modified else get(urls[t], False)) for t, d in first.items()}
        raw: RawTables = {}
        problems: list[Problem] = []
        for table, d in final.items():
            parsed, found = parse_csv_bytes(file_name(table), table, d.body or b"", max_bytes)
            problems += found
            if parsed is not None:
                raw[table] = parsed
        return Loaded(raw, problems, [(d.url, d.etag, d.last_modified) for d in final.values()])

    top = get(source, True)
    if top.not_modified:
        return Loaded({}, [], not_modified=True)
    package, problems = parse_datapackage_bytes(source, top.body or b"")
    if problems:
        return Loaded({}, problems)
    origin = urlsplit(source)[:2]

    def read_path(path: str) -> bytes:
        url = urljoin(source, path)
        if urlsplit(url)[:2] != origin:
            raise DirectoryError([Problem(source, None, None, "fetch_other_host", {"url": url})])
        return download(url, timeout=timeout, max_bytes=max_bytes, session=session).body or b""

    raw, problems = raw_from_datapackage(package, source, read_path)
    return Loaded(raw, problems, [(source, top.etag, top.last_modified)])


def load_source(
    source: str,
    *,
    conn: sqlite3.Connection | None = None,
    force: bool = False,
    timeout: float = 10.0,
    max_bytes: int = MAX_FILE_BYTES,
    session: requests.Session | None = None,
) -> Loaded:
    """Read a folder of CSV files, a datapackage .json file, or a URL of either, into raw tables."""
    try:
        if is_url(source):
            return _load_url(source, conn, force, timeout, max_bytes, session)
        return _load_local(source, max_bytes)
    except DirectoryError as exc:
        return Loaded({}, exc.problems)
