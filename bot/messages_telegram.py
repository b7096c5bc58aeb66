"""Sentences only the Telegram front end says, in English, keyed by message name.

Same conventions as `bot/messages.py` (which merges this registry into MESSAGES).
"""

from __future__ import annotations

from typing import Final

from bot.messages import message

TELEGRAM_MESSAGES: Final[dict[str, str]] = dict(
    (
        # Quick exit (/exit): one neutral line, then how to make the chat delete itself.
        message("exit_done", "Chat cleared."),
        message(
            "autodelete_howto",
            "To make this chat delete itself: open the chat, tap the name at the top, "
            "then ⋮ or the pencil, choose \"Auto-delete messages\" and pick 1 day.",
        ),
        # The command list Telegram shows next to the text field (short: one line each).
        message("command_start", "Start"),
        message("command_menu", "Show the menu"),
        message("command_language", "Change the language"),
        message("command_help", "What I can help with"),
        message("command_privacy", "What is kept, and for how long"),
        message("command_forget", "Delete everything kept about you"),
        message("command_exit", "Quick exit: delete the recent messages of this chat"),
    )
)
