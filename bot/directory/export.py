"""Export the directory as an HSDS 3.0 JSON data package, or as the CSV files staff edit."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from bot.directory.csvfiles import write_csv_folder
from bot.directory.datapackage import to_datapackage
from bot.directory.store import read_tables
from bot.directory.taxonomy import Taxonomy, load_taxonomy


def export_directory(db: sqlite3.Connection, out: Path, taxonomy: Taxonomy | None = None) -> int:
    """Write out (.json: data package; else a folder of CSV files); return the service count."""
    tables = read_tables(db)
    if out.suffix.lower() == ".json":
        package = to_datapackage(tables, taxonomy or load_taxonomy())
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(package, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    else:
        write_csv_folder(tables, out)
    return len(tables["services"])
