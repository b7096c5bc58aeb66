"""Turn a `Reply` into Telegram messages: escaped HTML, split under the length cap, keyboards.

Replies are plain text, so every character is escaped before Telegram parses it as
HTML: nothing a user, a translator or the directory wrote can become markup. If
Telegram still rejects a message (a parse error, say), it is sent again as plain text,
never dropped.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.constants import MessageLimit, ParseMode
from telegram.error import BadRequest

from bot.render import RLM, Button, Reply

log = logging.getLogger(__name__)

# Telegram counts the 4096 characters after entity parsing, in UTF-16 code units;
# a margin keeps us clear of any difference in how a client counts.
MAX_MESSAGE_UNITS = MessageLimit.MAX_TEXT_LENGTH - 96
MAX_CALLBACK_DATA_BYTES = 64
BUTTONS_PER_ROW = 2


def utf16_units(text: str) -> int:
    """The length Telegram measures: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = MAX_MESSAGE_UNITS) -> list[str]:
    """Cut text into pieces of at most `limit` UTF-16 units, on paragraph, line or word breaks."""
    pieces: list[str] = []
    rest = text
    while utf16_units(rest) > limit:
        head = _prefix_within(rest, limit)
        cut = _best_break(head)
        piece, rest = rest[:cut].rstrip(), rest[cut:].lstrip("\n ")
        if piece:
            pieces.append(piece)
    if rest.strip() or not pieces:
        pieces.append(rest)
    return pieces


def _prefix_within(text: str, limit: int) -> str:
    """The longest prefix of `text` that fits in `limit` UTF-16 units."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return text[:index]
    return text


def _best_break(head: str) -> int:
    """Where to cut a too-long text whose first part is `head` (an index into it)."""
    floor = len(head) // 2  # never make tiny pieces just to find a break
    for separator in ("\n\n", "\n", " "):
        position = head.rfind(separator, floor)
        if position > 0:
            return position + len(separator)
    return max(len(head), 1)


def to_html(text: str) -> str:
    """Escape plain text for parse_mode=HTML (`<`, `>` and `&`)."""
    return html.escape(text, quote=False)


def keyboard(buttons: Sequence[Button]) -> InlineKeyboardMarkup | None:
    """An inline keyboard whose callback data is each button's allowlisted key."""
    usable = [b for b in buttons if 0 < len(b.key.encode()) <= MAX_CALLBACK_DATA_BYTES and b.label]
    if len(usable) != len(buttons):
        log.warning("%d button(s) left out: callback data empty or over 64 bytes",
                    len(buttons) - len(usable))
    if not usable:
        return None
    rows = [
        [InlineKeyboardButton(b.label, callback_data=b.key) for b in usable[i:i + BUTTONS_PER_ROW]]
        for i in range(0, len(usable), BUTTONS_PER_ROW)
    ]
    return InlineKeyboardMarkup(rows)


@dataclass(frozen=True)
class Outgoing:
    """One Telegram message to send: plain text (escaped only when sent) and its keyboard."""

    text: str
    markup: InlineKeyboardMarkup | None = None


def outgoing(reply: Reply) -> list[Outgoing]:
    """The Telegram messages one reply becomes; the keyboard goes under the last one."""
    pieces = split_text(reply.text)
    if reply.rtl:
        # Each piece is its own message: keep every one right to left, as the first.
        pieces = [p if p.startswith(RLM) else RLM + p for p in pieces]
    markup = keyboard(reply.buttons)
    return [Outgoing(p, markup if i == len(pieces) - 1 else None) for i, p in enumerate(pieces)]


async def send_reply(bot: Bot, chat_id: int, reply: Reply) -> list[Message]:
    """Send one reply; return the messages Telegram accepted."""
    sent = []
    for message in outgoing(reply):
        result = await send_one(bot, chat_id, message)
        if result is not None:
            sent.append(result)
    return sent


async def send_one(bot: Bot, chat_id: int, message: Outgoing) -> Message | None:
    """Send as HTML; if Telegram rejects it, as plain text; then without the keyboard."""
    try:
        return await bot.send_message(chat_id, to_html(message.text), parse_mode=ParseMode.HTML,
                                      reply_markup=message.markup)
    except BadRequest as error:
        log.warning("Telegram rejected a message (%s): sending it as plain text", _reason(error))
    try:
        return await bot.send_message(chat_id, message.text, parse_mode=None,
                                      reply_markup=message.markup)
    except BadRequest as error:
        if message.markup is None:
            log.error("Telegram rejected a plain-text message too (%s)", _reason(error))
            return None
        log.warning("Telegram rejected a message with buttons (%s): sending it without",
                    _reason(error))
    try:
        return await bot.send_message(chat_id, message.text, parse_mode=None)
    except BadRequest as error:
        log.error("Telegram rejected a plain-text message too (%s)", _reason(error))
        return None


def _reason(error: BadRequest) -> str:
    """What kind of rejection it was (Telegram's description may quote part of the text)."""
    description = str(error.message).lower()
    for kind in ("can't parse entities", "message is too long", "text is empty", "button"):
        if kind in description:
            return kind
    return "other reason"
