"""Sentences of the routes, asylum and legal-aid answers and of the guided finder.

Same conventions as `bot/messages.py` (which merges this registry into MESSAGES).
"""

from __future__ import annotations

from typing import Final

from bot.messages import message

ROUTE_MESSAGES: Final[dict[str, str]] = dict(
    (
        message("content_checked", "Source: {source} (checked on {date})"),
    )
)
