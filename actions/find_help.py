"""Help centres near a town named in the message; otherwise ask where the person is."""

from __future__ import annotations

import sqlite3
import threading
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.directory.gazetteer import load_gazetteer
from bot.help_search import find_place, open_directory, results_payload, search, wanted_service_types


class ActionFindHelp(Action):
    """Search the directory around the place the user named (never stored)."""

    def __init__(self) -> None:
        """No connection yet (opened on first use); town names indexed in the background."""
        self._db: sqlite3.Connection | None = None
        threading.Thread(target=load_gazetteer, name="gazetteer", daemon=True).start()

    def name(self) -> str:
        """Name the action as the domain does."""
        return "action_find_help"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Answer with results, or ask for the place."""
        text = tracker.latest_message.get("text") or ""
        lang = (tracker.latest_message.get("metadata") or {}).get("lang")
        place = find_place(text, lang)
        if self._db is None:
            self._db = open_directory()
        if place is None or self._db is None:
            dispatcher.utter_message(json_message={"msg": "find_help_ask", "buttons": ["emergency", "menu"]})
            return []
        kinds = wanted_service_types(text, previous_intent(tracker))
        dispatcher.utter_message(json_message=results_payload(search(self._db, place, kinds), place))
        return []


def previous_intent(tracker: Tracker) -> str | None:
    """The intent of the user's message before this one, if any."""
    users = [e for e in tracker.events if e.get("event") == "user"]
    if len(users) < 2:
        return None
    return ((users[-2].get("parse_data") or {}).get("intent") or {}).get("name")
