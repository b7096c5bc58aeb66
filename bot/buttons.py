"""The allowlist of buttons: what each button shows and what pressing it does.

Button data coming back from a chat is only ever looked up here, so a user can
never make the assistant send an arbitrary intent, entity or command to Rasa.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from bot.languages import AUTONYMS, SUPPORTED


@dataclass(frozen=True)
class ButtonAction:
    """What a button does: send an intent to Rasa, or run a front-end command."""

    label: str  # "msg:<message name>" (translated) or a literal (a language's own name)
    rasa_payload: str | None = None
    command: str | None = None
    argument: str | None = None


_BUTTONS: Final[dict[str, ButtonAction]] = {
    "routes": ButtonAction("msg:btn_routes", rasa_payload="/safe_routes"),
    "asylum": ButtonAction("msg:btn_asylum", rasa_payload="/claim_asylum"),
    "legal_aid": ButtonAction("msg:btn_legal_aid", rasa_payload="/legal_aid"),
    "find_help": ButtonAction("msg:btn_find_help", rasa_payload="/find_help"),
    "job_offer": ButtonAction("msg:btn_job_offer", rasa_payload="/check_job_offer"),
    "emergency": ButtonAction("msg:btn_emergency", rasa_payload="/emergency"),
    "language": ButtonAction("msg:btn_language", command="language"),
    "privacy": ButtonAction("msg:btn_privacy", rasa_payload="/privacy"),
    "menu": ButtonAction("msg:btn_menu", rasa_payload="/menu"),
    "forget_yes": ButtonAction("msg:btn_forget_yes", command="forget"),
    "forget_no": ButtonAction("msg:btn_forget_no", command="forget_cancel"),
    **{
        f"lang_{code}": ButtonAction(AUTONYMS[code], command="set_language", argument=code)
        for code in SUPPORTED
    },
}

MENU: Final[tuple[str, ...]] = (
    "routes", "asylum", "legal_aid", "find_help", "job_offer", "emergency", "language", "privacy",
)
LANGUAGE_PICKER: Final[tuple[str, ...]] = tuple(f"lang_{code}" for code in SUPPORTED)


def button_action(key: str) -> ButtonAction | None:
    """The action behind a button key, or None when the key is not on the allowlist."""
    if not isinstance(key, str) or len(key.encode()) > 64:
        return None
    if key in _BUTTONS:
        return _BUTTONS[key]
    from bot.buttons_routes import route_button_action

    return route_button_action(key)


def button_label(key: str) -> str | None:
    """The label spec of a button key, or None when the key is not on the allowlist."""
    action = button_action(key)
    return action.label if action else None
