"""Quick exit: delete the recent messages of a chat, the user's and the bot's.

A bot can delete the messages of a private chat younger than 48 hours, but Telegram
does not tell it which ones exist: the front end keeps the ids (numbers only, no
text) and send times of the chat's recent messages, keyed by the pseudonymous user
key. They are pruned after 48 hours, and with everything else `retention_hours`
after the user's last message; deleted on /forget and once used by /exit.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from telegram import Bot
from telegram.error import TelegramError

log = logging.getLogger(__name__)

DELETABLE_SECONDS = 48 * 3600.0  # how long Telegram lets a bot delete a message
_SAFETY_MARGIN_SECONDS = 300.0  # do not ask for messages about to become undeletable
DELETE_BATCH = 100  # deleteMessages takes 1 to 100 ids

_SCHEMA = """
CREATE TABLE IF NOT EXISTS telegram_messages (
    user_key TEXT NOT NULL,
    message_id INTEGER NOT NULL,
    sent_at REAL NOT NULL,
    PRIMARY KEY (user_key, message_id)
)
"""


class MessageLog:
    """The ids and send times of each chat's recent messages, by pseudonymous user key."""

    def __init__(self, path: Path | str = ":memory:", retention_hours: float = 24.0,
                 clock: Callable[[], float] = time.time) -> None:
        """Open (and create) the table in the front end's SQLite state file."""
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        if str(path) != ":memory:":
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute(_SCHEMA)
        self.retention_seconds = retention_hours * 3600.0
        self.clock = clock

    def record(self, user_key: str, message_ids: Iterable[tuple[int, float]]) -> None:
        """Remember messages of this user's chat: (message id, sent at, Unix time)."""
        rows = [(user_key, int(mid), float(sent_at)) for mid, sent_at in message_ids]
        if rows:
            self.db.executemany("INSERT OR REPLACE INTO telegram_messages VALUES (?, ?, ?)", rows)

    def deletable(self, user_key: str) -> list[int]:
        """The ids of this user's chat that Telegram still lets a bot delete, oldest first."""
        since = self.clock() - DELETABLE_SECONDS + _SAFETY_MARGIN_SECONDS
        rows = self.db.execute(
            "SELECT message_id FROM telegram_messages WHERE user_key = ? AND sent_at > ?"
            " ORDER BY message_id",
            (user_key, since),
        ).fetchall()
        return [row[0] for row in rows]

    def drop(self, user_key: str, message_ids: Sequence[int]) -> None:
        """Forget these messages (they were deleted)."""
        self.db.executemany(
            "DELETE FROM telegram_messages WHERE user_key = ? AND message_id = ?",
            [(user_key, mid) for mid in message_ids],
        )

    def forget(self, user_key: str) -> None:
        """Forget everything about this user's chat."""
        self.db.execute("DELETE FROM telegram_messages WHERE user_key = ?", (user_key,))

    def purge_expired(self) -> int:
        """Drop messages too old to delete, and every chat idle longer than the retention."""
        now = self.clock()
        old = self.db.execute("DELETE FROM telegram_messages WHERE sent_at < ?",
                              (now - DELETABLE_SECONDS,)).rowcount
        idle = self.db.execute(
            "DELETE FROM telegram_messages WHERE user_key IN (SELECT user_key FROM"
            " telegram_messages GROUP BY user_key HAVING MAX(sent_at) < ?)",
            (now - self.retention_seconds,),
        ).rowcount
        return old + idle

    def holds(self, user_key: str) -> bool:
        """Tell whether anything is kept for this user."""
        return self.db.execute("SELECT 1 FROM telegram_messages WHERE user_key = ?",
                               (user_key,)).fetchone() is not None

    def close(self) -> None:
        """Close the database."""
        self.db.close()


async def delete_recent(bot: Bot, chat_id: int, message_ids: Sequence[int]) -> int:
    """Delete these messages of a chat, 100 per call; return how many calls failed."""
    failures = 0
    for start in range(0, len(message_ids), DELETE_BATCH):
        batch = list(message_ids[start:start + DELETE_BATCH])
        try:
            await bot.delete_messages(chat_id, batch)
        except TelegramError as error:
            log.warning("deleteMessages failed (%s): deleting one by one", type(error).__name__)
            failures += await _delete_one_by_one(bot, chat_id, batch)
    return failures


async def _delete_one_by_one(bot: Bot, chat_id: int, message_ids: Sequence[int]) -> int:
    failures = 0
    for message_id in message_ids:
        try:
            await bot.delete_message(chat_id, message_id)
        except TelegramError:
            failures += 1  # already deleted by the user, or too old: nothing more to do
    return 1 if failures else 0
