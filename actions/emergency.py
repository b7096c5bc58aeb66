"""The emergency answer: emergency numbers and helplines, from data, at once."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.helplines import cached_helplines, emergency_payload


class ActionEmergency(Action):
    """Send the emergency numbers and helplines of every country we cover."""

    def name(self) -> str:
        """Name the action as the domain does."""
        return "action_emergency"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Send the numbers; no events."""
        dispatcher.utter_message(json_message=emergency_payload(cached_helplines()))
        return []
