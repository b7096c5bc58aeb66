"""End to end on Telegram's side: the real python-telegram-bot application, polling the local
Bot API stand-in over HTTP on 127.0.0.1, answering through the real Rasa server and action
server (started once per session on free ports).

Conversations in English and Arabic with buttons, /forget, /exit, a flooding user, hostile
text, the logs, and Rasa stopped and frozen mid-conversation.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.prefs import PrefsStore
from bot.render import RLM
from bot.telegram_app import STATE_FILE
from bot.telegram_exit import MessageLog
from bot.telegram_limits import UserRateLimit
from tests.bot_api_standin import BotApiStandin, Call, FakeUser
from tests.telegram_stack import TOKEN, RasaStack, running_bot, started_stack

pytestmark = pytest.mark.stack


@pytest.fixture(scope="session")
def rasa_stack(trained_model: Path) -> Iterator[RasaStack]:
    """The real Rasa server and action server, started once per session."""
    yield from started_stack(trained_model)

LEGAL_AID = "Free legal advice on asylum and immigration"
DEGRADED = "I cannot answer everything right now"


async def _reply_after(api: BotApiStandin, chat_id: int, count: int, timeout: float = 20) -> Call:
    """The first message the bot sends to the chat after the `count` it had sent before."""
    await api.wait_until(lambda: len(api.sent(chat_id)) > count, timeout)
    return api.sent(chat_id)[count]


async def _say(api: BotApiStandin, user: FakeUser, text: str, timeout: float = 20) -> tuple[str, Call, float]:
    """Send one message and wait for the answer: its text, the call, and seconds taken."""
    before = len(api.sent(user.id))
    update_id, _ = api.user_message(user, text)
    reply = await _reply_after(api, user.id, before, timeout)
    return reply.result["text"], reply, reply.at - api.queued_at[update_id]


def _all_accepted(api: BotApiStandin) -> bool:
    """Every message the bot sent parsed as Telegram HTML on the first try."""
    return all(c.ok for c in api.calls_to("sendMessage"))


def test_english_conversation_with_buttons_and_nothing_personal_in_the_logs(
    rasa_stack: RasaStack, tmp_path: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    user = FakeUser(987654321, "en")

    async def scenario() -> None:
        async with running_bot(rasa_stack.client(), tmp_path) as bot:
            api = bot.api
            api.user_message(user, "/start")
            start = await api.wait_for_messages(user.id, 2)
            assert start[0].result["text"].startswith("Hello. I am a free and confidential helper")
            assert "/exit" in start[0].result["text"]
            assert "emergency" in api.buttons(start[0]) and "lang_ar" in api.buttons(start[1])

            text, _, _ = await _say(api, user, "canary-lemon-zebra, I need a lawyer please")
            assert LEGAL_AID in text

            before = len(api.sent(user.id))
            api.press(user, start[0].result["message_id"], "emergency")
            emergency = await _reply_after(api, user.id, before)
            assert "999" in emergency.result["text"]
            assert api.calls_to("answerCallbackQuery")
            assert _all_accepted(api)

    asyncio.run(scenario())
    logged = caplog.text + " ".join(str(r.msg) for r in caplog.records)
    assert "lemon-zebra" not in logged and "lawyer" not in logged
    assert str(user.id) not in logged and TOKEN not in logged and TOKEN.split(":")[1] not in logged


def test_arabic_conversation_right_to_left_with_a_button(rasa_stack: RasaStack, tmp_path: Path) -> None:
    user = FakeUser(22, "ar")

    async def scenario() -> None:
        async with running_bot(rasa_stack.client(), tmp_path) as bot:
            api = bot.api
            api.user_message(user, "/start")
            start = await api.wait_for_messages(user.id, 2)
            greeting = start[0].result["text"]
            assert greeting.startswith(RLM) and "مرحب" in greeting  # direction mark kept
            text, _, _ = await _say(api, user, "مرحبا، أحتاج إلى محامٍ مجاني")
            assert text.startswith(RLM)
            assert any("\u0600" <= ch <= "\u06ff" for ch in text)
            before = len(api.sent(user.id))
            api.press(user, start[0].result["message_id"], "emergency")
            emergency = await _reply_after(api, user.id, before)
            assert emergency.result["text"].startswith(RLM) and "999" in emergency.result["text"]
            assert _all_accepted(api)

    asyncio.run(scenario())


def test_forget_leaves_nothing_in_any_store_nor_in_rasa(rasa_stack: RasaStack, tmp_path: Path) -> None:
    user = FakeUser(33, "en")

    async def scenario() -> None:
        async with running_bot(rasa_stack.client(), tmp_path) as bot:
            api, key = bot.api, bot.key(user.id)
            checker = rasa_stack.client()
            await _say(api, user, "I need a lawyer")
            api.user_message(user, "/start")
            await api.wait_for_messages(user.id, 3)
            await _say(api, user, "fr")  # a language guess, kept in the prefs
            await api.wait_for_messages(user.id, 4)
            assert bot.front.messages.holds(key) and bot.front.assistant.prefs.holds(key)
            assert await checker.holds(key)

            text, confirm, _ = await _say(api, user, "/forget")
            assert api.buttons(confirm) == ["forget_yes", "forget_no"]
            before = len(api.sent(user.id))
            api.press(user, confirm.result["message_id"], "forget_yes")
            done = await _reply_after(api, user.id, before)
            assert done.result["text"].startswith("Done. I have deleted everything")

            state = tmp_path / STATE_FILE
            assert not PrefsStore(state).holds(key)
            assert not MessageLog(state).holds(key)
            assert not bot.front.limits.holds(key)
            assert not await checker.holds(key)
            await checker.aclose()

    asyncio.run(scenario())


def test_exit_deletes_the_chats_recent_messages_and_leaves_one_neutral_line(
    rasa_stack: RasaStack, tmp_path: Path,
) -> None:
    user = FakeUser(44, "en")

    async def scenario() -> None:
        async with running_bot(rasa_stack.client(), tmp_path) as bot:
            api = bot.api
            _, too_old = api.user_message(user, "hello", age_seconds=49 * 3600)
            await api.wait_for_messages(user.id, 1)
            await _say(api, user, "I need a lawyer")
            api.user_message(user, "/menu")
            await api.wait_for_messages(user.id, 3)
            chat = api.chats[user.id]
            expected = {mid for mid in chat.messages if mid != too_old} | {chat.next_id}  # + /exit

            text, last, _ = await _say(api, user, "/exit")
            deleted = [mid for c in api.calls_to("deleteMessages") for mid in c.params["message_ids"]]
            assert set(deleted) == expected and too_old not in deleted
            assert all(len(c.params["message_ids"]) <= 100 for c in api.calls_to("deleteMessages"))
            assert text.startswith("Chat cleared.") and "Auto-delete messages" in text
            assert not api.buttons(last)
            remaining = [m for m in chat.messages.values() if not m.deleted]
            assert [m.message_id for m in remaining] == [too_old, last.result["message_id"]]
            assert bot.front.messages.deletable(bot.key(user.id)) == [last.result["message_id"]]

    asyncio.run(scenario())


def test_a_flooding_user_is_cut_off_and_does_not_hold_up_another(
    rasa_stack: RasaStack, tmp_path: Path,
) -> None:
    flooder, other = FakeUser(55, "en"), FakeUser(56, "en")

    async def scenario() -> None:
        async with running_bot(rasa_stack.client(), tmp_path) as bot:
            api = bot.api
            checker = rasa_stack.client()
            for n in range(120):
                api.user_message(flooder, f"I need a lawyer, message {n}")
            text, _, seconds = await _say(api, other, "I need a lawyer")
            assert LEGAL_AID in text
            await api.wait_until(lambda: bot.front.messages.holds(bot.key(flooder.id))
                                 and len(api.sent(flooder.id)) >= 6)
            await asyncio.sleep(1.0)  # anything more would have come by now
            texts = api.texts(flooder.id)
            assert sum("very fast" in t for t in texts) == 1  # one "slow down", then silence
            # The burst is answered (whatever the model makes of "..., message 3"), the rest not.
            assert sum("very fast" not in t for t in texts) == 5
            tracker = await checker._http.get(  # noqa: SLF001 - look at what reached Rasa
                f"{rasa_stack.url}/conversations/{bot.key(flooder.id)}/tracker",
                params={"token": rasa_stack.api_token})
            said = [e for e in tracker.json()["events"] if e["event"] == "user"]
            assert len(said) == 5
            await checker.aclose()
            print(f"\nanswer to the other user during the flood: {seconds * 1000:.0f} ms")

            # Quick exit still works for the flooder, in batches of at most 100 ids.
            api.user_message(flooder, "/exit")
            await api.wait_until(lambda: any(t.startswith("Chat cleared.") for t in api.texts(flooder.id)))
            batches = [c.params["message_ids"] for c in api.calls_to("deleteMessages")]
            assert [len(b) for b in batches][0] == 100 and all(len(b) <= 100 for b in batches)
            chat = api.chats[flooder.id]
            assert {mid for b in batches for mid in b} == set(chat.messages) - {chat.next_id - 1}

    asyncio.run(scenario())


HOSTILE = [
    "<b>bold</b> & <i>italic</i> <script>alert(1)</script>",
    "/restart",
    "\u202e\u200f/restart",
    "/greet{\"name\": \"<b>x</b>\"}",
    "x" * 10_000,
    "😀👨‍👩‍👧🇺🇦 help &amp; &lt;",
    "\u200fمرحبا <b>&</b> \u200e/restart",
    "&#60;b&#62; \x00 \ufeff",
]


def test_hostile_text_never_crashes_and_every_reply_is_valid_telegram_html(
    rasa_stack: RasaStack, tmp_path: Path,
) -> None:
    async def scenario() -> None:
        async with running_bot(rasa_stack.client(), tmp_path) as bot:
            api = bot.api
            users = [FakeUser(600 + n, "en") for n in range(len(HOSTILE))]
            for user, text in zip(users, HOSTILE, strict=True):
                api.user_message(user, text)
            for user in users:
                await api.wait_for_messages(user.id, 1)
            assert _all_accepted(api)
            for user in users:
                assert all(t.strip() and "<b>" not in t for t in api.texts(user.id))
            text, _, _ = await _say(api, users[0], "I need a lawyer")  # still answering
            assert LEGAL_AID in text

    asyncio.run(scenario())


def test_rasa_stopped_or_frozen_gives_the_degraded_answer_within_4_s_then_answers_resume(
    rasa_stack: RasaStack, tmp_path: Path,
) -> None:
    user = FakeUser(77, "en")

    async def scenario() -> None:
        async with running_bot(rasa_stack.client(timeout=3.0), tmp_path,
                               limits=UserRateLimit(burst=20)) as bot:
            api = bot.api
            text, _, _ = await _say(api, user, "I need a lawyer")
            assert LEGAL_AID in text

            await asyncio.to_thread(rasa_stack.stop_rasa)
            text, _, seconds = await _say(api, user, "I need a lawyer")
            assert DEGRADED in text and "999" in text
            assert seconds < 4.0
            await asyncio.to_thread(rasa_stack.start_rasa)
            text, _, _ = await _say(api, user, "I need a lawyer")
            assert LEGAL_AID in text

            rasa_stack.pause_rasa()  # accepts connections, answers nothing: "slower than 3 s"
            try:
                text, _, seconds = await _say(api, user, "I need a lawyer")
            finally:
                rasa_stack.resume_rasa()
            assert DEGRADED in text and seconds < 4.0
            started = time.monotonic()
            text, _, _ = await _say(api, user, "I need a lawyer")
            assert LEGAL_AID in text, f"after {time.monotonic() - started:.1f} s"

    asyncio.run(scenario())


def test_python_m_bot_run_serves_telegram_and_its_log_holds_nothing_personal(
    trained_model: Path, tmp_path: Path,
) -> None:
    import os
    import signal
    import subprocess
    import sys

    from tests.conftest import REPO_ROOT, free_port

    user = FakeUser(123456789, "en")

    async def scenario() -> tuple[int, str]:
        async with BotApiStandin(TOKEN) as api:
            env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
            env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.base_url,
                       STATE_DIR=str(tmp_path), RASA_PORT=str(free_port()),
                       ACTION_SERVER_PORT=str(free_port()), USER_ID_HASH_KEY="")
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", cwd=REPO_ROOT, env=env,
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            try:
                await api.wait_until(lambda: bool(api.calls_to("getUpdates")), 150)
                text, _, _ = await _say(api, user, "canary-lemon-zebra, I need a lawyer please")
                assert LEGAL_AID in text
                process.send_signal(signal.SIGINT)
                code = await asyncio.wait_for(process.wait(), 60)
            finally:
                if process.returncode is None:
                    process.kill()
            assert process.stdout is not None
            return code, (await process.stdout.read()).decode()

    code, output = asyncio.run(scenario())
    assert code == 0, output[-3000:]
    assert "generated a user-id hash key" in output and "Telegram bot running (polling)" in output
    assert "lemon-zebra" not in output and "lawyer" not in output
    assert str(user.id) not in output and TOKEN.split(":")[1] not in output
