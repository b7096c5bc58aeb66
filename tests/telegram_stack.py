"""Shared pieces for the Telegram tests: the real Rasa stack, and the bot against the stand-in.

The Rasa server and the action server run under the project's Supervisor on an event
loop of their own (a background thread), so they keep running, and their output keeps
being read, between tests that each run their own loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import signal
import sys
import threading
from collections.abc import AsyncIterator, Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from telegram.ext import Application

from bot.processes import Service, Supervisor, action_service, rasa_service
from bot.rasa_client import RasaClient
from bot.settings import Settings
from bot.telegram_app import build_application, serve
from bot.telegram_handlers import TelegramFrontEnd
from tests.bot_api_standin import BotApiStandin
from tests.conftest import free_port

# A fake bot token, new for every test run (never a literal that looks like a real secret).
TOKEN = f"{secrets.randbelow(9 * 10**9) + 10**9}:{secrets.token_urlsafe(26)[:35]}"
HASH_KEY = "test-only-user-id-hash-key"
T = TypeVar("T")


class RasaStack:
    """The real Rasa server and action server on free loopback ports."""

    def __init__(self, model: Path) -> None:
        self.rasa_port, self.action_port = free_port(), free_port()
        self.api_token = secrets.token_urlsafe(16)
        self.log: list[str] = []
        self.action = action_service(sys.executable, self.action_port)
        self.rasa = rasa_service(sys.executable, self.rasa_port, self.action_port, self.api_token,
                                 model, 24.0)
        self.supervisor = Supervisor([self.action, self.rasa], self.log.append, max_restarts=0)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    def client(self, timeout: float = 3.0) -> RasaClient:
        """A client for the current event loop."""
        return RasaClient(self.url, self.api_token, timeout=timeout)

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 180.0) -> T:
        """Run a coroutine on the stack's own loop and wait for it."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def start(self) -> None:
        self.run(self.supervisor.start_all(150.0))

    def stop_rasa(self) -> None:
        """Stop the Rasa server (the action server keeps running)."""
        self.run(self.rasa.stop())

    def start_rasa(self) -> None:
        """Start the Rasa server again and wait until it answers."""
        self.run(self._restart(self.rasa))

    @staticmethod
    async def _restart(service: Service) -> None:
        await service.start()
        await service.wait_healthy(150.0)

    def pause_rasa(self) -> None:
        """Freeze the Rasa server: it accepts connections but answers nothing."""
        assert self.rasa.process is not None
        os.kill(self.rasa.process.pid, signal.SIGSTOP)

    def resume_rasa(self) -> None:
        assert self.rasa.process is not None
        os.kill(self.rasa.process.pid, signal.SIGCONT)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.resume_rasa()
        with contextlib.suppress(Exception):
            self.run(self.supervisor.stop_all(), timeout=60)
        with contextlib.suppress(Exception):
            self.run(self._cancel_the_rest(), timeout=30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        if not self._thread.is_alive():
            self._loop.close()

    @staticmethod
    async def _cancel_the_rest() -> None:
        """Cancel what is left on the stack's loop (a health check, output readers)."""
        others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)


@dataclass
class RunningBot:
    """The real application, serving against the stand-in."""

    api: BotApiStandin
    application: Application  # type: ignore[type-arg]
    settings: Settings
    task: asyncio.Task[int]

    @property
    def front(self) -> TelegramFrontEnd:
        return self.application.bot_data["front_end"]  # type: ignore[no-any-return]

    def key(self, telegram_user_id: int) -> str:
        return self.front.key_of(telegram_user_id)

    async def stop(self) -> int:
        self.application.bot_data["stop"].set()
        return await asyncio.wait_for(self.task, 30)


@contextlib.asynccontextmanager
async def running_bot(rasa: RasaClient, state_dir: Path, **options: Any) -> AsyncIterator[RunningBot]:
    """Run the bot (polling unless a webhook URL is given) against a fresh stand-in."""
    settings_fields = {k: v for k, v in options.items() if k in Settings.__dataclass_fields__}
    build_options = {k: v for k, v in options.items() if k not in settings_fields}
    async with BotApiStandin(TOKEN) as api:
        settings = Settings(telegram_token=TOKEN, telegram_api_base_url=api.base_url,
                            user_id_hash_key=HASH_KEY, state_dir=state_dir,
                            **settings_fields)
        application = build_application(settings, rasa, **build_options)
        task = asyncio.ensure_future(serve(application, settings))
        bot = RunningBot(api, application, settings, task)
        try:
            await api.wait_until(lambda: task.done() or application.running, 30)
            if task.done():
                task.result()
            yield bot
        finally:
            if not task.done():
                await bot.stop()
            await rasa.aclose()


def started_stack(trained_model: Path) -> Iterator[RasaStack]:
    """The real Rasa server and action server, running until the generator is closed
    (for a session-scoped fixture)."""
    stack = RasaStack(trained_model)
    try:
        stack.start()
        yield stack
    finally:
        stack.close()
