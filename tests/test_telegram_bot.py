"""The real python-telegram-bot application against the local Bot API stand-in, where nothing
depends on Rasa (which is unreachable here: any question would get the degraded answer).

Routing of every kind of update, the plain-text fallback, long replies, the webhook
secret, the command list, the retention purge, groups ignored.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.assistant import COMMANDS
from bot.render import Button, Reply
from bot.settings import Settings
from bot.telegram_app import run_telegram
from bot.telegram_limits import UserRateLimit
from bot.telegram_render import utf16_units
from bot.telegram_webhook import SECRET_HEADER
from tests.bot_api_standin import BotApiStandin, FakeUser, parse_telegram_html
from tests.conftest import free_port
from tests.telegram_stack import TOKEN, RunningBot, running_bot

pytestmark = pytest.mark.usefixtures("compiled_catalogs")


def _dead_rasa():  # nothing listens there: Rasa "down"
    from bot.rasa_client import RasaClient

    return RasaClient(f"http://127.0.0.1:{free_port()}", "t", timeout=1.0)


def _spy(bot: RunningBot, name: str, result: list[Reply] | None = None) -> list[tuple[Any, ...]]:
    """Record the calls of one Assistant method (and still run it, unless a result is given)."""
    calls: list[tuple[Any, ...]] = []
    original = getattr(bot.front.assistant, name)

    async def spy(*args: Any) -> list[Reply]:
        calls.append(args)
        return result if result is not None else await original(*args)

    setattr(bot.front.assistant, name, spy)
    return calls


def test_every_kind_of_update_reaches_the_right_assistant_entry(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(_dead_rasa(), tmp_path, limits=UserRateLimit(burst=20)) as bot:
            api, user = bot.api, FakeUser(4242, "en")
            location = _spy(bot, "handle_location")
            offers = _spy(bot, "handle_offer")
            images = _spy(bot, "handle_offer_image")
            commands = _spy(bot, "handle_command")
            texts = _spy(bot, "handle_text")

            api.location(user, 51.507412, -0.127812)
            await api.wait_for_messages(user.id, 1)
            api.forwarded(user, "Work in a hotel abroad, 3000 euros, send your passport")
            await api.wait_for_messages(user.id, 2)
            api.photo(user, b"\x89PNG fake image bytes", caption="Job: pay the fee first")
            await api.wait_for_messages(user.id, 3)
            api.photo(user, b"\x89PNG fake image bytes")
            await api.wait_for_messages(user.id, 4)
            api.user_message(user, caption="Contract attached",
                             document={"file_id": "d1", "file_unique_id": "d1"})
            await api.wait_for_messages(user.id, 5)
            api.user_message(user, sticker={"file_id": "s1", "file_unique_id": "s1", "type": "regular",
                                            "width": 1, "height": 1, "is_animated": False,
                                            "is_video": False})
            await api.wait_for_messages(user.id, 6)
            api.user_message(user, "/restart")
            await api.wait_for_messages(user.id, 7)

            key = bot.key(user.id)
            assert [(u.key, lat, lon) for u, lat, lon in location] == [(key, 51.51, -0.13)]
            assert [text for _, text in offers] == [
                "Work in a hotel abroad, 3000 euros, send your passport",
                "Job: pay the fee first", "Contract attached"]
            assert [data for _, data in images] == [b"\x89PNG fake image bytes"]
            assert [name for _, name in commands] == ["menu"]  # the sticker
            assert [text for _, text in texts] == ["/restart"]  # neutralised inside handle_text
            assert all(c.ok for c in api.calls_to("sendMessage"))

    asyncio.run(scenario())


def test_a_message_telegram_rejects_is_sent_again_as_plain_text(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(_dead_rasa(), tmp_path) as bot:
            api, user = bot.api, FakeUser(77, "en")
            api.reject_html = 1
            api.user_message(user, "/menu")
            sent = await api.wait_for_messages(user.id, 1)
            attempts = api.calls_to("sendMessage")
            assert [c.ok for c in attempts] == [False, True]
            assert attempts[0].params["parse_mode"] == "HTML"
            assert "parse_mode" not in sent[0].params
            assert sent[0].params["text"] == parse_telegram_html(attempts[0].params["text"])
            assert api.buttons(sent[0])  # the menu's buttons kept

    asyncio.run(scenario())


def test_a_long_reply_is_split_under_4096_with_the_buttons_on_the_last_part(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(_dead_rasa(), tmp_path) as bot:
            api, user = bot.api, FakeUser(78, "en")
            long_text = "\n\n".join(f"Centre {n} <&> " + "details " * 120 for n in range(20))
            _spy(bot, "handle_command", [Reply(long_text, (Button("menu", "Menu"),))])
            api.user_message(user, "/help")
            await api.wait_until(lambda: len(api.sent(user.id)) >= 3 and api.buttons(api.sent(user.id)[-1]))
            sent = api.sent(user.id)
            assert all(utf16_units(c.result["text"]) <= 4096 for c in sent)
            assert [bool(api.buttons(c)) for c in sent] == [False] * (len(sent) - 1) + [True]
            shown = " ".join(c.result["text"] for c in sent)
            assert " ".join(shown.split()) == " ".join(long_text.split())

    asyncio.run(scenario())


def test_commands_are_registered_and_answered_and_groups_are_ignored(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(_dead_rasa(), tmp_path) as bot:
            api = bot.api
            english = [c for c in api.calls_to("setMyCommands") if "language_code" not in c.params]
            assert [c["command"] for c in english[0].params["commands"]] == list(COMMANDS)
            assert all(c["description"] for c in english[0].params["commands"])
            user = FakeUser(79, "fr")
            for command in ("/start", "/language", "/privacy", "/forget"):
                api.user_message(user, command)
            sent = await api.wait_for_messages(user.id, 6)  # /start and /privacy answer twice
            assert "lang_ar" in api.buttons(sent[1]) and "lang_ar" in api.buttons(sent[2])
            # /privacy also says what only Telegram's front end keeps: message ids, 48 h.
            assert "48" in sent[4].result["text"] and "/exit" in sent[4].result["text"]
            assert "forget_yes" in api.buttons(sent[-1])
            group = {"id": -100123, "type": "supergroup", "title": "g"}
            api.queue_update({"message": {"message_id": 1, "date": int(time.time()), "chat": group,
                                          "from": user.as_dict(), "text": "/start",
                                          "entities": [{"type": "bot_command", "offset": 0,
                                                        "length": 6}]}})
            api.user_message(user, "/menu")
            await api.wait_for_messages(user.id, 7)
            assert not api.sent(-100123)

    asyncio.run(scenario())


def test_the_retention_purge_runs_by_itself(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(_dead_rasa(), tmp_path, retention_hours=1.0, purge_interval=0.05) as bot:
            front = bot.front
            front.messages.record("someone", [(5, time.time() - 2 * 3600)])
            front.assistant.prefs.db.execute(
                "INSERT INTO prefs (user_key, last_seen) VALUES ('someone', ?)", (time.time() - 7200,))
            await bot.api.wait_until(lambda: not front.messages.holds("someone")
                                     and not front.assistant.prefs.holds("someone"), 5)

    asyncio.run(scenario())


def test_webhook_requests_need_the_secret(tmp_path: Path) -> None:
    port, secret = free_port(), "s3cret-Token_for-tests"

    async def scenario() -> None:
        async with running_bot(_dead_rasa(), tmp_path, telegram_webhook_url="https://bot.example/tg/hook",
                               telegram_webhook_secret=secret, telegram_webhook_port=port) as bot:
            api = bot.api
            assert api.webhook == {"url": "https://bot.example/tg/hook", "secret_token": secret,
                                   "allowed_updates": ["message", "callback_query"]}
            assert not api.calls_to("getUpdates")
            user = FakeUser(80, "en")
            update = {"update_id": 1, "message": {
                "message_id": 1, "date": int(time.time()), "chat": user.chat(), "from": user.as_dict(),
                "text": "/menu", "entities": [{"type": "bot_command", "offset": 0, "length": 5}]}}
            url = f"http://127.0.0.1:{port}/tg/hook"
            async with httpx.AsyncClient() as http:
                missing = await http.post(url, json=update)
                wrong = await http.post(url, json=update, headers={SECRET_HEADER: "wrong"})
                await asyncio.sleep(0.2)
                assert (missing.status_code, wrong.status_code) == (403, 403)
                assert not api.sent(user.id)
                good = await http.post(url, json=update, headers={SECRET_HEADER: secret})
                assert good.status_code == 200
            await api.wait_for_messages(user.id, 1)
            assert len(api.sent(user.id)) == 1

    asyncio.run(scenario())


def test_webhook_mode_refuses_to_start_without_a_secret(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with BotApiStandin(TOKEN) as api:
            for secret in (None, "has spaces", "x" * 257):
                settings = Settings(telegram_token=TOKEN, telegram_api_base_url=api.base_url,
                                    telegram_webhook_url="https://bot.example/hook",
                                    telegram_webhook_secret=secret, state_dir=tmp_path,
                                    user_id_hash_key="k")
                assert await run_telegram(settings, _dead_rasa()) == 2
            assert api.calls == []

    asyncio.run(scenario())


def test_run_telegram_serves_until_cancelled_and_shuts_down_cleanly(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with BotApiStandin(TOKEN) as api:
            settings = Settings(telegram_token=TOKEN, telegram_api_base_url=api.base_url,
                                state_dir=tmp_path)  # no USER_ID_HASH_KEY: one is generated
            task = asyncio.ensure_future(run_telegram(settings, _dead_rasa()))
            await api.wait_until(lambda: bool(api.calls_to("getUpdates")))
            user = FakeUser(81, "en")
            api.user_message(user, "/menu")
            await api.wait_for_messages(user.id, 1)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert (tmp_path / "telegram_user_id_hash_key").is_file()
            assert (tmp_path / "telegram.sqlite3").is_file()

    asyncio.run(scenario())


def test_command_descriptions_are_registered_per_language_only_when_translated() -> None:
    from bot.assistant import Assistant
    from bot.catalogs import Catalogs
    from bot.prefs import PrefsStore
    from bot.render import Renderer
    from bot.telegram_handlers import register_commands

    class SomeTranslated(Catalogs):
        def lookup(self, lang: str, english: str, context: str | None = None) -> tuple[str, bool]:
            if lang in ("fr", "ckb"):
                return f"{lang}: {english}", True
            return english, lang == "en"

    registered: dict[str | None, list[tuple[str, str]]] = {}

    class FakeBot:
        async def set_my_commands(self, commands: list[Any], language_code: str | None = None) -> bool:
            registered[language_code] = [(c.command, c.description) for c in commands]
            return True

    class FakeApplication:
        bot = FakeBot()

    assistant = Assistant(_dead_rasa(), PrefsStore(), renderer=Renderer(SomeTranslated()))
    asyncio.run(register_commands(FakeApplication(), assistant))  # type: ignore[arg-type]
    assert set(registered) == {None, "fr", "ku"}  # Sorani under Telegram's two-letter code
    assert registered["fr"][-1] == ("exit", "fr: Quick exit: delete the recent messages of this chat")
    assert [name for name, _ in registered[None]] == list(COMMANDS)


def test_exit_gets_through_even_when_the_user_is_over_the_rate_limit(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(_dead_rasa(), tmp_path) as bot:
            api, user = bot.api, FakeUser(82, "en")
            for n in range(8):
                api.user_message(user, f"message {n}")
            api.user_message(user, "/exit")
            await api.wait_until(lambda: any(t.startswith("Chat cleared.") for t in api.texts(user.id)))
            assert sum("very fast" in t for t in api.texts(user.id)) == 1
            assert len(api.calls_to("deleteMessages")[0].params["message_ids"]) == 9 + 6

    asyncio.run(scenario())
