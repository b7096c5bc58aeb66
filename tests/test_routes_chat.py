"""The routes actions and the route finder form: thin actions over bot.route_answers, and
one conversation through the real stack (`python -m bot run`, as tests/test_stack.py does)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.route_finder import (
    ActionAskFinderLocation,
    ActionAskFinderUnder18Alone,
    ActionRouteFinderResult,
    ValidateRouteFinder,
)
from actions.routes import ActionClaimAsylum, ActionLegalAid, ActionRouteFollowup, ActionSafeRoutes
from bot import route_answers as ra
from tests.conftest import REPO_ROOT, free_port

DOMAIN = yaml.safe_load((REPO_ROOT / "domain" / "routes.yml").read_text())


def tracker(
    text: str,
    intent: str,
    lang: str = "en",
    entities: dict[str, str] | None = None,
    slots: dict[str, Any] | None = None,
    events: list[dict[str, Any]] | None = None,
) -> Tracker:
    message = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "entities": [{"entity": k, "value": v} for k, v in (entities or {}).items()],
        "metadata": {"lang": lang},
    }
    user = {"event": "user", "text": text, "parse_data": message}
    return Tracker("someone", slots or {}, message, events or [user], False, None, {}, "action_listen")


def run(action: Any, tracker_: Tracker) -> tuple[list[dict[str, Any]], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker_, DOMAIN))
    return events, dispatcher


def test_safe_routes_answers_from_content_in_the_users_language_and_remembers_the_route() -> None:
    text = "زوجي لاجئ في بريطانيا، هل يمكنني اللحاق به؟"
    events, dispatcher = run(ActionSafeRoutes(), tracker(text, "safe_routes", "ar"))
    assert events == [SlotSet("route_last", "uk_refugee_family_reunion")]
    assert dispatcher.messages[0]["custom"] == ra.reply_to("safe_routes", text, "ar").payload


def test_a_follow_up_continues_the_route_in_the_slot() -> None:
    t = tracker("how long does it take?", "out_of_scope", slots={"route_last": "uk_bno_visa"})
    events, dispatcher = run(ActionRouteFollowup(), t)
    assert events == [SlotSet("route_last", "uk_bno_visa")]
    custom = dispatcher.messages[0]["custom"]
    assert custom["parts"][0]["args"]["topic"] == {"msg": "btn_kind_how_long"}


def test_route_buttons_carry_the_route_and_the_kind() -> None:
    t = tracker('/claim_asylum{"route_id": "fr_claim_asylum", "question_kind": "cost"}', "claim_asylum",
                entities={"route_id": "fr_claim_asylum", "question_kind": "cost"})
    events, dispatcher = run(ActionClaimAsylum(), t)
    assert events == [SlotSet("route_last", "fr_claim_asylum")]
    assert "find_help" in dispatcher.messages[0]["custom"]["buttons"]


def test_legal_aid_overview_offers_help_nearby() -> None:
    events, dispatcher = run(ActionLegalAid(), tracker("I need a lawyer", "legal_aid"))
    assert events == [SlotSet("route_last", None)]
    assert dispatcher.messages[0]["custom"]["msg"] == "legal_aid_overview"
    assert dispatcher.messages[0]["custom"]["buttons"][0] == "find_help"


@pytest.mark.parametrize(
    ("text", "entities"),
    [("which safe route to the uk fits me", {}),
     ('/safe_routes{"finder_answer": "start"}', {"finder_answer": "start"})],
)
def test_asking_for_the_finder_starts_the_form_silently(text: str, entities: dict[str, str]) -> None:
    events, dispatcher = run(ActionSafeRoutes(), tracker(text, "safe_routes", entities=entities))
    assert events == [SlotSet("route_last", None), ActiveLoop("route_finder")]
    assert dispatcher.messages == []


def form_tracker(text: str, intent: str, requested: str, lang: str = "en",
                 entities: dict[str, str] | None = None, answered: dict[str, str] | None = None,
                 after: list[dict[str, Any]] | None = None) -> Tracker:
    """The tracker the form's validation gets: the user's message, then the form's own run."""
    t = tracker(text, intent, lang, entities,
                slots={"requested_slot": requested, **(answered or {})})
    t.events = [*t.events, *(after or []), {"event": "slot", "name": "requested_slot", "value": requested},
                {"event": "action", "name": "route_finder"}]
    return t


@pytest.mark.parametrize(
    ("text", "intent", "requested", "lang", "entities", "expected"),
    [
        ('/safe_routes{"finder_answer": "location:uk"}', "safe_routes", "finder_location", "en",
         {"finder_answer": "location:uk"}, {"finder_location": "uk"}),
        ("I am Syrian", "emergency", "finder_nationality", "en", {}, {"finder_nationality": "syria"}),
        ("no", "emergency", "finder_family_in_uk", "en", {}, {"finder_family_in_uk": "no"}),
        ("نعم", "emergency", "finder_under_18_alone", "ar", {}, {"finder_under_18_alone": "yes"}),
        ("je ne sais pas", "nlu_fallback", "finder_location", "fr", {}, {"finder_location": "skipped"}),
    ],
)
def test_the_form_reads_answers_from_buttons_and_words(
    text: str, intent: str, requested: str, lang: str, entities: dict[str, str], expected: dict[str, str]
) -> None:
    events, dispatcher = run(ValidateRouteFinder(), form_tracker(text, intent, requested, lang, entities))
    answers = [e for e in events if e["name"] != "requested_slot"]
    assert answers == [SlotSet(k, v) for k, v in expected.items()]
    assert dispatcher.messages == []


def test_show_routes_now_fills_every_question_left() -> None:
    t = form_tracker('/safe_routes{"finder_answer": "done"}', "safe_routes", "finder_nationality",
                     entities={"finder_answer": "done"}, answered={"finder_location": "uk"})
    events, _ = run(ValidateRouteFinder(), t)
    assert {e["name"]: e["value"] for e in events} == {
        "finder_location": "uk", "finder_nationality": "skipped",
        "finder_family_in_uk": "skipped", "finder_under_18_alone": "skipped"}


def test_an_unclear_answer_is_asked_again_with_a_hint() -> None:
    t = form_tracker("perhaps", "nlu_fallback", "finder_family_in_uk")
    events, dispatcher = run(ValidateRouteFinder(), t)
    assert events == [SlotSet("finder_family_in_uk", None)]
    assert dispatcher.messages[0]["custom"] == {"msg": "finder_hint_yes_no"}


def test_an_emergency_is_not_an_answer_so_the_rules_answer_it() -> None:
    text = "they took my passport and they hit me, help"
    events, dispatcher = run(ValidateRouteFinder(), form_tracker(text, "emergency", "finder_location"))
    assert events == [] and dispatcher.messages == []


def test_coming_back_after_an_emergency_reads_no_answer() -> None:
    after = [{"event": "action_execution_rejected", "name": "route_finder"},
             {"event": "action", "name": "action_emergency"}]
    t = form_tracker("they took my passport", "emergency", "finder_location", after=after)
    events, _ = run(ValidateRouteFinder(), t)
    assert events == []


def test_questions_are_asked_with_their_buttons() -> None:
    _, dispatcher = run(ActionAskFinderLocation(), tracker("", "safe_routes"))
    assert dispatcher.messages[0]["custom"] == ra.finder_question_payload("location")
    _, dispatcher = run(ActionAskFinderUnder18Alone(), tracker("", "safe_routes"))
    buttons = dispatcher.messages[0]["custom"]["buttons"]
    assert buttons[:2] == ["finder:under_18_alone:yes", "finder:under_18_alone:no"]


def test_the_result_is_sent_and_every_answer_is_forgotten() -> None:
    answers = {"finder_location": "uk", "finder_nationality": "ukraine",
               "finder_family_in_uk": "no", "finder_under_18_alone": "skipped"}
    events, dispatcher = run(ActionRouteFinderResult(), tracker("", "safe_routes", slots=answers))
    assert dispatcher.messages[0]["custom"] == ra.finder_result_payload(
        {"location": "uk", "nationality": "ukraine", "family_in_uk": "no", "under_18_alone": "skipped"})
    assert {e["name"]: e["value"] for e in events} == {**dict.fromkeys(answers), "route_last": None}


def test_the_domain_declares_what_the_actions_use() -> None:
    assert DOMAIN["forms"]["route_finder"]["required_slots"] == list(ra.FINDER_SLOTS.values())
    actions = set(DOMAIN["actions"])
    assert {f"action_ask_{slot}" for slot in ra.FINDER_SLOTS.values()} <= actions
    assert {"validate_route_finder", "action_route_finder_result", "action_route_followup"} <= actions
    assert "responses" not in DOMAIN  # every answer is built from content by the actions


# ---- through the real stack ----


@pytest.fixture(scope="module")
def routes_model_dir(request: pytest.FixtureRequest) -> Path:
    """A model trained from the current data: the shared one (models/), or, when
    ROUTES_TEST_MODEL_DIR is set, one kept in that folder (trained there if out of date)."""
    folder = os.environ.get("ROUTES_TEST_MODEL_DIR")
    if not folder:
        return Path(request.getfixturevalue("trained_model")).parent
    from bot.setup_steps import MODEL_NAME, TRAINING_DATA, model_fingerprint, model_is_current, model_path

    model_dir = Path(folder)
    if not model_is_current(model_dir):
        fingerprint = model_fingerprint()
        subprocess.run(
            [sys.executable, "-m", "rasa", "train", "--config", "config.yml", "--domain", "domain",
             "--data", *TRAINING_DATA, "--out", str(model_dir), "--fixed-model-name", MODEL_NAME],
            cwd=REPO_ROOT, env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"}, check=True,
            stdout=sys.stderr, timeout=1200,
        )
        model_path(model_dir).with_suffix("").with_suffix(".fingerprint").write_text(fingerprint + "\n")
    return model_dir


@pytest.mark.stack
def test_routes_and_the_finder_through_the_real_stack(routes_model_dir: Path) -> None:
    lines = [
        "is there a safe way to reach the UK?",  # overview; button 1 is the finder
        "1",
        "France",  # typed answers, one of them ("no") read by the model as an emergency
        "I am Syrian",
        "no",
        "3",  # skip the last question
        "my husband is a refugee in Britain, can I join him?",
        "can my children come too?",
        "will my kids go to school",  # a follow-up the routes content does not cover
        "1",  # Free legal help
    ]
    env = {key: value for key, value in os.environ.items() if not key.startswith("TELEGRAM_")}
    env.update(RASA_PORT=str(free_port()), ACTION_SERVER_PORT=str(free_port()),
               RASA_TELEMETRY_ENABLED="false", MODEL_DIR=str(routes_model_dir))
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"], input="\n".join(lines) + "\n", text=True,
        capture_output=True, cwd=REPO_ROOT, env=env, timeout=240,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "Safe and legal routes exist for some people" in out and "1) Which routes fit me?" in out
    for number in (1, 2, 3, 4):
        assert f"Question {number} of 4" in out
    assert "If you are in danger now" not in out  # "no" was taken as the answer
    assert "These routes may fit what you told me" in out
    assert "Claiming asylum in France" in out and "We do not know of a special UK scheme" in out
    assert "This is general information, not legal advice." in out
    assert "▪ Refugee family reunion (UK)" in out and "We could not confirm whether this route is open" in out
    assert "Source: https://www.gov.uk/settlement-refugee-or-humanitarian-protection/family-reunion" in out
    assert "(checked on Nov 22, 2026)" in out
    assert "▪ Refugee family reunion (UK): Children and family" in out
    assert "I do not have reliable information on that" in out
    assert "Free legal advice on asylum and immigration" in out  # the legal-aid answer, with help nearby
