"""NGO staff on Telegram: update the help-centre directory from a file, re-confirm stale entries.

Staff are the Telegram users listed in STAFF_TELEGRAM_IDS. In a private chat they can:

- send the directory file (the HSDS data package .json made by `python -m bot directory
  export`, or a .zip of the CSV files, at most 10 MB): it is validated, the changes are
  summarised (phone and address changes flagged "check before publishing"), and applied,
  all or nothing, only when they tap Confirm within 30 minutes;
- re-confirm an entry in two taps ("Still correct ✓", then "Yes, verified today"), from the
  daily reminder of entries about to be shown as out of date, or from /stale.

Everyone else who sends a file gets a polite refusal; the file is never downloaded.
Raw Telegram ids stay in the configuration and in memory: the audit log names a staff
member by the first 8 characters of their pseudonymous key, and nothing here logs an id.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import sqlite3
import time
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from telegram import Bot, Document, Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.assistant import User
from bot.directory.changes import Changes, summarise_changes
from bot.directory.fields import ID_RE
from bot.directory.importer import apply_import
from bot.directory.model import MAX_FILE_BYTES, DirectoryError, Tables
from bot.directory.search import STALE_DAYS
from bot.directory.stale import StaleEntry, stale_entries, verify_entry
from bot.directory.store import connect, content_hash, default_db_path
from bot.directory.upload import (
    FileRefused,
    directory_file_kind,
    needs_review,
    read_directory_file,
)
from bot.render import Button, Reply
from bot.telegram_handlers import Context, TelegramFrontEnd, stop_task
from bot.telegram_render import MAX_CALLBACK_DATA_BYTES, send_reply

log = logging.getLogger(__name__)

PENDING_SECONDS = 30 * 60
MAX_LINES = 100  # problems or change lines shown in one answer; the rest are counted
STALE_SHOWN = 10  # entries sent with their own button, per reminder or /stale
DAY_SECONDS = 24 * 3600

CONFIRM, CANCEL = "staff:confirm", "staff:cancel"
VERIFY, VERIFIED = "staff:verify:", "staff:verified:"


# Configuration ------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffSettings:
    """Who the NGO staff are, and when to remind them of entries to re-check."""

    staff_telegram_ids: frozenset[int] = field(default=frozenset(), repr=False)
    stale_days: int = STALE_DAYS  # after this, people are told an entry may be out of date
    remind_days_before: int = 14  # remind staff this many days before that
    reminder_hour_utc: int = 8  # the daily reminder goes out at this hour (UTC)
    directory_db: Path | None = None  # None: $DIRECTORY_DB or var/directory.db

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> StaffSettings:
        """Read STAFF_TELEGRAM_IDS and the reminder settings from environment variables."""
        env = os.environ if env is None else env

        def whole(name: str, default: int, low: int, high: int) -> int:
            value = env.get(name)
            if not value:
                return default
            try:
                number = int(value)
            except ValueError:
                raise SystemExit(f"{name} must be a whole number, not {value!r}") from None
            if not low <= number <= high:
                raise SystemExit(f"{name} must be between {low} and {high}")
            return number

        ids: set[int] = set()
        for part in (env.get("STAFF_TELEGRAM_IDS") or "").split(","):
            if part.strip():
                if not part.strip().isdigit():  # the value itself is not repeated: it holds ids
                    raise SystemExit("STAFF_TELEGRAM_IDS must be numeric Telegram ids separated "
                                     "by commas")
                ids.add(int(part.strip()))
        stale_days = whole("STAFF_STALE_DAYS", STALE_DAYS, 1, 3650)
        return cls(
            staff_telegram_ids=frozenset(ids),
            stale_days=stale_days,
            remind_days_before=whole("STAFF_REMIND_DAYS_BEFORE", 14, 0, stale_days - 1),
            reminder_hour_utc=whole("STAFF_REMINDER_HOUR_UTC", 8, 0, 23),
            directory_db=Path(env["DIRECTORY_DB"]) if env.get("DIRECTORY_DB") else None,
        )

    @property
    def remind_after_days(self) -> int:
        """Entries not verified within this many days are listed for staff."""
        return self.stale_days - self.remind_days_before


def seconds_until(hour_utc: int, now: dt.datetime) -> float:
    """Seconds from `now` (aware) to the next time the clock shows `hour_utc`:00 UTC."""
    now = now.astimezone(dt.timezone.utc)
    target = now.replace(hour=hour_utc, minute=0, second=0, microsecond=0)
    if target <= now:
        target += dt.timedelta(days=1)
    return (target - now).total_seconds()


def safe_file_name(name: str | None) -> str:
    """A file name fit to show and to record: printable characters only, at most 80."""
    kept = "".join(ch for ch in (name or "") if unicodedata.category(ch)[0] not in "CZ" or ch == " ")
    return kept.strip()[:80] or "file"


def _staff_key_data(data: object) -> tuple[str, str | None] | None:
    """("confirm"|"cancel", None) or ("verify"|"verified", service id) from button data."""
    if not isinstance(data, str) or len(data.encode()) > MAX_CALLBACK_DATA_BYTES:
        return None
    if data in (CONFIRM, CANCEL):
        return data.split(":", 1)[1], None
    for prefix in (VERIFY, VERIFIED):
        if data.startswith(prefix) and ID_RE.fullmatch(data[len(prefix):]):
            return prefix.split(":")[1], data[len(prefix):]
    return None


# The pending imports ------------------------------------------------------------------


@dataclass(frozen=True)
class PendingImport:
    """A validated file waiting for its sender's Confirm."""

    tables: Tables
    file: str
    base_hash: str  # the directory's content when the changes were summarised
    created: float


class PendingImports:
    """At most one pending import per staff key, in memory, for at most `ttl` seconds."""

    def __init__(self, ttl: float = PENDING_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        """Keep imports for `ttl` seconds as measured by `clock`."""
        self.ttl = ttl
        self.clock = clock
        self._items: dict[str, PendingImport] = {}

    def put(self, key: str, tables: Tables, file: str, base_hash: str) -> None:
        """Keep (or replace) the import waiting for this staff member."""
        self.purge()
        self._items[key] = PendingImport(tables, file, base_hash, self.clock())

    def get(self, key: str) -> PendingImport | None:
        """The import waiting for this staff member, unless it expired."""
        self.purge()
        return self._items.get(key)

    def pop(self, key: str) -> PendingImport | None:
        """Take the import waiting for this staff member away (None if there is none)."""
        self.purge()
        return self._items.pop(key, None)

    def purge(self) -> None:
        """Drop what has expired."""
        limit = self.clock() - self.ttl
        for key in [k for k, item in self._items.items() if item.created < limit]:
            del self._items[key]

    def __len__(self) -> int:
        self.purge()
        return len(self._items)


# The staff desk -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Preview:
    """What a validated file would change."""

    changes: Changes
    base_hash: str


class StaffDesk:
    """The staff side of the bot: file imports, stale-entry reminders and re-confirmation."""

    def __init__(
        self,
        front: TelegramFrontEnd,
        settings: StaffSettings,
        today: Callable[[], dt.date] = dt.date.today,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Answer staff through `front`; `today` dates verifications, `clock` expires imports."""
        self.front = front
        self.settings = settings
        self.today = today
        self.pending = PendingImports(PENDING_SECONDS, clock)
        self._staff_ids = settings.staff_telegram_ids
        self._platform_languages: dict[str, str | None] = {}  # staff key -> their app's language
        self._write_lock = asyncio.Lock()
        self._reminder: asyncio.Task[None] | None = None
        self._bot: Bot | None = None

    # Who ------------------------------------------------------------------------------

    def is_staff(self, update: Update) -> bool:
        """Whether the update comes from a listed staff member."""
        sender = update.effective_user
        return sender is not None and sender.id in self._staff_ids

    def by(self, key: str) -> str:
        """How a staff member is named in the audit log."""
        return f"telegram staff {key[:8]}"

    def _user(self, update: Update) -> User:
        user = self.front.user_of(update)
        if self.is_staff(update):
            self._platform_languages[user.key] = user.platform_language
        return user

    def _lang(self, user: User) -> str:
        return self.front.assistant.language_of(user)

    def _db_path(self) -> Path:
        return self.settings.directory_db or default_db_path()

    # Rendering ------------------------------------------------------------------------

    def _reply(self, lang: str, parts: Sequence[dict[str, Any]],
               buttons: Sequence[tuple[str, str]] = ()) -> Reply:
        """One reply from message payloads, with staff buttons (key, label message name)."""
        renderer = self.front.assistant.renderer
        reply = renderer.reply(lang, {"parts": list(parts)})
        return replace(reply, buttons=tuple(Button(key, renderer.text(lang, label))
                                            for key, label in buttons))

    @staticmethod
    def _lines(lines: list[str], more_message: str) -> list[dict[str, Any]]:
        shown: list[dict[str, Any]] = [{"lines": lines[:MAX_LINES]}]
        if len(lines) > MAX_LINES:
            shown.append({"msg": more_message, "args": {"count": len(lines) - MAX_LINES}})
        return shown

    def _summary(self, lang: str, file: str, changes: Changes,
                 intro: list[dict[str, Any]] | None = None) -> Reply:
        parts = list(intro or [])
        parts.append({"msg": "staff_changes", "args": {"file": file}})
        parts += self._lines(summarise_changes(changes), "staff_changes_more")
        if needs_review(changes):
            parts.append({"msg": "staff_changes_review"})
        parts.append({"msg": "staff_confirm_ask", "args": {"minutes": PENDING_SECONDS // 60}})
        return self._reply(lang, parts, [(CONFIRM, "btn_staff_confirm"), (CANCEL, "btn_staff_cancel")])

    # Files ----------------------------------------------------------------------------

    async def on_document(self, update: Update, context: Context) -> None:
        """A file: staff import it; anyone else gets a polite refusal (never a download)."""
        message = update.message
        assert message is not None and message.document is not None
        if not self.is_staff(update):
            if message.caption and directory_file_kind(message.document.file_name) is None:
                await self.front.on_offer(update, context)  # a caption is checked as a job offer
                return
            user = self.front.user_of(update)
            reply = self.front.assistant.renderer.reply(
                self._lang(user), {"msg": "file_refused", "buttons": ["menu"]})
            await self.front.send(update, context, user, [reply])
            return
        user = self._user(update)
        lang = self._lang(user)
        reply = await self._import_file(message.document, lang, user.key)
        await self.front.send(update, context, user, [reply])

    async def _import_file(self, document: Document, lang: str, key: str) -> Reply:
        name = safe_file_name(document.file_name)
        if directory_file_kind(document.file_name) is None:
            return self._reply(lang, [{"msg": "staff_file_type"}])
        if document.file_size and document.file_size > MAX_FILE_BYTES:
            return self._too_large(lang, document.file_size)
        try:
            telegram_file = await document.get_file()
            if telegram_file.file_size and telegram_file.file_size > MAX_FILE_BYTES:
                return self._too_large(lang, telegram_file.file_size)
            data = bytes(await telegram_file.download_as_bytearray())
        except TelegramError as error:
            log.warning("a staff file could not be downloaded: %s", type(error).__name__)
            return self._reply(lang, [{"msg": "staff_file_not_downloaded"}])
        if len(data) > MAX_FILE_BYTES:
            return self._too_large(lang, len(data))
        today = self.today()
        try:
            tables, problems = await asyncio.to_thread(read_directory_file, name, data, today)
        except FileRefused as refused:
            return self._reply(lang, [{"msg": refused.name, "args": refused.args_}])
        if problems:
            log.info("staff file refused: %d problem(s)", len(problems))
            return self._reply(lang, [{"msg": "staff_problems", "args": {"count": len(problems),
                                                                            "file": name}},
                                      *self._lines([str(p) for p in problems], "staff_problems_more")])
        try:
            preview = await asyncio.to_thread(self._preview, tables, key)
        except (DirectoryError, sqlite3.Error) as error:
            log.error("a staff import could not be compared: %s", type(error).__name__)
            return self._reply(lang, [{"msg": "staff_failed"}])
        if not preview.changes:
            self.pending.pop(key)
            return self._reply(lang, [{"msg": "staff_no_changes", "args": {"file": name}}])
        self.pending.put(key, tables, name, preview.base_hash)
        return self._summary(lang, name, preview.changes)

    def _too_large(self, lang: str, size: int) -> Reply:
        args = {"size_mb": f"{size / 1048576:.1f}", "limit_mb": f"{MAX_FILE_BYTES / 1048576:.0f}"}
        return self._reply(lang, [{"msg": "staff_file_too_large", "args": args}])

    def _preview(self, tables: Tables, key: str) -> _Preview:
        with closing(connect(self._db_path())) as db:
            result = apply_import(db, tables, by=self.by(key), source="telegram", dry_run=True)
            return _Preview(result.changes, content_hash(db, include_log=False))

    def _apply(self, pending: PendingImport, key: str) -> tuple[_Preview | None, int | None]:
        """Apply a pending import; if the directory changed meanwhile, the new preview instead."""
        with closing(connect(self._db_path())) as db:
            if content_hash(db, include_log=False) != pending.base_hash:
                result = apply_import(db, pending.tables, by=self.by(key), source="telegram",
                                      dry_run=True)
                return _Preview(result.changes, content_hash(db, include_log=False)), None
            result = apply_import(db, pending.tables, by=self.by(key),
                                  source=f"telegram upload: {pending.file}")
            return None, result.audit_id

    # Buttons --------------------------------------------------------------------------

    async def on_button(self, update: Update, context: Context) -> None:
        """A staff:… button; from anyone else, or malformed, it is an ordinary unknown button."""
        query = update.callback_query
        assert query is not None
        parsed = _staff_key_data(query.data)
        if parsed is None or not self.is_staff(update):
            await self.front.on_button(update, context)
            return
        with contextlib.suppress(TelegramError):
            await query.answer()
        user = self._user(update)
        lang = self._lang(user)
        action, service_id = parsed
        if action == "confirm":
            reply = await self._confirm(lang, user.key)
        elif action == "cancel":
            self.pending.pop(user.key)
            reply = self._reply(lang, [{"msg": "staff_import_cancelled"}])
        else:
            assert service_id is not None
            reply = await self._verify(lang, user.key, service_id, ask=action == "verify")
        await self.front.send(update, context, user, [reply])

    async def _confirm(self, lang: str, key: str) -> Reply:
        pending = self.pending.get(key)
        if pending is None:
            return self._reply(lang, [{"msg": "staff_nothing_pending",
                                       "args": {"minutes": PENDING_SECONDS // 60}}])
        try:
            async with self._write_lock:
                preview, audit_id = await asyncio.to_thread(self._apply, pending, key)
        except (DirectoryError, sqlite3.Error) as error:
            log.error("a staff import could not be applied: %s", type(error).__name__)
            return self._reply(lang, [{"msg": "staff_failed"}])
        if preview is not None:
            if not preview.changes:
                self.pending.pop(key)
                return self._reply(lang, [{"msg": "staff_no_changes", "args": {"file": pending.file}}])
            self.pending.put(key, pending.tables, pending.file, preview.base_hash)
            return self._summary(lang, pending.file, preview.changes,
                                 intro=[{"msg": "staff_directory_moved"}])
        self.pending.pop(key)
        log.info("staff import applied (change %s)", audit_id)
        return self._reply(lang, [{"msg": "staff_import_done", "args": {"audit_id": audit_id}}])

    async def _verify(self, lang: str, key: str, service_id: str, *, ask: bool) -> Reply:
        entry = await asyncio.to_thread(self._entry, service_id)
        if entry is None:
            return self._reply(lang, [{"msg": "staff_unknown_entry"}])
        name, organization = entry
        if ask:
            args = {"organization": organization, "name": name}
            return self._reply(lang, [{"msg": "staff_verify_ask", "args": args}],
                               [(VERIFIED + service_id, "btn_staff_verified")])
        today = self.today()
        try:
            async with self._write_lock:
                audit_id = await asyncio.to_thread(self._record_verified, service_id, key, today)
        except DirectoryError:
            return self._reply(lang, [{"msg": "staff_unknown_entry"}])
        except sqlite3.Error as error:
            log.error("a verification could not be recorded: %s", type(error).__name__)
            return self._reply(lang, [{"msg": "staff_failed"}])
        args = {"name": name, "date": {"date": today.isoformat()}, "audit_id": audit_id}
        return self._reply(lang, [{"msg": "staff_verify_done", "args": args}])

    def _entry(self, service_id: str) -> tuple[str, str] | None:
        """A service's name and organization's name, or None when there is no such service."""
        if not self._db_path().is_file():
            return None
        with closing(connect(self._db_path(), readonly=True)) as db:
            row = db.execute("SELECT s.name, o.name FROM services s JOIN organizations o "
                             "ON o.id = s.organization_id WHERE s.id = ?", (service_id,)).fetchone()
        return (str(row[0]), str(row[1])) if row else None

    def _record_verified(self, service_id: str, key: str, today: dt.date) -> int:
        with closing(connect(self._db_path())) as db:
            return verify_entry(db, service_id, by=self.by(key), today=today)

    # Stale entries --------------------------------------------------------------------

    async def on_stale(self, update: Update, context: Context) -> None:
        """/stale: the entries due for checking, now."""
        user = self._user(update)
        replies = await self.stale_replies(self._lang(user))
        await self.front.send(update, context, user, replies)

    async def stale_replies(self, lang: str) -> list[Reply]:
        """The entries due for checking now, as `_stale_replies` shows them."""
        days = self.settings.remind_after_days
        return self._stale_replies(lang, days, await asyncio.to_thread(self._stale, days))

    def _stale_replies(self, lang: str, days: int, entries: list[StaleEntry]) -> list[Reply]:
        """A header, then one message per entry (the oldest few) with its "Still correct ✓"."""
        if not entries:
            return [self._reply(lang, [{"msg": "staff_stale_none", "args": {"days": days}}])]
        header: list[dict[str, Any]] = [{"msg": "staff_stale_header",
                                         "args": {"count": len(entries), "days": days}}]
        if len(entries) > STALE_SHOWN:
            header.append({"msg": "staff_stale_first", "args": {"shown": STALE_SHOWN}})
        return [self._reply(lang, header), *(self._stale_entry(lang, e) for e in entries[:STALE_SHOWN])]

    def _stale(self, days: int) -> list[StaleEntry]:
        if not self._db_path().is_file():
            return []
        with closing(connect(self._db_path(), readonly=True)) as db:
            return stale_entries(db, days, self.today())

    def _stale_entry(self, lang: str, entry: StaleEntry) -> Reply:
        args: dict[str, Any] = {"organization": entry.organization, "name": entry.name,
                                "id": entry.service_id}
        if entry.assured_date is None:
            parts: list[dict[str, Any]] = [{"msg": "staff_stale_entry_never", "args": args}]
        else:
            args["date"] = {"date": entry.assured_date.isoformat()}
            parts = [{"msg": "staff_stale_entry", "args": args}]
        key = VERIFY + entry.service_id
        if len(key.encode()) > MAX_CALLBACK_DATA_BYTES:
            return self._reply(lang, [*parts, {"msg": "staff_stale_entry_no_button"}])
        return self._reply(lang, parts, [(key, "btn_staff_still_correct")])

    async def send_reminders(self) -> int:
        """Send each staff member the entries due for checking, if any; return how many got it."""
        bot = self._bot
        days = self.settings.remind_after_days
        entries = await asyncio.to_thread(self._stale, days) if bot and self._staff_ids else []
        if bot is None or not entries:
            return 0
        reminded = 0
        for staff_id in sorted(self._staff_ids):
            key = self.front.key_of(staff_id)
            user = User(key, platform_language=self._platform_languages.get(key))
            try:
                for reply in self._stale_replies(self._lang(user), days, entries):
                    sent = await send_reply(bot, staff_id, reply)
                    self.front.messages.record(key, [(m.message_id, m.date.timestamp()) for m in sent])
                reminded += 1
            except TelegramError as error:  # e.g. they never opened the chat with the bot
                log.warning("a staff reminder could not be sent (staff key %s): %s",
                            key[:8], type(error).__name__)
        return reminded

    async def _remind_daily(self) -> None:
        while True:
            wait = seconds_until(self.settings.reminder_hour_utc, dt.datetime.now(dt.timezone.utc))
            await asyncio.sleep(wait)
            try:
                count = await self.send_reminders()
                log.info("stale-entry reminders sent to %d staff member(s)", count)
            except Exception:  # noqa: BLE001 - the reminders must keep coming
                log.exception("the stale-entry reminders failed; trying again tomorrow")
            await asyncio.sleep(60)  # never twice in the same hour

    # Start-up and shutdown ------------------------------------------------------------

    async def start(self, application: Application) -> None:  # type: ignore[type-arg]
        """Start the daily reminder task (no JobQueue: a plain asyncio task)."""
        self._bot = application.bot
        if self._staff_ids and self._reminder is None:
            self._reminder = asyncio.get_running_loop().create_task(self._remind_daily())

    async def stop(self, application: Application) -> None:  # type: ignore[type-arg]
        """Stop the reminder task; forget the pending imports."""
        await stop_task(self._reminder)
        self._reminder = None
        self.pending = PendingImports(self.pending.ttl, self.pending.clock)


def register_staff_handlers(
    application: Application,  # type: ignore[type-arg]
    front: TelegramFrontEnd,
    settings: StaffSettings | None = None,
) -> StaffDesk:
    """Add the staff handlers; call it before `add_handlers`, whose handlers it must precede.

    Also chains the reminder task's start and stop onto the application's post_init and
    post_shutdown. The desk is kept in `bot_data["staff_desk"]`.
    """
    desk = StaffDesk(front, settings or StaffSettings.from_env())
    private = filters.ChatType.PRIVATE
    staff = filters.User(user_id=desk.settings.staff_telegram_ids)
    application.add_handlers([
        CallbackQueryHandler(desk.on_button, pattern=r"^staff:"),
        CommandHandler("stale", desk.on_stale, filters=private & staff),
        MessageHandler(private & filters.Document.ALL, desk.on_document),
    ])
    application.bot_data["staff_desk"] = desk
    started, stopped = application.post_init, application.post_shutdown

    async def post_init(app: Application) -> None:  # type: ignore[type-arg]
        if started is not None:
            await started(app)
        await desk.start(app)

    async def post_shutdown(app: Application) -> None:  # type: ignore[type-arg]
        await desk.stop(app)
        if stopped is not None:
            await stopped(app)

    application.post_init, application.post_shutdown = post_init, post_shutdown
    return desk
