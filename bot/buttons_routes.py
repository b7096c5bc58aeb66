"""Buttons of the routes answers and of the guided finder (part of the allowlist).

Keys (at most 64 bytes; every id and value is checked against the content):

    finder                       start the route finder
    finder:skip, finder:done     skip the question asked / show routes now
    finder:<question>:<value>    answer a finder question (values from data/content/routes/finder.yml)
    route:<route id>             a route's overview
    route:<route id>:<kind>      one kind of question about a route (labelled with the route)
    ask:<route id>:<kind>        the same, labelled with the kind of question

A key that does not parse, or names an unknown route, question, value or kind, is not on
the allowlist. Each payload is built here, never taken from the key.
"""

from __future__ import annotations

import json
import logging

from bot.buttons import ButtonAction
from bot.route_answers import (
    FINDER_INPUTS,
    QUESTION_KINDS,
    finder_values,
    keyword_tables,
    routes_content,
)

log = logging.getLogger(__name__)


def rasa_payload(intent: str, entities: dict[str, str]) -> str:
    """A Rasa message that sends an intent with entities: /intent{"entity": "value"}."""
    return f"/{intent}{json.dumps(entities, ensure_ascii=True, sort_keys=True)}"


def route_button_action(key: str) -> ButtonAction | None:
    """The action behind a routes/finder button key, or None when it is not allowed."""
    if not isinstance(key, str) or len(key.encode()) > 64:
        return None
    try:
        return _action(key)
    except Exception:  # broken content must not break every other button
        log.exception("routes button %r could not be checked against the content", key)
        return None


def _action(key: str) -> ButtonAction | None:
    from bot.messages import MESSAGES

    if key == "finder":
        start = rasa_payload("safe_routes", {"finder_answer": "start"})
        return ButtonAction("msg:btn_finder", rasa_payload=start)
    head, _, rest = key.partition(":")
    if head == "finder":
        return _finder_action(rest, MESSAGES)
    if head not in ("route", "ask"):
        return None
    route_id, _, kind = rest.partition(":")
    if route_id not in {entry.id for entry in routes_content().entries}:
        return None
    if kind and kind not in QUESTION_KINDS or head == "ask" and not kind:
        return None
    label = f"btn_kind_{kind}" if head == "ask" else f"btn_route_{route_id}"
    if label not in MESSAGES:
        log.error("no button label message %r: add it to bot/messages_routes.py", label)
        return None
    intent = keyword_tables().button_intents.get(route_id, "safe_routes")
    entities = {"route_id": route_id, **({"question_kind": kind} if kind else {})}
    return ButtonAction(f"msg:{label}", rasa_payload=rasa_payload(intent, entities))


def _finder_action(rest: str, messages: dict[str, str]) -> ButtonAction | None:
    if rest in ("skip", "done"):
        return ButtonAction(f"msg:btn_finder_{rest}",
                            rasa_payload=rasa_payload("safe_routes", {"finder_answer": rest}))
    question, _, value = rest.partition(":")
    if question not in FINDER_INPUTS or value not in finder_values(question):
        return None
    label = f"btn_{value}" if value in ("yes", "no") else f"btn_finder_{question}_{value}"
    if label not in messages:
        log.error("no button label message %r: add it to bot/messages_routes.py", label)
        return None
    return ButtonAction(f"msg:{label}", rasa_payload=rasa_payload("safe_routes", {"finder_answer": rest}))
