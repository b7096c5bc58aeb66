"""Render message payloads from Rasa and the actions into text in the user's language.

A payload names a message and its arguments:

    {"msg": "helpline_line", "args": {"name": {"t": "Emergency"}, "number": "999"},
     "buttons": ["menu"]}

or joins several: {"parts": [payload, ...], "buttons": [...]}. Argument values are
raw values (names, numbers: never translated), {"t": english} for content text
from data/ (translated), {"date": "YYYY-MM-DD"}, {"km": 1.5}, {"list": [...]},
{"lines": [...]} or a nested {"msg": ..., "args": ...}.
"""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from dataclasses import dataclass
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.lists import format_list
from babel.units import format_unit

from bot.buttons import button_label
from bot.catalogs import Catalogs
from bot.languages import is_rtl
from bot.messages import MESSAGES

log = logging.getLogger(__name__)

RLM = "\u200f"
LRI = "\u2066"
FSI = "\u2068"
PDI = "\u2069"


@dataclass(frozen=True)
class Button:
    """A button shown under a reply: `key` is looked up in the allowlist when pressed."""

    key: str
    label: str


@dataclass(frozen=True)
class Reply:
    """One message to show the user."""

    text: str
    buttons: tuple[Button, ...] = ()
    rtl: bool = False
    complete: bool = True  # False when part of it fell back to another language


class UnknownMessage(KeyError):
    """A payload named a message that is not in the registry."""


class Renderer:
    """Turn message names and payloads into replies through the catalogs."""

    def __init__(self, catalogs: Catalogs | None = None, defaults: dict[str, Any] | None = None) -> None:
        """Render through these catalogs; `defaults` fill placeholders a payload leaves out
        (facts only the front end knows, such as the retention period in hours)."""
        self.catalogs = catalogs or Catalogs()
        self.defaults = dict(defaults or {})

    def text(self, lang: str, name: str, **args: Any) -> str:
        """Render one message to text (the completeness flag is dropped)."""
        return self._render_message(lang, name, args)[0]

    def reply(self, lang: str, payload: dict[str, Any]) -> Reply:
        """Render one payload (one chat message) with its buttons."""
        if "parts" in payload:
            rendered = [self._render_payload(lang, part) for part in payload["parts"]]
            text = "\n\n".join(part for part, _ in rendered)
            complete = all(ok for _, ok in rendered)
        else:
            text, complete = self._render_payload(lang, payload)
        buttons = []
        for key in payload.get("buttons", ()):
            label = button_label(key)
            if label is None:
                log.warning("payload names an unknown button %r; it is not shown", key)
                continue
            if label.startswith("msg:"):
                label_text, ok = self._render_message(lang, label[4:], {})
                complete = complete and ok
            else:
                label_text = label
            buttons.append(Button(key=key, label=label_text))
        rtl = is_rtl(lang)
        if rtl and text and not text.startswith(RLM):
            text = RLM + text
        return Reply(text=text, buttons=tuple(buttons), rtl=rtl, complete=complete)

    def _render_payload(self, lang: str, payload: dict[str, Any]) -> tuple[str, bool]:
        if "msg" not in payload:
            return self._value(lang, payload)  # a bare value: {"lines": ...}, {"t": ...}
        name = payload["msg"]
        if not isinstance(name, str):
            raise UnknownMessage(repr(name))
        return self._render_message(lang, name, payload.get("args") or {})

    def _render_message(self, lang: str, name: str, args: dict[str, Any]) -> tuple[str, bool]:
        english = MESSAGES.get(name)
        if english is None:
            raise UnknownMessage(name)
        template, complete = self.catalogs.lookup(lang, english, context=name)
        values: dict[str, str] = {}
        for key, value in {**self.defaults, **args}.items():
            values[key], ok = self._value(lang, value)
            complete = complete and ok
        try:
            return template.format(**values), complete
        except (KeyError, IndexError, ValueError):
            # A broken translation must never silence the assistant: use the source text.
            log.error("translation of %r for %s has broken placeholders", name, lang)
            return english.format(**values), False

    def _value(self, lang: str, value: Any) -> tuple[str, bool]:
        if isinstance(value, dict):
            if "t" in value:
                text, ok = self.catalogs.lookup(lang, str(value["t"]))
                return text, ok
            if "msg" in value:
                return self._render_payload(lang, value)
            if "date" in value:
                day = dt.date.fromisoformat(str(value["date"]))
                return self._isolate(lang, format_date(day, "medium", locale=_babel(lang))), True
            if "km" in value:
                km = round(float(value["km"]), 1)
                text = format_unit(km, "length-kilometer", length="short", locale=_babel(lang))
                return self._isolate(lang, text), True
            if "language" in value:
                return self._isolate(lang, language_name(str(value["language"]), lang)), True
            if "list" in value:
                parts = [self._value(lang, item) for item in value["list"]]
                joined = format_list([p for p, _ in parts], locale=_babel(lang))
                return joined, all(ok for _, ok in parts)
            if "lines" in value:
                parts = [self._value(lang, item) for item in value["lines"]]
                return "\n".join(p for p, _ in parts), all(ok for _, ok in parts)
            raise ValueError(f"unknown argument kind: {sorted(value)}")
        return self._isolate(lang, str(value)), True

    @staticmethod
    def _isolate(lang: str, text: str) -> str:
        """Keep numbers, phone numbers, URLs and Latin names in order inside RTL text."""
        if not is_rtl(lang) or not text:
            return text
        if any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text):
            return FSI + text + PDI
        return LRI + text + PDI


def language_name(code: str, lang: str) -> str:
    """A language's name in the user's language (Babel/CLDR), or its own code if unknown."""
    code = {"prs": "fa_AF"}.get(code, code)  # Dari has no locale of its own in CLDR
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(_babel(lang))
    except (ValueError, TypeError, UnknownLocaleError):
        return code
    return name or code


def _babel(lang: str) -> str:
    return "fa_AF" if lang == "prs" else lang
