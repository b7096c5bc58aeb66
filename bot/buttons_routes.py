"""Buttons of the routes answers and of the guided finder (part of the allowlist)."""

from __future__ import annotations

from bot.buttons import ButtonAction


def route_button_action(key: str) -> ButtonAction | None:
    """The action behind a routes/finder button key, or None when it is not allowed."""
    return None
