"""Safe and legal routes, asylum and legal aid, answered from data/content/routes/."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.route_answers import FINDER_FORM, reply_to


def message_language(tracker: Tracker) -> str | None:
    """The user's language, as the front end sent it with the message."""
    return (tracker.latest_message.get("metadata") or {}).get("lang")


def message_entities(tracker: Tracker) -> dict[str, Any]:
    """The entities of the latest message (from a button payload) by name."""
    entities = tracker.latest_message.get("entities") or []
    return {e["entity"]: e.get("value") for e in entities if "entity" in e}


class _RouteAnswer(Action, ABC):
    """Answer from the routes content; remember the route discussed, or start the finder.

    Abstract, so that the action server does not register it (rasa-sdk skips abstract classes).
    """

    intent: str | None = None  # None: the intent Rasa understood (for follow-ups)

    @abstractmethod
    def name(self) -> str:
        """Name the action as the domain does."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Send the answer and set route_last, or start the finder (its first question speaks)."""
        intent = self.intent or (tracker.latest_message.get("intent") or {}).get("name") or ""
        reply = reply_to(
            intent,
            tracker.latest_message.get("text") or "",
            message_language(tracker),
            last_route=tracker.get_slot("route_last"),
            entities=message_entities(tracker),
        )
        if reply.payload is not None:
            dispatcher.utter_message(json_message=reply.payload)
        events = [SlotSet("route_last", reply.route_id)]
        if reply.start_finder:
            events.append(ActiveLoop(FINDER_FORM))  # the loop now runs before any rule
        return events


class ActionSafeRoutes(_RouteAnswer):
    """Safe and legal routes."""

    intent = "safe_routes"

    def name(self) -> str:
        """Name the action as the domain does."""
        return "action_safe_routes"


class ActionClaimAsylum(_RouteAnswer):
    """Claiming asylum."""

    intent = "claim_asylum"

    def name(self) -> str:
        """Name the action as the domain does."""
        return "action_claim_asylum"


class ActionLegalAid(_RouteAnswer):
    """Free legal aid."""

    intent = "legal_aid"

    def name(self) -> str:
        """Name the action as the domain does."""
        return "action_legal_aid"


class ActionRouteFollowup(_RouteAnswer):
    """A follow-up the model did not place ("how long does it take?"), right after a routes answer."""

    def name(self) -> str:
        """Name the action as the domain does."""
        return "action_route_followup"
