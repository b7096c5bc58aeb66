"""The SQLite database: directory tables, search index, audit log and download validators."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.directory.model import TABLES, Tables, columns, split_list
from bot.directory.taxonomy import REPO_ROOT

SCHEMA_VERSION = "1"
LOG_TABLES = ("audit", "fetch_cache")


def default_db_path() -> Path:
    """Return $DIRECTORY_DB, or var/directory.db under the repository root."""
    override = os.environ.get("DIRECTORY_DB")
    return Path(override) if override else REPO_ROOT / "var" / "directory.db"


def _schema_sql() -> list[str]:
    sql = []
    for table in TABLES:
        cols = ", ".join(f"\"{c}\" TEXT NOT NULL DEFAULT ''" for c in columns(table))
        sql.append(
            f'CREATE TABLE IF NOT EXISTS "{table}" ({cols}, PRIMARY KEY ("id")) WITHOUT ROWID'
        )
    sql += [
        "CREATE INDEX IF NOT EXISTS sal_service ON service_at_locations (service_id)",
        "CREATE INDEX IF NOT EXISTS phones_service ON phones (service_id)",
        "CREATE INDEX IF NOT EXISTS phones_location ON phones (location_id)",
        "CREATE INDEX IF NOT EXISTS phones_org ON phones (organization_id)",
        "CREATE INDEX IF NOT EXISTS schedules_service ON schedules (service_id)",
        "CREATE INDEX IF NOT EXISTS schedules_location ON schedules (location_id)",
        "CREATE INDEX IF NOT EXISTS schedules_sal ON schedules (service_at_location_id)",
        "CREATE TABLE IF NOT EXISTS search_points (pid INTEGER PRIMARY KEY, service_id TEXT NOT "
        "NULL, "
        "location_id TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL, status TEXT NOT NULL, "
        "assured_date TEXT NOT NULL, types TEXT NOT NULL, langs TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS search_points_service ON search_points (service_id)",
        "CREATE VIRTUAL TABLE IF NOT EXISTS search_rtree USING rtree(pid, min_lat, max_lat, "
        "min_lon, max_lon)",
        "CREATE TABLE IF NOT EXISTS remote_services (service_id TEXT NOT NULL, location_id TEXT "
        "NOT NULL, "
        "country TEXT NOT NULL, status TEXT NOT NULL, assured_date TEXT NOT NULL, types TEXT NOT "
        "NULL, "
        "langs TEXT NOT NULL, PRIMARY KEY (service_id, location_id)) WITHOUT ROWID",
        "CREATE TABLE IF NOT EXISTS audit (id INTEGER PRIMARY KEY, at TEXT NOT NULL, by TEXT NOT "
        "NULL, "
        "action TEXT NOT NULL, source TEXT NOT NULL, changes TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS fetch_cache (url TEXT PRIMARY KEY, etag TEXT, last_modified "
        "TEXT, "
        "updated_at TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ]
    return sql


def connect(path: Path | str | None = None, *, readonly: bool = False) -> sqlite3.Connection:
    """Open the directory database (creating it and its schema unless readonly)."""
    db_path = Path(path) if path is not None else default_db_path()
    if readonly:
        conn = sqlite3.connect(
            f"{db_path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None
        )
    else:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(db_path), isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA busy_timeout = 5000")  # the bot reads while staff import: wait, don't fail
    if not readonly:
        ensure_schema(conn)
    return conn


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Create any missing tables; a no-op on an up-to-date database."""
    row = None
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.OperationalError:
        pass
    if row is not None and row[0] == SCHEMA_VERSION:
        return
    with transaction(conn):
        for statement in _schema_sql():
            conn.execute(statement)
        conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
            (SCHEMA_VERSION,),
        )


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Run a block in one write transaction: committed whole, or rolled back whole on any error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def read_tables(conn: sqlite3.Connection) -> Tables:
    """Return every directory table's rows, sorted by id."""
    tables: Tables = {}
    for table in TABLES:
        cols = columns(table)
        names = ", ".join(f'"{c}"' for c in cols)
        rows = conn.execute(f'SELECT {names} FROM "{table}" ORDER BY "id"').fetchall()  # noqa: S608 - names from TABLES, values bound
        tables[table] = [dict(zip(cols, row, strict=False)) for row in rows]
    return tables


def write_tables(conn: sqlite3.Connection, tables: Tables) -> None:
    """Replace all directory rows and rebuild the search index (call inside a transaction)."""
    for table in reversed(list(TABLES)):
        conn.execute(f'DELETE FROM "{table}"')  # noqa: S608 - names from TABLES, values bound
    for table in TABLES:
        cols = columns(table)
        names = ", ".join(f'"{c}"' for c in cols)
        marks = ", ".join("?" for _ in cols)
        conn.executemany(
            f'INSERT INTO "{table}" ({names}) VALUES ({marks})',  # noqa: S608 - names from TABLES, values bound
            ([row.get(c, "") for c in cols] for row in tables.get(table, [])),
        )
    rebuild_search(conn)


def _bars(items: list[str]) -> str:
    return "|" + "|".join(items) + "|" if items else "|"


def rebuild_search(conn: sqlite3.Connection) -> None:
    """Rebuild the spatial index of open services at places, and the list of remote services."""
    conn.execute("DELETE FROM search_points")
    conn.execute("DELETE FROM search_rtree")
    conn.execute("DELETE FROM remote_services")
    phone_langs: dict[str, list[str]] = {}
    for service_id, langs in conn.execute(
        "SELECT service_id, languages FROM phones WHERE service_id != ''"
    ):
        phone_langs.setdefault(service_id, []).extend(split_list(langs))
    rows = conn.execute(
        "SELECT s.id, l.id, l.latitude, l.longitude, s.status, s.assured_date, s.service_types, "
        "s.languages, l.country FROM service_at_locations sal "
        "JOIN services s ON s.id = sal.service_id JOIN locations l ON l.id = sal.location_id "
        "WHERE s.status != 'closed' ORDER BY sal.id"
    ).fetchall()
    points = []
    remote = []
    for sid, lid, lat, lon, status, assured, types, langs, country in rows:
        all_langs = list(dict.fromkeys(split_list(langs) + phone_langs.get(sid, [])))
        if lat and lon:
            points.append(
                (
                    sid,
                    lid,
                    float(lat),
                    float(lon),
                    status,
                    assured,
                    _bars(split_list(types)),
                    _bars(all_langs),
                )
            )
        else:  # helplines (virtual) and confidential places without coordinates: found by country
            remote.append(
                (sid, lid, country, status, assured, _bars(split_list(types)), _bars(all_langs))
            )
    conn.executemany(
        "INSERT INTO search_points (service_id, location_id, lat, lon, status, assured_date, "
        "types, langs) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        points,
    )
    conn.execute("INSERT INTO search_rtree SELECT pid, lat, lat, lon, lon FROM search_points")
    conn.executemany("INSERT OR IGNORE INTO remote_services VALUES (?, ?, ?, ?, ?, ?, ?)", remote)


def content_hash(conn: sqlite3.Connection, *, include_log: bool = True) -> str:
    """Hash the directory's content (and, unless told otherwise, audit log and validators)."""
    digest = hashlib.sha256()
    for table, rows in read_tables(conn).items():
        digest.update(json.dumps([table, rows], sort_keys=True, ensure_ascii=False).encode())
    if include_log:
        for table in LOG_TABLES:
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1"):  # noqa: S608 - name from LOG_TABLES
                digest.update(json.dumps([table, list(row)], ensure_ascii=False).encode())
    return digest.hexdigest()


def record_audit(
    conn: sqlite3.Connection, *, at: str, by: str, action: str, source: str, changes: str
) -> int:
    """Append one entry to the audit log; return its id."""
    cursor = conn.execute(
        "INSERT INTO audit (at, by, action, source, changes) VALUES (?, ?, ?, ?, ?)",
        (at, by, action, source, changes),
    )
    return int(cursor.lastrowid or 0)


def audit_log(conn: sqlite3.Connection) -> list[dict[str, object]]:
    """Return the audit log, oldest first, with changes decoded."""
    return [
        {
            "id": r["id"],
            "at": r["at"],
            "by": r["by"],
            "action": r["action"],
            "source": r["source"],
            "changes": json.loads(r["changes"]),
        }
        for r in conn.execute("SELECT * FROM audit ORDER BY id")
    ]


def get_validators(conn: sqlite3.Connection, url: str) -> tuple[str | None, str | None]:
    """Return the ETag and Last-Modified remembered for url."""
    row = conn.execute(
        "SELECT etag, last_modified FROM fetch_cache WHERE url = ?", (url,)
    ).fetchone()
    return (row[0], row[1]) if row else (None, None)


def set_validators(
    conn: sqlite3.Connection, url: str, etag: str | None, last_modified: str | None, at: str
) -> None:
    """Remember the ETag and Last-Modified of url (call inside the import's transaction)."""
    conn.execute(
        "INSERT OR REPLACE INTO fetch_cache (url, etag, last_modified, updated_at) VALUES (?, ?, "
        "?, ?)",
        (url, etag, last_modified, at),
    )
