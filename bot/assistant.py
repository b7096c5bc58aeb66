"""The conversation, independent of the channel: language, safety, Rasa, rendering.

Channels (the terminal chat, Telegram) call `handle_text`, `handle_button` and
`handle_command` with a pseudonymous user and show the replies they get back.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.buttons import LANGUAGE_PICKER, MENU, button_action
from bot.help_search import (
    Place,
    find_place,
    open_directory,
    results_payload,
    round_location,
    search,
    wanted_service_types,
)
from bot.helplines import Helpline, cached_helplines, helpline_lines
from bot.language_detect import detect_language
from bot.languages import DEFAULT, normalise_language
from bot.ocr import read_image_text
from bot.offer_reply import analyse_offer, offer_payload, situation_payload, urgent_situation
from bot.prefs import Prefs, PrefsStore
from bot.rasa_client import RasaClient, RasaUnavailable
from bot.render import Renderer, Reply, UnknownMessage

log = logging.getLogger(__name__)

MAX_TEXT_TO_RASA = 2000
MAX_OFFER_CHARS = 10_000
PASTED_OFFER_CHARS = 280  # a message this long is most likely a pasted or forwarded offer
COMMANDS = ("start", "menu", "language", "help", "privacy", "forget", "exit")


@dataclass(frozen=True)
class User:
    """Who is writing: a pseudonymous key, and the language their app reports."""

    key: str
    platform_language: str | None = None


def neutralise(text: str) -> str:
    """Make user text safe to hand to Rasa: it can never be read as an intent or command.

    Rasa treats a message starting with "/" as an intent with entities
    (`/restart`, `/greet{"x": 1}`): leading slashes, spaces and invisible
    formatting characters are removed, and the text is capped in length.
    """
    start = 0
    while start < len(text) and (
        text[start] == "/" or text[start].isspace() or unicodedata.category(text[start]) == "Cf"
    ):
        start += 1
    return text[start:][:MAX_TEXT_TO_RASA]


def looks_like_pasted_offer(text: str) -> bool:
    """A long message with the marks of a job offer is checked without being asked."""
    if len(text) < PASTED_OFFER_CHARS:
        return False
    return analyse_offer(text[:MAX_OFFER_CHARS])[0].risk != "low"


class Assistant:
    """Answers one user at a time per user, many users at once."""

    def __init__(
        self,
        rasa: RasaClient,
        prefs: PrefsStore,
        renderer: Renderer | None = None,
        helplines: Callable[[], tuple[Helpline, ...]] = cached_helplines,
        default_language: str = DEFAULT,
        retention_hours: float = 24.0,
        directory: Callable[[], sqlite3.Connection | None] = open_directory,
    ) -> None:
        """Wire the assistant to Rasa, the preference store and the help-centre directory."""
        self.rasa = rasa
        self.prefs = prefs
        self.renderer = renderer or Renderer(defaults={"hours": _hours(retention_hours)})
        self.helplines = helplines
        self.default_language = normalise_language(default_language) or DEFAULT
        self.retention_hours = retention_hours
        self._locks: dict[str, asyncio.Lock] = {}
        self._open_directory = directory
        self._directory: sqlite3.Connection | None = None

    # Entry points -----------------------------------------------------------------

    async def handle_text(self, user: User, text: str) -> list[Reply]:
        """Answer a message the user typed."""
        async with self._lock(user):
            prefs = self.prefs.get(user.key)
            guessed = detect_language(text)
            if guessed:
                prefs.guessed_language = guessed
            lang = self._language(user, prefs)
            safe_text = neutralise(text)
            awaiting, prefs.awaiting = prefs.awaiting, None
            if not safe_text.strip():
                replies = [self._local(lang, {"msg": "menu", "buttons": list(MENU)})]
            elif awaiting == "offer" or looks_like_pasted_offer(text):
                replies = self._offer_replies(lang, text)
            elif (awaiting or "").startswith("place") and (place := find_place(safe_text, lang)):
                kinds = tuple(filter(None, (awaiting or "").partition(":")[2].split(",")))
                replies = [self._help_near(lang, place, kinds)]
            elif situation := urgent_situation(text, lang):
                # Someone describing exploitation they are in: emergency contacts first,
                # straight from here (no round trip through Rasa).
                replies = [self._local(lang, situation_payload(situation))]
            else:
                replies, prefs.awaiting = await self._ask_rasa_noting(user, lang, safe_text)
                if prefs.awaiting == "place":
                    # Remember what kind of help was asked for ("a shelter"), not the words.
                    prefs.awaiting = "place:" + ",".join(wanted_service_types(safe_text))
            return self._finish(user, prefs, lang, replies)

    async def handle_offer(self, user: User, text: str) -> list[Reply]:
        """Check a job offer (pasted, forwarded, or a photo's caption)."""
        async with self._lock(user):
            prefs = self.prefs.get(user.key)
            prefs.awaiting = None
            lang = self._language(user, prefs)
            return self._finish(user, prefs, lang, self._offer_replies(lang, text))

    async def handle_offer_image(self, user: User, image: bytes) -> list[Reply]:
        """Check a job offer sent as a screenshot, read with OCR where it is installed."""
        async with self._lock(user):
            prefs = self.prefs.get(user.key)
            prefs.awaiting = None
            lang = self._language(user, prefs)
        text = await asyncio.get_running_loop().run_in_executor(None, read_image_text, image, lang)
        async with self._lock(user):
            if text is None:
                replies = [self._local(lang, {"msg": "ocr_unavailable", "buttons": ["menu"]})]
            elif not text.strip():
                replies = [self._local(lang, {"msg": "ocr_no_text", "buttons": ["menu"]})]
            else:
                replies = self._offer_replies(lang, text)
            return self._finish(user, prefs, lang, replies)

    async def handle_location(self, user: User, latitude: float, longitude: float) -> list[Reply]:
        """Help centres near a shared location: rounded, used for this search, never stored."""
        latitude, longitude = round_location(latitude, longitude)
        async with self._lock(user):
            prefs = self.prefs.get(user.key)
            prefs.awaiting = None
            lang = self._language(user, prefs)
            replies = [self._help_near(lang, Place(latitude, longitude, None))]
            return self._finish(user, prefs, lang, replies)

    async def handle_button(self, user: User, key: str) -> list[Reply]:
        """Answer a button press (only allowlisted keys do anything)."""
        action = button_action(key)
        async with self._lock(user):
            prefs = self.prefs.get(user.key)
            if action is None:
                lang = self._language(user, prefs)
                return self._finish(user, prefs, lang, [self._menu(lang, "unknown_command")])
            if action.command == "set_language" and action.argument:
                prefs.chosen_language = action.argument
                prefs.fallback_noted = False
                lang = action.argument
                replies = [self._local(lang, {"msg": "language_set", "buttons": list(MENU)})]
                return self._finish(user, prefs, lang, replies)
            lang = self._language(user, prefs)
            if action.command == "language":
                return self._finish(user, prefs, lang, [self._picker(lang)])
            if action.command == "forget":
                return [await self._forget(user, lang)]
            if action.command == "forget_cancel":
                return self._finish(user, prefs, lang, [self._local(lang, {"msg": "forget_cancelled"})])
            assert action.rasa_payload is not None
            replies, prefs.awaiting = await self._ask_rasa_noting(user, lang, action.rasa_payload)
            return self._finish(user, prefs, lang, replies)

    async def handle_command(self, user: User, command: str) -> list[Reply]:
        """Answer one of our slash commands; anything else is treated as unknown."""
        async with self._lock(user):
            prefs = self.prefs.get(user.key)
            lang = self._language(user, prefs)
            if command == "start":
                replies = [
                    self._local(
                        lang,
                        {
                            "parts": [{"msg": "greet"}, {"msg": "safety_line"}, {"msg": "what_i_do"}],
                            "buttons": list(MENU),
                        },
                    ),
                    self._picker(lang),
                ]
            elif command in ("menu", "help"):
                name = "what_i_do" if command == "help" else "menu"
                replies = [self._menu(lang, name)]
            elif command == "language":
                replies = [self._picker(lang)]
            elif command == "privacy":
                replies = [
                    self._local(
                        lang,
                        {
                            "msg": "privacy",
                            "args": {"hours": _hours(self.retention_hours)},
                            "buttons": ["forget_yes", "menu"],
                        },
                    )
                ]
            elif command == "forget":
                replies = [
                    self._local(lang, {"msg": "forget_confirm", "buttons": ["forget_yes", "forget_no"]})
                ]
            else:
                replies = [self._menu(lang, "unknown_command")]
            return self._finish(user, prefs, lang, replies)

    async def forget(self, user: User) -> bool:
        """Delete everything held about the user: Rasa's conversation and preferences."""
        self.prefs.forget(user.key)
        return await self.rasa.forget(user.key)

    def language_of(self, user: User) -> str:
        """The language the assistant uses with this user now."""
        return self._language(user, self.prefs.get(user.key))

    # Internals --------------------------------------------------------------------

    def _lock(self, user: User) -> asyncio.Lock:
        lock = self._locks.get(user.key)
        if lock is None:
            if len(self._locks) > 10_000:
                self._locks = {k: v for k, v in self._locks.items() if v.locked()}
            lock = self._locks[user.key] = asyncio.Lock()
        return lock

    def _language(self, user: User, prefs: Prefs) -> str:
        return (
            normalise_language(prefs.chosen_language)
            or normalise_language(prefs.guessed_language)
            or normalise_language(user.platform_language)
            or self.default_language
        )

    async def _ask_rasa_noting(
        self, user: User, lang: str, text: str
    ) -> tuple[list[Reply], str | None]:
        """Ask Rasa; also tell what its answer asks the user for next (a place, an offer)."""
        try:
            messages = await asyncio.wait_for(
                self.rasa.send(user.key, text, {"lang": lang}), self.rasa.timeout + 0.5
            )
        except (RasaUnavailable, asyncio.TimeoutError):
            log.warning("Rasa did not answer in time: degraded answer given")
            return [self._degraded(lang)], None
        asked = None
        for message in messages:
            custom = message.get("custom")
            if isinstance(custom, dict) and custom.get("msg") in _ASKS:
                asked = _ASKS[custom["msg"]]
        replies = [self._from_rasa(lang, message) for message in messages]
        return replies or [self._menu(lang, "fallback")], asked

    def _offer_replies(self, lang: str, text: str) -> list[Reply]:
        offer, situation = analyse_offer(text[:MAX_OFFER_CHARS], lang)
        replies = [self._local(lang, offer_payload(offer))]
        if situation.urgent:
            replies.insert(0, self._local(lang, situation_payload(situation)))
        return replies

    def _help_near(self, lang: str, place: Place, kinds: tuple[str, ...] = ()) -> Reply:
        if self._directory is None:
            self._directory = self._open_directory()
        if self._directory is None:
            log.error("the help-centre directory has not been imported")
            return self._local(lang, {"msg": "help_results_none", "buttons": ["emergency", "menu"]})
        return self._local(lang, results_payload(search(self._directory, place, kinds), place))

    def _from_rasa(self, lang: str, message: dict[str, Any]) -> Reply:
        custom = message.get("custom")
        if isinstance(custom, dict):
            try:
                return self.renderer.reply(lang, custom)
            except (UnknownMessage, ValueError, TypeError, KeyError):
                log.error("Rasa sent a payload that cannot be rendered")
        else:
            log.error("Rasa sent a message that is not a message payload")
        return self._menu(lang, "fallback")

    async def _forget(self, user: User, lang: str) -> Reply:
        done = await self.forget(user)
        if done:
            return self._local(lang, {"msg": "forget_done"})
        return self._local(lang, {"msg": "forget_failed", "args": {"hours": _hours(self.retention_hours)}})

    def _finish(self, user: User, prefs: Prefs, lang: str, replies: list[Reply]) -> list[Reply]:
        if not prefs.fallback_noted and not all(reply.complete for reply in replies):
            prefs.fallback_noted = True
            replies = [*replies, self._local(lang, {"msg": "not_translated_note"})]
        self.prefs.put(user.key, prefs)
        return replies

    def _local(self, lang: str, payload: dict[str, Any]) -> Reply:
        return self.renderer.reply(lang, payload)

    def _menu(self, lang: str, name: str) -> Reply:
        return self._local(lang, {"msg": name, "buttons": list(MENU)})

    def _picker(self, lang: str) -> Reply:
        return self._local(lang, {"msg": "choose_language", "buttons": list(LANGUAGE_PICKER)})

    def _degraded(self, lang: str) -> Reply:
        """What the user gets when Rasa is down or slow: numbers and the menu, from here."""
        return self._local(
            lang,
            {
                "parts": [
                    {"msg": "degraded"},
                    {"msg": "emergency_intro"},
                    {"lines": helpline_lines(self.helplines())},
                ],
                "buttons": list(MENU),
            },
        )


# Answers that ask the user for something: the next message is read as that.
_ASKS = {"find_help_ask": "place", "place_not_found": "place", "check_job_ask": "offer"}


def _hours(hours: float) -> str:
    return str(int(hours)) if float(hours).is_integer() else str(hours)
