"""The guided route finder (the route_finder form): its questions, answers and result."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.routes import message_entities, message_language
from bot.route_answers import (
    FINDER_FORM,
    FINDER_SLOTS,
    answers_latest_message,
    finder_done,
    finder_question_payload,
    finder_result_payload,
    finder_step,
)


def finder_answers(tracker: Tracker) -> dict[str, str | None]:
    """The finder answers so far, by question (location, nationality...)."""
    return {question: tracker.get_slot(slot) for question, slot in FINDER_SLOTS.items()}


class ValidateRouteFinder(FormValidationAction):
    """Read each answer from a button or a typed message; leave anything else to the rules."""

    def name(self) -> str:
        """Name the action as the domain does."""
        return f"validate_{FINDER_FORM}"

    def _extract(self, question: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        slot = FINDER_SLOTS[question]
        if tracker.get_slot("requested_slot") != slot or not answers_latest_message(tracker.events):
            return {}
        step = finder_step(
            question,
            tracker.latest_message.get("text") or "",
            (tracker.latest_message.get("intent") or {}).get("name"),
            message_entities(tracker),
            message_language(tracker),
        )
        if step.outcome == "answer":
            return {slot: step.value}
        if step.outcome == "done":
            return {FINDER_SLOTS[q]: v for q, v in finder_done(finder_answers(tracker)).items()}
        if step.outcome == "again":
            if step.hint:
                dispatcher.utter_message(json_message={"msg": step.hint})
            return {slot: None}  # asked again; an empty answer would reject the form
        return {}  # not an answer: the form is rejected and the rules answer the message

    async def extract_finder_location(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        """Where the person is now."""
        return self._extract("location", dispatcher, tracker)

    async def extract_finder_nationality(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        """Their nationality."""
        return self._extract("nationality", dispatcher, tracker)

    async def extract_finder_family_in_uk(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        """Whether a partner or parent has protection in the UK."""
        return self._extract("family_in_uk", dispatcher, tracker)

    async def extract_finder_under_18_alone(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        """Whether they are under 18 and alone."""
        return self._extract("under_18_alone", dispatcher, tracker)

    # The answers are checked when they are read: these keep them as they are.
    def validate_finder_location(self, value: Any, *_: Any) -> dict[str, Any]:
        """Keep the answer."""
        return {"finder_location": value}

    def validate_finder_nationality(self, value: Any, *_: Any) -> dict[str, Any]:
        """Keep the answer."""
        return {"finder_nationality": value}

    def validate_finder_family_in_uk(self, value: Any, *_: Any) -> dict[str, Any]:
        """Keep the answer."""
        return {"finder_family_in_uk": value}

    def validate_finder_under_18_alone(self, value: Any, *_: Any) -> dict[str, Any]:
        """Keep the answer."""
        return {"finder_under_18_alone": value}


class _AskFinderQuestion(Action, ABC):
    """Ask one finder question (its text is content: data/content/routes/finder.yml).

    Abstract, so that the action server does not register it (rasa-sdk skips abstract classes).
    """

    question = ""

    @abstractmethod
    def name(self) -> str:
        """Name the action as the domain does: action_ask_<slot>."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Send the question with its buttons."""
        dispatcher.utter_message(json_message=finder_question_payload(self.question))
        return []


class ActionAskFinderLocation(_AskFinderQuestion):
    """Where are you now?"""

    question = "location"

    def name(self) -> str:
        """Name the action as the domain does."""
        return "action_ask_finder_location"


class ActionAskFinderNationality(_AskFinderQuestion):
    """What is your nationality?"""

    question = "nationality"

    def name(self) -> str:
        """Name the action as the domain does."""
        return "action_ask_finder_nationality"


class ActionAskFinderFamilyInUk(_AskFinderQuestion):
    """Does a partner or parent have protection in the UK?"""

    question = "family_in_uk"

    def name(self) -> str:
        """Name the action as the domain does."""
        return "action_ask_finder_family_in_uk"


class ActionAskFinderUnder18Alone(_AskFinderQuestion):
    """Are you under 18 and alone?"""

    question = "under_18_alone"

    def name(self) -> str:
        """Name the action as the domain does."""
        return "action_ask_finder_under_18_alone"


class ActionRouteFinderResult(Action):
    """Answer with the routes that may fit, then forget the answers."""

    def name(self) -> str:
        """Name the action as the domain does."""
        return "action_route_finder_result"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Send the result; reset every finder slot."""
        dispatcher.utter_message(json_message=finder_result_payload(finder_answers(tracker)))
        return [
            *(SlotSet(slot, None) for slot in FINDER_SLOTS.values()),
            SlotSet("route_last", None),
        ]
