"""Help centres in the chat: the place a person names or shares, and the answer they get."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from bot.assistant import Assistant, User
from bot.directory.importer import import_directory
from bot.directory.store import connect
from bot.help_search import (
    centre_payload,
    find_place,
    results_payload,
    round_location,
    search,
    wanted_service_types,
)
from bot.prefs import PrefsStore
from bot.rasa_client import RasaClient
from bot.render import Renderer
from tests.conftest import REPO_ROOT, free_port

pytestmark = pytest.mark.usefixtures("compiled_catalogs")


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("dir") / "directory.db"
    conn = connect(path)
    outcome = import_directory(conn, str(REPO_ROOT / "data" / "directory"), by="test")
    assert not outcome.problems
    conn.close()
    return path


@pytest.mark.parametrize(
    ("text", "lang", "town"),
    [("shelter in calais please", "en", "Calais"), ("مأوى في كاليه", "ar", "Calais"),
     ("je suis à Dunkerque", "fr", "Dunkirk"), ("i am in london", "en", "London")],
)
def test_the_town_a_message_names_is_found(text, lang, town) -> None:
    place = find_place(text, lang)
    assert place is not None and place.name.startswith(town)


@pytest.mark.parametrize(
    ("text", "lang", "town"),
    [("Где приют в Манчестере?", "ru", "Manchester"), ("юрист из Ливерпуля", "ru", "Liverpool"),
     ("допомога у Лондоні", "uk", "London"), ("притулок у Парижі", "uk", "Paris"),
     ("avokat në Londrës", "sq", "London"), ("strehim në Parisin", "sq", "Paris")],
)
def test_a_town_with_a_case_ending_is_found(text, lang, town) -> None:
    place = find_place(text, lang)
    assert place is not None and place.name.startswith(town)


def test_case_endings_are_tried_only_for_the_users_language() -> None:
    assert find_place("допомога у Лондоні", "en") is None
    assert find_place("Помогите, пожалуйста, нужна помощь", "ru") is None


def test_no_town_no_place() -> None:
    assert find_place("I need some help please", "en") is None


def test_shared_locations_are_coarsened_before_use() -> None:
    assert round_location(50.951943, 1.856351) == (50.95, 1.86)


def test_kind_of_help_from_words_or_from_the_conversation() -> None:
    assert "shelter" in wanted_service_types("I need a place to sleep, shelter")
    assert wanted_service_types("help near me", previous_intent="legal_aid") == ("legal_aid",)


@pytest.mark.parametrize("lang", ["en", "ar", "fr"])
def test_results_show_freshness_and_render_in_each_language(seeded_db, lang) -> None:
    conn = connect(seeded_db, readonly=True)
    place = find_place("london", "en")
    results = search(conn, place, ("legal_aid",))
    assert results and all(r.status != "closed" for r in results)
    reply = Renderer().reply(lang, results_payload(results, place))
    assert results[0].organization in reply.text
    lines = centre_payload(results[0])["lines"]
    assert lines[-1]["msg"] in ("hc_verified", "hc_stale", "hc_not_verified")


def test_fresh_entries_show_their_verification_date(seeded_db) -> None:
    conn = connect(seeded_db, readonly=True)
    result = search(conn, find_place("london", "en"))[0]
    fresh = type(result)(**{**result.__dict__, "assured_date": dt.date(2026, 11, 1), "stale": False})
    text = Renderer().reply("fr", {"lines": centre_payload(fresh)["lines"]}).text
    assert "1 nov. 2026" in text


def test_a_shared_location_is_answered_and_never_stored(seeded_db, tmp_path) -> None:
    rasa = RasaClient(f"http://127.0.0.1:{free_port()}", api_token="t", timeout=1.0)
    prefs = PrefsStore(tmp_path / "state.db")
    assistant = Assistant(rasa, prefs, directory=lambda: connect(seeded_db, readonly=True))
    replies = asyncio.run(assistant.handle_location(User("k"), 51.507351, -0.127758))
    assert "Help near you" in replies[0].text and "▪" in replies[0].text
    prefs.close()
    stored = (tmp_path / "state.db").read_bytes()
    for fragment in (b"51.50", b"51.51", b"-0.12", b"-0.13"):
        assert fragment not in stored
