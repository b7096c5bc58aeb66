"""Read and write the spreadsheet (CSV) files NGO staff edit: one file per table."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from bot.directory.model import (
    MAX_FILE_BYTES,
    TABLES,
    Problem,
    RawTable,
    RawTables,
    Tables,
    columns,
    file_name,
)


def _size_mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


def decode_csv_bytes(label: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """Decode UTF-8 (with or without byte-order mark); explain any other encoding."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        return None, [Problem(label, None, None, "file_not_utf8", {"position": exc.start})]


def _delimiter(header_line: str) -> str:
    # French spreadsheets save "CSV" with semicolons: accept them when the header has no comma.
    if ";" in header_line and "," not in header_line:
        return ";"
    return ","


def parse_csv_text(label: str, table: str, text: str) -> tuple[RawTable | None, list[Problem]]:
    """Parse the CSV text of one table; report header problems and over-long rows."""
    if not text.strip():
        return None, [Problem(label, None, None, "file_empty")]
    if "\x00" in text:
        return None, [
            Problem(
                label,
                None,
                None,
                "file_not_csv",
                {"detail": "it contains NUL bytes (a binary file?)"},
            )
        ]
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=_delimiter(first_line), strict=True
    )
    problems: list[Problem] = []
    known = columns(table)
    try:
        header: list[str] | None = None
        raw = RawTable(file=label)
        # Spreadsheet row numbers: one per record, even when a cell holds several lines.
        for line, cells in enumerate(reader, start=1):
            if header is None:
                if not any(c.strip() for c in cells):
                    continue
                header = [c.strip().lower().replace(" ", "_") for c in cells]
                problems.extend(_header_problems(label, table, header))
                continue
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
                problems.append(
                    Problem(
                        label,
                        line,
                        None,
                        "row_too_long",
                        {"count": len(cells), "expected": len(header)},
                    )
                )
                continue
            values = {
                name: cell for name, cell in zip(header, cells, strict=False) if name in known
            }
            raw.rows.append((line, values))
    except csv.Error as exc:
        return None, [
            Problem(
                label, None, None, "file_not_csv", {"detail": f"near line {reader.line_num}: {exc}"}
            )
        ]
    if header is None:
        return None, [Problem(label, None, None, "file_empty")]
    raw.present_columns = frozenset(h for h in header if h in known)
    return raw, problems


def _header_problems(label: str, table: str, header: list[str]) -> list[Problem]:
    known = columns(table)
    problems: list[Problem] = []
    seen: set[str] = set()
    for name in header:
        if name in seen and name:
            problems.append(Problem(label, 1, name, "column_duplicate", {"column": name}))
        seen.add(name)
        if name and name not in known and not name.startswith("x_"):
            problems.append(
                Problem(
                    label, 1, name, "column_unknown", {"column": name, "expected": ", ".join(known)}
                )
            )
    for f in TABLES[table]:
        if f.required and f.name not in seen:
            problems.append(Problem(label, 1, f.name, "column_missing", {"column": f.name}))
    return problems


def parse_csv_bytes(
    label: str, table: str, data: bytes, max_bytes: int = MAX_FILE_BYTES
) -> tuple[RawTable | None, list[Problem]]:
    """Check size and encoding of one CSV file's bytes, then parse it."""
    if len(data) > max_bytes:
        return None, [
            Problem(
                label,
                None,
                None,
                "file_too_large",
                {"size_mb": _size_mb(len(data)), "limit_mb": _size_mb(max_bytes)},
            )
        ]
    text, problems = decode_csv_bytes(label, data)
    if text is None:
        return None, problems
    return parse_csv_text(label, table, text)


def read_csv_folder(
    folder: Path, max_bytes: int = MAX_FILE_BYTES
) -> tuple[RawTables, list[Problem]]:
    """Read every table's CSV file from folder, collecting all problems, not just the first."""
    tables: RawTables = {}
    problems: list[Problem] = []
    for table in TABLES:
        name = file_name(table)
        path = folder / name
        if not path.is_file():
            problems.append(Problem(name, None, None, "file_missing", {"file": name}))
            continue
        size = path.stat().st_size
        if size > max_bytes:
            problems.append(
                Problem(
                    name,
                    None,
                    None,
                    "file_too_large",
                    {"size_mb": _size_mb(size), "limit_mb": _size_mb(max_bytes)},
                )
            )
            continue
        raw, found = parse_csv_bytes(name, table, path.read_bytes(), max_bytes)
        problems.extend(found)
        if raw is not None:
            tables[table] = raw
    return tables, problems


def tables_to_csv_text(tables: Tables) -> dict[str, str]:
    """Render each table as CSV text with the standard header, rows sorted by id."""
    out: dict[str, str] = {}
    for table in TABLES:
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\r\n")
        cols = columns(table)
        writer.writerow(cols)
        for row in sorted(tables.get(table, []), key=lambda r: r["id"]):
            writer.writerow([row.get(c, "") for c in cols])
        out[file_name(table)] = buffer.getvalue()
    return out


def write_csv_folder(tables: Tables, folder: Path) -> None:
    """Write tables as the CSV files staff edit (UTF-8, comma separated)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in tables_to_csv_text(tables).items():
        (folder / name).write_text(text, encoding="utf-8", newline="")
