"""The channel-independent conversation logic, with Rasa unreachable (real HTTP errors)."""

from __future__ import annotations

import asyncio
import random

import pytest

from bot.assistant import Assistant, User, neutralise
from bot.catalogs import Catalogs
from bot.prefs import PrefsStore
from bot.rasa_client import RasaClient
from bot.render import Renderer
from tests.conftest import free_port

pytestmark = pytest.mark.usefixtures("compiled_catalogs")


def _assistant() -> Assistant:
    # Nothing listens on this port: every call to Rasa fails as it would when Rasa is down.
    rasa = RasaClient(f"http://127.0.0.1:{free_port()}", api_token="t", timeout=1.0)
    return Assistant(rasa, PrefsStore(":memory:"))


@pytest.mark.parametrize(
    "text",
    ["/restart", "  /restart", "//restart", "\u200e/restart", "\ufeff /greet{\"a\": 1}",
     "/session_start", "\t/ emergency"],
)
def test_slash_text_can_never_reach_rasa_as_an_intent(text: str) -> None:
    assert not neutralise(text).startswith("/")
    assert not neutralise(text)[:1].isspace()


def test_neutralise_over_random_unicode() -> None:
    rng = random.Random(7)
    alphabet = "/ \t\n\u200e\u200f\u202e\ufeffaب😀<>&{}\"'"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        out = neutralise(text)
        assert not out.startswith("/")
        assert out == "" or not (out[0].isspace() or out[0] in "\u200e\u200f\u202e\ufeff")
    assert len(neutralise("x" * 10_000)) == 2000


def test_rasa_down_gives_numbers_and_menu_in_the_users_language() -> None:
    assistant = _assistant()
    replies = asyncio.run(assistant.handle_text(User("k"), "مرحبا، أحتاج مساعدة"))
    assert len(replies) == 1
    assert "999" in replies[0].text and "08000 121 700" in replies[0].text
    assert replies[0].rtl and replies[0].complete
    assert [b.key for b in replies[0].buttons][:2] == ["routes", "asylum"]


def test_explicit_choice_beats_detection_and_platform_language() -> None:
    assistant = _assistant()
    user = User("k", platform_language="fr-FR")
    assert assistant.language_of(user) == "fr"
    asyncio.run(assistant.handle_text(user, "hello, I need a lawyer please"))
    assert assistant.language_of(user) == "en"  # detected from what they wrote
    replies = asyncio.run(assistant.handle_button(user, "lang_ar"))
    assert replies[0].rtl and "العربية" in replies[0].text
    asyncio.run(assistant.handle_text(user, "hello, I need a lawyer please"))
    assert assistant.language_of(user) == "ar"  # the explicit choice wins


def test_start_shows_safety_line_menu_and_language_picker() -> None:
    replies = asyncio.run(_assistant().handle_command(User("k"), "start"))
    assert "/exit" in replies[0].text
    assert "emergency" in [b.key for b in replies[0].buttons]
    assert [b.label for b in replies[1].buttons][:3] == ["English", "العربية", "فارسی / دری"]


def test_privacy_states_the_retention() -> None:
    rasa = RasaClient(f"http://127.0.0.1:{free_port()}", api_token="t", timeout=1.0)
    assistant = Assistant(rasa, PrefsStore(":memory:"), retention_hours=12)
    text = asyncio.run(assistant.handle_command(User("k"), "privacy"))[0].text
    assert "12 hours" in text


def test_unknown_button_data_does_nothing_but_show_the_menu() -> None:
    replies = asyncio.run(_assistant().handle_button(User("k"), "/restart"))
    assert "do not know" in replies[0].text


def test_forget_when_rasa_is_down_says_so_honestly() -> None:
    assistant = _assistant()
    user = User("k")
    asyncio.run(assistant.handle_button(user, "lang_fr"))
    replies = asyncio.run(assistant.handle_button(user, "forget_yes"))
    assert not assistant.prefs.holds("k")
    assert "24" in replies[0].text  # "could not delete everything... deleted anyway after 24 hours"


def test_missing_translation_is_noted_once_per_conversation(tmp_path) -> None:
    assistant = _assistant()
    assistant.renderer = Renderer(Catalogs(directory=tmp_path))  # no translation at all
    user = User("k")
    chosen = asyncio.run(assistant.handle_button(user, "lang_so"))
    later = asyncio.run(assistant.handle_command(user, "menu"))
    later += asyncio.run(assistant.handle_command(user, "menu"))
    assert sum("not yet available" in r.text for r in chosen) == 1
    assert not any("not yet available" in r.text for r in later)
