"""Safe and legal routes, asylum and legal aid, answered from data/content/routes/."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher


class _Overview(Action):
    """Send a topic's overview message (replaced by content answers in issue 5)."""

    action_name = ""
    message_name = ""
    buttons: tuple[str, ...] = ()

    def name(self) -> str:
        """Name the action as the domain does."""
        return self.action_name

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Send the overview."""
        dispatcher.utter_message(json_message={"msg": self.message_name, "buttons": list(self.buttons)})
        return []


class ActionSafeRoutes(_Overview):
    """Safe and legal routes."""

    action_name = "action_safe_routes"
    message_name = "safe_routes_overview"
    buttons = ("legal_aid", "find_help", "menu")


class ActionClaimAsylum(_Overview):
    """Claiming asylum."""

    action_name = "action_claim_asylum"
    message_name = "claim_asylum_overview"
    buttons = ("legal_aid", "find_help", "menu")


class ActionLegalAid(_Overview):
    """Free legal aid."""

    action_name = "action_legal_aid"
    message_name = "legal_aid_overview"
    buttons = ("find_help", "menu")
