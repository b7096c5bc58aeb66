"""What the front end keeps about a user: their language, and when they last wrote.

Keyed by the pseudonymous user key only; deleted on /forget and `retention_hours`
after the last message. SQLite: a file for a real deployment, memory for the terminal.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS prefs (
    user_key TEXT PRIMARY KEY,
    chosen_language TEXT,
    guessed_language TEXT,
    fallback_noted INTEGER NOT NULL DEFAULT 0,
    awaiting TEXT,
    last_seen REAL NOT NULL
)
"""


@dataclass
class Prefs:
    """One user's preferences."""

    chosen_language: str | None = None
    guessed_language: str | None = None
    fallback_noted: bool = False
    awaiting: str | None = None  # "place" or "offer": what the last answer asked the user for


class PrefsStore:
    """Per-user preferences with retention."""

    def __init__(
        self,
        path: Path | str = ":memory:",
        retention_hours: float = 24.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Open (and create) the store."""
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self.db.execute(_SCHEMA)
        self.retention_seconds = retention_hours * 3600.0
        self.clock = clock

    def get(self, user_key: str) -> Prefs:
        """The user's preferences (empty ones if none, or if they expired)."""
        row = self.db.execute(
            "SELECT chosen_language, guessed_language, fallback_noted, awaiting, last_seen"
            " FROM prefs WHERE user_key = ?",
            (user_key,),
        ).fetchone()
        if row is None or self.clock() - row[4] > self.retention_seconds:
            return Prefs()
        return Prefs(row[0], row[1], bool(row[2]), row[3])

    def put(self, user_key: str, prefs: Prefs) -> None:
        """Save the user's preferences and mark them as seen now."""
        self.db.execute(
            "INSERT INTO prefs VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(user_key) DO UPDATE SET"
            " chosen_language = excluded.chosen_language,"
            " guessed_language = excluded.guessed_language,"
            " fallback_noted = excluded.fallback_noted, awaiting = excluded.awaiting,"
            " last_seen = excluded.last_seen",
            (user_key, prefs.chosen_language, prefs.guessed_language,
             int(prefs.fallback_noted), prefs.awaiting, self.clock()),
        )

    def forget(self, user_key: str) -> None:
        """Delete everything about one user."""
        self.db.execute("DELETE FROM prefs WHERE user_key = ?", (user_key,))

    def purge_expired(self) -> int:
        """Delete users idle longer than the retention; return how many."""
        cursor = self.db.execute(
            "DELETE FROM prefs WHERE last_seen < ?", (self.clock() - self.retention_seconds,)
        )
        return cursor.rowcount

    def holds(self, user_key: str) -> bool:
        """Tell whether anything is stored for this user (used by tests and /forget)."""
        return (
            self.db.execute("SELECT 1 FROM prefs WHERE user_key = ?", (user_key,)).fetchone()
            is not None
        )

    def close(self) -> None:
        """Close the database."""
        self.db.close()
