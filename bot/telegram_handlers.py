"""What the bot does with each kind of Telegram update, through the channel-free Assistant.

Only the pseudonymous user key goes to the Assistant, Rasa and the stores; the raw
chat id is read from the update being answered and never kept. A shared location is
rounded to about 1 km and neither stored nor logged; nothing here logs message text.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import replace

from telegram import BotCommand, Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.assistant import COMMANDS, Assistant, User
from bot.buttons import button_action
from bot.languages import SUPPORTED
from bot.privacy import user_key
from bot.render import Reply
from bot.telegram_exit import MessageLog, delete_recent
from bot.telegram_limits import UserRateLimit, Verdict
from bot.telegram_render import send_reply

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
PURGE_INTERVAL_SECONDS = 600.0
LOCATION_DECIMALS = 2  # about 1 km: enough to find help nearby, not a home address
MAX_IMAGE_BYTES = 10 * 1024 * 1024
# Telegram takes two-letter (ISO 639-1) codes for per-language command lists.
_TELEGRAM_LANGUAGE_CODES = {"ckb": "ku"}


async def stop_task(task: asyncio.Task | None) -> None:  # type: ignore[type-arg]
    """Cancel a background task (if any) and wait until it has stopped."""
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


class TelegramFrontEnd:
    """The Telegram side of the conversation: one per running bot."""

    def __init__(
        self,
        assistant: Assistant,
        messages: MessageLog,
        limits: UserRateLimit,
        hash_key: str,
        purge_interval: float = PURGE_INTERVAL_SECONDS,
    ) -> None:
        """Answer through `assistant`; remember message ids in `messages`; limit with `limits`."""
        self.assistant = assistant
        self.messages = messages
        self.limits = limits
        self.purge_interval = purge_interval
        self._hash_key = hash_key
        self._slow_down: set[int] = set()  # update ids to answer with "slow down"
        self._purger: asyncio.Task[None] | None = None

    # Who is writing -------------------------------------------------------------------

    def key_of(self, telegram_user_id: int) -> str:
        """The pseudonymous key of a Telegram user."""
        return user_key("telegram", telegram_user_id, self._hash_key)

    def user_of(self, update: Update) -> User:
        """The Assistant's view of the sender: their key and the language their app reports."""
        sender = update.effective_user
        assert sender is not None  # admit() lets no update without a sender through
        return User(self.key_of(sender.id), platform_language=sender.language_code)

    def admit(self, update: object) -> str | None:
        """Sort an arriving update into its user's lane, or drop it (None).

        Runs in arrival order, before any waiting: it remembers the id of every message
        the user sends (so /exit can delete it) and applies the per-user rate limit.
        /exit always passes: a person in danger must be able to clear the chat.
        """
        if not isinstance(update, Update):
            return None
        chat, sender = update.effective_chat, update.effective_user
        if chat is None or sender is None or chat.type != ChatType.PRIVATE or sender.is_bot:
            return None
        key = self.key_of(sender.id)
        if update.message is not None:
            self.messages.record(key, [(update.message.message_id, update.message.date.timestamp())])
            if _command_of(update.message) == "exit" and update.message.forward_origin is None:
                return key
        elif update.callback_query is None:
            return None
        verdict = self.limits.take(key)
        if verdict is Verdict.DROP:
            return None
        if verdict is Verdict.SLOW_DOWN:
            if len(self._slow_down) > 10_000:  # only if updates were lost before their handler
                self._slow_down.clear()
            self._slow_down.add(update.update_id)
        return key

    # Handlers -------------------------------------------------------------------------

    async def on_any_update(self, update: Update, context: Context) -> None:
        """Answer the first update over a user's rate limit with "slow down", and stop there."""
        if update.update_id not in self._slow_down:
            return
        self._slow_down.discard(update.update_id)
        if update.callback_query is not None:
            with contextlib.suppress(TelegramError):
                await update.callback_query.answer()
        user = self.user_of(update)
        lang = self.assistant.language_of(user)
        reply = self.assistant.renderer.reply(lang, {"msg": "slow_down"})
        await self.send(update, context, user, [reply])
        raise ApplicationHandlerStop

    async def on_command(self, update: Update, context: Context) -> None:
        """Answer /start, /menu, /language, /help, /privacy, /forget."""
        assert update.message is not None
        user = self.user_of(update)
        command = _command_of(update.message) or "menu"
        replies = await self.assistant.handle_command(user, command)
        if command == "privacy":
            # What only the Telegram front end keeps: recent message ids, for /exit.
            lang = self.assistant.language_of(user)
            replies.append(self.assistant.renderer.reply(lang, {"msg": "privacy_telegram"}))
        await self.send(update, context, user, replies)

    async def on_exit(self, update: Update, context: Context) -> None:
        """Quick exit: delete this chat's recent messages, leave one neutral line."""
        chat = update.effective_chat
        assert chat is not None
        user = self.user_of(update)
        recent = self.messages.deletable(user.key)
        await delete_recent(context.bot, chat.id, recent)
        self.messages.drop(user.key, recent)
        lang = self.assistant.language_of(user)
        reply = self.assistant.renderer.reply(
            lang, {"parts": [{"msg": "exit_done"}, {"msg": "autodelete_howto"}]}
        )
        await self.send(update, context, user, [reply])

    async def on_text(self, update: Update, context: Context) -> None:
        """Answer typed text (an unknown /command included: the Assistant neutralises it)."""
        assert update.message is not None and update.message.text is not None
        user = self.user_of(update)
        replies = await self.assistant.handle_text(user, update.message.text)
        await self.send(update, context, user, replies)

    async def on_location(self, update: Update, context: Context) -> None:
        """Search help near a shared location, rounded to about 1 km."""
        message = update.message
        assert message is not None
        place = message.location or (message.venue.location if message.venue else None)
        user = self.user_of(update)
        if place is None:
            replies = await self.assistant.handle_command(user, "menu")
        else:
            latitude = round(place.latitude, LOCATION_DECIMALS)
            longitude = round(place.longitude, LOCATION_DECIMALS)
            replies = await self.assistant.handle_location(user, latitude, longitude)
        await self.send(update, context, user, replies)

    async def on_offer(self, update: Update, context: Context) -> None:
        """Check a job offer: a forwarded message, a photo (its caption, else the picture
        itself), or a document's caption."""
        message = update.message
        assert message is not None
        user = self.user_of(update)
        text = message.text or message.caption
        if text:
            replies = await self.assistant.handle_offer(user, text)
        elif message.photo:
            replies = await self._offer_image(user, message)
        else:
            replies = await self.assistant.handle_command(user, "menu")
        await self.send(update, context, user, replies)

    async def on_other(self, update: Update, context: Context) -> None:
        """Answer stickers, voice messages and anything else with the menu."""
        user = self.user_of(update)
        replies = await self.assistant.handle_command(user, "menu")
        await self.send(update, context, user, replies)

    async def on_button(self, update: Update, context: Context) -> None:
        """Answer a button press; the key is only ever looked up in the allowlist."""
        query = update.callback_query
        assert query is not None
        with contextlib.suppress(TelegramError):
            await query.answer()
        user = self.user_of(update)
        key = query.data if isinstance(query.data, str) else ""
        action = button_action(key)
        forgetting = action is not None and action.command == "forget"
        replies = await self.assistant.handle_button(user, key)
        if forgetting:
            self.messages.forget(user.key)
            self.limits.forget(user.key)
        await self.send(update, context, user, replies, remember=not forgetting)

    async def on_error(self, update: object, context: Context) -> None:
        """Log a failed update (its kind of error only) and still answer the user."""
        error = context.error
        log.error("an update could not be answered: %s", type(error).__name__,
                  exc_info=(type(error), error, error.__traceback__) if error else None)
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        with contextlib.suppress(Exception):
            user = self.user_of(update)
            lang = self.assistant.language_of(user)
            reply = self.assistant.renderer.reply(lang, {"msg": "fallback"})
            await self.send(update, context, user, [reply])

    # Sending --------------------------------------------------------------------------

    async def send(self, update: Update, context: Context, user: User, replies: list[Reply],
                   remember: bool = True) -> None:
        """Send the replies to the chat the update came from, in order."""
        chat = update.effective_chat
        assert chat is not None
        for reply in replies:
            if not reply.text.strip():
                if not reply.buttons:
                    continue
                lang = self.assistant.language_of(user)
                reply = replace(reply, text=self.assistant.renderer.text(lang, "menu"))
            sent = await send_reply(context.bot, chat.id, reply)
            if remember:
                self.messages.record(user.key, [(m.message_id, m.date.timestamp()) for m in sent])

    async def _offer_image(self, user: User, message: Message) -> list[Reply]:
        photo = max(message.photo, key=lambda size: size.width * size.height)
        if photo.file_size and photo.file_size > MAX_IMAGE_BYTES:
            return await self.assistant.handle_command(user, "menu")
        try:
            data = bytes(await (await photo.get_file()).download_as_bytearray())
        except TelegramError as error:
            log.warning("a photo could not be downloaded: %s", type(error).__name__)
            return await self.assistant.handle_command(user, "menu")
        return await self.assistant.handle_offer_image(user, data)

    # Start-up, housekeeping, shutdown -------------------------------------------------

    async def post_init(self, application: Application) -> None:  # type: ignore[type-arg]
        """Register the command list; start the retention purge."""
        await register_commands(application, self.assistant)
        self.purge_now()
        self._purger = asyncio.get_running_loop().create_task(self._purge_forever())

    async def post_shutdown(self, application: Application) -> None:  # type: ignore[type-arg]
        """Stop the purge and close the stores."""
        await stop_task(self._purger)
        self._purger = None
        self.assistant.prefs.close()
        self.messages.close()

    def purge_now(self) -> int:
        """Delete what is past its retention; return how many entries went."""
        removed = self.assistant.prefs.purge_expired() + self.messages.purge_expired()
        self.limits.prune()
        if removed:
            log.info("retention: %d expired entries deleted", removed)
        return removed

    async def _purge_forever(self) -> None:
        while True:
            await asyncio.sleep(self.purge_interval)
            try:
                self.purge_now()
            except Exception:  # noqa: BLE001 - the purge must keep running
                log.exception("the retention purge failed; trying again later")


def add_handlers(application: Application, front: TelegramFrontEnd) -> None:  # type: ignore[type-arg]
    """Wire every kind of update to its handler (first match wins, in this order)."""
    private = filters.ChatType.PRIVATE
    application.add_handler(TypeHandler(Update, front.on_any_update), group=-1)
    application.add_handlers([
        MessageHandler(private & filters.FORWARDED, front.on_offer),
        CommandHandler("exit", front.on_exit, filters=private),
        CommandHandler([c for c in COMMANDS if c != "exit"], front.on_command, filters=private),
        MessageHandler(private & (filters.LOCATION | filters.VENUE), front.on_location),
        MessageHandler(private & filters.PHOTO, front.on_offer),
        MessageHandler(private & filters.Document.ALL & filters.CAPTION, front.on_offer),
        MessageHandler(private & filters.TEXT, front.on_text),
        MessageHandler(private, front.on_other),
        CallbackQueryHandler(front.on_button),
    ])
    application.add_error_handler(front.on_error)


async def register_commands(application: Application, assistant: Assistant) -> None:  # type: ignore[type-arg]
    """Set the command list, in English and in every language whose descriptions are translated."""
    renderer = assistant.renderer
    for lang in SUPPORTED:
        descriptions = [renderer.reply(lang, {"msg": f"command_{name}"}) for name in COMMANDS]
        if lang != "en" and not all(d.complete for d in descriptions):
            continue  # Telegram shows the English list to these users
        commands = [BotCommand(name, d.text) for name, d in zip(COMMANDS, descriptions, strict=True)]
        code = None if lang == "en" else _TELEGRAM_LANGUAGE_CODES.get(lang, lang)
        try:
            await application.bot.set_my_commands(commands, language_code=code)
        except TelegramError as error:
            log.warning("the command list for %s was not set: %s", lang, type(error).__name__)


def _command_of(message: Message) -> str | None:
    """The bot command a message starts with (`/exit@bot now` -> "exit"), or None."""
    words = (message.text or "").split(maxsplit=1)
    if not words or not words[0].startswith("/") or len(words[0]) < 2:
        return None
    return words[0][1:].split("@", 1)[0].lower()
